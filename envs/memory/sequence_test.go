package memory

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func mustParity(t testing.TB, mod func(*ParityParams)) *Sequence {
	t.Helper()
	p := DefaultParityParams()
	if mod != nil {
		mod(&p)
	}
	f, err := NewParity(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustDMS(t testing.TB, mod func(*DMSParams)) *Sequence {
	t.Helper()
	p := DefaultDMSParams()
	if mod != nil {
		mod(&p)
	}
	f, err := NewDMS(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestLabelsOfHandMadeSequences(t *testing.T) {
	for _, c := range []struct {
		name string
		kind int
		x    []float64
		n    int
		want float64
	}{
		{"parity last 2 of 1,1", parityTask, []float64{0, 0, 1, 1}, 2, 0},
		{"parity last 2 of 0,1", parityTask, []float64{1, 1, 0, 1}, 2, 1},
		{"parity ignores older bits", parityTask, []float64{1, 1, 1, 0, 0, 0}, 3, 0},
		{"parity last 3 odd", parityTask, []float64{0, 1, 0, 1, 1, 1}, 3, 1},
		{"parity all of 5", parityTask, []float64{1, 1, 1, 1, 1}, 5, 1},
		// DMS compares x[M−N] with x[M−1]: for N = 2 the last two bits.
		{"dms N=2 match", dmsTask, []float64{0, 1, 1, 1}, 2, 1},
		{"dms N=2 differ", dmsTask, []float64{1, 1, 0, 1}, 2, 0},
		// N = 3, M = 6: x[3] vs x[5]; x[4] (N−1 = 2 steps back is x[3]) and
		// x[2] (one step too far) must not matter.
		{"dms N=3 exact offset match", dmsTask, []float64{0, 0, 0, 1, 0, 1}, 3, 1},
		{"dms N=3 exact offset differ", dmsTask, []float64{1, 1, 1, 0, 1, 1}, 3, 0},
		{"dms N=5 first of five", dmsTask, []float64{1, 0, 0, 0, 1}, 5, 1},
		{"dms N=5 skips x[0]", dmsTask, []float64{0, 1, 1, 1, 1, 1}, 5, 1},
		{"dms N=5 differ", dmsTask, []float64{1, 0, 1, 1, 1, 1}, 5, 0},
	} {
		if got := label(c.kind, c.x, c.n); got != c.want {
			t.Errorf("%s: label(%v, N=%d) = %v, want %v", c.name, c.x, c.n, got, c.want)
		}
	}
}

// TestBatchTargetsMatchInputs regenerates every target from the batch's
// inputs with an independent implementation of the reference's rules.
func TestBatchTargetsMatchInputs(t *testing.T) {
	for _, f := range []*Sequence{mustParity(t, nil), mustDMS(t, nil)} {
		data := f.NewData(nil)
		var b task.Batch
		rng := rand.New(rand.NewPCG(1, 2))
		for range 50 {
			group := []int{0, 3, 7, 5} // N = 2, 5, 9, 7
			data.Batch(&b, task.Task{Index: 5, Group: group, Seed: rng.Uint64()}, 64)
			if b.Targets != len(group) || b.InputSize != 1 || b.Size != 64 {
				t.Fatalf("batch shape %d targets, %d inputs, %d examples", b.Targets, b.InputSize, b.Size)
			}
			M := b.SeqLen
			for i := range b.Size {
				x := b.X[i*M : (i+1)*M]
				for k, idx := range group {
					n := idx + 2
					var want float64
					if f.kind == parityTask {
						s := 0.0
						for _, v := range x[M-n:] {
							s += v
						}
						want = math.Mod(s, 2)
					} else if x[len(x)-n] == x[len(x)-1] {
						want = 1
					}
					if got := b.Y[i*b.Targets+k]; got != want {
						t.Fatalf("example %d, N = %d: target %v, want %v (x = %v)", i, n, got, want, x)
					}
				}
				for _, v := range x {
					if v != 0 && v != 1 {
						t.Fatalf("input %v is not a bit", v)
					}
				}
			}
		}
	}
}

func TestSequenceLengthRange(t *testing.T) {
	for _, c := range []struct {
		span   float64
		group  []int
		lo, hi int
	}{
		{3, []int{0}, 4, 9},            // N = 2: 4..9 = N+2..4N+1
		{3, []int{8}, 12, 41},          // N = 10: 12..41
		{3, []int{0, 1, 8, 2}, 12, 41}, // the group's largest N decides
		{1.5, []int{8}, 12, 26},        // the later reference's parity range: N+2..N+1+15
	} {
		f := mustParity(t, func(p *ParityParams) { p.LenSpan = c.span })
		data := f.NewData(nil)
		var b task.Batch
		seen := map[int]bool{}
		rng := rand.New(rand.NewPCG(3, 4))
		for range 2000 {
			data.Batch(&b, task.Task{Index: c.group[0], Group: c.group, Seed: rng.Uint64()}, 1)
			if b.SeqLen < c.lo || b.SeqLen > c.hi {
				t.Fatalf("span %v group %v: length %d outside %d..%d", c.span, c.group, b.SeqLen, c.lo, c.hi)
			}
			seen[b.SeqLen] = true
		}
		if len(seen) != c.hi-c.lo+1 {
			t.Errorf("span %v group %v: saw %d distinct lengths, want all %d of %d..%d", c.span, c.group, len(seen), c.hi-c.lo+1, c.lo, c.hi)
		}
		if f.MaxSeqLen() < c.hi {
			t.Errorf("MaxSeqLen %d below the longest length %d", f.MaxSeqLen(), c.hi)
		}
	}
}

// seqMeans returns the mean bit of each sequence of a batch of N = 20.
func seqMeans(f *Sequence, seed uint64) []float64 {
	var b task.Batch
	f.NewData(nil).Batch(&b, task.Task{Index: 18, Seed: seed}, 256)
	means := make([]float64, b.Size)
	for i := range means {
		for _, v := range b.X[i*b.SeqLen : (i+1)*b.SeqLen] {
			means[i] += v
		}
		means[i] /= float64(b.SeqLen)
	}
	return means
}

func meanStd(x []float64) (m, s float64) {
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return m, math.Sqrt(s / float64(len(x)))
}

func TestBitBias(t *testing.T) {
	// Sequences of at least 22 bits. With p ~ U(0,1) per sequence the
	// per-sequence means spread like U(0,1) (std ≈ 0.29); with one p per
	// batch or balanced bits they spread like a binomial mean (std ≤ 0.11).
	for seed := range uint64(5) {
		if _, s := meanStd(seqMeans(mustParity(t, nil), seed)); s < 0.22 {
			t.Errorf("bias per sequence: std of sequence means %.3f, want the spread of U(0,1) (~0.29)", s)
		}
		if _, s := meanStd(seqMeans(mustParity(t, func(p *ParityParams) { p.Bias = "batch" }), seed)); s > 0.15 {
			t.Errorf("bias per batch: std of sequence means %.3f, want a binomial spread around one p (<= 0.11)", s)
		}
		m, s := meanStd(seqMeans(mustDMS(t, nil), seed))
		if s > 0.15 || math.Abs(m-0.5) > 0.03 {
			t.Errorf("dms: sequence means %.3f ± %.3f, want balanced bits (0.5 ± <= 0.11)", m, s)
		}
	}
}

func TestBatchIsAFunctionOfTheTask(t *testing.T) {
	f := mustParity(t, nil)
	d1, d2 := f.NewData(nil), f.NewData(rand.New(rand.NewPCG(9, 9)))
	var a, b, c task.Batch
	tk := task.Task{Index: 4, Group: []int{0, 4}, Seed: 42}
	d1.Batch(&a, tk, 32)
	d1.Batch(&c, task.Task{Index: 1, Seed: 7}, 8) // state in between
	d2.Batch(&b, tk, 32)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same task gave two different batches")
	}
	tk.Seed = 43
	d2.Batch(&b, tk, 32)
	if reflect.DeepEqual(a.X, b.X) {
		t.Error("two seeds gave the same batch")
	}
}

func TestBoxRounding(t *testing.T) {
	f := mustParity(t, func(p *ParityParams) { p.NMax = 10 })
	data := f.NewData(nil).(*SeqData)
	for _, c := range []struct {
		theta float64
		n     int
	}{{2, 2}, {2.49, 2}, {2.5, 3}, {3.2, 3}, {9.5, 10}, {10, 10}} {
		if got := data.Ns(task.Task{Params: []float64{c.theta}}); len(got) != 1 || got[0] != c.n {
			t.Errorf("θ = %v: N = %v, want %d", c.theta, got, c.n)
		}
	}
	if s := f.Spaces(); len(s) != 2 || s[0].Kind() != task.DiscreteKind || s[1].Kind() != task.BoxKind {
		t.Fatalf("spaces %v: want the Discrete chain first, then the Box", s)
	}
	chain := f.Spaces()[0].(*task.Discrete)
	if chain.Len() != 9 || chain.Name(0) != "N=2" || chain.Name(8) != "N=10" || len(chain.Edges()) != 8 || chain.Difficulty(8) != 8 {
		t.Errorf("chain: %d tasks %q..%q, %d edges", chain.Len(), chain.Name(0), chain.Name(chain.Len()-1), len(chain.Edges()))
	}
	for _, bad := range []task.Task{{Params: []float64{1.9}}, {Params: []float64{10.1}}, {Params: []float64{math.NaN()}}, {Index: 9}, {Index: -1}, {Index: 0, Group: []int{0, 12}}} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "memory:") {
					t.Errorf("task %v: panic %v, want a memory: message", bad, r)
				}
			}()
			var b task.Batch
			data.Batch(&b, bad, 4)
		}()
	}
}

// fakeStudent scores Evaluate by task index.
type fakeStudent struct {
	score map[int]float64
	calls int
}

func (s *fakeStudent) Learn(t task.Task) task.Outcome { panic("the family must not train") }
func (s *fakeStudent) Evaluate(t task.Task) task.Outcome {
	s.calls++
	sc := s.score[t.Index]
	return task.Outcome{Score: sc, Return: -1 + sc, Success: sc >= 0.98, Steps: 1}
}

func TestSequenceEvaluate(t *testing.T) {
	f := mustDMS(t, func(p *DMSParams) { p.NMax = 7; p.EvalBatches = 3 })
	// N = 2, 3 mastered, 4 not, 5 mastered (a single-head student reached 5
	// but forgot 4), 6 and 7 at chance.
	s := &fakeStudent{score: map[int]float64{0: 1, 1: 0.98, 2: 0.97, 3: 0.99, 4: 0.5, 5: 0.5}}
	e := task.Evaluate(f, s)
	if s.calls != 6*3 {
		t.Errorf("%d Evaluate calls, want 3 per N", s.calls)
	}
	names := f.MetricNames()
	want := map[string]float64{"acc_mean": (1 + 0.98 + 0.97 + 0.99 + 0.5 + 0.5) / 6, "max_n": 3, "max_n_any": 5, "acc_2": 1, "acc_4": 0.97, "acc_7": 0.5}
	got := map[string]float64{}
	for i, n := range names {
		got[n] = e.Extra[i]
	}
	for k, v := range want {
		if math.Abs(got[k]-v) > 1e-12 {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if math.Abs(e.Mastered-300.0/6) > 1e-9 || math.Abs(e.SuccessRate-300.0/6) > 1e-9 {
		t.Errorf("mastered %v, success rate %v: want 50%%", e.Mastered, e.SuccessRate)
	}
	if len(names) != 3+6 || names[3] != "acc_2" || names[8] != "acc_7" {
		t.Errorf("metric names %v", names)
	}
	none := task.Evaluate(f, &fakeStudent{score: map[int]float64{1: 1}})
	if none.Extra[1] != 0 || none.Extra[2] != 3 {
		t.Errorf("N = 2 not mastered: max_n %v (want 0), max_n_any %v (want 3)", none.Extra[1], none.Extra[2])
	}
}

func TestSequenceValidate(t *testing.T) {
	for _, c := range []struct {
		mod  func(*ParityParams)
		want string
	}{
		{func(p *ParityParams) { p.NMax = 1 }, "n_max"},
		{func(p *ParityParams) { p.NMax = MaxN + 1 }, "n_max"},
		{func(p *ParityParams) { p.LenSpan = 0.4 }, "len_span"},
		{func(p *ParityParams) { p.LenSpan = math.NaN() }, "len_span"},
		{func(p *ParityParams) { p.Bias = "seq" }, "bias"},
		{func(p *ParityParams) { p.EvalBatches = 0 }, "eval_batches"},
		{func(p *ParityParams) { p.Mastery = 1.5 }, "mastery"},
	} {
		p := DefaultParityParams()
		c.mod(&p)
		if _, err := NewParity(p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %s", p, err, c.want)
		}
	}
}

func TestSeqBatchAllocatesNothing(t *testing.T) {
	f := mustParity(t, nil)
	data := f.NewData(nil)
	var b task.Batch
	tk := task.Task{Index: 18, Group: []int{0, 5, 18}}
	data.Batch(&b, task.Task{Index: 18, Group: []int{18}, Seed: 1}, 256) // grow once
	for s := range uint64(20) {
		tk.Seed = s
		data.Batch(&b, tk, 256)
	}
	allocs := testing.AllocsPerRun(20, func() {
		tk.Seed++
		data.Batch(&b, tk, 256)
	})
	if allocs != 0 {
		t.Errorf("Batch allocates %v times per call", allocs)
	}
}

func BenchmarkSeqBatch(b *testing.B) {
	for _, c := range []struct {
		name string
		f    *Sequence
	}{{"parity", mustParity(b, nil)}, {"dms", mustDMS(b, nil)}} {
		b.Run(c.name+"/N=16", func(b *testing.B) {
			data := c.f.NewData(nil)
			var bt task.Batch
			tk := task.Task{Index: 14}
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				tk.Seed++
				data.Batch(&bt, tk, 256)
				n += 256
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "seqs/s")
		})
	}
}
