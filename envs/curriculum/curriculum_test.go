package curriculum

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/students/synthetic"
	"github.com/teachbench/teachbench/task"
)

func newFamily(t testing.TB, mod func(*Params)) *Family {
	t.Helper()
	p := DefaultParams()
	p.Noise = 0
	if mod != nil {
		mod(&p)
	}
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func streams(seed uint64) task.Streams {
	return task.Streams{Env: rand.New(rand.NewPCG(seed, 1))}
}

func practise(s task.Student, i, n int) task.Outcome {
	var o task.Outcome
	for range n {
		o = s.Learn(task.Task{Index: i})
	}
	return o
}

// untilMastered practises task i until its evaluated score reaches mastery
// and returns the number of episodes it took (capped at limit).
func untilMastered(f *Family, s task.Student, i, limit int) int {
	for n := 1; n <= limit; n++ {
		s.Learn(task.Task{Index: i})
		if f.Mastered(task.Task{Index: i}, s.Evaluate(task.Task{Index: i})) {
			return n
		}
	}
	return limit
}

func TestScoreCurve(t *testing.T) {
	f := newFamily(t, nil)
	if f.Score(0) != 0 || f.Score(1) != 1 || math.Abs(f.Score(0.5)-0.5) > 1e-12 {
		t.Fatalf("score(0, 0.5, 1) = %v, %v, %v", f.Score(0), f.Score(0.5), f.Score(1))
	}
	prev := -1.0
	for s := 0.0; s <= 1; s += 0.01 {
		v := f.Score(s)
		if v < prev || v < 0 || v > 1 {
			t.Fatalf("score not monotone in [0,1] at %v: %v after %v", s, v, prev)
		}
		prev = v
	}
	// The documented landmarks of the default curve.
	if f.Score(0.2) > 0.05 || f.Score(0.70) >= 0.9 || f.Score(0.72) < 0.9 {
		t.Fatalf("score(0.2) = %v, score(0.70) = %v, score(0.72) = %v", f.Score(0.2), f.Score(0.70), f.Score(0.72))
	}
}

func TestPrerequisitesGateLearning(t *testing.T) {
	f := newFamily(t, func(p *Params) { p.Graph = "chain-3" })
	s := f.NewStudent(streams(1)).(*Student)
	// c2 and c3 are locked: practising them is wasted.
	practise(s, 1, 500)
	practise(s, 2, 500)
	if s.Skill(1) != 0 || s.Skill(2) != 0 {
		t.Fatalf("locked tasks learned: skills %v, %v", s.Skill(1), s.Skill(2))
	}
	// The root learns at the full rate: s = 1 − (1 − rate)^n.
	practise(s, 0, 50)
	if want := 1 - math.Pow(0.99, 50); math.Abs(s.Skill(0)-want) > 1e-12 {
		t.Fatalf("root skill after 50 episodes %v, want %v", s.Skill(0), want)
	}
	// Half-learned prerequisite: c2 learns at rate·gate with gate = score(c1)/mastery.
	gate := f.Score(s.Skill(0)) / 0.9
	if g := s.Gate(1); math.Abs(g-gate) > 1e-15 || g <= 0 || g >= 1 {
		t.Fatalf("gate of c2 = %v, want %v in (0, 1)", g, gate)
	}
	o := s.Learn(task.Task{Index: 1})
	if o.Score != 0 || math.Abs(s.Skill(1)-0.01*gate) > 1e-15 {
		t.Fatalf("c2 after one half-gated episode: skill %v, want %v (outcome %+v)", s.Skill(1), 0.01*gate, o)
	}
	// Once c1 is mastered the gate is 1 and c3 is still locked behind c2.
	untilMastered(f, s, 0, 10000)
	if s.Gate(1) != 1 || s.Gate(2) != f.Score(s.Skill(1))/0.9 {
		t.Fatalf("gates %v, %v", s.Gate(1), s.Gate(2))
	}
	if n := untilMastered(f, s, 1, 10000); n > 200 {
		t.Fatalf("c2 took %d episodes once unlocked", n)
	}
	if n := untilMastered(f, s, 2, 10000); n > 200 {
		t.Fatalf("c3 took %d episodes once unlocked", n)
	}
	var e = f.Evaluate(s)
	if e.Mastered != 100 || e.SuccessRate != 100 {
		t.Fatalf("evaluation after mastering the chain: %+v", e)
	}
	// 1000 of the episodes were spent on locked tasks.
	if want := 100 * 1000 / float64(s.now); math.Abs(e.Extra[0]-want) > 1e-9 {
		t.Fatalf("locked_pct %v, want %v", e.Extra[0], want)
	}
}

func TestJoinNeedsAllPrerequisites(t *testing.T) {
	f := newFamily(t, func(p *Params) { p.Graph = "obstructedmaze" })
	s := f.NewStudent(streams(1)).(*Student)
	d := f.Graph().Space
	i1Dl, i1Dlh, i2Dl, i2Dlh := d.Index("1Dl"), d.Index("1Dlh"), d.Index("2Dl"), d.Index("2Dlh")
	untilMastered(f, s, i1Dl, 10000)
	untilMastered(f, s, i1Dlh, 10000)
	practise(s, i2Dlh, 300)
	if s.Skill(i2Dlh) != 0 {
		t.Fatal("2Dlh learned with 2Dl unpractised")
	}
	untilMastered(f, s, i2Dl, 10000)
	if s.Gate(i2Dlh) != 1 {
		t.Fatalf("gate of 2Dlh %v with both prerequisites mastered", s.Gate(i2Dlh))
	}
}

func TestDistractorsNeverLearn(t *testing.T) {
	f := newFamily(t, func(p *Params) { p.Graph = "chain-3+distractors-2"; p.Noise = 0.1 })
	if len(f.TestSet()) != 3 {
		t.Fatalf("test set has %d tasks: distractors must not be tested", len(f.TestSet()))
	}
	s := f.NewStudent(streams(2)).(*Student)
	for range 2000 {
		if o := s.Learn(task.Task{Index: 3}); !(o.Score >= 0 && o.Score <= 1) {
			t.Fatalf("outcome %+v", o)
		}
		s.Learn(task.Task{Index: 4})
	}
	if s.Skill(3) != 0 || s.Skill(4) != 0 || s.Rate(3) != 0 {
		t.Fatalf("distractor skills %v, %v", s.Skill(3), s.Skill(4))
	}
	if e := f.Evaluate(s); e.Extra[0] != 100 || e.Mastered != 0 {
		t.Fatalf("after practising only distractors: %+v", e)
	}
}

func TestForgetting(t *testing.T) {
	f := newFamily(t, func(p *Params) { p.Graph = "chain-2"; p.Forget = 0.01 })
	s := f.NewStudent(streams(3)).(*Student)
	practise(s, 0, 300)
	peak := s.Skill(0)
	// 100 episodes elsewhere decay c1 by (1 − 0.01)^100, and the decay is
	// visible both through Skill and through Evaluate.
	practise(s, 1, 100)
	want := peak * math.Pow(0.99, 100)
	if got := s.Skill(0); math.Abs(got-want) > 1e-12 {
		t.Fatalf("skill after 100 unpractised episodes %v, want %v", got, want)
	}
	if o := s.Evaluate(task.Task{Index: 0}); math.Abs(o.Score-f.Score(want)) > 1e-12 {
		t.Fatalf("evaluated %v, want %v", o.Score, f.Score(want))
	}
	// Forgetting the prerequisite slows its successor.
	if s.Gate(1) >= 1 {
		t.Fatalf("gate %v after forgetting", s.Gate(1))
	}
	// Practice restarts from the decayed value.
	practise(s, 0, 1)
	if got, w := s.Skill(0), want+0.01*(1-want); math.Abs(got-w) > 1e-12 {
		t.Fatalf("after one more episode %v, want %v", got, w)
	}
	// Without forgetting, nothing decays.
	g := newFamily(t, func(p *Params) { p.Graph = "chain-2" })
	s2 := g.NewStudent(streams(3)).(*Student)
	practise(s2, 0, 300)
	v := s2.Skill(0)
	practise(s2, 1, 1000)
	if s2.Skill(0) != v {
		t.Fatal("skill decayed with forget = 0")
	}
}

func TestTransfer(t *testing.T) {
	f := newFamily(t, func(p *Params) { p.Graph = "chain-3"; p.Transfer = 0.5 })
	s := f.NewStudent(streams(4)).(*Student)
	practise(s, 0, 200) // c1 mastered; c2 got transfer from c1's practice
	if s.Skill(1) == 0 || s.Skill(2) != 0 {
		t.Fatalf("transfer from c1: c2 %v (want > 0), c3 %v (want 0: locked)", s.Skill(1), s.Skill(2))
	}
	c1 := s.Skill(0)
	practise(s, 1, 1)
	if s.Skill(0) <= c1 {
		t.Fatal("practising c2 did not transfer back to c1")
	}
}

func TestDeterminismAndEvaluateIsPure(t *testing.T) {
	f := newFamily(t, func(p *Params) {
		p.Graph = "tree"
		p.Noise = 0.2
		p.RateSpread = 0.5
		p.Forget = 0.001
		p.Transfer = 0.1
	})
	run := func() []float64 {
		s := f.NewStudent(streams(5))
		pick := rand.New(rand.NewPCG(9, 9))
		var out []float64
		for range 5000 {
			i := pick.IntN(f.Graph().Space.Len())
			out = append(out, s.Learn(task.Task{Index: i}).Score)
			if i%3 == 0 { // evaluations in between must not change anything
				f.Evaluate(s)
			}
		}
		return out
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("episode %d: %v vs %v", i, a[i], b[i])
		}
	}
	// Evaluate draws nothing from the env stream and learns nothing.
	env := rand.New(rand.NewPCG(7, 7))
	s := f.NewStudent(task.Streams{Env: env}).(*Student)
	practise(s, 0, 100)
	before := *env
	sk := s.Skill(0)
	for range 100 {
		s.Evaluate(task.Task{Index: 0})
		s.Evaluate(task.Task{Index: 3})
	}
	if *env != before || s.Skill(0) != sk {
		t.Fatal("Evaluate changed the stream or the student")
	}
}

func TestNoiseIsUnbiasedAwayFromBounds(t *testing.T) {
	f := newFamily(t, func(p *Params) { p.Graph = "chain-1"; p.Noise = 0.05; p.Rate = 1e-9 })
	s := f.NewStudent(streams(6)).(*Student)
	s.skill[0] = 0.5
	var diff float64
	const n = 20000
	for range n {
		truth := s.Evaluate(task.Task{Index: 0}).Score
		diff += s.Learn(task.Task{Index: 0}).Score - truth
	}
	if bias := diff / n; math.Abs(bias) > 0.002 {
		t.Fatalf("mean noise %v, want ≈ 0", bias)
	}
}

func TestTestSets(t *testing.T) {
	for _, tc := range []struct {
		graph, test string
		want        []int
	}{
		{"chain-4", "all", []int{0, 1, 2, 3}},
		{"chain-4", "targets", []int{3}},
		{"obstructedmaze+distractors-2", "targets", []int{8}},
		{"tree-2-2", "targets", []int{3, 4, 5, 6}},
	} {
		f := newFamily(t, func(p *Params) { p.Graph = tc.graph; p.Test = tc.test })
		var got []int
		for _, tk := range f.TestSet() {
			got = append(got, tk.Index)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s/%s: test set %v, want %v", tc.graph, tc.test, got, tc.want)
			continue
		}
		for k := range got {
			if got[k] != tc.want[k] {
				t.Errorf("%s/%s: test set %v, want %v", tc.graph, tc.test, got, tc.want)
				break
			}
		}
	}
}

func TestCustomGraphAndBounds(t *testing.T) {
	f := newFamily(t, func(p *Params) {
		p.Graph = "custom"
		p.Tasks = []string{"walk", "run", "juggle"}
		p.Edges = []string{"walk->run"}
		p.Max = []float64{0.5, 0.5, 1}
		p.Unlearnable = []string{"juggle"}
	})
	d := f.Spaces()[0].(*task.Discrete)
	if _, hi := d.Bounds(1); hi != 0.5 || len(f.TestSet()) != 2 {
		t.Fatalf("bounds %v, %d test tasks", hi, len(f.TestSet()))
	}
}

func TestBadParams(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.Graph = "" }, "graph is empty"},
		{func(p *Params) { p.Graph = "chian-10" }, `graph: unknown graph "chian-10"`},
		{func(p *Params) { p.Tasks = []string{"a"} }, `set graph = "custom"`},
		{func(p *Params) { p.Graph = "custom" }, "tasks is empty"},
		{func(p *Params) {
			p.Graph, p.Tasks, p.Edges = "custom", []string{"a", "b"}, []string{"a->b", "b->a"}
		}, "cycle: a → b → a"},
		{func(p *Params) { p.Graph, p.Tasks, p.Edges = "custom", []string{"a", "b"}, []string{"a->c"} }, `edges[0] = "a->c": unknown task "c"`},
		{func(p *Params) { p.Graph, p.Tasks, p.Min = "custom", []string{"a"}, []float64{2} }, "min[0] = 2, max[0] = 1"},
		{func(p *Params) {
			p.Graph, p.Tasks, p.Unlearnable = "custom", []string{"a"}, []string{"a"}
		}, "no learnable task"},
		{func(p *Params) { p.Test = "leaves" }, "test ="},
		{func(p *Params) { p.Mastery = 1 }, "mastery ="},
		{func(p *Params) { p.Rate = 0 }, "rate ="},
		{func(p *Params) { p.RateDepth = -1 }, "rate_depth ="},
		{func(p *Params) { p.RateSpread = math.NaN() }, "rate_spread ="},
		{func(p *Params) { p.Noise = -0.1 }, "noise ="},
		{func(p *Params) { p.Forget = 1 }, "forget ="},
		{func(p *Params) { p.Transfer = 2 }, "transfer ="},
		{func(p *Params) { p.Centre = 0 }, "centre ="},
		{func(p *Params) { p.Width = 0 }, "width ="},
	} {
		p := DefaultParams()
		tc.mod(&p)
		_, err := New(p)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error containing %q", p, err, tc.want)
		}
	}
}

func TestSyntheticStudentDrivesIt(t *testing.T) {
	f := newFamily(t, nil)
	if !synthetic.Accepts(f) {
		t.Fatal("the synthetic student does not accept the family")
	}
	s, err := synthetic.New(synthetic.Params{}, f, streams(1))
	if err != nil {
		t.Fatal(err)
	}
	// A perfect teacher: each task in order until mastered.
	total := 0
	for i := range 10 {
		total += untilMastered(f, s, i, 10000)
	}
	e := task.Evaluate(f, s)
	if e.Mastered != 100 || total > 10*130 || total < 10*100 {
		t.Fatalf("perfect curriculum: %d episodes, evaluation %+v", total, e)
	}
	if names := task.MetricNames(f); len(names) != len(e.Extra) {
		t.Fatalf("metric names %v for %d values", names, len(e.Extra))
	}
}

func TestLearnDoesNotAllocate(t *testing.T) {
	f := newFamily(t, func(p *Params) { p.Graph = "obstructedmaze"; p.Noise = 0.1; p.Forget = 0.001; p.Transfer = 0.1 })
	s := f.NewStudent(streams(1))
	i := 0
	if a := testing.AllocsPerRun(1000, func() {
		s.Learn(task.Task{Index: i % 9})
		s.Evaluate(task.Task{Index: (i + 3) % 9})
		i++
	}); a != 0 {
		t.Fatalf("%v allocations per episode", a)
	}
}

func TestBadTaskPanics(t *testing.T) {
	f := newFamily(t, nil)
	s := f.NewStudent(streams(1))
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "not a task") {
			t.Fatalf("recovered %v", r)
		}
	}()
	s.Learn(task.Task{Index: 10})
}

// BenchmarkLearn measures one episode of the model.
func BenchmarkLearn(b *testing.B) {
	for _, tc := range []struct {
		name string
		mod  func(*Params)
	}{
		{"chain-10", nil},
		{"obstructedmaze+forget+transfer", func(p *Params) { p.Graph = "obstructedmaze"; p.Forget = 0.001; p.Transfer = 0.1 }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p := DefaultParams()
			if tc.mod != nil {
				tc.mod(&p)
			}
			f, err := New(p)
			if err != nil {
				b.Fatal(err)
			}
			s := f.NewStudent(streams(1))
			n := f.Graph().Space.Len()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				s.Learn(task.Task{Index: i % n})
				i++
			}
		})
	}
}

// BenchmarkRun100k is the family's share of a 100,000-episode run on the
// default chain-10 model, with random tasks and 100 evaluations.
func BenchmarkRun100k(b *testing.B) {
	f, err := New(DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s := f.NewStudent(streams(1))
		pick := rand.New(rand.NewPCG(1, 2))
		for e := range 100_000 {
			s.Learn(task.Task{Index: pick.IntN(10)})
			if e%1000 == 0 {
				f.Evaluate(s)
			}
		}
	}
}
