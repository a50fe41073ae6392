package ars_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/ars"
	"github.com/teachbench/teachbench/task"
)

// line is a family of one-step tasks: the observation is a target in
// [−1, 1] (the task's parameter), and the action a earns −(a − target)².
type line struct{}

func (line) Spaces() []task.Space {
	b, _ := task.NewBox(task.Dim{Name: "target", Lo: -1, Hi: 1})
	return []task.Space{b}
}
func (line) TestSet() []task.Task                      { return []task.Task{{Params: []float64{0.5}}} }
func (line) Mastered(_ task.Task, o task.Outcome) bool { return o.Success }
func (line) NewEnv(*rand.Rand) task.Env                { return new(lineEnv) }

type lineEnv struct{ target, ret float64 }

func (e *lineEnv) ObsSize() int             { return 1 }
func (e *lineEnv) Actions() task.ActionSpec { return task.ActionSpec{Dims: 1} }
func (e *lineEnv) Reset(t task.Task, obs []float64) {
	e.target, e.ret = t.Params[0], 0
	obs[0] = e.target
}
func (e *lineEnv) Step(a, obs []float64) (float64, task.StepStatus) {
	e.ret = -(a[0] - e.target) * (a[0] - e.target)
	obs[0] = e.target
	return e.ret, task.Terminated
}
func (e *lineEnv) Outcome() task.Outcome {
	return task.Outcome{Return: e.ret, Score: 1 + e.ret/4, Success: e.ret > -0.01, Steps: 1}
}

// ARS learns to output its observation. Each Learn call is one iteration:
// 2N one-step episodes of the task, then the update.
func Example() {
	p := ars.DefaultParams()
	p.NormalizeObs = false // the target's sign matters, not its deviation from the mean
	stream := func(i uint64) *rand.Rand { return rand.New(rand.NewPCG(1, i)) }
	s, err := ars.New(p, line{}, task.Streams{Teacher: stream(0), Env: stream(1), Init: stream(2), Batch: stream(3), Eval: stream(4)})
	if err != nil {
		panic(err)
	}
	test := task.Task{Params: []float64{0.5}}
	fmt.Printf("before: return %.3f\n", s.Evaluate(test).Return)
	rng := rand.New(rand.NewPCG(2, 3))
	var o task.Outcome
	for range 100 {
		o = s.Learn(task.Task{Params: []float64{2*rng.Float64() - 1}})
	}
	fmt.Printf("last iteration: %d episodes, %d steps\n", 2*p.Directions, o.Steps)
	fmt.Printf("after: return %.4f, weight %.3f\n", s.Evaluate(test).Return, s.Weights()[0])
	// Output:
	// before: return -0.250
	// last iteration: 16 episodes, 16 steps
	// after: return -0.0000, weight 1.001
}
