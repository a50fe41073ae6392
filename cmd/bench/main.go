// Command bench runs teachbench sweeps and draws their figures.
//
// Usage:
//
//	bench run CONFIG [--out DIR] [--workers N] [--plots=false] [--shard K/N]
//	bench merge DIR [--shards N] [--plots=false]
//	bench slurm emit|submit CONFIG --shards N [--cpus C --time T --throttle M --partition P ...]
//	bench validate CONFIG
//	bench list
//	bench plot DIR [--formats png,svg]
//	bench report DIR [--reference random] [--thresholds 10,25,50] [--out DIR]
//	bench compare BASELINE DIR [--metric final_mastered] [--tolerance 2] [--alpha 0.05]
//
// Flags may come before or after the config path or directory. `run` shows a
// progress bar when stderr is a terminal and periodic log lines otherwise (CI,
// Slurm logs). Re-running the same command resumes a sweep: finished runs are
// skipped. Exit status: 0 on success, 1 when something failed (a run, a file,
// the config), 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `bench: teachbench's command-line tool

  bench run CONFIG [--out DIR] [--workers N] [--plots=false] [--shard K/N]
        run the sweep described by CONFIG (TOML) into DIR/<name> (default results/),
        or only its shard K of N (default from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT)
  bench merge DIR [--shards N] [--plots=false]
        check that every planned run of DIR finished and write DIR/summary.csv
  bench slurm emit|submit CONFIG --shards N [--cpus C --time T --throttle M --partition P ...]
        write (emit) or also submit (submit) a Slurm job array and its merge job
  bench validate CONFIG
        check CONFIG without running it
  bench list
        list every registered env, teacher and student with its parameters
  bench plot DIR [--formats png,svg]
        redraw the figures of the results directory DIR into DIR/plots
  bench report DIR [--reference random] [--thresholds 10,25,50] [--out DIR]
        write DIR/report.md and a self-contained DIR/report.html: tables with IQMs,
        confidence intervals and tests against the reference teacher, and figures
  bench compare BASELINE DIR [--metric final_mastered] [--tolerance 2] [--alpha 0.05] [--test mwu]
        compare DIR with a baseline results directory; exit 1 on a significant regression

Flags may come before or after the positional argument.
`

// errUsage marks errors that deserve the usage text and exit status 2.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(ctx, args[1:], stdout, stderr)
	case "validate":
		err = cmdValidate(args[1:], stdout, stderr)
	case "list":
		err = cmdList(args[1:], stdout, stderr)
	case "plot":
		err = cmdPlot(args[1:], stdout, stderr)
	case "report":
		err = cmdReport(args[1:], stdout, stderr)
	case "compare":
		err = cmdCompare(args[1:], stdout, stderr)
	case "merge":
		err = cmdMerge(args[1:], stdout, stderr)
	case "slurm":
		err = cmdSlurm(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "bench: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "bench %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(stderr, "bench %s: %v\n", args[0], err)
		return 1
	}
}

// parse parses args with fs, allowing flags before and after positional
// arguments (the flag package alone stops at the first positional), and
// checks that exactly want positionals were given, named by names.
func parse(fs *flag.FlagSet, args []string, names ...string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if len(pos) != len(names) {
		if len(names) == 0 {
			return nil, fmt.Errorf("%w: unexpected argument %q", errUsage, pos[0])
		}
		return nil, fmt.Errorf("%w: want %s, got %d argument(s) %s", errUsage, strings.Join(names, " "), len(pos), strings.Join(pos, " "))
	}
	return pos, nil
}
