package plr_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/plr"
)

// Robust PLR on a one-dimensional Box: new tasks are probed until the
// buffer is half full, then about half the episodes replay stored tasks
// (deciding per episode here; the default decides per 256 steps),
// which the student learns from. The stand-in student's critic expects a
// return of 0.5 everywhere, so MaxMC prefers the easy tasks where it does
// better than it expects. 0.93 takes the last free slot; in the full
// buffer 0.70 displaces it (the lowest score) and 0.59 displaces 0.70, but
// 0.64 is turned away: the slot it competes for, of lowest replay
// probability, is 0.59's (fresh, so without staleness weight), whose score
// is higher.
func Example() {
	box, _ := task.NewBox(task.Dim{Name: "difficulty", Lo: 0, Hi: 1, Easy: task.EasyLo})
	p := plr.RobustParams()
	p.BufferSize = 4
	p.CycleSteps = 0 // a decision per episode, to show each one
	te, err := plr.New(p, box, nil)
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 8 {
		tk := te.Sample(rng)
		ret := 1 - tk.Params[0]
		o := task.Outcome{Return: ret, Score: ret, Steps: 1}
		o.SetSignal(task.MeanValue, 0.5)
		te.Update(tk, o)
		kind := "replay, learned"
		if tk.Probe {
			kind = "new, probed"
		}
		fmt.Printf("difficulty %.2f  %s\n", tk.Params[0], kind)
	}
	for i := range te.Len() {
		e := te.Entry(i)
		fmt.Printf("stored %.2f  score %+.2f\n", e.Task.Params[0], e.Score)
	}
	// Output:
	// difficulty 0.68  new, probed
	// difficulty 0.51  new, probed
	// difficulty 0.39  new, probed
	// difficulty 0.39  replay, learned
	// difficulty 0.93  new, probed
	// difficulty 0.70  new, probed
	// difficulty 0.59  new, probed
	// difficulty 0.64  new, probed
	// stored 0.68  score -0.18
	// stored 0.51  score -0.01
	// stored 0.39  score +0.11
	// stored 0.59  score -0.09
}
