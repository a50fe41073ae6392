// Package synthetic is the student of families that model their learner in
// closed form (task.Synthetic): the toy competence grid of the
// teacher-algorithms paper and, later, curriculum graphs with known ground
// truth. It adds nothing to the family's model; it exists so that such
// families are driven through the same Student contract as learning agents,
// and so that configs can name it.
package synthetic

import (
	"errors"

	"github.com/teachbench/teachbench/task"
)

// Params is empty: the family's own parameters define its model.
type Params struct{}

// New returns the family's learner model.
func New(_ Params, f task.Family, rng task.Streams) (task.Student, error) {
	s, ok := f.(task.Synthetic)
	if !ok {
		return nil, errors.New("synthetic: the family has no closed-form learner model")
	}
	return s.NewStudent(rng), nil
}

// Accepts reports whether f provides a closed-form learner model.
func Accepts(f task.Family) bool {
	_, ok := f.(task.Synthetic)
	return ok
}
