package lp

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete/discretetest"
)

func newTeacher(t testing.TB, p Params, d *task.Discrete) *Teacher {
	t.Helper()
	tc, err := New(p, d, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func out(v float64) task.Outcome { return task.Outcome{Return: v, Score: v, Steps: 1} }

func TestInitialDistributions(t *testing.T) {
	d := discretetest.Flat(4)
	for _, conv := range []string{"proportional", "greedy-proportional", "boltzmann"} {
		p := DefaultParams()
		p.Converter = conv
		got := newTeacher(t, p, d).Probabilities(nil)
		for _, v := range got {
			if math.Abs(v-0.25) > 1e-12 {
				t.Fatalf("%s: initial distribution %v, want uniform", conv, got)
			}
		}
	}
	// greedy-argmax: one task (chosen at random among the ties) gets 1 − ε + ε/n.
	p := DefaultParams()
	p.Converter = "greedy-argmax"
	got := newTeacher(t, p, d).Probabilities(nil)
	slices.Sort(got)
	if !slices.Equal(got, []float64{0.025, 0.025, 0.025, 0.925}) {
		t.Fatalf("greedy-argmax initial distribution %v", got)
	}
}

func TestAttentionIsAbsoluteProgress(t *testing.T) {
	d := discretetest.Flat(3)
	p := DefaultParams()
	p.Converter = "proportional"
	tc := newTeacher(t, p, d)
	// Task 0 improves by 0.1 per step, task 1 degrades by 0.2 per step (on its
	// own steps), task 2 is flat.
	for k := range 5 {
		tc.Update(task.Task{Index: 0}, out(0.1*float64(k)))
		tc.Update(task.Task{Index: 1}, out(1-0.2*float64(k)))
		tc.Update(task.Task{Index: 2}, out(0.5))
	}
	// Entries are 3 teacher steps apart: slopes 0.1/3 and −0.2/3.
	if a, b := tc.LearningProgress(0), tc.LearningProgress(1); math.Abs(a-0.1/3) > 1e-12 || math.Abs(b+0.2/3) > 1e-12 || tc.LearningProgress(2) != 0 {
		t.Fatalf("lp %v %v %v", a, b, tc.LearningProgress(2))
	}
	pr := tc.Probabilities(nil)
	if math.Abs(pr[1]-2*pr[0]) > 1e-6 || pr[2] > 1e-6 {
		t.Fatalf("distribution %v: want task 1 twice task 0 and task 2 ≈ 0", pr)
	}
	// Signed attention with argmax prefers the improving task.
	p.Abs, p.Converter = false, "argmax"
	tc = newTeacher(t, p, d)
	for k := range 5 {
		tc.Update(task.Task{Index: 0}, out(0.1*float64(k)))
		tc.Update(task.Task{Index: 1}, out(1-0.2*float64(k)))
	}
	if pr := tc.Probabilities(nil); pr[0] != 1 {
		t.Fatalf("signed argmax distribution %v", pr)
	}
}

func TestRepeatProposesBlocks(t *testing.T) {
	p := DefaultParams()
	p.Estimator, p.Repeat, p.StaleEMA, p.Converter = "naive", 10, false, "greedy-argmax"
	tc := newTeacher(t, p, discretetest.Flat(5))
	rng := rand.New(rand.NewPCG(3, 3))
	var seq []int
	for range 100 {
		tk := tc.Sample(rng)
		seq = append(seq, tk.Index)
		tc.Update(tk, out(rng.Float64()))
	}
	for b := 0; b < 100; b += 10 {
		for k := b; k < b+10; k++ {
			if seq[k] != seq[b] {
				t.Fatalf("block at %d not constant: %v", b, seq[b:b+10])
			}
		}
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	p := DefaultParams()
	p.Signal = "score"
	a := newTeacher(t, p, discretetest.Chain(3))
	b := newTeacher(t, p, discretetest.Chain(3))
	for k := range 40 {
		o := out(float64(k%5) / 5)
		a.Update(task.Task{Index: k % 3}, o)
		b.Update(task.Task{Index: k % 3}, o)
		a.Update(task.Task{Index: k % 3}, task.Outcome{Score: math.NaN(), Steps: 1})
		a.Update(task.Task{Index: 5}, o)
	}
	if a.Ignored() != 80 || !slices.Equal(a.Probabilities(nil), b.Probabilities(nil)) {
		t.Fatalf("ignored %d; distributions %v vs %v", a.Ignored(), a.Probabilities(nil), b.Probabilities(nil))
	}
}

func TestLearnsAChain(t *testing.T) {
	d := discretetest.Chain(5)
	tc := newTeacher(t, DefaultParams(), d)
	l := discretetest.NewLearner(d, 0.02, 0.8)
	rng := rand.New(rand.NewPCG(5, 5))
	for range 3000 {
		tk := tc.Sample(rng)
		tc.Update(tk, l.Learn(tk))
	}
	if l.Mastered() < 4 {
		t.Fatalf("gProp Linreg mastered %d of 5 chain tasks in 3000 episodes", l.Mastered())
	}
}

func TestEveryCombinationRuns(t *testing.T) {
	for _, est := range []string{"online", "naive", "window", "linreg", "sampling"} {
		for _, conv := range []string{"argmax", "greedy-argmax", "proportional", "greedy-proportional", "boltzmann"} {
			p := DefaultParams()
			p.Estimator, p.Converter = est, conv
			tc := newTeacher(t, p, discretetest.Tree(15))
			rng := rand.New(rand.NewPCG(1, 1))
			l := discretetest.NewLearner(discretetest.Tree(15), 0.05, 0.8)
			for range 300 {
				tk := tc.Sample(rng)
				if tk.Index < 0 || tk.Index >= 15 {
					t.Fatalf("%s/%s proposed %v", est, conv, tk)
				}
				tc.Update(tk, l.Learn(tk))
			}
			var sum float64
			for _, v := range tc.Probabilities(nil) {
				if !(v >= 0) {
					t.Fatalf("%s/%s: probability %v", est, conv, v)
				}
				sum += v
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("%s/%s: probabilities sum to %v", est, conv, sum)
			}
		}
	}
}

func TestNoAllocation(t *testing.T) {
	for _, est := range []string{"linreg", "window", "sampling"} {
		p := DefaultParams()
		p.Estimator = est
		tc := newTeacher(t, p, discretetest.Chain(100))
		rng := rand.New(rand.NewPCG(1, 1))
		k := 0
		if a := testing.AllocsPerRun(500, func() {
			tk := tc.Sample(rng)
			tc.Update(tk, out(float64(k%10)/10))
			k++
		}); a != 0 {
			t.Fatalf("%s: %v allocations per Sample+Update", est, a)
		}
	}
}

func TestBadParams(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.Estimator = "slope" }, `estimator = "slope"`},
		{func(p *Params) { p.Converter = "softmax" }, `converter = "softmax"`},
		{func(p *Params) { p.Abs = false }, "abs = false with converter"},
		{func(p *Params) { p.Signal = "success" }, `signal = "success"`},
		{func(p *Params) { p.Alpha = 1.5 }, "alpha ="},
		{func(p *Params) { p.K = 0 }, "k = 0"},
		{func(p *Params) { p.Eps = 2 }, "eps ="},
		{func(p *Params) { p.Tau = -1 }, "tau ="},
		{func(p *Params) { p.UpdateEvery = 0 }, "update_every ="},
		{func(p *Params) { p.Repeat = 0 }, "repeat ="},
	} {
		p := DefaultParams()
		tc.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error containing %q", p, err, tc.want)
		}
	}
}

// BenchmarkSampleUpdate measures one Sample and one Update (a teacher step)
// of gProp Linreg on chains and trees of 10, 100 and 1000 tasks.
func BenchmarkSampleUpdate(b *testing.B) {
	discretetest.BenchmarkSampleUpdate(b, func(b *testing.B, d *task.Discrete) task.Teacher {
		return newTeacher(b, DefaultParams(), d)
	})
}
