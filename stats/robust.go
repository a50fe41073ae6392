package stats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Median returns the median of x, the type-7 quantile at 0.5 (see Quantile),
// or NaN if x is empty. It does not modify x.
func Median(x []float64) float64 { return MedianSorted(sortedCopy(x)) }

// MedianSorted returns the median of sorted, which must be sorted in
// increasing order, or NaN if it is empty.
func MedianSorted(sorted []float64) float64 { return Quantile(sorted, 0.5) }

// StdErr returns the standard error of the mean of x, its sample standard
// deviation (n-1 divisor) over √n. Like MeanStd it is 0 for a single value
// and NaN for none.
func StdErr(x []float64) float64 {
	_, s := MeanStd(x)
	return s / math.Sqrt(float64(len(x)))
}

// TrimmedMean returns the mean of x after removing the ⌊p·n⌋ smallest and the
// ⌊p·n⌋ largest of its n values, as scipy.stats.trim_mean(x, p) does. It
// returns NaN if x is empty, does not modify x, and panics if p is not in
// [0, 0.5).
func TrimmedMean(x []float64, p float64) float64 { return TrimmedMeanSorted(sortedCopy(x), p) }

// TrimmedMeanSorted is TrimmedMean for a sample sorted in increasing order.
func TrimmedMeanSorted(sorted []float64, p float64) float64 {
	if !(0 <= p && p < 0.5) {
		panic("stats: trimming proportion outside [0, 0.5)")
	}
	k := int(p * float64(len(sorted)))
	return Mean(sorted[k : len(sorted)-k])
}

// IQM returns the interquartile mean of x, the mean of its middle half:
// TrimmedMean(x, 0.25). Agarwal et al. (NeurIPS 2021) recommend it as the
// aggregate of a few runs: robust to outlying runs like the median, yet far
// less variable, since it uses half of the runs rather than one or two.
func IQM(x []float64) float64 { return TrimmedMean(x, 0.25) }

// IQMSorted is IQM for a sample sorted in increasing order.
func IQMSorted(sorted []float64) float64 { return TrimmedMeanSorted(sorted, 0.25) }

// A Statistic summarises a sample given sorted in increasing order, for
// example Mean, MedianSorted or IQMSorted. It must not keep or modify the
// slice.
type Statistic func(sorted []float64) float64

// StratifiedBootstrapCI returns a percentile-bootstrap confidence interval at
// the given level (for example 0.95) of stat applied to the pooled values of
// strata.
//
// This is the stratified bootstrap of Agarwal et al., "Deep reinforcement
// learning at the edge of the statistical precipice" (NeurIPS 2021): each
// resample draws, with replacement, as many runs from each stratum (a task,
// here an environment) as it holds, so that every task keeps its weight, and
// pools them. It draws resamples such resamples from rng and returns the
// (1-level)/2 and 1-(1-level)/2 quantiles (see Quantile) of the statistic over
// them. With a single stratum it is the ordinary percentile bootstrap.
//
// Empty strata are ignored. If the strata hold no value both bounds are NaN;
// if they hold one, both are the statistic of that value. Values must not be
// NaN. It panics if level is not in (0, 1) or resamples < 1.
func StratifiedBootstrapCI(strata [][]float64, stat Statistic, level float64, resamples int, rng *rand.Rand) (lo, hi float64) {
	checkBootstrap(level, resamples)
	n := 0
	for _, s := range strata {
		n += len(s)
	}
	switch n {
	case 0:
		return math.NaN(), math.NaN()
	case 1:
		for _, s := range strata {
			if len(s) == 1 {
				v := stat(s)
				return v, v
			}
		}
	}
	pooled := make([]float64, n)
	est := make([]float64, resamples)
	for i := range est {
		resample(pooled, strata, rng)
		slices.Sort(pooled)
		est[i] = stat(pooled)
	}
	return percentileInterval(est, level)
}

// resample fills dst with a stratified resample of strata, stratum by
// stratum.
func resample(dst []float64, strata [][]float64, rng *rand.Rand) {
	k := 0
	for _, s := range strata {
		for range s {
			dst[k] = s[rng.IntN(len(s))]
			k++
		}
	}
}

// percentileInterval sorts est and returns its central interval at level.
func percentileInterval(est []float64, level float64) (lo, hi float64) {
	slices.Sort(est)
	a := (1 - level) / 2
	return Quantile(est, a), Quantile(est, 1-a)
}

func checkBootstrap(level float64, resamples int) {
	if !(0 < level && level < 1) {
		panic("stats: confidence level outside (0, 1)")
	}
	if resamples < 1 {
		panic("stats: fewer than one bootstrap resample")
	}
}

// ProbabilityOfImprovement returns the probability that a run of algorithm X
// scores higher than a run of algorithm Y on a task drawn uniformly, as
// defined by Agarwal et al. (NeurIPS 2021): for each task k it is
// P(X_k > Y_k) + ½·P(X_k = Y_k) over all pairs of runs of x[k] and y[k] (the
// Mann–Whitney U statistic of x[k] over len(x[k])·len(y[k])), averaged over
// the tasks. Tasks where either algorithm has no run are left out; if none is
// left the result is NaN. x and y must have the same number of tasks.
//
// A value above 0.5 says X tends to do better; it says nothing about by how
// much.
func ProbabilityOfImprovement(x, y [][]float64) float64 {
	if len(x) != len(y) {
		panic("stats: probability of improvement over different numbers of tasks")
	}
	var sum float64
	tasks := 0
	for k := range x {
		if len(x[k]) == 0 || len(y[k]) == 0 {
			continue
		}
		sum += pairwiseGreater(x[k], y[k])
		tasks++
	}
	if tasks == 0 {
		return math.NaN()
	}
	return sum / float64(tasks)
}

// pairwiseGreater returns the fraction of pairs (a, b) of a×b with a > b,
// counting ties as one half.
func pairwiseGreater(a, b []float64) float64 {
	var wins float64
	for _, u := range a {
		for _, v := range b {
			switch {
			case u > v:
				wins++
			case u == v:
				wins += 0.5
			}
		}
	}
	return wins / float64(len(a)*len(b))
}

// ProbabilityOfImprovementCI returns a percentile-bootstrap confidence
// interval at level of ProbabilityOfImprovement(x, y). Each resample
// stratifies by task and resamples the runs of X and of Y independently, as in
// Agarwal et al. (NeurIPS 2021). Degenerate inputs give NaN (no task) or the
// point value (one run each on every task), like StratifiedBootstrapCI.
func ProbabilityOfImprovementCI(x, y [][]float64, level float64, resamples int, rng *rand.Rand) (lo, hi float64) {
	checkBootstrap(level, resamples)
	p := ProbabilityOfImprovement(x, y)
	if math.IsNaN(p) {
		return p, p
	}
	rx, ry := cloneShape(x), cloneShape(y)
	est := make([]float64, resamples)
	for i := range est {
		for k := range x {
			resampleInto(rx[k], x[k], rng)
			resampleInto(ry[k], y[k], rng)
		}
		est[i] = ProbabilityOfImprovement(rx, ry)
	}
	return percentileInterval(est, level)
}

// cloneShape returns slices of the same lengths as strata.
func cloneShape(strata [][]float64) [][]float64 {
	out := make([][]float64, len(strata))
	for k, s := range strata {
		out[k] = make([]float64, len(s))
	}
	return out
}

func resampleInto(dst, src []float64, rng *rand.Rand) {
	for i := range dst {
		dst[i] = src[rng.IntN(len(src))]
	}
}

// PerformanceProfile writes into dst, and returns, the run-score
// distribution of Agarwal et al. (NeurIPS 2021) at each threshold taus[i]:
// the fraction of runs that score strictly above it, computed per task
// (stratum) and averaged over the tasks that have runs, so that every task
// weighs the same. dst is allocated if it is shorter than taus. With no run
// at all every entry is NaN.
//
// Plotted against the thresholds it is a performance profile: a curve that
// lies above another everywhere dominates it stochastically.
func PerformanceProfile(strata [][]float64, taus, dst []float64) []float64 {
	if len(dst) < len(taus) {
		dst = make([]float64, len(taus))
	}
	dst = dst[:len(taus)]
	clear(dst)
	tasks := 0
	for _, s := range strata {
		if len(s) == 0 {
			continue
		}
		tasks++
		for i, tau := range taus {
			above := 0
			for _, v := range s {
				if v > tau {
					above++
				}
			}
			dst[i] += float64(above) / float64(len(s))
		}
	}
	for i := range dst {
		dst[i] /= float64(tasks) // NaN when tasks == 0
	}
	return dst
}

// PerformanceProfileCI returns pointwise percentile-bootstrap confidence
// intervals at level of PerformanceProfile(strata, taus, nil), resampling
// runs within each task as StratifiedBootstrapCI does.
func PerformanceProfileCI(strata [][]float64, taus []float64, level float64, resamples int, rng *rand.Rand) (lo, hi []float64) {
	checkBootstrap(level, resamples)
	lo, hi = make([]float64, len(taus)), make([]float64, len(taus))
	rs := cloneShape(strata)
	est := make([][]float64, len(taus)) // est[i][r]: threshold i, resample r
	for i := range est {
		est[i] = make([]float64, resamples)
	}
	prof := make([]float64, len(taus))
	for r := range resamples {
		for k, s := range strata {
			if len(s) > 0 {
				resampleInto(rs[k], s, rng)
			}
		}
		PerformanceProfile(rs, taus, prof)
		for i, v := range prof {
			est[i][r] = v
		}
	}
	for i := range taus {
		lo[i], hi[i] = percentileInterval(est[i], level)
	}
	return lo, hi
}

// sortedCopy returns x sorted in a new slice.
func sortedCopy(x []float64) []float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s
}
