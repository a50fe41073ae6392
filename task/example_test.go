package task_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

func ExampleBox() {
	// The Stump Tracks space: stump height (easy when low) and spacing
	// between obstacles (easy when wide).
	box, err := task.NewBox(
		task.Dim{Name: "stump_height", Lo: 0, Hi: 3, Easy: task.EasyLo},
		task.Dim{Name: "obstacle_spacing", Lo: 0, Hi: 6, Easy: task.EasyHi},
	)
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := box.Uniform(nil, rng)
	fmt.Println(box, box.Contains(x))
	y := []float64{4, -1}
	box.Clip(y)
	fmt.Println(y)
	// Output:
	// box(stump_height∈[0,3] obstacle_spacing∈[0,6]) true
	// [3 0]
}

func ExampleNewDiscrete() {
	// A chain of three tasks with a distractor that has no prerequisites.
	d, err := task.NewDiscrete([]string{"easy", "medium", "hard", "distractor"},
		[]task.Edge{{From: 0, To: 1}, {From: 1, To: 2}}, nil, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Predecessors(2), d.Successors(0))
	_, err = task.NewDiscrete([]string{"a", "b"}, []task.Edge{{From: 0, To: 1}, {From: 1, To: 0}}, nil, nil)
	fmt.Println(err)
	// Output:
	// [1] [1]
	// task: prerequisite graph has a cycle: a → b → a
}
