package keydoor

import (
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// hardest names each graph's hardest task, the one its benchmarks play.
var hardest = map[string]string{
	"blockedunlockpickup": "BlockedUnlockPickup",
	"keycorridor":         "KeyCorridorS6R3",
	"obstructedmaze":      "Full",
}

// BenchmarkStep measures environment steps (observation included) under a
// uniformly random policy on each graph's hardest task, resets (which
// generate a new layout from the next seed) included. Actions are drawn in
// advance so that only the environment is timed.
func BenchmarkStep(b *testing.B) {
	for _, g := range Graphs {
		for _, obs := range []string{"onehot", "minigrid"} {
			b.Run(hardest[g]+"/"+obs, func(b *testing.B) {
				p := DefaultParams()
				p.Graph, p.Obs = g, obs
				f, err := New(p)
				if err != nil {
					b.Fatal(err)
				}
				idx := f.Space().Index(hardest[g])
				rng := rand.New(rand.NewPCG(1, 2))
				actions := make([]float64, 4096)
				for i := range actions {
					actions[i] = float64(rng.IntN(NumActions))
				}
				e := f.NewEnv(nil)
				o := make([]float64, e.ObsSize())
				act := []float64{0}
				seed := uint64(0)
				e.Reset(task.Task{Index: idx, Seed: seed}, o)
				i := 0
				b.ReportAllocs()
				for b.Loop() {
					act[0] = actions[i&4095]
					i++
					if _, st := e.Step(act, o); st.Done() {
						seed++
						e.Reset(task.Task{Index: idx, Seed: seed}, o)
					}
				}
				b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "steps/s")
			})
		}
	}
}

// BenchmarkReset measures generating a layout and writing the first
// observation, per graph's hardest task.
func BenchmarkReset(b *testing.B) {
	for _, g := range Graphs {
		b.Run(hardest[g], func(b *testing.B) {
			p := DefaultParams()
			p.Graph = g
			f, _ := New(p)
			idx := f.Space().Index(hardest[g])
			e := f.NewEnv(nil)
			o := make([]float64, e.ObsSize())
			seed := uint64(0)
			b.ReportAllocs()
			for b.Loop() {
				seed++
				e.Reset(task.Task{Index: idx, Seed: seed}, o)
			}
		})
	}
}
