package toy

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func envStreams(seed uint64) task.Streams {
	return task.Streams{Env: rand.New(rand.NewPCG(seed, 7))}
}

func newProfileStudent(t testing.TB, p Params, seed uint64) (*Family, *Student) {
	t.Helper()
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return f, f.NewStudent(envStreams(seed)).(*Student)
}

// learnOrigin practises the origin cell until it unlocks its neighbours.
func learnOrigin(s *Student, n int) { practise(s, []float64{0.05, 0.05}, n) }

func TestProfileParamsValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Params)
		err  string
	}{
		{func(p *Params) { p.InfeasibleRange = -1 }, "infeasible_range = -1"},
		{func(p *Params) { p.InfeasibleRange = math.Inf(1) }, "infeasible_range = +Inf"},
		{func(p *Params) { p.TrivialRange = math.NaN() }, "trivial_range = NaN"},
		{func(p *Params) { p.IrrelevantDims = -1 }, "irrelevant_dims = -1"},
		{func(p *Params) { p.IrrelevantDims = 101 }, "irrelevant_dims = 101"},
		{func(p *Params) { p.RewardNoise = -0.1 }, "reward_noise = -0.1"},
		{func(p *Params) { p.DecayEvery = -5 }, "decay_every = -5"},
		{func(p *Params) { p.ResetEvery = -5 }, "reset_every = -5"},
		{func(p *Params) { p.ShuffleCuts = 1 }, "shuffle_cuts = 1"},
		{func(p *Params) { p.ShuffleCuts = 4 }, "shuffle_cuts = 4: must divide cells = 10"},
		{func(p *Params) { p.ShuffleCuts = -2 }, "shuffle_cuts = -2"},
		{func(p *Params) { p.OriginWidth = 1.5 }, "origin_width = 1.5"},
		{func(p *Params) { p.OriginWidth = -0.1 }, "origin_width = -0.1"},
	} {
		p := DefaultParams()
		tc.edit(&p)
		if _, err := New(p); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("New(%+v) error = %v, want one containing %q", p, err, tc.err)
		}
	}
	p := DefaultParams()
	p.InfeasibleRange, p.TrivialRange, p.IrrelevantDims, p.RewardNoise = 2, 1, 3, 0.1
	p.DecayEvery, p.ResetEvery, p.ShuffleCuts, p.OriginWidth = 10, 7000, 5, 0.2
	if _, err := New(p); err != nil {
		t.Fatalf("every profile at once: %v", err)
	}
}

func TestDefaultSpaceUnchanged(t *testing.T) {
	f, err := New(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	box := f.Spaces()[0].(*task.Box)
	if got := box.String(); got != "box(x0∈[0,1] x1∈[0,1])" {
		t.Fatalf("default space %s", got)
	}
	for i := range box.Len() {
		if box.Dim(i).Easy != task.EasyLo {
			t.Errorf("dimension %d: easy end %v, want lo", i, box.Dim(i).Easy)
		}
	}
}

func TestInfeasibleRange(t *testing.T) {
	p := DefaultParams()
	p.InfeasibleRange = 2
	f, s := newProfileStudent(t, p, 1)
	box := f.Spaces()[0].(*task.Box)
	if box.Lo()[0] != 0 || box.Hi()[0] != 3 || box.Hi()[1] != 1 {
		t.Fatalf("space %v, want x0 in [0,3]", box)
	}
	if len(f.TestSet()) != 100 {
		t.Fatalf("test set has %d tasks, want the 100 learnable cells", len(f.TestSet()))
	}
	for _, tk := range f.TestSet() {
		if tk.Params[0] > 1 {
			t.Fatalf("test task %v in the infeasible range", tk)
		}
	}
	// Learn the whole top row of learnable cells (x0 index 9) so that the
	// cells beyond it would unlock if they existed.
	for i := range 10 {
		practise(s, centre(i, 0), 76)
	}
	if s.Competence(centre(9, 0)) != 76 {
		t.Fatal("the last learnable row did not learn")
	}
	for _, x := range [][]float64{{1.0001, 0.05}, {1.5, 0.05}, {3, 0.5}} {
		if o := practise(s, x, 100); o.Return != 0 || o.Success {
			t.Errorf("infeasible task %v learned: %+v", x, o)
		}
		if c := s.Competence(x); c != 0 {
			t.Errorf("Competence(%v) = %d", x, c)
		}
	}
	// x0 = 1 still belongs to the last learnable cell.
	if o := practise(s, []float64{1, 0.05}, 1); o.Return != 0.77 {
		t.Fatalf("x0 = 1: %+v, want the last cell of the row", o)
	}
	if m := task.Evaluate(f, s).Mastered; m != 10 {
		t.Fatalf("mastered %v%%, want 10%%", m)
	}
}

func TestTrivialRange(t *testing.T) {
	p := DefaultParams()
	p.TrivialRange = 1
	f, s := newProfileStudent(t, p, 1)
	box := f.Spaces()[0].(*task.Box)
	if box.Lo()[0] != -1 || box.Hi()[0] != 1 || box.Lo()[1] != 0 {
		t.Fatalf("space %v, want x0 in [-1,1]", box)
	}
	// Any x0 < 0 plays the easiest row: (-0.7, 0.05) is the origin cell.
	if o := practise(s, []float64{-0.7, 0.05}, 75); o.Return != 0.75 {
		t.Fatalf("trivial task did not play the origin: %+v", o)
	}
	if c := s.Competence(centre(0, 0)); c != 75 {
		t.Fatalf("origin competence %d, want 75", c)
	}
	// (-0.01, 0.15) plays cell (0, 1), now unlocked.
	if o := practise(s, []float64{-0.01, 0.15}, 3); o.Return != 0.03 {
		t.Fatalf("(-0.01, 0.15): %+v, want cell (0,1)", o)
	}
	if c := s.Competence(centre(0, 1)); c != 3 {
		t.Fatalf("cell (0,1) competence %d, want 3", c)
	}
	if c := s.Competence(centre(1, 1)); c != 0 {
		t.Fatal("trivial tasks leaked into row 1")
	}
	if len(f.TestSet()) != 100 || f.TestSet()[0].Params[0] != 0.05 {
		t.Fatal("test set changed")
	}
}

func TestIrrelevantDims(t *testing.T) {
	p := DefaultParams()
	p.IrrelevantDims = 3
	f, a := newProfileStudent(t, p, 1)
	_, b := newProfileStudent(t, p, 1)
	box := f.Spaces()[0].(*task.Box)
	if box.Len() != 5 || box.Dim(4).Name != "u2" {
		t.Fatalf("space %v, want x0 x1 u0 u1 u2", box)
	}
	for _, tk := range f.TestSet() {
		if len(tk.Params) != 5 || tk.Params[2] != 0.5 || tk.Params[4] != 0.5 {
			t.Fatalf("test task %v", tk)
		}
	}
	// Two students fed the same grid positions with different irrelevant
	// coordinates learn the same competences.
	rng := rand.New(rand.NewPCG(5, 5))
	xa, xb := make([]float64, 5), make([]float64, 5)
	for range 5000 {
		xa[0], xa[1] = 0.3*rng.Float64(), 0.3*rng.Float64()
		xb[0], xb[1] = xa[0], xa[1]
		for j := 2; j < 5; j++ {
			xa[j], xb[j] = rng.Float64(), rng.Float64()
		}
		oa, ob := a.Learn(task.Task{Params: xa}), b.Learn(task.Task{Params: xb})
		if !reflect.DeepEqual(oa, ob) {
			t.Fatalf("outcomes differ with the irrelevant coordinates: %+v vs %+v", oa, ob)
		}
	}
	if ea, eb := task.Evaluate(f, a), task.Evaluate(f, b); ea.Mastered != eb.Mastered || ea.ScoreMean != eb.ScoreMean || ea.Mastered == 0 {
		t.Fatalf("evaluations %+v and %+v", ea, eb)
	}
}

func TestRewardNoise(t *testing.T) {
	p := DefaultParams()
	p.RewardNoise = 0.2
	f, s := newProfileStudent(t, p, 3)
	_, clean := newStudent(t, DefaultParams())
	var sum, sum2 float64
	n := 0
	origin := centre(0, 0)
	for i := range 300 {
		o := s.Learn(task.Task{Params: origin})
		want := clean.Learn(task.Task{Params: origin})
		if err := o.Check(); err != nil {
			t.Fatalf("episode %d: %v", i, err)
		}
		if o.Return != o.Score || o.Success != (o.Return > 0.75) {
			t.Fatalf("inconsistent noisy outcome %+v", o)
		}
		if i >= 100 { // competence is 100: reward = clip(1 + noise)
			if want.Return != 1 {
				t.Fatal("clean student did not reach 100")
			}
		}
		if i < 50 { // competence 1..50: rarely clipped
			d := o.Return - want.Return
			sum += d
			sum2 += d * d
			n++
		}
	}
	mean, std := sum/float64(n), math.Sqrt(sum2/float64(n))
	if math.Abs(mean) > 0.08 || std < 0.14 || std > 0.26 {
		t.Fatalf("noise mean %.3f std %.3f, want about 0 and 0.2", mean, std)
	}
	// Learning and evaluation are noise-free.
	if c := s.Competence(origin); c != 100 {
		t.Fatalf("competence %d under noise, want 100", c)
	}
	if o := s.Evaluate(task.Task{Params: origin}); o.Return != 1 {
		t.Fatalf("Evaluate is noisy: %+v", o)
	}
	if e := task.Evaluate(f, s); e.Mastered != 1 {
		t.Fatalf("mastered %v", e.Mastered)
	}
	// The same env stream gives the same rewards.
	_, s1 := newProfileStudent(t, p, 9)
	_, s2 := newProfileStudent(t, p, 9)
	for range 50 {
		if a, b := s1.Learn(task.Task{Params: origin}), s2.Learn(task.Task{Params: origin}); !reflect.DeepEqual(a, b) {
			t.Fatal("noise is not reproducible from the env stream")
		}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "env stream") {
			t.Fatalf("NewStudent without an env stream: recovered %v", r)
		}
	}()
	f.NewStudent(task.Streams{})
}

func TestDecay(t *testing.T) {
	p := DefaultParams()
	p.DecayEvery = 10
	f, s := newProfileStudent(t, p, 1)
	learnOrigin(s, 100)
	idle := []float64{0.95, 0.95} // a locked cell: episodes there change nothing
	practise(s, idle, 9)
	if c := s.Competence(centre(0, 0)); c != 100 {
		t.Fatalf("competence %d after 9 idle episodes, want 100", c)
	}
	practise(s, idle, 1)
	if c := s.Competence(centre(0, 0)); c != 99 {
		t.Fatalf("competence %d after 10 idle episodes, want 99", c)
	}
	practise(s, idle, 240)
	if c := s.Competence(centre(0, 0)); c != 75 {
		t.Fatalf("competence %d after 250 idle episodes, want 75", c)
	}
	// At 75 the origin still unlocks its neighbours; mastery is lost.
	if e := task.Evaluate(f, s); e.Mastered != 0 {
		t.Fatalf("mastered %v%% with the origin at 75", e.Mastered)
	}
	if o := practise(s, centre(1, 0), 1); o.Return != 0.01 {
		t.Fatalf("neighbour of a cell at 75: %+v", o)
	}
	// Practising (1,0) counts as an idle episode for the origin: 9 more and
	// the origin drops to 74, locking (1,1).
	practise(s, idle, 9)
	if c := s.Competence(centre(0, 0)); c != 74 {
		t.Fatalf("origin at %d, want 74", c)
	}
	if o := practise(s, centre(1, 1), 1); o.Return != 0 {
		t.Fatalf("cell (1,1) learned next to a forgotten origin: %+v", o)
	}
	// Practising the origin restarts its clock and learns from 74.
	if o := practise(s, centre(0, 0), 1); o.Return != 0.75 {
		t.Fatalf("origin after practice: %+v, want 0.75", o)
	}
	practise(s, idle, 9)
	if c := s.Competence(centre(0, 0)); c != 75 {
		t.Fatalf("origin clock not restarted: %d", c)
	}
	// A cell decays to 0, not below.
	practise(s, idle, 5000)
	if c := s.Competence(centre(0, 0)); c != 0 {
		t.Fatalf("competence %d after a long idle period", c)
	}
	if o := practise(s, centre(0, 0), 1); o.Return != 0.01 {
		t.Fatalf("relearning from 0: %+v", o)
	}
}

func TestReset(t *testing.T) {
	p := DefaultParams()
	p.ResetEvery = 200
	f, s := newProfileStudent(t, p, 1)
	learnOrigin(s, 100)
	practise(s, centre(1, 0), 90)
	if e := task.Evaluate(f, s); e.Mastered != 2 {
		t.Fatalf("before the reset: %v%% mastered", e.Mastered)
	}
	practise(s, centre(0, 1), 9) // episodes 190-198
	if c := s.Competence(centre(0, 1)); c != 9 {
		t.Fatalf("cell (0,1) at %d", c)
	}
	practise(s, []float64{0.95, 0.95}, 1) // episode 199, the last before the reset
	if s.Episodes() != 200 {
		t.Fatal("episode count")
	}
	if e := task.Evaluate(f, s); e.Mastered != 0 || e.ScoreMean != 0 {
		t.Fatalf("after the reset: %+v", e)
	}
	if o := practise(s, centre(1, 0), 1); o.Return != 0 {
		t.Fatalf("cell (1,0) learned after the reset: %+v", o)
	}
	if o := practise(s, centre(0, 0), 1); o.Return != 0.01 {
		t.Fatalf("origin after the reset: %+v", o)
	}
	// The second reset, at episode 400, forgets what was learned after the
	// first.
	practise(s, centre(0, 0), 197) // episodes 202-398
	if c := s.Competence(centre(0, 0)); c != 100 {
		t.Fatalf("origin at %d before the second reset", c)
	}
	if o := practise(s, centre(0, 0), 1); o.Return != 1 { // episode 399
		t.Fatalf("last episode before the second reset: %+v", o)
	}
	if c := s.Competence(centre(0, 0)); c != 0 {
		t.Fatalf("origin at %d after the second reset", c)
	}
	if o := practise(s, centre(0, 0), 1); o.Return != 0.01 {
		t.Fatalf("origin after the second reset: %+v", o)
	}
}

func TestShuffle(t *testing.T) {
	p := DefaultParams()
	p.ShuffleCuts = 5
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	if f.Spaces()[0].(*task.Box).Dim(0).Easy != task.EasyUnknown {
		t.Error("a shuffled dimension claims an easy end")
	}
	identity := 0
	for seed := range uint64(20) {
		s := f.NewStudent(envStreams(seed)).(*Student)
		// The cell map is a bijection of the grid that moves blocks of 2
		// cells: every test task plays a different cell, and cells in one
		// block stay together.
		seen := make(map[int]bool)
		for _, tk := range f.TestSet() {
			c := s.cell(tk.Params)
			if seen[c] {
				t.Fatalf("seed %d: two test tasks play cell %d", seed, c)
			}
			seen[c] = true
			i, j := int(tk.Params[0]*10), int(tk.Params[1]*10)
			ci, cj := c%10, c/10
			if ci%2 != i%2 || cj%2 != j%2 {
				t.Fatalf("seed %d: cell (%d,%d) plays (%d,%d), not at the same offset in its block", seed, i, j, ci, cj)
			}
		}
		// Exactly one test task plays the origin; it is in block
		// π⁻¹(0) of each dimension.
		var origin []float64
		for _, tk := range f.TestSet() {
			if s.cell(tk.Params) == 0 {
				origin = tk.Params
			}
		}
		if origin[0] < 0.1 && origin[1] < 0.1 {
			identity++
		}
		for j := range 2 {
			if b := int(origin[j] * 5); s.perm[j][b] != 0 {
				t.Fatalf("seed %d: origin task %v in block %d, which plays block %d", seed, origin, b, s.perm[j][b])
			}
		}
		// % mastered over the whole grid is unchanged by the permutation:
		// learn the (shuffled) origin and its successor, then evaluate.
		if o := practise(s, origin, 80); o.Return != 0.8 {
			t.Fatalf("seed %d: origin task did not learn: %+v", seed, o)
		}
		// Grid cell (1,0) sits next to the origin in the same block: in
		// teacher space it is the next cell along x0.
		next := []float64{origin[0] + 0.1, origin[1]}
		if o := practise(s, next, 1); o.Return != 0.01 {
			t.Fatalf("seed %d: the shuffled neighbour %v did not unlock: %+v", seed, next, o)
		}
		if m := task.Evaluate(f, s).Mastered; m != 1 {
			t.Fatalf("seed %d: %v%% mastered, want 1%%", seed, m)
		}
	}
	if identity > 4 {
		t.Fatalf("the origin stayed at the teacher's origin for %d of 20 seeds: the permutation is not random", identity)
	}
	// The same env seed gives the same permutation.
	a := f.NewStudent(envStreams(3)).(*Student)
	b := f.NewStudent(envStreams(3)).(*Student)
	for j := range a.perm {
		for k := range a.perm[j] {
			if a.perm[j][k] != b.perm[j][k] {
				t.Fatal("permutation is not reproducible from the env stream")
			}
		}
	}
}

func TestOriginWidth(t *testing.T) {
	p := DefaultParams()
	p.OriginWidth = 0.2
	_, s := newProfileStudent(t, p, 1)
	// The origin cell is [0, 0.1)²; its learnable corner is [0, 0.02)².
	for _, x := range [][]float64{{0.05, 0.05}, {0.01, 0.03}, {0.03, 0.01}, {0.02, 0.0}} {
		if o := practise(s, x, 10); o.Return != 0 {
			t.Fatalf("task %v outside the corner learned: %+v", x, o)
		}
	}
	if o := practise(s, []float64{0.019, 0.001}, 75); o.Return != 0.75 {
		t.Fatalf("corner task: %+v", o)
	}
	// The rest of the grid unlocks as usual, over whole cells.
	if o := practise(s, []float64{0.19, 0.05}, 1); o.Return != 0.01 {
		t.Fatalf("neighbour of the learned origin: %+v", o)
	}
	// The origin keeps learning only from its corner.
	if o := practise(s, []float64{0.05, 0.05}, 1); o.Return != 0.75 {
		t.Fatalf("origin learned outside its corner: %+v", o)
	}
}

func TestProfilesAllocateNothing(t *testing.T) {
	p := DefaultParams()
	p.InfeasibleRange, p.TrivialRange, p.IrrelevantDims, p.RewardNoise = 2, 1, 2, 0.1
	p.DecayEvery, p.ResetEvery, p.ShuffleCuts, p.OriginWidth = 10, 700, 5, 0.5
	_, s := newProfileStudent(t, p, 1)
	tk := task.Task{Params: []float64{0.35, 0.45, 0.5, 0.5}}
	if a := testing.AllocsPerRun(1000, func() { s.Learn(tk) }); a != 0 {
		t.Fatalf("Learn allocates %v times per episode", a)
	}
}

func BenchmarkLearnProfiles(b *testing.B) {
	all := DefaultParams()
	all.InfeasibleRange, all.TrivialRange, all.IrrelevantDims, all.RewardNoise = 2, 1, 2, 0.1
	all.DecayEvery, all.ResetEvery, all.ShuffleCuts, all.OriginWidth = 10, 7000, 5, 0.2
	forget := DefaultParams()
	forget.DecayEvery, forget.ResetEvery = 50, 7000
	for _, tc := range []struct {
		name string
		p    Params
	}{{"forgetting", forget}, {"all", all}} {
		b.Run(tc.name, func(b *testing.B) {
			f, s := newProfileStudent(b, tc.p, 1)
			box := f.Spaces()[0].(*task.Box)
			rng := rand.New(rand.NewPCG(1, 1))
			xs := make([][]float64, 1024)
			for i := range xs {
				xs[i] = box.Uniform(nil, rng)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				s.Learn(task.Task{Params: xs[i%len(xs)]})
			}
		})
	}
}
