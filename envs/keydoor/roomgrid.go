package keydoor

import (
	"fmt"
	"math/rand/v2"
)

// maxRooms bounds rows × cols of a RoomGrid layout (3 × 3 for the tasks
// here).
const maxRooms = 9

// Links between neighbouring rooms.
const (
	linkNone = iota
	linkDoor
	linkOpen // the wall was removed (KeyCorridor's corridor)
)

// room is one room of a RoomGrid layout (MiniGrid's roomgrid.Room).
type room struct {
	top      Pos
	doorPos  [4]Pos // per direction (right, down, left, up); valid where hasNext
	hasNext  [4]bool
	link     [4]uint8
	locked   bool // a locked door was added from this room
	neighbor [4]int
}

// layout builds RoomGrid layouts into a World, drawing from rng. It holds
// scratch space so that generating a task allocates nothing once warm.
type layout struct {
	w          *World
	rng        *rand.Rand
	size       int // room side, walls included
	rows, cols int
	rooms      [maxRooms]room
	// agentPos is MiniGrid's agent_pos during generation: the middle of
	// the middle room until the agent is placed. Objects are never placed
	// on it or next to it (roomgrid.reject_next_to).
	agentPos Pos
	cand     []int32
}

func (l *layout) intn(lo, hi int) int { return lo + l.rng.IntN(hi-lo) }

// color draws one of the six colours (MiniGrid's _rand_color).
func (l *layout) color() Color { return Color(l.rng.IntN(int(NumColors))) }

// build lays out rows × cols rooms of side size sharing their walls, and
// draws the position of the door on every wall between two rooms, as
// RoomGrid._gen_grid does: the grid is ((size−1)·cols+1) × ((size−1)·rows+1).
func (l *layout) build(rows, cols, size int) {
	if rows*cols > maxRooms || size < 3 {
		panic(fmt.Sprintf("keydoor: %d×%d rooms of side %d: want at most %d rooms of side ≥ 3", rows, cols, size, maxRooms))
	}
	l.rows, l.cols, l.size = rows, cols, size
	w := l.w
	w.Init((size-1)*cols+1, (size-1)*rows+1)
	// The rooms' walls (RoomGrid's wall_rect per room): every (size−1)th
	// row and column of the grid.
	wall := Obj{Kind: Wall}
	for y := 0; y < w.height; y += size - 1 {
		for x := range w.width {
			w.put(w.index(Pos{x, y}), wall)
		}
	}
	for x := 0; x < w.width; x += size - 1 {
		for y := range w.height {
			w.put(w.index(Pos{x, y}), wall)
		}
	}
	for j := range rows {
		for i := range cols {
			l.rooms[j*cols+i] = room{top: Pos{i * (size - 1), j * (size - 1)}}
		}
	}
	for j := range rows {
		for i := range cols {
			r := &l.rooms[j*cols+i]
			xl, yl := r.top.X+1, r.top.Y+1
			xm, ym := r.top.X+size-1, r.top.Y+size-1
			if i < cols-1 {
				r.hasNext[0], r.neighbor[0] = true, j*cols+i+1
				r.doorPos[0] = Pos{xm, l.intn(yl, ym)}
			}
			if j < rows-1 {
				r.hasNext[1], r.neighbor[1] = true, (j+1)*cols+i
				r.doorPos[1] = Pos{l.intn(xl, xm), ym}
			}
			if i > 0 {
				r.hasNext[2], r.neighbor[2] = true, j*cols+i-1
				r.doorPos[2] = l.rooms[r.neighbor[2]].doorPos[0]
			}
			if j > 0 {
				r.hasNext[3], r.neighbor[3] = true, (j-1)*cols+i
				r.doorPos[3] = l.rooms[r.neighbor[3]].doorPos[1]
			}
		}
	}
	l.agentPos = Pos{(cols/2)*(size-1) + size/2, (rows/2)*(size-1) + size/2}
	w.SetAgent(l.agentPos, Right)
}

func (l *layout) room(i, j int) *room {
	if i < 0 || j < 0 || i >= l.cols || j >= l.rows {
		panic(fmt.Sprintf("keydoor: room (%d, %d) outside %d×%d rooms", i, j, l.cols, l.rows))
	}
	return &l.rooms[j*l.cols+i]
}

// addDoor puts a door of colour c (locked or closed) on wall k of room
// (i, j) and returns its position (RoomGrid.add_door with the direction,
// colour and lock given).
func (l *layout) addDoor(i, j, k int, c Color, locked bool) Pos {
	r := l.room(i, j)
	if !r.hasNext[k] || r.link[k] != linkNone {
		panic(fmt.Sprintf("keydoor: room (%d, %d) cannot take a door on side %d", i, j, k))
	}
	r.locked = locked
	state := Closed
	if locked {
		state = Locked
	}
	p := r.doorPos[k]
	l.w.Set(p, Obj{Kind: Door, Color: c, State: state})
	r.link[k] = linkDoor
	l.rooms[r.neighbor[k]].link[(k+2)&3] = linkDoor
	return p
}

// removeWall opens the whole wall k of room (i, j) (RoomGrid.remove_wall).
func (l *layout) removeWall(i, j, k int) {
	r := l.room(i, j)
	if !r.hasNext[k] || r.link[k] != linkNone {
		panic(fmt.Sprintf("keydoor: room (%d, %d) cannot lose wall %d", i, j, k))
	}
	s := l.size
	for d := 1; d < s-1; d++ {
		var p Pos
		switch k {
		case 0:
			p = Pos{r.top.X + s - 1, r.top.Y + d}
		case 1:
			p = Pos{r.top.X + d, r.top.Y + s - 1}
		case 2:
			p = Pos{r.top.X, r.top.Y + d}
		case 3:
			p = Pos{r.top.X + d, r.top.Y}
		}
		l.w.Set(p, Obj{})
	}
	r.link[k] = linkOpen
	l.rooms[r.neighbor[k]].link[(k+2)&3] = linkOpen
}

// placeInRoom puts o on a cell of room (i, j) drawn uniformly among the
// empty cells that are neither the agent's cell nor next to it, and returns
// the cell. MiniGrid's place_obj draws cells of the room's square until one
// qualifies (reject_next_to, at most 1,000 tries); drawing among the
// qualifying cells directly gives the same distribution in bounded time.
func (l *layout) placeInRoom(i, j int, o Obj) Pos {
	r := l.room(i, j)
	w := l.w
	l.cand = l.cand[:0]
	for y := r.top.Y; y < min(r.top.Y+l.size, w.height); y++ {
		for x := r.top.X; x < min(r.top.X+l.size, w.width); x++ {
			dx, dy := x-l.agentPos.X, y-l.agentPos.Y
			if dx < 0 {
				dx = -dx
			}
			if dy < 0 {
				dy = -dy
			}
			if dx+dy < 2 || w.cells[w.index(Pos{x, y})].Kind != Empty {
				continue
			}
			l.cand = append(l.cand, w.index(Pos{x, y}))
		}
	}
	if len(l.cand) == 0 {
		panic(fmt.Sprintf("keydoor: no free cell for a %v in room (%d, %d)", o.Kind, i, j))
	}
	c := l.cand[l.rng.IntN(len(l.cand))]
	w.put(c, o)
	return w.pos(c)
}

// addObject places a new object of kind k and colour c in room (i, j)
// (RoomGrid.add_object) and returns its cell.
func (l *layout) addObject(i, j int, k Kind, c Color, target bool) Pos {
	return l.placeInRoom(i, j, Obj{Kind: k, Color: c, Target: target})
}

// placeAgent puts the agent on an empty cell of room (i, j) with a random
// direction such that the cell ahead is empty or a wall
// (RoomGrid.place_agent): drawn uniformly among the qualifying (cell,
// direction) pairs, the distribution of MiniGrid's rejection loop.
func (l *layout) placeAgent(i, j int) {
	r := l.room(i, j)
	w := l.w
	l.cand = l.cand[:0]
	for y := r.top.Y; y < min(r.top.Y+l.size, w.height); y++ {
		for x := r.top.X; x < min(r.top.X+l.size, w.width); x++ {
			c := w.index(Pos{x, y})
			if w.cells[c].Kind != Empty {
				continue
			}
			for d := range int32(4) {
				if k := w.cells[c+w.ahead[d]].Kind; k == Empty || k == Wall {
					l.cand = append(l.cand, c<<2|d)
				}
			}
		}
	}
	if len(l.cand) == 0 {
		panic(fmt.Sprintf("keydoor: no free cell for the agent in room (%d, %d)", i, j))
	}
	c := l.cand[l.rng.IntN(len(l.cand))]
	w.agent, w.dir = c>>2, Dir(c&3)
	l.agentPos = w.pos(w.agent)
}

// connectAll adds closed doors of random colours between rooms until every
// room can be reached from the agent's room (RoomGrid.connect_all): each
// door joins a random pair of neighbouring rooms not yet joined, neither of
// which holds a locked door. MiniGrid draws (room, wall) pairs until one
// qualifies; drawing among the qualifying pairs gives the same
// distribution.
func (l *layout) connectAll() {
	n := l.rows * l.cols
	start := (l.agentPos.Y/(l.size-1))*l.cols + l.agentPos.X/(l.size-1)
	for {
		if l.reach(start) == n {
			return
		}
		l.cand = l.cand[:0]
		for ri := range n {
			r := &l.rooms[ri]
			for k := range 4 {
				if !r.hasNext[k] || r.link[k] != linkNone || r.locked || l.rooms[r.neighbor[k]].locked {
					continue
				}
				l.cand = append(l.cand, int32(ri<<2|k))
			}
		}
		if len(l.cand) == 0 {
			panic("keydoor: connectAll: rooms cannot be connected")
		}
		c := int(l.cand[l.rng.IntN(len(l.cand))])
		ri, k := c>>2, c&3
		l.addDoor(ri%l.cols, ri/l.cols, k, l.color(), false)
	}
}

// reach returns the number of rooms joined to room start by doors (of any
// state) or removed walls.
func (l *layout) reach(start int) int {
	var seen [maxRooms]bool
	var stack [maxRooms]int
	stack[0], seen[start] = start, true
	top, count := 1, 1
	for top > 0 {
		top--
		r := &l.rooms[stack[top]]
		for k := range 4 {
			if r.link[k] == linkNone {
				continue
			}
			if nb := r.neighbor[k]; !seen[nb] {
				seen[nb] = true
				stack[top] = nb
				top++
				count++
			}
		}
	}
	return count
}
