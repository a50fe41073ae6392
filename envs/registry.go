// Package envs is the registry of environment families. Each family lives in
// its own subpackage (envs/toy, ...) and is registered here by name with its
// parameter defaults, so that configs can name it and `bench list` can show
// it.
//
// To add a family: write a package under envs/ whose constructor takes a
// parameter struct (fields tagged `toml` and `doc`, see internal/params) and
// returns a task.Family, then add one Register call to builtin.go.
package envs

import (
	"fmt"

	"github.com/teachbench/teachbench/internal/params"
	"github.com/teachbench/teachbench/task"
)

// Entry is a registered family.
type Entry struct {
	params.Spec
	// DefaultStudent is the registry name of the student that learns on the
	// family when a config names none.
	DefaultStudent string
	build          func(p any) (task.Family, error)
}

// New builds the family from decoded parameters (a value returned by
// e.Decode).
func (e Entry) New(p any) (task.Family, error) {
	f, err := e.build(p)
	if err != nil {
		return nil, err
	}
	if len(f.Spaces()) == 0 {
		return nil, fmt.Errorf("env %q offers no space", e.Name)
	}
	return f, nil
}

var registry = params.NewRegistry[Entry]("env")

// Info describes a family being registered.
type Info struct {
	Name           string
	Doc            string
	DefaultStudent string
}

// Register adds a family: defaults holds its default parameters and build makes
// a family from a filled-in copy of them.
func Register[P any](info Info, defaults P, build func(P) (task.Family, error)) {
	registry.Add(info.Name, Entry{
		Spec:           params.Spec{Name: info.Name, Doc: info.Doc, Defaults: params.DefaultsOf(defaults)},
		DefaultStudent: info.DefaultStudent,
		build:          func(p any) (task.Family, error) { return build(*p.(*P)) },
	})
}

// Lookup returns the family registered under name.
func Lookup(name string) (Entry, error) { return registry.Get(name) }

// Names returns the registered family names, sorted.
func Names() []string { return registry.Names() }
