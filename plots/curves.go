package plots

import (
	"image/color"
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/teachbench/teachbench/runner/store"
	"github.com/teachbench/teachbench/stats"
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
// may have different lengths, index by index: the band is the percentile
// bootstrap interval of the mean at level, drawing resamples from rng, or, if
// se, the mean ± its standard error.
func curveSeries(xs, ys [][]float64, level float64, resamples int, se bool, rng *rand.Rand) series {
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
		if se {
			e := stats.StdErr(yi)
			s.Lo[i], s.Hi[i] = s.Mean[i]-e, s.Mean[i]+e
			continue
		}
		s.Lo[i], s.Hi[i] = stats.BootstrapMeanCI(yi, level, resamples, rng)
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

// curvePanel holds the learning curves of one environment.
type curvePanel struct {
	title, xLabel string
	lines         []curveLine
}

// curveLine is one group's summarised curve and style.
type curveLine struct {
	group *Group
	line  draw.LineStyle
	glyph draw.GlyphStyle
	s     series
}

// newCurvePanel summarises the evaluations of the environment's groups. It
// returns nil if no finished run of env has an evaluation.
func newCurvePanel(env *Env, st *styles, opt Options) *curvePanel {
	cp := &curvePanel{title: env.Label, xLabel: "episodes"}
	if env.Unit == "steps" {
		cp.xLabel = "steps"
	}
	for _, g := range env.Groups {
		var xs, ys [][]float64
		for _, r := range g.Done() {
			if len(r.Eval) == 0 {
				continue
			}
			xs = append(xs, evalX(r.Eval, cp.xLabel == "steps"))
			ys = append(ys, evalMastered(r.Eval))
		}
		if len(ys) == 0 {
			continue
		}
		cp.lines = append(cp.lines, curveLine{
			group: g,
			line:  st.line(g),
			glyph: st.glyph(g.Teacher),
			s:     curveSeries(xs, ys, opt.Level, opt.Resamples, opt.Band == BandSE, stream("curve", env.Label, g.Label)),
		})
	}
	if len(cp.lines) == 0 {
		return nil
	}
	return cp
}

// caption describes the curves.
func (cp *curvePanel) caption(opt Options) string {
	band := "the " + percent(opt.Level) + " percentile-bootstrap confidence band of the mean"
	if opt.Band == BandSE {
		band = "a band of ± one standard error of the mean"
	}
	return "Mean % of test tasks mastered over seeds against " + cp.xLabel + ", with " + band + "."
}

// panel returns the plot of the curves.
func (cp *curvePanel) panel(th theme) *plot.Plot {
	p := newPanel(th, cp.title, cp.xLabel, "% mastered")
	p.X.Tick.Marker = compactTicks{}
	p.Y.Tick.Marker = percentTicks{}
	var lines []plot.Plotter
	for i, l := range cp.lines {
		for _, seg := range l.s.segments() {
			a, b := seg[0], seg[1]
			p.Add(&band{x: l.s.X[a:b], lo: l.s.Lo[a:b], hi: l.s.Hi[a:b], color: withAlpha(l.line.Color, 0x38)})
			xys := make(plotter.XYs, b-a)
			for k := range xys {
				xys[k] = plotter.XY{X: l.s.X[a+k], Y: l.s.Mean[a+k]}
			}
			if len(xys) > 1 {
				lines = append(lines, &plotter.Line{XYs: xys, LineStyle: l.line})
			}
			// Markers on a few points tell the teachers apart in
			// black and white; staggered so they do not pile up.
			step := max(1, ceilDiv(len(l.s.X), 6))
			var marks plotter.XYs
			for k := range xys {
				if (a+k)%step == i%step || len(xys) == 1 {
					marks = append(marks, xys[k])
				}
			}
			if len(marks) > 0 {
				lines = append(lines, &plotter.Scatter{XYs: marks, GlyphStyle: l.glyph})
			}
		}
	}
	// Lines go over every band, so that no band hides a line.
	p.Add(lines...)
	p.Y.Min = math.Min(0, p.Y.Min)
	p.Y.Max = math.Max(100, p.Y.Max)
	if p.X.Min > 0 {
		p.X.Min = 0
	}
	return p
}

// curveLegend returns the legend entries of panels, one per group label in order
// of first appearance.
func curveLegend(panels []*curvePanel) []legendEntry {
	var entries []legendEntry
	seen := map[string]bool{}
	for _, cp := range panels {
		for _, l := range cp.lines {
			if seen[l.group.Label] {
				continue
			}
			seen[l.group.Label] = true
			entries = append(entries, legendEntry{label: l.group.Label, line: l.line, glyph: l.glyph})
		}
	}
	return entries
}

// figure returns the one-panel figure of the curves.
func (cp *curvePanel) figure(st *styles, opt Options) *panelFigure {
	return &panelFigure{
		panels: []*plot.Plot{cp.panel(st.theme)}, cols: 1, w: opt.Width, h: opt.Height,
		legend: curveLegend([]*curvePanel{cp}), th: st.theme,
	}
}

// curvesFigure returns the figure of several environments' curves, one panel
// each, with a shared legend.
func curvesFigure(panels []*curvePanel, st *styles, opt Options) *panelFigure {
	f := &panelFigure{cols: opt.Columns, w: opt.Width, h: opt.Height, legend: curveLegend(panels), th: st.theme}
	for _, cp := range panels {
		f.panels = append(f.panels, cp.panel(st.theme))
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
