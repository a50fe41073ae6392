// Package plots draws the figures of a teachbench sweep from its results
// directory.
//
// Figures are made only from files on disk, never from live runs, so that
// any finished or partially finished sweep can be redrawn, and so that the
// figures depend only on the stable format of package runner/store. Draw
// reads a sweep directory and writes into its plots/ subdirectory:
//
//   - curves_<env>.<format>: learning curves, the percentage of test tasks
//     mastered against episodes or steps, one line per teacher with the mean
//     over seeds and a shaded 95% bootstrap confidence band;
//   - sampling_<env>.<format>: for environments with a two-dimensional box
//     task space whose runs recorded samples.csv, a grid of heat maps of the
//     tasks each teacher sampled, one row per teacher and one column per
//     window of training time.
//
// Every teacher has the same colour in every figure of a sweep (see
// TeacherColors); the random teacher is always grey. Figures are
// deterministic: the bootstrap uses a fixed seed.
package plots
