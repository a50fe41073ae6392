package keydoor

import (
	"testing"

	"github.com/teachbench/teachbench/task"
)

// playOracle plays one episode of task (index, seed) with the oracle and
// returns its outcome. The episode stops early if the oracle gives up
// (ActDone: it found no plan).
func playOracle(e *Env, o *Oracle, index int, seed uint64, obs []float64) task.Outcome {
	e.Reset(task.Task{Index: index, Seed: seed}, obs)
	act := []float64{0}
	for {
		a := o.Act(e.World())
		act[0] = float64(a)
		if _, st := e.Step(act, obs); st.Done() || a == ActDone {
			return e.Outcome()
		}
	}
}

// TestOracleSolvesEveryTask is the solvability check: the scripted
// planner solves every task of every graph from many seeds, well within
// the step limit.
func TestOracleSolvesEveryTask(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 50
	}
	for _, g := range Graphs {
		p := DefaultParams()
		p.Graph = g
		f, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		e := f.NewEnv(nil).(*Env)
		obs := make([]float64, e.ObsSize())
		var o Oracle
		for i := range f.Space().Len() {
			name := f.Space().Name(i)
			worst := 0
			for seed := range uint64(seeds) {
				out := playOracle(e, &o, i, seed, obs)
				if !out.Success {
					e.Reset(task.Task{Index: i, Seed: seed}, obs)
					t.Fatalf("%s/%s seed %d: the oracle failed after %d steps on\n%s", g, name, seed, out.Steps, e.World())
				}
				want := 1 - 0.9*(float64(out.Steps)/float64(f.MaxSteps(i)))
				if out.Return != want || out.Score != out.Return {
					t.Fatalf("%s/%s seed %d: return %v, score %v after %d steps; want 1 - 0.9·%d/%d = %v",
						g, name, seed, out.Return, out.Score, out.Steps, out.Steps, f.MaxSteps(i), want)
				}
				worst = max(worst, out.Steps)
			}
			// A planner that sees everything needs a small fraction of
			// the limit (which budgets for exploration).
			if worst > f.MaxSteps(i)/2 {
				t.Errorf("%s/%s: the oracle needed up to %d steps of %d", g, name, worst, f.MaxSteps(i))
			}
			t.Logf("%s/%s: solved %d seeds, at most %d steps of %d", g, name, seeds, worst, f.MaxSteps(i))
		}
	}
}

// TestOracleV0 checks the oracle on the original ObstructedMaze generator:
// it solves every layout that kept all its keys, and fails only on layouts
// where a blocking ball destroyed the key it needs.
func TestOracleV0(t *testing.T) {
	seeds := 200
	if testing.Short() {
		seeds = 40
	}
	p := DefaultParams()
	p.Graph, p.ObstructedMaze = "obstructedmaze", OMv0
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	e := f.NewEnv(nil).(*Env)
	obs := make([]float64, e.ObsSize())
	var o Oracle
	failures := 0
	for i := range f.Space().Len() {
		for seed := range uint64(seeds) {
			e.Reset(task.Task{Index: i, Seed: seed}, obs)
			complete := allKeysPresent(e.World())
			out := playOracle(e, &o, i, seed, obs)
			if !out.Success {
				failures++
				if complete {
					e.Reset(task.Task{Index: i, Seed: seed}, obs)
					t.Fatalf("%s seed %d (v0): every key present, yet the oracle failed on\n%s", f.Space().Name(i), seed, e.World())
				}
			}
		}
	}
	t.Logf("v0: %d of %d episodes unsolvable for want of a key", failures, seeds*f.Space().Len())
}

// allKeysPresent reports whether every locked door of w has a key of its
// colour somewhere (possibly in a box).
func allKeysPresent(w *World) bool {
	c := takeCensus(w)
	for _, p := range c.locked {
		if c.keys[w.At(p).Color] == 0 {
			return false
		}
	}
	return true
}

// TestOracleOnHandMadeWorlds exercises situations the generated tasks make
// rare: a goal cell, a key behind a box in a one-cell-wide corridor, and a
// carried object that must be put down in a dead end.
func TestOracleOnHandMadeWorlds(t *testing.T) {
	cases := []struct {
		name  string
		world string
		setup func(w *World)
		steps int // at most
	}{
		{"goal", `
############
##>>....####
######..##GG
##......##..
##..........
############`, nil, 20},
		{"box in a corridor holds the key", `
##############
##>>..BeLrAB##
##############`, func(w *World) {
			w.Set(Pos{3, 1}, Obj{Kind: Box, Color: Grey, In: Key, InColor: Red})
		}, 20},
		{"blocking ball in a corridor with a side pocket", `
################
##>>..Kg..AyLgAB
######..########`, nil, 40},
		{"open the target door", `
##########
##KyvvLY##
##########`, nil, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := mustParse(t, c.world)
			if c.setup != nil {
				c.setup(w)
			}
			var o Oracle
			for step := 1; step <= c.steps; step++ {
				if w.Act(o.Act(w)) {
					return
				}
			}
			t.Fatalf("not solved in %d steps; world now\n%s\ncarrying %+v", c.steps, w, w.Carrying())
		})
	}
}

func TestOracleAllocs(t *testing.T) {
	p := DefaultParams()
	p.Graph = "obstructedmaze"
	f, _ := New(p)
	e := f.NewEnv(nil).(*Env)
	obs := make([]float64, e.ObsSize())
	var o Oracle
	full := f.Space().Index("Full")
	playOracle(e, &o, full, 1, obs)
	seed := uint64(2)
	n := testing.AllocsPerRun(20, func() {
		playOracle(e, &o, full, seed, obs)
		seed++
	})
	if n != 0 {
		t.Errorf("%v allocations per oracle episode, want 0", n)
	}
}
