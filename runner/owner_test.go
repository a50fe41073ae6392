package runner

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/envs"
	"github.com/teachbench/teachbench/envs/toy"
	"github.com/teachbench/teachbench/runner/store"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers"
)

// A test-only teacher that owns a second student, trains it on every task it
// proposes and counts its steps: the shape of PAIRED's antagonist.
type ownerTeacher struct {
	box   *task.Box
	other task.Student
	steps int64
	err   error
}

func (o *ownerTeacher) SetStudentFactory(newStudent func(string) (task.Student, error)) {
	o.other, o.err = newStudent("antagonist")
}

func (o *ownerTeacher) Sample(rng *rand.Rand) task.Task {
	if o.err != nil {
		panic(o.err)
	}
	return task.Task{Params: o.box.Uniform(nil, rng), Seed: rng.Uint64()}
}

func (o *ownerTeacher) Update(t task.Task, _ task.Outcome) {
	out := o.other.Learn(t)
	o.steps += int64(2 * out.Steps)
}

func (o *ownerTeacher) StepNames() []string    { return []string{"antagonist"} }
func (o *ownerTeacher) CountSteps(dst []int64) { dst[0] = o.steps }

// clockFamily is the toy family that records the runner's clock.
type clockFamily struct {
	*toy.Family
	ticks []int64
}

func (c *clockFamily) Tick(episodes, steps int64) { c.ticks = append(c.ticks, episodes) }

var lastClock *clockFamily

func init() {
	type none struct{}
	teachers.Register(teachers.Info{Name: "test-owner", Doc: "owns a student", Kinds: []task.Kind{task.BoxKind}},
		none{}, func(_ none, s task.Space, _ *rand.Rand) (task.Teacher, error) {
			return &ownerTeacher{box: s.(*task.Box)}, nil
		})
	envs.Register(envs.Info{Name: "test-clock", Doc: "toy with a clock", DefaultStudent: "synthetic"},
		toy.DefaultParams(), func(p toy.Params) (task.Family, error) {
			f, err := toy.New(p)
			lastClock = &clockFamily{Family: f}
			return lastClock, err
		})
}

func TestTeacherOwnedStudentsAndClock(t *testing.T) {
	c := mustParse(t, `
name = "owner"
[budget]
episodes = 300
[eval]
every = 100
[[env]]
name = "test-clock"
[[teacher]]
name = "test-owner"
`)
	runs, _ := c.Plan()
	res := Execute(context.Background(), c, runs[0], nil)
	if res.Run.Status != store.StatusDone {
		t.Fatal(res.Run.Error)
	}
	if got := res.Run.TeacherSteps["antagonist"]; got != 600 {
		t.Fatalf("teacher steps = %v, want 600 (twice the student's)", res.Run.TeacherSteps)
	}
	if res.Run.Steps != 300 {
		t.Fatalf("the budget counted %d steps, want only the student's 300", res.Run.Steps)
	}
	last := res.Run.Metrics[len(res.Run.Metrics)-1]
	if last != "steps_antagonist" || res.Evals[2].Extra[len(res.Evals[2].Extra)-1] != 400 {
		t.Fatalf("eval columns %v, row %+v", res.Run.Metrics, res.Evals[2])
	}
	if n := len(lastClock.ticks); n != 300 || lastClock.ticks[n-1] != 300 {
		t.Fatalf("the family's clock ticked %d times, last %v; want once per training episode", n, lastClock.ticks[n-1])
	}
	// The counts reach eval.csv on disk.
	out := t.TempDir()
	mustRun(t, c, out, 1)
	metrics, _, err := store.ReadEval(filepath.Join(store.RunDir(filepath.Join(out, "owner"), runs[0].ID), store.EvalFile))
	if err != nil || !strings.HasPrefix(metrics[len(metrics)-1], "steps_") {
		t.Fatalf("eval.csv header %v, %v", metrics, err)
	}
}
