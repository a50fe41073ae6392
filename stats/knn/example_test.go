package knn_test

import (
	"fmt"

	"github.com/teachbench/teachbench/stats/knn"
)

// This example follows the ALP-GMM pattern: for each new task, find the
// nearest earlier task, then record the new one.
func Example() {
	tasks := [][]float64{
		{0, 0}, {1, 1}, {0, 0}, {0.9, 1}, {0.2, 0.1}, {0, 0},
	}
	t := knn.New(2)
	for _, task := range tasks {
		if i, d2 := t.Nearest(task); i >= 0 {
			fmt.Printf("%v: nearest earlier task %d %v at squared distance %.2f\n", task, i, t.Point(i), d2)
		}
		t.Insert(task)
	}
	// Keep only the last three tasks searchable.
	t.Rebuild(t.Len() - 3)
	i, _ := t.Nearest([]float64{1, 1})
	fmt.Println("after Rebuild, nearest to (1, 1):", i, t.Point(i))
	// Output:
	// [1 1]: nearest earlier task 0 [0 0] at squared distance 2.00
	// [0 0]: nearest earlier task 0 [0 0] at squared distance 0.00
	// [0.9 1]: nearest earlier task 1 [1 1] at squared distance 0.01
	// [0.2 0.1]: nearest earlier task 2 [0 0] at squared distance 0.05
	// [0 0]: nearest earlier task 2 [0 0] at squared distance 0.00
	// after Rebuild, nearest to (1, 1): 3 [0.9 1]
}
