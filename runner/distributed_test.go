package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/teachbench/teachbench/runner/store"
)

// spread is a sweep of 10 runs: enough for 3- and 5-way shard splits to be
// uneven, short enough to run many times.
const spread = `
name = "spread"
seeds = 5
[budget]
episodes = 1200
[eval]
every = 300
[[env]]
name = "toy"
[[teacher]]
name = "random"
[[teacher]]
name = "alp-gmm"
[teacher.params]
fit_rate = 100
`

// snapshot returns the results of a sweep directory as file name → content,
// with the wall-time columns and fields removed: what must be bit-identical
// between two executions of the same config.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch {
		case d.IsDir():
			if rel == store.PlotsDir || rel == store.SlurmDir {
				return filepath.SkipDir
			}
			return nil
		case d.Name() == store.LockFile, d.Name() == store.SweepFile:
			return nil
		case store.IsTemp(d.Name()):
			t.Errorf("temporary file left behind: %s", rel)
			return nil
		case d.Name() == store.EvalFile || d.Name() == store.SummaryFile:
			snap[rel] = stripColumn(t, path, "wall_s")
		case d.Name() == store.RunFile:
			var m map[string]any
			if err := json.Unmarshal(readFile(t, path), &m); err != nil {
				t.Fatal(err)
			}
			delete(m, "wall_seconds")
			b, _ := json.Marshal(m)
			snap[rel] = string(b)
		default:
			snap[rel] = string(readFile(t, path))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// sameResults fails the test if two snapshots differ, naming the files.
func sameResults(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if g, ok := got[k]; !ok {
			t.Errorf("%s: %s is missing", what, k)
		} else if g != want[k] {
			t.Errorf("%s: %s differs", what, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected file %s", what, k)
		}
	}
}

// reference runs c in one process with 2 workers and returns its snapshot.
func reference(t *testing.T, c *Config) map[string]string {
	t.Helper()
	out := t.TempDir()
	rep := mustRun(t, c, out, 2)
	if !rep.Complete {
		t.Fatalf("reference sweep incomplete: %+v", rep)
	}
	return snapshot(t, rep.Dir)
}

// TestShardSplitsMergeToTheSameResults pins down the sharding contract: for
// any number of shards, running every shard (side by side, as a job array
// does) and merging gives the files of a single-process run, bit for bit,
// wall times aside.
func TestShardSplitsMergeToTheSameResults(t *testing.T) {
	c := mustParse(t, spread)
	want := reference(t, c)
	runs, _ := c.Plan()
	for _, n := range []int{1, 2, 3, 5} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			out := t.TempDir()
			dir := filepath.Join(out, c.Name)
			reps := make([]*Report, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for k := range n {
				wg.Go(func() {
					reps[k], errs[k] = Run(context.Background(), c, Options{Out: out, Workers: 1, Shard: Shard{k, n}})
				})
			}
			wg.Wait()
			assigned := 0
			for k, rep := range reps {
				if errs[k] != nil {
					t.Fatalf("shard %d/%d: %v", k, n, errs[k])
				}
				assigned += rep.Assigned
				if rep.Done != rep.Assigned || len(rep.Busy) != 0 || len(rep.Summary) != rep.Assigned {
					t.Errorf("shard %d/%d: %+v", k, n, rep)
				}
				for _, row := range rep.Summary {
					if i := slices.IndexFunc(runs, func(r RunSpec) bool { return r.ID == row.RunID }); i%n != k {
						t.Errorf("shard %d/%d ran run #%d", k, n, i)
					}
				}
			}
			if assigned != len(runs) {
				t.Fatalf("the shards were assigned %d runs in all, want %d", assigned, len(runs))
			}
			if _, err := os.Stat(filepath.Join(dir, store.SummaryFile)); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("a shard wrote %s (err %v)", store.SummaryFile, err)
			}
			mr, err := Merge(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !mr.Complete() || mr.Done != len(runs) || len(mr.Producers) != 1 {
				t.Fatalf("merge: %+v", mr)
			}
			sameResults(t, fmt.Sprintf("%d shards + merge vs one process", n), want, snapshot(t, dir))
		})
	}
}

// TestWorkerCountsAndRunOrders: the same config gives bit-identical results
// whatever the pool size and whatever order the runs execute in.
func TestWorkerCountsAndRunOrders(t *testing.T) {
	c := mustParse(t, spread)
	want := reference(t, c)
	rng := rand.New(rand.NewPCG(7, 7))
	for _, tc := range []struct {
		name    string
		workers int
		order   func([]RunSpec)
	}{
		{"workers=1", 1, nil},
		{"workers=8", 8, nil},
		{"reversed", 2, slices.Reverse[[]RunSpec]},
		{"shuffled", 3, func(r []RunSpec) { rng.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] }) }},
	} {
		out := t.TempDir()
		rep, err := Run(context.Background(), c, Options{Out: out, Workers: tc.workers, order: tc.order})
		if err != nil {
			t.Fatal(err)
		}
		sameResults(t, tc.name, want, snapshot(t, rep.Dir))
	}
}

func TestMergeReportsMissingRuns(t *testing.T) {
	c := mustParse(t, spread)
	out := t.TempDir()
	dir := filepath.Join(out, c.Name)
	if _, err := Run(context.Background(), c, Options{Out: out, Workers: 2, Shard: Shard{1, 3}}); err != nil {
		t.Fatal(err)
	}
	mr, err := Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := c.Plan()
	var want []string
	for _, r := range runs {
		if r.Index%3 != 1 {
			want = append(want, r.ID)
		}
	}
	var got []string
	for _, m := range mr.Missing {
		got = append(got, m.ID)
	}
	if mr.Complete() || !slices.Equal(got, want) || mr.Done != 3 {
		t.Fatalf("merge found missing %v, done %d; want missing %v, done 3", got, mr.Done, want)
	}
	if shards := ShardsOf(mr.Missing, 3); !slices.Equal(shards, []int{0, 2}) {
		t.Fatalf("missing runs belong to shards %v, want [0 2]", shards)
	}
	if txt := string(readFile(t, filepath.Join(dir, store.MissingFile))); txt != strings.Join(want, "\n")+"\n" {
		t.Fatalf("missing.txt = %q", txt)
	}
	if _, err := os.Stat(filepath.Join(dir, store.SummaryFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("an incomplete merge wrote summary.csv")
	}
	// Finishing the other shards and merging again completes the sweep.
	for _, k := range []int{0, 2} {
		if _, err := Run(context.Background(), c, Options{Out: out, Workers: 2, Shard: Shard{k, 3}}); err != nil {
			t.Fatal(err)
		}
	}
	if mr, err = Merge(dir); err != nil || !mr.Complete() {
		t.Fatalf("second merge: %v, %+v", err, mr)
	}
	if _, err := os.Stat(filepath.Join(dir, store.MissingFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("a complete merge left missing.txt")
	}
}

func TestMergeRejects(t *testing.T) {
	c := mustParse(t, minimal)
	out := t.TempDir()
	dir := filepath.Join(out, c.Name)
	mustRun(t, c, out, 1)
	runs, _ := c.Plan()

	if _, err := Merge(t.TempDir()); err == nil || !strings.Contains(err.Error(), "has no sweep.json") {
		t.Errorf("merging a directory without sweep.json: %v", err)
	}

	// A run recorded with another key belongs to another configuration.
	path := filepath.Join(store.RunDir(dir, runs[1].ID), store.RunFile)
	orig := readFile(t, path)
	os.WriteFile(path, bytes.Replace(orig, []byte(`"key": "`), []byte(`"key": "other|`), 1), 0o644)
	if _, err := Merge(dir); err == nil || !strings.Contains(err.Error(), "different configuration") {
		t.Errorf("merging a run of another config: %v", err)
	}
	// A run produced by another build is merged, with a warning.
	os.WriteFile(path, bytes.Replace(orig, []byte(`"harness": "`), []byte(`"harness": "other build `), 1), 0o644)
	mr, err := Merge(dir)
	if err != nil || len(mr.Warnings) != 1 || !strings.Contains(mr.Warnings[0], "different builds") {
		t.Errorf("merging runs of two builds: %v, warnings %q", err, mr.Warnings)
	}
	os.WriteFile(path, orig, 0o644)

	// A sweep.json naming a run outside the runs directory is refused.
	sw, err := store.ReadSweep(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"../../escape", "..", "a/b", `a\b`, ""} {
		bad := *sw
		bad.Runs = []string{runs[0].ID, id}
		store.WriteJSON(filepath.Join(dir, store.SweepFile), &bad)
		if _, err := Merge(dir); err == nil || !strings.Contains(err.Error(), "not a plain directory name") {
			t.Errorf("sweep.json run ID %q: %v", id, err)
		}
	}
}

// TestLocks: concurrent invocations on one results directory are refused with
// a message naming the holder; shards share the directory; a run being
// executed by another process is left to it; a released lock (its holder
// exited) is free at once.
func TestLocks(t *testing.T) {
	c := mustParse(t, spread)
	out := t.TempDir()
	dir := filepath.Join(out, c.Name)
	prep, err := Prepare(c, out)
	if err != nil {
		t.Fatal(err)
	}
	prep.Close()
	excl, err := store.LockSweep(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if !excl.Supported() {
		t.Skip("file locks are not supported here")
	}
	for _, opt := range []Options{{Out: out}, {Out: out, Shard: Shard{0, 2}}} {
		_, err := Run(context.Background(), c, opt)
		if !errors.Is(err, store.ErrBusy) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
			t.Errorf("shard %s while another invocation holds the sweep: %v", opt.Shard, err)
		}
	}
	if _, err := Merge(dir); !errors.Is(err, store.ErrBusy) {
		t.Errorf("merge while another invocation holds the sweep: %v", err)
	}
	excl.Unlock()

	shared, err := store.LockSweep(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), c, Options{Out: out}); !errors.Is(err, store.ErrBusy) || !strings.Contains(err.Error(), "shards") {
		t.Errorf("unsharded run while shards run: %v", err)
	}
	// A shard runs beside another; a run whose lock another process holds
	// is left to it.
	runs, _ := c.Plan()
	held := store.RunDir(dir, runs[2].ID)
	os.MkdirAll(held, 0o755)
	runLock, ok, err := store.TryLockRun(held)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	rep, err := Run(context.Background(), c, Options{Out: out, Workers: 2, Shard: Shard{0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Busy, []string{runs[2].ID}) || rep.Done != 4 {
		t.Fatalf("busy %v, done %d; want [%s] and 4", rep.Busy, rep.Done, runs[2].ID)
	}
	if _, err := os.Stat(filepath.Join(held, store.RunFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("a run locked by another process was executed")
	}
	runLock.Unlock()
	shared.Unlock()
	rep = mustRun(t, c, out, 2)
	if rep.Skipped != 4 || rep.Done != 6 || !rep.Complete {
		t.Fatalf("after the locks were released: %+v", rep)
	}
}

// TestCrashLeftovers: temporary files of killed writers are removed, and a
// failed run being redone loses its record before its new files are written.
func TestCrashLeftovers(t *testing.T) {
	c := mustParse(t, minimal)
	out := t.TempDir()
	dir := filepath.Join(out, c.Name)
	runs, _ := c.Plan()
	rd := store.RunDir(dir, runs[0].ID)
	os.MkdirAll(rd, 0o755)
	for _, p := range []string{filepath.Join(dir, ".sweep.json.tmp123"), filepath.Join(rd, ".eval.csv.tmp9")} {
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, c, out, 1)
	snapshot(t, dir) // fails on temporary files
}

// TestSummaryOnlyWhenComplete: summary.csv exists only when it describes every
// run of the plan in sweep.json.
func TestSummaryOnlyWhenComplete(t *testing.T) {
	c := mustParse(t, minimal)
	out := t.TempDir()
	summary := filepath.Join(out, c.Name, store.SummaryFile)
	mustRun(t, c, out, 1)
	if _, err := os.Stat(summary); err != nil {
		t.Fatal(err)
	}
	// The sweep grows by a seed and is interrupted at once.
	bigger := mustParse(t, strings.Replace(minimal, "seeds = 2", "seeds = 3", 1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := Run(ctx, bigger, Options{Out: out, Workers: 1})
	if err != nil || rep.Complete || rep.Skipped != 2 {
		t.Fatalf("interrupted: %v, %+v", err, rep)
	}
	if _, err := os.Stat(summary); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("summary.csv of the smaller sweep was left beside the bigger sweep's plan")
	}
	if rep := mustRun(t, bigger, out, 1); !rep.Complete || len(rep.Summary) != 3 {
		t.Fatalf("resumed: %+v", rep)
	}
}

// TestManifestReproducesTheSweep: sweep.json records what reproducing a run
// needs, and its normalised config, written back as TOML, plans the same runs
// with the same keys (hence the same random streams) and the same hash.
func TestManifestReproducesTheSweep(t *testing.T) {
	defer func(r string) { Revision = r }(Revision)
	Revision = "0123abcd"
	files, _ := filepath.Glob(filepath.Join("..", "configs", "*.toml"))
	texts := []string{spread, minimal, small}
	for _, f := range files {
		texts = append(texts, string(readFile(t, f)))
	}
	for i, text := range texts {
		c, err := Parse(fmt.Sprintf("config%d.toml", i), text)
		if err != nil {
			t.Fatalf("config %d: %v", i, err)
		}
		runs, err := c.Plan()
		if err != nil {
			t.Fatal(err)
		}
		var sw store.Sweep
		data, _ := json.Marshal(manifest(c, runs))
		if err := json.Unmarshal(data, &sw); err != nil {
			t.Fatal(err)
		}
		if sw.ConfigSHA256 != c.Hash() || sw.Harness != Version || sw.Revision != "0123abcd" || sw.GoVersion == "" ||
			sw.GOOS == "" || sw.GOARCH == "" || sw.Build["GOAMD64"]+sw.Build["GOARM64"]+sw.Build["-compiler"] == "" ||
			len(sw.Keys) != len(runs) || sw.Modules == nil {
			t.Fatalf("config %d: sweep.json lacks something: %+v", i, sw)
		}
		again, err := reparse(sw.Config)
		if err != nil {
			t.Fatalf("config %d: normalised config does not parse: %v", i, err)
		}
		if again.Hash() != c.Hash() {
			t.Errorf("config %d: the normalised config hashes differently", i)
		}
		rruns, err := again.Plan()
		if err != nil {
			t.Fatal(err)
		}
		for j := range runs {
			if rruns[j].ID != runs[j].ID || rruns[j].Key != sw.Keys[j] {
				t.Fatalf("config %d, run %d: %s %q, want %s %q", i, j, rruns[j].ID, rruns[j].Key, runs[j].ID, sw.Keys[j])
			}
		}
	}
	if p := producer(); !strings.Contains(p, "teachbench "+Version) || !strings.Contains(p, "revision 0123abcd") {
		t.Errorf("producer %q", p)
	}
}

// reparse writes a normalised config (as read back from sweep.json) as TOML
// and parses it.
func reparse(normalized any) (*Config, error) {
	data, err := json.Marshal(normalized)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(fromJSON(m)); err != nil {
		return nil, err
	}
	return Parse("normalized.toml", buf.String())
}

// fromJSON turns JSON numbers into the TOML integers or floats they were.
func fromJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			x[k] = fromJSON(e)
		}
	case []any:
		for i, e := range x {
			x[i] = fromJSON(e)
		}
	}
	return v
}

// TestHostileLabelsStayInside: whatever the labels, every file a sweep writes
// lies inside its results directory.
func TestHostileLabelsStayInside(t *testing.T) {
	labels := []string{"../../escape", "/etc/passwd", "..", ".", `C:\Windows`, "a/../../b", "\x00nul", "tab\there", "ünïcödé", "~root", "$(reboot)"}
	var b strings.Builder
	b.WriteString("name = \"hostile\"\n[budget]\nepisodes = 50\n[trace]\nevery = 0\n")
	for i, l := range labels {
		fmt.Fprintf(&b, "[[teacher]]\nname = \"random\"\nlabel = %s\n", tomlString(l+strings.Repeat("x", i)))
	}
	b.WriteString("[[env]]\nname = \"toy\"\nlabel = \"../env\"\n")
	c, err := Parse("hostile.toml", b.String())
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	out := filepath.Join(root, "out")
	rep := mustRun(t, c, out, 2)
	if rep.Done != len(labels) {
		t.Fatalf("%d runs done, want %d", rep.Done, len(labels))
	}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(filepath.Join(out, "hostile"), path)
		if path != root && path != out && !filepath.IsLocal(rel) {
			t.Errorf("%s lies outside the results directory", path)
		}
		return nil
	})
	runs, _ := c.Plan()
	for _, r := range runs {
		if !validRunID(r.ID) || filepath.Base(r.ID) != r.ID {
			t.Errorf("run ID %q is not a plain name", r.ID)
		}
	}
	long := strings.Replace(b.String(), `label = "../env"`, fmt.Sprintf("label = %q", strings.Repeat("e", 300)), 1)
	if _, err := mustParse(t, long).Plan(); err == nil || !strings.Contains(err.Error(), "shorter label") {
		t.Errorf("a 300-byte label: %v", err)
	}
}

func TestShardParsing(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		err  string
	}{
		{"0/1", Shard{0, 1}, ""},
		{"3/4", Shard{3, 4}, ""},
		{" 2 / 5 ", Shard{2, 5}, ""},
		{"4/4", Shard{}, "0 ≤ K < N"},
		{"-1/4", Shard{}, "0 ≤ K < N"},
		{"0/0", Shard{}, "at least 1 shard"},
		{"1", Shard{}, "want K/N"},
		{"a/2", Shard{}, "not an integer"},
		{"1/b", Shard{}, "not an integer"},
	} {
		got, err := ParseShard(tc.in)
		if tc.err == "" && (err != nil || got != tc.want) || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, error containing %q", tc.in, got, err, tc.want, tc.err)
		}
	}
	// Every split partitions the runs: each run in exactly one shard.
	for n := 1; n <= 64; n++ {
		for i := range 200 {
			owners := 0
			for k := range n {
				if (Shard{k, n}).Owns(i) {
					owners++
				}
			}
			if owners != 1 {
				t.Fatalf("run %d has %d owners among %d shards", i, owners, n)
			}
		}
	}
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
