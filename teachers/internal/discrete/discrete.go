// Package discrete holds the machinery shared by the teachers that act on
// discrete task spaces (task.Discrete): the per-task performance history and
// learning-progress estimators of the mastering-rate code base
// (lcswillems/automatic-curriculum, auto_curri/lp_estimator.py), its
// attention-to-distribution converters (a2d_converter.py), a categorical
// sampler, per-teacher-step outcome batches, outcome signals with their
// validity rules, and the advantage proxy of the advantage-driven bandits
// (SEC, DUMP).
//
// Nothing here allocates after construction: teachers call these on every
// Sample and Update.
package discrete

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Signal selects which value of an outcome a teacher tracks.
type Signal int

const (
	// Score is Outcome.Score, the return normalised into [0, 1].
	Score Signal = iota
	// Return is Outcome.Return, the raw episodic return.
	Return
	// Success is Outcome.Success as 0 or 1.
	Success
)

var signalNames = []string{"score", "return", "success"}

// String returns the signal's name as used in params.
func (s Signal) String() string { return signalNames[s] }

// ParseSignal parses the value of param key, which must name one of allowed.
func ParseSignal(key, value string, allowed ...Signal) (Signal, error) {
	for _, s := range allowed {
		if value == s.String() {
			return s, nil
		}
	}
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = s.String()
	}
	return 0, fmt.Errorf("%s = %q: want %s", key, value, orList(names))
}

// Of returns the tracked value of o and whether it is usable: a score must be
// a number in [0, 1], a return a finite number; a success flag is always
// usable.
func (s Signal) Of(o task.Outcome) (float64, bool) {
	switch s {
	case Score:
		return o.Score, o.Score >= 0 && o.Score <= 1
	case Return:
		return o.Return, task.Finite(o.Return)
	}
	if o.Success {
		return 1, true
	}
	return 0, true
}

// InSpace reports whether t is a discrete task of a space of n tasks.
func InSpace(t task.Task, n int) bool {
	return t.Params == nil && t.Level == nil && t.Index >= 0 && t.Index < n
}

// Space returns space as a *task.Discrete, or an error naming the teacher.
func Space(teacher string, space task.Space) (*task.Discrete, error) {
	d, ok := space.(*task.Discrete)
	if !ok {
		return nil, fmt.Errorf("%s: works on a discrete space, not on a %s space", teacher, space.Kind())
	}
	return d, nil
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	switch len(names) {
	case 0:
		return "nothing"
	case 1:
		return names[0]
	}
	out := ""
	for i, n := range names[:len(names)-1] {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out + " or " + names[len(names)-1]
}

// OneOf returns an error unless value is one of names.
func OneOf(key, value string, names ...string) error {
	for _, n := range names {
		if value == n {
			return nil
		}
	}
	return fmt.Errorf("%s = %q: want %s", key, value, orList(names))
}

// Dist samples task indices from a categorical distribution in O(log n).
type Dist struct {
	cum []float64
}

// NewDist returns a uniform distribution over n tasks.
func NewDist(n int) *Dist {
	d := &Dist{cum: make([]float64, n)}
	d.Uniform()
	return d
}

// Uniform makes the distribution uniform.
func (d *Dist) Uniform() {
	for i := range d.cum {
		d.cum[i] = float64(i + 1)
	}
}

// Set makes the distribution proportional to the weights p (len(p) tasks).
// If a weight is negative or not finite, or the weights do not sum to a
// positive finite number, it falls back to uniform and returns false.
func (d *Dist) Set(p []float64) bool {
	var total float64
	valid := true
	for i, w := range p {
		valid = valid && w >= 0 // false for NaN; an infinite weight makes the total infinite
		total += w
		d.cum[i] = total
	}
	if !valid || !(total > 0) || math.IsInf(total, 0) {
		d.Uniform()
		return false
	}
	return true
}

// Prob returns the probability of task i.
func (d *Dist) Prob(i int) float64 {
	lo := 0.0
	if i > 0 {
		lo = d.cum[i-1]
	}
	return (d.cum[i] - lo) / d.cum[len(d.cum)-1]
}

// Sample draws a task index.
func (d *Dist) Sample(rng *rand.Rand) int {
	u := rng.Float64() * d.cum[len(d.cum)-1]
	lo, hi := 0, len(d.cum)-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if d.cum[mid] > u {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// Softmax fills dst with exp(x_i/tau)/Σ exp(x_j/tau), computed with the
// maximum subtracted so that it cannot overflow.
func Softmax(dst, x []float64, tau float64) {
	m := math.Inf(-1)
	for _, v := range x {
		m = max(m, v)
	}
	var z float64
	for i, v := range x {
		dst[i] = math.Exp((v - m) / tau)
		z += dst[i]
	}
	for i := range dst {
		dst[i] /= z
	}
}

// Batch accumulates the outcomes of one teacher step per task.
type Batch struct {
	sum     []float64
	cnt     []int
	list    []int
	flag    []bool
	Pending int // outcomes added since the last Reset
}

// NewBatch returns an empty batch over n tasks.
func NewBatch(n int) *Batch {
	return &Batch{sum: make([]float64, n), cnt: make([]int, n), list: make([]int, 0, n), flag: make([]bool, n)}
}

// Add records value v for task i.
func (b *Batch) Add(i int, v float64) {
	if !b.flag[i] {
		b.flag[i] = true
		b.list = append(b.list, i)
	}
	b.sum[i] += v
	b.cnt[i]++
	b.Pending++
}

// Tasks returns the tasks with at least one value, in order of first
// appearance. The slice is valid until Reset.
func (b *Batch) Tasks() []int { return b.list }

// Touched reports, per task, whether it has a value in the batch. The slice
// is valid until Reset.
func (b *Batch) Touched() []bool { return b.flag }

// Mean returns the mean value of task i in the batch.
func (b *Batch) Mean(i int) float64 { return b.sum[i] / float64(b.cnt[i]) }

// Reset empties the batch.
func (b *Batch) Reset() {
	for _, i := range b.list {
		b.sum[i], b.cnt[i], b.flag[i] = 0, 0, false
	}
	b.list = b.list[:0]
	b.Pending = 0
}

// Topo returns the tasks of d in a topological order (every task after its
// prerequisites), by Kahn's algorithm with ties in index order.
func Topo(d *task.Discrete) []int {
	n := d.Len()
	indeg := make([]int, n)
	for i := range n {
		indeg[i] = len(d.Predecessors(i))
	}
	order := make([]int, 0, n)
	for i := range n {
		if indeg[i] == 0 {
			order = append(order, i)
		}
	}
	for k := 0; k < len(order); k++ {
		for _, s := range d.Successors(order[k]) {
			indeg[s]--
			if indeg[s] == 0 {
				order = append(order, s)
			}
		}
	}
	return order
}
