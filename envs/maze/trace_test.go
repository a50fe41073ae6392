package maze

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

var (
	traceRuns    = flag.String("trace-runs", "", "comma-separated label=samples.csv pairs: TestTraceFigureFromRuns draws their levels")
	traceReplays = flag.String("trace-replays", "", "comma-separated labels of -trace-runs whose blocks show only replayed levels")
	traceOut     = flag.String("trace-out", filepath.Join("..", "..", "docs", "figures", "maze_ued_levels.png"), "where TestTraceFigureFromRuns writes the figure")
)

// traceCSV writes a samples.csv as a run on the Levels view writes it, one
// row per level, played at steps 0, stride, 2·stride, ...
func traceCSV(t *testing.T, levels []*Level, stride int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("episode,steps,task_level,return,score,success\n")
	for i, l := range levels {
		enc, err := l.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		ret, ok := 0.0, i%2 == 0
		if ok {
			ret = 0.5
		}
		fmt.Fprintf(&b, "%d,%d,%s,%v,%v,%v\n", i, i*stride, base64.StdEncoding.EncodeToString(enc), ret, ret, ok)
	}
	return b.String()
}

func TestReadTrace(t *testing.T) {
	a := mustParse(t, ">.#\n..G")
	c := mustParse(t, "G.\n#^")
	got, err := ReadTrace(strings.NewReader(traceCSV(t, []*Level{a, c, a}, 100)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("read %d levels, want 3", len(got))
	}
	for i, want := range []*Level{a, c, a} {
		g := got[i]
		if !g.Level.Equal(want) || g.Episode != int64(i) || g.Steps != int64(100*i) || g.Success != (i%2 == 0) || g.Replay != (i == 2) {
			t.Errorf("row %d: got %+v (level\n%v), want level\n%v at episode %d, steps %d, replay %v", i, g, g.Level, want, i, 100*i, i == 2)
		}
	}
	// Column order does not matter and other columns are ignored.
	enc, _ := a.MarshalBinary()
	text := "success,task_level,x,return,steps,episode\ntrue," + base64.StdEncoding.EncodeToString(enc) + ",7,0.25,40,3\n"
	got, err = ReadTrace(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Steps != 40 || got[0].Episode != 3 || got[0].Return != 0.25 || !got[0].Success {
		t.Errorf("reordered columns: got %+v", got)
	}

	b64 := base64.StdEncoding.EncodeToString(enc)
	bad, _ := c.MarshalBinary()
	bad[len(bad)-1] |= 0x80 // a padding bit
	for _, tc := range []struct {
		name, text, want string
	}{
		{"empty", "", "empty file"},
		{"no level column", "episode,steps,task_index,return,success\n", `no "task_level" column`},
		{"box trace", "episode,steps,task_walls,return,score,success\n0,0,3,0,0,false\n", `no "task_level" column`},
		{"bad episode", "episode,steps,task_level,return,success\nx,0," + b64 + ",0,false\n", `line 2: episode "x"`},
		{"bad steps", "episode,steps,task_level,return,success\n0,1.5," + b64 + ",0,false\n", `line 2: steps "1.5"`},
		{"bad base64", "episode,steps,task_level,return,success\n0,0,@@,0,false\n", "line 2: task_level"},
		{"bad level", "episode,steps,task_level,return,success\n0,0," + base64.StdEncoding.EncodeToString(bad) + ",0,false\n", "line 2: task_level: maze"},
		{"bad return", "episode,steps,task_level,return,success\n0,0," + b64 + ",r,false\n", `line 2: return "r"`},
		{"bad success", "episode,steps,task_level,return,success\n0,0," + b64 + ",0,maybe\n", `line 2: success "maybe"`},
		{"short row", "episode,steps,task_level,return,success\n0,0\n", "wrong number of fields"},
	} {
		_, err := ReadTrace(strings.NewReader(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestTraceWindows(t *testing.T) {
	// steps lists the Steps of each traced level, replay which of them are
	// replays (by index); the picks are indices.
	for _, tc := range []struct {
		name            string
		steps           []int64
		replay          []int
		end             int64
		windows, perWin int
		replays         bool
		want            [][]int
	}{
		{"even", []int64{0, 10, 20, 30, 40, 50, 60, 70}, nil, 80, 2, 2, false, [][]int{{1, 3}, {5, 7}}},
		{"fewer than asked", []int64{0, 10, 50}, nil, 60, 2, 3, false, [][]int{{0, 1}, {2}}},
		{"empty window", []int64{0, 1, 2, 90}, nil, 100, 4, 1, false, [][]int{{1}, nil, nil, {3}}},
		{"one per window from many", []int64{0, 1, 2, 3, 4, 5, 6, 7, 8}, nil, 9, 1, 1, false, [][]int{{4}}},
		{"window edge", []int64{0, 49, 50, 99}, nil, 100, 2, 4, false, [][]int{{0, 1}, {2, 3}}},
		{"replays only", []int64{0, 10, 20, 30, 40, 50, 60, 70}, []int{2, 3, 5, 6, 7}, 80, 2, 2, true, [][]int{{2, 3}, {5, 7}}},
		{"window without replays", []int64{0, 10, 20, 30, 40, 50, 60, 70}, []int{5}, 80, 2, 2, true, [][]int{nil, {5}}},
		{"replays ignored", []int64{0, 10, 20, 30}, []int{1}, 40, 1, 2, false, [][]int{{1, 3}}},
	} {
		levels := make([]TraceLevel, len(tc.steps))
		for i, s := range tc.steps {
			levels[i] = TraceLevel{Steps: s, Episode: int64(i)}
		}
		for _, i := range tc.replay {
			levels[i].Replay = true
		}
		got := traceWindows(levels, tc.end, tc.windows, tc.perWin, tc.replays)
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %d windows, want %d", tc.name, len(got), len(tc.want))
		}
		for w := range got {
			var idx []int
			for _, l := range got[w] {
				idx = append(idx, int(l.Episode))
			}
			if fmt.Sprint(idx) != fmt.Sprint(tc.want[w]) {
				t.Errorf("%s: window %d picks %v, want %v", tc.name, w, idx, tc.want[w])
			}
		}
	}
}

func TestShortCount(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1k"}, {12_500, "12.5k"}, {250_000, "250k"},
		{999_499, "999k"}, {999_500, "1M"}, {1_250_000, "1.25M"}, {3_000_000, "3M"}, {1_500_000_000, "1500M"},
	} {
		if got := shortCount(tc.n); got != tc.want {
			t.Errorf("shortCount(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestTraceCaption(t *testing.T) {
	l := mustParse(t, ">.#\n#.G")
	for _, tc := range []struct {
		t    TraceLevel
		want string
	}{
		{TraceLevel{Level: l}, "2 walls, path 3\nnot solved"},
		{TraceLevel{Level: l, Success: true, Return: 0.856}, "2 walls, path 3\nsolved (0.86)"},
		{TraceLevel{Level: l, Success: true, Return: 0.5, Replay: true}, "2 walls, path 3\nreplay: solved (0.50)"},
		{TraceLevel{Level: mustParse(t, ">#G"), Replay: true}, "1 wall, no path\nreplay: not solved"},
	} {
		if got := traceCaptionText(tc.t); got != tc.want {
			t.Errorf("caption of %+v: %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestWriteTraceFigure(t *testing.T) {
	a := mustParse(t, ">.#\n..G")
	c := mustParse(t, "G.#\n#.^\n...")
	var levels []TraceLevel
	for i := range 12 {
		l := a
		if i%3 == 0 {
			l = c
		}
		levels = append(levels, TraceLevel{Episode: int64(i), Steps: int64(10 * i), Level: l, Success: i%2 == 0, Return: 0.5})
	}
	runs := []TraceRun{{Label: "dr", Levels: levels}, {Label: "accel", Levels: levels[:7]}}
	var buf bytes.Buffer
	if err := WriteTraceFigure(&buf, runs, 3, 4); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// Width: the row labels and 4 panels; height: 2 blocks of a header and
	// 3 rows.
	wantW := float64(traceLabelW+4*(tracePanel+traceGap)+traceGap) / float64(vg.Inch) * RenderDPI
	wantH := float64(2*(traceHeader+3*(tracePanel+traceCaption+traceGap)+traceGap)+traceGap) / float64(vg.Inch) * RenderDPI
	if d := float64(cfg.Width) - wantW; d < -1 || d > 1 {
		t.Errorf("figure %d pixels wide, want %.0f", cfg.Width, wantW)
	}
	if d := float64(cfg.Height) - wantH; d < -1 || d > 1 {
		t.Errorf("figure %d pixels high, want %.0f", cfg.Height, wantH)
	}

	backwards := append([]TraceLevel(nil), levels...)
	backwards[3].Steps = 0
	for _, tc := range []struct {
		name            string
		runs            []TraceRun
		windows, perWin int
		want            string
	}{
		{"no runs", nil, 2, 2, "no runs"},
		{"no windows", runs, 0, 2, "0 windows"},
		{"no levels per window", runs, 2, 0, "of 0 levels"},
		{"empty trace", []TraceRun{{Label: "plr"}}, 2, 2, `"plr" has an empty trace`},
		{"nil level", []TraceRun{{Label: "plr", Levels: []TraceLevel{{}}}}, 2, 2, "level 0 is nil"},
		{"invalid level", []TraceRun{{Label: "plr", Levels: []TraceLevel{{Level: &Level{Width: 1, Height: 1}}}}}, 2, 2, "level 0"},
		{"out of order", []TraceRun{{Label: "plr", Levels: backwards}}, 2, 2, "steps go back"},
	} {
		err := WriteTraceFigure(&buf, tc.runs, tc.windows, tc.perWin)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestTraceFigureFromRuns draws the levels of real runs: with
//
//	go test ./envs/maze -run TestTraceFigureFromRuns -trace-runs dr=DIR/runs/maze__dr__ppo__s0/samples.csv,...
//
// it writes -trace-out (docs/figures/maze_ued_levels.png by default) with 4
// windows of 6 levels per run; the runs whose labels -trace-replays lists
// show only their replays. Without -trace-runs it is skipped.
func TestTraceFigureFromRuns(t *testing.T) {
	if *traceRuns == "" {
		t.Skip("no -trace-runs given")
	}
	replays := make(map[string]bool)
	for _, label := range strings.Split(*traceReplays, ",") {
		replays[label] = label != ""
	}
	var runs []TraceRun
	for _, pair := range strings.Split(*traceRuns, ",") {
		label, path, ok := strings.Cut(pair, "=")
		if !ok {
			t.Fatalf("-trace-runs entry %q: want label=path/to/samples.csv", pair)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		levels, err := ReadTrace(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		runs = append(runs, TraceRun{Label: label, Levels: levels, Replays: replays[label]})
		delete(replays, label)
	}
	for label, ok := range replays {
		if ok {
			t.Fatalf("-trace-replays names %q, which is not a label of -trace-runs", label)
		}
	}
	var buf bytes.Buffer
	if err := WriteTraceFigure(&buf, runs, 4, 6); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*traceOut, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", *traceOut, buf.Len())
}
