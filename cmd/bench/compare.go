package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/teachbench/teachbench/plots"
	"github.com/teachbench/teachbench/stats"
)

// Defaults of bench compare.
const (
	defaultCompareAlpha     = 0.05
	defaultCompareTolerance = 2.0 // percentage points
)

// Verdicts of a comparison row.
const (
	verdictRegression = "REGRESSION"
	verdictImproved   = "improved"
	verdictSame       = "ok"
	verdictMissing    = "MISSING"
	verdictNoBaseline = "no baseline"
	verdictNew        = "new"
)

// compareRow is the comparison of one env × teacher × student group.
type compareRow struct {
	env, label string
	base, cur  []float64
	// pLess and pGreater are the one-sided p-values that the new runs
	// score lower (higher) than the baseline's, Holm-adjusted over the
	// compared rows.
	pLess, pGreater float64
	verdict         string
}

func cmdCompare(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	metricName := fs.String("metric", string(plots.FinalMastered), "per-run score to compare: final_mastered or auc_mastered")
	tolerance := fs.Float64("tolerance", defaultCompareTolerance, "largest drop of the mean, in percentage points, that is never a regression")
	alpha := fs.Float64("alpha", defaultCompareAlpha, "significance level of the one-sided tests after Holm's correction")
	test := fs.String("test", "mwu", "one-sided test: mwu (Mann–Whitney U) or welch (Welch's t-test)")
	allowMissing := fs.Bool("allow-missing", false, "do not fail when a baseline group has fewer than 2 finished runs in DIR")
	pos, err := parse(fs, args, "BASELINE", "DIR")
	if err != nil {
		return err
	}
	metric, err := plots.ParseMetric(*metricName)
	if err != nil {
		return fmt.Errorf("%w: --metric: %v", errUsage, err)
	}
	if !(*tolerance >= 0) || math.IsInf(*tolerance, 0) {
		return fmt.Errorf("%w: --tolerance %v: want a non-negative number of percentage points", errUsage, *tolerance)
	}
	if !(0 < *alpha && *alpha < 1) {
		return fmt.Errorf("%w: --alpha %v: want a number between 0 and 1", errUsage, *alpha)
	}
	var oneSided func(x, y []float64, alt stats.Alternative) stats.TestResult
	switch *test {
	case "mwu":
		oneSided = stats.MannWhitneyU
	case "welch":
		oneSided = stats.WelchTTest
	default:
		return fmt.Errorf("%w: --test %q: want mwu or welch", errUsage, *test)
	}
	base, err := plots.Load(pos[0])
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	cur, err := plots.Load(pos[1])
	if err != nil {
		return err
	}
	rows := compareSweeps(base, cur, metric, *tolerance, *alpha, oneSided)
	printComparison(stdout, base, cur, rows, metric, *tolerance, *alpha, *test)

	var regressed, missing []string
	for _, r := range rows {
		switch r.verdict {
		case verdictRegression:
			regressed = append(regressed, fmt.Sprintf("%s/%s (%+.1f points, p = %s)", r.env, r.label, stats.Mean(r.cur)-stats.Mean(r.base), pval(r.pLess)))
		case verdictMissing:
			missing = append(missing, r.env+"/"+r.label)
		}
	}
	var errs []error
	if len(regressed) > 0 {
		errs = append(errs, fmt.Errorf("%d significant regression(s) of %s: %s", len(regressed), metric, strings.Join(regressed, ", ")))
	}
	if len(missing) > 0 && !*allowMissing {
		errs = append(errs, fmt.Errorf("%d baseline group(s) without 2 finished runs in %s: %s (use --allow-missing to accept)",
			len(missing), pos[1], strings.Join(missing, ", ")))
	}
	return errors.Join(errs...)
}

// compareSweeps compares every group of the baseline with the same env,
// teacher and student labels in cur, then lists the groups new in cur.
//
// A group regresses when the one-sided test that its new runs score lower
// than the baseline's, Holm-adjusted over every compared group, has p < alpha
// and its mean dropped by more than tolerance. It improves under the mirror
// rule. Requiring both guards against the two ways a gate fails: a large
// drop on a few noisy seeds (not significant), and a tiny but consistent
// shift from a harmless change in random streams (significant, but within
// tolerance).
func compareSweeps(base, cur *plots.Sweep, m plots.Metric, tolerance, alpha float64, test func(x, y []float64, alt stats.Alternative) stats.TestResult) []*compareRow {
	type key struct{ env, label string }
	curGroups := map[key]*plots.Group{}
	for _, e := range cur.Envs {
		for _, g := range e.Groups {
			curGroups[key{e.Label, g.Label}] = g
		}
	}
	var rows, tested []*compareRow
	var pl, pg []float64
	seen := map[key]bool{}
	for _, e := range base.Envs {
		for _, g := range e.Groups {
			k := key{e.Label, g.Label}
			seen[k] = true
			r := &compareRow{env: e.Label, label: g.Label, base: g.Values(m), pLess: math.NaN(), pGreater: math.NaN()}
			if cg := curGroups[k]; cg != nil {
				r.cur = cg.Values(m)
			}
			rows = append(rows, r)
			switch {
			case len(r.base) < 2:
				r.verdict = verdictNoBaseline
			case len(r.cur) < 2:
				r.verdict = verdictMissing
			default:
				tested = append(tested, r)
				pl = append(pl, test(r.cur, r.base, stats.Less).P)
				pg = append(pg, test(r.cur, r.base, stats.Greater).P)
			}
		}
	}
	hl, hg := stats.Holm(pl), stats.Holm(pg)
	for i, r := range tested {
		r.pLess, r.pGreater = hl[i], hg[i]
		delta := stats.Mean(r.cur) - stats.Mean(r.base)
		switch {
		case r.pLess < alpha && -delta > tolerance:
			r.verdict = verdictRegression
		case r.pGreater < alpha && delta > tolerance:
			r.verdict = verdictImproved
		default:
			r.verdict = verdictSame
		}
	}
	for _, e := range cur.Envs {
		for _, g := range e.Groups {
			if !seen[key{e.Label, g.Label}] {
				rows = append(rows, &compareRow{env: e.Label, label: g.Label, cur: g.Values(m), pLess: math.NaN(), pGreater: math.NaN(), verdict: verdictNew})
			}
		}
	}
	return rows
}

// printComparison prints the table of rows, then notes on what differs
// between the two sweeps' configurations.
func printComparison(w io.Writer, base, cur *plots.Sweep, rows []*compareRow, m plots.Metric, tolerance, alpha float64, test string) {
	testName := map[string]string{"mwu": "Mann–Whitney U", "welch": "Welch's t"}[test]
	fmt.Fprintf(w, "%s: baseline %s vs %s\n", m.Title(), base.Dir, cur.Dir)
	fmt.Fprintf(w, "regression: one-sided %s test, Holm-adjusted over %d group(s), p < %v, and a mean drop of more than %v points\n\n",
		testName, countTested(rows), alpha, tolerance)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "env\tteacher\truns (base/new)\tbaseline mean\tnew mean\tΔ mean\tΔ IQM\tp(lower)\tp(higher)\tverdict\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d/%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.env, r.label, len(r.base), len(r.cur),
			num(stats.Mean(r.base)), num(stats.Mean(r.cur)), signed(stats.Mean(r.cur)-stats.Mean(r.base)),
			signed(stats.IQM(r.cur)-stats.IQM(r.base)), pval(r.pLess), pval(r.pGreater), r.verdict)
	}
	tw.Flush()
	for _, n := range configNotes(base, cur) {
		fmt.Fprintln(w, "note:", n)
	}
}

func countTested(rows []*compareRow) int {
	n := 0
	for _, r := range rows {
		if !math.IsNaN(r.pLess) {
			n++
		}
	}
	return n
}

// signed formats a difference with its sign.
func signed(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%+.1f", v)
}

// configNotes says how the two sweeps' normalised configs differ: their
// hashes, and the parameters of components that share a label.
func configNotes(base, cur *plots.Sweep) []string {
	if base.Info == nil || cur.Info == nil {
		return []string{"a sweep.json is missing: configurations not compared"}
	}
	if base.Info.ConfigSHA256 == cur.Info.ConfigSHA256 && base.Info.ConfigSHA256 != "" {
		return nil
	}
	notes := []string{"the configurations differ (config_sha256 " + short(base.Info.ConfigSHA256) + " vs " + short(cur.Info.ConfigSHA256) + ")"}
	bc, _ := base.Info.Config.(map[string]any)
	cc, _ := cur.Info.Config.(map[string]any)
	for _, k := range []string{"name", "budget", "eval", "seeds", "sweep_seed"} {
		if b, c := canonical(bc[k]), canonical(cc[k]); b != c {
			notes = append(notes, fmt.Sprintf("%s: %s → %s", k, b, c))
		}
	}
	for _, kind := range []string{"env", "teacher", "student"} {
		bp, cp := componentParams(bc[kind]), componentParams(cc[kind])
		labels := make([]string, 0, len(bp))
		for l := range bp {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		for _, l := range labels {
			c, ok := cp[l]
			if !ok {
				continue
			}
			if d := paramDiff(bp[l], c); d != "" {
				notes = append(notes, fmt.Sprintf("%s %s: %s", kind, l, d))
			}
		}
	}
	return notes
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// componentParams maps the labels of a normalised config's component list
// to their name and parameters.
func componentParams(v any) map[string]map[string]any {
	out := map[string]map[string]any{}
	list, _ := v.([]any)
	for _, c := range list {
		m, _ := c.(map[string]any)
		l, _ := m["label"].(string)
		p, _ := m["params"].(map[string]any)
		q := map[string]any{"(name)": m["name"]}
		for k, v := range p {
			q[k] = v
		}
		out[l] = q
	}
	return out
}

// paramDiff lists the keys whose values differ between two parameter maps.
func paramDiff(a, b map[string]any) string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var ks []string
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var diffs []string
	for _, k := range ks {
		if x, y := canonical(a[k]), canonical(b[k]); x != y {
			diffs = append(diffs, fmt.Sprintf("%s %s → %s", k, x, y))
		}
	}
	return strings.Join(diffs, ", ")
}

// canonical renders a JSON value for comparison and display.
func canonical(v any) string {
	if v == nil {
		return "(unset)"
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}
