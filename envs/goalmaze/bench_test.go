package goalmaze

import (
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// BenchmarkStep measures environment steps (with observations and rewards)
// under uniformly random actions on maze-1, with a new goal from the goal
// space every 30-step episode, resets included. Actions and goals are drawn
// in advance so that only the environment is timed.
func BenchmarkStep(b *testing.B) {
	f := testFamily(b, "maze-1", 0.45)
	rng := rand.New(rand.NewPCG(1, 2))
	goals := make([]task.Task, 64)
	for i := range goals {
		goals[i] = task.Task{Params: f.Box().Uniform(nil, rng), Seed: uint64(i)}
	}
	actions := make([]float64, 8192)
	for i := range actions {
		actions[i] = 2*rng.Float64() - 1
	}
	e := f.NewEnv(nil)
	obs := make([]float64, ObsSize)
	e.Reset(goals[0], obs)
	i, episodes := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		if _, st := e.Step(actions[i&8191:i&8191+2], obs); st.Done() {
			episodes++
			e.Reset(goals[episodes&63], obs)
		}
		i += 2
	}
	b.ReportMetric(float64(i/2)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkReset measures starting an episode.
func BenchmarkReset(b *testing.B) {
	f := testFamily(b, "maze-3", 0.45)
	e := f.NewEnv(nil)
	obs := make([]float64, ObsSize)
	tk := task.Task{Params: []float64{2, 3}}
	b.ReportAllocs()
	for b.Loop() {
		tk.Seed++
		e.Reset(tk, obs)
	}
}

// BenchmarkController measures the scripted controller's steps, planning
// for each new goal included: an episode towards every test goal of
// maze-1, ended at success.
func BenchmarkController(b *testing.B) {
	f := testFamily(b, "maze-1", 0.45, func(p *Params) { p.EndOnSuccess = true })
	s := newScripted(f)
	tests := f.TestSet()
	i, steps := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		steps += s.Evaluate(tests[i%len(tests)]).Steps
		s.tasks = s.tasks[:0]
		i++
	}
	b.ReportMetric(float64(steps)/float64(i), "steps/episode")
}
