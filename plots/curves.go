package plots

import (
	"image/color"
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/teachbench/teachbench/runner/store"
	"github.com/teachbench/teachbench/stats"
)

// Bootstrap settings of the learning-curve bands. The seed is fixed so that
// redrawing a sweep gives identical figures.
const (
	ciLevel       = 0.95
	ciResamples   = 2000
	bootstrapSeed = 0x7eac4b
)

// series is a learning curve summarised over seeds: at evaluation index i,
// X[i] is the mean x of the runs with an i-th evaluation, Mean[i] the mean of
// their finite y values and [Lo[i], Hi[i]] its bootstrap confidence interval.
// N[i] counts the finite y values; Mean, Lo and Hi are NaN where it is zero.
type series struct {
	X, Mean, Lo, Hi []float64
	N               []int
}

// curveSeries summarises the curves (xs[r], ys[r]) of several runs r, which
// may have different lengths, index by index, drawing bootstrap resamples
// from rng.
func curveSeries(xs, ys [][]float64, rng *rand.Rand) series {
	n := 0
	for _, y := range ys {
		n = max(n, len(y))
	}
	s := series{
		X: make([]float64, n), Mean: make([]float64, n),
		Lo: make([]float64, n), Hi: make([]float64, n), N: make([]int, n),
	}
	var xi, yi []float64
	for i := range n {
		xi, yi = xi[:0], yi[:0]
		for r, y := range ys {
			if i >= len(y) {
				continue
			}
			xi = append(xi, xs[r][i])
			if !math.IsNaN(y[i]) && !math.IsInf(y[i], 0) {
				yi = append(yi, y[i])
			}
		}
		s.X[i] = stats.Mean(xi)
		s.Mean[i] = stats.Mean(yi)
		s.N[i] = len(yi)
		s.Lo[i], s.Hi[i] = stats.BootstrapMeanCI(yi, ciLevel, ciResamples, rng)
	}
	return s
}

// segments returns the half-open index ranges [start, end) of the maximal
// runs of points of s whose coordinates are all finite, so that missing
// values break a curve instead of crashing the plotters.
func (s series) segments() [][2]int {
	var segs [][2]int
	start := -1
	for i := range s.X {
		ok := finite(s.X[i]) && finite(s.Mean[i]) && finite(s.Lo[i]) && finite(s.Hi[i])
		switch {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			segs = append(segs, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		segs = append(segs, [2]int{start, len(s.X)})
	}
	return segs
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// curveFigure is the learning-curve figure of one environment.
type curveFigure struct {
	title, xLabel string
	lines         []curveLine
}

// curveLine is one group's summarised curve and style.
type curveLine struct {
	label string
	style draw.LineStyle
	s     series
}

// newCurves summarises the evaluations of the environment's groups. It
// returns nil if no run of env has an evaluation.
func newCurves(env *envData, sw *sweepData) *curveFigure {
	f := &curveFigure{title: env.label, xLabel: "episodes"}
	for _, g := range env.groups {
		for _, r := range g.runs {
			if r.eval != nil && r.run.Budget.Unit != "episodes" {
				f.xLabel = "steps"
			}
		}
	}
	for _, g := range env.groups {
		var xs, ys [][]float64
		for _, r := range g.runs {
			if len(r.eval) == 0 {
				continue
			}
			xs = append(xs, evalX(r.eval, f.xLabel == "steps"))
			ys = append(ys, evalMastered(r.eval))
		}
		if len(ys) == 0 {
			continue
		}
		// A fresh generator per line keeps each band independent of
		// which other lines the figure has.
		rng := rand.New(rand.NewPCG(bootstrapSeed, 0))
		f.lines = append(f.lines, curveLine{
			label: g.label,
			style: draw.LineStyle{Color: sw.colors[g.teacher], Width: vg.Points(2), Dashes: sw.lineDashes(g)},
			s:     curveSeries(xs, ys, rng),
		})
	}
	if len(f.lines) == 0 {
		return nil
	}
	return f
}

// evalX returns the episodes or, if steps, the steps of the rows.
func evalX(rows []store.EvalRow, steps bool) []float64 {
	x := make([]float64, len(rows))
	for i, r := range rows {
		x[i] = float64(r.Episode)
		if steps {
			x[i] = float64(r.Steps)
		}
	}
	return x
}

// evalMastered returns the mastered percentages of the rows.
func evalMastered(rows []store.EvalRow) []float64 {
	y := make([]float64, len(rows))
	for i, r := range rows {
		y[i] = r.Mastered
	}
	return y
}

// draw paints the figure on c: the plot on the left, the legend outside it
// on the right, level with the top of the data area.
func (f *curveFigure) draw(c draw.Canvas) {
	p := plot.New()
	p.Title.Text = f.title
	p.Title.TextStyle.Font = font.From(sansSerif, titleSize)
	p.Title.Padding = vg.Points(6)
	styleAxis(&p.X, f.xLabel)
	styleAxis(&p.Y, "% mastered")
	p.X.Tick.Marker = compactTicks{}
	p.Y.Tick.Marker = percentTicks{}
	p.Add(plotter.NewGrid())

	leg := plot.NewLegend()
	leg.TextStyle.Font = font.From(sansSerif, legendSize)
	leg.Top, leg.Left = true, true
	leg.Padding = vg.Points(3)
	leg.ThumbnailWidth = vg.Points(24)

	var lines []plot.Plotter
	for _, l := range f.lines {
		var thumb plot.Thumbnailer = &plotter.Line{LineStyle: l.style}
		for _, seg := range l.s.segments() {
			i, j := seg[0], seg[1]
			p.Add(&band{x: l.s.X[i:j], lo: l.s.Lo[i:j], hi: l.s.Hi[i:j], color: withAlpha(l.style.Color, 0x40)})
			xys := make(plotter.XYs, j-i)
			for k := range xys {
				xys[k] = plotter.XY{X: l.s.X[i+k], Y: l.s.Mean[i+k]}
			}
			if len(xys) == 1 {
				// A lone evaluation has no line; mark it.
				sc := &plotter.Scatter{XYs: xys, GlyphStyle: draw.GlyphStyle{
					Color: l.style.Color, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}}
				lines = append(lines, sc)
				continue
			}
			ln := &plotter.Line{XYs: xys, LineStyle: l.style}
			lines = append(lines, ln)
		}
		leg.Add(l.label, thumb)
	}
	// Lines go over every band, so that no band hides a line.
	p.Add(lines...)
	p.Y.Min = math.Min(0, p.Y.Min)
	p.Y.Max = math.Max(100, p.Y.Max)
	if p.X.Min > 0 {
		p.X.Min = 0
	}

	const margin = 8 // points around the figure and between plot and legend
	c = draw.Crop(c, vg.Points(margin/2), -vg.Points(margin), vg.Points(margin/2), -vg.Points(margin/2))
	legW := leg.Rectangle(c).Size().X
	pc := draw.Crop(c, 0, -(legW + vg.Points(margin)), 0, 0)
	p.Draw(pc)
	dc := p.DataCanvas(pc)
	lc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: c.Max.X - legW, Y: dc.Min.Y},
		Max: vg.Point{X: c.Max.X, Y: dc.Max.Y},
	}}
	leg.Draw(lc)
}

// styleAxis sets the label and fonts of an axis.
func styleAxis(a *plot.Axis, label string) {
	a.Label.Text = label
	a.Label.TextStyle.Font = font.From(sansSerif, labelSize)
	a.Tick.Label.Font = font.From(sansSerif, tickSize)
}

// band is a plotter that fills the area between two curves lo and hi over x.
type band struct {
	x, lo, hi []float64
	color     color.Color
}

// Plot implements plot.Plotter.
func (b *band) Plot(c draw.Canvas, p *plot.Plot) {
	if len(b.x) < 2 {
		return
	}
	trX, trY := p.Transforms(&c)
	pts := make([]vg.Point, 0, 2*len(b.x))
	for i := range b.x {
		pts = append(pts, vg.Point{X: trX(b.x[i]), Y: trY(b.lo[i])})
	}
	for i := len(b.x) - 1; i >= 0; i-- {
		pts = append(pts, vg.Point{X: trX(b.x[i]), Y: trY(b.hi[i])})
	}
	pts = c.ClipPolygonXY(pts)
	if len(pts) < 3 {
		return
	}
	var path vg.Path
	path.Move(pts[0])
	for _, q := range pts[1:] {
		path.Line(q)
	}
	path.Close()
	c.SetColor(b.color)
	c.Fill(path)
}

// DataRange implements plot.DataRanger.
func (b *band) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i := range b.x {
		xmin, xmax = math.Min(xmin, b.x[i]), math.Max(xmax, b.x[i])
		ymin, ymax = math.Min(ymin, b.lo[i]), math.Max(ymax, b.hi[i])
	}
	return xmin, xmax, ymin, ymax
}

// compactTicks places ticks like plot.DefaultTicks and writes values of ten
// thousand or more compactly, as 20k or 1.5M, so that step counts stay
// readable.
type compactTicks struct{}

// Ticks implements plot.Ticker.
func (compactTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = compact(t.Value)
		}
	}
	return ticks
}

// compact formats v with a k, M or G suffix when it is at least ten
// thousand in magnitude.
func compact(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'g', 4, 64) + "G"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "M"
	case a >= 1e4:
		return strconv.FormatFloat(v/1e3, 'g', 4, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// percentTicks labels every 20% and marks every 10% of a 0–100 axis; other
// ranges get plot.DefaultTicks.
type percentTicks struct{}

// Ticks implements plot.Ticker.
func (percentTicks) Ticks(min, max float64) []plot.Tick {
	if min != 0 || max != 100 {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	var ticks []plot.Tick
	for v := 0; v <= 100; v += 10 {
		t := plot.Tick{Value: float64(v)}
		if v%20 == 0 {
			t.Label = strconv.Itoa(v)
		}
		ticks = append(ticks, t)
	}
	return ticks
}
