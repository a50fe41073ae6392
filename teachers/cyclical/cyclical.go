// Package cyclical is cyclical curriculum learning (CCL) after Kesgin and
// Amasyali, "Cyclical Curriculum Learning", IEEE TNNLS 2023 (arXiv
// 2202.05531; reference code CyclicalCurriculum/Cyclical-Curriculum,
// ChangeDatasize.get_cycle_sizes and Trains.CyclicalTrain).
//
// CCL trains in stages ("epochs") on a subset of the data whose size changes
// cyclically between a small share of easy examples and the whole data set,
// instead of only growing (curriculum) or only shrinking (anti-curriculum).
// The share of stage t follows the reference's schedule: it starts at
// start_percent; while growing it is divided by multiplier (capped at
// end_percent); once at end_percent it is multiplied by multiplier (floored
// at start_percent) until it is back at start_percent, and so on. With the
// defaults (0.25, 0.5, 1.0): 0.25, 0.5, 1, 0.5, 0.25, 0.5, 1, …
//
// On a discrete task space a stage's pool is ⌈share·n⌉ tasks (at least one;
// the reference floors a number of examples, which for a handful of tasks
// could be zero), and each proposal is drawn uniformly from the pool. A stage
// lasts round(share·epoch) episodes: a stage on a fraction of the data is
// that fraction of an epoch, as in the reference, where an epoch is a pass
// over the stage's subset. Difficulty comes from the space
// (task.Discrete.Difficulty: depth in the prerequisite graph unless the
// family sets others). The pool is chosen by param selection:
//
//	easiest   the ⌈share·n⌉ easiest tasks, ties at the boundary broken at random
//	          each stage: the pool alternates between easy tasks only and all
//	          tasks (the default).
//	weighted  the reference's draw: ⌈share·n⌉ tasks without replacement with
//	          probability proportional to an easiness score, here
//	          1/(1 + difficulty − the easiest difficulty) (the reference uses
//	          1/score from a pretrained model's losses).
//
// Defaults are the reference's: start_percent 0.25, multiplier 0.5,
// end_percent 1. The epoch length (episodes of a full-pool stage, default
// 1000) has no reference value: it is the data set's size there.
//
// The teacher ignores outcomes, but counts those of tasks outside its space
// (Ignored), as the other teachers do.
package cyclical

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete"
)

// Params are the cyclical curriculum's hyperparameters.
type Params struct {
	StartPercent float64 `toml:"start_percent" doc:"smallest share of the tasks in the pool"`
	EndPercent   float64 `toml:"end_percent" doc:"largest share of the tasks in the pool"`
	Multiplier   float64 `toml:"multiplier" doc:"the share is divided by this while growing and multiplied by it while shrinking"`
	Epoch        int     `toml:"epoch" doc:"episodes of a stage on the whole pool; a stage on a share s lasts s·epoch episodes"`
	Selection    string  `toml:"selection" doc:"pool of a stage: easiest (the easiest tasks) or weighted (drawn with probability proportional to easiness, as the reference)"`
}

// DefaultParams returns the reference defaults and an epoch of 1000
// episodes.
func DefaultParams() Params {
	return Params{StartPercent: 0.25, EndPercent: 1, Multiplier: 0.5, Epoch: 1000, Selection: "easiest"}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if err := discrete.OneOf("selection", p.Selection, "easiest", "weighted"); err != nil {
		return err
	}
	switch {
	case !(p.StartPercent > 0 && p.StartPercent <= 1):
		return fmt.Errorf("start_percent = %v: want a share in (0, 1]", p.StartPercent)
	case !(p.EndPercent >= p.StartPercent && p.EndPercent <= 1):
		return fmt.Errorf("end_percent = %v: want a share in [start_percent, 1] (start_percent = %v)", p.EndPercent, p.StartPercent)
	case !(p.Multiplier > 0 && p.Multiplier < 1):
		return fmt.Errorf("multiplier = %v: want a factor in (0, 1)", p.Multiplier)
	case p.Epoch < 1:
		return fmt.Errorf("epoch = %d: want at least 1 episode", p.Epoch)
	}
	return nil
}

// Teacher is a cyclical curriculum.
type Teacher struct {
	p        Params
	n        int
	rng      *rand.Rand
	weighted bool
	diff     []float64
	order    []int     // tasks by increasing difficulty (stable)
	easiness []float64 // weighted selection: per-task weight
	keys     []float64 // weighted selection: per-task sort key, scratch
	pool     []int     // the current stage's tasks, first size entries
	size     int

	prev, share float64 // shares of the previous and current stage
	left        int     // episodes left in the current stage
	stages      int
	ignored     int
}

// New returns a cyclical curriculum on space, which must be a
// *task.Discrete. rng (the teacher's stream) draws the pools.
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	d, err := discrete.Space("cyclical", space)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if rng == nil {
		return nil, fmt.Errorf("cyclical: needs the teacher's random stream")
	}
	n := d.Len()
	t := &Teacher{p: p, n: n, rng: rng, weighted: p.Selection == "weighted",
		diff: make([]float64, n), order: make([]int, n), pool: make([]int, n)}
	easiest := math.Inf(1)
	for i := range n {
		t.diff[i] = d.Difficulty(i)
		t.order[i] = i
		easiest = min(easiest, t.diff[i])
	}
	slices.SortStableFunc(t.order, func(a, b int) int { return cmp.Compare(t.diff[a], t.diff[b]) })
	if t.weighted {
		t.easiness, t.keys = make([]float64, n), make([]float64, n)
		for i := range n {
			t.easiness[i] = 1 / (1 + t.diff[i] - easiest)
		}
	}
	t.share = p.StartPercent
	t.begin()
	return t, nil
}

// nextShare advances the reference's schedule (get_cycle_sizes).
func (t *Teacher) nextShare() {
	n, sp, ep, a := t.share, t.p.StartPercent, t.p.EndPercent, t.p.Multiplier
	var next float64
	if n == sp || (t.prev < n && n != ep) {
		next = min(n/a, ep)
	} else {
		next = max(n*a, sp)
	}
	t.prev, t.share = n, next
}

// begin starts a stage with the current share: its length and its pool.
func (t *Teacher) begin() {
	t.stages++
	t.left = max(1, int(math.Round(t.share*float64(t.p.Epoch))))
	t.size = min(t.n, max(1, int(math.Ceil(t.share*float64(t.n)-1e-9))))
	if t.weighted {
		t.drawWeighted()
		return
	}
	copy(t.pool, t.order)
	// Shuffle the tasks tied with the last one in the pool, so that the
	// boundary of a difficulty level is drawn at random.
	if t.size < t.n {
		dl := t.diff[t.pool[t.size-1]]
		lo, hi := t.size-1, t.size
		for lo > 0 && t.diff[t.pool[lo-1]] == dl {
			lo--
		}
		for hi < t.n && t.diff[t.pool[hi]] == dl {
			hi++
		}
		for k := lo; k < t.size; k++ { // partial Fisher–Yates over [lo, hi)
			j := k + t.rng.IntN(hi-k)
			t.pool[k], t.pool[j] = t.pool[j], t.pool[k]
		}
	}
}

// drawWeighted fills the pool with size tasks drawn without replacement with
// probability proportional to easiness (Efraimidis–Spirakis: the largest
// keys log(u)/w).
func (t *Teacher) drawWeighted() {
	for i := range t.n {
		t.keys[i] = math.Log(t.rng.Float64()) / t.easiness[i]
		t.pool[i] = i
	}
	slices.SortFunc(t.pool, func(a, b int) int { return cmp.Compare(t.keys[b], t.keys[a]) })
}

// Sample draws a task uniformly from the current stage's pool, moving to
// the next stage when the current one is over.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	if t.left == 0 {
		t.nextShare()
		t.begin()
	}
	t.left--
	return task.Task{Index: t.pool[rng.IntN(t.size)], Seed: rng.Uint64()}
}

// Update does nothing with valid outcomes: the schedule is fixed.
func (t *Teacher) Update(tk task.Task, _ task.Outcome) {
	if !discrete.InSpace(tk, t.n) {
		t.ignored++
	}
}

// Share returns the current stage's share of the tasks.
func (t *Teacher) Share() float64 { return t.share }

// Pool returns the current stage's tasks. The slice is valid until the next
// Sample.
func (t *Teacher) Pool() []int { return t.pool[:t.size] }

// Ignored returns the number of outcomes of tasks outside the space.
func (t *Teacher) Ignored() int { return t.ignored }
