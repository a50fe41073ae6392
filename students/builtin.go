package students

import (
	"github.com/teachbench/teachbench/students/synthetic"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name:    "synthetic",
		Doc:     "The family's own closed-form learner model (the toy competence grid); no parameters.",
		Needs:   "a family with a closed-form learner model (synthetic)",
		Accepts: synthetic.Accepts,
	}, synthetic.Params{}, func(p synthetic.Params, f task.Family, rng task.Streams) (task.Student, error) {
		return synthetic.New(p, f, rng)
	})
}
