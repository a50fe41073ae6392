package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/teachbench/teachbench/runner/store"
)

// The tests in this file build the bench binary and run it as a subprocess,
// to check what only a real process shows: results survive SIGKILL at any
// moment, SIGINT and SIGTERM stop a sweep cleanly, concurrent invocations are
// refused, and separate shard processes merge to the single-process result.
// They are skipped in -short mode. TEACHBENCH_LONG=1 makes the SIGKILL test
// kill many more sweeps (TEACHBENCH_CRASH_SWEEPS=n sets the number).

// revisionStamp is stamped into the test binary, as a release build would be.
const revisionStamp = "test-build-0123"

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// benchBinary builds cmd/bench once per test process, with the revision
// stamped through -ldflags -X.
func benchBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the bench binary; skipped in -short mode")
	}
	binOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		if binDir, binErr = os.MkdirTemp("", "bench-test-bin"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "bench")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		cmd := exec.Command(goTool, "build", "-ldflags=-X github.com/teachbench/teachbench/runner.Revision="+revisionStamp, "-o", binPath, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// procConfig is the sweep of the subprocess tests: 8 runs of a few hundred
// milliseconds in all, with a trace, so that a random kill often lands while
// files are being written.
const procConfig = `
name = "proc"
seeds = 4
[budget]
episodes = 4000
[eval]
every = 500
[trace]
every = 2
[[env]]
name = "toy"
[[teacher]]
name = "random"
[[teacher]]
name = "alp-gmm"
[teacher.params]
fit_rate = 150
`

const procRuns = 8

var (
	refOnce sync.Once
	refSnap map[string]string
	refTime time.Duration
	refErr  error
)

// procReference runs procConfig uninterrupted and returns its results and
// how long it took.
func procReference(t *testing.T) (map[string]string, time.Duration) {
	t.Helper()
	bin := benchBinary(t)
	refOnce.Do(func() {
		out, err := os.MkdirTemp("", "bench-test-ref")
		if err != nil {
			refErr = err
			return
		}
		defer os.RemoveAll(out)
		cfg := filepath.Join(out, "proc.toml")
		os.WriteFile(cfg, []byte(procConfig), 0o644)
		start := time.Now()
		if msg, err := exec.Command(bin, "run", cfg, "--out", out, "--workers", "2", "--plots=false").CombinedOutput(); err != nil {
			refErr = fmt.Errorf("reference run: %v\n%s", err, msg)
			return
		}
		refTime = time.Since(start)
		refSnap, refErr = resultFiles(filepath.Join(out, "proc"))
	})
	if refErr != nil {
		t.Fatal(refErr)
	}
	return refSnap, refTime
}

// resultFiles returns the results of a sweep directory, file → content, with
// the wall-time columns and fields dropped; it fails on temporary files.
func resultFiles(dir string) (map[string]string, error) {
	snap := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		name := d.Name()
		switch {
		case d.IsDir():
			if name == store.PlotsDir || name == store.SlurmDir {
				return filepath.SkipDir
			}
			return nil
		case store.IsTemp(name):
			return fmt.Errorf("temporary file left behind: %s", rel)
		case name == store.LockFile || name == store.SweepFile:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch name {
		case store.EvalFile, store.SummaryFile:
			s, err := dropColumn(data, "wall_s")
			if err != nil {
				return fmt.Errorf("%s: %v", rel, err)
			}
			snap[rel] = s
		case store.RunFile:
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				return fmt.Errorf("%s: %v", rel, err)
			}
			delete(m, "wall_seconds")
			b, _ := json.Marshal(m)
			snap[rel] = string(b)
		default:
			snap[rel] = string(data)
		}
		return nil
	})
	return snap, err
}

func dropColumn(data []byte, column string) (string, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return "", err
	}
	drop := slices.Index(recs[0], column)
	var b strings.Builder
	for _, r := range recs {
		for i, v := range r {
			if i != drop {
				b.WriteString(v + ",")
			}
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

func compareResults(t *testing.T, what string, want map[string]string, dir string) {
	t.Helper()
	got, err := resultFiles(dir)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			t.Errorf("%s: %s differs from the uninterrupted single-process sweep", what, k)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d result files, want %d", what, len(got), len(want))
	}
}

// finishedFile is the state of one file of a finished run.
type finishedFile struct {
	info fs.FileInfo
	data []byte
}

// checkFinished verifies that every run seen finished before is unchanged —
// same files, same inodes, same modification times, same bytes: never
// recomputed nor rewritten — and records the runs that finished since. A
// finished run's files must all be complete and readable.
func checkFinished(t *testing.T, dir string, seen map[string][]finishedFile) {
	t.Helper()
	runs, err := store.ListRuns(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, rd := range runs {
		id := filepath.Base(rd)
		r, err := store.ReadRun(rd)
		if err != nil {
			t.Fatalf("run %s: a run.json that does not read: %v", id, err)
		}
		if r.Status != store.StatusDone {
			t.Fatalf("run %s: status %q", id, r.Status)
		}
		var files []finishedFile
		for _, name := range []string{store.RunFile, store.EvalFile, store.SamplesFile} {
			p := filepath.Join(rd, name)
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatalf("run %s is marked done but %s: %v", id, name, err)
			}
			data, _ := os.ReadFile(p)
			files = append(files, finishedFile{fi, data})
		}
		if _, _, err := store.ReadEval(filepath.Join(rd, store.EvalFile)); err != nil {
			t.Fatalf("run %s: %v", id, err)
		}
		if _, err := store.ReadSamples(filepath.Join(rd, store.SamplesFile), r.Space); err != nil {
			t.Fatalf("run %s: %v", id, err)
		}
		before, ok := seen[id]
		if !ok {
			seen[id] = files
			continue
		}
		for i, f := range files {
			b := before[i]
			if !os.SameFile(b.info, f.info) || !b.info.ModTime().Equal(f.info.ModTime()) || !bytes.Equal(b.data, f.data) {
				t.Fatalf("run %s: %s of a finished run was rewritten", id, f.info.Name())
			}
		}
	}
}

var skippedRe = regexp.MustCompile(`skipped_finished=(\d+)`)

// TestSIGKILLNeverLosesOrRedoesFinishedRuns kills sweeps with SIGKILL at
// random moments and restarts them until they complete: every restart skips
// exactly the runs finished so far, never rewrites their files, and the
// completed sweep equals an uninterrupted one.
func TestSIGKILLNeverLosesOrRedoesFinishedRuns(t *testing.T) {
	bin := benchBinary(t)
	want, full := procReference(t)
	sweeps, maxKills := 3, 6
	if os.Getenv("TEACHBENCH_LONG") != "" {
		sweeps, maxKills = 60, 12
	}
	if n, err := strconv.Atoi(os.Getenv("TEACHBENCH_CRASH_SWEEPS")); err == nil && n > 0 {
		sweeps = n
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 11))
	totalKills, midWrite, midRun := 0, 0, 0
	for s := range sweeps {
		out := t.TempDir()
		cfg := filepath.Join(out, "proc.toml")
		os.WriteFile(cfg, []byte(procConfig), 0o644)
		dir := filepath.Join(out, "proc")
		seen := map[string][]finishedFile{}
		for attempt := 0; ; attempt++ {
			var stderr bytes.Buffer
			cmd := exec.Command(bin, "run", cfg, "--out", out, "--workers", "2", "--plots=false")
			cmd.Stderr = &stderr
			finishedBefore := len(seen)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			killed := false
			if attempt < maxKills {
				// Kill at a uniform moment of what is left of the sweep.
				left := 20*time.Millisecond + full*time.Duration(procRuns-finishedBefore)/procRuns
				timer := time.AfterFunc(time.Duration(rng.Float64()*1.1*float64(left)), func() { cmd.Process.Kill() })
				err := cmd.Wait()
				killed = !timer.Stop() && err != nil
			} else if err := cmd.Wait(); err != nil {
				t.Fatalf("sweep %d, attempt %d: %v\n%s", s, attempt, err, stderr.String())
			}
			if m := skippedRe.FindStringSubmatch(stderr.String()); m != nil && m[1] != strconv.Itoa(finishedBefore) {
				t.Fatalf("sweep %d, attempt %d skipped %s finished runs, want %d", s, attempt, m[1], finishedBefore)
			}
			checkFinished(t, dir, seen)
			if !killed {
				if cmd.ProcessState.ExitCode() != 0 {
					t.Fatalf("sweep %d, attempt %d: exit %d\n%s", s, attempt, cmd.ProcessState.ExitCode(), stderr.String())
				}
				break
			}
			totalKills++
			temps, partial := leftovers(dir)
			midWrite += temps
			midRun += partial
		}
		if len(seen) != procRuns {
			t.Fatalf("sweep %d finished %d runs, want %d", s, len(seen), procRuns)
		}
		compareResults(t, fmt.Sprintf("sweep %d", s), want, dir)
	}
	t.Logf("%d sweeps, %d SIGKILLs: %d left temporary files (killed mid-write), %d left runs with data files but no run.json",
		sweeps, totalKills, midWrite, midRun)
}

// leftovers reports whether a killed sweep left temporary files, and whether
// it left a run with data files but no run.json (killed between a run's
// files).
func leftovers(dir string) (temps, partial int) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && store.IsTemp(d.Name()) {
			temps = 1
		}
		if err == nil && d.Name() == store.EvalFile {
			if _, err := os.Stat(filepath.Join(filepath.Dir(path), store.RunFile)); err != nil {
				partial = 1
			}
		}
		return nil
	})
	return temps, partial
}

// startLogged starts cmd and returns a channel that receives each line of
// its stderr, and a buffer that collects them all.
func startLogged(t *testing.T, cmd *exec.Cmd) (<-chan string, *syncBuffer) {
	t.Helper()
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1000)
	all := &syncBuffer{}
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
	}()
	return lines, all
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) WriteString(x string) {
	s.mu.Lock()
	s.b.WriteString(x)
	s.mu.Unlock()
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor reads lines until one contains want.
func waitFor(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the process ended before printing %q", want)
			}
			if strings.Contains(l, want) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q within a minute", want)
		}
	}
}

// TestSignalsStopCleanly: on SIGINT or SIGTERM a sweep stops at once, keeps
// the runs it finished, says what is done and how to resume, and resuming
// completes it with the same results.
func TestSignalsStopCleanly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT or SIGTERM to send on Windows")
	}
	bin := benchBinary(t)
	want, _ := procReference(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			out := t.TempDir()
			cfg := filepath.Join(out, "proc.toml")
			os.WriteFile(cfg, []byte(procConfig), 0o644)
			dir := filepath.Join(out, "proc")
			cmd := exec.Command(bin, "run", cfg, "--out", out, "--workers", "1", "--plots=false")
			lines, stderr := startLogged(t, cmd)
			waitFor(t, lines, "run done")
			sent := time.Now()
			cmd.Process.Signal(sig)
			for range lines {
			}
			err := cmd.Wait()
			stopped := time.Since(sent)
			if cmd.ProcessState.ExitCode() != 1 || err == nil {
				t.Fatalf("exit %d after %v, want 1\n%s", cmd.ProcessState.ExitCode(), sig, stderr)
			}
			if stopped > 5*time.Second {
				t.Errorf("took %v to stop after %v", stopped, sig)
			}
			seen := map[string][]finishedFile{}
			checkFinished(t, dir, seen)
			msg := stderr.String()
			wantMsg := fmt.Sprintf("interrupted: %d of the sweep's %d runs are finished and saved", len(seen), procRuns)
			if len(seen) == 0 || len(seen) == procRuns || !strings.Contains(msg, wantMsg) ||
				!strings.Contains(msg, "resume with: bench run "+cfg+" --out "+out+" --workers 1 --plots=false") {
				t.Fatalf("%d runs finished; stderr:\n%s\nwant %q and the resume command", len(seen), msg, wantMsg)
			}
			if _, err := os.Stat(filepath.Join(dir, store.SummaryFile)); err == nil {
				t.Fatal("an interrupted sweep wrote summary.csv")
			}
			if _, err := resultFiles(dir); err != nil {
				t.Fatal(err)
			}
			res := exec.Command(bin, "run", cfg, "--out", out, "--workers", "2", "--plots=false")
			if msg, err := res.CombinedOutput(); err != nil || !strings.Contains(string(msg), fmt.Sprintf("skipped_finished=%d", len(seen))) {
				t.Fatalf("resume: %v\n%s", err, msg)
			}
			checkFinished(t, dir, seen)
			compareResults(t, "resumed after "+sig.String(), want, dir)
		})
	}
}

// TestConcurrentInvocationsAreRefused: while a sweep runs, a second `run`, a
// shard and a merge on the same results directory are refused with a message
// naming the holder, and the sweep completes unharmed.
func TestConcurrentInvocationsAreRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("bench has no file locks on Windows (see store.Lock)")
	}
	bin := benchBinary(t)
	want, _ := procReference(t)
	out := t.TempDir()
	cfg := filepath.Join(out, "proc.toml")
	os.WriteFile(cfg, []byte(procConfig), 0o644)
	dir := filepath.Join(out, "proc")
	first := exec.Command(bin, "run", cfg, "--out", out, "--workers", "1", "--plots=false")
	lines, stderr := startLogged(t, first)
	waitFor(t, lines, "sweep started")
	holder := fmt.Sprintf("is in use by another process: pid %d on ", first.Process.Pid)
	for _, args := range [][]string{
		{"run", cfg, "--out", out},
		{"run", cfg, "--out", out, "--shard", "0/2"},
		{"merge", dir},
	} {
		msg, err := exec.Command(bin, args...).CombinedOutput()
		if err == nil || !strings.Contains(string(msg), holder) || !strings.Contains(string(msg), "bench run "+cfg) {
			t.Errorf("bench %q while a sweep runs: %v\n%s\nwant an error containing %q", args, err, msg, holder)
		}
	}
	for range lines {
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("the first sweep: %v\n%s", err, stderr)
	}
	compareResults(t, "the first sweep", want, dir)
}

// TestShardProcessesMerge runs the sweep as three processes configured the
// way a Slurm array configures its tasks (SLURM_ARRAY_TASK_ID,
// SLURM_ARRAY_TASK_COUNT, SLURM_CPUS_PER_TASK), side by side, merges, and
// checks the result and the manifest of a real build.
func TestShardProcessesMerge(t *testing.T) {
	bin := benchBinary(t)
	want, _ := procReference(t)
	out := t.TempDir()
	cfg := filepath.Join(out, "proc.toml")
	os.WriteFile(cfg, []byte(procConfig), 0o644)
	dir := filepath.Join(out, "proc")
	const n = 3
	var wg sync.WaitGroup
	logs := make([]string, n)
	for k := range n {
		wg.Go(func() {
			cmd := exec.Command(bin, "run", cfg, "--out", out)
			cmd.Env = append(os.Environ(), "SLURM_ARRAY_TASK_ID="+strconv.Itoa(k), "SLURM_ARRAY_TASK_COUNT="+strconv.Itoa(n), "SLURM_CPUS_PER_TASK=1")
			msg, err := cmd.CombinedOutput()
			logs[k] = fmt.Sprintf("%v\n%s", err, msg)
		})
	}
	wg.Wait()
	for k, l := range logs {
		if !strings.HasPrefix(l, "<nil>") || !strings.Contains(l, fmt.Sprintf("shard %d/%d (from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT), GOMAXPROCS 1", k, n)) {
			t.Fatalf("shard %d:\n%s", k, l)
		}
	}
	if msg, err := exec.Command(bin, "merge", dir, "--plots=false").CombinedOutput(); err != nil {
		t.Fatalf("merge: %v\n%s", err, msg)
	}
	compareResults(t, "3 shard processes + merge", want, dir)

	sw, err := store.ReadSweep(dir)
	if err != nil {
		t.Fatal(err)
	}
	if sw.Revision != revisionStamp || sw.Modules["gonum.org/v1/gonum"] == "" || sw.Modules["github.com/BurntSushi/toml"] == "" ||
		!strings.Contains(sw.Build["-ldflags"], revisionStamp) || sw.GOARCH != runtime.GOARCH || sw.GoVersion != runtime.Version() {
		t.Errorf("sweep.json of a real build: revision %q, modules %v, build %v", sw.Revision, sw.Modules, sw.Build)
	}
	r, err := store.ReadRun(store.RunDir(dir, sw.Runs[0]))
	if err != nil || !strings.Contains(r.Harness, "revision "+revisionStamp) || !strings.Contains(r.Harness, runtime.GOARCH) {
		t.Errorf("run.json harness %q (%v)", r.Harness, err)
	}
}
