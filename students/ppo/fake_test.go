package ppo

import (
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Small environments for the tests. Students must not import env families,
// so these stand in for them.

// fakeFamily is an episodic family of one task whose environments come from
// newEnv.
type fakeFamily struct {
	newEnv func() task.Env
}

func (f fakeFamily) Spaces() []task.Space {
	d, err := task.NewDiscrete([]string{"only"}, nil, nil, nil)
	if err != nil {
		panic(err)
	}
	return []task.Space{d}
}

func (f fakeFamily) TestSet() []task.Task                      { return []task.Task{{}} }
func (f fakeFamily) Mastered(_ task.Task, o task.Outcome) bool { return o.Success }
func (f fakeFamily) NewEnv(*rand.Rand) task.Env                { return f.newEnv() }

// episodeTracker keeps the outcome of the current episode.
type episodeTracker struct {
	ret     float64
	steps   int
	success bool
}

func (e *episodeTracker) reset() { *e = episodeTracker{} }

func (e *episodeTracker) outcome() task.Outcome {
	return task.Outcome{Return: e.ret, Score: min(max(e.ret, 0), 1), Success: e.success, Steps: e.steps}
}

// bandit is a one-step task with three actions; action 2 pays 1, the
// others 0.
type bandit struct{ episodeTracker }

func (b *bandit) ObsSize() int                     { return 1 }
func (b *bandit) Actions() task.ActionSpec         { return task.ActionSpec{Discrete: 3} }
func (b *bandit) Reset(_ task.Task, obs []float64) { b.reset(); obs[0] = 1 }
func (b *bandit) Outcome() task.Outcome            { return b.outcome() }
func (b *bandit) Step(a, obs []float64) (float64, task.StepStatus) {
	b.steps++
	r := 0.0
	if a[0] == 2 {
		r, b.success = 1, true
	}
	b.ret += r
	return r, task.Terminated
}

// corridor is a 1-D corridor of length+1 cells: the agent starts in cell 0
// and the goal is length cells to the right. Actions: 0 left, 1 right.
// Reaching the goal at step t pays 1 − 0.9·t/horizon and ends the episode;
// it is truncated after horizon steps. The observation is the one-hot
// position.
type corridor struct {
	episodeTracker
	length, horizon, pos int
}

func (c *corridor) ObsSize() int             { return c.length + 1 }
func (c *corridor) Actions() task.ActionSpec { return task.ActionSpec{Discrete: 2} }
func (c *corridor) Outcome() task.Outcome    { return c.outcome() }
func (c *corridor) Reset(_ task.Task, obs []float64) {
	c.reset()
	c.pos = 0
	c.observe(obs)
}

func (c *corridor) observe(obs []float64) {
	clear(obs[:c.length+1])
	obs[c.pos] = 1
}

func (c *corridor) Step(a, obs []float64) (float64, task.StepStatus) {
	c.steps++
	if a[0] == 1 {
		c.pos++
	} else if c.pos > 0 {
		c.pos--
	}
	c.observe(obs)
	if c.pos == c.length {
		r := 1 - 0.9*float64(c.steps)/float64(c.horizon)
		c.ret, c.success = r, true
		return r, task.Terminated
	}
	if c.steps >= c.horizon {
		return 0, task.Truncated
	}
	return 0, task.Running
}

// target is a one-step continuous task: the observation is a target x* in
// [−0.6, 0.6] fixed by the task's seed, and the action a ∈ [−1, 1] pays
// −(a − x*)².
type target struct {
	episodeTracker
	x float64
}

func (g *target) ObsSize() int             { return 1 }
func (g *target) Actions() task.ActionSpec { return task.ActionSpec{Dims: 1} }
func (g *target) Outcome() task.Outcome    { return g.outcome() }
func (g *target) Reset(t task.Task, obs []float64) {
	g.reset()
	g.x = -0.6 + 1.2*float64(t.Seed%13)/12
	obs[0] = g.x
}

func (g *target) Step(a, obs []float64) (float64, task.StepStatus) {
	if math.IsNaN(a[0]) || a[0] < -1 || a[0] > 1 {
		panic("target: action outside [-1, 1]")
	}
	g.steps++
	d := a[0] - g.x
	r := -d * d
	g.ret = r
	g.success = math.Abs(d) < 0.1
	return r, task.Terminated
}

// memory shows a cue (one of two, fixed by the task's seed) in its first
// observation only, then delay blank steps, then asks for the cued action
// (the observation's last value is 1): the right one pays 1. Actions before
// the question do nothing. Without memory, the best policy succeeds half
// the time.
type memory struct {
	episodeTracker
	delay, cue int
}

func (m *memory) ObsSize() int             { return 3 }
func (m *memory) Actions() task.ActionSpec { return task.ActionSpec{Discrete: 2} }
func (m *memory) Outcome() task.Outcome    { return m.outcome() }
func (m *memory) Reset(t task.Task, obs []float64) {
	m.reset()
	m.cue = int(t.Seed % 2)
	clear(obs[:3])
	obs[m.cue] = 1
}

func (m *memory) Step(a, obs []float64) (float64, task.StepStatus) {
	m.steps++
	clear(obs[:3])
	switch {
	case m.steps < m.delay:
		return 0, task.Running
	case m.steps == m.delay:
		obs[2] = 1
		return 0, task.Running
	}
	r := 0.0
	if int(a[0]) == m.cue {
		r, m.success = 1, true
	}
	m.ret = r
	return r, task.Terminated
}

// scripted plays a fixed sequence of rewards whatever the actions, and ends
// it with the given status.
type scripted struct {
	episodeTracker
	rewards []float64
	end     task.StepStatus
	spec    task.ActionSpec
}

func (s *scripted) ObsSize() int             { return 2 }
func (s *scripted) Actions() task.ActionSpec { return s.spec }
func (s *scripted) Outcome() task.Outcome    { return s.outcome() }
func (s *scripted) Reset(_ task.Task, obs []float64) {
	s.reset()
	obs[0], obs[1] = 1, 0
}

func (s *scripted) Step(_, obs []float64) (float64, task.StepStatus) {
	r := s.rewards[s.steps]
	s.steps++
	s.ret += r
	obs[0], obs[1] = 1, float64(s.steps)
	if s.steps == len(s.rewards) {
		return r, s.end
	}
	return r, task.Running
}

// fastRoom has the maze's sizes (79 observation values, 3 actions, horizon
// 250) and costs next to nothing per step, so that benchmarks measure the
// student: the agent turns or moves in an empty 13 × 13 room towards a
// goal in a corner, seeing its one-hot position and direction.
type fastRoom struct {
	episodeTracker
	x, y, dir int
}

const (
	roomSide    = 13
	roomHorizon = 250
)

func (r *fastRoom) ObsSize() int             { return 79 }
func (r *fastRoom) Actions() task.ActionSpec { return task.ActionSpec{Discrete: 3} }
func (r *fastRoom) Outcome() task.Outcome    { return r.outcome() }
func (r *fastRoom) Reset(t task.Task, obs []float64) {
	r.reset()
	r.x, r.y, r.dir = int(t.Seed%roomSide), int(t.Seed/roomSide%roomSide), int(t.Seed%4)
	r.observe(obs)
}

func (r *fastRoom) observe(obs []float64) {
	clear(obs[:79])
	obs[r.x] = 1
	obs[roomSide+r.y] = 1
	obs[2*roomSide+r.dir] = 1
}

func (r *fastRoom) Step(a, obs []float64) (float64, task.StepStatus) {
	r.steps++
	switch a[0] {
	case 0:
		r.dir = (r.dir + 3) % 4
	case 1:
		r.dir = (r.dir + 1) % 4
	default:
		dx, dy := [4]int{1, 0, -1, 0}[r.dir], [4]int{0, 1, 0, -1}[r.dir]
		r.x = min(max(r.x+dx, 0), roomSide-1)
		r.y = min(max(r.y+dy, 0), roomSide-1)
	}
	r.observe(obs)
	if r.x == roomSide-1 && r.y == roomSide-1 {
		rew := 1 - 0.9*float64(r.steps)/roomHorizon
		r.ret, r.success = rew, true
		return rew, task.Terminated
	}
	if r.steps >= roomHorizon {
		return 0, task.Truncated
	}
	return 0, task.Running
}
