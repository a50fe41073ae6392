package maze

import (
	"bytes"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestWritePNG renders a small level and checks the colours of a wall, the
// goal, a floor cell and the border.
func TestWritePNG(t *testing.T) {
	l := mustParse(t, ">.#\n..G")
	var buf bytes.Buffer
	if err := WritePNG(&buf, l); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// One 1.7-inch panel with 0.12-inch margins at RenderDPI; the 5 × 4
	// grid (border included) is centred in it with square cells.
	const dpi = RenderDPI
	margin, panel := 0.12*dpi, 1.7*dpi
	if b := img.Bounds(); b.Dx() != int(panel+2*margin+0.5) || b.Dy() != b.Dx() {
		t.Fatalf("image of %v", b)
	}
	cell := panel / 5
	x0, y0 := margin, margin+(panel-4*cell)/2
	at := func(col, row int) color.Color {
		return img.At(int(x0+(float64(col)+0.5)*cell), int(y0+(float64(row)+0.5)*cell))
	}
	for _, c := range []struct {
		name     string
		col, row int // in the bordered grid
		want     color.RGBA
	}{
		{"border", 0, 0, WallColor},
		{"wall", 3, 1, WallColor},
		{"goal", 3, 2, GoalColor},
		{"floor", 2, 1, FloorColor},
	} {
		r, g, bl, _ := at(c.col, c.row).RGBA()
		if got := (color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 0xff}); got != c.want {
			t.Errorf("%s cell has colour %v, want %v", c.name, got, c.want)
		}
	}
	if err := WriteGridPNG(&buf, []*Level{l}, []string{"a", "b"}, 1); err == nil {
		t.Error("two titles for one level: no error")
	}
	if err := WriteGridPNG(&buf, nil, nil, 1); err == nil {
		t.Error("no levels: no error")
	}
	if err := WriteGridPNG(&buf, []*Level{{Width: 1, Height: 1}}, nil, 1); err == nil {
		t.Error("invalid level: no error")
	}
}

// TestHeldOutFigure draws the held-out set; with -update it writes
// docs/figures/maze_heldout.png.
func TestHeldOutFigure(t *testing.T) {
	if testing.Short() && !*update {
		t.Skip("rendering 18 mazes")
	}
	var buf bytes.Buffer
	if err := WriteHeldOutPNG(&buf); err != nil {
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
		path := filepath.Join("..", "..", "docs", "figures", "maze_heldout.png")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
