package keydoor

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestTaskShapes pins every task's grid size and step limit to MiniGrid's
// registrations and max_steps formulas.
func TestTaskShapes(t *testing.T) {
	cases := []struct {
		name          string
		width, height int
		maxSteps      int
	}{
		{"Unlock", 11, 6, 288},
		{"UnlockPickup", 11, 6, 288},
		{"BlockedUnlockPickup", 11, 6, 576},
		{"KeyCorridorS3R1", 7, 3, 270},
		{"KeyCorridorS3R2", 7, 5, 270},
		{"KeyCorridorS3R3", 7, 7, 270},
		{"KeyCorridorS4R3", 10, 10, 480},
		{"KeyCorridorS5R3", 13, 13, 750},
		{"KeyCorridorS6R3", 16, 16, 1080},
		{"1Dl", 11, 6, 288},
		{"1Dlh", 11, 6, 288},
		{"1Dlhb", 11, 6, 288},
		{"2Dl", 16, 16, 576},
		{"2Dlh", 16, 16, 576},
		{"2Dlhb", 16, 16, 576},
		{"1Q", 16, 16, 720},
		{"2Q", 16, 16, 1584},
		{"Full", 16, 16, 3600},
	}
	if got := TaskNames(); len(got) != len(cases) {
		t.Fatalf("TaskNames has %d tasks, want %d: %v", len(got), len(cases), got)
	}
	for _, c := range cases {
		var w World
		limit, err := Generate(&w, c.name, 1, OMv1)
		if err != nil {
			t.Fatal(err)
		}
		if w.Width() != c.width || w.Height() != c.height || limit != c.maxSteps {
			t.Errorf("%s: %d×%d grid, max_steps %d; want %d×%d, %d", c.name, w.Width(), w.Height(), limit, c.width, c.height, c.maxSteps)
		}
		if m, ok := MaxSteps(c.name); !ok || m != c.maxSteps {
			t.Errorf("MaxSteps(%q) = %d, %v", c.name, m, ok)
		}
	}
	if _, ok := MaxSteps("KeyCorridorS7R3"); ok {
		t.Error("MaxSteps knows KeyCorridorS7R3")
	}
	var w World
	if _, err := Generate(&w, "Nope", 0, OMv1); err == nil {
		t.Error("Generate accepted an unknown task")
	}
	if _, err := Generate(&w, "Full", 0, "v2"); err == nil {
		t.Error("Generate accepted ObstructedMaze version v2")
	}
}

// census counts what a layout holds.
type census struct {
	target        Obj
	targetPos     Pos
	targets       int
	locked        []Pos // locked doors
	closed, open  int
	keys          map[Color]int // keys of each colour, boxed or not
	boxedKeys     int
	balls, boxes  int
	blockingBalls int // non-target balls next to a locked door
}

func takeCensus(w *World) census {
	c := census{keys: map[Color]int{}}
	for y := range w.Height() {
		for x := range w.Width() {
			p := Pos{x, y}
			o := w.At(p)
			if o.Target {
				c.target, c.targetPos = o, p
				c.targets++
			}
			switch o.Kind {
			case Door:
				switch o.State {
				case Locked:
					c.locked = append(c.locked, p)
				case Closed:
					c.closed++
				default:
					c.open++
				}
			case Key:
				c.keys[o.Color]++
			case Box:
				c.boxes++
				if o.In == Key {
					c.keys[o.InColor]++
					c.boxedKeys++
				}
			case Ball:
				c.balls++
				if !o.Target {
					for _, d := range dirVec {
						if n := w.At(Pos{x + d.X, y + d.Y}); n.Kind == Door && n.State == Locked {
							c.blockingBalls++
							break
						}
					}
				}
			}
		}
	}
	return c
}

// roomOf returns the room (column, row) of a cell of a task's layout.
func roomOf(p Pos, size int) Pos { return Pos{p.X / (size - 1), p.Y / (size - 1)} }

// TestTaskLayouts checks the structure of each task's layouts over many
// seeds: the mission's object, the doors, keys, boxes and balls, and where
// they lie.
func TestTaskLayouts(t *testing.T) {
	seeds := 200
	if testing.Short() {
		seeds = 40
	}
	type want struct {
		target         Kind
		locked, closed int // -1: any
		boxedKeys      int
		blocking       int
		targetRooms    []Pos
		agentRooms     []Pos
	}
	kc := func(rows int) want {
		var right, middle []Pos
		for j := range rows {
			right = append(right, Pos{2, j})
			middle = append(middle, Pos{1, j})
		}
		return want{target: Ball, locked: 1, closed: -1, targetRooms: right, agentRooms: middle}
	}
	wants := map[string]want{
		"Unlock":              {target: Door, locked: 1, agentRooms: []Pos{{0, 0}}},
		"UnlockPickup":        {target: Box, locked: 1, targetRooms: []Pos{{1, 0}}, agentRooms: []Pos{{0, 0}}},
		"BlockedUnlockPickup": {target: Box, locked: 1, blocking: 1, targetRooms: []Pos{{1, 0}}, agentRooms: []Pos{{0, 0}}},
		"KeyCorridorS3R1":     kc(1), "KeyCorridorS3R2": kc(2), "KeyCorridorS3R3": kc(3),
		"KeyCorridorS4R3": kc(3), "KeyCorridorS5R3": kc(3), "KeyCorridorS6R3": kc(3),
		"1Dl":   {target: Ball, locked: 1, targetRooms: []Pos{{1, 0}}, agentRooms: []Pos{{0, 0}}},
		"1Dlh":  {target: Ball, locked: 1, boxedKeys: 1, targetRooms: []Pos{{1, 0}}, agentRooms: []Pos{{0, 0}}},
		"1Dlhb": {target: Ball, locked: 1, boxedKeys: 1, blocking: 1, targetRooms: []Pos{{1, 0}}, agentRooms: []Pos{{0, 0}}},
		"2Dl":   {target: Ball, locked: 2, closed: 1, targetRooms: []Pos{{2, 0}}, agentRooms: []Pos{{2, 1}}},
		"2Dlh":  {target: Ball, locked: 2, closed: 1, boxedKeys: 2, targetRooms: []Pos{{2, 0}}, agentRooms: []Pos{{2, 1}}},
		"2Dlhb": {target: Ball, locked: 2, closed: 1, boxedKeys: 2, blocking: 2, targetRooms: []Pos{{2, 0}}, agentRooms: []Pos{{2, 1}}},
		"1Q":    {target: Ball, locked: 2, closed: 1, boxedKeys: 2, blocking: 2, targetRooms: []Pos{{2, 0}}, agentRooms: []Pos{{1, 1}}},
		"2Q":    {target: Ball, locked: 4, closed: 2, boxedKeys: 4, blocking: 4, targetRooms: []Pos{{2, 0}, {2, 2}}, agentRooms: []Pos{{2, 1}}},
		"Full":  {target: Ball, locked: 8, closed: 4, boxedKeys: 8, blocking: 8, targetRooms: []Pos{{2, 0}, {2, 2}, {0, 2}, {0, 0}}, agentRooms: []Pos{{1, 1}}},
	}
	for _, s := range specs {
		wt, ok := wants[s.name]
		if !ok {
			t.Fatalf("no expectation for task %s", s.name)
		}
		t.Run(s.name, func(t *testing.T) {
			seenTargetRooms := map[Pos]bool{}
			for seed := range uint64(seeds) {
				var w World
				if _, err := Generate(&w, s.name, seed, OMv1); err != nil {
					t.Fatal(err)
				}
				fail := func(format string, args ...any) {
					t.Helper()
					t.Fatalf("seed %d: %s\n%s", seed, fmt.Sprintf(format, args...), w.String())
				}
				c := takeCensus(&w)
				if c.targets != 1 || c.target.Kind != wt.target {
					fail("%d targets, the first a %v; want one %v", c.targets, c.target.Kind, wt.target)
				}
				if wt.target == Ball && !strings.HasPrefix(s.name, "KeyCorridor") && c.target.Color != Blue {
					fail("ObstructedMaze's ball is %v, want blue", c.target.Color)
				}
				if len(c.locked) != wt.locked || wt.closed >= 0 && c.closed != wt.closed || c.open != 0 {
					fail("%d locked, %d closed, %d open doors; want %d locked, %d closed, none open", len(c.locked), c.closed, c.open, wt.locked, wt.closed)
				}
				for _, p := range c.locked {
					if c.keys[w.At(p).Color] == 0 {
						fail("no key for the locked %v door at %v", w.At(p).Color, p)
					}
				}
				if c.boxedKeys != wt.boxedKeys || c.blockingBalls != wt.blocking {
					fail("%d keys in boxes, %d blocking balls; want %d, %d", c.boxedKeys, c.blockingBalls, wt.boxedKeys, wt.blocking)
				}
				if wt.targetRooms != nil {
					r := roomOf(c.targetPos, s.size)
					if !slices.Contains(wt.targetRooms, r) {
						fail("target in room %v, want one of %v", r, wt.targetRooms)
					}
					seenTargetRooms[r] = true
				}
				ap, ad := w.Agent()
				if r := roomOf(ap, s.size); !slices.Contains(wt.agentRooms, r) {
					fail("agent in room %v, want one of %v", r, wt.agentRooms)
				}
				if o := w.At(ap); o.Kind != Empty {
					fail("agent on a %v", o.Kind)
				}
				v := dirVec[ad]
				// KeyCorridor places the agent before connect_all adds
				// doors, which may then stand in front of it.
				front := w.At(Pos{ap.X + v.X, ap.Y + v.Y})
				lateDoor := strings.HasPrefix(s.name, "KeyCorridor") && front.Kind == Door && front.State == Closed
				if k := front.Kind; k != Empty && k != Wall && !lateDoor {
					fail("agent faces a %v: MiniGrid places it facing an empty cell or a wall", k)
				}
				checkCodes(t, &w)
			}
			if len(seenTargetRooms) != len(wt.targetRooms) {
				t.Errorf("targets seen in rooms %v over %d seeds, want all of %v", seenTargetRooms, seeds, wt.targetRooms)
			}
		})
	}
}

// TestKeyCorridorLayout checks KeyCorridor's structure: the middle column
// is one corridor, the key lies in the left column with the locked door's
// colour, and every room is reachable from the agent through doors.
func TestKeyCorridorLayout(t *testing.T) {
	for _, name := range []string{"KeyCorridorS3R3", "KeyCorridorS6R3"} {
		s := lookup(name)
		for seed := range uint64(50) {
			var w World
			Generate(&w, name, seed, OMv1)
			c := takeCensus(&w)
			door := w.At(c.locked[0])
			var keyPos Pos
			for y := range w.Height() {
				for x := range w.Width() {
					if o := w.At(Pos{x, y}); o.Kind == Key {
						keyPos = Pos{x, y}
						if o.Color != door.Color {
							t.Fatalf("%s seed %d: key %v, locked door %v", name, seed, o.Color, door.Color)
						}
					}
				}
			}
			if r := roomOf(keyPos, s.size); r.X != 0 {
				t.Fatalf("%s seed %d: key in room %v, want the left column", name, seed, r)
			}
			// The corridor: the middle column's inner walls are gone.
			x := s.size - 1 + s.size/2 // the middle column of the middle rooms
			for y := 1; y < w.Height()-1; y++ {
				if k := w.At(Pos{x, y}).Kind; k == Wall {
					t.Fatalf("%s seed %d: wall at (%d, %d) in the corridor", name, seed, x, y)
				}
			}
			// Every room is reachable when closed doors open and the
			// locked door counts as passable.
			if n := reachableRooms(&w, s.size); n != 3*s.rows {
				t.Fatalf("%s seed %d: %d rooms reachable, want %d\n%s", name, seed, n, 3*s.rows, w.String())
			}
		}
	}
}

// reachableRooms counts the rooms whose cells the agent reaches when every
// door is passable and objects are not obstacles.
func reachableRooms(w *World, size int) int {
	ap, _ := w.Agent()
	seen := map[Pos]bool{ap: true}
	rooms := map[Pos]bool{}
	stack := []Pos{ap}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if w.At(p).Kind != Door {
			rooms[roomOf(p, size)] = true
		}
		for _, d := range dirVec {
			q := Pos{p.X + d.X, p.Y + d.Y}
			if !w.Inside(q) || seen[q] || w.At(q).Kind == Wall {
				continue
			}
			seen[q] = true
			stack = append(stack, q)
		}
	}
	return len(rooms)
}

// TestObstructedMazeV0 checks the original generator: the same layouts
// structure, except that a blocking ball sometimes lands on a key placed
// before it, which v1 never lets happen.
func TestObstructedMazeV0(t *testing.T) {
	for _, name := range []string{"2Dlhb", "1Q", "2Q"} {
		covered := 0
		for seed := range uint64(300) {
			var w0, w1 World
			Generate(&w0, name, seed, OMv0)
			Generate(&w1, name, seed, OMv1)
			c0, c1 := takeCensus(&w0), takeCensus(&w1)
			if c1.boxedKeys != len(c1.locked) {
				t.Fatalf("%s seed %d, v1: %d boxed keys for %d locked doors", name, seed, c1.boxedKeys, len(c1.locked))
			}
			if c0.boxedKeys < len(c0.locked) {
				covered++
			}
			if len(c0.locked) != len(c1.locked) || c0.blockingBalls != c1.blockingBalls {
				t.Fatalf("%s seed %d: v0 and v1 differ in doors or blocking balls", name, seed)
			}
		}
		// One key in fifteen or so is covered per side room.
		if covered == 0 || covered > 60 {
			t.Errorf("%s, v0: %d of 300 layouts lost a key, want a few percent", name, covered)
		}
	}
}

// TestGenerateDeterministic checks that a (task, seed) pair always gives
// the same layout, that seeds change it, and that the stream is per task.
func TestGenerateDeterministic(t *testing.T) {
	for _, s := range specs {
		var a, b World
		Generate(&a, s.name, 42, OMv1)
		b.Init(3, 3)
		Generate(&b, s.name, 42, OMv1)
		if a.String() != b.String() {
			t.Fatalf("%s: seed 42 gave two layouts:\n%s\n\n%s", s.name, a.String(), b.String())
		}
		distinct := map[string]bool{}
		for seed := range uint64(20) {
			Generate(&a, s.name, seed, OMv1)
			distinct[a.String()] = true
		}
		if len(distinct) < 10 {
			t.Errorf("%s: only %d distinct layouts in 20 seeds", s.name, len(distinct))
		}
	}
	// A pinned layout, so that a change of generator shows.
	var w World
	Generate(&w, "KeyCorridorS3R3", 7, OMv1)
	want := `##############
##KyDe..##..##
##Db##..##De##
##..Db..De..##
##Db##<<######
##..Dg..LyAP##
##############`
	if w.String() != want {
		t.Errorf("KeyCorridorS3R3 seed 7:\n%s\nwant\n%s", w.String(), want)
	}
}
