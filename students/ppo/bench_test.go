package ppo

import (
	"testing"

	"github.com/teachbench/teachbench/internal/cputime"
	"github.com/teachbench/teachbench/task"
)

// benchmarkStudent measures Learn (acting and the PPO updates it triggers)
// or Evaluate on fastRoom, an environment of the maze's sizes (79
// observation values, 3 actions, 250-step horizon) that costs next to
// nothing, and reports student env-steps per second of wall-clock time and
// of CPU time (steps/cpu-s: the per-core figure, which other processes on a
// shared machine do not skew).
func benchmarkStudent(b *testing.B, p Params, learn bool) {
	s := newStudent(b, p, func() task.Env { return new(fastRoom) }, 1)
	train(s, 4*p.NSteps) // warm up the buffers
	var steps int
	seed := uint64(0)
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		seed++
		var o task.Outcome
		if learn {
			o = s.Learn(task.Task{Seed: seed})
		} else {
			o = s.Evaluate(task.Task{Seed: seed})
		}
		steps += o.Steps
	}
	b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
	if cpu := cputime.Process() - cpu0; cpu > 0 {
		b.ReportMetric(float64(steps)/cpu.Seconds(), "steps/cpu-s")
	}
}

func BenchmarkLearn(b *testing.B) {
	rec := DefaultParams()
	rec.Recurrent = true
	for _, tc := range []struct {
		name string
		p    Params
	}{
		{"default", DefaultParams()},
		{"recurrent64", rec},
	} {
		b.Run(tc.name, func(b *testing.B) { benchmarkStudent(b, tc.p, true) })
	}
}

func BenchmarkEvaluate(b *testing.B) {
	benchmarkStudent(b, DefaultParams(), false)
}
