package plots

import (
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"math"
	"path/filepath"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/teachbench/teachbench/runner/store"
)

// Margins of the sampling figure around its grid of panels.
const (
	rowTitleWidth = 0.35 * vg.Inch
	figTitleSpace = 0.4 * vg.Inch
	colTitleSpace = 0.25 * vg.Inch
	figPad        = 6 // points
)

// densityPalette maps zero density to white and high density to dark blue,
// with luminance linear in density.
var densityPalette = mustDensityPalette(256)

func mustDensityPalette(n int) palette.Palette {
	cm, err := moreland.NewLuminance([]color.Color{
		color.NRGBA{R: 0x08, G: 0x1d, B: 0x58, A: 0xff},
		color.NRGBA{R: 0x22, G: 0x5e, B: 0xa8, A: 0xff},
		color.NRGBA{R: 0x41, G: 0xb6, B: 0xc4, A: 0xff},
		color.NRGBA{R: 0xc7, G: 0xe9, B: 0xb4, A: 0xff},
		color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff},
	})
	if err != nil {
		panic(err)
	}
	return palette.Reverse(cm).Palette(n)
}

// samplingFigure is the grid of sampling heat maps of one environment: one
// row per group, one column per window of episodes.
type samplingFigure struct {
	title     string
	dims      [2]store.Dim
	rowTitles []string
	colTitles []string
	grids     [][]*histGrid // [row][column]
	panelW    vg.Length
	panelH    vg.Length
	rowColors []color.Color
}

// newSampling builds the sampling figure of env from the samples.csv files of
// its runs. It returns nil if the environment's task space is not a 2-D box or
// no run recorded samples; problems lists sample files that could not be read.
func newSampling(env *envData, sw *sweepData, opt Options) (fig *samplingFigure, problems []error) {
	if len(env.groups) == 0 {
		return nil, nil
	}
	sp := env.groups[0].runs[0].run.Space
	if sp.Kind != "box" || len(sp.Dims) != 2 {
		return nil, nil
	}
	dims := [2]store.Dim{sp.Dims[0], sp.Dims[1]}
	for _, d := range dims {
		if !(finite(d.Lo) && finite(d.Hi) && d.Lo < d.Hi) {
			return nil, []error{fmt.Errorf("env %s: dimension %q has bounds [%v, %v]", env.label, d.Name, d.Lo, d.Hi)}
		}
	}

	var (
		groups  []*group
		samples [][]store.SampleRow
		span    int64 // episodes covered by the windows
	)
	for _, g := range env.groups {
		var pooled []store.SampleRow
		for _, r := range g.runs {
			rows, err := readSamples(r, sp)
			if err != nil {
				problems = append(problems, err)
				continue
			}
			// A run's length in episodes, when recorded, sets round
			// window edges even if the trace kept only some episodes.
			span = max(span, r.run.Episodes)
			for _, s := range rows {
				span = max(span, s.Episode+1)
			}
			pooled = append(pooled, rows...)
		}
		if len(pooled) > 0 {
			groups = append(groups, g)
			samples = append(samples, pooled)
		}
	}
	if len(groups) == 0 {
		return nil, problems
	}

	w, h := opt.panelSize()
	fig = &samplingFigure{
		title:  env.label + ": tasks sampled (density normalised per panel)",
		dims:   dims,
		panelW: w, panelH: h,
	}
	edges := windowEdges(span, opt.Windows)
	for k := range opt.Windows {
		fig.colTitles = append(fig.colTitles, fmt.Sprintf("episodes %d–%d", edges[k], edges[k+1]))
	}
	for i, g := range groups {
		row := make([]*histGrid, opt.Windows)
		for k := range row {
			row[k] = newHistGrid(dims, opt.Bins)
		}
		for _, s := range samples[i] {
			row[windowOf(s.Episode, edges)].add(s.Params[0], s.Params[1])
		}
		for _, hg := range row {
			hg.normalize()
		}
		fig.grids = append(fig.grids, row)
		fig.rowTitles = append(fig.rowTitles, g.label)
		fig.rowColors = append(fig.rowColors, sw.colors[g.teacher])
	}
	return fig, problems
}

// readSamples reads the samples.csv of a run, if it has one, checking that
// its task space matches the figure's.
func readSamples(r *runData, sp store.Space) ([]store.SampleRow, error) {
	if r.run.Space.Kind != sp.Kind || len(r.run.Space.Dims) != len(sp.Dims) {
		return nil, fmt.Errorf("run %s: task space differs from its environment's", filepath.Base(r.dir))
	}
	rows, err := store.ReadSamples(filepath.Join(r.dir, store.SamplesFile), r.run.Space)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", filepath.Base(r.dir), err)
	}
	return rows, nil
}

// windowEdges returns the n+1 edges of n windows of nearly equal length, to
// the nearest episode, covering episodes [0, span].
func windowEdges(span int64, n int) []int64 {
	e := make([]int64, n+1)
	for k := range e {
		e[k] = int64(math.Round(float64(span) * float64(k) / float64(n)))
	}
	return e
}

// windowOf returns the index of the window with the given edges that holds
// episode ep: window k holds [edges[k], edges[k+1]), and the last window also
// its upper edge. Episodes outside the edges go to the nearest window.
func windowOf(ep int64, edges []int64) int {
	n := len(edges) - 1
	return sort.Search(n-1, func(k int) bool { return edges[k+1] > ep })
}

// histGrid is a 2-D histogram over a box, normalised to a density. It
// implements plotter.GridXYZ with cell centres as coordinates.
type histGrid struct {
	x0, dx, y0, dy float64
	// z holds the counts, then the densities, with one row per y bin and
	// one column per x bin.
	z *mat.Dense
	n int
}

func newHistGrid(dims [2]store.Dim, bins int) *histGrid {
	return &histGrid{
		x0: dims[0].Lo, dx: (dims[0].Hi - dims[0].Lo) / float64(bins),
		y0: dims[1].Lo, dy: (dims[1].Hi - dims[1].Lo) / float64(bins),
		z: mat.NewDense(bins, bins, nil),
	}
}

// add counts the point (x, y) if it lies in the box; points outside it, or
// with NaN coordinates, are ignored.
func (g *histGrid) add(x, y float64) {
	r, c := g.z.Dims()
	i, okx := bin(x, g.x0, g.dx, c)
	j, oky := bin(y, g.y0, g.dy, r)
	if !okx || !oky {
		return
	}
	g.z.Set(j, i, g.z.At(j, i)+1)
	g.n++
}

// bin returns the index of the bin of v among n bins of width w from lo; the
// upper bound belongs to the last bin.
func bin(v, lo, w float64, n int) (int, bool) {
	f := (v - lo) / w
	if !(f >= 0 && f <= float64(n)) {
		return 0, false
	}
	return min(int(f), n-1), true
}

// normalize turns counts into a probability density over the box.
func (g *histGrid) normalize() {
	if g.n > 0 {
		g.z.Scale(1/(float64(g.n)*g.dx*g.dy), g.z)
	}
}

// Dims implements plotter.GridXYZ.
func (g *histGrid) Dims() (c, r int) { r, c = g.z.Dims(); return c, r }

// Z implements plotter.GridXYZ.
func (g *histGrid) Z(c, r int) float64 { return g.z.At(r, c) }

// X implements plotter.GridXYZ.
func (g *histGrid) X(c int) float64 { return g.x0 + (float64(c)+0.5)*g.dx }

// Y implements plotter.GridXYZ.
func (g *histGrid) Y(r int) float64 { return g.y0 + (float64(r)+0.5)*g.dy }

// Min returns zero, the bottom of the heat map's colour scale.
func (g *histGrid) Min() float64 { return 0 }

// Max returns the largest density, the top of the heat map's colour scale,
// or 1 for an empty histogram.
func (g *histGrid) Max() float64 {
	if m := mat.Max(g.z); m > 0 {
		return m
	}
	return 1
}

// size returns the size of the whole figure.
func (f *samplingFigure) size() (w, h vg.Length) {
	cols, rows := len(f.colTitles), len(f.rowTitles)
	w = rowTitleWidth + vg.Length(cols)*f.panelW + vg.Points(figPad)
	h = figTitleSpace + colTitleSpace + vg.Length(rows)*f.panelH + vg.Points(figPad)
	return w, h
}

// draw paints the figure on c: the figure title, the grid of panels with a
// title over each column, and a title left of each row.
func (f *samplingFigure) draw(c draw.Canvas) {
	rows, cols := len(f.grids), len(f.colTitles)
	plots := make([][]*plot.Plot, rows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, cols)
		for k := range plots[i] {
			plots[i][k] = f.panel(i, k)
		}
	}
	grid := draw.Crop(c, rowTitleWidth, -vg.Points(figPad), vg.Points(figPad), -(figTitleSpace + colTitleSpace))
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(8), PadY: vg.Points(8)}
	canvases := plot.Align(plots, tiles, grid)
	data := make([][]draw.Canvas, rows)
	for i := range plots {
		data[i] = make([]draw.Canvas, cols)
		for k, p := range plots[i] {
			p.Draw(canvases[i][k])
			data[i][k] = p.DataCanvas(canvases[i][k])
		}
	}

	sty := text.Style{
		Color: color.Black, Font: font.From(sansSerif, titleSize),
		XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler,
	}
	c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - figTitleSpace/2}, f.title)

	sty.Font = font.From(sansSerif, labelSize)
	sty.YAlign = draw.YBottom
	for k, t := range f.colTitles {
		dc := data[0][k]
		c.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y + vg.Points(5)}, t)
	}

	sty.YAlign = draw.YCenter
	sty.Rotation = math.Pi / 2
	for i, t := range f.rowTitles {
		dc := data[i][0]
		c.FillText(sty, vg.Point{X: c.Min.X + rowTitleWidth/2, Y: (dc.Min.Y + dc.Max.Y) / 2}, t)
		// A bar in the teacher's colour ties the row to the curves.
		bar := vg.Points(3)
		x := c.Min.X + rowTitleWidth - 2*bar
		c.SetColor(f.rowColors[i])
		c.Fill(vg.Rectangle{Min: vg.Point{X: x, Y: dc.Min.Y}, Max: vg.Point{X: x + bar, Y: dc.Max.Y}}.Path())
	}
}

// panel returns the heat map of row i, window k.
func (f *samplingFigure) panel(i, k int) *plot.Plot {
	g := f.grids[i][k]
	p := plot.New()
	hm := plotter.NewHeatMap(g, densityPalette)
	p.Add(hm)
	p.X.Min, p.X.Max = f.dims[0].Lo, f.dims[0].Hi
	p.Y.Min, p.Y.Max = f.dims[1].Lo, f.dims[1].Hi
	p.X.Padding, p.Y.Padding = 0, 0
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label.Font = font.From(sansSerif, tickSize)
		a.Label.TextStyle.Font = font.From(sansSerif, labelSize)
	}
	if i == len(f.grids)-1 {
		p.X.Label.Text = f.dims[0].Name
	} else {
		p.X.Tick.Marker = unlabelled{}
	}
	if k == 0 {
		p.Y.Label.Text = f.dims[1].Name
	} else {
		p.Y.Tick.Marker = unlabelled{}
	}
	if g.n == 0 {
		p.Add(emptyNote{})
	}
	return p
}

// unlabelled places ticks like plot.DefaultTicks without labels, for the
// inner panels of a grid whose outer panels carry the labels.
type unlabelled struct{}

// Ticks implements plot.Ticker.
func (unlabelled) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		ticks[i].Label = ""
	}
	return ticks
}

// emptyNote is a plotter that writes "no samples" in the middle of a panel.
type emptyNote struct{}

// Plot implements plot.Plotter.
func (emptyNote) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := text.Style{
		Color: color.Gray{Y: 0x80}, Font: font.From(sansSerif, tickSize),
		XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler,
	}
	c.FillText(sty, c.Center(), "no samples")
}
