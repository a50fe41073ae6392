package goalmaze_test

import (
	"fmt"

	"github.com/teachbench/teachbench/envs/goalmaze"
	"github.com/teachbench/teachbench/task"
)

// An episode of the U-maze towards a goal at the far end of the U, played
// by the scripted controller.
func Example() {
	p := goalmaze.DefaultParams() // u-maze, 30 steps, success radius 0.15
	p.StartSpread = 0             // start at the centre of the start cell
	f, err := goalmaze.New(p)
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Box())
	goal := []float64{0, 2}
	fmt.Println("valid goal:", f.Layout().Valid([2]float64{0, 2}), "cells away:", f.Layout().Distance(goalmaze.Cell{X: 0, Y: 2}))

	env := f.NewEnv(nil)
	ctl := goalmaze.NewController(p.ActionRange)
	obs, act := make([]float64, env.ObsSize()), make([]float64, 2)
	env.Reset(task.Task{Params: goal}, obs)
	for {
		ctl.Act(f.Layout(), obs, act)
		if _, status := env.Step(act, obs); status.Done() {
			break
		}
	}
	o := env.Outcome()
	fmt.Printf("success %v, return %v, score %.3f, steps %d\n", o.Success, o.Return, o.Score, o.Steps)
	// Output:
	// box(x∈[-1,5] y∈[-1,3])
	// valid goal: true cells away: 10
	// success true, return -9, score 0.700, steps 30
}

// The text form of a layout: SVGG's Maze 1.
func ExampleLayoutNamed() {
	l, err := goalmaze.LayoutNamed("square_pbcs_0")
	if err != nil {
		panic(err)
	}
	w, h := l.Size()
	fmt.Printf("%s: %d×%d cells, %d open, start %v\n", l.Name, w, h, l.OpenCells(), l.Start())
	fmt.Print(l)
	// Output:
	// maze-1: 5×5 cells, 25 open, start {0 0}
	// +-+-+-+-+-+
	// |. .|. .|.|
	// + + + + + +
	// |.|. .|.|.|
	// + +-+-+ + +
	// |. . .|. .|
	// + +-+ +-+-+
	// |. .|. . .|
	// +-+-+-+-+ +
	// |S . . . .|
	// +-+-+-+-+-+
}
