package filter

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete/discretetest"
)

func newTeacher(t testing.TB, p Params, n int) *Teacher {
	t.Helper()
	tc, err := New(p, discretetest.Flat(n), nil)
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func score(s float64) task.Outcome { return task.Outcome{Score: s, Success: s >= 0.5, Steps: 1} }

func TestKeepsTasksInTheBand(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), 4)
	// Task 0 always solved, task 1 never, task 2 half the time, task 3 unseen.
	for k := range 8 {
		tc.Update(task.Task{Index: 0}, score(1))
		tc.Update(task.Task{Index: 1}, score(0))
		tc.Update(task.Task{Index: 2}, score(float64(k%2)))
	}
	if r, ok := tc.Rate(2); r != 0.5 || !ok {
		t.Fatalf("rate of task 2: %v %v", r, ok)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	counts := [4]int{}
	for range 4000 {
		counts[tc.Sample(rng).Index]++
	}
	// Tasks 0 and 1 are drawn only when 11 candidates in a row miss 2 and 3:
	// probability 2^-11.
	if counts[0]+counts[1] > 10 || counts[2] < 1800 || counts[3] < 1800 {
		t.Fatalf("proposals per task %v", counts)
	}
	if p, r, f := tc.Stats(); p != 4000 || r < 3000 || f > 10 {
		t.Fatalf("stats %d proposals, %d rejections, %d fallbacks", p, r, f)
	}
}

func TestWindowForgetsOldOutcomes(t *testing.T) {
	p := DefaultParams()
	p.Window = 4
	tc := newTeacher(t, p, 1)
	for range 100 {
		tc.Update(task.Task{Index: 0}, score(1))
	}
	for _, s := range []float64{0, 0, 1, 0} {
		tc.Update(task.Task{Index: 0}, score(s))
	}
	if r, _ := tc.Rate(0); r != 0.25 {
		t.Fatalf("rate %v, want 0.25 over the last 4", r)
	}
	p.Signal = "success"
	ts := newTeacher(t, p, 1)
	for _, s := range []float64{0.4, 0.6, 0.9, 0.1} {
		ts.Update(task.Task{Index: 0}, score(s))
	}
	if r, _ := ts.Rate(0); r != 0.5 {
		t.Fatalf("success rate %v, want 0.5", r)
	}
}

func TestCapReturnsTheClosestCandidate(t *testing.T) {
	p := DefaultParams()
	p.MaxRejections = 30
	tc := newTeacher(t, p, 3)
	// No task in [0.25, 0.75]: rates 0, 0.125 (closest) and 1.
	for k := range 8 {
		tc.Update(task.Task{Index: 0}, score(0))
		s := 0.0
		if k == 0 {
			s = 1
		}
		tc.Update(task.Task{Index: 1}, score(s))
		tc.Update(task.Task{Index: 2}, score(1))
	}
	rng := rand.New(rand.NewPCG(2, 2))
	for range 100 {
		if i := tc.Sample(rng).Index; i != 1 {
			t.Fatalf("fallback proposed task %d, want the closest (1)", i)
		}
	}
	if _, _, f := tc.Stats(); f != 100 {
		t.Fatalf("%d fallbacks", f)
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), 2)
	tc.Update(task.Task{Index: 0}, score(math.NaN()))
	tc.Update(task.Task{Index: 0}, score(2))
	tc.Update(task.Task{Index: 9}, score(0.5))
	if tc.Ignored() != 3 {
		t.Fatalf("ignored %d", tc.Ignored())
	}
	if _, known := tc.Rate(0); known {
		t.Fatal("ignored outcomes were recorded")
	}
}

func TestNoAllocation(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), 100)
	rng := rand.New(rand.NewPCG(1, 1))
	if a := testing.AllocsPerRun(500, func() {
		tk := tc.Sample(rng)
		tc.Update(tk, score(rng.Float64()))
	}); a != 0 {
		t.Fatalf("%v allocations per Sample+Update", a)
	}
}

func TestBadParams(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.Low = -0.1 }, "low ="},
		{func(p *Params) { p.High = 0.2 }, "high = 0.2: want a rate in [low, 1]"},
		{func(p *Params) { p.Window = 0 }, "window ="},
		{func(p *Params) { p.MinSamples = 9 }, "min_samples ="},
		{func(p *Params) { p.MaxRejections = -1 }, "max_rejections ="},
		{func(p *Params) { p.Signal = "return" }, `signal = "return": want score or success`},
	} {
		p := DefaultParams()
		tc.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error containing %q", p, err, tc.want)
		}
	}
}

// BenchmarkSampleUpdate measures one Sample (with its rejections) and one
// Update on chains and trees of 10, 100 and 1000 tasks taught to a small
// learner.
func BenchmarkSampleUpdate(b *testing.B) {
	discretetest.BenchmarkSampleUpdate(b, func(b *testing.B, d *task.Discrete) task.Teacher {
		tc, err := New(DefaultParams(), d, nil)
		if err != nil {
			b.Fatal(err)
		}
		return tc
	})
}
