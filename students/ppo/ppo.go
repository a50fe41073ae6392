package ppo

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
)

// Student is a PPO learner. It implements task.Student, task.Prober and
// task.ValueEstimator. It is not safe for concurrent use.
type Student struct {
	p    Params
	rng  task.Streams
	env  task.Env // Learn and Probe
	eval task.Env // Evaluate and Value
	net  *network
	opt  *nn.Adam

	act    pass        // batch of one, for acting
	state  [][]float64 // per tower: the recurrent state while acting
	obs    []float64
	envAct []float64 // action passed to the env (continuous: clipped)
	rawAct []float64 // action stored: index, or the unclipped sample
	logp   []float64 // log-probabilities of the actions (discrete)
	buf    rollout
	tr     trainer
	stats  Stats
}

// Stats counts what a student has done, for diagnostics and tests.
type Stats struct {
	// Updates is the number of PPO updates (one per full rollout) and
	// GradSteps the number of optimizer steps taken.
	Updates, GradSteps int
	// SkippedSteps counts minibatches whose gradient was not finite: their
	// step is skipped so that one bad batch cannot corrupt the weights.
	SkippedSteps int
	// Learned is the number of transitions the student has learned from.
	Learned int64
	// The last minibatch's losses and diagnostics: the clipped surrogate
	// (to be minimised), the value loss, the mean policy entropy, the
	// approximate KL divergence mean(log π_old − log π) and the fraction of
	// clipped ratios.
	PolicyLoss, ValueLoss, Entropy, ApproxKL, ClipFraction float64
}

// Accepts reports whether f provides environments to act in.
func Accepts(f task.Family) bool {
	_, ok := f.(task.Episodic)
	return ok
}

// New returns a PPO student for family f. It builds its environments from
// f (one from rng.Env for learning and probing, one from rng.Eval for
// evaluation and value estimates) and its network from rng.Init; rng.Batch
// drives action sampling and minibatches while learning, rng.Eval
// stochastic evaluation.
func New(p Params, f task.Family, rng task.Streams) (*Student, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("ppo: %w", err)
	}
	ef, ok := f.(task.Episodic)
	if !ok {
		return nil, errors.New("ppo: the family provides no environments to act in (task.Episodic)")
	}
	if rng.Env == nil || rng.Init == nil || rng.Batch == nil || rng.Eval == nil {
		return nil, errors.New("ppo: the env, init, batch and eval streams must all be set")
	}
	env, eval := ef.NewEnv(rng.Env), ef.NewEnv(rng.Eval)
	spec, obsSize := env.Actions(), env.ObsSize()
	switch {
	case obsSize < 1:
		return nil, fmt.Errorf("ppo: the environment's observations have %d values, want at least 1", obsSize)
	case (spec.Discrete > 0) == (spec.Dims > 0) || spec.Discrete < 0 || spec.Dims < 0:
		return nil, fmt.Errorf("ppo: the environment's actions %+v: want either discrete actions or continuous dimensions", spec)
	case spec.Discrete == 1:
		return nil, errors.New("ppo: the environment has a single discrete action: nothing to learn")
	case eval.Actions() != spec || eval.ObsSize() != obsSize:
		return nil, errors.New("ppo: the family's environments disagree on their observation or action sizes")
	}
	discrete := spec.Discrete > 0
	width := spec.Dims
	if discrete {
		width = spec.Discrete
	}
	s := &Student{
		p: p, rng: rng, env: env, eval: eval,
		net:    newNetwork(p, obsSize, width, discrete, rng.Init),
		obs:    make([]float64, obsSize),
		envAct: make([]float64, spec.Len()),
		rawAct: make([]float64, spec.Len()),
		logp:   make([]float64, width),
	}
	s.opt = nn.NewAdam(&s.net.params, p.LR)
	s.opt.Eps = p.AdamEps
	sizes := make([]int, len(s.net.towers))
	s.state = make([][]float64, len(s.net.towers))
	for i := range sizes {
		sizes[i] = s.net.stateSize(i)
		s.state[i] = make([]float64, sizes[i])
	}
	s.buf = newRollout(obsSize, spec.Len(), sizes)
	s.tr.s = s
	return s, nil
}

// Params returns the student's parameters.
func (s *Student) Params() Params { return s.p }

// Stats returns the student's counters and latest losses.
func (s *Student) Stats() Stats { return s.stats }

// Weights returns the network's parameters (a view, not a copy): all
// towers, then the Gaussian log standard deviations.
func (s *Student) Weights() []float64 { return s.net.params.Values() }

// Learn plays one episode of t with the stochastic policy, adds it to the
// rollout, and runs a PPO update once the rollout holds n_steps
// transitions. The outcome carries the episode's learning signals (see the
// package documentation).
func (s *Student) Learn(t task.Task) task.Outcome {
	o := s.episode(t)
	if s.buf.n >= s.p.NSteps {
		s.update()
	}
	return o
}

// Probe plays one episode of t exactly as Learn does and reports the same
// signals, but forgets the episode: the student does not learn from it.
func (s *Student) Probe(t task.Task) task.Outcome {
	n := s.buf.n
	o := s.episode(t)
	s.buf.truncate(n)
	return o
}

// Evaluate plays one episode of t without learning, with the greedy action
// (discrete) or the mean action (continuous), or with actions drawn from
// the eval stream if stochastic_eval is set. The outcome carries no
// signals.
func (s *Student) Evaluate(t task.Task) task.Outcome {
	env := s.eval
	env.Reset(t, s.obs)
	s.resetState()
	for {
		s.forwardAct()
		if s.p.StochasticEval {
			s.sample(s.rng.Eval)
		} else {
			s.greedy()
		}
		_, status := env.Step(s.envAct, s.obs)
		if status.Done() {
			return env.Outcome()
		}
		s.advanceState()
	}
}

// Value returns the critic's estimate of the value of t's initial state.
// It does not change the student.
func (s *Student) Value(t task.Task) float64 {
	s.eval.Reset(t, s.obs)
	s.resetState()
	s.forwardAct()
	return s.act.value[0]
}

// episode plays t on the learning environment, records its transitions in
// the rollout with their GAE advantages, and returns the outcome with its
// signals.
func (s *Student) episode(t task.Task) task.Outcome {
	env, buf := s.env, &s.buf
	env.Reset(t, s.obs)
	s.resetState()
	start := buf.n
	mask := 0.0
	var status task.StepStatus
	for {
		s.forwardAct()
		logp := s.sample(s.rng.Batch)
		buf.push(s.obs, s.rawAct, logp, s.act.value[0], mask, s.state)
		var r float64
		r, status = env.Step(s.envAct, s.obs)
		buf.reward[buf.n-1] = r
		s.advanceState()
		mask = 1
		if status.Done() {
			break
		}
	}
	next := 0.0
	if status == task.Truncated && s.p.BootstrapTruncation {
		s.forwardAct()
		next = s.act.value[0]
	}
	adv, v := buf.adv[start:], buf.value[start:]
	gae(adv, buf.reward[start:], v, next, s.p.Gamma, s.p.GAELambda)
	var pos, abs, mean float64
	for i, a := range adv {
		buf.ret[start+i] = a + v[i]
		pos += max(a, 0)
		abs += math.Abs(a)
		mean += v[i]
	}
	n := float64(len(adv))
	o := env.Outcome()
	o.SetSignal(task.PositiveValueLoss, pos/n)
	o.SetSignal(task.L1ValueLoss, abs/n)
	o.SetSignal(task.MeanAbsAdvantage, abs/n)
	o.SetSignal(task.MeanValue, mean/n)
	o.SetSignal(task.ValueEstimate, v[0])
	return o
}

// resetState zeroes the recurrent state at the start of an episode.
func (s *Student) resetState() {
	for _, h := range s.state {
		clear(h)
	}
}

// forwardAct runs the network on the current observation from the current
// recurrent state.
func (s *Student) forwardAct() {
	s.net.begin(&s.act, 1, 1)
	for i, h := range s.state {
		copy(s.act.towers[i].h0, h)
	}
	s.net.forward(&s.act, s.obs, nil)
}

// advanceState moves the recurrent state past the step just acted on.
func (s *Student) advanceState() {
	for i, h := range s.state {
		if len(h) > 0 {
			copy(h, s.act.lastState(i, 0, len(h)))
		}
	}
}

// sample draws an action from the policy of the latest forward pass into
// rawAct and envAct and returns its log-probability.
func (s *Student) sample(rng *rand.Rand) float64 {
	out := s.act.policy
	if s.net.discrete {
		nn.LogSoftmax(s.logp, out, len(s.logp))
		a := nn.SampleCategorical(rng, s.logp)
		s.rawAct[0], s.envAct[0] = float64(a), float64(a)
		return s.logp[a]
	}
	logStd := s.net.logStd.Value()
	for j, m := range out[:len(logStd)] {
		x := m + math.Exp(logStd[j])*rng.NormFloat64()
		s.rawAct[j] = x
		s.envAct[j] = clip1(x)
	}
	return nn.GaussianLogProb(s.rawAct, out[:len(logStd)], logStd)
}

// greedy sets envAct to the most probable action (the first of equals), or
// to the clipped mean.
func (s *Student) greedy() {
	out := s.act.policy
	if s.net.discrete {
		best := 0
		for j, z := range out[:s.net.policy] {
			if z > out[best] {
				best = j
			}
		}
		s.envAct[0] = float64(best)
		return
	}
	for j, m := range out[:s.net.policy] {
		s.envAct[j] = clip1(m)
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
