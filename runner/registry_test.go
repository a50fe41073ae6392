package runner

import (
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/envs"
	"github.com/teachbench/teachbench/internal/params"
	"github.com/teachbench/teachbench/students"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers"
)

// TestRegisteredComponentsBuild checks every registered component with its
// default parameters: each env builds and offers a space, its default student
// exists and accepts it, and each teacher builds on every env it can pair with
// and proposes tasks inside the space. New components are covered without
// writing a test here.
func TestRegisteredComponentsBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, en := range envs.Names() {
		e, _ := envs.Lookup(en)
		p, err := e.Decode(nil)
		if err != nil {
			t.Fatalf("env %s: defaults do not validate: %v", en, err)
		}
		fam, err := e.New(p)
		if err != nil {
			t.Fatalf("env %s: %v", en, err)
		}
		if len(fam.TestSet()) == 0 {
			t.Errorf("env %s has an empty test set", en)
		}
		se, err := students.Lookup(e.DefaultStudent)
		if err != nil {
			t.Fatalf("env %s: default student: %v", en, err)
		}
		if err := se.Check(fam, en, en); err != nil {
			t.Errorf("env %s: %v", en, err)
		}
		for _, tn := range teachers.Names() {
			te, _ := teachers.Lookup(tn)
			if len(params.Describe(te.Defaults())) > 0 && te.Doc == "" {
				t.Errorf("teacher %s has no doc", tn)
			}
			sp, err := te.Space(fam, en)
			if err != nil {
				continue
			}
			tp, err := te.Decode(nil)
			if err != nil {
				t.Fatalf("teacher %s: defaults do not validate: %v", tn, err)
			}
			teacher, err := te.New(tp, sp, rng)
			if err != nil {
				t.Fatalf("teacher %s on env %s: %v", tn, en, err)
			}
			for range 10 {
				tk := teacher.Sample(rng)
				if tk.Kind() != sp.Kind() {
					t.Fatalf("teacher %s proposed a %s task on a %s space", tn, tk.Kind(), sp.Kind())
				}
				if b, ok := sp.(*task.Box); ok && !b.Contains(tk.Params) {
					t.Fatalf("teacher %s proposed %v outside %v", tn, tk.Params, b)
				}
			}
		}
	}
}
