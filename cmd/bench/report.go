package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/teachbench/teachbench/plots"
	"github.com/teachbench/teachbench/runner/store"
)

// Report file names, written into the results directory unless --out says
// otherwise.
const (
	reportMarkdown = "report.md"
	reportHTML     = "report.html"
)

func cmdReport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	reference := fs.String("reference", plots.DefaultReference, "teacher label every other teacher is compared with")
	thresholds := fs.String("thresholds", "10,25,50", "comma-separated % mastered levels whose time to reach is tabulated")
	formats := fs.String("formats", "png,svg", "figure formats written to DIR/plots (png is always written: the HTML embeds it)")
	level := fs.Float64("level", plots.DefaultLevel, "confidence level of every interval")
	resamples := fs.Int("resamples", plots.DefaultResamples, "bootstrap resamples per interval")
	alpha := fs.Float64("alpha", 0.05, "significance level of the marks (Holm-adjusted Welch p-values)")
	out := fs.String("out", "", "directory to write report.md and report.html into (default DIR)")
	band := fs.String("band", plots.BandCI, "band around learning curves: ci (bootstrap interval of the mean) or se (± standard error, as TeachMyAgent)")
	pos, err := parse(fs, args, "DIR")
	if err != nil {
		return err
	}
	fmts, err := parseFormats(*formats)
	if err != nil {
		return err
	}
	if !slices.Contains(fmts, "png") {
		fmts = append(fmts, "png")
	}
	ths, err := parseThresholds(*thresholds)
	if err != nil {
		return err
	}
	if !(0 < *level && *level < 1) {
		return fmt.Errorf("%w: --level %v: want a number between 0 and 1", errUsage, *level)
	}
	if !(0 < *alpha && *alpha < 1) {
		return fmt.Errorf("%w: --alpha %v: want a number between 0 and 1", errUsage, *alpha)
	}
	if *resamples < 1 {
		return fmt.Errorf("%w: --resamples %d: want 1 or more", errUsage, *resamples)
	}
	dir := pos[0]
	if *out == "" {
		*out = dir
	}
	sw, err := plots.Load(dir)
	if err != nil {
		return err
	}
	a, err := plots.Analyze(sw, plots.Options{
		Formats: fmts, Reference: *reference, Level: *level, Resamples: *resamples, Thresholds: ths, Band: *band,
	})
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	figs, err := plots.DrawFigures(a)
	if err != nil {
		// A sweep without a finished run still deserves a report of
		// what failed.
		fmt.Fprintf(stderr, "bench report: figures: %v\n", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	d := buildReport(a, figs, *alpha)
	md := d.renderMarkdown(*out)
	page, err := d.renderHTML()
	if err != nil {
		return err
	}
	mdPath, htmlPath := filepath.Join(*out, reportMarkdown), filepath.Join(*out, reportHTML)
	if err := store.WriteFileAtomic(mdPath, []byte(md)); err != nil {
		return err
	}
	if err := store.WriteFileAtomic(htmlPath, []byte(page)); err != nil {
		return err
	}
	fmt.Fprintln(stdout, mdPath)
	fmt.Fprintln(stdout, htmlPath)
	return nil
}

// parseFormats parses a comma-separated list of figure formats.
func parseFormats(s string) ([]string, error) {
	var fmts []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		switch f {
		case "png", "svg", "pdf":
			fmts = append(fmts, f)
		case "":
		default:
			return nil, fmt.Errorf("%w: --formats: unknown format %q (want png, svg or pdf)", errUsage, f)
		}
	}
	return fmts, nil
}

// parseThresholds parses a comma-separated list of % mastered levels.
func parseThresholds(s string) ([]float64, error) {
	ths := []float64{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || !(0 <= v && v <= 100) {
			return nil, fmt.Errorf("%w: --thresholds: %q is not a percentage between 0 and 100", errUsage, f)
		}
		ths = append(ths, v)
	}
	return ths, nil
}

// buildReport writes the report of an analysis and its figures.
func buildReport(a *plots.Analysis, figs []plots.Figure, alpha float64) *doc {
	sw, opt := a.Sweep, a.Options
	name := filepath.Base(filepath.Clean(sw.Dir))
	if sw.Info != nil && sw.Info.Name != "" {
		name = sw.Info.Name
	}
	d := &doc{title: "teachbench report: " + name}

	var done, failed, missing, unreadable int
	for _, r := range sw.Runs {
		switch r.State {
		case plots.StateDone:
			done++
		case plots.StateFailed:
			failed++
		case plots.StateMissing:
			missing++
		default:
			unreadable++
		}
	}
	d.add(para{text: fmt.Sprintf("Results directory %s: %d runs planned, %d done, %d failed, %d missing, %d unreadable.",
		sw.Dir, len(sw.Runs), done, failed, missing, unreadable)})
	if failed+missing+unreadable > 0 {
		d.add(para{note: true, text: fmt.Sprintf("This sweep is incomplete: %d of %d runs have no results (failed %d, missing %d, unreadable %d). "+
			"Statistics use the finished runs only; the runs are listed under each environment.", failed+missing+unreadable, len(sw.Runs), failed, missing, unreadable)})
	}
	if sw.FromSummary {
		d.add(para{note: true, text: "These results come from summary.csv only (no run directories): there are no learning curves, sampling figures or times to threshold."})
	}
	d.add(para{text: readingGuide(opt, alpha)})

	var toc list
	for i, ea := range a.Envs {
		toc.items = append(toc.items, "Environment "+ea.Label)
		toc.links = append(toc.links, envAnchor(i))
	}
	if a.All != nil {
		toc.items = append(toc.items, "All environments")
		toc.links = append(toc.links, "all")
	}
	toc.items = append(toc.items, "Configuration and versions")
	toc.links = append(toc.links, "config")
	d.add(toc)

	overview := figuresOf(figs, "", plots.KindCurves, plots.KindIntervals, plots.KindProfiles, plots.KindImprovement)
	if len(overview) > 0 {
		d.add(heading{level: 2, text: "Overview", id: "overview"})
		d.add(overview...)
	}

	for i, ea := range a.Envs {
		d.add(heading{level: 2, text: "Environment " + ea.Label, id: envAnchor(i)})
		d.add(runTable(ea))
		if ea.Reference == nil {
			d.add(para{note: true, text: fmt.Sprintf("No run of the reference teacher %q in this environment: no comparison (see --reference).", opt.Reference)})
		}
		for _, m := range plots.Metrics {
			d.add(heading{level: 3, text: capitalize(m.Title())}, metricTable(ea, m, opt, alpha))
		}
		if rt, ok := reachTable(ea, opt); ok {
			d.add(heading{level: 3, text: "Time to reach a level of mastery"}, rt)
		}
		d.add(figuresOf(figs, ea.Label, plots.KindCurves, plots.KindSampling)...)
		if l := problemRuns(ea); len(l.items) > 0 {
			d.add(heading{level: 3, text: "Runs without results"}, l)
		}
	}
	if a.All != nil {
		d.add(heading{level: 2, text: "All environments", id: "all"},
			para{text: "Every environment is a stratum: bootstrap resamples draw runs within each environment, and the probability of improvement averages the environments. No test is run across environments."})
		for _, m := range plots.Metrics {
			d.add(heading{level: 3, text: capitalize(m.Title())}, metricTable(a.All, m, opt, alpha))
		}
	}
	d.add(heading{level: 2, text: "Configuration and versions", id: "config"})
	d.add(configBlocks(sw)...)
	if len(sw.Problems) > 0 {
		var l list
		for _, p := range sw.Problems {
			l.items = append(l.items, p.Error())
		}
		d.add(heading{level: 3, text: "Files that could not be read"}, l)
	}
	return d
}

// readingGuide explains the statistics of the tables.
func readingGuide(opt plots.Options, alpha float64) string {
	return fmt.Sprintf("Each row summarises the seeds of one teacher: the mean ± standard error, the median, and the interquartile mean (IQM, "+
		"the mean of the middle half of the runs) with its %s stratified bootstrap confidence interval (%d resamples; Agarwal et al., NeurIPS 2021). "+
		"P(> %s) is the probability that a run of the teacher beats a run of %s (ties count half), with its %s interval. "+
		"Welch p and MWU p are two-sided p-values of Welch's t-test (the test of the TeachMyAgent benchmark) and of the Mann–Whitney U test "+
		"against %s; Holm p is Welch's p adjusted by Holm's method over the teachers of the environment. "+
		"Marks: ▲ better or ▼ worse than %s with Holm p < %v (*), < %v (**), < %v (***). "+
		"Final %% mastered is the last evaluation; AUC %% mastered the mean over all evaluations.",
		pct(opt.Level), opt.Resamples, opt.Reference, opt.Reference, pct(opt.Level), opt.Reference, opt.Reference,
		alpha, alpha/5, alpha/50)
}

func envAnchor(i int) string { return "env-" + strconv.Itoa(i+1) }

// figuresOf returns the figures of env (empty for the sweep's) of the given
// kinds, in that order of kinds.
func figuresOf(figs []plots.Figure, env string, kinds ...string) []block {
	var out []block
	for _, k := range kinds {
		for _, f := range figs {
			if f.Env != env || f.Kind != k {
				continue
			}
			for _, p := range f.Paths {
				if strings.HasSuffix(p, ".png") {
					out = append(out, image{path: p, alt: f.Name, caption: f.Caption})
				}
			}
		}
	}
	return out
}

// runTable counts the runs of each row by state.
func runTable(ea *plots.EnvAnalysis) table {
	t := table{head: []string{"teacher", "planned", "done", "failed", "missing", "unreadable"}, numeric: []bool{false, true, true, true, true, true}}
	for _, r := range ea.Rows {
		t.rows = append(t.rows, []string{r.Label, itoa(r.Planned), itoa(r.Done), itoa(r.Failed), itoa(r.Missing), itoa(r.Unreadable)})
	}
	return t
}

// metricTable is the table of one metric: a row per teacher.
func metricTable(ea *plots.EnvAnalysis, m plots.Metric, opt plots.Options, alpha float64) table {
	ref := opt.Reference
	t := table{
		head:    []string{"teacher", "runs", "mean ± SE", "median", "IQM [" + pct(opt.Level) + " CI]", "P(> " + ref + ") [CI]", "Welch p", "MWU p", "Holm p", "mark"},
		numeric: []bool{false, true, true, true, true, true, true, true, true, false},
	}
	for _, r := range ea.Rows {
		e := r.Scores[m]
		runs := itoa(e.N)
		if e.N != r.Planned {
			runs = fmt.Sprintf("%d of %d", e.N, r.Planned)
		}
		row := []string{r.Label, runs, fmt.Sprintf("%s ± %s", num(e.Mean), num(e.SE)), num(e.Median),
			fmt.Sprintf("%s [%s, %s]", num(e.IQM), num(e.Lo), num(e.Hi))}
		c := r.VsRef[m]
		switch {
		case c != nil:
			row = append(row, fmt.Sprintf("%s [%s, %s]", prob(c.Improvement), prob(c.ImprovementLo), prob(c.ImprovementHi)),
				pval(c.Welch.P), pval(c.MannWhitney.P), pval(c.WelchHolm), mark(c, alpha))
		case ea.Reference != nil && r.Teacher == ref:
			row = append(row, "reference", "", "", "", "")
		default:
			row = append(row, "—", "—", "—", "—", "")
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// mark returns the significance mark of a comparison: the direction and
// stars for the Holm-adjusted Welch p-value.
func mark(c *plots.Comparison, alpha float64) string {
	p := c.WelchHolm
	if !(p < alpha) {
		return ""
	}
	arrow := "▲"
	if c.Welch.Statistic < 0 {
		arrow = "▼"
	}
	switch {
	case p < alpha/50:
		return arrow + "***"
	case p < alpha/5:
		return arrow + "**"
	}
	return arrow + "*"
}

// reachTable tabulates the times to reach each threshold; ok is false when
// no row has evaluations.
func reachTable(ea *plots.EnvAnalysis, opt plots.Options) (table, bool) {
	unit := "episodes"
	if ea.Env != nil && ea.Env.Unit == "steps" {
		unit = "steps"
	}
	t := table{head: []string{"teacher"}, numeric: []bool{false}}
	for _, th := range opt.Thresholds {
		t.head = append(t.head, fmt.Sprintf("≥ %s%%: reached, median %s", strconv.FormatFloat(th, 'g', -1, 64), unit))
		t.numeric = append(t.numeric, true)
	}
	have := false
	for _, r := range ea.Rows {
		row := []string{r.Label}
		for i := range opt.Thresholds {
			if i >= len(r.Reach) {
				row = append(row, "—")
				continue
			}
			have = true
			rc := r.Reach[i]
			med := compactNum(rc.Median)
			if math.IsInf(rc.Median, 1) {
				med = "> " + compactNum(rc.Horizon)
			}
			row = append(row, fmt.Sprintf("%d/%d · %s", rc.Reached, rc.Runs, med))
		}
		t.rows = append(t.rows, row)
	}
	if len(opt.Thresholds) == 0 {
		return t, false
	}
	return t, have
}

// problemRuns lists the environment's runs that have no results.
func problemRuns(ea *plots.EnvAnalysis) list {
	var l list
	for _, r := range ea.Rows {
		for _, g := range r.Groups {
			for _, run := range g.Runs {
				if run.State != plots.StateDone {
					l.items = append(l.items, fmt.Sprintf("%s: %s: %s", run.ID, run.State, run.Error))
				}
			}
		}
	}
	return l
}

// configBlocks renders sweep.json: its scalar fields, the normalised config,
// the build settings and the module versions. It reads the file itself
// rather than store.Sweep so that fields added to the format are shown too.
func configBlocks(sw *plots.Sweep) []block {
	data, err := os.ReadFile(filepath.Join(sw.Dir, store.SweepFile))
	if err != nil {
		return []block{para{text: "sweep.json could not be read: " + err.Error()}}
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return []block{para{text: "sweep.json could not be read: " + err.Error()}}
	}
	facts := table{head: []string{"field", "value"}}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var nested []string
	for _, k := range keys {
		switch v := raw[k].(type) {
		case []any:
			facts.rows = append(facts.rows, []string{k, fmt.Sprintf("%d entries", len(v))})
		case map[string]any:
			nested = append(nested, k)
		default:
			facts.rows = append(facts.rows, []string{k, fmt.Sprint(v)})
		}
	}
	out := []block{facts}
	for _, k := range nested {
		m := raw[k].(map[string]any)
		if k == "config" {
			js, _ := json.MarshalIndent(m, "", "  ")
			out = append(out, heading{level: 3, text: "Normalised configuration (every default filled in)"}, code{lang: "json", text: string(js)})
			continue
		}
		t := table{head: []string{k, "value"}}
		ks := make([]string, 0, len(m))
		for kk := range m {
			ks = append(ks, kk)
		}
		sort.Strings(ks)
		for _, kk := range ks {
			t.rows = append(t.rows, []string{kk, fmt.Sprint(m[kk])})
		}
		out = append(out, heading{level: 3, text: capitalize(k)}, t)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// num formats a score in % mastered.
func num(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// prob formats a probability.
func prob(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// pval formats a p-value: three decimals, or two significant digits below
// 0.001.
func pval(p float64) string {
	switch {
	case math.IsNaN(p):
		return "—"
	case p < 0.001:
		return strconv.FormatFloat(p, 'e', 1, 64)
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

// pct formats a confidence level as a percentage.
func pct(level float64) string {
	return strconv.FormatFloat(100*level, 'g', -1, 64) + "%"
}

// compactNum formats a count of episodes or steps, with a k or M suffix from
// ten thousand up.
func compactNum(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "M"
	case a >= 1e4:
		return strconv.FormatFloat(v/1e3, 'g', 4, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
