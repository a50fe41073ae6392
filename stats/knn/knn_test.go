package knn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// bruteNearest scans the points with index in [from, Len()) and returns the
// nearest to q, the most recent among exact ties.
func bruteNearest(t *Tree, from int, q []float64) (int, float64) {
	best, bestI := math.Inf(1), -1
	for i := from; i < t.Len(); i++ {
		s := 0.0
		for j, v := range t.Point(i) {
			u := q[j] - v
			s += float64(u * u)
		}
		if s <= best {
			best, bestI = s, i
		}
	}
	return bestI, best
}

// depth returns the height of the tree.
func depth(t *Tree, n int32) int {
	if n < 0 {
		return 0
	}
	return 1 + max(depth(t, t.nodes[n].left), depth(t, t.nodes[n].right))
}

// checkInvariants verifies the k-d ordering and the subtree sizes.
func checkInvariants(tb testing.TB, t *Tree) {
	tb.Helper()
	var walk func(n int32) int32
	walk = func(n int32) int32 {
		if n < 0 {
			return 0
		}
		nd := t.nodes[n]
		s := t.Point(int(nd.idx))[nd.dim]
		var check func(c int32, left bool)
		check = func(c int32, left bool) {
			if c < 0 {
				return
			}
			v := t.Point(int(t.nodes[c].idx))[nd.dim]
			if left && v > s || !left && v < s {
				tb.Fatalf("node %d (split %v on %d): point %v on the wrong side", n, s, nd.dim, t.Point(int(t.nodes[c].idx)))
			}
			check(t.nodes[c].left, left)
			check(t.nodes[c].right, left)
		}
		check(nd.left, true)
		check(nd.right, false)
		size := 1 + walk(nd.left) + walk(nd.right)
		if size != nd.size {
			tb.Fatalf("node %d: size %d, want %d", n, nd.size, size)
		}
		return size
	}
	walk(t.root)
}

// generator returns random points of dimension d: continuous, or on a small
// integer grid (many duplicates and exact distance ties).
type generator func(rng *rand.Rand, p []float64)

func continuous(rng *rand.Rand, p []float64) {
	for j := range p {
		p[j] = rng.Float64()
	}
}

func grid(rng *rand.Rand, p []float64) {
	for j := range p {
		p[j] = float64(rng.IntN(4))
	}
}

func clipped(rng *rand.Rand, p []float64) {
	for j := range p {
		p[j] = min(1, max(0, 0.5+0.6*rng.NormFloat64()))
	}
}

func TestNearestMatchesBruteForce(t *testing.T) {
	gens := []struct {
		name string
		gen  generator
	}{{"continuous", continuous}, {"grid", grid}, {"clipped", clipped}}
	for _, dim := range []int{1, 2, 3, 13} {
		for _, g := range gens {
			t.Run(fmt.Sprintf("D=%d/%s", dim, g.name), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(dim), 7))
				tr := New(dim)
				p := make([]float64, dim)
				q := make([]float64, dim)
				n := 1500
				if dim == 13 {
					n = 700
				}
				for i := 0; i < n; i++ {
					g.gen(rng, q)
					gi, gd := tr.Nearest(q)
					wi, wd := bruteNearest(tr, 0, q)
					if gi != wi || gd != wd {
						t.Fatalf("step %d: Nearest(%v) = %d, %v; brute force %d, %v", i, q, gi, gd, wi, wd)
					}
					g.gen(rng, p)
					if got := tr.Insert(p); got != i {
						t.Fatalf("Insert returned %d, want %d", got, i)
					}
					// Querying an inserted point finds it (or a more
					// recent duplicate) at distance 0.
					if gi, gd := tr.Nearest(p); gi != i || gd != 0 {
						t.Fatalf("step %d: Nearest(inserted point) = %d, %v", i, gi, gd)
					}
				}
				checkInvariants(t, tr)
			})
		}
	}
}

func TestDuplicates(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	tr := New(2)
	zero := []float64{0, 0}
	p := make([]float64, 2)
	const n = 10000
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			tr.Insert(zero)
		} else {
			clipped(rng, p)
			tr.Insert(p)
		}
		if i%97 == 0 {
			clipped(rng, p)
			gi, gd := tr.Nearest(p)
			wi, wd := bruteNearest(tr, 0, p)
			if gi != wi || gd != wd {
				t.Fatalf("step %d: Nearest = %d, %v; brute force %d, %v", i, gi, gd, wi, wd)
			}
		}
	}
	// The most recent (0, 0) wins the ties.
	if gi, gd := tr.Nearest(zero); gi != n-2 || gd != 0 {
		t.Errorf("Nearest(0, 0) = %d, %v; want %d, 0", gi, gd, n-2)
	}
	// Duplicates share a node: far fewer nodes than points, and a short tree.
	distinct := map[[2]float64]bool{}
	for i := 0; i < n; i++ {
		distinct[[2]float64(tr.Point(i))] = true
	}
	if len(tr.nodes) > len(distinct)+16 {
		t.Errorf("%d nodes for %d distinct points", len(tr.nodes), len(distinct))
	}
	if h := depth(tr, tr.root); h > 3*int(math.Log2(float64(len(tr.nodes))))+10 {
		t.Errorf("depth %d for %d nodes", h, len(tr.nodes))
	}
	checkInvariants(t, tr)
}

func TestSortedInsertionStaysBalanced(t *testing.T) {
	tests := []struct {
		name string
		dim  int
		f    func(i int, p []float64)
	}{
		{"1-D increasing", 1, func(i int, p []float64) { p[0] = float64(i) }},
		{"1-D decreasing", 1, func(i int, p []float64) { p[0] = -float64(i) }},
		{"2-D diagonal", 2, func(i int, p []float64) { p[0], p[1] = float64(i), float64(i) }},
		{"3-D drifting", 3, func(i int, p []float64) {
			p[0], p[1], p[2] = float64(i)*1e-3, math.Sin(float64(i)), 0
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(tc.dim)
			p := make([]float64, tc.dim)
			const n = 20000
			for i := 0; i < n; i++ {
				tc.f(i, p)
				tr.Nearest(p)
				tr.Insert(p)
			}
			h := depth(tr, tr.root)
			if limit := int(math.Log2(n)*depthPerBit) + 3; h > limit {
				t.Errorf("depth %d > %d", h, limit)
			}
			checkInvariants(t, tr)
			q := make([]float64, tc.dim)
			tc.f(n/3, q)
			q[0] += 0.25
			gi, gd := tr.Nearest(q)
			wi, wd := bruteNearest(tr, 0, q)
			if gi != wi || gd != wd {
				t.Fatalf("Nearest = %d, %v; brute force %d, %v", gi, gd, wi, wd)
			}
		})
	}
}

func TestRebuild(t *testing.T) {
	for _, dim := range []int{1, 2, 5} {
		for _, g := range []generator{continuous, grid} {
			rng := rand.New(rand.NewPCG(3, uint64(dim)))
			tr := New(dim)
			p := make([]float64, dim)
			q := make([]float64, dim)
			from := 0
			for i := 0; i < 3000; i++ {
				if i > 0 && i%500 == 0 {
					from = i - 300
					tr.Rebuild(from)
					checkInvariants(t, tr)
					if h, n := depth(tr, tr.root), len(tr.nodes); h > int(math.Log2(float64(n)))+1 {
						t.Fatalf("depth %d after Rebuild of %d nodes", h, n)
					}
				}
				g(rng, p)
				tr.Insert(p)
				g(rng, q)
				gi, gd := tr.Nearest(q)
				wi, wd := bruteNearest(tr, from, q)
				if gi != wi || gd != wd {
					t.Fatalf("D=%d step %d (from %d): Nearest = %d, %v; brute force %d, %v", dim, i, from, gi, gd, wi, wd)
				}
				if gi >= 0 && gi < from {
					t.Fatalf("Nearest returned excluded point %d < %d", gi, from)
				}
			}
			// Old points are still stored.
			if tr.Len() != 3000 || len(tr.Point(0)) != dim {
				t.Fatalf("Len %d", tr.Len())
			}
		}
	}
	// Rebuild beyond the end leaves nothing searchable; Rebuild(0) brings
	// everything back.
	tr := New(2)
	for i := 0; i < 10; i++ {
		tr.Insert([]float64{float64(i), 0})
	}
	tr.Rebuild(100)
	if i, d := tr.Nearest([]float64{0, 0}); i != -1 || !math.IsInf(d, 1) {
		t.Errorf("after Rebuild(Len): Nearest = %d, %v", i, d)
	}
	tr.Insert([]float64{5, 5})
	if i, _ := tr.Nearest([]float64{0, 0}); i != 10 {
		t.Errorf("Nearest = %d, want 10", i)
	}
	tr.Rebuild(-3)
	if i, d := tr.Nearest([]float64{0, 0.1}); i != 0 || math.Abs(d-0.01) > 1e-15 {
		t.Errorf("after Rebuild(0): Nearest = %d, %v", i, d)
	}
}

func TestEmptyAndReset(t *testing.T) {
	tr := New(3)
	if i, d := tr.Nearest([]float64{1, 2, 3}); i != -1 || !math.IsInf(d, 1) {
		t.Errorf("empty: Nearest = %d, %v", i, d)
	}
	if tr.Len() != 0 || tr.Dim() != 3 {
		t.Errorf("Len %d, Dim %d", tr.Len(), tr.Dim())
	}
	tr.Rebuild(0)
	if i, _ := tr.Nearest([]float64{1, 2, 3}); i != -1 {
		t.Errorf("empty after Rebuild: Nearest = %d", i)
	}
	p := []float64{1, 2, 3}
	tr.Insert(p)
	p[0] = 100 // Insert copies
	if got := tr.Point(0); got[0] != 1 {
		t.Errorf("Point(0) = %v", got)
	}
	tr.Reset()
	if i, _ := tr.Nearest(p); i != -1 || tr.Len() != 0 {
		t.Errorf("after Reset: Nearest = %d, Len = %d", i, tr.Len())
	}
	if got := tr.Insert(p); got != 0 {
		t.Errorf("Insert after Reset returned %d", got)
	}
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"New(0)", func() { New(0) }},
		{"Insert length", func() { New(2).Insert([]float64{1}) }},
		{"Insert NaN", func() { New(1).Insert([]float64{math.NaN()}) }},
		{"Insert Inf", func() { New(1).Insert([]float64{math.Inf(1)}) }},
		{"Nearest length", func() { New(2).Nearest([]float64{1, 2, 3}) }},
	}
	for _, tc := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.f()
		}()
	}
}

func TestZeroAllocs(t *testing.T) {
	for _, dim := range []int{2, 12} {
		stream := drift(5000, dim, 1)
		tr := New(dim)
		run := func() {
			tr.Reset()
			for i := 0; i < 5000; i++ {
				p := stream[i*dim : (i+1)*dim]
				tr.Nearest(p)
				tr.Insert(p)
				if i%1000 == 999 {
					tr.Rebuild(i - 500)
				}
			}
		}
		run()
		if a := testing.AllocsPerRun(3, run); a != 0 {
			t.Errorf("D=%d: %v allocations per 5000 steps", dim, a)
		}
	}
}

// drift returns n points of dimension dim from a distribution whose centre
// moves over time, clipped to [0, 1] (so that points on the bounds repeat),
// with 10% of the points exactly at the origin.
func drift(n, dim int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 3))
	x := make([]float64, n*dim)
	for i := 0; i < n; i++ {
		if rng.IntN(10) == 0 {
			continue
		}
		phase := 6 * float64(i) / float64(n)
		for j := 0; j < dim; j++ {
			c := 0.5 + 0.5*math.Sin(phase+float64(j))
			x[i*dim+j] = min(1, max(0, c+0.2*rng.NormFloat64()))
		}
	}
	return x
}

// BenchmarkInsertNearest measures one ALP-GMM step, a query followed by an
// insertion, averaged over runs of 20,000 steps on a fresh tree.
func BenchmarkInsertNearest(b *testing.B) {
	const steps = 20000
	for _, dim := range []int{2, 12} {
		b.Run(fmt.Sprintf("D=%d", dim), func(b *testing.B) {
			stream := drift(steps, dim, 2)
			tr := New(dim)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i == steps {
					i = 0
					tr.Reset()
				}
				p := stream[i*dim : (i+1)*dim]
				tr.Nearest(p)
				tr.Insert(p)
				i++
			}
		})
	}
}

// BenchmarkRebuild measures rebuilding a window of 10,000 points.
func BenchmarkRebuild(b *testing.B) {
	for _, dim := range []int{2, 12} {
		b.Run(fmt.Sprintf("D=%d", dim), func(b *testing.B) {
			stream := drift(20000, dim, 2)
			tr := New(dim)
			for i := 0; i < 20000; i++ {
				tr.Insert(stream[i*dim : (i+1)*dim])
			}
			b.ReportAllocs()
			for b.Loop() {
				tr.Rebuild(10000)
			}
		})
	}
}
