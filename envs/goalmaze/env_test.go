package goalmaze

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// testFamily returns the family of p with the given layout and start
// spread.
func testFamily(t testing.TB, layout string, spread float64, mod ...func(*Params)) *Family {
	t.Helper()
	p := DefaultParams()
	p.Layout = layout
	p.StartSpread = spread
	for _, m := range mod {
		m(&p)
	}
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func near(a, b [2]float64) bool { return math.Abs(a[0]-b[0]) < 1e-12 && math.Abs(a[1]-b[1]) < 1e-12 }

// TestMoves checks single moves in maze-1: from the centre of the start
// cell, whose East side is open and whose other sides are walls, and from
// points of cell (1, 2), open to the West and East only, whose East
// neighbour (2, 2) has walls on its North and East sides.
func TestMoves(t *testing.T) {
	l, _ := LayoutNamed("maze-1")
	const m = 0.5 - WallMargin
	for _, tc := range []struct {
		name   string
		from   Cell
		start  [2]float64 // if not the centre of from
		action [2]float64
		want   [2]float64
		cell   Cell
	}{
		{"still", Cell{0, 0}, [2]float64{}, [2]float64{0, 0}, [2]float64{0, 0}, Cell{0, 0}},
		{"free", Cell{0, 0}, [2]float64{}, [2]float64{0.5, 0.2}, [2]float64{0.475, 0.19}, Cell{0, 0}},
		{"into the next cell", Cell{0, 0}, [2]float64{}, [2]float64{1, 0}, [2]float64{0.95, 0}, Cell{1, 0}},
		{"clipped", Cell{0, 0}, [2]float64{}, [2]float64{7, 0}, [2]float64{0.95, 0}, Cell{1, 0}},
		{"wall", Cell{0, 0}, [2]float64{}, [2]float64{0, 1}, [2]float64{0, m}, Cell{0, 0}},
		{"clipped into a wall", Cell{0, 0}, [2]float64{}, [2]float64{-3, -3}, [2]float64{-m, -m}, Cell{0, 0}},
		{"slide along a wall", Cell{0, 0}, [2]float64{}, [2]float64{1, -1}, [2]float64{0.95, -m}, Cell{1, 0}},
		{"slide then cross", Cell{1, 2}, [2]float64{}, [2]float64{-1, 0.8}, [2]float64{1 - 0.95, 2.76}, Cell{0, 3}},
		{"wall after a crossing", Cell{1, 2}, [2]float64{1.45, 2.3}, [2]float64{1, 0.5}, [2]float64{2.4, 2 + m}, Cell{2, 2}},
		{"corner: vertical side first", Cell{1, 2}, [2]float64{1, 2}, [2]float64{1, 1}, [2]float64{1.95, 2 + m}, Cell{2, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := 0.95
			start := tc.start
			if start == ([2]float64{}) {
				start = tc.from.Center()
			}
			p, c := moveIn(l, start, tc.from, r*clip(tc.action[0]), r*clip(tc.action[1]))
			if !near(p, tc.want) || c != tc.cell {
				t.Errorf("move %v from %v: at %v in %v, want %v in %v", tc.action, tc.from, p, c, tc.want, tc.cell)
			}
		})
	}
}

// TestNeverCrossesWall plays long random walks in every layout and checks
// after every step, independently of how moves are computed, that the
// agent is in an open cell, that it moved at most action_range along each
// axis, and that when its cell changed the cells are joined by open sides
// (side-adjacent with no wall, or corner-adjacent with a way round the
// corner).
func TestNeverCrossesWall(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	steps := 20000
	if testing.Short() {
		steps = 4000
	}
	for _, l := range Layouts() {
		f := testFamily(t, l.Name, 0.45, func(p *Params) { p.Horizon = 1000 })
		e := f.NewEnv(nil).(*Env)
		obs := make([]float64, ObsSize)
		act := make([]float64, 2)
		e.Reset(task.Task{Params: []float64{9, 9}, Seed: 1}, obs)
		for i := range steps {
			prev := e.Position()
			// Mostly in range, sometimes far out of it, sometimes
			// along an axis.
			scale := 1.0
			if rng.IntN(8) == 0 {
				scale = 5
			}
			act[0], act[1] = scale*(2*rng.Float64()-1), scale*(2*rng.Float64()-1)
			if rng.IntN(8) == 0 {
				act[rng.IntN(2)] = 0
			}
			if _, st := e.Step(act, obs); st.Done() {
				e.Reset(task.Task{Params: []float64{9, 9}, Seed: uint64(i)}, obs)
				continue
			}
			p := e.Position()
			if !l.Valid(p) {
				t.Fatalf("%s step %d: agent at %v, outside the open cells (from %v, action %v)", l.Name, i, p, prev, act)
			}
			if math.Abs(p[0]-prev[0]) > 0.95+1e-12 || math.Abs(p[1]-prev[1]) > 0.95+1e-12 {
				t.Fatalf("%s step %d: moved from %v to %v", l.Name, i, prev, p)
			}
			a, b := CellAt(prev), CellAt(p)
			dx, dy := b.X-a.X, b.Y-a.Y
			switch {
			case a == b:
			case dx == 0 || dy == 0:
				if !adjacentOpen(l, a, b) {
					t.Fatalf("%s step %d: crossed a wall from %v (%v) to %v (%v)", l.Name, i, prev, a, p, b)
				}
			default:
				viaX, viaY := Cell{b.X, a.Y}, Cell{a.X, b.Y}
				if !(adjacentOpen(l, a, viaX) && adjacentOpen(l, viaX, b) || adjacentOpen(l, a, viaY) && adjacentOpen(l, viaY, b)) {
					t.Fatalf("%s step %d: cut a corner from %v (%v) to %v (%v)", l.Name, i, prev, a, p, b)
				}
			}
			if near(prev, p) && (act[0] != 0 || act[1] != 0) && clear(l, a, prev, [2]float64{prev[0] + 0.95*clip(act[0]), prev[1] + 0.95*clip(act[1])}) {
				t.Fatalf("%s step %d: a move with no wall in its way did not happen", l.Name, i)
			}
		}
	}
}

// TestEpisode checks rewards, first-visit success, the step limit, the
// outcome and the goal interface on scripted episodes in the start cell of
// maze-1 (start at the centre).
func TestEpisode(t *testing.T) {
	right := []float64{0.1 / 0.95, 0} // moves 0.1 to the right
	left := []float64{-0.1 / 0.95, 0}
	stay := []float64{0, 0}
	for _, tc := range []struct {
		name    string
		horizon int
		goal    float64 // x of the goal, on the start's row
		end     bool    // end_on_success
		actions [][]float64
		rewards []float64
		final   task.StepStatus
		success bool
	}{
		{"reached at step 1", 3, 0.2, false, [][]float64{right, right}, []float64{0, 0}, task.Running, true},
		{"radius is strict", 3, 0.25, false, [][]float64{right}, []float64{-1}, task.Running, false},
		{"first visit counts", 5, 0.2, false, [][]float64{right, left, left, right}, []float64{0, -1, -1, -1}, task.Running, true},
		{"ends on success", 3, 0.2, true, [][]float64{stay, right}, []float64{-1, 0}, task.Terminated, true},
		{"never reached", 3, 3, false, [][]float64{stay, stay, stay}, []float64{-1, -1, -1}, task.Truncated, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := testFamily(t, "maze-1", 0, func(p *Params) { p.Horizon = tc.horizon; p.EndOnSuccess = tc.end })
			e := f.NewEnv(nil).(*Env)
			obs := make([]float64, ObsSize)
			e.Reset(task.Task{Params: []float64{tc.goal, 0}}, obs)
			if !slices.Equal(obs, []float64{0, 0, tc.goal, 0}) {
				t.Fatalf("first observation %v", obs)
			}
			var ret float64
			var path []float64
			st := task.Running
			for i, a := range tc.actions {
				var r float64
				r, st = e.Step(a, obs)
				ret += r
				p := e.Position()
				path = append(path, p[0], p[1])
				if r != tc.rewards[i] {
					t.Fatalf("step %d: reward %v, want %v", i+1, r, tc.rewards[i])
				}
				var ag, dg [2]float64
				e.AchievedGoal(ag[:])
				e.DesiredGoal(dg[:])
				if ag != e.Position() || dg != [2]float64{tc.goal, 0} || obs[0] != ag[0] || obs[1] != ag[1] || obs[2] != tc.goal {
					t.Fatalf("step %d: achieved %v, desired %v, observation %v", i+1, ag, dg, obs)
				}
				if g := e.GoalReward(ag[:], dg[:]); g != r {
					t.Fatalf("step %d: GoalReward %v, step reward %v", i+1, g, r)
				}
				if st.Done() != (i == len(tc.actions)-1 && tc.final != task.Running) {
					t.Fatalf("step %d: status %v", i+1, st)
				}
			}
			if st != tc.final {
				t.Errorf("final status %v, want %v", st, tc.final)
			}
			o := e.Outcome()
			if o.Return != ret || o.Success != tc.success || o.Steps != len(tc.actions) {
				t.Errorf("outcome %+v, want return %v, success %v, %d steps", o, ret, tc.success, len(tc.actions))
			}
			if want := 1 + ret/float64(tc.horizon); o.Score != want || o.Check() != nil {
				t.Errorf("score %v, want %v (%v)", o.Score, want, o.Check())
			}
			if p := e.Position(); o.Achieved[0] != p[0] || o.Achieved[1] != p[1] || len(o.Achieved) != 2 {
				t.Errorf("achieved %v, final position %v", o.Achieved, p)
			}
			if !slices.Equal(o.Path, path) {
				t.Errorf("path %v, want the positions after each step %v", o.Path, path)
			}
		})
	}
}

// TestRelabelling checks on random episodes that every step's reward is
// GoalReward(achieved, desired), and that relabelling a transition with the
// goal it achieved gives the success reward.
func TestRelabelling(t *testing.T) {
	f := testFamily(t, "maze-2", 0.45)
	var e task.GoalEnv = f.NewEnv(nil).(*Env)
	rng := rand.New(rand.NewPCG(5, 6))
	obs := make([]float64, e.ObsSize())
	act := make([]float64, e.Actions().Len())
	ag, dg := make([]float64, e.GoalSize()), make([]float64, e.GoalSize())
	for ep := range 200 {
		g := f.Box().Uniform(nil, rng)
		e.Reset(task.Task{Params: g, Seed: uint64(ep)}, obs)
		var ret float64
		var succ bool
		for {
			act[0], act[1] = 2*rng.Float64()-1, 2*rng.Float64()-1
			r, st := e.Step(act, obs)
			e.AchievedGoal(ag)
			e.DesiredGoal(dg)
			if got := e.GoalReward(ag, dg); got != r {
				t.Fatalf("reward %v, GoalReward %v", r, got)
			}
			if e.GoalReward(ag, ag) != 0 {
				t.Fatalf("relabelled with its achieved goal %v, the reward is not 0", ag)
			}
			ret += r
			succ = succ || r == 0
			if st.Done() {
				break
			}
		}
		if o := e.Outcome(); o.Return != ret || o.Success != succ || o.Steps != 30 {
			t.Fatalf("outcome %+v, return %v, success %v", o, ret, succ)
		}
	}
}

// TestStartAndDeterminism checks that the start comes from the task's seed
// within start_spread of the start cell's centre, and that two environments
// play the same task identically.
func TestStartAndDeterminism(t *testing.T) {
	f := testFamily(t, "maze-4", 0.45)
	a, b := f.NewEnv(nil), f.NewEnv(rand.New(rand.NewPCG(9, 9)))
	oa, ob := make([]float64, ObsSize), make([]float64, ObsSize)
	rng := rand.New(rand.NewPCG(1, 1))
	starts := map[[2]float64]bool{}
	for seed := range uint64(50) {
		tk := task.Task{Params: []float64{2, 2}, Seed: seed}
		a.Reset(tk, oa)
		b.Reset(tk, ob)
		if !slices.Equal(oa, ob) {
			t.Fatalf("seed %d: starts %v and %v", seed, oa, ob)
		}
		if math.Abs(oa[0]) > 0.45 || math.Abs(oa[1]) > 0.45 {
			t.Fatalf("seed %d: start %v beyond the spread", seed, oa[:2])
		}
		starts[[2]float64{oa[0], oa[1]}] = true
		for {
			act := []float64{2*rng.Float64() - 1, 2*rng.Float64() - 1}
			ra, sa := a.Step(act, oa)
			rb, sb := b.Step(act, ob)
			if ra != rb || sa != sb || !slices.Equal(oa, ob) {
				t.Fatalf("seed %d: environments diverged", seed)
			}
			if sa.Done() {
				break
			}
		}
	}
	if len(starts) != 50 {
		t.Errorf("%d distinct starts from 50 seeds", len(starts))
	}
	c := testFamily(t, "maze-4", 0).NewEnv(nil)
	c.Reset(task.Task{Params: []float64{2, 2}, Seed: 7}, oa)
	if oa[0] != 0 || oa[1] != 0 {
		t.Errorf("start_spread 0: start %v, want the centre", oa[:2])
	}
}

func TestEnvPanics(t *testing.T) {
	f := testFamily(t, "u-maze", 0)
	obs := make([]float64, ObsSize)
	for name, fn := range map[string]func(e task.Env){
		"one coordinate":    func(e task.Env) { e.Reset(task.Task{Params: []float64{1}}, obs) },
		"NaN goal":          func(e task.Env) { e.Reset(task.Task{Params: []float64{math.NaN(), 1}}, obs) },
		"Discrete task":     func(e task.Env) { e.Reset(task.Task{Index: 2}, obs) },
		"step before reset": func(e task.Env) { e.Step([]float64{0, 0}, obs) },
		"NaN action": func(e task.Env) {
			e.Reset(task.Task{Params: []float64{1, 1}}, obs)
			e.Step([]float64{math.NaN(), 0}, obs)
		},
		"infinite action": func(e task.Env) {
			e.Reset(task.Task{Params: []float64{1, 1}}, obs)
			e.Step([]float64{0, math.Inf(-1)}, obs)
		},
		"step after the end": func(e task.Env) {
			e.Reset(task.Task{Params: []float64{1, 1}}, obs)
			stepToEnd(e, obs)
			e.Step([]float64{0, 0}, obs)
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			fn(f.NewEnv(nil))
		})
	}
}

func stepToEnd(e task.Env, obs []float64) {
	for {
		if _, st := e.Step([]float64{0, 0}, obs); st.Done() {
			return
		}
	}
}

func TestEnvAllocs(t *testing.T) {
	f := testFamily(t, "maze-3", 0.45)
	e := f.NewEnv(nil)
	obs := make([]float64, ObsSize)
	act := []float64{0.3, -0.7}
	tk := task.Task{Params: []float64{2, 3}, Seed: 4}
	e.Reset(tk, obs)
	if n := testing.AllocsPerRun(100, func() {
		if _, st := e.Step(act, obs); st.Done() {
			e.Reset(tk, obs)
		}
		act[0], act[1] = -act[1], act[0]
	}); n != 0 {
		t.Errorf("Step allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { e.Reset(tk, obs) }); n != 0 {
		t.Errorf("Reset allocates %v times", n)
	}
	c := NewController(0.95)
	goals := f.Layout().TestGoals(1)
	i := 0
	act2 := make([]float64, 2)
	c.Act(f.Layout(), []float64{0, 0, 2, 3}, act2) // sizes the buffers
	if n := testing.AllocsPerRun(20, func() {
		g := goals[i%len(goals)]
		i++
		c.Act(f.Layout(), []float64{0.1, -0.2, g[0], g[1]}, act2)
	}); n != 0 {
		t.Errorf("Controller.Act allocates %v times", n)
	}
}

// TestController checks that the scripted controller reaches every test
// goal of every built-in layout within the layout's step limit, from
// several starts.
func TestController(t *testing.T) {
	seeds := 2
	layouts := Layouts()
	if testing.Short() {
		seeds, layouts = 1, layouts[:5]
	}
	for _, l := range layouts {
		f := testFamily(t, l.Name, 0.45, func(p *Params) { p.EndOnSuccess = true })
		e := f.NewEnv(nil).(*Env)
		c := NewController(f.Params().ActionRange)
		obs := make([]float64, ObsSize)
		act := make([]float64, 2)
		worst := 0
		for i, tk := range f.TestSet() {
			for s := range seeds {
				e.Reset(task.Task{Params: tk.Params, Seed: uint64(i*seeds + s)}, obs)
				for {
					c.Act(l, obs, act)
					if _, st := e.Step(act, obs); st.Done() {
						break
					}
				}
				o := e.Outcome()
				if !o.Success {
					t.Fatalf("%s: the controller did not reach %v within %d steps (seed %d)", l.Name, tk.Params, l.Limit, i*seeds+s)
				}
				worst = max(worst, o.Steps)
			}
		}
		t.Logf("%s: at most %d of %d steps", l.Name, worst, l.Limit)
	}
}
