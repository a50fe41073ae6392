package maze

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// The construction MDP of PAIRED's adversary (dcd's AdversarialEnv with
// choose_goal_last, the "GoalLast" environments of the papers).
const (
	// NoiseSize is the length of the random vector z in a Builder's
	// observation (dcd's random_z_dim).
	NoiseSize = 50
	// BuildCodes is the number of one-hot codes per cell in a Builder's
	// observation: empty, wall, goal, agent.
	BuildCodes = 4
)

// Cell codes of a Builder's observation.
const (
	BuildEmpty = iota
	BuildWall
	BuildGoal
	BuildAgent
)

// builderStream is the second PCG seed word of a Builder's episode stream,
// so that a task seed used elsewhere does not give the same numbers.
const builderStream = 0x6d617a656275696c // "mazebuil"

// Builder is the construction MDP in which PAIRED's adversary builds a maze
// cell by cell, following dcd's GoalLast protocol. It implements
// task.Builder. An episode has walls+2 steps; each action is an interior
// cell, numbered row by row from the top-left (cell i is x = i mod width,
// y = i div width, dcd's decoding without the border), so there are
// width·height actions (169 for a 13 × 13 interior):
//
//   - the first walls actions place a wall each; a wall on a cell that
//     already holds one changes nothing (dcd: an occupied cell is a no-op);
//   - the next places the goal, clearing a wall there;
//   - the last places the agent, clearing a wall there; if the cell holds
//     the goal, the agent goes to a uniformly random free cell instead.
//
// The agent's direction is drawn when the episode starts, as dcd's reset
// draws agent_start_dir. Every step pays 0; the episode terminates after
// the agent is placed, and Level then returns the level built, which has
// at most walls walls, an agent and a goal on distinct free cells.
//
// The observation is a flat vector of ObsSize values: a one-hot code over
// {empty, wall, goal, agent} per interior cell (BuildCodes·i + code for cell
// i), then the number of steps taken as a one-hot over 0..walls+2, then
// NoiseSize values drawn uniformly from [0, 1), fresh at every step as in
// dcd, which draws a new z at every reset and step. dcd observes the full
// 15 × 15 × 3 grid encoding and the step as a scalar, which its network
// embeds; the agent is placed last, so its cell and direction never appear
// in an observation the adversary acts on.
//
// Everything random in an episode — the direction, the noise, a displaced
// agent's cell — comes from a stream seeded by the seed of the task passed
// to Reset (its level or parameters are ignored): the same seed and actions
// give the same observations and level. Reset and Step allocate nothing.
type Builder struct {
	width, height int
	walls         int // budget: wall-placing steps
	obsSize       int

	lvl   Level
	cells []uint8 // code per cell
	t     int     // steps taken
	done  bool

	src *rand.PCG
	rng *rand.Rand
}

// NewBuilder returns a construction environment for the space's levels
// and wall budget. It draws nothing from rng: an episode's randomness comes
// from its task's seed.
func (s *Space) NewBuilder(*rand.Rand) task.Builder { return newBuilder(s.width, s.height, s.walls) }

func newBuilder(width, height, walls int) *Builder {
	n := width * height
	src := new(rand.PCG)
	b := &Builder{
		width: width, height: height, walls: walls,
		obsSize: BuildCodes*n + walls + 3 + NoiseSize,
		cells:   make([]uint8, n),
		src:     src,
		rng:     rand.New(src),
		done:    true,
	}
	reset(&b.lvl, width, height)
	return b
}

// ObsSize returns the length of an observation: 4·width·height + walls + 3 +
// NoiseSize (754 for the default 13 × 13 interior and 25 walls).
func (b *Builder) ObsSize() int { return b.obsSize }

// Actions returns width·height discrete actions, one per interior cell.
func (b *Builder) Actions() task.ActionSpec { return task.ActionSpec{Discrete: b.width * b.height} }

// Steps returns the length of a construction episode: walls + 2.
func (b *Builder) Steps() int { return b.walls + 2 }

// Reset starts building an empty level; t's seed seeds the episode's
// randomness.
func (b *Builder) Reset(t task.Task, obs []float64) {
	b.src.Seed(t.Seed, builderStream)
	reset(&b.lvl, b.width, b.height)
	clear(b.cells)
	b.lvl.Dir = Dir(b.rng.IntN(4))
	b.t, b.done = 0, false
	b.observe(obs)
}

// Step applies action[0], a whole number in 0..width·height−1 naming a
// cell. It panics on an invalid action or a step after the end.
func (b *Builder) Step(action, obs []float64) (float64, task.StepStatus) {
	if b.done {
		panic("maze: Builder.Step after the end of the episode (call Reset)")
	}
	n := len(b.cells)
	a := int(action[0])
	if float64(a) != action[0] || a < 0 || a >= n {
		panic(fmt.Sprintf("maze: builder action %v: want a whole number in 0..%d", action[0], n-1))
	}
	p := Pos{a % b.width, a / b.width}
	switch {
	case b.t < b.walls:
		if b.cells[a] == BuildEmpty {
			b.cells[a] = BuildWall
			b.lvl.Walls[a] = true
		}
	case b.t == b.walls:
		b.lvl.Walls[a] = false
		b.cells[a] = BuildGoal
		b.lvl.Goal = p
	default:
		b.lvl.Walls[a] = false
		if b.cells[a] == BuildGoal {
			p = randomFree(&b.lvl, b.lvl.Goal, b.rng)
			a = p.Y*b.width + p.X
		}
		b.cells[a] = BuildAgent
		b.lvl.Agent = p
	}
	b.t++
	status := task.Running
	if b.t == b.walls+2 {
		status = task.Terminated
		b.done = true
	}
	b.observe(obs)
	return 0, status
}

// observe writes the observation of the current state, drawing a fresh
// noise vector.
func (b *Builder) observe(obs []float64) {
	obs = obs[:b.obsSize]
	clear(obs)
	for i, c := range b.cells {
		obs[BuildCodes*i+int(c)] = 1
	}
	k := BuildCodes * len(b.cells)
	obs[k+b.t] = 1
	for i := range NoiseSize {
		obs[k+b.walls+3+i] = b.rng.Float64()
	}
}

// Outcome returns the construction episode's outcome: zero return and
// score, no success, and the steps taken.
func (b *Builder) Outcome() task.Outcome { return task.Outcome{Steps: b.t} }

// Level returns the encoding of the level built by the last episode, a new
// slice, or nil if no episode has ended since the last Reset.
func (b *Builder) Level() []byte {
	if !b.done || b.t == 0 {
		return nil
	}
	return mustEncode(&b.lvl)
}

// Built returns the level built by the last episode (nil before it has
// ended). It must not be modified and changes at the next Reset.
func (b *Builder) Built() *Level {
	if !b.done || b.t == 0 {
		return nil
	}
	return &b.lvl
}
