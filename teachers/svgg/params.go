package svgg

import (
	"fmt"
	"math"
)

// Difficulty terms f of the target density (the `difficulty` parameter).
const (
	// DifficultyBeta is the Beta(alpha, beta) density of the predicted
	// success, SVGG's commands (--alpha_beta).
	DifficultyBeta = "beta"
	// DifficultyEntropy is the entropy of a Bernoulli of the predicted
	// success, the reference's default without --alpha_beta.
	DifficultyEntropy = "entropy"
	// DifficultyNone drops the difficulty term: the particles follow the
	// validity model alone (the reference's svgd_only_prior).
	DifficultyNone = "none"
)

// Particle initialisations (the `init` parameter).
const (
	// InitNormal draws particles from N(init_mean, init_std²·I), the
	// reference's N(0, I) by default.
	InitNormal = "normal"
	// InitUniform draws particles uniformly from the goal space.
	InitUniform = "uniform"
)

// Params are SVGG's hyperparameters. Defaults are those of the reference's
// point-maze commands (train_svgg.py with --alpha_beta 2 2 --use_prior True);
// periods are in environment steps, as the reference counts agent
// optimisation steps, one per environment step.
type Params struct {
	Particles  int       `toml:"particles" doc:"number of goal particles (--nb_particles 100)"`
	Tau        float64   `toml:"tau" doc:"temperature of the difficulty term: log p(g) = tau*f(D(g)) + log p_valid(g) (--beta 10)"`
	Difficulty string    `toml:"difficulty" doc:"f: beta (the Beta(alpha, beta) density of the predicted success, SVGG's commands), entropy (Bernoulli entropy, the reference without --alpha_beta) or none (validity alone, svgd_only_prior)"`
	Alpha      float64   `toml:"alpha" doc:"alpha of the Beta difficulty term (2 2: medium; 1.5 3: hard; 3 1.5: easy)"`
	Beta       float64   `toml:"beta" doc:"beta of the Beta difficulty term"`
	Sigma      float64   `toml:"sigma" doc:"RBF kernel bandwidth, k(x,y) = exp(-|x-y|^2/(2 sigma^2)) (--sigma 1); 0 = the median heuristic sigma^2 = median(|xi-xj|^2)/(2 log(m+1))"`
	LR         float64   `toml:"svgd_lr" doc:"Adam learning rate of the particle updates (--svgd_lr 0.1)"`
	Every      int       `toml:"svgd_every" doc:"environment steps between particle updates (--oe_part 20)"`
	Steps      int       `toml:"svgd_steps" doc:"SVGD iterations per particle update (--svgd_steps 1)"`
	Init       string    `toml:"init" doc:"particle initialisation: normal (N(init_mean, init_std^2 I), the reference's N(0, I)) or uniform (over the goal space)"`
	InitMean   []float64 `toml:"init_mean" doc:"mean of the normal initialisation, one value per dimension; empty = the origin"`
	InitStd    float64   `toml:"init_std" doc:"standard deviation of the normal initialisation (1)"`

	Anneal        bool      `toml:"anneal" doc:"scale the driving term by tanh((slope*t/period)^5), t the steps since the last predictor fit (--annealed_trick, off)"`
	AnnealSlope   float64   `toml:"anneal_slope" doc:"slope of the annealing (--slope 3)"`
	Project       bool      `toml:"project" doc:"project the particles into a ball after each update (--use_proj, off)"`
	ProjectCentre []float64 `toml:"project_centre" doc:"centre of the projection ball (--l2_proj 2 2 6)"`
	ProjectRadius float64   `toml:"project_radius" doc:"radius of the projection ball"`

	SPHidden     []int   `toml:"sp_hidden" doc:"hidden layers of the success predictor, LayerNorm + GELU (--sp_layers 64 64)"`
	SPLR         float64 `toml:"sp_lr" doc:"Adam learning rate of the success predictor (1e-3)"`
	SPEvery      int     `toml:"sp_every" doc:"environment steps between predictor fits (--succ_oe 4000)"`
	SPHistory    int     `toml:"sp_history" doc:"episodes drawn (with replacement) for each fit (--succ_hl 300)"`
	SPRecent     int     `toml:"sp_recent" doc:"the episodes are drawn from this many most recent ones (succ_oe/4 = 1000)"`
	SPMin        int     `toml:"sp_min" doc:"episodes needed before the first fit (more than --succ_bs 60)"`
	SPEpochs     int     `toml:"sp_epochs" doc:"passes over the data per fit (--k_steps 60)"`
	SPBatches    int     `toml:"sp_batches" doc:"minibatches per pass (--succ_bs 60: 300 episodes in minibatches of 5)"`
	SPOversample bool    `toml:"sp_oversample" doc:"oversample the minority class (successes or failures) to balance each fit (the reference's RandomOverSampler)"`

	Validity         bool    `toml:"validity" doc:"multiply the target by the validity model p_valid(g) (--use_prior True)"`
	ValidityEvery    int     `toml:"validity_every" doc:"environment steps between validity fits (--oe_prior 4000)"`
	ValiditySamples  int     `toml:"validity_samples" doc:"achieved goals drawn (with replacement) for each fit (5000)"`
	ValidityGamma    float64 `toml:"validity_gamma" doc:"RBF coefficient of the validity model's one-class SVM, k(x,c) = exp(-gamma |x-c|^2) (--gamma_ocsvm 0.5)"`
	ValidityNu       float64 `toml:"validity_nu" doc:"nu of the one-class SVM: at most this fraction of the fitted achieved goals fall outside the valid region, at least this fraction are support vectors (OneClassSVM nu 0.01)"`
	CalibSteps       int     `toml:"calib_steps" doc:"Adam steps of the logistic calibration of the validity score (200)"`
	CalibLR          float64 `toml:"calib_lr" doc:"learning rate of the calibration (0.1)"`
	AchievedCapacity int     `toml:"achieved_capacity" doc:"achieved goals kept for the validity model (every step's, from the outcome's path), beyond which a uniform reservoir of all reported is kept (the reference samples its whole replay buffer, 5e6 transitions)"`
}

// DefaultParams returns the reference's point-maze settings: 100 particles
// from N(0, I), τ = 10, the Beta(2, 2) "medium" difficulty, σ = 1, Adam
// 0.1 every 20 steps, a LayerNorm–GELU (64, 64) success predictor refitted
// every 4000 steps on 300 of the last 1000 episodes for 60 epochs, and the
// validity model refitted every 4000 steps on 5000 achieved goals (γ 0.5,
// ν 0.01).
func DefaultParams() Params {
	return Params{
		Particles:        100,
		Tau:              10,
		Difficulty:       DifficultyBeta,
		Alpha:            2,
		Beta:             2,
		Sigma:            1,
		LR:               0.1,
		Every:            20,
		Steps:            1,
		Init:             InitNormal,
		InitStd:          1,
		AnnealSlope:      3,
		ProjectCentre:    []float64{2, 2},
		ProjectRadius:    6,
		SPHidden:         []int{64, 64},
		SPLR:             1e-3,
		SPEvery:          4000,
		SPHistory:        300,
		SPRecent:         1000,
		SPMin:            61,
		SPEpochs:         60,
		SPBatches:        60,
		SPOversample:     true,
		Validity:         true,
		ValidityEvery:    4000,
		ValiditySamples:  5000,
		ValidityGamma:    0.5,
		ValidityNu:       0.01,
		CalibSteps:       200,
		CalibLR:          0.1,
		AchievedCapacity: 1_000_000,
	}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	pos := func(key string, v float64) error {
		if !(v > 0) || math.IsInf(v, 1) {
			return fmt.Errorf("%s = %v: want a finite number > 0", key, v)
		}
		return nil
	}
	for _, c := range []struct {
		key string
		v   float64
	}{{"svgd_lr", p.LR}, {"sp_lr", p.SPLR}, {"validity_gamma", p.ValidityGamma}, {"calib_lr", p.CalibLR}} {
		if err := pos(c.key, c.v); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		key string
		v   int
		min int
	}{
		{"particles", p.Particles, 1}, {"svgd_every", p.Every, 1}, {"svgd_steps", p.Steps, 1},
		{"sp_every", p.SPEvery, 1}, {"sp_history", p.SPHistory, 1}, {"sp_recent", p.SPRecent, 1},
		{"sp_min", p.SPMin, 1}, {"sp_epochs", p.SPEpochs, 0}, {"sp_batches", p.SPBatches, 1},
		{"validity_every", p.ValidityEvery, 1}, {"validity_samples", p.ValiditySamples, 1},
		{"calib_steps", p.CalibSteps, 0}, {"achieved_capacity", p.AchievedCapacity, 1},
	} {
		if c.v < c.min || c.v > 100_000_000 {
			return fmt.Errorf("%s = %d: want an integer in [%d, 100000000]", c.key, c.v, c.min)
		}
	}
	switch {
	case p.Particles > 100_000:
		return fmt.Errorf("particles = %d: want at most 100000 (the kernel matrix is particles^2)", p.Particles)
	case !(p.Tau >= 0) || math.IsInf(p.Tau, 1):
		return fmt.Errorf("tau = %v: want a finite number >= 0", p.Tau)
	case p.Difficulty != DifficultyBeta && p.Difficulty != DifficultyEntropy && p.Difficulty != DifficultyNone:
		return fmt.Errorf("difficulty = %q: want beta, entropy or none", p.Difficulty)
	case p.Difficulty == DifficultyNone && !p.Validity:
		return fmt.Errorf("difficulty = none with validity = false: the target would be flat")
	case !(p.Sigma >= 0) || math.IsInf(p.Sigma, 1):
		return fmt.Errorf("sigma = %v: want a finite number > 0, or 0 for the median heuristic", p.Sigma)
	case p.Init != InitNormal && p.Init != InitUniform:
		return fmt.Errorf("init = %q: want normal or uniform", p.Init)
	case !(p.InitStd >= 0) || math.IsInf(p.InitStd, 1):
		return fmt.Errorf("init_std = %v: want a finite number >= 0", p.InitStd)
	case !(p.ValidityNu > 0 && p.ValidityNu < 1):
		return fmt.Errorf("validity_nu = %v: want a number in (0, 1)", p.ValidityNu)
	}
	if p.Difficulty == DifficultyBeta {
		if err := pos("alpha", p.Alpha); err != nil {
			return err
		}
		if err := pos("beta", p.Beta); err != nil {
			return err
		}
	}
	if p.Anneal {
		if err := pos("anneal_slope", p.AnnealSlope); err != nil {
			return err
		}
	}
	if p.Project {
		if err := pos("project_radius", p.ProjectRadius); err != nil {
			return err
		}
	}
	for i, v := range p.InitMean {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("init_mean[%d] = %v: want a finite number", i, v)
		}
	}
	for i, v := range p.ProjectCentre {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("project_centre[%d] = %v: want a finite number", i, v)
		}
	}
	if len(p.SPHidden) == 0 {
		return fmt.Errorf("sp_hidden = []: want at least one hidden layer")
	}
	for i, n := range p.SPHidden {
		if n < 1 || n > 4096 {
			return fmt.Errorf("sp_hidden[%d] = %d: want a layer size in [1, 4096]", i, n)
		}
	}
	return nil
}

// check reports what keeps p from working on a goal space of d dimensions.
func (p Params) check(d int) error {
	if len(p.InitMean) != 0 && len(p.InitMean) != d {
		return fmt.Errorf("init_mean has %d values for a goal space of %d dimensions", len(p.InitMean), d)
	}
	if p.Project && len(p.ProjectCentre) != d {
		return fmt.Errorf("project_centre has %d values for a goal space of %d dimensions", len(p.ProjectCentre), d)
	}
	return nil
}
