package walker

import (
	"errors"
	"fmt"
	"image/color"
	"io"

	"github.com/jakecoffman/cp/v2"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// Frame is a snapshot of the walker, for drawing: its parts as polygons in
// world coordinates and its lidar reading.
type Frame struct {
	// Step is the number of steps taken in the episode.
	Step int
	// Hull is the hull polygon; Legs holds the upper and lower leg of each
	// leg, in action order.
	Hull []Point
	Legs [][]Point
	// Origin is the hull's origin, where the lidar rays start; Lidar holds
	// their fractions.
	Origin Point
	Lidar  [LidarRays]float64
}

// Snapshot returns the current frame of the episode. It allocates; it is
// meant for figures, not for the stepping loop.
func (e *Env) Snapshot() Frame {
	f := Frame{Step: e.steps, Hull: bodyPolygon(e.hull), Origin: e.HullPosition()}
	for _, b := range e.parts {
		f.Legs = append(f.Legs, bodyPolygon(b))
	}
	e.terrain.Lidar(f.Origin, f.Lidar[:])
	return f
}

func bodyPolygon(b *cp.Body) []Point {
	var pts []Point
	b.EachShape(func(sh *cp.Shape) {
		poly := sh.Class.(*cp.PolyShape)
		for i := range poly.Count() {
			v := b.LocalToWorld(poly.Vert(i))
			pts = append(pts, Point{v.X, v.Y})
		}
	})
	return pts
}

// StripRow is one row of a strip: frames of an episode on its terrain.
type StripRow struct {
	Terrain *Terrain
	Frames  []Frame
	Label   string
}

// StripOptions sets the look of a strip.
type StripOptions struct {
	// Width and Height are the size of a frame's window, in metres; the
	// window follows the walker.
	Width, Height float64
	// PixelsPerMetre is the drawing scale.
	PixelsPerMetre float64
	// Lidar draws the lidar rays.
	Lidar bool
}

// DefaultStripOptions returns a 12 m × 6 m window at 20 pixels per metre,
// with the lidar drawn.
func DefaultStripOptions() StripOptions {
	return StripOptions{Width: 12, Height: 6, PixelsPerMetre: 20, Lidar: true}
}

// Colours of the drawing, after the reference renderer's.
var (
	skyColour      = color.RGBA{230, 230, 255, 255}
	groundColour   = color.RGBA{102, 153, 77, 255}
	obstacleColour = color.RGBA{153, 153, 153, 255}
	hullColour     = color.RGBA{127, 102, 229, 255}
	legColours     = [2]color.RGBA{{178, 102, 153, 255}, {127, 51, 102, 255}}
	lidarColour    = color.NRGBA{255, 0, 0, 110}
	outlineColour  = color.RGBA{40, 40, 60, 255}
	finishColour   = color.RGBA{230, 50, 0, 255}
)

// WriteStrip draws rows of frames side by side (one row per episode) and
// writes the picture to w as PNG.
func WriteStrip(w io.Writer, rows []StripRow, opt StripOptions) error {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r.Frames))
	}
	if cols == 0 {
		return errors.New("walker: nothing to draw")
	}
	if !(opt.Width > 0 && opt.Height > 0 && opt.PixelsPerMetre > 0) {
		return fmt.Errorf("walker: bad strip options %+v", opt)
	}
	const gap, labelH = 6.0, 18.0 // pixels
	fw, fh := opt.Width*opt.PixelsPerMetre, opt.Height*opt.PixelsPerMetre
	W := float64(cols)*(fw+gap) + gap
	H := float64(len(rows))*(fh+gap+labelH) + gap
	// vgimg works in points at 72 dpi: one point per pixel.
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(W), vg.Length(H)), vgimg.UseDPI(72), vgimg.UseBackgroundColor(color.White))
	face := font.DefaultCache.Lookup(plot.DefaultFont, 12)
	for i, r := range rows {
		top := H - gap - float64(i)*(fh+gap+labelH)
		c.SetColor(color.Black)
		c.FillString(face, vg.Point{X: vg.Length(gap), Y: vg.Length(top - labelH + 5)}, r.Label)
		for j, f := range r.Frames {
			x0, y0 := gap+float64(j)*(fw+gap), top-labelH-fh
			drawFrame(c, face, r.Terrain, f, opt, x0, y0)
		}
	}
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

// drawFrame draws frame f in the window whose lower-left corner is at pixel
// (x0, y0).
func drawFrame(c *vgimg.Canvas, face font.Face, tr *Terrain, f Frame, opt StripOptions, x0, y0 float64) {
	s := opt.PixelsPerMetre
	// The window keeps the walker at a third of its width, the ground at a
	// sixth of its height.
	left := f.Origin.X - opt.Width/3
	bottom := tr.GroundY(f.Origin.X) - opt.Height/6
	pt := func(p Point) vg.Point {
		return vg.Point{X: vg.Length(x0 + (p.X-left)*s), Y: vg.Length(y0 + (p.Y-bottom)*s)}
	}
	fill := func(poly []Point, col color.Color, outline bool) {
		var path vg.Path
		for k, p := range poly {
			if k == 0 {
				path.Move(pt(p))
			} else {
				path.Line(pt(p))
			}
		}
		path.Close()
		c.SetColor(col)
		c.Fill(path)
		if outline {
			c.SetColor(outlineColour)
			c.SetLineWidth(1)
			c.Stroke(path)
		}
	}
	right, top := left+opt.Width, bottom+opt.Height
	c.Push()
	var clip vg.Path
	clip.Move(pt(Point{left, bottom}))
	clip.Line(pt(Point{right, bottom}))
	clip.Line(pt(Point{right, top}))
	clip.Line(pt(Point{left, top}))
	clip.Close()
	c.SetColor(skyColour)
	c.Fill(clip)

	// The ground as a filled polygon down to the window's bottom (the track
	// ends at its last point, as in the reference).
	g := tr.Ground
	ground := []Point{{g[0].X, bottom - 1}}
	ground = append(ground, g...)
	ground = append(ground, Point{g[len(g)-1].X, bottom - 1})
	fill(clipPolygonY(clipPolygonX(ground, left, right), bottom, top), groundColour, false)
	for k, o := range tr.Obstacles {
		if tr.maxX[k] < left || tr.minX[k] > right {
			continue
		}
		fill(clipPolygonX(o, left, right), obstacleColour, true)
	}
	if FinishX > left && FinishX < right {
		y := tr.GroundY(FinishX)
		var flag vg.Path
		flag.Move(pt(Point{FinishX, y}))
		flag.Line(pt(Point{FinishX, y + 1.6}))
		c.SetColor(color.Black)
		c.SetLineWidth(1.5)
		c.Stroke(flag)
		fill([]Point{{FinishX, y + 1.6}, {FinishX, y + 1.25}, {FinishX + 0.8, y + 1.42}}, finishColour, true)
	}
	if opt.Lidar {
		c.SetColor(lidarColour)
		c.SetLineWidth(0.75)
		for i, fr := range f.Lidar {
			d := lidarRays[i]
			// Stop the ray at the window's edges.
			if d.Y < 0 {
				fr = min(fr, (f.Origin.Y-bottom)/-d.Y)
			}
			if d.X > 0 {
				fr = min(fr, (right-f.Origin.X)/d.X)
			}
			var ray vg.Path
			ray.Move(pt(f.Origin))
			ray.Line(pt(Point{f.Origin.X + fr*d.X, f.Origin.Y + fr*d.Y}))
			c.Stroke(ray)
		}
	}
	// Far legs first, as the reference draws them.
	for k := len(f.Legs) - 1; k >= 0; k-- {
		side := k / 2 % 2
		fill(f.Legs[k], legColours[side], true)
	}
	fill(f.Hull, hullColour, true)
	c.SetColor(color.Black)
	c.FillString(face, vg.Point{X: vg.Length(x0 + 4), Y: vg.Length(y0 + 4)}, fmt.Sprintf("step %d  x = %.1f m", f.Step, f.Origin.X))
	c.Pop()
}

// clipPolygonX clips a polygon to lo ≤ x ≤ hi.
func clipPolygonX(poly []Point, lo, hi float64) []Point {
	return clipHalf(clipHalf(poly, func(p Point) float64 { return p.X - lo }), func(p Point) float64 { return hi - p.X })
}

// clipPolygonY clips a polygon to lo ≤ y ≤ hi.
func clipPolygonY(poly []Point, lo, hi float64) []Point {
	return clipHalf(clipHalf(poly, func(p Point) float64 { return p.Y - lo }), func(p Point) float64 { return hi - p.Y })
}

// clipHalf keeps the part of poly where inside(p) ≥ 0 (Sutherland–Hodgman
// against one edge).
func clipHalf(poly []Point, inside func(Point) float64) []Point {
	var out []Point
	for i := range poly {
		a, b := poly[i], poly[(i+1)%len(poly)]
		da, db := inside(a), inside(b)
		if da >= 0 {
			out = append(out, a)
		}
		if (da >= 0) != (db >= 0) {
			t := da / (da - db)
			out = append(out, Point{a.X + t*(b.X-a.X), a.Y + t*(b.Y-a.Y)})
		}
	}
	return out
}
