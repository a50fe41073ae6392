// Package store reads and writes the results directory of a sweep, a stable
// format that pandas, R and DuckDB read directly:
//
//	OUT/<sweep>/sweep.json                 normalised config, harness and module versions, Go version, GOARCH, planned runs
//	OUT/<sweep>/runs/<run id>/run.json     components (names, labels, full params), seed, status, error, wall seconds, budget spent
//	OUT/<sweep>/runs/<run id>/eval.csv     one row per evaluation
//	OUT/<sweep>/runs/<run id>/samples.csv  optional trace of sampled tasks and outcomes
//	OUT/<sweep>/summary.csv                one row per planned run, written once every planned run is finished
//	OUT/<sweep>/missing.txt                planned runs not finished, written by a merge that found some
//	OUT/<sweep>/plots/                     figures
//	OUT/<sweep>/slurm/                     sbatch scripts, the config they run, and logs/ (bench slurm)
//	OUT/<sweep>/.lock, runs/<run id>/.lock advisory locks (see Lock)
//
// Every file is written to a temporary name in its directory, flushed, and
// renamed into place, so an interrupted sweep never leaves a half-written file
// that looks complete. A run is finished when its run.json exists (status
// "done" or "failed"); run.json is always the last file of a run to be
// written, and a run that is redone loses its old run.json before any of its
// other files is replaced. Only runs whose status is "done" are skipped when a
// sweep resumes; failed runs are tried again.
//
// CSV numbers are written with the shortest representation that reads back to
// the same float64, so results round-trip exactly.
package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// File and directory names of the layout.
const (
	SweepFile   = "sweep.json"
	SummaryFile = "summary.csv"
	RunsDir     = "runs"
	PlotsDir    = "plots"
	RunFile     = "run.json"
	EvalFile    = "eval.csv"
	SamplesFile = "samples.csv"
	MissingFile = "missing.txt"
	SlurmDir    = "slurm"
)

// Run statuses.
const (
	StatusDone   = "done"
	StatusFailed = "failed"
)

// Sweep is the content of sweep.json.
type Sweep struct {
	Name string `json:"name"`
	// ConfigFile is the path of the config as given on the command line.
	ConfigFile string `json:"config_file"`
	// ConfigSHA256 is the hash of the normalised config.
	ConfigSHA256 string `json:"config_sha256"`
	// Config is the normalised config: every default filled in.
	Config any `json:"config"`
	// Harness is the teachbench version, Modules the versions of every
	// module in the build.
	Harness   string            `json:"harness"`
	GoVersion string            `json:"go_version"`
	GOOS      string            `json:"goos"`
	GOARCH    string            `json:"goarch"`
	Modules   map[string]string `json:"modules"`
	// Revision is the source revision of the harness: stamped at build
	// time with -ldflags, or read from the build's VCS information; empty
	// when neither is available.
	Revision string `json:"revision,omitempty"`
	// Build holds the build settings that can change results or their
	// reproduction (GOAMD64, CGO_ENABLED, -tags, -ldflags, GOEXPERIMENT...).
	Build map[string]string `json:"build,omitempty"`
	// Runs lists the planned run IDs in canonical order, Keys their
	// canonical keys (from which each run's random streams are seeded).
	Runs []string `json:"runs"`
	Keys []string `json:"keys,omitempty"`
}

// Component names one env, teacher or student of a run.
type Component struct {
	Name   string         `json:"name"`
	Label  string         `json:"label"`
	Params map[string]any `json:"params"`
}

// Dim describes one dimension of a Box space.
type Dim struct {
	Name string  `json:"name"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
}

// Space describes the space the teacher proposed from.
type Space struct {
	Kind  string   `json:"kind"`
	Dims  []Dim    `json:"dims,omitempty"`
	Tasks []string `json:"tasks,omitempty"`
}

// Budget is the run's budget: an amount of episodes or of steps.
type Budget struct {
	Unit   string `json:"unit"`
	Amount int64  `json:"amount"`
}

// Run is the content of run.json.
type Run struct {
	ID      string    `json:"id"`
	Key     string    `json:"key"`
	Env     Component `json:"env"`
	Teacher Component `json:"teacher"`
	Student Component `json:"student"`
	Seed    int       `json:"seed"`
	Budget  Budget    `json:"budget"`
	Space   Space     `json:"space"`
	// Metrics names the family's extra evaluation columns.
	Metrics []string `json:"metrics,omitempty"`

	Status      string  `json:"status"`
	Error       string  `json:"error,omitempty"`
	Stack       string  `json:"stack,omitempty"`
	WallSeconds float64 `json:"wall_seconds"`
	Episodes    int64   `json:"episodes"`
	Steps       int64   `json:"steps"`
	// TeacherSteps counts the environment steps a teacher spent on its own
	// students (task.StepCounter), outside the budget.
	TeacherSteps map[string]int64 `json:"teacher_steps,omitempty"`
	// Harness identifies the build that produced the run (harness version,
	// revision, Go version, GOOS/GOARCH), so that a sweep whose shards ran
	// different builds can be detected.
	Harness string `json:"harness,omitempty"`
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so readers see either the old file or the new one.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	// CreateTemp makes the file private; results are meant to be shared.
	merr := f.Chmod(0o644)
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(merr, werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// WriteJSON writes v as indented JSON to path, atomically.
func WriteJSON(path string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return WriteFileAtomic(path, buf.Bytes())
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ReadSweep reads dir/sweep.json.
func ReadSweep(dir string) (*Sweep, error) {
	var s Sweep
	if err := readJSON(filepath.Join(dir, SweepFile), &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// ReadRun reads the run.json of the run directory runDir.
func ReadRun(runDir string) (*Run, error) {
	var r Run
	if err := readJSON(filepath.Join(runDir, RunFile), &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// RunDir returns the directory of run id in the sweep directory dir.
func RunDir(dir, id string) string { return filepath.Join(dir, RunsDir, id) }

// ListRuns returns the run directories of dir that hold a run.json, sorted.
func ListRuns(dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, RunsDir))
	if err != nil {
		return nil, err
	}
	var runs []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		rd := filepath.Join(dir, RunsDir, e.Name())
		if _, err := os.Stat(filepath.Join(rd, RunFile)); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		runs = append(runs, rd)
	}
	sort.Strings(runs)
	return runs, nil
}
