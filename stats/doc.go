// Package stats provides the small set of numerical summaries shared by the
// teachbench harness: means, sample standard deviations, quantiles and
// percentile-bootstrap confidence intervals of a mean.
//
// Figures and reports summarise a handful of seeds per configuration, so the
// functions here favour plain, well-defined behaviour on tiny samples: an
// empty sample gives NaN rather than a panic, a single value has zero spread,
// and every random choice is drawn from a *rand.Rand supplied by the caller so
// that results are reproducible from a seed.
package stats
