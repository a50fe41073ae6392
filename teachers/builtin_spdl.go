package teachers

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/spdl"
)

func init() {
	Register(Info{
		Name: "spdl",
		Doc: "Self-Paced Deep RL (Klink et al., NeurIPS 2020), as in TeachMyAgent: a Gaussian context distribution moved " +
			"towards high-value contexts and a target under a KL trust region (one natural-gradient step per update); " +
			"fits a k-NN value function when the student has no value estimator. Steps-based schedule: scale " +
			"update_offset/update_frequency to the budget.",
		Kinds: []task.Kind{task.BoxKind},
	}, spdl.DefaultParams(), func(p spdl.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return spdl.New(p, s, rng)
	})
}
