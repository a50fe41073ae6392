// Package plots reads the results directory of a teachbench sweep, computes
// the statistics papers and CI need, and draws the figures.
//
// Figures are made only from files on disk, never from live runs, so that any
// finished or partially finished sweep can be redrawn, and so that they depend
// only on the stable format of package runner/store. The work has three steps,
// each usable alone:
//
//   - Load reads a results directory (or a committed baseline that keeps only
//     sweep.json and summary.csv) into a Sweep: every planned run, marked
//     done, failed, missing or unreadable, grouped by environment and by
//     teacher and student.
//   - Analyze computes, per environment and group, the mean, standard error,
//     median and interquartile mean (IQM) of final and AUC % mastered with
//     stratified bootstrap confidence intervals; Welch's t-test and the
//     Mann–Whitney U test against a reference teacher (random by default)
//     with Holm's correction; the probability of improvement over it; the
//     Kaplan–Meier median time to reach % mastered thresholds; and, with
//     several environments, the aggregate over all of them, each environment
//     a stratum (the methodology of Agarwal et al., NeurIPS 2021).
//   - DrawFigures writes the figures into the sweep's plots/ directory, in
//     PNG, SVG, PDF or other formats: learning curves per environment and in
//     one multi-panel figure with a shared legend, sampling frame strips (2-D
//     heat maps for box spaces, task × time heat maps for discrete spaces),
//     IQM interval plots, performance profiles and probability-of-improvement
//     plots. Draw does all three for a directory.
//
// Every teacher has the same colour, marker and dash pattern in every figure
// of a sweep (see TeacherColors, TeacherMarkers and TeacherDashes; the random
// teacher is always a grey cross), so figures read in black and white and side
// by side. Default sizes and fonts suit a two-column paper: a one-panel figure
// is a column wide, with 8-point text (see Options). Figures are
// deterministic: every bootstrap draws from a fixed seed, one stream per
// estimate.
package plots
