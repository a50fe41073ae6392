package runner

import (
	"bytes"
	"context"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/runner/store"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers"
)

// Test-only teachers that misbehave in controlled ways.
func init() {
	type faultParams struct {
		After int `toml:"after" doc:"episode at which the fault happens"`
	}
	teachers.Register(teachers.Info{Name: "test-panic", Doc: "panics in Update", Kinds: []task.Kind{task.BoxKind}},
		faultParams{After: 10}, func(p faultParams, s task.Space, _ *rand.Rand) (task.Teacher, error) {
			return &faultyTeacher{box: s.(*task.Box), after: p.After, panics: true}, nil
		})
	teachers.Register(teachers.Info{Name: "test-outside", Doc: "proposes tasks outside the space", Kinds: []task.Kind{task.BoxKind}},
		faultParams{After: 10}, func(p faultParams, s task.Space, _ *rand.Rand) (task.Teacher, error) {
			return &faultyTeacher{box: s.(*task.Box), after: p.After}, nil
		})
}

type faultyTeacher struct {
	box    *task.Box
	after  int
	n      int
	panics bool
}

func (f *faultyTeacher) Sample(rng *rand.Rand) task.Task {
	x := f.box.Uniform(nil, rng)
	if !f.panics && f.n >= f.after {
		x[0] = 2
	}
	return task.Task{Params: x}
}

func (f *faultyTeacher) Update(task.Task, task.Outcome) {
	f.n++
	if f.panics && f.n >= f.after {
		panic("deliberate test panic")
	}
}

const small = `
name = "small"
seeds = 3
[budget]
episodes = 3000
[eval]
every = 500
[[env]]
name = "toy"
[[teacher]]
name = "random"
[[teacher]]
name = "alp-gmm"
[teacher.params]
fit_rate = 200
`

func mustParse(t testing.TB, text string) *Config {
	t.Helper()
	c, err := Parse("test.toml", text)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustRun(t testing.TB, c *Config, out string, workers int) *Report {
	t.Helper()
	rep, err := Run(context.Background(), c, Options{Out: out, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// stripColumn returns the CSV file at path without the named column (wall
// time), so that results can be compared across executions.
func stripColumn(t *testing.T, path, column string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	drop := -1
	for i, h := range recs[0] {
		if h == column {
			drop = i
		}
	}
	var b strings.Builder
	for _, r := range recs {
		for i, v := range r {
			if i != drop {
				b.WriteString(v)
				b.WriteByte(',')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWorkersDoNotChangeResults pins down the reproducibility contract: the
// same config gives bit-identical results with 1 and 4 workers.
func TestWorkersDoNotChangeResults(t *testing.T) {
	c := mustParse(t, small)
	dirs := []string{t.TempDir(), t.TempDir()}
	mustRun(t, c, dirs[0], 1)
	mustRun(t, c, dirs[1], 4)
	runs, _ := c.Plan()
	for _, r := range runs {
		a, b := store.RunDir(filepath.Join(dirs[0], "small"), r.ID), store.RunDir(filepath.Join(dirs[1], "small"), r.ID)
		if stripColumn(t, filepath.Join(a, store.EvalFile), "wall_s") != stripColumn(t, filepath.Join(b, store.EvalFile), "wall_s") {
			t.Errorf("%s: eval.csv differs between 1 and 4 workers", r.ID)
		}
		if !bytes.Equal(readFile(t, filepath.Join(a, store.SamplesFile)), readFile(t, filepath.Join(b, store.SamplesFile))) {
			t.Errorf("%s: samples.csv differs between 1 and 4 workers", r.ID)
		}
	}
	sa := stripColumn(t, filepath.Join(dirs[0], "small", store.SummaryFile), "wall_s")
	sb := stripColumn(t, filepath.Join(dirs[1], "small", store.SummaryFile), "wall_s")
	if sa != sb {
		t.Errorf("summary.csv differs:\n%s\n%s", sa, sb)
	}
	// A run does not depend on which other runs share its sweep.
	alone := mustParse(t, strings.Replace(small, "[[teacher]]\nname = \"random\"\n", "", 1))
	dir := t.TempDir()
	mustRun(t, alone, dir, 2)
	id := runs[len(runs)-1].ID
	if stripColumn(t, filepath.Join(store.RunDir(filepath.Join(dir, "small"), id), store.EvalFile), "wall_s") !=
		stripColumn(t, filepath.Join(store.RunDir(filepath.Join(dirs[0], "small"), id), store.EvalFile), "wall_s") {
		t.Error("a run's results changed when another teacher was removed from the sweep")
	}
}

func TestLayoutAndEvalSchedule(t *testing.T) {
	c := mustParse(t, small)
	out := t.TempDir()
	rep := mustRun(t, c, out, 2)
	if rep.Done != 6 || rep.Failed != 0 || len(rep.Summary) != 6 {
		t.Fatalf("report %+v", rep)
	}
	dir := filepath.Join(out, "small")
	sw, err := store.ReadSweep(dir)
	if err != nil {
		t.Fatal(err)
	}
	if sw.ConfigSHA256 != c.Hash() || len(sw.Runs) != 6 || sw.GoVersion == "" || sw.GOARCH == "" {
		t.Fatalf("sweep.json = %+v", sw)
	}
	r, err := store.ReadRun(store.RunDir(dir, sw.Runs[0]))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != store.StatusDone || r.Episodes != 3000 || r.Steps != 3000 || r.Space.Kind != "box" || len(r.Space.Dims) != 2 {
		t.Fatalf("run.json = %+v", r)
	}
	_, evals, err := store.ReadEval(filepath.Join(store.RunDir(dir, r.ID), store.EvalFile))
	if err != nil {
		t.Fatal(err)
	}
	var eps []int64
	for _, e := range evals {
		eps = append(eps, e.Episode)
	}
	if len(eps) != 7 || eps[0] != 0 || eps[6] != 3000 || eps[3] != 1500 {
		t.Fatalf("evaluations at episodes %v, want 0, 500, ..., 3000", eps)
	}
	samples, err := store.ReadSamples(filepath.Join(store.RunDir(dir, r.ID), store.SamplesFile), r.Space)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 3000 || samples[0].Episode != 0 || samples[2999].Episode != 2999 {
		t.Fatalf("%d samples, first %+v", len(samples), samples[0])
	}
}

func TestStepsBudgetAndTraceCap(t *testing.T) {
	c := mustParse(t, strings.Replace(small, "episodes = 3000", "steps = 1000", 1)+"\n[trace]\nevery = 3\nmax = 50\n")
	out := t.TempDir()
	mustRun(t, c, out, 2)
	runs, _ := c.Plan()
	rd := store.RunDir(filepath.Join(out, "small"), runs[0].ID)
	r, _ := store.ReadRun(rd)
	if r.Steps != 1000 || r.Budget.Unit != Steps {
		t.Fatalf("run spent %d steps, budget %+v", r.Steps, r.Budget)
	}
	samples, err := store.ReadSamples(filepath.Join(rd, store.SamplesFile), r.Space)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 50 || samples[1].Episode != 3 {
		t.Fatalf("trace has %d rows (second at episode %d), want 50 rows every 3 episodes", len(samples), samples[1].Episode)
	}
}

func TestResume(t *testing.T) {
	c := mustParse(t, small)
	out := t.TempDir()
	mustRun(t, c, out, 2)
	dir := filepath.Join(out, "small")
	runs, _ := c.Plan()
	victim := store.RunDir(dir, runs[4].ID)
	keep := store.RunDir(dir, runs[0].ID)
	before := readFile(t, filepath.Join(keep, store.RunFile))
	wantEval := stripColumn(t, filepath.Join(victim, store.EvalFile), "wall_s")
	if err := os.RemoveAll(victim); err != nil {
		t.Fatal(err)
	}
	rep := mustRun(t, c, out, 2)
	if rep.Skipped != 5 || rep.Done != 1 {
		t.Fatalf("resume: skipped %d, done %d; want 5 and 1", rep.Skipped, rep.Done)
	}
	if !bytes.Equal(before, readFile(t, filepath.Join(keep, store.RunFile))) {
		t.Fatal("a finished run was rewritten on resume")
	}
	if got := stripColumn(t, filepath.Join(victim, store.EvalFile), "wall_s"); got != wantEval {
		t.Fatal("the re-executed run gave different results")
	}
	// Changing a component's parameters under the same label is refused.
	changed := mustParse(t, strings.Replace(small, "fit_rate = 200", "fit_rate = 100", 1))
	_, err := Run(context.Background(), changed, Options{Out: out, Workers: 1})
	if err == nil || !strings.Contains(err.Error(), "different configuration") {
		t.Fatalf("changed config under the same label: error %v", err)
	}
}

func TestFailingRunsAreRecorded(t *testing.T) {
	c := mustParse(t, `
name = "faults"
seeds = 2
[budget]
episodes = 200
[[env]]
name = "toy"
[[teacher]]
name = "test-panic"
[[teacher]]
name = "test-outside"
[[teacher]]
name = "random"
`)
	out := t.TempDir()
	rep, err := Run(context.Background(), c, Options{Out: out, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 4 || rep.Done != 2 {
		t.Fatalf("failed %d, done %d; want 4 and 2", rep.Failed, rep.Done)
	}
	dir := filepath.Join(out, "faults")
	runs, _ := c.Plan()
	r, _ := store.ReadRun(store.RunDir(dir, runs[0].ID))
	if r.Status != store.StatusFailed || !strings.Contains(r.Error, "deliberate test panic") || !strings.Contains(r.Stack, "faultyTeacher") {
		t.Fatalf("panicking run recorded as %+v", r)
	}
	if _, evals, err := store.ReadEval(filepath.Join(store.RunDir(dir, runs[0].ID), store.EvalFile)); err != nil || len(evals) != 1 {
		t.Fatalf("the failed run's evaluations before the panic were lost: %v, %d rows", err, len(evals))
	}
	r, _ = store.ReadRun(store.RunDir(dir, runs[2].ID))
	if r.Status != store.StatusFailed || !strings.Contains(r.Error, `teacher "test-outside" proposed [2`) {
		t.Fatalf("out-of-space proposal recorded as %+v", r)
	}
	sum, err := store.ReadSummary(filepath.Join(dir, store.SummaryFile))
	if err != nil || len(sum) != 6 || sum[0].Status != store.StatusFailed || sum[5].Status != store.StatusDone {
		t.Fatalf("summary: %v %+v", err, sum)
	}
	// Failed runs are retried on the next invocation.
	rep, _ = Run(context.Background(), c, Options{Out: out, Workers: 2})
	if rep.Skipped != 2 || rep.Failed != 4 {
		t.Fatalf("second invocation skipped %d and failed %d; want 2 and 4", rep.Skipped, rep.Failed)
	}
}

func TestUnwritableResults(t *testing.T) {
	c := mustParse(t, small)
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), c, Options{Out: file})
	if err == nil || !strings.Contains(err.Error(), "cannot create the results directory") {
		t.Fatalf("error = %v", err)
	}
}

func TestCancelledRunsAreNotRecorded(t *testing.T) {
	c := mustParse(t, small)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := t.TempDir()
	rep, err := Run(ctx, c, Options{Out: out, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Done != 0 || rep.Failed != 0 {
		t.Fatalf("a cancelled sweep recorded %d done and %d failed runs", rep.Done, rep.Failed)
	}
	rep = mustRun(t, c, out, 2)
	if rep.Done != 6 {
		t.Fatalf("resuming after cancellation finished %d runs, want 6", rep.Done)
	}
}
