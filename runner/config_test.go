package runner

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/envs/toy"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/alpgmm"
)

const minimal = `
name = "t"
seeds = 2
[budget]
episodes = 100
[[env]]
name = "toy"
[[teacher]]
name = "random"
`

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		err  string
	}{
		{"malformed", "name = \"t\"\nseeds = [1, \n[budget", "x.toml: line 3"},
		{"unknown top key", "budgt = 3\n" + minimal, `x.toml: unknown key budgt`},
		{"unknown section key", strings.Replace(minimal, "episodes = 100", "episodes = 100\nepisode = 3", 1), "unknown key budget.episode"},
		{"no name", strings.Replace(minimal, `name = "t"`, "", 1), "name is missing"},
		{"unsafe name", strings.Replace(minimal, `name = "t"`, `name = "../x"`, 1), `name = "../x"`},
		{"no budget", strings.Replace(minimal, "episodes = 100", "", 1), "exactly one of episodes or steps"},
		{"both budgets", strings.Replace(minimal, "episodes = 100", "episodes = 100\nsteps = 5", 1), "exactly one of episodes or steps"},
		{"negative budget", strings.Replace(minimal, "episodes = 100", "episodes = -5", 1), "budget.episodes = -5: want a positive number"},
		{"eval every zero", minimal + "[eval]\nevery = 0\n", "eval.every = 0"},
		{"seeds zero", strings.Replace(minimal, "seeds = 2", "seeds = 0", 1), "seeds = 0"},
		{"seeds duplicate", strings.Replace(minimal, "seeds = 2", "seeds = [1, 2, 1]", 1), "seeds lists 1 twice"},
		{"seeds wrong type", strings.Replace(minimal, "seeds = 2", `seeds = "two"`, 1), "want a count"},
		{"no env", strings.Replace(minimal, "[[env]]\nname = \"toy\"", "", 1), "no [[env]]"},
		{"unknown teacher", strings.Replace(minimal, `name = "random"`, `name = "alp_gmm"`, 1),
			`x.toml: [[teacher]] #1 (alp_gmm): unknown teacher "alp_gmm" (did you mean "alp-gmm"?)`},
		{"unknown env", strings.Replace(minimal, `name = "toy"`, `name = "walkerz"`, 1), `unknown env "walkerz"`},
		{"dims zero", minimal + "[env.params]\ndims = 0\n", `x.toml: [[env]] #1 (toy): params: dims = 0: want at least 1`},
		{"cells one", minimal + "[env.params]\ncells = 1\n", "cells = 1: want at least 2"},
		{"param type", minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.params]\nfit_rate = \"often\"\n",
			`[[teacher]] #2 (alp-gmm): params: key "fit_rate": expected an integer, got the string "often"`},
		{"param typo", minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.params]\nfit_rat = 3\n", `did you mean "fit_rate"?`},
		{"param infinite", minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.params]\nem_tol = inf\n", "em_tol = +Inf: want a"},
		{"sweep infinite", minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.sweep]\nem_tol = [1e-3, inf]\n", "em_tol = +Inf: want a"},
		{"sweep explosion", minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.sweep]\na = [1,2,3,4,5,6,7,8,9,10]\nb = [1,2,3,4,5,6,7,8,9,10]\nc = [1,2,3,4,5,6,7,8,9,10]\nd = [1,2,3,4,5,6,7,8,9,10]\ne = [1,2]\n", "more than 10000 combinations"},
		{"too many runs", strings.Replace(minimal, "seeds = 2", "seeds = 1000000", 1) + "[[teacher]]\nname = \"alp-gmm\"\n", "= 2000000 runs, more than 1000000"},
		{"long name", strings.Replace(minimal, `name = "t"`, `name = "`+strings.Repeat("n", 201)+`"`, 1), "want at most 200"},
		{"param range", minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.params]\nrandom_ratio = 1.5\n", "random_ratio = 1.5"},
		{"sweep not array", minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.sweep]\nrandom_ratio = 0.1\n", "sweep.random_ratio: want a non-empty array"},
		{"sweep and params", minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.params]\nrandom_ratio = 0.1\n[teacher.sweep]\nrandom_ratio = [0.1]\n", "also set in params"},
		{"sweep bad value", minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.sweep]\nrandom_ratio = [0.1, 2.0]\n", "params with sweep (random_ratio=2): random_ratio = 2"},
		{"duplicate label", minimal + "[[teacher]]\nname = \"random\"\n", `label "random" is already used by [[teacher]] #1`},
		{"unknown student", minimal + "[[student]]\nname = \"ppo9\"\n", `unknown student "ppo9"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.toml", tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Parse error = %v\nwant one containing %q", err, tc.err)
			}
		})
	}
}

func TestParseDefaultsAndSweep(t *testing.T) {
	c, err := Parse("x.toml", minimal+`
[[teacher]]
name = "alp-gmm"
label = "ag"
[teacher.params]
fit_rate = 150
[teacher.sweep]
random_ratio = [0.05, 0.1]
potential_ks = [[2, 3], [2, 3, 4]]
`)
	if err != nil {
		t.Fatal(err)
	}
	if c.Budget != (Budget{Unit: Episodes, Amount: 100}) || c.EvalEvery != 5 || len(c.Seeds) != 2 {
		t.Fatalf("budget %+v, eval every %d, seeds %v", c.Budget, c.EvalEvery, c.Seeds)
	}
	if c.Trace != (Trace{Every: 1, Max: DefaultTraceMax}) {
		t.Fatalf("trace = %+v", c.Trace)
	}
	var labels []string
	for _, tc := range c.Teachers {
		labels = append(labels, tc.Label)
	}
	want := []string{"random", "ag(potential_ks=[2 3],random_ratio=0.05)", "ag(potential_ks=[2 3],random_ratio=0.1)",
		"ag(potential_ks=[2 3 4],random_ratio=0.05)", "ag(potential_ks=[2 3 4],random_ratio=0.1)"}
	if strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Fatalf("labels = %q\nwant %q", labels, want)
	}
	p := c.Teachers[4].Params.(*alpgmm.Params)
	if p.FitRate != 150 || p.RandomRatio != 0.1 || len(p.PotentialKs) != 3 || p.Fitness != "aic" {
		t.Fatalf("variant params = %+v", p)
	}
	if e := c.Envs[0].Params.(*toy.Params); *e != toy.DefaultParams() {
		t.Fatalf("env params = %+v", e)
	}
	runs, err := c.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1*5*1*2 {
		t.Fatalf("planned %d runs, want 10", len(runs))
	}
	if runs[2].ID != "toy__ag_potential_ks=_2_3_random_ratio=0.05__synthetic__s0" {
		t.Fatalf("run ID = %q", runs[2].ID)
	}
	if !strings.Contains(runs[2].Key, "fit_rate=150") || !strings.Contains(runs[2].Key, "seed=0") {
		t.Fatalf("run key %q lacks parameters or seed", runs[2].Key)
	}
}

func TestStreamsIndependent(t *testing.T) {
	if Streams(0, "k").Teacher.Uint64() != Streams(0, "k").Teacher.Uint64() {
		t.Fatal("same key gave different streams")
	}
	seen := map[uint64]string{}
	for _, run := range []struct {
		seed uint64
		key  string
	}{{0, "k"}, {1, "k"}, {0, "k2"}} {
		s := Streams(run.seed, run.key)
		for i, r := range []*rand.Rand{s.Teacher, s.Env, s.Init, s.Batch, s.Eval} {
			v := r.Uint64()
			name := fmt.Sprintf("%d/%s/%s", run.seed, run.key, task.StreamNames[i])
			if prev, dup := seen[v]; dup {
				t.Fatalf("stream %s repeats stream %s", name, prev)
			}
			seen[v] = name
		}
	}
}
