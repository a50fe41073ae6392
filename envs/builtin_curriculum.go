package envs

import (
	"github.com/teachbench/teachbench/envs/curriculum"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name: "curriculum",
		Doc: "Synthetic curriculum graph (mastering-rate setting): latent skill per task, learnable only as far as its prerequisites are mastered; " +
			"named graphs (keycorridor, obstructedmaze, chain-N, tree-D-B, G+distractors-K, ...) or custom; mastered = % of test tasks with score ≥ mastery.",
		DefaultStudent: "synthetic",
	}, curriculum.DefaultParams(), func(p curriculum.Params) (task.Family, error) { return curriculum.New(p) })
}
