package gmmteach

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/stats/gmm"
	"github.com/teachbench/teachbench/task"
)

func TestProportionalChoice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 40000
	for _, tc := range []struct {
		w    []float64
		want []float64 // expected frequencies
	}{
		{[]float64{1, 0, 3}, []float64{0.25, 0, 0.75}},
		{[]float64{0, 0, 0, 0}, []float64{0.25, 0.25, 0.25, 0.25}},
		{[]float64{math.NaN(), -2, 1}, []float64{0, 0, 1}},
		{[]float64{0, 0, 5e-300}, []float64{0, 0, 1}},
	} {
		counts := make([]float64, len(tc.w))
		for range n {
			counts[ProportionalChoice(tc.w, rng)]++
		}
		for i := range counts {
			if f := counts[i] / n; math.Abs(f-tc.want[i]) > 0.01 {
				t.Errorf("weights %v: frequency of %d = %.3f, want %.3f", tc.w, i, f, tc.want[i])
			}
		}
	}
}

func TestRandomTask(t *testing.T) {
	box, err := task.NewBox(task.Dim{Name: "a", Lo: 0, Hi: 1}, task.Dim{Name: "b", Lo: 2, Hi: 2})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 2)
	mean, std := []float64{0.9, 2}, []float64{0.2, 1}
	above := 0
	for range 2000 {
		RandomTask(x, box, mean, std, true, rng)
		if !box.Contains(x) {
			t.Fatalf("bootstrap task %v outside %v", x, box)
		}
		if x[0] == 1 {
			above++ // clipped
		}
	}
	// P(N(0.9, 0.2²) > 1) ≈ 0.31.
	if f := float64(above) / 2000; math.Abs(f-0.31) > 0.04 {
		t.Errorf("%.2f of bootstrap tasks clipped at the top, want about 0.31", f)
	}
	// Outside the bootstrap the Gaussian is not used.
	lowHalf := 0
	for range 2000 {
		RandomTask(x, box, mean, std, false, rng)
		if x[0] < 0.5 {
			lowHalf++
		}
	}
	if f := float64(lowHalf) / 2000; math.Abs(f-0.5) > 0.04 {
		t.Errorf("%.2f of uniform tasks in the lower half, want 0.5", f)
	}
}

func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{CheckKs(nil, 10), "potential_ks is empty"},
		{CheckKs([]int{2, 0}, 10), "potential_ks[1] = 0"},
		{CheckKs([]int{2, 3, 2}, 10), "lists 2 twice"},
		{CheckKs([]int{2, 10}, 10), "fit_rate = 10: want more than the largest potential k (10)"},
		{CheckInitial([]float64{1}, nil, 0), "initial_mean has 1 values and initial_std 0"},
		{CheckInitial([]float64{math.Inf(1)}, []float64{1}, 0), "initial_mean[0] = +Inf"},
		{CheckInitial([]float64{1}, []float64{-1}, 0), "initial_std[0] = -1"},
		{CheckInitial([]float64{1}, []float64{1}, 2), "want one per dimension of the space (2)"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("got %v, want an error containing %q", tc.err, tc.want)
		}
	}
	if err := CheckKs([]int{2, 3}, 10); err != nil {
		t.Error(err)
	}
	if err := CheckInitial(nil, nil, 3); err != nil {
		t.Error(err)
	}
}

// twoClusters returns n points in 2-D around (0,0) and (5,5).
func twoClusters(n int, rng *rand.Rand) []float64 {
	x := make([]float64, 2*n)
	for i := range n {
		c := float64(5 * (i % 2))
		x[2*i], x[2*i+1] = c+0.3*rng.NormFloat64(), c+0.3*rng.NormFloat64()
	}
	return x
}

func TestCandidatesSelectByCriterion(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := twoClusters(200, rng)
	c := NewCandidates([]int{1, 2, 3}, gmm.Config{})
	var m gmm.Model
	if !c.Fit(&m, x, 200, 2, AIC, rng) {
		t.Fatal("no candidate fitted")
	}
	best := 0
	for i := range c.models {
		if AIC(&c.models[i]) < AIC(&c.models[best]) {
			best = i
		}
	}
	if m.K != c.models[best].K || AIC(&m) != AIC(&c.models[best]) {
		t.Errorf("kept k = %d (AIC %v), want the lowest AIC, k = %d (AIC %v)", m.K, AIC(&m), c.models[best].K, AIC(&c.models[best]))
	}
	if AIC(&c.models[0]) <= AIC(&c.models[1]) {
		t.Errorf("one Gaussian scores as well as two on two clear clusters")
	}
	// A criterion that favours more components picks the largest k.
	if !c.Fit(&m, x, 200, 2, func(m *gmm.Model) float64 { return -float64(m.K) }, rng) || m.K != 3 {
		t.Errorf("criterion -K kept k = %d, want 3", m.K)
	}
	// Candidates with more components than points fail and are skipped.
	c = NewCandidates([]int{5, 1}, gmm.Config{})
	if !c.Fit(&m, x[:8], 4, 2, BIC, rng) || m.K != 1 || c.Failed() != 1 {
		t.Errorf("k = %d kept, %d failed; want k = 1 kept and 1 failure", m.K, c.Failed())
	}
	// When every candidate fails, dst is untouched.
	c = NewCandidates([]int{5}, gmm.Config{})
	if c.Fit(&m, x[:8], 4, 2, AIC, rng) || m.K != 1 {
		t.Errorf("a failed refit changed the model (k = %d)", m.K)
	}
}

func TestCandidatesDoNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := twoClusters(250, rng)
	c := NewCandidates([]int{2, 3, 4}, gmm.Config{})
	var m gmm.Model
	c.Fit(&m, x, 250, 2, AIC, rng)
	if a := testing.AllocsPerRun(5, func() { c.Fit(&m, x, 250, 2, AIC, rng) }); a != 0 {
		t.Errorf("a refit allocates %v times", a)
	}
}
