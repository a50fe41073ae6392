// Package gmmteach holds the pieces that the Gaussian-mixture teachers of
// Portelas et al. (CoRL 2019) share — ALP-GMM and Covar-GMM — so that each
// teacher package keeps only what makes it different:
//
//   - ProportionalChoice, the reference's proportional_choice (also used by
//     RIAC to pick a region in proportion to its learning progress);
//   - RandomTask, the random branch of the GMM teachers: uniform in the space,
//     or, during the bootstrap, TeachMyAgent's optional initial Gaussian
//     ("initial_dist", high expert knowledge) clipped to the space;
//   - Candidates, the refit loop: one mixture per candidate number of
//     components, fitted from scratch on the same window, and the one with the
//     lowest information criterion kept;
//   - CheckKs and CheckInitial, the parameter checks these steps need, with
//     messages that name the TOML keys.
//
// Nothing here allocates per call once its buffers are sized.
package gmmteach

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/teachbench/teachbench/stats/gmm"
	"github.com/teachbench/teachbench/task"
)

// ProportionalChoice returns index i with probability w[i]/Σw, or an index
// drawn uniformly when no weight is positive (the reference's
// proportional_choice with eps = 0). Weights must be finite and non-negative;
// a NaN or negative weight counts as zero, so a caller's bug cannot make the
// choice land on it.
func ProportionalChoice(w []float64, rng *rand.Rand) int {
	sum := 0.0
	for _, x := range w {
		if x > 0 {
			sum += x
		}
	}
	if !(sum > 0) || math.IsInf(sum, 1) {
		return rng.IntN(len(w))
	}
	u := rng.Float64() * sum
	last := -1
	for i, x := range w {
		if !(x > 0) {
			continue
		}
		u -= x
		if u < 0 {
			return i
		}
		last = i
	}
	// Rounding left u ≥ 0: the last positive weight takes the remainder.
	return last
}

// RandomTask fills dst, of the box's dimension, with a task of the random
// branch and returns it. When bootstrap is true and mean is not empty, the
// task is drawn from N(mean, diag(std²)) and clipped to the box, as
// TeachMyAgent does with an initial distribution during the bootstrap;
// otherwise it is uniform in the box.
func RandomTask(dst []float64, box *task.Box, mean, std []float64, bootstrap bool, rng *rand.Rand) []float64 {
	if bootstrap && len(mean) > 0 {
		for i := range dst {
			dst[i] = mean[i] + std[i]*rng.NormFloat64()
		}
		box.Clip(dst)
		return dst
	}
	return box.Uniform(dst, rng)
}

// CheckInitial checks the initial_mean and initial_std parameters: both empty,
// or both with one finite value per dimension (std ≥ 0). d is the dimension
// of the space, or 0 when it is not known yet (parameter validation).
func CheckInitial(mean, std []float64, d int) error {
	if len(mean) != len(std) {
		return fmt.Errorf("initial_mean has %d values and initial_std %d: give both with one value per dimension, or neither", len(mean), len(std))
	}
	for i, m := range mean {
		if math.IsNaN(m) || math.IsInf(m, 0) {
			return fmt.Errorf("initial_mean[%d] = %v: want a finite number", i, m)
		}
	}
	for i, s := range std {
		if !(s >= 0) || math.IsInf(s, 1) {
			return fmt.Errorf("initial_std[%d] = %v: want a finite number ≥ 0", i, s)
		}
	}
	if d > 0 && len(mean) != 0 && len(mean) != d {
		return fmt.Errorf("initial_mean has %d values: want one per dimension of the space (%d)", len(mean), d)
	}
	return nil
}

// CheckKs checks the potential_ks parameter against fit_rate: at least one
// number of components, each at least 1, no repeats, and fewer than the
// fit_rate points each fit uses.
func CheckKs(ks []int, fitRate int) error {
	if len(ks) == 0 {
		return errors.New("potential_ks is empty: want at least one number of Gaussians")
	}
	for i, k := range ks {
		if k < 1 {
			return fmt.Errorf("potential_ks[%d] = %d: want at least 1", i, k)
		}
		if slices.Contains(ks[:i], k) {
			return fmt.Errorf("potential_ks lists %d twice", k)
		}
	}
	if m := slices.Max(ks); fitRate <= m {
		return fmt.Errorf("fit_rate = %d: want more than the largest potential k (%d)", fitRate, m)
	}
	return nil
}

// Criterion scores a fitted mixture; lower is better.
type Criterion func(m *gmm.Model) float64

// AIC is the Akaike information criterion (the reference's default fitness).
func AIC(m *gmm.Model) float64 { return m.AIC() }

// BIC is the Bayesian information criterion.
func BIC(m *gmm.Model) float64 { return m.BIC() }

// Candidates refits one Gaussian mixture per candidate number of components
// and keeps the best. It owns the EM scratch memory and the candidate models,
// so that refits of the same size allocate nothing after the first.
type Candidates struct {
	ks     []int
	cfg    gmm.Config
	fitter gmm.Fitter
	models []gmm.Model
	failed int
}

// NewCandidates returns a refit loop over the numbers of components ks, with
// the EM settings cfg (cfg.K is ignored).
func NewCandidates(ks []int, cfg gmm.Config) *Candidates {
	return &Candidates{ks: slices.Clone(ks), cfg: cfg, models: make([]gmm.Model, len(ks))}
}

// MaxK returns the largest candidate number of components.
func (c *Candidates) MaxK() int { return slices.Max(c.ks) }

// Fit fits a mixture for every candidate k on the n points of dimension dim
// stored row-major in x, each from scratch (the reference's warm_start =
// False), and copies the one with the lowest score into dst. A candidate
// whose fit fails (fewer points than components, numerical failure) is
// skipped and counted in Failed, as in the teachDeepRL fork that wraps each
// fit in try/except. Fit reports false, leaving dst unchanged, when every
// candidate failed. rng drives the k-means initialisations.
func (c *Candidates) Fit(dst *gmm.Model, x []float64, n, dim int, score Criterion, rng *rand.Rand) bool {
	best, bestScore := -1, math.Inf(1)
	cfg := c.cfg
	for i, k := range c.ks {
		cfg.K = k
		if err := c.fitter.Fit(&c.models[i], x, n, dim, cfg, rng); err != nil {
			c.failed++
			continue
		}
		// Strict comparison: the first of equal scores wins, as numpy's
		// argmin does.
		if s := score(&c.models[i]); best < 0 || s < bestScore {
			best, bestScore = i, s
		}
	}
	if best < 0 {
		return false
	}
	c.models[best].Copy(dst)
	return true
}

// Failed returns how many candidate fits have failed so far.
func (c *Candidates) Failed() int { return c.failed }
