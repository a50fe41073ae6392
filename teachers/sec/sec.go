// Package sec is the Self-Evolving Curriculum teacher of Chen, Lu, Kim,
// Zhang, Tang, Piché, Gontier, Bengio and Kamalloo, "Self-Evolving Curriculum
// for LLM Reasoning", arXiv 2505.14970, 2025.
//
// SEC treats curriculum selection as a non-stationary multi-armed bandit
// whose arms are task categories (here: the tasks of a discrete space). The
// reward of an arm at a training step is the mean absolute advantage of the
// policy-gradient update on the problems drawn from it, a proxy for the
// immediate learning gain. Each arm's value is updated by TD(0),
//
//	Q(c) ← α·r(c) + (1 − α)·Q(c),
//
// for the arms that appeared in the step's batch, and arms are sampled from
// the Boltzmann distribution p(c) ∝ exp(Q(c)/τ). Values start at 0, so the
// first distribution is uniform.
//
// Defaults follow the run commands published with the authors' code
// (trainer.sec.bandit.lr and .temperature): alpha (the bandit learning rate)
// 0.5, tau 1.0 (their Countdown setting; their math and 2-D runs use 0.4 and
// 0.2).
//
// A training step is update_every outcomes (default 1: every episode): the
// reward of each task is the mean reward of its outcomes in the step.
//
// The reward of an outcome is the student's task.MeanAbsAdvantage signal when
// it attaches one. Students without advantages (closed-form learners,
// evolution strategies) get a documented proxy (param proxy):
//
//	delta      |x − x_prev|, the absolute change of the outcome's signal (score or
//	           return, param signal) since the task's previous outcome: the one-step
//	           absolute learning progress, or for a stochastic episode |return −
//	           baseline| with the previous return as the baseline. A task's first
//	           outcome yields no reward.
//	bernoulli  2·√(s(1−s)) for the outcome's score s: the expected mean absolute
//	           group-normalised (GRPO) advantage of a binary reward with success
//	           probability s.
//
// The proxies are on a different scale from GRPO advantages (delta is
// typically a few hundredths per episode), so with the default temperature
// SEC on a proxy is close to uniform sampling; lower tau to sharpen it.
//
// Deliberate difference: the Boltzmann distribution is computed with the
// maximum value subtracted (numerically stable; same distribution).
//
// Policy on bad input: an outcome whose reward input is unusable (an
// advantage that is negative or not finite, a score outside [0, 1], a return
// that is not finite) or whose task is not in the space is ignored and
// counted (Ignored).
package sec

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete"
)

// Params are SEC's hyperparameters.
type Params struct {
	Alpha       float64 `toml:"alpha" doc:"TD(0) step size of the arm values (the bandit learning rate)"`
	Tau         float64 `toml:"tau" doc:"temperature of the Boltzmann distribution over arm values"`
	UpdateEvery int     `toml:"update_every" doc:"outcomes per training step; each arm seen in the step is updated once with its mean reward"`
	Proxy       string  `toml:"proxy" doc:"reward when the student gives no mean absolute advantage: delta (|change of the signal since the task's last outcome|) or bernoulli (2·sqrt(s(1-s)))"`
	Signal      string  `toml:"signal" doc:"value the delta proxy tracks: score or return"`
}

// DefaultParams returns the defaults of the authors' code.
func DefaultParams() Params {
	return Params{Alpha: 0.5, Tau: 1, UpdateEvery: 1, Proxy: "delta", Signal: "score"}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if _, err := discrete.ParseProxy("proxy", p.Proxy); err != nil {
		return err
	}
	if _, err := discrete.ParseSignal("signal", p.Signal, discrete.Score, discrete.Return); err != nil {
		return err
	}
	switch {
	case !(p.Alpha > 0 && p.Alpha <= 1):
		return fmt.Errorf("alpha = %v: want a step size in (0, 1]", p.Alpha)
	case !(p.Tau > 0) || math.IsInf(p.Tau, 0):
		return fmt.Errorf("tau = %v: want a finite temperature > 0", p.Tau)
	case p.UpdateEvery < 1:
		return fmt.Errorf("update_every = %d: want at least 1", p.UpdateEvery)
	}
	return nil
}

// Teacher is an SEC teacher.
type Teacher struct {
	p       Params
	n       int
	adv     *discrete.Advantage
	batch   *discrete.Batch
	pending int // outcomes in the current step
	q       []float64
	probs   []float64
	dist    *discrete.Dist
	ignored int
}

// New returns an SEC teacher on space, which must be a *task.Discrete.
func New(p Params, space task.Space, _ *rand.Rand) (*Teacher, error) {
	d, err := discrete.Space("sec", space)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	proxy, _ := discrete.ParseProxy("proxy", p.Proxy)
	sig, _ := discrete.ParseSignal("signal", p.Signal, discrete.Score, discrete.Return)
	n := d.Len()
	t := &Teacher{
		p: p, n: n,
		adv:   discrete.NewAdvantage(n, proxy, sig),
		batch: discrete.NewBatch(n),
		q:     make([]float64, n), probs: make([]float64, n),
		dist: discrete.NewDist(n),
	}
	discrete.Softmax(t.probs, t.q, p.Tau)
	return t, nil
}

// Sample draws a task from the Boltzmann distribution, with a fresh seed.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	return task.Task{Index: t.dist.Sample(rng), Seed: rng.Uint64()}
}

// Update records the reward of the outcome; every update_every outcomes it
// applies the TD(0) updates and recomputes the distribution.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	if !discrete.InSpace(tk, t.n) {
		t.ignored++
		return
	}
	r, ok, valid := t.adv.Reward(tk.Index, o)
	if !valid {
		t.ignored++
		return
	}
	if ok {
		t.batch.Add(tk.Index, r)
	}
	t.pending++
	if t.pending < t.p.UpdateEvery {
		return
	}
	t.pending = 0
	for _, i := range t.batch.Tasks() {
		t.q[i] = t.p.Alpha*t.batch.Mean(i) + (1-t.p.Alpha)*t.q[i]
	}
	t.batch.Reset()
	discrete.Softmax(t.probs, t.q, t.p.Tau)
	t.dist.Set(t.probs)
}

// Value returns the current value Q of task i.
func (t *Teacher) Value(i int) float64 { return t.q[i] }

// Ignored returns the number of outcomes ignored as unusable.
func (t *Teacher) Ignored() int { return t.ignored }

// Probabilities copies the current sampling distribution into dst (grown if
// short) and returns it.
func (t *Teacher) Probabilities(dst []float64) []float64 {
	if cap(dst) < t.n {
		dst = make([]float64, t.n)
	}
	dst = dst[:t.n]
	copy(dst, t.probs)
	return dst
}
