package keydoor

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/envs/graphs"
	"github.com/teachbench/teachbench/task"
)

func TestParamsValidate(t *testing.T) {
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	cases := []struct {
		name string
		edit func(p *Params)
		want string
	}{
		{"unknown graph", func(p *Params) { p.Graph = "chain-3" }, `graph = "chain-3": want one of blockedunlockpickup, keycorridor, obstructedmaze`},
		{"empty graph", func(p *Params) { p.Graph = "" }, "graph"},
		{"unknown obs", func(p *Params) { p.Obs = "pixels" }, `obs = "pixels": want onehot or minigrid`},
		{"unknown generator", func(p *Params) { p.ObstructedMaze = "v2" }, `obstructed_maze = "v2"`},
		{"no eval seeds", func(p *Params) { p.EvalSeeds = 0 }, "eval_seeds = 0"},
		{"mastery 0", func(p *Params) { p.Mastery = 0 }, "mastery = 0"},
		{"mastery above 1", func(p *Params) { p.Mastery = 1.5 }, "mastery = 1.5"},
		{"mastery NaN", func(p *Params) { p.Mastery = math.NaN() }, "mastery = NaN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := DefaultParams()
			c.edit(&p)
			err := p.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, c.want)
			}
			if _, err := New(p); err == nil {
				t.Fatal("New accepted invalid parameters")
			}
		})
	}
}

// TestFamilySpaces checks that each graph's space is envs/graphs' (names,
// edges, bounds) and that every task of it is a keydoor task.
func TestFamilySpaces(t *testing.T) {
	for _, g := range Graphs {
		p := DefaultParams()
		p.Graph = g
		f, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := graphs.Build(g)
		sp := f.Spaces()
		if len(sp) != 1 || sp[0] != task.Space(f.Space()) || sp[0].Kind() != task.DiscreteKind {
			t.Fatalf("%s: spaces %v", g, sp)
		}
		d := f.Space()
		if d.Len() != want.Len() || !slices.Equal(d.Edges(), want.Edges()) {
			t.Fatalf("%s: space differs from envs/graphs", g)
		}
		for i := range d.Len() {
			lo, hi := d.Bounds(i)
			if d.Name(i) != want.Name(i) || lo != 0 || hi != 0.5 {
				t.Fatalf("%s task %d: %s [%v, %v]", g, i, d.Name(i), lo, hi)
			}
			if m, _ := MaxSteps(d.Name(i)); f.MaxSteps(i) != m {
				t.Fatalf("%s task %d: max steps %d, want %d", g, i, f.MaxSteps(i), m)
			}
		}
		if n := len(f.TestSet()); n != d.Len()*p.EvalSeeds {
			t.Fatalf("%s: %d test tasks, want %d", g, n, d.Len()*p.EvalSeeds)
		}
		names := f.MetricNames()
		if len(names) != d.Len() || names[0] != "return_"+d.Name(0) {
			t.Fatalf("%s: metric names %v", g, names)
		}
	}
}

// scripted is a student that plays the oracle on the tasks it knows and
// turns in place on the others.
type scripted struct {
	env   *Env
	obs   []float64
	o     Oracle
	solve func(task.Task) bool
}

func (s *scripted) Learn(t task.Task) task.Outcome { return s.Evaluate(t) }

func (s *scripted) Evaluate(t task.Task) task.Outcome {
	s.env.Reset(t, s.obs)
	for {
		a := ActLeft
		if s.solve(t) {
			a = s.o.Act(s.env.World())
		}
		if _, st := s.env.Step([]float64{float64(a)}, s.obs); st.Done() {
			return s.env.Outcome()
		}
	}
}

func TestFamilyEvaluate(t *testing.T) {
	p := DefaultParams()
	p.Graph = "blockedunlockpickup"
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	env := f.NewEnv(nil).(*Env)
	student := func(solve func(task.Task) bool) task.Student {
		return &scripted{env: env, obs: make([]float64, env.ObsSize()), solve: solve}
	}
	cases := []struct {
		name     string
		solve    func(task.Task) bool
		mastered float64
		success  float64
	}{
		{"all", func(task.Task) bool { return true }, 100, 100},
		{"none", func(task.Task) bool { return false }, 0, 0},
		{"first task only", func(t task.Task) bool { return t.Index == 0 }, 100.0 / 3, 100.0 / 3},
		// 9 of 10 seeds meets mastery 0.9 exactly; 8 of 10 does not.
		{"9 of 10 seeds", func(t task.Task) bool { return t.Seed < 9 }, 100, 90},
		{"8 of 10 seeds", func(t task.Task) bool { return t.Seed < 8 }, 0, 80},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := task.Evaluate(f, student(c.solve))
			if math.Abs(e.Mastered-c.mastered) > 1e-9 || math.Abs(e.SuccessRate-c.success) > 1e-9 {
				t.Fatalf("mastered %v, success %v; want %v, %v", e.Mastered, e.SuccessRate, c.mastered, c.success)
			}
			if len(e.Extra) != 3 {
				t.Fatalf("extra %v, want one mean return per task", e.Extra)
			}
			var sum float64
			for i, r := range e.Extra {
				sum += r
				if r < 0 || r > 1 {
					t.Fatalf("task %d: mean return %v", i, r)
				}
			}
			if math.Abs(sum/3-e.ReturnMean) > 1e-12 || e.ScoreMean != e.ReturnMean {
				t.Fatalf("return mean %v, score mean %v, per-task returns %v", e.ReturnMean, e.ScoreMean, e.Extra)
			}
			if c.success == 0 && e.ReturnMean != 0 {
				t.Fatalf("return mean %v without success", e.ReturnMean)
			}
		})
	}
}

// TestMastered checks the single-episode rule.
func TestMastered(t *testing.T) {
	f, _ := New(DefaultParams())
	if !f.Mastered(task.Task{}, task.Outcome{Success: true, Steps: 1}) || f.Mastered(task.Task{}, task.Outcome{Steps: 1}) {
		t.Fatal("Mastered should report the episode's success")
	}
}
