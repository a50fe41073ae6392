package keydoor

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func mustParse(t *testing.T, text string) *World {
	t.Helper()
	w, err := ParseWorld(text)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestAct checks MiniGrid's action semantics one case at a time: the world
// before, what the agent carries, the action, the world and the carried
// object after, and whether the mission was achieved.
func TestAct(t *testing.T) {
	redKey := Obj{Kind: Key, Color: Red}
	blueKey := Obj{Kind: Key, Color: Blue}
	cases := []struct {
		name      string
		before    string
		carry     Obj
		act       int
		after     string
		carried   Obj
		succeeded bool
	}{
		{"left", "..>>..", Obj{}, ActLeft, "..^^..", Obj{}, false},
		{"right", "..>>..", Obj{}, ActRight, "..vv..", Obj{}, false},
		{"left from up", "..^^..", Obj{}, ActLeft, "..<<..", Obj{}, false},
		{"forward onto empty", ">>....", Obj{}, ActForward, "..>>..", Obj{}, false},
		{"forward into wall", ">>##..", Obj{}, ActForward, ">>##..", Obj{}, false},
		{"forward out of the grid", "..>>", Obj{}, ActForward, "..>>", Obj{}, false},
		{"forward into closed door", ">>Dr..", Obj{}, ActForward, ">>Dr..", Obj{}, false},
		{"forward into locked door", ">>Lr..", Obj{}, ActForward, ">>Lr..", Obj{}, false},
		{"forward onto open door", ">>_r..", Obj{}, ActForward, "..>>..", Obj{}, false},
		{"forward into key", ">>Kr..", Obj{}, ActForward, ">>Kr..", Obj{}, false},
		{"forward into ball", ">>Ab..", Obj{}, ActForward, ">>Ab..", Obj{}, false},
		{"forward onto goal", ">>GG..", Obj{}, ActForward, "..>>..", Obj{}, true},
		{"pickup key", ">>Kr..", Obj{}, ActPickup, ">>....", redKey, false},
		{"pickup ball", ">>Ag..", Obj{}, ActPickup, ">>....", Obj{Kind: Ball, Color: Green}, false},
		{"pickup box", ">>Bp..", Obj{}, ActPickup, ">>....", Obj{Kind: Box, Color: Purple}, false},
		{"pickup target", ">>AB..", Obj{}, ActPickup, ">>....", Obj{Kind: Ball, Color: Blue, Target: true}, true},
		{"pickup with full hands", ">>Kr..", blueKey, ActPickup, ">>Kr..", blueKey, false},
		{"pickup door", ">>Dr..", Obj{}, ActPickup, ">>Dr..", Obj{}, false},
		{"pickup nothing", ">>....", Obj{}, ActPickup, ">>....", Obj{}, false},
		{"drop on empty", ">>....", redKey, ActDrop, ">>Kr..", Obj{}, false},
		{"drop on object", ">>Ag..", redKey, ActDrop, ">>Ag..", redKey, false},
		{"drop on open door", ">>_g..", redKey, ActDrop, ">>_g..", redKey, false},
		{"drop on wall", ">>##..", redKey, ActDrop, ">>##..", redKey, false},
		{"drop nothing", ">>....", Obj{}, ActDrop, ">>....", Obj{}, false},
		{"toggle closed door", ">>Dr..", Obj{}, ActToggle, ">>_r..", Obj{}, false},
		{"toggle open door", ">>_r..", Obj{}, ActToggle, ">>Dr..", Obj{}, false},
		{"toggle locked door empty-handed", ">>Lr..", Obj{}, ActToggle, ">>Lr..", Obj{}, false},
		{"toggle locked door wrong key", ">>Lr..", blueKey, ActToggle, ">>Lr..", blueKey, false},
		{"toggle locked door with its key", ">>Lr..", redKey, ActToggle, ">>_r..", redKey, false},
		{"toggle locked door with a ball of its colour", ">>Lr..", Obj{Kind: Ball, Color: Red}, ActToggle, ">>Lr..", Obj{Kind: Ball, Color: Red}, false},
		{"open target door", ">>LR..", redKey, ActToggle, ">>_R..", redKey, true},
		{"open closed target door", ">>DR..", Obj{}, ActToggle, ">>_R..", Obj{}, true},
		{"close target door", ">>_R..", Obj{}, ActToggle, ">>DR..", Obj{}, false},
		{"toggle empty box", ">>Be..", Obj{}, ActToggle, ">>....", Obj{}, false},
		{"toggle ball", ">>Ab..", Obj{}, ActToggle, ">>Ab..", Obj{}, false},
		{"toggle wall", ">>##..", Obj{}, ActToggle, ">>##..", Obj{}, false},
		{"done", ">>Kr..", Obj{}, ActDone, ">>Kr..", Obj{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := mustParse(t, c.before)
			w.SetCarrying(c.carry)
			got := w.Act(c.act)
			if s := w.String(); s != c.after {
				t.Errorf("world %q, want %q", s, c.after)
			}
			if w.Carrying() != c.carried {
				t.Errorf("carrying %+v, want %+v", w.Carrying(), c.carried)
			}
			if got != c.succeeded {
				t.Errorf("achieved %v, want %v", got, c.succeeded)
			}
			checkCodes(t, w)
		})
	}
}

// TestActBoxContent checks that toggling a box replaces it by what it
// holds, and that picking up a box keeps its content.
func TestActBoxContent(t *testing.T) {
	w := mustParse(t, ">>Be")
	w.Set(Pos{1, 0}, Obj{Kind: Box, Color: Grey, In: Key, InColor: Yellow})
	w.Act(ActToggle)
	if got := w.At(Pos{1, 0}); got != (Obj{Kind: Key, Color: Yellow}) {
		t.Fatalf("after toggling the box: %+v, want a yellow key", got)
	}
	box := Obj{Kind: Box, Color: Grey, In: Key, InColor: Red}
	w.Set(Pos{1, 0}, box)
	w.Act(ActPickup)
	if w.Carrying() != box {
		t.Fatalf("carrying %+v, want %+v", w.Carrying(), box)
	}
	checkCodes(t, w)
}

func TestActPanicsOnBadAction(t *testing.T) {
	w := mustParse(t, ">>..")
	for _, a := range []int{-1, NumActions} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Act(%d) did not panic", a)
				}
			}()
			w.Act(a)
		}()
	}
}

// checkCodes checks that every cell's observation code matches its content.
func checkCodes(t *testing.T, w *World) {
	t.Helper()
	for i, c := range w.cells {
		if w.codes[i] != cellCode(c) {
			t.Fatalf("cell %v: code %#x, want %#x for %+v", w.pos(int32(i)), w.codes[i], cellCode(c), c)
		}
	}
}

func TestParseWorldRoundTrip(t *testing.T) {
	text := strings.Join([]string{
		"##########",
		"##Kr_gAB##",
		"##DpLy>>##",
		"##BeGG..##",
		"##########",
	}, "\n")
	w := mustParse(t, "\n  "+strings.ReplaceAll(text, "\n", "\n  ")+"\n")
	if got := w.String(); got != text {
		t.Fatalf("round trip:\n%s\nwant\n%s", got, text)
	}
	if w.Width() != 5 || w.Height() != 5 {
		t.Fatalf("size %d×%d, want 5×5", w.Width(), w.Height())
	}
	if p, d := w.Agent(); p != (Pos{3, 2}) || d != Right {
		t.Fatalf("agent at %v facing %d, want (3, 2) facing right", p, d)
	}
	if got := w.At(Pos{3, 1}); got != (Obj{Kind: Ball, Color: Blue, Target: true}) {
		t.Fatalf("target ball: %+v", got)
	}
	if got := w.At(Pos{2, 2}); got != (Obj{Kind: Door, Color: Yellow, State: Locked}) {
		t.Fatalf("locked door: %+v", got)
	}
}

func TestParseWorldErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"", "empty"},
		{">>.", "two per cell"},
		{">>..\n..", "row 2"},
		{"....", "0 agents"},
		{">>>>", "2 agents"},
		{">>Xr", "unknown cell"},
		{">>Kz", "unknown colour"},
	} {
		_, err := ParseWorld(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseWorld(%q) = %v, want an error containing %q", c.text, err, c.want)
		}
	}
}

// referenceImage computes the agent's view the way MiniGrid's gen_obs_grid
// does, step by step: slice the view's extent out of the grid (walls
// outside it), rotate it left dir+1 times, mark visible cells with
// process_vis, put the carried object in the agent's cell and encode. It
// returns MiniGrid's image, indexed [x][y][channel].
func referenceImage(w *World) [ViewSize][ViewSize][3]int {
	const n, h = ViewSize, ViewSize / 2
	ap, dir := w.Agent()
	var top Pos
	switch dir {
	case Right:
		top = Pos{ap.X, ap.Y - h}
	case Down:
		top = Pos{ap.X - h, ap.Y}
	case Left:
		top = Pos{ap.X - n + 1, ap.Y - h}
	case Up:
		top = Pos{ap.X - h, ap.Y - n + 1}
	}
	var g [n][n]Obj // [x][y]
	for i := range n {
		for j := range n {
			p := Pos{top.X + i, top.Y + j}
			if w.Inside(p) {
				g[i][j] = w.At(p)
			} else {
				g[i][j] = Obj{Kind: Wall}
			}
		}
	}
	for range int(dir) + 1 {
		var r [n][n]Obj
		for i := range n {
			for j := range n {
				r[j][n-1-i] = g[i][j]
			}
		}
		g = r
	}
	seeBehind := func(o Obj) bool { return !(o.Kind == Wall || o.Kind == Door && o.State != Open) }
	var mask [n][n]bool
	mask[h][n-1] = true
	for j := n - 1; j >= 0; j-- {
		for i := 0; i < n-1; i++ {
			if !mask[i][j] || !seeBehind(g[i][j]) {
				continue
			}
			mask[i+1][j] = true
			if j > 0 {
				mask[i+1][j-1] = true
				mask[i][j-1] = true
			}
		}
		for i := n - 1; i > 0; i-- {
			if !mask[i][j] || !seeBehind(g[i][j]) {
				continue
			}
			mask[i-1][j] = true
			if j > 0 {
				mask[i-1][j-1] = true
				mask[i][j-1] = true
			}
		}
	}
	g[h][n-1] = w.Carrying()
	var img [n][n][3]int
	for i := range n {
		for j := range n {
			if !mask[i][j] {
				continue
			}
			o := g[i][j]
			switch o.Kind {
			case Empty:
				img[i][j] = [3]int{1, 0, 0}
			case Wall:
				img[i][j] = [3]int{2, 5, 0}
			case Door:
				img[i][j] = [3]int{4, int(o.Color), int(o.State)}
			case Key:
				img[i][j] = [3]int{5, int(o.Color), 0}
			case Ball:
				img[i][j] = [3]int{6, int(o.Color), 0}
			case Box:
				img[i][j] = [3]int{7, int(o.Color), 0}
			case Goal:
				img[i][j] = [3]int{8, 1, 0}
			}
		}
	}
	return img
}

// randomWorld fills a grid with walls, doors in every state, objects and a
// goal at random, and places the agent anywhere (even next to the edge, so
// that the view reaches outside the grid).
func randomWorld(rng *rand.Rand) *World {
	w := new(World)
	w.Init(3+rng.IntN(12), 3+rng.IntN(12))
	for y := range w.Height() {
		for x := range w.Width() {
			var o Obj
			switch r := rng.IntN(20); {
			case r < 5:
				o = Obj{Kind: Wall}
			case r < 8:
				o = Obj{Kind: Door, Color: Color(rng.IntN(6)), State: DoorState(rng.IntN(3))}
			case r < 9:
				o = Obj{Kind: Key, Color: Color(rng.IntN(6))}
			case r < 10:
				o = Obj{Kind: Ball, Color: Color(rng.IntN(6))}
			case r < 11:
				o = Obj{Kind: Box, Color: Color(rng.IntN(6))}
			case r < 12:
				o = Obj{Kind: Goal}
			}
			w.Set(Pos{x, y}, o)
		}
	}
	p := Pos{rng.IntN(w.Width()), rng.IntN(w.Height())}
	w.Set(p, Obj{})
	w.SetAgent(p, Dir(rng.IntN(4)))
	switch rng.IntN(3) {
	case 1:
		w.SetCarrying(Obj{Kind: Key, Color: Color(rng.IntN(6))})
	case 2:
		w.SetCarrying(Obj{Kind: Box, Color: Color(rng.IntN(6))})
	}
	return w
}

// TestObserveMatchesMiniGrid compares both encodings of the view with a
// literal transcription of MiniGrid's gen_obs_grid and Grid.encode on
// random worlds, every direction included.
func TestObserveMatchesMiniGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ints := make([]float64, MiniGridSize)
	hot := make([]float64, OneHotSize)
	occluded := 0
	for trial := range 3000 {
		w := randomWorld(rng)
		img := referenceImage(w)
		w.Observe(ints, MiniGridInts)
		w.Observe(hot, OneHot)
		for vy := range ViewSize {
			for vx := range ViewSize {
				k := vy*ViewSize + vx
				want := img[vx][vy]
				got := [3]int{int(ints[3*k]), int(ints[3*k+1]), int(ints[3*k+2])}
				if got != want {
					t.Fatalf("trial %d, view cell (%d, %d): minigrid code %v, want %v\n%s", trial, vx, vy, got, want, w)
				}
				if want[0] == 0 {
					occluded++
				}
				if h := decodeOneHot(t, hot[k*CellCodes:(k+1)*CellCodes]); h != want {
					t.Fatalf("trial %d, view cell (%d, %d): one-hot decodes to %v, want %v\n%s", trial, vx, vy, h, want, w)
				}
			}
		}
		_, d := w.Agent()
		for i := range 4 {
			want := 0.0
			if Dir(i) == d {
				want = 1
			}
			if ints[3*ViewCells+i] != want || hot[ViewCells*CellCodes+i] != want {
				t.Fatalf("trial %d: direction one-hot wrong for direction %d", trial, d)
			}
		}
	}
	if occluded == 0 {
		t.Fatal("no occluded cell in any trial: the test does not exercise occlusion")
	}
}

// decodeOneHot turns one view cell's OneHot code back into MiniGrid's
// (type, colour, state), checking that it is a valid code.
func decodeOneHot(t *testing.T, code []float64) [3]int {
	t.Helper()
	typ, col := -1, -1
	for i, v := range code {
		switch {
		case v == 0:
		case v == 1 && i < numCellTypes && typ < 0:
			typ = i
		case v == 1 && i >= numCellTypes && col < 0:
			col = i - numCellTypes
		default:
			t.Fatalf("invalid one-hot code %v", code)
		}
	}
	coloured := typ >= TypeDoorOpen && typ <= TypeBox
	if typ < 0 || coloured != (col >= 0) {
		t.Fatalf("invalid one-hot code %v", code)
	}
	m := minigridCode[typ]
	out := [3]int{int(m[0]), int(m[1]), int(m[2])}
	if coloured {
		out[1] = col
	}
	return out
}

// TestVisibleOcclusion pins down hand-checked views.
func TestVisibleOcclusion(t *testing.T) {
	cases := []struct {
		name  string
		world string
		// want lists the visibility of the view, farthest row first, '#'
		// visible and '.' hidden.
		want []string
	}{
		{
			name: "open room: everything visible",
			world: `
..............
..............
..............
..............
..............
..............
......^^......`,
			want: []string{"#######", "#######", "#######", "#######", "#######", "#######", "#######"},
		},
		{
			name: "visibility wraps around a single wall cell, as in MiniGrid",
			world: `
..............
..............
..............
..............
..............
......##......
......^^......`,
			want: []string{"#######", "#######", "#######", "#######", "#######", "#######", "#######"},
		},
		{
			name: "a wall across the view hides what lies beyond",
			world: `
..............
..............
..............
..............
..............
##############
......^^......`,
			want: []string{".......", ".......", ".......", ".......", ".......", "#######", "#######"},
		},
		{
			name: "open door in a wall lets the view through",
			world: `
..............
..............
..............
..............
..............
######_r######
......^^......`,
			want: []string{"#######", "#######", "#######", "#######", "#######", "#######", "#######"},
		},
		{
			name: "closed door in a wall",
			world: `
..............
..............
..............
..............
..............
######Dr######
......^^......`,
			want: []string{".......", ".......", ".......", ".......", ".......", "#######", "#######"},
		},
		{
			name: "objects do not occlude",
			world: `
..............
..............
..............
..............
..............
....AgKrBe....
......^^......`,
			want: []string{"#######", "#######", "#######", "#######", "#######", "#######", "#######"},
		},
		{
			name: "a gap in a wall",
			world: `
..............
..............
..............
..............
##..##########
..##..........
..##^^........`,
			// The agent is one cell left of the world's centre, so the
			// view's left column lies outside the grid (walls). Past the
			// gap, the view spreads along each row again.
			want: []string{"#######", "#######", "#######", "#######", ".######", "..#####", "..#####"},
		},
		{
			name: "walls beside the agent hide the sides",
			world: `
..............
..............
..............
..............
..............
..............
....##^^##....`,
			want: []string{"#######", "#######", "#######", "#######", "#######", "#######", "..###.."},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := mustParse(t, c.world)
			var vis [ViewCells]bool
			w.Visible(&vis)
			var got []string
			for j := range ViewSize {
				var b strings.Builder
				for i := range ViewSize {
					if vis[j*ViewSize+i] {
						b.WriteByte('#')
					} else {
						b.WriteByte('.')
					}
				}
				got = append(got, b.String())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("visible:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestObserveCarried checks that the agent's own view cell shows what it
// carries, as in MiniGrid.
func TestObserveCarried(t *testing.T) {
	w := mustParse(t, "..^^..")
	obs := make([]float64, MiniGridSize)
	w.Observe(obs, MiniGridInts)
	if got := obs[3*agentCell : 3*agentCell+3]; got[0] != 1 {
		t.Fatalf("empty hands: agent cell %v, want empty (1, 0, 0)", got)
	}
	w.SetCarrying(Obj{Kind: Key, Color: Purple})
	w.Observe(obs, MiniGridInts)
	if got := obs[3*agentCell : 3*agentCell+3]; got[0] != 5 || got[1] != float64(Purple) {
		t.Fatalf("carrying a purple key: agent cell %v, want (5, 3, 0)", got)
	}
}

func TestObserveAllocs(t *testing.T) {
	w := randomWorld(rand.New(rand.NewPCG(3, 4)))
	obs := make([]float64, OneHotSize)
	for _, enc := range []Encoding{OneHot, MiniGridInts} {
		if n := testing.AllocsPerRun(100, func() { w.Observe(obs, enc); w.Act(ActRight) }); n != 0 {
			t.Errorf("encoding %d: %v allocations per Observe+Act, want 0", enc, n)
		}
	}
}
