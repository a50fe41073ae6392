package her

import "math"

// Bounds of the normaliser, as mrl's MeanStdNormalizer.
const (
	normClipBefore = 200.0 // inputs are clipped to ±200 before standardising
	normEps        = 1e-8  // added to the variance
	normCount0     = 1e-4  // initial pseudo-count of the running moments
)

// normalizer standardises network inputs by running means and variances,
// mrl's MeanStdNormalizer over a RunningMeanStd that starts at mean 0,
// variance 1 and count 1e-4 and is updated with every input the policy acts
// on during training.
type normalizer struct {
	mean, vr []float64
	count    float64
	clip     float64 // 0: the identity
}

func newNormalizer(n int, clip float64) *normalizer {
	z := &normalizer{mean: make([]float64, n), vr: make([]float64, n), count: normCount0, clip: clip}
	for i := range z.vr {
		z.vr[i] = 1
	}
	return z
}

// update adds one input to the running moments (the parallel-variance
// update of RunningMeanStd with a batch of one).
func (z *normalizer) update(x []float64) {
	if z.clip == 0 {
		return
	}
	tot := z.count + 1
	for i, v := range x[:len(z.mean)] {
		v = min(max(v, -normClipBefore), normClipBefore)
		delta := v - z.mean[i]
		z.mean[i] += delta / tot
		// M2 = var·count + 0 + δ²·count·1/tot, divided by tot.
		z.vr[i] = (z.vr[i]*z.count + delta*delta*z.count/tot) / tot
	}
	z.count = tot
}

// apply writes the standardised x into dst (same length).
func (z *normalizer) apply(dst, x []float64) {
	n := len(z.mean)
	if z.clip == 0 {
		copy(dst[:n], x[:n])
		return
	}
	for i, v := range x[:n] {
		v = min(max(v, -normClipBefore), normClipBefore)
		v = (v - z.mean[i]) / math.Sqrt(z.vr[i]+normEps)
		dst[i] = min(max(v, -z.clip), z.clip)
	}
}
