package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/runner"
	"github.com/teachbench/teachbench/runner/store"
)

func TestResolveShard(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shard  string
		shards int
		env    map[string]string
		want   runner.Shard
		source string
		err    string
	}{
		{name: "none", want: runner.Shard{}},
		{name: "flag", shard: "2/5", want: runner.Shard{Index: 2, Count: 5}, source: "--shard"},
		{name: "flag beats env", shard: "0/2", env: map[string]string{"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3"}, want: runner.Shard{Index: 0, Count: 2}},
		{name: "K with --shards", shard: "1", shards: 3, want: runner.Shard{Index: 1, Count: 3}},
		{name: "K alone", shard: "1", err: "want K/N"},
		{name: "disagree", shard: "1/3", shards: 4, err: "disagree"},
		{name: "out of range", shard: "3/3", err: "0 ≤ K < N"},
		{name: "slurm array", env: map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"},
			want: runner.Shard{Index: 3, Count: 4}, source: "SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT"},
		{name: "slurm array from 1", env: map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"}, err: "--shard ${SLURM_ARRAY_TASK_ID}/N"},
		{name: "slurm subset", env: map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "2"}, shards: 8,
			want: runner.Shard{Index: 5, Count: 8}, source: "SLURM_ARRAY_TASK_ID and --shards"},
		{name: "slurm without count", env: map[string]string{"SLURM_ARRAY_TASK_ID": "0"}, err: "SLURM_ARRAY_TASK_COUNT is not"},
		{name: "slurm garbage", env: map[string]string{"SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "2"}, err: `SLURM_ARRAY_TASK_ID="x"`},
		{name: "kubernetes", env: map[string]string{"JOB_COMPLETION_INDEX": "2"}, shards: 3,
			want: runner.Shard{Index: 2, Count: 3}, source: "JOB_COMPLETION_INDEX and --shards"},
		{name: "kubernetes out of range", env: map[string]string{"JOB_COMPLETION_INDEX": "3"}, shards: 3, err: "0 ≤ K < N"},
		{name: "kubernetes without --shards", env: map[string]string{"JOB_COMPLETION_INDEX": "2"}, want: runner.Shard{}},
		{name: "--shards alone", shards: 3, err: "without --shard"},
		{name: "negative --shards", shards: -1, err: "positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, source, err := resolveShard(tc.shard, tc.shards, func(k string) string { return tc.env[k] })
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want || tc.source != "" && source != tc.source {
				t.Fatalf("got %v from %q (%v), want %v from %q", got, source, err, tc.want, tc.source)
			}
		})
	}
}

func TestJobCPUs(t *testing.T) {
	n := runtime.GOMAXPROCS(0)
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "SLURM_CPUS_PER_TASK" {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		v    string
		want int
	}{{"", n}, {"1", 1}, {"1000", n}, {"0", n}, {"x", n}} {
		if got := jobCPUs(env(tc.v)); got != tc.want {
			t.Errorf("SLURM_CPUS_PER_TASK=%q: %d CPUs, want %d", tc.v, got, tc.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/a/b-c_d.toml": "/a/b-c_d.toml",
		"a b":           "'a b'",
		"it's":          `'it'\''s'`,
		"$(x)":          "'$(x)'",
		"":              "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestShardsAndMergeCommands runs a sweep as three shards through the
// command line, checks what a shard prints and writes, and merges.
func TestShardsAndMergeCommands(t *testing.T) {
	cfg := writeConfig(t, tiny)
	out := t.TempDir()
	dir := filepath.Join(out, "tiny")
	code, stdout, stderr := bench(t, "run", cfg, "--out", out, "--shard", "1/3")
	if code != 0 || !strings.Contains(stdout, "shard 1/3: 1 of the sweep's 4 runs: 1 done") || !strings.Contains(stdout, "bench merge") {
		t.Fatalf("shard: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, store.SummaryFile)); err == nil {
		t.Fatal("a shard wrote summary.csv")
	}
	code, stdout, stderr = bench(t, "merge", dir, "--shards", "3")
	if code != 1 || !strings.Contains(stdout, "3 of 4 planned runs are not finished") || !strings.Contains(stdout, "shards 0,2 of 3") ||
		!strings.Contains(stderr, "incomplete") || !strings.Contains(stdout, "bench run "+cfg) {
		t.Fatalf("incomplete merge: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, k := range []string{"0/3", "2/3"} {
		if code, stdout, stderr := bench(t, "run", cfg, "--out", out, "--shard", k); code != 0 {
			t.Fatalf("shard %s: exit %d\n%s\n%s", k, code, stdout, stderr)
		}
	}
	code, stdout, stderr = bench(t, "merge", dir, "--plots=false")
	if code != 0 || !strings.Contains(stdout, "merged 4 runs (4 done, 0 failed)") || !strings.Contains(stdout, "final % mastered") {
		t.Fatalf("merge: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, stderr := bench(t, "merge", t.TempDir()); code != 1 || !strings.Contains(stderr, "no sweep.json") {
		t.Fatalf("merge of an empty directory: exit %d, %s", code, stderr)
	}
}

// fakeSbatch writes an sbatch stand-in that logs its arguments and answers
// like `sbatch --parsable` of a federated cluster ("id;cluster").
func fakeSbatch(t *testing.T, fail bool) (path, log string) {
	t.Helper()
	d := t.TempDir()
	path, log = filepath.Join(d, "sbatch"), filepath.Join(d, "calls")
	script := "#!/bin/sh\necho \"$@\" >> '" + log + "'\nn=$(wc -l < '" + log + "')\n"
	if fail {
		script += "if [ $n -gt 1 ]; then echo 'sbatch: error: Invalid partition' >&2; exit 1; fi\n"
	}
	script += "echo $((1000 + n))';cluster'\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, log
}

func TestSlurmEmitAndSubmit(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	cfg := writeConfig(t, tiny)
	out := filepath.Join(t.TempDir(), "res with space")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := bench(t, "slurm", "emit", cfg, "--out", out, "--shards", "3", "--cpus", "2", "--time", "1:30:00",
		"--throttle", "2", "--partition", "short", "--mem", "2G", "--sbatch-arg", "--constraint=avx2", "--bench", exe)
	if code != 0 {
		t.Fatalf("emit: exit %d\n%s\n%s", code, stdout, stderr)
	}
	slurmDir := filepath.Join(out, "tiny", "slurm")
	runScript := string(readFileT(t, filepath.Join(slurmDir, "run.sbatch")))
	for _, want := range []string{
		"#SBATCH --job-name=tiny\n", "#SBATCH --array=0-2%2\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --time=1:30:00\n",
		"#SBATCH --partition=short\n", "#SBATCH --mem=2G\n", "#SBATCH --constraint=avx2\n",
		`#SBATCH --output="` + slurmDir + `/logs/%A_%a.out"`,
		"exec " + exe + " run '" + slurmDir + "/config.toml' --out '" + out + "' --shard \"${SLURM_ARRAY_TASK_ID}/3\"\n",
	} {
		if !strings.Contains(runScript, want) {
			t.Errorf("run.sbatch lacks %q:\n%s", want, runScript)
		}
	}
	mergeScript := string(readFileT(t, filepath.Join(slurmDir, "merge.sbatch")))
	for _, want := range []string{"#SBATCH --job-name=tiny-merge\n", "#SBATCH --time=30:00\n", "#SBATCH --partition=short\n",
		"exec " + exe + " merge '" + filepath.Join(out, "tiny") + "' --shards 3\n"} {
		if !strings.Contains(mergeScript, want) {
			t.Errorf("merge.sbatch lacks %q:\n%s", want, mergeScript)
		}
	}
	for _, s := range []string{"run.sbatch", "merge.sbatch"} {
		if msg, err := exec.Command("sh", "-n", filepath.Join(slurmDir, s)).CombinedOutput(); err != nil {
			t.Errorf("%s is not valid shell: %v %s", s, err, msg)
		}
	}
	if got := readFileT(t, filepath.Join(slurmDir, "config.toml")); string(got) != tiny {
		t.Error("the frozen config differs from the config")
	}
	if sw, err := store.ReadSweep(filepath.Join(out, "tiny")); err != nil || len(sw.Runs) != 4 || sw.ConfigFile != filepath.Join(slurmDir, "config.toml") {
		t.Fatalf("emit did not write the plan: %v %+v", err, sw)
	}
	if fi, err := os.Stat(filepath.Join(slurmDir, "logs")); err != nil || !fi.IsDir() {
		t.Fatal("no logs directory")
	}

	sbatch, calls := fakeSbatch(t, false)
	code, stdout, stderr = bench(t, "slurm", "submit", cfg, "--out", out, "--shards", "2", "--bench", exe, "--sbatch", sbatch)
	if code != 0 || !strings.Contains(stdout, "submitted array job 1001 (2 tasks over 4 runs) and merge job 1002 (afterany:1001)") {
		t.Fatalf("submit: exit %d\n%s\n%s", code, stdout, stderr)
	}
	want := "--parsable " + filepath.Join(slurmDir, "run.sbatch") + "\n--parsable --dependency=afterany:1001 " + filepath.Join(slurmDir, "merge.sbatch") + "\n"
	if got := string(readFileT(t, calls)); got != want {
		t.Errorf("sbatch calls:\n%s\nwant:\n%s", got, want)
	}
	sbatch, calls = fakeSbatch(t, true)
	code, _, stderr = bench(t, "slurm", "submit", cfg, "--out", out, "--shards", "2", "--bench", exe, "--sbatch", sbatch, "--dependency", "afterok")
	if code != 1 || !strings.Contains(stderr, "the array job 1001 is submitted, but the merge job is not") || !strings.Contains(stderr, "Invalid partition") ||
		!strings.Contains(stderr, "--kill-on-invalid-dep=yes") {
		t.Fatalf("failed merge submission: exit %d\n%s", code, stderr)
	}
}

func TestSlurmErrors(t *testing.T) {
	cfg := writeConfig(t, tiny)
	exe, _ := os.Executable()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"slurm"}, 2, "bench slurm emit CONFIG"},
		{[]string{"slurm", "launch", cfg}, 2, "bench slurm emit CONFIG"},
		{[]string{"slurm", "emit", cfg, "--bench", exe}, 2, "--shards 0"},
		{[]string{"slurm", "emit", cfg, "--shards", "9", "--bench", exe}, 2, "only 4 runs"},
		{[]string{"slurm", "emit", cfg, "--shards", "2", "--time", "2 hours", "--bench", exe}, 2, `--time "2 hours"`},
		{[]string{"slurm", "emit", cfg, "--shards", "2", "--mem", "lots", "--bench", exe}, 2, `--mem "lots"`},
		{[]string{"slurm", "emit", cfg, "--shards", "2", "--partition", "a\n#SBATCH --x", "--bench", exe}, 2, "--partition"},
		{[]string{"slurm", "emit", cfg, "--shards", "2", "--sbatch-arg", "x\ny", "--bench", exe}, 2, "--sbatch-arg"},
		{[]string{"slurm", "emit", cfg, "--shards", "2", "--dependency", "afternotok", "--bench", exe}, 2, "afterany or afterok"},
		{[]string{"slurm", "emit", cfg, "--shards", "2", "--bench", "/nonexistent/bench"}, 1, "not an executable"},
		{[]string{"slurm", "emit", cfg, "--shards", "2", "--out", filepath.Join(t.TempDir(), `q"uote`), "--bench", exe}, 1, "cannot appear in an #SBATCH line"},
	} {
		code, _, stderr := bench(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("bench %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

func TestSlurmRefusesGoRunBinary(t *testing.T) {
	if exe, _ := os.Executable(); !strings.Contains(exe, string(filepath.Separator)+"go-build") {
		t.Skip("the test binary is not a go-build temporary")
	}
	code, _, stderr := bench(t, "slurm", "emit", writeConfig(t, tiny), "--shards", "2", "--out", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "temporary `go run` build") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

func readFileT(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
