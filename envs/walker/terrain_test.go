package walker

import (
	"math"
	"math/rand/v2"
	"testing"
)

// stumpStats returns the number of stumps, their mean height and standard
// deviation (in terrain steps), and the mean gap between consecutive stumps
// (metres).
func stumpStats(tr *Terrain) (n int, mean, std, gap float64) {
	var sum, sum2, gaps float64
	for i, s := range tr.Obstacles {
		h := (maxYOf(s) - TerrainHeight) / TerrainStep
		sum += h
		sum2 += h * h
		if i > 0 {
			gaps += minXOf(s) - maxXOf(tr.Obstacles[i-1])
		}
	}
	n = len(tr.Obstacles)
	mean = sum / float64(n)
	std = math.Sqrt(sum2/float64(n) - mean*mean)
	if n > 1 {
		gap = gaps / float64(n-1)
	}
	return n, mean, std, gap
}

func maxYOf(p []Point) float64 {
	m := math.Inf(-1)
	for _, q := range p {
		m = max(m, q.Y)
	}
	return m
}

func TestStumpTrackStatistics(t *testing.T) {
	for _, tc := range []struct {
		height, spacing float64
		mean, std       float64 // expected per-stump height statistics
	}{
		{2, 3, 2, 0.1},
		{1, 0.5, 1, 0.1},
		{3, 6, 3, 0.1},
		// At the easy end heights are N(0, 0.1) floored at 0.05: mean
		// E[max(0.05, X)] ≈ 0.0698 and std ≈ 0.0413 (a few centimetres).
		{0, 6, 0.0698, 0.0413},
	} {
		rng := rand.New(rand.NewPCG(uint64(tc.height*10+tc.spacing), 3))
		var all, all2 float64
		var count int
		for range 20 {
			tr := StumpTrack(tc.height, tc.spacing, rng)
			n, mean, std, gap := stumpStats(tr)
			all += mean * float64(n)
			all2 += (std*std + mean*mean) * float64(n)
			count += n
			// Stumps are one terrain step wide, spaced by exactly the spacing.
			if math.Abs(gap-tc.spacing) > 1e-9 {
				t.Fatalf("h=%v s=%v: mean gap %v, want %v", tc.height, tc.spacing, gap, tc.spacing)
			}
			for _, s := range tr.Obstacles {
				if w := maxXOf(s) - minXOf(s); math.Abs(w-TerrainStep) > 1e-9 {
					t.Fatalf("stump width %v, want %v", w, TerrainStep)
				}
				if h := (maxYOf(s) - TerrainHeight) / TerrainStep; h < 0.05-1e-9 {
					t.Fatalf("stump height %v below the 0.05 floor", h)
				}
			}
			// The expected count: the track after the pad divided by the
			// stump-plus-gap period.
			want := (TerrainLength - TerrainStartPad) * TerrainStep / (TerrainStep + tc.spacing)
			if math.Abs(float64(n)-want) > 1.5 {
				t.Fatalf("h=%v s=%v: %d stumps, want about %.1f", tc.height, tc.spacing, n, want)
			}
		}
		mean := all / float64(count)
		std := math.Sqrt(all2/float64(count) - mean*mean)
		if math.Abs(mean-tc.mean) > 0.02 || math.Abs(std-tc.std) > 0.02 {
			t.Errorf("h=%v s=%v: heights mean %.4f std %.4f, want %.4f and %.4f", tc.height, tc.spacing, mean, std, tc.mean, tc.std)
		}
	}
}

func TestStumpTrackLayout(t *testing.T) {
	tr := StumpTrack(1, 2, rand.New(rand.NewPCG(1, 2)))
	// No roughness: the ground is one flat segment from 0 to past the end.
	if len(tr.Ground) != 2 || tr.Ground[0] != (Point{0, TerrainHeight}) || tr.Ground[1].Y != TerrainHeight {
		t.Fatalf("ground = %v, want one flat segment", tr.Ground)
	}
	if end := tr.Ground[1].X; end < FinishX || end > TerrainLength*TerrainStep {
		t.Errorf("ground ends at %v, want in [%v, %v]", end, FinishX, TerrainLength*TerrainStep)
	}
	// The first stump comes right after the start pad.
	if x := minXOf(tr.Obstacles[0]); math.Abs(x-TerrainStartPad*TerrainStep) > 1e-12 {
		t.Errorf("first stump at %v, want %v", x, TerrainStartPad*TerrainStep)
	}
	// Spacing is floored at 0.01 m.
	tr = StumpTrack(1, -5, rand.New(rand.NewPCG(1, 2)))
	if _, _, _, gap := stumpStats(tr); math.Abs(gap-0.01) > 1e-9 {
		t.Errorf("gap with negative spacing = %v, want 0.01", gap)
	}
}

func TestTrackDeterminism(t *testing.T) {
	shape := []float64{0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1}
	for name, gen := range map[string]func(*rand.Rand) *Terrain{
		"stump":   func(r *rand.Rand) *Terrain { return StumpTrack(1.5, 2, r) },
		"hexagon": func(r *rand.Rand) *Terrain { return HexagonTrack(shape, r) },
	} {
		a := gen(rand.New(rand.NewPCG(5, 6)))
		b := gen(rand.New(rand.NewPCG(5, 6)))
		c := gen(rand.New(rand.NewPCG(5, 7)))
		if !sameTerrain(a, b) {
			t.Errorf("%s: same seed gave different tracks", name)
		}
		if sameTerrain(a, c) {
			t.Errorf("%s: different seeds gave the same track", name)
		}
	}
}

func sameTerrain(a, b *Terrain) bool {
	if len(a.Ground) != len(b.Ground) || len(a.Obstacles) != len(b.Obstacles) {
		return false
	}
	for i := range a.Ground {
		if a.Ground[i] != b.Ground[i] {
			return false
		}
	}
	for i := range a.Obstacles {
		if len(a.Obstacles[i]) != len(b.Obstacles[i]) {
			return false
		}
		for j := range a.Obstacles[i] {
			if a.Obstacles[i][j] != b.Obstacles[i][j] {
				return false
			}
		}
	}
	return true
}

func TestHexagonTrack(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	// All-zero parameters: the base hexagon with N(0, 0.1) noise, one every
	// 1 + DefaultSpacing metres.
	zero := make([]float64, HexagonShapeDims)
	tr := HexagonTrack(zero, rng)
	want := int(math.Ceil((TerrainLength - TerrainStartPad) * TerrainStep / (1 + DefaultSpacing)))
	if len(tr.Obstacles)+tr.Dropped != want {
		t.Fatalf("%d hexagons (+%d dropped), want %d", len(tr.Obstacles), tr.Dropped, want)
	}
	var area float64
	for _, h := range tr.Obstacles {
		if polygonArea(h) <= 0 {
			t.Fatalf("hexagon %v is not counter-clockwise", h)
		}
		// The bottom stays on the ground: the first and last vertices of the
		// base keep their y.
		if minYOf(h) > TerrainHeight+1e-9 {
			t.Fatalf("hexagon %v floats above the ground", h)
		}
		area += polygonArea(h)
	}
	// The base hexagon's area is 0.4375 terrain steps², slightly changed by
	// the noise.
	if mean := area / float64(len(tr.Obstacles)) / (TerrainStep * TerrainStep); math.Abs(mean-0.4375) > 0.1 {
		t.Errorf("mean hexagon area %v steps², want about 0.4375", mean)
	}
	// Large offsets grow the hexagons up and to the right.
	big := []float64{4, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0}
	tr = HexagonTrack(big, rng)
	h := tr.Obstacles[0]
	if top := (maxYOf(h) - TerrainHeight) / TerrainStep; math.Abs(top-4.5) > 0.4 {
		t.Errorf("top of a hexagon with dy=4 is %v steps above ground, want about 4.5", top)
	}
}

func minYOf(p []Point) float64 {
	m := math.Inf(1)
	for _, q := range p {
		m = min(m, q.Y)
	}
	return m
}

func TestDegenerateObstacles(t *testing.T) {
	ground := []Point{{0, 0}, {10, 0}}
	tr, err := NewTerrain(ground, [][]Point{
		{{1, 0}, {2, 0}, {3, 0}},                     // collinear
		{{4, 0}, {4.001, 0}, {4, 0.001}},             // welded into one point
		{{5, 0}, {6, 0}, {6, 1}, {5, 1}, {5.5, 0.5}}, // a square with an inner point
	})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Dropped != 2 || len(tr.Obstacles) != 1 || len(tr.Obstacles[0]) != 4 {
		t.Fatalf("kept %v, dropped %d; want one square and 2 dropped", tr.Obstacles, tr.Dropped)
	}
	for _, bad := range [][]Point{{{0, 0}}, {{0, 0}, {math.NaN(), 0}}, {{1, 0}, {0, 0}}} {
		if _, err := NewTerrain(bad, nil); err == nil {
			t.Errorf("NewTerrain(%v) accepted", bad)
		}
	}
}

func TestMergeCollinear(t *testing.T) {
	got := mergeCollinear([]Point{{0, 1}, {1, 1}, {1, 1}, {2, 1}, {3, 2}, {4, 3}, {5, 3}})
	want := []Point{{0, 1}, {2, 1}, {4, 3}, {5, 3}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
