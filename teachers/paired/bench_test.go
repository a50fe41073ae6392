package paired

import (
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// mazeSized is a construction environment of the maze's sizes — 169
// actions, 25 walls (27 steps), an observation of 4·169 + 28 + 50 values —
// that costs next to nothing, so that benchmarks measure the teacher.
type mazeSized struct {
	t     int
	level [27]byte
}

func (m *mazeSized) ObsSize() int             { return 4*169 + 28 + 50 }
func (m *mazeSized) Actions() task.ActionSpec { return task.ActionSpec{Discrete: 169} }
func (m *mazeSized) Outcome() task.Outcome    { return task.Outcome{Steps: m.t} }
func (m *mazeSized) Reset(_ task.Task, obs []float64) {
	m.t = 0
	clear(obs[:m.ObsSize()])
}

func (m *mazeSized) Step(a, obs []float64) (float64, task.StepStatus) {
	m.level[m.t] = byte(a[0])
	obs[4*int(a[0])+1] = 1
	m.t++
	if m.t == 27 {
		return 0, task.Terminated
	}
	return 0, task.Running
}

func (m *mazeSized) Level() []byte { return m.level[:] }

type mazeSizedSpace struct{ gridSpace }

func (mazeSizedSpace) NewBuilder(*rand.Rand) task.Builder { return new(mazeSized) }

// BenchmarkEpisode measures the teacher's own time per protagonist episode
// — the adversary's construction and PPO updates, the cycle's bookkeeping
// and, for REPAIRED, the PLR buffers — with students that cost nothing:
// each episode lasts 60 steps, so a cycle of 256 steps holds 4 protagonist
// and 4 antagonist episodes. What the antagonist's own learning costs is
// that of a second student (see the package documentation).
func BenchmarkEpisode(b *testing.B) {
	for _, c := range []struct {
		name string
		p    Params
	}{
		{"paired", DefaultParams()},
		{"paired-ff", func() Params { p := DefaultParams(); p.AdvRecurrent = false; return p }()},
		{"repaired", REPAIREDParams()},
	} {
		b.Run(c.name, func(b *testing.B) {
			ret := func(l []byte) float64 { return float64(l[0]%7) / 7 }
			ant := &fakeStudent{ret: ret, steps: length(60)}
			tc := newTeacher(b, c.p, mazeSizedSpace{gridSpace{side: 13, walls: 25}}, 1, ant)
			pro := &fakeStudent{ret: ret, steps: length(60)}
			rng := rand.New(rand.NewPCG(1, 1))
			episode := func() {
				tk := tc.Sample(rng)
				var o task.Outcome
				if tk.Probe {
					o = pro.Probe(tk)
				} else {
					o = pro.Learn(tk)
				}
				tc.Update(tk, o)
			}
			for range 512 {
				episode()
			}
			b.ReportAllocs()
			for b.Loop() {
				episode()
			}
		})
	}
}
