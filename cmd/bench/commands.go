package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/teachbench/teachbench/envs"
	"github.com/teachbench/teachbench/internal/params"
	"github.com/teachbench/teachbench/plots"
	"github.com/teachbench/teachbench/runner"
	"github.com/teachbench/teachbench/runner/store"
	"github.com/teachbench/teachbench/stats"
	"github.com/teachbench/teachbench/students"
	"github.com/teachbench/teachbench/teachers"
)

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	out := fs.String("out", "results", "results root; the sweep writes into OUT/<name>")
	workers := fs.Int("workers", 0, "parallel runs (0: the config's workers, else all cores)")
	drawPlots := fs.Bool("plots", true, "draw the figures when the sweep ends (not in a shard)")
	shardFlag := fs.String("shard", "", "run only shard K/N: the runs i with i mod N = K (default: from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT)")
	shards := fs.Int("shards", 0, "number of shards N, with --shard K or an index in SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
	pos, err := parse(fs, args, "CONFIG")
	if err != nil {
		return err
	}
	if *workers < 0 {
		return fmt.Errorf("%w: --workers %d: want 0 or more", errUsage, *workers)
	}
	shard, source, err := resolveShard(*shardFlag, *shards, os.Getenv)
	if err != nil {
		return err
	}
	c, err := runner.Load(pos[0])
	if err != nil {
		return err
	}
	if cpus := jobCPUs(os.Getenv); cpus < runtime.GOMAXPROCS(0) {
		runtime.GOMAXPROCS(cpus) // keep the runtime, not only the pool, to the job's CPUs
	}
	if shard.Sharded() {
		fmt.Fprintf(stderr, "shard %s (from %s), GOMAXPROCS %d\n", shard, source, runtime.GOMAXPROCS(0))
	}
	prog := newProgress(stderr, isTerminal(stderr))
	rep, err := runner.Run(ctx, c, runner.Options{Out: *out, Workers: *workers, Progress: prog, Shard: shard})
	prog.Finish()
	if err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if ctx.Err() != nil {
		printInterrupted(stderr, rep, args)
		return errInterrupted
	}
	if shard.Sharded() {
		return finishShard(stdout, rep)
	}
	printSummary(stdout, rep)
	if *drawPlots {
		files, err := plots.Draw(rep.Dir, plots.Options{})
		if err != nil {
			return fmt.Errorf("drawing figures: %w", err)
		}
		fmt.Fprintf(stdout, "\nresults: %s (%d figures in %s)\n", rep.Dir, len(files), store.PlotsDir)
	} else {
		fmt.Fprintf(stdout, "\nresults: %s\n", rep.Dir)
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d of %d runs failed (see run.json of %s)", rep.Failed, rep.Planned, strings.Join(rep.FailedIDs, ", "))
	}
	return nil
}

// printSummary prints mean ± std of the final and AUC mastered percentages per
// env and teacher (and student).
func printSummary(w io.Writer, rep *runner.Report) {
	type key struct{ env, teacher, student string }
	var order []key
	final := map[key][]float64{}
	auc := map[key][]float64{}
	failed := map[key]int{}
	for _, r := range rep.Summary {
		k := key{r.Env, r.Teacher, r.Student}
		if _, seen := final[k]; !seen {
			order = append(order, k)
			final[k] = nil
		}
		if r.Status != store.StatusDone {
			failed[k]++
			continue
		}
		final[k] = append(final[k], r.FinalMastered)
		auc[k] = append(auc[k], r.AUCMastered)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "env\tteacher\tstudent\truns\tfinal % mastered\tAUC % mastered\t")
	for _, k := range order {
		fm, fs := stats.MeanStd(final[k])
		am, as := stats.MeanStd(auc[k])
		runs := fmt.Sprint(len(final[k]))
		if failed[k] > 0 {
			runs += fmt.Sprintf(" (+%d failed)", failed[k])
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.1f ± %.1f\t%.1f ± %.1f\t\n", k.env, k.teacher, k.student, runs, fm, fs, am, as)
	}
	tw.Flush()
}

func cmdValidate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	pos, err := parse(fs, args, "CONFIG")
	if err != nil {
		return err
	}
	c, err := runner.Load(pos[0])
	if err != nil {
		return err
	}
	runs, err := c.Plan()
	if err != nil {
		return err
	}
	students := len(c.Students)
	if students == 0 {
		students = 1
	}
	fmt.Fprintf(stdout, "%s: ok: sweep %q, %d runs (%d envs × %d teachers × %d students × %d seeds), %d %s each, evaluated every %d\n",
		c.File, c.Name, len(runs), len(c.Envs), len(c.Teachers), students, len(c.Seeds), c.Budget.Amount, c.Budget.Unit, c.EvalEvery)
	return nil
}

func cmdList(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	section := func(title string) { fmt.Fprintf(tw, "%s\n", title) }
	entry := func(spec params.Spec, extra string) {
		fmt.Fprintf(tw, "  %s\t%s\n", spec.Name, extra)
		fmt.Fprintf(tw, "    %s\n", spec.Doc)
		ps := params.Describe(spec.Defaults())
		if len(ps) == 0 {
			fmt.Fprintf(tw, "    (no parameters)\n")
		}
		for _, p := range ps {
			fmt.Fprintf(tw, "    %s\t%s\t= %s\t%s\n", p.Key, p.Type, params.FormatValue(p.Value), p.Doc)
		}
		fmt.Fprintln(tw)
	}
	section("ENVS")
	for _, n := range envs.Names() {
		e, _ := envs.Lookup(n)
		entry(e.Spec, "default student: "+e.DefaultStudent)
	}
	section("TEACHERS")
	for _, n := range teachers.Names() {
		e, _ := teachers.Lookup(n)
		kinds := make([]string, len(e.Kinds))
		for i, k := range e.Kinds {
			kinds[i] = k.String()
		}
		sort.Strings(kinds)
		entry(e.Spec, "spaces: "+strings.Join(kinds, ", "))
	}
	section("STUDENTS")
	for _, n := range students.Names() {
		e, _ := students.Lookup(n)
		entry(e.Spec, "needs: "+e.Needs)
	}
	return tw.Flush()
}

func cmdPlot(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	formats := fs.String("formats", "png,svg", "comma-separated figure formats: png, svg, pdf")
	pos, err := parse(fs, args, "DIR")
	if err != nil {
		return err
	}
	var fmts []string
	for _, f := range strings.Split(*formats, ",") {
		f = strings.TrimSpace(f)
		switch f {
		case "png", "svg", "pdf":
			fmts = append(fmts, f)
		case "":
		default:
			return fmt.Errorf("%w: --formats: unknown format %q (want png, svg or pdf)", errUsage, f)
		}
	}
	if _, err := os.Stat(pos[0]); err != nil {
		return err
	}
	files, err := plots.Draw(pos[0], plots.Options{Formats: fmts})
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
