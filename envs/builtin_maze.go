package envs

import (
	"github.com/teachbench/teachbench/envs/maze"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name: "maze",
		Doc: "Partially observable gridworld maze of PAIRED/PLR/ACCEL (dcd MultiGrid): 13x13 interior, wall budget, 5x5 egocentric view, " +
			"reward 1-0.9*t/T on reaching the goal; Levels view (DR generator, ACCEL editor) and Box view (wall count); " +
			"mastered = mean % solve rate on named held-out mazes (SixteenRooms, Labyrinth, Maze, corridors, perfect mazes, ...).",
		DefaultStudent: "ppo",
	}, maze.DefaultParams(), func(p maze.Params) (task.Family, error) { return maze.New(p) })
}
