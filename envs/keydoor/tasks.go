package keydoor

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
)

// ObstructedMaze generator versions.
const (
	// OMv1 places every blocking ball before any key or box (MiniGrid's
	// ObstructedMaze_Full_V1), so every layout is solvable.
	OMv1 = "v1"
	// OMv0 is the order of the original environments (MiniGrid's
	// ObstructedMaze_Full, the -v0 ids of the mastering-rate curricula):
	// each locked door's key is placed right after its blocking ball, so
	// the ball of the side room's second door may land on (and delete) the
	// first door's key or box.
	OMv0 = "v0"
)

// spec describes one task: its RoomGrid shape, step limit and generator.
type spec struct {
	name       string
	rows, cols int
	size       int
	maxSteps   int
	stream     uint64 // second PCG seed word, from the name
	gen        func(l *layout, v0 bool)
}

// The tasks, graph by graph; max_steps are MiniGrid's formulas.
var specs = []*spec{
	{name: "Unlock", rows: 1, cols: 2, size: 6, maxSteps: 8 * 6 * 6, gen: genUnlock},
	{name: "UnlockPickup", rows: 1, cols: 2, size: 6, maxSteps: 8 * 6 * 6, gen: genUnlockPickup},
	{name: "BlockedUnlockPickup", rows: 1, cols: 2, size: 6, maxSteps: 16 * 6 * 6, gen: genBlockedUnlockPickup},
	keyCorridor(3, 1), keyCorridor(3, 2), keyCorridor(3, 3),
	keyCorridor(4, 3), keyCorridor(5, 3), keyCorridor(6, 3),
	obstructed1D("1Dl", false, false),
	obstructed1D("1Dlh", true, false),
	obstructed1D("1Dlhb", true, true),
	obstructedFull("2Dl", Pos{2, 1}, false, false, 1, 4),
	obstructedFull("2Dlh", Pos{2, 1}, true, false, 1, 4),
	obstructedFull("2Dlhb", Pos{2, 1}, true, true, 1, 4),
	obstructedFull("1Q", Pos{1, 1}, true, true, 1, 5),
	obstructedFull("2Q", Pos{2, 1}, true, true, 2, 11),
	obstructedFull("Full", Pos{1, 1}, true, true, 4, 25),
}

func init() {
	for _, s := range specs {
		h := fnv.New64a()
		h.Write([]byte("keydoor/" + s.name))
		s.stream = h.Sum64()
	}
}

// TaskNames returns the names of every task the family knows, as the
// curriculum graphs name them: Unlock, UnlockPickup, BlockedUnlockPickup,
// KeyCorridorS3R1 … KeyCorridorS6R3, and the ObstructedMaze tasks 1Dl …
// Full.
func TaskNames() []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.name
	}
	return out
}

// MaxSteps returns the step limit of the named task (MiniGrid's max_steps)
// and whether the task exists.
func MaxSteps(name string) (int, bool) {
	s := lookup(name)
	if s == nil {
		return 0, false
	}
	return s.maxSteps, true
}

func lookup(name string) *spec {
	i := slices.IndexFunc(specs, func(s *spec) bool { return s.name == name })
	if i < 0 {
		return nil
	}
	return specs[i]
}

// Generate builds the layout of the named task from seed into w, as an
// environment does on Reset, with the ObstructedMaze generator version
// (OMv1 or OMv0), and returns the task's step limit.
func Generate(w *World, name string, seed uint64, version string) (int, error) {
	s := lookup(name)
	if s == nil {
		return 0, fmt.Errorf("keydoor: unknown task %q", name)
	}
	if version != OMv0 && version != OMv1 {
		return 0, fmt.Errorf("keydoor: ObstructedMaze version %q: want %s or %s", version, OMv1, OMv0)
	}
	src := rand.NewPCG(0, 0)
	l := layout{w: w, rng: rand.New(src)}
	s.generate(&l, src, seed, version == OMv0)
	return s.maxSteps, nil
}

// generate draws the task's layout from seed with l's generator, whose
// source is src.
func (s *spec) generate(l *layout, src *rand.PCG, seed uint64, v0 bool) {
	src.Seed(seed, s.stream)
	l.build(s.rows, s.cols, s.size)
	s.gen(l, v0)
}

// genUnlock: a locked door on the right wall of the left room, its key
// somewhere in that room, the agent too; opening the door is the mission
// (MiniGrid's UnlockEnv).
func genUnlock(l *layout, _ bool) {
	p := l.addDoor(0, 0, 0, l.color(), true)
	door := l.w.At(p)
	door.Target = true
	l.w.Set(p, door)
	l.addObject(0, 0, Key, door.Color, false)
	l.placeAgent(0, 0)
}

// genUnlockPickup: as Unlock, and the mission is to pick up a box of a
// random colour in the right room (UnlockPickupEnv).
func genUnlockPickup(l *layout, _ bool) {
	l.addObject(1, 0, Box, l.color(), true)
	c := l.color()
	l.addDoor(0, 0, 0, c, true)
	l.addObject(0, 0, Key, c, false)
	l.placeAgent(0, 0)
}

// genBlockedUnlockPickup: as UnlockPickup, with a ball of a random colour
// on the cell in front of the door (BlockedUnlockPickupEnv).
func genBlockedUnlockPickup(l *layout, _ bool) {
	l.addObject(1, 0, Box, l.color(), true)
	c := l.color()
	p := l.addDoor(0, 0, 0, c, true)
	l.w.Set(Pos{p.X - 1, p.Y}, Obj{Kind: Ball, Color: l.color()})
	l.addObject(0, 0, Key, c, false)
	l.placeAgent(0, 0)
}

// keyCorridor is KeyCorridorS<size>R<rows>: 3 columns of rows rooms of side
// size; the middle column is one corridor holding the agent; a ball of a
// random colour lies behind a locked door in a random room of the right
// column; its key lies in a random room of the left column; closed doors
// of random colours join the other rooms (KeyCorridorEnv, max_steps
// 30·size²).
func keyCorridor(size, rows int) *spec {
	return &spec{
		name: "KeyCorridorS" + strconv.Itoa(size) + "R" + strconv.Itoa(rows),
		rows: rows, cols: 3, size: size, maxSteps: 30 * size * size,
		gen: func(l *layout, _ bool) {
			for j := 1; j < rows; j++ {
				l.removeWall(1, j, 3)
			}
			ri := l.intn(0, rows)
			c := l.color()
			l.addDoor(2, ri, 2, c, true)
			l.addObject(2, ri, Ball, l.color(), true)
			l.addObject(0, l.intn(0, rows), Key, c, false)
			l.placeAgent(1, rows/2)
			l.connectAll()
		},
	}
}

// ObstructedMaze colours: COLOR_NAMES sorted is blue, green, grey, …; the
// ball to find is COLOR_NAMES[0], blocking balls COLOR_NAMES[1], boxes
// COLOR_NAMES[2].
const (
	omTarget   = Blue
	omBlocking = Green
	omBox      = Grey
)

// doorColors draws a random order of the six colours (MiniGrid's
// _rand_subset(COLOR_NAMES, 6)).
func (l *layout) doorColors() [NumColors]Color {
	var c [NumColors]Color
	for i := range c {
		c[i] = Color(i)
	}
	for i := len(c) - 1; i > 0; i-- {
		j := l.rng.IntN(i + 1)
		c[i], c[j] = c[j], c[i]
	}
	return c
}

// omLockedDoor adds a locked door on wall k of room (i, j) and, if
// blocked, a green ball on the cell of room (i, j) in front of it
// (ObstructedMazeEnv.add_door without its key, which omKey places).
func (l *layout) omLockedDoor(i, j, k int, c Color, blocked bool) {
	p := l.addDoor(i, j, k, c, true)
	if blocked {
		v := dirVec[k]
		l.w.Set(Pos{p.X - v.X, p.Y - v.Y}, Obj{Kind: Ball, Color: omBlocking})
	}
}

// omKey places a key of colour c in room (i, j), inside a grey box if inBox.
func (l *layout) omKey(i, j int, c Color, inBox bool) {
	o := Obj{Kind: Key, Color: c}
	if inBox {
		o = Obj{Kind: Box, Color: omBox, In: Key, InColor: c}
	}
	l.placeInRoom(i, j, o)
}

// obstructed1D is ObstructedMaze-1D*: two rooms of side 6; a locked door
// between them whose key lies in the agent's room (in a box with h, the
// door blocked by a ball with b); the blue ball to pick up in the other
// room (ObstructedMaze_1Dlhb; max_steps 4·2·36).
func obstructed1D(name string, inBox, blocked bool) *spec {
	return &spec{
		name: name, rows: 1, cols: 2, size: 6, maxSteps: 4 * 2 * 36,
		gen: func(l *layout, _ bool) {
			colors := l.doorColors()
			l.omLockedDoor(0, 0, 0, colors[0], blocked)
			l.omKey(0, 0, colors[0], inBox)
			l.addObject(1, 0, Ball, omTarget, true)
			l.placeAgent(0, 0)
		},
	}
}

// obstructedFull is ObstructedMaze_Full and its registered variants: 3 × 3
// rooms of side 6; closed doors join the middle room to the first quarters
// side rooms (right, down, left, up); each of those side rooms has locked
// doors to its two neighbouring corner rooms, their keys in the side room
// (in boxes with h, the doors blocked from the side room by balls with
// b); the blue ball lies in one of the first quarters corners (top right,
// bottom right, bottom left, top left) drawn at random; the agent starts in
// room agent (max_steps 4·visited·36).
func obstructedFull(name string, agent Pos, inBox, blocked bool, quarters, visited int) *spec {
	return &spec{
		name: name, rows: 3, cols: 3, size: 6, maxSteps: 4 * visited * 36,
		gen: func(l *layout, v0 bool) {
			colors := l.doorColors()
			sides := [4]Pos{{2, 1}, {1, 2}, {0, 1}, {1, 0}}
			corners := [4]Pos{{2, 0}, {2, 2}, {0, 2}, {0, 0}}
			for i := range quarters {
				s := sides[i]
				l.addDoor(1, 1, i, colors[i], false)
				for _, k := range [2]int{-1, 1} {
					l.omLockedDoor(s.X, s.Y, (i+k+4)%4, colors[(i+k+6)%6], blocked)
					if v0 {
						l.omKey(s.X, s.Y, colors[(i+k+6)%6], inBox)
					}
				}
				if !v0 {
					for _, k := range [2]int{-1, 1} {
						l.omKey(s.X, s.Y, colors[(i+k+6)%6], inBox)
					}
				}
			}
			b := corners[l.rng.IntN(quarters)]
			l.addObject(b.X, b.Y, Ball, omTarget, true)
			l.placeAgent(agent.X, agent.Y)
		},
	}
}
