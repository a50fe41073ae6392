package plr

import (
	"bytes"
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// perEpisodeRuns are fixed runs of the teacher with one replay decision per
// episode (cycle_steps 0), across spaces and settings, for
// TestPerEpisodePinned.
func perEpisodeRuns(t testing.TB) []struct {
	name  string
	space func() task.Space
	p     Params
} {
	small := func(p Params) Params {
		p.BufferSize = 40
		p.CycleSteps = 0
		return p
	}
	proportionate := ACCELParams()
	proportionate.Schedule = ScheduleProportion
	episodes := RobustParams()
	episodes.StalenessClock = ClockEpisodes
	episodes.Score = ScorePVL
	disc, _ := task.NewDiscrete([]string{"a", "b", "c", "d", "e", "f", "g"}, nil, nil, nil)
	return []struct {
		name  string
		space func() task.Space
		p     Params
	}{
		{"levels plr", func() task.Space { return &scripted{size: 3} }, small(DefaultParams())},
		{"levels robust episodes-clock", func() task.Space { return &scripted{size: 3} }, small(episodes)},
		{"levels accel", func() task.Space { return &scripted{size: 3} }, small(ACCELParams())},
		{"levels accel proportionate", func() task.Space { return &scripted{size: 3} }, small(proportionate)},
		{"box accel", func() task.Space { return testBox(t) }, small(ACCELParams())},
		{"discrete robust", func() task.Space { return disc }, small(RobustParams())},
	}
}

// runHash plays episodes of te with outcomes drawn from a stream of its own
// (returns, signals and episode lengths) and hashes every proposal, the
// stats and the final buffer.
func runHash(te *Teacher, episodes int) uint64 {
	h := fnv.New64a()
	word := func(v uint64) { h.Write(binary.LittleEndian.AppendUint64(nil, v)) }
	f := func(v float64) { word(math.Float64bits(v)) }
	rng := rand.New(rand.NewPCG(21, 22))
	orng := rand.New(rand.NewPCG(23, 24))
	for range episodes {
		tk := te.Sample(rng)
		h.Write(tk.Level)
		for _, x := range tk.Params {
			f(x)
		}
		word(uint64(tk.Index))
		word(tk.Seed)
		if tk.Probe {
			word(1)
		}
		o := task.Outcome{Return: orng.Float64(), Steps: 1 + orng.IntN(250)}
		o.Score = o.Return
		o.SetSignal(task.PositiveValueLoss, orng.Float64())
		o.SetSignal(task.MeanValue, orng.Float64())
		te.Update(tk, o)
	}
	s := te.Stats()
	for _, v := range []int{s.Replays, s.New, s.Children, s.Inserted, s.Rejected, s.Duplicates, s.Fallbacks, s.Ignored} {
		word(uint64(v))
	}
	for i := range te.Len() {
		e := te.Entry(i)
		h.Write(e.Task.Level)
		for _, x := range e.Task.Params {
			f(x)
		}
		word(uint64(e.Task.Index))
		word(e.Task.Seed)
		f(e.Score)
		f(e.MaxReturn)
		f(e.LastReturn)
		word(uint64(e.Staleness))
		word(uint64(e.Generation))
	}
	return h.Sum64()
}

// TestPerEpisodePinned: with cycle_steps 0 the teacher makes one decision
// per episode exactly as it did before cycles existed: the hashes were
// recorded from that version of the package.
func TestPerEpisodePinned(t *testing.T) {
	want := map[string]uint64{
		"levels plr":                   0xf1495b830e061096,
		"levels robust episodes-clock": 0x719ff4b4b6b9482e,
		"levels accel":                 0x430e1535dac6bc85,
		"levels accel proportionate":   0xb77a16a83b534821,
		"box accel":                    0x42b30ba4e99e321e,
		"discrete robust":              0x768d156c5a6dd9ba,
	}
	for _, r := range perEpisodeRuns(t) {
		got := runHash(newTeacher(t, r.p, r.space()), 3000)
		if w, ok := want[r.name]; !ok || got != w {
			t.Errorf("%s: hash %#x, want %#x", r.name, got, w)
		}
	}
}

// TestCycles checks the cycle mechanics on a Levels space with episodes of
// random length: a decision holds until its episodes have played at least
// cycle_steps steps and no longer; replay cycles draw each episode's level
// from the buffer and are learned, new-level cycles generate a fresh level
// per episode and probe it; with editing, each replay cycle is followed by a
// child cycle whose episodes edit the levels the replay cycle played, in
// order and cycling.
func TestCycles(t *testing.T) {
	for _, editing := range []bool{false, true} {
		p := RobustParams()
		p.BufferSize = 30
		p.Score = ScorePVL
		p.CycleSteps = 100
		if editing {
			p.EditProb, p.NumEdits = 1, 2
		}
		sp := &scripted{size: 4}
		te := newTeacher(t, p, sp)
		rng := rand.New(rand.NewPCG(31, 32))
		orng := rand.New(rand.NewPCG(33, 34))
		var (
			cur            = none
			played, cycles int
			replayed, now  [][]byte // levels of the last replay cycle; replayed or edited in this one
			multi          int      // replay cycles of several episodes
		)
		for ep := range 4000 {
			before := te.Stats()
			tk := te.Sample(rng)
			k := te.pend.kind
			s := te.Stats()
			began := s.ReplayCycles+s.NewCycles+s.ChildCycles > before.ReplayCycles+before.NewCycles+before.ChildCycles
			switch {
			case began != (ep == 0 || played >= p.CycleSteps):
				t.Fatalf("editing %v, episode %d: cycle begun %v after %d of %d steps", editing, ep, began, played, p.CycleSteps)
			case !began && k != cur:
				t.Fatalf("editing %v, episode %d: a %v episode in a %v cycle", editing, ep, k, cur)
			case began && editing && cur == replay && k != child:
				t.Fatalf("episode %d: a %v cycle after a replay cycle, want children", ep, k)
			}
			if began {
				switch cur {
				case replay:
					replayed = now
					if len(now) > 1 {
						multi++
					}
				case child:
					for i, parent := range now {
						if want := replayed[i%len(replayed)]; !bytes.Equal(parent, want) {
							t.Fatalf("child %d of its cycle edits %x, want the replayed %x", i, parent, want)
						}
					}
				}
				cur, played, now = k, 0, nil
				cycles++
			}
			switch k {
			case replay:
				if tk.Probe {
					t.Fatalf("episode %d: replay probed", ep)
				}
				now = append(now, bytes.Clone(tk.Level))
			case fresh:
				if !tk.Probe {
					t.Fatalf("episode %d: new level not probed", ep)
				}
			case child:
				if !editing || !tk.Probe {
					t.Fatalf("editing %v, episode %d: child (probe %v)", editing, ep, tk.Probe)
				}
				now = append(now, sp.mutated[len(sp.mutated)-1])
			}
			o := pvl(orng.Float64())
			o.Steps = 1 + orng.IntN(60)
			played += o.Steps
			te.Update(tk, o)
		}
		s := te.Stats()
		if got := s.ReplayCycles + s.NewCycles + s.ChildCycles; got != cycles {
			t.Errorf("editing %v: stats count %d cycles, saw %d", editing, got, cycles)
		}
		if s.ReplayCycles < 20 || s.NewCycles < 20 || editing != (s.ChildCycles > 0) || multi < 20 {
			t.Errorf("editing %v: stats %+v, %d replay cycles of several episodes", editing, s, multi)
		}
		if editing && s.ChildCycles != s.ReplayCycles && s.ChildCycles != s.ReplayCycles-1 {
			t.Errorf("stats %+v: want a child cycle after every replay cycle", s)
		}
	}
}

// TestCycleLearningShare: when replays are short (10 steps) and probes long
// (250), one decision per episode gives the probes most of the steps, while
// one decision per cycle gives the replays about the share of replay cycles
// (replay_prob 0.5), as dcd's fixed-length rollouts do, up to the overshoot
// of the cycle's last episode: with cycle_steps 256 a new-level cycle plays
// two probes, 500 steps, against a replay cycle's 260.
func TestCycleLearningShare(t *testing.T) {
	for _, tc := range []struct {
		cycle  int
		lo, hi float64
	}{
		{0, 0.02, 0.06},    // 10/(10+250)
		{256, 0.30, 0.38},  // 260/(260+500)
		{1000, 0.45, 0.55}, // 1000/(1000+1000)
	} {
		p := RobustParams()
		p.BufferSize = 50
		p.Score = ScorePVL
		p.CycleSteps = tc.cycle
		te := newTeacher(t, p, &scripted{size: 8})
		rng := rand.New(rand.NewPCG(41, 42))
		var learned, all int
		for range 20000 {
			tk := te.Sample(rng)
			o := pvl(rng.Float64())
			o.Steps = 250
			if !tk.Probe {
				o.Steps = 10
				learned += o.Steps
			}
			all += o.Steps
			te.Update(tk, o)
		}
		if share := float64(learned) / float64(all); share < tc.lo || share > tc.hi {
			t.Errorf("cycle_steps %d: learned from %.3f of the steps, want %.2f..%.2f", tc.cycle, share, tc.lo, tc.hi)
		}
	}
}

// TestCurateIgnoresCycles: the curation API used by other teachers makes
// its own decisions, so cycle_steps changes nothing it proposes or stores.
func TestCurateIgnoresCycles(t *testing.T) {
	run := func(cycle int) (tasks []task.Task, entries []Entry, st Stats) {
		p := RobustParams()
		p.BufferSize = 20
		p.CycleSteps = cycle
		te := newTeacher(t, p, &scripted{size: 3})
		rng := rand.New(rand.NewPCG(51, 52))
		gen := &scripted{size: 3}
		for range 500 {
			var tk task.Task
			if te.ReplayDecision(rng) {
				tk = te.Replay(rng)
			} else {
				tk = te.Propose(task.Task{Level: gen.Generate(rng), Seed: rng.Uint64()})
			}
			tasks = append(tasks, tk.Clone())
			o := outcome(rng.Float64(), task.MeanValue, rng.Float64())
			o.Steps = 1 + rng.IntN(250)
			te.Update(tk, o)
		}
		for i := range te.Len() {
			e := te.Entry(i)
			e.Task = e.Task.Clone()
			entries = append(entries, e)
		}
		return tasks, entries, te.Stats()
	}
	ta, ea, sa := run(0)
	tb, eb, sb := run(256)
	for i := range ta {
		if !sameTask(ta[i], tb[i]) {
			t.Fatalf("proposal %d: %v with cycle_steps 0, %v with 256", i, ta[i], tb[i])
		}
	}
	if sa != sb || sa.Replays == 0 || sa.New == 0 || len(ea) != len(eb) {
		t.Fatalf("stats %+v and %+v, %d and %d entries", sa, sb, len(ea), len(eb))
	}
	for i := range ea {
		a, b := ea[i], eb[i]
		if !sameTask(a.Task, b.Task) || a.Score != b.Score || a.Staleness != b.Staleness || a.MaxReturn != b.MaxReturn {
			t.Fatalf("entry %d: %+v and %+v", i, a, b)
		}
	}
}
