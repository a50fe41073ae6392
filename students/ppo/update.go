package ppo

import (
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
)

// trainer holds the buffers of PPO updates: the rollout's normalised
// advantages, the order of its chunks, and one minibatch laid out
// time-major (row t·B+b is step t of chunk b; chunks are single
// transitions for feed-forward networks).
type trainer struct {
	ac    *actorCritic
	pass  pass
	order []int
	advN  []float64 // the rollout's advantages, normalised

	rows, count                        int
	obs, act, logpOld, vOld, adv, ret  []float64
	mask, weight                       []float64
	actions                            []int
	logp, ent, gLogp, gEnt, dPol, dVal []float64
}

// update runs PPO on the rollout (Schulman et al., 2017): n_epochs passes,
// each over n_minibatches minibatches of chunks in a fresh random order,
// one Adam step per minibatch on the clipped surrogate plus the weighted
// value loss minus the weighted entropy, with the global gradient norm
// clipped; minibatch orders are drawn from rng. It then empties the
// rollout.
func (s *actorCritic) update(rng *rand.Rand) {
	tr, buf := &s.tr, &s.buf
	n := buf.n
	tr.advN = grow(tr.advN, n)
	copy(tr.advN, buf.adv[:n])
	if s.p.NormalizeAdvantage {
		normalize(tr.advN)
	}
	L := 1
	if s.p.Recurrent {
		L = s.p.SeqLen
	}
	chunks := (n + L - 1) / L
	if cap(tr.order) < chunks {
		tr.order = make([]int, chunks)
	}
	tr.order = tr.order[:chunks]
	for i := range tr.order {
		tr.order[i] = i
	}
	mbs := min(s.p.NMinibatches, chunks)
	for range s.p.NEpochs {
		if mbs > 1 {
			shuffle(tr.order, rng)
		}
		for k := range mbs {
			tr.gather(tr.order[k*chunks/mbs:(k+1)*chunks/mbs], L)
			s.net.params.ZeroGrad()
			tr.loss(true)
			var norm float64
			if s.p.MaxGradNorm > 0 {
				norm = s.net.params.ClipGradNorm(s.p.MaxGradNorm)
			} else {
				norm = s.net.params.GradNorm()
			}
			if math.IsNaN(norm) || math.IsInf(norm, 0) {
				s.stats.SkippedSteps++
				continue
			}
			s.opt.Step()
			s.stats.GradSteps++
		}
	}
	s.stats.Updates++
	s.stats.Learned += int64(n)
	buf.truncate(0)
}

// normalize standardises a as dcd does: (a − mean)/(std + 1e-5) with the
// unbiased standard deviation (0 for a single value).
func normalize(a []float64) {
	var mean float64
	for _, v := range a {
		mean += v
	}
	mean /= float64(len(a))
	var ss float64
	for _, v := range a {
		ss += (v - mean) * (v - mean)
	}
	std := 0.0
	if len(a) > 1 {
		std = math.Sqrt(ss / float64(len(a)-1))
	}
	for i, v := range a {
		a[i] = (v - mean) / (std + 1e-5)
	}
}

// shuffle permutes a uniformly (Fisher–Yates).
func shuffle(a []int, rng *rand.Rand) {
	for i := len(a) - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		a[i], a[j] = a[j], a[i]
	}
}

// gather lays out the minibatch of the given chunks of L transitions each;
// steps past the end of the rollout are padding with weight 0.
func (tr *trainer) gather(chunks []int, L int) {
	s, buf := tr.ac, &tr.ac.buf
	n, O, A := buf.n, buf.obsSize, buf.actLen
	B := len(chunks)
	rows := L * B
	s.net.begin(&tr.pass, L, B)
	tr.rows = rows
	tr.obs = grow(tr.obs, rows*O)
	tr.act = grow(tr.act, rows*A)
	tr.logpOld, tr.vOld = grow(tr.logpOld, rows), grow(tr.vOld, rows)
	tr.adv, tr.ret = grow(tr.adv, rows), grow(tr.ret, rows)
	tr.mask, tr.weight = grow(tr.mask, rows), grow(tr.weight, rows)
	tr.count = 0
	for t := range L {
		for b, c := range chunks {
			r, i := t*B+b, c*L+t
			if i >= n {
				clear(tr.obs[r*O : (r+1)*O])
				clear(tr.act[r*A : (r+1)*A])
				tr.logpOld[r], tr.vOld[r], tr.adv[r], tr.ret[r] = 0, 0, 0, 0
				tr.mask[r], tr.weight[r] = 1, 0
				continue
			}
			copy(tr.obs[r*O:(r+1)*O], buf.obs[i*O:])
			copy(tr.act[r*A:(r+1)*A], buf.act[i*A:])
			tr.logpOld[r], tr.vOld[r] = buf.logp[i], buf.value[i]
			tr.adv[r], tr.ret[r] = tr.advN[i], buf.ret[i]
			tr.mask[r], tr.weight[r] = buf.mask[i], 1
			tr.count++
		}
	}
	for k, sz := range buf.stateSz {
		if sz == 0 {
			continue
		}
		h0 := tr.pass.towers[k].h0
		for b, c := range chunks {
			i := c * L
			copy(h0[b*sz:(b+1)*sz], buf.state[k][i*sz:(i+1)*sz])
		}
	}
}

// loss returns PPO's loss on the gathered minibatch,
//
//	L = −mean min(ρ·Â, clip(ρ, 1−ε, 1+ε)·Â) + c_v·mean L_V − c_e·mean H,
//
// with ρ = π(a|s)/π_old(a|s), means over the minibatch's transitions, and
// with grad set adds its gradient to the parameter gradients.
func (tr *trainer) loss(grad bool) float64 {
	s := tr.ac
	net, p := s.net, s.p
	rows, W := tr.rows, net.policy
	net.forward(&tr.pass, tr.obs, tr.mask)
	out, val := tr.pass.policy, tr.pass.value
	tr.gLogp, tr.gEnt, tr.dVal = grow(tr.gLogp, rows), grow(tr.gEnt, rows), grow(tr.dVal, rows)
	var logStd []float64
	var gaussH float64
	if net.discrete {
		tr.logp, tr.ent = grow(tr.logp, rows*W), grow(tr.ent, rows)
		if cap(tr.actions) < rows {
			tr.actions = make([]int, rows)
		}
		tr.actions = tr.actions[:rows]
		nn.LogSoftmax(tr.logp, out[:rows*W], W)
		nn.CategoricalEntropy(tr.ent, tr.logp, W)
	} else {
		logStd = net.logStd.Value()
		gaussH = nn.GaussianEntropy(logStd)
	}
	N := float64(tr.count)
	eps := p.ClipEps
	var pol, vl, ent, kl, clipped float64
	for r := range rows {
		if tr.weight[r] == 0 {
			tr.gLogp[r], tr.gEnt[r], tr.dVal[r] = 0, 0, 0
			if net.discrete {
				tr.actions[r] = 0
			}
			continue
		}
		var lp float64
		if net.discrete {
			a := int(tr.act[r])
			tr.actions[r] = a
			lp = tr.logp[r*W+a]
			ent += tr.ent[r]
		} else {
			lp = nn.GaussianLogProb(tr.act[r*W:(r+1)*W], out[r*W:(r+1)*W], logStd)
			ent += gaussH
		}
		d := lp - tr.logpOld[r]
		ratio := math.Exp(d)
		adv := tr.adv[r]
		s1, s2 := ratio*adv, clamp(ratio, 1-eps, 1+eps)*adv
		if s1 <= s2 {
			pol -= s1
			tr.gLogp[r] = -s1 / N // ∂(−ρÂ)/∂log π = −ρÂ
		} else {
			pol -= s2
			tr.gLogp[r] = 0
		}
		kl -= d
		if math.Abs(ratio-1) > eps {
			clipped++
		}
		l, g := valueLoss(p.ValueLoss, val[r], tr.vOld[r], tr.ret[r], eps)
		vl += l
		tr.dVal[r] = p.ValueCoef * g / N
		tr.gEnt[r] = -p.EntropyCoef / N
	}
	s.stats.PolicyLoss, s.stats.ValueLoss, s.stats.Entropy = pol/N, vl/N, ent/N
	s.stats.ApproxKL, s.stats.ClipFraction = kl/N, clipped/N
	total := pol/N + p.ValueCoef*vl/N - p.EntropyCoef*ent/N
	if !grad {
		return total
	}
	tr.dPol = grow(tr.dPol, rows*W)
	clear(tr.dPol)
	if net.discrete {
		nn.CategoricalGrad(tr.dPol, tr.logp, W, tr.actions, tr.gLogp, tr.gEnt)
	} else {
		dLogStd := net.logStd.Grad()
		for r := range rows {
			if tr.weight[r] != 0 {
				nn.GaussianLogProbGrad(tr.dPol[r*W:(r+1)*W], dLogStd, nil, tr.act[r*W:(r+1)*W], out[r*W:(r+1)*W], logStd, tr.gLogp[r])
			}
		}
		// Every row's entropy has gradient 1 with respect to each log
		// standard deviation, and so has their mean.
		for j := range dLogStd {
			dLogStd[j] -= p.EntropyCoef
		}
	}
	net.backward(&tr.pass, tr.dPol, tr.dVal)
	return total
}

func clamp(x, lo, hi float64) float64 { return min(max(x, lo), hi) }

// valueLoss returns the critic's loss on one transition and its derivative
// with respect to the new value v, given the value vOld seen while acting
// and the target ret:
//
//   - clipped (dcd): ½·max((v−R)², (vOld + clip(v−vOld, −ε, ε) − R)²);
//   - mse: ½·(v−R)²;
//   - huber: smooth L1 with threshold 1, PyTorch's F.smooth_l1_loss.
func valueLoss(kind string, v, vOld, ret, eps float64) (loss, grad float64) {
	d := v - ret
	switch kind {
	case ValueLossClipped:
		// Inside the clip range both terms are the same function of v
		// (computing vOld + (v − vOld) would only add rounding).
		if math.Abs(v-vOld) <= eps {
			return 0.5 * d * d, d
		}
		dc := vOld + math.Copysign(eps, v-vOld) - ret
		if d*d >= dc*dc {
			return 0.5 * d * d, d
		}
		// The clipped term is the larger and its clip is active: it
		// does not depend on v.
		return 0.5 * dc * dc, 0
	case ValueLossHuber:
		if math.Abs(d) < 1 {
			return 0.5 * d * d, d
		}
		if d > 0 {
			return d - 0.5, 1
		}
		return -d - 0.5, -1
	}
	return 0.5 * d * d, d
}
