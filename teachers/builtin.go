package teachers

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/alpgmm"
	"github.com/teachbench/teachbench/teachers/random"
)

func init() {
	Register(Info{
		Name:  "random",
		Doc:   "Uniform sampling over the space (a fresh generated level on Levels spaces); ignores outcomes.",
		Kinds: []task.Kind{task.BoxKind, task.DiscreteKind, task.LevelsKind},
	}, random.Params{}, func(p random.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return random.New(p, s, rng)
	})
	Register(Info{
		Name: "alp-gmm",
		Doc: "Absolute learning progress with Gaussian mixtures (Portelas et al., CoRL 2019): " +
			"samples Gaussians of a GMM over [task, ALP] in proportion to their mean ALP.",
		Kinds: []task.Kind{task.BoxKind},
	}, alpgmm.DefaultParams(), func(p alpgmm.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return alpgmm.New(p, s, rng)
	})
}
