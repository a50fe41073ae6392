package plr

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// TestProposeAndReplay drives a robust teacher with levels made elsewhere:
// proposals are probed and enter the buffer (a repeated one updates its
// entry), replays come from the buffer and are learned, and the generator
// is never called.
func TestProposeAndReplay(t *testing.T) {
	p := testParams(3)
	p.Robust = true
	space := &scripted{size: 4}
	tc := newTeacher(t, p, space)
	for i, name := range []string{"aaaa", "bbbb", "aaaa", "cccc"} {
		tk := tc.Propose(task.Task{Level: []byte(name), Seed: uint64(i)})
		if !tk.Probe || string(tk.Level) != name || tk.Seed != uint64(i) {
			t.Fatalf("Propose returned %v", tk)
		}
		tc.Update(tk, pvl(float64(i+1)))
	}
	if got := stored(tc); !slices.Equal(got, []string{"aaaa", "bbbb", "cccc"}) {
		t.Fatalf("stored %v", got)
	}
	if got := scores(tc); !slices.Equal(got, []float64{3, 2, 4}) {
		t.Fatalf("scores %v: the repeated level should have taken the new score", got)
	}
	if st := tc.Stats(); st.New != 4 || st.Inserted != 3 || st.Duplicates != 1 || space.i != 0 {
		t.Fatalf("stats %+v, %d generated", st, space.i)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	seen := map[string]bool{}
	for range 50 {
		tk := tc.Replay(rng)
		if tk.Probe {
			t.Fatal("a replay carries Probe")
		}
		seen[string(tk.Level)] = true
		tc.Update(tk, pvl(1))
	}
	if len(seen) != 3 || tc.Stats().Replays != 50 {
		t.Fatalf("replayed %v, stats %+v", seen, tc.Stats())
	}
}

// TestReplayDecisionMatchesSample checks that ReplayDecision draws exactly what
// Sample draws for its decision: the same stream gives the same sequence of
// replays and new levels either way.
func TestReplayDecisionMatchesSample(t *testing.T) {
	p := testParams(8)
	p.ReplayProb, p.MinFill = 0.6, 0.25
	for _, schedule := range []string{ScheduleFixed, ScheduleProportion} {
		p.Schedule = schedule
		a := newTeacher(t, p, &scripted{size: 3})
		b := newTeacher(t, p, &scripted{size: 3})
		ra, rb := rand.New(rand.NewPCG(2, 2)), rand.New(rand.NewPCG(2, 2))
		gen := &scripted{size: 3}
		replays := 0
		for i := range 200 {
			ta := a.Sample(ra)
			var tb task.Task
			if b.ReplayDecision(rb) {
				tb = b.Replay(rb)
				replays++
			} else {
				tb = b.Propose(task.Task{Level: gen.Generate(rb), Seed: rb.Uint64()})
			}
			if !sameTask(ta, tb) {
				t.Fatalf("%s, episode %d: Sample %v, ReplayDecision and Replay/Propose %v", schedule, i, ta, tb)
			}
			o := pvl(float64(i % 7))
			a.Update(ta, o)
			b.Update(tb, o)
		}
		if replays < 50 || a.Stats() != b.Stats() {
			t.Fatalf("%s: %d replays; stats %+v and %+v", schedule, replays, a.Stats(), b.Stats())
		}
	}
}

func TestCurateMisuse(t *testing.T) {
	tc := newTeacher(t, testParams(2), &scripted{size: 2})
	for _, c := range []struct {
		name, want string
		f          func()
	}{
		{"replay from empty", "empty buffer", func() { tc.Replay(rand.New(rand.NewPCG(1, 1))) }},
		{"propose a box task", "box task", func() { tc.Propose(task.Task{Params: []float64{1}}) }},
	} {
		func() {
			defer func() {
				r, _ := recover().(string)
				if !strings.Contains(r, c.want) {
					t.Errorf("%s: panic %q, want one containing %q", c.name, r, c.want)
				}
			}()
			c.f()
		}()
	}
}
