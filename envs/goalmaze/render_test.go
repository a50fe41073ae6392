package goalmaze

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/palette/moreland"
)

var update = flag.Bool("update", false, "write docs/figures/goalmaze_layouts.png")

// TestWritePanelsPNG draws maze-1 with coloured points and checks the
// colours of the floor, the goal space outside the maze, a wall, and the
// points.
func TestWritePanelsPNG(t *testing.T) {
	l, _ := LayoutNamed("maze-1")
	points := [][2]float64{{3, 3}, {1, 3}, {3, 1}, {9, 9}}
	values := []float64{1, 0, math.NaN(), 0.5}
	img := renderPanel(t, Panel{Layout: l, Margin: 0.5, Points: points, Values: values, Radius: 0.2})
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(0)
	cmap.SetMax(1)
	blue, _ := cmap.At(0)
	red, _ := cmap.At(1)
	// One 2-inch panel with 0.12-inch margins at RenderDPI: the 6 × 6
	// world [−1, 5]² at 50 pixels per cell.
	at := func(x, y float64) color.Color {
		const margin, unit = 0.12 * RenderDPI, 2 * RenderDPI / 6.0
		return img.At(int(margin+unit*(x+1)), int(margin+2*RenderDPI-unit*(y+1)))
	}
	for _, c := range []struct {
		name string
		x, y float64
		want color.Color
	}{
		{"floor", 1.2, 1.2, FloorColor},
		{"outside", -0.75, 2, VoidColor},
		{"border wall", 2, -0.5, WallColor},
		{"inner wall", 1, 2.5, WallColor},
		{"value 1", 3, 3, blue},
		{"value 0", 1, 3, red},
		{"NaN", 3, 1, NaNColor},
	} {
		if got := rgb(at(c.x, c.y)); got != rgb(c.want) {
			t.Errorf("%s at (%v, %v): colour %v, want %v", c.name, c.x, c.y, got, rgb(c.want))
		}
	}
	plain := renderPanel(t, Panel{Layout: l, Margin: 0.5, Points: points[:1], Radius: 0.2})
	if got := rgb(plain.At(int(0.12*RenderDPI+2*RenderDPI/6.0*4), int(0.12*RenderDPI+2*RenderDPI-2*RenderDPI/6.0*4))); got != rgb(PointColor) {
		t.Errorf("point without a value: colour %v, want %v", got, rgb(PointColor))
	}
	var buf bytes.Buffer
	for name, tc := range map[string]struct {
		panels []Panel
		cols   int
		err    string
	}{
		"none":          {nil, 1, "no panels"},
		"no layout":     {[]Panel{{}}, 1, "no layout"},
		"values":        {[]Panel{{Layout: l, Points: points, Values: values[:2]}}, 1, "2 values for 4 points"},
		"margin":        {[]Panel{{Layout: l, Margin: math.NaN()}}, 1, "margin NaN"},
		"columns":       {[]Panel{{Layout: l}}, 0, "0 columns"},
		"negative size": {[]Panel{{Layout: l, Radius: -1}}, 1, "radius -1"},
	} {
		if err := WritePanelsPNG(&buf, tc.panels, tc.cols); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.err)
		}
	}
	path := filepath.Join(t.TempDir(), "maze.png")
	if err := RenderPNG(path, l, 0.5, points, values); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("RenderPNG wrote %d bytes, %v", len(b), err)
	}
}

func renderPanel(t *testing.T, p Panel) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePanelsPNG(&buf, []Panel{p}, 1); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func rgb(c color.Color) [3]uint8 {
	r, g, b, _ := c.RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

// TestLayoutsFigure draws every built-in layout with its test goals; with
// -update it writes docs/figures/goalmaze_layouts.png.
func TestLayoutsFigure(t *testing.T) {
	if testing.Short() && !*update {
		t.Skip("rendering 10 mazes")
	}
	var buf bytes.Buffer
	p := DefaultParams()
	if err := WriteLayoutsPNG(&buf, p.TestPerCell, p.GoalMargin); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width < 1000 || cfg.Height < 500 {
		t.Errorf("figure of %d×%d pixels", cfg.Width, cfg.Height)
	}
	if *update {
		path := filepath.Join("..", "..", "docs", "figures", "goalmaze_layouts.png")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
