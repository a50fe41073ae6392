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
	"slices"

	"github.com/teachbench/teachbench/stats/gmm"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/gmmteach"
)

// Params are Covar-GMM's hyperparameters.
type Params struct {
	FitRate     int       `toml:"fit_rate" doc:"episodes between GMM refits; each refit uses the last fit_rate [task, time, reward] rows"`
	PotentialKs []int     `toml:"potential_ks" doc:"numbers of Gaussians tried at each refit"`
	Fitness     string    `toml:"fitness" doc:"criterion that selects the mixture: aic (reference) or bic"`
	NbEMInit    int       `toml:"nb_em_init" doc:"EM initialisations per candidate; the best likelihood is kept"`
	NbBootstrap int       `toml:"nb_bootstrap" doc:"episodes of uniform sampling before the first fit; 0 means fit_rate"`
	RandomRatio float64   `toml:"random_ratio" doc:"probability of a uniform task after the bootstrap"`
	AbsoluteLP  bool      `toml:"absolute_lp" doc:"learning progress of a Gaussian is |cov(time, reward)| instead of max(0, cov(time, reward))"`
	EMMaxIter   int       `toml:"em_max_iter" doc:"EM iterations per fit (sklearn max_iter)"`
	EMTol       float64   `toml:"em_tol" doc:"EM convergence tolerance on the mean log-likelihood (sklearn tol)"`
	RegCovar    float64   `toml:"reg_covar" doc:"added to the covariance diagonals (sklearn reg_covar)"`
	InitialMean []float64 `toml:"initial_mean" doc:"if set, bootstrap tasks come from N(initial_mean, initial_std^2) clipped to the space"`
	InitialStd  []float64 `toml:"initial_std" doc:"standard deviations of the bootstrap Gaussian (with initial_mean)"`
	Signal      string    `toml:"signal" doc:"outcome used as reward: score (normalised to [0,1], as teachDeepRL) or return (raw, as TeachMyAgent)"`
}

// DefaultParams returns the teachDeepRL defaults.
func DefaultParams() Params {
	return Params{
		FitRate:     250,
		PotentialKs: []int{2, 3, 4, 5, 6, 7, 8, 9, 10},
		Fitness:     "aic",
		NbEMInit:    1,
		RandomRatio: 0.2,
		EMMaxIter:   100,
		EMTol:       1e-3,
		RegCovar:    1e-6,
		Signal:      "score",
	}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if err := gmmteach.CheckKs(p.PotentialKs, p.FitRate); err != nil {
		return err
	}
	switch {
	case p.Fitness != "aic" && p.Fitness != "bic":
		return fmt.Errorf("fitness = %q: want aic or bic", p.Fitness)
	case p.NbEMInit < 1:
		return fmt.Errorf("nb_em_init = %d: want at least 1", p.NbEMInit)
	case p.NbBootstrap < 0:
		return fmt.Errorf("nb_bootstrap = %d: want 0 (= fit_rate) or more", p.NbBootstrap)
	case !(p.RandomRatio >= 0 && p.RandomRatio <= 1):
		return fmt.Errorf("random_ratio = %v: want a probability in [0, 1]", p.RandomRatio)
	case p.EMMaxIter < 1:
		return fmt.Errorf("em_max_iter = %d: want at least 1", p.EMMaxIter)
	case !(p.EMTol > 0) || math.IsInf(p.EMTol, 1):
		return fmt.Errorf("em_tol = %v: want a positive finite number", p.EMTol)
	case !(p.RegCovar > 0) || math.IsInf(p.RegCovar, 1):
		return fmt.Errorf("reg_covar = %v: want a positive finite number", p.RegCovar)
	case p.Signal != "score" && p.Signal != "return":
		return fmt.Errorf("signal = %q: want score or return", p.Signal)
	}
	return gmmteach.CheckInitial(p.InitialMean, p.InitialStd, 0)
}

// Teacher is a Covar-GMM teacher on a Box space.
type Teacher struct {
	p     Params
	box   *task.Box
	d     int // task dimensions; rows have d+2 values
	rng   *rand.Rand
	boot  int // bootstrap episodes
	count int // episodes recorded

	// The current batch of fit_rate rows [task..., time, reward]. Fits
	// happen when count is a multiple of fit_rate, so the batch is then
	// full and in episode order.
	batch []float64

	cands   *gmmteach.Candidates
	score   gmmteach.Criterion
	current gmm.Model
	fitted  bool
	fits    int
	ignored int

	out, draw, lp []float64 // sampling buffers
}

// New returns a Covar-GMM teacher on space, which must be a *task.Box. rng is
// used for EM initialisation at each refit.
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	box, ok := space.(*task.Box)
	if !ok {
		return nil, fmt.Errorf("covar-gmm: works on a box, not on a %s space", space.Kind())
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := box.Len()
	if err := gmmteach.CheckInitial(p.InitialMean, p.InitialStd, d); err != nil {
		return nil, err
	}
	cfg := gmm.Config{MaxIter: p.EMMaxIter, Tol: p.EMTol, RegCovar: p.RegCovar, NInit: p.NbEMInit}
	t := &Teacher{
		p:     p,
		box:   box,
		d:     d,
		rng:   rng,
		boot:  p.NbBootstrap,
		batch: make([]float64, p.FitRate*(d+2)),
		cands: gmmteach.NewCandidates(p.PotentialKs, cfg),
		score: gmmteach.AIC,
		out:   make([]float64, d),
		draw:  make([]float64, d+2),
		lp:    make([]float64, slices.Max(p.PotentialKs)),
	}
	if p.Fitness == "bic" {
		t.score = gmmteach.BIC
	}
	if t.boot == 0 {
		t.boot = p.FitRate
	}
	return t, nil
}

// Sample proposes the next task. The returned Params are valid until the next
// call.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	boot := t.count < t.boot
	if boot || rng.Float64() < t.p.RandomRatio || !t.fitted {
		gmmteach.RandomTask(t.out, t.box, t.p.InitialMean, t.p.InitialStd, boot, rng)
	} else {
		m := &t.current
		lp := t.lp[:m.K]
		for k := range lp {
			lp[k] = t.ComponentLP(k)
		}
		k := gmmteach.ProportionalChoice(lp, rng)
		m.SampleComponent(t.draw, k, rng)
		copy(t.out, t.draw[:t.d])
		t.box.Clip(t.out)
	}
	return task.Task{Params: t.out, Seed: rng.Uint64()}
}

// Update records the outcome of task tk and refits the mixture when it is
// time.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	r := o.Score
	if t.p.Signal == "return" {
		r = o.Return
	}
	if !finite(r) || len(tk.Params) != t.d || !allFinite(tk.Params) {
		t.ignored++
		return
	}
	dim := t.d + 2
	pos := t.count % t.p.FitRate
	row := t.batch[pos*dim : (pos+1)*dim]
	copy(row, tk.Params)
	row[t.d] = float64(pos) / float64(t.p.FitRate)
	row[t.d+1] = r
	t.count++
	if t.count >= t.boot && t.count%t.p.FitRate == 0 {
		t.fit()
	}
}

// fit refits every candidate mixture on the current batch and keeps the best.
func (t *Teacher) fit() {
	if t.cands.Fit(&t.current, t.batch, t.p.FitRate, t.d+2, t.score, t.rng) {
		t.fitted = true
		t.fits++
	}
}

// ComponentLP returns the learning progress of Gaussian k of the current
// mixture: max(0, cov(time, reward)), or |cov(time, reward)| with
// absolute_lp. It must only be called once a mixture exists (see Mixture).
func (t *Teacher) ComponentLP(k int) float64 {
	dim := t.d + 2
	c := t.current.Cov(k)[t.d*dim+t.d+1]
	if t.p.AbsoluteLP {
		return math.Abs(c)
	}
	return math.Max(0, c)
}

// Fits returns how many refits produced a mixture.
func (t *Teacher) Fits() int { return t.fits }

// Ignored returns how many outcomes were ignored for non-finite values or a
// wrong dimension.
func (t *Teacher) Ignored() int { return t.ignored }

// Mixture returns the current mixture over [task..., time, reward], or nil
// before the first fit. It must not be modified.
func (t *Teacher) Mixture() *gmm.Model {
	if !t.fitted {
		return nil
	}
	return &t.current
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func allFinite(x []float64) bool {
	for _, v := range x {
		if !finite(v) {
			return false
		}
	}
	return true
}
