package ppo_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/ppo"
	"github.com/teachbench/teachbench/task"
)

// line is a family of one task: walk from cell 0 to cell 5 of a line
// (actions 0 left, 1 right) within 20 steps, seeing the one-hot position.
// Reaching the goal at step t pays 1 − 0.9·t/20.
type line struct{}

func (line) Spaces() []task.Space {
	d, _ := task.NewDiscrete([]string{"walk"}, nil, nil, nil)
	return []task.Space{d}
}
func (line) TestSet() []task.Task                      { return []task.Task{{}} }
func (line) Mastered(_ task.Task, o task.Outcome) bool { return o.Success }
func (line) NewEnv(*rand.Rand) task.Env                { return &lineEnv{} }

type lineEnv struct{ pos, t int }

func (e *lineEnv) ObsSize() int             { return 6 }
func (e *lineEnv) Actions() task.ActionSpec { return task.ActionSpec{Discrete: 2} }
func (e *lineEnv) Reset(_ task.Task, obs []float64) {
	e.pos, e.t = 0, 0
	e.observe(obs)
}

func (e *lineEnv) observe(obs []float64) {
	clear(obs[:6])
	obs[e.pos] = 1
}

func (e *lineEnv) Step(a, obs []float64) (float64, task.StepStatus) {
	e.t++
	if a[0] == 1 {
		e.pos++
	} else if e.pos > 0 {
		e.pos--
	}
	e.observe(obs)
	switch {
	case e.pos == 5:
		return 1 - 0.9*float64(e.t)/20, task.Terminated
	case e.t == 20:
		return 0, task.Truncated
	}
	return 0, task.Running
}

func (e *lineEnv) Outcome() task.Outcome {
	o := task.Outcome{Steps: e.t, Success: e.pos == 5}
	if o.Success {
		o.Return = 1 - 0.9*float64(e.t)/20
		o.Score = o.Return
	}
	return o
}

func Example() {
	p := ppo.DefaultParams()
	p.LR = 3e-3 // a tiny task learns fast with a large step
	p.NSteps = 64
	s := func(i uint64) *rand.Rand { return rand.New(rand.NewPCG(7, i)) }
	student, err := ppo.New(p, line{}, task.Streams{Env: s(1), Init: s(2), Batch: s(3), Eval: s(4)})
	if err != nil {
		panic(err)
	}
	for steps := 0; steps < 5000; {
		o := student.Learn(task.Task{})
		steps += o.Steps
	}
	o := student.Evaluate(task.Task{})
	fmt.Printf("greedy policy: success %v in %d steps\n", o.Success, o.Steps)
	// Output:
	// greedy policy: success true in 5 steps
}
