package envs

import (
	"github.com/teachbench/teachbench/envs/goalmaze"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name: "goalmaze",
		Doc: "Multi-goal 2-D point maze of SVGG (Sibling Rivalry's point mazes: u-maze, maze-1..4 = square_pbcs_0/1, snail, snake): " +
			"actions move up to 0.95 per axis, walls stop and slide the agent; goal space = the maze's box plus a margin (invalid goals included); " +
			"reward -1/0 within 0.15, first-visit success, 30 steps; optional layout change mid-run (recovery); mastered = % of a grid of valid test goals reached.",
		DefaultStudent: "her",
	}, goalmaze.DefaultParams(), func(p goalmaze.Params) (task.Family, error) { return goalmaze.New(p) })
}
