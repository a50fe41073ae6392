package memory

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/teachbench/teachbench/task"
)

// Limits that keep a bad config from exhausting memory.
const (
	// MaxN bounds n_max.
	MaxN = 1000
	// maxLenSpan bounds len_span.
	maxLenSpan = 100
	// maxEvalBatches bounds eval_batches.
	maxEvalBatches = 10000
)

// seqSalt is the second word of the PCG seed of a batch, so that memory
// batches and other users of a task seed draw different streams.
const seqSalt = 0x6d656d6f72792d31 // "memory-1"

// ParityParams are the parameters of the N-parity family.
type ParityParams struct {
	NMax        int     `toml:"n_max" doc:"largest N of the task chain N = 2..n_max, which is also the test range"`
	LenSpan     float64 `toml:"len_span" doc:"sequence length M drawn once per batch uniformly from N+2..N+1+floor(len_span*N), N the group's largest (3: N+2..4N+1, the paper; a later reference commit uses 1.5 for parity)"`
	Bias        string  `toml:"bias" doc:"bit bias p ~ U(0,1), bits Bernoulli(p), drawn per \"sequence\" (the paper) or per \"batch\" (the reference's later batched generator)"`
	EvalBatches int     `toml:"eval_batches" doc:"student Evaluate calls (one fresh test batch each) per N at each evaluation; accuracy is their mean"`
	Mastery     float64 `toml:"mastery" doc:"accuracy at or above which an N counts as mastered (the paper's 98%)"`
}

// DefaultParityParams returns the paper's setting with a test range up to
// N = 20 (the paper trains up to N ≈ 100 with 500 units; raise n_max for
// that).
func DefaultParityParams() ParityParams {
	return ParityParams{NMax: 20, LenSpan: 3, Bias: "sequence", EvalBatches: 1, Mastery: 0.98}
}

// Validate checks the parameter ranges.
func (p ParityParams) Validate() error {
	if err := validateSeq(p.NMax, p.LenSpan, p.EvalBatches, p.Mastery); err != nil {
		return err
	}
	if p.Bias != "sequence" && p.Bias != "batch" {
		return fmt.Errorf("bias = %q: want \"sequence\" or \"batch\"", p.Bias)
	}
	return nil
}

// DMSParams are the parameters of the N-DMS family.
type DMSParams struct {
	NMax        int     `toml:"n_max" doc:"largest N of the task chain N = 2..n_max, which is also the test range"`
	LenSpan     float64 `toml:"len_span" doc:"sequence length M drawn once per batch uniformly from N+2..N+1+floor(len_span*N), N the group's largest (3: N+2..4N+1, the paper)"`
	EvalBatches int     `toml:"eval_batches" doc:"student Evaluate calls (one fresh test batch each) per N at each evaluation; accuracy is their mean"`
	Mastery     float64 `toml:"mastery" doc:"accuracy at or above which an N counts as mastered (the paper's 98%)"`
}

// DefaultDMSParams returns the paper's setting with a test range up to
// N = 20.
func DefaultDMSParams() DMSParams {
	return DMSParams{NMax: 20, LenSpan: 3, EvalBatches: 1, Mastery: 0.98}
}

// Validate checks the parameter ranges.
func (p DMSParams) Validate() error { return validateSeq(p.NMax, p.LenSpan, p.EvalBatches, p.Mastery) }

func validateSeq(nMax int, span float64, evalBatches int, mastery float64) error {
	switch {
	case nMax < 2 || nMax > MaxN:
		return fmt.Errorf("n_max = %d: want 2 to %d", nMax, MaxN)
	case !(span >= 0.5 && span <= maxLenSpan):
		return fmt.Errorf("len_span = %v: want a number in [0.5, %d] (at least one length for N = 2)", span, maxLenSpan)
	case evalBatches < 1 || evalBatches > maxEvalBatches:
		return fmt.Errorf("eval_batches = %d: want 1 to %d", evalBatches, maxEvalBatches)
	case !(mastery > 0 && mastery <= 1):
		return fmt.Errorf("mastery = %v: want an accuracy in (0, 1]", mastery)
	}
	return nil
}

// Task kinds of a Sequence family.
const (
	parityTask = iota
	dmsTask
)

// Sequence is the N-parity or the N-DMS family. It is safe for concurrent
// use; each Data it makes is not.
type Sequence struct {
	kind        int
	nMax        int
	span        float64
	perBatch    bool
	evalBatches int
	mastery     float64
	chain       *task.Discrete
	box         *task.Box
	tests       []task.Task
	metrics     []string
}

// NewParity returns the N-parity family.
func NewParity(p ParityParams) (*Sequence, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return newSequence(parityTask, p.NMax, p.LenSpan, p.Bias == "batch", p.EvalBatches, p.Mastery)
}

// NewDMS returns the N-DMS family.
func NewDMS(p DMSParams) (*Sequence, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return newSequence(dmsTask, p.NMax, p.LenSpan, false, p.EvalBatches, p.Mastery)
}

func newSequence(kind, nMax int, span float64, perBatch bool, evalBatches int, mastery float64) (*Sequence, error) {
	n := nMax - 1
	names := make([]string, n)
	edges := make([]task.Edge, 0, n-1)
	for i := range names {
		names[i] = "N=" + strconv.Itoa(i+2)
		if i > 0 {
			edges = append(edges, task.Edge{From: i - 1, To: i})
		}
	}
	lo, hi := make([]float64, n), make([]float64, n)
	for i := range lo {
		lo[i], hi[i] = 0.5, 1
	}
	chain, err := task.NewDiscrete(names, edges, lo, hi)
	if err != nil {
		return nil, err
	}
	box, err := task.NewBox(task.Dim{Name: "N", Lo: 2, Hi: float64(nMax), Easy: task.EasyLo})
	if err != nil {
		return nil, err
	}
	f := &Sequence{kind: kind, nMax: nMax, span: span, perBatch: perBatch, evalBatches: evalBatches, mastery: mastery,
		chain: chain, box: box, tests: make([]task.Task, n)}
	f.metrics = []string{"acc_mean", "max_n", "max_n_any"}
	for i := range f.tests {
		f.tests[i] = task.Task{Index: i}
		f.metrics = append(f.metrics, "acc_"+strconv.Itoa(i+2))
	}
	return f, nil
}

// NMax returns the largest N of the family.
func (f *Sequence) NMax() int { return f.nMax }

// N returns the memory span of Discrete task index i.
func (f *Sequence) N(i int) int { return i + 2 }

// Spaces returns the Discrete chain N = 2..n_max, then the Box view over N.
func (f *Sequence) Spaces() []task.Space { return []task.Space{f.chain, f.box} }

// TestSet returns one task per N of the chain.
func (f *Sequence) TestSet() []task.Task { return f.tests }

// Mastered reports whether the accuracy (the outcome's score) reaches the
// mastery threshold.
func (f *Sequence) Mastered(_ task.Task, o task.Outcome) bool { return o.Score >= f.mastery }

// MaxSeqLen returns the longest sequence a batch can have.
func (f *Sequence) MaxSeqLen() int { return f.nMax + 1 + f.lenRange(f.nMax) }

// lenRange returns how many sequence lengths a batch whose largest N is n
// can have.
func (f *Sequence) lenRange(n int) int { return max(1, int(math.Floor(f.span*float64(n)))) }

// NewData returns a batch generator. Batches are drawn from their task's
// seed, so rng is not used.
func (f *Sequence) NewData(_ *rand.Rand) task.Data {
	d := &SeqData{f: f}
	d.rng = rand.New(&d.src)
	return d
}

// MetricNames names the extra metrics of Evaluate: acc_mean, max_n,
// max_n_any, then acc_<N> for N = 2..n_max.
func (f *Sequence) MetricNames() []string { return f.metrics }

// Evaluate measures the accuracy of s on every N of the chain, eval_batches
// Evaluate calls each (see the package documentation).
func (f *Sequence) Evaluate(s task.Student) task.Eval {
	n := len(f.tests)
	e := task.Eval{Extra: make([]float64, len(f.metrics))}
	acc := e.Extra[3:]
	var mastered, success, calls int
	maxN, maxAny, prefix := 0, 0, true
	for i, t := range f.tests {
		var sc, ret float64
		for range f.evalBatches {
			o := s.Evaluate(t)
			sc += o.Score
			ret += o.Return
			if o.Success {
				success++
			}
			calls++
		}
		acc[i] = sc / float64(f.evalBatches)
		e.ScoreMean += acc[i]
		e.ReturnMean += ret / float64(f.evalBatches)
		ok := acc[i] >= f.mastery
		if ok {
			mastered++
			maxAny = f.N(i)
			if prefix {
				maxN = f.N(i)
			}
		} else {
			prefix = false
		}
	}
	e.ScoreMean /= float64(n)
	e.ReturnMean /= float64(n)
	e.Mastered = 100 * float64(mastered) / float64(n)
	e.SuccessRate = 100 * float64(success) / float64(calls)
	e.Extra[0], e.Extra[1], e.Extra[2] = e.ScoreMean, float64(maxN), float64(maxAny)
	return e
}

// SeqData generates the batches of a Sequence family. It is not safe for
// concurrent use.
type SeqData struct {
	f   *Sequence
	src rand.PCG
	rng *rand.Rand
	ns  []int
}

// Shape returns one input per step, two classes and the longest sequence.
func (d *SeqData) Shape() task.Shape {
	return task.Shape{InputSize: 1, Classes: 2, MaxSeqLen: d.f.MaxSeqLen()}
}

// Ns returns the memory spans of the tasks of t's group in group order (t's
// own N without a group; the rounded N of a Box task), in a slice that is
// valid until the next call. It panics on a task outside the family.
func (d *SeqData) Ns(t task.Task) []int {
	d.ns = d.ns[:0]
	f := d.f
	switch {
	case t.Params != nil:
		if len(t.Params) != 1 || !(t.Params[0] >= 2 && t.Params[0] <= float64(f.nMax)) {
			panic(fmt.Sprintf("memory: Box task %v outside N ∈ [2, %d]", t.Params, f.nMax))
		}
		d.ns = append(d.ns, int(math.Floor(t.Params[0]+0.5)))
	case t.Group != nil:
		for _, i := range t.Group {
			d.ns = append(d.ns, f.checkIndex(i))
		}
		if len(d.ns) == 0 {
			panic("memory: a task with an empty group")
		}
	default:
		d.ns = append(d.ns, f.checkIndex(t.Index))
	}
	return d.ns
}

func (f *Sequence) checkIndex(i int) int {
	if i < 0 || i >= len(f.tests) {
		panic(fmt.Sprintf("memory: task index %d outside the chain 0..%d (N = 2..%d)", i, len(f.tests)-1, f.nMax))
	}
	return f.N(i)
}

// Batch fills b with size sequences for t and one target per task of its
// group (see the package documentation). It allocates only when b grows.
func (d *SeqData) Batch(b *task.Batch, t task.Task, size int) {
	if size < 1 {
		panic(fmt.Sprintf("memory: batch size %d, want at least 1", size))
	}
	ns := d.Ns(t)
	top := 0
	for _, n := range ns {
		top = max(top, n)
	}
	d.src.Seed(t.Seed, seqSalt)
	rng := d.rng
	f := d.f
	m := top + 2 + rng.IntN(f.lenRange(top))
	k := len(ns)
	b.Resize(size, m, 1, k)
	p := 0.5
	if f.kind == parityTask && f.perBatch {
		p = rng.Float64()
	}
	for i := range size {
		x := b.X[i*m : (i+1)*m]
		if f.kind == parityTask && !f.perBatch {
			p = rng.Float64()
		}
		for j := range x {
			x[j] = 0
			if rng.Float64() < p {
				x[j] = 1
			}
		}
		y := b.Y[i*k : (i+1)*k]
		for h, n := range ns {
			y[h] = label(f.kind, x, n)
		}
	}
}

// label returns the target of sequence x for memory span n.
func label(kind int, x []float64, n int) float64 {
	m := len(x)
	if kind == dmsTask {
		if x[m-n] == x[m-1] {
			return 1
		}
		return 0
	}
	var ones int
	for _, v := range x[m-n:] {
		if v != 0 {
			ones++
		}
	}
	return float64(ones % 2)
}
