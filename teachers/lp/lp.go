// Package lp is the learning-progress teacher on discrete task spaces: the
// Teacher-Student Curriculum Learning bandits of Matiisen, Oliver, Cohen and
// Schulman, "Teacher-Student Curriculum Learning", IEEE TNNLS 2019 (arXiv
// 1707.00183; reference code tambetm/TSCL), in the factored form of the
// mastering-rate code base (Willems, Lahlou and Bengio, "Mastering Rate based
// Curriculum Learning", arXiv 2008.06456; lcswillems/automatic-curriculum,
// LP attention computer), where a teacher is a learning-progress estimator, an
// attention (|LP|) and an attention-to-distribution converter.
//
// Every teacher step (update_every outcomes; each task's outcomes in the step
// are averaged into one performance entry, as in the reference), the estimator
// updates each task's learning progress lp_i, the attention is a_i = |lp_i|
// (or lp_i with abs = false) and the converter turns it into the sampling
// distribution.
//
// Estimators (auto_curri/lp_estimator.py; K = k, α = alpha):
//
//	online    EMA of the last difference x_last − x_prev
//	naive     EMA of the OLS slope of the last K performances against their indices
//	window    EMA of the OLS slope of the last K performances against their teacher steps
//	linreg    the OLS slope of the last K performances against their teacher steps (no EMA)
//	sampling  one of the last K consecutive differences drawn uniformly (1 before two entries)
//
// Converters (auto_curri/a2d_converter.py; ε = eps, τ = tau):
//
//	argmax               one-hot on the highest attention, ties broken at random
//	greedy-argmax        (1−ε)·argmax + ε·uniform
//	proportional         (a + 1e-8)/Σ(a + 1e-8)
//	greedy-proportional  (1−ε)·proportional + ε·uniform
//	boltzmann            exp(a/τ)/Σ exp(a/τ)
//
// Which combination is which published algorithm:
//
//	TSCL Online       estimator = online,   converter = greedy-argmax (ε-greedy) or boltzmann,
//	                  stale_ema = false (TSCL updates only the observed task's Q)
//	TSCL Naive        approximately: estimator = naive, repeat = k (the chosen task is
//	                  trained k times in a row, so the slope over its last k entries is the
//	                  slope over the block), converter = greedy-argmax or boltzmann,
//	                  stale_ema = false; TSCL updates Q once at the end of the block, here the
//	                  estimate is also refreshed after each episode of the block
//	TSCL Window       estimator = window, converter = greedy-argmax or boltzmann; the paper's
//	                  version smooths with α (alpha = 0.1), the TSCL code feeds the slope
//	                  directly to the policy (alpha = 1)
//	TSCL Sampling     estimator = sampling, converter = greedy-argmax (TSCL's Thompson
//	                  policy: one recent difference per task, then ε-greedy with ε = 0.1)
//	MR paper's gAmax Window, gAmax Linreg, gProp Linreg
//	                  estimator = window / linreg / linreg, converter = greedy-argmax /
//	                  greedy-argmax / greedy-proportional
//
// TSCL's abs option (prefer tasks whose score falls, to counter forgetting)
// is abs = true; the mastering-rate code always uses it. With abs = false
// the attention is signed, which only the argmax and boltzmann converters
// accept.
//
// Defaults: linreg with k = 10 (α = 0.1), greedy-proportional with ε = 0.1
// (τ = 4e-4, TSCL's value, for boltzmann), abs = true, stale_ema = true,
// update_every = 1, repeat = 1: the mastering-rate paper's "gProp Linreg",
// its simplified and improved TS algorithm and the learning-progress baseline
// it compares MR against. (The reference factory's converter default is
// proportional, used with MR attention.)
//
// Reproduced quirks, as options: the EMA estimators re-apply their EMA every
// teacher step to tasks that got no new data (stale_ema = true; TSCL's
// bandit, stale_ema = false, does not); the proportional converters add
// 1e-8 to every attention. Deliberate differences: the Boltzmann converter
// subtracts the maximum before exponentiating (the reference can overflow;
// otherwise the distributions are equal); random draws come from the
// teacher's stream; TSCL's batch setting (every task scored every step) is
// obtained by a student that reports all tasks, which the per-episode teach
// loop does not do: here only the played task is observed, TSCL's online
// (RL) setting.
//
// Cost: O(n) per teacher step for n tasks (O(k) per observed task for the
// slopes), O(log n) per Sample, no allocation.
//
// Policy on bad input: an outcome whose performance is not usable (a return
// that is not finite; a score outside [0, 1] with signal = "score") or whose
// task is not in the space is ignored and counted (Ignored).
package lp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete"
)

// Params are the learning-progress teacher's hyperparameters.
type Params struct {
	Estimator   string  `toml:"estimator" doc:"learning-progress estimator: online, naive, window, linreg or sampling"`
	Alpha       float64 `toml:"alpha" doc:"EMA rate of the online, naive and window estimators (1 = no smoothing)"`
	K           int     `toml:"k" doc:"window of the estimator (performance entries per task)"`
	StaleEMA    bool    `toml:"stale_ema" doc:"re-apply the EMA every teacher step to tasks without new data (mastering-rate code); false = TSCL"`
	Abs         bool    `toml:"abs" doc:"attention = |LP| (also chase forgetting); false = signed LP (argmax and boltzmann only)"`
	Converter   string  `toml:"converter" doc:"attention to distribution: argmax, greedy-argmax, proportional, greedy-proportional or boltzmann"`
	Eps         float64 `toml:"eps" doc:"uniform share of the greedy converters"`
	Tau         float64 `toml:"tau" doc:"temperature of the boltzmann converter"`
	UpdateEvery int     `toml:"update_every" doc:"outcomes per teacher step; each step records each task's mean performance since the last step"`
	Repeat      int     `toml:"repeat" doc:"each sampled task is proposed this many times in a row (TSCL Naive: k)"`
	Signal      string  `toml:"signal" doc:"performance measure: return (mastering-rate code) or score"`
}

// DefaultParams returns gProp Linreg with the reference hyperparameters.
func DefaultParams() Params {
	return Params{
		Estimator:   "linreg",
		Alpha:       0.1,
		K:           10,
		StaleEMA:    true,
		Abs:         true,
		Converter:   "greedy-proportional",
		Eps:         0.1,
		Tau:         4e-4,
		UpdateEvery: 1,
		Repeat:      1,
		Signal:      "return",
	}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if _, err := discrete.ParseEstimator("estimator", p.Estimator); err != nil {
		return err
	}
	conv, err := discrete.ParseConverter("converter", p.Converter)
	if err != nil {
		return err
	}
	if _, err := discrete.ParseSignal("signal", p.Signal, discrete.Return, discrete.Score); err != nil {
		return err
	}
	switch {
	case !p.Abs && conv.NeedsNonNegative():
		return fmt.Errorf("abs = false with converter = %q: a signed attention needs argmax, greedy-argmax or boltzmann", p.Converter)
	case !(p.Alpha > 0 && p.Alpha <= 1):
		return fmt.Errorf("alpha = %v: want a rate in (0, 1]", p.Alpha)
	case p.K < 2:
		return fmt.Errorf("k = %d: want at least 2 (a slope needs two points)", p.K)
	case !(p.Eps >= 0 && p.Eps <= 1):
		return fmt.Errorf("eps = %v: want a probability in [0, 1]", p.Eps)
	case !(p.Tau > 0) || math.IsInf(p.Tau, 0):
		return fmt.Errorf("tau = %v: want a finite temperature > 0", p.Tau)
	case p.UpdateEvery < 1:
		return fmt.Errorf("update_every = %d: want at least 1", p.UpdateEvery)
	case p.Repeat < 1:
		return fmt.Errorf("repeat = %d: want at least 1", p.Repeat)
	}
	return nil
}

// Teacher is a learning-progress teacher.
type Teacher struct {
	p    Params
	n    int
	rng  *rand.Rand
	sig  discrete.Signal
	conv discrete.Converter

	hist  *discrete.History
	lp    *discrete.LP
	batch *discrete.Batch
	step  float64

	att, probs []float64
	dist       *discrete.Dist
	cur, left  int // task being repeated and proposals left
	ignored    int
}

// New returns a learning-progress teacher on space, which must be a
// *task.Discrete. rng is the teacher's stream, used for argmax ties and the
// sampling estimator.
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	d, err := discrete.Space("lp", space)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if rng == nil {
		return nil, errors.New("lp: needs the teacher's random stream")
	}
	est, _ := discrete.ParseEstimator("estimator", p.Estimator)
	conv, _ := discrete.ParseConverter("converter", p.Converter)
	sig, _ := discrete.ParseSignal("signal", p.Signal, discrete.Return, discrete.Score)
	n := d.Len()
	t := &Teacher{
		p: p, n: n, rng: rng, sig: sig, conv: conv,
		hist:  discrete.NewHistory(n, est.HistoryNeed(p.K)),
		lp:    discrete.NewLP(est, n, p.Alpha, p.K, p.StaleEMA),
		batch: discrete.NewBatch(n),
		att:   make([]float64, n), probs: make([]float64, n),
		dist: discrete.NewDist(n),
	}
	t.teacherStep() // the initial distribution, from no data (teacher step 1)
	return t, nil
}

// Sample draws a task from the current distribution (or repeats the current
// one, with repeat > 1), with a fresh seed.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	if t.left == 0 {
		t.cur, t.left = t.dist.Sample(rng), t.p.Repeat
	}
	t.left--
	return task.Task{Index: t.cur, Seed: rng.Uint64()}
}

// Update records the outcome of task tk; every update_every outcomes it
// takes a teacher step.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	v, ok := t.sig.Of(o)
	if !ok || !discrete.InSpace(tk, t.n) {
		t.ignored++
		return
	}
	t.batch.Add(tk.Index, v)
	if t.batch.Pending >= t.p.UpdateEvery {
		t.teacherStep()
	}
}

// Ignored returns the number of outcomes ignored as unusable.
func (t *Teacher) Ignored() int { return t.ignored }

// LearningProgress returns the current estimate for task i.
func (t *Teacher) LearningProgress(i int) float64 { return t.lp.Values[i] }

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

func (t *Teacher) teacherStep() {
	t.step++
	touched := t.batch.Tasks()
	for _, i := range touched {
		t.hist.Add(i, t.step, t.batch.Mean(i))
	}
	t.lp.Step(t.hist, touched, t.rng)
	t.batch.Reset()
	for i, v := range t.lp.Values {
		if t.p.Abs {
			v = math.Abs(v)
		}
		t.att[i] = v
	}
	t.conv.Convert(t.probs, t.att, t.p.Eps, t.p.Tau, t.rng)
	t.dist.Set(t.probs)
}
