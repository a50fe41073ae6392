package keydoor

import (
	"fmt"

	"github.com/teachbench/teachbench/envs/internal/egoview"
)

// Kind is what occupies a cell of the grid.
type Kind uint8

// The kinds of cell content. Keys, balls and boxes can be picked up; walls,
// closed or locked doors and every object but an open door or the goal
// block the agent.
const (
	Empty Kind = iota
	Wall
	Door
	Key
	Ball
	Box
	Goal
	numKinds
)

var kindNames = [numKinds]string{"empty", "wall", "door", "key", "ball", "box", "goal"}

// String returns the kind's name as MiniGrid spells it.
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// pickable reports whether the agent can pick up an object of kind k
// (MiniGrid's can_pickup).
func (k Kind) pickable() bool { return k == Key || k == Ball || k == Box }

// Color is an object's colour, numbered as MiniGrid's COLOR_TO_IDX.
type Color uint8

// The six colours of MiniGrid.
const (
	Red Color = iota
	Green
	Blue
	Purple
	Yellow
	Grey
	// NumColors is the number of colours.
	NumColors
)

var colorNames = [NumColors]string{"red", "green", "blue", "purple", "yellow", "grey"}

// String returns the colour's name.
func (c Color) String() string {
	if c < NumColors {
		return colorNames[c]
	}
	return fmt.Sprintf("Color(%d)", int(c))
}

// DoorState is the state of a door, numbered as MiniGrid's STATE_TO_IDX.
type DoorState uint8

// Door states.
const (
	Open DoorState = iota
	Closed
	Locked
)

// Obj is the content of a cell, or the object the agent carries. The zero
// value is an empty cell.
type Obj struct {
	Kind  Kind
	Color Color
	// State is a door's state; zero for other kinds.
	State DoorState
	// Target marks the object the episode is about: picking it up (a key,
	// ball or box) or opening it (a door) achieves the mission. It moves
	// with the object; the observation does not show it.
	Target bool
	// In and InColor are what a box holds (In == Empty: nothing). Toggling
	// the box replaces it by this object.
	In      Kind
	InColor Color
}

// Pos is a cell position: X to the right, Y down, (0, 0) the top-left cell.
type Pos struct{ X, Y int }

// Dir is the agent's direction, numbered as MiniGrid's agent_dir.
type Dir uint8

// Directions.
const (
	Right Dir = iota
	Down
	Left
	Up
)

// dirVec are the unit vectors of the directions (MiniGrid's DIR_TO_VEC).
var dirVec = [4]Pos{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}

// Actions, numbered as MiniGrid's.
const (
	ActLeft = iota
	ActRight
	ActForward
	ActPickup
	ActDrop
	ActToggle
	ActDone
	// NumActions is the number of actions.
	NumActions
)

// View geometry: the agent sees the ViewSize × ViewSize square ahead of it.
const (
	// ViewSize is the side of the agent's view (MiniGrid's agent_view_size).
	ViewSize = 7
	// ViewCells is the number of cells in the view.
	ViewCells = ViewSize * ViewSize
	// agentCell is the view index of the agent's own cell: the bottom row,
	// middle column.
	agentCell = (ViewSize-1)*ViewSize + ViewSize/2
	// pad is the width of the wall margin kept around the grid, so that
	// the view never reads outside the padded grid (MiniGrid reads cells
	// outside the grid as walls).
	pad = ViewSize - 1
	// MaxSide bounds the grid's width and height.
	MaxSide = 64
)

// World is the engine: a grid of cells, the agent's position and direction,
// and the object it carries, with MiniGrid's dynamics (Act) and egocentric
// partial view (Observe). Its zero value is unusable; call Init first. Act
// and Observe allocate nothing.
type World struct {
	width, height int
	stride        int
	// cells holds the grid surrounded by pad wall cells on every side,
	// row-major; codes holds each cell's observation code (cellCode), kept
	// in step by put so that observing reads one byte per cell.
	cells    []Obj
	codes    []uint8
	agent    int32 // padded index of the agent's cell
	dir      Dir
	carrying Obj
	ahead    [4]int32            // padded offset of the cell ahead, per direction
	view     [4][ViewCells]int32 // padded offsets of the view cells, per direction
}

// Init makes w an empty width × height grid (every cell empty, no walls),
// the agent at (0, 0) facing right and carrying nothing. It reuses w's
// storage when it is large enough. It panics if a side is outside
// 1..MaxSide.
func (w *World) Init(width, height int) {
	if width < 1 || height < 1 || width > MaxSide || height > MaxSide {
		panic(fmt.Sprintf("keydoor: grid %d×%d: want sides in 1..%d", width, height, MaxSide))
	}
	stride := width + 2*pad
	n := stride * (height + 2*pad)
	if cap(w.cells) < n {
		w.cells = make([]Obj, n)
		w.codes = make([]uint8, n)
	}
	w.cells, w.codes = w.cells[:n], w.codes[:n]
	wall := cellCode(Obj{Kind: Wall})
	for i := range w.cells {
		w.cells[i], w.codes[i] = Obj{Kind: Wall}, wall
	}
	empty := cellCode(Obj{})
	for y := range height {
		i := (y+pad)*stride + pad
		clear(w.cells[i : i+width])
		for k := range width {
			w.codes[i+k] = empty
		}
	}
	w.width, w.height = width, height
	if stride != w.stride {
		w.stride = stride
		for d := range 4 {
			w.ahead[d] = egoview.Ahead(stride, d)
			egoview.View(w.view[d][:], stride, ViewSize, d)
		}
	}
	w.agent = w.index(Pos{})
	w.dir = Right
	w.carrying = Obj{}
}

// Width returns the grid's width in cells.
func (w *World) Width() int { return w.width }

// Height returns the grid's height in cells.
func (w *World) Height() int { return w.height }

// Inside reports whether p is a cell of the grid.
func (w *World) Inside(p Pos) bool {
	return p.X >= 0 && p.Y >= 0 && p.X < w.width && p.Y < w.height
}

func (w *World) index(p Pos) int32 { return int32((p.Y+pad)*w.stride + p.X + pad) }

func (w *World) pos(i int32) Pos {
	return Pos{int(i)%w.stride - pad, int(i)/w.stride - pad}
}

// At returns the content of cell p; cells outside the grid read as walls.
func (w *World) At(p Pos) Obj {
	if p.X < -pad || p.Y < -pad || p.X >= w.width+pad || p.Y >= w.height+pad {
		return Obj{Kind: Wall}
	}
	return w.cells[w.index(p)]
}

// Set puts o in cell p. It panics if p is outside the grid.
func (w *World) Set(p Pos, o Obj) {
	if !w.Inside(p) {
		panic(fmt.Sprintf("keydoor: Set %v outside the %d×%d grid", p, w.width, w.height))
	}
	w.put(w.index(p), o)
}

// put stores o in the cell of padded index i.
func (w *World) put(i int32, o Obj) {
	w.cells[i], w.codes[i] = o, cellCode(o)
}

// Agent returns the agent's cell and direction.
func (w *World) Agent() (Pos, Dir) { return w.pos(w.agent), w.dir }

// SetAgent moves the agent to p facing d. It panics if p is outside the grid.
func (w *World) SetAgent(p Pos, d Dir) {
	if !w.Inside(p) {
		panic(fmt.Sprintf("keydoor: SetAgent %v outside the %d×%d grid", p, w.width, w.height))
	}
	w.agent, w.dir = w.index(p), d&3
}

// Front returns the cell ahead of the agent.
func (w *World) Front() Pos {
	p := w.pos(w.agent)
	v := dirVec[w.dir]
	return Pos{p.X + v.X, p.Y + v.Y}
}

// Carrying returns the object the agent carries (Kind Empty: nothing).
func (w *World) Carrying() Obj { return w.carrying }

// SetCarrying makes the agent carry o.
func (w *World) SetCarrying(o Obj) { w.carrying = o }

// Act applies one of MiniGrid's actions (ActLeft … ActDone) and reports
// whether it achieved the mission: picking up the Target object, opening
// the Target door, or moving onto a goal. The semantics are MiniGrid's
// (minigrid_env.step and world_object.py):
//
//   - left, right turn in place;
//   - forward moves onto the cell ahead if it is empty, an open door or a
//     goal;
//   - pickup takes the key, ball or box ahead if the agent carries nothing;
//   - drop puts the carried object on the cell ahead if it is empty;
//   - toggle opens or closes the door ahead; a locked door opens only while
//     the agent carries a key of its colour (the key is kept); a box is
//     replaced by its content (nothing if it holds nothing);
//   - done does nothing.
//
// It panics on an action outside 0..NumActions−1.
func (w *World) Act(a int) bool {
	fwd := w.agent + w.ahead[w.dir]
	c := w.cells[fwd]
	switch a {
	case ActLeft:
		w.dir = (w.dir + 3) & 3
	case ActRight:
		w.dir = (w.dir + 1) & 3
	case ActForward:
		switch {
		case c.Kind == Empty || c.Kind == Door && c.State == Open:
			w.agent = fwd
		case c.Kind == Goal:
			w.agent = fwd
			return true
		}
	case ActPickup:
		if w.carrying.Kind == Empty && c.Kind.pickable() {
			w.carrying = c
			w.put(fwd, Obj{})
			return c.Target
		}
	case ActDrop:
		if c.Kind == Empty && w.carrying.Kind != Empty {
			w.put(fwd, w.carrying)
			w.carrying = Obj{}
		}
	case ActToggle:
		switch c.Kind {
		case Door:
			switch c.State {
			case Locked:
				if w.carrying.Kind == Key && w.carrying.Color == c.Color {
					c.State = Open
					w.put(fwd, c)
					return c.Target
				}
			case Closed:
				c.State = Open
				w.put(fwd, c)
				return c.Target
			case Open:
				c.State = Closed
				w.put(fwd, c)
			}
		case Box:
			w.put(fwd, Obj{Kind: c.In, Color: c.InColor})
		}
	case ActDone:
	default:
		panic(fmt.Sprintf("keydoor: action %d: want 0..%d", a, NumActions-1))
	}
	return false
}
