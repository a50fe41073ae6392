package memory

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/teachbench/teachbench/task"
)

// Limits of the boolean family.
const (
	// MaxD bounds d (binomial coefficients stay finite in float64).
	MaxD = 512
	// MaxPoolD bounds d when a training pool is used (points are bit masks).
	MaxPoolD = 64
	// MaxTrainSize bounds train_size.
	MaxTrainSize = 10_000_000
)

const boolSalt = 0x626f6f6c65616e31 // "boolean1"

// maxRejections bounds the draws spent looking for an input outside the
// training pool. The family only asks for such inputs over the whole cube
// and only when train_size < 2^d, so unseen points exist; the bound turns a
// misuse into a clear panic instead of an endless loop.
const maxRejections = 1 << 20

// BooleanParams are the parameters of the boolean family.
type BooleanParams struct {
	D           int     `toml:"d" doc:"input dimension: x in {-1,+1}^d"`
	Target      string  `toml:"target" doc:"parity (product of the first degree coordinates), majority (sign of their sum), cyclic (sum over i of the product of degree cyclically consecutive coordinates) or threesym (x0x1 - 1.25x1x2 + 1.5x2x0)"`
	Degree      int     `toml:"degree" doc:"degree of the target; 0 = its default (parity: d, the full parity; majority and cyclic: 3)"`
	TrainSize   int     `toml:"train_size" doc:"0: every batch draws fresh inputs from the ball; n > 0: a fixed pool of n uniform cube points per run (env stream), batches drawn from the pool points inside the ball (the reference's finite training set; needs d <= 64)"`
	EvalBatches int     `toml:"eval_batches" doc:"student Evaluate calls (one test batch each) per Hamming shell at each evaluation"`
	MasteryMSE  float64 `toml:"mastery_mse" doc:"a Hamming shell counts as mastered when the student's MSE on it is below this"`
}

// DefaultBooleanParams returns the degree-curriculum setting of the paper:
// full parity in dimension 16, with fresh training inputs.
func DefaultBooleanParams() BooleanParams {
	return BooleanParams{D: 16, Target: "parity", TrainSize: 0, EvalBatches: 1, MasteryMSE: 0.01}
}

// Targets of the boolean family.
const (
	targetParity = iota
	targetMajority
	targetCyclic
	targetThreesym
)

var targetNames = map[string]int{"parity": targetParity, "majority": targetMajority, "cyclic": targetCyclic, "threesym": targetThreesym}

// Validate checks the parameter ranges.
func (p BooleanParams) Validate() error {
	if p.D < 1 || p.D > MaxD {
		return fmt.Errorf("d = %d: want 1 to %d", p.D, MaxD)
	}
	kind, ok := targetNames[p.Target]
	if !ok {
		return fmt.Errorf("target = %q: want parity, majority, cyclic or threesym", p.Target)
	}
	deg := p.degree()
	switch kind {
	case targetParity, targetCyclic:
		if deg < 1 || deg > p.D {
			return fmt.Errorf("degree = %d: want 1 to d = %d for target %s (0 for its default)", p.Degree, p.D, p.Target)
		}
	case targetMajority:
		if deg < 1 || deg > p.D || deg%2 == 0 {
			return fmt.Errorf("degree = %d: want an odd number of coordinates, 1 to d = %d, for target majority (0 for 3)", p.Degree, p.D)
		}
	case targetThreesym:
		if p.D < 3 {
			return fmt.Errorf("d = %d: target threesym needs d >= 3", p.D)
		}
		if p.Degree != 0 {
			return fmt.Errorf("degree = %d: target threesym has no degree (leave it 0)", p.Degree)
		}
	}
	switch {
	case p.TrainSize < 0 || p.TrainSize > MaxTrainSize:
		return fmt.Errorf("train_size = %d: want 0 (fresh inputs) to %d", p.TrainSize, MaxTrainSize)
	case p.TrainSize > 0 && p.D > MaxPoolD:
		return fmt.Errorf("train_size = %d needs d <= %d, got d = %d", p.TrainSize, MaxPoolD, p.D)
	case p.EvalBatches < 1 || p.EvalBatches > maxEvalBatches:
		return fmt.Errorf("eval_batches = %d: want 1 to %d", p.EvalBatches, maxEvalBatches)
	case !(p.MasteryMSE > 0) || math.IsInf(p.MasteryMSE, 0):
		return fmt.Errorf("mastery_mse = %v: want a finite number > 0", p.MasteryMSE)
	}
	return nil
}

// degree returns the effective degree of the target.
func (p BooleanParams) degree() int {
	if p.Degree != 0 {
		return p.Degree
	}
	switch p.Target {
	case "parity":
		return p.D
	case "majority", "cyclic":
		return 3
	}
	return 0
}

// Boolean is the boolean-function family. It is safe for concurrent use; each
// Data it makes is not.
type Boolean struct {
	p       BooleanParams
	d       int
	target  int
	degree  int
	chain   *task.Discrete
	box     *task.Box
	tests   []task.Task
	unseen  task.Task
	binom   []float64 // C(d, w)
	weight  []float64 // C(d, w) / 2^d
	metrics []string
	// Offsets of the metric groups in MetricNames.
	offShell, offOut int
}

// NewBoolean returns the boolean family.
func NewBoolean(p BooleanParams) (*Boolean, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := p.D
	f := &Boolean{p: p, d: d, target: targetNames[p.Target], degree: p.degree()}
	names := make([]string, d+1)
	edges := make([]task.Edge, 0, d)
	for k := range names {
		names[k] = "k=" + strconv.Itoa(k)
		if k > 0 {
			edges = append(edges, task.Edge{From: k - 1, To: k})
		}
	}
	var err error
	if f.chain, err = task.NewDiscrete(names, edges, nil, nil); err != nil {
		return nil, err
	}
	if f.box, err = task.NewBox(task.Dim{Name: "k", Lo: 0, Hi: float64(d), Easy: task.EasyLo}); err != nil {
		return nil, err
	}
	f.binom = make([]float64, d+1)
	f.weight = make([]float64, d+1)
	f.binom[0] = 1
	for w := 1; w <= d; w++ {
		f.binom[w] = f.binom[w-1] * float64(d-w+1) / float64(w)
	}
	for w := range f.weight {
		// C(d,w)/2^d without overflowing for large d.
		f.weight[w] = math.Exp(math.Log(f.binom[w]) - float64(d)*math.Ln2)
	}
	f.tests = make([]task.Task, d+1)
	for w := range f.tests {
		f.tests[w] = task.Task{Params: []float64{float64(w), float64(w)}}
	}
	f.unseen = task.Task{Params: []float64{0, float64(d), 1}}
	f.metrics = []string{"mse", "mastered_cube", "mse_unseen"}
	f.offShell = len(f.metrics)
	for w := 0; w <= d; w++ {
		f.metrics = append(f.metrics, "mse_w"+strconv.Itoa(w))
	}
	f.offOut = len(f.metrics)
	for k := 0; k < d; k++ {
		f.metrics = append(f.metrics, "mse_out"+strconv.Itoa(k))
	}
	return f, nil
}

// D returns the input dimension.
func (f *Boolean) D() int { return f.d }

// Spaces returns the Discrete chain of radii k = 0..d, then the Box view.
func (f *Boolean) Spaces() []task.Space { return []task.Space{f.chain, f.box} }

// TestSet returns the Hamming shells w = 0..d as region tasks (Params
// [w, w]).
func (f *Boolean) TestSet() []task.Task { return f.tests }

// Mastered reports whether the MSE (minus the return) is below mastery_mse.
func (f *Boolean) Mastered(_ task.Task, o task.Outcome) bool { return -o.Return < f.p.MasteryMSE }

// Target returns f(x) for x ∈ {±1}^d.
func (f *Boolean) Target(x []float64) float64 {
	switch f.target {
	case targetParity:
		v := 1.0
		for _, xi := range x[:f.degree] {
			v *= xi
		}
		return v
	case targetMajority:
		var s float64
		for _, xi := range x[:f.degree] {
			s += xi
		}
		if s > 0 {
			return 1
		}
		return -1
	case targetCyclic:
		var s float64
		d := len(x)
		for i := range d {
			v := 1.0
			for m := range f.degree {
				v *= x[(i+m)%d]
			}
			s += v
		}
		return s
	}
	return x[0]*x[1] - 1.25*x[1]*x[2] + 1.5*x[2]*x[0]
}

// MetricNames names the extra metrics: mse, mastered_cube, mse_unseen,
// mse_w0..mse_w<d>, mse_out0..mse_out<d-1>.
func (f *Boolean) MetricNames() []string { return f.metrics }

// Evaluate measures s on every Hamming shell and combines the shells with
// their exact share of the cube (see the package documentation).
func (f *Boolean) Evaluate(s task.Student) task.Eval {
	d := f.d
	e := task.Eval{Extra: make([]float64, len(f.metrics))}
	shell := e.Extra[f.offShell : f.offShell+d+1]
	var mastered, success int
	var cubeMastered float64
	for w, t := range f.tests {
		var mse, sc float64
		for range f.p.EvalBatches {
			o := s.Evaluate(t)
			mse -= o.Return
			sc += o.Score
			if o.Success {
				success++
			}
		}
		mse /= float64(f.p.EvalBatches)
		sc /= float64(f.p.EvalBatches)
		shell[w] = mse
		e.ReturnMean -= f.weight[w] * mse
		e.ScoreMean += f.weight[w] * sc
		if mse < f.p.MasteryMSE {
			mastered++
			cubeMastered += f.weight[w]
		}
	}
	// Errors outside each ball, from the largest radius down.
	var tail, tailW float64
	for k := d - 1; k >= 0; k-- {
		tail += f.weight[k+1] * shell[k+1]
		tailW += f.weight[k+1]
		e.Extra[f.offOut+k] = tail / tailW
	}
	e.Mastered = 100 * float64(mastered) / float64(d+1)
	e.SuccessRate = 100 * float64(success) / float64((d+1)*f.p.EvalBatches)
	e.Extra[0] = -e.ReturnMean
	e.Extra[1] = 100 * cubeMastered
	e.Extra[2] = math.NaN()
	if f.p.TrainSize > 0 && !f.poolCoversCube() {
		var mse float64
		for range f.p.EvalBatches {
			mse -= s.Evaluate(f.unseen).Return
		}
		e.Extra[2] = mse / float64(f.p.EvalBatches)
	}
	return e
}

// poolCoversCube reports whether a pool of train_size points may cover the
// whole cube, leaving no unseen inputs; with 2^d ≤ train_size it may, and the
// family then reports no unseen error rather than rejection-sample forever.
func (f *Boolean) poolCoversCube() bool {
	return f.d < 63 && f.p.TrainSize >= 1<<f.d
}

// NewData returns a batch generator. With a training pool, rng draws the
// pool (the run's env stream) and must not be nil.
func (f *Boolean) NewData(rng *rand.Rand) task.Data {
	d := &BoolData{f: f, perm: make([]int, f.d), cum: make([]float64, f.d+1)}
	d.rng = rand.New(&d.src)
	if n := f.p.TrainSize; n > 0 {
		if rng == nil {
			panic("memory: the boolean family's training pool needs a random stream")
		}
		d.pool = make([]uint64, n)
		mask := ^uint64(0)
		if f.d < 64 {
			mask = 1<<f.d - 1
		}
		for i := range d.pool {
			d.pool[i] = rng.Uint64() & mask
		}
		// Stable sort by weight: the points of the ball of radius k are
		// a prefix.
		slices.SortStableFunc(d.pool, func(a, b uint64) int { return bits.OnesCount64(a) - bits.OnesCount64(b) })
		d.upTo = make([]int, f.d+1)
		for _, v := range d.pool {
			d.upTo[bits.OnesCount64(v)]++
		}
		for k := 1; k <= f.d; k++ {
			d.upTo[k] += d.upTo[k-1]
		}
		d.inPool = make(map[uint64]struct{}, n)
		for _, v := range d.pool {
			d.inPool[v] = struct{}{}
		}
	}
	return d
}

// BoolData generates the batches of the boolean family. It is not safe for
// concurrent use.
type BoolData struct {
	f      *Boolean
	src    rand.PCG
	rng    *rand.Rand
	perm   []int     // coordinate indices, for drawing subsets
	cum    []float64 // cumulative shell weights of the current region
	pool   []uint64  // training pool, bit j set when x_j = −1, sorted by weight
	upTo   []int     // upTo[k]: pool points of weight ≤ k
	inPool map[uint64]struct{}
}

// Shape returns d inputs, regression targets (0 classes) and sequences of
// one step.
func (d *BoolData) Shape() task.Shape { return task.Shape{InputSize: d.f.d, Classes: 0, MaxSeqLen: 1} }

// Pool returns the training pool as bit masks (bit j set when x_j = −1),
// sorted by weight, or nil without one. The slice must not be modified.
func (d *BoolData) Pool() []uint64 { return d.pool }

// region decodes t into the range of weights of its inputs, whether it is a
// training ball, whether pool points are excluded, and the number of targets.
func (d *BoolData) region(t task.Task) (lo, hi int, ball, exclude bool, targets int) {
	f := d.f
	n := float64(f.d)
	switch {
	case t.Params != nil:
		ps := t.Params
		for _, v := range ps {
			if !(v >= 0 && v <= n) {
				panic(fmt.Sprintf("memory: boolean task %v outside [0, %d]", ps, f.d))
			}
		}
		round := func(v float64) int { return int(math.Floor(v + 0.5)) }
		switch len(ps) {
		case 1:
			return 0, round(ps[0]), true, false, 1
		case 2, 3:
			lo, hi = round(ps[0]), round(ps[1])
			if lo > hi {
				panic(fmt.Sprintf("memory: boolean region %v has lo > hi", ps))
			}
			return lo, hi, false, len(ps) == 3 && ps[2] != 0, 1
		}
		panic(fmt.Sprintf("memory: boolean Box task %v: want [k] (a ball), [lo, hi] or [lo, hi, exclude] (test regions)", ps))
	case t.Group != nil:
		if len(t.Group) == 0 {
			panic("memory: a task with an empty group")
		}
		for _, k := range t.Group {
			hi = max(hi, f.checkRadius(k))
		}
		return 0, hi, true, false, len(t.Group)
	}
	return 0, f.checkRadius(t.Index), true, false, 1
}

func (f *Boolean) checkRadius(k int) int {
	if k < 0 || k > f.d {
		panic(fmt.Sprintf("memory: boolean task index %d outside the radii 0..%d", k, f.d))
	}
	return k
}

// Batch fills b with size inputs of t's region (the ball of its radius, the
// largest of its group) and their targets, repeated once per task of the
// group. It allocates only when b grows.
func (d *BoolData) Batch(b *task.Batch, t task.Task, size int) {
	if size < 1 {
		panic(fmt.Sprintf("memory: batch size %d, want at least 1", size))
	}
	f := d.f
	lo, hi, ball, exclude, targets := d.region(t)
	d.src.Seed(t.Seed, boolSalt)
	b.Resize(size, 1, f.d, targets)
	fromPool := ball && d.pool != nil
	avail := 0
	if fromPool {
		for k := hi; k <= f.d; k++ {
			if avail = d.upTo[k]; avail > 0 {
				break
			}
		}
	} else {
		d.prepare(lo, hi)
	}
	if exclude && (d.pool == nil || f.poolCoversCube()) {
		exclude = false
	}
	for i := range size {
		x := b.X[i*f.d : (i+1)*f.d]
		if fromPool {
			setMask(x, d.pool[d.rng.IntN(avail)])
		} else {
			for try := 0; ; try++ {
				d.draw(x, lo)
				if !exclude {
					break
				}
				if _, seen := d.inPool[mask(x)]; !seen {
					break
				}
				if try == maxRejections {
					panic(fmt.Sprintf("memory: no input outside the training pool in weights %d..%d after %d draws", lo, hi, maxRejections))
				}
			}
		}
		y := f.Target(x)
		for k := range targets {
			b.Y[i*targets+k] = y
		}
	}
}

// prepare sets cum to the cumulative shell sizes of weights lo..hi, relative
// to the region so that small shells next to large ones keep their precision.
func (d *BoolData) prepare(lo, hi int) {
	d.cum = d.cum[:hi-lo+1]
	var s float64
	for w := lo; w <= hi; w++ {
		s += d.f.binom[w]
		d.cum[w-lo] = s
	}
}

// draw sets x to a uniform point of the region prepared: a weight w with
// probability proportional to C(d, w), then a uniform w-subset of −1s.
func (d *BoolData) draw(x []float64, lo int) {
	u := d.rng.Float64() * d.cum[len(d.cum)-1]
	// Smallest j with cum[j] > u.
	a, z := 0, len(d.cum)-1
	for a < z {
		m := int(uint(a+z) >> 1)
		if d.cum[m] > u {
			z = m
		} else {
			a = m + 1
		}
	}
	w := lo + a
	for j := range x {
		x[j] = 1
		d.perm[j] = j
	}
	n := len(x)
	for j := range w {
		r := j + d.rng.IntN(n-j)
		d.perm[j], d.perm[r] = d.perm[r], d.perm[j]
		x[d.perm[j]] = -1
	}
}

// setMask sets x_j = −1 where bit j of m is set, +1 elsewhere.
func setMask(x []float64, m uint64) {
	for j := range x {
		x[j] = 1
		if m>>uint(j)&1 != 0 {
			x[j] = -1
		}
	}
}

// mask returns the bit mask of x (d ≤ 64).
func mask(x []float64) uint64 {
	var m uint64
	for j, v := range x {
		if v < 0 {
			m |= 1 << uint(j)
		}
	}
	return m
}
