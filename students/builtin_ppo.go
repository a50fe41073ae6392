package students

import (
	"github.com/teachbench/teachbench/students/ppo"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name: "ppo",
		Doc: "Proximal policy optimisation (Schulman et al. 2017) with GAE (Schulman et al. 2016): actor-critic MLP, optional GRU core, " +
			"categorical or diagonal-Gaussian policy; dcd's maze hyperparameters with a smaller network and rollout. " +
			"Reports the PLR/SEC/SPDL signals (positive value loss, L1 value loss, mean |advantage|, mean value, V(s_0)).",
		Needs:   "a family with environments to act in (episodic)",
		Accepts: ppo.Accepts,
	}, ppo.DefaultParams(), func(p ppo.Params, f task.Family, rng task.Streams) (task.Student, error) {
		return ppo.New(p, f, rng)
	})
}
