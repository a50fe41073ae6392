package teachers

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/svgg"
)

func init() {
	Register(Info{
		Name: "svgg",
		Doc: "Stein Variational Goal Generation (Castanet, Sigaud & Lamprier, ICML 2023): goal particles moved by SVGD (RBF kernel, Adam) towards " +
			"p(g) ∝ exp(τ·Beta(D(g); α, β))·p_valid(g), D a success predictor fitted on recent episodes, p_valid a calibrated one-class model of " +
			"achieved goals (Outcome.Achieved); each episode's goal is a uniformly drawn particle. Periods in environment steps.",
		Kinds: []task.Kind{task.BoxKind},
	}, svgg.DefaultParams(), func(p svgg.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return svgg.New(p, s, rng)
	})
}
