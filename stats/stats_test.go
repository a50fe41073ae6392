package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// same reports whether a and b are equal within tol, treating two NaNs as equal.
func same(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

func TestMean(t *testing.T) {
	for _, tc := range []struct {
		x    []float64
		want float64
	}{
		{nil, math.NaN()},
		{[]float64{}, math.NaN()},
		{[]float64{3}, 3},
		{[]float64{1, 2, 3, 4}, 2.5},
		{[]float64{-1, 1}, 0},
		{[]float64{1, math.NaN()}, math.NaN()},
	} {
		if got := Mean(tc.x); !same(got, tc.want, 1e-15) {
			t.Errorf("Mean(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}

func TestMeanStd(t *testing.T) {
	for _, tc := range []struct {
		x         []float64
		mean, std float64
	}{
		{nil, math.NaN(), math.NaN()},
		{[]float64{7}, 7, 0},
		{[]float64{1, 3}, 2, math.Sqrt2},
		// Deviations -3,-1,1,3: squares sum to 20, over n-1 = 3.
		{[]float64{2, 4, 6, 8}, 5, math.Sqrt(20.0 / 3)},
		{[]float64{5, 5, 5}, 5, 0},
		// A large offset must not destroy the spread.
		{[]float64{1e9 + 1, 1e9 + 2, 1e9 + 3}, 1e9 + 2, 1},
	} {
		mean, std := MeanStd(tc.x)
		if !same(mean, tc.mean, 1e-12) || !same(std, tc.std, 1e-12) {
			t.Errorf("MeanStd(%v) = %v, %v, want %v, %v", tc.x, mean, std, tc.mean, tc.std)
		}
	}
}

func TestQuantile(t *testing.T) {
	for _, tc := range []struct {
		sorted []float64
		p      float64
		want   float64
	}{
		{nil, 0.5, math.NaN()},
		{[]float64{4}, 0, 4},
		{[]float64{4}, 0.7, 4},
		{[]float64{4}, 1, 4},
		{[]float64{1, 2, 3, 4}, 0, 1},
		{[]float64{1, 2, 3, 4}, 1, 4},
		// h = 3*0.5 = 1.5: halfway between 2 and 3.
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		// h = 3*0.25 = 0.75: 1 + 0.75*(2-1).
		{[]float64{1, 2, 3, 4}, 0.25, 1.75},
		// h = 4*0.1 = 0.4: 0 + 0.4*10; numpy.quantile([0,10,20,30,40], 0.1) = 4.
		{[]float64{0, 10, 20, 30, 40}, 0.1, 4},
		// h = 4*0.975 = 3.9: 30 + 0.9*10.
		{[]float64{0, 10, 20, 30, 40}, 0.975, 39},
		{[]float64{0, 10, 20, 30, 40}, 0.75, 30},
	} {
		if got := Quantile(tc.sorted, tc.p); !same(got, tc.want, 1e-12) {
			t.Errorf("Quantile(%v, %v) = %v, want %v", tc.sorted, tc.p, got, tc.want)
		}
	}
}

func TestQuantilePanics(t *testing.T) {
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Quantile(_, %v) did not panic", p)
				}
			}()
			Quantile([]float64{1, 2}, p)
		}()
	}
}

func TestBootstrapMeanCI(t *testing.T) {
	for _, tc := range []struct {
		name   string
		x      []float64
		level  float64
		lo, hi float64
	}{
		{"empty", nil, 0.95, math.NaN(), math.NaN()},
		{"single", []float64{3.5}, 0.95, 3.5, 3.5},
		{"constant", []float64{2, 2, 2, 2}, 0.95, 2, 2},
		// Resampled means of {0, 10} are 0, 5 and 10 with probabilities
		// 1/4, 1/2 and 1/4. The 2.5% and 97.5% quantiles fall inside the
		// runs of 0s and 10s, the 30% and 70% quantiles inside the run of 5s.
		{"two points 95%", []float64{0, 10}, 0.95, 0, 10},
		{"two points 40%", []float64{10, 0}, 0.4, 5, 5},
	} {
		rng := rand.New(rand.NewPCG(1, 2))
		lo, hi := BootstrapMeanCI(tc.x, tc.level, 1000, rng)
		if !same(lo, tc.lo, 1e-12) || !same(hi, tc.hi, 1e-12) {
			t.Errorf("%s: BootstrapMeanCI(%v, %v) = [%v, %v], want [%v, %v]", tc.name, tc.x, tc.level, lo, hi, tc.lo, tc.hi)
		}
	}
}

func TestBootstrapMeanCIDeterministic(t *testing.T) {
	x := []float64{0.3, 1.7, 2.2, -0.4, 5.1, 0.9}
	lo1, hi1 := BootstrapMeanCI(x, 0.95, 500, rand.New(rand.NewPCG(7, 7)))
	lo2, hi2 := BootstrapMeanCI(x, 0.95, 500, rand.New(rand.NewPCG(7, 7)))
	if lo1 != lo2 || hi1 != hi2 {
		t.Errorf("same seed gave [%v, %v] and [%v, %v]", lo1, hi1, lo2, hi2)
	}
	lo3, hi3 := BootstrapMeanCI(x, 0.95, 500, rand.New(rand.NewPCG(8, 8)))
	if lo1 == lo3 && hi1 == hi3 {
		t.Errorf("different seeds gave the same interval [%v, %v]; is rng used?", lo1, hi1)
	}
	m := Mean(x)
	if !(lo1 < m && m < hi1) {
		t.Errorf("interval [%v, %v] does not contain the sample mean %v", lo1, hi1, m)
	}
	// A narrower level gives a nested interval from the same resamples.
	lo4, hi4 := BootstrapMeanCI(x, 0.5, 500, rand.New(rand.NewPCG(7, 7)))
	if !(lo1 < lo4 && lo4 < hi4 && hi4 < hi1) {
		t.Errorf("50%% interval [%v, %v] not strictly inside 95%% interval [%v, %v]", lo4, hi4, lo1, hi1)
	}
}

func TestBootstrapMeanCIAllocs(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5}
	rng := rand.New(rand.NewPCG(3, 4))
	allocs := testing.AllocsPerRun(20, func() { BootstrapMeanCI(x, 0.9, 200, rng) })
	if allocs > 1 {
		t.Errorf("BootstrapMeanCI made %v allocations per call, want at most 1", allocs)
	}
}

// TestBootstrapMeanCICoverage checks the empirical coverage of 95% intervals
// for samples of size 10 from a normal distribution. The percentile bootstrap
// interval is close to mean ± 1.96·s·sqrt((n-1)/n)/sqrt(n), whose coverage is
// P(|t₉| < 1.86) ≈ 0.90 for normal data, so it under-covers at this size. With
// 500 trials the standard error of the estimate is about 0.013; the bounds
// below are about four standard errors either side, and an interval built
// with the wrong spread (say, the standard deviation instead of the standard
// error) would cover nearly always and fail the upper bound.
func TestBootstrapMeanCICoverage(t *testing.T) {
	const (
		trials = 500
		n      = 10
		mu     = 3.0
		sigma  = 2.0
	)
	rng := rand.New(rand.NewPCG(2024, 11))
	x := make([]float64, n)
	covered := 0
	for range trials {
		for i := range x {
			x[i] = mu + sigma*rng.NormFloat64()
		}
		lo, hi := BootstrapMeanCI(x, 0.95, 1000, rng)
		if lo <= mu && mu <= hi {
			covered++
		}
	}
	coverage := float64(covered) / trials
	if coverage < 0.85 || coverage > 0.96 {
		t.Errorf("coverage of 95%% intervals at n=%d is %.3f, want within [0.85, 0.96]", n, coverage)
	}
	t.Logf("coverage %.3f", coverage)
}

func TestBootstrapMeanCIPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		level     float64
		resamples int
	}{
		{0, 100}, {1, 100}, {-0.5, 100}, {math.NaN(), 100}, {0.95, 0},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("BootstrapMeanCI(level=%v, resamples=%d) did not panic", tc.level, tc.resamples)
				}
			}()
			BootstrapMeanCI([]float64{1, 2}, tc.level, tc.resamples, rng)
		}()
	}
}
