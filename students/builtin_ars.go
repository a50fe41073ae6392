package students

import (
	"github.com/teachbench/teachbench/students/ars"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name: "ars",
		Doc: "Augmented Random Search V2-t (Mania, Guy & Recht, NeurIPS 2018): a linear (or small MLP) policy on running-normalised observations, " +
			"N antithetic +/- perturbations per iteration, update along the best b; one iteration per Learn call by default (outcome: mean over its 2N episodes).",
		Needs:   "a family with environments of continuous actions (episodic)",
		Accepts: ars.Accepts,
	}, ars.DefaultParams(), func(p ars.Params, f task.Family, rng task.Streams) (task.Student, error) {
		return ars.New(p, f, rng)
	})
}
