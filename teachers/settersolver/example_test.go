package settersolver_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/settersolver"
)

// Setter-Solver teaching a student that succeeds within 0.5 of the origin.
// After training, Generate shows the setter's goals for a requested
// feasibility, and Feasibility the judge's prediction at a task.
func Example() {
	space, _ := task.NewBox(task.Dim{Name: "x", Lo: 0, Hi: 1}, task.Dim{Name: "y", Lo: 0, Hi: 1})
	p := settersolver.DefaultParams()
	p.SetterHiddenSize = 16 // a small setter keeps the example quick
	rng := rand.New(rand.NewPCG(1, 2))
	teacher, err := settersolver.New(p, space, rng)
	if err != nil {
		panic(err)
	}
	for range 2000 {
		t := teacher.Sample(rng)
		teacher.Update(t, task.Outcome{Success: math.Hypot(t.Params[0], t.Params[1]) < 0.5, Steps: 1})
	}
	fmt.Println("setter steps:", teacher.Stats().SetterSteps)
	goals := teacher.Generate(0.9, 3, rng)
	fmt.Println("goals for f = 0.9:", len(goals))
	fmt.Println("judge more confident near the origin:", teacher.Feasibility([]float64{0.1, 0.1}) > teacher.Feasibility([]float64{0.9, 0.9}))
	// Output:
	// setter steps: 40
	// goals for f = 0.9: 3
	// judge more confident near the origin: true
}
