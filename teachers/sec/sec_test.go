package sec

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete/discretetest"
)

func newTeacher(t testing.TB, p Params, n int) *Teacher {
	t.Helper()
	tc, err := New(p, discretetest.Flat(n), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func TestTDUpdateAndBoltzmann(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), 3)
	for _, v := range tc.Probabilities(nil) {
		if math.Abs(v-1.0/3) > 1e-15 {
			t.Fatalf("initial distribution %v, want uniform", tc.Probabilities(nil))
		}
	}
	tc.Update(task.Task{Index: 0}, discretetest.AdvantageOutcome(0.8))
	tc.Update(task.Task{Index: 0}, discretetest.AdvantageOutcome(0.4))
	tc.Update(task.Task{Index: 2}, discretetest.AdvantageOutcome(0.2))
	// Q0: 0 → 0.4 → 0.4; Q2 = 0.1 (α = 0.5).
	if tc.Value(0) != 0.4 || tc.Value(1) != 0 || tc.Value(2) != 0.1 {
		t.Fatalf("values %v %v %v", tc.Value(0), tc.Value(1), tc.Value(2))
	}
	z := math.Exp(0.4) + 1 + math.Exp(0.1)
	want := []float64{math.Exp(0.4) / z, 1 / z, math.Exp(0.1) / z}
	for i, v := range tc.Probabilities(nil) {
		if math.Abs(v-want[i]) > 1e-15 {
			t.Fatalf("distribution %v, want %v", tc.Probabilities(nil), want)
		}
	}
}

func TestBatchUsesMeanReward(t *testing.T) {
	p := DefaultParams()
	p.UpdateEvery = 3
	tc := newTeacher(t, p, 2)
	tc.Update(task.Task{Index: 0}, discretetest.AdvantageOutcome(0.8))
	tc.Update(task.Task{Index: 0}, discretetest.AdvantageOutcome(0.4))
	if tc.Value(0) != 0 {
		t.Fatal("updated before the step was complete")
	}
	tc.Update(task.Task{Index: 1}, discretetest.AdvantageOutcome(1))
	if math.Abs(tc.Value(0)-0.3) > 1e-15 || tc.Value(1) != 0.5 {
		t.Fatalf("values %v %v, want 0.3 (mean 0.6, one TD step) and 0.5", tc.Value(0), tc.Value(1))
	}
}

func TestProxies(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), 2) // delta on score
	tc.Update(task.Task{Index: 0}, task.Outcome{Score: 0.2, Steps: 1})
	if tc.Value(0) != 0 {
		t.Fatal("first outcome rewarded")
	}
	tc.Update(task.Task{Index: 0}, task.Outcome{Score: 0.6, Steps: 1})
	if math.Abs(tc.Value(0)-0.2) > 1e-15 {
		t.Fatalf("delta proxy value %v, want 0.5·|0.6−0.2|", tc.Value(0))
	}
	p := DefaultParams()
	p.Proxy = "bernoulli"
	tb := newTeacher(t, p, 2)
	tb.Update(task.Task{Index: 1}, task.Outcome{Score: 0.5, Steps: 1})
	if tb.Value(1) != 0.5 {
		t.Fatalf("bernoulli proxy value %v, want 0.5·1", tb.Value(1))
	}
}

func TestPrefersLearnableTasks(t *testing.T) {
	// Task 1 always yields a large advantage, the others none: SEC with a
	// low temperature concentrates on it.
	p := DefaultParams()
	p.Tau = 0.05
	tc := newTeacher(t, p, 5)
	rng := rand.New(rand.NewPCG(1, 1))
	count := 0
	for k := range 2000 {
		tk := tc.Sample(rng)
		a := 0.0
		if tk.Index == 1 {
			a = 1
			if k >= 1000 {
				count++
			}
		}
		tc.Update(tk, discretetest.AdvantageOutcome(a))
	}
	if count < 900 {
		t.Fatalf("task 1 drawn %d times in the last 1000", count)
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	a := newTeacher(t, DefaultParams(), 3)
	b := newTeacher(t, DefaultParams(), 3)
	for k := range 30 {
		o := task.Outcome{Score: float64(k%4) / 4, Steps: 1}
		a.Update(task.Task{Index: k % 3}, o)
		b.Update(task.Task{Index: k % 3}, o)
		a.Update(task.Task{Index: k % 3}, task.Outcome{Score: math.NaN(), Steps: 1})
		a.Update(task.Task{Index: k % 3}, discretetest.AdvantageOutcome(math.Inf(1)))
		a.Update(task.Task{Index: 3}, o)
	}
	if a.Ignored() != 90 || !slices.Equal(a.Probabilities(nil), b.Probabilities(nil)) {
		t.Fatalf("ignored %d; %v vs %v", a.Ignored(), a.Probabilities(nil), b.Probabilities(nil))
	}
}

func TestNoAllocation(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), 100)
	rng := rand.New(rand.NewPCG(1, 1))
	if a := testing.AllocsPerRun(500, func() {
		tk := tc.Sample(rng)
		tc.Update(tk, task.Outcome{Score: rng.Float64(), Steps: 1})
	}); a != 0 {
		t.Fatalf("%v allocations per Sample+Update", a)
	}
}

func TestBadParams(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.Alpha = 0 }, "alpha ="},
		{func(p *Params) { p.Tau = math.Inf(1) }, "tau ="},
		{func(p *Params) { p.UpdateEvery = 0 }, "update_every ="},
		{func(p *Params) { p.Proxy = "lp" }, `proxy = "lp": want delta or bernoulli`},
		{func(p *Params) { p.Signal = "success" }, `signal = "success"`},
	} {
		p := DefaultParams()
		tc.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error containing %q", p, err, tc.want)
		}
	}
}

// BenchmarkSampleUpdate measures one Sample and one Update (a bandit step)
// on chains and trees of 10, 100 and 1000 tasks taught to a small learner.
func BenchmarkSampleUpdate(b *testing.B) {
	discretetest.BenchmarkSampleUpdate(b, func(b *testing.B, d *task.Discrete) task.Teacher {
		tc, err := New(DefaultParams(), d, nil)
		if err != nil {
			b.Fatal(err)
		}
		return tc
	})
}
