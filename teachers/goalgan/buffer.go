package goalgan

import "math/rand/v2"

// successBuffer is GoalGAN's collection of goals found too easy (rllab's
// StateCollection with one process): a goal is kept only if its Euclidean
// distance to every kept goal exceeds the threshold (any goal is kept when
// the threshold is 0).
type successBuffer struct {
	d         int
	threshold float64
	pts       []float64 // n × d
}

// len returns the number of kept goals.
func (b *successBuffer) len() int { return len(b.pts) / b.d }

// add keeps x (d values) unless a kept goal lies within the threshold, and
// reports whether it was kept. The buffer grows by appending, so it
// allocates only when its capacity doubles.
func (b *successBuffer) add(x []float64) bool {
	if b.threshold > 0 {
		thr2 := b.threshold * b.threshold
		for i := 0; i < len(b.pts); i += b.d {
			var s float64
			for j, v := range b.pts[i : i+b.d] {
				e := v - x[j]
				s += e * e
			}
			if s <= thr2 {
				return false
			}
		}
	}
	b.pts = append(b.pts, x[:b.d]...)
	return true
}

// sample sets dst to a kept goal chosen uniformly plus Gaussian noise of
// standard deviation std[i] per dimension. The buffer must not be empty.
func (b *successBuffer) sample(dst, std []float64, rng *rand.Rand) {
	i := rng.IntN(b.len())
	for j, v := range b.pts[i*b.d : (i+1)*b.d] {
		dst[j] = v + std[j]*rng.NormFloat64()
	}
}
