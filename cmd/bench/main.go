// Command bench runs teachbench sweeps and draws their figures.
//
// Usage:
//
//	bench run CONFIG [--out DIR] [--workers N] [--plots=false]
//	bench validate CONFIG
//	bench list
//	bench plot DIR [--formats png,svg]
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

  bench run CONFIG [--out DIR] [--workers N] [--plots=false]
        run the sweep described by CONFIG (TOML) into DIR/<name> (default results/)
  bench validate CONFIG
        check CONFIG without running it
  bench list
        list every registered env, teacher and student with its parameters
  bench plot DIR [--formats png,svg]
        redraw the figures of the results directory DIR into DIR/plots

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
