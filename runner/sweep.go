package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/teachbench/teachbench/runner/store"
)

// Version is the harness version recorded in sweep.json.
const Version = "0.1.0"

// Options control how a sweep is executed; none of them changes its results.
type Options struct {
	// Out is the results root; the sweep writes into Out/<name>.
	Out string
	// Workers is the size of the goroutine pool; 0 uses the config's
	// workers, and if that is 0 too, GOMAXPROCS.
	Workers int
	// Progress, if not nil, is told about the sweep's progress. Its methods
	// are called from several goroutines.
	Progress Progress
}

// Progress receives progress events of a sweep.
type Progress interface {
	// Start announces the runs to execute (after skipping finished ones)
	// and the total budget units they will spend.
	Start(toRun, skipped int, units int64)
	// Advance reports budget units spent.
	Advance(units int64)
	// RunDone reports a run that finished, failed or was interrupted.
	RunDone(r *store.Run, interrupted bool)
}

// Report summarises a sweep execution.
type Report struct {
	Dir                   string
	Planned               int
	Done, Failed, Skipped int
	Interrupted           int
	FailedIDs             []string
	Summary               []store.SummaryRow
}

// Run executes the sweep c into opt.Out/c.Name: it writes sweep.json, skips runs
// that a previous invocation finished, executes the others on a goroutine pool
// and writes each run's files as it ends, then writes summary.csv. A run that
// fails is recorded and the sweep goes on. The error is non-nil only when the
// results cannot be written or do not match the config.
func Run(ctx context.Context, c *Config, opt Options) (*Report, error) {
	runs, err := c.Plan()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(opt.Out, c.Name)
	if err := os.MkdirAll(filepath.Join(dir, store.RunsDir), 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the results directory: %w", err)
	}
	ids := make([]string, len(runs))
	for i, r := range runs {
		ids[i] = r.ID
	}
	sw := &store.Sweep{
		Name:         c.Name,
		ConfigFile:   c.File,
		ConfigSHA256: c.Hash(),
		Config:       c.Normalized(),
		Harness:      Version,
		GoVersion:    runtime.Version(),
		GOOS:         runtime.GOOS,
		GOARCH:       runtime.GOARCH,
		Modules:      moduleVersions(),
		Runs:         ids,
	}
	if err := store.WriteJSON(filepath.Join(dir, store.SweepFile), sw); err != nil {
		return nil, fmt.Errorf("cannot write to the results directory: %w", err)
	}

	rep := &Report{Dir: dir, Planned: len(runs)}
	var todo []RunSpec
	for _, spec := range runs {
		done, err := finished(dir, spec)
		if err != nil {
			return nil, err
		}
		if done {
			rep.Skipped++
			continue
		}
		todo = append(todo, spec)
	}

	workers := opt.Workers
	if workers == 0 {
		workers = c.Workers
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(1, len(todo)))
	if opt.Progress != nil {
		opt.Progress.Start(len(todo), rep.Skipped, int64(len(todo))*c.Budget.Amount)
	}

	jobs := make(chan RunSpec)
	var (
		mu       sync.Mutex
		writeErr error
		wg       sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for spec := range jobs {
				var advance func(int64)
				if opt.Progress != nil {
					advance = opt.Progress.Advance
				}
				res := Execute(ctx, c, spec, advance)
				var err error
				if !res.Interrupted {
					err = writeRun(dir, &res)
				}
				mu.Lock()
				switch {
				case err != nil:
					writeErr = errors.Join(writeErr, err)
				case res.Interrupted:
					rep.Interrupted++
				case res.Run.Status == store.StatusDone:
					rep.Done++
				default:
					rep.Failed++
					rep.FailedIDs = append(rep.FailedIDs, spec.ID)
				}
				mu.Unlock()
				if opt.Progress != nil {
					opt.Progress.RunDone(&res.Run, res.Interrupted)
				}
			}
		}()
	}
feed:
	for _, spec := range todo {
		select {
		case jobs <- spec:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if writeErr != nil {
		return rep, writeErr
	}
	rep.Summary, err = Summarize(dir, runs)
	if err != nil {
		return rep, err
	}
	if err := store.WriteSummary(filepath.Join(dir, store.SummaryFile), rep.Summary); err != nil {
		return rep, err
	}
	return rep, nil
}

// finished reports whether the results directory already holds a finished run
// for spec. A finished run recorded under the same ID with a different key
// means the config changed under an unchanged label: that is an error, since
// mixing the two would corrupt the comparison.
func finished(dir string, spec RunSpec) (bool, error) {
	r, err := store.ReadRun(store.RunDir(dir, spec.ID))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		// An unreadable run.json cannot be a finished run: redo it.
		return false, nil
	}
	if r.Status != store.StatusDone {
		return false, nil
	}
	if r.Key != spec.Key {
		return false, fmt.Errorf("%s holds a finished run %s made with a different configuration:\n  recorded: %s\n  planned:  %s\nuse another --out directory, give the changed component a new label, or delete that run",
			dir, spec.ID, r.Key, spec.Key)
	}
	return true, nil
}

// writeRun writes a run's files; run.json goes last because it marks the run
// as finished.
func writeRun(dir string, res *Result) error {
	rd := store.RunDir(dir, res.Run.ID)
	if err := os.MkdirAll(rd, 0o755); err != nil {
		return err
	}
	if err := store.WriteEval(filepath.Join(rd, store.EvalFile), res.Run.Metrics, res.Evals); err != nil {
		return err
	}
	samples := filepath.Join(rd, store.SamplesFile)
	if len(res.Samples) > 0 {
		if err := store.WriteSamples(samples, res.Run.Space, res.Samples); err != nil {
			return err
		}
	} else if err := os.Remove(samples); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return store.WriteJSON(filepath.Join(rd, store.RunFile), &res.Run)
}

// Summarize builds summary.csv's rows for the planned runs found in dir. Runs
// not found (never executed, or interrupted) have no row.
func Summarize(dir string, runs []RunSpec) ([]store.SummaryRow, error) {
	var rows []store.SummaryRow
	for _, spec := range runs {
		rd := store.RunDir(dir, spec.ID)
		r, err := store.ReadRun(rd)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		row := store.SummaryRow{
			RunID: r.ID, Teacher: r.Teacher.Label, Env: r.Env.Label, Student: r.Student.Label,
			Seed: r.Seed, Status: r.Status, Episodes: r.Episodes, Steps: r.Steps, WallSeconds: r.WallSeconds,
			FinalMastered: math.NaN(), AUCMastered: math.NaN(),
		}
		if _, evals, err := store.ReadEval(filepath.Join(rd, store.EvalFile)); err == nil && len(evals) > 0 {
			row.FinalMastered = evals[len(evals)-1].Mastered
			sum := 0.0
			for _, e := range evals {
				sum += e.Mastered
			}
			row.AUCMastered = sum / float64(len(evals))
		} else if r.Status == store.StatusDone {
			return nil, fmt.Errorf("run %s is marked done but its %s cannot be read: %v", r.ID, store.EvalFile, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// moduleVersions returns the versions of the modules in the build.
func moduleVersions() map[string]string {
	m := make(map[string]string)
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return m
	}
	m[bi.Main.Path] = bi.Main.Version
	for _, d := range bi.Deps {
		v := d.Version
		if d.Replace != nil {
			v += " => " + d.Replace.Path + " " + d.Replace.Version
		}
		m[d.Path] = v
	}
	return m
}
