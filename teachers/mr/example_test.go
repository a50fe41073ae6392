package mr_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/mr"
)

// Before any data, MR puts its attention on the root of the ObstructedMaze
// graph and passes 5% of it forward, split between the root's two
// successors (a test vector of the reference implementation).
func ExampleNew() {
	names := []string{"1Dl", "1Dlh", "2Dl", "1Dlhb", "2Dlh", "2Dlhb", "1Q", "2Q", "Full"}
	var edges []task.Edge
	for _, e := range [][2]int{{0, 1}, {0, 2}, {1, 3}, {1, 4}, {2, 4}, {3, 5}, {4, 5}, {5, 6}, {6, 7}, {7, 8}} {
		edges = append(edges, task.Edge{From: e[0], To: e[1]})
	}
	lo, hi := make([]float64, len(names)), make([]float64, len(names))
	for i := range hi {
		hi[i] = 0.5 // the reference's prior on MiniGrid returns
	}
	space, err := task.NewDiscrete(names, edges, lo, hi)
	if err != nil {
		panic(err)
	}
	t, err := mr.New(mr.DefaultParams(), space, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		panic(err)
	}
	for i, p := range t.Probabilities(nil) {
		fmt.Printf("%-5s %.3f\n", names[i], p)
	}
	// Output:
	// 1Dl   0.950
	// 1Dlh  0.025
	// 2Dl   0.025
	// 1Dlhb 0.000
	// 2Dlh  0.000
	// 2Dlhb 0.000
	// 1Q    0.000
	// 2Q    0.000
	// Full  0.000
}
