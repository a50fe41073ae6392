// Package recall remembers a box teacher's recent proposals so that Update
// can tell which proposal an outcome answers.
//
// Teachers such as GoalGAN and Setter-Solver keep per-proposal state (the
// goal's pending label, the requested feasibility) that the outcome must be
// matched with. The runner hands Update the task Sample returned, but a
// teacher should not rely on it: a caller may update out of order, repeat
// an update, or pass a task the teacher never proposed, and such outcomes
// must be counted and ignored rather than corrupt the matching state. A Ring
// matches an updated task with a live (not yet answered) proposal by its
// seed, and then checks that its parameters are those proposed up to float32
// rounding, since results files and some callers store tasks as float32.
package recall

import (
	"math"

	"github.com/teachbench/teachbench/task"
)

// Ring holds the last Size proposals: their seeds and parameters and
// whether each is still live. Slots are reused oldest first, so callers can
// keep their own per-proposal state in arrays indexed by slot.
type Ring struct {
	box   *task.Box
	d     int
	seeds []uint64
	live  []bool
	tasks []float64 // size × d
	next  int       // slot of the next Add
	added int       // proposals added so far
}

// New returns an empty ring of size slots for proposals in box.
func New(box *task.Box, size int) *Ring {
	d := box.Len()
	return &Ring{
		box:   box,
		d:     d,
		seeds: make([]uint64, size),
		live:  make([]bool, size),
		tasks: make([]float64, size*d),
	}
}

// Size returns the number of slots.
func (r *Ring) Size() int { return len(r.seeds) }

// Next returns the slot the next Add writes and whether that slot still
// holds a live proposal, which Add will forget without an outcome.
func (r *Ring) Next() (slot int, live bool) { return r.next, r.live[r.next] }

// Add remembers a proposal, overwriting the oldest slot, and returns the
// slot. params is copied.
func (r *Ring) Add(seed uint64, params []float64) int {
	k := r.next
	r.seeds[k], r.live[k] = seed, true
	copy(r.tasks[k*r.d:(k+1)*r.d], params)
	r.next = (k + 1) % len(r.seeds)
	r.added++
	return k
}

// Find returns the slot of the most recent live proposal with tk's seed if
// its parameters match tk's up to float32 rounding, and −1 otherwise (no
// live proposal with that seed, or a task altered since it was proposed).
func (r *Ring) Find(tk task.Task) int {
	if len(tk.Params) != r.d {
		return -1
	}
	size := len(r.seeds)
	for i := range min(r.added, size) {
		k := (r.next - 1 - i + size) % size
		if !r.live[k] || r.seeds[k] != tk.Seed {
			continue
		}
		if r.matches(tk.Params, k) {
			return k
		}
		return -1
	}
	return -1
}

// Forget marks the proposal in slot k as answered: Find no longer returns
// it.
func (r *Ring) Forget(k int) { r.live[k] = false }

// matches reports whether params equal the proposal in slot k up to
// float32 rounding, relative to the dimension's range or the value.
func (r *Ring) matches(params []float64, k int) bool {
	want := r.tasks[k*r.d : (k+1)*r.d]
	lo, hi := r.box.Lo(), r.box.Hi()
	for i, v := range params {
		tol := 1e-6 * max(hi[i]-lo[i], math.Abs(want[i]), 1e-30)
		if !(math.Abs(v-want[i]) <= tol) {
			return false
		}
	}
	return true
}
