package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestMedianIQMTrimmedMean(t *testing.T) {
	seq := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i)
		}
		return x
	}
	for _, tc := range []struct {
		name string
		x    []float64
		p    float64 // trimming proportion
		trim float64 // TrimmedMean(x, p), as scipy.stats.trim_mean(x, p)
		iqm  float64
		med  float64
	}{
		{"empty", nil, 0.1, math.NaN(), math.NaN(), math.NaN()},
		{"one", []float64{4}, 0.25, 4, 4, 4},
		// n = 3: ⌊0.75⌋ = 0 values cut, the IQM is the mean.
		{"three", []float64{9, 0, 3}, 0.25, 4, 4, 3},
		// n = 4: one cut at each end.
		{"four", []float64{10, 1, 4, 2}, 0.25, 3, 3, 3},
		// The scipy documentation's example: trim_mean(arange(20), 0.1) = 9.5.
		{"scipy doc", seq(20), 0.1, 9.5, 9.5, 9.5},
		// n = 10: ⌊2.5⌋ = 2 cut at each end, mean of 2..7 = 4.5.
		{"ten", seq(10), 0.25, 4.5, 4.5, 4.5},
		// An outlying run moves the mean (22) but not the IQM.
		{"outlier", []float64{1, 2, 3, 4, 100}, 0.25, 3, 3, 3},
		// n = 7: ⌊1.75⌋ = 1 cut: mean of 1, 2, 2, 5, 9.
		{"seven", []float64{0, 2, 9, 1, 5, 2, 40}, 0.25, 3.8, 3.8, 2},
		{"p=0 is the mean", []float64{1, 2, 6}, 0, 3, 3, 2},
	} {
		orig := slices.Clone(tc.x)
		if got := TrimmedMean(tc.x, tc.p); !same(got, tc.trim, 1e-12) {
			t.Errorf("%s: TrimmedMean(%v, %v) = %v, want %v", tc.name, tc.x, tc.p, got, tc.trim)
		}
		if got := IQM(tc.x); !same(got, tc.iqm, 1e-12) {
			t.Errorf("%s: IQM(%v) = %v, want %v", tc.name, tc.x, got, tc.iqm)
		}
		if got := Median(tc.x); !same(got, tc.med, 1e-12) {
			t.Errorf("%s: Median(%v) = %v, want %v", tc.name, tc.x, got, tc.med)
		}
		if !slices.Equal(orig, tc.x) {
			t.Errorf("%s: input modified to %v", tc.name, tc.x)
		}
	}
	for _, p := range []float64{-0.1, 0.5, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("TrimmedMean(_, %v) did not panic", p)
				}
			}()
			TrimmedMean([]float64{1, 2}, p)
		}()
	}
}

func TestStdErr(t *testing.T) {
	for _, tc := range []struct {
		x    []float64
		want float64
	}{
		{nil, math.NaN()},
		{[]float64{3}, 0},
		// s = √(20/3), n = 4.
		{[]float64{2, 4, 6, 8}, math.Sqrt(20.0/3) / 2},
	} {
		if got := StdErr(tc.x); !same(got, tc.want, 1e-12) {
			t.Errorf("StdErr(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}

func TestStratifiedBootstrapCI(t *testing.T) {
	for _, tc := range []struct {
		name   string
		strata [][]float64
		stat   Statistic
		lo, hi float64
	}{
		{"no values", [][]float64{nil, {}}, Mean, math.NaN(), math.NaN()},
		{"one value", [][]float64{nil, {7}}, IQMSorted, 7, 7},
		// Each stratum is constant, so every stratified resample is the
		// same pooled sample: the interval collapses. An ordinary
		// bootstrap of the 6 pooled values would not.
		{"constant strata", [][]float64{{0, 0, 0}, {10, 10, 10}}, Mean, 5, 5},
		{"constant strata median", [][]float64{{0, 0, 0}, {10, 10, 10}}, MedianSorted, 5, 5},
		// A resample of {0, 10} has mean 0, 5 or 10 with probabilities
		// ¼, ½, ¼: the 95% interval spans [0, 10].
		{"two points", [][]float64{{0, 10}}, Mean, 0, 10},
	} {
		lo, hi := StratifiedBootstrapCI(tc.strata, tc.stat, 0.95, 2000, rand.New(rand.NewPCG(1, 2)))
		if !same(lo, tc.lo, 1e-12) || !same(hi, tc.hi, 1e-12) {
			t.Errorf("%s: interval [%v, %v], want [%v, %v]", tc.name, lo, hi, tc.lo, tc.hi)
		}
	}

	// With one stratum and the mean it is BootstrapMeanCI: the same draws
	// from the same stream, summed in another order.
	x := []float64{0.3, 1.7, 2.2, -0.4, 5.1, 0.9, 3.3}
	lo1, hi1 := StratifiedBootstrapCI([][]float64{x}, Mean, 0.9, 500, rand.New(rand.NewPCG(9, 9)))
	lo2, hi2 := BootstrapMeanCI(x, 0.9, 500, rand.New(rand.NewPCG(9, 9)))
	if !same(lo1, lo2, 1e-12) || !same(hi1, hi2, 1e-12) {
		t.Errorf("one stratum: [%v, %v], BootstrapMeanCI gives [%v, %v]", lo1, hi1, lo2, hi2)
	}
	if m := IQM(x); !(lo1 < m && m < hi1) {
		t.Errorf("interval [%v, %v] does not hold the point estimate %v", lo1, hi1, m)
	}
}

// TestStratifiedBootstrapCoverage checks the coverage of 95% intervals of the
// IQM of 3 tasks × 10 runs drawn from N(0, 1), N(5, 1) and N(10, 1). The
// mixture is symmetric about 5, so its interquartile mean is 5. With 400
// trials the standard error of the coverage is about 0.012; a percentile
// interval of this size covers about 92–95% of the time, and the bounds are
// four standard errors out. An interval from the wrong spread (say, the
// runs' spread rather than the estimate's) would cover almost always.
func TestStratifiedBootstrapCoverage(t *testing.T) {
	const trials = 400
	rng := rand.New(rand.NewPCG(31, 41))
	strata := [][]float64{make([]float64, 10), make([]float64, 10), make([]float64, 10)}
	covered := 0
	for range trials {
		for k, s := range strata {
			for i := range s {
				s[i] = 5*float64(k) + rng.NormFloat64()
			}
		}
		lo, hi := StratifiedBootstrapCI(strata, IQMSorted, 0.95, 1000, rng)
		if lo <= 5 && 5 <= hi {
			covered++
		}
	}
	c := float64(covered) / trials
	t.Logf("coverage %.3f", c)
	if c < 0.88 || c > 0.985 {
		t.Errorf("coverage of 95%% IQM intervals is %.3f, want within [0.88, 0.985]", c)
	}
}

func TestProbabilityOfImprovement(t *testing.T) {
	for _, tc := range []struct {
		name string
		x, y [][]float64
		want float64
	}{
		// Pairs against 2: 1 loses, 2 ties (½), 3 wins: 1.5 of 3.
		{"ties count half", [][]float64{{1, 2, 3}}, [][]float64{{2}}, 0.5},
		{"dominates", [][]float64{{5, 6}}, [][]float64{{1, 2, 3}}, 1},
		// Tasks weigh equally whatever their number of runs: (1 + 0)/2.
		{"two tasks", [][]float64{{3, 4}, {0}}, [][]float64{{1, 2}, {1, 1, 1}}, 0.5},
		// A task without runs of one side is left out.
		{"missing task", [][]float64{{3}, nil}, [][]float64{{1}, {5}}, 1},
		{"nothing", [][]float64{nil}, [][]float64{{1}}, math.NaN()},
		// 1 wins 1 pair, 5 wins 1 and ties 1, 9 wins 3: 5.5 of 9.
		{"mixed", [][]float64{{1, 5, 9}}, [][]float64{{0, 5, 6}}, 5.5 / 9},
	} {
		if got := ProbabilityOfImprovement(tc.x, tc.y); !same(got, tc.want, 1e-12) {
			t.Errorf("%s: P(X > Y) = %v, want %v", tc.name, got, tc.want)
		}
		if rev := ProbabilityOfImprovement(tc.y, tc.x); !math.IsNaN(tc.want) && !same(rev, 1-tc.want, 1e-12) {
			t.Errorf("%s: P(Y > X) = %v, want 1 - P(X > Y) = %v", tc.name, rev, 1-tc.want)
		}
	}
	// Equal to the Mann–Whitney U over the number of pairs.
	x, y := []float64{0, 0, 3, 7, 7, 12}, []float64{0, 2, 3, 5, 8}
	u := MannWhitneyU(x, y, TwoSided).Statistic
	if got := ProbabilityOfImprovement([][]float64{x}, [][]float64{y}); !same(got, u/30, 1e-12) {
		t.Errorf("P(X > Y) = %v, U/(mn) = %v", got, u/30)
	}
}

func TestProbabilityOfImprovementCI(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	lo, hi := ProbabilityOfImprovementCI([][]float64{{5, 6, 7}, {9, 9}}, [][]float64{{1, 2}, {3}}, 0.95, 500, rng)
	if lo != 1 || hi != 1 {
		t.Errorf("X always better: interval [%v, %v], want [1, 1]", lo, hi)
	}
	lo, hi = ProbabilityOfImprovementCI([][]float64{nil}, [][]float64{{1}}, 0.95, 500, rng)
	if !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no task: [%v, %v], want NaN", lo, hi)
	}
	// Overlapping samples: the interval holds the estimate and is
	// within [0, 1]; two identical samples give an interval about ½.
	x := []float64{1, 3, 4, 6, 8, 9, 10, 12}
	y := []float64{0, 2, 3, 5, 7, 7, 8, 11}
	p := ProbabilityOfImprovement([][]float64{x}, [][]float64{y})
	lo, hi = ProbabilityOfImprovementCI([][]float64{x}, [][]float64{y}, 0.95, 2000, rng)
	if !(0 <= lo && lo < p && p < hi && hi <= 1) {
		t.Errorf("interval [%v, %v] around %v", lo, hi, p)
	}
	lo, hi = ProbabilityOfImprovementCI([][]float64{x}, [][]float64{x}, 0.95, 2000, rng)
	if !(lo < 0.5 && 0.5 < hi && math.Abs((lo+hi)/2-0.5) < 0.05) {
		t.Errorf("identical samples: interval [%v, %v], want one centred on 0.5", lo, hi)
	}
}

func TestPerformanceProfile(t *testing.T) {
	taus := []float64{-1, 0, 15, 30, 31}
	got := PerformanceProfile([][]float64{{0, 10, 20, 30}}, taus, nil)
	if want := []float64{1, 0.75, 0.5, 0, 0}; !slices.Equal(got, want) {
		t.Errorf("profile %v, want %v", got, want)
	}
	// Tasks weigh equally: at 4, ½ of task 1 and all of task 2.
	got = PerformanceProfile([][]float64{{0, 10}, {5, 5, 5, 50}, nil}, []float64{4, 5}, make([]float64, 8))
	if want := []float64{0.75, 0.25 + 0.125}; !slices.Equal(got, want) {
		t.Errorf("profile %v, want %v", got, want)
	}
	if got := PerformanceProfile(nil, []float64{1}, nil); !math.IsNaN(got[0]) {
		t.Errorf("profile of no run = %v, want NaN", got)
	}

	rng := rand.New(rand.NewPCG(8, 8))
	strata := [][]float64{{0, 10, 20, 30, 40, 50}, {5, 15, 25}}
	taus = []float64{-1, 12, 22, 60}
	lo, hi := PerformanceProfileCI(strata, taus, 0.95, 1000, rng)
	point := PerformanceProfile(strata, taus, nil)
	for i := range taus {
		if !(lo[i] <= point[i] && point[i] <= hi[i]) {
			t.Errorf("τ=%v: %v outside [%v, %v]", taus[i], point[i], lo[i], hi[i])
		}
	}
	// Everything is above -1 and below 60 in every resample.
	if lo[0] != 1 || hi[0] != 1 || lo[3] != 0 || hi[3] != 0 {
		t.Errorf("extreme thresholds: [%v, %v] and [%v, %v]", lo[0], hi[0], lo[3], hi[3])
	}
	if !(lo[1] < hi[1]) {
		t.Errorf("τ=12: degenerate interval [%v, %v]", lo[1], hi[1])
	}
}

func TestBootstrapAllocs(t *testing.T) {
	strata := [][]float64{{1, 2, 3, 4, 5}, {6, 7, 8}}
	rng := rand.New(rand.NewPCG(3, 4))
	if a := testing.AllocsPerRun(10, func() { StratifiedBootstrapCI(strata, IQMSorted, 0.95, 200, rng) }); a > 2 {
		t.Errorf("StratifiedBootstrapCI: %v allocations per call, want at most 2", a)
	}
}

func BenchmarkStratifiedBootstrapCI(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	strata := make([][]float64, 4)
	for k := range strata {
		strata[k] = make([]float64, 10)
		for i := range strata[k] {
			strata[k][i] = rng.Float64() * 100
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		StratifiedBootstrapCI(strata, IQMSorted, 0.95, 2000, rng)
	}
}

func BenchmarkProbabilityOfImprovementCI(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x, y := [][]float64{make([]float64, 10)}, [][]float64{make([]float64, 10)}
	for i := range 10 {
		x[0][i], y[0][i] = rng.Float64(), rng.Float64()
	}
	b.ReportAllocs()
	for b.Loop() {
		ProbabilityOfImprovementCI(x, y, 0.95, 2000, rng)
	}
}
