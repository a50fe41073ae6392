package ars

import (
	"fmt"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// BenchmarkLearn measures one ARS iteration (N = 16 directions, 32
// episodes of 200 steps) on the fake reaching task, whose steps cost almost
// nothing: the student's own overhead per environment step, reported as
// steps/s.
func BenchmarkLearn(b *testing.B) {
	for _, c := range []struct {
		policy   string
		parallel int
	}{{Linear, 1}, {Linear, 2}, {MLP, 1}, {MLP, 2}} {
		b.Run(fmt.Sprintf("%s/parallel=%d", c.policy, c.parallel), func(b *testing.B) {
			p := DefaultParams()
			p.Policy, p.Parallel, p.Directions, p.TopDirections = c.policy, c.parallel, 16, 8
			s := newStudent(b, p, func() task.Env { return &reach{horizon: 200} }, 1)
			tk := task.Task{Params: []float64{0.5}, Seed: 2}
			var steps int
			b.ReportAllocs()
			for b.Loop() {
				steps += s.Learn(tk).Steps
			}
			b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
