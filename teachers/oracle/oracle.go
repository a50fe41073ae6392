// Package oracle is the hand-made curriculum of Portelas, Colas, Hofmann and
// Oudeyer, "Teacher algorithms for curriculum learning of Deep RL in
// continuously parameterized environments", CoRL 2019 (reference code:
// flowersteam/teachDeepRL, teachers/algos/oracle_teacher.py): an expert
// curriculum that knows where the easy tasks are, used there as an upper
// reference for the automatic teachers.
//
// The oracle samples tasks uniformly inside a window that spans
// window_ratio (1/6) of the range of every dimension. The window starts at
// the easy end of each dimension and, whenever the student does well enough,
// moves one step towards the hard end: rewards are collected in
// non-overlapping blocks of step_rate episodes, and when a block's mean
// reward exceeds reward_thr (strictly) the window moves by its step vector,
// clamped so that it stays inside the space.
//
// The easy end of a dimension comes from the family (task.Dim.Easy): a
// dimension that is easy at its low end (EasyLo) starts with the window at
// its lower bound and moves up; one easy at its high end (EasyHi) starts at
// the top and moves down. A family that does not say (EasyUnknown) is
// treated as EasyLo. The default step is step_fraction (1/30) of each
// dimension's range towards its hard end, which is the reference's setting
// for Stump Tracks: steps +0.1 on stump height (range 3) and −0.2 on
// obstacle spacing (range 6), both 1/30 of the range. window_step_vector
// overrides the steps with one value per dimension in task units; as in the
// reference, the sign of a step gives the direction (positive: from the
// lower bound upwards; negative: from the top downwards), and a zero step
// keeps that dimension's window at its easy end (the reference puts it at
// the top).
//
// Every hyperparameter is a parameter with the reference default: step_rate
// 50, reward_thr 230, window 1/6 of the range, on raw returns (signal
// "return"; teachDeepRL feeds the oracle raw returns, while the other
// teachers get normalised ones). reward_thr is in the units of the chosen
// signal: on the toy family, returns are competence/100 in [0, 1], so a
// config must set a threshold on that scale (230 would never be exceeded and
// the window would never move).
//
// A zero-width dimension gets a zero-width window at its only value; every
// task takes that value.
//
// Policy on bad outcomes: an outcome whose signal (score or return) is not
// finite is ignored — it does not enter the current block — and counted in
// Ignored. The runner never passes such outcomes.
package oracle

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Params are the oracle's hyperparameters.
type Params struct {
	StepRate         int       `toml:"step_rate" doc:"episodes per block; the window may move after each block"`
	RewardThr        float64   `toml:"reward_thr" doc:"the window moves when a block's mean reward exceeds this (signal units)"`
	WindowRatio      float64   `toml:"window_ratio" doc:"width of the window as a fraction of each dimension's range"`
	StepFraction     float64   `toml:"step_fraction" doc:"default step as a fraction of each dimension's range, towards its hard end"`
	WindowStepVector []float64 `toml:"window_step_vector" doc:"per-dimension steps in task units (sign = direction); empty means step_fraction towards each hard end"`
	Signal           string    `toml:"signal" doc:"outcome used as reward: return (raw, as teachDeepRL) or score (normalised to [0,1])"`
}

// DefaultParams returns the teachDeepRL defaults.
func DefaultParams() Params {
	return Params{
		StepRate:     50,
		RewardThr:    230,
		WindowRatio:  1.0 / 6,
		StepFraction: 1.0 / 30,
		Signal:       "return",
	}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	switch {
	case p.StepRate < 1:
		return fmt.Errorf("step_rate = %d: want at least 1", p.StepRate)
	case !task.Finite(p.RewardThr):
		return fmt.Errorf("reward_thr = %v: want a finite number", p.RewardThr)
	case !(p.WindowRatio > 0 && p.WindowRatio <= 1):
		return fmt.Errorf("window_ratio = %v: want a fraction in (0, 1]", p.WindowRatio)
	case !(p.StepFraction >= 0 && p.StepFraction <= 1):
		return fmt.Errorf("step_fraction = %v: want a fraction in [0, 1]", p.StepFraction)
	case p.Signal != "score" && p.Signal != "return":
		return fmt.Errorf("signal = %q: want score or return", p.Signal)
	}
	for i, s := range p.WindowStepVector {
		if !task.Finite(s) {
			return fmt.Errorf("window_step_vector[%d] = %v: want a finite number", i, s)
		}
	}
	return nil
}

// Teacher is the oracle on a Box space.
type Teacher struct {
	p      Params
	box    *task.Box
	step   []float64 // per dimension, signed
	width  []float64 // window width per dimension
	pos    []float64 // lower corner of the window
	sum    float64   // rewards of the current block
	n      int
	moves  int
	blocks int

	out     []float64
	ignored int
}

// New returns an oracle on space, which must be a *task.Box.
func New(p Params, space task.Space, _ *rand.Rand) (*Teacher, error) {
	box, ok := space.(*task.Box)
	if !ok {
		return nil, fmt.Errorf("oracle: works on a box, not on a %s space", space.Kind())
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := box.Len()
	if len(p.WindowStepVector) != 0 && len(p.WindowStepVector) != d {
		return nil, fmt.Errorf("window_step_vector has %d values: want one per dimension of the space (%d), or none", len(p.WindowStepVector), d)
	}
	t := &Teacher{
		p:     p,
		box:   box,
		step:  make([]float64, d),
		width: make([]float64, d),
		pos:   make([]float64, d),
		out:   make([]float64, d),
	}
	for i := range d {
		lo, hi := box.Lo()[i], box.Hi()[i]
		t.width[i] = (hi - lo) * p.WindowRatio
		easyHi := box.Dim(i).Easy == task.EasyHi
		if len(p.WindowStepVector) != 0 {
			t.step[i] = p.WindowStepVector[i]
		} else {
			t.step[i] = (hi - lo) * p.StepFraction
			if easyHi {
				t.step[i] = -t.step[i]
			}
		}
		if t.step[i] < 0 || t.step[i] == 0 && easyHi {
			t.pos[i] = hi - t.width[i]
		} else {
			t.pos[i] = lo
		}
	}
	return t, nil
}

// Sample draws a task uniformly in the window. The returned Params are valid
// until the next call.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	for i := range t.out {
		t.out[i] = t.pos[i] + rng.Float64()*t.width[i]
	}
	t.box.Clip(t.out) // rounding of pos + u·width at the top of the space
	return task.Task{Params: t.out, Seed: rng.Uint64()}
}

// Update adds the outcome's reward to the current block; at the end of a
// block whose mean reward exceeds reward_thr, the window moves one step.
func (t *Teacher) Update(_ task.Task, o task.Outcome) {
	r := o.Return
	if t.p.Signal == "score" {
		r = o.Score
	}
	if !task.Finite(r) {
		t.ignored++
		return
	}
	t.sum += r
	t.n++
	if t.n < t.p.StepRate {
		return
	}
	mean := t.sum / float64(t.n)
	t.sum, t.n = 0, 0
	t.blocks++
	if !(mean > t.p.RewardThr) {
		return
	}
	moved := false
	for i, s := range t.step {
		old := t.pos[i]
		if s > 0 {
			t.pos[i] = math.Min(t.pos[i]+s, t.box.Hi()[i]-t.width[i])
		} else {
			t.pos[i] = math.Max(t.pos[i]+s, t.box.Lo()[i])
		}
		moved = moved || t.pos[i] != old
	}
	if moved {
		t.moves++
	}
}

// Window returns the lower corner and the width of the current window. The
// slices must not be modified.
func (t *Teacher) Window() (lo, width []float64) { return t.pos, t.width }

// Moves returns how many blocks moved the window.
func (t *Teacher) Moves() int { return t.moves }

// Blocks returns how many complete blocks of step_rate rewards were seen.
func (t *Teacher) Blocks() int { return t.blocks }

// Ignored returns how many outcomes were ignored for a non-finite signal.
func (t *Teacher) Ignored() int { return t.ignored }
