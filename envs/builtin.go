package envs

import (
	"github.com/teachbench/teachbench/envs/toy"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name: "toy",
		Doc: "Competence grid of the teacher-algorithms paper (CoRL 2019): [0,1]^dims cut into cells^dims cells; " +
			"a cell learns only once a previous neighbour is learned; mastered = % of cells with competence > 75.",
		DefaultStudent: "synthetic",
	}, toy.DefaultParams(), func(p toy.Params) (task.Family, error) { return toy.New(p) })
}
