package task

import "math/rand/v2"

// Episodic is a family whose students act step by step in environment
// instances (reinforcement learning).
type Episodic interface {
	Family
	// NewEnv returns a new environment instance. rng supplies any
	// randomness that a task's seed does not fix (most environments draw
	// everything from the seed and ignore it).
	NewEnv(rng *rand.Rand) Env
}

// ActionSpec describes an environment's actions: either Discrete actions
// numbered 0..Discrete-1, or a continuous vector of Dims values in [-1, 1].
// Exactly one of the two is non-zero.
type ActionSpec struct {
	Discrete int
	Dims     int
}

// Len returns the length of the action slice passed to Env.Step: 1 for
// discrete actions, Dims for continuous ones.
func (a ActionSpec) Len() int {
	if a.Discrete > 0 {
		return 1
	}
	return a.Dims
}

// StepStatus tells whether an episode goes on after a step.
type StepStatus int

const (
	// Running means the episode goes on.
	Running StepStatus = iota
	// Terminated means the episode reached a terminal state (goal reached,
	// walker fell): nothing follows, its value is zero.
	Terminated
	// Truncated means the episode was cut by a time limit: a learner may
	// bootstrap from the value of the last observation.
	Truncated
)

// Done reports whether the episode has ended.
func (s StepStatus) Done() bool { return s != Running }

// Env is one environment instance. It is not safe for concurrent use; a
// student may hold several to run rollouts in parallel. Observations are flat
// float64 vectors of ObsSize values written into caller-owned slices, so that
// stepping allocates nothing.
type Env interface {
	// ObsSize returns the length of an observation.
	ObsSize() int
	// Actions describes the actions Step accepts.
	Actions() ActionSpec
	// Reset starts an episode of task t and writes the first observation
	// into obs.
	Reset(t Task, obs []float64)
	// Step applies an action and writes the next observation into obs.
	// For discrete actions, action[0] holds the action's number; for
	// continuous ones, action holds the vector. It returns the reward of the
	// step and whether the episode goes on.
	Step(action, obs []float64) (reward float64, status StepStatus)
	// Outcome returns the outcome of the current episode so far (return,
	// normalised score, success, steps), as the teacher will see it.
	Outcome() Outcome
}

// Prober is implemented by students that can play a task without learning
// from it while still reporting the learning signals a teacher needs (the
// value losses of PLR's scores). Robust PLR asks for it on new levels so that
// the student learns only from replayed ones; see Task.Probe.
type Prober interface {
	Probe(t Task) Outcome
}

// GoalEnv is implemented by environments of goal-conditioned families, for
// students that relabel goals in hindsight (HER). Goals are vectors of
// GoalSize values in the family's goal space.
type GoalEnv interface {
	Env
	// GoalSize returns the length of a goal.
	GoalSize() int
	// DesiredGoal writes the goal of the current episode into dst.
	DesiredGoal(dst []float64)
	// AchievedGoal writes the goal achieved in the current state into dst.
	AchievedGoal(dst []float64)
	// GoalReward returns the reward a step that ends in a state achieving
	// achieved would earn if the goal were desired, so that a transition
	// can be relabelled with another goal.
	GoalReward(achieved, desired []float64) float64
}

// Clocked is implemented by families that change during a run (a wall that
// opens after some training, to test how teachers recover). The runner calls
// Tick after every training episode with the budget spent so far; the family
// changes the environments it provides accordingly. Evaluation does not
// advance the clock.
type Clocked interface {
	Tick(episodes, steps int64)
}

// Builder is an environment whose episodes construct a level step by step,
// for adversarial teachers (PAIRED): each action places one element, and once
// the episode has ended Level returns the level built. Its step rewards are
// zero; the teacher rewards a construction with the regret it measures
// afterwards. Reset's task supplies the seed of the episode's randomness
// (the adversary's noise vector, tie-breaking placements).
type Builder interface {
	Env
	// Level returns the encoding of the level built by the last episode.
	Level() []byte
}

// Constructible is implemented by Levels spaces whose levels an adversary can
// build step by step.
type Constructible interface {
	Levels
	// NewBuilder returns a new construction environment; rng supplies any
	// randomness the tasks' seeds do not fix.
	NewBuilder(rng *rand.Rand) Builder
}
