package maze

// Oracle is a scripted policy that sees the whole level: it follows a
// shortest path to the goal, turning towards the next cell of the path
// (right when the cell is behind) and moving forward when it faces it. On a
// solvable level whose shortest path has d moves it reaches the goal within
// 2·d+1 steps: d moves, at most two turns before the first and at most one
// before each other (a shortest path never turns back). On an unsolvable
// level it turns in place. It serves tests and baselines; it allocates
// nothing after its first level of the largest size.
type Oracle struct {
	lvl  *Level
	dist []int32
}

// Reset prepares the oracle for level l, which must stay unchanged while the
// oracle plays it.
func (o *Oracle) Reset(l *Level) {
	o.lvl = l
	o.dist = l.distances(l.Goal, o.dist)
}

// Act returns the action to take with the agent at p facing d.
func (o *Oracle) Act(p Pos, d Dir) int {
	l := o.lvl
	here := o.dist[p.Y*l.Width+p.X]
	if here < 0 {
		return ActRight
	}
	// Prefer the cell ahead, then the sides, then behind, so that ties
	// between shortest paths cost the fewest turns.
	for _, turn := range [4]Dir{0, 1, 3, 2} {
		nd := (d + turn) & 3
		v := dirVec[nd]
		q := Pos{p.X + v.X, p.Y + v.Y}
		if !l.Inside(q) {
			continue
		}
		if o.dist[q.Y*l.Width+q.X] != here-1 {
			continue
		}
		switch turn {
		case 0:
			return ActForward
		case 3:
			return ActLeft
		default: // right, or behind: turn right twice
			return ActRight
		}
	}
	return ActRight // unreachable on a consistent distance field
}
