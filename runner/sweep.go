package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/teachbench/teachbench/runner/store"
)

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
	// Shard, if set, restricts the invocation to one shard of the sweep.
	// Shards of a sweep run side by side (they share the sweep's lock) and
	// write no summary.csv: Merge writes it once every shard has finished.
	Shard Shard

	// order, if not nil, reorders the runs to execute; tests use it to
	// show that results do not depend on the order.
	order func([]RunSpec)
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
	Dir   string
	Shard Shard
	// Planned is the number of runs in the sweep; Assigned is the number
	// this invocation was responsible for (its shard's, or all of them).
	Planned, Assigned int
	// Done and Failed count the runs executed by this invocation, Skipped
	// the assigned runs that an earlier invocation had finished.
	Done, Failed, Skipped int
	// Interrupted counts the runs abandoned because the context was
	// cancelled; they are not recorded and will be run again.
	Interrupted int
	// Busy lists the assigned runs that another process was executing
	// (an overlapping shard); they were left to it.
	Busy      []string
	FailedIDs []string
	// Summary holds summary.csv's rows for the assigned runs that are
	// finished, in canonical order.
	Summary []store.SummaryRow
	// Complete is set when an unsharded invocation found every planned
	// run finished and wrote summary.csv. A shard never sets it: Merge
	// checks the whole sweep.
	Complete bool
	// Warnings are conditions worth telling the user that did not stop
	// the sweep.
	Warnings []string
}

// Run executes the sweep c into opt.Out/c.Name: it locks the directory,
// writes sweep.json, skips runs that a previous invocation finished, executes
// the others on a goroutine pool and writes each run's files as it ends.
// Unsharded, it then writes summary.csv if every planned run is finished. A
// run that fails is recorded and the sweep goes on. The error is non-nil only
// when the results cannot be written, do not match the config, or the
// directory is in use by another invocation (errors.Is(err, store.ErrBusy)).
//
// When ctx is cancelled, Run stops starting runs, abandons the runs in
// progress within a few episodes, finishes writing the runs that have ended,
// and returns a report of what is done; calling Run again resumes.
func Run(ctx context.Context, c *Config, opt Options) (*Report, error) {
	if err := opt.Shard.Validate(); err != nil {
		return nil, err
	}
	runs, err := c.Plan()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(opt.Out, c.Name)
	if err := os.MkdirAll(filepath.Join(dir, store.RunsDir), 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the results directory: %w", err)
	}
	lock, err := store.LockSweep(dir, opt.Shard.Sharded())
	if err != nil {
		return nil, lockError(err)
	}
	defer lock.Unlock()
	rep := &Report{Dir: dir, Shard: opt.Shard, Planned: len(runs)}
	if !lock.Supported() {
		rep.Warnings = append(rep.Warnings, noLockWarning(dir))
	}
	if !opt.Shard.Sharded() {
		// No other writer can be active: sweep up what killed ones left.
		if err := removeTemps(dir, runs); err != nil {
			return nil, err
		}
	}
	if err := writeManifest(dir, c, runs); err != nil {
		return nil, err
	}

	var todo []RunSpec
	for _, spec := range runs {
		if !opt.Shard.Owns(spec.Index) {
			continue
		}
		rep.Assigned++
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
	if opt.order != nil {
		opt.order(todo)
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
				res, state, err := runOne(ctx, c, dir, spec, advance)
				mu.Lock()
				switch {
				case err != nil:
					writeErr = errors.Join(writeErr, fmt.Errorf("run %s: %w", spec.ID, err))
				case state == stateBusy:
					rep.Busy = append(rep.Busy, spec.ID)
				case state == stateFinishedElsewhere:
					rep.Skipped++
				case res.Interrupted:
					rep.Interrupted++
				case res.Run.Status == store.StatusDone:
					rep.Done++
				default:
					rep.Failed++
					rep.FailedIDs = append(rep.FailedIDs, spec.ID)
				}
				mu.Unlock()
				if opt.Progress == nil || err != nil {
					continue
				}
				if state == stateExecuted {
					opt.Progress.RunDone(&res.Run, res.Interrupted)
				} else {
					opt.Progress.Advance(c.Budget.Amount)
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
	slices.Sort(rep.Busy)
	slices.Sort(rep.FailedIDs)

	if opt.Shard.Sharded() {
		// Only this shard's runs: reading every shard's files from every
		// shard would cost N times the sweep on a shared file system.
		var mine []RunSpec
		for _, spec := range runs {
			if opt.Shard.Owns(spec.Index) {
				mine = append(mine, spec)
			}
		}
		col, err := collect(dir, mine)
		if err != nil {
			return rep, err
		}
		rep.Summary = col.rows
		return rep, nil
	}
	all, err := collect(dir, runs)
	if err != nil {
		return rep, err
	}
	rep.Complete = len(all.missing) == 0
	rep.Summary = all.rows
	if w := buildsWarning(all.producers); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	return rep, writeSummary(dir, all)
}

// runState says what runOne did with a run.
type runState int

const (
	stateExecuted          runState = iota // executed (done, failed or interrupted)
	stateBusy                              // another process holds the run's lock
	stateFinishedElsewhere                 // another process finished it meanwhile
)

// runOne executes one run under its lock and writes its files. Only the
// process that holds a run's lock writes in its directory, so overlapping
// shards never execute a run twice at once nor interleave its files.
func runOne(ctx context.Context, c *Config, dir string, spec RunSpec, advance func(int64)) (Result, runState, error) {
	rd := store.RunDir(dir, spec.ID)
	if err := os.MkdirAll(rd, 0o755); err != nil {
		return Result{}, stateExecuted, err
	}
	lock, ok, err := store.TryLockRun(rd)
	if err != nil {
		return Result{}, stateExecuted, err
	}
	if !ok {
		return Result{}, stateBusy, nil
	}
	defer lock.Unlock()
	// Another process may have finished the run between our scan and our
	// lock: never redo (or rewrite) a finished run.
	done, err := finished(dir, spec)
	if err != nil || done {
		return Result{}, stateFinishedElsewhere, err
	}
	if err := store.RemoveTemps(rd); err != nil {
		return Result{}, stateExecuted, err
	}
	res := Execute(ctx, c, spec, advance)
	if res.Interrupted {
		return res, stateExecuted, nil
	}
	return res, stateExecuted, writeRun(dir, &res)
}

// lockError words a failure to lock the sweep directory.
func lockError(err error) error {
	if errors.Is(err, store.ErrBusy) {
		return fmt.Errorf("%w\nwait for it to finish (or stop it), or write into another --out directory", err)
	}
	return err
}

func noLockWarning(dir string) string {
	return fmt.Sprintf("the file system of %s does not support file locks: concurrent bench commands on it are not prevented "+
		"from duplicating work (results stay consistent: every file is written atomically)", dir)
}

// removeTemps deletes the temporary files that killed writers left in the
// sweep directory and in the planned runs' directories. The caller holds the
// sweep's lock exclusively.
func removeTemps(dir string, runs []RunSpec) error {
	errs := []error{store.RemoveTemps(dir)}
	for _, spec := range runs {
		if err := store.RemoveTemps(store.RunDir(dir, spec.ID)); !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// manifest returns the content of sweep.json for config c.
func manifest(c *Config, runs []RunSpec) *store.Sweep {
	ids := make([]string, len(runs))
	keys := make([]string, len(runs))
	for i, r := range runs {
		ids[i], keys[i] = r.ID, r.Key
	}
	modules, settings, revision := buildInfo()
	return &store.Sweep{
		Name:         c.Name,
		ConfigFile:   c.File,
		ConfigSHA256: c.Hash(),
		Config:       c.Normalized(),
		Harness:      Version,
		GoVersion:    runtime.Version(),
		GOOS:         runtime.GOOS,
		GOARCH:       runtime.GOARCH,
		Modules:      modules,
		Revision:     revision,
		Build:        settings,
		Runs:         ids,
		Keys:         keys,
	}
}

// writeManifest writes sweep.json unless it already holds the same content
// (the shards of a sweep all write it).
func writeManifest(dir string, c *Config, runs []RunSpec) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(manifest(c, runs)); err != nil {
		return err
	}
	path := filepath.Join(dir, store.SweepFile)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, buf.Bytes()) {
		return nil
	}
	if err := store.WriteFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("cannot write to the results directory: %w", err)
	}
	return nil
}

// Prepared is a sweep directory made ready by Prepare. It holds the sweep's
// lock exclusively until Close, so that its owner can add files (the scripts
// of bench slurm) while no shard runs.
type Prepared struct {
	Dir  string
	Runs []RunSpec
	lock *store.Lock
}

// Close releases the sweep's lock.
func (p *Prepared) Close() error { return p.lock.Unlock() }

// Prepare readies out/<name> for the sweep c without running anything: it
// takes the sweep's lock exclusively (so it fails while shards of the sweep
// are running), checks that the directory holds no finished run made with a
// different configuration under a planned run's ID, and writes sweep.json, so
// that a later Merge knows every planned run even if some shard never starts.
func Prepare(c *Config, out string) (*Prepared, error) {
	runs, err := c.Plan()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(out, c.Name)
	if err := os.MkdirAll(filepath.Join(dir, store.RunsDir), 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the results directory: %w", err)
	}
	lock, err := store.LockSweep(dir, false)
	if err != nil {
		return nil, lockError(err)
	}
	p := &Prepared{Dir: dir, Runs: runs, lock: lock}
	for _, spec := range runs {
		if _, err := finished(dir, spec); err != nil {
			p.Close()
			return nil, err
		}
	}
	if err := writeManifest(dir, c, runs); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// finished reports whether the results directory already holds a finished run
// for spec. A finished run recorded under the same ID with a different key
// means the config changed under an unchanged label: that is an error, since
// mixing the two would corrupt the comparison.
func finished(dir string, spec RunSpec) (bool, error) {
	r, err := store.ReadRun(store.RunDir(dir, spec.ID))
	if err != nil {
		// Absent, or unreadable: not a finished run; redo it.
		return false, nil
	}
	if r.Status != store.StatusDone {
		return false, nil
	}
	if r.Key != spec.Key || !sameParams(r, spec) {
		return false, fmt.Errorf("%s holds a finished run %s made with a different configuration:\n  recorded: %s\n  planned:  %s\nuse another --out directory, give the changed component a new label, or delete that run",
			dir, spec.ID, describeParams(r.Key, r.Env, r.Teacher, r.Student), describeParams(spec.Key, component(spec.Env), component(spec.Teacher), component(spec.Student)))
	}
	return true, nil
}

// sameParams reports whether a recorded run used the full parameters the spec
// plans. Run keys hold only the parameters a config changed, so a default
// that changed between two versions of the harness shows up here.
func sameParams(r *store.Run, spec RunSpec) bool {
	return jsonEqual(r.Env.Params, component(spec.Env).Params) &&
		jsonEqual(r.Teacher.Params, component(spec.Teacher).Params) &&
		jsonEqual(r.Student.Params, component(spec.Student).Params)
}

// jsonEqual compares two parameter maps as they appear in run.json.
func jsonEqual(a, b map[string]any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

func describeParams(key string, cs ...store.Component) string {
	var b strings.Builder
	b.WriteString(key)
	for _, c := range cs {
		j, _ := json.Marshal(c.Params)
		fmt.Fprintf(&b, "\n    %s %s", c.Name, j)
	}
	return b.String()
}

// writeRun writes a run's files. A previous record of the run (a failure) is
// removed first and run.json goes last, so that at every instant the run is
// either plainly unfinished or completely written.
func writeRun(dir string, res *Result) error {
	rd := store.RunDir(dir, res.Run.ID)
	if err := os.Remove(filepath.Join(rd, store.RunFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
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
	// The data files must be durable before the marker that vouches for
	// them, and the marker before the run counts as finished.
	if err := store.SyncDir(rd); err != nil {
		return err
	}
	if err := store.WriteJSON(filepath.Join(rd, store.RunFile), &res.Run); err != nil {
		return err
	}
	return store.SyncDir(rd)
}

// MissingRun is a planned run that has not finished.
type MissingRun struct {
	// Index is the run's position in the canonical order: it belongs to
	// shard Index mod N of an N-way split.
	Index int
	ID    string
	// Reason says what was found instead of a finished run.
	Reason string
}

// collection is what collect found in a sweep directory.
type collection struct {
	rows    []store.SummaryRow // finished runs, in canonical order
	missing []MissingRun
	// producers counts the finished runs by the build that produced them.
	producers map[string]int
}

// collect reads the records of the planned runs: the summary row of each
// finished one (done or failed) and why each other one is not finished. A
// finished run recorded with a key other than the planned one is an error:
// it belongs to another configuration.
func collect(dir string, runs []RunSpec) (*collection, error) {
	col := &collection{producers: map[string]int{}}
	for _, spec := range runs {
		rd := store.RunDir(dir, spec.ID)
		r, err := store.ReadRun(rd)
		if errors.Is(err, fs.ErrNotExist) {
			col.missing = append(col.missing, MissingRun{spec.Index, spec.ID, "not run yet, or interrupted"})
			continue
		}
		if err != nil {
			col.missing = append(col.missing, MissingRun{spec.Index, spec.ID, "unreadable " + store.RunFile + ": " + err.Error()})
			continue
		}
		if r.Status != store.StatusDone && r.Status != store.StatusFailed {
			col.missing = append(col.missing, MissingRun{spec.Index, spec.ID, fmt.Sprintf("status %q", r.Status)})
			continue
		}
		if spec.Key != "" && r.Key != spec.Key {
			if r.Status == store.StatusFailed {
				// A failure of another configuration: the run will be redone.
				col.missing = append(col.missing, MissingRun{spec.Index, spec.ID, "failed run of a different configuration"})
				continue
			}
			return nil, fmt.Errorf("%s holds a run %s made with a different configuration:\n  recorded: %s\n  planned:  %s\nrun it again with the planned configuration (delete that run directory), or merge into another directory",
				dir, spec.ID, r.Key, spec.Key)
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
		col.rows = append(col.rows, row)
		col.producers[r.Harness]++
	}
	return col, nil
}

// writeSummary writes summary.csv if every planned run is finished, and
// otherwise removes any summary.csv left from before: its presence always
// means the sweep recorded in sweep.json is complete. The caller holds the
// sweep's lock exclusively.
func writeSummary(dir string, col *collection) error {
	path := filepath.Join(dir, store.SummaryFile)
	if len(col.missing) > 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return store.WriteSummary(path, col.rows)
}

// Summarize builds summary.csv's rows for the planned runs found finished in
// dir, in canonical order. Runs not found (never executed, or interrupted)
// have no row.
func Summarize(dir string, runs []RunSpec) ([]store.SummaryRow, error) {
	col, err := collect(dir, runs)
	if err != nil {
		return nil, err
	}
	return col.rows, nil
}
