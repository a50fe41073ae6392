package plots

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/teachbench/teachbench/runner/store"
	"github.com/teachbench/teachbench/stats"
)

// pixels returns the PNG size of a length.
func pixels(l vg.Length) int { return int(float64(l/vg.Inch)*PNGDPI + 0.5) }

// checkPNG checks that path is a PNG of w×h pixels.
func checkPNG(t *testing.T, path string, w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s is %d×%d pixels, want %d×%d", filepath.Base(path), b.Dx(), b.Dy(), w, h)
	}
}

// checkSVG checks that path is well-formed XML with an svg root and returns
// its content.
func checkSVG(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("%s: root element is %q, want svg", filepath.Base(path), root)
	}
	return string(data)
}

// names returns the base names of paths, sorted.
func names(paths []string) []string {
	var n []string
	for _, p := range paths {
		n = append(n, filepath.Base(p))
	}
	slices.Sort(n)
	return n
}

// figureNames returns the file names of the figures of the default fixture
// in the given formats.
func figureNames(formats ...string) []string {
	var n []string
	for _, stem := range []string{"curves_toy-box", "curves_toy_discrete", "sampling_toy-box", "curves", "intervals", "profiles", "improvement"} {
		for _, f := range formats {
			n = append(n, stem+"."+f)
		}
	}
	slices.Sort(n)
	return n
}

func TestDraw(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opt     Options
		formats []string
		w, h    vg.Length // one panel
		frame   vg.Length
		font    vg.Length
		windows int
	}{
		{name: "defaults", formats: []string{"png", "svg"}, w: DefaultWidth, h: DefaultHeight, frame: DefaultFrameSize, font: DefaultFontSize, windows: DefaultWindows},
		{
			name:    "custom",
			opt:     Options{Formats: []string{"PNG", ".pdf", "png"}, Windows: 3, Bins: 8, Width: 3 * vg.Inch, Height: 2 * vg.Inch, FrameSize: vg.Inch, FontSize: 10},
			formats: []string{"pdf", "png"}, w: 3 * vg.Inch, h: 2 * vg.Inch, frame: vg.Inch, font: 10, windows: 3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			defaultFixture().write(t, dir)
			paths, err := Draw(dir, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(paths); !slices.Equal(got, figureNames(tc.formats...)) {
				t.Fatalf("Draw wrote %v, want %v", got, figureNames(tc.formats...))
			}
			for _, p := range paths {
				if filepath.Dir(p) != filepath.Join(dir, store.PlotsDir) {
					t.Errorf("%s is not in %s", p, store.PlotsDir)
				}
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Size() == 0 {
					t.Errorf("%s is empty", p)
				}
				switch filepath.Ext(p) {
				case ".svg":
					checkSVG(t, p)
				case ".pdf":
					data, _ := os.ReadFile(p)
					if !bytes.HasPrefix(data, []byte("%PDF")) {
						t.Errorf("%s does not start with %%PDF", p)
					}
				}
			}
			out := filepath.Join(dir, store.PlotsDir)
			pad := tc.font * 0.75
			// One panel and a legend below it.
			for _, env := range []string{"toy-box", "toy_discrete"} {
				w, h := pngSize(t, filepath.Join(out, "curves_"+env+".png"))
				if w != pixels(tc.w+2*pad) || h <= pixels(tc.h+2*pad) || h > pixels(tc.h+2*pad+3*tc.font) {
					t.Errorf("curves_%s.png is %d×%d pixels, want %d wide and a little over %d high", env, w, h, pixels(tc.w+2*pad), pixels(tc.h+2*pad))
				}
			}
			// Two environments side by side; intervals have a row per
			// environment and the aggregate.
			if w, _ := pngSize(t, filepath.Join(out, "curves.png")); w != pixels(2*tc.w+2*pad) {
				t.Errorf("curves.png is %d pixels wide, want %d", w, pixels(2*tc.w+2*pad))
			}
			ih := intervalHeight(2, theme{base: tc.font}, tc.h)
			if w, h := pngSize(t, filepath.Join(out, "intervals.png")); w != pixels(2*tc.w+2*pad) || h != pixels(3*ih+2*pad) || ih >= tc.h {
				t.Errorf("intervals.png is %d×%d pixels, want %d×%d", w, h, pixels(2*tc.w+2*pad), pixels(3*ih+2*pad))
			}
			// Two teachers, so two rows of frames.
			checkPNG(t, filepath.Join(out, "sampling_toy-box.png"),
				pixels(rowTitleEms*tc.font+vg.Length(tc.windows)*tc.frame+pad),
				pixels((figTitleEms+colTitleEms)*tc.font+2*tc.frame+pad))
			if m, _ := filepath.Glob(filepath.Join(out, "sampling_toy_discrete*")); len(m) != 0 {
				t.Errorf("sampling figure written for an environment without samples: %v", m)
			}
		})
	}
}

// pngSize returns the size in pixels of a PNG file.
func pngSize(t *testing.T, path string) (w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cfg.Width, cfg.Height
}

// TestDrawStyles checks that the figures use the teachers' colours (grey for
// random, the first palette colour for the other teacher) and that every
// figure of the sweep does.
func TestDrawStyles(t *testing.T) {
	dir := t.TempDir()
	defaultFixture().write(t, dir)
	if _, err := Draw(dir, Options{Formats: []string{"svg"}}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"curves_toy-box.svg", "sampling_toy-box.svg", "curves.svg", "intervals.svg", "profiles.svg"} {
		svg := checkSVG(t, filepath.Join(dir, store.PlotsDir, name))
		for _, c := range []string{"#999999", "#0072B2"} {
			if !strings.Contains(strings.ToUpper(svg), c) {
				t.Errorf("%s does not use colour %s", name, c)
			}
		}
	}
	// Only alp-gmm is compared with random.
	svg := checkSVG(t, filepath.Join(dir, store.PlotsDir, "improvement.svg"))
	if !strings.Contains(strings.ToUpper(svg), "#0072B2") {
		t.Error("improvement.svg does not use alp-gmm's colour")
	}
}

func TestDrawDeterministic(t *testing.T) {
	var figs [2][][]byte
	for i := range figs {
		dir := t.TempDir()
		defaultFixture().write(t, dir)
		paths, err := Draw(dir, Options{Formats: []string{"png"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			figs[i] = append(figs[i], data)
		}
	}
	if len(figs[0]) != len(figs[1]) {
		t.Fatalf("drew %d and %d figures", len(figs[0]), len(figs[1]))
	}
	for i := range figs[0] {
		if !bytes.Equal(figs[0][i], figs[1][i]) {
			t.Errorf("figure %d differs between two draws of the same sweep", i)
		}
	}
}

// TestDrawFailedRun checks that a failed run is left out and the rest drawn.
func TestDrawFailedRun(t *testing.T) {
	f := defaultFixture()
	f.edit = func(r *store.Run, rows []store.EvalRow) ([]store.EvalRow, bool) {
		if r.Teacher.Label == "alp-gmm" && r.Seed == 1 {
			r.Status = store.StatusFailed
			r.Error = "boom\nstack"
			for i := range rows {
				rows[i].Mastered = 100 // must not be drawn
			}
		}
		return rows, true
	}
	dir := t.TempDir()
	f.write(t, dir)
	paths, err := Draw(dir, Options{Formats: []string{"png"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(paths); !slices.Equal(got, figureNames("png")) {
		t.Fatalf("Draw wrote %v, want %v", got, figureNames("png"))
	}
	sw, err := Load(dir)
	if err != nil || len(sw.Problems) != 0 {
		t.Fatalf("Load: %v, %v", err, sw.Problems)
	}
	st := newStyles(nil, sw.Teachers, theme{base: 8})
	opt, _ := Options{}.withDefaults()
	for _, env := range sw.Envs {
		cp := newCurvePanel(env, st, opt)
		for _, l := range cp.lines {
			want := 3
			if l.group.Label == "alp-gmm" {
				want = 2
				if l.group.Count(StateFailed) != 1 || l.group.Runs[1].Error != "boom" {
					t.Errorf("%s: failed run not recorded: %+v", env.Label, l.group.Runs[1])
				}
			}
			if l.s.N[0] != want {
				t.Errorf("%s/%s: %d runs at the first evaluation, want %d", env.Label, l.group.Label, l.s.N[0], want)
			}
			if l.s.Mean[0] > 20 {
				t.Errorf("%s/%s: first mean %v includes the failed run", env.Label, l.group.Label, l.s.Mean[0])
			}
		}
	}
}

// TestDrawRobust checks that missing and unreadable files, NaN values and
// runs of different lengths do not stop the figures.
func TestDrawRobust(t *testing.T) {
	f := defaultFixture()
	f.edit = func(r *store.Run, rows []store.EvalRow) ([]store.EvalRow, bool) {
		switch {
		case r.Teacher.Label == "random" && r.Seed == 0:
			return rows, false // no eval.csv
		case r.Teacher.Label == "random" && r.Seed == 1:
			rows[3].Mastered = math.NaN()
		case r.Teacher.Label == "alp-gmm" && r.Seed == 0:
			rows = rows[:4]
		case r.Teacher.Label == "alp-gmm" && r.Seed == 2:
			for i := range rows {
				rows[i].Mastered = math.NaN()
			}
		}
		return rows, true
	}
	dir := t.TempDir()
	ids := f.write(t, dir)
	// Corrupt one run's eval.csv and another's samples.csv.
	if err := os.WriteFile(filepath.Join(store.RunDir(dir, ids[1]), store.EvalFile), []byte("not,a,header\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(store.RunDir(dir, ids[2]), store.SamplesFile), []byte("x\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A run directory without run.json is not a run.
	if err := os.MkdirAll(store.RunDir(dir, "stray"), 0o755); err != nil {
		t.Fatal(err)
	}
	paths, err := Draw(dir, Options{Formats: []string{"png", "svg"}})
	if err != nil {
		t.Fatalf("Draw: %v", err)
	}
	if len(paths) != 14 {
		t.Errorf("Draw wrote %v, want 14 files", names(paths))
	}
	sw, _ := Load(dir)
	if got := sw.Envs[0].Groups[0].Count(StateUnreadable); got != 2 {
		t.Errorf("%d unreadable runs, want 2 (no eval.csv, bad header)", got)
	}
}

func TestDrawNothing(t *testing.T) {
	t.Run("all failed", func(t *testing.T) {
		f := defaultFixture()
		f.edit = func(r *store.Run, rows []store.EvalRow) ([]store.EvalRow, bool) {
			r.Status = store.StatusFailed
			return nil, false
		}
		dir := t.TempDir()
		f.write(t, dir)
		paths, err := Draw(dir, Options{})
		if err == nil || len(paths) != 0 {
			t.Errorf("Draw = %v, %v; want no paths and an error", paths, err)
		}
	})
	t.Run("no evaluations", func(t *testing.T) {
		f := defaultFixture()
		f.envs = f.envs[1:] // no samples either
		f.edit = func(r *store.Run, rows []store.EvalRow) ([]store.EvalRow, bool) { return nil, false }
		dir := t.TempDir()
		f.write(t, dir)
		paths, err := Draw(dir, Options{})
		if err == nil || len(paths) != 0 {
			t.Errorf("Draw = %v, %v; want no paths and an error", paths, err)
		}
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("error %v does not report the missing eval.csv", err)
		}
	})
	t.Run("not a sweep", func(t *testing.T) {
		if _, err := Draw(t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "not a results directory") {
			t.Errorf("Draw of an empty directory: %v", err)
		}
	})
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"bad format", Options{Formats: []string{"gif"}}},
		{"bad level", Options{Level: 1.5}},
		{"bad font", Options{FontSize: -1}},
		{"bad threshold", Options{Thresholds: []float64{math.NaN()}}},
		{"bad band", Options{Band: "sd"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			defaultFixture().write(t, dir)
			if _, err := Draw(dir, tc.opt); err == nil {
				t.Errorf("Draw with %+v returned no error", tc.opt)
			}
		})
	}
}

// TestDrawStudents checks the labels and styles of lines when an environment
// has runs of more than one student.
func TestDrawStudents(t *testing.T) {
	f := defaultFixture()
	f.students = []string{"sac", "ppo"}
	f.seeds = 2
	dir := t.TempDir()
	f.write(t, dir)
	sw, err := Load(dir)
	if err != nil || len(sw.Problems) != 0 {
		t.Fatal(err, sw.Problems)
	}
	var labels []string
	for _, g := range sw.Envs[0].Groups {
		labels = append(labels, g.Label)
	}
	want := []string{"random / sac", "random / ppo", "alp-gmm / sac", "alp-gmm / ppo"}
	if !slices.Equal(labels, want) {
		t.Errorf("group labels %q, want %q", labels, want)
	}
	st := newStyles(nil, sw.Teachers, theme{base: 8})
	g := sw.Envs[0].Groups
	if slices.Equal(st.line(g[0]).Dashes, st.line(g[1]).Dashes) {
		t.Error("the two students of one teacher have the same dash pattern")
	}
	// Each student is compared with random teaching the same student.
	a, err := Analyze(sw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := a.Envs[0].Rows
	if rows[2].VsRef == nil || rows[3].VsRef == nil || rows[0].VsRef != nil || rows[1].VsRef != nil {
		t.Errorf("comparisons on rows %v %v %v %v", rows[0].VsRef, rows[1].VsRef, rows[2].VsRef, rows[3].VsRef)
	}
	if _, err := Draw(dir, Options{Formats: []string{"png"}}); err != nil {
		t.Fatal(err)
	}
}

// TestDrawDiscreteSampling checks the tasks × time heat maps of a discrete
// space: each column holds the shares of the tasks sampled in a window.
func TestDrawDiscreteSampling(t *testing.T) {
	f := defaultFixture()
	f.envs = []fixtureEnv{{label: "grid", space: store.Space{Kind: "discrete", Tasks: []string{"a", "b", "c", "d"}}, samples: true, unit: "episodes"}}
	dir := t.TempDir()
	f.write(t, dir)
	paths, err := Draw(dir, Options{Formats: []string{"png"}, Windows: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names(paths), "sampling_grid.png") {
		t.Fatalf("no sampling figure among %v", names(paths))
	}
	sw, _ := Load(dir)
	opt, _ := Options{Windows: 2}.withDefaults()
	fig, problems := newSampling(sw.Envs[0], newStyles(nil, sw.Teachers, theme{base: 8}), opt)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	tm := fig.(*timeMaps)
	if tm.windows != 2*timeWindowsPerFrame || len(tm.fig.panels) != 2 {
		t.Fatalf("%d windows, %d panels", tm.windows, len(tm.fig.panels))
	}
	// The second teacher sweeps the tasks in order: in the first window
	// it samples only task a, in the last only task d.
	g := tm.grids[1]
	c, r := g.Dims()
	if c != tm.windows || r != 4 {
		t.Fatalf("grid is %d×%d", c, r)
	}
	for col := range c {
		var sum float64
		for row := range r {
			sum += g.Z(col, row)
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("window %d: shares sum to %v", col, sum)
		}
	}
	if g.Z(0, 0) != 1 || g.Z(c-1, 3) != 1 {
		t.Errorf("first window share of a %v, last window share of d %v; want 1 and 1", g.Z(0, 0), g.Z(c-1, 3))
	}
}

func TestLoad(t *testing.T) {
	f := defaultFixture()
	f.envs = f.envs[:1]
	f.teachers = []string{"random", "alp-gmm(random_ratio=0.5)"}
	dir := t.TempDir()
	ids := f.write(t, dir)
	// Interrupted sweep: two runs never written, one failed.
	for _, id := range ids[4:] {
		if err := os.RemoveAll(store.RunDir(dir, id)); err != nil {
			t.Fatal(err)
		}
	}
	rd := store.RunDir(dir, ids[3])
	r, _ := store.ReadRun(rd)
	r.Status, r.Error = store.StatusFailed, "panic: x\ngoroutine 1"
	store.WriteJSON(filepath.Join(rd, store.RunFile), r)

	sw, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(sw.Runs) != 6 || sw.FromSummary {
		t.Fatalf("%d runs, from summary %v", len(sw.Runs), sw.FromSummary)
	}
	var states []string
	for _, r := range sw.Runs {
		states = append(states, r.State)
	}
	if want := []string{"done", "done", "done", "failed", "missing", "missing"}; !slices.Equal(states, want) {
		t.Errorf("states %v, want %v", states, want)
	}
	miss := sw.Runs[5]
	if miss.Teacher != "alp-gmm(random_ratio=0.5)" || miss.Env != "toy-box" || miss.Student != "sac" || miss.Seed != 2 {
		t.Errorf("missing run attributed to %q/%q/%q seed %d", miss.Env, miss.Teacher, miss.Student, miss.Seed)
	}
	g := sw.Envs[0].Groups[1]
	if len(g.Runs) != 3 || g.Count(StateMissing) != 2 || g.Count(StateFailed) != 1 || len(g.Values(FinalMastered)) != 0 {
		t.Errorf("group %s: %d runs, %d missing, %d failed", g.Label, len(g.Runs), g.Count(StateMissing), g.Count(StateFailed))
	}
	if !slices.Equal(sw.Teachers, f.teachers) {
		t.Errorf("teachers %v", sw.Teachers)
	}
	// Scores as summary.csv defines them.
	r0 := sw.Runs[0]
	var sum float64
	for _, e := range r0.Eval {
		sum += e.Mastered
	}
	if r0.Final != r0.Eval[len(r0.Eval)-1].Mastered || r0.AUC != sum/float64(len(r0.Eval)) {
		t.Errorf("final %v, AUC %v", r0.Final, r0.AUC)
	}

	// A committed baseline: sweep.json and summary.csv only.
	base := t.TempDir()
	data, _ := os.ReadFile(filepath.Join(dir, store.SweepFile))
	os.WriteFile(filepath.Join(base, store.SweepFile), data, 0o644)
	var rows []store.SummaryRow
	for _, r := range sw.Runs[:4] {
		rows = append(rows, store.SummaryRow{RunID: r.ID, Teacher: r.Teacher, Env: r.Env, Student: r.Student, Seed: r.Seed,
			Status: r.State, FinalMastered: r.Final, AUCMastered: r.AUC})
	}
	if err := store.WriteSummary(filepath.Join(base, store.SummaryFile), rows); err != nil {
		t.Fatal(err)
	}
	bs, err := Load(base)
	if err != nil || !bs.FromSummary || len(bs.Runs) != 6 {
		t.Fatalf("baseline: %v, from summary %v", err, bs != nil && bs.FromSummary)
	}
	for i := range 3 {
		if bs.Runs[i].Final != sw.Runs[i].Final || bs.Runs[i].AUC != sw.Runs[i].AUC || bs.Runs[i].State != StateDone {
			t.Errorf("baseline run %d: %+v", i, bs.Runs[i])
		}
	}
	if bs.Runs[3].State != StateFailed || bs.Runs[5].State != StateMissing {
		t.Errorf("baseline states %v, %v", bs.Runs[3].State, bs.Runs[5].State)
	}
	// Figures of a baseline: no curves, but the statistics.
	paths, err := Draw(base, Options{Formats: []string{"svg"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"intervals.svg", "profiles.svg"}; !slices.Equal(names(paths), want) {
		t.Errorf("baseline figures %v, want %v", names(paths), want)
	}
}

// TestAnalyze checks the statistics against values computed by hand.
func TestAnalyze(t *testing.T) {
	finals := map[string][]float64{"random": {0, 10, 20, 30}, "alp-gmm": {30, 40, 50, 90}}
	f := defaultFixture()
	f.envs = f.envs[:1]
	f.seeds = 4
	f.edit = func(r *store.Run, rows []store.EvalRow) ([]store.EvalRow, bool) {
		// Every evaluation at the final value, except the first at 0.
		v := finals[r.Teacher.Label][r.Seed]
		for i := range rows {
			rows[i].Mastered = v
		}
		rows[0].Mastered = 0
		return rows, true
	}
	dir := t.TempDir()
	f.write(t, dir)
	sw, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(sw, Options{Thresholds: []float64{35, 60}})
	if err != nil {
		t.Fatal(err)
	}
	if a.All != nil || len(a.Envs) != 1 {
		t.Fatalf("aggregate %v with %d envs", a.All, len(a.Envs))
	}
	ea := a.Envs[0]
	if ea.Reference == nil || ea.Reference.Teacher != "random" {
		t.Fatalf("reference %v", ea.Reference)
	}
	alp := ea.Rows[1]
	e := alp.Scores[FinalMastered]
	// IQM of 30, 40, 50, 90: one cut at each end, (40+50)/2.
	if e.N != 4 || e.Mean != 52.5 || e.Median != 45 || e.IQM != 45 || !(e.Lo <= 45 && 45 <= e.Hi) {
		t.Errorf("alp-gmm final: %+v", e)
	}
	if se := stats.StdErr(finals["alp-gmm"]); e.SE != se {
		t.Errorf("SE %v, want %v", e.SE, se)
	}
	// 11 evaluations: 0, then 10 at the final value.
	if auc := alp.Scores[AUCMastered]; auc.Mean != 52.5*10/11 {
		t.Errorf("alp-gmm AUC mean %v, want %v", auc.Mean, 52.5*10/11)
	}
	c := alp.VsRef[FinalMastered]
	welch := stats.WelchTTest(finals["alp-gmm"], finals["random"], stats.TwoSided)
	if c.Welch != welch || c.WelchHolm != welch.P {
		t.Errorf("Welch %+v (Holm %v), want %+v", c.Welch, c.WelchHolm, welch)
	}
	// Pairs: 30 ties 30, beats 0, 10, 20; every other wins: (15.5)/16.
	if c.Improvement != 15.5/16 || c.MannWhitney.Statistic != 15.5 {
		t.Errorf("P(improvement) %v, U %v; want %v, 15.5", c.Improvement, c.MannWhitney.Statistic, 15.5/16)
	}
	if !(c.ImprovementLo <= c.Improvement && c.Improvement <= c.ImprovementHi && c.ImprovementHi <= 1) {
		t.Errorf("improvement interval [%v, %v]", c.ImprovementLo, c.ImprovementHi)
	}
	if ea.Rows[0].VsRef != nil {
		t.Error("the reference is compared with itself")
	}
	// Every run reaches its final value at episode 100. At 35: 3 of 4
	// alp-gmm runs, median 100; at 60, 1 of 4: median unknown.
	if r := alp.Reach; len(r) != 2 || r[0].Reached != 3 || r[0].Runs != 4 || r[0].Median != 100 ||
		r[1].Reached != 1 || !math.IsInf(r[1].Median, 1) {
		t.Errorf("reach %+v %+v", r[0], r[1])
	}
	if r := ea.Rows[0].Reach[0]; r.Reached != 0 || !math.IsInf(r.Median, 1) {
		t.Errorf("random reach %+v", r)
	}

	// Without the reference teacher there is no comparison.
	a, _ = Analyze(sw, Options{Reference: "goal-gan"})
	if a.Envs[0].Reference != nil || a.Envs[0].Rows[1].VsRef != nil {
		t.Error("comparisons without a reference")
	}
}

// TestAnalyzeAggregate checks the analysis of several environments.
func TestAnalyzeAggregate(t *testing.T) {
	dir := t.TempDir()
	defaultFixture().write(t, dir)
	sw, _ := Load(dir)
	a, err := Analyze(sw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.All == nil || len(a.All.Rows) != 2 {
		t.Fatalf("aggregate %+v", a.All)
	}
	alp := a.All.Rows[1]
	var pooled []float64
	for _, ea := range a.Envs {
		pooled = append(pooled, ea.Rows[1].Groups[0].Values(FinalMastered)...)
	}
	e := alp.Scores[FinalMastered]
	if e.N != 6 || e.IQM != stats.IQM(pooled) || len(alp.Groups) != 2 || alp.Planned != 6 {
		t.Errorf("aggregate alp-gmm: %+v over %d groups", e, len(alp.Groups))
	}
	c := alp.VsRef[FinalMastered]
	if !math.IsNaN(c.Welch.P) || !math.IsNaN(c.WelchHolm) || !(c.Improvement > 0.5) {
		t.Errorf("aggregate comparison %+v", c)
	}
}

func TestCurveSeries(t *testing.T) {
	nan := math.NaN()
	xs := [][]float64{{0, 10, 20}, {0, 12, 22, 32}, {0, 14}}
	ys := [][]float64{{0, 10, 20}, {0, 20, 40, 60}, {nan, 30}}
	// Hand-computed: x is the mean over the runs that reach the index, y
	// the mean of the finite values there.
	want := []struct {
		x, mean float64
		n       int
		values  []float64
	}{
		{x: 0, mean: 0, n: 2, values: []float64{0, 0}},
		{x: 12, mean: 20, n: 3, values: []float64{10, 20, 30}},
		{x: 21, mean: 30, n: 2, values: []float64{20, 40}},
		{x: 32, mean: 60, n: 1, values: []float64{60}},
	}
	s := curveSeries(xs, ys, 0.95, 2000, false, rand.New(rand.NewPCG(5, 6)))
	if len(s.X) != len(want) {
		t.Fatalf("series has %d points, want %d", len(s.X), len(want))
	}
	ref := rand.New(rand.NewPCG(5, 6))
	for i, w := range want {
		if math.Abs(s.X[i]-w.x) > 1e-12 || math.Abs(s.Mean[i]-w.mean) > 1e-12 || s.N[i] != w.n {
			t.Errorf("point %d: x %v, mean %v, n %d; want %v, %v, %d", i, s.X[i], s.Mean[i], s.N[i], w.x, w.mean, w.n)
		}
		lo, hi := stats.BootstrapMeanCI(w.values, 0.95, 2000, ref)
		if s.Lo[i] != lo || s.Hi[i] != hi {
			t.Errorf("point %d: interval [%v, %v], want [%v, %v]", i, s.Lo[i], s.Hi[i], lo, hi)
		}
		if !(s.Lo[i] <= s.Mean[i] && s.Mean[i] <= s.Hi[i]) {
			t.Errorf("point %d: mean %v outside its interval [%v, %v]", i, s.Mean[i], s.Lo[i], s.Hi[i])
		}
	}
	if s.Lo[0] != 0 || s.Hi[0] != 0 || s.Lo[3] != 60 || s.Hi[3] != 60 {
		t.Errorf("degenerate intervals [%v, %v] and [%v, %v], want [0, 0] and [60, 60]", s.Lo[0], s.Hi[0], s.Lo[3], s.Hi[3])
	}
	// Mean ± standard error: at index 1, values 10, 20, 30 have s = 10.
	se := curveSeries(xs, ys, 0.95, 2000, true, nil)
	if e := 10 / math.Sqrt(3); math.Abs(se.Lo[1]-(20-e)) > 1e-12 || math.Abs(se.Hi[1]-(20+e)) > 1e-12 {
		t.Errorf("standard-error band at 1: [%v, %v], want 20 ± %v", se.Lo[1], se.Hi[1], e)
	}
}

func TestSegments(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		mean []float64
		want [][2]int
	}{
		{[]float64{}, nil},
		{[]float64{1, 2, 3}, [][2]int{{0, 3}}},
		{[]float64{nan, 2, 3}, [][2]int{{1, 3}}},
		{[]float64{1, nan, 3, 4, nan}, [][2]int{{0, 1}, {2, 4}}},
		{[]float64{nan, nan}, nil},
	} {
		s := series{X: make([]float64, len(tc.mean)), Mean: tc.mean, Lo: tc.mean, Hi: tc.mean}
		if got := s.segments(); !slices.Equal(got, tc.want) {
			t.Errorf("segments of %v = %v, want %v", tc.mean, got, tc.want)
		}
	}
}

func TestTeacherColors(t *testing.T) {
	grey := randomGrey
	for _, tc := range []struct {
		labels []string
		want   map[string]int // palette index, -1 for grey
	}{
		{[]string{"random", "alp-gmm", "covar-gmm"}, map[string]int{"random": -1, "alp-gmm": 0, "covar-gmm": 1}},
		{[]string{"alp-gmm", "random", "covar-gmm"}, map[string]int{"random": -1, "alp-gmm": 0, "covar-gmm": 1}},
		{[]string{"alp-gmm", "alp-gmm", "Random", "b"}, map[string]int{"Random": -1, "alp-gmm": 0, "b": 1}},
		{[]string{"random"}, map[string]int{"random": -1}},
		{nil, map[string]int{}},
	} {
		got := TeacherColors(tc.labels)
		if len(got) != len(tc.want) {
			t.Errorf("TeacherColors(%q) has %d entries, want %d", tc.labels, len(got), len(tc.want))
		}
		for l, k := range tc.want {
			var w = grey
			if k >= 0 {
				w = okabeIto[k].(color.NRGBA)
			}
			if got[l] != w {
				t.Errorf("TeacherColors(%q)[%q] = %v, want %v", tc.labels, l, got[l], w)
			}
		}
	}

	// More teachers than colours: colours cycle, dashes tell cycles apart,
	// and within a cycle every colour is distinct and not grey.
	var labels []string
	for i := range len(okabeIto) + 2 {
		labels = append(labels, "t"+string(rune('a'+i)))
	}
	labels = append(labels, "random")
	colors, dashes := TeacherColors(labels), TeacherDashes(labels)
	seen := map[any]bool{grey: true}
	for _, l := range labels[:len(okabeIto)] {
		if seen[colors[l]] {
			t.Errorf("colour of %s repeats or is grey: %v", l, colors[l])
		}
		seen[colors[l]] = true
		if dashes[l] != nil {
			t.Errorf("teacher %s of the first cycle is dashed", l)
		}
	}
	first, again := labels[0], labels[len(okabeIto)]
	if colors[first] != colors[again] || slices.Equal(dashes[first], dashes[again]) {
		t.Errorf("%s and %s: colours %v, %v and dashes %v, %v; want the same colour and different dashes",
			first, again, colors[first], colors[again], dashes[first], dashes[again])
	}
	if colors["random"] != grey || dashes["random"] != nil {
		t.Errorf("random is %v with dashes %v, want solid grey", colors["random"], dashes["random"])
	}
}

func TestTeacherMarkers(t *testing.T) {
	// 9 teachers and random: the 8th reuses the first colour with another
	// glyph, and no two teachers share both.
	var labels []string
	for i := range 9 {
		labels = append(labels, "t"+string(rune('a'+i)))
	}
	labels = append(labels, "random")
	colors, marks := TeacherColors(labels), TeacherMarkers(labels)
	if marks["random"] != randomMarker || colors["random"] != randomGrey {
		t.Errorf("random is %v %v", colors["random"], marks["random"])
	}
	type style struct {
		c any
		m draw.GlyphDrawer
	}
	seen := map[style]string{}
	for _, l := range labels {
		s := style{colors[l], marks[l]}
		if other, ok := seen[s]; ok {
			t.Errorf("%s and %s share colour and marker", l, other)
		}
		seen[s] = l
		if l != "random" && marks[l] == randomMarker {
			t.Errorf("%s has the random teacher's marker", l)
		}
	}
	if marks["ta"] != markers[0] || marks["th"] != markers[0] || colors["ta"] != colors["ti"] {
		t.Errorf("cycles: ta %v/%v, th %v, ti %v", colors["ta"], marks["ta"], marks["th"], colors["ti"])
	}
}

// TestOptionsTeachers checks that Options.Teachers fixes the styles whatever
// the sweep's order.
func TestOptionsTeachers(t *testing.T) {
	st := newStyles([]string{"alp-gmm", "riac"}, []string{"riac", "random", "alp-gmm", "spdl"}, theme{base: 8})
	want := map[string]color.Color{"alp-gmm": okabeIto[0], "riac": okabeIto[1], "spdl": okabeIto[2], "random": randomGrey}
	for l, c := range want {
		if st.color(l) != c {
			t.Errorf("%s: %v, want %v", l, st.color(l), c)
		}
	}
}

func TestSanitize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"toy-box", "toy-box"},
		{"toy box", "toy_box"},
		{"a/b\\c:d", "a_b_c_d"},
		{"v1.2_x", "v1.2_x"},
		{"é", "_"},
		{"", "_"},
	} {
		if got := sanitize(tc.in); got != tc.want {
			t.Errorf("sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	n := newNamer()
	for _, want := range []string{"a_b", "a_b_2", "a_b_3"} {
		if got := n.name("a b"); got != want {
			t.Errorf("namer gave %q, want %q", got, want)
		}
	}
}

func TestWindows(t *testing.T) {
	edges := windowEdges(999, 5)
	if want := []int64{0, 200, 400, 599, 799, 999}; !slices.Equal(edges, want) {
		t.Fatalf("windowEdges(999, 5) = %v, want %v", edges, want)
	}
	for _, tc := range []struct {
		ep   int64
		want int
	}{
		{-3, 0}, {0, 0}, {199, 0}, {200, 1}, {598, 2}, {599, 3}, {799, 4}, {999, 4}, {5000, 4},
	} {
		if got := windowOf(tc.ep, edges); got != tc.want {
			t.Errorf("windowOf(%d) = %d, want %d", tc.ep, got, tc.want)
		}
	}
	if got := windowOf(7, windowEdges(0, 3)); got != 2 {
		t.Errorf("windowOf with all-zero edges = %d, want the last window", got)
	}
}

func TestHistGrid(t *testing.T) {
	g := newHistGrid([2]store.Dim{{Lo: 0, Hi: 2}, {Lo: 0, Hi: 1}}, 2)
	for _, p := range [][2]float64{{0, 0}, {1.9, 0.9}, {2, 1}, {math.NaN(), 0}, {3, 0.5}, {1, -0.1}} {
		g.add(p[0], p[1])
	}
	g.normalize()
	// Three points in the box; cells are 1 × 0.5, so one point in a cell
	// has density 1/(3·0.5) = 2/3.
	if c, r := g.Dims(); c != 2 || r != 2 {
		t.Fatalf("Dims = %d, %d, want 2, 2", c, r)
	}
	want := [2][2]float64{{2.0 / 3, 0}, {0, 4.0 / 3}} // [c][r]
	for c := range 2 {
		for r := range 2 {
			if got := g.Z(c, r); math.Abs(got-want[c][r]) > 1e-12 {
				t.Errorf("Z(%d, %d) = %v, want %v", c, r, got, want[c][r])
			}
		}
	}
	if g.X(0) != 0.5 || g.X(1) != 1.5 || g.Y(0) != 0.25 || g.Y(1) != 0.75 {
		t.Errorf("cell centres X %v %v, Y %v %v", g.X(0), g.X(1), g.Y(0), g.Y(1))
	}
	if g.Max() != 4.0/3 || g.Min() != 0 {
		t.Errorf("range [%v, %v], want [0, 4/3]", g.Min(), g.Max())
	}
	empty := newHistGrid([2]store.Dim{{Lo: 0, Hi: 1}, {Lo: 0, Hi: 1}}, 3)
	empty.normalize()
	if empty.Max() != 1 {
		t.Errorf("empty grid Max = %v, want 1", empty.Max())
	}
}

func BenchmarkAnalyze(b *testing.B) {
	dir := b.TempDir()
	f := defaultFixture()
	f.seeds = 10
	f.write(b, dir)
	sw, err := Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(sw, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDrawSVG(b *testing.B) {
	dir := b.TempDir()
	defaultFixture().write(b, dir)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Draw(dir, Options{Formats: []string{"svg"}}); err != nil {
			b.Fatal(err)
		}
	}
}
