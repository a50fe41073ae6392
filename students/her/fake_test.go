package her

import (
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Small goal-conditioned environments for the tests: students must not
// import env families, so these stand in for them.

// reachFamily is an episodic family over goals in [−1, 1]² whose
// environments come from newEnv.
type reachFamily struct {
	newEnv func() task.Env
}

func (f reachFamily) Spaces() []task.Space {
	b, err := task.NewBox(task.Dim{Name: "x", Lo: -1, Hi: 1}, task.Dim{Name: "y", Lo: -1, Hi: 1})
	if err != nil {
		panic(err)
	}
	return []task.Space{b}
}

// TestSet returns a 4×4 grid of goals over [−0.9, 0.9]².
func (f reachFamily) TestSet() []task.Task {
	var tests []task.Task
	for i := range 4 {
		for j := range 4 {
			g := []float64{-0.9 + 0.6*float64(i), -0.9 + 0.6*float64(j)}
			tests = append(tests, task.Task{Params: g, Seed: uint64(len(tests))})
		}
	}
	return tests
}

func (f reachFamily) Mastered(_ task.Task, o task.Outcome) bool { return o.Success }
func (f reachFamily) NewEnv(*rand.Rand) task.Env                { return f.newEnv() }

// reach is a 2-D point that starts near the origin (the task's seed moves
// it by up to 0.1 per axis) and must come within 0.15 of the goal: each
// action moves it by 0.25·a, each step pays 0 within reach and −1
// otherwise, episodes last 12 steps and succeed at the first visit. The
// observation is (x, y, goal x, goal y).
type reach struct {
	src       rand.PCG
	pos, goal [2]float64
	t         int
	ret       float64
	success   bool
	final     [2]float64
}

func newReach() task.Env { return &reach{} }

func (e *reach) ObsSize() int             { return 4 }
func (e *reach) GoalSize() int            { return 2 }
func (e *reach) Actions() task.ActionSpec { return task.ActionSpec{Dims: 2} }

func (e *reach) Reset(t task.Task, obs []float64) {
	e.src.Seed(t.Seed, 11)
	u := func() float64 { return float64(e.src.Uint64()>>11) / (1 << 53) }
	e.pos = [2]float64{0.2*u() - 0.1, 0.2*u() - 0.1}
	e.goal = [2]float64{t.Params[0], t.Params[1]}
	e.t, e.ret, e.success = 0, 0, false
	e.observe(obs)
}

func (e *reach) observe(obs []float64) {
	obs[0], obs[1], obs[2], obs[3] = e.pos[0], e.pos[1], e.goal[0], e.goal[1]
}

func (e *reach) Step(a, obs []float64) (float64, task.StepStatus) {
	for i := range 2 {
		if math.IsNaN(a[i]) || math.Abs(a[i]) > 1 {
			panic("reach: action outside [-1, 1]")
		}
		e.pos[i] += 0.25 * a[i]
	}
	e.t++
	r := e.GoalReward(e.pos[:], e.goal[:])
	e.ret += r
	if r == 0 {
		e.success = true
	}
	e.observe(obs)
	if e.t >= 12 {
		return r, task.Truncated
	}
	return r, task.Running
}

func (e *reach) Outcome() task.Outcome {
	e.final = e.pos
	return task.Outcome{Return: e.ret, Score: 1 + e.ret/12, Success: e.success, Steps: e.t, Achieved: e.final[:]}
}

func (e *reach) DesiredGoal(dst []float64)  { dst[0], dst[1] = e.goal[0], e.goal[1] }
func (e *reach) AchievedGoal(dst []float64) { dst[0], dst[1] = e.pos[0], e.pos[1] }

func (e *reach) GoalReward(achieved, desired []float64) float64 {
	if math.Hypot(achieved[0]-desired[0], achieved[1]-desired[1]) < 0.15 {
		return 0
	}
	return -1
}

// goalFirst is reach with the goal at the start of its observation, which
// the student cannot relabel.
type goalFirst struct{ reach }

func (e *goalFirst) Reset(t task.Task, obs []float64) {
	e.reach.Reset(t, obs)
	obs[0], obs[1], obs[2], obs[3] = obs[2], obs[3], obs[0], obs[1]
}

// plain is reach without the GoalEnv methods.
type plain struct{ r reach }

func (e *plain) ObsSize() int                                     { return 4 }
func (e *plain) Actions() task.ActionSpec                         { return task.ActionSpec{Dims: 2} }
func (e *plain) Reset(t task.Task, obs []float64)                 { e.r.Reset(t, obs) }
func (e *plain) Step(a, obs []float64) (float64, task.StepStatus) { return e.r.Step(a, obs) }
func (e *plain) Outcome() task.Outcome                            { return e.r.Outcome() }

// discrete is reach with discrete actions.
type discrete struct{ reach }

func (e *discrete) Actions() task.ActionSpec { return task.ActionSpec{Discrete: 4} }
