package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// panelFigure is a grid of panels, in rows of at most cols, with an optional
// title above and a legend shared by every panel below. The panels' data
// areas are aligned.
type panelFigure struct {
	title  string
	panels []*plot.Plot
	cols   int
	w, h   vg.Length // one panel
	legend []legendEntry
	th     theme
}

// legendEntry is one item of a shared legend: a line, a glyph, or both.
type legendEntry struct {
	label string
	// line is drawn if its width is positive, glyph if its shape is set.
	line  draw.LineStyle
	glyph draw.GlyphStyle
}

// grid returns the number of rows and columns of panels.
func (f *panelFigure) grid() (rows, cols int) {
	cols = max(1, min(f.cols, len(f.panels)))
	return ceilDiv(len(f.panels), cols), cols
}

// size returns the size of the whole figure.
func (f *panelFigure) size() (w, h vg.Length) {
	rows, cols := f.grid()
	pad := f.th.pad()
	w = vg.Length(cols)*f.w + 2*pad
	h = vg.Length(rows)*f.h + 2*pad + f.titleHeight() + f.legendHeight(w-2*pad)
	return w, h
}

func (f *panelFigure) titleHeight() vg.Length {
	if f.title == "" {
		return 0
	}
	return 2.5 * f.th.base
}

func (f *panelFigure) textStyle() text.Style {
	return text.Style{Color: color.Black, Font: f.th.legend(), Handler: plot.DefaultTextHandler}
}

// legendRows lays the legend out in rows that fit width, and returns the
// entries of each row.
func (f *panelFigure) legendRows(width vg.Length) [][]legendEntry {
	sty := f.textStyle()
	var rows [][]legendEntry
	var x vg.Length
	for _, e := range f.legend {
		w := f.entryWidth(e, sty)
		if len(rows) == 0 || x+w > width && x > 0 {
			rows = append(rows, nil)
			x = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], e)
		x += w
	}
	return rows
}

// entryWidth is the width of a legend entry with the space after it.
func (f *panelFigure) entryWidth(e legendEntry, sty text.Style) vg.Length {
	return f.thumbWidth() + f.th.base*0.5 + sty.Width(e.label) + f.th.base*1.5
}

func (f *panelFigure) thumbWidth() vg.Length { return 2.5 * f.th.base }

func (f *panelFigure) legendRowHeight() vg.Length { return 1.5 * f.th.base }

func (f *panelFigure) legendHeight(width vg.Length) vg.Length {
	n := len(f.legendRows(width))
	if n == 0 {
		return 0
	}
	return vg.Length(n)*f.legendRowHeight() + f.th.base*0.5
}

// draw paints the figure on c.
func (f *panelFigure) draw(c draw.Canvas) {
	pad := f.th.pad()
	c = draw.Crop(c, pad, -pad, pad, -pad)
	if f.title != "" {
		sty := text.Style{Color: color.Black, Font: f.th.title(), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
		c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - f.titleHeight()/2}, f.title)
	}
	lh := f.legendHeight(c.Max.X - c.Min.X)
	f.drawLegend(draw.Crop(c, 0, 0, 0, -(c.Max.Y - c.Min.Y - lh)))
	grid := draw.Crop(c, 0, 0, lh, -f.titleHeight())
	rows, cols := f.grid()
	plots := make([][]*plot.Plot, rows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, cols)
		for j := range cols {
			if k := i*cols + j; k < len(f.panels) {
				plots[i][j] = f.panels[k]
			}
		}
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: f.th.base, PadY: f.th.base}
	canvases := plot.Align(plots, tiles, grid)
	for i := range plots {
		for j, p := range plots[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
}

// drawLegend paints the legend in c, each row centred.
func (f *panelFigure) drawLegend(c draw.Canvas) {
	sty := f.textStyle()
	sty.YAlign = draw.YCenter
	rows := f.legendRows(c.Max.X - c.Min.X)
	y := c.Max.Y - f.th.base*0.5 - f.legendRowHeight()/2
	for _, row := range rows {
		var w vg.Length
		for _, e := range row {
			w += f.entryWidth(e, sty)
		}
		w -= f.th.base * 1.5
		x := (c.Min.X+c.Max.X)/2 - w/2
		for _, e := range row {
			tw := f.thumbWidth()
			if e.line.Width > 0 {
				c.StrokeLine2(e.line, x, y, x+tw, y)
			}
			if e.glyph.Shape != nil {
				c.DrawGlyphNoClip(e.glyph, vg.Point{X: x + tw/2, Y: y})
			}
			c.FillText(sty, vg.Point{X: x + tw + f.th.base*0.5, Y: y}, e.label)
			x += f.entryWidth(e, sty)
		}
		y -= f.legendRowHeight()
	}
}

// newPanel returns an empty panel with the theme's fonts, a title and axis
// labels.
func newPanel(th theme, title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = th.label()
	p.Title.Padding = th.base * 0.5
	for _, a := range []struct {
		axis  *plot.Axis
		label string
	}{{&p.X, xLabel}, {&p.Y, yLabel}} {
		a.axis.Label.Text = a.label
		a.axis.Label.TextStyle.Font = th.label()
		a.axis.Label.Padding = th.base * 0.25
		a.axis.Tick.Label.Font = th.tick()
		a.axis.Tick.Length = th.base * 0.4
		a.axis.LineStyle.Width = vg.Points(0.5)
		a.axis.Tick.LineStyle.Width = vg.Points(0.5)
		a.axis.Padding = 0
	}
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe0}
	g.Horizontal.Color = color.Gray{Y: 0xe0}
	g.Vertical.Width = vg.Points(0.4)
	g.Horizontal.Width = vg.Points(0.4)
	p.Add(g)
	return p
}
