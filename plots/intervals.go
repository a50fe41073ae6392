package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// intervalRow is one row of an interval panel: a point estimate and its
// confidence interval, in a teacher's style.
type intervalRow struct {
	label     string
	v, lo, hi float64
	color     color.Color
	glyph     draw.GlyphStyle
}

// intervalRows is a plotter drawing rows of intervals, the first on top, as
// in the interval plots of Agarwal et al. (NeurIPS 2021): a translucent bar
// over the confidence interval and the teacher's marker at the estimate.
type intervalRows struct {
	rows []intervalRow
	th   theme
}

// y returns the vertical position of row i.
func (ir *intervalRows) y(i int) float64 { return float64(len(ir.rows) - 1 - i) }

// Plot implements plot.Plotter.
func (ir *intervalRows) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, r := range ir.rows {
		y := trY(ir.y(i))
		if finite(r.lo) && finite(r.hi) {
			sty := draw.LineStyle{Color: withAlpha(r.color, 0x70), Width: ir.th.base * 0.8}
			x0, x1 := trX(r.lo), trX(r.hi)
			if x1-x0 < sty.Width/4 {
				// A degenerate interval still shows as a short bar.
				x0, x1 = x0-sty.Width/8, x1+sty.Width/8
			}
			c.StrokeLine2(sty, x0, y, x1, y)
		}
		if finite(r.v) {
			c.DrawGlyph(r.glyph, vg.Point{X: trX(r.v), Y: y})
		}
	}
}

// DataRange implements plot.DataRanger.
func (ir *intervalRows) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, r := range ir.rows {
		for _, v := range []float64{r.v, r.lo, r.hi} {
			if finite(v) {
				xmin, xmax = math.Min(xmin, v), math.Max(xmax, v)
			}
		}
	}
	if xmin > xmax {
		xmin, xmax = 0, 1
	}
	return xmin, xmax, -0.6, float64(len(ir.rows)) - 0.4
}

// rowTicks labels the rows of an interval panel.
type rowTicks []string

// Ticks implements plot.Ticker.
func (t rowTicks) Ticks(min, max float64) []plot.Tick {
	ticks := make([]plot.Tick, len(t))
	for i, l := range t {
		ticks[i] = plot.Tick{Value: float64(len(t) - 1 - i), Label: l}
	}
	return ticks
}

// intervalPanel returns a panel of rows: labelled on the y axis if
// withLabels, and with a vertical reference line at ref if it is finite.
func intervalPanel(th theme, title, xLabel string, rows []intervalRow, withLabels bool, xmin, xmax, ref float64) *plot.Plot {
	p := newPanel(th, title, xLabel, "")
	labels := make(rowTicks, len(rows))
	for i, r := range rows {
		labels[i] = r.label
	}
	if withLabels {
		p.Y.Tick.Marker = labels
	} else {
		p.Y.Tick.Marker = rowTicks(make([]string, len(rows)))
	}
	if finite(ref) {
		l, err := plotter.NewLine(plotter.XYs{{X: ref, Y: -0.6}, {X: ref, Y: float64(len(rows)) - 0.4}})
		if err == nil {
			l.LineStyle = draw.LineStyle{Color: color.Gray{Y: 0x60}, Width: th.lineWidth() / 2, Dashes: dashPatterns[1]}
			p.Add(l)
		}
	}
	p.Add(&intervalRows{rows: rows, th: th})
	p.X.Min, p.X.Max = xmin, xmax
	p.Y.Min, p.Y.Max = -0.6, float64(len(rows))-0.4
	return p
}

// envAnalyses returns the analyses with a panel in the sweep-level figures:
// every environment, then the aggregate if any.
func (a *Analysis) envAnalyses() []*EnvAnalysis {
	out := append([]*EnvAnalysis(nil), a.Envs...)
	if a.All != nil {
		out = append(out, a.All)
	}
	return out
}

// intervalHeight returns the height of interval panels of rows rows: enough
// for the rows, the title and the axis, and at most limit.
func intervalHeight(rows int, th theme, limit vg.Length) vg.Length {
	return min(limit, vg.Length(rows)*1.8*th.base+6*th.base)
}

// newIntervals returns the figure of IQMs with confidence intervals: one row
// of panels per environment (and for all of them), one column per metric. It
// returns nil if no group has a finished run.
func newIntervals(a *Analysis, st *styles) *panelFigure {
	f := &panelFigure{cols: len(Metrics), w: a.Options.Width, h: a.Options.Height, th: st.theme}
	drawn := false
	for _, ea := range a.envAnalyses() {
		for j, m := range Metrics {
			var rows []intervalRow
			hi := 0.0
			for _, r := range ea.Rows {
				e := r.Scores[m]
				rows = append(rows, intervalRow{label: r.Label, v: e.IQM, lo: e.Lo, hi: e.Hi, color: st.color(r.Teacher), glyph: st.glyph(r.Teacher)})
				if e.N > 0 {
					drawn = true
					hi = math.Max(hi, math.Max(e.Hi, e.IQM))
				}
			}
			f.panels = append(f.panels, intervalPanel(st.theme, ea.Label, "IQM of "+m.Title(), rows, j == 0, 0, percentMax(hi), math.NaN()))
		}
	}
	if !drawn {
		return nil
	}
	rows := 0
	for _, ea := range a.envAnalyses() {
		rows = max(rows, len(ea.Rows))
	}
	f.h = intervalHeight(rows, st.theme, a.Options.Height)
	return f
}

// percentMax returns the right end of a 0–100 axis showing values up to v:
// v rounded up to a multiple of 10, at least 10 and at most 100.
func percentMax(v float64) float64 {
	return math.Min(100, math.Max(10, 10*math.Ceil(v/10)))
}

func intervalsCaption(opt Options, aggregate bool) string {
	all := ""
	if aggregate {
		all = ", for each environment and for all of them (each environment a stratum of the bootstrap)"
	}
	return fmt.Sprintf("Interquartile mean (marker) over seeds of the final and the average (AUC) %% of test tasks mastered, "+
		"with %s stratified bootstrap confidence intervals (bars, %d resamples)%s.", percent(opt.Level), opt.Resamples, all)
}

// newImprovement returns the figure of the probability of improvement of
// each teacher over the reference teacher: one row of panels per environment
// (and for all of them), one column per metric. It returns nil if no
// environment has both the reference and another teacher.
func newImprovement(a *Analysis, st *styles) *panelFigure {
	f := &panelFigure{cols: len(Metrics), w: a.Options.Width, h: a.Options.Height, th: st.theme}
	ref := a.Options.Reference
	maxRows := 0
	for _, ea := range a.envAnalyses() {
		if ea.Reference == nil {
			continue
		}
		var panels []*plot.Plot
		for j, m := range Metrics {
			var rows []intervalRow
			for _, r := range ea.Rows {
				c := r.VsRef[m]
				if c == nil || !finite(c.Improvement) {
					continue
				}
				rows = append(rows, intervalRow{label: r.Label, v: c.Improvement, lo: c.ImprovementLo, hi: c.ImprovementHi,
					color: st.color(r.Teacher), glyph: st.glyph(r.Teacher)})
			}
			if len(rows) == 0 {
				break
			}
			maxRows = max(maxRows, len(rows))
			panels = append(panels, intervalPanel(st.theme, ea.Label, fmt.Sprintf("P(teacher > %s), %s", ref, m.Title()), rows, j == 0, 0, 1, 0.5))
		}
		if len(panels) == len(Metrics) {
			f.panels = append(f.panels, panels...)
		}
	}
	if len(f.panels) == 0 {
		return nil
	}
	f.h = intervalHeight(maxRows, st.theme, a.Options.Height)
	return f
}

func improvementCaption(opt Options) string {
	return fmt.Sprintf("Probability of improvement over %s: the chance that a run of the teacher beats a run of %s (ties count half), "+
		"with %s stratified bootstrap confidence intervals; above 0.5 (dashed) the teacher tends to do better.",
		opt.Reference, opt.Reference, percent(opt.Level))
}
