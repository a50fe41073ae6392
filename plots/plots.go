package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/teachbench/teachbench/runner/store"
)

// PNGDPI is the resolution, in dots per inch, of the PNG files Draw writes:
// a figure of w×h inches is w·PNGDPI × h·PNGDPI pixels.
const PNGDPI = 150

// Default figure settings, used for the zero values of Options fields. The
// sizes suit a two-column paper: a one-panel figure fits a column (3.3
// inches), a figure of DefaultColumns panels or of DefaultWindows sampling
// frames the text width (about 7 inches), with 8-point text.
const (
	DefaultWindows   = 5
	DefaultBins      = 20
	DefaultWidth     = 3.3 * vg.Inch
	DefaultHeight    = 2.1 * vg.Inch
	DefaultFrameSize = 1.25 * vg.Inch
	DefaultFontSize  = 8 * vg.Length(1) // points
	DefaultColumns   = 2

	DefaultReference = "random"
	DefaultLevel     = 0.95
	DefaultResamples = 2000
)

// DefaultThresholds are the % mastered levels whose time to reach the
// reports give by default.
var DefaultThresholds = []float64{10, 25, 50}

// Options controls the figures and statistics. The zero value selects the
// defaults.
type Options struct {
	// Formats lists the file formats to write, by file extension: "png",
	// "svg", "pdf", "eps", "jpg" or "tiff". The default is {"png", "svg"}.
	Formats []string
	// Windows is the number of equal windows of training time, in
	// episodes, that the sampling frame strips split a run into: one
	// frame per window. The default is DefaultWindows.
	Windows int
	// Bins is the number of histogram bins along each continuous axis of a
	// sampling frame. The default is DefaultBins.
	Bins int
	// Width and Height are the size of one panel of a learning-curve,
	// interval, profile or improvement figure, its axes included. The
	// defaults are DefaultWidth and DefaultHeight.
	Width, Height vg.Length
	// FrameSize is the side of one frame of a sampling strip; the default
	// is DefaultFrameSize.
	FrameSize vg.Length
	// FontSize is the size of axis labels; titles are a point larger and
	// ticks a point smaller, and line widths and markers scale with it.
	// The default is DefaultFontSize.
	FontSize vg.Length
	// Columns is the number of panels per row of the figures with one
	// panel per environment; the default is DefaultColumns.
	Columns int
	// Teachers, if set, fixes the order in which teachers take colours
	// and markers (see TeacherColors), so that several sweeps can share
	// styles; teachers not listed follow in sweep order.
	Teachers []string
	// Reference is the teacher label the others are compared with; the
	// default is DefaultReference. A sweep without it has no comparisons.
	Reference string
	// Level is the confidence level of every interval; the default is
	// DefaultLevel.
	Level float64
	// Resamples is the number of bootstrap resamples of every interval;
	// the default is DefaultResamples.
	Resamples int
	// Thresholds are the % mastered levels whose time to reach Analyze
	// estimates; the default is DefaultThresholds.
	Thresholds []float64
	// Band is the band around learning curves: BandCI (the default), the
	// bootstrap confidence interval of the mean at Level, or BandSE, the
	// mean ± its standard error as in the TeachMyAgent benchmark's figures.
	Band string
}

// Learning-curve bands.
const (
	BandCI = "ci"
	BandSE = "se"
)

// formats lists the formats Draw accepts, with the canonical extension of
// each alias.
var formats = map[string]string{
	"png": "png", "svg": "svg", "pdf": "pdf", "eps": "eps",
	"jpg": "jpg", "jpeg": "jpg", "tif": "tiff", "tiff": "tiff",
}

// withDefaults returns opt with zero fields replaced by defaults and formats
// canonicalised, or an error for an unknown format or an invalid setting.
func (opt Options) withDefaults() (Options, error) {
	if len(opt.Formats) == 0 {
		opt.Formats = []string{"png", "svg"}
	}
	var fs []string
	for _, f := range opt.Formats {
		c, ok := formats[strings.ToLower(strings.TrimPrefix(f, "."))]
		if !ok {
			return opt, fmt.Errorf("plots: unsupported format %q (want png, svg, pdf, eps, jpg or tiff)", f)
		}
		if !slices.Contains(fs, c) {
			fs = append(fs, c)
		}
	}
	opt.Formats = fs
	for _, c := range []struct {
		name string
		bad  bool
	}{
		{"Windows", opt.Windows < 0}, {"Bins", opt.Bins < 0}, {"Width", opt.Width < 0}, {"Height", opt.Height < 0},
		{"FrameSize", opt.FrameSize < 0}, {"FontSize", opt.FontSize < 0 || opt.FontSize > 0 && opt.FontSize < 2},
		{"Columns", opt.Columns < 0}, {"Resamples", opt.Resamples < 0},
		{"Level", opt.Level != 0 && !(0 < opt.Level && opt.Level < 1)},
	} {
		if c.bad {
			return opt, fmt.Errorf("plots: invalid option %s", c.name)
		}
	}
	switch opt.Band {
	case "":
		opt.Band = BandCI
	case BandCI, BandSE:
	default:
		return opt, fmt.Errorf("plots: unknown band %q (want %s or %s)", opt.Band, BandCI, BandSE)
	}
	for _, th := range opt.Thresholds {
		if !finite(th) {
			return opt, fmt.Errorf("plots: threshold %v is not a number", th)
		}
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defL := func(v *vg.Length, d vg.Length) {
		if *v == 0 {
			*v = d
		}
	}
	def(&opt.Windows, DefaultWindows)
	def(&opt.Bins, DefaultBins)
	def(&opt.Columns, DefaultColumns)
	def(&opt.Resamples, DefaultResamples)
	defL(&opt.Width, DefaultWidth)
	defL(&opt.Height, DefaultHeight)
	defL(&opt.FrameSize, DefaultFrameSize)
	defL(&opt.FontSize, DefaultFontSize)
	if opt.Level == 0 {
		opt.Level = DefaultLevel
	}
	if opt.Reference == "" {
		opt.Reference = DefaultReference
	}
	if opt.Thresholds == nil {
		opt.Thresholds = DefaultThresholds
	}
	return opt, nil
}

// Figure kinds.
const (
	KindCurves      = "curves"
	KindSampling    = "sampling"
	KindIntervals   = "intervals"
	KindProfiles    = "profiles"
	KindImprovement = "improvement"
)

// Figure is one figure written in one or more formats.
type Figure struct {
	// Name is the file name without extension, e.g. "curves_toy".
	Name string
	// Kind is one of KindCurves, KindSampling, KindIntervals,
	// KindProfiles and KindImprovement.
	Kind string
	// Env is the environment label of a per-environment figure, empty
	// for a figure of the whole sweep.
	Env string
	// Caption says what the figure shows.
	Caption string
	// Paths holds the files written, one per format, in the order of
	// Options.Formats.
	Paths []string
}

// Draw reads the results directory dir (see Load) and writes its figures
// into dir/plots/, one file per figure and format (see DrawFigures). It
// returns the paths written, in the order written.
//
// Runs whose files are missing or unreadable are skipped; their errors are
// returned only if no figure could be drawn at all. Errors writing figures
// are always returned.
func Draw(dir string, opt Options) ([]string, error) {
	if _, err := opt.withDefaults(); err != nil {
		return nil, err
	}
	sw, err := Load(dir)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	a, err := Analyze(sw, opt)
	if err != nil {
		return nil, err
	}
	figs, err := DrawFigures(a)
	var paths []string
	for _, f := range figs {
		paths = append(paths, f.Paths...)
	}
	return paths, err
}

// DrawFigures draws the figures of an analysis into the plots/ directory of
// its sweep:
//
//   - curves_<env>: the learning curve of each group, mean % mastered over
//     seeds with its bootstrap confidence band;
//   - sampling_<env>: where each teacher sampled tasks in successive windows
//     of training time, for box spaces (the first two dimensions) and
//     discrete spaces (a tasks × time heat map), from the runs' samples.csv;
//   - curves: every environment's learning curves, one panel each, with a
//     shared legend (only with several environments);
//   - intervals: the IQM of final and AUC % mastered per teacher with
//     stratified bootstrap confidence intervals, a panel per environment
//     and for all environments together;
//   - profiles: the performance profiles of final % mastered;
//   - improvement: the probability that each teacher beats the reference
//     teacher, with confidence intervals (only if the reference ran).
//
// Figures that have no data are left out. It returns the figures written; the
// error joins the failures to write, and, if nothing could be drawn, the
// problems met reading the sweep.
func DrawFigures(a *Analysis) ([]Figure, error) {
	opt := a.Options
	sw := a.Sweep
	out := filepath.Join(sw.Dir, store.PlotsDir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	st := newStyles(opt.Teachers, sw.Teachers, theme{base: opt.FontSize})
	var (
		figs     []Figure
		errs     []error
		problems = slices.Clone(sw.Problems)
	)
	emit := func(name, kind, env, caption string, w, h vg.Length, paint func(draw.Canvas)) {
		f := Figure{Name: name, Kind: kind, Env: env, Caption: caption}
		for _, format := range opt.Formats {
			p := filepath.Join(out, name+"."+format)
			if err := save(p, w, h, format, paint); err != nil {
				errs = append(errs, err)
				continue
			}
			f.Paths = append(f.Paths, p)
		}
		if len(f.Paths) > 0 {
			figs = append(figs, f)
		}
	}
	names := newNamer()
	var curvePanels []*curvePanel
	for _, env := range sw.Envs {
		base := names.name(env.Label)
		if cp := newCurvePanel(env, st, opt); cp != nil {
			curvePanels = append(curvePanels, cp)
			fig := cp.figure(st, opt)
			w, h := fig.size()
			emit("curves_"+base, KindCurves, env.Label, cp.caption(opt), w, h, fig.draw)
		}
		strip, perrs := newSampling(env, st, opt)
		problems = append(problems, perrs...)
		if strip != nil {
			w, h := strip.size()
			emit("sampling_"+base, KindSampling, env.Label, strip.caption(), w, h, strip.draw)
		}
	}
	if len(curvePanels) > 1 {
		fig := curvesFigure(curvePanels, st, opt)
		w, h := fig.size()
		emit("curves", KindCurves, "", curvePanels[0].caption(opt)+" One panel per environment.", w, h, fig.draw)
	}
	if fig := newIntervals(a, st); fig != nil {
		w, h := fig.size()
		emit("intervals", KindIntervals, "", intervalsCaption(opt, a.All != nil), w, h, fig.draw)
	}
	if fig := newProfiles(a, st); fig != nil {
		w, h := fig.size()
		emit("profiles", KindProfiles, "", profilesCaption(opt), w, h, fig.draw)
	}
	if fig := newImprovement(a, st); fig != nil {
		w, h := fig.size()
		emit("improvement", KindImprovement, "", improvementCaption(opt), w, h, fig.draw)
	}
	if len(figs) == 0 {
		if len(errs) == 0 && len(problems) == 0 {
			problems = append(problems, errors.New("no finished run with an evaluation"))
		}
		return nil, fmt.Errorf("plots: nothing drawn for %s: %w", sw.Dir, errors.Join(append(errs, problems...)...))
	}
	return figs, errors.Join(errs...)
}

// save paints a w×h figure in format f and writes it atomically to path.
func save(path string, w, h vg.Length, f string, paint func(draw.Canvas)) (err error) {
	var c vg.CanvasWriterTo
	if f == "png" {
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PNGDPI))}
	} else if c, err = draw.NewFormattedCanvas(w, h, f); err != nil {
		return err
	}
	defer func() {
		// Plotters panic on inconsistent input rather than returning
		// errors; one bad figure must not abort the others.
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing %s: %v", path, r)
		}
	}()
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	paint(dc)
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return fmt.Errorf("plots: encoding %s: %w", path, err)
	}
	return store.WriteFileAtomic(path, buf.Bytes())
}

// namer turns labels into distinct file-name stems.
type namer map[string]bool

func newNamer() namer { return namer{} }

// name returns the sanitised label, with a numeric suffix if an earlier
// label sanitised to the same stem.
func (n namer) name(label string) string {
	base := sanitize(label)
	name := base
	for i := 2; n[name]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	n[name] = true
	return name
}

// sanitize replaces every character outside [A-Za-z0-9._-] with '_', so
// that a label can be used in a file name.
func sanitize(label string) string {
	if label == "" {
		return "_"
	}
	var b strings.Builder
	for _, r := range label {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// percent formats a confidence level as a percentage, e.g. "95%".
func percent(level float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", 100*level), ".0") + "%"
}

// ceilDiv returns ⌈a/b⌉ for positive b.
func ceilDiv(a, b int) int { return int(math.Ceil(float64(a) / float64(b))) }
