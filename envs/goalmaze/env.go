package goalmaze

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// The observation: the agent's position, then the desired goal.
const (
	// ObsSize is the length of an observation: x, y, goal x, goal y.
	ObsSize = 4
	// GoalSize is the length of a goal: its x and y.
	GoalSize = 2
)

// WallMargin is how far from a wall the agent stops when its move is cut by
// the wall: the mean of the reference's random repulsion, uniform in
// [0, 0.01).
const WallMargin = 0.005

// startStream is the second PCG seed word of the start position's stream, so
// that a task seed used elsewhere does not give the same numbers.
const startStream = 0x676f616c73746172 // "goalstar"

// dynamics are the settings an environment needs from the family.
type dynamics struct {
	actionRange  float64
	radius       float64
	horizon      int // 0: the layout's limit
	endOnSuccess bool
	startSpread  float64
}

// Env is one point-maze environment. It implements task.Env and
// task.GoalEnv. Reset and Step allocate nothing.
type Env struct {
	fam *Family
	dyn dynamics
	src *rand.PCG
	rng *rand.Rand

	lay     *Layout
	pos     [2]float64
	cell    Cell // the open cell the agent is in (pos may lie on its border)
	goal    [2]float64
	t       int
	limit   int
	ret     float64
	success bool // the goal has been reached at some step
	done    bool
	final   [2]float64 // Outcome's Achieved
	path    []float64  // Outcome's Path: the position after each step
}

// ObsSize returns ObsSize.
func (e *Env) ObsSize() int { return ObsSize }

// Actions returns two continuous actions in [−1, 1]: the move along x and
// along y, as fractions of the action range.
func (e *Env) Actions() task.ActionSpec { return task.ActionSpec{Dims: 2} }

// GoalSize returns GoalSize.
func (e *Env) GoalSize() int { return GoalSize }

// Reset starts an episode towards the goal t.Params = (x, y) in the
// family's current layout (after an environment change, the changed one).
// The start position is drawn from t.Seed: uniform in the square of half
// side start_spread around the start cell's centre. Any finite goal is
// accepted, inside the maze or not. It panics if t is not a Box task of two
// finite values.
func (e *Env) Reset(t task.Task, obs []float64) {
	if len(t.Params) != GoalSize || !finite(t.Params[0]) || !finite(t.Params[1]) {
		panic(fmt.Sprintf("goalmaze: task %s: want a goal of two finite coordinates", t.String()))
	}
	e.lay = e.fam.Layout()
	e.goal = [2]float64{t.Params[0], t.Params[1]}
	e.cell = e.lay.start
	e.pos = e.cell.Center()
	if s := e.dyn.startSpread; s > 0 {
		e.src.Seed(t.Seed, startStream)
		e.pos[0] += s * (2*e.rng.Float64() - 1)
		e.pos[1] += s * (2*e.rng.Float64() - 1)
	}
	e.limit = e.dyn.horizon
	if e.limit == 0 {
		e.limit = e.lay.Limit
	}
	e.t, e.ret, e.success, e.done = 0, 0, false, false
	if cap(e.path) < 2*e.limit {
		e.path = make([]float64, 0, 2*e.limit)
	}
	e.path = e.path[:0]
	e.observe(obs)
}

// Step moves the agent by action_range·clip(action, −1, 1) along x and y,
// stopped by walls (see the package documentation), and returns the reward:
// 0 if the agent ends the step within the success radius of the goal, −1
// otherwise. The episode is truncated after the step limit; with
// end_on_success it terminates at the first step that reaches the goal. It
// panics if an action is not finite or the episode has ended.
func (e *Env) Step(action, obs []float64) (float64, task.StepStatus) {
	if e.done {
		panic("goalmaze: Step after the end of the episode (call Reset)")
	}
	ax, ay := action[0], action[1]
	if !finite(ax) || !finite(ay) {
		panic(fmt.Sprintf("goalmaze: action [%v %v]: want finite values", ax, ay))
	}
	r := e.dyn.actionRange
	e.move(r*clip(ax), r*clip(ay))
	e.path = append(e.path, e.pos[0], e.pos[1])
	e.t++
	reward := e.GoalReward(e.pos[:], e.goal[:])
	e.ret += reward
	status := task.Running
	if reward == 0 {
		e.success = true
		if e.dyn.endOnSuccess {
			status = task.Terminated
		}
	}
	if status == task.Running && e.t >= e.limit {
		status = task.Truncated
	}
	e.done = status != task.Running
	e.observe(obs)
	return reward, status
}

// move moves the agent by (dx, dy) through its layout (see moveIn).
func (e *Env) move(dx, dy float64) { e.pos, e.cell = moveIn(e.lay, e.pos, e.cell, dx, dy) }

// moveIn returns where a move by (dx, dy) from p, in cell c of l, ends and
// in which cell. The segment is followed side by side of the cells it
// enters: crossing an open side takes the agent into the next cell;
// reaching a wall stops the motion across that wall WallMargin short of it,
// and the rest of the move along the wall goes on (the agent slides). A
// move that ends exactly on a side crosses it, and one that passes exactly
// through a corner meets the vertical side first.
func moveIn(l *Layout, p [2]float64, c Cell, dx, dy float64) ([2]float64, Cell) {
	px, py := p[0], p[1]
	for dx != 0 || dy != 0 {
		// The fraction of the remaining move at which it meets the next
		// vertical and horizontal side of cell c.
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
		t := min(tx, ty)
		if t > 1 {
			px, py = px+dx, py+dy
			break
		}
		t = max(t, 0) // rounding may leave the agent a hair past the side
		if tx <= ty {
			dir, side := East, float64(c.X)+0.5
			if dx < 0 {
				dir, side = West, float64(c.X)-0.5
			}
			py += t * dy
			dy *= 1 - t
			if l.Wall(c, dir) {
				px, dx = side-math.Copysign(WallMargin, dx), 0
			} else {
				px, dx = side, dx*(1-t)
				c = c.Step(dir)
			}
		} else {
			dir, side := North, float64(c.Y)+0.5
			if dy < 0 {
				dir, side = South, float64(c.Y)-0.5
			}
			px += t * dx
			dx *= 1 - t
			if l.Wall(c, dir) {
				py, dy = side-math.Copysign(WallMargin, dy), 0
			} else {
				py, dy = side, dy*(1-t)
				c = c.Step(dir)
			}
		}
	}
	return [2]float64{px, py}, c
}

// observe writes the observation: x, y, goal x, goal y.
func (e *Env) observe(obs []float64) {
	obs = obs[:ObsSize]
	obs[0], obs[1], obs[2], obs[3] = e.pos[0], e.pos[1], e.goal[0], e.goal[1]
}

// Outcome returns the episode's outcome so far: the return (the sum of the
// rewards), the score 1 + return/T ∈ [0, 1] with T the step limit, whether
// the goal was reached at some step (first-visit success), the steps taken,
// the position reached as the achieved goal, and the positions after each
// step as the path. Achieved and Path point into the environment: Achieved
// changes at the next call of Outcome, Path at the next Reset.
func (e *Env) Outcome() task.Outcome {
	e.final = e.pos
	score := 0.0
	if e.limit > 0 {
		score = min(max(1+e.ret/float64(e.limit), 0), 1)
	}
	return task.Outcome{Return: e.ret, Score: score, Success: e.success, Steps: e.t, Achieved: e.final[:], Path: e.path}
}

// DesiredGoal writes the episode's goal into dst.
func (e *Env) DesiredGoal(dst []float64) { dst[0], dst[1] = e.goal[0], e.goal[1] }

// AchievedGoal writes the agent's position into dst.
func (e *Env) AchievedGoal(dst []float64) { dst[0], dst[1] = e.pos[0], e.pos[1] }

// GoalReward returns the reward of a step ending at achieved when desired is
// the goal: 0 if their distance is below the success radius, −1 otherwise
// (the reference's compute_reward). Step's reward is
// GoalReward(position, goal).
func (e *Env) GoalReward(achieved, desired []float64) float64 {
	dx, dy := achieved[0]-desired[0], achieved[1]-desired[1]
	if dx*dx+dy*dy < e.dyn.radius*e.dyn.radius {
		return 0
	}
	return -1
}

// Position returns the agent's position.
func (e *Env) Position() [2]float64 { return e.pos }

// Goal returns the episode's goal.
func (e *Env) Goal() [2]float64 { return e.goal }

// Layout returns the layout of the current episode.
func (e *Env) Layout() *Layout { return e.lay }

// StepCount returns the steps taken in the episode.
func (e *Env) StepCount() int { return e.t }

// Limit returns the episode's step limit T.
func (e *Env) Limit() int { return e.limit }

func clip(a float64) float64 { return min(max(a, -1), 1) }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
