package svgg

import (
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
)

// predictor is the success predictor D(g) = sigmoid(z(g)), z an MLP of the
// goal with LayerNorm and GELU (mrl's Critic(FCBody) with nn.LayerNorm),
// trained with binary cross-entropy by Adam.
type predictor struct {
	net   *nn.MLP
	store *nn.Params
	opt   *nn.Adam
	c     nn.MLPCache // fits
	ce    nn.MLPCache // evaluations at the particles
	fits  int
	// fit scratch
	x, y, xb, yb, grad []float64
	order              []int
}

func newPredictor(d int, hidden []int, lr float64, rng *rand.Rand) *predictor {
	p := &predictor{store: new(nn.Params)}
	sizes := append(append([]int{d}, hidden...), 1)
	p.net = nn.NewLayerNormMLP(p.store, sizes, nn.GELU{}, nn.Identity{})
	// mrl's layer_init: orthogonal weights of gain 1, zero biases.
	p.net.Init(rng, nn.Orthogonal{Gain: 1}, nn.Zeros{})
	p.opt = nn.NewAdam(p.store, lr)
	return p
}

// fit trains on n rows of goals x (n×d) with labels y ∈ {0, 1} for epochs
// passes, each over a fresh random order in batches minibatches of nearly
// equal size.
func (p *predictor) fit(x, y []float64, n, d, epochs, batches int, rng *rand.Rand) {
	p.fits++
	if cap(p.order) < n {
		p.order = make([]int, n)
		p.xb, p.yb, p.grad = make([]float64, n*d), make([]float64, n), make([]float64, n)
	}
	order := p.order[:n]
	batches = min(batches, n)
	for range epochs {
		for i := range order {
			order[i] = i
		}
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		for b := range batches {
			lo, hi := b*n/batches, (b+1)*n/batches
			rows := hi - lo
			for r, i := range order[lo:hi] {
				copy(p.xb[r*d:(r+1)*d], x[i*d:(i+1)*d])
				p.yb[r] = y[i]
			}
			out := p.net.Forward(&p.c, p.xb[:rows*d], rows)
			p.store.ZeroGrad()
			nn.BCEWithLogits(p.grad[:rows], out, p.yb[:rows])
			p.net.Backward(&p.c, p.grad[:rows])
			if finiteAll(p.store.Grads()) {
				p.opt.Step()
			}
		}
	}
}

// validity is the validity model: a one-class SVM over achieved goals
// (decision value s(g), see oneClassSVM) calibrated into p_valid(g) =
// sigmoid(a·s(g) + b) by logistic regression of the SVM's own inlier label
// (s > 0, as libsvm's predict) on s at the fitted goals, as the
// reference's OCSVM module.
type validity struct {
	svm      oneClassSVM
	a, b     float64
	fits     int
	unsolved int       // fits stopped at the solver's iteration limit
	scores   []float64 // scratch: s at the fitted goals
	buf      []float64 // scratch: d values
}

// fit trains the SVM on the u = len(weight) goals x (u×d, with
// multiplicities weight) and fits the calibration.
func (v *validity) fit(x, weight []float64, nu float64, steps int, lr float64, rng *rand.Rand) {
	v.fits++
	u := len(weight)
	if !v.svm.fit(x, weight, nu) {
		v.unsolved++
	}
	d := v.svm.d
	v.scores = grow(v.scores, u)
	// The reference balances the classes by random oversampling before a
	// full-batch fit; weighting each class by the inverse of its share
	// gives the same expected loss without the draw.
	var in, total float64
	for i := range u {
		v.scores[i] = v.svm.decision(x[i*d:(i+1)*d], nil)
		total += weight[i]
		if v.scores[i] > 0 {
			in += weight[i]
		}
	}
	wIn, wOut := 1.0, 1.0
	if in > 0 && in < total {
		wIn, wOut = total/(2*in), total/(2*(total-in))
	}
	// Logistic regression from the reference's torch.randn initialisation,
	// full-batch Adam with PyTorch's defaults.
	var cal nn.Params
	ab := cal.Alloc(2)
	ab.Value()[0], ab.Value()[1] = rng.NormFloat64(), rng.NormFloat64()
	opt := nn.NewAdam(&cal, lr)
	for range steps {
		a, b := ab.Value()[0], ab.Value()[1]
		var ga, gb, wsum float64
		for i, s := range v.scores {
			t, w := 0.0, wOut
			if s > 0 {
				t, w = 1, wIn
			}
			w *= weight[i]
			g := w * (sigmoid(a*s+b) - t) // ∂BCE/∂logit
			ga += g * s
			gb += g
			wsum += w
		}
		ab.Grad()[0], ab.Grad()[1] = ga/wsum, gb/wsum
		opt.Step()
	}
	v.a, v.b = ab.Value()[0], ab.Value()[1]
}

// logProb returns log p_valid(g) = −softplus(−(a·s(g) + b)) and adds its
// gradient sigmoid(−(a·s + b))·a·∇s(g) to grad (d values), unless grad is
// nil.
func (v *validity) logProb(g, grad []float64) float64 {
	if grad == nil {
		return -softplus(-(v.a*v.svm.decision(g, nil) + v.b))
	}
	d := v.svm.d
	buf := v.buf[:d]
	z := v.a*v.svm.decision(g, buf) + v.b
	coef := sigmoid(-z) * v.a
	for k := range d {
		grad[k] += coef * buf[k]
	}
	return -softplus(-z)
}

// difficulty returns f(p) of the target for the logit z of the predicted
// success p = sigmoid(z), and df/dz.
func difficulty(kind string, alpha, beta, logB, z float64) (f, dfdz float64) {
	p := sigmoid(z)
	switch kind {
	case DifficultyBeta:
		// The Beta density p^(α−1)(1−p)^(β−1)/B(α, β) from log p =
		// −softplus(−z) and log(1−p) = −softplus(z), without cancellation.
		f = math.Exp(-(alpha-1)*softplus(-z) - (beta-1)*softplus(z) - logB)
		return f, f * ((alpha-1)*(1-p) - (beta-1)*p)
	case DifficultyEntropy:
		// H = −p log p − (1−p) log(1−p); dH/dz = −z·p(1−p).
		f = p*softplus(-z) + (1-p)*softplus(z)
		return f, -z * p * (1 - p)
	}
	return 0, 0
}

// logBeta returns log B(α, β).
func logBeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus returns log(1 + e^x) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func finiteAll(s []float64) bool {
	for _, v := range s {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
