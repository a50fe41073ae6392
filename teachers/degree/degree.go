// Package degree is the Degree-Curriculum of Abbe, Bengio, Lotfi and Rizk,
// "Generalization on the Unseen, Logic Reasoning and Degree Curriculum"
// (ICML 2023; reference code aryol/GOTU, main.py, train with curr = (leap,
// threshold)): train on inputs inside a Hamming ball around the all-(+1)
// corner and widen the ball by a fixed leap each time the training loss
// falls below a threshold.
//
// The algorithm:
//
//  1. Set k = leap and train only on inputs with at most k coordinates
//     equal to −1.
//  2. After every epoch whose mean training loss is below eps (0.001), raise k
//     by leap.
//  3. Once k reaches the largest radius, the next time the loss falls below
//     eps the curriculum is finished.
//
// The paper's runs use d = 16 and leap 4 (k = 4, 8, 12, 16); its
// no-curriculum baseline is the same procedure with leap 16 (all data from
// the start), which here is leap = d.
//
// Spaces: on a Discrete space the tasks are taken in index order and the
// teacher proposes index min(k, last) (on the boolean family of envs/memory,
// index k is the ball of radius k); on a Box every dimension moves k units
// from its easy end towards its hard end, clipped to the box (dimensions
// with no known easy end move from their low end; the boolean family's Box
// is k itself). The curriculum is at its hardest when every coordinate has
// reached its hard end.
//
// The training loss is read from the outcomes as minus their Return (the
// students of students/mlp and students/recurrent report Return = −loss).
// An epoch is epoch_batches outcomes (50): the reference's epoch is one
// pass over its finite training set restricted to the ball (⌈n_k/64⌉
// batches, 47 for 3000 samples at the full cube), but families that draw
// fresh inputs have no passes, so the window is fixed.
//
// Deliberate difference: the reference stops training when the curriculum
// is finished; the harness spends the budget it was given, so the teacher
// keeps proposing the hardest task and Done and StopBatch report when the
// reference would have stopped.
//
// Policy on bad input: an outcome whose return is not finite, or whose task
// is not the one proposed (outside the space), is ignored (not counted in
// the epoch) and counted by Ignored.
package degree

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Params are the Degree-Curriculum's parameters.
type Params struct {
	Leap         int     `toml:"leap" doc:"radius increment (and first radius) of the Hamming ball; the paper's curriculum 4, its no-curriculum baseline d"`
	Eps          float64 `toml:"eps" doc:"advance when the mean training loss (minus the return) of an epoch is below this"`
	EpochBatches int     `toml:"epoch_batches" doc:"training outcomes per epoch (the reference's pass over its finite training set)"`
}

// DefaultParams returns the paper's settings (leap 4, threshold 0.001) with
// 50-batch epochs.
func DefaultParams() Params { return Params{Leap: 4, Eps: 0.001, EpochBatches: 50} }

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	switch {
	case p.Leap < 1 || p.Leap > 1<<20:
		return fmt.Errorf("leap = %d: want 1 to %d", p.Leap, 1<<20)
	case !(p.Eps > 0) || math.IsInf(p.Eps, 0):
		return fmt.Errorf("eps = %v: want a finite loss threshold > 0", p.Eps)
	case p.EpochBatches < 1 || p.EpochBatches > 1<<30:
		return fmt.Errorf("epoch_batches = %d: want 1 to %d", p.EpochBatches, 1<<30)
	}
	return nil
}

// Teacher is the Degree-Curriculum.
type Teacher struct {
	p    Params
	disc *task.Discrete
	box  *task.Box
	k    int // current radius, in units of the space
	out  []float64

	sum      float64
	count    int
	batches  int64
	advances []int64
	done     bool
	stopAt   int64
	ignored  int
}

// New returns a Degree-Curriculum on space (Discrete or Box).
func New(p Params, space task.Space, _ *rand.Rand) (*Teacher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	t := &Teacher{p: p, k: p.Leap}
	switch s := space.(type) {
	case *task.Discrete:
		t.disc = s
	case *task.Box:
		t.box = s
		t.out = make([]float64, s.Len())
	default:
		return nil, errors.New("degree: works on a discrete or box space, not on a " + space.Kind().String() + " space")
	}
	return t, nil
}

// Sample proposes the ball of the current radius with a fresh seed. On a
// Box the Params slice is valid until the next call.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	if t.disc != nil {
		return task.Task{Index: min(t.k, t.disc.Len()-1), Seed: rng.Uint64()}
	}
	t.position(t.out)
	return task.Task{Params: t.out, Seed: rng.Uint64()}
}

// position writes the Box point of the current radius into x.
func (t *Teacher) position(x []float64) {
	for i := range x {
		d := t.box.Dim(i)
		if d.Easy == task.EasyHi {
			x[i] = math.Max(d.Lo, d.Hi-float64(t.k))
		} else {
			x[i] = math.Min(d.Hi, d.Lo+float64(t.k))
		}
	}
}

// hardest reports whether the current radius is the space's hardest task.
func (t *Teacher) hardest() bool {
	if t.disc != nil {
		return t.k >= t.disc.Len()-1
	}
	for i := range t.box.Len() {
		d := t.box.Dim(i)
		if d.Easy == task.EasyHi {
			if d.Hi-float64(t.k) > d.Lo {
				return false
			}
		} else if d.Lo+float64(t.k) < d.Hi {
			return false
		}
	}
	return true
}

// Update adds the outcome's loss to the epoch and applies the advance rule
// at the end of each epoch.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	t.batches++
	if !finite(o.Return) || !t.inSpace(tk) {
		t.ignored++
		return
	}
	t.sum -= o.Return
	t.count++
	if t.count < t.p.EpochBatches {
		return
	}
	mean := t.sum / float64(t.count)
	t.sum, t.count = 0, 0
	if t.done || !(mean < t.p.Eps) {
		return
	}
	if t.hardest() {
		t.done, t.stopAt = true, t.batches
		return
	}
	t.k += t.p.Leap
	t.advances = append(t.advances, t.batches)
}

func (t *Teacher) inSpace(tk task.Task) bool {
	if t.disc != nil {
		return tk.Params == nil && tk.Level == nil && tk.Index >= 0 && tk.Index < t.disc.Len()
	}
	return t.box.Contains(tk.Params)
}

// Radius returns the current radius k (before clipping to the space).
func (t *Teacher) Radius() int { return t.k }

// Advances returns the number of training outcomes seen at each widening
// of the ball. The slice must not be modified.
func (t *Teacher) Advances() []int64 { return t.advances }

// Done reports whether the curriculum is finished: the loss fell below eps
// at the hardest radius, where the reference stops training.
func (t *Teacher) Done() bool { return t.done }

// StopBatch returns the number of training outcomes seen when the
// curriculum finished, or 0 if it has not.
func (t *Teacher) StopBatch() int64 { return t.stopAt }

// Ignored returns the number of outcomes ignored as unusable.
func (t *Teacher) Ignored() int { return t.ignored }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
