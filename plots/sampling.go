package plots

import (
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"math"
	"path/filepath"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/teachbench/teachbench/runner/store"
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

// A sampling figure shows where the teachers of an environment sampled tasks
// over training time.
type samplingFigure interface {
	size() (w, h vg.Length)
	draw(c draw.Canvas)
	caption() string
}

// traced is the pooled sample trace of one group.
type traced struct {
	group   *Group
	samples []store.SampleRow
}

// newSampling builds the sampling figure of env from the samples.csv files of
// its finished runs: a frame strip of 2-D heat maps for a box space of two
// dimensions or more (the first two), or one time × task heat map per group
// for a discrete space or a one-dimensional box. It returns nil for other
// spaces or if no run recorded samples; problems lists sample files that
// could not be read.
func newSampling(env *Env, st *styles, opt Options) (fig samplingFigure, problems []error) {
	sp := env.Space
	switch {
	case sp.Kind == "box" && len(sp.Dims) >= 1:
		for _, d := range sp.Dims[:min(2, len(sp.Dims))] {
			if !(finite(d.Lo) && finite(d.Hi) && d.Lo < d.Hi) {
				return nil, []error{fmt.Errorf("env %s: dimension %q has bounds [%v, %v]", env.Label, d.Name, d.Lo, d.Hi)}
			}
		}
	case sp.Kind == "discrete" && len(sp.Tasks) > 0:
	default:
		return nil, nil
	}
	var (
		traces []traced
		span   int64 // episodes covered by the windows
	)
	for _, g := range env.Groups {
		var pooled []store.SampleRow
		for _, r := range g.Done() {
			rows, err := readSamples(r, sp)
			if err != nil {
				problems = append(problems, err)
				continue
			}
			// A run's length in episodes, when recorded, sets round
			// window edges even if the trace kept only some episodes.
			span = max(span, r.Meta.Episodes)
			for _, s := range rows {
				span = max(span, s.Episode+1)
			}
			pooled = append(pooled, rows...)
		}
		if len(pooled) > 0 {
			traces = append(traces, traced{g, pooled})
		}
	}
	if len(traces) == 0 {
		return nil, problems
	}
	if sp.Kind == "box" && len(sp.Dims) >= 2 {
		return newFrameStrip(env, sp, traces, span, st, opt), problems
	}
	return newTimeMaps(env, sp, traces, span, st, opt), problems
}

// readSamples reads the samples.csv of a run, if it has one, checking that
// its task space matches the figure's.
func readSamples(r *Run, sp store.Space) ([]store.SampleRow, error) {
	if r.Meta == nil || r.Dir == "" {
		return nil, nil
	}
	rs := r.Meta.Space
	if rs.Kind != sp.Kind || len(rs.Dims) != len(sp.Dims) || len(rs.Tasks) != len(sp.Tasks) {
		return nil, fmt.Errorf("run %s: task space differs from its environment's", r.ID)
	}
	rows, err := store.ReadSamples(filepath.Join(r.Dir, store.SamplesFile), rs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", r.ID, err)
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

// frameStrip is the grid of 2-D sampling heat maps of one environment: one
// row per group, one column (frame) per window of episodes.
type frameStrip struct {
	title     string
	dims      [2]store.Dim
	more      int // dimensions not shown
	rowTitles []string
	rowColors []color.Color
	colTitles []string
	grids     [][]*histGrid // [row][column]
	frame     vg.Length
	th        theme
}

// Margins of a frame strip around its grid of frames, in units of the base
// font size.
const (
	rowTitleEms = 2.6
	figTitleEms = 2.2
	colTitleEms = 1.5
)

func newFrameStrip(env *Env, sp store.Space, traces []traced, span int64, st *styles, opt Options) *frameStrip {
	f := &frameStrip{
		title: env.Label + ": tasks sampled (density normalised per frame)",
		dims:  [2]store.Dim{sp.Dims[0], sp.Dims[1]},
		more:  len(sp.Dims) - 2,
		frame: opt.FrameSize,
		th:    st.theme,
	}
	if f.more > 0 {
		f.title = fmt.Sprintf("%s: tasks sampled, first 2 of %d dimensions (density normalised per frame)", env.Label, len(sp.Dims))
	}
	edges := windowEdges(span, opt.Windows)
	for k := range opt.Windows {
		f.colTitles = append(f.colTitles, fmt.Sprintf("episodes %s–%s", compact(float64(edges[k])), compact(float64(edges[k+1]))))
	}
	for _, tr := range traces {
		row := make([]*histGrid, opt.Windows)
		for k := range row {
			row[k] = newHistGrid(f.dims, opt.Bins)
		}
		for _, s := range tr.samples {
			if len(s.Params) >= 2 {
				row[windowOf(s.Episode, edges)].add(s.Params[0], s.Params[1])
			}
		}
		for _, hg := range row {
			hg.normalize()
		}
		f.grids = append(f.grids, row)
		f.rowTitles = append(f.rowTitles, tr.group.Label)
		f.rowColors = append(f.rowColors, st.color(tr.group.Teacher))
	}
	return f
}

func (f *frameStrip) caption() string {
	return fmt.Sprintf("Where each teacher sampled tasks (%s × %s) in %d successive windows of training, all seeds pooled; "+
		"each frame is a histogram normalised to a density, darker is denser.", f.dims[0].Name, f.dims[1].Name, len(f.colTitles))
}

// size returns the size of the whole figure.
func (f *frameStrip) size() (w, h vg.Length) {
	cols, rows := len(f.colTitles), len(f.rowTitles)
	b := f.th.base
	w = rowTitleEms*b + vg.Length(cols)*f.frame + f.th.pad()
	h = (figTitleEms+colTitleEms)*b + vg.Length(rows)*f.frame + f.th.pad()
	return w, h
}

// draw paints the figure on c: the figure title, the grid of frames with a
// title over each column, and a title left of each row.
func (f *frameStrip) draw(c draw.Canvas) {
	b := f.th.base
	rows, cols := len(f.grids), len(f.colTitles)
	plots := make([][]*plot.Plot, rows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, cols)
		for k := range plots[i] {
			plots[i][k] = f.panel(i, k)
		}
	}
	grid := draw.Crop(c, rowTitleEms*b, -f.th.pad(), f.th.pad(), -(figTitleEms+colTitleEms)*b)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: b * 0.6, PadY: b * 0.6}
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
		Color: color.Black, Font: f.th.title(),
		XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler,
	}
	c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - figTitleEms*b/2}, f.title)

	sty.Font = f.th.label()
	sty.YAlign = draw.YBottom
	for k, t := range f.colTitles {
		dc := data[0][k]
		c.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Max.Y + b*0.4}, t)
	}

	sty.YAlign = draw.YCenter
	sty.Rotation = math.Pi / 2
	for i, t := range f.rowTitles {
		dc := data[i][0]
		c.FillText(sty, vg.Point{X: c.Min.X + b*0.8, Y: (dc.Min.Y + dc.Max.Y) / 2}, t)
		// A bar in the teacher's colour ties the row to the curves.
		bar := b * 0.35
		x := c.Min.X + b*1.6
		c.SetColor(f.rowColors[i])
		c.Fill(vg.Rectangle{Min: vg.Point{X: x, Y: dc.Min.Y}, Max: vg.Point{X: x + bar, Y: dc.Max.Y}}.Path())
	}
}

// panel returns the heat map of row i, window k.
func (f *frameStrip) panel(i, k int) *plot.Plot {
	g := f.grids[i][k]
	xl, yl := "", ""
	if i == len(f.grids)-1 {
		xl = f.dims[0].Name
	}
	if k == 0 {
		yl = f.dims[1].Name
	}
	p := newPanel(f.th, "", xl, yl)
	p.Add(plotter.NewHeatMap(g, densityPalette))
	p.X.Min, p.X.Max = f.dims[0].Lo, f.dims[0].Hi
	p.Y.Min, p.Y.Max = f.dims[1].Lo, f.dims[1].Hi
	if i != len(f.grids)-1 {
		p.X.Tick.Marker = unlabelled{}
	}
	if k != 0 {
		p.Y.Tick.Marker = unlabelled{}
	}
	if g.n == 0 {
		p.Add(emptyNote{th: f.th})
	}
	return p
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

// timeMaps shows, for a discrete space or a one-dimensional box, one heat map
// per group of the share of each task (or bin of the dimension) among the
// tasks sampled in each window of training time.
type timeMaps struct {
	fig      *panelFigure
	grids    []*timeGrid // one per panel
	windows  int
	discrete bool
	what     string
}

// timeGrid is a tasks × time histogram whose columns are normalised to
// shares. It implements plotter.GridXYZ.
type timeGrid struct {
	t0, dt float64 // time: x
	y0, dy float64 // task index or value: y
	z      *mat.Dense
}

// Dims implements plotter.GridXYZ.
func (g *timeGrid) Dims() (c, r int) { r, c = g.z.Dims(); return c, r }

// Z implements plotter.GridXYZ.
func (g *timeGrid) Z(c, r int) float64 { return g.z.At(r, c) }

// X implements plotter.GridXYZ.
func (g *timeGrid) X(c int) float64 { return g.t0 + (float64(c)+0.5)*g.dt }

// Y implements plotter.GridXYZ.
func (g *timeGrid) Y(r int) float64 { return g.y0 + (float64(r)+0.5)*g.dy }

// timeWindowsPerFrame is how many columns of a time heat map each window of
// a frame strip spans: time heat maps resolve training time more finely,
// since one panel shows it all.
const timeWindowsPerFrame = 4

func newTimeMaps(env *Env, sp store.Space, traces []traced, span int64, st *styles, opt Options) *timeMaps {
	windows := opt.Windows * timeWindowsPerFrame
	edges := windowEdges(span, windows)
	tm := &timeMaps{windows: windows, discrete: sp.Kind == "discrete"}
	var rows int
	var y0, dy float64
	yLabel := "task"
	if tm.discrete {
		rows, y0, dy = len(sp.Tasks), -0.5, 1
		tm.what = "task"
	} else {
		d := sp.Dims[0]
		rows, y0, dy = opt.Bins, d.Lo, (d.Hi-d.Lo)/float64(opt.Bins)
		yLabel, tm.what = d.Name, d.Name
	}
	f := &panelFigure{
		title: env.Label + ": share of the tasks sampled in each window",
		cols:  opt.Columns, w: opt.Width, h: opt.Height, th: st.theme,
	}
	if tm.discrete && len(sp.Tasks) > 12 {
		f.h = max(f.h, vg.Length(len(sp.Tasks))*st.theme.base*0.9)
	}
	for _, tr := range traces {
		g := &timeGrid{t0: 0, dt: float64(span) / float64(windows), y0: y0, dy: dy, z: mat.NewDense(rows, windows, nil)}
		if g.dt <= 0 {
			g.dt = 1
		}
		for _, s := range tr.samples {
			col := windowOf(s.Episode, edges)
			row, ok := -1, false
			if tm.discrete {
				row, ok = s.Index, s.Index >= 0 && s.Index < rows
			} else if len(s.Params) > 0 {
				row, ok = bin(s.Params[0], y0, dy, rows)
			}
			if ok {
				g.z.Set(row, col, g.z.At(row, col)+1)
			}
		}
		for c := range windows {
			col := g.z.ColView(c)
			if sum := mat.Sum(col); sum > 0 {
				for r := range rows {
					g.z.Set(r, c, g.z.At(r, c)/sum)
				}
			}
		}
		tm.grids = append(tm.grids, g)
		p := newPanel(st.theme, tr.group.Label, "episodes", yLabel)
		p.Title.TextStyle.Color = st.color(tr.group.Teacher)
		hm := plotter.NewHeatMap(g, densityPalette)
		hm.Min, hm.Max = 0, 1 // shares: one scale for every panel
		p.Add(hm)
		p.X.Min, p.X.Max = 0, float64(span)
		p.Y.Min, p.Y.Max = y0, y0+float64(rows)*dy
		p.X.Tick.Marker = compactTicks{}
		if tm.discrete {
			p.Y.Tick.Marker = taskTicks(sp.Tasks)
		}
		f.panels = append(f.panels, p)
	}
	tm.fig = f
	return tm
}

func (tm *timeMaps) size() (w, h vg.Length) { return tm.fig.size() }
func (tm *timeMaps) draw(c draw.Canvas)     { tm.fig.draw(c) }

func (tm *timeMaps) caption() string {
	return fmt.Sprintf("Share of each %s among the tasks each teacher sampled in %d successive windows of training "+
		"(each column sums to 1, darker is more), all seeds pooled.", tm.what, tm.windows)
}

// taskTicks labels the rows of a discrete heat map with task names, or with
// indices when there are too many names to read.
type taskTicks []string

// Ticks implements plot.Ticker.
func (t taskTicks) Ticks(_, _ float64) []plot.Tick {
	step := max(1, ceilDiv(len(t), 12))
	var ticks []plot.Tick
	for i := 0; i < len(t); i += step {
		label := t[i]
		if step > 1 || len(label) > 14 {
			label = strconv.Itoa(i)
		}
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: label})
	}
	return ticks
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
type emptyNote struct{ th theme }

// Plot implements plot.Plotter.
func (e emptyNote) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := text.Style{
		Color: color.Gray{Y: 0x80}, Font: e.th.tick(),
		XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler,
	}
	c.FillText(sty, c.Center(), "no samples")
}
