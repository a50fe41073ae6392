package gmmteach

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/teachbench/teachbench/stats/gmm"
	"github.com/teachbench/teachbench/task"
)

// Params are the hyperparameters the GMM teachers share. A teacher embeds
// them in its own parameter struct (without a toml tag, so that their keys
// count as the teacher's own), next to what is specific to it.
type Params struct {
	FitRate     int       `toml:"fit_rate" doc:"episodes between GMM refits; each refit uses the last fit_rate episodes"`
	PotentialKs []int     `toml:"potential_ks" doc:"numbers of Gaussians tried at each refit"`
	NbEMInit    int       `toml:"nb_em_init" doc:"EM initialisations per candidate; the best likelihood is kept"`
	NbBootstrap int       `toml:"nb_bootstrap" doc:"episodes of uniform sampling before the first fit; 0 means fit_rate"`
	RandomRatio float64   `toml:"random_ratio" doc:"probability of a uniform task after the bootstrap"`
	EMMaxIter   int       `toml:"em_max_iter" doc:"EM iterations per fit (sklearn max_iter)"`
	EMTol       float64   `toml:"em_tol" doc:"EM convergence tolerance on the mean log-likelihood (sklearn tol)"`
	RegCovar    float64   `toml:"reg_covar" doc:"added to the covariance diagonals (sklearn reg_covar)"`
	InitialMean []float64 `toml:"initial_mean" doc:"if set, bootstrap tasks come from N(initial_mean, initial_std^2) clipped to the space"`
	InitialStd  []float64 `toml:"initial_std" doc:"standard deviations of the bootstrap Gaussian (with initial_mean)"`
	Signal      string    `toml:"signal" doc:"outcome used as reward: score (normalised to [0,1], as teachDeepRL) or return (raw, as TeachMyAgent)"`
}

// DefaultParams returns teachDeepRL's class defaults, which ALP-GMM and
// Covar-GMM share: refits every 250 episodes over k = 2..10, one EM
// initialisation, a bootstrap of fit_rate episodes, 20% uniform tasks,
// sklearn's EM settings, and normalised rewards.
func DefaultParams() Params {
	return Params{
		FitRate:     250,
		PotentialKs: []int{2, 3, 4, 5, 6, 7, 8, 9, 10},
		NbEMInit:    1,
		RandomRatio: 0.2,
		EMMaxIter:   100,
		EMTol:       1e-3,
		RegCovar:    1e-6,
		Signal:      "score",
	}
}

// Validate checks the shared parameters.
func (p Params) Validate() error {
	if err := CheckKs(p.PotentialKs, p.FitRate); err != nil {
		return err
	}
	switch {
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
	return CheckInitial(p.InitialMean, p.InitialStd, 0)
}

// Core is the machinery the GMM teachers share: the bootstrap and the random
// branch, the current mixture and its refits over the candidate numbers of
// components, and sampling a Gaussian chosen in proportion to its learning
// progress. A teacher adds how it builds the rows it fits and how it measures
// a Gaussian's learning progress.
type Core struct {
	P   Params
	Box *task.Box
	// D is the task dimension; the mixture's dimension is larger.
	D int
	// Count is the number of episodes recorded.
	Count int
	// Boot is the number of bootstrap episodes.
	Boot int

	rng     *rand.Rand
	cands   *Candidates
	score   Criterion
	current gmm.Model
	fitted  bool
	fits    int
	ignored int

	out, draw, lp []float64 // sampling buffers
}

// NewCore returns the shared machinery for a teacher on space whose mixtures
// have dimension dim and are selected by score. rng drives the EM
// initialisations of refits.
func NewCore(name string, p Params, space task.Space, dim int, score Criterion, rng *rand.Rand) (*Core, error) {
	box, ok := space.(*task.Box)
	if !ok {
		return nil, fmt.Errorf("%s: works on a box, not on a %s space", name, space.Kind())
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := box.Len()
	if err := CheckInitial(p.InitialMean, p.InitialStd, d); err != nil {
		return nil, err
	}
	cfg := gmm.Config{MaxIter: p.EMMaxIter, Tol: p.EMTol, RegCovar: p.RegCovar, NInit: p.NbEMInit}
	c := &Core{
		P:     p,
		Box:   box,
		D:     d,
		Boot:  p.NbBootstrap,
		rng:   rng,
		cands: NewCandidates(p.PotentialKs, cfg),
		score: score,
		out:   make([]float64, d),
		draw:  make([]float64, dim),
		lp:    make([]float64, slices.Max(p.PotentialKs)),
	}
	if c.Boot == 0 {
		c.Boot = p.FitRate
	}
	return c, nil
}

// Sample proposes the next task: from the random branch during the bootstrap,
// with probability random_ratio, or before any mixture exists; otherwise from
// a Gaussian of the current mixture chosen in proportion to progress(k), its
// leading D coordinates clipped into the space. The returned Params are
// valid until the next call.
func (c *Core) Sample(rng *rand.Rand, progress func(m *gmm.Model, k int) float64) task.Task {
	boot := c.Count < c.Boot
	if boot || rng.Float64() < c.P.RandomRatio || !c.fitted {
		RandomTask(c.out, c.Box, c.P.InitialMean, c.P.InitialStd, boot, rng)
	} else {
		m := &c.current
		lp := c.lp[:m.K]
		for k := range lp {
			lp[k] = progress(m, k)
		}
		m.SampleComponent(c.draw, ProportionalChoice(lp, rng), rng)
		copy(c.out, c.draw[:c.D])
		c.Box.Clip(c.out)
	}
	return task.Task{Params: c.out, Seed: rng.Uint64()}
}

// Reward returns the outcome's reward signal for a task of the space, or
// false — counting the outcome as ignored — when the signal or the task is
// not finite or the task has the wrong dimension. Teachers record nothing for
// an ignored outcome.
func (c *Core) Reward(t task.Task, o task.Outcome) (float64, bool) {
	r := o.Score
	if c.P.Signal == "return" {
		r = o.Return
	}
	if !task.Finite(r) || len(t.Params) != c.D || !task.AllFinite(t.Params) {
		c.ignored++
		return 0, false
	}
	return r, true
}

// Refit fits every candidate mixture on the n rows of x and keeps the best; if
// every candidate fails, the previous mixture stays.
func (c *Core) Refit(x []float64, n int) {
	if c.cands.Fit(&c.current, x, n, len(c.draw), c.score, c.rng) {
		c.fitted = true
		c.fits++
	}
}

// FitDue reports whether the episode just counted calls for a refit: the
// bootstrap is over and Count is a multiple of fit_rate.
func (c *Core) FitDue() bool { return c.Count >= c.Boot && c.Count%c.P.FitRate == 0 }

// Fits returns how many refits produced a mixture.
func (c *Core) Fits() int { return c.fits }

// Ignored returns how many outcomes were ignored for non-finite values or a
// wrong dimension.
func (c *Core) Ignored() int { return c.ignored }

// Mixture returns the current mixture, or nil before the first fit. It must
// not be modified.
func (c *Core) Mixture() *gmm.Model {
	if !c.fitted {
		return nil
	}
	return &c.current
}
