package walker

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Point is a point or vector in world coordinates (metres).
type Point struct{ X, Y float64 }

// Terrain is the static geometry of a track: a ground polyline and convex
// obstacles standing on it. Everything is in world coordinates (metres).
//
// A Terrain is immutable once made; an Env keeps a reference to the terrain
// of its current episode.
type Terrain struct {
	// Ground is the ground polyline, with strictly increasing x (runs of
	// collinear points are merged, which changes nothing physical but saves
	// collision shapes).
	Ground []Point
	// Obstacles are convex polygons in counter-clockwise order, sorted by
	// their smallest x.
	Obstacles [][]Point
	// Dropped counts the obstacles left out because they were degenerate
	// (fewer than three distinct vertices, or almost no area).
	Dropped int

	minX, maxX []float64 // x-extent of each obstacle
	maxWidth   float64   // widest obstacle, for the lidar's x-range search
}

// Track layout constants of the reference (gym bipedal_walker.py and
// teachDRL), in metres unless said otherwise.
const (
	// Scale converts the reference's pixel units to metres.
	Scale = 30.0
	// TerrainStep is the horizontal grid of the reference terrain.
	TerrainStep = 14 / Scale
	// TerrainLength is the track length in terrain steps.
	TerrainLength = 200
	// TerrainHeight is the nominal ground level.
	TerrainHeight = 400 / Scale / 4
	// TerrainGrass is the length, in terrain steps, of the run-out after
	// the finish line.
	TerrainGrass = 10
	// TerrainStartPad is the length, in terrain steps, of the flat start.
	TerrainStartPad = 20
	// FinishX is the hull x beyond which the episode ends as a success.
	FinishX = (TerrainLength - TerrainGrass) * TerrainStep
	// DefaultSpacing is teachDRL's obstacle spacing (metres of flat ground
	// between obstacles) when the task does not set it, as in Hexagon
	// Tracks.
	DefaultSpacing = 8.0
)

// minObstacleArea is the area (m²) below which an obstacle is degenerate and
// left out: less than a 1 cm × 1 cm square.
const minObstacleArea = 1e-4

// weldDistance merges polygon vertices closer than this, as Box2D does
// (0.5·b2_linearSlop).
const weldDistance = 0.0025

// newTerrain finishes a terrain from its ground points and raw obstacle
// polygons: merges collinear ground points, replaces each obstacle by its
// convex hull and drops the degenerate ones.
func newTerrain(ground []Point, obstacles [][]Point) *Terrain {
	t := &Terrain{Ground: mergeCollinear(ground)}
	for _, poly := range obstacles {
		hull := convexHull(poly)
		if len(hull) < 3 || polygonArea(hull) < minObstacleArea {
			t.Dropped++
			continue
		}
		t.Obstacles = append(t.Obstacles, hull)
	}
	slices.SortStableFunc(t.Obstacles, func(a, b []Point) int {
		return cmpFloat(minXOf(a), minXOf(b))
	})
	t.index()
	return t
}

// NewTerrain returns a terrain made of the given ground polyline (x must not
// decrease) and obstacles (any points: each is replaced by its convex hull,
// and degenerate ones are dropped and counted in Dropped). It is meant for
// custom scenes, experiments and tests; the family's tracks come from the
// generators.
func NewTerrain(ground []Point, obstacles [][]Point) (*Terrain, error) {
	if len(ground) < 2 {
		return nil, fmt.Errorf("walker: a terrain needs at least 2 ground points, got %d", len(ground))
	}
	for i, p := range ground {
		if !finite(p.X) || !finite(p.Y) {
			return nil, fmt.Errorf("walker: ground point %d = %v is not finite", i, p)
		}
		if i > 0 && p.X < ground[i-1].X {
			return nil, fmt.Errorf("walker: ground x decreases at point %d (%v after %v)", i, p.X, ground[i-1].X)
		}
	}
	for i, poly := range obstacles {
		for _, p := range poly {
			if !finite(p.X) || !finite(p.Y) {
				return nil, fmt.Errorf("walker: obstacle %d has a non-finite vertex %v", i, p)
			}
		}
	}
	return newTerrain(ground, obstacles), nil
}

func (t *Terrain) index() {
	t.minX = make([]float64, len(t.Obstacles))
	t.maxX = make([]float64, len(t.Obstacles))
	t.maxWidth = 0
	for i, poly := range t.Obstacles {
		t.minX[i], t.maxX[i] = minXOf(poly), maxXOf(poly)
		t.maxWidth = max(t.maxWidth, t.maxX[i]-t.minX[i])
	}
}

// GroundY returns the height of the ground polyline at x (clamped to the
// ends of the track).
func (t *Terrain) GroundY(x float64) float64 {
	g := t.Ground
	if x <= g[0].X {
		return g[0].Y
	}
	i := sortSearch(len(g), func(i int) bool { return g[i].X >= x })
	if i >= len(g) {
		return g[len(g)-1].Y
	}
	a, b := g[i-1], g[i]
	if b.X == a.X {
		return b.Y
	}
	return a.Y + (b.Y-a.Y)*(x-a.X)/(b.X-a.X)
}

// StumpTrack generates a Stump Tracks terrain as teachDRL does
// (bipedal_walker_continuous.py): after the flat start pad, stumps of one
// terrain step's width alternate with flat runs of spacing metres. Each
// stump's height is max(0.05, N(meanHeight, 0.1)) terrain steps; spacing is
// floored at 0.01 m. The first stump comes right after the pad, and
// generation stops at the track length. Every draw comes from rng.
func StumpTrack(meanHeight, spacing float64, rng *rand.Rand) *Terrain {
	spacing = max(0.01, spacing)
	var stumps [][]Point
	ground := trackSkeleton(spacing, rng, func(x, y float64, rng *rand.Rand) float64 {
		h := max(0.05, meanHeight+0.1*rng.NormFloat64()) * TerrainStep
		stumps = append(stumps, []Point{{x, y}, {x + TerrainStep, y}, {x + TerrainStep, y + h}, {x, y + h}})
		return TerrainStep
	})
	return newTerrain(ground, stumps)
}

// HexagonShapeDims is the number of parameters of a Hexagon Tracks obstacle.
const HexagonShapeDims = 12

// defaultHexagon is teachDRL's base hexagon, in terrain steps relative to
// the obstacle's position on the ground.
var defaultHexagon = [6]Point{{-0.5, 0}, {-0.5, 0.25}, {-0.25, 0.5}, {0.25, 0.5}, {0.5, 0.25}, {0.5, 0}}

// HexagonTrack generates a Hexagon Tracks terrain as teachDRL does: after the
// start pad, hexagons alternate with DefaultSpacing metres of flat ground.
// Vertex k of the base hexagon is moved by (shape[2k], shape[2k+1]) terrain
// steps plus N(0, 0.1) noise on each coordinate, except that the first and
// last vertices stay on the ground (their y offset is ignored); the track
// advances 1 m past each hexagon's position. shape must hold
// HexagonShapeDims values. Degenerate hexagons (the reference's Box2D would
// assert on them) are dropped and counted in Terrain.Dropped.
func HexagonTrack(shape []float64, rng *rand.Rand) *Terrain {
	if len(shape) != HexagonShapeDims {
		panic(fmt.Sprintf("walker: hexagon shape has %d values, want %d", len(shape), HexagonShapeDims))
	}
	var hexagons [][]Point
	ground := trackSkeleton(DefaultSpacing, rng, func(x, y float64, rng *rand.Rand) float64 {
		poly := make([]Point, len(defaultHexagon))
		for k, b := range defaultHexagon {
			dx := shape[2*k] + 0.1*rng.NormFloat64()
			dy := shape[2*k+1] + 0.1*rng.NormFloat64()
			if k == 0 || k == len(defaultHexagon)-1 {
				dy = 0
			}
			poly[k] = Point{x + (b.X+dx)*TerrainStep, y + (b.Y+dy)*TerrainStep}
		}
		hexagons = append(hexagons, poly)
		return 1
	})
	return newTerrain(ground, hexagons)
}

// FlatTrack returns a track of flat ground with no obstacles: the limit of
// the easy end of every family, for calibration and tests.
func FlatTrack() *Terrain {
	return newTerrain([]Point{{0, TerrainHeight}, {TerrainLength * TerrainStep, TerrainHeight}}, nil)
}

// trackSkeleton runs teachDRL's event-driven generator with no roughness:
// the start pad, then an obstacle (placed by obstacle at the current point,
// returning how far the track advances) and a flat run of spacing metres in
// turn, until the track length is reached. It returns the ground points.
func trackSkeleton(spacing float64, rng *rand.Rand, obstacle func(x, y float64, rng *rand.Rand) float64) []Point {
	const maxX = TerrainLength * TerrainStep
	y := TerrainHeight
	ground := []Point{{0, y}}
	x := TerrainStartPad * TerrainStep
	isObstacle := true
	for x < maxX {
		ground = append(ground, Point{x, y})
		if isObstacle {
			x += obstacle(x, y, rng)
		} else {
			x += spacing
		}
		isObstacle = !isObstacle
	}
	return ground
}

// mergeCollinear drops ground points that lie on the line through their
// neighbours (or repeat the previous point).
func mergeCollinear(pts []Point) []Point {
	out := make([]Point, 0, len(pts))
	for _, p := range pts {
		if n := len(out); n > 0 && out[n-1] == p {
			continue
		}
		for len(out) >= 2 {
			a, b := out[len(out)-2], out[len(out)-1]
			if cross(b.X-a.X, b.Y-a.Y, p.X-a.X, p.Y-a.Y) != 0 {
				break
			}
			out = out[:len(out)-1]
		}
		out = append(out, p)
	}
	return out
}

// convexHull returns the convex hull of pts in counter-clockwise order
// (Andrew's monotone chain), after welding points closer than weldDistance.
func convexHull(pts []Point) []Point {
	p := make([]Point, 0, len(pts))
	for _, q := range pts {
		dup := false
		for _, r := range p {
			if math.Hypot(q.X-r.X, q.Y-r.Y) < weldDistance {
				dup = true
				break
			}
		}
		if !dup {
			p = append(p, q)
		}
	}
	if len(p) < 3 {
		return p
	}
	slices.SortFunc(p, func(a, b Point) int {
		if c := cmpFloat(a.X, b.X); c != 0 {
			return c
		}
		return cmpFloat(a.Y, b.Y)
	})
	hull := make([]Point, 0, 2*len(p))
	for pass := 0; pass < 2; pass++ {
		start := len(hull)
		for i := range p {
			q := p[i]
			if pass == 1 {
				q = p[len(p)-1-i]
			}
			for len(hull) >= start+2 {
				a, b := hull[len(hull)-2], hull[len(hull)-1]
				if cross(b.X-a.X, b.Y-a.Y, q.X-a.X, q.Y-a.Y) > 0 {
					break
				}
				hull = hull[:len(hull)-1]
			}
			hull = append(hull, q)
		}
		hull = hull[:len(hull)-1] // the last point starts the other chain
	}
	return hull
}

func polygonArea(p []Point) float64 {
	a := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		a += p[i].X*p[j].Y - p[j].X*p[i].Y
	}
	return a / 2
}

func cross(ax, ay, bx, by float64) float64 { return ax*by - ay*bx }

func minXOf(p []Point) float64 {
	m := math.Inf(1)
	for _, q := range p {
		m = min(m, q.X)
	}
	return m
}

func maxXOf(p []Point) float64 {
	m := math.Inf(-1)
	for _, q := range p {
		m = max(m, q.X)
	}
	return m
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// sortSearch returns the smallest i in [0, n) with f(i) true, or n (as
// sort.Search).
func sortSearch(n int, f func(int) bool) int {
	i, j := 0, n
	for i < j {
		h := int(uint(i+j) >> 1)
		if !f(h) {
			i = h + 1
		} else {
			j = h
		}
	}
	return i
}
