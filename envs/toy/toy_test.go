package toy

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func newStudent(t testing.TB, p Params) (*Family, *Student) {
	t.Helper()
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return f, f.NewStudent(task.Streams{}).(*Student)
}

// centre returns the centre of cell (i, j) of a 10 × 10 grid.
func centre(i, j int) []float64 { return []float64{(float64(i) + 0.5) / 10, (float64(j) + 0.5) / 10} }

func practise(s *Student, x []float64, n int) task.Outcome {
	var o task.Outcome
	for range n {
		o = s.Learn(task.Task{Params: x})
	}
	return o
}

func TestUnlockRule(t *testing.T) {
	_, s := newStudent(t, DefaultParams())
	// A non-origin cell is locked at the start.
	if o := practise(s, centre(1, 0), 10); o.Return != 0 {
		t.Fatalf("locked cell learned: return %v", o.Return)
	}
	// The origin always learns, one point per episode.
	if o := practise(s, centre(0, 0), 74); o.Return != 0.74 || o.Success {
		t.Fatalf("origin after 74 episodes: %+v", o)
	}
	if o := practise(s, centre(1, 1), 1); o.Return != 0 {
		t.Fatal("neighbour unlocked at competence 74")
	}
	// At exactly 75 the origin unlocks its successors but is not mastered.
	if o := practise(s, centre(0, 0), 1); o.Return != 0.75 || o.Success {
		t.Fatalf("origin at 75: %+v", o)
	}
	if o := s.Evaluate(task.Task{Params: centre(0, 0)}); o.Return != 0.75 {
		t.Fatalf("Evaluate changed or misread competence: %+v", o)
	}
	for _, c := range [][2]int{{1, 0}, {0, 1}, {1, 1}} { // right, up and the diagonal
		if o := practise(s, centre(c[0], c[1]), 1); o.Return != 0.01 {
			t.Fatalf("cell %v did not unlock: %+v", c, o)
		}
	}
	if o := practise(s, centre(2, 0), 1); o.Return != 0 {
		t.Fatal("cell (2,0) unlocked without a learned predecessor")
	}
	// Competence is capped at 100; mastery is > 75.
	if o := practise(s, centre(0, 0), 200); o.Return != 1 || !o.Success {
		t.Fatalf("origin after many episodes: %+v", o)
	}
	// Evaluate does not learn.
	for range 10 {
		s.Evaluate(task.Task{Params: centre(2, 0)})
	}
	if s.Competence(centre(2, 0)) != 0 {
		t.Fatal("Evaluate learned")
	}
}

func TestEdgeNeighbours(t *testing.T) {
	// On the edge (index 0 in one dimension) the previous neighbour keeps
	// that coordinate: (0,2) has the single predecessor (0,1).
	_, s := newStudent(t, DefaultParams())
	practise(s, centre(0, 0), 75)
	practise(s, centre(0, 1), 75)
	if o := practise(s, centre(0, 2), 1); o.Return != 0.01 {
		t.Fatalf("edge cell (0,2) did not unlock from (0,1): %+v", o)
	}
	if o := practise(s, centre(1, 3), 1); o.Return != 0 {
		t.Fatal("(1,3) unlocked with no learned predecessor")
	}
}

func TestCellIndex(t *testing.T) {
	_, s := newStudent(t, Params{Dims: 3, Cells: 4})
	for _, tc := range []struct {
		x    []float64
		want int
	}{
		{[]float64{0, 0, 0}, 0},
		{[]float64{1, 1, 1}, 63}, // the top edge belongs to the last cell
		{[]float64{0.25, 0, 0}, 1},
		{[]float64{0.2499, 0.5, 0.99}, 0 + 2*4 + 3*16},
	} {
		if got := s.cell(tc.x); got != tc.want {
			t.Errorf("cell(%v) = %d, want %d", tc.x, got, tc.want)
		}
	}
}

func TestOutOfRangePanics(t *testing.T) {
	_, s := newStudent(t, DefaultParams())
	for _, x := range [][]float64{{1.5, 0}, {-0.1, 0}, {0.5}} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "toy: task") {
					t.Errorf("Learn(%v) recovered %v, want a toy panic", x, r)
				}
			}()
			s.Learn(task.Task{Params: x})
		}()
	}
}

func TestParamsValidate(t *testing.T) {
	for _, tc := range []struct {
		p   Params
		err string
	}{
		{Params{Dims: 0, Cells: 10}, "dims = 0"},
		{Params{Dims: 2, Cells: 1}, "cells = 1"},
		{Params{Dims: 6, Cells: 10}, "exceeds 100000 cells"},
		{Params{Dims: 17, Cells: 2}, "exceeds 100000 cells"},
	} {
		if _, err := New(tc.p); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("New(%+v) error = %v, want one containing %q", tc.p, err, tc.err)
		}
	}
}

func TestTestSetAndMastery(t *testing.T) {
	f, s := newStudent(t, DefaultParams())
	if len(f.TestSet()) != 100 {
		t.Fatalf("test set has %d tasks, want 100", len(f.TestSet()))
	}
	practise(s, centre(0, 0), 76)
	practise(s, centre(1, 0), 75)
	e := task.Evaluate(f, s)
	if e.Mastered != 1 {
		t.Fatalf("mastered = %v%%, want 1%% (one cell above 75, one at exactly 75)", e.Mastered)
	}
}

// TestRandomTeacherBaseline checks the known behaviour of uniform sampling on
// the reference grid: about 5% mastered after 20,000 episodes.
func TestRandomTeacherBaseline(t *testing.T) {
	f, s := newStudent(t, DefaultParams())
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 2)
	for range 20000 {
		x[0], x[1] = rng.Float64(), rng.Float64()
		s.Learn(task.Task{Params: x})
	}
	if m := task.Evaluate(f, s).Mastered; m < 2 || m > 10 {
		t.Fatalf("uniform sampling mastered %v%%, want about 5%%", m)
	}
}

func TestLearnAllocatesNothing(t *testing.T) {
	_, s := newStudent(t, DefaultParams())
	tk := task.Task{Params: centre(3, 4)}
	if a := testing.AllocsPerRun(1000, func() { s.Learn(tk) }); a != 0 {
		t.Fatalf("Learn allocates %v times per episode", a)
	}
}

func BenchmarkLearn(b *testing.B) {
	for _, p := range []Params{{Dims: 2, Cells: 10}, {Dims: 5, Cells: 6}} {
		b.Run(fmt.Sprintf("dims=%d_cells=%d", p.Dims, p.Cells), func(b *testing.B) {
			_, s := newStudent(b, p)
			rng := rand.New(rand.NewPCG(1, 1))
			xs := make([][]float64, 1024)
			for i := range xs {
				xs[i] = make([]float64, p.Dims)
				for j := range xs[i] {
					xs[i][j] = rng.Float64()
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				s.Learn(task.Task{Params: xs[i%len(xs)]})
			}
		})
	}
}
