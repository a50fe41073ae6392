package keydoor

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Env is one environment instance of the family. It implements task.Env:
// a task is an index into the family's graph and a seed, from which Reset
// generates the layout. Reset and Step allocate nothing once the instance
// has played its largest task.
type Env struct {
	specs   []*spec
	v0      bool
	enc     Encoding
	world   World
	src     *rand.PCG
	lay     layout
	t       int
	limit   int
	reward  float64
	success bool
	done    bool
}

func newEnv(specs []*spec, enc Encoding, v0 bool) *Env {
	e := &Env{specs: specs, enc: enc, v0: v0, src: rand.NewPCG(0, 0), done: true}
	e.lay = layout{w: &e.world, rng: rand.New(e.src)}
	return e
}

// ObsSize returns the length of an observation: OneHotSize or MiniGridSize.
func (e *Env) ObsSize() int { return e.enc.Size() }

// Actions returns MiniGrid's seven discrete actions.
func (e *Env) Actions() task.ActionSpec { return task.ActionSpec{Discrete: NumActions} }

// Reset starts an episode of task t (t.Index names the graph's task,
// t.Seed its layout) and writes the first observation into obs. The layout
// depends only on the task's name and seed. It panics on a task that is not
// a Discrete task of the family's graph.
func (e *Env) Reset(t task.Task, obs []float64) {
	if t.Params != nil || t.Level != nil || t.Index < 0 || t.Index >= len(e.specs) {
		panic(fmt.Sprintf("keydoor: task %s: want a Discrete task with an index in 0..%d", t.String(), len(e.specs)-1))
	}
	s := e.specs[t.Index]
	s.generate(&e.lay, e.src, t.Seed, e.v0)
	e.t, e.limit = 0, s.maxSteps
	e.reward, e.success, e.done = 0, false, false
	e.world.Observe(obs, e.enc)
}

// Step applies action[0] (a whole number in 0..6, MiniGrid's actions).
// Achieving the mission at step t (counted from 1, MiniGrid's step_count
// after its increment) pays 1 − 0.9·t/T, T the task's max_steps, and
// terminates; every other step pays 0, and the episode is truncated after
// T steps. It panics on an invalid action or a step after the end.
func (e *Env) Step(action, obs []float64) (float64, task.StepStatus) {
	if e.done {
		panic("keydoor: Step after the end of the episode (call Reset)")
	}
	a := int(action[0])
	if float64(a) != action[0] || a < 0 || a >= NumActions {
		panic(fmt.Sprintf("keydoor: action %v: want a whole number in 0..%d", action[0], NumActions-1))
	}
	e.t++
	status := task.Running
	var r float64
	if e.world.Act(a) {
		r = 1 - 0.9*(float64(e.t)/float64(e.limit)) // MiniGrid's _reward, same rounding
		e.reward, e.success, status = r, true, task.Terminated
	} else if e.t >= e.limit {
		status = task.Truncated
	}
	e.done = status != task.Running
	e.world.Observe(obs, e.enc)
	return r, status
}

// Outcome returns the episode's outcome so far: the return (the single
// success reward, 0 before or without success), the same value as the
// score, whether the mission was achieved, and the steps taken.
func (e *Env) Outcome() task.Outcome {
	return task.Outcome{Return: e.reward, Score: e.reward, Success: e.success, Steps: e.t}
}

// World returns the world being played. Changing it changes the episode.
func (e *Env) World() *World { return &e.world }

// StepCount returns the steps taken in the episode.
func (e *Env) StepCount() int { return e.t }

// Limit returns the episode's step limit (the task's max_steps).
func (e *Env) Limit() int { return e.limit }
