package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/teachbench/teachbench/stats"
)

// profileThresholds are the thresholds τ, in % mastered, at which profiles
// are evaluated: every point from 0 to 100.
var profileThresholds = func() []float64 {
	t := make([]float64, 101)
	for i := range t {
		t[i] = float64(i)
	}
	return t
}()

// newProfiles returns the figure of performance profiles of final %
// mastered: for each environment (and all of them), the fraction of runs of
// each teacher scoring above each threshold, with pointwise stratified
// bootstrap bands. It returns nil if no group has a finished run.
func newProfiles(a *Analysis, st *styles) *panelFigure {
	const m = FinalMastered
	f := &panelFigure{cols: a.Options.Columns, w: a.Options.Width, h: a.Options.Height, th: st.theme}
	seen := map[string]bool{}
	for _, ea := range a.envAnalyses() {
		p := newPanel(st.theme, ea.Label, "τ ("+m.Title()+")", "fraction of runs above τ")
		p.X.Tick.Marker = percentTicks{}
		var lines []plot.Plotter
		drawn := false
		for i, r := range ea.Rows {
			if r.Scores[m].N == 0 {
				continue
			}
			drawn = true
			runs := strata(r.Groups, m)
			prof := stats.PerformanceProfile(runs, profileThresholds, nil)
			lo, hi := stats.PerformanceProfileCI(runs, profileThresholds, a.Options.Level, a.Options.Resamples,
				stream("profile", ea.Label, r.Label))
			line := st.line(r.Groups[0])
			p.Add(&band{x: profileThresholds, lo: lo, hi: hi, color: withAlpha(line.Color, 0x30)})
			xys := make(plotter.XYs, len(prof))
			var marks plotter.XYs
			for k := range prof {
				xys[k] = plotter.XY{X: profileThresholds[k], Y: prof[k]}
				// Staggered markers every 20 points.
				if (k+4*i)%20 == 0 {
					marks = append(marks, xys[k])
				}
			}
			lines = append(lines, &plotter.Line{XYs: xys, LineStyle: line}, &plotter.Scatter{XYs: marks, GlyphStyle: st.glyph(r.Teacher)})
			if !seen[r.Label] {
				seen[r.Label] = true
				f.legend = append(f.legend, legendEntry{label: r.Label, line: line, glyph: st.glyph(r.Teacher)})
			}
		}
		if !drawn {
			continue
		}
		p.Add(lines...)
		p.X.Min, p.X.Max = 0, 100
		p.Y.Min, p.Y.Max = 0, 1
		f.panels = append(f.panels, p)
	}
	if len(f.panels) == 0 {
		return nil
	}
	return f
}

func profilesCaption(opt Options) string {
	return fmt.Sprintf("Performance profiles (run-score distributions): the fraction of runs whose final %% mastered exceeds τ, "+
		"with pointwise %s stratified bootstrap bands; a curve above another everywhere dominates it.", percent(opt.Level))
}
