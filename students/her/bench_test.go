package her

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/internal/cputime"
	"github.com/teachbench/teachbench/task"
)

// BenchmarkLearn measures training episodes (12 steps of the fake reaching
// task, whose steps cost almost nothing, then their gradient steps) once
// the warm-up is over: the student's own cost per environment step,
// reported as steps/s and steps/cpu-s (per CPU-second, which other
// processes on a shared machine do not skew), for the default networks
// (GELU) and the ReLU ones of the goal studies.
func BenchmarkLearn(b *testing.B) {
	for _, c := range []struct {
		activation string
		batch      int
	}{{GELU, 256}, {ReLU, 256}, {ReLU, 128}} {
		b.Run(fmt.Sprintf("%s/batch=%d", c.activation, c.batch), func(b *testing.B) {
			p := DefaultParams()
			p.Activation, p.BatchSize = c.activation, c.batch
			p.WarmUp, p.InitialExplore = 100, 100
			s := newStudent(b, p, newReach, 1)
			rng := rand.New(rand.NewPCG(1, 1))
			g := make([]float64, 2)
			goal := func() task.Task {
				g[0], g[1] = 2*rng.Float64()-1, 2*rng.Float64()-1
				return task.Task{Params: g, Seed: rng.Uint64()}
			}
			for range 20 {
				s.Learn(goal())
			}
			var steps int
			cpu0 := cputime.Process()
			b.ReportAllocs()
			for b.Loop() {
				steps += s.Learn(goal()).Steps
			}
			b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
			if cpu := cputime.Process() - cpu0; cpu > 0 {
				b.ReportMetric(float64(steps)/cpu.Seconds(), "steps/cpu-s")
			}
		})
	}
}

// BenchmarkEvaluate measures an evaluation episode (12 steps of the
// deterministic policy).
func BenchmarkEvaluate(b *testing.B) {
	s := newStudent(b, DefaultParams(), newReach, 1)
	tk := task.Task{Params: []float64{0.5, 0.5}, Seed: 1}
	b.ReportAllocs()
	for b.Loop() {
		s.Evaluate(tk)
	}
}
