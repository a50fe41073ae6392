// Package stats provides the numerical summaries shared by the teachbench
// harness and its reports:
//
//   - location and spread: Mean, MeanStd, StdErr, Quantile, Median, and the
//     interquartile mean IQM (TrimmedMean at 25%, as scipy.stats.trim_mean);
//   - confidence intervals: BootstrapMeanCI, and StratifiedBootstrapCI for any
//     Statistic over runs grouped by task;
//   - the comparisons recommended by Agarwal et al., "Deep reinforcement
//     learning at the edge of the statistical precipice" (NeurIPS 2021):
//     ProbabilityOfImprovement and PerformanceProfile (run-score
//     distributions), each with a stratified bootstrap interval;
//   - two-sample tests: WelchTTest (the test of the TeachMyAgent benchmark)
//     and MannWhitneyU (exact for small samples, ties included), with Holm's
//     correction for many comparisons;
//   - sample efficiency: AUC of a learning curve, FirstCrossing of a level
//     (right-censored when never reached) and the KaplanMeier estimate that
//     summarises censored times.
//
// Figures and reports summarise a handful of seeds per configuration, so the
// functions here favour plain, well-defined behaviour on tiny samples: an
// empty sample gives NaN rather than a panic, a single value has zero spread,
// and every random choice is drawn from a *rand.Rand supplied by the caller so
// that results are reproducible from a seed. Each function is tested against
// hand-computed values, published examples or an independent implementation.
package stats
