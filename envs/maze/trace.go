package maze

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"image/color"
	"io"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TraceLevel is one level a teacher proposed during a run, as the run's trace
// (its samples.csv) records it: replays, new levels, probed levels and ACCEL's
// edited children alike, in the order they were played.
type TraceLevel struct {
	// Episode is the number of episodes played before this one.
	Episode int64
	// Steps is the number of environment steps spent before this episode.
	Steps int64
	// Level is the level played.
	Level *Level
	// Return is the episode's return and Success whether it reached the
	// goal.
	Return  float64
	Success bool
	// Replay is whether the same level was played earlier in the trace.
	// For a level-replay teacher that means the level came from its buffer
	// (a new level is drawn afresh and, with tens of walls, all but never
	// repeats); under domain randomisation it is a chance repeat.
	Replay bool
}

// ReadTrace reads the levels of a run's trace: the samples.csv that a run on
// the family's Levels view writes, whose columns episode, steps, task_level
// (the level's binary encoding in standard base64), return and success it
// uses; other columns are ignored. It sets each level's Replay from the
// levels before it.
func ReadTrace(r io.Reader) ([]TraceLevel, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("maze: trace: empty file, want a header")
	}
	if err != nil {
		return nil, fmt.Errorf("maze: trace: %w", err)
	}
	names := []string{"episode", "steps", "task_level", "return", "success"}
	var col [5]int
	for i, name := range names {
		col[i] = -1
		for j, h := range header {
			if h == name {
				col[i] = j
			}
		}
		if col[i] < 0 {
			return nil, fmt.Errorf("maze: trace: no %q column (header %q); want the samples.csv of a run on the maze Levels view", name, header)
		}
	}
	var out []TraceLevel
	played := make(map[string]bool) // the encodings seen so far
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("maze: trace: %w", err)
		}
		var t TraceLevel
		field := func(i int) string { return rec[col[i]] }
		if t.Episode, err = strconv.ParseInt(field(0), 10, 64); err != nil {
			return nil, fmt.Errorf("maze: trace line %d: episode %q: want an integer", line, field(0))
		}
		if t.Steps, err = strconv.ParseInt(field(1), 10, 64); err != nil {
			return nil, fmt.Errorf("maze: trace line %d: steps %q: want an integer", line, field(1))
		}
		enc, err := base64.StdEncoding.DecodeString(field(2))
		if err != nil {
			return nil, fmt.Errorf("maze: trace line %d: task_level: %w", line, err)
		}
		if t.Level, err = DecodeLevel(enc); err != nil {
			return nil, fmt.Errorf("maze: trace line %d: task_level: %w", line, err)
		}
		t.Replay = played[string(enc)]
		played[string(enc)] = true
		if t.Return, err = strconv.ParseFloat(field(3), 64); err != nil {
			return nil, fmt.Errorf("maze: trace line %d: return %q: want a number", line, field(3))
		}
		if t.Success, err = strconv.ParseBool(field(4)); err != nil {
			return nil, fmt.Errorf("maze: trace line %d: success %q: want true or false", line, field(4))
		}
		out = append(out, t)
	}
}

// TraceRun is one run's trace under the label its block of a trace figure
// shows (typically the teacher's).
type TraceRun struct {
	Label  string
	Levels []TraceLevel
	// Replays restricts the figure to the run's replayed levels (those
	// with Replay set), so that for a level-replay teacher it samples what
	// the buffer holds rather than every proposal; a window without
	// replays stays empty.
	Replays bool
}

// traceWindows cuts [0, end) steps into windows equal ranges and picks from
// each up to perWindow of the levels played in it (only replays if
// replays), evenly spaced in the order they were played (the middle one of
// each of perWindow equal groups), so that a figure shows what the teacher
// proposed across the whole window. levels must be in the order of the
// trace.
func traceWindows(levels []TraceLevel, end int64, windows, perWindow int, replays bool) [][]TraceLevel {
	out := make([][]TraceLevel, windows)
	i := 0
	var in []TraceLevel
	for w := range windows {
		hi := end * int64(w+1) / int64(windows)
		in = in[:0]
		for ; i < len(levels) && (levels[i].Steps < hi || w == windows-1); i++ {
			if !replays || levels[i].Replay {
				in = append(in, levels[i])
			}
		}
		n := min(perWindow, len(in))
		for k := range n {
			out[w] = append(out[w], in[(2*k+1)*len(in)/(2*n)])
		}
	}
	return out
}

// Layout of WriteTraceFigure, in the style of WriteGridPNG with smaller
// panels so that several runs fit one figure.
const (
	tracePanel    = 1.0 * vg.Inch
	traceCaption  = 0.26 * vg.Inch // two lines of 6-point text
	traceGap      = 0.08 * vg.Inch
	traceLabelW   = 0.8 * vg.Inch
	traceHeader   = 0.26 * vg.Inch
	traceTextSize = 6 // points
	traceHeadSize = 9 // points
)

// WriteTraceFigure writes a PNG of what the teachers of runs proposed over
// time. For each run, in order, a block headed by its label has windows rows:
// row k shows perWindow of the levels played in the k-th of windows equal
// ranges of environment steps, from 0 to the largest step count in any of the
// traces (so that runs of equal budget share their windows), evenly spaced in
// playing order. Each panel is captioned with the level's wall count and
// shortest path and with the episode's outcome, marked "replay" for a
// replayed level. A trace records every played level, replays and new
// levels alike, so a row shows the teacher's proposals in that window; with
// the run's Replays set it shows only its replays, a sample of what the
// buffer held then, weighted by how often each level was replayed (it is
// not a snapshot of the buffer).
func WriteTraceFigure(w io.Writer, runs []TraceRun, windows, perWindow int) error {
	if len(runs) == 0 {
		return errors.New("maze: trace figure: no runs")
	}
	if windows < 1 || perWindow < 1 {
		return fmt.Errorf("maze: trace figure: %d windows of %d levels: want at least 1 of each", windows, perWindow)
	}
	var end int64
	for _, r := range runs {
		if len(r.Levels) == 0 {
			return fmt.Errorf("maze: trace figure: run %q has an empty trace", r.Label)
		}
		for i, t := range r.Levels {
			if t.Level == nil {
				return fmt.Errorf("maze: trace figure: run %q: level %d is nil", r.Label, i)
			}
			if err := t.Level.Validate(); err != nil {
				return fmt.Errorf("maze: trace figure: run %q: level %d: %w", r.Label, i, err)
			}
			if i > 0 && t.Steps < r.Levels[i-1].Steps {
				return fmt.Errorf("maze: trace figure: run %q: steps go back from %d to %d at level %d; want the trace's order", r.Label, r.Levels[i-1].Steps, t.Steps, i)
			}
		}
		end = max(end, r.Levels[len(r.Levels)-1].Steps+1)
	}

	rowH := tracePanel + traceCaption + traceGap
	blockH := traceHeader + vg.Length(windows)*rowH
	width := traceLabelW + vg.Length(perWindow)*(tracePanel+traceGap) + traceGap
	height := vg.Length(len(runs))*(blockH+traceGap) + traceGap
	img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(RenderDPI))
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	sans := font.Font{Typeface: "Liberation", Variant: "Sans"}
	small := draw.TextStyle{
		Color:   color.Black,
		Font:    font.From(sans, traceTextSize),
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
	head := small
	head.Font = font.From(font.Font{Typeface: "Liberation", Variant: "Sans", Weight: 700}, traceHeadSize)
	head.XAlign = draw.XLeft
	rowLabel := small
	rowLabel.XAlign = draw.XLeft

	top := height - traceGap
	for _, r := range runs {
		dc.FillText(head, vg.Point{X: traceGap, Y: top - traceHeader/2}, r.Label)
		for k, picks := range traceWindows(r.Levels, end, windows, perWindow, r.Replays) {
			yTop := top - traceHeader - vg.Length(k)*rowH
			lo, hi := end*int64(k)/int64(windows), end*int64(k+1)/int64(windows)
			dc.FillText(rowLabel, vg.Point{X: traceGap, Y: yTop - tracePanel/2},
				fmt.Sprintf("steps\n%s–%s", shortCount(lo), shortCount(hi)))
			for i, t := range picks {
				x := traceLabelW + vg.Length(i)*(tracePanel+traceGap)
				panel := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
					Min: vg.Point{X: x, Y: yTop - tracePanel},
					Max: vg.Point{X: x + tracePanel, Y: yTop},
				}}
				DrawLevel(panel, t.Level)
				dc.FillText(small, vg.Point{X: x + tracePanel/2, Y: yTop - tracePanel - traceCaption/2}, traceCaptionText(t))
			}
		}
		top -= blockH + traceGap
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return fmt.Errorf("maze: encoding PNG: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// traceCaptionText is a panel's caption: the level's walls and shortest path,
// then whether it was a replay and the episode's outcome (with its return).
func traceCaptionText(t TraceLevel) string {
	m := t.Level.Metrics()
	path := "no path"
	if m.Solvable {
		path = fmt.Sprintf("path %d", m.ShortestPath)
	}
	outcome := "not solved"
	if t.Success {
		outcome = fmt.Sprintf("solved (%.2f)", t.Return)
	}
	if t.Replay {
		outcome = "replay: " + outcome
	}
	walls := "walls"
	if m.Walls == 1 {
		walls = "wall"
	}
	return fmt.Sprintf("%d %s, %s\n%s", m.Walls, walls, path, outcome)
}

// shortCount writes n with a k or M suffix and at most three significant
// digits below a thousand units: 0, 750, 12.5k, 1.25M, 1500M.
func shortCount(n int64) string {
	x, suffix := float64(n), ""
	switch {
	case n >= 999_500:
		x, suffix = x/1e6, "M"
	case n >= 1000:
		x, suffix = x/1e3, "k"
	}
	if x >= 999.5 {
		return strconv.FormatFloat(x, 'f', 0, 64) + suffix
	}
	return strconv.FormatFloat(x, 'g', 3, 64) + suffix
}
