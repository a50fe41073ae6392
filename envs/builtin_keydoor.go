package envs

import (
	"github.com/teachbench/teachbench/envs/keydoor"
	"github.com/teachbench/teachbench/task"
)

func init() {
	Register(Info{
		Name: "keydoor",
		Doc: "MiniGrid key/door tasks of the mastering-rate curricula (Willems et al. 2020) as Discrete graphs: " +
			"blockedunlockpickup, keycorridor (S3R1 -> S6R3) or obstructedmaze (1Dl -> Full); RoomGrid layouts from the task seed, " +
			"7x7 occluded egocentric view, MiniGrid's 7 actions, reward 1-0.9*t/max_steps on success; " +
			"mastered = % of tasks whose success rate over eval_seeds layouts reaches mastery.",
		DefaultStudent: "ppo",
	}, keydoor.DefaultParams(), func(p keydoor.Params) (task.Family, error) { return keydoor.New(p) })
}
