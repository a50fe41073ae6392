package plr

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// BenchmarkEpisode measures one Sample + Update with a full buffer of 32-byte
// levels from a space that allocates nothing: the teacher's own cost per
// episode. mix is the default robust PLR (half the 256-step cycles of
// 10-step episodes replay, half play new levels competing for the full
// buffer) and accel adds a child cycle after each replay cycle; the
// -episode variants decide every episode (cycle_steps 0); replay and new
// isolate the two paths (O(log N) and O(N)).
func BenchmarkEpisode(b *testing.B) {
	for _, n := range []int{100, 1000, 4000} {
		for _, mode := range []string{"mix", "accel", "mix-episode", "accel-episode", "replay", "new"} {
			b.Run(fmt.Sprintf("N=%d/%s", n, mode), func(b *testing.B) {
				p := RobustParams()
				switch mode {
				case "accel":
					p = ACCELParams()
				case "mix-episode":
					p.CycleSteps = 0
				case "accel-episode":
					p = ACCELParams()
					p.CycleSteps = 0
				case "replay":
					p.ReplayProb = 1
				case "new":
					p.ReplayProb = 0
				}
				p.Score = ScorePVL
				p.MinFill = 1
				p.BufferSize = n
				te := newTeacher(b, p, &scripted{size: 32, reuse: true})
				rng := rand.New(rand.NewPCG(1, 2))
				o := pvl(0)
				episode := func() {
					o.SetSignal(task.PositiveValueLoss, rng.Float64())
					te.Update(te.Sample(rng), o)
				}
				for te.Len() < n {
					episode()
				}
				for range 2 * n { // into steady state: replays have happened
					episode()
				}
				b.ReportAllocs()
				for b.Loop() {
					episode()
				}
			})
		}
	}
}

// BenchmarkEpisodeBox is BenchmarkEpisode on a 4-dimensional Box with the
// ACCEL defaults.
func BenchmarkEpisodeBox(b *testing.B) {
	box := testBox(b)
	p := ACCELParams()
	te := newTeacher(b, p, box)
	rng := rand.New(rand.NewPCG(1, 2))
	o := pvl(0)
	episode := func() {
		o.SetSignal(task.PositiveValueLoss, rng.Float64())
		te.Update(te.Sample(rng), o)
	}
	for range 3 * p.BufferSize {
		episode()
	}
	b.ReportAllocs()
	for b.Loop() {
		episode()
	}
}

// BenchmarkRankFromScratch is the alternative the incremental order avoids:
// ranking N scores by a full sort, as the reference implementations do for
// every replay distribution they compute (argsort). Compare with
// BenchmarkEpisode/N=…/replay.
func BenchmarkRankFromScratch(b *testing.B) {
	for _, n := range []int{100, 1000, 4000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			score := make([]float64, n)
			for i := range score {
				score[i] = rng.Float64()
			}
			idx := make([]int32, n)
			b.ReportAllocs()
			for b.Loop() {
				score[rng.IntN(n)] = rng.Float64()
				for i := range idx {
					idx[i] = int32(i)
				}
				slices.SortFunc(idx, func(x, y int32) int { return cmp.Compare(score[y], score[x]) })
			}
		})
	}
}
