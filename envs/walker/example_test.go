package walker_test

import (
	"fmt"

	"github.com/teachbench/teachbench/envs/walker"
	"github.com/teachbench/teachbench/task"
)

func ExampleNew() {
	f, err := walker.New(walker.DefaultParams())
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Spaces()[0], len(f.TestSet()))
	// Output: box(stump_height∈[0,3] obstacle_spacing∈[0,6]) 100
}

// The scripted gait walks the easy end of Stump Tracks to the finish.
func ExampleGait() {
	f, _ := walker.New(walker.DefaultParams())
	env := f.NewEnv(nil)
	obs := make([]float64, env.ObsSize())
	action := make([]float64, env.Actions().Dims)
	gait := walker.NewGait()
	env.Reset(task.Task{Params: []float64{0, 6}, Seed: 7}, obs)
	for {
		gait.Act(obs, action)
		if _, status := env.Step(action, obs); status.Done() {
			break
		}
	}
	o := env.Outcome()
	fmt.Println("success:", o.Success, "mastered:", f.Mastered(task.Task{}, o))
	// Output: success: true mastered: true
}
