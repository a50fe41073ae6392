package walker

import (
	"testing"

	"github.com/teachbench/teachbench/task"
)

// BenchmarkStep measures one environment step (physics and lidar) of the
// scripted gait walking an easy Stump Tracks task; resets are excluded.
// The steps/s metric is the per-core throughput the issue targets.
func BenchmarkStep(b *testing.B) {
	f, e := defaultEnv(b, nil)
	tk := task.Task{Params: []float64{0.5, 4}, Seed: 1}
	_ = f
	obs := make([]float64, e.ObsSize())
	a := make([]float64, e.Actions().Dims)
	g := NewGait()
	e.Reset(tk, obs)
	g.Reset()
	b.ReportAllocs()
	for b.Loop() {
		g.Act(obs, a)
		if _, st := e.Step(a, obs); st.Done() {
			b.StopTimer()
			e.Reset(tk, obs)
			g.Reset()
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkReset measures starting an episode: generating the track,
// building a fresh world and taking the first step.
func BenchmarkReset(b *testing.B) {
	_, e := defaultEnv(b, nil)
	obs := make([]float64, e.ObsSize())
	b.ReportAllocs()
	seed := uint64(0)
	for b.Loop() {
		seed++
		e.Reset(task.Task{Params: []float64{1.5, 3}, Seed: seed}, obs)
	}
}
