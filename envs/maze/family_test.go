package maze

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// TestParamsValidate checks that every bad parameter gets an error naming
// the key and the expected values.
func TestParamsValidate(t *testing.T) {
	if err := DefaultParams().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		set  func(p *Params)
		want string
	}{
		{"budget above interior", func(p *Params) { p.Walls = 168 }, "walls = 168: want 0..167 (the 13×13 interior has 169 cells"},
		{"budget above small interior", func(p *Params) { p.Size, p.Walls = 6, 15 }, "walls = 15: want 0..14"},
		{"negative budget", func(p *Params) { p.Walls = -1 }, "walls = -1"},
		{"size", func(p *Params) { p.Size = 3 }, "size = 3: want 4..257"},
		{"wall count", func(p *Params) { p.WallCount = "all" }, `wall_count = "all": want one of half, uniform, budget`},
		{"editor", func(p *Params) { p.Editor = "walls" }, `editor = "walls": want one of walls_none_agent_goal`},
		{"horizon", func(p *Params) { p.Horizon = 0 }, "horizon = 0"},
		{"actions", func(p *Params) { p.Actions = 4 }, "actions = 4: want 3"},
		{"no mazes", func(p *Params) { p.EvalMazes = nil }, "eval_mazes is empty"},
		{"unknown maze", func(p *Params) { p.EvalMazes = []string{"Maze", "Maze4"} }, `eval_mazes[1] = "Maze4": want one of SixteenRooms`},
		{"repeated maze", func(p *Params) { p.EvalMazes = []string{"Maze", "Maze"} }, `eval_mazes lists "Maze" twice`},
		{"episodes", func(p *Params) { p.EvalEpisodes = 0 }, "eval_episodes = 0"},
		{"eval horizon", func(p *Params) { p.EvalHorizon = -5 }, "eval_horizon = -5"},
	} {
		p := DefaultParams()
		c.set(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if _, err := New(p); err == nil {
			t.Errorf("%s: New accepted the parameters", c.name)
		}
	}
}

// oracleStudent plays every task with the oracle; a lazy one never moves.
type oracleStudent struct {
	f     *Family
	lazy  bool
	seeds []uint64
}

func (s *oracleStudent) Learn(t task.Task) task.Outcome { return s.Evaluate(t) }

func (s *oracleStudent) Evaluate(t task.Task) task.Outcome {
	s.seeds = append(s.seeds, t.Seed)
	e := s.f.NewEnv(nil).(*Env)
	obs := make([]float64, e.ObsSize())
	e.Reset(t, obs)
	var o Oracle
	o.Reset(e.Level())
	act := []float64{ActLeft}
	for {
		if !s.lazy {
			p, d := e.Agent()
			act[0] = float64(o.Act(p, d))
		}
		if _, st := e.Step(act, obs); st.Done() {
			return e.Outcome()
		}
	}
}

// TestFamilyEvaluate checks the evaluator: the oracle solves every held-out
// maze (100% mastered) and a student that never moves solves none.
func TestFamilyEvaluate(t *testing.T) {
	p := DefaultParams()
	p.EvalEpisodes = 3
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.MetricNames(), []string{
		"solve_SixteenRooms", "solve_SixteenRoomsFewerDoors", "solve_NineRooms", "solve_NineRoomsFewerDoors",
		"solve_Labyrinth", "solve_Labyrinth2", "solve_LabyrinthFlipped", "solve_Maze", "solve_Maze2", "solve_Maze3",
		"solve_SmallCorridor", "solve_LargeCorridor", "solve_PerfectMazeSmall", "solve_PerfectMazeMedium",
		"solve_FourRooms", "solve_SimpleCrossingS11N5"}) {
		t.Errorf("metric names %v", f.MetricNames())
	}
	s := &oracleStudent{f: f}
	e := task.Evaluate(f, s)
	if e.Mastered != 100 || e.SuccessRate != 100 || len(e.Extra) != 16 || slices.Min(e.Extra) != 100 {
		t.Errorf("oracle: %+v", e)
	}
	if !(e.ScoreMean > 0.5 && e.ScoreMean < 1 && e.ReturnMean == e.ScoreMean) {
		t.Errorf("oracle: score %v, return %v", e.ScoreMean, e.ReturnMean)
	}
	if len(s.seeds) != 16*3 || !slices.Equal(s.seeds[:3], []uint64{0, 1, 2}) {
		t.Errorf("evaluation seeds %v", s.seeds)
	}
	lazy := task.Evaluate(f, &oracleStudent{f: f, lazy: true})
	if lazy.Mastered != 0 || lazy.ScoreMean != 0 || slices.Max(lazy.Extra) != 0 {
		t.Errorf("lazy student: %+v", lazy)
	}
	tests := f.TestSet()
	if len(tests) != 16 {
		t.Fatalf("%d test tasks", len(tests))
	}
	for i, tk := range tests {
		l, err := DecodeLevel(tk.Level)
		if err != nil {
			t.Fatal(err)
		}
		if l.MaxSteps != f.HeldOut()[i].MaxSteps {
			t.Errorf("test task %d has step limit %d, want %d", i, l.MaxSteps, f.HeldOut()[i].MaxSteps)
		}
		if !f.Mastered(tk, task.Outcome{Success: true}) || f.Mastered(tk, task.Outcome{Return: 0.9}) {
			t.Error("Mastered is not the success bit")
		}
	}
}

// TestEvalHorizon checks that eval_horizon replaces the mazes' own limits:
// FourRooms' 100 steps become 10, too few for the oracle on this layout.
func TestEvalHorizon(t *testing.T) {
	p := DefaultParams()
	p.EvalMazes, p.EvalEpisodes, p.EvalHorizon = []string{"FourRooms", "Labyrinth"}, 1, 10
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range f.TestSet() {
		if l, _ := DecodeLevel(tk.Level); l.MaxSteps != 10 {
			t.Errorf("step limit %d, want 10", l.MaxSteps)
		}
	}
	if e := f.Evaluate(&oracleStudent{f: f}); e.Mastered != 0 {
		t.Errorf("oracle solved a maze in 10 steps: %+v", e)
	}
}

// TestFamilyContract checks the family's views and environment.
func TestFamilyContract(t *testing.T) {
	f, err := New(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	var (
		_ task.Episodic  = f
		_ task.Evaluator = f
	)
	sp := f.Spaces()
	if len(sp) != 2 || sp[0].Kind() != task.LevelsKind || sp[1].Kind() != task.BoxKind {
		t.Fatalf("spaces %v", sp)
	}
	if f.Box().Len() != 1 || f.Box().Hi()[0] != 25 {
		t.Errorf("box %v", f.Box())
	}
	e := f.NewEnv(rand.New(rand.NewPCG(1, 1)))
	if e.ObsSize() != ObsSize || ObsSize != 79 || e.Actions().Discrete != 3 {
		t.Errorf("env: obs %d, actions %+v", e.ObsSize(), e.Actions())
	}
	lv := f.Levels().Generate(rand.New(rand.NewPCG(2, 2)))
	if l, _ := DecodeLevel(lv); l.NumWalls() != 12 || l.Width != 13 {
		t.Errorf("generated level:\n%v", l)
	}
	obs := make([]float64, ObsSize)
	e.Reset(task.Task{Params: []float64{20}, Seed: 3}, obs)
	if got := e.(*Env).Level().NumWalls(); got != 20 {
		t.Errorf("Box task gave %d walls", got)
	}
}
