package discrete

import (
	"fmt"
	"math/rand/v2"
)

// History keeps, per task, the most recent (teacher step, performance)
// entries in a ring of fixed capacity: the performance history of the
// mastering-rate code (perf_history.py), truncated to what the estimators
// read.
type History struct {
	cap   int
	steps []float64 // task i's ring at [i*cap, (i+1)*cap)
	vals  []float64
	count []int // entries ever added per task
}

// NewHistory returns an empty history of n tasks keeping the last capacity
// entries of each.
func NewHistory(n, capacity int) *History {
	return &History{cap: capacity, steps: make([]float64, n*capacity), vals: make([]float64, n*capacity), count: make([]int, n)}
}

// Add appends entry (step, v) to task i.
func (h *History) Add(i int, step, v float64) {
	k := i*h.cap + h.count[i]%h.cap
	h.steps[k], h.vals[k] = step, v
	h.count[i]++
}

// Count returns the number of entries ever added to task i.
func (h *History) Count(i int) int { return h.count[i] }

// Len returns the number of entries of task i still held.
func (h *History) Len(i int) int { return min(h.count[i], h.cap) }

// Back returns the entry of task i that is back entries before the newest
// (Back(i, 0) is the newest). back must be < Len(i).
func (h *History) Back(i, back int) (step, v float64) {
	k := i*h.cap + (h.count[i]-1-back)%h.cap
	return h.steps[k], h.vals[k]
}

// Mean returns the mean of the last min(k, Len(i)) values of task i, which
// must have at least one entry.
func (h *History) Mean(i, k int) float64 {
	k = min(k, h.Len(i))
	var s float64
	for b := k - 1; b >= 0; b-- { // oldest first, as numpy sums in order
		_, v := h.Back(i, b)
		s += v
	}
	return s / float64(k)
}

// Slope returns the ordinary-least-squares slope of the last min(k, Len(i))
// values of task i against their teacher steps, or against their indices
// 0, 1, … if byIndex. Task i must have at least two entries.
func (h *History) Slope(i, k int, byIndex bool) float64 {
	k = min(k, h.Len(i))
	var mx, my float64
	for b := k - 1; b >= 0; b-- {
		s, v := h.Back(i, b)
		if byIndex {
			s = float64(k - 1 - b)
		}
		mx += s
		my += v
	}
	mx /= float64(k)
	my /= float64(k)
	var sxy, sxx float64
	for b := k - 1; b >= 0; b-- {
		s, v := h.Back(i, b)
		if byIndex {
			s = float64(k - 1 - b)
		}
		sxy += (s - mx) * (v - my)
		sxx += (s - mx) * (s - mx)
	}
	if sxx == 0 {
		return 0
	}
	return sxy / sxx
}

// Estimator names a learning-progress estimator of the mastering-rate code.
type Estimator int

const (
	// Online: EMA of the difference of the last two performances.
	Online Estimator = iota
	// Naive: EMA of the OLS slope of the last K performances against their
	// indices (the reference's stand-in for TSCL's Naive algorithm).
	Naive
	// Window: EMA of the OLS slope of the last K performances against their
	// teacher steps.
	Window
	// Linreg: the OLS slope of the last K performances against their
	// teacher steps, without smoothing (the reference default).
	Linreg
	// Sampling: one of the last K consecutive differences drawn uniformly;
	// 1 (optimistic) for tasks with fewer than two entries.
	Sampling
)

var estimatorNames = []string{"online", "naive", "window", "linreg", "sampling"}

// String returns the estimator's param name.
func (e Estimator) String() string { return estimatorNames[e] }

// ParseEstimator parses the value of param key.
func ParseEstimator(key, value string) (Estimator, error) {
	for i, n := range estimatorNames {
		if n == value {
			return Estimator(i), nil
		}
	}
	return 0, fmt.Errorf("%s = %q: want %s", key, value, orList(estimatorNames))
}

// HistoryNeed returns how many entries per task estimator e reads with
// window k.
func (e Estimator) HistoryNeed(k int) int {
	switch e {
	case Online:
		return 2
	case Sampling:
		return k + 1
	}
	return k
}

// LP estimates each task's learning progress from a History, as
// auto_curri/lp_estimator.py does, re-evaluated for every task at every
// teacher step.
type LP struct {
	kind  Estimator
	alpha float64
	k     int
	stale bool
	// Values holds the current estimate per task (0 before any signal, 1 for
	// the Sampling estimator before two entries).
	Values []float64
	sig    []float64 // last immediate signal per task (EMA estimators)
	hasSig []bool
}

// NewLP returns estimator kind over n tasks with EMA rate alpha and window
// k. With stale set, the EMA estimators re-apply the EMA every teacher step
// to tasks that got no new entry, with their unchanged immediate signal, as
// the reference code does; without it, a task's estimate changes only when
// the task is observed (TSCL's bandit update).
func NewLP(kind Estimator, n int, alpha float64, k int, stale bool) *LP {
	e := &LP{kind: kind, alpha: alpha, k: k, stale: stale, Values: make([]float64, n), sig: make([]float64, n), hasSig: make([]bool, n)}
	if kind == Sampling {
		for i := range e.Values {
			e.Values[i] = 1
		}
	}
	return e
}

// Step updates the estimates after a teacher step whose new entries went to
// the tasks in touched. rng is used only by the Sampling estimator.
func (e *LP) Step(h *History, touched []int, rng *rand.Rand) {
	switch e.kind {
	case Linreg:
		for _, i := range touched {
			if h.Len(i) >= 2 {
				e.Values[i] = h.Slope(i, e.k, false)
			}
		}
	case Sampling:
		for i := range e.Values {
			n := h.Len(i)
			if h.Count(i) < 2 {
				e.Values[i] = 1
				continue
			}
			// The last min(K, n−1) consecutive differences; pick one.
			m := min(e.k, n-1)
			j := rng.IntN(m)
			_, a := h.Back(i, j)
			_, b := h.Back(i, j+1)
			e.Values[i] = a - b
		}
	default:
		for _, i := range touched {
			if h.Len(i) < 2 {
				continue
			}
			switch e.kind {
			case Online:
				_, a := h.Back(i, 0)
				_, b := h.Back(i, 1)
				e.sig[i] = a - b
			case Naive:
				e.sig[i] = h.Slope(i, e.k, true)
			case Window:
				e.sig[i] = h.Slope(i, e.k, false)
			}
			e.hasSig[i] = true
		}
		if e.stale {
			for i, ok := range e.hasSig {
				if ok {
					e.Values[i] = e.alpha*e.sig[i] + (1-e.alpha)*e.Values[i]
				}
			}
		} else {
			for _, i := range touched {
				if e.hasSig[i] {
					e.Values[i] = e.alpha*e.sig[i] + (1-e.alpha)*e.Values[i]
				}
			}
		}
	}
}

// Converter names an attention-to-distribution converter of the
// mastering-rate code.
type Converter int

const (
	// Argmax puts all the mass on the task with the highest attention, ties
	// broken uniformly at random.
	Argmax Converter = iota
	// GreedyArgmax is (1−ε)·Argmax + ε·uniform.
	GreedyArgmax
	// Proportional is (a + 1e-8)/Σ(a + 1e-8).
	Proportional
	// GreedyProportional is (1−ε)·Proportional + ε·uniform.
	GreedyProportional
	// Boltzmann is exp(a/τ)/Σ exp(a/τ).
	Boltzmann
)

var converterNames = []string{"argmax", "greedy-argmax", "proportional", "greedy-proportional", "boltzmann"}

// String returns the converter's param name.
func (c Converter) String() string { return converterNames[c] }

// ParseConverter parses the value of param key.
func ParseConverter(key, value string) (Converter, error) {
	for i, n := range converterNames {
		if n == value {
			return Converter(i), nil
		}
	}
	return 0, fmt.Errorf("%s = %q: want %s", key, value, orList(converterNames))
}

// NeedsNonNegative reports whether the converter needs non-negative
// attention.
func (c Converter) NeedsNonNegative() bool { return c == Proportional || c == GreedyProportional }

// PropShift is what the reference's Prop converter adds to every attention
// before normalising.
const PropShift = 1e-8

// Convert turns attention att into probabilities in dst (same length). eps is
// the uniform share of the greedy converters, tau the Boltzmann temperature.
// Like the reference, the proportional converters add PropShift to att in
// place. Argmax ties are broken with rng. The Boltzmann converter subtracts
// the maximum attention before exponentiating: the same distribution as the
// reference's exp(a/τ)/Σ exp(a/τ) wherever that does not overflow.
func (c Converter) Convert(dst, att []float64, eps, tau float64, rng *rand.Rand) {
	n := float64(len(att))
	switch c {
	case Argmax, GreedyArgmax:
		best, ties := 0, 0
		for i, a := range att {
			switch {
			case ties == 0 || a > att[best]:
				best, ties = i, 1
			case a == att[best]:
				ties++
				if rng.IntN(ties) == 0 { // reservoir: uniform among the ties
					best = i
				}
			}
		}
		e := 0.0
		if c == GreedyArgmax {
			e = eps
		}
		for i := range dst {
			dst[i] = e / n
		}
		dst[best] += 1 - e
	case Proportional, GreedyProportional:
		var z float64
		for i := range att {
			att[i] += PropShift
			z += att[i]
		}
		e := 0.0
		if c == GreedyProportional {
			e = eps
		}
		scale, floor := (1-e)/z, e/n
		for i, a := range att {
			dst[i] = a*scale + floor
		}
	case Boltzmann:
		Softmax(dst, att, tau)
	}
}
