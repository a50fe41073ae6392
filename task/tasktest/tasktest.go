// Package tasktest provides helpers for the tests of teachers, families and
// students: the task spaces they are tested on, built or the test failed.
package tasktest

import (
	"testing"

	"github.com/teachbench/teachbench/task"
)

// Box returns a box with one dimension per pair of bounds, named "a", "b",
// ... in order, or fails the test if the bounds are invalid.
func Box(t testing.TB, bounds ...[2]float64) *task.Box {
	t.Helper()
	ds := make([]task.Dim, len(bounds))
	for i, b := range bounds {
		ds[i] = task.Dim{Name: string(rune('a' + i)), Lo: b[0], Hi: b[1]}
	}
	b, err := task.NewBox(ds...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// UnitBox returns the box [0, 1]^dims with dimensions named as Box names
// them.
func UnitBox(t testing.TB, dims int) *task.Box {
	t.Helper()
	b := make([][2]float64, dims)
	for i := range b {
		b[i] = [2]float64{0, 1}
	}
	return Box(t, b...)
}
