// Package covargmm is the Covar-GMM teacher of Portelas, Colas, Hofmann and
// Oudeyer, "Teacher algorithms for curriculum learning of Deep RL in
// continuously parameterized environments", CoRL 2019 (reference code:
// flowersteam/teachDeepRL, teachers/algos/covar_gmm.py; also TeachMyAgent). It
// adapts the intrinsically motivated goal exploration of Moulin-Frier, Nguyen
// and Oudeyer, "Self-organization of early vocal development in infants and
// machines: the role of intrinsic motivation", Frontiers in Psychology 2014
// (IGMM), as cited by Portelas et al. 2019.
//
// Covar-GMM models the joint distribution of [task, time, reward] with a
// Gaussian mixture and reads each Gaussian's learning progress off its
// covariance: a Gaussian in which the reward rises with time covers tasks the
// student is getting better at. For every episode it stores the row
// [task..., t, r], where t = (n mod fit_rate)/fit_rate is the position of the
// episode within the current batch of fit_rate episodes (n counts the
// episodes recorded before it), so that inside each fitting window the times
// run 0, 1/F, …, (F−1)/F in episode order. Every fit_rate episodes, once the
// bootstrap is over, it fits fresh mixtures (full covariance, one for each k
// in potential_ks) on the last fit_rate rows and keeps the one with the lowest
// AIC. To propose a task it samples uniformly (during the bootstrap, before
// the first fit, and with probability random_ratio afterwards) or picks a
// Gaussian in proportion to its learning progress, max(0, cov(t, r)) — or
// |cov(t, r)| with absolute_lp — (uniformly when every progress is zero),
// draws a point from it, drops the time and reward coordinates and clips the
// task into the space.
//
// Every hyperparameter of the reference is a parameter with the teachDeepRL
// default: fit_rate 250, potential_ks 2..10, bootstrap = fit_rate,
// random_ratio 0.2, absolute_lp false, sklearn's EM settings (one
// initialisation, 100 iterations, tolerance 1e-3, reg_covar 1e-6), and
// rewards normalised to [0, 1] (signal "score": teachDeepRL maps returns to
// [0, 1] for Covar-GMM). TeachMyAgent's benchmark uses fit_rate 150,
// potential_ks 2..14, random_ratio 0.1 and raw returns (signal "return");
// its optional initial Gaussian for the bootstrap ("high expert knowledge")
// is offered as initial_mean / initial_std.
//
// Where this implementation differs from the reference, deliberately:
//   - fitness may also be "bic"; the reference always uses AIC (the default).
//   - A candidate k whose fit fails (fewer points than k, or an unrecoverable
//     numerical failure) is skipped, as in the teachDeepRL fork that wraps
//     fits in try/except; if every candidate fails the previous mixture is
//     kept. EM is initialised from the teacher's stream (teachDeepRL uses the
//     global numpy generator, TeachMyAgent a fixed random_state).
//   - Gaussians are sampled through a Cholesky factor computed once per fit;
//     the reference factorises on every draw. Same distribution.
//   - The time of the i-th row of a batch is i/F; the reference indexes
//     numpy's arange(0, 1, 1/F), which can differ in the last bit.
//
// Sample and Update allocate nothing: refits reuse the EM scratch memory and
// the candidate mixtures.
//
// A dimension of zero width is handled by EM's covariance regulariser
// (reg_covar), as in the reference: the Gaussians have a tiny variance along
// it and every clipped task takes its only value.
//
// Policy on bad outcomes: an outcome whose signal (score or return) is not
// finite, or a task of the wrong dimension or with a non-finite coordinate,
// is ignored — nothing is recorded and the episode does not count towards
// fit_rate — and counted in Ignored. The runner never passes such outcomes.
package covargmm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/stats/gmm"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/gmmteach"
)

// Params are Covar-GMM's hyperparameters: those it shares with ALP-GMM (see
// gmmteach.Params: fit_rate, potential_ks, nb_em_init, nb_bootstrap,
// random_ratio, the EM settings, initial_mean/initial_std and signal) and its
// own.
type Params struct {
	gmmteach.Params
	Fitness    string `toml:"fitness" doc:"criterion that selects the mixture: aic (reference) or bic"`
	AbsoluteLP bool   `toml:"absolute_lp" doc:"learning progress of a Gaussian is |cov(time, reward)| instead of max(0, cov(time, reward))"`
}

// DefaultParams returns the teachDeepRL defaults.
func DefaultParams() Params {
	return Params{Params: gmmteach.DefaultParams(), Fitness: "aic"}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if err := p.Params.Validate(); err != nil {
		return err
	}
	if p.Fitness != "aic" && p.Fitness != "bic" {
		return fmt.Errorf("fitness = %q: want aic or bic", p.Fitness)
	}
	return nil
}

// Teacher is a Covar-GMM teacher on a Box space.
type Teacher struct {
	*gmmteach.Core
	p Params

	// The current batch of fit_rate rows [task..., time, reward]. Fits
	// happen when Count is a multiple of fit_rate, so the batch is then
	// full and in episode order.
	batch []float64
	// progress is ComponentLP's rule as a function of the mixture.
	progress func(m *gmm.Model, k int) float64
}

// New returns a Covar-GMM teacher on space, which must be a *task.Box. rng is
// used for EM initialisation at each refit.
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	b, ok := space.(*task.Box)
	if !ok {
		return nil, fmt.Errorf("covar-gmm: works on a box, not on a %s space", space.Kind())
	}
	d := b.Len()
	score := gmmteach.AIC
	if p.Fitness == "bic" {
		score = gmmteach.BIC
	}
	core, err := gmmteach.NewCore("covar-gmm", p.Params, space, d+2, score, rng)
	if err != nil {
		return nil, err
	}
	t := &Teacher{Core: core, p: p, batch: make([]float64, p.FitRate*(d+2))}
	t.progress = func(m *gmm.Model, k int) float64 { return timeRewardLP(m, k, p.AbsoluteLP) }
	return t, nil
}

// Sample proposes the next task. The returned Params are valid until the next
// call.
func (t *Teacher) Sample(rng *rand.Rand) task.Task { return t.Core.Sample(rng, t.progress) }

// Update records the outcome of task tk and refits the mixture when it is
// time.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	r, ok := t.Reward(tk, o)
	if !ok {
		return
	}
	d := t.D
	dim := d + 2
	pos := t.Count % t.p.FitRate
	row := t.batch[pos*dim : (pos+1)*dim]
	copy(row, tk.Params)
	row[d] = float64(pos) / float64(t.p.FitRate)
	row[d+1] = r
	t.Count++
	if t.FitDue() {
		t.Refit(t.batch, t.p.FitRate)
	}
}

// ComponentLP returns the learning progress of Gaussian k of the current
// mixture: max(0, cov(time, reward)), or |cov(time, reward)| with
// absolute_lp. It must only be called once a mixture exists (see Mixture).
func (t *Teacher) ComponentLP(k int) float64 { return t.progress(t.Mixture(), k) }

// timeRewardLP is the covariance between the time and reward coordinates of
// Gaussian k, clipped at 0 or taken in absolute value.
func timeRewardLP(m *gmm.Model, k int, absolute bool) float64 {
	time := m.D - 2
	c := m.Cov(k)[time*m.D+time+1]
	if absolute {
		return math.Abs(c)
	}
	return math.Max(0, c)
}
