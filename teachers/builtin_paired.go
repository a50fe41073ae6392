package teachers

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/paired"
)

// The adversarial environment-design teachers: PAIRED and REPAIRED, one
// package under two sets of defaults. They need a Levels space that can be
// built step by step (task.Constructible, e.g. the maze family's).
func init() {
	build := func(p paired.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return paired.New(p, s, rng)
	}
	Register(Info{
		Name: "paired",
		Doc: "PAIRED (Dennis et al., NeurIPS 2020; dcd 25-block maze settings): a PPO adversary builds each level step by step " +
			"and is rewarded by the regret max(0, antagonist's best return - protagonist's mean return); the teacher trains its own " +
			"antagonist (a second student of the run's kind) on the same levels. Needs a constructible Levels space (maze); " +
			"antagonist and adversary steps are recorded as steps_antagonist and steps_adversary.",
		Kinds: []task.Kind{task.LevelsKind},
	}, paired.DefaultParams(), build)
	Register(Info{
		Name: "repaired",
		Doc: "REPAIRED (Jiang et al., NeurIPS 2021; dcd settings): PAIRED whose adversary's levels are only probed and offered " +
			"to a robust PLR buffer per student (MaxMC, rank 0.1, replay 0.95, min fill 0.5, 4000 levels, staleness 0.3); " +
			"the students learn from replayed levels alone.",
		Kinds: []task.Kind{task.LevelsKind},
	}, paired.REPAIREDParams(), build)
}
