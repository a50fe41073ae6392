package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// The losses return the mean loss over their elements (or rows) and, unless
// grad is nil, set grad to the gradient of that mean with respect to their
// first input: the dOut that starts a backward pass. Scale grad to weight a
// loss (a PPO value coefficient) or add several into one buffer yourself.

// MSE returns the mean squared error mean((pred−target)²) over all elements
// (PyTorch's MSELoss, TF1's mean_squared_error); LSGAN's losses and value
// regression use it.
func MSE(grad, pred, target []float64) float64 {
	n := len(pred)
	checkLen("MSE", "target", len(target), n)
	if grad != nil {
		checkLen("MSE", "grad", len(grad), n)
	}
	var sum float64
	for i, p := range pred {
		d := p - target[i]
		sum += d * d
		if grad != nil {
			grad[i] = 2 * d / float64(n)
		}
	}
	return sum / float64(n)
}

// BCEWithLogits returns the mean binary cross-entropy between sigmoid(logits)
// and targets in [0, 1], computed from the logits without overflow as
// max(z,0) − z·t + log(1+e^−|z|) (PyTorch's BCEWithLogitsLoss, TF1's
// sigmoid_cross_entropy_with_logits). The gradient is (sigmoid(z)−t)/n.
func BCEWithLogits(grad, logits, targets []float64) float64 {
	n := len(logits)
	checkLen("BCEWithLogits", "targets", len(targets), n)
	if grad != nil {
		checkLen("BCEWithLogits", "grad", len(grad), n)
	}
	var sum float64
	for i, z := range logits {
		t := targets[i]
		sum += max(z, 0) - z*t + math.Log1p(math.Exp(-math.Abs(z)))
		if grad != nil {
			grad[i] = (sigmoid(z) - t) / float64(n)
		}
	}
	return sum / float64(n)
}

// SoftmaxCrossEntropy returns the mean over rows of −log softmax(logits)[label]
// for a batch of len(labels) rows of classes logits each (PyTorch's
// CrossEntropyLoss with integer targets). The gradient is
// (softmax(z) − onehot(label))/batch. It panics on a label out of range.
func SoftmaxCrossEntropy(grad, logits []float64, labels []int, classes int) float64 {
	batch := len(labels)
	checkLen("SoftmaxCrossEntropy", "logits", len(logits), batch*classes)
	if grad != nil {
		checkLen("SoftmaxCrossEntropy", "grad", len(grad), batch*classes)
	}
	var sum float64
	for r, label := range labels {
		if label < 0 || label >= classes {
			panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: labels[%d] = %d, want 0..%d", r, label, classes-1))
		}
		z := logits[r*classes : (r+1)*classes]
		m, ls := maxLogSumExp(z)
		sum += ls - (z[label] - m)
		if grad != nil {
			g := grad[r*classes : (r+1)*classes]
			for j, v := range z {
				g[j] = math.Exp((v-m)-ls) / float64(batch)
			}
			g[label] -= 1 / float64(batch)
		}
	}
	return sum / float64(batch)
}

// LogSoftmax sets each row of dst (rows of classes values) to the
// log-probabilities log softmax(logits) of the corresponding row of logits;
// dst may be logits. Categorical policies keep these log-probabilities and
// pass them to CategoricalEntropy, CategoricalGrad and SampleCategorical.
func LogSoftmax(dst, logits []float64, classes int) {
	if classes <= 0 || len(logits)%classes != 0 {
		panic(fmt.Sprintf("nn: LogSoftmax: %d logits is not a whole number of rows of %d classes", len(logits), classes))
	}
	checkLen("LogSoftmax", "dst", len(dst), len(logits))
	for r := 0; r < len(logits); r += classes {
		z := logits[r : r+classes]
		m, ls := maxLogSumExp(z)
		d := dst[r : r+classes]
		for j, v := range z {
			d[j] = (v - m) - ls
		}
	}
}

// CategoricalEntropy sets dst[r] to the entropy −Σ p·log p of row r of the
// log-probabilities logp (rows of classes values).
func CategoricalEntropy(dst, logp []float64, classes int) {
	rows := len(logp) / classes
	checkLen("CategoricalEntropy", "dst", len(dst), rows)
	for r := range rows {
		var h float64
		for _, lp := range logp[r*classes : (r+1)*classes] {
			if p := math.Exp(lp); p > 0 {
				h -= p * lp
			}
		}
		dst[r] = h
	}
}

// CategoricalGrad adds to dlogits the gradient with respect to the logits of
//
//	Σ_r gLogProb[r]·log p_r(actions[r]) + gEntropy[r]·H_r
//
// where p_r is the distribution whose log-probabilities (from LogSoftmax)
// are row r of logp and H_r its entropy: the two terms through which a
// policy-gradient loss such as PPO's reaches the logits. Either coefficient
// slice may be nil (then actions may be nil with gLogProb).
func CategoricalGrad(dlogits, logp []float64, classes int, actions []int, gLogProb, gEntropy []float64) {
	rows := len(logp) / classes
	checkLen("CategoricalGrad", "dlogits", len(dlogits), rows*classes)
	if gLogProb != nil {
		checkLen("CategoricalGrad", "gLogProb", len(gLogProb), rows)
		checkLen("CategoricalGrad", "actions", len(actions), rows)
	}
	if gEntropy != nil {
		checkLen("CategoricalGrad", "gEntropy", len(gEntropy), rows)
	}
	for r := range rows {
		lp := logp[r*classes : (r+1)*classes]
		d := dlogits[r*classes : (r+1)*classes]
		if gLogProb != nil {
			a, g := actions[r], gLogProb[r]
			if a < 0 || a >= classes {
				panic(fmt.Sprintf("nn: CategoricalGrad: actions[%d] = %d, want 0..%d", r, a, classes-1))
			}
			// ∂log p(a)/∂z_j = 1[j=a] − p_j
			for j, l := range lp {
				d[j] -= g * math.Exp(l)
			}
			d[a] += g
		}
		if gEntropy != nil {
			// ∂H/∂z_j = −p_j·(log p_j + H)
			var h float64
			for _, l := range lp {
				if p := math.Exp(l); p > 0 {
					h -= p * l
				}
			}
			g := gEntropy[r]
			for j, l := range lp {
				if p := math.Exp(l); p > 0 {
					d[j] -= g * p * (l + h)
				}
			}
		}
	}
}

// SampleCategorical draws an index from the distribution with
// log-probabilities logp (one row) by inverting its cumulative distribution
// with one uniform draw from rng.
func SampleCategorical(rng *rand.Rand, logp []float64) int {
	u := rng.Float64()
	var cum float64
	last := -1
	for j, l := range logp {
		p := math.Exp(l)
		if p <= 0 {
			continue
		}
		cum += p
		last = j
		if u < cum {
			return j
		}
	}
	if last < 0 {
		panic("nn: SampleCategorical: no outcome has positive probability")
	}
	return last // rounding left the total just below u
}

const halfLog2Pi = 0.9189385332046727 // ½·log(2π)

// GaussianLogProb returns log N(x; mean, diag(exp(logStd))²), the
// log-density of a diagonal Gaussian with per-dimension log standard
// deviations, summed over the dimensions: the log-probability of a
// continuous action.
func GaussianLogProb(x, mean, logStd []float64) float64 {
	checkLen("GaussianLogProb", "mean", len(mean), len(x))
	checkLen("GaussianLogProb", "logStd", len(logStd), len(x))
	var lp float64
	for i, v := range x {
		z := (v - mean[i]) * math.Exp(-logStd[i])
		lp -= 0.5*z*z + logStd[i] + halfLog2Pi
	}
	return lp
}

// GaussianEntropy returns the entropy Σ (½ + ½·log 2π + logStd_i) of a
// diagonal Gaussian. Its gradient with respect to each logStd_i is 1.
func GaussianEntropy(logStd []float64) float64 {
	var h float64
	for _, l := range logStd {
		h += 0.5 + halfLog2Pi + l
	}
	return h
}

// GaussianLogProbGrad adds g times the gradient of GaussianLogProb(x, mean,
// logStd) to dMean, dLogStd and dX; any of the three may be nil. With
// z = (x−mean)/σ: ∂/∂mean = z/σ, ∂/∂logStd = z²−1 and ∂/∂x = −z/σ. dX serves
// reparameterised samples x = mean + σ·ε, whose gradient also flows
// through x.
func GaussianLogProbGrad(dMean, dLogStd, dX, x, mean, logStd []float64, g float64) {
	n := len(x)
	checkLen("GaussianLogProbGrad", "mean", len(mean), n)
	checkLen("GaussianLogProbGrad", "logStd", len(logStd), n)
	if dMean != nil {
		checkLen("GaussianLogProbGrad", "dMean", len(dMean), n)
	}
	if dLogStd != nil {
		checkLen("GaussianLogProbGrad", "dLogStd", len(dLogStd), n)
	}
	if dX != nil {
		checkLen("GaussianLogProbGrad", "dX", len(dX), n)
	}
	for i, v := range x {
		inv := math.Exp(-logStd[i])
		z := (v - mean[i]) * inv
		if dMean != nil {
			dMean[i] += g * z * inv
		}
		if dLogStd != nil {
			dLogStd[i] += g * (z*z - 1)
		}
		if dX != nil {
			dX[i] -= g * z * inv
		}
	}
}

// maxLogSumExp returns m = max(z) and ls = log Σ exp(z − m), so that
// log Σ exp(z) = m + ls; callers subtract m and ls separately to keep the
// precision of log-probabilities when the logits are large.
func maxLogSumExp(z []float64) (m, ls float64) {
	m = math.Inf(-1)
	for _, v := range z {
		m = max(m, v)
	}
	if math.IsInf(m, 0) {
		// All −Inf (or some +Inf): no finite normalisation; NaN results
		// make the problem visible.
		return m, math.NaN()
	}
	var s float64
	for _, v := range z {
		s += math.Exp(v - m)
	}
	return m, math.Log(s)
}

// checkLen panics unless got ≥ want, naming the function and argument.
func checkLen(fn, name string, got, want int) {
	if got < want {
		panic(fmt.Sprintf("nn: %s: len(%s) = %d, want at least %d", fn, name, got, want))
	}
}
