package keydoor

import "math"

// Oracle is a scripted policy that sees the whole world and plans on it. It
// serves tests (every task of every graph is solvable, and solved well
// within its step limit) and baselines. At every step it replans from the
// current state with shortest-path searches on the grid:
//
//  1. Find the mission's target (the Target object or door, or a goal).
//  2. Search for the cheapest route to it, where moving costs 1, a closed
//     door 2 (toggle, then move), and every obstruction a large constant:
//     a key, ball or box in the way (to be moved), or a locked door whose
//     key the agent does not carry (to be fetched). Locked doors whose
//     colour has no key left anywhere, walls and the target itself are
//     impassable.
//  3. Walk the route from the agent to its first obstruction: a box is
//     opened (toggle), a key or ball is picked up, a locked door the agent
//     has the key for is opened; for a locked door without its key, the
//     nearest key of its colour (or box holding one) not behind that door
//     becomes the destination and step 2 repeats on the way to it.
//  4. Move along the route to that obstruction, turning to face each next
//     cell and toggling closed doors open, then act on it.
//
// A carried ball or box is put down at once; a carried key is put down
// when the agent must pick something up. Either goes on a neighbouring
// empty cell where it adds no obstruction to the route to the target or to
// the keys that route still needs (checked by replanning with the object
// there); when no neighbour qualifies, the agent walks to the nearest cell
// that has one. The oracle is deterministic and allocates nothing once its
// buffers have grown to the largest grid it has seen.
//
// This is a planner on the fully observed state, not an exhaustive search of
// it: it relies on the structure of RoomGrid tasks (keys reachable without
// their own door, one obstruction handled at a time). The tests check that
// it solves every task of every graph from many seeds.
type Oracle struct {
	w       *World
	dist    []int32
	prev    []int32
	heap    []uint64
	path    []int32 // route from the agent (excluded) to the destination (included)
	forbid  []bool
	ghost   int32 // a cell that holds an object but is treated as free (drop checks)
	haveKey [NumColors]bool
	queue   []int32
	seen    []bool
}

const (
	// costBlock is the cost of an obstruction: more than any route on a
	// MaxSide × MaxSide grid, so that routes minimise obstructions first.
	costBlock   = 1 << 16
	unreachable = math.MaxInt32
	// dropSearch bounds the cells examined when looking for a place to put
	// an object down.
	dropSearch = 96
)

// Act returns the action to take in w. It returns ActDone when w has no
// target or the oracle finds no plan.
func (o *Oracle) Act(w *World) int {
	o.prepare(w)
	goal := o.goal()
	if goal < 0 {
		return ActDone
	}
	if c := w.carrying; (c.Kind == Ball || c.Kind == Box) && !c.Target {
		return o.drop(goal)
	}
	t, act, ok := o.objective(goal)
	if !ok {
		return ActDone
	}
	if act == ActPickup && w.carrying.Kind != Empty {
		return o.drop(goal)
	}
	if dir, ok := o.adjacent(w.agent, t); ok {
		return o.face(dir, act)
	}
	next := o.path[0]
	dir, _ := o.adjacent(w.agent, next)
	act = ActForward
	if c := w.cells[next]; c.Kind == Door && c.State != Open {
		act = ActToggle
	}
	return o.face(dir, act)
}

func (o *Oracle) prepare(w *World) {
	o.w = w
	n := len(w.cells)
	if cap(o.dist) < n {
		o.dist = make([]int32, n)
		o.prev = make([]int32, n)
		o.forbid = make([]bool, n)
		o.seen = make([]bool, n)
	}
	o.dist, o.prev, o.forbid, o.seen = o.dist[:n], o.prev[:n], o.forbid[:n], o.seen[:n]
	o.ghost = -1
	o.haveKey = [NumColors]bool{}
	if c := w.carrying; c.Kind == Key {
		o.haveKey[c.Color] = true
	}
	for _, c := range w.cells {
		switch {
		case c.Kind == Key:
			o.haveKey[c.Color] = true
		case c.Kind == Box && c.In == Key:
			o.haveKey[c.InColor] = true
		}
	}
}

// goal returns the cell of the mission's target, or −1.
func (o *Oracle) goal() int32 {
	for i, c := range o.w.cells {
		if c.Target || c.Kind == Goal {
			return int32(i)
		}
	}
	return -1
}

// adjacent returns the direction from cell a to cell b if they are
// neighbours.
func (o *Oracle) adjacent(a, b int32) (Dir, bool) {
	for d := range Dir(4) {
		if a+o.w.ahead[d] == b {
			return d, true
		}
	}
	return 0, false
}

// face returns act if the agent faces direction d, else the turn towards d.
func (o *Oracle) face(d Dir, act int) int {
	switch (d - o.w.dir) & 3 {
	case 0:
		return act
	case 3:
		return ActLeft
	}
	return ActRight
}

// carriesKey reports whether the agent carries a key of colour c.
func (o *Oracle) carriesKey(c Color) bool {
	return o.w.carrying.Kind == Key && o.w.carrying.Color == c
}

// enter returns the cost of moving onto cell c on the way to dest, or −1
// if c is impassable.
func (o *Oracle) enter(c, dest int32) int32 {
	if c == dest {
		return 0
	}
	if o.forbid[c] {
		return -1
	}
	if c == o.ghost {
		return 1
	}
	obj := &o.w.cells[c]
	switch obj.Kind {
	case Empty, Goal:
		return 1
	case Wall:
		return -1
	case Door:
		switch {
		case obj.State == Open:
			return 1
		case obj.State == Closed || o.carriesKey(obj.Color):
			return 2
		case o.haveKey[obj.Color]:
			return costBlock
		}
		return -1
	}
	if obj.Target {
		return -1
	}
	return costBlock
}

// search computes the cheapest routes from cell from (Dijkstra), never
// passing through dest (−1: none).
func (o *Oracle) search(from, dest int32) {
	for i := range o.dist {
		o.dist[i] = unreachable
		o.prev[i] = -1
	}
	o.dist[from] = 0
	o.heap = append(o.heap[:0], uint64(from))
	for len(o.heap) > 0 {
		top := o.pop()
		d, c := int32(top>>32), int32(top&math.MaxUint32)
		if d > o.dist[c] || c == dest {
			continue
		}
		for k := range 4 {
			nb := c + o.w.ahead[k]
			step := o.enter(nb, dest)
			if step < 0 {
				continue
			}
			if nd := d + step; nd < o.dist[nb] {
				o.dist[nb], o.prev[nb] = nd, c
				o.push(uint64(nd)<<32 | uint64(nb))
			}
		}
	}
}

func (o *Oracle) push(v uint64) {
	h := append(o.heap, v)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p] <= h[i] {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
	o.heap = h
}

func (o *Oracle) pop() uint64 {
	h := o.heap
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && h[l] < h[m] {
			m = l
		}
		if r < n && h[r] < h[m] {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	o.heap = h
	return top
}

// trace stores the route to dest found by the last search in o.path.
func (o *Oracle) trace(dest int32) {
	o.path = o.path[:0]
	for c := dest; o.prev[c] >= 0; c = o.prev[c] {
		o.path = append(o.path, c)
	}
	for i, j := 0, len(o.path)-1; i < j; i, j = i+1, j-1 {
		o.path[i], o.path[j] = o.path[j], o.path[i]
	}
}

// objective returns the cell the agent should act on next on its way to
// goal and the action to take there, leaving the route to that cell in
// o.path.
func (o *Oracle) objective(goal int32) (int32, int, bool) {
	w := o.w
	clear(o.forbid)
	dest := goal
	for range 16 {
		o.search(w.agent, dest)
		if o.dist[dest] == unreachable {
			return -1, 0, false
		}
		o.trace(dest)
		fetch := int32(-1)
		for i, c := range o.path {
			obj := &w.cells[c]
			last := i == len(o.path)-1
			if obj.Kind == Door && obj.State == Locked {
				if o.carriesKey(obj.Color) {
					o.path = o.path[:i+1]
					return c, ActToggle, true
				}
				fetch = c
				break
			}
			if last {
				break
			}
			if obj.Kind.pickable() {
				o.path = o.path[:i+1]
				if obj.Kind == Box {
					return c, ActToggle, true
				}
				return c, ActPickup, true
			}
		}
		if fetch < 0 {
			switch d := &w.cells[dest]; {
			case d.Kind == Door:
				return dest, ActToggle, true
			case d.Kind == Goal:
				return dest, ActForward, true
			case d.Kind == Box && !d.Target:
				return dest, ActToggle, true // a box holding the key sought
			}
			return dest, ActPickup, true
		}
		key, _ := o.nearestKey(w.cells[fetch].Color, fetch)
		if key < 0 {
			return -1, 0, false
		}
		dest = key
	}
	return -1, 0, false
}

// nearestKey forbids door and returns the cell of the cheapest key of
// colour c to reach (or box holding one) with the cost of reaching a cell
// next to it, or −1.
func (o *Oracle) nearestKey(c Color, door int32) (int32, int32) {
	w := o.w
	o.forbid[door] = true
	o.search(w.agent, -1)
	best, bestCost := int32(-1), int32(unreachable)
	for i := range w.cells {
		obj := &w.cells[i]
		if !(obj.Kind == Key && obj.Color == c || obj.Kind == Box && !obj.Target && obj.In == Key && obj.InColor == c) {
			continue
		}
		for k := range 4 {
			if d := o.dist[int32(i)+w.ahead[k]]; d < bestCost {
				best, bestCost = int32(i), d
			}
		}
	}
	return best, bestCost
}

// units returns the number of obstructions on the cheapest route to goal
// plus, for each locked door on it whose key the agent does not carry, the
// obstructions on the way to its nearest key; MaxInt32 if goal is out of
// reach.
func (o *Oracle) units(goal int32) int32 {
	w := o.w
	clear(o.forbid)
	o.search(w.agent, goal)
	if o.dist[goal] == unreachable {
		return unreachable
	}
	u := o.dist[goal] / costBlock
	o.trace(goal)
	var doors [16]int32
	n := 0
	for _, c := range o.path {
		if obj := &w.cells[c]; obj.Kind == Door && obj.State == Locked && !o.carriesKey(obj.Color) && n < len(doors) {
			doors[n] = c
			n++
		}
	}
	for _, d := range doors[:n] {
		clear(o.forbid)
		key, cost := o.nearestKey(w.cells[d].Color, d)
		if key < 0 || cost == unreachable {
			return unreachable
		}
		u += cost / costBlock
	}
	return u
}

// harmless reports whether putting the carried object on cell c adds no
// obstruction to the plan towards goal: the plan's obstructions with the
// object on c, counted as an obstacle, are no more than with c left
// passable.
func (o *Oracle) harmless(c, goal int32) bool {
	w := o.w
	carried := w.carrying
	w.put(c, carried)
	w.carrying = Obj{}
	o.ghost = c
	free := o.units(goal)
	o.ghost = -1
	blocked := o.units(goal)
	w.put(c, Obj{})
	w.carrying = carried
	return blocked <= free
}

// drop returns the next action towards putting the carried object down
// harmlessly: drop it ahead, turn to a neighbouring cell where it can go,
// or walk to the nearest cell that has such a neighbour.
func (o *Oracle) drop(goal int32) int {
	w := o.w
	for _, turn := range [4]Dir{0, 1, 3, 2} {
		d := (w.dir + turn) & 3
		c := w.agent + w.ahead[d]
		if w.cells[c].Kind == Empty && o.harmless(c, goal) {
			return o.face(d, ActDrop)
		}
	}
	// Breadth-first over free cells for the nearest one with a
	// neighbour where the object can go.
	start := w.agent
	clear(o.seen)
	o.queue = append(o.queue[:0], start)
	o.seen[start] = true
	spot := int32(-1)
	for qi := 0; qi < len(o.queue) && qi < dropSearch && spot < 0; qi++ {
		p := o.queue[qi]
		if p != start {
			w.agent = p
			for d := range 4 {
				c := p + w.ahead[d]
				if w.cells[c].Kind == Empty && o.harmless(c, goal) {
					spot = p
					break
				}
			}
			w.agent = start
		}
		for d := range 4 {
			nb := p + w.ahead[d]
			if k := w.cells[nb]; !o.seen[nb] && (k.Kind == Empty || k.Kind == Door && k.State == Open) {
				o.seen[nb] = true
				o.queue = append(o.queue, nb)
			}
		}
	}
	if spot < 0 {
		return ActDone
	}
	clear(o.forbid)
	o.search(start, spot)
	o.trace(spot)
	d, _ := o.adjacent(start, o.path[0])
	return o.face(d, ActForward)
}
