package ppo_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/ppo"
	"github.com/teachbench/teachbench/task"
)

// An agent whose reward is known only after its episode: it picks one of
// four cells, and a judge pays 1 later for cell 3. This is how PAIRED's
// adversary learns from the regret of the level it built.
func ExampleAgent() {
	p := ppo.DefaultParams()
	p.LR, p.NSteps, p.EntropyCoef = 3e-3, 16, 0
	agent, err := ppo.NewAgent(p, 1, task.ActionSpec{Discrete: 4}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	obs := []float64{1}
	var picks []int
	for range 3000 {
		agent.Begin()
		cell := int(agent.Act(obs, rng)[0])
		picks = append(picks, cell)
		// ... the judge plays with the chosen cell, later:
		if cell == 3 {
			agent.Reward(1)
		}
		agent.End(task.Terminated, nil)
		if agent.Ready() {
			agent.Update(rng)
		}
	}
	threes := 0
	for _, c := range picks[len(picks)-100:] {
		if c == 3 {
			threes++
		}
	}
	fmt.Println("cell 3 in the last 100 episodes:", threes >= 90)
	// Output:
	// cell 3 in the last 100 episodes: true
}
