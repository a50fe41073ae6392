package maze_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/envs/maze"
	"github.com/teachbench/teachbench/task"
)

// A level in JaxUED's text form, played by the scripted oracle.
func Example() {
	level, err := maze.ParseLevel(`
.....
.###.
>#G#.
.#.#.
...#.`)
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := level.ShortestPath()
	fmt.Println("shortest path:", d, "moves")

	f, err := maze.New(maze.DefaultParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	env := f.NewEnv(nil).(*maze.Env)
	obs := make([]float64, env.ObsSize())
	enc, _ := level.MarshalBinary()
	env.Reset(task.Task{Level: enc}, obs)
	var oracle maze.Oracle
	oracle.Reset(env.Level())
	for {
		p, dir := env.Agent()
		r, status := env.Step([]float64{float64(oracle.Act(p, dir))}, obs)
		if status.Done() {
			fmt.Printf("reward %.4f after %d steps (1 - 0.9*%d/250)\n", r, env.StepCount(), env.StepCount())
			break
		}
	}
	// Output:
	// shortest path: 6 moves
	// reward 0.9676 after 9 steps (1 - 0.9*9/250)
}

// The Levels view: generate a level as dcd's domain randomisation does, and
// edit it as ACCEL does.
func ExampleSpace() {
	f, _ := maze.New(maze.DefaultParams())
	levels := f.Levels()
	rng := rand.New(rand.NewPCG(1, 2))
	parent := levels.Generate(rng)
	child := levels.Mutate(parent, 5, rng)
	for _, lv := range [][]byte{parent, child} {
		m, _ := levels.Metrics(lv)
		fmt.Printf("%d walls, solvable %v\n", m.Walls, m.Solvable)
	}
	// Output:
	// 12 walls, solvable true
	// 14 walls, solvable true
}
