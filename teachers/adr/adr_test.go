package adr

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/task/tasktest"
)

// toyParams are thresholds on a [0, 1] reward scale.
func toyParams(mean ...float64) Params {
	p := DefaultParams()
	p.MaxRewardThr, p.MinRewardThr = 0.8, 0.2
	p.InitialMean = mean
	return p
}

func newTeacher(t testing.TB, p Params, space task.Space, seed uint64) *Teacher {
	t.Helper()
	tc, err := New(p, space, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func outcome(r float64) task.Outcome { return task.Outcome{Score: r, Return: r, Steps: 1} }

// play runs n episodes, each rewarded by reward(task).
func play(tc *Teacher, rng *rand.Rand, n int, reward func(x []float64) float64) {
	for range n {
		tk := tc.Sample(rng)
		tc.Update(tk, outcome(reward(tk.Params)))
	}
}

func constant(r float64) func([]float64) float64 { return func([]float64) float64 { return r } }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Params)
		err  string
	}{
		{func(p *Params) { p.StepSize = 0 }, "step_size = 0"},
		{func(p *Params) { p.StepUnit = "cells" }, `step_unit = "cells"`},
		{func(p *Params) { p.MaxRewardThr = math.NaN() }, "max_reward_thr = NaN"},
		{func(p *Params) { p.MinRewardThr = math.Inf(-1) }, "min_reward_thr = -Inf"},
		{func(p *Params) { p.MinRewardThr = 200 }, "min_reward_thr = 200 is above max_reward_thr = 180"},
		{func(p *Params) { p.BoundarySamplingP = 1.1 }, "boundary_sampling_p = 1.1"},
		{func(p *Params) { p.QueueLen = 0 }, "queue_len = 0"},
		{func(p *Params) { p.BoundaryTest = "close" }, `boundary_test = "close"`},
		{func(p *Params) { p.Signal = "success" }, `signal = "success"`},
		{func(p *Params) { p.InitialMean = []float64{math.NaN()} }, "initial_mean[0] = NaN"},
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
	rng := rand.New(rand.NewPCG(1, 1))
	if _, err := New(toyParams(0.5), tasktest.UnitBox(t, 2), rng); err == nil || !strings.Contains(err.Error(), "one per dimension") {
		t.Errorf("initial_mean of the wrong dimension: %v", err)
	}
	if _, err := New(toyParams(0.5, 2), tasktest.UnitBox(t, 2), rng); err == nil || !strings.Contains(err.Error(), "outside the space") {
		t.Errorf("initial_mean outside the space: %v", err)
	}
	d, _ := task.NewDiscrete([]string{"a", "b"}, nil, nil, nil)
	if _, err := New(DefaultParams(), d, rng); err == nil {
		t.Error("adr accepted a discrete space")
	}
}

func TestStartsAtOnePoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	tc := newTeacher(t, toyParams(0.3, 0.6), tasktest.UnitBox(t, 2), 2)
	for range 9 { // queues decide after 10 episodes
		x := tc.Sample(rng).Params
		if x[0] != 0.3 || x[1] != 0.6 {
			t.Fatalf("task %v, want the initial point (0.3, 0.6)", x)
		}
		tc.Update(task.Task{Params: x}, outcome(0.5))
	}
	// Without initial_mean the point is drawn from the stream, inside the
	// space, and depends on the seed.
	a := newTeacher(t, toyParams(), tasktest.UnitBox(t, 2), 3)
	b := newTeacher(t, toyParams(), tasktest.UnitBox(t, 2), 4)
	la, _ := a.Bounds()
	lb, _ := b.Bounds()
	if !a.box.Contains(la) || la[0] == lb[0] {
		t.Errorf("random starting points %v and %v", la, lb)
	}
}

func TestWidensAfterSuccessesAndShrinksAfterFailures(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	tc := newTeacher(t, toyParams(0.5, 0.5), tasktest.UnitBox(t, 2), 3)
	// Every dimension is a single point: every episode feeds all four
	// queues, which decide together after queue_len episodes.
	play(tc, rng, 10, constant(1))
	lo, hi := tc.Bounds()
	for i := range 2 {
		if !near(lo[i], 0.4) || !near(hi[i], 0.6) {
			t.Fatalf("after 10 successes the box is [%v, %v], want [0.4, 0.6]²", lo, hi)
		}
	}
	// Successes at the boundaries keep widening the box.
	play(tc, rng, 200, constant(1))
	if !(lo[0] < 0.4 && hi[0] > 0.6 && lo[1] < 0.4 && hi[1] > 0.6) {
		t.Fatalf("after 210 successes the box is [%v, %v], want it wider than [0.4, 0.6]²", lo, hi)
	}
	wideLo, wideHi := [2]float64{lo[0], lo[1]}, [2]float64{hi[0], hi[1]}
	// Failures everywhere narrow it again, inside the wide box; a bound
	// never passes the opposite one, even once the box is a point again.
	play(tc, rng, 1000, constant(0))
	for i := range 2 {
		if !(hi[i]-lo[i] < wideHi[i]-wideLo[i]) || lo[i] > hi[i] || lo[i] < wideLo[i] || hi[i] > wideHi[i] {
			t.Fatalf("after failures dimension %d is [%v, %v], want a narrower interval inside [%v, %v]", i, lo[i], hi[i], wideLo[i], wideHi[i])
		}
	}
	// Rewards between the thresholds move nothing.
	play(tc, rng, 50, constant(0.5))
	l0, h0 := lo[0], hi[0]
	moves := tc.Moves()
	play(tc, rng, 200, constant(0.5))
	if tc.Moves() != moves || lo[0] != l0 || hi[0] != h0 {
		t.Fatal("rewards between the thresholds moved a boundary")
	}
}

func TestBoundaryDirections(t *testing.T) {
	// Success only at the upper end of dimension 0 and failure elsewhere:
	// the upper bound of dimension 0 widens, its lower bound narrows.
	rng := rand.New(rand.NewPCG(4, 4))
	p := toyParams(0.5, 0.5)
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 4)
	play(tc, rng, 10, constant(1)) // [0.4, 0.6]²
	lo, hi := tc.Bounds()
	play(tc, rng, 400, func(x []float64) float64 {
		if x[0] >= hi[0]-1e-9 {
			return 1
		}
		return 0
	})
	if !(hi[0] > 0.6) || !(lo[0] > 0.4) {
		t.Fatalf("dimension 0 is [%v, %v], want its top above 0.6 and its bottom above 0.4", lo[0], hi[0])
	}
}

func TestRespectsGlobalBounds(t *testing.T) {
	b := tasktest.Box(t, [2]float64{0, 1}, [2]float64{-2, 3})
	for _, unit := range []string{"absolute", "range"} {
		p := toyParams(0.95, -1.97)
		p.StepUnit = unit
		p.StepSize = 0.3
		tc := newTeacher(t, p, b, 5)
		rng := rand.New(rand.NewPCG(5, 5))
		for range 3000 {
			tk := tc.Sample(rng)
			if !b.Contains(tk.Params) {
				t.Fatalf("%s: task %v outside %v", unit, tk.Params, b)
			}
			tc.Update(tk, outcome(1))
		}
		lo, hi := tc.Bounds()
		if lo[0] != 0 || hi[0] != 1 || lo[1] != -2 || hi[1] != 3 {
			t.Fatalf("%s: after 3000 successes the box is [%v, %v], want the whole space", unit, lo, hi)
		}
		// Once every side is capped, boundary sampling no longer pins.
		for range 100 {
			if x := tc.Sample(rng).Params; x[0] == 0 || x[0] == 1 || x[1] == -2 || x[1] == 3 {
				t.Fatalf("%s: task %v pinned to a capped boundary", unit, x)
			}
		}
	}
	// step_unit "range" scales the step by each dimension's range.
	p := toyParams(0.5, 0.5)
	p.StepUnit, p.StepSize = "range", 0.1
	tc := newTeacher(t, p, b, 6)
	play(tc, rand.New(rand.NewPCG(6, 6)), 10, constant(1))
	lo, hi := tc.Bounds()
	if !near(lo[0], 0.4) || !near(hi[0], 0.6) || !near(lo[1], 0) || !near(hi[1], 1) {
		t.Fatalf("range steps: box [%v, %v], want [0.4, 0.6] × [0, 1]", lo, hi)
	}
}

// pinnedTask samples until a task is pinned to the given side of dimension
// 0, feeding the other tasks with reward r, and returns a copy of it.
func pinnedTask(t *testing.T, tc *Teacher, rng *rand.Rand, side uint8, r float64) task.Task {
	t.Helper()
	for range 1000 {
		tk := tc.Sample(rng)
		if pins := tc.pins[((tc.next+remembered-1)%remembered)*tc.d:][:tc.d]; pins[0] == side {
			return tk.Clone()
		}
		tc.Update(tk, outcome(r))
	}
	t.Fatal("no task pinned to the requested side")
	return task.Task{}
}

func TestBoundaryCreditAfterBoundsMoved(t *testing.T) {
	for _, test := range []string{"pinned", "equality"} {
		p := toyParams(0.5, 0.5)
		p.BoundaryTest = test
		tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 7)
		rng := rand.New(rand.NewPCG(7, 7))
		play(tc, rng, 10, constant(1)) // [0.4, 0.6]²
		a := pinnedTask(t, tc, rng, onMax, 0.5)
		if a.Params[0] != 0.6 {
			t.Fatalf("task pinned to the top of dimension 0 has x0 = %v, want 0.6", a.Params[0])
		}
		// Other episodes move the top of dimension 0 while a is in
		// flight.
		_, hi := tc.Bounds()
		for hi[0] == 0.6 {
			tk := tc.Sample(rng)
			tc.Update(tk, outcome(1))
		}
		before := tc.maxQ[0].n
		tc.Update(a, outcome(1))
		credited := tc.maxQ[0].n == before+1 || tc.maxQ[0].n == 0 && before == p.QueueLen-1
		if credited != (test == "pinned") {
			t.Errorf("%s: a task pinned to a bound that moved was credited: %v", test, credited)
		}
		// A task whose value was rounded on its way (float32) is still
		// credited by its pin.
		b := pinnedTask(t, tc, rng, onMin, 0.5)
		if b.Params[0] == float64(float32(b.Params[0])) {
			t.Fatalf("bound %v is exact in float32: the test needs an inexact one", b.Params[0])
		}
		b.Params[0] = float64(float32(b.Params[0]))
		before = tc.minQ[0].n
		tc.Update(b, outcome(0.5))
		credited = tc.minQ[0].n == before+1
		if credited != (test == "pinned") {
			t.Errorf("%s: a pinned task rounded to float32 was credited: %v", test, credited)
		}
	}
}

func TestUnmatchedUpdates(t *testing.T) {
	tc := newTeacher(t, toyParams(0.5, 0.5), tasktest.UnitBox(t, 2), 8)
	rng := rand.New(rand.NewPCG(8, 8))
	tk := tc.Sample(rng)
	c := tk.Clone()
	c.Seed++
	tc.Update(c, outcome(1)) // never sampled
	tc.Update(tk, outcome(1))
	tc.Update(tk, outcome(1)) // already updated
	if tc.Unmatched() != 2 || tc.minQ[0].n != 1 {
		t.Fatalf("unmatched %d, queue %d; want 2 and 1", tc.Unmatched(), tc.minQ[0].n)
	}
	// Updates may come in any order among the remembered samples.
	ts := make([]task.Task, 5)
	for i := range ts {
		ts[i] = tc.Sample(rng).Clone()
	}
	for i := len(ts) - 1; i >= 0; i-- {
		tc.Update(ts[i], outcome(1))
	}
	if tc.Unmatched() != 2 || tc.minQ[0].n != 6 {
		t.Fatalf("out-of-order updates: unmatched %d, queue %d; want 2 and 6", tc.Unmatched(), tc.minQ[0].n)
	}
}

func TestBoundarySamplingOfCappedSides(t *testing.T) {
	// The bottom of dimension 0 is capped at the space's limit, the top is
	// not: boundary sampling still pins either side with probability 1/2.
	p := toyParams(0)
	p.BoundarySamplingP = 1
	tc := newTeacher(t, p, tasktest.Box(t, [2]float64{0, 1}), 9)
	rng := rand.New(rand.NewPCG(9, 9))
	play(tc, rng, 10, constant(1)) // [0, 0.1]
	atMin := 0
	const n = 4000
	for range n {
		tk := tc.Sample(rng)
		if tk.Params[0] == 0 {
			atMin++
		}
		tc.Update(tk, outcome(0.5))
	}
	if f := float64(atMin) / n; math.Abs(f-0.5) > 0.03 {
		t.Errorf("%.2f of tasks pinned to the capped side, want 0.5", f)
	}
}

func TestBadOutcomesAndZeroWidth(t *testing.T) {
	b := tasktest.Box(t, [2]float64{0, 1}, [2]float64{0.25, 0.25})
	tc := newTeacher(t, toyParams(), b, 10)
	rng := rand.New(rand.NewPCG(10, 10))
	tk := tc.Sample(rng)
	tc.Update(tk, task.Outcome{Return: math.NaN()})
	tc.Update(tk, task.Outcome{Return: math.Inf(1)})
	tc.Update(task.Task{Params: []float64{0.5}}, outcome(1))
	tc.Update(task.Task{Params: []float64{math.NaN(), 0.25}, Seed: tk.Seed}, outcome(1))
	if tc.Ignored() != 4 || tc.minQ[0].n != 0 || tc.minQ[1].n != 0 {
		t.Fatalf("ignored %d, queues %d, %d; want 4, 0, 0", tc.Ignored(), tc.minQ[0].n, tc.minQ[1].n)
	}
	for i := range 3000 {
		tk := tc.Sample(rng)
		if tk.Params[1] != 0.25 || !b.Contains(tk.Params) {
			t.Fatalf("task %v left the zero-width dimension", tk.Params)
		}
		tc.Update(tk, outcome(float64(i%2)))
	}
	lo, hi := tc.Bounds()
	if lo[1] != 0.25 || hi[1] != 0.25 || math.IsNaN(lo[0]) || math.IsNaN(hi[0]) {
		t.Fatalf("box [%v, %v]", lo, hi)
	}
}

func TestDeterminism(t *testing.T) {
	run := func() []float64 {
		tc := newTeacher(t, toyParams(), tasktest.UnitBox(t, 3), 11)
		rng := rand.New(rand.NewPCG(11, 11))
		var out []float64
		for range 2000 {
			tk := tc.Sample(rng)
			out = append(out, tk.Params...)
			tc.Update(tk, outcome(1-tk.Params[0]))
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

// loop is a steady-state driver on the unit square: the student succeeds on
// tasks below the diagonal x0 + x1 ≤ 1.
type loop struct {
	tc  *Teacher
	rng *rand.Rand
}

func (l loop) step() {
	tk := l.tc.Sample(l.rng)
	r := 0.0
	if tk.Params[0]+tk.Params[1] <= 1 {
		r = 1
	}
	l.tc.Update(tk, outcome(r))
}

func TestNoAllocation(t *testing.T) {
	for _, test := range []string{"pinned", "equality"} {
		p := toyParams(0, 0)
		p.BoundaryTest = test
		l := loop{newTeacher(t, p, tasktest.UnitBox(t, 2), 12), rand.New(rand.NewPCG(12, 12))}
		for range 1000 {
			l.step()
		}
		if a := testing.AllocsPerRun(1000, l.step); a != 0 {
			t.Errorf("%s: Sample+Update allocates %v times per call", test, a)
		}
	}
}

// BenchmarkSampleUpdate measures one Sample+Update in steady state on a 2-D
// space.
func BenchmarkSampleUpdate(b *testing.B) {
	l := loop{newTeacher(b, toyParams(0, 0), tasktest.UnitBox(b, 2), 1), rand.New(rand.NewPCG(1, 1))}
	for range 1000 {
		l.step()
	}
	b.ReportAllocs()
	for b.Loop() {
		l.step()
	}
}
