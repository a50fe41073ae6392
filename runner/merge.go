package runner

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/teachbench/teachbench/runner/store"
)

// MergeReport is what Merge found in a sweep directory.
type MergeReport struct {
	Dir     string
	Planned int
	// Done and Failed count the finished planned runs by status.
	Done, Failed int
	FailedIDs    []string
	// Missing lists the planned runs that have not finished, in canonical
	// order.
	Missing []MissingRun
	// Summary holds summary.csv's rows for the finished runs.
	Summary []store.SummaryRow
	// Producers counts the finished runs by the build that produced them
	// (run.json's harness). More than one entry means that the shards ran
	// different builds, whose results may differ in their last bits.
	Producers map[string]int
	Warnings  []string
}

// Complete reports whether every planned run has finished.
func (r *MergeReport) Complete() bool { return len(r.Missing) == 0 }

// Merge checks the sweep directory dir after its shards have run: every run
// planned in sweep.json must be finished (done or failed) and recorded with
// its planned key. When all are, it writes summary.csv — the same file a
// single-process run of the config writes, wall times aside — and removes any
// missing.txt. Otherwise it writes missing.txt (one run ID per line, in
// canonical order), removes any summary.csv, and returns a report whose
// Missing lists them; the error is nil in both cases.
//
// Merge takes the sweep's lock exclusively, so it fails with an error
// wrapping store.ErrBusy while shards are still running.
func Merge(dir string) (*MergeReport, error) {
	if _, err := os.Stat(filepath.Join(dir, store.SweepFile)); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no %s: it is not a sweep's results directory, or no shard has started yet", dir, store.SweepFile)
	}
	lock, err := store.LockSweep(dir, false)
	if err != nil {
		return nil, lockError(err)
	}
	defer lock.Unlock()
	sw, err := store.ReadSweep(dir)
	if err != nil {
		return nil, err
	}
	if len(sw.Keys) != 0 && len(sw.Keys) != len(sw.Runs) {
		return nil, fmt.Errorf("%s: %d run IDs but %d keys", filepath.Join(dir, store.SweepFile), len(sw.Runs), len(sw.Keys))
	}
	runs := make([]RunSpec, len(sw.Runs))
	for i, id := range sw.Runs {
		if !validRunID(id) {
			return nil, fmt.Errorf("%s: run ID %q is not a plain directory name", filepath.Join(dir, store.SweepFile), id)
		}
		runs[i] = RunSpec{Index: i, ID: id}
		if len(sw.Keys) > 0 {
			runs[i].Key = sw.Keys[i]
		}
	}
	rep := &MergeReport{Dir: dir, Planned: len(runs)}
	if !lock.Supported() {
		rep.Warnings = append(rep.Warnings, noLockWarning(dir))
	}
	if err := removeTemps(dir, runs); err != nil {
		return nil, err
	}
	col, err := collect(dir, runs)
	if err != nil {
		return nil, err
	}
	rep.Missing, rep.Summary, rep.Producers = col.missing, col.rows, col.producers
	for _, row := range col.rows {
		if row.Status == store.StatusDone {
			rep.Done++
		} else {
			rep.Failed++
			rep.FailedIDs = append(rep.FailedIDs, row.RunID)
		}
	}
	if w := buildsWarning(rep.Producers); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	if err := writeSummary(dir, col); err != nil {
		return nil, err
	}
	missing := filepath.Join(dir, store.MissingFile)
	if rep.Complete() {
		if err := os.Remove(missing); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return rep, nil
	}
	var b strings.Builder
	for _, m := range rep.Missing {
		b.WriteString(m.ID)
		b.WriteByte('\n')
	}
	return rep, store.WriteFileAtomic(missing, []byte(b.String()))
}

// buildsWarning warns when the runs of a sweep were produced by more than
// one build (producers counts runs by run.json's harness).
func buildsWarning(producers map[string]int) string {
	if len(producers) < 2 {
		return ""
	}
	var builds []string
	for p, n := range producers {
		builds = append(builds, fmt.Sprintf("%d runs by %q", n, p))
	}
	slices.Sort(builds)
	return "the runs were produced by different builds, whose results may differ in their last bits: " + strings.Join(builds, "; ")
}

// validRunID reports whether id can name a run directory: one path element,
// not "." or "..", nothing that a file system could read as a separator.
func validRunID(id string) bool {
	return id != "" && id != "." && id != ".." && !strings.ContainsAny(id, `/\:`+"\x00") && len(id) <= maxRunIDBytes
}

// ShardsOf returns the shards of an n-way split that own the given runs,
// sorted: the array indices to resubmit.
func ShardsOf(missing []MissingRun, n int) []int {
	var shards []int
	for _, m := range missing {
		if k := m.Index % n; !slices.Contains(shards, k) {
			shards = append(shards, k)
		}
	}
	slices.Sort(shards)
	return shards
}
