package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/teachbench/teachbench/plots"
	"github.com/teachbench/teachbench/runner"
	"github.com/teachbench/teachbench/runner/store"
)

// maxListed is how many missing runs merge prints; missing.txt has them all.
const maxListed = 20

func cmdMerge(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	drawPlots := fs.Bool("plots", true, "draw the figures once every run is finished")
	shards := fs.Int("shards", 0, "the number of shards the sweep ran as, to name the shards that own missing runs")
	pos, err := parse(fs, args, "DIR")
	if err != nil {
		return err
	}
	if *shards < 0 {
		return fmt.Errorf("%w: --shards %d: want a positive number", errUsage, *shards)
	}
	dir := pos[0]
	rep, err := runner.Merge(dir)
	if err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if !rep.Complete() {
		printMissing(stdout, dir, rep, *shards)
		return fmt.Errorf("incomplete: %d of %d planned runs are not finished (listed in %s); no %s written",
			len(rep.Missing), rep.Planned, filepath.Join(dir, store.MissingFile), store.SummaryFile)
	}
	printSummary(stdout, &runner.Report{Summary: rep.Summary})
	fmt.Fprintf(stdout, "\nmerged %d runs (%d done, %d failed) into %s\n", rep.Planned, rep.Done, rep.Failed, filepath.Join(dir, store.SummaryFile))
	if *drawPlots {
		files, err := plots.Draw(dir, plots.Options{})
		if err != nil {
			return fmt.Errorf("drawing figures: %w", err)
		}
		fmt.Fprintf(stdout, "%d figures in %s\n", len(files), filepath.Join(dir, store.PlotsDir))
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d of %d runs failed (see run.json of %s)", rep.Failed, rep.Planned, strings.Join(rep.FailedIDs, ", "))
	}
	return nil
}

// printMissing lists the runs a merge found unfinished and says how to finish
// them.
func printMissing(w io.Writer, dir string, rep *runner.MergeReport, shards int) {
	fmt.Fprintf(w, "%d of %d planned runs are not finished:\n", len(rep.Missing), rep.Planned)
	for i, m := range rep.Missing {
		if i == maxListed {
			fmt.Fprintf(w, "  ... and %d more\n", len(rep.Missing)-maxListed)
			break
		}
		fmt.Fprintf(w, "  #%d %s: %s\n", m.Index, m.ID, m.Reason)
	}
	if shards > 0 {
		owners := runner.ShardsOf(rep.Missing, shards)
		list := make([]string, len(owners))
		for i, k := range owners {
			list[i] = strconv.Itoa(k)
		}
		fmt.Fprintf(w, "they belong to shards %s of %d\n", strings.Join(list, ","), shards)
		script := filepath.Join(dir, store.SlurmDir, slurmRunScript)
		if _, err := os.Stat(script); err == nil {
			fmt.Fprintf(w, "resubmit them with: %s, then merge again\n",
				shellJoin([]string{"sbatch", "--array=" + strings.Join(list, ","), script}))
			return
		}
	}
	if sw, err := store.ReadSweep(dir); err == nil && sw.ConfigFile != "" {
		fmt.Fprintf(w, "finish them with: %s (or rerun the shards that own them), then merge again\n",
			shellJoin([]string{"bench", "run", sw.ConfigFile, "--out", filepath.Dir(filepath.Clean(dir))}))
	}
}
