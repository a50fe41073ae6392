package mr

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete/discretetest"
)

func space(t testing.TB, names []string, edges [][2]int, lo, hi float64) *task.Discrete {
	t.Helper()
	es := make([]task.Edge, len(edges))
	for i, e := range edges {
		es[i] = task.Edge{From: e[0], To: e[1]}
	}
	los, his := make([]float64, len(names)), make([]float64, len(names))
	for i := range names {
		los[i], his[i] = lo, hi
	}
	d, err := task.NewDiscrete(names, es, los, his)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// bup is the BlockedUnlockPickup chain with the reference bounds [0, 0.5].
func bup(t testing.TB) *task.Discrete {
	return space(t, []string{"Unlock", "UnlockPickup", "BlockedUnlockPickup"}, [][2]int{{0, 1}, {1, 2}}, 0, 0.5)
}

// obstructedMaze is the ObstructedMaze graph in the reference's task order.
func obstructedMaze(t testing.TB) *task.Discrete {
	return space(t, []string{"1Dl", "1Dlh", "2Dl", "1Dlhb", "2Dlh", "2Dlhb", "1Q", "2Q", "Full"},
		[][2]int{{0, 1}, {0, 2}, {1, 3}, {1, 4}, {2, 4}, {3, 5}, {4, 5}, {5, 6}, {6, 7}, {7, 8}}, 0, 0.5)
}

func newTeacher(t testing.TB, p Params, d *task.Discrete) *Teacher {
	t.Helper()
	tc, err := New(p, d, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func near(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Fatalf("%s: %v, want %v (±%g)", what, got, want, tol)
		}
	}
}

// The test vectors of the reference digest (teachers-mr-syllabus.md §1.7).
func TestReferenceVectorsNoData(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), bup(t))
	near(t, "MR", tc.mr, []float64{0, 0, 0}, 0)
	near(t, "anc", tc.anc, []float64{1, 0, 0}, 0)
	near(t, "succ", tc.succ, []float64{0, 0, 0}, 0)
	near(t, "pre-attention", tc.pre, []float64{0.5, 0, 0}, 1e-15)
	// The proportional converter shifts the attention by 1e-8 in place.
	near(t, "attention", tc.att, []float64{0.38 + 1e-8, 0.02 + 1e-8, 1e-8}, 1e-15)
	near(t, "distribution", tc.Probabilities(nil), []float64{0.95, 0.05, 0}, 1e-7)
	if tc.step != 1 {
		t.Fatalf("teacher step %v after construction, want 1", tc.step)
	}
}

func TestReferenceVectorsMidTraining(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), bup(t))
	copy(tc.perf, []float64{0.45, 0.2, 0})
	copy(tc.lp.Values, []float64{0.001, 0.01, 0})
	tc.attention()
	near(t, "MR", tc.mr, []float64{0.9, 0.4, 0}, 1e-12)
	near(t, "na_lp", tc.naLP, []float64{0.1, 1, 0}, 1e-12)
	near(t, "anc", tc.anc, []float64{1, 0.9, 0.4}, 1e-12)
	near(t, "succ", tc.succ, []float64{0.4, 0, 0}, 1e-12)
	near(t, "pre-attention", tc.pre, []float64{0.06, 0.425153, 0.002048}, 1e-6)
	near(t, "attention", tc.att, []float64{0.110285, 0.329232, 0.018579}, 1e-6)
	tc.conv.Convert(tc.probs, tc.att, tc.p.Eps, tc.p.Tau, tc.rng)
	near(t, "distribution", tc.probs, []float64{0.240747, 0.718696, 0.040557}, 1e-6)
}

func TestReferenceVectorsObstructedMaze(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), obstructedMaze(t))
	near(t, "distribution", tc.Probabilities(nil), []float64{0.95, 0.025, 0.025, 0, 0, 0, 0, 0, 0}, 1e-6)
}

// literal is a direct transcription of the algorithm with transitive
// ancestor sets, to check the linear-time implementation against.
func literal(d *task.Discrete, mr, naLP []float64, p Params) []float64 {
	n := d.Len()
	pre := make([]float64, n)
	for i := range n {
		// All transitive ancestors by search.
		anc := 1.0
		seen := make([]bool, n)
		stack := slices.Clone(d.Predecessors(i))
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[j] {
				continue
			}
			seen[j] = true
			anc = min(anc, mr[j])
			stack = append(stack, d.Predecessors(j)...)
		}
		succ := 0.0
		if len(d.Successors(i)) > 0 {
			succ = 1
			for _, j := range d.Successors(i) {
				succ = min(succ, mr[j])
			}
		}
		ls := (1-p.PotProp)*naLP[i] + p.PotProp*(1-mr[i])
		pre[i] = math.Pow(anc, p.Power) * ls * (1 - succ)
	}
	// Reverse topological order by repeatedly taking a task all of whose
	// successors are done.
	att := slices.Clone(pre)
	done := make([]bool, n)
	for range n {
		for i := n - 1; i >= 0; i-- {
			if done[i] {
				continue
			}
			ready := true
			for _, s := range d.Successors(i) {
				ready = ready && done[s]
			}
			if !ready {
				continue
			}
			done[i] = true
			for _, side := range []struct {
				to   []int
				frac float64
			}{{d.Predecessors(i), p.AttPred}, {d.Successors(i), p.AttSucc}} {
				share := side.frac * att[i]
				if len(side.to) == 0 && p.KeepBoundary {
					continue
				}
				att[i] -= share
				for _, j := range side.to {
					att[j] += share / float64(len(side.to))
				}
			}
			break
		}
	}
	return att
}

func TestAttentionMatchesLiteralOnRandomDAGs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 200 {
		n := 1 + rng.IntN(12)
		names := make([]string, n)
		var edges [][2]int
		for i := range n {
			names[i] = string(rune('a' + i))
			for j := range i { // edges only from lower to higher index: acyclic
				if rng.Float64() < 0.3 {
					edges = append(edges, [2]int{j, i})
				}
			}
		}
		// Shuffle the task order so that topological and index order differ.
		perm := rng.Perm(n)
		pn := make([]string, n)
		for i, j := range perm {
			pn[j] = names[i]
		}
		for k := range edges {
			edges[k] = [2]int{perm[edges[k][0]], perm[edges[k][1]]}
		}
		d := space(t, pn, edges, 0, 1)
		p := DefaultParams()
		p.KeepBoundary = trial%2 == 1
		p.PotProp = rng.Float64()
		p.Power = float64(1 + rng.IntN(7))
		tc := newTeacher(t, p, d)
		for i := range n {
			tc.perf[i] = rng.Float64()
			tc.lp.Values[i] = rng.NormFloat64()
		}
		tc.attention()
		want := literal(d, tc.mr, tc.naLP, p)
		near(t, "attention", tc.att, want, 1e-12)
	}
}

func TestRunningBoundsAndSmoothing(t *testing.T) {
	tc := newTeacher(t, DefaultParams(), bup(t))
	// Nine returns of 0.8 on task 0: the mean exceeds the prior max 0.5 but
	// the bounds do not move before mr_k = 10 entries, so perf is clipped.
	for range 9 {
		tc.Update(task.Task{Index: 0}, task.Outcome{Return: 0.8, Score: 0.8, Steps: 1})
	}
	if tc.maxPerf[0] != 0.5 || tc.perf[0] != 0.5 || tc.mr[0] != 1 {
		t.Fatalf("before mr_k entries: max %v perf %v MR %v", tc.maxPerf[0], tc.perf[0], tc.mr[0])
	}
	tc.Update(task.Task{Index: 0}, task.Outcome{Return: 0.6, Score: 0.6, Steps: 1})
	if want := (9*0.8 + 0.6) / 10; math.Abs(tc.maxPerf[0]-want) > 1e-12 || tc.perf[0] != tc.maxPerf[0] {
		t.Fatalf("after mr_k entries: max %v perf %v, want %v", tc.maxPerf[0], tc.perf[0], want)
	}
	// The linreg estimate is the OLS slope of the last 10 entries against
	// their teacher steps 2..11: nine 0.8 then 0.6.
	xs := []float64{2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	ys := []float64{0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.6}
	if got, want := tc.lp.Values[0], ols(xs, ys); math.Abs(got-want) > 1e-12 {
		t.Fatalf("lp %v, want %v", got, want)
	}
	// A new low window mean only lowers min once there are mr_k entries.
	for range 10 {
		tc.Update(task.Task{Index: 1}, task.Outcome{Return: 0, Steps: 1})
	}
	if tc.minPerf[1] != 0 || tc.perf[1] != 0 {
		t.Fatalf("task 1: min %v perf %v", tc.minPerf[1], tc.perf[1])
	}
}

func ols(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	return sxy / sxx
}

func TestUpdateEveryAveragesPerTask(t *testing.T) {
	p := DefaultParams()
	p.UpdateEvery = 3
	tc := newTeacher(t, p, bup(t))
	before := tc.Probabilities(nil)
	tc.Update(task.Task{Index: 0}, task.Outcome{Return: 0.2, Steps: 1})
	tc.Update(task.Task{Index: 1}, task.Outcome{Return: 0.1, Steps: 1})
	if !slices.Equal(before, tc.Probabilities(nil)) || tc.step != 1 {
		t.Fatal("the distribution changed before update_every outcomes")
	}
	tc.Update(task.Task{Index: 0}, task.Outcome{Return: 0.4, Steps: 1})
	if tc.step != 2 || tc.hist.Count(0) != 1 || tc.hist.Count(1) != 1 || tc.hist.Count(2) != 0 {
		t.Fatalf("step %v counts %d %d %d", tc.step, tc.hist.Count(0), tc.hist.Count(1), tc.hist.Count(2))
	}
	if s, v := tc.hist.Back(0, 0); s != 2 || math.Abs(v-0.3) > 1e-15 {
		t.Fatalf("task 0 entry (%v, %v), want (2, 0.3)", s, v)
	}
}

func TestBadOutcomesAreIgnored(t *testing.T) {
	p := DefaultParams()
	p.Signal = "score"
	a := newTeacher(t, p, bup(t))
	b := newTeacher(t, p, bup(t))
	bad := []struct {
		tk task.Task
		o  task.Outcome
	}{
		{task.Task{Index: 0}, task.Outcome{Score: math.NaN(), Steps: 1}},
		{task.Task{Index: 0}, task.Outcome{Score: 1.5, Steps: 1}},
		{task.Task{Index: 0}, task.Outcome{Score: -0.1, Steps: 1}},
		{task.Task{Index: 3}, task.Outcome{Score: 0.5, Steps: 1}},
		{task.Task{Index: -1}, task.Outcome{Score: 0.5, Steps: 1}},
		{task.Task{Params: []float64{0}}, task.Outcome{Score: 0.5, Steps: 1}},
	}
	for k := range 30 {
		good := task.Outcome{Score: float64(k%7) / 7, Steps: 1}
		a.Update(task.Task{Index: k % 3}, good)
		b.Update(task.Task{Index: k % 3}, good)
		x := bad[k%len(bad)]
		a.Update(x.tk, x.o)
	}
	if a.Ignored() != 30 || b.Ignored() != 0 {
		t.Fatalf("ignored %d and %d", a.Ignored(), b.Ignored())
	}
	if !slices.Equal(a.Probabilities(nil), b.Probabilities(nil)) {
		t.Fatal("ignored outcomes changed the distribution")
	}
	pr := DefaultParams() // signal = return
	c := newTeacher(t, pr, bup(t))
	c.Update(task.Task{Index: 0}, task.Outcome{Return: math.Inf(1), Steps: 1})
	c.Update(task.Task{Index: 0}, task.Outcome{Return: 7, Score: 0.5, Steps: 1}) // any finite return is usable
	if c.Ignored() != 1 {
		t.Fatalf("ignored %d", c.Ignored())
	}
}

// run teaches a fresh learner for n episodes and returns the number of
// mastered tasks.
func run(teacher task.Teacher, d *task.Discrete, n int, seed uint64) int {
	l := discretetest.NewLearner(d, 0.02, 0.8)
	rng := rand.New(rand.NewPCG(seed, 3))
	for range n {
		tk := teacher.Sample(rng)
		teacher.Update(tk, l.Learn(tk))
	}
	return l.Mastered()
}

type uniform struct{ n int }

func (u uniform) Sample(rng *rand.Rand) task.Task { return task.Task{Index: rng.IntN(u.n)} }
func (u uniform) Update(task.Task, task.Outcome)  {}

func TestFollowsPrerequisites(t *testing.T) {
	d := discretetest.Chain(10)
	tc := newTeacher(t, DefaultParams(), d)
	got := run(tc, d, 1500, 1)
	random := run(uniform{10}, d, 1500, 1)
	if got < 8 || got <= random {
		t.Fatalf("MR mastered %d of 10 chain tasks in 1500 episodes, random %d", got, random)
	}
}

func TestDeterministic(t *testing.T) {
	d := discretetest.Tree(31)
	p := DefaultParams()
	p.Estimator = "sampling"
	p.Converter = "greedy-argmax"
	seq := func() []int {
		tc, _ := New(p, d, rand.New(rand.NewPCG(7, 7)))
		l := discretetest.NewLearner(d, 0.05, 0.8)
		rng := rand.New(rand.NewPCG(7, 7))
		var out []int
		for range 2000 {
			tk := tc.Sample(rng)
			tc.Update(tk, l.Learn(tk))
			out = append(out, tk.Index)
		}
		return out
	}
	if a, b := seq(), seq(); !slices.Equal(a, b) {
		t.Fatal("same seeds, different task sequences")
	}
}

func TestNoAllocation(t *testing.T) {
	for _, est := range []string{"linreg", "online", "sampling"} {
		d := discretetest.Tree(100)
		p := DefaultParams()
		p.Estimator = est
		tc := newTeacher(t, p, d)
		rng := rand.New(rand.NewPCG(1, 1))
		k := 0
		if a := testing.AllocsPerRun(500, func() {
			tk := tc.Sample(rng)
			tc.Update(tk, task.Outcome{Return: float64(k%10) / 10, Score: 0.5, Steps: 1})
			k++
		}); a != 0 {
			t.Fatalf("%s: %v allocations per Sample+Update", est, a)
		}
	}
}

func TestBadParams(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.Estimator = "ema" }, `estimator = "ema": want online, naive, window, linreg or sampling`},
		{func(p *Params) { p.Converter = "prop" }, `converter = "prop"`},
		{func(p *Params) { p.Signal = "success" }, `signal = "success": want return or score`},
		{func(p *Params) { p.Alpha = 0 }, "alpha ="},
		{func(p *Params) { p.K = 1 }, "k = 1"},
		{func(p *Params) { p.MRK = 0 }, "mr_k = 0"},
		{func(p *Params) { p.Power = math.Inf(1) }, "power ="},
		{func(p *Params) { p.PotProp = 1.5 }, "pot_prop ="},
		{func(p *Params) { p.AttPred = -0.1 }, "att_pred ="},
		{func(p *Params) { p.AttSucc = 2 }, "att_succ ="},
		{func(p *Params) { p.Eps = math.NaN() }, "eps ="},
		{func(p *Params) { p.Tau = 0 }, "tau ="},
		{func(p *Params) { p.UpdateEvery = 0 }, "update_every = 0"},
	} {
		p := DefaultParams()
		tc.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error containing %q", p, err, tc.want)
		}
	}
	box, _ := task.NewBox(task.Dim{Name: "x", Lo: 0, Hi: 1})
	if _, err := New(DefaultParams(), box, rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), "discrete") {
		t.Fatalf("New on a box: %v", err)
	}
}

// BenchmarkSampleUpdate measures one Sample and one Update (a teacher step
// with update_every = 1) on chains and binary trees of 10, 100 and 1000
// tasks.
func BenchmarkSampleUpdate(b *testing.B) {
	discretetest.BenchmarkSampleUpdate(b, func(b *testing.B, d *task.Discrete) task.Teacher {
		return newTeacher(b, DefaultParams(), d)
	})
}
