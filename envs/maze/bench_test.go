package maze

import (
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// BenchmarkStep measures environment steps (with observations) under a
// uniformly random policy on DR levels of the default 25-wall budget,
// resets included. The policy's actions are drawn in advance so that only
// the environment is timed.
func BenchmarkStep(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := testSpace(25, CountHalf, EditWallsNoneAgentGoal)
	levels := make([][]byte, 64)
	for i := range levels {
		levels[i] = s.Generate(rng)
	}
	actions := make([]float64, 4096)
	for i := range actions {
		actions[i] = float64(rng.IntN(3))
	}
	e := testEnv(250, 3)
	obs := make([]float64, ObsSize)
	act := []float64{0}
	e.Reset(task.Task{Level: levels[0]}, obs)
	i, episodes := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		act[0] = actions[i&4095]
		i++
		if _, st := e.Step(act, obs); st.Done() {
			episodes++
			e.Reset(task.Task{Level: levels[episodes&63]}, obs)
		}
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkReset measures starting an episode on a stored level.
func BenchmarkReset(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	s := testSpace(25, CountHalf, EditWallsNoneAgentGoal)
	levels := make([][]byte, 64)
	for i := range levels {
		levels[i] = s.Generate(rng)
	}
	e := testEnv(250, 3)
	obs := make([]float64, ObsSize)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		e.Reset(task.Task{Level: levels[i&63]}, obs)
		i++
	}
}

// BenchmarkResetBox measures starting an episode on a Box task, which
// generates its level; with min_path 0.5 the generator redraws layouts
// until the shortest path is at least 12 moves.
func BenchmarkResetBox(b *testing.B) {
	for _, c := range []struct {
		name  string
		theta []float64
	}{
		{"walls=30", []float64{30, 0}},
		{"walls=30,min_path=0.5", []float64{30, 0.5}},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := newEnv(250, 3, genParams{width: 13, height: 13, budget: 60, minPath: true})
			obs := make([]float64, ObsSize)
			seed := uint64(0)
			b.ReportAllocs()
			for b.Loop() {
				seed++
				e.Reset(task.Task{Params: c.theta, Seed: seed}, obs)
			}
		})
	}
}

// BenchmarkGenerate measures the Levels view's generator (DR), encoding
// included.
func BenchmarkGenerate(b *testing.B) {
	for _, budget := range []int{25, 60} {
		b.Run(map[int]string{25: "walls=25", 60: "walls=60"}[budget], func(b *testing.B) {
			s := testSpace(budget, CountHalf, EditWallsNoneAgentGoal)
			rng := rand.New(rand.NewPCG(5, 6))
			b.ReportAllocs()
			for b.Loop() {
				s.Generate(rng)
			}
		})
	}
}

// BenchmarkMutate measures ACCEL's editor with 5 edits (the papers'
// setting), decoding and encoding included.
func BenchmarkMutate(b *testing.B) {
	for _, editor := range editors {
		b.Run(editor, func(b *testing.B) {
			s := testSpace(25, CountHalf, editor)
			rng := rand.New(rand.NewPCG(7, 8))
			level := s.Generate(rng)
			b.ReportAllocs()
			for b.Loop() {
				level = s.Mutate(level, 5, rng)
			}
		})
	}
}

// BenchmarkShortestPath measures BFS on a 13 × 13 level.
func BenchmarkShortestPath(b *testing.B) {
	var l Level
	generate(&l, 13, 13, 25, CountHalf, rand.New(rand.NewPCG(9, 10)))
	var s scratch
	b.ReportAllocs()
	for b.Loop() {
		pathLen(&l, &s)
	}
}
