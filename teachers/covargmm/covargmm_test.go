package covargmm

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

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Params)
		err  string
	}{
		{func(p *Params) { p.PotentialKs = nil }, "potential_ks is empty"},
		{func(p *Params) { p.FitRate = 10 }, "fit_rate = 10: want more than the largest potential k (10)"},
		{func(p *Params) { p.Fitness = "aicc" }, `fitness = "aicc"`},
		{func(p *Params) { p.NbEMInit = 0 }, "nb_em_init = 0"},
		{func(p *Params) { p.NbBootstrap = -1 }, "nb_bootstrap = -1"},
		{func(p *Params) { p.RandomRatio = 1.5 }, "random_ratio = 1.5"},
		{func(p *Params) { p.EMMaxIter = 0 }, "em_max_iter = 0"},
		{func(p *Params) { p.EMTol = math.Inf(1) }, "em_tol = +Inf"},
		{func(p *Params) { p.RegCovar = 0 }, "reg_covar = 0"},
		{func(p *Params) { p.InitialMean = []float64{0.5} }, "initial_mean has 1 values and initial_std 0"},
		{func(p *Params) { p.Signal = "reward" }, `signal = "reward"`},
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
		t.Error("covar-gmm accepted a discrete space")
	}
}

func TestRowsHoldTaskTimeReward(t *testing.T) {
	p := DefaultParams()
	p.FitRate = 20
	p.PotentialKs = []int{2}
	p.Signal = "return"
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 1)
	for i := range 25 {
		tc.Update(task.Task{Params: []float64{0.1, 0.2}}, outcome(float64(i)/100))
	}
	// Rows 0..4 of the batch were overwritten by episodes 20..24, whose
	// times restart at 0.
	for pos, episode := range map[int]int{0: 20, 4: 24, 5: 5, 19: 19} {
		row := tc.batch[pos*4 : pos*4+4]
		want := []float64{0.1, 0.2, float64(pos) / 20, float64(episode)}
		for j := range row {
			if math.Abs(row[j]-want[j]) > 1e-12 {
				t.Fatalf("batch row %d = %v, want %v", pos, row, want)
			}
		}
	}
	if tc.Fits() != 1 {
		t.Fatalf("%d fits after 25 episodes with fit_rate 20, want 1", tc.Fits())
	}
}

// progressEpisode feeds one batch row whose reward rises with time in the
// left half of the space (x < 0.5) and falls with time in the right half.
func progressEpisode(tc *Teacher, rng *rand.Rand, i int) {
	x := []float64{rng.Float64(), rng.Float64()}
	time := float64(i%tc.p.FitRate) / float64(tc.p.FitRate)
	r := time
	if x[0] >= 0.5 {
		r = 1 - time
	}
	tc.Update(task.Task{Params: x}, outcome(r+0.02*rng.NormFloat64()))
}

func TestProgressSign(t *testing.T) {
	for _, absolute := range []bool{false, true} {
		p := DefaultParams()
		p.RandomRatio = 0
		p.AbsoluteLP = absolute
		tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 2)
		rng := rand.New(rand.NewPCG(2, 2))
		for i := range p.FitRate {
			progressEpisode(tc, rng, i)
		}
		m := tc.Mixture()
		if m == nil {
			t.Fatal("no mixture after fit_rate episodes")
		}
		// Gaussians well inside a half: rising reward gives positive
		// progress; falling reward gives none, unless absolute_lp.
		for k := range m.K {
			x, lp := m.Mean(k)[0], tc.ComponentLP(k)
			raw := m.Cov(k)[2*4+3]
			switch {
			case x < 0.4 && !(lp > 0 && raw > 0):
				t.Errorf("absolute_lp=%v: Gaussian at x=%.2f with rising reward has cov %v, LP %v; want both > 0", absolute, x, raw, lp)
			case x > 0.6 && raw >= 0:
				t.Errorf("Gaussian at x=%.2f with falling reward has cov %v, want < 0", x, raw)
			case x > 0.6 && !absolute && lp != 0:
				t.Errorf("Gaussian at x=%.2f with falling reward has LP %v, want 0", x, lp)
			case x > 0.6 && absolute && lp != -raw:
				t.Errorf("absolute_lp: Gaussian at x=%.2f has LP %v, want |cov| = %v", x, lp, -raw)
			}
		}
		left := 0
		const n = 4000
		for range n {
			if tc.Sample(rng).Params[0] < 0.5 {
				left++
			}
		}
		frac := float64(left) / n
		if !absolute && frac < 0.95 {
			t.Errorf("max(0, cov): %.2f of samples where the reward rises, want nearly all", frac)
		}
		if absolute && (frac < 0.3 || frac > 0.7) {
			t.Errorf("|cov|: %.2f of samples where the reward rises, want about half", frac)
		}
	}
}

func TestBootstrap(t *testing.T) {
	// A budget shorter than the bootstrap: uniform tasks, no fit, no panic.
	tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 3)
	rng := rand.New(rand.NewPCG(3, 3))
	left := 0
	for range 100 {
		tk := tc.Sample(rng)
		if tk.Params[0] < 0.5 {
			left++
		}
		tc.Update(tk, outcome(0.5))
	}
	if tc.Fits() != 0 || tc.Mixture() != nil || left < 35 || left > 65 {
		t.Fatalf("after 100 bootstrap episodes: %d fits, %d of 100 tasks on the left", tc.Fits(), left)
	}
	// The optional initial Gaussian is used during the bootstrap only.
	p := DefaultParams()
	p.FitRate = 50
	p.InitialMean, p.InitialStd = []float64{0.2, 0.8}, []float64{0.01, 0.01}
	tc = newTeacher(t, p, tasktest.UnitBox(t, 2), 3)
	for range 50 {
		x := tc.Sample(rng).Params
		if math.Abs(x[0]-0.2) > 0.06 || math.Abs(x[1]-0.8) > 0.06 {
			t.Fatalf("bootstrap sample %v far from the initial Gaussian", x)
		}
		tc.Update(task.Task{Params: x}, outcome(rng.Float64()))
	}
	if tc.Fits() != 1 {
		t.Fatal("no fit after the bootstrap")
	}
	// nb_bootstrap longer than fit_rate delays the first fit to the next
	// multiple of fit_rate.
	p = DefaultParams()
	p.FitRate, p.NbBootstrap = 50, 70
	tc = newTeacher(t, p, tasktest.UnitBox(t, 2), 3)
	for i := range 99 {
		progressEpisode(tc, rng, i)
	}
	if tc.Fits() != 0 {
		t.Fatalf("fitted before the bootstrap ended")
	}
	progressEpisode(tc, rng, 99)
	if tc.Fits() != 1 {
		t.Fatalf("no fit at episode 100")
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 1)
	for _, o := range []task.Outcome{{Score: math.NaN()}, {Score: math.Inf(-1)}} {
		tc.Update(task.Task{Params: []float64{0.5, 0.5}}, o)
	}
	tc.Update(task.Task{Params: []float64{math.Inf(1), 0.5}}, outcome(0.5))
	tc.Update(task.Task{Params: []float64{0.5}}, outcome(0.5))
	if tc.Ignored() != 4 || tc.Count != 0 {
		t.Fatalf("ignored %d, recorded %d; want 4 and 0", tc.Ignored(), tc.Count)
	}
	// With the return signal, a NaN score does not matter.
	p := DefaultParams()
	p.Signal = "return"
	tc = newTeacher(t, p, tasktest.UnitBox(t, 2), 1)
	tc.Update(task.Task{Params: []float64{0.5, 0.5}}, task.Outcome{Score: math.NaN(), Return: 3})
	tc.Update(task.Task{Params: []float64{0.5, 0.5}}, task.Outcome{Score: 0.5, Return: math.NaN()})
	if tc.Ignored() != 1 || tc.Count != 1 {
		t.Fatalf("signal return: ignored %d, recorded %d; want 1 and 1", tc.Ignored(), tc.Count)
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
		tc.Update(tk, outcome(float64(i%7)/7))
	}
	if tc.Fits() != 6 {
		t.Fatalf("%d fits with a zero-width dimension, want 6", tc.Fits())
	}
	for k := range tc.Mixture().K {
		if lp := tc.ComponentLP(k); math.IsNaN(lp) {
			t.Fatal("NaN learning progress")
		}
	}
}

func TestDeterminism(t *testing.T) {
	run := func() []float64 {
		p := DefaultParams()
		p.FitRate = 100
		tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 9)
		rng := rand.New(rand.NewPCG(9, 9))
		var out []float64
		for i := range 600 {
			tk := tc.Sample(rng)
			out = append(out, tk.Params...)
			tc.Update(tk, outcome(float64(i%13)/13*tk.Params[0]))
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

// loop is a steady-state Sample+Update driver: the reward of a task rises
// with the number of visits to its half of the space.
type loop struct {
	tc     *Teacher
	rng    *rand.Rand
	visits [2]int
}

func (l *loop) step() {
	tk := l.tc.Sample(l.rng)
	h := 0
	if tk.Params[0] >= 0.5 {
		h = 1
	}
	l.visits[h]++
	l.tc.Update(tk, outcome(float64(l.visits[h]%100)/100))
}

func TestNoAllocation(t *testing.T) {
	l := &loop{tc: newTeacher(t, DefaultParams(), tasktest.UnitBox(t, 2), 1), rng: rand.New(rand.NewPCG(1, 1))}
	for range 1000 {
		l.step()
	}
	// 500 steps include two refits.
	if a := testing.AllocsPerRun(500, l.step); a != 0 {
		t.Errorf("Sample+Update allocates %v times per call", a)
	}
}

// BenchmarkSampleUpdate measures one Sample+Update in steady state on a 2-D
// space, refits amortised (one every 250 calls).
func BenchmarkSampleUpdate(b *testing.B) {
	l := &loop{tc: newTeacher(b, DefaultParams(), tasktest.UnitBox(b, 2), 1), rng: rand.New(rand.NewPCG(1, 1))}
	for range 1000 {
		l.step()
	}
	b.ReportAllocs()
	for b.Loop() {
		l.step()
	}
}

// BenchmarkRefit measures one refit (k = 2..10 on 250 rows of dimension 4).
func BenchmarkRefit(b *testing.B) {
	l := &loop{tc: newTeacher(b, DefaultParams(), tasktest.UnitBox(b, 2), 1), rng: rand.New(rand.NewPCG(1, 1))}
	for range 1000 {
		l.step()
	}
	b.ReportAllocs()
	for b.Loop() {
		l.tc.Refit(l.tc.batch, l.tc.p.FitRate)
	}
}
