package teachers

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/goalgan"
	"github.com/teachbench/teachbench/teachers/settersolver"
)

// The generative teachers of TeachMyAgent: GoalGAN and Setter-Solver. Both
// learn from the binary success of each episode (task.Outcome.Success).
func init() {
	box := []task.Kind{task.BoxKind}
	Register(Info{
		Name: "goal-gan",
		Doc: "GoalGAN (Florensa et al., ICML 2018; as in TeachMyAgent): a least-squares GAN trained to generate goals of " +
			"intermediate difficulty, labelled by the mean success of repeated rollouts, with replays of too-easy goals. " +
			"Uses Outcome.Success; GAN trainings (250 iterations) dominate its cost.",
		Kinds: box,
	}, goalgan.DefaultParams(), func(p goalgan.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return goalgan.New(p, s, rng)
	})
	Register(Info{
		Name: "setter-solver",
		Doc: "Setter-Solver (Racanière et al., ICLR 2020; as in TeachMyAgent): a judge predicting success and a conditional " +
			"RealNVP setter generating goals of a requested feasibility, trained for feasibility, validity and coverage. " +
			"Uses Outcome.Success.",
		Kinds: box,
	}, settersolver.DefaultParams(), func(p settersolver.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return settersolver.New(p, s, rng)
	})
}
