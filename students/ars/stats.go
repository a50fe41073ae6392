package ars

import "math"

// RunningStat accumulates the per-coordinate mean and variance of a stream of
// vectors with Welford's algorithm, and merges with another accumulator with
// the pairwise update of Chan, Golub and LeVeque, so that statistics gathered
// in separate episodes (on separate goroutines) combine exactly as if pushed
// one by one, up to rounding. The zero value holds no vector and has no
// dimension: use NewRunningStat.
type RunningStat struct {
	n    int64
	mean []float64
	m2   []float64 // sums of squared deviations from the mean
}

// NewRunningStat returns an empty accumulator of vectors of dim values.
func NewRunningStat(dim int) *RunningStat {
	return &RunningStat{mean: make([]float64, dim), m2: make([]float64, dim)}
}

// Len returns the number of vectors accumulated.
func (r *RunningStat) Len() int64 { return r.n }

// Reset empties the accumulator.
func (r *RunningStat) Reset() {
	r.n = 0
	clear(r.mean)
	clear(r.m2)
}

// Push adds the vector x.
func (r *RunningStat) Push(x []float64) {
	r.n++
	inv := 1 / float64(r.n)
	for i, v := range x[:len(r.mean)] {
		d := v - r.mean[i]
		r.mean[i] += d * inv
		r.m2[i] += d * (v - r.mean[i])
	}
}

// Merge adds the vectors accumulated by o, which must have the same
// dimension.
func (r *RunningStat) Merge(o *RunningStat) {
	switch {
	case o.n == 0:
		return
	case r.n == 0:
		r.n = o.n
		copy(r.mean, o.mean)
		copy(r.m2, o.m2)
		return
	}
	na, nb := float64(r.n), float64(o.n)
	n := na + nb
	for i := range r.mean {
		d := o.mean[i] - r.mean[i]
		r.mean[i] += d * nb / n
		r.m2[i] += o.m2[i] + d*d*na*nb/n
	}
	r.n += o.n
}

// Mean returns the mean of each coordinate (a view, valid until the next
// change).
func (r *RunningStat) Mean() []float64 { return r.mean }

// Std writes into dst the sample standard deviation of each coordinate,
// √(Σ(x−mean)²/(n−1)), or zeros with fewer than two vectors.
func (r *RunningStat) Std(dst []float64) {
	if r.n < 2 {
		clear(dst[:len(r.m2)])
		return
	}
	d := float64(r.n - 1)
	for i, m := range r.m2 {
		dst[i] = math.Sqrt(m / d)
	}
}
