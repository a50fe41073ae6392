package walker

import (
	"math"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func TestParamsValidate(t *testing.T) {
	ok := DefaultParams()
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*Params)
		err  string
	}{
		{"hexagon", func(p *Params) { p.Terrain = "hexagon" }, ""},
		{"quadru", func(p *Params) { p.Body = "quadru" }, ""},
		{"infeasible variant", func(p *Params) { p.MaxStumpHeight = 9 }, ""},
		{"trivial variant", func(p *Params) { p.MinStumpHeight = -3 }, ""},
		{"terrain", func(p *Params) { p.Terrain = "stairs" }, `terrain = "stairs"`},
		{"body", func(p *Params) { p.Body = "spider" }, `body = "spider"`},
		{"height too high", func(p *Params) { p.MaxStumpHeight = 11 }, "max_stump_height = 11"},
		{"height NaN", func(p *Params) { p.MaxStumpHeight = math.NaN() }, "max_stump_height = NaN"},
		{"reversed", func(p *Params) { p.MinStumpHeight = 2; p.MaxStumpHeight = 1 }, "min_stump_height = 2 > max_stump_height = 1"},
		{"spacing", func(p *Params) { p.MaxSpacing = -1 }, "max_obstacle_spacing = -1"},
		{"steps", func(p *Params) { p.MaxSteps = 0 }, "max_steps = 0"},
		{"grid", func(p *Params) { p.TestGrid = 0 }, "test_grid = 0"},
		{"iterations", func(p *Params) { p.Iterations = 0 }, "iterations = 0"},
		{"substeps", func(p *Params) { p.Substeps = 0 }, "substeps = 0"},
		{"threshold", func(p *Params) { p.MasteryThreshold = math.Inf(1) }, "mastery_threshold = +Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultParams()
			tc.edit(&p)
			_, err := New(p)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			}
		})
	}
}

func TestStumpFamily(t *testing.T) {
	p := DefaultParams()
	p.MinStumpHeight, p.MaxStumpHeight = -3, 3
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	box := f.Spaces()[0].(*task.Box)
	if box.Len() != 2 || box.Dim(0).Lo != -3 || box.Dim(0).Hi != 3 || box.Dim(0).Easy != task.EasyLo ||
		box.Dim(1).Hi != 6 || box.Dim(1).Easy != task.EasyHi {
		t.Fatalf("space %v", box)
	}
	// The test set is TeachMyAgent's 10 × 10 grid over [0, 3] × [0, 6],
	// whatever the training range, each track with its own fixed seed.
	tests := f.TestSet()
	if len(tests) != 100 {
		t.Fatalf("%d test tasks, want 100", len(tests))
	}
	seeds := map[uint64]bool{}
	for k, tk := range tests {
		i, j := k/10, k%10
		if math.Abs(tk.Params[0]-float64(i)/3) > 1e-12 || math.Abs(tk.Params[1]-float64(j)*2/3) > 1e-12 {
			t.Fatalf("test %d = %v, want [%v %v]", k, tk.Params, float64(i)/3, float64(j)*2/3)
		}
		seeds[tk.Seed] = true
	}
	if len(seeds) != 100 {
		t.Errorf("test seeds repeat: %d distinct", len(seeds))
	}
	g, _ := New(p)
	for k := range tests {
		if g.TestSet()[k].Seed != tests[k].Seed {
			t.Fatal("the test set is not reproducible")
		}
	}
	// Mastery is strictly above the threshold.
	if f.Mastered(tests[0], task.Outcome{Return: 230}) || !f.Mastered(tests[0], task.Outcome{Return: 230.5}) {
		t.Error("mastery is not a strict > 230")
	}
}

func TestHexagonFamily(t *testing.T) {
	p := DefaultParams()
	p.Terrain = HexagonTerrain
	p.TestCount = 400
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	box := f.Spaces()[0].(*task.Box)
	if box.Len() != 12 || box.Dim(0).Name != "v0_dx" || box.Dim(11).Name != "v5_dy" || box.Dim(3).Hi != 4 {
		t.Fatalf("space %v", box)
	}
	tests := f.TestSet()
	if len(tests) != 400 {
		t.Fatalf("%d test tasks, want 400", len(tests))
	}
	var mean float64
	for _, tk := range tests {
		if !box.Contains(tk.Params) {
			t.Fatalf("test task %v outside the space", tk.Params)
		}
		for _, v := range tk.Params {
			mean += v / (400 * 12)
		}
	}
	if math.Abs(mean-2) > 0.1 {
		t.Errorf("mean test parameter %v, want about 2 (uniform in [0, 4])", mean)
	}
}

func TestTrackClipsAndRejects(t *testing.T) {
	f, _ := New(DefaultParams())
	// Out-of-range values are clipped to the generator's limits.
	a := f.Track(task.Task{Params: []float64{50, -2}, Seed: 3})
	b := f.Track(task.Task{Params: []float64{StumpHeightLimit, 0}, Seed: 3})
	if !sameTerrain(a, b) {
		t.Error("clipping of task parameters is wrong")
	}
	for _, tc := range []struct {
		params []float64
		msg    string
	}{
		{[]float64{math.NaN(), 1}, "stump_height = NaN"},
		{[]float64{1, math.Inf(1)}, "obstacle_spacing = +Inf"},
		{[]float64{1}, "task has 1 parameters, want 2"},
	} {
		func() {
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(r.(string), tc.msg) {
					t.Errorf("Track(%v) panicked with %v, want a message containing %q", tc.params, r, tc.msg)
				}
			}()
			f.Track(task.Task{Params: tc.params})
		}()
	}
}

func TestScore(t *testing.T) {
	for _, tc := range []struct{ r, want float64 }{
		{-200, 0}, {-150, 0}, {100, 0.5}, {350, 1}, {400, 1},
	} {
		if got := Score(tc.r); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("Score(%v) = %v, want %v", tc.r, got, tc.want)
		}
	}
}
