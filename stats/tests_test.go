package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Welch's examples from the Wikipedia article "Welch's t-test" (published to
// 2–3 digits), with full-precision values from an independent implementation
// (github.com/aclements/go-moremath/stats.TwoSampleWelchTTest, the t-test of
// benchstat's statistics library).
var welchCases = []struct {
	x, y         []float64
	t, df        float64
	pTwo, pLess  float64
	pubT, pubP   float64 // published, rounded
	pubTol, pTol float64
}{
	{
		x: []float64{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4},
		y: []float64{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4},
		t: -2.455356398286006, df: 24.988529290231423, pTwo: 0.021378001462866836, pLess: 0.010689000731433418,
		pubT: -2.46, pubP: 0.021, pubTol: 0.005, pTol: 0.0005,
	},
	{
		x: []float64{17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8},
		y: []float64{21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8},
		t: -1.5654335235985071, df: 9.9047412486508311, pTwo: 0.14884169660532809, pLess: 0.074420848302664044,
		pubT: -1.57, pubP: 0.149, pubTol: 0.005, pTol: 0.0005,
	},
	{
		x: []float64{19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0},
		y: []float64{28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3},
		t: -2.2255120399698529, df: 24.524634944257354, pTwo: 0.035484530830010241, pLess: 0.017742265415005121,
		pubT: -2.22, pubP: 0.036, pubTol: 0.006, pTol: 0.0006,
	},
}

func TestWelchTTest(t *testing.T) {
	for i, tc := range welchCases {
		two := WelchTTest(tc.x, tc.y, TwoSided)
		less := WelchTTest(tc.x, tc.y, Less)
		greater := WelchTTest(tc.x, tc.y, Greater)
		if !same(two.Statistic, tc.t, 1e-12) || !same(two.DF, tc.df, 1e-9) {
			t.Errorf("case %d: t = %v, df = %v; want %v, %v", i, two.Statistic, two.DF, tc.t, tc.df)
		}
		if !same(two.P, tc.pTwo, 1e-10) || !same(less.P, tc.pLess, 1e-10) || !same(greater.P, 1-tc.pLess, 1e-10) {
			t.Errorf("case %d: p = %v (two-sided), %v (less), %v (greater); want %v, %v, %v",
				i, two.P, less.P, greater.P, tc.pTwo, tc.pLess, 1-tc.pLess)
		}
		if !same(two.Statistic, tc.pubT, tc.pubTol) || !same(two.P, tc.pubP, tc.pTol) {
			t.Errorf("case %d: t = %.3f, p = %.4f; published %v, %v", i, two.Statistic, two.P, tc.pubT, tc.pubP)
		}
		// Swapping the samples flips t and the one-sided tests.
		sw := WelchTTest(tc.y, tc.x, Greater)
		if !same(sw.Statistic, -tc.t, 1e-12) || !same(sw.P, tc.pLess, 1e-10) {
			t.Errorf("case %d swapped: t = %v, p = %v", i, sw.Statistic, sw.P)
		}
	}
}

func TestWelchTTestDegenerate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		x, y     []float64
		alt      Alternative
		t, df, p float64
	}{
		{"one value", []float64{1}, []float64{1, 2}, TwoSided, math.NaN(), math.NaN(), math.NaN()},
		{"empty", nil, []float64{1, 2}, Less, math.NaN(), math.NaN(), math.NaN()},
		{"constant equal", []float64{3, 3}, []float64{3, 3, 3}, TwoSided, math.NaN(), math.NaN(), math.NaN()},
		{"constant lower", []float64{0, 0, 0}, []float64{5, 5}, Less, math.Inf(-1), 3, 0},
		{"constant lower, wrong side", []float64{0, 0, 0}, []float64{5, 5}, Greater, math.Inf(-1), 3, 1},
		{"constant higher", []float64{7, 7}, []float64{5, 5}, TwoSided, math.Inf(1), 2, 0},
	} {
		r := WelchTTest(tc.x, tc.y, tc.alt)
		eq := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
		if !eq(r.Statistic, tc.t) || !eq(r.DF, tc.df) || !eq(r.P, tc.p) {
			t.Errorf("%s: %+v, want t=%v df=%v p=%v", tc.name, r, tc.t, tc.df, tc.p)
		}
	}
}

// Mann–Whitney cases with p-values from go-moremath's MannWhitneyUTest, an
// independent implementation. With ties its exact two-sided p-value doubles
// the smaller tail, which is not the two-sided p-value when ties make the null
// distribution asymmetric, and its "greater" p-value is P(U > u-1), which with
// half-integer U also counts u-½; so for the cases with ties only the "less"
// p-value is compared, and TestMannWhitneyUEnumerated checks the others.
var mwuCases = []struct {
	name                string
	x, y                []float64
	u                   float64
	pTwo, pLess, pGreat float64 // exact
	nTwo, nLess, nGreat float64 // normal approximation
}{
	{
		// The example of scipy.stats.mannwhitneyu's documentation:
		// U = 17, exact p = 0.1111, asymptotic p = 0.11134688653314041.
		name: "scipy doc", x: []float64{19, 22, 16, 29, 24}, y: []float64{20, 11, 17, 12}, u: 17,
		pTwo: 0.11111111111111113, pLess: 0.96825396825396826, pGreat: 0.05555555555555558,
		nTwo: 0.1113468865331404, nLess: 0.96690371013890331, nGreat: 0.055673443266570199,
	},
	{
		name: "no ties", x: []float64{45, 33, 35, 39, 42}, y: []float64{34, 36, 41, 43, 44, 37}, u: 14,
		pTwo: 0.93073593073593086, pLess: 0.46536796536796543, pGreat: 0.60389610389610382,
		nTwo: 0.92726447352523211, nLess: 0.46363223676261606, nGreat: 0.60790438529919044,
	},
	{
		name: "ties", x: []float64{0, 0, 0, 1.5, 3, 7, 7, 12, 30, 31}, y: []float64{0, 0, 2, 2, 3, 5, 7, 8, 9, 10}, u: 52.5,
		pTwo: math.NaN(), pLess: 0.58133971291866027, pGreat: math.NaN(),
		nTwo: 0.87864624041388528, nLess: 0.590576561443241, nGreat: 0.43932312020694264,
	},
	{
		name: "zeros", x: []float64{0, 0, 0, 0, 0, 0, 0, 1, 1, 2}, y: []float64{0, 0, 1, 1, 2, 2, 3, 3, 4, 5}, u: 18,
		pTwo: math.NaN(), pLess: 0.0064409274935590729, pGreat: math.NaN(),
		nTwo: 0.012002201189739452, nLess: 0.0060011005948697261, nGreat: 0.99522662783963256,
	},
}

func TestMannWhitneyU(t *testing.T) {
	for _, tc := range mwuCases {
		if math.IsNaN(tc.pTwo) || math.IsNaN(tc.pGreat) {
			enum := enumerateU(tc.x, tc.y)
			tc.pTwo, tc.pGreat = enum[TwoSided], enum[Greater]
		}
		for _, c := range []struct {
			alt       Alternative
			exact, nr float64
		}{{TwoSided, tc.pTwo, tc.nTwo}, {Less, tc.pLess, tc.nLess}, {Greater, tc.pGreat, tc.nGreat}} {
			r := MannWhitneyU(tc.x, tc.y, c.alt)
			if r.Statistic != tc.u || !r.Exact {
				t.Errorf("%s %v: U = %v (exact %v), want %v exactly", tc.name, c.alt, r.Statistic, r.Exact, tc.u)
			}
			if !math.IsNaN(c.exact) && !same(r.P, c.exact, 1e-12) {
				t.Errorf("%s %v: exact p = %v, want %v", tc.name, c.alt, r.P, c.exact)
			}
			a := mannWhitneyU(tc.x, tc.y, c.alt, 0)
			if a.Exact || a.Statistic != tc.u || !same(a.P, c.nr, 1e-12) {
				t.Errorf("%s %v: normal approximation %+v, want p = %v", tc.name, c.alt, a, c.nr)
			}
		}
	}
}

// TestMannWhitneyUEnumerated checks the exact p-values against a direct
// enumeration of every assignment of the pooled values to the two samples,
// on random samples with many ties.
func TestMannWhitneyUEnumerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 34))
	for trial := range 40 {
		n1, n2 := 1+rng.IntN(7), 1+rng.IntN(7)
		x, y := make([]float64, n1), make([]float64, n2)
		for i := range x {
			x[i] = float64(rng.IntN(4))
		}
		for i := range y {
			y[i] = float64(rng.IntN(5))
		}
		want := enumerateU(x, y)
		for alt, p := range want {
			r := MannWhitneyU(x, y, alt)
			if !same(r.P, p, 1e-12) {
				t.Errorf("trial %d: MannWhitneyU(%v, %v, %v) p = %v, enumeration gives %v", trial, x, y, alt, r.P, p)
			}
		}
	}
}

// enumerateU returns the exact p-values of U for x against y by enumerating
// the subsets of the pooled sample that could have been x.
func enumerateU(x, y []float64) map[Alternative]float64 {
	pooled := append(slices.Clone(x), y...)
	n, n1 := len(pooled), len(x)
	uOf := func(a, b []float64) float64 {
		var u float64
		for _, p := range a {
			for _, q := range b {
				switch {
				case p > q:
					u++
				case p == q:
					u += 0.5
				}
			}
		}
		return u
	}
	u := uOf(x, y)
	mean := float64(n1*(n-n1)) / 2
	var total, le, ge, far float64
	for mask := range 1 << n {
		if popcount(mask) != n1 {
			continue
		}
		var a, b []float64
		for i, v := range pooled {
			if mask&(1<<i) != 0 {
				a = append(a, v)
			} else {
				b = append(b, v)
			}
		}
		v := uOf(a, b)
		total++
		if v <= u {
			le++
		}
		if v >= u {
			ge++
		}
		if math.Abs(v-mean) >= math.Abs(u-mean)-1e-9 {
			far++
		}
	}
	return map[Alternative]float64{TwoSided: far / total, Less: le / total, Greater: ge / total}
}

func popcount(m int) int {
	c := 0
	for ; m != 0; m &= m - 1 {
		c++
	}
	return c
}

func TestMannWhitneyUDegenerate(t *testing.T) {
	if r := MannWhitneyU(nil, []float64{1}, TwoSided); !math.IsNaN(r.P) || !math.IsNaN(r.Statistic) {
		t.Errorf("empty sample: %+v, want NaN", r)
	}
	for _, alt := range []Alternative{TwoSided, Less, Greater} {
		r := MannWhitneyU([]float64{2, 2, 2}, []float64{2, 2}, alt)
		if r.P != 1 || r.Statistic != 3 {
			t.Errorf("all equal, %v: %+v, want U = 3, p = 1", alt, r)
		}
	}
	// Complete separation of 10 and 10: one assignment in C(20, 10).
	lo, hi := make([]float64, 10), make([]float64, 10)
	for i := range lo {
		lo[i], hi[i] = float64(i), float64(100+i)
	}
	r := MannWhitneyU(lo, hi, Less)
	if want := 1 / 184756.0; r.Statistic != 0 || !same(r.P, want, 1e-18) {
		t.Errorf("separated: %+v, want U = 0, p = %v", r, want)
	}
	if r := MannWhitneyU(lo, hi, TwoSided); !same(r.P, 2/184756.0, 1e-18) {
		t.Errorf("separated two-sided p = %v", r.P)
	}
}

// TestMannWhitneyULarge checks that large samples switch to the normal
// approximation and that it agrees with the exact distribution near the
// switch.
func TestMannWhitneyULarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	x, y := make([]float64, 25), make([]float64, 25)
	for i := range x {
		x[i] = rng.NormFloat64() + 0.5
		y[i] = rng.NormFloat64()
	}
	exact := MannWhitneyU(x, y, Greater)
	approx := mannWhitneyU(x, y, Greater, 0)
	if !exact.Exact || approx.Exact || math.Abs(exact.P-approx.P) > 0.002 {
		t.Errorf("n = 50: exact %+v, approximate %+v", exact, approx)
	}
	big := MannWhitneyU(append(x, 0), y, Greater)
	if big.Exact {
		t.Errorf("n = 51 used the exact distribution")
	}
}

func TestHolm(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		p, want []float64
	}{
		// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02.
		{[]float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}},
		// Capped at 1 and monotone in the sorted order.
		{[]float64{0.5, 0.2, 0.9}, []float64{1, 0.6, 1}},
		{[]float64{0.02}, []float64{0.02}},
		// NaN are not tests: m = 2 here.
		{[]float64{nan, 0.01, 0.04}, []float64{nan, 0.02, 0.04}},
		{nil, []float64{}},
		// Ties: 3·0.01, then max(0.03, 2·0.01).
		{[]float64{0.01, 0.01, 0.2}, []float64{0.03, 0.03, 0.2}},
	} {
		got := Holm(tc.p)
		if len(got) != len(tc.want) {
			t.Fatalf("Holm(%v) = %v", tc.p, got)
		}
		for i := range got {
			if !same(got[i], tc.want[i], 1e-15) {
				t.Errorf("Holm(%v) = %v, want %v", tc.p, got, tc.want)
				break
			}
		}
	}
}

func BenchmarkMannWhitneyUExact(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := make([]float64, 10), make([]float64, 10)
	for i := range x {
		x[i], y[i] = float64(rng.IntN(20)), float64(rng.IntN(20))
	}
	b.ReportAllocs()
	for b.Loop() {
		MannWhitneyU(x, y, Less)
	}
}

func BenchmarkMannWhitneyUExact50(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := make([]float64, 25), make([]float64, 25)
	for i := range x {
		x[i], y[i] = rng.Float64(), rng.Float64()
	}
	b.ReportAllocs()
	for b.Loop() {
		MannWhitneyU(x, y, Less)
	}
}

func BenchmarkWelchTTest(b *testing.B) {
	x, y := welchCases[0].x, welchCases[0].y
	b.ReportAllocs()
	for b.Loop() {
		WelchTTest(x, y, TwoSided)
	}
}
