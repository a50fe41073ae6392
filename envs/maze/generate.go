package maze

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Wall-count rules of the domain-randomisation generator (the wall_count
// parameter).
const (
	// CountHalf places int(budget/2) walls on distinct free cells, as dcd's
	// reset_random ("based on original PAIRED logic"): 12 walls for the
	// 25-wall budget.
	CountHalf = "half"
	// CountUniform places a number of walls drawn uniformly from
	// 0..budget−1, as dcd's VariableBlocks environments (randint(0, 60)).
	CountUniform = "uniform"
	// CountBudget makes budget wall draws with replacement, so at most
	// budget walls, as JaxUED's and minimax's generators.
	CountBudget = "budget"
)

var wallCounts = []string{CountHalf, CountUniform, CountBudget}

// BoxTries is how many layouts the Box view's generator draws at most when
// looking for one whose shortest path is long enough.
const BoxTries = 100

// scratch holds the reusable buffers of generation and BFS, so that
// environments can generate levels without allocating.
type scratch struct {
	dist []int32
	src  *rand.PCG  // the stream of one Box draw, reseeded per draw
	rng  *rand.Rand // reads src
}

// generate fills l (reusing l.Walls) with a fresh width × height level drawn
// as dcd's reset_random does: the goal on a uniformly random cell, the agent
// on another with a uniformly random direction, then the walls of the count
// rule on free cells by rejection sampling. CountBudget follows JaxUED's
// order instead: walls drawn with replacement, then the agent, then the
// goal.
func generate(l *Level, width, height, budget int, count string, rng *rand.Rand) {
	reset(l, width, height)
	if count == CountBudget {
		for range budget {
			l.Walls[rng.IntN(len(l.Walls))] = true
		}
		l.Agent = randomFree(l, Pos{-1, -1}, rng)
		l.Dir = Dir(rng.IntN(4))
		l.Goal = randomFree(l, l.Agent, rng)
		return
	}
	n := budget / 2
	if count == CountUniform {
		n = 0
		if budget > 0 {
			n = rng.IntN(budget)
		}
	}
	placeGoalAgentWalls(l, n, rng)
}

// placeGoalAgentWalls places the goal, the agent with a random direction and
// n walls (at most the free cells left) in an empty level, in dcd's order.
func placeGoalAgentWalls(l *Level, n int, rng *rand.Rand) {
	l.Goal = Pos{rng.IntN(l.Width), rng.IntN(l.Height)}
	l.Dir = Dir(rng.IntN(4))
	l.Agent = randomFree(l, l.Goal, rng)
	n = min(n, len(l.Walls)-2)
	for range n {
		p := randomFree(l, l.Goal, rng)
		for p == l.Agent {
			p = randomFree(l, l.Goal, rng)
		}
		l.SetWall(p, true)
	}
}

// reset makes l an empty width × height level, reusing its wall slice.
func reset(l *Level, width, height int) {
	n := width * height
	if cap(l.Walls) < n {
		l.Walls = make([]bool, n)
	}
	l.Walls = l.Walls[:n]
	clear(l.Walls)
	*l = Level{Width: width, Height: height, Walls: l.Walls}
}

// randomFree returns a uniformly random cell that is neither a wall nor
// except, by rejection sampling (as MiniGrid's place_obj). The level must
// have such a cell.
func randomFree(l *Level, except Pos, rng *rand.Rand) Pos {
	for {
		p := Pos{rng.IntN(l.Width), rng.IntN(l.Height)}
		if p != except && !l.Walls[p.Y*l.Width+p.X] {
			return p
		}
	}
}

// minPathLen returns the shortest-path length that a fraction f of the
// Box view's min_path dimension asks for: f times the largest Manhattan
// distance in the interior (corner to corner), rounded up.
func minPathLen(f float64, width, height int) int {
	return int(math.Ceil(f * float64(width+height-2)))
}

// generateBox fills l with the level of Box task (walls, minPath) and the
// stream rng: round(walls) walls placed as dcd's generator places them (goal,
// agent with a random direction, then walls on free cells). When minPath > 0
// the layout is redrawn, up to BoxTries times, until the goal is reachable
// by a shortest path of at least minPathLen(minPath) moves; if no draw
// qualifies, the solvable draw with the longest path is kept, or the last
// draw if none was solvable.
func generateBox(l *Level, width, height int, walls, minPath float64, rng *rand.Rand, s *scratch) {
	n := int(math.Round(walls))
	want := minPathLen(minPath, width, height)
	best, bestLen := -1, -1
	var bestSeed [2]uint64
	for try := range BoxTries {
		// Each draw starts from its own sub-seed so that the best draw
		// can be rebuilt without keeping a second level.
		seed := [2]uint64{rng.Uint64(), rng.Uint64()}
		drawBox(l, width, height, n, seed, s)
		if want <= 0 {
			return
		}
		d := pathLen(l, s)
		if d >= want {
			return
		}
		if d > bestLen {
			best, bestLen, bestSeed = try, d, seed
		}
	}
	if best >= 0 && best != BoxTries-1 {
		drawBox(l, width, height, n, bestSeed, s)
	}
}

// drawBox draws one Box layout from a sub-seed.
func drawBox(l *Level, width, height, n int, seed [2]uint64, s *scratch) {
	if s.src == nil {
		s.src = new(rand.PCG)
		s.rng = rand.New(s.src)
	}
	s.src.Seed(seed[0], seed[1])
	reset(l, width, height)
	placeGoalAgentWalls(l, n, s.rng)
}

// pathLen returns the shortest path length of l, or −1 if the goal is not
// reachable, using s's buffers.
func pathLen(l *Level, s *scratch) int {
	s.dist = l.distances(l.Goal, s.dist)
	return int(s.dist[l.Agent.Y*l.Width+l.Agent.X])
}

// The generators below make the procedurally generated held-out mazes. Each
// was run once with a fixed seed to write its file under levels/; a test
// regenerates the files from those seeds.

// PerfectMaze returns a width × height perfect maze (exactly one path between
// any two free cells) made as dcd's mst_maze.py makes it: the cells with even
// coordinates form a lattice, and randomised Kruskal opens the wall between
// lattice neighbours in a random order whenever they are not yet connected.
// The agent and the goal take two distinct random corners; the agent faces
// right, as in dcd. width and height must be odd.
func PerfectMaze(width, height int, rng *rand.Rand) (*Level, error) {
	if width%2 == 0 || height%2 == 0 || width < 3 || height < 3 || width > MaxSide || height > MaxSide {
		return nil, fmt.Errorf("maze: perfect maze of %d×%d: want odd sides in 3..%d", width, height, MaxSide)
	}
	l := NewLevel(width, height)
	for i := range l.Walls {
		l.Walls[i] = true
	}
	lw, lh := width/2+1, height/2+1 // lattice size
	parent := make([]int, lw*lh)
	for i := range parent {
		parent[i] = i
		l.SetWall(Pos{2 * (i % lw), 2 * (i / lw)}, false)
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	type edge struct{ a, b int }
	var edges []edge
	for y := range lh {
		for x := range lw {
			i := y*lw + x
			if x+1 < lw {
				edges = append(edges, edge{i, i + 1})
			}
			if y+1 < lh {
				edges = append(edges, edge{i, i + lw})
			}
		}
	}
	rng.Shuffle(len(edges), func(i, j int) { edges[i], edges[j] = edges[j], edges[i] })
	for _, e := range edges {
		ra, rb := find(e.a), find(e.b)
		if ra == rb {
			continue
		}
		parent[ra] = rb
		// The wall cell between the two lattice cells.
		l.SetWall(Pos{e.a%lw + e.b%lw, e.a/lw + e.b/lw}, false)
	}
	corners := []Pos{{0, 0}, {width - 1, 0}, {0, height - 1}, {width - 1, height - 1}}
	perm := rng.Perm(4)
	l.Agent, l.Goal, l.Dir = corners[perm[0]], corners[perm[1]], Right
	return l, nil
}

// Corridor returns dcd's corridor maze with an n × n interior (SmallCorridor:
// 13, LargeCorridor: 19): an empty first and last row and column, a
// horizontal wall across the middle row, vertical walls on the odd columns,
// the agent at the left end of the middle row facing right, and the goal in
// one of the dead ends next to the middle wall, chosen at random as dcd does
// per episode. n must be odd and at least 7.
func Corridor(n int, rng *rand.Rand) (*Level, error) {
	if n%2 == 0 || n < 7 || n > MaxSide {
		return nil, fmt.Errorf("maze: corridor of side %d: want an odd side in 7..%d", n, MaxSide)
	}
	l := NewLevel(n, n)
	mid := n / 2
	for y := 1; y < n-1; y++ {
		for x := 1; x < n-1; x++ {
			if y == mid || x%2 == 1 {
				l.SetWall(Pos{x, y}, true)
			}
		}
	}
	cols := (n - 3) / 2 // even columns 2..n−3
	l.Agent, l.Dir = Pos{0, mid}, Right
	l.Goal = Pos{2 + 2*rng.IntN(cols), mid - 1 + 2*rng.IntN(2)}
	return l, nil
}

// FourRooms returns MiniGrid's FourRooms layout (19 × 19 with the border, so
// a 17 × 17 interior): a wall cross through the centre with one random door
// in each of its four arms, the agent on a random free cell with a random
// direction, and the goal on another.
func FourRooms(rng *rand.Rand) *Level {
	const n = 17
	l := NewLevel(n, n)
	const mid = n / 2
	for i := range n {
		l.SetWall(Pos{mid, i}, true)
		l.SetWall(Pos{i, mid}, true)
	}
	// MiniGrid's order: upper arm of the vertical wall, left arm of the
	// horizontal wall, right arm, lower arm.
	l.SetWall(Pos{mid, rng.IntN(mid)}, false)
	l.SetWall(Pos{rng.IntN(mid), mid}, false)
	l.SetWall(Pos{mid + 1 + rng.IntN(mid), mid}, false)
	l.SetWall(Pos{mid, mid + 1 + rng.IntN(mid)}, false)
	l.Agent = randomFree(l, Pos{-1, -1}, rng)
	l.Dir = Dir(rng.IntN(4))
	l.Goal = randomFree(l, l.Agent, rng)
	return l
}

// SimpleCrossing returns MiniGrid's SimpleCrossing layout of the given size
// (with the border; odd) and number of crossings: that many wall "rivers"
// across the grid, horizontal or vertical, on even lines, chosen at random,
// each with one opening placed so that a monotone path leads from the agent
// (top-left corner, facing right) to the goal (bottom-right corner).
func SimpleCrossing(size, crossings int, rng *rand.Rand) (*Level, error) {
	if size%2 == 0 || size < 5 || size > MaxSide+2 {
		return nil, fmt.Errorf("maze: crossing of size %d: want an odd size in 5..%d", size, MaxSide+2)
	}
	// Work in full-grid coordinates (border at 0 and size−1) as MiniGrid
	// does, and shift by one when setting cells.
	type river struct {
		vertical bool
		at       int
	}
	var rivers []river
	for i := 2; i < size-2; i += 2 {
		rivers = append(rivers, river{true, i})
	}
	for j := 2; j < size-2; j += 2 {
		rivers = append(rivers, river{false, j})
	}
	if crossings < 0 || crossings > len(rivers) {
		return nil, fmt.Errorf("maze: %d crossings: want 0..%d for size %d", crossings, len(rivers), size)
	}
	rng.Shuffle(len(rivers), func(i, j int) { rivers[i], rivers[j] = rivers[j], rivers[i] })
	rivers = rivers[:crossings]
	var riversV, riversH []int
	for _, r := range rivers {
		if r.vertical {
			riversV = append(riversV, r.at)
		} else {
			riversH = append(riversH, r.at)
		}
	}
	slices.Sort(riversV)
	slices.Sort(riversH)
	l := NewLevel(size-2, size-2)
	set := func(i, j int, wall bool) { l.SetWall(Pos{i - 1, j - 1}, wall) }
	for _, j := range riversH {
		for i := 1; i < size-1; i++ {
			set(i, j, true)
		}
	}
	for _, i := range riversV {
		for j := 1; j < size-1; j++ {
			set(i, j, true)
		}
	}
	// The path crosses each vertical river by a horizontal step and each
	// horizontal river by a vertical one, in a random order.
	path := make([]bool, 0, len(rivers)) // true: a horizontal step
	for range riversV {
		path = append(path, true)
	}
	for range riversH {
		path = append(path, false)
	}
	rng.Shuffle(len(path), func(i, j int) { path[i], path[j] = path[j], path[i] })
	limitsV := append(append([]int{0}, riversV...), size-1)
	limitsH := append(append([]int{0}, riversH...), size-1)
	roomI, roomJ := 0, 0
	for _, horizontal := range path {
		var i, j int
		if horizontal {
			i = limitsV[roomI+1]
			j = limitsH[roomJ] + 1 + rng.IntN(limitsH[roomJ+1]-limitsH[roomJ]-1)
			roomI++
		} else {
			i = limitsV[roomI] + 1 + rng.IntN(limitsV[roomI+1]-limitsV[roomI]-1)
			j = limitsH[roomJ+1]
			roomJ++
		}
		set(i, j, false)
	}
	l.Agent, l.Dir, l.Goal = Pos{0, 0}, Right, Pos{size - 3, size - 3}
	return l, nil
}
