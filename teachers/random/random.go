// Package random is the baseline teacher: it proposes tasks uniformly at random,
// ignoring every outcome (Random in Portelas et al., CoRL 2019, and in the
// TeachMyAgent benchmark, Romac et al., ICML 2021).
//
// On a Box it draws each dimension uniformly within its bounds; on a Discrete
// space it draws a task index uniformly; on a Levels space it asks the family's
// generator for a fresh level (domain randomisation). Every task gets a fresh
// seed from the teacher's stream.
package random

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Params is empty: the teacher has no parameters.
type Params struct{}

// Teacher samples uniformly from its space.
type Teacher struct {
	space  task.Space
	params []float64 // reused buffer for Box samples
}

// New returns a random teacher on space.
func New(_ Params, space task.Space, _ *rand.Rand) (*Teacher, error) {
	switch space.(type) {
	case *task.Box, *task.Discrete, task.Levels:
		return &Teacher{space: space}, nil
	}
	return nil, fmt.Errorf("random: unsupported space %T", space)
}

// Sample draws a task uniformly. For a Box, the returned Params are valid until
// the next call.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	switch s := t.space.(type) {
	case *task.Box:
		t.params = s.Uniform(t.params, rng)
		return task.Task{Params: t.params, Seed: rng.Uint64()}
	case *task.Discrete:
		return task.Task{Index: rng.IntN(s.Len()), Seed: rng.Uint64()}
	case task.Levels:
		return task.Task{Level: s.Generate(rng), Seed: rng.Uint64()}
	}
	panic("unreachable")
}

// Update does nothing: the random teacher does not adapt.
func (t *Teacher) Update(task.Task, task.Outcome) {}
