package walker

import "math"

// Lidar writes into out (LidarRays values) the lidar reading from p: ray i
// points from straight down (i = 0) towards +x, at angle 1.5·i/LidarRays,
// and reads the fraction of LidarRange at which it first meets the terrain
// (1 if it meets nothing within range).
func (t *Terrain) Lidar(p Point, out []float64) {
	for i := range LidarRays {
		out[i] = t.castRay(p, lidarRays[i])
	}
}

// lidarRays are the lidar's ray vectors.
var lidarRays = func() (r [LidarRays]Point) {
	for i := range r {
		a := 1.5 * float64(i) / LidarRays
		r[i] = Point{math.Sin(a) * LidarRange, -math.Cos(a) * LidarRange}
	}
	return r
}()

// castRay returns the fraction in [0, 1] along the segment from p to p+d at
// which it first meets the terrain (the ground polyline or an obstacle), or
// 1 if it meets nothing: the reference lidar's closest hit.
//
// It searches only the ground segments and obstacles whose x-extent overlaps
// the ray's, so its cost does not grow with the track's length.
func (t *Terrain) castRay(p, d Point) float64 {
	x0, x1 := p.X, p.X+d.X
	if x1 < x0 {
		x0, x1 = x1, x0
	}
	best := 1.0
	g := t.Ground
	// First segment whose right end is at or beyond x0.
	i := sortSearch(len(g)-1, func(i int) bool { return g[i+1].X >= x0 })
	for ; i < len(g)-1 && g[i].X <= x1; i++ {
		if f, ok := raySegment(p, d, g[i], g[i+1]); ok && f < best {
			best = f
		}
	}
	// Obstacles are sorted by their smallest x; none wider than maxWidth.
	j := sortSearch(len(t.minX), func(j int) bool { return t.minX[j] >= x0-t.maxWidth })
	for ; j < len(t.minX) && t.minX[j] <= x1; j++ {
		if t.maxX[j] < x0 {
			continue
		}
		if f, ok := rayPolygon(p, d, t.Obstacles[j], best); ok && f < best {
			best = f
		}
	}
	return best
}

// raySegment intersects the ray p + f·d, f ∈ [0, 1], with the segment ab
// (two-sided, as Box2D's edge shapes).
func raySegment(p, d, a, b Point) (float64, bool) {
	ex, ey := b.X-a.X, b.Y-a.Y
	den := cross(d.X, d.Y, ex, ey)
	if den == 0 {
		return 0, false
	}
	wx, wy := a.X-p.X, a.Y-p.Y
	f := cross(wx, wy, ex, ey) / den
	s := cross(wx, wy, d.X, d.Y) / den
	if f < 0 || f > 1 || s < 0 || s > 1 {
		return 0, false
	}
	return f, true
}

// rayPolygon intersects the ray p + f·d, f ∈ [0, maxF], with the convex
// counter-clockwise polygon poly (Cyrus–Beck clipping, as Box2D's
// b2PolygonShape::RayCast: a ray that starts inside reports no hit).
func rayPolygon(p, d Point, poly []Point, maxF float64) (float64, bool) {
	lo, hi := 0.0, maxF
	entered := false
	for i := range poly {
		a, b := poly[i], poly[(i+1)%len(poly)]
		// Outward normal of the edge ab of a counter-clockwise polygon.
		nx, ny := b.Y-a.Y, a.X-b.X
		num := nx*(a.X-p.X) + ny*(a.Y-p.Y)
		den := nx*d.X + ny*d.Y
		if den == 0 {
			if num < 0 {
				return 0, false // parallel and outside this edge
			}
			continue
		}
		f := num / den
		if den < 0 {
			if f > lo {
				lo, entered = f, true
			}
		} else if f < hi {
			hi = f
		}
		if hi < lo {
			return 0, false
		}
	}
	if !entered || math.IsNaN(lo) {
		return 0, false
	}
	return lo, true
}
