package ppo

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
)

// TestLossGradient checks the gradient of the whole PPO loss (clipped
// surrogate, value loss, entropy bonus) with respect to every parameter
// against central finite differences, on a minibatch gathered from real
// episodes, with the weights and the old log-probabilities and values moved
// so that some ratios and value changes fall outside the clip range.
func TestLossGradient(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func() task.Env
		mod  func(*Params)
	}{
		{"discrete/shared", func() task.Env { return &corridor{length: 3, horizon: 6} }, nil},
		{"discrete/deep trunk", func() task.Env { return &corridor{length: 3, horizon: 6} },
			func(p *Params) { p.Trunk = []int{5, 4, 3} }},
		{"discrete/separate/mse", func() task.Env { return &corridor{length: 3, horizon: 6} },
			func(p *Params) { p.SharedTrunk, p.ValueLoss = false, ValueLossMSE }},
		{"discrete/no trunk/huber", func() task.Env { return &corridor{length: 3, horizon: 6} },
			func(p *Params) { p.Trunk, p.ActorHidden, p.ValueLoss = nil, nil, ValueLossHuber }},
		{"continuous", func() task.Env { return new(target) }, nil},
		{"continuous/separate", func() task.Env { return new(target) }, func(p *Params) { p.SharedTrunk = false }},
		{"discrete/recurrent", func() task.Env { return &memory{delay: 3} },
			func(p *Params) { p.Recurrent, p.RecurrentSize, p.SeqLen = true, 4, 3 }},
		{"discrete/recurrent/separate", func() task.Env { return &memory{delay: 2} },
			func(p *Params) {
				p.Recurrent, p.RecurrentSize, p.SeqLen, p.SharedTrunk, p.Trunk = true, 3, 4, false, nil
			}},
		{"continuous/recurrent", func() task.Env { return new(target) },
			func(p *Params) { p.Recurrent, p.RecurrentSize, p.SeqLen = true, 3, 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultParams()
			p.Trunk, p.ActorHidden, p.CriticHidden = []int{5}, []int{4}, []int{3}
			p.TrunkActivation = ActivationTanh // smooth, so that finite differences are exact
			p.NSteps = 1000                    // no update while collecting
			p.EntropyCoef = 0.05
			if tc.mod != nil {
				tc.mod(&p)
			}
			s := newStudent(t, p, tc.env, 7)
			for seed := range uint64(12) {
				s.Learn(task.Task{Seed: seed})
			}
			// Move the weights, and the log-probabilities and values seen
			// while acting, so that the ratios spread on both sides of
			// the clip range.
			rng := rand.New(rand.NewPCG(9, 9))
			for i, w := range s.Weights() {
				s.Weights()[i] = w + 0.05*rng.NormFloat64()
			}
			for i := range s.buf.n {
				s.buf.logp[i] += 0.3 * rng.NormFloat64()
				s.buf.value[i] += 0.3 * rng.NormFloat64()
			}
			tr := &s.tr
			tr.advN = grow(tr.advN, s.buf.n)
			copy(tr.advN, s.buf.adv[:s.buf.n])
			normalize(tr.advN)
			L := 1
			if p.Recurrent {
				L = p.SeqLen
			}
			chunks := make([]int, (s.buf.n+L-1)/L)
			for i := range chunks {
				chunks[i] = len(chunks) - 1 - i
			}
			tr.gather(chunks, L)
			s.net.params.ZeroGrad()
			tr.loss(true)
			if f := s.stats.ClipFraction; f == 0 || f == 1 {
				t.Errorf("clip fraction %v: want both clipped and unclipped ratios in the check", f)
			}
			grad := slices.Clone(s.net.params.Grads())
			f := func() float64 { return tr.loss(false) }
			if err := nn.CheckGradient(f, s.net.params.Values(), grad, 1e-7, 1e-5); err != nil {
				t.Fatal(err)
			}
		})
	}
}
