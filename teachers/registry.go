// Package teachers is the registry of teacher algorithms. Each teacher lives in
// its own subpackage (teachers/random, teachers/alpgmm, ...) and is registered
// here by name with its parameter defaults and the kinds of space it works on.
//
// To add a teacher: write a package under teachers/ whose constructor takes a
// parameter struct (fields tagged `toml` and `doc`, see internal/params), the
// space and a random stream, and returns a task.Teacher; then add one Register
// call to builtin.go.
package teachers

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/teachbench/teachbench/internal/params"
	"github.com/teachbench/teachbench/task"
)

// Entry is a registered teacher.
type Entry struct {
	params.Spec
	// Kinds lists the kinds of space the teacher works on, in order of
	// preference.
	Kinds []task.Kind
	build func(p any, space task.Space, rng *rand.Rand) (task.Teacher, error)
}

// Space returns the first of the family's spaces whose kind the teacher works
// on (teacher preference first), or an error naming both sides.
func (e Entry) Space(f task.Family, envLabel string) (task.Space, error) {
	spaces := f.Spaces()
	for _, k := range e.Kinds {
		for _, s := range spaces {
			if s.Kind() == k {
				return s, nil
			}
		}
	}
	offered := make([]string, len(spaces))
	for i, s := range spaces {
		offered[i] = s.Kind().String()
	}
	wants := make([]string, len(e.Kinds))
	for i, k := range e.Kinds {
		wants[i] = k.String()
	}
	return nil, fmt.Errorf("teacher %q works on %v spaces, but env %q offers only %v", e.Name, wants, envLabel, offered)
}

// New builds the teacher from decoded parameters (a value returned by
// e.Decode) on space, which must be of one of e.Kinds. rng is the run's
// teacher stream, for randomness the teacher needs outside Sample.
func (e Entry) New(p any, space task.Space, rng *rand.Rand) (task.Teacher, error) {
	if !slices.Contains(e.Kinds, space.Kind()) {
		return nil, fmt.Errorf("teacher %q does not work on %s spaces", e.Name, space.Kind())
	}
	return e.build(p, space, rng)
}

var registry = params.NewRegistry[Entry]("teacher")

// Info describes a teacher being registered.
type Info struct {
	Name  string
	Doc   string
	Kinds []task.Kind
}

// Register adds a teacher: defaults holds its default parameters and build
// makes a teacher from a filled-in copy of them.
func Register[P any](info Info, defaults P, build func(p P, space task.Space, rng *rand.Rand) (task.Teacher, error)) {
	if len(info.Kinds) == 0 {
		panic("teachers: " + info.Name + " registered without space kinds")
	}
	registry.Add(info.Name, Entry{
		Spec:  params.Spec{Name: info.Name, Doc: info.Doc, Defaults: params.DefaultsOf(defaults)},
		Kinds: info.Kinds,
		build: func(p any, space task.Space, rng *rand.Rand) (task.Teacher, error) {
			return build(*p.(*P), space, rng)
		},
	})
}

// Lookup returns the teacher registered under name.
func Lookup(name string) (Entry, error) { return registry.Get(name) }

// Names returns the registered teacher names, sorted.
func Names() []string { return registry.Names() }
