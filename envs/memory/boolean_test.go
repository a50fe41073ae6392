package memory

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func mustBoolean(t testing.TB, mod func(*BooleanParams)) *Boolean {
	t.Helper()
	p := DefaultBooleanParams()
	if mod != nil {
		mod(&p)
	}
	f, err := NewBoolean(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestBooleanTargets(t *testing.T) {
	x := []float64{1, -1, -1, 1, -1, 1}
	for _, c := range []struct {
		target string
		degree int
		want   float64
	}{
		{"parity", 0, -1},   // full parity: three −1s
		{"parity", 2, -1},   // x0·x1
		{"parity", 3, 1},    // x0·x1·x2
		{"majority", 0, -1}, // sign(1 − 1 − 1)
		{"majority", 1, 1},
		{"majority", 5, -1}, // sign(1 −1 −1 +1 −1)
		// cyclic degree 3 on d = 6: products of (0,1,2) (1,2,3) (2,3,4)
		// (3,4,5) (4,5,0) (5,0,1) = 1 + 1 + 1 − 1 − 1 − 1.
		{"cyclic", 0, 0},
		// cyclic degree 2: x_i·x_{i+1} = −1 + 1 − 1 − 1 − 1 + 1.
		{"cyclic", 2, -2},
		// x0x1 − 1.25·x1x2 + 1.5·x2x0 = −1 − 1.25 − 1.5.
		{"threesym", 0, -3.75},
	} {
		f := mustBoolean(t, func(p *BooleanParams) { p.D, p.Target, p.Degree = 6, c.target, c.degree })
		if got := f.Target(x); got != c.want {
			t.Errorf("%s degree %d: f(%v) = %v, want %v", c.target, c.degree, x, got, c.want)
		}
	}
	// Cyclic with x0 = x1 = −1: the triples holding exactly one of them,
	// (4,5,0) and (1,2,3), are −1, the other four +1.
	cyc := mustBoolean(t, func(p *BooleanParams) { p.D, p.Target = 6, "cyclic" })
	if got := cyc.Target([]float64{-1, -1, 1, 1, 1, 1}); got != 2 {
		t.Errorf("cyclic of x0 = x1 = -1: %v, want 2", got)
	}
	// Full parity flips with every coordinate.
	f := mustBoolean(t, func(p *BooleanParams) { p.D = 16 })
	y := make([]float64, 16)
	for j := range y {
		y[j] = 1
	}
	for j := range y {
		want := f.Target(y) * -1
		y[j] = -1
		if got := f.Target(y); got != want {
			t.Fatalf("flipping x%d: parity %v, want %v", j, got, want)
		}
	}
}

// TestHammingBallIsUniform draws many inputs of the ball of radius 2 in
// dimension 5 (1 + 5 + 10 = 16 points) and checks that every point of the
// ball appears about equally often and that no point outside it does.
func TestHammingBallIsUniform(t *testing.T) {
	f := mustBoolean(t, func(p *BooleanParams) { p.D = 5 })
	data := f.NewData(nil)
	var b task.Batch
	counts := map[uint64]int{}
	const batches, size = 50, 640
	for s := range uint64(batches) {
		data.Batch(&b, task.Task{Index: 2, Seed: s}, size)
		for i := range size {
			m := mask(b.X[i*5 : (i+1)*5])
			if bits.OnesCount64(m) > 2 {
				t.Fatalf("input %v outside the ball of radius 2", b.X[i*5:(i+1)*5])
			}
			counts[m]++
		}
	}
	if len(counts) != 16 {
		t.Fatalf("%d distinct points, want the 16 of the ball", len(counts))
	}
	// Each point is hit n·(1/16) ± 4 standard deviations.
	n := float64(batches * size)
	mean, sd := n/16, math.Sqrt(n*(1.0/16)*(15.0/16))
	for m, c := range counts {
		if math.Abs(float64(c)-mean) > 4*sd {
			t.Errorf("point %05b drawn %d times, want %.0f ± %.0f", m, c, mean, 4*sd)
		}
	}
}

func TestBooleanRegions(t *testing.T) {
	f := mustBoolean(t, func(p *BooleanParams) { p.D = 12 })
	data := f.NewData(nil)
	var b task.Batch
	for _, c := range []struct {
		t      task.Task
		lo, hi int
		tgts   int
	}{
		{task.Task{Index: 0}, 0, 0, 1},
		{task.Task{Index: 3}, 0, 3, 1},
		{task.Task{Index: 5, Group: []int{2, 5, 4}}, 0, 5, 3},
		{task.Task{Params: []float64{4.5}}, 0, 5, 1}, // Box: rounded half up
		{task.Task{Params: []float64{7, 7}}, 7, 7, 1},
		{task.Task{Params: []float64{9, 12}}, 9, 12, 1},
		{task.Task{Params: []float64{12, 12}}, 12, 12, 1},
	} {
		seen := map[int]bool{}
		for s := range uint64(20) {
			c.t.Seed = s
			data.Batch(&b, c.t, 200)
			if b.Targets != c.tgts || b.SeqLen != 1 || b.InputSize != 12 {
				t.Fatalf("%v: %d targets, %d steps, %d inputs", c.t, b.Targets, b.SeqLen, b.InputSize)
			}
			for i := range b.Size {
				x := b.X[i*12 : (i+1)*12]
				w := bits.OnesCount64(mask(x))
				if w < c.lo || w > c.hi {
					t.Fatalf("%v: input of weight %d outside %d..%d", c.t, w, c.lo, c.hi)
				}
				seen[w] = true
				for k := range c.tgts {
					if b.Y[i*c.tgts+k] != f.Target(x) {
						t.Fatalf("%v: target %v, want f(x) = %v", c.t, b.Y[i*c.tgts+k], f.Target(x))
					}
				}
			}
		}
		// Shells in the region that hold at least 1/50 of it must appear.
		var total float64
		for w := c.lo; w <= c.hi; w++ {
			total += f.binom[w]
		}
		for w := c.lo; w <= c.hi; w++ {
			if f.binom[w]/total > 0.02 && !seen[w] {
				t.Errorf("%v: weight %d never drawn", c.t, w)
			}
		}
	}
}

func TestBooleanTrainingPool(t *testing.T) {
	f := mustBoolean(t, func(p *BooleanParams) { p.D = 10; p.TrainSize = 60 })
	data := f.NewData(rand.New(rand.NewPCG(5, 6))).(*BoolData)
	pool := map[uint64]bool{}
	for _, m := range data.Pool() {
		pool[m] = true
	}
	if len(data.Pool()) != 60 {
		t.Fatalf("pool of %d points, want 60", len(data.Pool()))
	}
	minW := bits.OnesCount64(data.Pool()[0])
	var b task.Batch
	for k := 0; k <= 10; k++ {
		data.Batch(&b, task.Task{Index: k, Seed: uint64(k)}, 300)
		for i := range b.Size {
			m := mask(b.X[i*10 : (i+1)*10])
			if !pool[m] {
				t.Fatalf("radius %d: training input %010b not in the pool", k, m)
			}
			// An empty ball widens to the smallest radius holding a
			// pool point, as the reference's first ball does.
			if w := bits.OnesCount64(m); w > max(k, minW) {
				t.Fatalf("radius %d: pool point of weight %d", k, w)
			}
		}
	}
	// Test regions sample the cube, and the unseen region avoids the pool.
	data.Batch(&b, task.Task{Params: []float64{0, 10, 1}, Seed: 1}, 2000)
	outside := 0
	for i := range b.Size {
		if !pool[mask(b.X[i*10:(i+1)*10])] {
			outside++
		}
	}
	if outside != b.Size {
		t.Errorf("unseen region: %d of %d inputs outside the pool, want all", outside, b.Size)
	}
	data.Batch(&b, task.Task{Params: []float64{0, 10}, Seed: 1}, 4000)
	inside := 0
	for i := range b.Size {
		if pool[mask(b.X[i*10:(i+1)*10])] {
			inside++
		}
	}
	if inside == 0 {
		t.Error("a test region never drew a pool point: it should sample the whole cube")
	}
}

// shellStudent reports an MSE equal to the lower weight of its region.
type shellStudent struct{ calls int }

func (s *shellStudent) Learn(task.Task) task.Outcome { panic("the family must not train") }
func (s *shellStudent) Evaluate(t task.Task) task.Outcome {
	s.calls++
	mse := t.Params[0]
	if len(t.Params) == 3 {
		mse = 100 // unseen region
	}
	return task.Outcome{Return: -mse, Score: math.Max(0, 1-mse), Success: mse < 1e-3, Steps: 1}
}

func TestBooleanEvaluate(t *testing.T) {
	f := mustBoolean(t, func(p *BooleanParams) { p.D = 6; p.EvalBatches = 2; p.MasteryMSE = 1.5 })
	s := &shellStudent{}
	e := task.Evaluate(f, s)
	if s.calls != 7*2 {
		t.Errorf("%d Evaluate calls, want 2 per shell", s.calls)
	}
	got := map[string]float64{}
	for i, n := range f.MetricNames() {
		got[n] = e.Extra[i]
	}
	// mse_w = w: the cube mixture is the mean weight d/2 = 3.
	if math.Abs(got["mse"]-3) > 1e-12 || math.Abs(e.ReturnMean+3) > 1e-12 {
		t.Errorf("cube MSE %v (return %v), want 3", got["mse"], e.ReturnMean)
	}
	// Outside the ball of radius 4: weights 5 and 6, 6 and 1 points.
	if want := (6*5 + 1*6) / 7.0; math.Abs(got["mse_out4"]-want) > 1e-12 {
		t.Errorf("mse_out4 = %v, want %v", got["mse_out4"], want)
	}
	if want := 192.0 / 63; math.Abs(got["mse_out0"]-want) > 1e-12 {
		t.Errorf("mse_out0 = %v, want %v", got["mse_out0"], want)
	}
	if got["mse_w5"] != 5 || !math.IsNaN(got["mse_unseen"]) {
		t.Errorf("mse_w5 = %v (want 5), mse_unseen = %v (want NaN without a pool)", got["mse_w5"], got["mse_unseen"])
	}
	// Shells 0 and 1 are below 1.5: 2 of 7 shells, 7 of 64 points.
	if math.Abs(e.Mastered-200.0/7) > 1e-9 || math.Abs(got["mastered_cube"]-700.0/64) > 1e-9 {
		t.Errorf("mastered %v%% (want %v), cube %v%% (want %v)", e.Mastered, 200.0/7, got["mastered_cube"], 700.0/64)
	}
	pooled := mustBoolean(t, func(p *BooleanParams) { p.D = 6; p.TrainSize = 10 })
	if e := task.Evaluate(pooled, &shellStudent{}); e.Extra[2] != 100 {
		t.Errorf("mse_unseen with a pool = %v, want the student's 100", e.Extra[2])
	}
	covered := mustBoolean(t, func(p *BooleanParams) { p.D = 3; p.TrainSize = 8 })
	if e := task.Evaluate(covered, &shellStudent{}); !math.IsNaN(e.Extra[2]) {
		t.Errorf("mse_unseen with a pool as large as the cube = %v, want NaN", e.Extra[2])
	}
}

func TestBooleanSpaces(t *testing.T) {
	f := mustBoolean(t, nil)
	s := f.Spaces()
	if len(s) != 2 || s[0].Kind() != task.DiscreteKind || s[1].Kind() != task.BoxKind {
		t.Fatalf("spaces %v: want the Discrete chain first, then the Box", s)
	}
	chain, box := s[0].(*task.Discrete), s[1].(*task.Box)
	if chain.Len() != 17 || chain.Name(0) != "k=0" || chain.Name(16) != "k=16" || len(chain.Edges()) != 16 {
		t.Errorf("chain: %d tasks %q..%q", chain.Len(), chain.Name(0), chain.Name(16))
	}
	if d := box.Dim(0); d.Lo != 0 || d.Hi != 16 || d.Easy != task.EasyLo {
		t.Errorf("box dimension %+v, want k in [0, 16], easy low", d)
	}
	if len(f.TestSet()) != 17 {
		t.Errorf("%d test tasks, want the 17 shells", len(f.TestSet()))
	}
}

func TestBooleanValidate(t *testing.T) {
	for _, c := range []struct {
		mod  func(*BooleanParams)
		want string
	}{
		{func(p *BooleanParams) { p.D = 0 }, "d ="},
		{func(p *BooleanParams) { p.D = MaxD + 1 }, "d ="},
		{func(p *BooleanParams) { p.Target = "xor" }, "target"},
		{func(p *BooleanParams) { p.Degree = 17 }, "degree"},
		{func(p *BooleanParams) { p.Target, p.Degree = "majority", 4 }, "degree"},
		{func(p *BooleanParams) { p.Target, p.Degree = "threesym", 2 }, "degree"},
		{func(p *BooleanParams) { p.Target, p.D = "threesym", 2 }, "threesym"},
		{func(p *BooleanParams) { p.TrainSize = -1 }, "train_size"},
		{func(p *BooleanParams) { p.D, p.TrainSize = 65, 10 }, "train_size"},
		{func(p *BooleanParams) { p.EvalBatches = 0 }, "eval_batches"},
		{func(p *BooleanParams) { p.MasteryMSE = 0 }, "mastery_mse"},
	} {
		p := DefaultBooleanParams()
		c.mod(&p)
		if _, err := NewBoolean(p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %s", p, err, c.want)
		}
	}
}

func TestBooleanBatchAllocatesNothing(t *testing.T) {
	for _, pool := range []int{0, 3000} {
		f := mustBoolean(t, func(p *BooleanParams) { p.TrainSize = pool })
		data := f.NewData(rand.New(rand.NewPCG(1, 1)))
		var b task.Batch
		tk := task.Task{Index: 8}
		data.Batch(&b, tk, 64)
		allocs := testing.AllocsPerRun(50, func() {
			tk.Seed++
			data.Batch(&b, tk, 64)
		})
		if allocs != 0 {
			t.Errorf("pool %d: Batch allocates %v times per call", pool, allocs)
		}
	}
}

func BenchmarkBooleanBatch(b *testing.B) {
	for _, pool := range []int{0, 3000} {
		f := mustBoolean(b, func(p *BooleanParams) { p.TrainSize = pool })
		data := f.NewData(rand.New(rand.NewPCG(1, 1)))
		name := "fresh"
		if pool > 0 {
			name = "pool"
		}
		b.Run(name+"/d=16/k=8", func(b *testing.B) {
			var bt task.Batch
			tk := task.Task{Index: 8}
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				tk.Seed++
				data.Batch(&bt, tk, 64)
				n += 64
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "examples/s")
		})
	}
}
