package goalgan_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/goalgan"
)

// GoalGAN teaching a student whose chance of success falls from 1 to 0
// between distances 0.3 and 0.5 from the origin: the goals it labels as of
// intermediate difficulty lie on that ring, and after a few trainings on them
// the generator proposes goals there. (Small networks and short trainings
// keep the example quick.)
func Example() {
	space, _ := task.NewBox(task.Dim{Name: "x", Lo: 0, Hi: 1}, task.Dim{Name: "y", Lo: 0, Hi: 1})
	p := goalgan.DefaultParams()
	p.GeneratorSizes, p.DiscriminatorSizes = []int{32, 32}, []int{32, 32}
	p.PretrainIters, p.GANIters = 200, 100
	p.InitialMean, p.InitialStd = []float64{0.2, 0.2}, []float64{0.1, 0.1} // where the student succeeds at first
	rng := rand.New(rand.NewPCG(1, 2))
	teacher, err := goalgan.New(p, space, rng)
	if err != nil {
		panic(err)
	}
	for range 3000 {
		t := teacher.Sample(rng)
		pSuccess := min(max((0.5-math.Hypot(t.Params[0], t.Params[1]))/0.2, 0), 1)
		teacher.Update(t, task.Outcome{Success: rng.Float64() < pSuccess, Steps: 1})
	}
	s := teacher.Stats()
	fmt.Println("GAN trained:", s.Trainings > 0)
	onRing := 0
	goals := teacher.Generate(100, rng)
	for _, g := range goals {
		if r := math.Hypot(g[0], g[1]); r > 0.3 && r < 0.5 {
			onRing++
		}
	}
	fmt.Printf("generated goals on the ring: %d%%\n", onRing)
	// Output:
	// GAN trained: true
	// generated goals on the ring: 100%
}
