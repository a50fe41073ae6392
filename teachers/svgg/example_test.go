package svgg_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/svgg"
)

// SVGG proposing goals in the plane to a made-up student that reaches every
// goal within 2 of the origin: once its models are fitted, the particles
// gather around the frontier of what the student can reach.
func Example() {
	space, _ := task.NewBox(task.Dim{Name: "x", Lo: -4, Hi: 4}, task.Dim{Name: "y", Lo: -4, Hi: 4})
	p := svgg.DefaultParams()
	p.SPEvery, p.ValidityEvery = 1500, 1500 // refit every 50 episodes of 30 steps
	p.ValiditySamples, p.SPEpochs = 500, 20 // quicker fits than the reference's
	teacher, err := svgg.New(p, space, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 400 {
		t := teacher.Sample(rng)
		x, y := t.Params[0], t.Params[1]
		r := math.Hypot(x, y)
		reached := []float64{x, y}
		if r > 2 { // the student stops at the frontier
			reached[0], reached[1] = 2*x/r, 2*y/r
		}
		teacher.Update(t, task.Outcome{Success: r < 2, Steps: 30, Achieved: reached})
	}
	var near int
	for _, g := range teacher.Particles() {
		if r := math.Hypot(g[0], g[1]); r > 1.5 && r < 3 {
			near++
		}
	}
	st := teacher.Stats()
	fmt.Printf("%d particle updates, %d predictor fits, %d validity fits\n", st.SVGDSteps, st.PredictorFits, st.ValidityFits)
	fmt.Printf("%d of %d particles between radius 1.5 and 3\n", near, p.Particles)
	fmt.Printf("predicted success: %.2f at the origin, %.2f far out\n",
		teacher.PredictedSuccess([]float64{0, 0}), teacher.PredictedSuccess([]float64{3.5, 3.5}))
	// Output:
	// 451 particle updates, 7 predictor fits, 8 validity fits
	// 98 of 100 particles between radius 1.5 and 3
	// predicted success: 1.00 at the origin, 0.00 far out
}
