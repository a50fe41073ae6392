package timescale_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/timescale"
)

// masterAll is a student that answers every evaluation with 99% accuracy.
type masterAll struct{}

func (masterAll) Learn(task.Task) task.Outcome {
	return task.Outcome{Score: 0.5, Return: -0.7, Steps: 1}
}
func (masterAll) Evaluate(task.Task) task.Outcome { return task.Outcome{Score: 0.99, Steps: 1} }

// The multi-head curriculum over the chain N = 2..6 with 10-batch epochs:
// every evaluation passes the advance rule, so each epoch appends the next N
// to the list, whose k-th task the student answers with head k.
func ExampleNewMulti() {
	chain, err := task.NewDiscrete([]string{"N=2", "N=3", "N=4", "N=5", "N=6"}, nil, nil, nil)
	if err != nil {
		panic(err)
	}
	p := timescale.DefaultMultiParams()
	p.EpochBatches, p.EvalBatches = 10, 2
	rng := rand.New(rand.NewPCG(1, 2))
	tc, err := timescale.NewMulti(p, chain, rng)
	if err != nil {
		panic(err)
	}
	var s masterAll
	tc.SetStudent(s)
	for epoch := range 5 {
		t := tc.Sample(rng)
		fmt.Printf("epoch %d: group %v, focus %d\n", epoch, t.Group, t.Index)
		for range p.EpochBatches {
			t := tc.Sample(rng)
			tc.Update(t, s.Learn(t))
		}
	}
	fmt.Println("done:", tc.Done(), "advances:", len(tc.Advances()))
	// Output:
	// epoch 0: group [0], focus 0
	// epoch 1: group [0 1], focus 1
	// epoch 2: group [0 1 2], focus 2
	// epoch 3: group [0 1 2 3], focus 3
	// epoch 4: group [0 1 2 3 4], focus 4
	// done: true advances: 4
}
