package envs

import (
	"github.com/teachbench/teachbench/envs/walker"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name: "walker",
		Doc: "2-D bipedal walker (gym BipedalWalker on the cp physics engine) with teachDRL's Stump Tracks (stump height x spacing) " +
			"or Hexagon Tracks (12 obstacle-shape params) and default/short/quadru bodies; 24-D observation with a 10-ray lidar, 4-D torque actions; " +
			"score (R+150)/500; mastered = % of test tracks (TeachMyAgent's 10x10 grid) with return > 230.",
		DefaultStudent: "ars",
	}, walker.DefaultParams(), func(p walker.Params) (task.Family, error) { return walker.New(p) })
}
