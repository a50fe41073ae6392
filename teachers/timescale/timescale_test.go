package timescale

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func chain(t testing.TB, n int) *task.Discrete {
	t.Helper()
	names := make([]string, n)
	var edges []task.Edge
	for i := range names {
		names[i] = "N=" + string(rune('2'+i))
		if i > 0 {
			edges = append(edges, task.Edge{From: i - 1, To: i})
		}
	}
	d, err := task.NewDiscrete(names, edges, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fakeStudent answers Evaluate with an accuracy per task index that the test
// controls, and records the evaluation tasks.
type fakeStudent struct {
	acc   map[int]float64
	calls []task.Task
}

func (s *fakeStudent) Learn(task.Task) task.Outcome { panic("the teacher must not train the student") }
func (s *fakeStudent) Evaluate(t task.Task) task.Outcome {
	s.calls = append(s.calls, t.Clone())
	return task.Outcome{Score: s.acc[t.Index], Steps: 1}
}

// epoch feeds one epoch of training outcomes.
func epoch(tc *Teacher, rng *rand.Rand, batches int) {
	for range batches {
		tk := tc.Sample(rng)
		tc.Update(tk, task.Outcome{Score: 0.5, Return: -0.7, Steps: 1})
	}
}

func TestSingleHead(t *testing.T) {
	p := DefaultSingleParams()
	p.EpochBatches, p.EvalBatches = 10, 3
	tc, err := NewSingle(p, chain(t, 4), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeStudent{acc: map[int]float64{0: 0.98}}
	tc.SetStudent(s)
	rng := rand.New(rand.NewPCG(2, 2))
	if tk := tc.Sample(rng); tk.Index != 0 || !slices.Equal(tk.Group, []int{0}) {
		t.Fatalf("first task %v group %v, want N=2 alone", tk, tk.Group)
	}
	epoch(tc, rng, 9)
	if len(s.calls) != 0 {
		t.Fatal("evaluated before the end of the epoch")
	}
	epoch(tc, rng, 1)
	if len(s.calls) != 3 || !slices.Equal(s.calls[0].Group, []int{0}) {
		t.Fatalf("%d evaluations %v, want 3 of task 0 with group [0]", len(s.calls), s.calls)
	}
	// Exactly 98% is not above the threshold.
	if tc.List()[0] != 0 {
		t.Fatalf("advanced at 98%%: list %v", tc.List())
	}
	s.acc[0] = 0.99
	epoch(tc, rng, 10)
	if !slices.Equal(tc.List(), []int{1}) || len(tc.Advances()) != 1 || tc.Advances()[0] != (Advance{Batch: 20, Last: 1}) {
		t.Fatalf("after success: list %v advances %v, want [1] at batch 20", tc.List(), tc.Advances())
	}
	if tk := tc.Sample(rng); tk.Index != 1 || !slices.Equal(tk.Group, []int{1}) {
		t.Errorf("single head reuses one head: task %v group %v, want [1]", tk, tk.Group)
	}
	s.acc[1], s.acc[2], s.acc[3] = 1, 1, 1
	epoch(tc, rng, 20)
	if !slices.Equal(tc.List(), []int{3}) || tc.Done() {
		t.Fatalf("list %v done %v, want [3] not done", tc.List(), tc.Done())
	}
	epoch(tc, rng, 10)
	if !tc.Done() || !slices.Equal(tc.List(), []int{3}) {
		t.Errorf("at the end of the chain: list %v done %v, want [3] done", tc.List(), tc.Done())
	}
}

func TestMultiHeadAdvanceRule(t *testing.T) {
	p := DefaultMultiParams()
	p.EpochBatches, p.EvalBatches, p.InitHeads, p.AddHeads = 5, 2, 2, 2
	tc, err := NewMulti(p, chain(t, 7), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeStudent{acc: map[int]float64{}}
	tc.SetStudent(s)
	rng := rand.New(rand.NewPCG(2, 2))
	for _, c := range []struct {
		acc  map[int]float64
		want []int
	}{
		// The last task (largest N) fails: no advance.
		{map[int]float64{0: 1, 1: 0.97}, []int{0, 1}},
		// The last passes but the mean does not.
		{map[int]float64{0: 0.96, 1: 0.99}, []int{0, 1}},
		// Both pass: append add_heads tasks.
		{map[int]float64{0: 0.99, 1: 0.99}, []int{0, 1, 2, 3}},
		// An earlier task forgotten holds the mean down.
		{map[int]float64{0: 0.5, 1: 1, 2: 1, 3: 1}, []int{0, 1, 2, 3}},
		{map[int]float64{0: 0.99, 1: 1, 2: 1, 3: 1}, []int{0, 1, 2, 3, 4, 5}},
		// Only one task left in the chain: append it alone.
		{map[int]float64{0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, []int{0, 1, 2, 3, 4, 5, 6}},
	} {
		s.acc, s.calls = c.acc, nil
		group := slices.Clone(tc.List())
		epoch(tc, rng, 5)
		if !slices.Equal(tc.List(), c.want) {
			t.Fatalf("accuracies %v: list %v, want %v", c.acc, tc.List(), c.want)
		}
		if len(s.calls) != 2*len(group) {
			t.Fatalf("%d evaluations, want 2 per task of %v", len(s.calls), group)
		}
		for _, call := range s.calls {
			if !slices.Equal(call.Group, group) {
				t.Fatalf("evaluation of %d with group %v, want the whole list %v", call.Index, call.Group, group)
			}
		}
	}
	if tk := tc.Sample(rng); tk.Index != 6 || len(tk.Group) != 7 {
		t.Errorf("task %v group %v, want the last task with the whole list", tk, tk.Group)
	}
	if tc.Done() {
		t.Fatal("done before the final rule held")
	}
	s.acc[6] = 1
	epoch(tc, rng, 5)
	if !tc.Done() {
		t.Error("not done with the whole chain mastered")
	}
}

func TestSliding(t *testing.T) {
	p := DefaultSlidingParams()
	p.EpochBatches, p.EvalBatches, p.Window, p.Shift = 3, 1, 4, 3
	tc, err := NewSliding(p, chain(t, 9), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeStudent{acc: map[int]float64{}}
	for i := range 9 {
		s.acc[i] = 1
	}
	tc.SetStudent(s)
	rng := rand.New(rand.NewPCG(2, 2))
	for _, want := range [][]int{{0, 1, 2, 3}, {3, 4, 5, 6}, {5, 6, 7, 8}} {
		if !slices.Equal(tc.List(), want) {
			t.Fatalf("list %v, want %v", tc.List(), want)
		}
		epoch(tc, rng, 3)
	}
	if !tc.Done() || !slices.Equal(tc.List(), []int{5, 6, 7, 8}) {
		t.Errorf("at the end: list %v done %v", tc.List(), tc.Done())
	}
	// A window smaller than the shift is raised to the shift (the
	// reference's INIT_HEADS = max(INIT_HEADS, NUM_FORGET)).
	p.Window, p.Shift = 1, 2
	tc, _ = NewSliding(p, chain(t, 9), rand.New(rand.NewPCG(1, 1)))
	if !slices.Equal(tc.List(), []int{0, 1}) {
		t.Errorf("window 1 shift 2: list %v, want [0 1]", tc.List())
	}
}

func TestWithoutStudentAndBadScores(t *testing.T) {
	p := DefaultMultiParams()
	p.EpochBatches, p.EvalBatches = 2, 4
	tc, _ := NewMulti(p, chain(t, 3), rand.New(rand.NewPCG(1, 1)))
	rng := rand.New(rand.NewPCG(2, 2))
	epoch(tc, rng, 10)
	if len(tc.List()) != 1 || tc.Evaluations() != 0 {
		t.Fatalf("without a student: list %v, %d evaluations", tc.List(), tc.Evaluations())
	}
	// Three perfect scores and one NaN per evaluation: NaN counts as 0,
	// the mean 0.75 does not pass.
	st := &nanStudent{}
	tc.SetStudent(st)
	epoch(tc, rng, 2)
	if len(tc.List()) != 1 || tc.BadScores() != 1 || math.Abs(tc.Accuracies()[0]-0.75) > 1e-12 {
		t.Fatalf("NaN score: list %v, bad %d, accuracy %v", tc.List(), tc.BadScores(), tc.Accuracies())
	}
	// Bad training outcomes are counted, and still count as batches.
	for _, o := range []task.Outcome{{Return: math.NaN(), Score: 0.5}, {Return: 0, Score: math.Inf(1)}, {Return: 0, Score: -1}} {
		tc.Update(tc.Sample(rng), o)
	}
	tc.Update(task.Task{Index: 7}, task.Outcome{Score: 0.5})
	if tc.Ignored() != 4 {
		t.Errorf("%d ignored outcomes, want 4", tc.Ignored())
	}
	if tc.Evaluations() != 3 {
		t.Errorf("%d evaluations, want 3 (bad outcomes still count as batches)", tc.Evaluations())
	}
}

type nanStudent struct{ n int }

func (s *nanStudent) Learn(task.Task) task.Outcome { panic("no") }
func (s *nanStudent) Evaluate(task.Task) task.Outcome {
	s.n++
	if s.n%4 == 0 {
		return task.Outcome{Score: math.NaN()}
	}
	return task.Outcome{Score: 1}
}

func TestValidate(t *testing.T) {
	space := chain(t, 5)
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		build func() error
		want  string
	}{
		{func() error {
			p := DefaultSingleParams()
			p.EpochBatches = 0
			_, err := NewSingle(p, space, rng)
			return err
		}, "epoch_batches"},
		{func() error {
			p := DefaultSingleParams()
			p.EvalBatches = 0
			_, err := NewSingle(p, space, rng)
			return err
		}, "eval_batches"},
		{func() error {
			p := DefaultSingleParams()
			p.Threshold = 1
			_, err := NewSingle(p, space, rng)
			return err
		}, "threshold"},
		{func() error { p := DefaultSingleParams(); p.Start = 5; _, err := NewSingle(p, space, rng); return err }, "start"},
		{func() error {
			p := DefaultMultiParams()
			p.InitHeads = 0
			_, err := NewMulti(p, space, rng)
			return err
		}, "init_heads"},
		{func() error { p := DefaultMultiParams(); p.AddHeads = 0; _, err := NewMulti(p, space, rng); return err }, "add_heads"},
		{func() error {
			p := DefaultSlidingParams()
			p.Shift = 0
			_, err := NewSliding(p, space, rng)
			return err
		}, "shift"},
		{func() error {
			p := DefaultSlidingParams()
			p.Window = 0
			_, err := NewSliding(p, space, rng)
			return err
		}, "window"},
		{func() error { _, err := NewMulti(DefaultMultiParams(), space, nil); return err }, "random stream"},
		{func() error {
			b, _ := task.NewBox(task.Dim{Name: "x", Lo: 0, Hi: 1})
			_, err := NewMulti(DefaultMultiParams(), b, rng)
			return err
		}, "discrete"},
	} {
		if err := c.build(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one naming %s", err, c.want)
		}
	}
}

func TestUpdateAllocatesNothing(t *testing.T) {
	tc, _ := NewMulti(DefaultMultiParams(), chain(t, 5), rand.New(rand.NewPCG(1, 1)))
	rng := rand.New(rand.NewPCG(2, 2))
	o := task.Outcome{Score: 0.5, Steps: 1}
	if a := testing.AllocsPerRun(100, func() { tc.Update(tc.Sample(rng), o) }); a != 0 {
		t.Errorf("Sample and Update allocate %v times", a)
	}
}
