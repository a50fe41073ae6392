// Package adarft is target-difficulty sampling after AdaRFT: Shi, Wu, Song,
// Zhou and Zhao, "Efficient Reinforcement Finetuning via Adaptive Curriculum
// Learning", arXiv 2504.05520, 2025 (reference: the authors' verl extension,
// data.adarft.* settings).
//
// AdaRFT keeps a target difficulty T. Each training step it trains on the
// problems whose difficulty is closest to T, measures the batch's average
// reward R, and moves the target towards the difficulty at which the student
// succeeds at the desired rate β:
//
//	T ← clip(T + η·tanh(α·(R − β)), d_min, d_max).
//
// A high reward raises the target (harder tasks), a low one lowers it.
//
// On a discrete task space, difficulties come from the space
// (task.Discrete.Difficulty: by default a task's depth in the prerequisite
// graph, or whatever the family set with WithDifficulty), mapped linearly
// onto the reference's 0–100 scale (the easiest task at 0, the hardest at
// 100; all at 0 if they are equal), so that the reference's step size and
// bounds keep their meaning. Each proposal is drawn uniformly among the
// tasks whose scaled difficulty is nearest to T (ties included: a graph has
// many tasks per depth). R is the mean signal (score by default: the
// accuracy of the reference's binary rewards) over batch outcomes.
//
// Defaults are the reference's: β = 0.5, α = 2, η = 50, d_min = 0,
// d_max = 100, initial target 0 (the easiest tasks). The batch is this
// implementation's choice: the reference updates once per PPO step of 1024
// prompts, during which an LLM changes little; a per-episode learner such
// as the synthetic students changes a lot in 1024 episodes, so the default
// averages 32 outcomes per update. Set batch to your student's episodes per
// learner update to match the reference's timing.
//
// Policy on bad input: an outcome whose signal is unusable (a score outside
// [0, 1]) or whose task is not in the space is ignored and counted
// (Ignored).
package adarft

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete"
)

// Scale is the top of the difficulty scale the parameters are expressed in.
const Scale = 100

// Params are AdaRFT's hyperparameters.
type Params struct {
	Beta       float64 `toml:"beta" doc:"target reward (success rate) the student should keep"`
	Alpha      float64 `toml:"alpha" doc:"sensitivity of the target update to the reward gap"`
	Eta        float64 `toml:"eta" doc:"step size of the target update, in difficulty units (0-100 scale)"`
	DMin       float64 `toml:"d_min" doc:"lowest target difficulty (0-100 scale)"`
	DMax       float64 `toml:"d_max" doc:"highest target difficulty (0-100 scale)"`
	TargetInit float64 `toml:"target_init" doc:"initial target difficulty (0-100 scale)"`
	Batch      int     `toml:"batch" doc:"outcomes whose mean reward drives one target update"`
	Signal     string  `toml:"signal" doc:"reward: score (mean score = accuracy for binary rewards) or success"`
}

// DefaultParams returns the reference defaults (and a batch of 32).
func DefaultParams() Params {
	return Params{Beta: 0.5, Alpha: 2, Eta: 50, DMin: 0, DMax: Scale, TargetInit: 0, Batch: 32, Signal: "score"}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if _, err := discrete.ParseSignal("signal", p.Signal, discrete.Score, discrete.Success); err != nil {
		return err
	}
	switch {
	case !(p.Beta >= 0 && p.Beta <= 1):
		return fmt.Errorf("beta = %v: want a reward in [0, 1]", p.Beta)
	case !(p.Alpha > 0) || math.IsInf(p.Alpha, 0):
		return fmt.Errorf("alpha = %v: want a finite number > 0", p.Alpha)
	case !(p.Eta >= 0) || math.IsInf(p.Eta, 0):
		return fmt.Errorf("eta = %v: want a finite step ≥ 0", p.Eta)
	case !(p.DMin >= 0 && p.DMin <= Scale):
		return fmt.Errorf("d_min = %v: want a difficulty in [0, %d]", p.DMin, Scale)
	case !(p.DMax >= p.DMin && p.DMax <= Scale):
		return fmt.Errorf("d_max = %v: want a difficulty in [d_min, %d] (d_min = %v)", p.DMax, Scale, p.DMin)
	case !(p.TargetInit >= p.DMin && p.TargetInit <= p.DMax):
		return fmt.Errorf("target_init = %v: want a difficulty in [d_min, d_max] = [%v, %v]", p.TargetInit, p.DMin, p.DMax)
	case p.Batch < 1:
		return fmt.Errorf("batch = %d: want at least 1", p.Batch)
	}
	return nil
}

// Teacher is an AdaRFT teacher.
type Teacher struct {
	p      Params
	n      int
	sig    discrete.Signal
	order  []int     // task indices by increasing scaled difficulty
	levels []float64 // distinct scaled difficulties, increasing
	start  []int     // tasks of level k are order[start[k]:start[k+1]]
	scaled []float64 // scaled difficulty per task

	target         float64
	lo, hi         int // candidates: order[lo:hi]
	sum            float64
	count, updates int
	ignored        int
}

// New returns an AdaRFT teacher on space, which must be a *task.Discrete.
func New(p Params, space task.Space, _ *rand.Rand) (*Teacher, error) {
	d, err := discrete.Space("adarft", space)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	sig, _ := discrete.ParseSignal("signal", p.Signal, discrete.Score, discrete.Success)
	n := d.Len()
	t := &Teacher{p: p, n: n, sig: sig, order: make([]int, n), scaled: make([]float64, n), target: p.TargetInit}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range n {
		lo, hi = min(lo, d.Difficulty(i)), max(hi, d.Difficulty(i))
	}
	for i := range n {
		if hi > lo {
			t.scaled[i] = Scale * (d.Difficulty(i) - lo) / (hi - lo)
		}
		t.order[i] = i
	}
	slices.SortStableFunc(t.order, func(a, b int) int { return cmpFloat(t.scaled[a], t.scaled[b]) })
	for k, i := range t.order {
		if k == 0 || t.scaled[i] != t.levels[len(t.levels)-1] {
			t.levels = append(t.levels, t.scaled[i])
			t.start = append(t.start, k)
		}
	}
	t.start = append(t.start, n)
	t.retarget()
	return t, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// retarget sets the candidate range to the tasks nearest the target.
func (t *Teacher) retarget() {
	j, _ := slices.BinarySearch(t.levels, t.target) // first level ≥ target
	a, b := j, j
	switch {
	case j == len(t.levels):
		a, b = j-1, j-1
	case j > 0:
		below, above := t.target-t.levels[j-1], t.levels[j]-t.target
		switch {
		case below < above:
			a, b = j-1, j-1
		case below == above:
			a = j - 1
		}
	}
	t.lo, t.hi = t.start[a], t.start[b+1]
}

// Sample draws a task uniformly among those nearest the target difficulty.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	i := t.order[t.lo+rng.IntN(t.hi-t.lo)]
	return task.Task{Index: i, Seed: rng.Uint64()}
}

// Update adds the outcome's reward to the batch; a full batch moves the
// target.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	v, ok := t.sig.Of(o)
	if !ok || !discrete.InSpace(tk, t.n) {
		t.ignored++
		return
	}
	t.sum += v
	t.count++
	if t.count < t.p.Batch {
		return
	}
	r := t.sum / float64(t.count)
	t.sum, t.count = 0, 0
	t.target = min(max(t.target+t.p.Eta*math.Tanh(t.p.Alpha*(r-t.p.Beta)), t.p.DMin), t.p.DMax)
	t.updates++
	t.retarget()
}

// Target returns the current target difficulty (0–100 scale).
func (t *Teacher) Target() float64 { return t.target }

// Difficulty returns task i's difficulty on the 0–100 scale.
func (t *Teacher) Difficulty(i int) float64 { return t.scaled[i] }

// Ignored returns the number of outcomes ignored as unusable.
func (t *Teacher) Ignored() int { return t.ignored }
