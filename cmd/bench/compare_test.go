package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/plots"
	"github.com/teachbench/teachbench/runner"
	"github.com/teachbench/teachbench/runner/store"
)

// gateConfig is a small regression sweep: ALP-GMM on the toy grid for 5,000
// episodes, 10 seeds. extra is appended to the teacher.
func gateConfig(name, sweepSeed, teacherParams string) string {
	return `
name = "` + name + `"
seeds = 10
sweep_seed = ` + sweepSeed + `
[budget]
episodes = 5000
[eval]
every = 500
[trace]
every = 0
[[env]]
name = "toy"
[[teacher]]
name = "alp-gmm"
label = "alp-gmm"
` + teacherParams
}

// runSweep runs a config with bench run and returns its results directory.
func runSweep(t *testing.T, out, config string) string {
	t.Helper()
	code, stdout, stderr := bench(t, "run", writeConfig(t, config), "--out", out, "--plots=false")
	if code != 0 {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	sw, err := runner.Parse("x.toml", config)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(out, sw.Name)
}

// committed copies what results/baselines/ keeps of a results directory:
// summary.csv and sweep.json.
func committed(t *testing.T, dir string) string {
	t.Helper()
	base := t.TempDir()
	for _, f := range []string{store.SummaryFile, store.SweepFile} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(base, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return base
}

// TestCompareCatchesDegradedTeacher runs the real runner three times: a
// baseline, an independent replication (another sweep seed), and ALP-GMM
// degraded to a random teacher (random_ratio = 1) under the same label; each
// is compared with the baseline as a results directory and as a committed
// baseline (summary.csv and sweep.json only).
func TestCompareCatchesDegradedTeacher(t *testing.T) {
	out := t.TempDir()
	baseline := runSweep(t, out, gateConfig("baseline", "0", ""))
	replica := runSweep(t, out, gateConfig("replica", "1", ""))
	degraded := runSweep(t, out, gateConfig("degraded", "0", "[teacher.params]\nrandom_ratio = 1.0\n"))
	frozen := committed(t, baseline)

	for _, base := range []string{baseline, frozen} {
		for _, tc := range []struct {
			name  string
			dir   string
			args  []string
			code  int
			wants []string
		}{
			{"identical", baseline, nil, 0, []string{"alp-gmm", "10/10", "+0.0", " ok"}},
			{"replication", replica, nil, 0, []string{" ok", "sweep_seed: 0 → 1"}},
			{"degraded", degraded, nil, 1, []string{"REGRESSION", "teacher alp-gmm: random_ratio 0.2 → 1"}},
			{"degraded auc", degraded, []string{"--metric", "auc_mastered", "--test", "welch"}, 1, []string{"AUC % mastered", "REGRESSION"}},
			{"degraded within tolerance", degraded, []string{"--tolerance", "50"}, 0, []string{" ok"}},
		} {
			args := append([]string{"compare", base, tc.dir}, tc.args...)
			code, stdout, stderr := bench(t, args...)
			if code != tc.code {
				t.Errorf("%s (baseline %s): exit %d, want %d\n%s\n%s", tc.name, filepath.Base(base), code, tc.code, stdout, stderr)
				continue
			}
			for _, w := range tc.wants {
				if !strings.Contains(stdout, w) {
					t.Errorf("%s: output lacks %q:\n%s", tc.name, w, stdout)
				}
			}
			if tc.code == 1 && !strings.Contains(stderr, "significant regression(s)") {
				t.Errorf("%s: stderr %q does not name the regression", tc.name, stderr)
			}
		}
	}
}

// TestCompareMissing checks that a baseline group without runs in the new
// sweep fails the gate unless allowed, and that a new group is listed.
func TestCompareMissing(t *testing.T) {
	out := t.TempDir()
	base := runSweep(t, out, tiny)
	cur := runSweep(t, out, strings.Replace(strings.Replace(tiny, `name = "random"`, `name = "random"
label = "uniform"`, 1), `name = "tiny"`, `name = "tiny2"`, 1))
	code, stdout, stderr := bench(t, "compare", base, cur)
	if code != 1 || !strings.Contains(stdout, "MISSING") || !strings.Contains(stdout, "new") || !strings.Contains(stderr, "--allow-missing") {
		t.Errorf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Two seeds of a tiny sweep: every comparison is of identical runs.
	code, stdout, stderr = bench(t, "compare", base, cur, "--allow-missing")
	if code != 0 {
		t.Errorf("--allow-missing: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestCompareErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"compare", dir}, 2, "want BASELINE DIR"},
		{[]string{"compare", "--metric", "speed", dir, dir}, 2, `unknown metric "speed"`},
		{[]string{"compare", "--test", "ks", dir, dir}, 2, `--test "ks"`},
		{[]string{"compare", "--tolerance", "-1", dir, dir}, 2, "--tolerance -1"},
		{[]string{"compare", dir, dir}, 1, "baseline: " + dir + " is not a results directory"},
	} {
		code, _, stderr := bench(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("bench %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// TestCIBaseline checks that the committed baseline of the CI regression
// sweep was made from the current configs/ci-regression.toml and holds every
// run, so that .ci/compare.sh compares like with like.
func TestCIBaseline(t *testing.T) {
	c, err := runner.Load(filepath.Join("..", "..", "configs", "ci-regression.toml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "results", "baselines", "ci-regression")
	sw, err := plots.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !sw.FromSummary || sw.Info == nil {
		t.Fatalf("baseline read from summary: %v, sweep.json: %v", sw.FromSummary, sw.Info != nil)
	}
	if sw.Info.ConfigSHA256 != c.Hash() {
		t.Errorf("the baseline's config_sha256 %s is not that of configs/ci-regression.toml (%s): refresh it with .ci/compare.sh --update",
			sw.Info.ConfigSHA256, c.Hash())
	}
	plan, _ := c.Plan()
	done := 0
	for _, r := range sw.Runs {
		if r.State == plots.StateDone {
			done++
		}
	}
	if done != len(plan) || len(sw.Runs) != len(plan) {
		t.Errorf("baseline has %d of %d runs done", done, len(plan))
	}
}
