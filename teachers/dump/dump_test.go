package dump

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

func TestUCBScores(t *testing.T) {
	p := DefaultParams()
	p.Window = 2
	tc := newTeacher(t, p, 3)
	for _, v := range tc.Probabilities(nil) {
		if v != 1.0/3 {
			t.Fatal("initial distribution not uniform")
		}
	}
	tc.Update(task.Task{Index: 0}, discretetest.AdvantageOutcome(0.2))
	tc.Update(task.Task{Index: 0}, discretetest.AdvantageOutcome(0.4))
	tc.Update(task.Task{Index: 0}, discretetest.AdvantageOutcome(0.9)) // window of 2: mean 0.65
	tc.Update(task.Task{Index: 1}, discretetest.AdvantageOutcome(0.1))
	// N = 4: bonus √(2 ln 5 / (n+1)).
	want := []float64{
		0.65 + math.Sqrt(2*math.Log(5)/4),
		0.1 + math.Sqrt(2*math.Log(5)/2),
		math.Sqrt(2 * math.Log(5)),
	}
	for i, w := range want {
		if math.Abs(tc.Score(i)-w) > 1e-12 {
			t.Fatalf("UCB %d = %v, want %v", i, tc.Score(i), w)
		}
	}
	// softmax(UCB/0.1)
	z := 0.0
	for _, w := range want {
		z += math.Exp((w - want[2]) / 0.1)
	}
	for i, v := range tc.Probabilities(nil) {
		if w := math.Exp((want[i]-want[2])/0.1) / z; math.Abs(v-w) > 1e-12 {
			t.Fatalf("probability %d = %v, want %v", i, v, w)
		}
	}
}

func TestDeltaProxyCountsFirstSample(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), 2)
	tc.Update(task.Task{Index: 0}, task.Outcome{Score: 0.2, Steps: 1})
	tc.Update(task.Task{Index: 0}, task.Outcome{Score: 0.5, Steps: 1})
	want := 0.3 + math.Sqrt(2*math.Log(3)/3)
	if math.Abs(tc.Score(0)-want) > 1e-12 {
		t.Fatalf("UCB %v, want %v (mean of one delta, two samples)", tc.Score(0), want)
	}
}

func TestExploresThenExploits(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), 6)
	rng := rand.New(rand.NewPCG(1, 1))
	seen := map[int]bool{}
	late := 0
	for k := range 4000 {
		tk := tc.Sample(rng)
		seen[tk.Index] = true
		a := 0.05
		if tk.Index == 4 {
			a = 0.8
			if k >= 3000 {
				late++
			}
		}
		tc.Update(tk, discretetest.AdvantageOutcome(a))
	}
	if len(seen) != 6 || late < 700 {
		t.Fatalf("visited %d tasks; task 4 drawn %d of the last 1000", len(seen), late)
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	a := newTeacher(t, DefaultParams(), 3)
	b := newTeacher(t, DefaultParams(), 3)
	for k := range 30 {
		o := discretetest.AdvantageOutcome(float64(k%4) / 4)
		a.Update(task.Task{Index: k % 3}, o)
		b.Update(task.Task{Index: k % 3}, o)
		a.Update(task.Task{Index: k % 3}, discretetest.AdvantageOutcome(math.NaN()))
		a.Update(task.Task{Index: k % 3}, discretetest.AdvantageOutcome(-1))
		a.Update(task.Task{Index: -2}, o)
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
		{func(p *Params) { p.Window = 0 }, "window ="},
		{func(p *Params) { p.C = -1 }, "c ="},
		{func(p *Params) { p.Tau = 0 }, "tau ="},
		{func(p *Params) { p.UpdateEvery = -1 }, "update_every ="},
		{func(p *Params) { p.Proxy = "x" }, `proxy = "x"`},
		{func(p *Params) { p.Signal = "x" }, `signal = "x"`},
	} {
		p := DefaultParams()
		tc.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error containing %q", p, err, tc.want)
		}
	}
}

// BenchmarkSampleUpdate measures one Sample and one Update (a UCB step) on
// chains and trees of 10, 100 and 1000 tasks taught to a small learner.
func BenchmarkSampleUpdate(b *testing.B) {
	discretetest.BenchmarkSampleUpdate(b, func(b *testing.B, d *task.Discrete) task.Teacher {
		tc, err := New(DefaultParams(), d, nil)
		if err != nil {
			b.Fatal(err)
		}
		return tc
	})
}
