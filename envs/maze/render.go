package maze

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/teachbench/teachbench/internal/panelgrid"
)

// Colours of rendered levels, close to MiniGrid's renderings on a light
// background.
var (
	FloorColor = color.RGBA{0xf4, 0xf4, 0xf4, 0xff}
	WallColor  = color.RGBA{0x40, 0x40, 0x48, 0xff}
	GoalColor  = color.RGBA{0x2c, 0xa0, 0x2c, 0xff}
	AgentColor = color.RGBA{0xd6, 0x27, 0x28, 0xff}
)

// RenderDPI is the resolution of the PNG files written here.
const RenderDPI = panelgrid.DPI

// DrawLevel draws l, border wall included, into the largest square-celled
// area centred in c: walls dark, the goal green, the agent a red triangle
// pointing where it faces.
func DrawLevel(c draw.Canvas, l *Level) {
	cols, rows := l.Width+2, l.Height+2
	w, h := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	cell := min(w/vg.Length(cols), h/vg.Length(rows))
	x0 := c.Min.X + (w-cell*vg.Length(cols))/2
	top := c.Max.Y - (h-cell*vg.Length(rows))/2
	// corner returns the bottom-left corner of the cell at interior
	// coordinates (x, y); the border is at −1 and Width or Height.
	corner := func(x, y int) vg.Point {
		return vg.Point{X: x0 + cell*vg.Length(x+1), Y: top - cell*vg.Length(y+2)}
	}
	// addRect adds the rectangle of wCells × hCells cells whose top-left
	// cell is (x, y) to path.
	addRect := func(path *vg.Path, x, y, wCells, hCells int) {
		p := corner(x, y+hCells-1)
		path.Move(p)
		path.Line(vg.Point{X: p.X + cell*vg.Length(wCells), Y: p.Y})
		path.Line(vg.Point{X: p.X + cell*vg.Length(wCells), Y: p.Y + cell*vg.Length(hCells)})
		path.Line(vg.Point{X: p.X, Y: p.Y + cell*vg.Length(hCells)})
		path.Close()
	}
	rect := func(clr color.Color, x, y, wCells, hCells int) {
		var path vg.Path
		addRect(&path, x, y, wCells, hCells)
		c.SetColor(clr)
		c.Fill(path)
	}
	rect(FloorColor, 0, 0, l.Width, l.Height)
	// Every wall goes into one path, filled once, so that anti-aliasing
	// leaves no seams between neighbouring walls.
	var walls vg.Path
	addRect(&walls, -1, -1, cols, 1)
	addRect(&walls, -1, l.Height, cols, 1)
	addRect(&walls, -1, 0, 1, l.Height)
	addRect(&walls, l.Width, 0, 1, l.Height)
	for y := range l.Height {
		// Runs of walls along a row make one rectangle each.
		for x := 0; x < l.Width; {
			if !l.Walls[y*l.Width+x] {
				x++
				continue
			}
			end := x
			for end < l.Width && l.Walls[y*l.Width+end] {
				end++
			}
			addRect(&walls, x, y, end-x, 1)
			x = end
		}
	}
	c.SetColor(WallColor)
	c.Fill(walls)
	rect(GoalColor, l.Goal.X, l.Goal.Y, 1, 1)
	// The agent: a triangle pointing right, rotated to its direction.
	p := corner(l.Agent.X, l.Agent.Y)
	cx, cy := p.X+cell/2, p.Y+cell/2
	tri := [3][2]float64{{0.36, 0}, {-0.3, 0.28}, {-0.3, -0.28}}
	pts := make([]vg.Point, 3)
	v := dirVec[l.Dir&3]
	for i, q := range tri {
		// Screen y grows upwards, level y downwards.
		dx := q[0]*float64(v.X) - q[1]*float64(-v.Y)
		dy := q[0]*float64(-v.Y) + q[1]*float64(v.X)
		pts[i] = vg.Point{X: cx + cell*vg.Length(dx), Y: cy + cell*vg.Length(dy)}
	}
	c.FillPolygon(AgentColor, pts)
}

// WriteGridPNG writes a PNG of levels laid out in rows of cols panels, each
// under its title (titles may be nil, or hold one title of up to two lines
// per level), for figures of held-out sets and of teachers' level buffers.
func WriteGridPNG(w io.Writer, levels []*Level, titles []string, cols int) error {
	for i, l := range levels {
		if err := l.Validate(); err != nil {
			return fmt.Errorf("maze: level %d: %w", i, err)
		}
	}
	err := panelgrid.WritePNG(w, panelgrid.Default, len(levels), cols, titles, func(i int, c draw.Canvas) {
		DrawLevel(c, levels[i])
	})
	if err != nil {
		return fmt.Errorf("maze: %w", err)
	}
	return nil
}

// WritePNG writes a PNG of one level.
func WritePNG(w io.Writer, l *Level) error { return WriteGridPNG(w, []*Level{l}, nil, 1) }

// WriteHeldOutPNG writes the figure of every held-out maze with its name,
// size and shortest path, six to a row (docs/figures/maze_heldout.png).
func WriteHeldOutPNG(w io.Writer) error {
	mazes, err := HeldOutMazes()
	if err != nil {
		return err
	}
	levels := make([]*Level, len(mazes))
	titles := make([]string, len(mazes))
	for i, m := range mazes {
		levels[i] = m.Level
		d, _ := m.Level.ShortestPath()
		titles[i] = fmt.Sprintf("%s\n%d×%d, path %d", m.Name, m.Level.Width+2, m.Level.Height+2, d)
	}
	return WriteGridPNG(w, levels, titles, 6)
}
