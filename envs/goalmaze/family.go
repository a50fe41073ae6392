package goalmaze

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"

	"github.com/teachbench/teachbench/task"
)

// Units of change_at.
const (
	UnitSteps    = "steps"
	UnitEpisodes = "episodes"
)

// Params are the family's parameters.
type Params struct {
	Layout        string  `toml:"layout" doc:"maze: u-maze, maze-1 (square_pbcs_0), maze-2 (square_pbcs_1), maze-3 (snail), maze-4 (snake), or a variant (u-maze-open, maze-1-alt, ..., maze-4-alt)"`
	Horizon       int     `toml:"horizon" doc:"step limit T of an episode; 0 = the layout's own: 30 (SVGG's --env_max_step), except 40 for maze-3, whose far end takes about 28 steps at best"`
	ActionRange   float64 `toml:"action_range" doc:"largest move per step along each axis (the reference's action space [-0.95, 0.95]^2); actions in [-1, 1] are scaled by it"`
	SuccessRadius float64 `toml:"success_radius" doc:"the goal is reached when the agent is closer than this (reference 0.15)"`
	EndOnSuccess  bool    `toml:"end_on_success" doc:"end the episode at the first step that reaches the goal (mrl's --first_visit_done); false: it goes on to T steps and success is the first visit (--first_visit_succ, SVGG's setting)"`
	StartSpread   float64 `toml:"start_spread" doc:"the start is drawn from the task seed uniformly within this distance (per axis) of the start cell's centre, as the reference draws it in the start cell; 0 = always the centre"`
	GoalMargin    float64 `toml:"goal_margin" doc:"the goal space is the maze's bounding box grown by this much on every side, so that it holds invalid goals outside the maze as well as in solid cells"`
	TestPerCell   int     `toml:"test_per_cell" doc:"test goals per open cell along each axis: k*k goals on a uniform grid in every cell (2: 4 per cell, 100 in a 5x5 maze)"`
	EvalEpisodes  int     `toml:"eval_episodes" doc:"evaluation episodes per test goal (seeds differ, so do starts); mastered = mean success over goals and episodes (the reference: 20)"`
	ChangeLayout  string  `toml:"change_layout" doc:"layout that replaces layout once change_at is reached (environment change for the recovery experiment); empty = none. Same grid and start required"`
	ChangeAt      int64   `toml:"change_at" doc:"training budget (in change_unit) after which the layout changes (the reference: epoch 50 = 250000 steps)"`
	ChangeUnit    string  `toml:"change_unit" doc:"unit of change_at: steps or episodes"`
}

// DefaultParams returns the settings of SVGG's point-maze experiments
// (--env_max_step 30, --first_visit_succ) on the U-maze, with four test goals
// per open cell evaluated once each, and no environment change.
func DefaultParams() Params {
	return Params{
		Layout:        "u-maze",
		ActionRange:   0.95,
		SuccessRadius: 0.15,
		StartSpread:   0.45,
		GoalMargin:    0.5,
		TestPerCell:   2,
		EvalEpisodes:  1,
		ChangeAt:      250000,
		ChangeUnit:    UnitSteps,
	}
}

// Validate checks the parameter ranges and names.
func (p Params) Validate() error {
	base, err := LayoutNamed(p.Layout)
	if err != nil {
		return fmt.Errorf("layout = %q: %w", p.Layout, err)
	}
	switch {
	case p.Horizon < 0 || p.Horizon > 100000:
		return fmt.Errorf("horizon = %d: want 0 (the layout's limit) or 1..100000", p.Horizon)
	case !(p.ActionRange > 0 && p.ActionRange <= 1):
		return fmt.Errorf("action_range = %v: want a number in (0, 1] (a move must not jump a cell)", p.ActionRange)
	case !(p.SuccessRadius > 0 && p.SuccessRadius <= 1):
		return fmt.Errorf("success_radius = %v: want a number in (0, 1]", p.SuccessRadius)
	case !(p.StartSpread >= 0 && p.StartSpread <= 0.5-WallMargin):
		return fmt.Errorf("start_spread = %v: want a number in [0, %v] (the start must lie in the start cell)", p.StartSpread, 0.5-WallMargin)
	case !(p.GoalMargin >= 0 && p.GoalMargin <= 10):
		return fmt.Errorf("goal_margin = %v: want a number in [0, 10]", p.GoalMargin)
	case p.TestPerCell < 1 || p.TestPerCell > 20:
		return fmt.Errorf("test_per_cell = %d: want 1..20", p.TestPerCell)
	case p.EvalEpisodes < 1:
		return fmt.Errorf("eval_episodes = %d: want at least 1", p.EvalEpisodes)
	case p.ChangeUnit != UnitSteps && p.ChangeUnit != UnitEpisodes:
		return fmt.Errorf("change_unit = %q: want %s or %s", p.ChangeUnit, UnitSteps, UnitEpisodes)
	case p.ChangeAt < 0:
		return fmt.Errorf("change_at = %d: want at least 0", p.ChangeAt)
	}
	if p.ChangeLayout != "" {
		changed, err := LayoutNamed(p.ChangeLayout)
		if err != nil {
			return fmt.Errorf("change_layout = %q: %w", p.ChangeLayout, err)
		}
		if changed == base {
			return fmt.Errorf("change_layout = %q: the same maze as layout %q", p.ChangeLayout, p.Layout)
		}
		if !sameFrame(base, changed) {
			bw, bh := base.Size()
			cw, ch := changed.Size()
			return fmt.Errorf("change_layout = %q: a %d×%d grid starting at %v, want the %d×%d grid and start %v of layout %q",
				p.ChangeLayout, cw, ch, changed.Start(), bw, bh, base.Start(), p.Layout)
		}
	}
	return nil
}

// Family is the point-maze family. It implements task.Family,
// task.Episodic, task.Evaluator and task.Clocked, and is safe for
// concurrent use.
type Family struct {
	p       Params
	dyn     dynamics
	base    *Layout
	changed *Layout // nil without an environment change
	box     *task.Box
	tests   map[*Layout][]task.Task
	current atomic.Pointer[Layout]
}

// New returns the family for p.
func New(p Params) (*Family, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	f := &Family{
		p: p,
		dyn: dynamics{
			actionRange:  p.ActionRange,
			radius:       p.SuccessRadius,
			horizon:      p.Horizon,
			endOnSuccess: p.EndOnSuccess,
			startSpread:  p.StartSpread,
		},
		tests: make(map[*Layout][]task.Task, 2),
	}
	f.base, _ = LayoutNamed(p.Layout)
	layouts := []*Layout{f.base}
	if p.ChangeLayout != "" {
		f.changed, _ = LayoutNamed(p.ChangeLayout)
		layouts = append(layouts, f.changed)
	}
	lo, hi := f.base.Bounds()
	box, err := task.NewBox(
		task.Dim{Name: "x", Lo: lo[0] - p.GoalMargin, Hi: hi[0] + p.GoalMargin},
		task.Dim{Name: "y", Lo: lo[1] - p.GoalMargin, Hi: hi[1] + p.GoalMargin},
	)
	if err != nil {
		return nil, err
	}
	f.box = box
	for _, l := range layouts {
		goals := l.TestGoals(p.TestPerCell)
		tests := make([]task.Task, len(goals))
		for i, g := range goals {
			tests[i] = task.Task{Params: []float64{g[0], g[1]}, Seed: uint64(i)}
		}
		f.tests[l] = tests
	}
	f.current.Store(f.base)
	return f, nil
}

// Params returns the family's parameters.
func (f *Family) Params() Params { return f.p }

// Spaces returns the goal space: a Box over (x, y), the maze's bounding box
// grown by goal_margin.
func (f *Family) Spaces() []task.Space { return []task.Space{f.box} }

// Box returns the goal space.
func (f *Family) Box() *task.Box { return f.box }

// Layout returns the current layout: the changed one once the environment
// change has happened, the initial one before.
func (f *Family) Layout() *Layout { return f.current.Load() }

// Layouts returns the initial layout and the changed one (nil without a
// change).
func (f *Family) Layouts() (initial, changed *Layout) { return f.base, f.changed }

// Changed reports whether the environment change has happened.
func (f *Family) Changed() bool { return f.changed != nil && f.current.Load() == f.changed }

// Tick changes the layout once the budget spent reaches change_at (in
// change_unit), if the family has a change_layout. The change is
// permanent; environments see it at their next Reset.
func (f *Family) Tick(episodes, steps int64) {
	if f.changed == nil || f.Changed() {
		return
	}
	spent := steps
	if f.p.ChangeUnit == UnitEpisodes {
		spent = episodes
	}
	if spent >= f.p.ChangeAt {
		f.current.Store(f.changed)
	}
}

// TestSet returns the test goals of the current layout: test_per_cell² goals
// on a uniform grid in every open cell (see Layout.TestGoals), the i-th with
// seed i. The caller must not modify them.
func (f *Family) TestSet() []task.Task { return f.tests[f.Layout()] }

// Mastered reports whether the episode reached its goal.
func (f *Family) Mastered(_ task.Task, o task.Outcome) bool { return o.Success }

// NewEnv returns a new environment. It draws nothing from rng: the start
// position comes from each task's seed.
func (f *Family) NewEnv(*rand.Rand) task.Env {
	src := new(rand.PCG)
	return &Env{fam: f, dyn: f.dyn, src: src, rng: rand.New(src), done: true}
}

// MetricNames returns no extra metric.
func (f *Family) MetricNames() []string { return nil }

// Evaluate plays eval_episodes episodes towards every test goal of the
// current layout with s.Evaluate, the k-th episode of test goal i with seed
// i + k·n (n test goals), so that k = 0 plays the TestSet task. Mastered,
// the success coverage, is the percentage of these episodes that reached
// their goal: with one episode per goal, the percentage of test goals
// reached; with more, the mean over goals of their success rate, as SVGG's
// grid evaluation.
func (f *Family) Evaluate(s task.Student) task.Eval {
	tests := f.TestSet()
	var e task.Eval
	n, reps := len(tests), f.p.EvalEpisodes
	var success int
	for k := range reps {
		for i, t := range tests {
			o := s.Evaluate(task.Task{Params: t.Params, Seed: uint64(i) + uint64(k)*uint64(n)})
			if o.Success {
				success++
			}
			e.ScoreMean += o.Score
			e.ReturnMean += o.Return
		}
	}
	total := float64(n * reps)
	e.Mastered = 100 * float64(success) / total
	e.SuccessRate = e.Mastered
	e.ScoreMean /= total
	e.ReturnMean /= total
	return e
}
