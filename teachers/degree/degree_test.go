package degree

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func radii(t testing.TB, d int) *task.Discrete {
	t.Helper()
	names := make([]string, d+1)
	for i := range names {
		names[i] = "k=" + string(rune('a'+i))
	}
	s, err := task.NewDiscrete(names, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// feed gives the teacher n outcomes of training loss loss on its own tasks.
func feed(tc *Teacher, rng *rand.Rand, n int, loss float64) {
	for range n {
		tc.Update(tc.Sample(rng), task.Outcome{Return: -loss, Score: 0.5, Steps: 1})
	}
}

func TestDegreeCurriculumOnTheChain(t *testing.T) {
	p := Params{Leap: 4, Eps: 0.25, EpochBatches: 10}
	tc, err := New(p, radii(t, 16), nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	if tk := tc.Sample(rng); tk.Index != 4 || tk.Group != nil {
		t.Fatalf("first task %v, want the ball of radius leap = 4", tk)
	}
	// An epoch whose mean loss is at eps does not advance (strictly below).
	feed(tc, rng, 5, 0.125)
	feed(tc, rng, 5, 0.375)
	if tc.Radius() != 4 {
		t.Fatalf("radius %d after a mean loss of exactly eps, want 4", tc.Radius())
	}
	// The mean is over the epoch: one bad batch among good ones may pass.
	feed(tc, rng, 9, 0.125)
	feed(tc, rng, 1, 1)
	if tc.Radius() != 8 || !slices.Equal(tc.Advances(), []int64{20}) {
		t.Fatalf("radius %d advances %v, want 8 at outcome 20", tc.Radius(), tc.Advances())
	}
	feed(tc, rng, 30, 0.5) // three epochs above eps: stays
	if tc.Radius() != 8 {
		t.Fatalf("radius %d, want 8", tc.Radius())
	}
	feed(tc, rng, 20, 0) // k = 12, 16
	if tk := tc.Sample(rng); tk.Index != 16 || tc.Done() {
		t.Fatalf("task %v done %v, want the whole cube, not done", tk, tc.Done())
	}
	feed(tc, rng, 10, 0)
	if !tc.Done() || tc.StopBatch() != 80 || tc.Radius() != 16 {
		t.Fatalf("done %v at %d, radius %d: want done at outcome 80, radius 16", tc.Done(), tc.StopBatch(), tc.Radius())
	}
	feed(tc, rng, 10, 0)
	if tk := tc.Sample(rng); tk.Index != 16 || tc.StopBatch() != 80 {
		t.Errorf("after the end: task %v, stop %d", tk, tc.StopBatch())
	}
}

func TestNoCurriculumIsLeapD(t *testing.T) {
	tc, _ := New(Params{Leap: 16, Eps: 0.001, EpochBatches: 5}, radii(t, 16), nil)
	rng := rand.New(rand.NewPCG(1, 1))
	if tk := tc.Sample(rng); tk.Index != 16 {
		t.Fatalf("leap d: first task %v, want all the data (16)", tk)
	}
	feed(tc, rng, 5, 0)
	if !tc.Done() || len(tc.Advances()) != 0 {
		t.Errorf("leap d: done %v, advances %v", tc.Done(), tc.Advances())
	}
	// A leap that overshoots is clipped to the last task.
	tc, _ = New(Params{Leap: 5, Eps: 0.001, EpochBatches: 1}, radii(t, 16), nil)
	feed(tc, rng, 3, 0)
	if tk := tc.Sample(rng); tk.Index != 16 || tc.Radius() != 20 || tc.Done() {
		t.Errorf("leap 5 after 3 advances: task %v radius %d", tk, tc.Radius())
	}
}

func TestBox(t *testing.T) {
	box, _ := task.NewBox(task.Dim{Name: "k", Lo: 0, Hi: 16, Easy: task.EasyLo}, task.Dim{Name: "hard", Lo: 0, Hi: 3, Easy: task.EasyHi})
	tc, err := New(Params{Leap: 2, Eps: 0.1, EpochBatches: 1}, box, nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, want := range [][]float64{{2, 1}, {4, 0}, {6, 0}} {
		if tk := tc.Sample(rng); !slices.Equal(tk.Params, want) || !box.Contains(tk.Params) {
			t.Fatalf("box task %v, want %v", tk.Params, want)
		}
		feed(tc, rng, 1, 0)
	}
	feed(tc, rng, 4, 0) // 10, 12, 14, 16
	if tk := tc.Sample(rng); !slices.Equal(tk.Params, []float64{16, 0}) || tc.Done() {
		t.Fatalf("box task %v done %v", tk.Params, tc.Done())
	}
	feed(tc, rng, 1, 0)
	if !tc.Done() {
		t.Error("not done at the hard corner")
	}
}

func TestBadOutcomes(t *testing.T) {
	tc, _ := New(Params{Leap: 4, Eps: 0.001, EpochBatches: 3}, radii(t, 16), nil)
	rng := rand.New(rand.NewPCG(1, 1))
	feed(tc, rng, 2, 0)
	tc.Update(tc.Sample(rng), task.Outcome{Return: math.NaN()})
	tc.Update(tc.Sample(rng), task.Outcome{Return: math.Inf(-1)})
	tc.Update(task.Task{Index: 40}, task.Outcome{Return: 0})
	tc.Update(task.Task{Params: []float64{1}}, task.Outcome{Return: 0})
	if tc.Ignored() != 4 || tc.Radius() != 4 {
		t.Fatalf("ignored %d, radius %d: want 4 ignored and no epoch completed", tc.Ignored(), tc.Radius())
	}
	feed(tc, rng, 1, 0)
	if tc.Radius() != 8 {
		t.Errorf("radius %d after a clean epoch, want 8", tc.Radius())
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		p    Params
		want string
	}{
		{Params{Leap: 0, Eps: 0.001, EpochBatches: 1}, "leap"},
		{Params{Leap: 1, Eps: 0, EpochBatches: 1}, "eps"},
		{Params{Leap: 1, Eps: math.NaN(), EpochBatches: 1}, "eps"},
		{Params{Leap: 1, Eps: 0.001, EpochBatches: 0}, "epoch_batches"},
	} {
		if _, err := New(c.p, radii(t, 4), nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %s", c.p, err, c.want)
		}
	}
}

func TestUpdateAllocatesNothing(t *testing.T) {
	box, _ := task.NewBox(task.Dim{Name: "k", Lo: 0, Hi: 16, Easy: task.EasyLo})
	for _, s := range []task.Space{radii(t, 16), box} {
		tc, _ := New(DefaultParams(), s, nil)
		rng := rand.New(rand.NewPCG(1, 1))
		o := task.Outcome{Return: -0.5, Steps: 1}
		if a := testing.AllocsPerRun(100, func() { tc.Update(tc.Sample(rng), o) }); a != 0 {
			t.Errorf("%v: Sample and Update allocate %v times", s.Kind(), a)
		}
	}
}
