package memory_test

import (
	"fmt"

	"github.com/teachbench/teachbench/envs/memory"
	"github.com/teachbench/teachbench/task"
)

// A batch of N-DMS for the group N = 2, 4 (task indices 0 and 2): one
// sequence length for the batch, drawn from N+2..4N+1 of the largest N, and
// one target per task of the group.
func ExampleSequence() {
	f, err := memory.NewDMS(memory.DefaultDMSParams())
	if err != nil {
		panic(err)
	}
	data := f.NewData(nil)
	var b task.Batch
	data.Batch(&b, task.Task{Index: 2, Group: []int{0, 2}, Seed: 7}, 3)
	for i := range b.Size {
		fmt.Println(b.X[i*b.SeqLen:(i+1)*b.SeqLen], "N=2:", b.Y[i*2], "N=4:", b.Y[i*2+1])
	}
	// Output:
	// [1 1 0 1 1 1 1 0 1 0 0 0] N=2: 1 N=4: 0
	// [1 0 0 1 1 0 1 0 1 1 1 1] N=2: 1 N=4: 1
	// [1 1 1 1 0 1 0 1 1 1 0 1] N=2: 0 N=4: 1
}
