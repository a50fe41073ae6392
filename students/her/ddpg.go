package her

import (
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
)

// agent holds DDPG's networks, their targets and optimisers, and the
// scratch of a gradient step.
type agent struct {
	p                        Params
	in, nAct                 int // network input (state + goal) and action sizes
	actor, critic            *nn.MLP
	actorT, criticT          *nn.MLP
	pa, pc, paT, pcT         *nn.Params
	optA, optC               *nn.Adam
	qLo, qHi                 float64
	steps                    int // gradient steps taken
	skipped                  int // gradient steps skipped for non-finite gradients
	cA, cAT, cC, cCT, cCA    nn.MLPCache
	cAct                     nn.MLPCache // acting
	x, xn, cin, cinN, cinA   []float64   // batch scratch
	y, gq, da, dq            []float64
	reward, discount         []float64
	lastCriticLoss, lastQ    float64
	lastActorLoss            float64
	lastTargetMin, lastTgMax float64
}

func activation(name string) nn.Activation {
	switch name {
	case ReLU:
		return nn.ReLU{}
	case Tanh:
		return nn.Tanh{}
	}
	return nn.GELU{}
}

// newMLP builds an MLP in p with mrl's layout: hidden Dense layers each
// followed by LayerNorm (if set) and the activation, then a linear head
// followed by out.
func newMLP(p *nn.Params, sizes []int, prm Params, out nn.Activation) *nn.MLP {
	if prm.LayerNorm {
		return nn.NewLayerNormMLP(p, sizes, activation(prm.Activation), out)
	}
	return nn.NewMLP(p, sizes, activation(prm.Activation), out)
}

func newAgent(p Params, in, act int, rng *rand.Rand) *agent {
	ag := &agent{p: p, in: in, nAct: act, pa: new(nn.Params), pc: new(nn.Params), paT: new(nn.Params), pcT: new(nn.Params)}
	aSizes := append(append([]int{in}, p.Hidden...), act)
	cSizes := append(append([]int{in + act}, p.Hidden...), 1)
	ag.actor = newMLP(ag.pa, aSizes, p, nn.Tanh{})
	ag.critic = newMLP(ag.pc, cSizes, p, nn.Identity{})
	ag.actorT = newMLP(ag.paT, aSizes, p, nn.Tanh{})
	ag.criticT = newMLP(ag.pcT, cSizes, p, nn.Identity{})
	// mrl's layer_init: orthogonal weights of gain 1, zero biases, on every
	// linear layer including the heads.
	ag.actor.Init(rng, nn.Orthogonal{Gain: 1}, nn.Zeros{})
	ag.critic.Init(rng, nn.Orthogonal{Gain: 1}, nn.Zeros{})
	ag.paT.CopyFrom(ag.pa)
	ag.pcT.CopyFrom(ag.pc)
	ag.optA = nn.NewAdam(ag.pa, p.ActorLR)
	ag.optC = nn.NewAdam(ag.pc, p.CriticLR)
	ag.qLo, ag.qHi = math.Inf(-1), math.Inf(1)
	if p.ClipTarget {
		// SVGG's train script: clip_target_range = (-1/(1-γ), 0) rounded
		// to two decimals.
		ag.qLo, ag.qHi = -math.Round(100/(1-p.Gamma))/100, 0
	}
	return ag
}

// act writes the deterministic action for the normalised input x.
func (ag *agent) act(dst, x []float64) {
	copy(dst, ag.actor.Forward(&ag.cAct, x, 1))
}

// sized returns s resliced to n, reallocated if too short.
func sized(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// concat writes rows of [a | b] into dst, a being rows×na and b rows×nb.
func concat(dst, a, b []float64, rows, na, nb int) {
	w := na + nb
	for r := range rows {
		copy(dst[r*w:r*w+na], a[r*na:(r+1)*na])
		copy(dst[r*w+na:(r+1)*w], b[r*nb:(r+1)*nb])
	}
}

// update takes one DDPG gradient step on a batch: x and xn are the
// normalised inputs (state and goal) before and after the step, actions the
// actions taken, reward and discount (γ, or 0 for terminal transitions) per
// row.
func (ag *agent) update(x, xn, actions, reward, discount []float64, rows int) {
	in, na := ag.in, ag.nAct
	ag.cinN = sized(ag.cinN, rows*(in+na))
	ag.cin = sized(ag.cin, rows*(in+na))
	ag.cinA = sized(ag.cinA, rows*(in+na))
	ag.y = sized(ag.y, rows)
	ag.gq = sized(ag.gq, rows)
	ag.dq = sized(ag.dq, rows)
	ag.da = sized(ag.da, rows*na)

	// Targets from the target networks: r + γ'·Q'(s', π'(s')), clipped.
	an := ag.actorT.Forward(&ag.cAT, xn, rows)
	concat(ag.cinN, xn, an, rows, in, na)
	qn := ag.criticT.Forward(&ag.cCT, ag.cinN, rows)
	lo, hi := math.Inf(1), math.Inf(-1)
	for r := range rows {
		v := min(max(reward[r]+discount[r]*qn[r], ag.qLo), ag.qHi)
		ag.y[r] = v
		lo, hi = min(lo, v), max(hi, v)
	}
	ag.lastTargetMin, ag.lastTgMax = lo, hi

	// Critic: mean squared error to the targets.
	concat(ag.cin, x, actions, rows, in, na)
	q := ag.critic.Forward(&ag.cC, ag.cin, rows)
	ag.pc.ZeroGrad()
	ag.lastCriticLoss = nn.MSE(ag.gq, q, ag.y)
	ag.critic.Backward(&ag.cC, ag.gq)
	ag.step(ag.pc, ag.optC)

	// Actor: −mean Q(s, π(s)) + λ·mean π(s)², through the updated critic,
	// whose parameters receive no gradient.
	a := ag.actor.Forward(&ag.cA, x, rows)
	concat(ag.cinA, x, a, rows, in, na)
	qa := ag.critic.Forward(&ag.cCA, ag.cinA, rows)
	var meanQ, meanA2 float64
	for r := range rows {
		meanQ += qa[r]
		ag.dq[r] = -1 / float64(rows)
	}
	meanQ /= float64(rows)
	dIn := ag.critic.InputGrad(&ag.cCA, ag.dq)
	l2 := 2 * ag.p.ActionL2 / float64(rows*na)
	for r := range rows {
		for j := range na {
			v := a[r*na+j]
			meanA2 += v * v
			ag.da[r*na+j] = dIn[r*(in+na)+in+j] + l2*v
		}
	}
	ag.lastQ = meanQ
	ag.lastActorLoss = -meanQ + ag.p.ActionL2*meanA2/float64(rows*na)
	ag.pa.ZeroGrad()
	ag.actor.Backward(&ag.cA, ag.da)
	ag.step(ag.pa, ag.optA)

	ag.steps++
	if ag.steps%ag.p.TargetEvery == 0 {
		ag.paT.SoftUpdate(ag.pa, ag.p.TargetFrac)
		ag.pcT.SoftUpdate(ag.pc, ag.p.TargetFrac)
	}
}

// step clips the gradients of p elementwise and applies opt, unless a
// gradient is not finite: then the step is skipped and counted, so that
// the weights stay finite.
func (ag *agent) step(p *nn.Params, opt *nn.Adam) {
	g := p.Grads()
	c := ag.p.GradClip
	for i, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			ag.skipped++
			return
		}
		if c > 0 {
			g[i] = min(max(v, -c), c)
		}
	}
	opt.Step()
}
