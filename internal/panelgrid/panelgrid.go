// Package panelgrid lays out square panels in a grid, each under an optional
// title, and encodes the figure as PNG. It is the one mechanism behind the
// environment families' picture figures (held-out mazes, goal-maze layouts
// and particles, teachers' level buffers), which draw each panel themselves.
package panelgrid

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Layout sets the sizes of a grid figure.
type Layout struct {
	Side        vg.Length // side of a square panel
	Gap         vg.Length // space around panels
	TitleHeight vg.Length // room above a panel for its title (two lines of TitleSize)
	TitleSize   vg.Length // font size of titles
	DPI         int       // resolution of the PNG
}

// DPI is the resolution of the families' PNG figures.
const DPI = 150

// Default is the layout of the families' figures: panels of 1.7 inches with
// two-line 8-point titles at DPI.
var Default = Layout{Side: 1.7 * vg.Inch, Gap: 0.12 * vg.Inch, TitleHeight: 0.36 * vg.Inch, TitleSize: 8, DPI: DPI}

// WritePNG writes a PNG of n panels in rows of cols (fewer if n < cols) on
// a white background. titles is nil (no title row) or holds one title per
// panel; drawPanel draws panel i on its canvas.
func WritePNG(w io.Writer, l Layout, n, cols int, titles []string, drawPanel func(i int, c draw.Canvas)) error {
	switch {
	case n < 1:
		return errors.New("no panels to render")
	case titles != nil && len(titles) != n:
		return fmt.Errorf("%d titles for %d panels", len(titles), n)
	case cols < 1:
		return fmt.Errorf("%d columns: want at least 1", cols)
	}
	cols = min(cols, n)
	rows := (n + cols - 1) / cols
	th := vg.Length(0)
	if titles != nil {
		th = l.TitleHeight
	}
	width := vg.Length(cols)*(l.Side+l.Gap) + l.Gap
	height := vg.Length(rows)*(l.Side+th+l.Gap) + l.Gap
	img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(l.DPI))
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	style := draw.TextStyle{
		Color:   color.Black,
		Font:    font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, l.TitleSize),
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
	for i := range n {
		r, col := i/cols, i%cols
		x := l.Gap + vg.Length(col)*(l.Side+l.Gap)
		yTop := height - l.Gap - vg.Length(r)*(l.Side+th+l.Gap)
		if titles != nil && titles[i] != "" {
			dc.FillText(style, vg.Point{X: x + l.Side/2, Y: yTop - th/2}, titles[i])
		}
		drawPanel(i, draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: yTop - th - l.Side},
			Max: vg.Point{X: x + l.Side, Y: yTop - th},
		}})
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return fmt.Errorf("encoding PNG: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
