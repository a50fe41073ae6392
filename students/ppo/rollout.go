package ppo

// rollout stores the transitions collected since the last update, whole
// episodes one after another. Its slices grow to the longest rollout seen
// and are reused, so that collecting allocates nothing after warm-up.
type rollout struct {
	n       int
	obsSize int
	actLen  int
	obs     []float64   // n × obsSize: the observation the action was chosen from
	act     []float64   // n × actLen: the action index, or the unclipped Gaussian sample
	logp    []float64   // log π_old(a_t|s_t)
	value   []float64   // V_old(s_t), seen while acting
	reward  []float64   // r_t
	adv     []float64   // GAE advantage
	ret     []float64   // value target: adv + value
	mask    []float64   // 0 at the first step of an episode, 1 after
	state   [][]float64 // per tower: n × core size, the recurrent state entering step t
	stateSz []int
}

func newRollout(obsSize, actLen int, stateSizes []int) rollout {
	return rollout{obsSize: obsSize, actLen: actLen, state: make([][]float64, len(stateSizes)), stateSz: stateSizes}
}

// push appends a transition's inputs; its reward and advantage are written
// later.
func (r *rollout) push(obs, act []float64, logp, value, mask float64, states [][]float64) {
	r.obs = append(r.obs, obs[:r.obsSize]...)
	r.act = append(r.act, act[:r.actLen]...)
	r.logp = append(r.logp, logp)
	r.value = append(r.value, value)
	r.reward = append(r.reward, 0)
	r.adv = append(r.adv, 0)
	r.ret = append(r.ret, 0)
	r.mask = append(r.mask, mask)
	for i, sz := range r.stateSz {
		if sz > 0 {
			r.state[i] = append(r.state[i], states[i][:sz]...)
		}
	}
	r.n++
}

// truncate forgets the transitions from index n on.
func (r *rollout) truncate(n int) {
	r.n = n
	r.obs = r.obs[:n*r.obsSize]
	r.act = r.act[:n*r.actLen]
	r.logp, r.value, r.reward = r.logp[:n], r.value[:n], r.reward[:n]
	r.adv, r.ret, r.mask = r.adv[:n], r.ret[:n], r.mask[:n]
	for i, sz := range r.stateSz {
		r.state[i] = r.state[i][:n*sz]
	}
}

// gae sets adv to the generalised advantage estimates (Schulman et al.,
// 2016) of one episode's steps from their rewards r and values v, given the
// value next of the state that follows the last step (0 if it is terminal):
//
//	δ_t = r_t + γ·V(s_{t+1}) − V(s_t),  A_t = δ_t + γλ·A_{t+1}
//
// with V(s_T) = next and A_T = 0.
func gae(adv, r, v []float64, next, gamma, lambda float64) {
	var a float64
	for t := len(r) - 1; t >= 0; t-- {
		delta := r[t] + gamma*next - v[t]
		a = delta + gamma*lambda*a
		adv[t] = a
		next = v[t]
	}
}
