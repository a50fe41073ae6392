package ars

import (
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Small environments for the tests. Students must not import env families,
// so these stand in for them.

// fakeFamily is an episodic family over a 1-D Box whose environments come
// from newEnv.
type fakeFamily struct {
	newEnv func() task.Env
}

func (f fakeFamily) Spaces() []task.Space {
	b, err := task.NewBox(task.Dim{Name: "goal", Lo: -1, Hi: 1})
	if err != nil {
		panic(err)
	}
	return []task.Space{b}
}

func (f fakeFamily) TestSet() []task.Task {
	tests := make([]task.Task, 9)
	for i := range tests {
		tests[i] = task.Task{Params: []float64{-1 + float64(i)/4}, Seed: uint64(i)}
	}
	return tests
}

func (f fakeFamily) Mastered(_ task.Task, o task.Outcome) bool { return o.Success }
func (f fakeFamily) NewEnv(*rand.Rand) task.Env                { return f.newEnv() }

// tracker keeps the outcome of the current episode.
type tracker struct {
	ret   float64
	steps int
}

func (e *tracker) outcome(success bool) task.Outcome {
	return task.Outcome{Return: e.ret, Score: min(max(1+e.ret/10, 0), 1), Success: success, Steps: e.steps}
}

// quadratic is a one-step task: the observation is obs, the action a (one
// value) earns −(a − target)².
type quadratic struct {
	tracker
	obs    []float64
	target float64
}

func (q *quadratic) ObsSize() int             { return len(q.obs) }
func (q *quadratic) Actions() task.ActionSpec { return task.ActionSpec{Dims: 1} }
func (q *quadratic) Outcome() task.Outcome    { return q.outcome(q.ret > -0.01) }
func (q *quadratic) Reset(_ task.Task, obs []float64) {
	q.tracker = tracker{}
	copy(obs, q.obs)
}

func (q *quadratic) Step(a, obs []float64) (float64, task.StepStatus) {
	r := -(a[0] - q.target) * (a[0] - q.target)
	q.ret += r
	q.steps++
	copy(obs, q.obs)
	return r, task.Terminated
}

// reach is a 1-D point-reaching task: a point starts at a position drawn
// from the task's seed in [−1, 1] and must reach the goal Params[0]. Each
// action moves it by 0.2·a; each step costs the remaining distance; the
// episode is truncated after horizon steps. The observation is the offset
// goal − position.
type reach struct {
	tracker
	horizon   int
	pos, goal float64
	seen      [][]float64 // observations returned, if record is set
	record    bool
}

func newReach() task.Env { return &reach{horizon: 20} }

func (e *reach) ObsSize() int             { return 1 }
func (e *reach) Actions() task.ActionSpec { return task.ActionSpec{Dims: 1} }
func (e *reach) Outcome() task.Outcome    { return e.outcome(math.Abs(e.goal-e.pos) < 0.05) }

func (e *reach) Reset(t task.Task, obs []float64) {
	e.tracker = tracker{}
	e.goal = t.Params[0]
	var g rand.PCG // a value, so that resetting allocates nothing
	g.Seed(t.Seed, 7)
	e.pos = 2*float64(g.Uint64()>>11)/(1<<53) - 1
	e.observe(obs)
}

func (e *reach) observe(obs []float64) {
	obs[0] = e.goal - e.pos
	if e.record {
		e.seen = append(e.seen, []float64{obs[0]})
	}
}

func (e *reach) Step(a, obs []float64) (float64, task.StepStatus) {
	if math.IsNaN(a[0]) || math.Abs(a[0]) > 1 {
		panic("reach: action outside [-1, 1]")
	}
	e.pos += 0.2 * a[0]
	e.steps++
	r := -math.Abs(e.goal - e.pos)
	e.ret += r
	e.observe(obs)
	if e.steps == e.horizon {
		return r, task.Truncated
	}
	return r, task.Running
}

// constant pays reward every step for horizon steps whatever the action.
type constant struct {
	tracker
	reward  float64
	horizon int
}

func (c *constant) ObsSize() int             { return 3 }
func (c *constant) Actions() task.ActionSpec { return task.ActionSpec{Dims: 2} }
func (c *constant) Outcome() task.Outcome    { return c.outcome(false) }
func (c *constant) Reset(_ task.Task, obs []float64) {
	c.tracker = tracker{}
	obs[0], obs[1], obs[2] = 1, 2, 3
}
func (c *constant) Step(_, obs []float64) (float64, task.StepStatus) {
	c.steps++
	c.ret += c.reward
	obs[0], obs[1], obs[2] = 1, 2, float64(c.steps)
	if c.steps == c.horizon {
		return c.reward, task.Terminated
	}
	return c.reward, task.Running
}

// discrete has discrete actions, which ARS cannot drive.
type discrete struct{ constant }

func (d *discrete) Actions() task.ActionSpec { return task.ActionSpec{Discrete: 3} }

// notEpisodic is a family without environments.
type notEpisodic struct{}

func (notEpisodic) Spaces() []task.Space                  { return fakeFamily{}.Spaces() }
func (notEpisodic) TestSet() []task.Task                  { return nil }
func (notEpisodic) Mastered(task.Task, task.Outcome) bool { return false }
