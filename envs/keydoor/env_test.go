package keydoor

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func newTestEnv(t testing.TB, graph, obs string) (*Family, *Env) {
	t.Helper()
	p := DefaultParams()
	p.Graph, p.Obs = graph, obs
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return f, f.NewEnv(nil).(*Env)
}

// TestEnvTruncation checks the time limit: an agent that only turns gets no
// reward, and its episode is truncated exactly at max_steps.
func TestEnvTruncation(t *testing.T) {
	f, e := newTestEnv(t, "blockedunlockpickup", "onehot")
	obs := make([]float64, e.ObsSize())
	for i := range f.Space().Len() {
		e.Reset(task.Task{Index: i, Seed: 3}, obs)
		for step := 1; ; step++ {
			r, st := e.Step([]float64{ActLeft}, obs)
			if r != 0 {
				t.Fatalf("task %d step %d: reward %v for turning", i, step, r)
			}
			if step < f.MaxSteps(i) {
				if st != task.Running {
					t.Fatalf("task %d: episode ended at step %d of %d with status %v", i, step, f.MaxSteps(i), st)
				}
				continue
			}
			if st != task.Truncated {
				t.Fatalf("task %d: status %v at the limit, want Truncated", i, st)
			}
			break
		}
		o := e.Outcome()
		if o.Success || o.Return != 0 || o.Score != 0 || o.Steps != f.MaxSteps(i) || e.StepCount() != e.Limit() {
			t.Fatalf("task %d: outcome %+v after truncation", i, o)
		}
		if err := o.Check(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEnvSuccessOnLastStep checks that achieving the mission on the step
// that reaches the limit terminates with the reward 1 − 0.9 = 0.1.
func TestEnvSuccessOnLastStep(t *testing.T) {
	f, e := newTestEnv(t, "blockedunlockpickup", "onehot")
	obs := make([]float64, e.ObsSize())
	unlock := f.Space().Index("Unlock")
	// Find the oracle's actions, then pad them with turns in place.
	var o Oracle
	var plan []int
	e.Reset(task.Task{Index: unlock, Seed: 5}, obs)
	for {
		a := o.Act(e.World())
		plan = append(plan, a)
		if _, st := e.Step([]float64{float64(a)}, obs); st.Done() {
			break
		}
	}
	e.Reset(task.Task{Index: unlock, Seed: 5}, obs)
	pad := f.MaxSteps(unlock) - len(plan)
	for range pad / 4 * 4 { // whole turns leave the agent as it was
		e.Step([]float64{ActRight}, obs)
	}
	for range pad % 4 {
		e.Step([]float64{ActDone}, obs)
	}
	var r float64
	var st task.StepStatus
	for _, a := range plan {
		r, st = e.Step([]float64{float64(a)}, obs)
	}
	if st != task.Terminated || r != 1-0.9*(float64(f.MaxSteps(unlock))/float64(f.MaxSteps(unlock))) || !e.Outcome().Success {
		t.Fatalf("success on the last step: reward %v, status %v, outcome %+v", r, st, e.Outcome())
	}
}

func TestEnvPanics(t *testing.T) {
	_, e := newTestEnv(t, "keycorridor", "onehot")
	obs := make([]float64, e.ObsSize())
	cases := []struct {
		name string
		f    func()
		want string
	}{
		{"step before reset", func() { e.Step([]float64{0}, obs) }, "Step after the end"},
		{"index too large", func() { e.Reset(task.Task{Index: 6}, obs) }, "0..5"},
		{"negative index", func() { e.Reset(task.Task{Index: -1}, obs) }, "0..5"},
		{"box task", func() { e.Reset(task.Task{Params: []float64{1}}, obs) }, "Discrete"},
		{"levels task", func() { e.Reset(task.Task{Level: []byte{1}}, obs) }, "Discrete"},
		{"fractional action", func() { e.Reset(task.Task{}, obs); e.Step([]float64{1.5}, obs) }, "whole number"},
		{"action 7", func() { e.Reset(task.Task{}, obs); e.Step([]float64{7}, obs) }, "0..6"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if r == nil || !strings.Contains(msg, c.want) {
					t.Fatalf("panic %v, want one mentioning %q", r, c.want)
				}
			}()
			c.f()
		})
	}
}

// TestEnvDeterministic checks that two instances play the same task
// identically under the same actions, observations included, whatever
// they played before.
func TestEnvDeterministic(t *testing.T) {
	for _, g := range Graphs {
		f, a := newTestEnv(t, g, "onehot")
		_, b := newTestEnv(t, g, "onehot")
		obsA := make([]float64, a.ObsSize())
		obsB := make([]float64, b.ObsSize())
		rng := rand.New(rand.NewPCG(5, 6))
		b.Reset(task.Task{Index: f.Space().Len() - 1, Seed: 99}, obsB) // a different history
		for i := range f.Space().Len() {
			tk := task.Task{Index: i, Seed: rng.Uint64()}
			a.Reset(tk, obsA)
			b.Reset(tk, obsB)
			for step := 0; step < 300; step++ {
				if !slices.Equal(obsA, obsB) {
					t.Fatalf("%s task %d step %d: observations differ", g, i, step)
				}
				act := []float64{float64(rng.IntN(NumActions))}
				ra, sa := a.Step(act, obsA)
				rb, sb := b.Step(act, obsB)
				if ra != rb || sa != sb {
					t.Fatalf("%s task %d step %d: (%v, %v) vs (%v, %v)", g, i, step, ra, sa, rb, sb)
				}
				if sa.Done() {
					break
				}
			}
			if a.World().String() != b.World().String() || !reflect.DeepEqual(a.Outcome(), b.Outcome()) {
				t.Fatalf("%s task %d: episodes diverged", g, i)
			}
		}
	}
}

// TestEnvObservation checks the observation's shape for both encodings:
// fixed size, one-hot rows, the direction, and that a first observation
// shows the agent's surroundings rather than nothing.
func TestEnvObservation(t *testing.T) {
	for _, c := range []struct {
		obs  string
		size int
	}{{"onehot", OneHotSize}, {"minigrid", MiniGridSize}} {
		for _, g := range Graphs {
			f, e := newTestEnv(t, g, c.obs)
			if e.ObsSize() != c.size || e.Actions() != (task.ActionSpec{Discrete: 7}) {
				t.Fatalf("%s/%s: obs size %d, actions %+v", g, c.obs, e.ObsSize(), e.Actions())
			}
			obs := make([]float64, c.size)
			for i := range f.Space().Len() {
				for k := range obs {
					obs[k] = -1 // Reset must overwrite everything
				}
				e.Reset(task.Task{Index: i, Seed: 11}, obs)
				_, d := e.World().Agent()
				if obs[c.size-4+int(d)] != 1 {
					t.Fatalf("%s/%s task %d: direction %d not set", g, c.obs, i, d)
				}
				seen := 0
				for k := range ViewCells {
					var v float64
					if c.obs == "onehot" {
						v = obs[k*CellCodes+TypeUnseen]
					} else {
						v = obs[3*k]
					}
					if v == 0 { // not "unseen"
						seen++
					}
				}
				// The agent sees at least its row's three middle cells
				// and the three ahead of them.
				if seen < 6 {
					t.Fatalf("%s/%s task %d: only %d view cells seen", g, c.obs, i, seen)
				}
				for k, v := range obs {
					if v < 0 {
						t.Fatalf("%s/%s task %d: obs[%d] not written", g, c.obs, i, k)
					}
				}
			}
		}
	}
}

// TestEnvAllocs checks that stepping and resetting allocate nothing once
// the instance has played its largest task.
func TestEnvAllocs(t *testing.T) {
	for _, g := range Graphs {
		f, e := newTestEnv(t, g, "onehot")
		obs := make([]float64, e.ObsSize())
		n := f.Space().Len()
		for i := range n {
			e.Reset(task.Task{Index: i}, obs)
		}
		rng := rand.New(rand.NewPCG(7, 8))
		act := []float64{0}
		seed := uint64(0)
		allocs := testing.AllocsPerRun(2000, func() {
			act[0] = float64(rng.IntN(NumActions))
			if _, st := e.Step(act, obs); st.Done() {
				seed++
				e.Reset(task.Task{Index: int(seed) % n, Seed: seed}, obs)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per step, want 0", g, allocs)
		}
		allocs = testing.AllocsPerRun(50, func() {
			seed++
			e.Reset(task.Task{Index: int(seed) % n, Seed: seed}, obs)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per reset, want 0", g, allocs)
		}
	}
}

// TestRandomPlayInvariants plays random actions on every task and checks
// that the world stays consistent: codes match cells, the agent stands on
// an empty cell or an open door, and objects are only ever moved, opened
// or carried, never duplicated.
func TestRandomPlayInvariants(t *testing.T) {
	steps := 3000
	if testing.Short() {
		steps = 500
	}
	for _, g := range Graphs {
		f, e := newTestEnv(t, g, "onehot")
		obs := make([]float64, e.ObsSize())
		rng := rand.New(rand.NewPCG(9, 10))
		for i := range f.Space().Len() {
			e.Reset(task.Task{Index: i, Seed: uint64(i)}, obs)
			w := e.World()
			objects := countObjects(w)
			for range steps {
				if _, st := e.Step([]float64{float64(rng.IntN(NumActions))}, obs); st.Done() {
					break
				}
				ap, _ := w.Agent()
				if o := w.At(ap); !(o.Kind == Empty || o.Kind == Door && o.State == Open) {
					t.Fatalf("%s task %d: agent on a %v\n%s", g, i, o.Kind, w)
				}
				if n := countObjects(w); n > objects {
					t.Fatalf("%s task %d: %d objects, started with %d", g, i, n, objects)
				} else {
					objects = n // opening a box with nothing inside removes it
				}
			}
			checkCodes(t, w)
		}
	}
}

// countObjects counts the keys, balls and boxes in the world and carried.
func countObjects(w *World) int {
	n := 0
	if w.Carrying().Kind != Empty {
		n++
	}
	for y := range w.Height() {
		for x := range w.Width() {
			if w.At(Pos{x, y}).Kind.pickable() {
				n++
			}
		}
	}
	return n
}
