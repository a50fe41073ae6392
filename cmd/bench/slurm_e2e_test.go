package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSlurmEndToEnd submits a sweep to a real Slurm cluster with `bench slurm
// submit` — a 3-task job array and its merge job — waits for both, and checks
// that the merged results equal a single-process run's and that every task
// and the merge logged to their files. It runs only when TEACHBENCH_SLURM is
// set (.ci/slurm.sh installs a single-node cluster, sets it and runs this
// test); `go test ./...` skips it.
func TestSlurmEndToEnd(t *testing.T) {
	if os.Getenv("TEACHBENCH_SLURM") == "" {
		t.Skip("needs a Slurm cluster: set TEACHBENCH_SLURM=1 where sbatch works (.ci/slurm.sh starts a single-node one)")
	}
	for _, tool := range []string{"sbatch", "scontrol"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("TEACHBENCH_SLURM is set but %s is not on PATH", tool)
		}
	}
	bin := benchBinary(t)
	want, _ := procReference(t)
	// A space in the results path checks the quoting of the #SBATCH lines.
	out := filepath.Join(t.TempDir(), "slurm results")
	cfg := filepath.Join(t.TempDir(), "proc.toml")
	os.WriteFile(cfg, []byte(procConfig), 0o644)
	msg, err := exec.Command(bin, "slurm", "submit", cfg, "--out", out, "--shards", "3", "--cpus", "1", "--time", "10:00", "--throttle", "2").CombinedOutput()
	if err != nil {
		t.Fatalf("bench slurm submit: %v\n%s", err, msg)
	}
	m := regexp.MustCompile(`submitted array job (\d+) .* merge job (\d+)`).FindSubmatch(msg)
	if m == nil {
		t.Fatalf("bench slurm submit printed:\n%s", msg)
	}
	array, merge := string(m[1]), string(m[2])
	t.Logf("array job %s, merge job %s", array, merge)

	deadline := time.Now().Add(3 * time.Minute)
	var states map[string]string
	for {
		states = jobStates(t, array, merge)
		if s := states[merge]; s != "" && s != "PENDING" && s != "RUNNING" && s != "COMPLETING" && s != "CONFIGURING" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the jobs did not end within 3 minutes: %v", states)
		}
		time.Sleep(time.Second)
	}
	dir := filepath.Join(out, "proc")
	logs := filepath.Join(dir, "slurm", "logs")
	for id, s := range states {
		if s != "COMPLETED" {
			entries, _ := os.ReadDir(logs)
			var all strings.Builder
			for _, e := range entries {
				b, _ := os.ReadFile(filepath.Join(logs, e.Name()))
				fmt.Fprintf(&all, "== %s\n%s\n", e.Name(), b)
			}
			t.Fatalf("job %s ended %s (all: %v)\n%s", id, s, states, all.String())
		}
	}
	for k := range 3 {
		b, err := os.ReadFile(filepath.Join(logs, fmt.Sprintf("%s_%d.out", array, k)))
		// --cpus 1 caps the pool at one CPU even though this cluster does
		// not bind tasks to CPUs (TaskPlugin=task/none).
		if err != nil || !strings.Contains(string(b), fmt.Sprintf("shard %d/3 (from --shard), GOMAXPROCS 1", k)) {
			t.Errorf("log of array task %d: %v\n%s", k, err, b)
		}
		if k == 0 {
			t.Logf("log of array task 0:\n%s", b)
		}
	}
	if b, err := os.ReadFile(filepath.Join(logs, merge+"-merge.out")); err != nil || !strings.Contains(string(b), "merged 8 runs (8 done, 0 failed)") {
		t.Errorf("log of the merge job: %v\n%s", err, b)
	}
	compareResults(t, "Slurm array + merge job", want, dir)
}

// jobStates returns the state of each job and array task among ids, from
// `scontrol show job -o` (one line per job or array task).
func jobStates(t *testing.T, ids ...string) map[string]string {
	t.Helper()
	states := map[string]string{}
	re := regexp.MustCompile(`JobId=(\d+) .*?JobState=(\S+)`)
	task := regexp.MustCompile(`ArrayJobId=(\d+) ArrayTaskId=(\S+)`)
	for _, id := range ids {
		out, err := exec.Command("scontrol", "show", "job", "-o", id).CombinedOutput()
		if err != nil {
			t.Fatalf("scontrol show job %s: %v\n%s", id, err, out)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			m := re.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			name := m[1]
			if a := task.FindStringSubmatch(line); a != nil {
				name = a[1] + "_" + a[2]
			}
			states[name] = m[2]
		}
	}
	return states
}
