package walker

import (
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func defaultEnv(t testing.TB, edit func(*Params)) (*Family, *Env) {
	t.Helper()
	p := DefaultParams()
	if edit != nil {
		edit(&p)
	}
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return f, f.NewEnv(nil).(*Env)
}

// randomActions fills a with a smooth pseudo-random action sequence: random
// targets held for a few steps, so that the walker moves a lot.
type randomActions struct {
	rng  *rand.Rand
	hold int
	a    []float64
}

func (r *randomActions) next() []float64 {
	if r.hold == 0 {
		for i := range r.a {
			r.a[i] = 2*r.rng.Float64() - 1
		}
		r.hold = 1 + r.rng.IntN(10)
	}
	r.hold--
	return r.a
}

// rollout plays n steps (or until the episode ends) of task tk with the
// action sequence drawn from seed, and returns every observation and
// reward, concatenated.
func rollout(e *Env, tk task.Task, seed uint64, n int) (obs, rewards []float64) {
	o := make([]float64, e.ObsSize())
	e.Reset(tk, o)
	obs = append(obs, o...)
	acts := &randomActions{rng: rand.New(rand.NewPCG(seed, 0)), a: make([]float64, e.Actions().Dims)}
	for range n {
		r, st := e.Step(acts.next(), o)
		obs = append(obs, o...)
		rewards = append(rewards, r)
		if st.Done() {
			break
		}
	}
	return obs, rewards
}

func identical(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func TestDeterminism(t *testing.T) {
	_, e := defaultEnv(t, nil)
	tk := task.Task{Params: []float64{1, 2}, Seed: 42}
	obs1, rew1 := rollout(e, tk, 7, 300)
	// The same instance after other episodes, and a fresh one, replay the
	// episode bit for bit: nothing carries over from an instance's history.
	rollout(e, task.Task{Params: []float64{2.5, 0.5}, Seed: 1}, 3, 200)
	obs2, rew2 := rollout(e, tk, 7, 300)
	_, fresh := defaultEnv(t, nil)
	obs3, rew3 := rollout(fresh, tk, 7, 300)
	if !identical(obs1, obs2) || !identical(rew1, rew2) {
		t.Error("replaying an episode on the same instance differs")
	}
	if !identical(obs1, obs3) || !identical(rew1, rew3) {
		t.Error("replaying an episode on a fresh instance differs")
	}
	// Another seed changes the track and the initial push.
	obs4, _ := rollout(e, task.Task{Params: tk.Params, Seed: 43}, 7, 300)
	if identical(obs1, obs4) {
		t.Error("a different task seed gave the same episode")
	}
}

// TestParallelWorlds steps many worlds in parallel goroutines and checks
// each against a sequential run (run with -race to check for data races;
// cp's global body counter is guarded by buildMu).
func TestParallelWorlds(t *testing.T) {
	f, _ := defaultEnv(t, nil)
	const n = 4
	want := make([][]float64, n)
	for i := range want {
		want[i], _ = rollout(f.NewEnv(nil).(*Env), task.Task{Params: []float64{0.5, 3}, Seed: uint64(i)}, uint64(i), 100)
	}
	got := make([][]float64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			e := f.NewEnv(nil).(*Env)
			for range 3 {
				got[i], _ = rollout(e, task.Task{Params: []float64{0.5, 3}, Seed: uint64(i)}, uint64(i), 100)
			}
		})
	}
	wg.Wait()
	for i := range n {
		if !identical(want[i], got[i]) {
			t.Errorf("world %d differs when run in parallel", i)
		}
	}
}

func TestJointLimits(t *testing.T) {
	_, e := defaultEnv(t, nil)
	const tol = 0.05 // rad
	worst := 0.0
	for seed := range uint64(4) {
		obs, _ := rollout(e, task.Task{Params: []float64{1, 1}, Seed: seed}, seed, 500)
		for k := 0; k+e.ObsSize() <= len(obs); k += e.ObsSize() {
			o := obs[k:]
			for l := range 2 {
				hip, knee := o[4+5*l], o[6+5*l]-1
				worst = max(worst, hipLo-hip, hip-hipHi, kneeLo-knee, knee-kneeHi)
			}
		}
	}
	if worst > tol {
		t.Errorf("a joint passed its limit by %.3f rad, want at most %v", worst, tol)
	}
	t.Logf("largest limit violation under random actions: %.4f rad", worst)
}

func TestRewardTerms(t *testing.T) {
	e := NewEnv(Bodies[0], DefaultPhysics(), 2000)
	obs := make([]float64, e.ObsSize())
	e.ResetTerrain(FlatTrack(), 1, obs)
	shaping := func() float64 { return 130*e.HullPosition().X/Scale - 5*math.Abs(obs[0]) }
	acts := &randomActions{rng: rand.New(rand.NewPCG(1, 1)), a: make([]float64, 4)}
	for range 30 {
		before := shaping()
		a := acts.next()
		a[3] *= 1.7 // beyond the range: costs as 1
		r, st := e.Step(a, obs)
		if st.Done() {
			t.Fatal("episode ended during the test")
		}
		cost := 0.0
		for _, v := range a {
			cost += 0.00035 * MotorsTorque * min(math.Abs(v), 1)
		}
		if want := shaping() - before - cost; math.Abs(r-want) > 1e-9 {
			t.Fatalf("reward %v, want progress+angle terms %v minus torque cost %v", r, shaping()-before, cost)
		}
	}
	// The full action costs 4 × 0.028 = 0.112 per step.
	r0 := e.ret
	before := shaping()
	r, _ := e.Step([]float64{1, -1, 1, -1}, obs)
	if math.Abs(shaping()-before-r-0.112) > 1e-12 || math.Abs(e.Outcome().Return-(r0+r)) > 1e-12 {
		t.Errorf("full-action step: reward %v, shaping change %v", r, shaping()-before)
	}
}

func TestFallTerminates(t *testing.T) {
	// With no torque the walker collapses and its hull hits the ground.
	e := NewEnv(Bodies[0], DefaultPhysics(), 2000)
	obs := make([]float64, e.ObsSize())
	e.ResetTerrain(FlatTrack(), 1, obs)
	zero := make([]float64, 4)
	var r float64
	var st task.StepStatus
	for st == task.Running {
		r, st = e.Step(zero, obs)
	}
	o := e.Outcome()
	if st != task.Terminated || r != -100 || o.Success || o.Steps >= 2000 {
		t.Fatalf("after the fall: status %v, last reward %v, outcome %+v", st, r, o)
	}
	if o.Score != Score(o.Return) || o.Return > -90 {
		t.Errorf("fall outcome %+v", o)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "after the episode ended") {
			t.Errorf("stepping an ended episode: %v", r)
		}
	}()
	e.Step(zero, obs)
}

func TestTruncation(t *testing.T) {
	_, e := defaultEnv(t, func(p *Params) { p.MaxSteps = 30 })
	obs := make([]float64, e.ObsSize())
	e.Reset(task.Task{Params: []float64{0, 6}, Seed: 1}, obs)
	g := NewGait()
	a := make([]float64, 4)
	for i := 1; ; i++ {
		g.Act(obs, a)
		_, st := e.Step(a, obs)
		if st.Done() {
			if st != task.Truncated || i != 30 || e.Outcome().Steps != 30 {
				t.Fatalf("ended at step %d with %v, want truncation at 30", i, st)
			}
			break
		}
	}
}

func TestBadActions(t *testing.T) {
	_, e := defaultEnv(t, nil)
	obs := make([]float64, e.ObsSize())
	for _, tc := range []struct {
		action []float64
		msg    string
	}{
		{[]float64{0, math.NaN(), 0, 0}, "action[1] = NaN"},
		{[]float64{0, 0, math.Inf(-1), 0}, "action[2] = -Inf"},
		{[]float64{0, 0, 0}, "action has 3 values, want 4"},
	} {
		e.Reset(task.Task{Params: []float64{0, 6}, Seed: 1}, obs)
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), tc.msg) {
					t.Errorf("Step(%v) panicked with %v, want a message containing %q", tc.action, r, tc.msg)
				}
			}()
			e.Step(tc.action, obs)
		}()
	}
}

func TestFamilylessEnv(t *testing.T) {
	e := NewEnv(Bodies[0], DefaultPhysics(), 10)
	obs := make([]float64, e.ObsSize())
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "ResetTerrain") {
			t.Errorf("Reset without a family panicked with %v", r)
		}
	}()
	e.Reset(task.Task{Params: []float64{0, 6}}, obs)
}

func TestObservationLayout(t *testing.T) {
	for _, b := range Bodies {
		e := NewEnv(b, DefaultPhysics(), 100)
		if e.ObsSize() != 4+10*len(b.PairsX)+10 || e.Actions().Dims != 4*len(b.PairsX) {
			t.Errorf("%s: obs %d, actions %v", b.Name, e.ObsSize(), e.Actions())
		}
		obs := make([]float64, e.ObsSize())
		e.ResetTerrain(FlatTrack(), 0, obs)
		// Standing on flat ground after the first step: hull level, knees on
		// their stop (angle + 1 ≈ 0.9), both feet down, and the lidar's
		// first ray reads the hull's height over the ground.
		if math.Abs(obs[0]) > 0.02 {
			t.Errorf("%s: hull angle %v after reset", b.Name, obs[0])
		}
		for l := range b.Legs() {
			if k := obs[6+5*l]; math.Abs(k-0.9) > 0.05 {
				t.Errorf("%s: leg %d knee obs %v, want about 0.9", b.Name, l, k)
			}
		}
		lidar := obs[len(obs)-LidarRays:]
		want := (e.HullPosition().Y - TerrainHeight) / LidarRange
		if math.Abs(lidar[0]-want) > 1e-9 {
			t.Errorf("%s: lidar[0] = %v, want %v", b.Name, lidar[0], want)
		}
	}
}
