package walker

import (
	"math"
	"testing"
)

// TestLidarKnownScene casts the lidar from a point 2 m above a flat floor
// with a wall 3 m ahead and compares every ray with its closed form.
func TestLidarKnownScene(t *testing.T) {
	const (
		floor  = 1.0
		height = 2.0 // of the lidar above the floor
		wall   = 3.0 // distance to the wall's face
	)
	p := Point{10, floor + height}
	tr, err := NewTerrain([]Point{{0, floor}, {50, floor}},
		[][]Point{{{p.X + wall, floor}, {p.X + wall + 1, floor}, {p.X + wall + 1, floor + 10}, {p.X + wall, floor + 10}}})
	if err != nil {
		t.Fatal(err)
	}
	var got [LidarRays]float64
	tr.Lidar(p, got[:])
	for i, f := range got {
		a := 1.5 * float64(i) / LidarRays
		want := 1.0
		if c := math.Cos(a); c > 0 {
			want = min(want, height/c/LidarRange)
		}
		if s := math.Sin(a); s > 0 {
			want = min(want, wall/s/LidarRange)
		}
		if math.Abs(f-want) > 1e-12 {
			t.Errorf("ray %d (%.2f rad): fraction %v, want %v", i, a, f, want)
		}
	}
	// Ray 0 points straight down: 2 m of 5.33 m.
	if math.Abs(got[0]-height/LidarRange) > 1e-12 {
		t.Errorf("ray 0 = %v, want %v", got[0], height/LidarRange)
	}

	// Out of range: nothing within 5.33 m reads 1; from inside an obstacle
	// the obstacle itself is not seen (as in Box2D).
	high := Point{10, floor + 100}
	tr.Lidar(high, got[:])
	for i, f := range got {
		if f != 1 {
			t.Errorf("ray %d from high above reads %v, want 1", i, f)
		}
	}
	inside := Point{p.X + wall + 0.5, floor + 2}
	tr.Lidar(inside, got[:])
	if math.Abs(got[0]-2/LidarRange) > 1e-12 {
		t.Errorf("ray 0 from inside the wall = %v, want the floor at %v", got[0], 2/LidarRange)
	}
}

func TestLidarSlopedGroundAndClosestHit(t *testing.T) {
	// A ground that rises with slope 1 from x = 10, and a stump of 0.5 m at
	// x ∈ [9, 9.5] before the slope.
	tr, err := NewTerrain([]Point{{0, 0}, {10, 0}, {20, 10}},
		[][]Point{{{9, 0}, {9.5, 0}, {9.5, 0.5}, {9, 0.5}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		p, d Point
		want float64 // distance to the closest hit
	}{
		// Passes over the stump and meets the slope at (11, 1).
		{"horizontal", Point{8, 1}, Point{1, 0}, 3},
		// Meets the stump's top at (9.3, 0.5) before the ground behind it.
		{"onto the stump", Point{8, 1.8}, Point{1, -1}, 1.3 * math.Sqrt2},
		// Meets the stump's left face at (9, 0.25).
		{"onto the face", Point{8, 1.25}, Point{1, -1}, math.Sqrt2},
		// Too far: nothing within range.
		{"out of range", Point{8, 20}, Point{0, -1}, LidarRange},
	} {
		d := Point{tc.d.X / math.Hypot(tc.d.X, tc.d.Y) * LidarRange, tc.d.Y / math.Hypot(tc.d.X, tc.d.Y) * LidarRange}
		if f := tr.castRay(tc.p, d); math.Abs(f-tc.want/LidarRange) > 1e-12 {
			t.Errorf("%s: fraction %v, want %v", tc.name, f, tc.want/LidarRange)
		}
	}
}

func TestLidarAllocates(t *testing.T) {
	tr := FlatTrack()
	var out [LidarRays]float64
	if n := testing.AllocsPerRun(100, func() { tr.Lidar(Point{20, 6}, out[:]) }); n != 0 {
		t.Errorf("Lidar allocates %v times per call", n)
	}
}
