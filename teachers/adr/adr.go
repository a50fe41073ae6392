// Package adr is the Automatic Domain Randomization teacher of OpenAI et al.,
// "Solving Rubik's Cube with a Robot Hand", arXiv:1910.07113, 2019, as
// implemented in the TeachMyAgent benchmark (Romac, Portelas, Hofmann and
// Oudeyer, "TeachMyAgent: a Benchmark for Automatic Curriculum Learning in
// Deep RL", ICML 2021; reference code: flowersteam/TeachMyAgent,
// teachers/algos/adr.py).
//
// ADR samples tasks uniformly from a current box inside the space, which
// starts as a single point — initial_mean if given (TeachMyAgent passes the
// environment's easiest task under expert knowledge), else a point drawn
// uniformly in the space — and grows where the student succeeds. With
// probability boundary_sampling_p a sampled task has one dimension, chosen
// uniformly, pinned to the current lower or upper bound of that dimension
// (each with probability 1/2), unless both bounds of that dimension already
// sit on the space's limits. Each (dimension, side) boundary has a queue of
// the rewards of the tasks pinned to it; when it holds queue_len rewards,
// their mean decides: at least max_reward_thr widens the box by step_size
// on that side (clamped to the space), at most min_reward_thr narrows it by
// step_size (never past the opposite bound); then the queue is cleared.
//
// Every hyperparameter is a parameter with TeachMyAgent's command-line
// default (the values its benchmark uses): step_size 0.1, max_reward_thr
// 180, min_reward_thr 0, boundary_sampling_p 0.7 (the class default is 0.5),
// queue_len 10, on raw returns (signal "return"; TeachMyAgent feeds raw
// returns and its thresholds are in return units). Two consequences to keep
// in mind when configuring it for another family:
//   - Thresholds are in the units of the chosen signal. On the toy family,
//     returns are competence/100 in [0, 1], so a config must set thresholds
//     on that scale (180 would never be reached and the box would never
//     grow).
//   - step_size is in task units, the same for every dimension (0.1 on Stump
//     Tracks' ranges of 3 and 6). step_unit = "range" reads it instead as a
//     fraction of each dimension's range, for spaces whose dimensions have
//     very different scales.
//
// Reference behaviours kept because they are the algorithm as published in
// the benchmark, not accidents of the code:
//   - Boundary sampling may pin a side that has already reached the space's
//     limit (the reference only skips a dimension whose both sides are
//     capped); such a queue can still shrink the box.
//   - A dimension whose current range is a single point (every dimension at
//     the start) feeds both of its queues with every episode, since every
//     task lies on both bounds; when the queues fill, both sides move
//     together.
//
// Deliberate difference: the reference decides that a task was a boundary
// task by testing task[i] == bound with exact float equality at update time.
// That test misses a pinned task whose bound moved between Sample and Update
// (several tasks in flight) or whose value was rounded on its way (float32
// storage, serialisation), and it credits a uniform task that happens to land
// on a bound. Here Sample remembers, by the task's seed, which boundaries
// each task was placed on — the pinned side, and both sides of every
// single-point dimension — and Update credits exactly those queues
// (boundary_test = "pinned"). The last 256 samples are remembered; an update
// for a task that is not among them (not sampled by this teacher, or
// already updated) credits no queue and is counted in Unmatched.
// boundary_test = "equality" reproduces the reference's test.
//
// Other differences: the box is kept in float64 (the reference stores
// float32 bounds); randomness comes from the teacher's stream (the reference
// samples the box with a generator reseeded at every change of the box).
//
// A zero-width dimension of the space is capped on both sides from the start:
// it is never pinned, both its queues fill and nothing moves.
//
// Policy on bad outcomes: an outcome whose signal (score or return) is not
// finite, or a task of the wrong dimension or with a non-finite coordinate,
// is ignored — no queue is fed — and counted in Ignored. The runner never
// passes such outcomes.
package adr

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// remembered is how many recent samples keep their boundary pins.
const remembered = 256

// Sides of a boundary, as bit flags.
const (
	onMin uint8 = 1 << iota
	onMax
)

// Params are ADR's hyperparameters.
type Params struct {
	StepSize          float64   `toml:"step_size" doc:"how far a boundary moves when its queue decides (task units, or a fraction of the range with step_unit = range)"`
	StepUnit          string    `toml:"step_unit" doc:"unit of step_size: absolute (task units, as the reference) or range (fraction of each dimension's range)"`
	MaxRewardThr      float64   `toml:"max_reward_thr" doc:"a boundary widens when the mean reward of its queue is at least this (signal units)"`
	MinRewardThr      float64   `toml:"min_reward_thr" doc:"a boundary narrows when the mean reward of its queue is at most this (signal units)"`
	BoundarySamplingP float64   `toml:"boundary_sampling_p" doc:"probability that a task has one dimension pinned to a current bound"`
	QueueLen          int       `toml:"queue_len" doc:"rewards a boundary's queue collects before it decides"`
	InitialMean       []float64 `toml:"initial_mean" doc:"the single task the box starts from; empty means a point drawn uniformly in the space"`
	BoundaryTest      string    `toml:"boundary_test" doc:"which tasks feed a boundary's queue: pinned (those the teacher placed there) or equality (exact float equality with the bound at update time, as the reference)"`
	Signal            string    `toml:"signal" doc:"outcome used as reward: return (raw, as TeachMyAgent) or score (normalised to [0,1])"`
}

// DefaultParams returns TeachMyAgent's command-line defaults.
func DefaultParams() Params {
	return Params{
		StepSize:          0.1,
		StepUnit:          "absolute",
		MaxRewardThr:      180,
		MinRewardThr:      0,
		BoundarySamplingP: 0.7,
		QueueLen:          10,
		BoundaryTest:      "pinned",
		Signal:            "return",
	}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	switch {
	case !(p.StepSize > 0) || math.IsInf(p.StepSize, 1):
		return fmt.Errorf("step_size = %v: want a positive finite number", p.StepSize)
	case p.StepUnit != "absolute" && p.StepUnit != "range":
		return fmt.Errorf("step_unit = %q: want absolute or range", p.StepUnit)
	case !task.Finite(p.MaxRewardThr):
		return fmt.Errorf("max_reward_thr = %v: want a finite number", p.MaxRewardThr)
	case !task.Finite(p.MinRewardThr):
		return fmt.Errorf("min_reward_thr = %v: want a finite number", p.MinRewardThr)
	case p.MinRewardThr > p.MaxRewardThr:
		return fmt.Errorf("min_reward_thr = %v is above max_reward_thr = %v: want min ≤ max", p.MinRewardThr, p.MaxRewardThr)
	case !(p.BoundarySamplingP >= 0 && p.BoundarySamplingP <= 1):
		return fmt.Errorf("boundary_sampling_p = %v: want a probability in [0, 1]", p.BoundarySamplingP)
	case p.QueueLen < 1:
		return fmt.Errorf("queue_len = %d: want at least 1", p.QueueLen)
	case p.BoundaryTest != "pinned" && p.BoundaryTest != "equality":
		return fmt.Errorf("boundary_test = %q: want pinned or equality", p.BoundaryTest)
	case p.Signal != "score" && p.Signal != "return":
		return fmt.Errorf("signal = %q: want score or return", p.Signal)
	}
	for i, m := range p.InitialMean {
		if !task.Finite(m) {
			return fmt.Errorf("initial_mean[%d] = %v: want a finite number", i, m)
		}
	}
	return nil
}

// queue is a boundary's queue: only the sum and count of its rewards matter,
// since it decides, and is cleared, as soon as it is full.
type queue struct {
	sum float64
	n   int
}

// Teacher is an ADR teacher on a Box space.
type Teacher struct {
	p          Params
	box        *task.Box
	d          int
	step       []float64 // per dimension
	curLo      []float64
	curHi      []float64
	minQ, maxQ []queue

	// Boundary pins of the last samples, in a ring: the seed of each task
	// and, per dimension, the sides it lies on.
	seeds []uint64
	valid []bool
	pins  []uint8 // remembered × d
	next  int     // ring slot of the next sample

	out       []float64
	moves     int
	ignored   int
	unmatched int
}

// New returns an ADR teacher on space, which must be a *task.Box. Without
// initial_mean, the starting point is drawn from rng.
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	box, ok := space.(*task.Box)
	if !ok {
		return nil, fmt.Errorf("adr: works on a box, not on a %s space", space.Kind())
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := box.Len()
	if len(p.InitialMean) != 0 && len(p.InitialMean) != d {
		return nil, fmt.Errorf("initial_mean has %d values: want one per dimension of the space (%d)", len(p.InitialMean), d)
	}
	if len(p.InitialMean) != 0 && !box.Contains(p.InitialMean) {
		return nil, fmt.Errorf("initial_mean = %v lies outside the space %v", p.InitialMean, box)
	}
	t := &Teacher{
		p:     p,
		box:   box,
		d:     d,
		step:  make([]float64, d),
		curLo: make([]float64, d),
		curHi: make([]float64, d),
		minQ:  make([]queue, d),
		maxQ:  make([]queue, d),
		seeds: make([]uint64, remembered),
		valid: make([]bool, remembered),
		pins:  make([]uint8, remembered*d),
		out:   make([]float64, d),
	}
	for i := range d {
		t.step[i] = p.StepSize
		if p.StepUnit == "range" {
			t.step[i] = p.StepSize * (box.Hi()[i] - box.Lo()[i])
		}
	}
	if len(p.InitialMean) != 0 {
		copy(t.curLo, p.InitialMean)
	} else {
		box.Uniform(t.curLo, rng)
	}
	copy(t.curHi, t.curLo)
	return t, nil
}

// Sample proposes the next task. The returned Params are valid until the next
// call.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	for i := range t.out {
		t.out[i] = t.curLo[i] + rng.Float64()*(t.curHi[i]-t.curLo[i])
	}
	t.box.Clip(t.out) // rounding of lo + u·(hi−lo)
	pin, side := -1, uint8(0)
	if rng.Float64() < t.p.BoundarySamplingP {
		i := rng.IntN(t.d)
		lo, hi := t.box.Lo()[i], t.box.Hi()[i]
		if t.curLo[i] != lo || t.curHi[i] != hi {
			pin = i
			if rng.Float64() < 0.5 {
				t.out[i], side = t.curLo[i], onMin
			} else {
				t.out[i], side = t.curHi[i], onMax
			}
		}
	}
	seed := rng.Uint64()
	slot := t.next
	t.next = (t.next + 1) % remembered
	t.seeds[slot], t.valid[slot] = seed, true
	pins := t.pins[slot*t.d : (slot+1)*t.d]
	for i := range pins {
		pins[i] = 0
		if t.curLo[i] == t.curHi[i] {
			pins[i] = onMin | onMax
		}
	}
	if pin >= 0 {
		pins[pin] |= side
	}
	return task.Task{Params: t.out, Seed: seed}
}

// Update feeds the reward of task tk to the queues of the boundaries it lay
// on, and moves the boundaries whose queue is full.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	r := o.Return
	if t.p.Signal == "score" {
		r = o.Score
	}
	if !task.Finite(r) || len(tk.Params) != t.d || !task.AllFinite(tk.Params) {
		t.ignored++
		return
	}
	var pins []uint8
	if t.p.BoundaryTest == "pinned" {
		pins = t.lookup(tk.Seed)
		if pins == nil {
			t.unmatched++
			return
		}
	}
	for i := range t.d {
		var at uint8
		if pins != nil {
			at = pins[i]
		} else {
			if tk.Params[i] == t.curLo[i] {
				at |= onMin
			}
			if tk.Params[i] == t.curHi[i] {
				at |= onMax
			}
		}
		if at&onMin != 0 && t.push(&t.minQ[i], r) {
			t.decideMin(i)
		}
		if at&onMax != 0 && t.push(&t.maxQ[i], r) {
			t.decideMax(i)
		}
	}
}

// lookup returns the pins of the remembered sample with the given seed, most
// recent first, and forgets it; nil if there is none.
func (t *Teacher) lookup(seed uint64) []uint8 {
	for k := 1; k <= remembered; k++ {
		slot := (t.next - k + remembered) % remembered
		if t.valid[slot] && t.seeds[slot] == seed {
			t.valid[slot] = false
			return t.pins[slot*t.d : (slot+1)*t.d]
		}
	}
	return nil
}

// push adds r to q and reports whether q is full.
func (t *Teacher) push(q *queue, r float64) bool {
	q.sum += r
	q.n++
	return q.n >= t.p.QueueLen
}

// decideMin moves the lower bound of dimension i by the mean of its full
// queue, then clears the queue.
func (t *Teacher) decideMin(i int) {
	q := &t.minQ[i]
	mean := q.sum / float64(q.n)
	old := t.curLo[i]
	switch {
	case mean >= t.p.MaxRewardThr:
		t.curLo[i] = math.Max(t.curLo[i]-t.step[i], t.box.Lo()[i])
	case mean <= t.p.MinRewardThr:
		t.curLo[i] = math.Min(t.curLo[i]+t.step[i], t.curHi[i])
	}
	if t.curLo[i] != old {
		t.moves++
	}
	*q = queue{}
}

// decideMax moves the upper bound of dimension i by the mean of its full
// queue, then clears the queue.
func (t *Teacher) decideMax(i int) {
	q := &t.maxQ[i]
	mean := q.sum / float64(q.n)
	old := t.curHi[i]
	switch {
	case mean >= t.p.MaxRewardThr:
		t.curHi[i] = math.Min(t.curHi[i]+t.step[i], t.box.Hi()[i])
	case mean <= t.p.MinRewardThr:
		t.curHi[i] = math.Max(t.curHi[i]-t.step[i], t.curLo[i])
	}
	if t.curHi[i] != old {
		t.moves++
	}
	*q = queue{}
}

// Bounds returns the current box. The slices must not be modified.
func (t *Teacher) Bounds() (lo, hi []float64) { return t.curLo, t.curHi }

// Moves returns how many times a boundary has moved.
func (t *Teacher) Moves() int { return t.moves }

// Ignored returns how many outcomes were ignored for non-finite values or a
// wrong dimension.
func (t *Teacher) Ignored() int { return t.ignored }

// Unmatched returns how many updates (with boundary_test = "pinned") named a
// task that is not among the remembered samples, and so fed no queue.
func (t *Teacher) Unmatched() int { return t.unmatched }
