package goalmaze

import (
	"math"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

var (
	_ task.Episodic  = (*Family)(nil)
	_ task.Evaluator = (*Family)(nil)
	_ task.Clocked   = (*Family)(nil)
	_ task.GoalEnv   = (*Env)(nil)
)

func TestParamsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*Params)
		err  string
	}{
		{"defaults", func(*Params) {}, ""},
		{"reference name", func(p *Params) { p.Layout = "square_pbcs_1" }, ""},
		{"change", func(p *Params) { p.Layout, p.ChangeLayout = "maze-1", "maze-1-alt" }, ""},
		{"unknown layout", func(p *Params) { p.Layout = "maze-0" }, `layout = "maze-0": unknown layout`},
		{"negative horizon", func(p *Params) { p.Horizon = -1 }, "horizon = -1"},
		{"action range", func(p *Params) { p.ActionRange = 1.5 }, "action_range = 1.5"},
		{"radius", func(p *Params) { p.SuccessRadius = 0 }, "success_radius = 0"},
		{"spread", func(p *Params) { p.StartSpread = 0.5 }, "start_spread = 0.5"},
		{"margin", func(p *Params) { p.GoalMargin = -1 }, "goal_margin = -1"},
		{"test per cell", func(p *Params) { p.TestPerCell = 0 }, "test_per_cell = 0"},
		{"eval episodes", func(p *Params) { p.EvalEpisodes = 0 }, "eval_episodes = 0"},
		{"unit", func(p *Params) { p.ChangeUnit = "epochs" }, `change_unit = "epochs"`},
		{"change at", func(p *Params) { p.ChangeAt = -5 }, "change_at = -5"},
		{"unknown change", func(p *Params) { p.ChangeLayout = "wall" }, `change_layout = "wall"`},
		{"same maze", func(p *Params) { p.Layout, p.ChangeLayout = "maze-3", "snail" }, "the same maze"},
		{"other grid", func(p *Params) { p.Layout, p.ChangeLayout = "maze-1", "maze-3-alt" }, "a 6×6 grid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultParams()
			tc.mod(&p)
			_, err := New(p)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("New error = %v, want one containing %q", err, tc.err)
			}
		})
	}
}

func TestFamilySpaceAndTestSet(t *testing.T) {
	for _, tc := range []struct {
		layout string
		margin float64
		k      int
		lo, hi [2]float64
		tests  int
	}{
		{"u-maze", 0.5, 2, [2]float64{-1, -1}, [2]float64{5, 3}, 44},
		{"maze-1", 0, 1, [2]float64{-0.5, -0.5}, [2]float64{4.5, 4.5}, 25},
		{"maze-3", 1, 3, [2]float64{-1.5, -1.5}, [2]float64{6.5, 6.5}, 324},
	} {
		f := testFamily(t, tc.layout, 0.45, func(p *Params) { p.GoalMargin, p.TestPerCell = tc.margin, tc.k })
		sp := f.Spaces()
		box, ok := sp[0].(*task.Box)
		if len(sp) != 1 || !ok || box != f.Box() {
			t.Fatalf("%s: spaces %v", tc.layout, sp)
		}
		if box.Len() != 2 || box.Dim(0).Name != "x" || box.Dim(1).Name != "y" ||
			[2]float64(box.Lo()) != tc.lo || [2]float64(box.Hi()) != tc.hi {
			t.Errorf("%s: goal space %v, want [%v, %v]", tc.layout, box, tc.lo, tc.hi)
		}
		tests := f.TestSet()
		if len(tests) != tc.tests {
			t.Fatalf("%s: %d test goals, want %d", tc.layout, len(tests), tc.tests)
		}
		for i, tk := range tests {
			g := [2]float64{tk.Params[0], tk.Params[1]}
			if tk.Seed != uint64(i) || !box.Contains(tk.Params) || !f.Layout().Valid(g) || f.Layout().Distance(CellAt(g)) < 0 {
				t.Fatalf("%s: test task %d = %v", tc.layout, i, tk)
			}
		}
	}
}

// scripted is a student that plays every task with the Controller.
type scripted struct {
	f     *Family
	e     task.Env
	c     *Controller
	tasks []task.Task
}

func newScripted(f *Family) *scripted {
	return &scripted{f: f, e: f.NewEnv(nil), c: NewController(f.Params().ActionRange)}
}

func (s *scripted) Learn(t task.Task) task.Outcome { return s.Evaluate(t) }

func (s *scripted) Evaluate(t task.Task) task.Outcome {
	s.tasks = append(s.tasks, t.Clone())
	obs, act := make([]float64, ObsSize), make([]float64, 2)
	s.e.Reset(t, obs)
	l := s.e.(*Env).Layout()
	for {
		s.c.Act(l, obs, act)
		if _, st := s.e.Step(act, obs); st.Done() {
			return s.e.Outcome()
		}
	}
}

// idle is a student that never moves.
type idle struct{ e task.Env }

func (s idle) Learn(t task.Task) task.Outcome { return s.Evaluate(t) }

func (s idle) Evaluate(t task.Task) task.Outcome {
	obs := make([]float64, ObsSize)
	s.e.Reset(t, obs)
	stepToEnd(s.e, obs)
	return s.e.Outcome()
}

func TestEvaluate(t *testing.T) {
	f := testFamily(t, "maze-1", 0.45, func(p *Params) { p.EvalEpisodes = 3 })
	s := newScripted(f)
	e := task.Evaluate(f, s)
	n := len(f.TestSet())
	if e.Mastered != 100 || e.SuccessRate != 100 || len(s.tasks) != 3*n {
		t.Fatalf("scripted student: %+v after %d episodes", e, len(s.tasks))
	}
	if e.ReturnMean >= 0 || e.ReturnMean < -30 || math.Abs(e.ScoreMean-(1+e.ReturnMean/30)) > 1e-12 {
		t.Errorf("scripted student: return %v, score %v", e.ReturnMean, e.ScoreMean)
	}
	for k := range 3 {
		for i, tk := range f.TestSet() {
			got := s.tasks[k*n+i]
			if got.Seed != uint64(i+k*n) || got.Params[0] != tk.Params[0] || got.Params[1] != tk.Params[1] {
				t.Fatalf("episode %d of test goal %d played %v", k, i, got)
			}
		}
	}
	// Test goals are 0.35 from the cell centres: a student that stays at
	// the start cell's centre reaches none.
	f0 := testFamily(t, "maze-1", 0)
	if e := task.Evaluate(f0, idle{f0.NewEnv(nil)}); e.Mastered != 0 || e.ReturnMean != -30 || e.ScoreMean != 0 {
		t.Errorf("idle student: %+v", e)
	}
}

// TestEnvironmentChange checks the Clocked change: it happens when the
// budget reaches change_at in its unit, once, and environments made before
// it play the changed layout from their next Reset, as does the test set.
func TestEnvironmentChange(t *testing.T) {
	for _, unit := range []string{UnitSteps, UnitEpisodes} {
		f := testFamily(t, "u-maze", 0, func(p *Params) {
			p.ChangeLayout, p.ChangeAt, p.ChangeUnit = "u-maze-open", 1000, unit
		})
		e := f.NewEnv(nil).(*Env)
		obs := make([]float64, ObsSize)
		up := []float64{0, 1} // from the start: blocked above in the u-maze
		goal := task.Task{Params: []float64{0, 1}}
		play := func() [2]float64 {
			e.Reset(goal, obs)
			e.Step(up, obs)
			return e.Position()
		}
		if p := play(); p[1] != 0.5-WallMargin || f.Changed() || len(f.TestSet()) != 44 {
			t.Fatalf("%s: before the change, at %v, changed %v, %d test goals", unit, p, f.Changed(), len(f.TestSet()))
		}
		// The other unit's count does not matter.
		other := func(n int64) (int64, int64) {
			if unit == UnitSteps {
				return 1e9, n
			}
			return n, 1e9
		}
		f.Tick(other(999))
		if f.Changed() {
			t.Fatalf("%s: changed at 999", unit)
		}
		e.Reset(goal, obs) // an episode in progress keeps its layout
		f.Tick(other(1000))
		if !f.Changed() || f.Layout().Name != "u-maze-open" || e.Layout().Name != "u-maze" {
			t.Fatalf("%s: at 1000 the family plays %s, changed %v; the running episode %s", unit, f.Layout().Name, f.Changed(), e.Layout().Name)
		}
		if p := play(); p != [2]float64{0, 0.95} {
			t.Fatalf("%s: after the change, at %v", unit, p)
		}
		if len(f.TestSet()) != 48 {
			t.Errorf("%s: %d test goals after the change, want 48", unit, len(f.TestSet()))
		}
		f.Tick(other(0))
		if !f.Changed() {
			t.Errorf("%s: the change was undone", unit)
		}
	}
	f := testFamily(t, "maze-2", 0.45)
	f.Tick(1e12, 1e12)
	if f.Changed() || f.Layout().Name != "maze-2" {
		t.Error("a family without change_layout changed")
	}
}
