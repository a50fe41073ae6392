package maze

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Dir is the direction the agent faces, numbered as in MiniGrid.
type Dir uint8

// Directions, in MiniGrid's order: turning right adds 1 (mod 4).
const (
	Right Dir = iota
	Down
	Left
	Up
)

// String returns the direction's ASCII character: '>', 'v', '<' or '^'.
func (d Dir) String() string {
	if d < 4 {
		return string(dirChars[d])
	}
	return fmt.Sprintf("Dir(%d)", uint8(d))
}

// dirChars are the agent characters of the text form, indexed by Dir.
const dirChars = ">v<^"

// dirVec[d] is the unit step of direction d: x grows to the right, y
// downwards.
var dirVec = [4]Pos{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}

// Pos is a cell of a level's interior: X is the column from the left, Y the
// row from the top, both from 0. (dcd counts from the outer wall, so its
// coordinates are these plus one.)
type Pos struct {
	X, Y int
}

// Limits on a level's interior size, set by the one-byte fields of the binary
// encoding.
const (
	// MaxSide is the largest interior width or height.
	MaxSide = 255
)

// Level is one maze: a rectangular interior of Width × Height cells, each
// empty or a wall, surrounded by an implicit wall border (dcd's 15 × 15 grid
// is a 13 × 13 interior), with the agent's start cell and direction and the
// goal cell.
//
// MaxSteps is the episode's step limit; 0 means the family's horizon. It is
// set only on evaluation levels whose reference environment has its own step
// limit (dcd's held-out mazes use 2·size²).
//
// A valid level has 1 ≤ Width, Height ≤ MaxSide, len(Walls) = Width·Height,
// the agent and the goal inside the interior, on distinct cells that are not
// walls, a direction in 0..3 and 0 ≤ MaxSteps ≤ 65535.
type Level struct {
	Width, Height int
	// Walls holds the interior's walls row by row: cell (x, y) is
	// Walls[y*Width+x].
	Walls    []bool
	Agent    Pos
	Dir      Dir
	Goal     Pos
	MaxSteps int
}

// NewLevel returns an empty width × height level with the agent at the
// top-left cell facing right and the goal at the bottom-right cell.
func NewLevel(width, height int) *Level {
	return &Level{
		Width: width, Height: height,
		Walls: make([]bool, width*height),
		Goal:  Pos{width - 1, height - 1},
	}
}

// Wall reports whether p is a wall. Cells outside the interior are walls.
func (l *Level) Wall(p Pos) bool {
	if !l.Inside(p) {
		return true
	}
	return l.Walls[p.Y*l.Width+p.X]
}

// SetWall makes p a wall or clears it. p must be inside the interior.
func (l *Level) SetWall(p Pos, wall bool) { l.Walls[p.Y*l.Width+p.X] = wall }

// Inside reports whether p lies in the interior.
func (l *Level) Inside(p Pos) bool {
	return p.X >= 0 && p.X < l.Width && p.Y >= 0 && p.Y < l.Height
}

// NumWalls returns the number of interior walls.
func (l *Level) NumWalls() int {
	n := 0
	for _, w := range l.Walls {
		if w {
			n++
		}
	}
	return n
}

// Clone returns a deep copy of l.
func (l *Level) Clone() *Level {
	c := *l
	c.Walls = append([]bool(nil), l.Walls...)
	return &c
}

// Equal reports whether l and m are the same level.
func (l *Level) Equal(m *Level) bool {
	if l.Width != m.Width || l.Height != m.Height || l.Agent != m.Agent || l.Dir != m.Dir ||
		l.Goal != m.Goal || l.MaxSteps != m.MaxSteps || len(l.Walls) != len(m.Walls) {
		return false
	}
	for i, w := range l.Walls {
		if w != m.Walls[i] {
			return false
		}
	}
	return true
}

// Validate reports the first way in which l is not a valid level.
func (l *Level) Validate() error {
	switch {
	case l.Width < 1 || l.Height < 1 || l.Width > MaxSide || l.Height > MaxSide:
		return fmt.Errorf("maze: interior %d×%d: want width and height in 1..%d", l.Width, l.Height, MaxSide)
	case l.Width*l.Height < 2:
		return errors.New("maze: a 1×1 interior has no room for both the agent and the goal")
	case len(l.Walls) != l.Width*l.Height:
		return fmt.Errorf("maze: %d wall cells for a %d×%d interior", len(l.Walls), l.Width, l.Height)
	case !l.Inside(l.Agent):
		return fmt.Errorf("maze: agent at (%d, %d) outside the %d×%d interior", l.Agent.X, l.Agent.Y, l.Width, l.Height)
	case !l.Inside(l.Goal):
		return fmt.Errorf("maze: goal at (%d, %d) outside the %d×%d interior", l.Goal.X, l.Goal.Y, l.Width, l.Height)
	case l.Agent == l.Goal:
		return fmt.Errorf("maze: agent and goal on the same cell (%d, %d)", l.Agent.X, l.Agent.Y)
	case l.Wall(l.Agent):
		return fmt.Errorf("maze: agent on a wall at (%d, %d)", l.Agent.X, l.Agent.Y)
	case l.Wall(l.Goal):
		return fmt.Errorf("maze: goal on a wall at (%d, %d)", l.Goal.X, l.Goal.Y)
	case l.Dir > Up:
		return fmt.Errorf("maze: direction %d: want 0..3 (right, down, left, up)", l.Dir)
	case l.MaxSteps < 0 || l.MaxSteps > 0xffff:
		return fmt.Errorf("maze: max_steps %d: want 0 (the family's horizon) to 65535", l.MaxSteps)
	}
	return nil
}

// The binary encoding: a version byte, then width, height, agent x, agent y,
// direction, goal x, goal y (one byte each), max steps (two bytes, little
// endian), then the walls as a row-major bitmap, least significant bit first,
// with zero padding bits. 32 bytes for a 13 × 13 interior.
const (
	encVersion   = 1
	encHeaderLen = 10
)

// EncodedLen returns the length of the binary encoding of a width × height
// level.
func EncodedLen(width, height int) int { return encHeaderLen + (width*height+7)/8 }

// AppendBinary appends the binary encoding of l to dst and returns the
// extended slice. l must be valid. Equal levels have equal encodings.
func (l *Level) AppendBinary(dst []byte) ([]byte, error) {
	if err := l.Validate(); err != nil {
		return dst, err
	}
	dst = append(dst, encVersion, byte(l.Width), byte(l.Height),
		byte(l.Agent.X), byte(l.Agent.Y), byte(l.Dir), byte(l.Goal.X), byte(l.Goal.Y))
	dst = binary.LittleEndian.AppendUint16(dst, uint16(l.MaxSteps))
	var b byte
	for i, w := range l.Walls {
		if w {
			b |= 1 << (i & 7)
		}
		if i&7 == 7 {
			dst = append(dst, b)
			b = 0
		}
	}
	if len(l.Walls)&7 != 0 {
		dst = append(dst, b)
	}
	return dst, nil
}

// MarshalBinary returns the binary encoding of l.
func (l *Level) MarshalBinary() ([]byte, error) {
	return l.AppendBinary(make([]byte, 0, EncodedLen(l.Width, l.Height)))
}

// UnmarshalBinary decodes a level written by MarshalBinary into l, reusing
// l.Walls when it is large enough, so that decoding into the same Level
// allocates nothing. It rejects anything MarshalBinary would not write: a
// wrong version or length, non-zero padding bits, or an invalid level.
func (l *Level) UnmarshalBinary(data []byte) error {
	if len(data) < encHeaderLen {
		return fmt.Errorf("maze: encoded level of %d bytes: want at least %d", len(data), encHeaderLen)
	}
	if data[0] != encVersion {
		return fmt.Errorf("maze: encoded level has version %d: want %d", data[0], encVersion)
	}
	w, h := int(data[1]), int(data[2])
	if want := EncodedLen(w, h); len(data) != want {
		return fmt.Errorf("maze: encoded %d×%d level has %d bytes: want %d", w, h, len(data), want)
	}
	n := w * h
	if cap(l.Walls) < n {
		l.Walls = make([]bool, n)
	}
	l.Walls = l.Walls[:n]
	l.Width, l.Height = w, h
	l.Agent = Pos{int(data[3]), int(data[4])}
	l.Dir = Dir(data[5])
	l.Goal = Pos{int(data[6]), int(data[7])}
	l.MaxSteps = int(binary.LittleEndian.Uint16(data[8:10]))
	bits := data[encHeaderLen:]
	for i := range l.Walls {
		l.Walls[i] = bits[i>>3]&(1<<(i&7)) != 0
	}
	if n&7 != 0 && bits[len(bits)-1]>>(n&7) != 0 {
		return errors.New("maze: encoded level has non-zero padding bits")
	}
	return l.Validate()
}

// DecodeLevel returns the level encoded in data.
func DecodeLevel(data []byte) (*Level, error) {
	l := new(Level)
	if err := l.UnmarshalBinary(data); err != nil {
		return nil, err
	}
	return l, nil
}

// Metrics are the level statistics dcd logs for its teachers.
type Metrics struct {
	// Walls is the number of interior walls.
	Walls int
	// Distance is the Manhattan distance from the agent to the goal.
	Distance int
	// ShortestPath is the number of forward moves on a shortest path from
	// the agent to the goal, or Width·Height+1 if there is none (dcd's
	// convention: one more than any possible path).
	ShortestPath int
	// Solvable reports whether the goal can be reached.
	Solvable bool
}

// Metrics returns l's statistics. l must be valid.
func (l *Level) Metrics() Metrics {
	d, ok := l.ShortestPath()
	if !ok {
		d = l.Width*l.Height + 1
	}
	return Metrics{
		Walls:        l.NumWalls(),
		Distance:     abs(l.Goal.X-l.Agent.X) + abs(l.Goal.Y-l.Agent.Y),
		ShortestPath: d,
		Solvable:     ok,
	}
}

// ShortestPath returns the number of forward moves on a shortest path from
// the agent's cell to the goal (breadth-first search over the 4-connected
// free cells; turns are not counted), and whether the goal is reachable at
// all. l must be valid.
func (l *Level) ShortestPath() (int, bool) {
	dist := l.distances(l.Goal, nil)
	d := dist[l.Agent.Y*l.Width+l.Agent.X]
	return int(d), d >= 0
}

// Solvable reports whether the agent can reach the goal.
func (l *Level) Solvable() bool {
	_, ok := l.ShortestPath()
	return ok
}

// distances fills dist (resized to Width·Height, reused if large enough) with
// the number of moves from every free cell to from, −1 for walls and
// unreachable cells, and returns it.
func (l *Level) distances(from Pos, dist []int32) []int32 {
	n := l.Width * l.Height
	if cap(dist) < 2*n {
		dist = make([]int32, n, 2*n)
	}
	dist = dist[:n]
	for i := range dist {
		dist[i] = -1
	}
	// The spare capacity serves as the queue, of cells packed as y<<16 | x
	// (MaxSide < 1<<16) so that no division is needed.
	queue := dist[n : 2*n : 2*n][:0]
	w, h := l.Width, l.Height
	dist[from.Y*w+from.X] = 0
	queue = append(queue, int32(from.Y<<16|from.X))
	for head := 0; head < len(queue); head++ {
		x, y := int(queue[head]&0xffff), int(queue[head]>>16)
		c := y*w + x
		d := dist[c] + 1
		if x > 0 && dist[c-1] < 0 && !l.Walls[c-1] {
			dist[c-1] = d
			queue = append(queue, int32(y<<16|(x-1)))
		}
		if x+1 < w && dist[c+1] < 0 && !l.Walls[c+1] {
			dist[c+1] = d
			queue = append(queue, int32(y<<16|(x+1)))
		}
		if y > 0 && dist[c-w] < 0 && !l.Walls[c-w] {
			dist[c-w] = d
			queue = append(queue, int32((y-1)<<16|x))
		}
		if y+1 < h && dist[c+w] < 0 && !l.Walls[c+w] {
			dist[c+w] = d
			queue = append(queue, int32((y+1)<<16|x))
		}
	}
	return dist
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
