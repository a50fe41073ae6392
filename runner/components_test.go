package runner

import (
	"testing"

	"github.com/teachbench/teachbench/envs"
	"github.com/teachbench/teachbench/students"
	"github.com/teachbench/teachbench/task"
)

// defaultFamily returns the registered family name with its default
// parameters, for tests and benchmarks that drive a student directly.
func defaultFamily(tb testing.TB, name string) task.Family {
	tb.Helper()
	e, err := envs.Lookup(name)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := e.Decode(nil)
	if err != nil {
		tb.Fatal(err)
	}
	fam, err := e.New(p)
	if err != nil {
		tb.Fatal(err)
	}
	return fam
}

// newStudent returns the registered student name with params (nil for the
// defaults) on fam, drawing from the streams of run key.
func newStudent(tb testing.TB, name string, params map[string]any, fam task.Family, key string) task.Student {
	tb.Helper()
	e, err := students.Lookup(name)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := e.Decode(params)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := e.New(p, fam, Streams(1, key))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
