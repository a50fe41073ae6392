package stats

import (
	"math"
	"slices"
	"sort"
)

// AUC returns the area under the piecewise-linear curve through the points
// (x[i], y[i]) by the trapezoidal rule, divided by the span x[n-1]-x[0]: the
// time-average of y, in y's unit (for a % mastered curve, a percentage). x must
// be increasing. A single point gives its y; no point, a zero span or unequal
// lengths give NaN.
//
// With evaluations evenly spaced it differs from the plain mean of the y
// values only in giving the first and last points half weight.
func AUC(x, y []float64) float64 {
	n := len(x)
	switch {
	case n == 0 || n != len(y):
		return math.NaN()
	case n == 1:
		return y[0]
	}
	span := x[n-1] - x[0]
	if !(span > 0) {
		return math.NaN()
	}
	var area float64
	for i := 1; i < n; i++ {
		area += (x[i] - x[i-1]) * (y[i] + y[i-1]) / 2
	}
	return area / span
}

// FirstCrossing returns the first x[i] at which y[i] ≥ level, and true; if y
// never reaches level it returns the last x, and false: the time is then
// right-censored there, and is known only to exceed it. Like the evaluations it
// is read from, the time is known only to the resolution of the grid: the
// crossing happened after x[i-1] and no later than x[i]. NaN values of y never
// cross. With no point it returns NaN, false.
func FirstCrossing(x, y []float64, level float64) (t float64, reached bool) {
	if len(x) == 0 || len(x) != len(y) {
		return math.NaN(), false
	}
	for i, v := range y {
		if v >= level {
			return x[i], true
		}
	}
	return x[len(x)-1], false
}

// Survival is a Kaplan–Meier estimate of a survival function S(t) = P(T > t):
// a step function equal to 1 before T[0] and to S[i] from T[i] up to T[i+1].
type Survival struct {
	// T holds the distinct times at which events were observed, in
	// increasing order; S the estimate of S just after each.
	T, S []float64
}

// KaplanMeier returns the product-limit estimate (Kaplan and Meier, JASA
// 1958) of the survival function of the times t, where event[i] is false when
// t[i] is right-censored: the event had not happened by then (a run that never
// reached the threshold, observed until its last evaluation). At each event
// time the estimate is multiplied by 1 - dᵢ/nᵢ, with dᵢ events among the nᵢ
// times still at risk; a censored time equal to an event time is counted at
// risk at that time, the usual convention. NaN times are ignored. It panics if
// t and event differ in length.
func KaplanMeier(t []float64, event []bool) Survival {
	if len(t) != len(event) {
		panic("stats: Kaplan–Meier times and event flags differ in length")
	}
	type obs struct {
		t     float64
		event bool
	}
	var o []obs
	for i, v := range t {
		if !math.IsNaN(v) {
			o = append(o, obs{v, event[i]})
		}
	}
	slices.SortFunc(o, func(a, b obs) int {
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	var s Survival
	atRisk := len(o)
	surv := 1.0
	for i := 0; i < len(o); {
		j, d := i, 0
		for ; j < len(o) && o[j].t == o[i].t; j++ {
			if o[j].event {
				d++
			}
		}
		if d > 0 {
			surv *= 1 - float64(d)/float64(atRisk)
			s.T = append(s.T, o[i].t)
			s.S = append(s.S, surv)
		}
		atRisk -= j - i
		i = j
	}
	return s
}

// At returns the estimate of S(t).
func (s Survival) At(t float64) float64 {
	// The last event time not after t.
	i := sort.Search(len(s.T), func(i int) bool { return s.T[i] > t }) - 1
	if i < 0 {
		return 1
	}
	return s.S[i]
}

// Quantile returns the p-quantile of the time distribution, the first event
// time at which the estimated survival drops to 1-p or below (so Quantile(0.5)
// is the median time to the event), or +Inf if it never does within the
// observations: too many times were censored to estimate it, and the quantile
// is known only to exceed the largest time observed. It panics if p is not in
// (0, 1].
func (s Survival) Quantile(p float64) float64 {
	if !(0 < p && p <= 1) {
		panic("stats: survival quantile probability outside (0, 1]")
	}
	// A small tolerance keeps 1 - 1/2 from missing 0.5 by rounding.
	const eps = 1e-12
	for i, v := range s.S {
		if v <= 1-p+eps {
			return s.T[i]
		}
	}
	return math.Inf(1)
}
