package walker

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"testing"
)

var figure = flag.String("walker.figure", "", "write the scripted gait's strip figure (docs/figures/walker_stumps.png) to this path")

// gaitFrames plays the scripted gait on tr and returns n frames spread
// evenly over the episode, the last one at its end. It replays the episode
// once it knows its length: episodes are deterministic.
func gaitFrames(e *Env, tr *Terrain, seed uint64, n int) []Frame {
	walk(e, tr, seed)
	length := e.Outcome().Steps
	obs := make([]float64, e.ObsSize())
	a := make([]float64, e.Actions().Dims)
	g := NewGait()
	e.ResetTerrain(tr, seed, obs)
	g.Reset()
	var frames []Frame
	for step := 0; ; step++ {
		if step*(n-1) >= len(frames)*length {
			frames = append(frames, e.Snapshot())
		}
		if step == length {
			return frames
		}
		g.Act(obs, a)
		e.Step(a, obs)
	}
}

func stumpRows(e *Env) []StripRow {
	var rows []StripRow
	for _, tc := range []struct{ height, spacing float64 }{{0, 6}, {2, 3}} {
		tr := StumpTrack(tc.height, tc.spacing, rand.New(rand.NewPCG(1, 9)))
		frames := gaitFrames(e, tr, 1, 6)
		o := e.Outcome()
		outcome := "reaches the finish"
		if x := e.HullPosition().X; x < FinishX {
			outcome = fmt.Sprintf("falls at x = %.1f m", x)
		}
		rows = append(rows, StripRow{
			Terrain: tr,
			Frames:  frames,
			Label: fmt.Sprintf("Stump Tracks, mean stump height %g, spacing %g m: the scripted gait %s (return %.1f in %d steps)",
				tc.height, tc.spacing, outcome, o.Return, o.Steps),
		})
	}
	return rows
}

func TestWriteStrip(t *testing.T) {
	_, e := defaultEnv(t, nil)
	rows := stumpRows(e)
	opt := DefaultStripOptions()
	var buf bytes.Buffer
	if err := WriteStrip(&buf, rows, opt); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	w := int(6*(opt.Width*opt.PixelsPerMetre+6) + 6)
	if b := img.Bounds(); b.Dx() != w || b.Dy() < int(2*opt.Height*opt.PixelsPerMetre) {
		t.Fatalf("image is %v, want %d pixels wide and two frames high", b, w)
	}
	// The hull is drawn: some pixel has its colour.
	found := false
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y && !found; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == uint32(hullColour.R) && g>>8 == uint32(hullColour.G) && b>>8 == uint32(hullColour.B) {
				found = true
				break
			}
		}
	}
	if !found {
		t.Error("no hull in the picture")
	}
	if err := WriteStrip(&buf, nil, opt); err == nil {
		t.Error("empty strip accepted")
	}
	if *figure != "" {
		f, err := os.Create(*figure)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := WriteStrip(f, rows, opt); err != nil {
			t.Fatal(err)
		}
	}
}
