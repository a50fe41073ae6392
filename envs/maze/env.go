package maze

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/envs/internal/egoview"
	"github.com/teachbench/teachbench/task"
)

// Actions, numbered as MiniGrid's. With the family's actions = 3 only the
// first three exist; with actions = 7 the last four are accepted and do
// nothing (there is nothing to pick up, drop or toggle in a maze), as in dcd.
const (
	ActLeft = iota
	ActRight
	ActForward
	ActPickup
	ActDrop
	ActToggle
	ActDone
)

// The observation: the 5 × 5 egocentric view, then the direction.
const (
	// ViewSize is the side of the agent's square view (dcd's
	// agent_view_size).
	ViewSize = 5
	// ViewCells is the number of cells in the view.
	ViewCells = ViewSize * ViewSize
	// CellCodes is the number of one-hot codes per view cell.
	CellCodes = 3
	// ObsSize is the length of an observation: a one-hot code per view
	// cell, then a one-hot direction.
	ObsSize = ViewCells*CellCodes + 4
)

// Cell codes of the observation (and of the environment's grid).
const (
	CodeEmpty = 0
	CodeWall  = 1
	CodeGoal  = 2
)

// pad is the width of the wall margin around the interior in the
// environment's grid: the farthest view cell is ViewSize−1 cells ahead, so
// the view never leaves the padded grid.
const pad = ViewSize - 1

// Env is one maze environment. It implements task.Env. Reset and Step
// allocate nothing once the environment has seen a level of the largest size
// it will play.
type Env struct {
	horizon int // the family's step limit, for levels without their own
	actions int
	gen     genParams

	lvl     Level
	scratch scratch
	src     *rand.PCG // the Box view's level stream, seeded by the task
	rng     *rand.Rand

	// The interior surrounded by pad wall cells on every side, row-major,
	// one code per cell.
	grid   []uint8
	stride int
	view   [4][ViewCells]int32 // grid offsets of the view cells per direction
	ahead  [4]int32            // grid offset of the cell ahead per direction

	pos     int32 // the agent's grid index
	dir     Dir
	t       int // steps taken
	limit   int
	reward  float64
	success bool
	done    bool
}

// genParams are what an Env needs to turn Box tasks into levels.
type genParams struct {
	width, height int
	budget        int
	minPath       bool
}

func newEnv(horizon, actions int, g genParams) *Env {
	src := new(rand.PCG)
	return &Env{horizon: horizon, actions: actions, gen: g, src: src, rng: rand.New(src), done: true}
}

// boxStream is the second PCG seed word of the Box view's level stream, so
// that a task seed used elsewhere does not give the same numbers.
const boxStream = 0x6d617a65626f7821 // "mazebox!"

// ObsSize returns ObsSize.
func (e *Env) ObsSize() int { return ObsSize }

// Actions returns 3 or 7 discrete actions.
func (e *Env) Actions() task.ActionSpec { return task.ActionSpec{Discrete: e.actions} }

// Reset starts an episode of t: its level for a Levels task, or for a Box
// task the level generated from (t.Params, t.Seed). A level fixes the whole
// episode: the dynamics are deterministic, and t.Seed only matters for Box
// tasks. It panics on a task it cannot play (a malformed level, a Box task
// of the wrong dimension, a Discrete task), naming the problem.
func (e *Env) Reset(t task.Task, obs []float64) {
	switch {
	case t.Level != nil:
		if err := e.lvl.UnmarshalBinary(t.Level); err != nil {
			panic(fmt.Sprintf("maze: task %s: %v", t.String(), err))
		}
	case t.Params != nil:
		want := 1
		if e.gen.minPath {
			want = 2
		}
		if len(t.Params) != want {
			panic(fmt.Sprintf("maze: Box task %s has %d values, want %d", t.String(), len(t.Params), want))
		}
		walls, minPath := t.Params[0], 0.0
		if want == 2 {
			minPath = t.Params[1]
		}
		if !(walls >= 0 && walls <= float64(e.gen.budget)) || !(minPath >= 0 && minPath <= 1) {
			panic(fmt.Sprintf("maze: Box task %s outside walls∈[0,%d], min_path∈[0,1]", t.String(), e.gen.budget))
		}
		e.src.Seed(t.Seed, boxStream)
		generateBox(&e.lvl, e.gen.width, e.gen.height, walls, minPath, e.rng, &e.scratch)
	default:
		panic(fmt.Sprintf("maze: task %s has neither a level nor Box parameters", t.String()))
	}
	e.load()
	e.observe(obs)
}

// load builds the padded grid and the view offsets of e.lvl and starts the
// episode.
func (e *Env) load() {
	l := &e.lvl
	stride := l.Width + 2*pad
	n := stride * (l.Height + 2*pad)
	if cap(e.grid) < n {
		e.grid = make([]uint8, n)
	}
	e.grid = e.grid[:n]
	for i := range e.grid {
		e.grid[i] = CodeWall
	}
	for y := range l.Height {
		row := e.grid[(y+pad)*stride+pad:]
		for x, w := range l.Walls[y*l.Width : (y+1)*l.Width] {
			if !w {
				row[x] = CodeEmpty
			}
		}
	}
	e.grid[(l.Goal.Y+pad)*stride+l.Goal.X+pad] = CodeGoal
	if stride != e.stride {
		e.stride = stride
		for d := range 4 {
			e.ahead[d] = egoview.Ahead(stride, d)
			egoview.View(e.view[d][:], stride, ViewSize, d)
		}
	}
	e.pos = int32((l.Agent.Y+pad)*stride + l.Agent.X + pad)
	e.dir = l.Dir
	e.t, e.reward, e.success, e.done = 0, 0, false, false
	e.limit = e.horizon
	if l.MaxSteps > 0 {
		e.limit = l.MaxSteps
	}
}

// Step applies action[0] (a whole number in 0..Actions−1). Reaching the goal
// at step t (counted from 1, MiniGrid's step_count after the increment)
// pays 1 − 0.9·t/T, T being the step limit, and terminates; the episode is
// truncated after T steps. It panics on an invalid action or a step after the
// end.
func (e *Env) Step(action, obs []float64) (float64, task.StepStatus) {
	if e.done {
		panic("maze: Step after the end of the episode (call Reset)")
	}
	a := int(action[0])
	if float64(a) != action[0] || a < 0 || a >= e.actions {
		panic(fmt.Sprintf("maze: action %v: want a whole number in 0..%d", action[0], e.actions-1))
	}
	e.t++
	status := task.Running
	var r float64
	switch a {
	case ActLeft:
		e.dir = (e.dir + 3) & 3
	case ActRight:
		e.dir = (e.dir + 1) & 3
	case ActForward:
		next := e.pos + e.ahead[e.dir]
		switch e.grid[next] {
		case CodeEmpty:
			e.pos = next
		case CodeGoal:
			// The agent does not move onto the goal: the episode ends.
			r = 1 - 0.9*(float64(e.t)/float64(e.limit)) // MiniGrid's _reward, same rounding
			e.reward, e.success, status = r, true, task.Terminated
		}
	}
	if status == task.Running && e.t >= e.limit {
		status = task.Truncated
	}
	e.done = status != task.Running
	e.observe(obs)
	return r, status
}

// observe writes the observation: for view cell i (row-major from the
// farthest row, left to right, the agent at the bottom centre facing up),
// obs[3i+code] = 1 with code CodeEmpty, CodeWall or CodeGoal; then
// obs[75+d] = 1 for the direction d. Cells outside the interior read as
// walls and walls do not hide what lies behind them (dcd's
// see_through_walls). The agent's own cell reads as empty.
func (e *Env) observe(obs []float64) {
	obs = obs[:ObsSize]
	clear(obs)
	view := &e.view[e.dir]
	grid := e.grid
	for i, off := range view {
		obs[CellCodes*i+int(grid[e.pos+off])] = 1
	}
	obs[ViewCells*CellCodes+int(e.dir)] = 1
}

// Outcome returns the episode's outcome so far: the return (the single
// reward, 0 unless the goal was reached), the same value as the score,
// whether the goal was reached, and the steps taken.
func (e *Env) Outcome() task.Outcome {
	return task.Outcome{Return: e.reward, Score: e.reward, Success: e.success, Steps: e.t}
}

// Level returns the level being played. It must not be modified; it changes
// at the next Reset.
func (e *Env) Level() *Level { return &e.lvl }

// Agent returns the agent's current cell and direction.
func (e *Env) Agent() (Pos, Dir) {
	x, y := int(e.pos)%e.stride-pad, int(e.pos)/e.stride-pad
	return Pos{x, y}, e.dir
}

// StepCount returns the steps taken in the episode.
func (e *Env) StepCount() int { return e.t }

// Limit returns the episode's step limit T.
func (e *Env) Limit() int { return e.limit }
