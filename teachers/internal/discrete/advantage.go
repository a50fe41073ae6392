package discrete

import (
	"fmt"
	"math"

	"github.com/teachbench/teachbench/task"
)

// Proxy names how an advantage-driven teacher (SEC, DUMP) measures an
// outcome's learning signal when the student does not attach
// task.MeanAbsAdvantage.
type Proxy int

const (
	// Delta is |x − x_prev|, the absolute change of the tracked value since
	// the task's previous outcome: the one-step absolute learning progress,
	// or, for a stochastic episode, |return − value baseline| with the last
	// return as the baseline. A task's first outcome yields no reward.
	Delta Proxy = iota
	// Bernoulli is 2·√(s(1−s)) for the outcome's score s: the expected mean
	// absolute group-normalised advantage (GRPO) of a binary reward with
	// success probability s, maximal at s = 0.5.
	Bernoulli
)

var proxyNames = []string{"delta", "bernoulli"}

// String returns the proxy's param name.
func (p Proxy) String() string { return proxyNames[p] }

// ParseProxy parses the value of param key.
func ParseProxy(key, value string) (Proxy, error) {
	for i, n := range proxyNames {
		if n == value {
			return Proxy(i), nil
		}
	}
	return 0, fmt.Errorf("%s = %q: want %s", key, value, orList(proxyNames))
}

// Advantage turns outcomes into the reward of the advantage-driven bandits:
// the student's mean absolute advantage when it provides one, else a proxy.
type Advantage struct {
	proxy Proxy
	sig   Signal
	prev  []float64
	seen  []bool
}

// NewAdvantage returns the reward rule over n tasks: proxy applies to the
// tracked value sig (the Bernoulli proxy always reads the score).
func NewAdvantage(n int, proxy Proxy, sig Signal) *Advantage {
	return &Advantage{proxy: proxy, sig: sig, prev: make([]float64, n), seen: make([]bool, n)}
}

// Reward returns the reward of outcome o on task i. ok is false when the
// outcome yields no reward (the first outcome of a task under the Delta
// proxy); valid is false when the value it needs is not usable (not finite,
// or a score outside [0, 1]), in which case nothing is recorded.
func (a *Advantage) Reward(i int, o task.Outcome) (r float64, ok, valid bool) {
	if v, has := o.Signal(task.MeanAbsAdvantage); has {
		if !task.Finite(v) || v < 0 {
			return 0, false, false
		}
		return v, true, true
	}
	if a.proxy == Bernoulli {
		s, good := Score.Of(o)
		if !good {
			return 0, false, false
		}
		return 2 * math.Sqrt(s*(1-s)), true, true
	}
	x, good := a.sig.Of(o)
	if !good {
		return 0, false, false
	}
	r, ok = math.Abs(x-a.prev[i]), a.seen[i]
	a.prev[i], a.seen[i] = x, true
	return r, ok, true
}
