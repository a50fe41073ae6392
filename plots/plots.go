package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/teachbench/teachbench/runner/store"
)

// PNGDPI is the resolution, in dots per inch, of the PNG files Draw writes:
// a figure of w×h inches is w·PNGDPI × h·PNGDPI pixels.
const PNGDPI = 150

// Default figure settings, used for the zero values of Options fields.
const (
	DefaultWindows = 5
	DefaultBins    = 20

	DefaultCurveWidth  = 6 * vg.Inch
	DefaultCurveHeight = 4 * vg.Inch
	DefaultPanelWidth  = 2.4 * vg.Inch
	DefaultPanelHeight = 2.4 * vg.Inch
)

// Options controls the figures Draw writes. The zero value selects the
// defaults.
type Options struct {
	// Formats lists the file formats to write, by file extension: "png",
	// "svg", "pdf", "eps", "jpg" or "tiff". The default is {"png", "svg"}.
	Formats []string
	// Windows is the number of equal windows of training time, in
	// episodes, that the sampling heat maps split a run into: one column
	// of panels per window. The default is DefaultWindows.
	Windows int
	// Bins is the number of histogram bins along each axis of a sampling
	// heat map panel. The default is DefaultBins.
	Bins int
	// Width and Height are the size of one panel: the whole learning-curve
	// figure, or one heat map of the sampling grid. Zero selects
	// DefaultCurveWidth × DefaultCurveHeight for curves and
	// DefaultPanelWidth × DefaultPanelHeight for heat maps.
	Width, Height vg.Length
}

// formats lists the formats Draw accepts, with the canonical extension of
// each alias.
var formats = map[string]string{
	"png": "png", "svg": "svg", "pdf": "pdf", "eps": "eps",
	"jpg": "jpg", "jpeg": "jpg", "tif": "tiff", "tiff": "tiff",
}

// withDefaults returns opt with zero fields replaced by defaults and formats
// canonicalised, or an error for an unknown format or a negative setting.
func (opt Options) withDefaults() (Options, error) {
	if len(opt.Formats) == 0 {
		opt.Formats = []string{"png", "svg"}
	}
	var fs []string
	for _, f := range opt.Formats {
		c, ok := formats[strings.ToLower(strings.TrimPrefix(f, "."))]
		if !ok {
			return opt, fmt.Errorf("plots: unsupported format %q", f)
		}
		if !slices.Contains(fs, c) {
			fs = append(fs, c)
		}
	}
	opt.Formats = fs
	if opt.Windows < 0 || opt.Bins < 0 || opt.Width < 0 || opt.Height < 0 {
		return opt, errors.New("plots: negative option")
	}
	if opt.Windows == 0 {
		opt.Windows = DefaultWindows
	}
	if opt.Bins == 0 {
		opt.Bins = DefaultBins
	}
	return opt, nil
}

// curveSize returns the size of a learning-curve figure.
func (opt Options) curveSize() (w, h vg.Length) {
	return orDefault(opt.Width, DefaultCurveWidth), orDefault(opt.Height, DefaultCurveHeight)
}

// panelSize returns the size of one sampling heat map panel.
func (opt Options) panelSize() (w, h vg.Length) {
	return orDefault(opt.Width, DefaultPanelWidth), orDefault(opt.Height, DefaultPanelHeight)
}

func orDefault(v, def vg.Length) vg.Length {
	if v == 0 {
		return def
	}
	return v
}

// Draw reads the sweep directory dir, written by package runner/store, and
// writes its figures into dir/plots/, one file per figure and format. It
// returns the paths written, in the order written.
//
// Only runs whose status is "done" are drawn. Runs whose files are missing or
// unreadable are skipped; their errors are returned only if no figure could
// be drawn at all. Errors writing figures are always returned.
func Draw(dir string, opt Options) ([]string, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	sw, problems := load(dir)
	if sw == nil {
		return nil, fmt.Errorf("plots: %w", errors.Join(problems...))
	}
	out := filepath.Join(dir, store.PlotsDir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	var (
		paths []string
		errs  []error
	)
	emit := func(name string, w, h vg.Length, paint func(draw.Canvas)) {
		for _, f := range opt.Formats {
			p := filepath.Join(out, name+"."+f)
			if err := save(p, w, h, f, paint); err != nil {
				errs = append(errs, err)
				continue
			}
			paths = append(paths, p)
		}
	}
	names := newNamer()
	for _, env := range sw.envs {
		base := names.name(env.label)
		if fig := newCurves(env, sw); fig != nil {
			w, h := opt.curveSize()
			emit("curves_"+base, w, h, fig.draw)
		}
		grid, perrs := newSampling(env, sw, opt)
		problems = append(problems, perrs...)
		if grid != nil {
			w, h := grid.size()
			emit("sampling_"+base, w, h, grid.draw)
		}
	}
	if len(paths) == 0 {
		if len(errs) == 0 && len(problems) == 0 {
			problems = append(problems, errors.New("no finished run with an evaluation"))
		}
		return nil, fmt.Errorf("plots: nothing drawn for %s: %w", dir, errors.Join(append(errs, problems...)...))
	}
	return paths, errors.Join(errs...)
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

// sansSerif is the typeface of all figure text.
var sansSerif = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Font sizes of figure text, in points.
const (
	titleSize  = 14
	labelSize  = 12
	tickSize   = 11
	legendSize = 11
)
