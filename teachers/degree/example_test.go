package degree_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/degree"
)

// The Degree-Curriculum on the radii k = 0..16 of a 16-dimensional cube
// with leap 4: the ball widens after each epoch whose mean training loss is
// below eps, and the curriculum is done when that happens on the whole cube.
func ExampleNew() {
	names := make([]string, 17)
	for k := range names {
		names[k] = fmt.Sprintf("k=%d", k)
	}
	radii, err := task.NewDiscrete(names, nil, nil, nil)
	if err != nil {
		panic(err)
	}
	p := degree.DefaultParams()
	p.EpochBatches = 5
	tc, err := degree.New(p, radii, nil)
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for epoch := range 5 {
		t := tc.Sample(rng)
		fmt.Printf("epoch %d: radius %d\n", epoch, t.Index)
		for range p.EpochBatches {
			// A student whose training MSE is 1e-4, below eps = 1e-3.
			tc.Update(tc.Sample(rng), task.Outcome{Return: -1e-4, Score: 1, Steps: 1})
		}
	}
	fmt.Println("done:", tc.Done(), "at outcome", tc.StopBatch(), "widened at", tc.Advances())
	// Output:
	// epoch 0: radius 4
	// epoch 1: radius 8
	// epoch 2: radius 12
	// epoch 3: radius 16
	// epoch 4: radius 16
	// done: true at outcome 20 widened at [5 10 15]
}
