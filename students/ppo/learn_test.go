package ppo

import (
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/task/tasktest"
)

// train has s learn from tasks of seeds 0, 1, 2, ... until it has taken
// steps environment steps.
func train(s *Student, steps int) {
	for seed, taken := uint64(0), 0; taken < steps; seed++ {
		taken += s.Learn(task.Task{Seed: seed}).Steps
	}
}

// evalMean returns the mean return and success rate of Evaluate over tasks
// of seeds 0..n-1.
func evalMean(s *Student, n int) (ret, success float64) {
	for seed := range n {
		o := s.Evaluate(task.Task{Seed: uint64(seed)})
		ret += o.Return
		if o.Success {
			success++
		}
	}
	return ret / float64(n), success / float64(n)
}

// fastParams are settings for tiny tasks: a short rollout and a larger
// learning rate than the maze defaults, so that the tests learn in a few
// thousand steps.
func fastParams() Params {
	p := DefaultParams()
	p.LR = 3e-3
	p.NSteps = 64
	p.Gamma = 0.99
	p.Trunk = []int{16}
	p.ActorHidden = []int{16}
	p.CriticHidden = []int{16}
	p.StochasticEval = false // the tests measure the greedy policy
	return p
}

func newStudent(t testing.TB, p Params, env func() task.Env, seed uint64) *Student {
	t.Helper()
	s, err := New(p, fakeFamily{env}, tasktest.Streams(seed))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLearnBandit(t *testing.T) {
	s := newStudent(t, fastParams(), func() task.Env { return new(bandit) }, 1)
	train(s, 2000)
	ret, _ := evalMean(s, 1)
	// The stochastic policy's probability of the best action.
	var wins int
	for i := range 1000 {
		wins += int(s.Probe(task.Task{Seed: uint64(i)}).Return)
	}
	t.Logf("greedy return %v, stochastic success %v%%", ret, float64(wins)/10)
	if ret != 1 || wins < 900 {
		t.Errorf("after 2000 steps: greedy return %v, stochastic policy picks the best arm %d/1000 times; want 1 and at least 900", ret, wins)
	}
}

func TestLearnCorridor(t *testing.T) {
	const length, horizon = 8, 40
	s := newStudent(t, fastParams(), func() task.Env { return &corridor{length: length, horizon: horizon} }, 2)
	before, _ := evalMean(s, 1)
	train(s, 6000)
	ret, success := evalMean(s, 1)
	best := 1 - 0.9*length/float64(horizon)
	t.Logf("greedy return %v → %v (best %v), success %v", before, ret, best, success)
	if ret < best-1e-9 {
		t.Errorf("after 6000 steps the greedy return is %v, want the optimum %v", ret, best)
	}
}

func TestLearnContinuousTarget(t *testing.T) {
	p := fastParams()
	s := newStudent(t, p, func() task.Env { return new(target) }, 3)
	before, _ := evalMean(s, 13)
	train(s, 6000)
	ret, success := evalMean(s, 13)
	t.Logf("mean greedy return %v → %v, success %v, log std %v", before, ret, success, s.net.logStd.Value())
	if ret < -0.005 {
		t.Errorf("after 6000 steps the mean greedy return is %v, want at least -0.005 (optimum 0)", ret)
	}
}

func TestLearnMemoryNeedsRecurrence(t *testing.T) {
	const delay = 4
	env := func() task.Env { return &memory{delay: delay} }
	run := func(recurrent bool) float64 {
		p := fastParams()
		p.LR = 1e-3
		p.Recurrent = recurrent
		p.RecurrentSize = 16
		p.SeqLen = 16
		s := newStudent(t, p, env, 4)
		train(s, 10000)
		_, success := evalMean(s, 20)
		return success
	}
	ff, rec := run(false), run(true)
	t.Logf("success: feed-forward %v, recurrent %v", ff, rec)
	if rec < 0.95 {
		t.Errorf("recurrent student succeeds %v of the time, want at least 0.95", rec)
	}
	if ff > 0.6 {
		t.Errorf("feed-forward student succeeds %v of the time, want at most 0.6 (it cannot remember the cue)", ff)
	}
}
