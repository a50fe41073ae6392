package plots

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/teachbench/teachbench/runner/store"
)

// Metric names a per-run score, a column of summary.csv.
type Metric string

// The metrics of a run, as defined by the results format.
const (
	// FinalMastered is the % of test tasks mastered at the last evaluation.
	FinalMastered Metric = "final_mastered"
	// AUCMastered is the mean % mastered over all evaluations, the area
	// under the learning curve divided by its length when evaluations are
	// evenly spaced.
	AUCMastered Metric = "auc_mastered"
)

// Metrics lists every Metric.
var Metrics = []Metric{FinalMastered, AUCMastered}

// ParseMetric returns the metric named s, or an error listing the metrics.
func ParseMetric(s string) (Metric, error) {
	for _, m := range Metrics {
		if string(m) == s {
			return m, nil
		}
	}
	return "", fmt.Errorf("unknown metric %q (want %s or %s)", s, FinalMastered, AUCMastered)
}

// Title returns the metric's name as axis labels and tables show it.
func (m Metric) Title() string {
	switch m {
	case FinalMastered:
		return "final % mastered"
	case AUCMastered:
		return "AUC % mastered"
	}
	return string(m)
}

// Run states. A planned run is missing until a run.json records it; a run
// marked done whose evaluations cannot be read is unreadable.
const (
	StateDone       = store.StatusDone
	StateFailed     = store.StatusFailed
	StateMissing    = "missing"
	StateUnreadable = "unreadable"
)

// Run is one run of a sweep as read from its results directory.
type Run struct {
	ID string
	// Dir is the run's directory; empty for a missing run and for a run
	// read from summary.csv.
	Dir string
	// Env, Teacher and Student are the components' labels.
	Env, Teacher, Student string
	Seed                  int
	// State is StateDone, StateFailed, StateMissing or StateUnreadable.
	State string
	// Error says why a run failed or could not be read.
	Error string
	// Meta is the run's run.json, or nil for a missing run and for a run
	// read from summary.csv.
	Meta *store.Run
	// Eval holds the rows of eval.csv, or nil if they were not read.
	Eval []store.EvalRow
	// Final and AUC are the run's final_mastered and auc_mastered, as
	// summary.csv defines them; NaN unless the run is done.
	Final, AUC float64
}

// Value returns the run's score under metric m.
func (r *Run) Value(m Metric) float64 {
	if m == AUCMastered {
		return r.AUC
	}
	return r.Final
}

// Sweep is a results directory read for figures and reports.
type Sweep struct {
	Dir string
	// Info is the content of sweep.json, or nil if it could not be read.
	Info *store.Sweep
	// Runs holds the planned runs in the order of sweep.json, then any
	// other run found, by ID. A planned run without results is missing.
	Runs []*Run
	// Envs groups the runs by environment label, in order of first
	// appearance.
	Envs []*Env
	// Teachers lists the teacher labels in order of first appearance; it
	// sets each teacher's colour and marker (see TeacherColors).
	Teachers []string
	// FromSummary reports that the runs were read from summary.csv, as in a
	// committed baseline that keeps no run directories; such runs have no
	// evaluations, so learning curves and sampling figures are not drawn.
	FromSummary bool
	// Problems lists the files that could not be read and were skipped.
	Problems []error
}

// Env holds the runs of one environment label.
type Env struct {
	Label string
	// Space is the task space of the environment's first run that
	// recorded one; its Kind is empty if none did.
	Space store.Space
	// Unit is the budget unit of its runs, "episodes" or "steps", or empty
	// if unknown.
	Unit   string
	Groups []*Group
}

// Group holds the runs of one environment that share a teacher label and a
// student label: the seeds that one line of a figure or one row of a table
// summarises.
type Group struct {
	Teacher, Student string
	// Label is the teacher label, or "teacher / student" when the
	// environment has runs of more than one student.
	Label string
	// student is the index of the student label among the environment's
	// students, which shifts the group's dash pattern.
	student int
	// Runs holds every run of the group, whatever its state.
	Runs []*Run
}

// Done returns the group's finished runs.
func (g *Group) Done() []*Run {
	var d []*Run
	for _, r := range g.Runs {
		if r.State == StateDone {
			d = append(d, r)
		}
	}
	return d
}

// Values returns the finite scores under m of the group's finished runs, in
// run order.
func (g *Group) Values(m Metric) []float64 {
	var v []float64
	for _, r := range g.Done() {
		if x := r.Value(m); finite(x) {
			v = append(v, x)
		}
	}
	return v
}

// Count returns the number of the group's runs in the given state.
func (g *Group) Count(state string) int {
	n := 0
	for _, r := range g.Runs {
		if r.State == state {
			n++
		}
	}
	return n
}

// Load reads the results directory dir as written by package runner/store:
// sweep.json, and either the run directories under runs/ or, for a committed
// baseline that keeps none, summary.csv. Planned runs (sweep.json's runs) that
// have no results are included as missing, so that incomplete sweeps can be
// reported. Files that cannot be read are skipped and listed in Problems; Load
// fails only when dir has neither runs nor a summary.
func Load(dir string) (*Sweep, error) {
	sw := &Sweep{Dir: dir}
	info, err := store.ReadSweep(dir)
	if err != nil {
		sw.Problems = append(sw.Problems, err)
	} else {
		sw.Info = info
	}
	found, err := sw.readRuns()
	if errors.Is(err, fs.ErrNotExist) {
		found, err = sw.readSummary()
		sw.FromSummary = err == nil
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a results directory: it has neither %s/ nor %s", dir, store.RunsDir, store.SummaryFile)
		}
		return nil, err
	}
	sw.order(found)
	sw.group()
	return sw, nil
}

// readRuns reads every run directory of sw.Dir.
func (sw *Sweep) readRuns() ([]*Run, error) {
	if _, err := os.Stat(filepath.Join(sw.Dir, store.RunsDir)); err != nil {
		return nil, err
	}
	dirs, err := store.ListRuns(sw.Dir)
	if err != nil {
		return nil, err
	}
	var runs []*Run
	for _, rd := range dirs {
		meta, err := store.ReadRun(rd)
		if err != nil {
			sw.Problems = append(sw.Problems, err)
			continue
		}
		r := &Run{
			ID: cmp.Or(meta.ID, filepath.Base(rd)), Dir: rd, Env: labelOf(meta.Env), Teacher: labelOf(meta.Teacher),
			Student: labelOf(meta.Student), Seed: meta.Seed, State: meta.Status, Error: firstLine(meta.Error),
			Meta: meta, Final: math.NaN(), AUC: math.NaN(),
		}
		if r.State != StateDone && r.State != StateFailed {
			r.State, r.Error = StateUnreadable, fmt.Sprintf("unknown status %q", meta.Status)
		}
		if r.State == StateDone {
			sw.readEval(r, rd)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// readEval reads a finished run's eval.csv and computes its scores as
// summary.csv does; a run whose evaluations cannot be read becomes
// unreadable.
func (sw *Sweep) readEval(r *Run, rd string) {
	_, rows, err := store.ReadEval(filepath.Join(rd, store.EvalFile))
	if err == nil && len(rows) == 0 {
		err = fmt.Errorf("%s: no evaluation", filepath.Join(rd, store.EvalFile))
	}
	if err != nil {
		sw.Problems = append(sw.Problems, fmt.Errorf("run %s: %w", r.ID, err))
		r.State, r.Error = StateUnreadable, err.Error()
		return
	}
	r.Eval = rows
	var sum float64
	for _, e := range rows {
		sum += e.Mastered
	}
	r.Final = rows[len(rows)-1].Mastered
	r.AUC = sum / float64(len(rows))
}

// readSummary reads the runs of sw.Dir's summary.csv.
func (sw *Sweep) readSummary() ([]*Run, error) {
	rows, err := store.ReadSummary(filepath.Join(sw.Dir, store.SummaryFile))
	if err != nil {
		return nil, err
	}
	runs := make([]*Run, 0, len(rows))
	for _, row := range rows {
		r := &Run{
			ID: row.RunID, Env: row.Env, Teacher: row.Teacher, Student: row.Student, Seed: row.Seed,
			State: row.Status, Final: math.NaN(), AUC: math.NaN(),
		}
		switch row.Status {
		case StateDone:
			r.Final, r.AUC = row.FinalMastered, row.AUCMastered
		case StateFailed:
		default:
			r.State, r.Error = StateUnreadable, fmt.Sprintf("unknown status %q", row.Status)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// order sets sw.Runs: the planned runs in order, each the run found or a
// missing one, then the unplanned runs found, by ID.
func (sw *Sweep) order(found []*Run) {
	byID := make(map[string]*Run, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	var planned []string
	if sw.Info != nil {
		planned = sw.Info.Runs
	}
	names := newIDNames(sw.Info, found)
	seen := make(map[string]bool, len(planned))
	for _, id := range planned {
		if seen[id] {
			continue
		}
		seen[id] = true
		if r := byID[id]; r != nil {
			sw.Runs = append(sw.Runs, r)
			continue
		}
		sw.Runs = append(sw.Runs, names.missing(id))
	}
	var rest []*Run
	for _, r := range found {
		if !seen[r.ID] {
			rest = append(rest, r)
		}
	}
	slices.SortFunc(rest, func(a, b *Run) int { return cmp.Compare(a.ID, b.ID) })
	sw.Runs = append(sw.Runs, rest...)
}

// group fills sw.Envs and sw.Teachers from sw.Runs.
func (sw *Sweep) group() {
	byLabel := make(map[string]*Env)
	students := make(map[*Env][]string)
	for _, r := range sw.Runs {
		if !slices.Contains(sw.Teachers, r.Teacher) {
			sw.Teachers = append(sw.Teachers, r.Teacher)
		}
		e := byLabel[r.Env]
		if e == nil {
			e = &Env{Label: r.Env}
			byLabel[r.Env] = e
			sw.Envs = append(sw.Envs, e)
		}
		if r.Meta != nil {
			if e.Space.Kind == "" {
				e.Space = r.Meta.Space
			}
			if e.Unit == "" {
				e.Unit = r.Meta.Budget.Unit
			}
		}
		if !slices.Contains(students[e], r.Student) {
			students[e] = append(students[e], r.Student)
		}
		si := slices.Index(students[e], r.Student)
		k := slices.IndexFunc(e.Groups, func(g *Group) bool { return g.Teacher == r.Teacher && g.student == si })
		if k < 0 {
			e.Groups = append(e.Groups, &Group{Teacher: r.Teacher, Student: r.Student, Label: r.Teacher, student: si})
			k = len(e.Groups) - 1
		}
		e.Groups[k].Runs = append(e.Groups[k].Runs, r)
	}
	for _, e := range sw.Envs {
		if len(students[e]) < 2 {
			continue
		}
		for _, g := range e.Groups {
			g.Label = g.Teacher + " / " + g.Student
		}
	}
}

// idNames recovers the labels of a missing run from its ID,
// "<env>__<teacher>__<student>__s<seed>", whose parts are the labels made
// file-name safe.
type idNames map[string]string // ID part → label

// newIDNames learns the labels behind ID parts from the runs found and from
// the labels of the normalised config in sweep.json.
func newIDNames(info *store.Sweep, found []*Run) idNames {
	n := idNames{}
	if info != nil {
		if cfg, ok := info.Config.(map[string]any); ok {
			for _, kind := range []string{"env", "teacher", "student"} {
				list, _ := cfg[kind].([]any)
				for _, c := range list {
					m, _ := c.(map[string]any)
					if l, ok := m["label"].(string); ok {
						n[idPart(l)] = l
					}
				}
			}
		}
	}
	for _, r := range found {
		parts := strings.Split(r.ID, "__")
		if len(parts) == 4 {
			n[parts[0]], n[parts[1]], n[parts[2]] = r.Env, r.Teacher, r.Student
		}
	}
	return n
}

// missing returns a missing run for a planned ID.
func (n idNames) missing(id string) *Run {
	r := &Run{ID: id, State: StateMissing, Final: math.NaN(), AUC: math.NaN(), Error: "no results (not run yet, or interrupted)"}
	parts := strings.Split(id, "__")
	if len(parts) != 4 || !strings.HasPrefix(parts[3], "s") {
		r.Env, r.Teacher, r.Student = "?", "?", "?"
		return r
	}
	label := func(p string) string { return cmp.Or(n[p], p) }
	r.Env, r.Teacher, r.Student = label(parts[0]), label(parts[1]), label(parts[2])
	r.Seed, _ = strconv.Atoi(parts[3][1:])
	return r
}

// idPart maps a label to its form in run IDs, the rule of package runner:
// each run of characters outside [A-Za-z0-9.=-] becomes one '_', none at
// either end, and an empty result is "_".
func idPart(label string) string {
	var b strings.Builder
	pending := false
	for _, r := range label {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '-' || r == '=' {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(r)
			continue
		}
		pending = true
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// labelOf returns the label of a component, or its name if it has none.
func labelOf(c store.Component) string { return cmp.Or(c.Label, c.Name) }

// firstLine returns the first line of s.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
