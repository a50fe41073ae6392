package walker

import (
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// walk plays one episode of the scripted gait on terrain tr.
func walk(e *Env, tr *Terrain, seed uint64) (last float64, st task.StepStatus) {
	obs := make([]float64, e.ObsSize())
	a := make([]float64, e.Actions().Dims)
	g := NewGait()
	e.ResetTerrain(tr, seed, obs)
	g.Reset()
	for !st.Done() {
		g.Act(obs, a)
		last, st = e.Step(a, obs)
	}
	return last, st
}

// TestGaitWalksFlatGround is the behavioural check of the engine tuning:
// the scripted gait walks flat ground to the finish within the step limit,
// as it does in Box2D (see the package documentation).
func TestGaitWalksFlatGround(t *testing.T) {
	f, e := defaultEnv(t, nil)
	for seed := range uint64(3) {
		last, st := walk(e, FlatTrack(), seed)
		o := e.Outcome()
		if st != task.Terminated || last == -100 || e.HullPosition().X <= FinishX {
			t.Fatalf("seed %d: ended with %v at x = %.1f after %d steps (last reward %v), want the finish", seed, st, e.HullPosition().X, o.Steps, last)
		}
		// Finishing is a success and masters the track.
		if !o.Success || !f.Mastered(task.Task{}, o) || o.Return < 270 || o.Score < 0.8 {
			t.Errorf("seed %d: finishing outcome %+v", seed, o)
		}
		t.Logf("seed %d: finish in %d steps, return %.1f", seed, o.Steps, o.Return)
	}
}

// TestGaitOnStumps checks the other half of the behavioural check: the
// gait walks the easy end of Stump Tracks and falls on tall stumps.
func TestGaitOnStumps(t *testing.T) {
	_, e := defaultEnv(t, nil)
	for _, tc := range []struct {
		height, spacing float64
		finish          bool
	}{
		{0, 6, true}, // stumps of a few centimetres
		{1, 3, false},
		{2, 6, false},
		{3, 0, false},
	} {
		for seed := range uint64(2) {
			tr := StumpTrack(tc.height, tc.spacing, rand.New(rand.NewPCG(seed, 9)))
			last, st := walk(e, tr, seed)
			x := e.HullPosition().X
			if tc.finish {
				if st != task.Terminated || x <= FinishX {
					t.Errorf("stumps %v/%v seed %d: stopped at x = %.1f with %v, want the finish", tc.height, tc.spacing, seed, x, st)
				}
				continue
			}
			if st != task.Terminated || last != -100 || x > 20 {
				t.Errorf("stumps %v/%v seed %d: ended with %v (last reward %v) at x = %.1f, want a fall at the first stumps", tc.height, tc.spacing, seed, st, last, x)
			}
		}
	}
}
