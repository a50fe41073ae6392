package recall

import (
	"testing"

	"github.com/teachbench/teachbench/task"
)

func TestRing(t *testing.T) {
	box, err := task.NewBox(task.Dim{Name: "x", Lo: 0, Hi: 10}, task.Dim{Name: "y", Lo: -1, Hi: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := New(box, 3)
	a := r.Add(1, []float64{1, 0.5})
	b := r.Add(2, []float64{2, -0.5})
	for _, tc := range []struct {
		name string
		tk   task.Task
		want int
	}{
		{"first", task.Task{Seed: 1, Params: []float64{1, 0.5}}, a},
		{"second", task.Task{Seed: 2, Params: []float64{2, -0.5}}, b},
		{"float32 rounding", task.Task{Seed: 2, Params: []float64{float64(float32(2)), float64(float32(-0.5 + 1e-8))}}, b},
		{"unknown seed", task.Task{Seed: 3, Params: []float64{1, 0.5}}, -1},
		{"altered", task.Task{Seed: 1, Params: []float64{1.01, 0.5}}, -1},
		{"wrong dimension", task.Task{Seed: 1, Params: []float64{1}}, -1},
	} {
		if got := r.Find(tc.tk); got != tc.want {
			t.Errorf("%s: Find = %d, want %d", tc.name, got, tc.want)
		}
	}
	r.Forget(a)
	if got := r.Find(task.Task{Seed: 1, Params: []float64{1, 0.5}}); got != -1 {
		t.Errorf("after Forget: Find = %d, want -1", got)
	}
	// The third Add fills the ring; the fourth overwrites slot a, which
	// Next reports as no longer live, and then slot b, still live.
	r.Add(3, []float64{3, 0})
	if k, live := r.Next(); k != a || live {
		t.Errorf("Next = %d, %v; want %d, false", k, live, a)
	}
	r.Add(4, []float64{4, 0})
	if k, live := r.Next(); k != b || !live {
		t.Errorf("Next = %d, %v; want %d, true", k, live, b)
	}
	r.Add(5, []float64{5, 0})
	if got := r.Find(task.Task{Seed: 2, Params: []float64{2, -0.5}}); got != -1 {
		t.Errorf("overwritten proposal: Find = %d, want -1", got)
	}
	if got := r.Find(task.Task{Seed: 5, Params: []float64{5, 0}}); got != b {
		t.Errorf("newest: Find = %d, want %d", got, b)
	}
}
