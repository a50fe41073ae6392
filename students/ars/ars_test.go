package ars

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/task/tasktest"
)

func newStudent(t testing.TB, p Params, env func() task.Env, seed uint64) *Student {
	t.Helper()
	s, err := New(p, fakeFamily{newEnv: env}, tasktest.Streams(seed))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Params)
		want string // "" means valid
	}{
		{"defaults", func(*Params) {}, ""},
		{"mlp", func(p *Params) { p.Policy = MLP }, ""},
		{"v2 without t", func(p *Params) { p.TopDirections = p.Directions }, ""},
		{"unknown policy", func(p *Params) { p.Policy = "rnn" }, `policy = "rnn"`},
		{"no directions", func(p *Params) { p.Directions = 0 }, "directions = 0"},
		{"top above N", func(p *Params) { p.TopDirections = 41 }, "top_directions = 41"},
		{"top zero", func(p *Params) { p.TopDirections = 0 }, "top_directions = 0"},
		{"step size zero", func(p *Params) { p.StepSize = 0 }, "step_size = 0"},
		{"step size NaN", func(p *Params) { p.StepSize = math.NaN() }, "step_size = NaN"},
		{"noise infinite", func(p *Params) { p.Noise = math.Inf(1) }, "noise = +Inf"},
		{"noise negative", func(p *Params) { p.Noise = -0.1 }, "noise = -0.1"},
		{"shift NaN", func(p *Params) { p.Shift = math.NaN() }, "shift = NaN"},
		{"per learn above N", func(p *Params) { p.DirectionsPerLearn = 41 }, "directions_per_learn = 41"},
		{"per learn negative", func(p *Params) { p.DirectionsPerLearn = -1 }, "directions_per_learn = -1"},
		{"parallel negative", func(p *Params) { p.Parallel = -2 }, "parallel = -2"},
		{"mlp without hidden", func(p *Params) { p.Policy, p.Hidden = MLP, nil }, "hidden = []"},
		{"mlp hidden zero", func(p *Params) { p.Policy, p.Hidden = MLP, []int{8, 0} }, "hidden[1] = 0"},
		{"linear ignores hidden", func(p *Params) { p.Hidden = []int{0} }, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := DefaultParams()
			c.edit(&p)
			err := p.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestAccepts(t *testing.T) {
	for _, c := range []struct {
		name string
		f    task.Family
		want bool
	}{
		{"continuous", fakeFamily{newEnv: newReach}, true},
		{"discrete", fakeFamily{newEnv: func() task.Env { return new(discrete) }}, false},
		{"not episodic", notEpisodic{}, false},
	} {
		if got := Accepts(c.f); got != c.want {
			t.Errorf("%s: Accepts = %v, want %v", c.name, got, c.want)
		}
		_, err := New(DefaultParams(), c.f, tasktest.Streams(1))
		if (err == nil) != c.want {
			t.Errorf("%s: New error %v, want error: %v", c.name, err, !c.want)
		}
	}
}

// directions returns the n directions of size values that a student seeded
// with seed draws for its first iteration: standard normals from the batch
// stream, direction by direction.
func directions(seed uint64, n, size int) [][]float64 {
	rng := tasktest.Streams(seed).Batch
	d := make([][]float64, n)
	for k := range d {
		d[k] = make([]float64, size)
		for i := range d[k] {
			d[k][i] = rng.NormFloat64()
		}
	}
	return d
}

// TestUpdateOneDirection checks the update against its closed form. With a
// one-step task paying −(a − g)², observation 1, M = 0 and one direction δ,
// the rollouts earn r± = −(±νδ − g)², so r⁺ − r⁻ = 4νδg, σ_R = 2ν|δg| and
//
//	M₁ = α/(1·σ_R)·(r⁺ − r⁻)·δ = 2α|δ|·sign(g):
//
// a step towards the target of exactly 2α|δ|, whatever ν.
func TestUpdateOneDirection(t *testing.T) {
	for _, c := range []struct {
		target, alpha, noise float64
	}{
		{0.5, 0.03, 0.025},
		{-0.3, 0.1, 0.01},
		{0.8, 0.02, 0.2},
	} {
		p := DefaultParams()
		p.Directions, p.TopDirections, p.StepSize, p.Noise, p.NormalizeObs = 1, 1, c.alpha, c.noise, false
		s := newStudent(t, p, func() task.Env { return &quadratic{obs: []float64{1}, target: c.target} }, 3)
		s.Learn(task.Task{Params: []float64{0}})
		d := directions(3, 1, 1)[0][0]
		want := 2 * c.alpha * math.Abs(d) * math.Copysign(1, c.target)
		if got := s.Weights()[0]; math.Abs(got-want) > 1e-12 {
			t.Errorf("target %v, α %v, ν %v: M = %v, want 2α|δ|·sign(g) = %v (δ = %v)", c.target, c.alpha, c.noise, got, want, d)
		}
	}
}

// TestUpdateTopDirections checks the V2-t update with several directions,
// only the best of which are used, against the formula computed here from
// the same directions, and checks that the step improves the policy.
func TestUpdateTopDirections(t *testing.T) {
	obs := []float64{1, -0.5, 2}
	const target = 0.4
	for _, c := range []struct{ n, b int }{{6, 6}, {6, 2}, {5, 1}} {
		p := DefaultParams()
		p.Directions, p.TopDirections, p.NormalizeObs = c.n, c.b, false
		s := newStudent(t, p, func() task.Env { return &quadratic{obs: obs, target: target} }, 11)
		s.Learn(task.Task{Params: []float64{0}})

		dirs := directions(11, c.n, len(obs))
		reward := func(m []float64) float64 {
			var a float64
			for i, v := range obs {
				a += m[i] * v
			}
			a = min(max(a, -1), 1)
			return -(a - target) * (a - target)
		}
		type pair struct {
			k          int
			plus, mins float64
		}
		pairs := make([]pair, c.n)
		for k, d := range dirs {
			plus, minus := make([]float64, len(d)), make([]float64, len(d))
			for i := range d {
				plus[i], minus[i] = p.Noise*d[i], -p.Noise*d[i]
			}
			pairs[k] = pair{k, reward(plus), reward(minus)}
		}
		slices.SortStableFunc(pairs, func(x, y pair) int { return cmp.Compare(max(y.plus, y.mins), max(x.plus, x.mins)) })
		top := pairs[:c.b]
		var mean, v float64
		for _, q := range top {
			mean += (q.plus + q.mins) / float64(2*c.b)
		}
		for _, q := range top {
			v += ((q.plus-mean)*(q.plus-mean) + (q.mins-mean)*(q.mins-mean)) / float64(2*c.b)
		}
		want := make([]float64, len(obs))
		for _, q := range top {
			for i := range want {
				want[i] += p.StepSize / (float64(c.b) * math.Sqrt(v)) * (q.plus - q.mins) * dirs[q.k][i]
			}
		}
		for i, w := range want {
			if got := s.Weights()[i]; math.Abs(got-w) > 1e-12 {
				t.Errorf("N %d, b %d: M[%d] = %v, want %v", c.n, c.b, i, got, w)
			}
		}
		if r0, r1 := reward(make([]float64, len(obs))), reward(s.Weights()); !(r1 > r0) {
			t.Errorf("N %d, b %d: the update took the reward from %v to %v", c.n, c.b, r0, r1)
		}
	}
}

// TestSkippedUpdate checks that rewards that tell directions apart by
// nothing (σ_R = 0) or are not finite leave the policy unchanged.
func TestSkippedUpdate(t *testing.T) {
	for _, reward := range []float64{1, math.NaN(), math.Inf(-1)} {
		p := DefaultParams()
		p.Directions, p.TopDirections = 4, 2
		s := newStudent(t, p, func() task.Env { return &constant{reward: reward, horizon: 5} }, 1)
		for range 3 {
			s.Learn(task.Task{Params: []float64{0}})
		}
		st := s.Stats()
		if st.Iterations != 3 || st.SkippedUpdates != 3 {
			t.Errorf("reward %v: %d iterations, %d skipped, want 3 and 3", reward, st.Iterations, st.SkippedUpdates)
		}
		for i, w := range s.Weights() {
			if w != 0 {
				t.Fatalf("reward %v: weight %d is %v, want 0", reward, i, w)
			}
		}
	}
}

func TestRunningStat(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const dim, n = 3, 1000
	xs := make([][]float64, n)
	for i := range xs {
		xs[i] = []float64{rng.NormFloat64()*3 + 10, rng.Float64(), 1e6 + rng.NormFloat64()}
	}
	// Two-pass reference.
	mean, std := make([]float64, dim), make([]float64, dim)
	for _, x := range xs {
		for j, v := range x {
			mean[j] += v / n
		}
	}
	for _, x := range xs {
		for j, v := range x {
			std[j] += (v - mean[j]) * (v - mean[j]) / (n - 1)
		}
	}
	for j := range std {
		std[j] = math.Sqrt(std[j])
	}
	check := func(name string, r *RunningStat) {
		t.Helper()
		if r.Len() != n {
			t.Fatalf("%s: %d vectors, want %d", name, r.Len(), n)
		}
		got := make([]float64, dim)
		r.Std(got)
		for j := range dim {
			if math.Abs(r.Mean()[j]-mean[j]) > 1e-9*math.Max(1, math.Abs(mean[j])) || math.Abs(got[j]-std[j]) > 1e-9*std[j] {
				t.Errorf("%s: coordinate %d mean %v std %v, want %v and %v", name, j, r.Mean()[j], got[j], mean[j], std[j])
			}
		}
	}
	all := NewRunningStat(dim)
	for _, x := range xs {
		all.Push(x)
	}
	check("pushed", all)
	// Merged from uneven chunks, with empty ones on either side.
	for _, cuts := range [][]int{{0, 1, 500, 999, 1000}, {0, 0, 333, 1000, 1000}, {0, 1000}} {
		merged := NewRunningStat(dim)
		for i := 1; i < len(cuts); i++ {
			part := NewRunningStat(dim)
			for _, x := range xs[cuts[i-1]:cuts[i]] {
				part.Push(x)
			}
			merged.Merge(part)
		}
		check("merged", merged)
	}
	one := NewRunningStat(dim)
	one.Push(xs[0])
	got := []float64{-1, -1, -1}
	one.Std(got)
	if got[0] != 0 || got[1] != 0 || got[2] != 0 {
		t.Errorf("std of one vector = %v, want zeros", got)
	}
}

// TestNormalization checks that after an iteration the policy normalises
// by the mean and standard deviation of exactly the observations it acted
// on in training (not the last of each episode, not evaluation ones), and
// that a constant coordinate is zeroed.
func TestNormalization(t *testing.T) {
	var envs []*reach
	p := DefaultParams()
	p.Directions, p.TopDirections, p.Parallel = 5, 3, 3
	s := newStudent(t, p, func() task.Env {
		e := &reach{horizon: 7, record: true}
		envs = append(envs, e)
		return e
	}, 2)
	mean, std := make([]float64, 1), make([]float64, 1)
	s.Normalization(mean, std)
	if mean[0] != 0 || std[0] != 1 {
		t.Fatalf("before learning: mean %v std %v, want 0 and 1", mean, std)
	}
	tasks := []task.Task{{Params: []float64{0.5}, Seed: 1}, {Params: []float64{-0.2}, Seed: 2}}
	for _, tk := range tasks {
		s.Learn(tk)
		s.Evaluate(tk)
	}
	ref := NewRunningStat(1)
	for _, e := range envs[1:] { // envs[0] is the evaluation environment
		// Each episode records horizon+1 observations: all but the last
		// were acted on.
		for i, o := range e.seen {
			if i%8 != 7 {
				ref.Push(o)
			}
		}
	}
	if got, want := s.Stats().States, int64(2*2*5*7); got != want || ref.Len() != want {
		t.Fatalf("%d states in the statistics, %d recorded, want %d", got, ref.Len(), want)
	}
	s.Normalization(mean, std)
	wantStd := make([]float64, 1)
	ref.Std(wantStd)
	for j := range 1 {
		if math.Abs(mean[j]-ref.Mean()[j]) > 1e-12 || math.Abs(std[j]-wantStd[j]) > 1e-12 {
			t.Errorf("coordinate %d: mean %v std %v, want %v and %v", j, mean[j], std[j], ref.Mean()[j], wantStd[j])
		}
	}

	c := newStudent(t, p, func() task.Env { return &constant{reward: 1, horizon: 4} }, 1)
	c.Learn(task.Task{Params: []float64{0}})
	cm, cs := make([]float64, 3), make([]float64, 3)
	c.Normalization(cm, cs)
	if cm[0] != 1 || cm[1] != 2 || !math.IsInf(cs[0], 1) || !math.IsInf(cs[1], 1) || math.IsInf(cs[2], 0) {
		t.Errorf("constant coordinates: mean %v std %v, want 1, 2 with std +Inf and a finite std for the third", cm, cs)
	}
}

// history plays a fixed sequence of tasks and records every outcome and
// the final weights.
func history(t *testing.T, p Params, seed uint64) ([]task.Outcome, []float64) {
	s := newStudent(t, p, newReach, seed)
	var out []task.Outcome
	for i := range 12 {
		tk := task.Task{Params: []float64{math.Sin(float64(i))}, Seed: uint64(i)}
		out = append(out, s.Learn(tk), s.Evaluate(tk))
	}
	return out, slices.Clone(s.Weights())
}

func sameOutcome(a, b task.Outcome) bool {
	return a.Return == b.Return && a.Score == b.Score && a.Success == b.Success && a.Steps == b.Steps
}

// TestDeterminismAndParallel checks that a student's results depend only on
// its seed: not on the number of goroutines, bit for bit.
func TestDeterminismAndParallel(t *testing.T) {
	for _, policy := range []string{Linear, MLP} {
		p := DefaultParams()
		p.Policy, p.Hidden, p.Directions, p.TopDirections = policy, []int{6}, 7, 4
		p.Parallel = 1
		refOut, refW := history(t, p, 9)
		for _, par := range []int{1, 2, 3, 16, 0} {
			p.Parallel = par
			out, w := history(t, p, 9)
			if !slices.Equal(w, refW) {
				t.Errorf("%s, parallel %d: weights differ from parallel 1", policy, par)
			}
			for i := range out {
				if !sameOutcome(out[i], refOut[i]) {
					t.Errorf("%s, parallel %d: outcome %d is %+v, want %+v", policy, par, i, out[i], refOut[i])
					break
				}
			}
		}
		if _, w := history(t, p, 10); slices.Equal(w, refW) {
			t.Errorf("%s: seeds 9 and 10 give the same weights", policy)
		}
	}
}

// TestDirectionsPerLearn checks that splitting an iteration over several
// Learn calls (on the same task) changes only how outcomes are grouped.
func TestDirectionsPerLearn(t *testing.T) {
	p := DefaultParams()
	p.Directions, p.TopDirections, p.Parallel = 7, 3, 2
	whole := newStudent(t, p, newReach, 4)
	p.DirectionsPerLearn = 3 // calls of 3, 3 and 1 directions
	split := newStudent(t, p, newReach, 4)
	tk := task.Task{Params: []float64{0.3}, Seed: 5}
	for range 2 {
		o := whole.Learn(tk)
		var steps int
		var ret float64
		for _, n := range []int{3, 3, 1} {
			so := split.Learn(tk)
			steps += so.Steps
			ret += so.Return * float64(2*n)
			if so.Steps != 2*n*20 {
				t.Fatalf("a call of %d directions took %d steps, want %d", n, so.Steps, 2*n*20)
			}
		}
		if steps != o.Steps || math.Abs(ret/14-o.Return) > 1e-12 {
			t.Errorf("split calls: %d steps, mean return %v; whole iteration: %d and %v", steps, ret/14, o.Steps, o.Return)
		}
	}
	if !slices.Equal(whole.Weights(), split.Weights()) {
		t.Errorf("weights differ: %v and %v", whole.Weights(), split.Weights())
	}
	if whole.Stats().Iterations != 2 || split.Stats().Iterations != 2 {
		t.Errorf("iterations %d and %d, want 2", whole.Stats().Iterations, split.Stats().Iterations)
	}
}

// meanEval is the mean evaluation return over the fake family's test set.
func meanEval(s *Student) float64 {
	tests := fakeFamily{}.TestSet()
	var sum float64
	for _, tk := range tests {
		sum += s.Evaluate(tk).Return
	}
	return sum / float64(len(tests))
}

// TestLearnsToReach trains on the 1-D reaching task and checks that the
// policy closes most of the gap between the zero policy (which never moves)
// and a perfect one. The linear policy learns it as ARS V1: with V2's
// normalisation a linear policy without a bias stops where the offset
// equals the mean offset of the states it visits, a fixed point that the
// statistics then reinforce (see the package documentation); the MLP, whose
// hidden layers have biases, learns it as V2.
func TestLearnsToReach(t *testing.T) {
	// A perfect policy moves at full speed until it reaches the goal:
	// compute its mean return on the test set.
	var perfect float64
	tests := fakeFamily{}.TestSet()
	for _, tk := range tests {
		e := newReach().(*reach)
		obs := make([]float64, 1)
		e.Reset(tk, obs)
		for {
			_, st := e.Step([]float64{min(max(obs[0]/0.2, -1), 1)}, obs)
			if st.Done() {
				break
			}
		}
		perfect += e.ret / float64(len(tests))
	}
	for _, c := range []struct {
		policy string
		norm   bool
	}{{Linear, false}, {MLP, true}} {
		p := DefaultParams()
		p.Policy, p.NormalizeObs, p.Hidden, p.Directions, p.TopDirections, p.StepSize = c.policy, c.norm, []int{16}, 8, 4, 0.05
		s := newStudent(t, p, newReach, 21)
		before := meanEval(s)
		rng := rand.New(rand.NewPCG(1, 2))
		const iters = 60
		for range iters {
			s.Learn(task.Task{Params: []float64{2*rng.Float64() - 1}, Seed: rng.Uint64()})
		}
		after := meanEval(s)
		t.Logf("%s (normalize_obs %v): mean test return %.2f before, %.2f after %d iterations; perfect %.2f", c.policy, c.norm, before, after, iters, perfect)
		if gain := (after - before) / (perfect - before); gain < 0.9 {
			t.Errorf("%s: closed %.0f%% of the gap to a perfect policy, want at least 90%%", c.policy, 100*gain)
		}
	}
}

// TestNoAllocations checks that learning and evaluating allocate nothing
// once the student's buffers exist, with one goroutine.
func TestNoAllocations(t *testing.T) {
	for _, policy := range []string{Linear, MLP} {
		p := DefaultParams()
		p.Policy, p.Directions, p.TopDirections = policy, 6, 3
		s := newStudent(t, p, func() task.Env { return &reach{horizon: 50} }, 1)
		tk := task.Task{Params: []float64{0.5}, Seed: 3}
		s.Learn(tk)
		s.Evaluate(tk)
		if a := testing.AllocsPerRun(10, func() { s.Learn(tk) }); a != 0 {
			t.Errorf("%s: Learn allocates %v times per call (600 steps)", policy, a)
		}
		if a := testing.AllocsPerRun(10, func() { s.Evaluate(tk) }); a != 0 {
			t.Errorf("%s: Evaluate allocates %v times per call", policy, a)
		}
	}
}

// TestParallelAllocations checks that with several goroutines allocations
// are per call (starting them), not per step.
func TestParallelAllocations(t *testing.T) {
	p := DefaultParams()
	p.Directions, p.TopDirections, p.Parallel = 6, 3, 3
	var allocs [2]float64
	for i, horizon := range []int{10, 400} {
		s := newStudent(t, p, func() task.Env { return &reach{horizon: horizon} }, 1)
		tk := task.Task{Params: []float64{0.5}, Seed: 3}
		s.Learn(tk)
		allocs[i] = testing.AllocsPerRun(10, func() { s.Learn(tk) })
	}
	if allocs[1] > allocs[0] || allocs[1] > 10 {
		t.Errorf("Learn allocates %v times per call with 10-step episodes and %v with 400-step ones: want a few, independent of length", allocs[0], allocs[1])
	}
}
