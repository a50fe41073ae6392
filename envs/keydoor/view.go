package keydoor

import "fmt"

// Encoding selects how Observe writes the agent's view.
type Encoding uint8

const (
	// OneHot writes CellCodes values per view cell: a one-hot code over
	// the ten cell types (unseen, empty, wall, open door, closed door,
	// locked door, key, ball, box, goal), then a one-hot colour over the
	// six colours for doors, keys, balls and boxes (all zero otherwise:
	// walls are always grey and goals green in MiniGrid). It holds what
	// MiniGrid's (type, colour, state) triple holds, in a form an MLP
	// reads directly.
	OneHot Encoding = iota
	// MiniGridInts writes MiniGrid's own encoding: per view cell the
	// integers (OBJECT_TO_IDX, COLOR_TO_IDX, state) as floats, e.g.
	// (2, 5, 0) for a wall and (0, 0, 0) for an unseen cell.
	MiniGridInts
)

// Observation sizes.
const (
	// CellCodes is the number of values per view cell with OneHot.
	CellCodes = numCellTypes + int(NumColors)
	// OneHotSize is the length of a OneHot observation: the view cells,
	// then the direction one-hot.
	OneHotSize = ViewCells*CellCodes + 4
	// MiniGridSize is the length of a MiniGridInts observation: three
	// values per view cell, then the direction one-hot.
	MiniGridSize = ViewCells*3 + 4
)

// Cell types of the OneHot encoding.
const (
	TypeUnseen = iota
	TypeEmpty
	TypeWall
	TypeDoorOpen
	TypeDoorClosed
	TypeDoorLocked
	TypeKey
	TypeBall
	TypeBox
	TypeGoal
	numCellTypes
)

// kindType is the OneHot type of each kind (TypeDoorOpen + state for doors).
var kindType = [numKinds]uint8{Empty: TypeEmpty, Wall: TypeWall, Door: TypeDoorOpen, Key: TypeKey, Ball: TypeBall, Box: TypeBox, Goal: TypeGoal}

// cellCode is the observation code of o: its OneHot type in the low four
// bits, for doors, keys, balls and boxes its colour + 1 in the next three,
// and codeOpaque if the agent cannot see past it.
func cellCode(o Obj) uint8 {
	t := kindType[o.Kind]
	switch o.Kind {
	case Wall:
		return t | codeOpaque
	case Door:
		c := (t + uint8(o.State)) | (uint8(o.Color)+1)<<4
		if o.State != Open {
			c |= codeOpaque
		}
		return c
	case Key, Ball, Box:
		return t | (uint8(o.Color)+1)<<4
	}
	return t
}

// codeOpaque marks the codes of cells the agent cannot see past: MiniGrid's
// see_behind is false for walls and for doors that are not open.
const codeOpaque = 1 << 7

// oneHotCodes holds the OneHot values of every cell code.
var oneHotCodes [256][CellCodes]float64

// minigridCode holds MiniGrid's (OBJECT_TO_IDX, colour, state) per OneHot
// type, with the colour of those whose colour is fixed (walls grey, goals
// green) and −1 where it is the object's.
var minigridCode = [16][3]float64{
	TypeUnseen:     {0, 0, 0},
	TypeEmpty:      {1, 0, 0},
	TypeWall:       {2, float64(Grey), 0},
	TypeDoorOpen:   {4, -1, 0},
	TypeDoorClosed: {4, -1, 1},
	TypeDoorLocked: {4, -1, 2},
	TypeKey:        {5, -1, 0},
	TypeBall:       {6, -1, 0},
	TypeBox:        {7, -1, 0},
	TypeGoal:       {8, float64(Green), 0},
}

// reverse7 reverses the order of the low seven bits.
var reverse7 [1 << ViewSize]uint8

func init() {
	for c := range oneHotCodes {
		if t := c & 15; t < numCellTypes {
			oneHotCodes[c][t] = 1
		}
		if col := c >> 4 & 7; col > 0 && col <= int(NumColors) {
			oneHotCodes[c][numCellTypes+col-1] = 1
		}
	}
	for v := range reverse7 {
		for i := range ViewSize {
			if v>>i&1 != 0 {
				reverse7[v] |= 1 << (ViewSize - 1 - i)
			}
		}
	}
}

// Size returns the observation length of the encoding.
func (e Encoding) Size() int {
	if e == MiniGridInts {
		return MiniGridSize
	}
	return OneHotSize
}

// Visible writes into vis which cells of the agent's view it can see, by
// MiniGrid's occlusion rule (Grid.process_vis with see_through_walls
// false): starting from the agent's cell, visibility spreads row by row
// away from the agent, first rightwards then leftwards along each row and
// to the cells diagonally and directly ahead, but never out of a wall or a
// door that is not open. View cells are indexed vy·ViewSize + vx, row vy = 0
// farthest from the agent, which sits at (ViewSize/2, ViewSize−1) facing
// up.
func (w *World) Visible(vis *[ViewCells]bool) {
	rows := w.visibleRows()
	for j, m := range rows {
		for i := range ViewSize {
			vis[j*ViewSize+i] = m>>i&1 != 0
		}
	}
}

// visibleRows returns the visibility of the view as one bit mask per row
// (bit vx of row vy).
func (w *World) visibleRows() [ViewSize]uint8 {
	var clear [ViewSize]uint8 // bit vx set: the agent can see past the cell
	offs := &w.view[w.dir]
	for j := range ViewSize {
		var m uint8
		for i, off := range offs[j*ViewSize : (j+1)*ViewSize] {
			m |= (w.codes[w.agent+off]>>7 ^ 1) << i
		}
		clear[j] = m
	}
	const sources = 1<<(ViewSize-1) - 1 // cells 0..ViewSize−2
	var vis [ViewSize]uint8
	row := uint8(1) << (ViewSize / 2)
	for j := ViewSize - 1; j >= 0; j-- {
		// MiniGrid sweeps the row rightwards: each cell seen and clear
		// shows its right neighbour, so a seen clear cell reveals the run
		// of clear cells after it and the cell that ends the run. right
		// holds the cells that pass the view on.
		right := spread(row, clear[j]&sources)
		row |= right << 1
		// Then leftwards, on the bit-reversed row.
		left := reverse7[spread(reverse7[row], reverse7[clear[j]]&sources)]
		row |= left >> 1
		vis[j] = row
		// Each cell that passed the view on also shows the cell ahead of
		// itself and the one ahead of its neighbour.
		row = (right | right<<1 | left | left>>1) & (1<<ViewSize - 1)
	}
	return vis
}

// spread returns the cells of row mask m that pass the view on in a sweep
// towards higher bits: those reached from a seen cell of m through a run
// of cells of m. With s = seen ∩ m, they are the carries of the addition
// m + s, shifted one bit down.
func spread(seen, m uint8) uint8 {
	s := seen & m
	return ((m + s) ^ m ^ s) >> 1
}

// Observe writes the agent's egocentric view into obs (enc.Size() values):
// for each view cell i (rows from the farthest to the agent's, left to
// right; see Visible) its code at i·CellCodes (OneHot) or 3i (MiniGridInts),
// unseen where occluded, then the agent's direction one-hot in the last
// four values (right, down, left, up). The agent's own cell shows the
// object it carries. It panics if obs is shorter than enc.Size().
func (w *World) Observe(obs []float64, enc Encoding) {
	rows := w.visibleRows()
	offs := &w.view[w.dir]
	carried := cellCode(w.carrying)
	switch enc {
	case OneHot:
		obs = obs[:OneHotSize]
		for j, seen := range rows {
			for i := range ViewSize {
				k := j*ViewSize + i
				c := uint8(TypeUnseen)
				if seen>>i&1 != 0 {
					c = w.codes[w.agent+offs[k]]
					if k == agentCell {
						c = carried
					}
				}
				*(*[CellCodes]float64)(obs[k*CellCodes:]) = oneHotCodes[c]
			}
		}
		d := obs[ViewCells*CellCodes : OneHotSize : OneHotSize]
		d[0], d[1], d[2], d[3] = 0, 0, 0, 0
		d[w.dir] = 1
	case MiniGridInts:
		obs = obs[:MiniGridSize]
		for j, seen := range rows {
			for i := range ViewSize {
				k := j*ViewSize + i
				c := uint8(TypeUnseen)
				if seen>>i&1 != 0 {
					c = w.codes[w.agent+offs[k]]
					if k == agentCell {
						c = carried
					}
				}
				m := &minigridCode[c&15]
				code := obs[3*k : 3*k+3 : 3*k+3]
				code[0], code[1], code[2] = m[0], m[1], m[2]
				if m[1] < 0 {
					code[1] = float64(c>>4&7) - 1
				}
			}
		}
		d := obs[ViewCells*3 : MiniGridSize : MiniGridSize]
		d[0], d[1], d[2], d[3] = 0, 0, 0, 0
		d[w.dir] = 1
	default:
		panic(fmt.Sprintf("keydoor: unknown encoding %d", enc))
	}
}
