package panelgrid

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"
)

func TestWritePNG(t *testing.T) {
	var drawn []int
	var buf bytes.Buffer
	err := WritePNG(&buf, Default, 5, 3, []string{"a", "b", "", "d", "e\nf"}, func(i int, c draw.Canvas) {
		drawn = append(drawn, i)
		if w, h := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y; math.Abs(float64(w-Default.Side)) > 1e-9 || math.Abs(float64(h-Default.Side)) > 1e-9 {
			t.Errorf("panel %d is %v x %v, want %v square", i, w, h, Default.Side)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(drawn) != 5 {
		t.Fatalf("drew panels %v, want 0..4", drawn)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// 3 columns and 2 rows of 1.7-inch panels, 0.12-inch gaps and
	// 0.36-inch titles at 150 dpi: 5.58 x 4.48 inches.
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 837 || h != 672 {
		t.Errorf("image is %d x %d, want 837 x 672", w, h)
	}
}

func TestWritePNGErrors(t *testing.T) {
	nop := func(int, draw.Canvas) {}
	for _, tc := range []struct {
		n, cols int
		titles  []string
		want    string
	}{
		{0, 1, nil, "no panels"},
		{2, 1, []string{"x"}, "1 titles for 2 panels"},
		{2, 0, nil, "0 columns"},
	} {
		err := WritePNG(&bytes.Buffer{}, Default, tc.n, tc.cols, tc.titles, nop)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("n=%d cols=%d: error %v, want %q", tc.n, tc.cols, err, tc.want)
		}
	}
}
