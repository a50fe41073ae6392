package ars

import (
	"fmt"
	"math"
)

// Policy kinds (the `policy` parameter).
const (
	// Linear is ARS's static linear policy a = clip(M·z).
	Linear = "linear"
	// MLP is a small tanh network whose flattened parameters are searched
	// the same way.
	MLP = "mlp"
)

// Params are ARS's hyperparameters. The paper has no BipedalWalker; the
// defaults were chosen on the walker family's flat tracks (see
// DefaultParams).
type Params struct {
	Policy             string  `toml:"policy" doc:"linear (ARS: a = clip(M·(s-mu)/sigma), M starts at 0) or mlp (tanh hidden layers, zero output layer; flattened parameters perturbed the same way)"`
	Hidden             []int   `toml:"hidden" doc:"mlp: hidden layer sizes"`
	Directions         int     `toml:"directions" doc:"N: random directions per iteration, each played as a +/- pair (paper: 8 for Hopper, 40 for Walker2d)"`
	TopDirections      int     `toml:"top_directions" doc:"b: directions used in the update, the best by max(r+, r-) (paper: 4 for Hopper, 30 for Walker2d); b = N turns ARS V2-t into V2"`
	StepSize           float64 `toml:"step_size" doc:"alpha: step size of the update M += alpha/(b*sigma_R)*sum (r+ - r-)*delta (paper: 0.01 to 0.03)"`
	Noise              float64 `toml:"noise" doc:"nu: standard deviation of the perturbations M +/- nu*delta (paper: 0.0075 to 0.03)"`
	Shift              float64 `toml:"shift" doc:"subtracted from every training reward to cancel a survival bonus (paper: 1 for Hopper, Walker2d and Ant, 5 for Humanoid); the walker has no bonus: 0"`
	NormalizeObs       bool    `toml:"normalize_obs" doc:"ARS V2: normalise observations by the mean and std of every state visited in training rollouts so far (false: V1)"`
	DirectionsPerLearn int     `toml:"directions_per_learn" doc:"+/- pairs played per Learn call (2 episodes each, all on the call's task); 0 plays all N: one whole iteration per call"`
	Parallel           int     `toml:"parallel" doc:"goroutines playing a call's episodes, one environment each; 0 means GOMAXPROCS; results do not depend on it"`
}

// DefaultParams returns ARS V2-t with a linear policy, N = 8 directions, the
// best b = 4, step size α = 0.02 and noise ν = 0.03 (the paper's N and b for
// Hopper, its α and ν for HalfCheetah), no reward shift, one iteration per
// Learn call and one goroutine.
//
// They were chosen by training on the walker family's flat tracks (stump
// height 0, spacing in [0, 6]), single-threaded runs of up to 4 million
// steps: 7 of 12 seeds walked (mean return above 230 on flat tracks) within
// 2.5 million steps, the other 5 were still standing still (return about
// −5) after 3 to 4 million. Other settings did worse in the same test: the
// paper's Walker2d values (N = 40, b = 30, α = 0.03, ν = 0.025) stood after
// 2 and 4 million steps (2 seeds); N = 16, b = 8 walked in 1 seed of 3 (also
// 0 of 2 as V1, 0 of 1 with ν = 0.05); N = 16, b = 4, or ν = 0.05 with α =
// 0.03, or the MLP, none of 2 seeds by 2 million steps; a shift of 0.1
// (rl-baselines3-zoo's BipedalWalker value) made 3 seeds of 4 fall at once
// (return −92) and the fourth walk.
func DefaultParams() Params {
	return Params{
		Policy:        Linear,
		Hidden:        []int{16},
		Directions:    8,
		TopDirections: 4,
		StepSize:      0.02,
		Noise:         0.03,
		Shift:         0,
		NormalizeObs:  true,
		Parallel:      1,
	}
}

// Validate checks every parameter's range.
func (p Params) Validate() error {
	positive := func(key string, v float64) error {
		if !(v > 0) || math.IsInf(v, 1) {
			return fmt.Errorf("%s = %v: want a finite number > 0", key, v)
		}
		return nil
	}
	switch {
	case p.Policy != Linear && p.Policy != MLP:
		return fmt.Errorf("policy = %q: want linear or mlp", p.Policy)
	case p.Directions < 1 || p.Directions > 100_000:
		return fmt.Errorf("directions = %d: want an integer in [1, 100000]", p.Directions)
	case p.TopDirections < 1 || p.TopDirections > p.Directions:
		return fmt.Errorf("top_directions = %d: want an integer in [1, directions = %d]", p.TopDirections, p.Directions)
	case math.IsNaN(p.Shift) || math.IsInf(p.Shift, 0):
		return fmt.Errorf("shift = %v: want a finite number", p.Shift)
	case p.DirectionsPerLearn < 0 || p.DirectionsPerLearn > p.Directions:
		return fmt.Errorf("directions_per_learn = %d: want 0 (all) or an integer in [1, directions = %d]", p.DirectionsPerLearn, p.Directions)
	case p.Parallel < 0 || p.Parallel > 4096:
		return fmt.Errorf("parallel = %d: want 0 (GOMAXPROCS) or an integer in [1, 4096]", p.Parallel)
	}
	if err := positive("step_size", p.StepSize); err != nil {
		return err
	}
	if err := positive("noise", p.Noise); err != nil {
		return err
	}
	if p.Policy == MLP {
		if len(p.Hidden) == 0 {
			return fmt.Errorf("hidden = []: the mlp policy needs at least one hidden layer (use policy = %q for none)", Linear)
		}
		for i, n := range p.Hidden {
			if n < 1 || n > 4096 {
				return fmt.Errorf("hidden[%d] = %d: want a layer size in [1, 4096]", i, n)
			}
		}
	}
	return nil
}
