// Package tasktest provides helpers for the tests of teachers, families and
// students: the task spaces they are tested on, built or the test failed,
// the random streams a student is built with, and simple outcomes.
package tasktest

import (
	"math/rand/v2"
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

// Streams returns the five streams of a run drawn from one seed: stream i
// (Teacher 0, Env 1, Init 2, Batch 3, Eval 4, the order of
// task.StreamNames) is PCG(seed, i). Tests that build a student need them;
// the runner derives its own by hashing (runner.Streams).
func Streams(seed uint64) task.Streams {
	s := func(i uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, i)) }
	return task.Streams{Teacher: s(0), Env: s(1), Init: s(2), Batch: s(3), Eval: s(4)}
}

// Binary returns the outcome of a one-step episode that succeeded (return
// and score 1) or failed (0): what a teacher that learns from success sees.
func Binary(success bool) task.Outcome {
	r := 0.0
	if success {
		r = 1
	}
	return task.Outcome{Return: r, Score: r, Success: success, Steps: 1}
}
