// Package dump is the DUMP teacher of Wang, Cui, Li, Wan and Zhao, "DUMP:
// Automated Distribution-Level Curriculum Learning for RL-based LLM
// Post-training", arXiv 2504.09710, 2025 (reference code ZhentingWang/DUMP,
// verl/utils/curriculum_learning.py).
//
// DUMP schedules training across data distributions (here: the tasks of a
// discrete space) by their learnability, measured as the expected absolute
// advantage of the policy on them, with an upper-confidence-bound bonus for
// rarely sampled distributions. For each task j it keeps the last window
// absolute advantages of its samples and the count n_j of its samples; after
// each training step it scores
//
//	UCB_j = mean(window_j) + c·√(2·ln(N + 1)/(n_j + 1)),   N = Σ n_j,
//
// and samples tasks from softmax(UCB/τ). A task without samples has mean 0
// and the largest bonus. Before the first step the distribution is uniform.
//
// Defaults are the reference code's: window 300, c (exploration_weight) 1,
// τ (temperature) 0.1. A training step is update_every outcomes (default 1:
// every episode); the reference recomputes its weights after every
// training batch.
//
// The absolute advantages come from the student's task.MeanAbsAdvantage
// signal when it attaches one (one value per episode, standing for the
// episode's mean |advantage|; the reference adds every sample's advantage
// to the window). Students without advantages get the proxy of param proxy,
// as for SEC: delta, |x − x_prev| of the outcome's signal since the task's
// previous outcome (a task's first outcome counts as a sample but adds no
// value), or bernoulli, 2·√(s(1−s)) for score s, the expected mean
// absolute GRPO advantage of a binary reward with success probability s.
//
// Policy on bad input: an outcome whose reward input is unusable (an
// advantage that is negative or not finite, a score outside [0, 1], a return
// that is not finite) or whose task is not in the space is ignored and
// counted (Ignored); it is not counted as a sample.
package dump

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete"
)

// Params are DUMP's hyperparameters.
type Params struct {
	Window      int     `toml:"window" doc:"recent absolute advantages kept per task (sliding window)"`
	C           float64 `toml:"c" doc:"weight of the exploration bonus sqrt(2 ln(N+1)/(n_j+1))"`
	Tau         float64 `toml:"tau" doc:"temperature of the softmax over UCB scores"`
	UpdateEvery int     `toml:"update_every" doc:"outcomes per training step (the UCB scores are recomputed after each step)"`
	Proxy       string  `toml:"proxy" doc:"reward when the student gives no mean absolute advantage: delta or bernoulli"`
	Signal      string  `toml:"signal" doc:"value the delta proxy tracks: score or return"`
}

// DefaultParams returns the reference defaults.
func DefaultParams() Params {
	return Params{Window: 300, C: 1, Tau: 0.1, UpdateEvery: 1, Proxy: "delta", Signal: "score"}
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
	case p.Window < 1:
		return fmt.Errorf("window = %d: want at least 1", p.Window)
	case !(p.C >= 0) || math.IsInf(p.C, 0):
		return fmt.Errorf("c = %v: want a finite weight ≥ 0", p.C)
	case !(p.Tau > 0) || math.IsInf(p.Tau, 0):
		return fmt.Errorf("tau = %v: want a finite temperature > 0", p.Tau)
	case p.UpdateEvery < 1:
		return fmt.Errorf("update_every = %d: want at least 1", p.UpdateEvery)
	}
	return nil
}

// Teacher is a DUMP teacher.
type Teacher struct {
	p       Params
	n       int
	adv     *discrete.Advantage
	ring    []float64 // task j's window at [j*W, (j+1)*W)
	filled  []int     // values ever added per task
	mu      []float64 // mean of each task's window
	count   []int64   // samples per task
	total   int64
	pending int
	ucb     []float64
	probs   []float64
	dist    *discrete.Dist
	ignored int
}

// New returns a DUMP teacher on space, which must be a *task.Discrete.
func New(p Params, space task.Space, _ *rand.Rand) (*Teacher, error) {
	d, err := discrete.Space("dump", space)
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
		adv:    discrete.NewAdvantage(n, proxy, sig),
		ring:   make([]float64, n*p.Window),
		filled: make([]int, n), mu: make([]float64, n), count: make([]int64, n),
		ucb: make([]float64, n), probs: make([]float64, n),
		dist: discrete.NewDist(n),
	}
	for i := range t.probs {
		t.probs[i] = 1 / float64(n)
	}
	return t, nil
}

// Sample draws a task from the softmax over UCB scores, with a fresh seed.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	return task.Task{Index: t.dist.Sample(rng), Seed: rng.Uint64()}
}

// Update records the outcome; every update_every outcomes it recomputes the
// UCB scores and the distribution.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	if !discrete.InSpace(tk, t.n) {
		t.ignored++
		return
	}
	i := tk.Index
	r, ok, valid := t.adv.Reward(i, o)
	if !valid {
		t.ignored++
		return
	}
	if ok {
		w := t.p.Window
		t.ring[i*w+t.filled[i]%w] = r
		t.filled[i]++
		k := min(t.filled[i], w)
		var s float64
		for _, v := range t.ring[i*w : i*w+k] {
			s += v
		}
		t.mu[i] = s / float64(k)
	}
	t.count[i]++
	t.total++
	t.pending++
	if t.pending < t.p.UpdateEvery {
		return
	}
	t.pending = 0
	logN := 2 * math.Log(float64(t.total)+1)
	for j := range t.ucb {
		t.ucb[j] = t.mu[j] + t.p.C*math.Sqrt(logN/float64(t.count[j]+1))
	}
	discrete.Softmax(t.probs, t.ucb, t.p.Tau)
	t.dist.Set(t.probs)
}

// Score returns the current UCB score of task i (as of the last step).
func (t *Teacher) Score(i int) float64 { return t.ucb[i] }

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
