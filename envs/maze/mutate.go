package maze

import (
	"math/rand/v2"
	"slices"
)

// Edit sets of the level editor (the editor parameter), after dcd's
// editor_actions and minimax's maze mutators.
const (
	// EditWallsNoneAgentGoal edits cells into a wall, an empty cell, the
	// agent's start or the goal: dcd's default editor (add wall, remove wall,
	// move agent, move goal).
	EditWallsNoneAgentGoal = "walls_none_agent_goal"
	// EditWallsNoneGoal edits cells into a wall, an empty cell or the goal:
	// the editor of dcd's ACCEL maze environment.
	EditWallsNoneGoal = "walls_none_goal"
	// EditWallsNone edits cells into a wall or an empty cell.
	EditWallsNone = "walls_none"
	// EditMinimax makes each edit a no-op, a wall flip on a random cell other
	// than the agent's and the goal's, or a move of the goal to a random
	// free cell: the mutator of minimax's and JaxUED's ACCEL.
	EditMinimax = "minimax"
)

var editors = []string{EditWallsNoneAgentGoal, EditWallsNoneGoal, EditWallsNone, EditMinimax}

// Cell edits of dcd's editor.
type edit uint8

const (
	editWall edit = iota
	editEmpty
	editAgent
	editGoal
)

// editSets maps the cell editors to their edits.
var editSets = map[string][]edit{
	EditWallsNoneAgentGoal: {editWall, editEmpty, editAgent, editGoal},
	EditWallsNoneGoal:      {editWall, editEmpty, editGoal},
	EditWallsNone:          {editWall, editEmpty},
}

// mutate applies n random edits of the editor to l in place. The result is
// always a valid level: the agent and the goal exist, on distinct free
// cells. The agent's direction never changes, as in dcd.
func mutate(l *Level, n int, editor string, rng *rand.Rand) {
	if n <= 0 {
		return
	}
	if editor == EditMinimax {
		mutateMinimax(l, n, rng)
		return
	}
	mutateCells(l, n, editSets[editor], rng)
}

// mutateCells is dcd's mutate_level: draw n interior cells with replacement,
// drop repeats, and give each a random edit from set, applied in increasing
// order of cell index. An edit first clears its cell (removing a wall, the
// goal or the agent there); then a wall edit puts a wall, an agent edit moves
// the agent's start there and a goal edit moves the goal there. Afterwards a
// missing goal, then a missing agent, is put back on a random free cell.
func mutateCells(l *Level, n int, set []edit, rng *rand.Rand) {
	cells := make([]int, n)
	for i := range cells {
		cells[i] = rng.IntN(len(l.Walls))
	}
	slices.Sort(cells)
	cells = slices.Compact(cells)
	agentOK, goalOK := true, true
	for _, c := range cells {
		p := Pos{c % l.Width, c / l.Width}
		e := set[rng.IntN(len(set))]
		l.Walls[c] = false
		if p == l.Agent {
			agentOK = false
		}
		if p == l.Goal {
			goalOK = false
		}
		switch e {
		case editWall:
			l.Walls[c] = true
		case editAgent:
			l.Agent, agentOK = p, true
		case editGoal:
			l.Goal, goalOK = p, true
		}
	}
	// A goal edit on the agent's cell (or the reverse) leaves the earlier
	// occupant "missing" even if its coordinates still match.
	if !goalOK {
		l.Goal = freeCell(l, l.Agent, agentOK, rng)
	}
	if !agentOK {
		l.Agent = freeCell(l, l.Goal, true, rng)
	}
}

// freeCell returns a uniformly random cell that is not a wall and not
// occupied (if occupiedOK); when every other cell is a wall, it clears a
// random wall cell and returns it, so that mutation always yields a valid
// level. (dcd would fail here; it never arises with its wall budgets.)
func freeCell(l *Level, occupied Pos, occupiedOK bool, rng *rand.Rand) Pos {
	free := 0
	for i, w := range l.Walls {
		if !w && (!occupiedOK || i != occupied.Y*l.Width+occupied.X) {
			free++
		}
	}
	pick := func(want func(i int) bool, count int) Pos {
		k := rng.IntN(count)
		for i := range l.Walls {
			if want(i) {
				if k == 0 {
					return Pos{i % l.Width, i / l.Width}
				}
				k--
			}
		}
		panic("unreachable")
	}
	notOccupied := func(i int) bool { return !occupiedOK || i != occupied.Y*l.Width+occupied.X }
	if free > 0 {
		return pick(func(i int) bool { return !l.Walls[i] && notOccupied(i) }, free)
	}
	cand := len(l.Walls)
	if occupiedOK {
		cand--
	}
	p := pick(notOccupied, cand)
	l.SetWall(p, false)
	return p
}

// mutateMinimax is minimax's move_goal_flip_walls: n edits, each a no-op, a
// wall flip or a goal move with equal probability.
func mutateMinimax(l *Level, n int, rng *rand.Rand) {
	cells := len(l.Walls)
	for range n {
		switch rng.IntN(3) {
		case 1: // flip a wall anywhere but the agent's and the goal's cells
			if cells <= 2 {
				continue // no such cell
			}
			p := Pos{-1, -1}
			for p == (Pos{-1, -1}) || p == l.Agent || p == l.Goal {
				c := rng.IntN(cells)
				p = Pos{c % l.Width, c / l.Width}
			}
			l.SetWall(p, !l.Wall(p))
		case 2: // move the goal to a free cell other than the agent's
			free := 0
			for i, w := range l.Walls {
				if !w && i != l.Agent.Y*l.Width+l.Agent.X && i != l.Goal.Y*l.Width+l.Goal.X {
					free++
				}
			}
			if free == 0 {
				continue // nowhere to go: the edit does nothing
			}
			for {
				c := rng.IntN(cells)
				p := Pos{c % l.Width, c / l.Width}
				if !l.Walls[c] && p != l.Agent && p != l.Goal {
					l.Goal = p
					break
				}
			}
		}
	}
}
