package task

import (
	"math/rand/v2"
)

// Teacher proposes tasks and adapts to the outcomes.
//
// Sample draws the next task using rng. Update receives each task the teacher
// proposed together with the student's outcome, in order. Teachers need not be
// safe for concurrent use: the runner drives each one from a single goroutine.
//
// The runner only passes outcomes that pass Outcome.Check. A teacher used
// outside the runner must still never corrupt its state on a bad outcome: each
// teacher's package documents its policy (typically, outcomes whose signal is
// not finite are ignored).
type Teacher interface {
	Sample(rng *rand.Rand) Task
	Update(t Task, o Outcome)
}

// Student learns from tasks. Learn plays (or trains on) the task and updates
// the student; Evaluate plays it without learning.
type Student interface {
	Learn(t Task) Outcome
	Evaluate(t Task) Outcome
}

// Family is a procedurally parameterised environment family: it names the spaces
// a teacher may propose from, the test set a student is evaluated on, and the
// rule that decides whether a test task is mastered.
//
// A family provides instances of one modality for its students through an
// optional interface; today that is Synthetic (a closed-form learner model).
// RL episodes and supervised batches are added alongside it by the families
// that need them.
type Family interface {
	// Spaces returns the views a teacher may propose from, in order of
	// preference. Every family has at least one.
	Spaces() []Space
	// TestSet returns the default test tasks. The caller must not modify them.
	TestSet() []Task
	// Mastered reports whether the outcome of evaluating test task t meets
	// the family's mastery rule.
	Mastered(t Task, o Outcome) bool
}

// Synthetic is a family whose learner is a closed-form model of competence
// (the toy grid of the teacher-algorithms paper, curriculum graphs with known
// ground truth). NewStudent returns a fresh learner that draws any randomness
// it needs from the given streams.
type Synthetic interface {
	Family
	NewStudent(rng Streams) Student
}

// Streams are the independent random streams of one run. Each is seeded from
// (sweep seed, canonical run key, stream name), so an extra draw in one
// component never shifts the draws of another.
type Streams struct {
	// Teacher drives the teacher's sampling and updates.
	Teacher *rand.Rand
	// Env drives the environment (layout noise, reward noise).
	Env *rand.Rand
	// Init initialises the student's parameters.
	Init *rand.Rand
	// Batch drives the student's minibatches and exploration.
	Batch *rand.Rand
	// Eval drives evaluation episodes.
	Eval *rand.Rand
}

// StreamNames lists the stream names hashed into each stream's seed, in the
// order of the Streams fields.
var StreamNames = []string{"teacher", "env", "init", "batch", "eval"}

// StudentAware is implemented by teachers that need to query the student they
// teach, such as SPDL, which weighs contexts by the student's value estimates.
// The runner calls SetStudent once, after building both and before the first
// Sample. Teachers must only query the student (never make it learn).
type StudentAware interface {
	SetStudent(s Student)
}

// ValueEstimator is implemented by students that can estimate the expected
// return of a task before playing it (the value of its initial state), for
// teachers such as SPDL. Value must not change the student.
type ValueEstimator interface {
	Value(t Task) float64
}

// StudentOwner is implemented by teachers that train students of their own,
// such as PAIRED's antagonist. The runner calls SetStudentFactory once, after
// building the teacher: newStudent(name) returns a fresh student of the run's
// kind and parameters, on the run's family, whose random streams derive from
// the run's key and name, so that a teacher's students are reproducible too.
type StudentOwner interface {
	SetStudentFactory(newStudent func(name string) (Student, error))
}

// StepCounter is implemented by teachers that spend environment steps of
// their own (an antagonist's episodes, an adversary's construction steps).
// The budget counts only the run's student; the runner records these counts
// separately — in run.json and as eval.csv columns named steps_<name> — so
// that comparisons can be made at equal student steps or at equal total
// steps.
type StepCounter interface {
	// StepNames names the counters.
	StepNames() []string
	// CountSteps fills dst, of len(StepNames()), with the cumulative counts.
	CountSteps(dst []int64)
}
