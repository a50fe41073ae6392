// Package filter is balanced online difficulty filtering, after Bae, Hong,
// Lee, Kim, Nam and Kwak, "Online Difficulty Filtering for Reasoning
// Oriented Reinforcement Learning", arXiv 2504.03380, 2025.
//
// The paper curates each training batch on the fly with the problems on
// which the current model reaches an intermediate pass rate, measured from
// the model's own recent rollouts: problems it always or never solves carry
// no learning signal (their group-normalised advantages are zero), and the
// expected improvement is largest near a pass rate of 0.5. Problems outside
// the band are dropped and more are drawn until the batch is full.
//
// On a discrete task space this teacher draws a candidate task uniformly
// (the dataset sampler), and accepts it if its recent success rate, the mean
// of the signal over its last window outcomes, lies in [low, high], or if it
// has fewer than min_samples outcomes so far (its rate is unknown).
// Otherwise the candidate is rejected and another one drawn. After
// max_rejections rejections in a row the teacher stops filtering for this
// proposal and returns, of the candidates it drew, the one whose rate was
// closest to the band (the cap keeps a proposal's cost bounded when no task
// is in the band, as at the very start or the very end of training).
//
// The signal is the outcome's score by default: the mean normalised score of
// a window of episodes is the pass rate of the reference when rewards are
// binary, and a graded success rate otherwise; signal = "success" uses the
// Success flags instead.
//
// Defaults: band [0.25, 0.75], symmetric around 0.5 like the paper's
// balanced filter (its exact bounds could not be checked against the full
// text when this was written: treat them as this implementation's choice),
// window 8 (a group of rollouts), min_samples 1, max_rejections 10. The
// window and the cap are also this implementation's choices: the paper
// estimates the pass rate from the rollouts of the current step and
// resamples until the batch is full.
//
// Policy on bad input: an outcome whose signal is unusable (a score outside
// [0, 1]) or whose task is not in the space is ignored and counted
// (Ignored).
package filter

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete"
)

// Params are the filter's hyperparameters.
type Params struct {
	Low           float64 `toml:"low" doc:"lowest recent success rate accepted"`
	High          float64 `toml:"high" doc:"highest recent success rate accepted"`
	Window        int     `toml:"window" doc:"recent outcomes per task that make its success rate"`
	MinSamples    int     `toml:"min_samples" doc:"tasks with fewer outcomes than this are accepted unfiltered"`
	MaxRejections int     `toml:"max_rejections" doc:"rejections in a row after which the candidate closest to the band is proposed"`
	Signal        string  `toml:"signal" doc:"per-outcome success measure: score (mean score = pass rate for binary rewards) or success"`
}

// DefaultParams returns the defaults.
func DefaultParams() Params {
	return Params{Low: 0.25, High: 0.75, Window: 8, MinSamples: 1, MaxRejections: 10, Signal: "score"}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if _, err := discrete.ParseSignal("signal", p.Signal, discrete.Score, discrete.Success); err != nil {
		return err
	}
	switch {
	case !(p.Low >= 0 && p.Low <= 1):
		return fmt.Errorf("low = %v: want a rate in [0, 1]", p.Low)
	case !(p.High >= p.Low && p.High <= 1):
		return fmt.Errorf("high = %v: want a rate in [low, 1] (low = %v)", p.High, p.Low)
	case p.Window < 1:
		return fmt.Errorf("window = %d: want at least 1", p.Window)
	case p.MinSamples < 0 || p.MinSamples > p.Window:
		return fmt.Errorf("min_samples = %d: want 0..window (%d)", p.MinSamples, p.Window)
	case p.MaxRejections < 0:
		return fmt.Errorf("max_rejections = %d: want at least 0", p.MaxRejections)
	}
	return nil
}

// Teacher is a balanced online difficulty filter.
type Teacher struct {
	p      Params
	n      int
	sig    discrete.Signal
	ring   []float64 // task i's window at [i*W, (i+1)*W)
	filled []int
	sum    []float64 // sum of each task's window

	proposals, rejections, fallbacks int
	ignored                          int
}

// New returns a filter teacher on space, which must be a *task.Discrete.
func New(p Params, space task.Space, _ *rand.Rand) (*Teacher, error) {
	d, err := discrete.Space("filter", space)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	sig, _ := discrete.ParseSignal("signal", p.Signal, discrete.Score, discrete.Success)
	n := d.Len()
	return &Teacher{p: p, n: n, sig: sig, ring: make([]float64, n*p.Window), filled: make([]int, n), sum: make([]float64, n)}, nil
}

// Rate returns task i's recent success rate and whether it has at least
// min_samples outcomes.
func (t *Teacher) Rate(i int) (float64, bool) {
	k := min(t.filled[i], t.p.Window)
	if k == 0 {
		return math.NaN(), t.p.MinSamples == 0
	}
	return t.sum[i] / float64(k), k >= t.p.MinSamples
}

// distance returns how far task i's rate lies outside the band (0 inside,
// or when the task is accepted unfiltered).
func (t *Teacher) distance(i int) float64 {
	r, known := t.Rate(i)
	if !known || math.IsNaN(r) {
		return 0
	}
	return max(t.p.Low-r, r-t.p.High, 0)
}

// Sample proposes a task: uniform candidates until one is in the band (or
// unknown), at most max_rejections rejections, then the closest candidate.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	t.proposals++
	best, bestD := -1, math.Inf(1)
	for k := 0; ; k++ {
		i := rng.IntN(t.n)
		d := t.distance(i)
		if d == 0 {
			best = i
			break
		}
		if d < bestD {
			best, bestD = i, d
		}
		if k == t.p.MaxRejections {
			t.fallbacks++
			break
		}
		t.rejections++
	}
	return task.Task{Index: best, Seed: rng.Uint64()}
}

// Update adds the outcome to its task's window.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	v, ok := t.sig.Of(o)
	if !ok || !discrete.InSpace(tk, t.n) {
		t.ignored++
		return
	}
	i, w := tk.Index, t.p.Window
	slot := i*w + t.filled[i]%w
	if t.filled[i] >= w {
		t.sum[i] -= t.ring[slot]
	}
	t.ring[slot] = v
	t.sum[i] += v
	t.filled[i]++
	if t.filled[i]%w == 0 {
		// Re-add the window from scratch once per cycle so that rounding
		// errors of the running sum cannot accumulate.
		var s float64
		for _, x := range t.ring[i*w : (i+1)*w] {
			s += x
		}
		t.sum[i] = s
	}
}

// Stats returns the number of proposals, of rejected candidates, and of
// proposals that hit the rejection cap.
func (t *Teacher) Stats() (proposals, rejections, fallbacks int) {
	return t.proposals, t.rejections, t.fallbacks
}

// Ignored returns the number of outcomes ignored as unusable.
func (t *Teacher) Ignored() int { return t.ignored }
