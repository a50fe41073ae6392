// Package students is the registry of learners. Each student lives in its own
// subpackage (students/synthetic, ...) and is registered here by name with its
// parameter defaults and the modality of family it needs; students/nn holds the
// neural-network toolkit they share.
//
// To add a student: write a package under students/ whose constructor takes a
// parameter struct (fields tagged `toml` and `doc`, see internal/params), the
// family and the run's random streams, and returns a task.Student; then add
// one Register call to builtin.go.
package students

import (
	"fmt"

	"github.com/teachbench/teachbench/internal/params"
	"github.com/teachbench/teachbench/task"
)

// Entry is a registered student.
type Entry struct {
	params.Spec
	// Needs says in words what the student needs from a family, for error
	// messages and `bench list`.
	Needs   string
	accepts func(task.Family) bool
	build   func(p any, f task.Family, rng task.Streams) (task.Student, error)
}

// Check returns an error naming both sides if the student cannot learn on f.
func (e Entry) Check(f task.Family, envName, envLabel string) error {
	if !e.accepts(f) {
		return fmt.Errorf("student %q needs %s, but env %q (%s) does not provide it", e.Name, e.Needs, envLabel, envName)
	}
	return nil
}

// New builds the student from decoded parameters (a value returned by
// e.Decode) for family f.
func (e Entry) New(p any, f task.Family, rng task.Streams) (task.Student, error) {
	if !e.accepts(f) {
		return nil, fmt.Errorf("student %q needs %s", e.Name, e.Needs)
	}
	return e.build(p, f, rng)
}

var registry = params.NewRegistry[Entry]("student")

// Info describes a student being registered.
type Info struct {
	Name    string
	Doc     string
	Needs   string
	Accepts func(task.Family) bool
}

// Register adds a student: defaults holds its default parameters and build
// makes a student from a filled-in copy of them.
func Register[P any](info Info, defaults P, build func(p P, f task.Family, rng task.Streams) (task.Student, error)) {
	registry.Add(info.Name, Entry{
		Spec:    params.Spec{Name: info.Name, Doc: info.Doc, Defaults: params.DefaultsOf(defaults)},
		Needs:   info.Needs,
		accepts: info.Accepts,
		build: func(p any, f task.Family, rng task.Streams) (task.Student, error) {
			return build(*p.(*P), f, rng)
		},
	})
}

// Lookup returns the student registered under name.
func Lookup(name string) (Entry, error) { return registry.Get(name) }

// Names returns the registered student names, sorted.
func Names() []string { return registry.Names() }
