package goalmaze

import "math"

// Controller is a scripted, nearly time-optimal policy for tests and
// baselines. For each goal it computes, over a grid of 20 × 20 points per
// cell, the number of grid moves to the goal (breadth-first search over the
// grid's 8-neighbourhood: every move costs the same, which measures length
// in the max norm, the metric that the per-axis bound on actions makes
// right), ties broken by the Euclidean length of the path. At each step it
// considers a move straight onto the farthest point of the path of steepest
// descent within one step's reach with no wall in between (which always
// makes progress) and a 17 × 17 grid of actions, simulates each with the
// environment's dynamics, and takes the one that ends nearest the goal on
// the grid; when the goal itself is within reach with no wall in between,
// it moves onto it. Make one with NewController.
type Controller struct {
	actionRange float64

	lay   *Layout
	goal  [2]float64
	field bool      // the fields of (lay, goal) are computed
	nx    int       // grid points per row
	dist  []int32   // grid moves to the goal's grid point, −1: unreachable
	tie   []float64 // Euclidean length of the shortest such path, in grid units
	queue []int32
}

// The controller's grid: controllerPerCell points per cell side, none on a
// cell side; its action grid: controllerActions values per axis.
const (
	controllerPerCell = 20
	controllerRes     = 1.0 / controllerPerCell
	controllerActions = 17
	// controllerLook is how many points of the descent path a step
	// considers: twice the reach of a full step.
	controllerLook = 2 * controllerPerCell
)

// NewController returns a controller for an action range (the family's
// action_range: the largest move per step along each axis).
func NewController(actionRange float64) *Controller {
	return &Controller{actionRange: actionRange}
}

// Act writes into action (two values in [−1, 1]) the move towards the goal
// of observation obs (position, goal) in layout l. Towards a goal outside
// the open cells it heads straight for the goal. It allocates nothing once
// it has seen a layout of the largest size it will play.
func (c *Controller) Act(l *Layout, obs, action []float64) {
	pos := [2]float64{obs[0], obs[1]}
	goal := [2]float64{obs[2], obs[3]}
	cell := CellAt(pos)
	r := c.actionRange
	if !l.Open(cell) || !l.Valid(goal) || linf(pos, goal) <= r && clear(l, cell, pos, goal) {
		straight(pos, goal, r, action)
		return
	}
	if !c.field || c.lay != l || c.goal != goal {
		c.compute(l, goal)
	}
	cur := c.index(pos, cell)
	target := c.point(cur)
	for range controllerLook {
		if cur = c.descend(l, cur); cur < 0 {
			break
		}
		if q := c.point(cur); linf(pos, q) <= r && clear(l, cell, pos, q) {
			target = q
		}
	}
	straight(pos, target, r, action)
	q, qc := moveIn(l, pos, cell, r*action[0], r*action[1])
	k := c.index(q, qc)
	best, bestTie := c.dist[k], c.tie[k]
	const half = controllerActions / 2
	for i := range controllerActions {
		for j := range controllerActions {
			ax, ay := float64(i-half)/half, float64(j-half)/half
			q, qc := moveIn(l, pos, cell, r*ax, r*ay)
			k := c.index(q, qc)
			if d := c.dist[k]; d >= 0 && (d < best || d == best && c.tie[k] < bestTie) {
				best, bestTie = d, c.tie[k]
				action[0], action[1] = ax, ay
			}
		}
	}
}

// straight writes the action towards target: onto it if it is within reach
// r, otherwise at full speed along the dominant axis in its direction.
func straight(pos, target [2]float64, r float64, action []float64) {
	dx, dy := target[0]-pos[0], target[1]-pos[1]
	scale := max(math.Abs(dx), math.Abs(dy), r)
	action[0], action[1] = dx/scale, dy/scale
}

// compute fills the fields of goal g in l.
func (c *Controller) compute(l *Layout, g [2]float64) {
	c.lay, c.goal, c.field = l, g, true
	c.nx = l.w * controllerPerCell
	ny := l.h * controllerPerCell
	n := c.nx * ny
	if cap(c.dist) < n {
		c.dist = make([]int32, n)
		c.tie = make([]float64, n)
		c.queue = make([]int32, 0, n)
	}
	c.dist, c.tie = c.dist[:n], c.tie[:n]
	for i := range c.dist {
		c.dist[i] = -1
	}
	start := c.index(g, CellAt(g))
	c.dist[start], c.tie[start] = 0, 0
	queue := append(c.queue[:0], int32(start))
	for k := 0; k < len(queue); k++ {
		p := int(queue[k])
		i, j := p%c.nx, p/c.nx
		from := Cell{i / controllerPerCell, j / controllerPerCell}
		for di := -1; di <= 1; di++ {
			for dj := -1; dj <= 1; dj++ {
				ni, nj := i+di, j+dj
				if (di == 0 && dj == 0) || ni < 0 || nj < 0 || ni >= c.nx || nj >= ny {
					continue
				}
				q := nj*c.nx + ni
				if c.dist[q] >= 0 && c.dist[q] != c.dist[p]+1 {
					continue
				}
				if !link(l, from, Cell{ni / controllerPerCell, nj / controllerPerCell}) {
					continue
				}
				t := c.tie[p] + math.Hypot(float64(di), float64(dj))
				if c.dist[q] < 0 {
					c.dist[q], c.tie[q] = c.dist[p]+1, t
					queue = append(queue, int32(q))
				} else if t < c.tie[q] {
					c.tie[q] = t
				}
			}
		}
	}
	c.queue = queue
}

// descend returns the neighbour of grid point p one move nearer the goal
// with the shortest Euclidean remainder, or −1 at the goal.
func (c *Controller) descend(l *Layout, p int) int {
	d := c.dist[p]
	if d <= 0 {
		return -1
	}
	i, j := p%c.nx, p/c.nx
	from := Cell{i / controllerPerCell, j / controllerPerCell}
	best, bestT := -1, math.Inf(1)
	for di := -1; di <= 1; di++ {
		for dj := -1; dj <= 1; dj++ {
			ni, nj := i+di, j+dj
			if (di == 0 && dj == 0) || ni < 0 || nj < 0 || ni >= c.nx || nj*c.nx+ni >= len(c.dist) {
				continue
			}
			q := nj*c.nx + ni
			if c.dist[q] != d-1 || !link(l, from, Cell{ni / controllerPerCell, nj / controllerPerCell}) {
				continue
			}
			if t := c.tie[q] + math.Hypot(float64(di), float64(dj)); t < bestT {
				best, bestT = q, t
			}
		}
	}
	return best
}

// index returns the grid point of cell nearest to p.
func (c *Controller) index(p [2]float64, cell Cell) int {
	i := int(math.Floor((p[0] + 0.5) * controllerPerCell))
	j := int(math.Floor((p[1] + 0.5) * controllerPerCell))
	i = min(max(i, cell.X*controllerPerCell), cell.X*controllerPerCell+controllerPerCell-1)
	j = min(max(j, cell.Y*controllerPerCell), cell.Y*controllerPerCell+controllerPerCell-1)
	return j*c.nx + i
}

// point returns the position of grid point p.
func (c *Controller) point(p int) [2]float64 {
	return [2]float64{
		-0.5 + (float64(p%c.nx)+0.5)*controllerRes,
		-0.5 + (float64(p/c.nx)+0.5)*controllerRes,
	}
}

func linf(p, q [2]float64) float64 { return max(math.Abs(p[0]-q[0]), math.Abs(p[1]-q[1])) }

// link reports whether neighbouring grid points in cells a and b (equal,
// side- or corner-adjacent) are joined: both cells are open and no wall lies
// between them. The segment between points in corner-adjacent cells passes
// through the corner, so both ways round it must be open.
func link(l *Layout, a, b Cell) bool {
	if !l.Open(a) || !l.Open(b) {
		return false
	}
	dx, dy := b.X-a.X, b.Y-a.Y
	side := func(from Cell, sx, sy int) bool { // open side from → from+(sx, sy)
		switch {
		case sx > 0:
			return !l.Wall(from, East)
		case sx < 0:
			return !l.Wall(from, West)
		case sy > 0:
			return !l.Wall(from, North)
		case sy < 0:
			return !l.Wall(from, South)
		}
		return true
	}
	if dx == 0 || dy == 0 {
		return side(a, dx, dy)
	}
	viaX, viaY := Cell{a.X + dx, a.Y}, Cell{a.X, a.Y + dy}
	return l.Open(viaX) && side(a, dx, 0) && side(viaX, 0, dy) &&
		l.Open(viaY) && side(a, 0, dy) && side(viaY, dx, 0)
}

// clear reports whether the straight segment from p (in cell c) to q crosses
// no wall.
func clear(l *Layout, c Cell, p, q [2]float64) bool {
	px, py := p[0], p[1]
	dx, dy := q[0]-px, q[1]-py
	for {
		tx, ty := math.Inf(1), math.Inf(1)
		switch {
		case dx > 0:
			tx = (float64(c.X) + 0.5 - px) / dx
		case dx < 0:
			tx = (float64(c.X) - 0.5 - px) / dx
		}
		switch {
		case dy > 0:
			ty = (float64(c.Y) + 0.5 - py) / dy
		case dy < 0:
			ty = (float64(c.Y) - 0.5 - py) / dy
		}
		t := max(min(tx, ty), 0)
		if t > 1 {
			return true
		}
		var dir Dir
		if tx <= ty {
			dir = East
			if dx < 0 {
				dir = West
			}
		} else {
			dir = North
			if dy < 0 {
				dir = South
			}
		}
		if l.Wall(c, dir) {
			return false
		}
		px, py = px+t*dx, py+t*dy
		dx, dy = dx*(1-t), dy*(1-t)
		c = c.Step(dir)
	}
}
