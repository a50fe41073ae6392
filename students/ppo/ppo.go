package ppo

import (
	"errors"
	"fmt"

	"github.com/teachbench/teachbench/task"
)

// Student is a PPO learner. It implements task.Student, task.Prober and
// task.ValueEstimator. It drives the same machinery as Agent from its own
// environments. It is not safe for concurrent use.
type Student struct {
	actorCritic
	rng  task.Streams
	env  task.Env // Learn and Probe
	eval task.Env // Evaluate and Value
	obs  []float64
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
	if err := checkSpec(obsSize, spec); err != nil {
		return nil, err
	}
	if eval.Actions() != spec || eval.ObsSize() != obsSize {
		return nil, errors.New("ppo: the family's environments disagree on their observation or action sizes")
	}
	s := &Student{rng: rng, env: env, eval: eval, obs: make([]float64, obsSize)}
	s.init(p, obsSize, spec, rng.Init)
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
		s.update(s.rng.Batch)
	}
	return o
}

// Probe plays one episode of t exactly as Learn does and reports the same
// signals, but forgets the episode: the student does not learn from it.
func (s *Student) Probe(t task.Task) task.Outcome {
	n := s.buf.n
	o := s.episode(t)
	s.buf.truncate(n)
	s.start = n
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
		s.forwardAct(s.obs)
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
	s.forwardAct(s.obs)
	return s.act.value[0]
}

// episode plays t on the learning environment, records its transitions in
// the rollout with their GAE advantages, and returns the outcome with its
// signals.
func (s *Student) episode(t task.Task) task.Outcome {
	env := s.env
	env.Reset(t, s.obs)
	s.begin()
	for {
		act := s.record(s.obs, s.rng.Batch)
		r, status := env.Step(act, s.obs)
		s.buf.reward[s.buf.n-1] = r
		if status.Done() {
			e := s.finish(status, s.obs)
			o := env.Outcome()
			o.SetSignal(task.PositiveValueLoss, e.PositiveValueLoss)
			o.SetSignal(task.L1ValueLoss, e.L1ValueLoss)
			o.SetSignal(task.MeanAbsAdvantage, e.L1ValueLoss)
			o.SetSignal(task.MeanValue, e.MeanValue)
			o.SetSignal(task.ValueEstimate, e.FirstValue)
			return o
		}
	}
}
