package ppo

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
)

// actorCritic is the learning machinery shared by Student and Agent: the
// network, its optimiser, the rollout of transitions collected since the
// last update, and the buffers of acting and updating. Its callers drive
// the episodes: Student from its own environments, Agent from whatever
// environment its caller steps.
type actorCritic struct {
	p   Params
	net *network
	opt *nn.Adam

	act    pass        // batch of one, for acting
	state  [][]float64 // per tower: the recurrent state while acting
	envAct []float64   // action passed to the env (continuous: clipped)
	rawAct []float64   // action stored: index, or the unclipped sample
	logp   []float64   // log-probabilities of the actions (discrete)
	buf    rollout
	tr     trainer
	stats  Stats

	start int     // rollout index of the first step of the episode in progress
	mask  float64 // 0 before the episode's first step, 1 after
}

// checkSpec rejects observation and action specifications a PPO
// actor-critic cannot learn with.
func checkSpec(obsSize int, spec task.ActionSpec) error {
	switch {
	case obsSize < 1:
		return fmt.Errorf("ppo: the environment's observations have %d values, want at least 1", obsSize)
	case (spec.Discrete > 0) == (spec.Dims > 0) || spec.Discrete < 0 || spec.Dims < 0:
		return fmt.Errorf("ppo: the environment's actions %+v: want either discrete actions or continuous dimensions", spec)
	case spec.Discrete == 1:
		return errors.New("ppo: the environment has a single discrete action: nothing to learn")
	}
	return nil
}

// init builds the network from init and sizes the buffers. p and spec must
// have been checked.
func (ac *actorCritic) init(p Params, obsSize int, spec task.ActionSpec, init *rand.Rand) {
	discrete := spec.Discrete > 0
	width := spec.Dims
	if discrete {
		width = spec.Discrete
	}
	ac.p = p
	ac.net = newNetwork(p, obsSize, width, discrete, init)
	ac.envAct = make([]float64, spec.Len())
	ac.rawAct = make([]float64, spec.Len())
	ac.logp = make([]float64, width)
	ac.opt = nn.NewAdam(&ac.net.params, p.LR)
	ac.opt.Eps = p.AdamEps
	sizes := make([]int, len(ac.net.towers))
	ac.state = make([][]float64, len(ac.net.towers))
	for i := range sizes {
		sizes[i] = ac.net.stateSize(i)
		ac.state[i] = make([]float64, sizes[i])
	}
	ac.buf = newRollout(obsSize, spec.Len(), sizes)
	ac.tr.ac = ac
}

// begin starts an episode: the recurrent state is zeroed and the next
// recorded step is its first.
func (ac *actorCritic) begin() {
	ac.resetState()
	ac.start = ac.buf.n
	ac.mask = 0
}

// record chooses an action for obs with the stochastic policy, drawing from
// rng, appends the transition to the rollout (its reward is 0 until set),
// moves the recurrent state past the step, and returns the action for the
// environment (valid until the next call).
func (ac *actorCritic) record(obs []float64, rng *rand.Rand) []float64 {
	ac.forwardAct(obs)
	logp := ac.sample(rng)
	ac.buf.push(obs, ac.rawAct, logp, ac.act.value[0], ac.mask, ac.state)
	ac.advanceState()
	ac.mask = 1
	return ac.envAct
}

// finish ends the episode begun by begin: it computes the GAE advantages
// and value targets of its steps, bootstrapping from V(obs) of the final
// observation obs when status is Truncated and bootstrap_truncation is set,
// and returns its summary.
func (ac *actorCritic) finish(status task.StepStatus, obs []float64) Episode {
	buf := &ac.buf
	start := ac.start
	if buf.n == start {
		return Episode{}
	}
	next := 0.0
	if status == task.Truncated && ac.p.BootstrapTruncation {
		ac.forwardAct(obs)
		next = ac.act.value[0]
	}
	adv, v := buf.adv[start:], buf.value[start:]
	gae(adv, buf.reward[start:], v, next, ac.p.Gamma, ac.p.GAELambda)
	var pos, abs, mean float64
	for i, a := range adv {
		buf.ret[start+i] = a + v[i]
		pos += max(a, 0)
		abs += math.Abs(a)
		mean += v[i]
	}
	n := float64(len(adv))
	ac.start = buf.n
	return Episode{
		Steps:             len(adv),
		PositiveValueLoss: pos / n,
		L1ValueLoss:       abs / n,
		MeanValue:         mean / n,
		FirstValue:        v[0],
	}
}

// resetState zeroes the recurrent state at the start of an episode.
func (ac *actorCritic) resetState() {
	for _, h := range ac.state {
		clear(h)
	}
}

// forwardAct runs the network on the observation obs from the current
// recurrent state.
func (ac *actorCritic) forwardAct(obs []float64) {
	ac.net.begin(&ac.act, 1, 1)
	for i, h := range ac.state {
		copy(ac.act.towers[i].h0, h)
	}
	ac.net.forward(&ac.act, obs, nil)
}

// advanceState moves the recurrent state past the step just acted on.
func (ac *actorCritic) advanceState() {
	for i, h := range ac.state {
		if len(h) > 0 {
			copy(h, ac.act.lastState(i, 0, len(h)))
		}
	}
}

// sample draws an action from the policy of the latest forward pass into
// rawAct and envAct and returns its log-probability.
func (ac *actorCritic) sample(rng *rand.Rand) float64 {
	out := ac.act.policy
	if ac.net.discrete {
		nn.LogSoftmax(ac.logp, out, len(ac.logp))
		a := nn.SampleCategorical(rng, ac.logp)
		ac.rawAct[0], ac.envAct[0] = float64(a), float64(a)
		return ac.logp[a]
	}
	logStd := ac.net.logStd.Value()
	for j, m := range out[:len(logStd)] {
		x := m + math.Exp(logStd[j])*rng.NormFloat64()
		ac.rawAct[j] = x
		ac.envAct[j] = clip1(x)
	}
	return nn.GaussianLogProb(ac.rawAct, out[:len(logStd)], logStd)
}

// greedy sets envAct to the most probable action (the first of equals), or
// to the clipped mean.
func (ac *actorCritic) greedy() {
	out := ac.act.policy
	if ac.net.discrete {
		best := 0
		for j, z := range out[:ac.net.policy] {
			if z > out[best] {
				best = j
			}
		}
		ac.envAct[0] = float64(best)
		return
	}
	for j, m := range out[:ac.net.policy] {
		ac.envAct[j] = clip1(m)
	}
}

// clip1 clips x to [−1, 1]; NaN stays NaN, for the environment to reject.
func clip1(x float64) float64 {
	if x > 1 {
		return 1
	}
	if x < -1 {
		return -1
	}
	return x
}

// Episode summarises a finished episode's GAE advantages A_t (before
// standardisation) and value estimates V(s_t), as seen while acting: the
// learning signals that teachers read (see the package documentation).
type Episode struct {
	// Steps is the number of transitions of the episode.
	Steps int
	// PositiveValueLoss is mean max(A_t, 0) and L1ValueLoss mean |A_t|.
	PositiveValueLoss, L1ValueLoss float64
	// MeanValue is mean V(s_t) and FirstValue V(s_0).
	MeanValue, FirstValue float64
}

// Agent is a PPO actor-critic driven step by step by its caller, for
// learners that are not students of a family: an adversarial teacher that
// builds levels (PAIRED's adversary), whose rewards arrive only after other
// agents have played what it built. It is the engine of Student, which
// drives it from its own environments; the same calls in the same order
// give the same weights.
//
// An episode is Begin, then for each step Act on the observation, the
// environment's step and Reward; then End. Rewards that are known only
// later may be added by Reward at any time before End: nothing is computed
// from an episode's rewards until it ends. Once Ready, Update runs PPO on
// the rollout of finished episodes and empties it. An Agent allocates
// nothing per step after warm-up. It is not safe for concurrent use.
type Agent struct {
	actorCritic
}

// NewAgent returns an agent for observations of obsSize values and the
// given actions, its weights drawn from init. p must be valid.
func NewAgent(p Params, obsSize int, actions task.ActionSpec, init *rand.Rand) (*Agent, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("ppo: %w", err)
	}
	if err := checkSpec(obsSize, actions); err != nil {
		return nil, err
	}
	if init == nil {
		return nil, errors.New("ppo: NewAgent needs an init stream")
	}
	a := new(Agent)
	a.init(p, obsSize, actions, init)
	return a, nil
}

// Begin starts an episode: the recurrent state is zeroed. An episode that
// was not ended is abandoned: its steps stay in the rollout without
// advantages, so End every episode.
func (a *Agent) Begin() { a.begin() }

// Act returns the action for observation obs, drawn from the policy with
// rng, and records the step in the rollout with reward 0. The slice is the
// agent's and valid until the next call: for discrete actions it holds the
// action's number.
func (a *Agent) Act(obs []float64, rng *rand.Rand) []float64 { return a.record(obs, rng) }

// Reward adds r to the reward of the latest recorded step.
func (a *Agent) Reward(r float64) {
	if a.buf.n == a.start {
		panic("ppo: Agent.Reward before any step of the episode")
	}
	a.buf.reward[a.buf.n-1] += r
}

// End finishes the episode: its advantages are computed by GAE from its
// rewards, bootstrapping from the value of obs, the observation that
// followed the last step, if status is task.Truncated and
// bootstrap_truncation is set (obs may be nil otherwise). It returns the
// episode's summary.
func (a *Agent) End(status task.StepStatus, obs []float64) Episode { return a.finish(status, obs) }

// Len returns the number of transitions in the rollout.
func (a *Agent) Len() int { return a.buf.n }

// Forget drops the transitions recorded after the first n (n ≤ Len), for
// episodes played without learning (a probe). Call it between episodes.
func (a *Agent) Forget(n int) {
	if n < 0 || n > a.buf.n {
		panic(fmt.Sprintf("ppo: Forget(%d) with %d transitions recorded", n, a.buf.n))
	}
	a.buf.truncate(n)
	a.start = min(a.start, n)
}

// Ready reports whether the rollout holds n_steps transitions or more.
func (a *Agent) Ready() bool { return a.buf.n >= a.p.NSteps }

// Update runs PPO on the rollout (see the package documentation), drawing
// minibatch orders from rng, and empties it. Every episode recorded must
// have ended.
func (a *Agent) Update(rng *rand.Rand) {
	if a.start != a.buf.n {
		panic("ppo: Agent.Update with an episode in progress")
	}
	if a.buf.n == 0 {
		return
	}
	a.update(rng)
	a.start = 0
}

// Play returns the action for obs without recording it: drawn from the
// policy with rng, or the greedy action (discrete) or clipped mean
// (continuous) if rng is nil. It advances the recurrent state like Act.
func (a *Agent) Play(obs []float64, rng *rand.Rand) []float64 {
	a.forwardAct(obs)
	if rng != nil {
		a.sample(rng)
	} else {
		a.greedy()
	}
	a.advanceState()
	return a.envAct
}

// Value returns the critic's estimate V(obs) from the current recurrent
// state, without changing the agent.
func (a *Agent) Value(obs []float64) float64 {
	a.forwardAct(obs)
	return a.act.value[0]
}

// Params returns the agent's parameters.
func (a *Agent) Params() Params { return a.p }

// Stats returns the agent's counters and latest losses.
func (a *Agent) Stats() Stats { return a.stats }

// Weights returns the network's parameters (a view, not a copy).
func (a *Agent) Weights() []float64 { return a.net.params.Values() }
