package riac

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/task/tasktest"
)

func newTeacher(t testing.TB, p Params, space task.Space, seed uint64) *Teacher {
	t.Helper()
	tc, err := New(p, space, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func outcome(r float64) task.Outcome { return task.Outcome{Score: r, Return: 100 * r, Steps: 1} }

func update(tc *Teacher, r float64, x ...float64) { tc.Update(task.Task{Params: x}, outcome(r)) }

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Params)
		err  string
	}{
		{func(p *Params) { p.MaxRegionSize = 1 }, "max_region_size = 1"},
		{func(p *Params) { p.ALPWindow = 1 }, "alp_window = 1"},
		{func(p *Params) { p.NbSplitAttempts = 0 }, "nb_split_attempts = 0"},
		{func(p *Params) { p.MinRegionSize = -1 }, "min_region_size = -1"},
		{func(p *Params) { p.MinRegionSize = 101 }, "min_region_size = 101: want at most (max_region_size+1)/2 = 100.5"},
		{func(p *Params) { p.MinDimsRangeRatio = 0.6 }, "min_dims_range_ratio = 0.6"},
		{func(p *Params) { p.DiscardRatio = math.NaN() }, "discard_ratio = NaN"},
		{func(p *Params) { p.MaxCutDraws = 0 }, "max_cut_draws = 0"},
		{func(p *Params) { p.SplitScore = "fixed" }, `split_score = "fixed"`},
		{func(p *Params) { p.ChildALP = "first" }, `child_alp = "first"`},
		{func(p *Params) { p.MutateWorstRatio = -0.1 }, "mutate_worst_ratio = -0.1"},
		{func(p *Params) { p.RandomRatio = 0.95 }, "mutate_worst_ratio + random_ratio = 1.05"},
		{func(p *Params) { p.MutationStd = math.Inf(1) }, "mutation_std = +Inf"},
		{func(p *Params) { p.Signal = "success" }, `signal = "success"`},
	} {
		p := DefaultParams()
		tc.edit(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Validate() = %v, want an error containing %q", err, tc.err)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if p := DefaultParams(); p.minLen() != 10 || p.window() != 200 {
		t.Errorf("default min_region_size %v and alp_window %d, want 10 and 200", p.minLen(), p.window())
	}
	d, _ := task.NewDiscrete([]string{"a", "b"}, nil, nil, nil)
	if _, err := New(DefaultParams(), d, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("riac accepted a discrete space")
	}
}

func TestRegionALP(t *testing.T) {
	p := DefaultParams()
	p.ALPWindow = 5
	tc := newTeacher(t, p, tasktest.UnitBox(t, 1), 1)
	for _, tt := range []struct {
		r    float64
		want float64
	}{
		{1, 0}, {2, 0}, // at most 2 rewards: 0
		{4, 2.5},         // w 3, h 1: |mean(1,2) − 4|
		{8, 4.5},         // w 4, h 2: |mean(1,2) − mean(4,8)|
		{0, 4 - 7.0/3},   // w 5, h 2: |mean(1,2,4) − mean(8,0)|
		{16, 8 - 14.0/3}, // the window slides: |mean(2,4,8) − mean(0,16)|
	} {
		update(tc, tt.r, 0.5)
		if _, _, alp, _, _ := tc.Region(0); math.Abs(alp-tt.want) > 1e-12 {
			t.Fatalf("after reward %v: ALP %v, want %v", tt.r, alp, tt.want)
		}
	}
}

func TestRingSums(t *testing.T) {
	// A ring of 5 pairs that has wrapped: it holds rewards 3..7.
	r := region{tasks: make([]float64, 5), rewards: make([]float64, 5)}
	for i := range 8 {
		r.add([]float64{0}, float64(i))
	}
	for from := 0; from <= 5; from++ {
		for to := from; to <= 5; to++ {
			want := 0.0
			for i := from; i < to; i++ {
				want += float64(3 + i)
			}
			if got := r.sum(from, to); got != want {
				t.Errorf("sum(%d, %d) = %v, want %v", from, to, got, want)
			}
		}
	}
	r.discard(2) // holds 5..7
	if r.n != 3 || r.sum(0, 3) != 18 {
		t.Errorf("after discarding 2: %d pairs summing to %v, want 3 summing to 18", r.n, r.sum(0, 3))
	}
}

// risingLeft returns an episode driver whose reward rises slowly with the
// number of visits to the left half of the unit box (x < 0.5) and is 0 on the
// right half, so that learning progress exists only on the left.
func risingLeft(tc *Teacher, rng *rand.Rand) func() {
	visits := 0
	return func() {
		tk := tc.Sample(rng)
		r := 0.0
		if tk.Params[0] < 0.5 {
			visits++
			r = math.Min(1, float64(visits)/4000)
		}
		tc.Update(tk, outcome(r))
	}
}

func TestSplitsWhereProgressDiffers(t *testing.T) {
	for _, leaves := range []bool{false, true} {
		p := DefaultParams()
		p.SamplingInLeavesOnly = leaves
		tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 7)
		rng := rand.New(rand.NewPCG(7, 7))
		step := risingLeft(tc, rng)
		// The first split happens on the 201st task; with uniform
		// tasks (no ALP yet) it must cut dimension 0 near 0.5.
		for range 201 {
			step()
		}
		if tc.Splits() != 1 {
			t.Fatalf("%d splits after 201 episodes, want 1", tc.Splits())
		}
		root := &tc.regions[0]
		if root.dim != 0 || root.thr < 0.35 || root.thr > 0.65 {
			t.Errorf("first cut on dimension %d at %.3f, want dimension 0 near 0.5", root.dim, root.thr)
		}
		_, _, alpL, _, _ := tc.Region(root.lower)
		_, _, alpU, _, _ := tc.Region(root.upper)
		if !(alpL > alpU) {
			t.Errorf("lower child ALP %v not above upper child ALP %v", alpL, alpU)
		}
		for range 3000 {
			step()
		}
		left := 0
		const n = 4000
		for range n {
			if tc.Sample(rng).Params[0] < 0.5 {
				left++
			}
		}
		// Uniform sampling would give 0.5.
		want := 0.7
		if leaves {
			want = 0.8
		}
		if frac := float64(left) / n; frac < want {
			t.Errorf("sampling_in_leaves_only=%v: %.2f of samples in the half with progress, want at least %.2f", leaves, frac, want)
		}
	}
}

func TestSplitScoreModes(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 1), 1)
	c := cut{alpL: 0.5, alpU: 0.2}
	if s := tc.score(20, 181, c); math.Abs(s-20*181*0.3) > 1e-9 {
		t.Errorf("counts score %v, want %v", s, 20*181*0.3)
	}
	tc.p.SplitScore = "reference"
	if s := tc.score(20, 181, c); math.Abs(s-4*0.3) > 1e-12 {
		t.Errorf("reference score %v, want %v", s, 4*0.3)
	}
	// On rewards without structure the split is driven by noise in the
	// ALPs. The reference score ignores the sizes and so favours cuts
	// leaving a small side, whose ALP is noisiest; the intended score
	// weighs balanced cuts up.
	meanSmaller := func(mode string) float64 {
		sum := 0
		const seeds = 40
		for seed := range seeds {
			p := DefaultParams()
			p.SplitScore = mode
			tc := newTeacher(t, p, tasktest.UnitBox(t, 1), uint64(seed))
			rng := rand.New(rand.NewPCG(uint64(seed), 4))
			for range 201 {
				update(tc, rng.Float64(), rng.Float64())
			}
			if tc.Splits() != 1 {
				t.Fatalf("seed %d: no split", seed)
			}
			_, _, _, n1, _ := tc.Region(1)
			_, _, _, n2, _ := tc.Region(2)
			if n1+n2 != 201 {
				t.Fatalf("children hold %d + %d pairs, want 201", n1, n2)
			}
			sum += min(n1, n2)
		}
		return float64(sum) / seeds
	}
	counts, ref := meanSmaller("counts"), meanSmaller("reference")
	if counts < 42 || ref > 36 {
		t.Errorf("mean size of the smaller child: counts %.1f (want > 42), reference %.1f (want < 36)", counts, ref)
	}
}

func TestChildALP(t *testing.T) {
	mismatches := map[string]int{}
	for _, mode := range []string{"best", "last"} {
		for seed := range 10 {
			p := DefaultParams()
			p.ChildALP = mode
			tc := newTeacher(t, p, tasktest.UnitBox(t, 2), uint64(seed))
			rng := rand.New(rand.NewPCG(uint64(seed), 2))
			for range 201 {
				x, y := rng.Float64(), rng.Float64()
				update(tc, x*rng.Float64(), x, y)
			}
			for id := 1; id <= 2; id++ {
				if r := &tc.regions[id]; math.Abs(r.alp-tc.regionALP(r)) > 1e-12 {
					mismatches[mode]++
				}
			}
		}
	}
	if mismatches["best"] != 0 {
		t.Errorf("child_alp best: %d children do not start with the ALP of their own pairs", mismatches["best"])
	}
	if mismatches["last"] == 0 {
		t.Error("child_alp last: every child starts with the ALP of its own pairs, want the last cut's")
	}
}

func TestDiscardWhenNoValidSplit(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(*Params)
		task func(rng *rand.Rand) float64
	}{
		// Both children would need half the range: no cut is valid.
		{"width", func(p *Params) { p.MinDimsRangeRatio = 0.5 }, func(rng *rand.Rand) float64 { return rng.Float64() }},
		// Identical tasks: no cut leaves min_region_size on each side
		// (the reference loops forever here).
		{"minlen", func(*Params) {}, func(*rand.Rand) float64 { return 0.3 }},
	} {
		p := DefaultParams()
		tt.edit(&p)
		tc := newTeacher(t, p, tasktest.UnitBox(t, 1), 3)
		rng := rand.New(rand.NewPCG(3, 3))
		for range 200 {
			update(tc, rng.Float64(), tt.task(rng))
		}
		if _, _, _, n, _ := tc.Region(0); n != 200 || tc.Discards() != 0 {
			t.Fatalf("%s: %d pairs and %d discards before the leaf is full", tt.name, n, tc.Discards())
		}
		update(tc, 0.5, tt.task(rng))
		_, _, _, n, leaf := tc.Region(0)
		if tc.Splits() != 0 || !leaf || tc.Discards() != 1 || n != 201-50 {
			t.Fatalf("%s: %d splits, %d discards, %d pairs left; want 0, 1 and 151", tt.name, tc.Splits(), tc.Discards(), n)
		}
		// The oldest pairs went: the newest is still the last one.
		r := &tc.regions[0]
		if got := r.rewards[r.at(n-1)]; got != 0.5 {
			t.Fatalf("%s: newest reward %v after the discard, want 0.5", tt.name, got)
		}
		for range 50 {
			update(tc, rng.Float64(), tt.task(rng))
		}
		if tc.Discards() != 2 {
			t.Fatalf("%s: %d discards once the leaf is full again, want 2", tt.name, tc.Discards())
		}
	}
}

func TestHalfOpenChildren(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 4)
	rng := rand.New(rand.NewPCG(4, 4))
	for range 201 {
		update(tc, rng.Float64(), rng.Float64(), rng.Float64())
	}
	root := &tc.regions[0]
	x := []float64{0.5, 0.5}
	x[root.dim] = root.thr // on the cut: both boxes contain it
	nl, nu := tc.regions[root.lower].n, tc.regions[root.upper].n
	update(tc, 1, x...)
	if tc.regions[root.lower].n != nl+1 || tc.regions[root.upper].n != nu {
		t.Fatalf("a task on the cut went to lower %d→%d, upper %d→%d; want the lower child only",
			nl, tc.regions[root.lower].n, nu, tc.regions[root.upper].n)
	}
}

func TestSamplingModes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	// Mode 3 only: the lowest-reward task plus noise.
	p := DefaultParams()
	p.MutateWorstRatio, p.RandomRatio, p.MutationStd = 1, 0, 0.01
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 5)
	if x := tc.Sample(rng).Params; !tc.box.Contains(x) {
		t.Fatalf("first sample %v (no pair yet) outside the space", x)
	}
	update(tc, 0.9, 0.1, 0.1)
	update(tc, 0.2, 0.7, 0.3) // the worst
	update(tc, 0.2, 0.2, 0.9) // as bad, but newer
	for range 100 {
		x := tc.Sample(rng).Params
		if math.Abs(x[0]-0.7) > 0.05 || math.Abs(x[1]-0.3) > 0.05 {
			t.Fatalf("mode 3 sample %v far from the oldest lowest-reward task (0.7, 0.3)", x)
		}
	}
	// Mode 3 clips into the region shrunk by 1e-5.
	tc.p.MutationStd = 10
	for range 100 {
		for _, v := range tc.Sample(rng).Params {
			if v < 1e-5 || v > 1-1e-5 {
				t.Fatalf("mode 3 sample coordinate %v not inside the shrunk region", v)
			}
		}
	}
	// Mode 2 only: uniform whatever the ALPs.
	p = DefaultParams()
	p.MutateWorstRatio, p.RandomRatio = 0, 1
	tc = newTeacher(t, p, tasktest.UnitBox(t, 2), 5)
	step := risingLeft(tc, rng)
	for range 1000 {
		step()
	}
	left := 0
	for range 4000 {
		if tc.Sample(rng).Params[0] < 0.5 {
			left++
		}
	}
	if f := float64(left) / 4000; math.Abs(f-0.5) > 0.04 {
		t.Errorf("random_ratio 1: %.2f of samples on the left, want 0.5", f)
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 1)
	tc.Update(task.Task{Params: []float64{0.5, 0.5}}, task.Outcome{Score: math.NaN()})
	tc.Update(task.Task{Params: []float64{0.5, 0.5}}, task.Outcome{Score: math.Inf(1)})
	update(tc, 0.5, math.NaN(), 0.5)
	update(tc, 0.5, 1.5, 0.5)
	update(tc, 0.5, 0.5)
	if _, _, _, n, _ := tc.Region(0); tc.Ignored() != 5 || n != 0 {
		t.Fatalf("ignored %d, recorded %d; want 5 and 0", tc.Ignored(), n)
	}
}

func TestZeroWidthDimension(t *testing.T) {
	b, err := task.NewBox(task.Dim{Name: "h", Lo: 0, Hi: 3}, task.Dim{Name: "w", Lo: 0.25, Hi: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	tc := newTeacher(t, DefaultParams(), b, 5)
	rng := rand.New(rand.NewPCG(5, 5))
	for i := range 3000 {
		tk := tc.Sample(rng)
		if tk.Params[1] != 0.25 || !b.Contains(tk.Params) {
			t.Fatalf("sample %v left the zero-width dimension", tk.Params)
		}
		tc.Update(tk, outcome(float64(i%7)/7*tk.Params[0]))
	}
	if tc.Splits() == 0 {
		t.Fatal("no split along the dimension of positive width")
	}
	for i := range tc.Regions() {
		if r := &tc.regions[i]; r.lower >= 0 && r.dim != 0 {
			t.Fatalf("region %d cut along the zero-width dimension", i)
		}
		if _, _, alp, _, _ := tc.Region(i); math.IsNaN(alp) {
			t.Fatalf("region %d has a NaN ALP", i)
		}
	}
	// A space of only zero-width dimensions cannot split: discards.
	b, _ = task.NewBox(task.Dim{Name: "w", Lo: 2, Hi: 2})
	tc = newTeacher(t, DefaultParams(), b, 5)
	for range 201 {
		tc.Update(tc.Sample(rng), outcome(rng.Float64()))
	}
	if tc.Splits() != 0 || tc.Discards() != 1 {
		t.Fatalf("point space: %d splits, %d discards; want 0 and 1", tc.Splits(), tc.Discards())
	}
}

func TestDeterminism(t *testing.T) {
	run := func() []float64 {
		tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 9)
		rng := rand.New(rand.NewPCG(9, 9))
		step := risingLeft(tc, rng)
		for range 1500 {
			step()
		}
		var out []float64
		for range 50 {
			out = append(out, tc.Sample(rng).Params...)
		}
		return out
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("runs differ at %d: %v vs %v", i, a[i], b[i])
		}
	}
}

func TestNoAllocation(t *testing.T) {
	// Without splits (no valid cut: every full leaf discards), Sample and
	// Update never allocate.
	p := DefaultParams()
	p.MinDimsRangeRatio = 0.5
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 1)
	step := risingLeft(tc, rand.New(rand.NewPCG(1, 1)))
	for range 500 {
		step()
	}
	if a := testing.AllocsPerRun(1000, step); a != 0 || tc.Discards() < 10 {
		t.Errorf("Sample+Update allocates %v times per call (%d discards)", a, tc.Discards())
	}
	// Once the regions have reached their minimum width the tree stops
	// growing, and nothing allocates.
	tc = newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 1), 1)
	rng := rand.New(rand.NewPCG(2, 2))
	step = func() { tc.Update(tc.Sample(rng), outcome(rng.Float64())) }
	for range 30000 {
		step()
	}
	regions := tc.Regions()
	if a := testing.AllocsPerRun(2000, step); a != 0 || tc.Regions() != regions {
		t.Errorf("grown tree: %v allocations per call, %d → %d regions", a, regions, tc.Regions())
	}
}

// BenchmarkSampleUpdate measures one Sample+Update on a 2-D space where
// progress exists on one half, splits amortised.
func BenchmarkSampleUpdate(b *testing.B) {
	tc := newTeacher(b, DefaultParams(), tasktest.UnitBox(b, 2), 1)
	step := risingLeft(tc, rand.New(rand.NewPCG(1, 1)))
	for range 2000 {
		step()
	}
	b.ReportAllocs()
	for b.Loop() {
		step()
	}
}
