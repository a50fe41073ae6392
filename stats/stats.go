package stats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Mean returns the arithmetic mean of x, or NaN if x is empty.
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, v := range x {
		sum += v
	}
	return sum / float64(len(x))
}

// MeanStd returns the mean and the sample standard deviation (with the n-1
// divisor) of x. The standard deviation of a single value is 0. Both are NaN
// if x is empty.
func MeanStd(x []float64) (mean, std float64) {
	mean = Mean(x)
	if len(x) < 2 {
		if len(x) == 1 {
			return mean, 0
		}
		return mean, math.NaN()
	}
	// Two passes: the sum of squared deviations from the mean is more
	// accurate than the difference of the raw moments.
	var ss float64
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(len(x)-1))
}

// Quantile returns the p-quantile of sorted, which must be sorted in
// increasing order, interpolating linearly between order statistics: with
// n values and h = (n-1)p, it returns sorted[⌊h⌋] + (h-⌊h⌋)(sorted[⌊h⌋+1]-sorted[⌊h⌋]).
// This is Hyndman and Fan's type 7, the default of numpy and R.
//
// Quantile returns NaN if sorted is empty and panics if p is outside [0, 1].
func Quantile(sorted []float64, p float64) float64 {
	if !(0 <= p && p <= 1) {
		panic("stats: quantile probability outside [0, 1]")
	}
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	i := int(h)
	if i >= n-1 {
		return sorted[n-1]
	}
	frac := h - float64(i)
	if frac == 0 {
		return sorted[i]
	}
	return sorted[i] + frac*(sorted[i+1]-sorted[i])
}

// BootstrapMeanCI returns a percentile-bootstrap confidence interval of the
// mean of x at the given confidence level, for example 0.95.
//
// It draws resamples samples of len(x) values from x with replacement using
// rng, computes the mean of each, and returns the (1-level)/2 and
// 1-(1-level)/2 quantiles of those means (see Quantile). The only allocation
// is one buffer of resamples values.
//
// If x holds a single value, lo and hi are that value; if x is empty both are
// NaN. BootstrapMeanCI panics if level is not in (0, 1) or resamples < 1.
func BootstrapMeanCI(x []float64, level float64, resamples int, rng *rand.Rand) (lo, hi float64) {
	if !(0 < level && level < 1) {
		panic("stats: confidence level outside (0, 1)")
	}
	if resamples < 1 {
		panic("stats: fewer than one bootstrap resample")
	}
	switch len(x) {
	case 0:
		return math.NaN(), math.NaN()
	case 1:
		return x[0], x[0]
	}
	means := make([]float64, resamples)
	n := len(x)
	for i := range means {
		var sum float64
		for range n {
			sum += x[rng.IntN(n)]
		}
		means[i] = sum / float64(n)
	}
	slices.Sort(means)
	alpha := (1 - level) / 2
	return Quantile(means, alpha), Quantile(means, 1-alpha)
}
