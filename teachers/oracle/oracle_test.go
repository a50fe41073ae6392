package oracle

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// stumpTracks is Stump Tracks' space: stump height in [0, 3] (easy low) and
// obstacle spacing in [0, 6] (easy high), plus a dimension whose easy end is
// unknown.
func stumpTracks(t testing.TB) *task.Box {
	t.Helper()
	b, err := task.NewBox(
		task.Dim{Name: "stump_height", Lo: 0, Hi: 3, Easy: task.EasyLo},
		task.Dim{Name: "obstacle_spacing", Lo: 0, Hi: 6, Easy: task.EasyHi},
		task.Dim{Name: "other", Lo: -1, Hi: 1},
	)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newTeacher(t testing.TB, p Params, space task.Space) *Teacher {
	t.Helper()
	tc, err := New(p, space, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func outcome(r float64) task.Outcome {
	return task.Outcome{Return: r, Score: math.Min(1, math.Max(0, r/300)), Steps: 1}
}

// feed gives the teacher n outcomes with return r.
func feed(tc *Teacher, n int, r float64) {
	for range n {
		tc.Update(task.Task{}, outcome(r))
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Params)
		err  string
	}{
		{func(p *Params) { p.StepRate = 0 }, "step_rate = 0"},
		{func(p *Params) { p.RewardThr = math.NaN() }, "reward_thr = NaN"},
		{func(p *Params) { p.WindowRatio = 0 }, "window_ratio = 0"},
		{func(p *Params) { p.WindowRatio = 1.5 }, "window_ratio = 1.5"},
		{func(p *Params) { p.StepFraction = -0.1 }, "step_fraction = -0.1"},
		{func(p *Params) { p.WindowStepVector = []float64{0.1, math.Inf(1)} }, "window_step_vector[1] = +Inf"},
		{func(p *Params) { p.Signal = "success" }, `signal = "success"`},
	} {
		p := DefaultParams()
		tc.edit(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Validate() = %v, want an error containing %q", err, tc.err)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	p := DefaultParams()
	p.WindowStepVector = []float64{0.1, -0.2}
	if _, err := New(p, stumpTracks(t), nil); err == nil || !strings.Contains(err.Error(), "one per dimension of the space (3)") {
		t.Errorf("window_step_vector of the wrong length: %v", err)
	}
	d, _ := task.NewDiscrete([]string{"a", "b"}, nil, nil, nil)
	if _, err := New(DefaultParams(), d, nil); err == nil {
		t.Error("oracle accepted a discrete space")
	}
}

func TestStartsAtTheEasyEnd(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), stumpTracks(t))
	pos, width := tc.Window()
	// Windows of range/6; the reference's steps +0.1 and −0.2 on Stump
	// Tracks are 1/30 of the ranges.
	for i, want := range []struct{ pos, width, step float64 }{
		{0, 0.5, 0.1},           // easy low: from the bottom up
		{5, 1, -0.2},            // easy high: from the top down
		{-1, 2.0 / 6, 2.0 / 30}, // unknown: treated as easy low
	} {
		if !near(pos[i], want.pos) || !near(width[i], want.width) || !near(tc.step[i], want.step) {
			t.Errorf("dimension %d: window at %v, width %v, step %v; want %v, %v, %v", i, pos[i], width[i], tc.step[i], want.pos, want.width, want.step)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for range 1000 {
		x := tc.Sample(rng).Params
		if x[0] < 0 || x[0] > 0.5 || x[1] < 5 || x[1] > 6 || x[2] < -1 || x[2] > -1+2.0/6 {
			t.Fatalf("task %v outside the starting window", x)
		}
	}
	// Explicit steps: the sign gives the direction and the starting end;
	// a zero step stays at the easy end.
	for _, tt := range []struct{ steps, want []float64 }{
		{[]float64{-0.1, 0.2, -0.1}, []float64{2.5, 0, 1 - 2.0/6}},
		{[]float64{0, 0, 0}, []float64{0, 5, -1}},
	} {
		p := DefaultParams()
		p.WindowStepVector = tt.steps
		pos, _ := newTeacher(t, p, stumpTracks(t)).Window()
		for i := range pos {
			if !near(pos[i], tt.want[i]) {
				t.Errorf("steps %v: window starts at %v, want %v", tt.steps, pos, tt.want)
				break
			}
		}
	}
}

func TestMovesOnlyAfterABlockAboveThreshold(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), stumpTracks(t))
	pos, _ := tc.Window()
	feed(tc, 49, 300)
	if tc.Moves() != 0 || pos[0] != 0 {
		t.Fatal("the window moved before the block was complete")
	}
	feed(tc, 1, 300)
	if tc.Moves() != 1 || !near(pos[0], 0.1) || !near(pos[1], 4.8) {
		t.Fatalf("after a block above the threshold the window is at %v, want (0.1, 4.8, …)", pos)
	}
	// A block whose mean equals the threshold does not move it (strict).
	feed(tc, 50, 230)
	// Blocks do not overlap: 30 poor episodes then 20 good ones average
	// (30·0 + 20·400)/50 = 160, below the threshold, although the last
	// 50 episodes of the next block are all good.
	feed(tc, 30, 0)
	feed(tc, 20, 400)
	if tc.Moves() != 1 || tc.Blocks() != 3 {
		t.Fatalf("%d moves over %d blocks, want 1 over 3", tc.Moves(), tc.Blocks())
	}
	feed(tc, 50, 231)
	if tc.Moves() != 2 || !near(pos[0], 0.2) {
		t.Fatalf("a block at 231 did not move the window (at %v)", pos)
	}
	// The score signal uses the normalised score.
	p := DefaultParams()
	p.Signal, p.RewardThr = "score", 0.5
	tc = newTeacher(t, p, stumpTracks(t))
	feed(tc, 50, 240) // score 0.8, return 240
	if tc.Moves() != 1 {
		t.Fatal("signal score: a block with score 0.8 > 0.5 did not move the window")
	}
}

func TestNeverLeavesTheSpace(t *testing.T) {
	b := stumpTracks(t)
	p := DefaultParams()
	p.WindowStepVector = []float64{0.7, -1.3, 0} // coarse steps overshoot the ends
	tc := newTeacher(t, p, b)
	rng := rand.New(rand.NewPCG(2, 2))
	pos, width := tc.Window()
	if pos[2] != -1 {
		t.Fatalf("a zero step on a dimension easy at its low end starts at %v, want -1", pos[2])
	}
	for range 100 {
		feed(tc, 50, 300)
		for range 20 {
			if x := tc.Sample(rng).Params; !b.Contains(x) {
				t.Fatalf("task %v outside %v", x, b)
			}
		}
	}
	if !near(pos[0], 3-width[0]) || pos[1] != 0 || pos[2] != -1 {
		t.Fatalf("after many good blocks the window is at %v, want (%v, 0, -1)", pos, 3-width[0])
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), stumpTracks(t))
	feed(tc, 49, 300)
	tc.Update(task.Task{}, task.Outcome{Return: math.NaN()})
	tc.Update(task.Task{}, task.Outcome{Return: math.Inf(-1)})
	if tc.Ignored() != 2 || tc.Blocks() != 0 {
		t.Fatalf("ignored %d, blocks %d; want 2 and 0", tc.Ignored(), tc.Blocks())
	}
	feed(tc, 1, 300)
	if tc.Moves() != 1 {
		t.Fatal("non-finite returns spoiled the block")
	}
}

func TestZeroWidthDimension(t *testing.T) {
	b, err := task.NewBox(task.Dim{Name: "h", Lo: 0, Hi: 3}, task.Dim{Name: "w", Lo: 0.25, Hi: 0.25, Easy: task.EasyHi})
	if err != nil {
		t.Fatal(err)
	}
	tc := newTeacher(t, DefaultParams(), b)
	rng := rand.New(rand.NewPCG(3, 3))
	for range 40 {
		feed(tc, 50, 300)
		x := tc.Sample(rng).Params
		if x[1] != 0.25 || !b.Contains(x) {
			t.Fatalf("task %v left the zero-width dimension", x)
		}
	}
}

func TestDeterminism(t *testing.T) {
	run := func() []float64 {
		tc := newTeacher(t, DefaultParams(), stumpTracks(t))
		rng := rand.New(rand.NewPCG(4, 4))
		var out []float64
		for i := range 1000 {
			tk := tc.Sample(rng)
			out = append(out, tk.Params...)
			tc.Update(tk, outcome(float64(i%500)))
		}
		return out
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("runs differ at %d: %v vs %v", i, a[i], b[i])
		}
	}
}

func TestNoAllocation(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), stumpTracks(t))
	rng := rand.New(rand.NewPCG(5, 5))
	step := func() { tc.Update(tc.Sample(rng), outcome(300)) }
	if a := testing.AllocsPerRun(1000, step); a != 0 {
		t.Errorf("Sample+Update allocates %v times per call", a)
	}
}

// BenchmarkSampleUpdate measures one Sample+Update on Stump Tracks' space.
func BenchmarkSampleUpdate(b *testing.B) {
	tc := newTeacher(b, DefaultParams(), stumpTracks(b))
	rng := rand.New(rand.NewPCG(6, 6))
	b.ReportAllocs()
	for b.Loop() {
		tc.Update(tc.Sample(rng), outcome(300))
	}
}
