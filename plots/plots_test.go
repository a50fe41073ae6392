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

func TestDraw(t *testing.T) {
	for _, tc := range []struct {
		name           string
		opt            Options
		want           []string
		curveW, curveH vg.Length
		panelW, panelH vg.Length
		windows        int
	}{
		{
			name: "defaults",
			want: []string{
				"curves_toy-box.png", "curves_toy-box.svg",
				"curves_toy_discrete.png", "curves_toy_discrete.svg",
				"sampling_toy-box.png", "sampling_toy-box.svg",
			},
			curveW: DefaultCurveWidth, curveH: DefaultCurveHeight,
			panelW: DefaultPanelWidth, panelH: DefaultPanelHeight,
			windows: DefaultWindows,
		},
		{
			name: "custom",
			opt:  Options{Formats: []string{"PNG", ".pdf", "png"}, Windows: 3, Bins: 8, Width: 3 * vg.Inch, Height: 2 * vg.Inch},
			want: []string{
				"curves_toy-box.pdf", "curves_toy-box.png",
				"curves_toy_discrete.pdf", "curves_toy_discrete.png",
				"sampling_toy-box.pdf", "sampling_toy-box.png",
			},
			curveW: 3 * vg.Inch, curveH: 2 * vg.Inch,
			panelW: 3 * vg.Inch, panelH: 2 * vg.Inch,
			windows: 3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			defaultFixture().write(t, dir)
			paths, err := Draw(dir, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(paths); !slices.Equal(got, tc.want) {
				t.Fatalf("Draw wrote %v, want %v", got, tc.want)
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
			for _, env := range []string{"toy-box", "toy_discrete"} {
				checkPNG(t, filepath.Join(out, "curves_"+env+".png"), pixels(tc.curveW), pixels(tc.curveH))
			}
			// Two teachers, so two rows of panels.
			checkPNG(t, filepath.Join(out, "sampling_toy-box.png"),
				pixels(rowTitleWidth+vg.Length(tc.windows)*tc.panelW+vg.Points(figPad)),
				pixels(figTitleSpace+colTitleSpace+2*tc.panelH+vg.Points(figPad)))
			if m, _ := filepath.Glob(filepath.Join(out, "sampling_toy_discrete*")); len(m) != 0 {
				t.Errorf("sampling figure written for a discrete space: %v", m)
			}
		})
	}
}

// TestDrawColors checks that the figures use the teachers' colours: grey for
// random, the first palette colour for the other teacher.
func TestDrawColors(t *testing.T) {
	dir := t.TempDir()
	defaultFixture().write(t, dir)
	if _, err := Draw(dir, Options{Formats: []string{"svg"}}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"curves_toy-box.svg", "sampling_toy-box.svg"} {
		svg := checkSVG(t, filepath.Join(dir, store.PlotsDir, name))
		for _, c := range []string{"#999999", "#0072B2"} {
			if !strings.Contains(svg, c) {
				t.Errorf("%s does not use colour %s", name, c)
			}
		}
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
			r.Error = "boom"
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
	want := []string{"curves_toy-box.png", "curves_toy_discrete.png", "sampling_toy-box.png"}
	if got := names(paths); !slices.Equal(got, want) {
		t.Fatalf("Draw wrote %v, want %v", got, want)
	}

	sw, problems := load(dir)
	if len(problems) != 0 {
		t.Fatalf("load: %v", problems)
	}
	for _, env := range sw.envs {
		fig := newCurves(env, sw)
		for _, l := range fig.lines {
			want := 3
			if l.label == "alp-gmm" {
				want = 2
			}
			if l.s.N[0] != want {
				t.Errorf("%s/%s: %d runs at the first evaluation, want %d", env.label, l.label, l.s.N[0], want)
			}
			if l.s.Mean[0] > 20 {
				t.Errorf("%s/%s: first mean %v includes the failed run", env.label, l.label, l.s.Mean[0])
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
	if len(paths) != 6 {
		t.Errorf("Draw wrote %v, want 6 files", names(paths))
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
		if _, err := Draw(t.TempDir(), Options{}); err == nil {
			t.Error("Draw of an empty directory returned no error")
		}
	})
	t.Run("bad format", func(t *testing.T) {
		dir := t.TempDir()
		defaultFixture().write(t, dir)
		if _, err := Draw(dir, Options{Formats: []string{"gif"}}); err == nil {
			t.Error("Draw with format gif returned no error")
		}
	})
}

// TestDrawStudents checks the labels and styles of lines when an environment
// has runs of more than one student.
func TestDrawStudents(t *testing.T) {
	f := defaultFixture()
	f.students = []string{"sac", "ppo"}
	f.seeds = 2
	dir := t.TempDir()
	f.write(t, dir)
	sw, problems := load(dir)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	var labels []string
	for _, g := range sw.envs[0].groups {
		labels = append(labels, g.label)
	}
	want := []string{"random / sac", "random / ppo", "alp-gmm / sac", "alp-gmm / ppo"}
	if !slices.Equal(labels, want) {
		t.Errorf("group labels %q, want %q", labels, want)
	}
	g := sw.envs[0].groups
	if slices.Equal(sw.lineDashes(g[0]), sw.lineDashes(g[1])) {
		t.Error("the two students of one teacher have the same dash pattern")
	}
	if _, err := Draw(dir, Options{Formats: []string{"png"}}); err != nil {
		t.Fatal(err)
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
	s := curveSeries(xs, ys, rand.New(rand.NewPCG(5, 6)))
	if len(s.X) != len(want) {
		t.Fatalf("series has %d points, want %d", len(s.X), len(want))
	}
	ref := rand.New(rand.NewPCG(5, 6))
	for i, w := range want {
		if math.Abs(s.X[i]-w.x) > 1e-12 || math.Abs(s.Mean[i]-w.mean) > 1e-12 || s.N[i] != w.n {
			t.Errorf("point %d: x %v, mean %v, n %d; want %v, %v, %d", i, s.X[i], s.Mean[i], s.N[i], w.x, w.mean, w.n)
		}
		lo, hi := stats.BootstrapMeanCI(w.values, ciLevel, ciResamples, ref)
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
