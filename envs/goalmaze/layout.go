package goalmaze

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Cell is a unit cell of a layout: column X from the left, row Y from the
// bottom. Cell (x, y) is the square of side 1 centred on the point (x, y), as
// in Sibling Rivalry's mazes, whose start cell ("origin") is centred on
// (0, 0).
type Cell struct{ X, Y int }

// Dir is one of the four directions a cell has a side in.
type Dir int

// The four directions, x growing to the East and y to the North.
const (
	East Dir = iota
	North
	West
	South
)

// dirStep is the cell offset of each direction.
var dirStep = [4]Cell{East: {1, 0}, North: {0, 1}, West: {-1, 0}, South: {0, -1}}

// Step returns the neighbour of c in direction d.
func (c Cell) Step(d Dir) Cell { s := dirStep[d]; return Cell{c.X + s.X, c.Y + s.Y} }

// Center returns the point at the centre of c.
func (c Cell) Center() [2]float64 { return [2]float64{float64(c.X), float64(c.Y)} }

// Layout is a maze: a W × H grid of unit cells, some of which belong to the
// maze (open cells) while the others are solid, and thin walls on cell sides.
// The agent moves inside open cells and never crosses a wall; every side of
// an open cell that faces a solid cell or the outside is a wall, so the agent
// never leaves the open cells, and every open cell is reachable from the
// start cell. A Layout is immutable once made and safe for concurrent use.
//
// Layouts are written in a text form (see [ParseLayout]) and drawn with
// [WritePanelsPNG].
type Layout struct {
	// Name is the layout's name in configs ("maze-1").
	Name string
	// Ref is the reference name of the maze in Sibling Rivalry's and SVGG's
	// code (square_pbcs_0), or "" for layouts made here.
	Ref string
	// Doc describes the layout in a sentence.
	Doc string
	// Limit is the layout's default step limit of an episode.
	Limit int

	w, h  int
	start Cell
	open  []bool // y*w + x
	// vwall[y*(w+1)+i] is the wall on the vertical line x = i − 0.5 in row
	// y (i = 0 is the West border, i = w the East border).
	vwall []bool
	// hwall[j*w+x] is the wall on the horizontal line y = j − 0.5 in column
	// x (j = 0 is the South border, j = h the North border).
	hwall []bool
	cells int   // number of open cells
	dist  []int // BFS distance in cell moves from the start, −1 if solid
}

// Size returns the number of columns and rows.
func (l *Layout) Size() (w, h int) { return l.w, l.h }

// Start returns the start cell.
func (l *Layout) Start() Cell { return l.start }

// OpenCells returns the number of open cells.
func (l *Layout) OpenCells() int { return l.cells }

// Bounds returns the corners of the layout's bounding box: every open cell
// lies in [lo[0], hi[0]] × [lo[1], hi[1]] = [−0.5, W−0.5] × [−0.5, H−0.5].
func (l *Layout) Bounds() (lo, hi [2]float64) {
	return [2]float64{-0.5, -0.5}, [2]float64{float64(l.w) - 0.5, float64(l.h) - 0.5}
}

// Inside reports whether c is a cell of the grid.
func (l *Layout) Inside(c Cell) bool { return c.X >= 0 && c.X < l.w && c.Y >= 0 && c.Y < l.h }

// Open reports whether c is an open cell (part of the maze).
func (l *Layout) Open(c Cell) bool { return l.Inside(c) && l.open[c.Y*l.w+c.X] }

// Wall reports whether the side of cell c in direction d is a wall. Sides of
// cells outside the grid are walls.
func (l *Layout) Wall(c Cell, d Dir) bool {
	if !l.Inside(c) {
		return true
	}
	switch d {
	case East:
		return l.vwall[c.Y*(l.w+1)+c.X+1]
	case West:
		return l.vwall[c.Y*(l.w+1)+c.X]
	case North:
		return l.hwall[(c.Y+1)*l.w+c.X]
	default:
		return l.hwall[c.Y*l.w+c.X]
	}
}

// CellAt returns the cell whose square holds p: (⌊x+½⌋, ⌊y+½⌋). A point on
// the line between two cells belongs to the cell above or to the right. The
// cell may lie outside the grid.
func CellAt(p [2]float64) Cell {
	return Cell{int(math.Floor(p[0] + 0.5)), int(math.Floor(p[1] + 0.5))}
}

// Valid reports whether goal g lies in an open cell, that is, whether the
// agent can be at g (every open cell is reachable from the start: see
// Distance for how far). Goals in solid cells or outside the maze are invalid:
// they can never be reached (except within the success radius of a valid
// point across the maze's border). Non-finite goals are invalid.
func (l *Layout) Valid(g [2]float64) bool {
	if math.IsNaN(g[0]) || math.IsNaN(g[1]) || math.IsInf(g[0], 0) || math.IsInf(g[1], 0) {
		return false
	}
	return l.Open(CellAt(g))
}

// Distance returns the length, in moves between side-adjacent open cells,
// of the shortest path from the start cell to c, or −1 if c is not open.
func (l *Layout) Distance(c Cell) int {
	if !l.Inside(c) {
		return -1
	}
	return l.dist[c.Y*l.w+c.X]
}

// Distances returns the length of the shortest path in cell moves from
// cell from to every cell, indexed y·W + x, −1 for cells that are solid or
// cannot be reached (breadth-first search).
func (l *Layout) Distances(from Cell) []int {
	dist := make([]int, l.w*l.h)
	for i := range dist {
		dist[i] = -1
	}
	if !l.Open(from) {
		return dist
	}
	dist[from.Y*l.w+from.X] = 0
	queue := []Cell{from}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for d := East; d <= South; d++ {
			if l.Wall(c, d) {
				continue
			}
			nb := c.Step(d)
			if k := nb.Y*l.w + nb.X; dist[k] < 0 {
				dist[k] = dist[c.Y*l.w+c.X] + 1
				queue = append(queue, nb)
			}
		}
	}
	return dist
}

// Path returns the cells of a shortest path from cell from to cell to, both
// included, or nil if either cell is not open. Among shortest paths it takes
// at every step the first open side in the order East, North, West, South.
func (l *Layout) Path(from, to Cell) []Cell {
	if !l.Open(from) || !l.Open(to) {
		return nil
	}
	// Distances from the target, then downhill from the source.
	dist := l.Distances(to)
	path := []Cell{from}
	for c := from; c != to; path = append(path, c) {
		for d := East; d <= South; d++ {
			if nb := c.Step(d); !l.Wall(c, d) && dist[nb.Y*l.w+nb.X] == dist[c.Y*l.w+c.X]-1 {
				c = nb
				break
			}
		}
	}
	return path
}

// TestGoals returns k × k goals in each open cell, in row-major order of the
// cells from the bottom-left and then of the goals in a cell: the points at
// offsets (a+½)/k − ½ from the cell's centre along each axis, a = 0..k−1 (the
// centre itself for k = 1; ±0.25 for k = 2). They are the centres of a
// uniform grid of k·W × k·H squares over the bounding box, keeping those in
// open cells.
func (l *Layout) TestGoals(k int) [][2]float64 {
	goals := make([][2]float64, 0, k*k*l.cells)
	for y := range l.h {
		for x := range l.w {
			if !l.open[y*l.w+x] {
				continue
			}
			for b := range k {
				for a := range k {
					goals = append(goals, [2]float64{
						float64(x) + (float64(a)+0.5)/float64(k) - 0.5,
						float64(y) + (float64(b)+0.5)/float64(k) - 0.5,
					})
				}
			}
		}
	}
	return goals
}

// String returns the layout's text form (see ParseLayout).
func (l *Layout) String() string {
	var b strings.Builder
	for j := l.h; j >= 0; j-- {
		// The horizontal line y = j − 0.5, then (below the top) row j−1.
		for x := range l.w {
			b.WriteByte('+')
			if l.hwall[j*l.w+x] {
				b.WriteByte('-')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString("+\n")
		if j == 0 {
			break
		}
		y := j - 1
		for x := range l.w + 1 {
			if l.vwall[y*(l.w+1)+x] {
				b.WriteByte('|')
			} else {
				b.WriteByte(' ')
			}
			if x == l.w {
				break
			}
			switch c := (Cell{x, y}); {
			case c == l.start:
				b.WriteByte('S')
			case l.open[y*l.w+x]:
				b.WriteByte('.')
			default:
				b.WriteByte('#')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ParseLayout reads a layout in text form: 2H+1 lines of 2W+1 characters,
// the top line first (North up), for example the U-maze
//
//	+-+-+-+-+-+
//	|. . . . .|
//	+-+-+-+-+ +
//	|# # # #|.|
//	+-+-+-+-+ +
//	|S . . . .|
//	+-+-+-+-+-+
//
// Even lines are horizontal lines of cell sides: '+' at even columns
// (corners), and at odd columns '-' for a wall or ' ' for an open side. Odd
// lines are rows of cells: at even columns '|' for a wall or ' ' for an open
// side, and at odd columns the cell: '.' open, 'S' the open start cell, '#'
// solid. The sides between two solid cells are ignored. Lines are trimmed of
// trailing spaces and padded back; blank lines before and after are ignored.
// It fails if the grid is malformed, there is not exactly one start, an open
// cell has an open side towards a solid cell or the outside, or some open
// cell cannot be reached from the start. The returned layout has no name and
// limit; callers set them.
func ParseLayout(text string) (*Layout, error) {
	lines := strings.Split(strings.Trim(text, "\n"), "\n")
	for i, s := range lines {
		lines[i] = strings.TrimRight(s, " \t\r")
	}
	if len(lines) < 3 || len(lines)%2 == 0 {
		return nil, fmt.Errorf("goalmaze: layout has %d lines, want an odd number ≥ 3 (2·rows+1)", len(lines))
	}
	width := len(lines[0])
	if width < 3 || width%2 == 0 {
		return nil, fmt.Errorf("goalmaze: layout's first line %q has %d characters, want an odd number ≥ 3 (2·columns+1)", lines[0], width)
	}
	for i, s := range lines {
		if len(s) > width {
			return nil, fmt.Errorf("goalmaze: layout line %d %q is longer than the first (%d characters)", i+1, s, width)
		}
		lines[i] = s + strings.Repeat(" ", width-len(s))
	}
	w, h := (width-1)/2, (len(lines)-1)/2
	l := &Layout{
		w: w, h: h, start: Cell{-1, -1},
		open:  make([]bool, w*h),
		vwall: make([]bool, (w+1)*h),
		hwall: make([]bool, w*(h+1)),
	}
	// Line r of the text holds y = h − 1 − (r−1)/2 for odd r, and the
	// horizontal line j = h − r/2 for even r.
	for r, s := range lines {
		for col := range width {
			ch := s[col]
			var ok bool
			switch {
			case r%2 == 0 && col%2 == 0:
				ok = ch == '+'
			case r%2 == 0:
				ok = ch == '-' || ch == ' '
				l.hwall[(h-r/2)*w+col/2] = ch == '-'
			case col%2 == 0:
				ok = ch == '|' || ch == ' '
				l.vwall[(h-1-r/2)*(w+1)+col/2] = ch == '|'
			default:
				c := Cell{col / 2, h - 1 - r/2}
				switch ch {
				case 'S':
					if l.start.X >= 0 {
						return nil, fmt.Errorf("goalmaze: layout line %d: a second start cell 'S' (the first is cell %v)", r+1, l.start)
					}
					l.start = c
					l.open[c.Y*w+c.X] = true
					ok = true
				case '.':
					l.open[c.Y*w+c.X] = true
					ok = true
				case '#':
					ok = true
				}
			}
			if !ok {
				return nil, fmt.Errorf("goalmaze: layout line %d column %d: unexpected %q", r+1, col+1, ch)
			}
		}
	}
	if l.start.X < 0 {
		return nil, errors.New("goalmaze: layout has no start cell 'S'")
	}
	for y := range h {
		for x := range w {
			c := Cell{x, y}
			if !l.open[y*w+x] {
				continue
			}
			l.cells++
			for d := East; d <= South; d++ {
				if !l.Wall(c, d) && !l.Open(c.Step(d)) {
					return nil, fmt.Errorf("goalmaze: layout: open cell %v has no wall on its %s side, which leads out of the maze", c, d)
				}
			}
		}
	}
	l.dist = l.Distances(l.start)
	for y := range h {
		for x := range w {
			if l.open[y*w+x] && l.dist[y*w+x] < 0 {
				return nil, fmt.Errorf("goalmaze: layout: open cell %v cannot be reached from the start %v", Cell{x, y}, l.start)
			}
		}
	}
	return l, nil
}

// String returns the direction's name.
func (d Dir) String() string {
	switch d {
	case East:
		return "East"
	case North:
		return "North"
	case West:
		return "West"
	case South:
		return "South"
	}
	return fmt.Sprintf("Dir(%d)", int(d))
}

// sameFrame reports whether two layouts have the same grid size and start.
func sameFrame(a, b *Layout) bool { return a.w == b.w && a.h == b.h && a.start == b.start }
