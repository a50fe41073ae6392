package task

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestNewBox(t *testing.T) {
	for _, tc := range []struct {
		name string
		dims []Dim
		err  string
	}{
		{"ok", []Dim{{Name: "a", Lo: 0, Hi: 1}, {Name: "b", Lo: -3, Hi: 3}}, ""},
		{"zero width", []Dim{{Name: "a", Lo: 0.25, Hi: 0.25}}, ""},
		{"empty", nil, "at least one dimension"},
		{"no name", []Dim{{Lo: 0, Hi: 1}}, "no name"},
		{"duplicate", []Dim{{Name: "a", Hi: 1}, {Name: "a", Hi: 2}}, "twice"},
		{"reversed", []Dim{{Name: "a", Lo: 1, Hi: 0}}, "lo 1 > hi 0"},
		{"nan", []Dim{{Name: "a", Lo: math.NaN(), Hi: 1}}, "non-finite"},
		{"inf", []Dim{{Name: "a", Lo: 0, Hi: math.Inf(1)}}, "non-finite"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := NewBox(tc.dims...)
			if tc.err == "" {
				if err != nil || b.Len() != len(tc.dims) {
					t.Fatalf("NewBox: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("NewBox error = %v, want one containing %q", err, tc.err)
			}
		})
	}
}

func TestBoxSampleClipContains(t *testing.T) {
	b, err := NewBox(Dim{Name: "h", Lo: 0, Hi: 3}, Dim{Name: "s", Lo: 0, Hi: 6}, Dim{Name: "z", Lo: 2, Hi: 2})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var x []float64
	var sum [3]float64
	const n = 20000
	for range n {
		x = b.Uniform(x, rng)
		if !b.Contains(x) {
			t.Fatalf("Uniform gave %v outside %v", x, b)
		}
		for i, v := range x {
			sum[i] += v
		}
	}
	for i, want := range []float64{1.5, 3, 2} {
		if got := sum[i] / n; math.Abs(got-want) > 0.05*math.Max(1, want) {
			t.Errorf("mean of dimension %d = %v, want about %v", i, got, want)
		}
	}
	y := []float64{-1, 7, 2.5}
	b.Clip(y)
	if y[0] != 0 || y[1] != 6 || y[2] != 2 {
		t.Errorf("Clip gave %v, want [0 6 2]", y)
	}
	if b.Contains([]float64{1, 1}) || b.Contains([]float64{math.NaN(), 1, 2}) {
		t.Error("Contains accepted a wrong-length or NaN point")
	}
}

func TestNewDiscrete(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	for _, tc := range []struct {
		name     string
		edges    []Edge
		min, max []float64
		err      string
	}{
		{"chain", []Edge{{0, 1}, {1, 2}, {2, 3}}, nil, nil, ""},
		{"join", []Edge{{0, 2}, {1, 2}, {2, 3}}, []float64{0, 0, 0, -1}, []float64{1, 1, 1, 0}, ""},
		{"cycle", []Edge{{0, 1}, {1, 2}, {2, 0}}, nil, nil, "cycle: a → b → c → a"},
		{"self loop", []Edge{{1, 1}}, nil, nil, "self-loop"},
		{"unknown task", []Edge{{0, 4}}, nil, nil, "outside 0..3"},
		{"bounds equal", nil, []float64{0, 0, 1, 0}, []float64{1, 1, 1, 1}, `"c" has score bounds min 1, max 1`},
		{"bounds length", nil, []float64{0}, []float64{1}, "score bounds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := NewDiscrete(names, tc.edges, tc.min, tc.max)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range tc.edges {
					if !contains(d.Successors(e.From), e.To) || !contains(d.Predecessors(e.To), e.From) {
						t.Errorf("edge %v missing from adjacency", e)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("NewDiscrete error = %v, want one containing %q", err, tc.err)
			}
		})
	}
	if _, err := NewDiscrete([]string{"a", "a"}, nil, nil, nil); err == nil {
		t.Error("duplicate names accepted")
	}
	d, _ := NewDiscrete(names, nil, nil, nil)
	if lo, hi := d.Bounds(2); lo != 0 || hi != 1 {
		t.Errorf("default bounds = %v, %v, want 0, 1", lo, hi)
	}
	if d.Index("c") != 2 || d.Index("zz") != -1 {
		t.Error("Index is wrong")
	}
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestOutcomeCheck(t *testing.T) {
	withSignal := func(s Signal, v float64) Outcome {
		o := Outcome{Score: 0.5, Steps: 1}
		o.SetSignal(s, v)
		return o
	}
	for _, tc := range []struct {
		name string
		o    Outcome
		err  string
	}{
		{"ok", Outcome{Return: -120, Score: 0, Steps: 2000}, ""},
		{"nan return", Outcome{Return: math.NaN(), Score: 0.5, Steps: 1}, "return is NaN"},
		{"inf return", Outcome{Return: math.Inf(-1), Score: 0.5, Steps: 1}, "return is -Inf"},
		{"score above 1", Outcome{Score: 1.5, Steps: 1}, "score is 1.5"},
		{"nan score", Outcome{Score: math.NaN(), Steps: 1}, "score is NaN"},
		{"no steps", Outcome{Score: 0.5}, "steps is 0"},
		{"nan signal", withSignal(MaxReturn, math.NaN()), "signal max_return is NaN"},
		{"finite signal", withSignal(PositiveValueLoss, 0.3), ""},
		{"nan achieved", Outcome{Steps: 1, Achieved: []float64{0, math.NaN()}}, "achieved goal [1] is NaN"},
		{"path", Outcome{Steps: 2, Achieved: []float64{1, 2}, Path: []float64{0, 1, 1, 2}}, ""},
		{"ragged path", Outcome{Steps: 2, Achieved: []float64{1, 2}, Path: []float64{0, 1, 1}}, "path has 3 values, want rows of the achieved goal's 2"},
		{"path without goal", Outcome{Steps: 1, Path: []float64{0, 1}}, "path has 2 values"},
		{"inf path", Outcome{Steps: 1, Achieved: []float64{1, 2}, Path: []float64{math.Inf(1), 2}}, "path [0] is +Inf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Check()
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Check() = %v, want an error containing %q", err, tc.err)
			}
		})
	}
}

func TestSignals(t *testing.T) {
	var o Outcome
	if _, ok := o.Signal(MeanAbsAdvantage); ok {
		t.Fatal("unset signal reported as set")
	}
	o.SetSignal(MeanAbsAdvantage, 0.25)
	if v, ok := o.Signal(MeanAbsAdvantage); !ok || v != 0.25 {
		t.Fatalf("Signal = %v, %v; want 0.25, true", v, ok)
	}
	if _, ok := o.Signal(MaxReturn); ok {
		t.Fatal("setting one signal set another")
	}
	if len(Signals()) != int(numSignals) || MaxReturn.String() != "max_return" {
		t.Fatal("signal names are wrong")
	}
}

func TestTaskKindClone(t *testing.T) {
	box := Task{Params: []float64{1, 2}, Seed: 7}
	lvl := Task{Level: []byte{1, 2, 3}}
	disc := Task{Index: 3}
	if box.Kind() != BoxKind || lvl.Kind() != LevelsKind || disc.Kind() != DiscreteKind {
		t.Fatal("Kind is wrong")
	}
	c := box.Clone()
	c.Params[0] = 99
	if box.Params[0] != 1 {
		t.Fatal("Clone shares Params")
	}
	cl := lvl.Clone()
	cl.Level[0] = 99
	if lvl.Level[0] != 1 {
		t.Fatal("Clone shares Level")
	}
}

// fixedFamily has three Box test tasks whose outcome is their first coordinate.
type fixedFamily struct{ box *Box }

func (f fixedFamily) Spaces() []Space { return []Space{f.box} }
func (f fixedFamily) TestSet() []Task {
	return []Task{{Params: []float64{0.2}}, {Params: []float64{0.8}}, {Params: []float64{0.9}}}
}
func (f fixedFamily) Mastered(_ Task, o Outcome) bool { return o.Score > 0.5 }

type echoStudent struct{}

func (echoStudent) Learn(t Task) Outcome { return echoStudent{}.Evaluate(t) }
func (echoStudent) Evaluate(t Task) Outcome {
	return Outcome{Return: 10 * t.Params[0], Score: t.Params[0], Success: t.Params[0] > 0.85, Steps: 1}
}

func TestEvaluate(t *testing.T) {
	b, _ := NewBox(Dim{Name: "x", Hi: 1})
	e := Evaluate(fixedFamily{b}, echoStudent{})
	if math.Abs(e.Mastered-200.0/3) > 1e-12 || math.Abs(e.ScoreMean-19.0/30) > 1e-12 ||
		math.Abs(e.ReturnMean-19.0/3) > 1e-12 || math.Abs(e.SuccessRate-100.0/3) > 1e-12 {
		t.Fatalf("Evaluate = %+v", e)
	}
}

func TestDifficulty(t *testing.T) {
	d, err := NewDiscrete([]string{"a", "b", "c", "d", "e"}, []Edge{{0, 1}, {1, 2}, {0, 2}, {3, 2}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0, 1, 2, 0, 0} {
		if got := d.Difficulty(i); got != want {
			t.Errorf("depth of %s = %v, want %v", d.Name(i), got, want)
		}
	}
	e, err := d.WithDifficulty([]float64{5, 4, 3, 2, 1})
	if err != nil || e.Difficulty(0) != 5 || d.Difficulty(0) != 0 {
		t.Fatalf("WithDifficulty: %v, %v, original %v", err, e.Difficulty(0), d.Difficulty(0))
	}
	if _, err := d.WithDifficulty([]float64{1}); err == nil {
		t.Error("wrong length accepted")
	}
}
