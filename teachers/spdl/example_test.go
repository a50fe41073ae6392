package spdl_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/spdl"
)

// critic is a student whose value estimate grows with the first task
// parameter, as a learned critic's might.
type critic struct{}

func (critic) Learn(t task.Task) task.Outcome { return task.Outcome{Return: t.Params[0], Steps: 100} }
func (critic) Evaluate(t task.Task) task.Outcome {
	return task.Outcome{Return: t.Params[0], Steps: 100}
}
func (critic) Value(t task.Task) float64 { return 10 * t.Params[0] }

// SPDL moves its context distribution towards the contexts the student's
// critic values most. Episodes of 100 steps with update_frequency 2000 give
// one update every 20 episodes.
func Example() {
	space, _ := task.NewBox(task.Dim{Name: "x", Lo: 0, Hi: 1}, task.Dim{Name: "y", Lo: 0, Hi: 1})
	p := spdl.DefaultParams()
	p.UpdateOffset, p.UpdateFrequency = 2000, 2000
	p.InitialMean, p.InitialStd = []float64{0.2, 0.5}, []float64{0.1, 0.1}
	rng := rand.New(rand.NewPCG(1, 2))
	teacher, err := spdl.New(p, space, rng)
	if err != nil {
		panic(err)
	}
	var student critic
	teacher.SetStudent(student) // the runner does this for task.StudentAware teachers
	for range 1000 {
		t := teacher.Sample(rng)
		teacher.Update(t, student.Learn(t))
	}
	fmt.Printf("%d updates; the mean moved from x = 0.2 to x > 0.4: %v\n", teacher.Iterations(), teacher.Mean()[0] > 0.4)
	// Output:
	// 50 updates; the mean moved from x = 0.2 to x > 0.4: true
}
