package her

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Student is a DDPG learner with hindsight experience replay. It implements
// task.Student; it is not safe for concurrent use.
type Student struct {
	p           Params
	env, evEnv  task.GoalEnv
	batchRNG    *rand.Rand
	obsN, goalN int
	stateN      int // observation without its trailing goal
	actN        int

	ag   *agent
	norm *normalizer
	buf  *buffer
	cum  [numKinds]float64 // cumulative relabelling weights
	bt   batch

	// acting scratch
	obs, obs2, x, act, ach, goal []float64
	// batch scratch: normalised inputs, rewards and discounts
	bx, bxn, rew, disc, in []float64

	envSteps int64   // training environment steps
	owed     float64 // gradient steps due but not yet taken
	stats    Stats
}

// Stats counts what a student has done, for diagnostics and tests.
type Stats struct {
	// Episodes and Steps count the training episodes and their steps.
	Episodes, Steps int64
	// Updates counts the gradient steps taken, Skipped those of the critic
	// or actor skipped because a gradient was not finite.
	Updates, Skipped int
	// Stored is the number of transitions in the replay buffer.
	Stored int
	// CriticLoss, ActorLoss and MeanQ are those of the last gradient step;
	// TargetMin and TargetMax the range of its clipped Q targets.
	CriticLoss, ActorLoss, MeanQ, TargetMin, TargetMax float64
}

// Accepts reports whether f provides goal-conditioned environments
// (task.GoalEnv) with continuous actions whose observations end with the
// desired goal, which is what the student relabels.
func Accepts(f task.Family) bool { return check(f) == nil }

// check returns what keeps f from being learned, or nil.
func check(f task.Family) error {
	ef, ok := f.(task.Episodic)
	if !ok {
		return errors.New("the family provides no environments to act in (task.Episodic)")
	}
	env := ef.NewEnv(rand.New(rand.NewPCG(0, 0)))
	ge, ok := env.(task.GoalEnv)
	if !ok {
		return errors.New("the family's environments are not goal-conditioned (task.GoalEnv)")
	}
	spec := env.Actions()
	if spec.Discrete != 0 || spec.Dims < 1 {
		return fmt.Errorf("the environment's actions %+v: want continuous dimensions", spec)
	}
	g, n := ge.GoalSize(), env.ObsSize()
	if g < 1 || n <= g {
		return fmt.Errorf("observations of %d values and goals of %d: want goals of at least one value and observations longer than goals", n, g)
	}
	tests := f.TestSet()
	if len(tests) == 0 {
		return errors.New("the family has no test task to check its observations with")
	}
	obs, goal := make([]float64, n), make([]float64, g)
	env.Reset(tests[0], obs)
	ge.DesiredGoal(goal)
	if !goalAtEnd(obs, goal) {
		return fmt.Errorf("observation %v does not end with the desired goal %v: the student relabels goals in observations laid out as (state, goal)", obs, goal)
	}
	return nil
}

func goalAtEnd(obs, goal []float64) bool {
	tail := obs[len(obs)-len(goal):]
	for i, v := range goal {
		if tail[i] != v {
			return false
		}
	}
	return true
}

// New returns a student for family f: its training environment made with
// rng.Env, its evaluation environment with rng.Eval, weights drawn from
// rng.Init, exploration and minibatches from rng.Batch.
func New(p Params, f task.Family, rng task.Streams) (*Student, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("her: %w", err)
	}
	if rng.Env == nil || rng.Init == nil || rng.Batch == nil || rng.Eval == nil {
		return nil, errors.New("her: the env, init, batch and eval streams must all be set")
	}
	if err := check(f); err != nil {
		return nil, fmt.Errorf("her: %w", err)
	}
	ef := f.(task.Episodic)
	env := ef.NewEnv(rng.Env).(task.GoalEnv)
	evEnv, ok := ef.NewEnv(rng.Eval).(task.GoalEnv)
	if !ok {
		return nil, errors.New("her: the family's environments are not all goal-conditioned")
	}
	s := &Student{p: p, env: env, evEnv: evEnv, batchRNG: rng.Batch}
	s.obsN, s.goalN, s.actN = env.ObsSize(), env.GoalSize(), env.Actions().Dims
	if evEnv.ObsSize() != s.obsN || evEnv.GoalSize() != s.goalN || evEnv.Actions() != env.Actions() {
		return nil, errors.New("her: the family's environments disagree on their sizes")
	}
	s.stateN = s.obsN - s.goalN
	s.ag = newAgent(p, s.obsN, s.actN, rng.Init)
	s.norm = newNormalizer(s.obsN, p.NormClip)
	s.buf = newBuffer(p.ReplaySize, s.stateN, s.goalN, s.actN)
	w := [numKinds]float64{p.RelabelReal, p.RelabelFuture, p.RelabelDesired, p.RelabelAchieved}
	total := w[0] + w[1] + w[2] + w[3]
	var acc float64
	for k := range w {
		acc += w[k] / total
		s.cum[k] = acc
	}
	s.cum[numKinds-1] = 1
	s.obs, s.obs2, s.x = make([]float64, s.obsN), make([]float64, s.obsN), make([]float64, s.obsN)
	s.act = make([]float64, s.actN)
	s.ach, s.goal = make([]float64, s.goalN), make([]float64, s.goalN)
	return s, nil
}

// Params returns the student's parameters.
func (s *Student) Params() Params { return s.p }

// Stats returns the student's counters.
func (s *Student) Stats() Stats {
	st := s.stats
	st.Updates, st.Skipped, st.Stored = s.ag.steps, s.ag.skipped, s.buf.size
	st.CriticLoss, st.ActorLoss, st.MeanQ = s.ag.lastCriticLoss, s.ag.lastActorLoss, s.ag.lastQ
	st.TargetMin, st.TargetMax = s.ag.lastTargetMin, s.ag.lastTgMax
	return st
}

// Learn plays one episode towards the goal of t, storing its transitions,
// then takes the gradient steps the episode's environment steps are owed
// (one per optimize_every steps, once warm_up transitions are stored). It
// returns the environment's outcome.
func (s *Student) Learn(t task.Task) task.Outcome {
	env, rng := s.env, s.batchRNG
	env.Reset(t, s.obs)
	env.DesiredGoal(s.goal)
	if !goalAtEnd(s.obs, s.goal) {
		panic(fmt.Sprintf("her: task %v: observation %v does not end with the desired goal %v", t, s.obs, s.goal))
	}
	explore := s.buf.size < s.p.InitialExplore
	reached := 0 // steps of this episode that ended within reach of the goal
	for {
		s.norm.update(s.obs)
		if explore {
			for j := range s.act {
				s.act[j] = 2*rng.Float64() - 1
			}
		} else {
			s.norm.apply(s.x, s.obs)
			s.ag.act(s.act, s.x)
			for j := range s.act {
				s.act[j] += s.p.ActionNoise * rng.NormFloat64()
			}
			if rng.Float64() < s.p.RandomAction+s.p.GoExplore*float64(reached) {
				for j := range s.act {
					s.act[j] = 2*rng.Float64() - 1
				}
			}
			for j, v := range s.act {
				s.act[j] = min(max(v, -1), 1)
			}
		}
		r, status := env.Step(s.act, s.obs2)
		env.AchievedGoal(s.ach)
		s.buf.add(s.obs[:s.stateN], s.act, s.obs2[:s.stateN], s.ach, s.goal)
		if r >= s.p.TerminalReward {
			reached++
		}
		s.obs, s.obs2 = s.obs2, s.obs
		s.envSteps++
		s.stats.Steps++
		if status.Done() {
			break
		}
	}
	s.buf.endEpisode()
	s.stats.Episodes++
	o := env.Outcome()
	s.train(o.Steps)
	return o
}

// train takes the gradient steps owed for n new environment steps.
func (s *Student) train(n int) {
	s.owed += float64(n) / s.p.OptimizeEvery
	if s.buf.size <= s.p.WarmUp {
		s.owed = 0 // as mrl, steps before the warm-up owe nothing
		return
	}
	for s.owed >= 1 {
		s.owed--
		s.gradientStep()
	}
}

// gradientStep samples a relabelled batch and takes one DDPG step.
func (s *Student) gradientStep() {
	rows := s.prepare()
	s.ag.update(s.bx, s.bxn, s.bt.action, s.rew, s.disc, rows)
}

// prepare samples a batch of relabelled transitions and computes the
// networks' normalised inputs before and after each step (state and goal),
// the rewards the goals give and the discounts (γ, or 0 when the reward
// makes the transition terminal). It returns the number of rows.
func (s *Student) prepare() int {
	rows := s.p.BatchSize
	cum := &s.cum
	if s.envSteps <= int64(s.p.FutureWarmUp) {
		cum = &futureOnly
	}
	s.buf.sample(&s.bt, rows, cum, s.batchRNG)
	n, sn, g := s.obsN, s.stateN, s.goalN
	s.bx, s.bxn = sized(s.bx, rows*n), sized(s.bxn, rows*n)
	s.rew, s.disc = sized(s.rew, rows), sized(s.disc, rows)
	s.in = sized(s.in, n)
	for r := range rows {
		goal := s.bt.goal[r*g : (r+1)*g]
		copy(s.in[:sn], s.bt.state[r*sn:(r+1)*sn])
		copy(s.in[sn:], goal)
		s.norm.apply(s.bx[r*n:(r+1)*n], s.in)
		copy(s.in[:sn], s.bt.next[r*sn:(r+1)*sn])
		s.norm.apply(s.bxn[r*n:(r+1)*n], s.in)
		rw := s.env.GoalReward(s.bt.ach[r*g:(r+1)*g], goal)
		s.rew[r] = rw
		s.disc[r] = s.p.Gamma
		if !s.p.NeverDone && rw >= s.p.TerminalReward {
			s.disc[r] = 0
		}
	}
	return rows
}

// futureOnly samples every transition with the future strategy.
var futureOnly = [numKinds]float64{0, 1, 1, 1}

// Evaluate plays the deterministic policy (no noise, no random actions)
// towards the goal of t in the evaluation environment, without learning.
func (s *Student) Evaluate(t task.Task) task.Outcome {
	env := s.evEnv
	env.Reset(t, s.obs)
	for {
		s.norm.apply(s.x, s.obs)
		s.ag.act(s.act, s.x)
		if _, status := env.Step(s.act, s.obs); status.Done() {
			break
		}
	}
	return env.Outcome()
}
