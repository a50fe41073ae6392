package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func bench(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sweep.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const tiny = `
name = "tiny"
seeds = 2
[budget]
episodes = 600
[eval]
every = 200
[[env]]
name = "toy"
[[teacher]]
name = "random"
[[teacher]]
name = "alp-gmm"
[teacher.params]
fit_rate = 100
`

func TestRunFlagsAfterConfig(t *testing.T) {
	cfg := writeConfig(t, tiny)
	out := t.TempDir()
	code, stdout, stderr := bench(t, "run", cfg, "--out", out, "--workers", "2")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"alp-gmm", "random", "final % mastered"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"sweep.json", "summary.csv", "plots/curves_toy.png", "plots/curves_toy.svg", "plots/sampling_toy.png",
		"runs/toy__alp-gmm__synthetic__s1/eval.csv", "runs/toy__alp-gmm__synthetic__s1/samples.csv", "runs/toy__random__synthetic__s0/run.json"} {
		if fi, err := os.Stat(filepath.Join(out, "tiny", f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(stderr, "run done") {
		t.Errorf("no progress log lines on a non-terminal stderr:\n%s", stderr)
	}
	// Flags before the config, and a resume that skips everything.
	code, _, stderr = bench(t, "run", "--out", out, "--plots=false", cfg)
	if code != 0 || !strings.Contains(stderr, "skipped_finished=4") {
		t.Fatalf("resume: exit %d\n%s", code, stderr)
	}
	// Redraw.
	code, stdout, _ = bench(t, "plot", filepath.Join(out, "tiny"), "--formats", "pdf")
	if code != 0 || !strings.Contains(stdout, "curves_toy.pdf") {
		t.Fatalf("plot: exit %d\n%s", code, stdout)
	}
}

func TestValidateAndList(t *testing.T) {
	code, stdout, _ := bench(t, "validate", writeConfig(t, tiny))
	if code != 0 || !strings.Contains(stdout, "4 runs (1 envs × 2 teachers × 1 students × 2 seeds)") {
		t.Fatalf("validate: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = bench(t, "list")
	if code != 0 {
		t.Fatalf("list: exit %d", code)
	}
	for _, want := range []string{"ENVS", "toy", "cells", "= 10", "TEACHERS", "alp-gmm", "fit_rate", "= 250", "potential_ks", "[2 3 4 5 6 7 8 9 10]",
		"random", "spaces: box, discrete, levels", "STUDENTS", "synthetic"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("list lacks %q", want)
		}
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "bench run CONFIG"},
		{[]string{"fly"}, 2, `unknown command "fly"`},
		{[]string{"run"}, 2, "want CONFIG"},
		{[]string{"run", "a.toml", "b.toml"}, 2, "want CONFIG, got 2"},
		{[]string{"run", "--workers", "x", "a.toml"}, 2, "invalid value"},
		{[]string{"run", "does-not-exist.toml"}, 1, "does-not-exist.toml"},
		{[]string{"validate", writeConfig(t, strings.Replace(tiny, `name = "alp-gmm"`, `name = "alpgmm"`, 1))}, 1, `unknown teacher "alpgmm" (did you mean "alp-gmm"?)`},
		{[]string{"validate", writeConfig(t, strings.Replace(tiny, "episodes = 600", "episodes = -1", 1))}, 1, "budget.episodes = -1"},
		{[]string{"plot", "--formats", "gif", "."}, 2, `unknown format "gif"`},
		{[]string{"plot", filepath.Join(t.TempDir(), "none")}, 1, "no such file"},
		{[]string{"list", "extra"}, 2, "unexpected argument"},
	} {
		code, _, stderr := bench(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("bench %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

func TestUnwritableOut(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	code, _, stderr := bench(t, "run", writeConfig(t, tiny), "--out", file)
	if code != 1 || !strings.Contains(stderr, "cannot create the results directory") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}
