package goalmaze

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"slices"

	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/teachbench/teachbench/internal/panelgrid"
)

// Colours of rendered mazes.
var (
	// FloorColor fills the open cells.
	FloorColor = color.RGBA{0xfb, 0xfb, 0xf8, 0xff}
	// VoidColor fills solid cells and the goal space outside the maze:
	// where goals are invalid.
	VoidColor = color.RGBA{0xc8, 0xc8, 0xc8, 0xff}
	// WallColor draws the walls.
	WallColor = color.RGBA{0x30, 0x30, 0x38, 0xff}
	// StartColor marks the start cell.
	StartColor = color.RGBA{0x2c, 0xa0, 0x2c, 0xff}
	// PointColor draws points that carry no value.
	PointColor = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	// NaNColor draws points whose value is NaN.
	NaNColor = color.RGBA{0x80, 0x80, 0x80, 0xff}
)

// RenderDPI is the resolution of the PNG files written here.
const RenderDPI = panelgrid.DPI

// Drawing sizes, in cells.
const (
	wallWidth     = 0.08
	defaultRadius = 0.06
	startSide     = 0.3
)

// Panel is one drawing: a layout, the goal space around it, and points on
// top (goal particles, test goals, reached positions).
type Panel struct {
	Layout *Layout
	// Margin is how far the drawing extends beyond the maze's bounding
	// box (the family's goal_margin, to show the whole goal space).
	Margin float64
	// Title is drawn above the panel (up to two lines); may be empty.
	Title string
	// Points are drawn as discs. Those outside the drawing are left out.
	Points [][2]float64
	// Values, nil or one per point, colour the points on a diverging scale
	// from red (0: a failed goal) through grey to blue (1: a mastered
	// goal), clipped to [0, 1]; NaN draws grey. Without values every point
	// is PointColor.
	Values []float64
	// Radius of the discs in cells; 0 means 0.06.
	Radius float64
}

// check reports what is wrong with the panel.
func (p Panel) check() error {
	switch {
	case p.Layout == nil:
		return errors.New("no layout")
	case !(p.Margin >= 0) || math.IsInf(p.Margin, 0):
		return fmt.Errorf("margin %v: want a finite number ≥ 0", p.Margin)
	case p.Values != nil && len(p.Values) != len(p.Points):
		return fmt.Errorf("%d values for %d points", len(p.Values), len(p.Points))
	case !(p.Radius >= 0) || math.IsInf(p.Radius, 0):
		return fmt.Errorf("radius %v: want a finite number ≥ 0", p.Radius)
	}
	return nil
}

// DrawPanel draws p (its title aside) into the largest area of c with square
// cells, centred: the goal space in VoidColor, the open cells in FloorColor,
// the walls, the start cell's mark, then the points.
func DrawPanel(c draw.Canvas, p Panel) {
	l := p.Layout
	lo, hi := l.Bounds()
	x0, y0 := lo[0]-p.Margin, lo[1]-p.Margin
	spanX, spanY := hi[0]-lo[0]+2*p.Margin, hi[1]-lo[1]+2*p.Margin
	w, h := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	unit := min(w/vg.Length(spanX), h/vg.Length(spanY))
	ox := c.Min.X + (w-unit*vg.Length(spanX))/2
	oy := c.Min.Y + (h-unit*vg.Length(spanY))/2
	at := func(x, y float64) vg.Point {
		return vg.Point{X: ox + unit*vg.Length(x-x0), Y: oy + unit*vg.Length(y-y0)}
	}
	addRect := func(path *vg.Path, xa, ya, xb, yb float64) {
		path.Move(at(xa, ya))
		path.Line(at(xb, ya))
		path.Line(at(xb, yb))
		path.Line(at(xa, yb))
		path.Close()
	}
	var void, floor, walls vg.Path
	addRect(&void, x0, y0, x0+spanX, y0+spanY)
	c.SetColor(VoidColor)
	c.Fill(void)
	for y := range l.h {
		for x := range l.w {
			if l.open[y*l.w+x] {
				addRect(&floor, float64(x)-0.5, float64(y)-0.5, float64(x)+0.5, float64(y)+0.5)
			}
		}
	}
	c.SetColor(FloorColor)
	c.Fill(floor)
	// Every wall goes into one path of rectangles that overlap at the
	// corners, filled once, so that no seam shows.
	const hw = wallWidth / 2
	for y := range l.h {
		for i := range l.w + 1 {
			if l.vwall[y*(l.w+1)+i] {
				xs := float64(i) - 0.5
				addRect(&walls, xs-hw, float64(y)-0.5-hw, xs+hw, float64(y)+0.5+hw)
			}
		}
	}
	for j := range l.h + 1 {
		for x := range l.w {
			if l.hwall[j*l.w+x] {
				ys := float64(j) - 0.5
				addRect(&walls, float64(x)-0.5-hw, ys-hw, float64(x)+0.5+hw, ys+hw)
			}
		}
	}
	c.SetColor(WallColor)
	c.Fill(walls)
	s := l.start.Center()
	var start vg.Path
	addRect(&start, s[0]-startSide/2, s[1]-startSide/2, s[0]+startSide/2, s[1]+startSide/2)
	c.SetLineStyle(draw.LineStyle{Color: StartColor, Width: unit * 0.05})
	c.Stroke(start)

	radius := p.Radius
	if radius == 0 {
		radius = defaultRadius
	}
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(0)
	cmap.SetMax(1)
	for i, q := range p.Points {
		if !(q[0] >= x0 && q[0] <= x0+spanX && q[1] >= y0 && q[1] <= y0+spanY) {
			continue
		}
		clr := color.Color(PointColor)
		if p.Values != nil {
			v := p.Values[i]
			if math.IsNaN(v) {
				clr = NaNColor
			} else {
				// Blue for 1, red for 0.
				clr, _ = cmap.At(1 - min(max(v, 0), 1))
			}
		}
		var disc vg.Path
		centre := at(q[0], q[1])
		r := unit * vg.Length(radius)
		disc.Move(vg.Point{X: centre.X + r, Y: centre.Y})
		disc.Arc(centre, r, 0, 2*math.Pi)
		disc.Close()
		c.SetColor(clr)
		c.Fill(disc)
	}
}

// panelLayout is the grid of WritePanelsPNG: squares of 2 inches, larger
// than the mazes' so that goal points stay legible.
var panelLayout = func() panelgrid.Layout {
	l := panelgrid.Default
	l.Side = 2.0 * vg.Inch
	return l
}()

// WritePanelsPNG writes a PNG of panels laid out in rows of cols, each a
// square under its title: for the maze figures (goal particles over time,
// coverage maps, the built-in layouts).
func WritePanelsPNG(w io.Writer, panels []Panel, cols int) error {
	titles := make([]string, len(panels))
	for i, p := range panels {
		if err := p.check(); err != nil {
			return fmt.Errorf("goalmaze: panel %d: %w", i, err)
		}
		titles[i] = p.Title
	}
	if !slices.ContainsFunc(titles, func(s string) bool { return s != "" }) {
		titles = nil
	}
	err := panelgrid.WritePNG(w, panelLayout, len(panels), cols, titles, func(i int, c draw.Canvas) {
		DrawPanel(c, panels[i])
	})
	if err != nil {
		return fmt.Errorf("goalmaze: %w", err)
	}
	return nil
}

// RenderPNG writes to the file at path a PNG of layout l and the goal space
// margin around it, with points on top coloured by values (nil, or one in
// [0, 1] per point: see Panel).
func RenderPNG(path string, l *Layout, margin float64, points [][2]float64, values []float64) error {
	var buf bytes.Buffer
	if err := WritePanelsPNG(&buf, []Panel{{Layout: l, Margin: margin, Points: points, Values: values}}, 1); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// WriteLayoutsPNG writes the figure of every built-in layout with its test
// goals for test_per_cell = k, inside the goal space of goal_margin margin,
// five to a row (docs/figures/goalmaze_layouts.png).
func WriteLayoutsPNG(w io.Writer, k int, margin float64) error {
	panels := make([]Panel, len(builtins))
	for i, l := range builtins {
		title := l.Name
		if l.Ref != "" {
			title += " (" + l.Ref + ")"
		}
		goals := l.TestGoals(k)
		panels[i] = Panel{
			Layout: l, Margin: margin, Points: goals,
			Title: fmt.Sprintf("%s\n%d test goals, T = %d", title, len(goals), l.Limit),
		}
	}
	return WritePanelsPNG(w, panels, 5)
}
