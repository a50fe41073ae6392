package keydoor_test

import (
	"fmt"

	"github.com/teachbench/teachbench/envs/keydoor"
	"github.com/teachbench/teachbench/task"
)

// A KeyCorridor layout, solved by the scripted oracle. The agent (<<) must
// fetch the yellow key (Ky) from the left column to open the locked door
// (Ly) and pick up the purple ball (AP, upper case: the mission's object).
func Example() {
	p := keydoor.DefaultParams() // graph = "keycorridor"
	f, err := keydoor.New(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	i := f.Space().Index("KeyCorridorS3R3")
	env := f.NewEnv(nil).(*keydoor.Env)
	obs := make([]float64, env.ObsSize())
	env.Reset(task.Task{Index: i, Seed: 7}, obs)
	fmt.Println(env.World())

	var oracle keydoor.Oracle
	for {
		a := oracle.Act(env.World())
		if _, status := env.Step([]float64{float64(a)}, obs); status.Done() {
			break
		}
	}
	o := env.Outcome()
	fmt.Printf("success %v after %d steps, return %.4f (1 - 0.9*%d/%d)\n", o.Success, o.Steps, o.Return, o.Steps, env.Limit())
	// Output:
	// ##############
	// ##KyDe..##..##
	// ##Db##..##De##
	// ##..Db..De..##
	// ##Db##<<######
	// ##..Dg..LyAP##
	// ##############
	// success true after 23 steps, return 0.9233 (1 - 0.9*23/270)
}
