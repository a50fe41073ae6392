package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Alternative is the alternative hypothesis of a two-sample test of x
// against y.
type Alternative int

const (
	// TwoSided: x and y differ in location.
	TwoSided Alternative = iota
	// Less: x tends to be smaller than y.
	Less
	// Greater: x tends to be larger than y.
	Greater
)

// String returns "two-sided", "less" or "greater".
func (a Alternative) String() string {
	switch a {
	case TwoSided:
		return "two-sided"
	case Less:
		return "less"
	case Greater:
		return "greater"
	}
	return "Alternative(?)"
}

// TestResult is the outcome of a two-sample test.
type TestResult struct {
	// Statistic is Welch's t, or the Mann–Whitney U of x.
	Statistic float64
	// DF is the Welch–Satterthwaite degrees of freedom of Welch's test;
	// 0 for the Mann–Whitney test.
	DF float64
	// P is the p-value under the alternative tested; NaN when the test is
	// undefined (see each test).
	P float64
	// Exact reports a Mann–Whitney p-value from the exact permutation
	// distribution rather than the normal approximation.
	Exact bool
}

// WelchTTest performs Welch's unequal-variances t-test of equal means of x and
// y, the test of the TeachMyAgent benchmark (scipy.stats.ttest_ind with
// equal_var=False): t = (x̄ - ȳ)/√(s²ₓ/nₓ + s²ᵧ/nᵧ), with the
// Welch–Satterthwaite degrees of freedom and a Student's t reference
// distribution.
//
// Each sample needs at least two values, else every field is NaN. When both
// samples are constant the standard error is zero: t is ±Inf with p-value 0
// (or 1 against the wrong alternative) if the means differ, and t and p are
// NaN if they are equal, as in scipy.
func WelchTTest(x, y []float64, alt Alternative) TestResult {
	nan := TestResult{Statistic: math.NaN(), DF: math.NaN(), P: math.NaN()}
	if len(x) < 2 || len(y) < 2 {
		return nan
	}
	mx, sx := MeanStd(x)
	my, sy := MeanStd(y)
	vx, vy := sx*sx/float64(len(x)), sy*sy/float64(len(y))
	se2 := vx + vy
	t := (mx - my) / math.Sqrt(se2)
	df := se2 * se2 / (vx*vx/float64(len(x)-1) + vy*vy/float64(len(y)-1))
	if se2 == 0 {
		df = float64(len(x) + len(y) - 2)
		if math.IsNaN(t) {
			return nan
		}
	}
	return TestResult{Statistic: t, DF: df, P: tPValue(t, df, alt)}
}

// tPValue returns the p-value of statistic t of a Student's t distribution
// with df degrees of freedom under alt.
func tPValue(t, df float64, alt Alternative) float64 {
	if math.IsInf(t, 0) {
		// The t distribution's tails vanish: p is 0 or 1.
		switch {
		case alt == TwoSided:
			return 0
		case (alt == Less) == (t < 0):
			return 0
		default:
			return 1
		}
	}
	// CDF needs no random source: Src is only used by Rand.
	d := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	switch alt {
	case Less:
		return d.CDF(t)
	case Greater:
		return d.Survival(t)
	}
	return math.Min(1, 2*d.Survival(math.Abs(t)))
}

// MannWhitneyExactLimit is the largest total sample size len(x)+len(y) for
// which MannWhitneyU computes the exact permutation distribution of U; larger
// samples use the normal approximation.
const MannWhitneyExactLimit = 50

// MannWhitneyU performs the Mann–Whitney U test (Wilcoxon rank-sum test) of
// x against y: a rank test that one sample tends to take larger values than
// the other, which, unlike the t-test, assumes nothing about the shape of
// the distributions. This matters for % mastered, which piles up at 0 and 100.
//
// The statistic is U = #{(a, b) ∈ x×y : a > b} + ½·#{a = b}: the number of
// pairs in which x wins, ties counted as halves, so U/(nₓnᵧ) is the
// probability of improvement of x over y (see ProbabilityOfImprovement).
//
// For len(x)+len(y) ≤ MannWhitneyExactLimit the p-value is exact: the
// distribution of U over all equally likely assignments of the pooled values
// (with their tied mid-ranks) to the two samples, counted by dynamic
// programming. This is the exact conditional test, valid with ties, which
// seeds that all reach 0% or 100% mastered produce. Larger samples use the
// normal approximation with the tie correction of the variance and a
// continuity correction of ½. The two-sided p-value is the probability of a
// U at least as far from its mean nₓnᵧ/2 as the one observed; the one-sided
// p-values are P(U ≤ u) for Less and P(U ≥ u) for Greater.
//
// If either sample is empty every field is NaN; if every value is equal no
// ordering can be detected and P is 1. The samples must not hold NaN, which
// has no rank.
func MannWhitneyU(x, y []float64, alt Alternative) TestResult {
	return mannWhitneyU(x, y, alt, MannWhitneyExactLimit)
}

// mannWhitneyU is MannWhitneyU with the exact distribution used up to a
// total sample size of exactLimit.
func mannWhitneyU(x, y []float64, alt Alternative, exactLimit int) TestResult {
	n1, n2 := len(x), len(y)
	if n1 == 0 || n2 == 0 {
		return TestResult{Statistic: math.NaN(), DF: 0, P: math.NaN()}
	}
	pooled := make([]ranked, 0, n1+n2)
	for _, v := range x {
		pooled = append(pooled, ranked{v: v, fromX: true})
	}
	for _, v := range y {
		pooled = append(pooled, ranked{v: v})
	}
	slices.SortFunc(pooled, func(a, b ranked) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	// Doubled mid-ranks are integers: a tie group occupying ranks
	// i+1..j has mid-rank (i+1+j)/2.
	rank2 := make([]int, len(pooled))
	var tieTerm float64 // Σ (t³ - t) over tie groups
	r2x := 0            // doubled rank sum of x
	for i := 0; i < len(pooled); {
		j := i + 1
		for j < len(pooled) && pooled[j].v == pooled[i].v {
			j++
		}
		for k := i; k < j; k++ {
			rank2[k] = i + 1 + j
			if pooled[k].fromX {
				r2x += i + 1 + j
			}
		}
		t := float64(j - i)
		tieTerm += t*t*t - t
		i = j
	}
	// U = R - n1(n1+1)/2, in halves.
	u2 := r2x - n1*(n1+1)
	res := TestResult{Statistic: float64(u2) / 2}
	n := n1 + n2
	if tieTerm == float64(n*n*n-n) {
		res.P = 1 // one tie group: every assignment gives the same U
		res.Exact = n <= exactLimit
		return res
	}
	if n <= exactLimit {
		res.P = exactUPValue(rank2, n1, u2, alt)
		res.Exact = true
		return res
	}
	mean := float64(n1*n2) / 2
	fn := float64(n)
	sd := math.Sqrt(float64(n1*n2) / 12 * ((fn + 1) - tieTerm/(fn*(fn-1))))
	d := res.Statistic - mean
	std := distuv.UnitNormal
	switch alt {
	case Less:
		res.P = std.CDF((d + 0.5) / sd)
	case Greater:
		res.P = std.Survival((d - 0.5) / sd)
	default:
		res.P = math.Min(1, 2*std.Survival((math.Abs(d)-0.5)/sd))
	}
	return res
}

type ranked struct {
	v     float64
	fromX bool
}

// exactUPValue returns the exact p-value of the doubled U statistic u2 given
// the doubled mid-ranks of the pooled sample, when n1 of them are drawn for x
// uniformly at random without replacement.
func exactUPValue(rank2 []int, n1, u2 int, alt Alternative) float64 {
	// count[k][s]: subsets of size k of the ranks seen so far with doubled
	// rank sum s. Float64 counts are exact up to 2⁵³, far above
	// C(50, 25) ≈ 1.3·10¹⁴.
	maxSum := 0
	for _, r := range rank2 {
		maxSum += r
	}
	count := make([][]float64, n1+1)
	for k := range count {
		count[k] = make([]float64, maxSum+1)
	}
	count[0][0] = 1
	seen := 0
	for _, r := range rank2 {
		seen += r
		for k := min(n1, len(rank2)); k >= 1; k-- {
			prev, cur := count[k-1], count[k]
			for s := seen - r; s >= 0; s-- {
				if prev[s] != 0 {
					cur[s+r] += prev[s]
				}
			}
		}
	}
	dist := count[n1]
	var total, le, ge, far float64
	shift := n1 * (n1 + 1)
	n2 := len(rank2) - n1
	mean2 := n1 * n2 // doubled mean of U
	dev := abs(u2 - mean2)
	for s, c := range dist {
		if c == 0 {
			continue
		}
		v := s - shift // doubled U of this subset
		total += c
		if v <= u2 {
			le += c
		}
		if v >= u2 {
			ge += c
		}
		if abs(v-mean2) >= dev {
			far += c
		}
	}
	switch alt {
	case Less:
		return le / total
	case Greater:
		return ge / total
	}
	return far / total
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// Holm returns the p-values p adjusted for multiple comparisons by Holm's
// step-down method (Holm, Scand. J. Statist. 1979), which controls the
// family-wise error rate at the chosen α under any dependence between the
// tests, and is uniformly more powerful than Bonferroni: with the m finite
// p-values sorted as p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted p₍ᵢ₎ is
// max over j ≤ i of min(1, (m-j+1)·p₍ⱼ₎). Rejecting where the adjusted value is
// below α is Holm's procedure. The result is in the order of p; NaN entries
// (tests that could not be run) stay NaN and do not count in m.
func Holm(p []float64) []float64 {
	adj := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		adj[i] = math.NaN()
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	m := len(idx)
	running := 0.0
	for j, i := range idx {
		running = math.Max(running, math.Min(1, float64(m-j)*p[i]))
		adj[i] = running
	}
	return adj
}
