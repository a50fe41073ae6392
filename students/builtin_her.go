package students

import (
	"github.com/teachbench/teachbench/students/her"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name: "her",
		Doc: "DDPG with hindsight experience replay (Lillicrap et al. 2016; Andrychowicz et al. 2017) as mrl's protoge_config, which SVGG's point mazes run: " +
			"LayerNorm-GELU actor and critic, Polyak targets, relabelling mix real/future/desired/achieved 1:4:4:1, action noise, random actions and go-explore; " +
			"smaller networks, batches and update rate than the reference. One episode per Learn, then its gradient steps.",
		Needs:   "a goal-conditioned family: environments with continuous actions that implement task.GoalEnv and whose observations end with the desired goal",
		Accepts: her.Accepts,
	}, her.DefaultParams(), func(p her.Params, f task.Family, rng task.Streams) (task.Student, error) {
		return her.New(p, f, rng)
	})
}
