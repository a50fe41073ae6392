package adarft

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete/discretetest"
)

func newTeacher(t testing.TB, p Params, d *task.Discrete) *Teacher {
	t.Helper()
	tc, err := New(p, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func score(s float64) task.Outcome { return task.Outcome{Score: s, Success: s >= 0.5, Steps: 1} }

func TestScaledDifficultyAndNearestTasks(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), discretetest.Chain(11)) // depths 0..10 → 0, 10, …, 100
	for i := range 11 {
		if tc.Difficulty(i) != float64(10*i) {
			t.Fatalf("task %d scaled to %v", i, tc.Difficulty(i))
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tcase := range []struct {
		target float64
		want   []int
	}{
		{0, []int{0}}, {4, []int{0}}, {5, []int{0, 1}}, {6, []int{1}}, {100, []int{10}}, {99, []int{10}},
	} {
		tc.target = tcase.target
		tc.retarget()
		seen := map[int]bool{}
		for range 200 {
			seen[tc.Sample(rng).Index] = true
		}
		if len(seen) != len(tcase.want) {
			t.Fatalf("target %v: proposed %v, want %v", tcase.target, seen, tcase.want)
		}
		for _, i := range tcase.want {
			if !seen[i] {
				t.Fatalf("target %v: proposed %v, want %v", tcase.target, seen, tcase.want)
			}
		}
	}
	// A tree: all tasks of a depth are candidates together.
	tt := newTeacher(t, DefaultParams(), discretetest.Tree(7)) // depths 0, 1, 1, 2, 2, 2, 2
	tt.target = 50
	tt.retarget()
	seen := map[int]bool{}
	for range 200 {
		seen[tt.Sample(rng).Index] = true
	}
	if len(seen) != 2 || !seen[1] || !seen[2] {
		t.Fatalf("target 50 on a depth-2 tree proposed %v, want {1, 2}", seen)
	}
}

func TestTargetUpdate(t *testing.T) {
	p := DefaultParams()
	p.Batch = 2
	tc := newTeacher(t, p, discretetest.Chain(11))
	tc.Update(task.Task{Index: 0}, score(1))
	if tc.Target() != 0 {
		t.Fatal("target moved before a full batch")
	}
	tc.Update(task.Task{Index: 0}, score(0.8)) // R = 0.9
	want := 50 * math.Tanh(2*0.4)
	if math.Abs(tc.Target()-want) > 1e-12 {
		t.Fatalf("target %v, want %v", tc.Target(), want)
	}
	tc.Update(task.Task{Index: 3}, score(0))
	tc.Update(task.Task{Index: 3}, score(0)) // R = 0: down by 50·tanh(1), clipped at 0
	if tc.Target() != 0 {
		t.Fatalf("target %v, want clipped to d_min 0", tc.Target())
	}
	// With a smaller step the target settles where the reward is β: here
	// a success rate falling with difficulty, 0.5 at difficulty 60.
	p = DefaultParams()
	p.Eta = 10
	tr := newTeacher(t, p, discretetest.Chain(11))
	rng := rand.New(rand.NewPCG(3, 3))
	for range 20000 {
		tk := tr.Sample(rng)
		tr.Update(tk, score(1/(1+math.Exp((tr.Difficulty(tk.Index)-60)/10))))
	}
	if math.Abs(tr.Target()-60) > 6 {
		t.Fatalf("target %v, want near 60", tr.Target())
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	p := DefaultParams()
	p.Batch = 1
	tc := newTeacher(t, p, discretetest.Chain(3))
	tc.Update(task.Task{Index: 0}, score(math.NaN()))
	tc.Update(task.Task{Index: 0}, score(-1))
	tc.Update(task.Task{Index: 7}, score(1))
	if tc.Ignored() != 3 || tc.Target() != 0 {
		t.Fatalf("ignored %d target %v", tc.Ignored(), tc.Target())
	}
}

func TestEqualDifficulties(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), discretetest.Flat(5))
	rng := rand.New(rand.NewPCG(1, 1))
	seen := map[int]bool{}
	for range 500 {
		seen[tc.Sample(rng).Index] = true
	}
	if len(seen) != 5 {
		t.Fatalf("flat space: proposed %v", seen)
	}
}

func TestNoAllocation(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), discretetest.Tree(100))
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
		{func(p *Params) { p.Beta = 2 }, "beta ="},
		{func(p *Params) { p.Alpha = 0 }, "alpha ="},
		{func(p *Params) { p.Eta = -1 }, "eta ="},
		{func(p *Params) { p.DMin = -1 }, "d_min ="},
		{func(p *Params) { p.DMax = 200 }, "d_max ="},
		{func(p *Params) { p.TargetInit = 101 }, "target_init ="},
		{func(p *Params) { p.Batch = 0 }, "batch ="},
		{func(p *Params) { p.Signal = "return" }, `signal = "return"`},
	} {
		p := DefaultParams()
		tc.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error containing %q", p, err, tc.want)
		}
	}
}

// BenchmarkSampleUpdate measures one Sample and one Update on chains and
// trees of 10, 100 and 1000 tasks taught to a small learner.
func BenchmarkSampleUpdate(b *testing.B) {
	discretetest.BenchmarkSampleUpdate(b, func(b *testing.B, d *task.Discrete) task.Teacher {
		return newTeacher(b, DefaultParams(), d)
	})
}
