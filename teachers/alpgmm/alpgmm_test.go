package alpgmm

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

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Params)
		err  string
	}{
		{func(p *Params) { p.PotentialKs = nil }, "potential_ks is empty"},
		{func(p *Params) { p.PotentialKs = []int{2, 0} }, "potential_ks[1] = 0"},
		{func(p *Params) { p.PotentialKs = []int{2, 3, 2} }, "lists 2 twice"},
		{func(p *Params) { p.FitRate = 10 }, "fit_rate = 10: want more than the largest potential k (10)"},
		{func(p *Params) { p.Fitness = "mdl" }, `fitness = "mdl"`},
		{func(p *Params) { p.RandomRatio = -0.1 }, "random_ratio = -0.1"},
		{func(p *Params) { p.RandomRatio = math.NaN() }, "random_ratio = NaN"},
		{func(p *Params) { p.NbEMInit = 0 }, "nb_em_init = 0"},
		{func(p *Params) { p.EMTol = 0 }, "em_tol = 0"},
		{func(p *Params) { p.RegCovar = -1 }, "reg_covar = -1"},
		{func(p *Params) { p.InitialMean = []float64{0.5} }, "initial_mean has 1 values and initial_std 0"},
		{func(p *Params) { p.InitialMean, p.InitialStd = []float64{0.5}, []float64{-1} }, "initial_std[0] = -1"},
		{func(p *Params) { p.Signal = "reward" }, `signal = "reward"`},
		{func(p *Params) { p.AICcDims = "both" }, `aicc_dims = "both"`},
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
	p := DefaultParams()
	p.InitialMean, p.InitialStd = []float64{0, 0, 0}, []float64{1, 1, 1}
	if _, err := New(p, tasktest.UnitBox(t, 2), rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), "one per dimension") {
		t.Errorf("initial_mean of the wrong dimension: %v", err)
	}
	d, _ := task.NewDiscrete([]string{"a", "b"}, nil, nil, nil)
	if _, err := New(DefaultParams(), d, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("alp-gmm accepted a discrete space")
	}
}

// windowALP returns the ALP recorded for the i-th update (while fewer than
// fit_rate updates have happened).
func windowALP(tc *Teacher, i int) float64 { return tc.window[i*(tc.D+1)+tc.D] }

func TestALPIsDistanceToNearestPreviousReward(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 1)
	upd := func(x, y, r float64) {
		tc.Update(task.Task{Params: []float64{x, y}}, task.Outcome{Score: r, Return: r, Steps: 1})
	}
	// The first six episodes get ALP 0 (the reference needs more than five
	// points in its history).
	for i := range 6 {
		upd(0.1*float64(i), 0.9, float64(i)/10)
	}
	for i := range 6 {
		if a := windowALP(tc, i); a != 0 {
			t.Fatalf("ALP of episode %d = %v, want 0", i, a)
		}
	}
	upd(0.21, 0.9, 0.9) // nearest previous task is (0.2, 0.9) with reward 0.2
	if a := windowALP(tc, 6); math.Abs(a-0.7) > 1e-12 {
		t.Fatalf("ALP = %v, want |0.9 - 0.2| = 0.7", a)
	}
	upd(0.21, 0.9, 0.5) // an exact duplicate: the nearest is the most recent, reward 0.9
	if a := windowALP(tc, 7); math.Abs(a-0.4) > 1e-12 {
		t.Fatalf("ALP = %v, want |0.5 - 0.9| = 0.4", a)
	}
	// The return signal is used when asked for.
	p := DefaultParams()
	p.Signal = "return"
	tr := newTeacher(t, p, tasktest.UnitBox(t, 1), 1)
	for i := range 7 {
		tr.Update(task.Task{Params: []float64{0.5}}, task.Outcome{Score: 0.5, Return: float64(100 * i), Steps: 1})
	}
	if a := windowALP(tr, 6); a != 100 {
		t.Fatalf("ALP on returns = %v, want 100", a)
	}
}

func TestHistoryWindow(t *testing.T) {
	// With alp_max_size 4 and buffer 3, the history is truncated to the 4
	// most recent tasks whenever the buffer of 3 is flushed, as in the
	// reference's buffered dataset.
	p := DefaultParams()
	p.ALPMaxSize, p.ALPBufferSize = 4, 3
	tc := newTeacher(t, p, tasktest.UnitBox(t, 1), 1)
	upd := func(x, r float64) {
		tc.Update(task.Task{Params: []float64{x}}, task.Outcome{Score: r, Steps: 1})
	}
	upd(0.0, 1) // the only task near 0
	for range 8 {
		upd(0.9, 0)
	}
	// History is now: main = 4 tasks at 0.9 (the task at 0 was cut at the
	// flush), buffer = 2 tasks at 0.9. The nearest to 0.01 is at 0.9.
	upd(0.01, 0)
	if a := windowALP(tc, 9); a != 0 {
		t.Fatalf("ALP = %v: the truncated task at 0 (reward 1) is still searched", a)
	}
	// Without a bound the task at 0 is found.
	tu := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 1), 1)
	tu.Update(task.Task{Params: []float64{0}}, task.Outcome{Score: 1, Steps: 1})
	for range 8 {
		tu.Update(task.Task{Params: []float64{0.9}}, task.Outcome{Score: 0, Steps: 1})
	}
	tu.Update(task.Task{Params: []float64{0.01}}, task.Outcome{Score: 0, Steps: 1})
	if a := windowALP(tu, 9); a != 1 {
		t.Fatalf("ALP = %v, want 1 from the task at 0", a)
	}
}

// progressAt feeds the teacher n episodes sampled from it, with a reward
// that rises on each visit to the left half of the space and stays 0 on the
// right, so that learning progress exists only on the left.
func progressAt(t testing.TB, tc *Teacher, rng *rand.Rand, n int) {
	visits := 0
	for range n {
		progressStep(tc, rng, &visits)
	}
}

// progressStep is one episode of progressAt; visits counts the visits to the
// left half.
func progressStep(tc *Teacher, rng *rand.Rand, visits *int) {
	tk := tc.Sample(rng)
	r := 0.0
	if tk.Params[0] < 0.5 {
		*visits++
		r = float64(*visits%20) / 20
	}
	tc.Update(tk, task.Outcome{Score: r, Steps: 1})
}

func TestFocusesOnProgress(t *testing.T) {
	p := DefaultParams()
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 7)
	rng := rand.New(rand.NewPCG(7, 7))
	progressAt(t, tc, rng, 2000)
	if tc.Fits() != 2000/p.FitRate {
		t.Fatalf("%d fits after 2000 episodes, want %d", tc.Fits(), 2000/p.FitRate)
	}
	left := 0
	const n = 4000
	for range n {
		if tc.Sample(rng).Params[0] < 0.5 {
			left++
		}
	}
	// 20% uniform samples put 10% on the left anyway; the GMM branch must
	// put nearly all of the remaining 80% there.
	if frac := float64(left) / n; frac < 0.8 {
		t.Fatalf("%.2f of samples in the half with progress, want at least 0.8", frac)
	}
	for range 100 {
		if x := tc.Sample(rng).Params; !tc.Box.Contains(x) {
			t.Fatalf("sample %v outside the space", x)
		}
	}
}

func TestBootstrapAndRandomRatio(t *testing.T) {
	p := DefaultParams()
	p.InitialMean, p.InitialStd = []float64{0.2, 0.8}, []float64{0.01, 0.01}
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 3)
	rng := rand.New(rand.NewPCG(3, 3))
	for range p.FitRate {
		x := tc.Sample(rng).Params
		if math.Abs(x[0]-0.2) > 0.06 || math.Abs(x[1]-0.8) > 0.06 {
			t.Fatalf("bootstrap sample %v far from the initial Gaussian", x)
		}
		tc.Update(task.Task{Params: x}, task.Outcome{Score: 0.5, Steps: 1})
	}
	if tc.Fits() != 1 {
		t.Fatalf("no fit after the bootstrap")
	}
	// random_ratio = 1 samples uniformly forever.
	p = DefaultParams()
	p.RandomRatio = 1
	tc = newTeacher(t, p, tasktest.UnitBox(t, 2), 3)
	progressAt(t, tc, rng, 1000)
	left := 0
	for range 4000 {
		if tc.Sample(rng).Params[0] < 0.5 {
			left++
		}
	}
	if frac := float64(left) / 4000; math.Abs(frac-0.5) > 0.05 {
		t.Fatalf("random_ratio 1 put %.2f of samples on the left, want 0.5", frac)
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 1)
	for _, o := range []task.Outcome{{Score: math.NaN()}, {Score: math.Inf(1)}} {
		tc.Update(task.Task{Params: []float64{0.5, 0.5}}, o)
	}
	tc.Update(task.Task{Params: []float64{math.NaN(), 0.5}}, task.Outcome{Score: 0.5})
	tc.Update(task.Task{Params: []float64{0.5}}, task.Outcome{Score: 0.5})
	if tc.Ignored() != 4 || tc.Count != 0 || tc.tree.Len() != 0 {
		t.Fatalf("ignored %d, recorded %d", tc.Ignored(), tc.Count)
	}
}

func TestZeroWidthDimension(t *testing.T) {
	b, err := task.NewBox(task.Dim{Name: "h", Lo: 0, Hi: 3}, task.Dim{Name: "w", Lo: 0.25, Hi: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	tc := newTeacher(t, DefaultParams(), b, 5)
	rng := rand.New(rand.NewPCG(5, 5))
	for i := range 1500 {
		tk := tc.Sample(rng)
		if tk.Params[1] != 0.25 || !b.Contains(tk.Params) {
			t.Fatalf("sample %v left the zero-width dimension", tk.Params)
		}
		tc.Update(tk, task.Outcome{Score: float64(i%7) / 7, Steps: 1})
	}
	if tc.Fits() == 0 {
		t.Fatal("no mixture could be fitted with a zero-width dimension")
	}
}

func TestDeterminism(t *testing.T) {
	run := func() []float64 {
		tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 9)
		rng := rand.New(rand.NewPCG(9, 9))
		progressAt(t, tc, rng, 800)
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

func TestCriteria(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 1)
	rng := rand.New(rand.NewPCG(2, 2))
	progressAt(t, tc, rng, 250)
	m := tc.Mixture()
	if m == nil {
		t.Fatal("no mixture after 250 episodes")
	}
	p := DefaultParams()
	if got := criterion(p, 2)(m); got != m.AIC() {
		t.Errorf("aic criterion = %v, want %v", got, m.AIC())
	}
	p.Fitness = "bic"
	if got := criterion(p, 2)(m); got != m.BIC() {
		t.Errorf("bic criterion = %v, want %v", got, m.BIC())
	}
	// The reference's AICc counts parameters with the task dimension d = 2:
	// k·((d²-d)/2 + 2d + 1) - 1.
	p.Fitness = "aicc"
	k := float64(m.K*(1+4+1) - 1)
	want := m.AIC() + 2*k*(k+1)/(250-k-1)
	if got := criterion(p, 2)(m); math.Abs(got-want) > 1e-9 {
		t.Errorf("aicc criterion = %v, want %v", got, want)
	}
	p.AICcDims = "full"
	k = float64(m.NumParams())
	want = m.AIC() + 2*k*(k+1)/(250-k-1)
	if got := criterion(p, 2)(m); math.Abs(got-want) > 1e-9 {
		t.Errorf("aicc (full) criterion = %v, want %v", got, want)
	}
}

// BenchmarkSampleUpdate measures one Sample+Update in steady state, refits
// included (one in fit_rate calls), on the toy-like 2-D space.
func BenchmarkSampleUpdate(b *testing.B) {
	tc := newTeacher(b, DefaultParams(), tasktest.UnitBox(b, 2), 1)
	rng := rand.New(rand.NewPCG(1, 1))
	progressAt(b, tc, rng, 2000)
	visits := 0
	b.ReportAllocs()
	for b.Loop() {
		progressStep(tc, rng, &visits)
	}
}

// BenchmarkRefit measures one refit of every candidate mixture (k = 2..10 on
// 250 points of dimension 3), the work ALP-GMM does every fit_rate episodes.
func BenchmarkRefit(b *testing.B) {
	tc := newTeacher(b, DefaultParams(), tasktest.UnitBox(b, 2), 1)
	rng := rand.New(rand.NewPCG(1, 1))
	progressAt(b, tc, rng, 2000)
	b.ReportAllocs()
	for b.Loop() {
		tc.fit()
	}
}
