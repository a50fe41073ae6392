package discrete

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// ols is the reference OLS slope (numpy polyfit, degree 1).
func ols(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	return sxy / sxx
}

func TestHistoryRing(t *testing.T) {
	h := NewHistory(2, 3)
	for k := range 5 {
		h.Add(1, float64(10+k), float64(k))
	}
	if h.Count(1) != 5 || h.Len(1) != 3 || h.Len(0) != 0 {
		t.Fatalf("count %d len %d", h.Count(1), h.Len(1))
	}
	for back, want := range []float64{4, 3, 2} {
		if s, v := h.Back(1, back); v != want || s != 10+want {
			t.Fatalf("Back(%d) = (%v, %v)", back, s, v)
		}
	}
	if m := h.Mean(1, 10); m != 3 {
		t.Fatalf("mean of the held entries %v, want 3", m)
	}
	if m := h.Mean(1, 2); m != 3.5 {
		t.Fatalf("mean of the last 2 %v, want 3.5", m)
	}
}

func TestSlopes(t *testing.T) {
	h := NewHistory(1, 10)
	steps := []float64{2, 3, 7, 8, 20, 21, 22, 40, 41, 50, 51, 60}
	vals := []float64{0, 0.1, 0.15, 0.1, 0.4, 0.45, 0.5, 0.7, 0.65, 0.9, 0.95, 0.9}
	for k := range steps {
		h.Add(0, steps[k], vals[k])
	}
	last := len(steps) - 10
	if got, want := h.Slope(0, 10, false), ols(steps[last:], vals[last:]); math.Abs(got-want) > 1e-15 {
		t.Fatalf("slope vs steps %v, want %v", got, want)
	}
	idx := []float64{0, 1, 2, 3, 4}
	if got, want := h.Slope(0, 5, true), ols(idx, vals[len(vals)-5:]); math.Abs(got-want) > 1e-15 {
		t.Fatalf("slope vs indices %v, want %v", got, want)
	}
}

// feed appends v for task i at the next teacher step and runs the estimator
// with task i as the only observed task (i < 0: a step observing nothing).
func feed(e *LP, h *History, step *float64, i int, v float64, rng *rand.Rand) {
	*step++
	var touched []int
	if i >= 0 {
		h.Add(i, *step, v)
		touched = []int{i}
	}
	e.Step(h, touched, rng)
}

func TestEstimators(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	// online, α = 0.1: entries 0, 0.5, 0.7 → signals 0.5, 0.2.
	e, h, step := NewLP(Online, 2, 0.1, 10, true), NewHistory(2, 2), 0.0
	feed(e, h, &step, 0, 0, rng)
	feed(e, h, &step, 0, 0.5, rng)
	feed(e, h, &step, 0, 0.7, rng)
	if want := 0.1*0.2 + 0.9*0.05; math.Abs(e.Values[0]-want) > 1e-15 {
		t.Fatalf("online %v, want %v", e.Values[0], want)
	}
	// Stale re-application: a step observing only task 1 applies the EMA
	// to task 0 again with its unchanged signal 0.2.
	v := e.Values[0]
	feed(e, h, &step, 1, 0.3, rng)
	if want := 0.1*0.2 + 0.9*v; math.Abs(e.Values[0]-want) > 1e-15 {
		t.Fatalf("stale EMA %v, want %v", e.Values[0], want)
	}
	// Without the quirk, unobserved tasks keep their estimate.
	e2, h2, step2 := NewLP(Online, 2, 0.1, 10, false), NewHistory(2, 2), 0.0
	for _, x := range []float64{0, 0.5, 0.7} {
		feed(e2, h2, &step2, 0, x, rng)
	}
	v = e2.Values[0]
	feed(e2, h2, &step2, 1, 0.3, rng)
	feed(e2, h2, &step2, -1, 0, rng)
	if e2.Values[0] != v {
		t.Fatalf("non-stale estimate moved: %v → %v", v, e2.Values[0])
	}

	// window and linreg: slope against steps (with gaps); naive: against
	// indices; window and naive smoothed by α = 0.5 from 0.
	xs := []float64{1, 2, 4, 7}
	ys := []float64{0.1, 0.2, 0.2, 0.6}
	for _, tc := range []struct {
		kind Estimator
		want float64
	}{
		{Linreg, ols(xs[1:], ys[1:])},
		{Window, 0.5 * ols(xs[1:], ys[1:])},
		{Naive, 0.5 * ols([]float64{0, 1, 2}, ys[1:])},
	} {
		e, h, step := NewLP(tc.kind, 1, 0.5, 3, false), NewHistory(1, 3), 0.0
		for k := range xs {
			for step+1 < xs[k] {
				feed(e, h, &step, -1, 0, rng)
			}
			// Reset the EMA just before the last entry, so that the
			// expected value is one EMA step from 0.
			if k == len(xs)-1 {
				e.Values[0] = 0
			}
			feed(e, h, &step, 0, ys[k], rng)
		}
		if math.Abs(e.Values[0]-tc.want) > 1e-15 {
			t.Fatalf("%s: %v, want %v", tc.kind, e.Values[0], tc.want)
		}
	}

	// sampling: optimistic 1 before two entries, then one of the last k
	// consecutive differences.
	es, hs, steps := NewLP(Sampling, 2, 0.1, 3, true), NewHistory(2, 4), 0.0
	if es.Values[0] != 1 || es.Values[1] != 1 {
		t.Fatal("sampling estimates do not start at 1")
	}
	vals := []float64{0, 0.1, 0.3, 0.6, 1.0}
	seen := map[float64]bool{}
	for _, x := range vals {
		feed(es, hs, &steps, 0, x, rng)
	}
	for range 200 {
		feed(es, hs, &steps, -1, 0, rng) // redrawn every step, even unobserved
		seen[math.Round(es.Values[0]*10)/10] = true
		if es.Values[1] != 1 {
			t.Fatal("task without entries lost its optimistic value")
		}
	}
	if len(seen) != 3 || !seen[0.2] || !seen[0.3] || !seen[0.4] {
		t.Fatalf("sampled differences %v, want the last 3: 0.2, 0.3, 0.4", seen)
	}
}

func TestConverters(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	att := func() []float64 { return []float64{0.1, 0.4, 0.4, 0.1} }
	dst := make([]float64, 4)

	a := att()
	Proportional.Convert(dst, a, 0.1, 1, rng)
	if math.Abs(dst[1]-(0.4+1e-8)/(1+4e-8)) > 1e-15 || a[0] != 0.1+1e-8 {
		t.Fatalf("proportional %v (attention after: %v)", dst, a)
	}
	GreedyProportional.Convert(dst, att(), 0.1, 1, rng)
	if want := 0.9*(0.1+1e-8)/(1+4e-8) + 0.025; math.Abs(dst[0]-want) > 1e-15 {
		t.Fatalf("greedy-proportional %v", dst)
	}
	Boltzmann.Convert(dst, att(), 0, 0.1, rng)
	if want := math.Exp(4) / (2*math.Exp(4) + 2*math.Exp(1)); math.Abs(dst[1]-want) > 1e-15 {
		t.Fatalf("boltzmann %v", dst)
	}
	// No overflow where the reference's exp(a/τ) would.
	Boltzmann.Convert(dst, []float64{1, 2, 3, 4}, 0, 4e-4, rng)
	if dst[3] != 1 || dst[0] != 0 {
		t.Fatalf("boltzmann with a large a/τ: %v", dst)
	}
	// Argmax ties are broken uniformly.
	counts := [4]int{}
	for range 4000 {
		Argmax.Convert(dst, att(), 0, 1, rng)
		for i, p := range dst {
			if p == 1 {
				counts[i]++
			}
		}
	}
	if counts[0] != 0 || counts[3] != 0 || counts[1] < 1800 || counts[2] < 1800 {
		t.Fatalf("argmax winners %v", counts)
	}
	GreedyArgmax.Convert(dst, []float64{0, 0, 1, 0}, 0.2, 1, rng)
	if dst[0] != 0.05 || dst[3] != 0.05 || math.Abs(dst[2]-0.85) > 1e-15 {
		t.Fatalf("greedy-argmax %v", dst)
	}
}

func TestDist(t *testing.T) {
	d := NewDist(4)
	rng := rand.New(rand.NewPCG(3, 3))
	if !d.Set([]float64{0, 1, 3, 0}) {
		t.Fatal("Set rejected valid weights")
	}
	counts := [4]int{}
	const n = 40000
	for range n {
		counts[d.Sample(rng)]++
	}
	if counts[0] != 0 || counts[3] != 0 || math.Abs(float64(counts[2])/n-0.75) > 0.01 {
		t.Fatalf("counts %v", counts)
	}
	if d.Prob(2) != 0.75 {
		t.Fatalf("Prob(2) = %v", d.Prob(2))
	}
	for _, bad := range [][]float64{{0, 0, 0, 0}, {math.NaN(), 1, 1, 1}, {math.Inf(1), 1, 0, 0}, {-1, 2, 0, 0}} {
		if d.Set(bad) || d.Prob(0) != 0.25 {
			t.Fatalf("Set(%v) did not fall back to uniform", bad)
		}
	}
}

func TestBatch(t *testing.T) {
	b := NewBatch(3)
	b.Add(2, 1)
	b.Add(0, 0.5)
	b.Add(2, 2)
	if !slices.Equal(b.Tasks(), []int{2, 0}) || b.Mean(2) != 1.5 || b.Pending != 3 || !b.Touched()[0] || b.Touched()[1] {
		t.Fatalf("batch %v mean %v pending %d", b.Tasks(), b.Mean(2), b.Pending)
	}
	b.Reset()
	b.Add(1, 4)
	if !slices.Equal(b.Tasks(), []int{1}) || b.Mean(1) != 4 || b.Pending != 1 {
		t.Fatalf("after reset: %v", b.Tasks())
	}
}

func TestTopo(t *testing.T) {
	d, err := task.NewDiscrete([]string{"c", "a", "b", "d"},
		[]task.Edge{{From: 1, To: 2}, {From: 2, To: 0}, {From: 1, To: 0}, {From: 3, To: 2}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	order := Topo(d)
	pos := make([]int, 4)
	for k, i := range order {
		pos[i] = k
	}
	for _, e := range d.Edges() {
		if pos[e.From] > pos[e.To] {
			t.Fatalf("order %v puts %d after %d", order, e.From, e.To)
		}
	}
}

func TestAdvantage(t *testing.T) {
	a := NewAdvantage(2, Delta, Score)
	o := task.Outcome{Score: 0.3, Steps: 1}
	if _, ok, valid := a.Reward(0, o); ok || !valid {
		t.Fatal("first outcome of a task gave a delta reward")
	}
	if r, ok, _ := a.Reward(0, task.Outcome{Score: 0.1, Steps: 1}); !ok || math.Abs(r-0.2) > 1e-15 {
		t.Fatalf("delta reward %v", r)
	}
	withAdv := task.Outcome{Score: 0.9, Steps: 1}
	withAdv.SetSignal(task.MeanAbsAdvantage, 0.7)
	if r, ok, _ := a.Reward(1, withAdv); !ok || r != 0.7 {
		t.Fatalf("the student's advantage was not used: %v", r)
	}
	if _, _, valid := a.Reward(0, task.Outcome{Score: math.NaN(), Steps: 1}); valid {
		t.Fatal("NaN score accepted")
	}
	bad := task.Outcome{Score: 0.5, Steps: 1}
	bad.SetSignal(task.MeanAbsAdvantage, math.Inf(1))
	if _, _, valid := a.Reward(0, bad); valid {
		t.Fatal("infinite advantage accepted")
	}
	// The NaN outcome did not overwrite the previous value.
	if r, _, _ := a.Reward(0, task.Outcome{Score: 0.1, Steps: 1}); r != 0 {
		t.Fatalf("previous value corrupted: delta %v", r)
	}
	b := NewAdvantage(1, Bernoulli, Score)
	if r, ok, _ := b.Reward(0, task.Outcome{Score: 0.5, Steps: 1}); !ok || r != 1 {
		t.Fatalf("bernoulli at 0.5: %v", r)
	}
	if r, _, _ := b.Reward(0, task.Outcome{Score: 1, Steps: 1}); r != 0 {
		t.Fatalf("bernoulli at 1: %v", r)
	}
}

func TestParsing(t *testing.T) {
	if _, err := ParseSignal("signal", "reward", Score, Success); err == nil || !strings.Contains(err.Error(), `signal = "reward": want score or success`) {
		t.Fatal(err)
	}
	if err := OneOf("mode", "x", "a", "b", "c"); err == nil || !strings.Contains(err.Error(), "want a, b or c") {
		t.Fatal(err)
	}
	for _, s := range []string{"online", "naive", "window", "linreg", "sampling"} {
		if e, err := ParseEstimator("estimator", s); err != nil || e.String() != s {
			t.Fatal(s, err)
		}
	}
	for _, s := range []string{"argmax", "greedy-argmax", "proportional", "greedy-proportional", "boltzmann"} {
		if c, err := ParseConverter("converter", s); err != nil || c.String() != s {
			t.Fatal(s, err)
		}
	}
	if _, err := ParseProxy("proxy", "abs"); err == nil {
		t.Fatal("bad proxy accepted")
	}
}
