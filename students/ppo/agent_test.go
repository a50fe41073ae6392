package ppo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/task/tasktest"
)

// agentEpisode plays one episode of t in env with the agent, the way a
// caller drives it, and returns the environment's outcome and the
// episode's summary.
func agentEpisode(a *Agent, env task.Env, obs []float64, t task.Task, rng *rand.Rand) (task.Outcome, Episode) {
	env.Reset(t, obs)
	a.Begin()
	for {
		r, status := env.Step(a.Act(obs, rng), obs)
		a.Reward(r)
		if status.Done() {
			return env.Outcome(), a.End(status, obs)
		}
	}
}

// TestAgentDrivesLikeStudent checks that an Agent driven by hand through
// the same episodes, probes and updates, with the same streams, ends with
// the student's weights bit for bit and reports its signals.
func TestAgentDrivesLikeStudent(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func() task.Env
		mod  func(*Params)
	}{
		{"feed-forward", func() task.Env { return &corridor{length: 5, horizon: 12} }, func(p *Params) { p.NMinibatches = 3 }},
		{"recurrent", func() task.Env { return &memory{delay: 3} }, func(p *Params) { p.Recurrent, p.SeqLen, p.NMinibatches = true, 8, 2 }},
		{"continuous", func() task.Env { return new(target) }, func(p *Params) { p.NSteps, p.NMinibatches = 16, 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fastParams()
			if tc.mod != nil {
				tc.mod(&p)
			}
			s := newStudent(t, p, tc.env, 4)
			rng := tasktest.Streams(4)
			env := tc.env()
			a, err := NewAgent(p, env.ObsSize(), env.Actions(), rng.Init)
			if err != nil {
				t.Fatal(err)
			}
			obs := make([]float64, env.ObsSize())
			for seed := range uint64(120) {
				tk := task.Task{Seed: seed}
				want := s.Learn(tk)
				got, e := agentEpisode(a, env, obs, tk, rng.Batch)
				if a.Ready() {
					a.Update(rng.Batch)
				}
				if got.Return != want.Return || got.Steps != want.Steps {
					t.Fatalf("episode %d: agent %+v, student %+v", seed, got, want)
				}
				if v, _ := want.Signal(task.PositiveValueLoss); v != e.PositiveValueLoss {
					t.Fatalf("episode %d: agent's positive value loss %v, student's %v", seed, e.PositiveValueLoss, v)
				}
				if v, _ := want.Signal(task.ValueEstimate); v != e.FirstValue {
					t.Fatalf("episode %d: agent's V(s_0) %v, student's %v", seed, e.FirstValue, v)
				}
				if seed%3 == 0 { // a probe: played, then forgotten
					s.Probe(tk)
					n := a.Len()
					agentEpisode(a, env, obs, tk, rng.Batch)
					a.Forget(n)
				}
			}
			if s.Stats().Updates < 2 {
				t.Fatalf("only %d updates: the check did not cover them", s.Stats().Updates)
			}
			if !slices.Equal(a.Weights(), s.Weights()) || a.Stats() != s.Stats() {
				t.Fatal("the agent and the student ended with different weights or stats")
			}
		})
	}
}

// TestAgentDelayedReward checks that a reward given after the episode's
// last step, before End, is learned from as if the environment had paid
// it: advantages computed by hand with a constant critic.
func TestAgentDelayedReward(t *testing.T) {
	p := DefaultParams()
	p.Gamma, p.GAELambda = 0.9, 0.8
	a, err := NewAgent(p, 2, task.ActionSpec{Discrete: 4}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	constantCritic(&Student{actorCritic: a.actorCritic}, 0.5)
	rng := rand.New(rand.NewPCG(3, 4))
	obs := []float64{1, 0}
	a.Begin()
	for range 3 {
		act := a.Act(obs, rng)
		if act[0] < 0 || act[0] > 3 || act[0] != math.Trunc(act[0]) {
			t.Fatalf("action %v", act)
		}
	}
	a.Reward(0.2) // known only once the episode is over
	a.Reward(1)   // and another contribution
	e := a.End(task.Terminated, nil)
	// δ = [0.45 − 0.5, 0.45 − 0.5, 1.2 − 0.5]; A2 = 0.7, A1 = −0.05 + 0.504,
	// A0 = −0.05 + 0.72·0.454.
	adv := []float64{-0.05 + 0.72*0.454, 0.454, 0.7}
	for i, want := range adv {
		if math.Abs(a.buf.adv[i]-want) > 1e-12 || math.Abs(a.buf.ret[i]-want-0.5) > 1e-12 {
			t.Fatalf("advantages %v, want %v", a.buf.adv[:3], adv)
		}
	}
	if e.Steps != 3 || math.Abs(e.MeanValue-0.5) > 1e-12 || math.Abs(e.L1ValueLoss-(adv[0]+adv[1]+adv[2])/3) > 1e-12 {
		t.Fatalf("summary %+v", e)
	}
	if a.Ready() {
		t.Fatal("ready after 3 transitions with n_steps 256")
	}
	a.Update(rng)
	if a.Len() != 0 || a.Stats().Updates != 1 {
		t.Fatalf("after Update: %d transitions, %+v", a.Len(), a.Stats())
	}
}

func TestAgentMisuse(t *testing.T) {
	mustPanic := func(name, want string, f func()) {
		t.Helper()
		defer func() {
			r := recover()
			if r == nil || !strings.Contains(r.(string), want) {
				t.Errorf("%s: panic %v, want one containing %q", name, r, want)
			}
		}()
		f()
	}
	a, err := NewAgent(DefaultParams(), 1, task.ActionSpec{Discrete: 2}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	a.Begin()
	mustPanic("Reward", "before any step", func() { a.Reward(1) })
	a.Act([]float64{1}, rng)
	mustPanic("Update", "in progress", func() { a.Update(rng) })
	a.End(task.Terminated, nil)
	mustPanic("Forget", "Forget(5)", func() { a.Forget(5) })
	for _, tc := range []struct {
		p    Params
		obs  int
		spec task.ActionSpec
		init *rand.Rand
		want string
	}{
		{DefaultParams(), 0, task.ActionSpec{Discrete: 2}, rng, "observations"},
		{DefaultParams(), 3, task.ActionSpec{Discrete: 1}, rng, "single discrete"},
		{DefaultParams(), 3, task.ActionSpec{Discrete: 2}, nil, "init stream"},
		{Params{}, 3, task.ActionSpec{Discrete: 2}, rng, "lr"},
	} {
		if _, err := NewAgent(tc.p, tc.obs, tc.spec, tc.init); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewAgent = %v, want an error containing %q", err, tc.want)
		}
	}
}

// TestAgentPlay checks that Play neither records nor learns, and that its
// greedy action is the policy's most probable one.
func TestAgentPlay(t *testing.T) {
	a, err := NewAgent(fastParams(), 1, task.ActionSpec{Discrete: 3}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	// Make action 2 the most probable.
	for _, tw := range a.net.towers {
		for i, h := range tw.heads {
			if tw.kinds[i] == actorHead {
				h.Layers[len(h.Layers)-1].B.Value()[2] = 5
			}
		}
	}
	w := slices.Clone(a.Weights())
	a.Begin()
	if act := a.Play([]float64{1}, nil); act[0] != 2 {
		t.Fatalf("greedy action %v, want 2", act[0])
	}
	counts := [3]int{}
	rng := rand.New(rand.NewPCG(5, 5))
	for range 300 {
		counts[int(a.Play([]float64{1}, rng)[0])]++
	}
	if counts[2] < 250 || counts[0]+counts[1] == 0 {
		t.Errorf("sampled actions %v: want mostly 2, some others", counts)
	}
	if a.Len() != 0 || !slices.Equal(w, a.Weights()) {
		t.Error("Play recorded steps or changed the weights")
	}
	if v := a.Value([]float64{1}); math.IsNaN(v) {
		t.Error("Value is NaN")
	}
}

func TestAgentAllocs(t *testing.T) {
	p := fastParams()
	p.NSteps = 32
	env := &corridor{length: 100, horizon: 16}
	a, err := NewAgent(p, env.ObsSize(), env.Actions(), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	obs := make([]float64, env.ObsSize())
	episode := func() {
		agentEpisode(a, env, obs, task.Task{}, rng)
		if a.Ready() {
			a.Update(rng)
		}
	}
	for range 10 {
		episode()
	}
	if n := testing.AllocsPerRun(50, episode); n != 0 {
		t.Errorf("an episode with updates allocates %v times", n)
	}
}
