package svgg

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

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

// validity is the validity model: a one-class score over achieved goals,
// f(g) = (1/n)·Σ_i exp(−γ|g − c_i|²) − ρ, with ρ the ν-quantile of f+ρ over
// the n centres c_i themselves (a fraction ν of them lie outside),
// calibrated into p_valid(g) = sigmoid(a·f(g) + b) by logistic regression
// of the inlier label on f, as the reference calibrates its one-class SVM.
// Centres drawn more than once are stored once with their multiplicity,
// which gives the same sums at a fraction of the cost.
type validity struct {
	d       int
	gamma   float64
	centres []float64 // u×d distinct centres
	weight  []float64 // u multiplicities
	u, n    int       // distinct centres, centres counted with multiplicity
	rho     float64
	a, b    float64
	fits    int
	scores  []float64 // scratch: f at the centres
	order   []int     // scratch: centres by score
	buf     []float64 // scratch: d values
}

// fit sets the centres (u×d, copied, with multiplicities weight; nil means
// 1 each) and fits ρ and the calibration.
func (v *validity) fit(centres, weight []float64, u int, nu float64, steps int, lr float64, rng *rand.Rand) {
	v.fits++
	d := v.d
	v.centres = append(v.centres[:0], centres[:u*d]...)
	v.weight = slices.Grow(v.weight[:0], u)[:u]
	v.u, v.n = u, 0
	for i := range u {
		w := 1.0
		if weight != nil {
			w = weight[i]
		}
		v.weight[i] = w
		v.n += int(w)
	}
	v.rho = 0
	v.scores = slices.Grow(v.scores[:0], u)[:u]
	v.order = slices.Grow(v.order[:0], u)[:u]
	for i := range u {
		v.scores[i] = v.raw(v.centres[i*d : (i+1)*d])
		v.order[i] = i
	}
	// ρ: the score of the centre at rank ⌊ν·n⌋ (from 0) among the n
	// centres counted with multiplicity.
	slices.SortFunc(v.order, func(i, j int) int { return cmp.Compare(v.scores[i], v.scores[j]) })
	rank := min(int(nu*float64(v.n)), v.n-1)
	var seen float64
	for _, i := range v.order {
		seen += v.weight[i]
		if seen > float64(rank) {
			v.rho = v.scores[i]
			break
		}
	}
	// Labels: inlier (f ≥ 0) or outlier, as OneClassSVM.predict. The
	// reference balances the classes by random oversampling before a
	// full-batch fit; weighting each class by the inverse of its share
	// gives the same expected loss without the draw.
	var in float64
	for i := range u {
		v.scores[i] -= v.rho
		if v.scores[i] >= 0 {
			in += v.weight[i]
		}
	}
	total := float64(v.n)
	wIn, wOut := 1.0, 1.0
	if in > 0 && in < total {
		wIn, wOut = total/(2*in), total/(2*(total-in))
	}
	// Logistic regression s = sigmoid(a·f + b) from the reference's
	// torch.randn initialisation, Adam with PyTorch's defaults.
	var cal nn.Params
	ab := cal.Alloc(2)
	ab.Value()[0], ab.Value()[1] = rng.NormFloat64(), rng.NormFloat64()
	opt := nn.NewAdam(&cal, lr)
	for range steps {
		a, b := ab.Value()[0], ab.Value()[1]
		var ga, gb, wsum float64
		for i, f := range v.scores {
			t, w := 0.0, wOut
			if f >= 0 {
				t, w = 1, wIn
			}
			w *= v.weight[i]
			g := w * (sigmoid(a*f+b) - t) // ∂BCE/∂logit
			ga += g * f
			gb += g
			wsum += w
		}
		ab.Grad()[0], ab.Grad()[1] = ga/wsum, gb/wsum
		opt.Step()
	}
	v.a, v.b = ab.Value()[0], ab.Value()[1]
}

// raw returns (1/n)·Σ_i exp(−γ|g − c_i|²) − ρ.
func (v *validity) raw(g []float64) float64 {
	var sum float64
	d := v.d
	for i := range v.u {
		c := v.centres[i*d : (i+1)*d]
		var sq float64
		for k, x := range g[:d] {
			diff := x - c[k]
			sq += diff * diff
		}
		sum += v.weight[i] * math.Exp(-v.gamma*sq)
	}
	return sum/float64(v.n) - v.rho
}

// logProb returns log p_valid(g) and adds its gradient with respect to g to
// grad (d values), unless grad is nil.
func (v *validity) logProb(g, grad []float64) float64 {
	if grad == nil {
		return -softplus(-(v.a*v.raw(g) + v.b))
	}
	d := v.d
	buf := v.buf[:d]
	clear(buf) // Σ w_i·k_i·(g − c_i)
	var sum float64
	for i := range v.u {
		c := v.centres[i*d : (i+1)*d]
		var sq float64
		for k, x := range g[:d] {
			diff := x - c[k]
			sq += diff * diff
		}
		e := v.weight[i] * math.Exp(-v.gamma*sq)
		sum += e
		for k, x := range g[:d] {
			buf[k] += e * (x - c[k])
		}
	}
	f := sum/float64(v.n) - v.rho
	s := v.a*f + v.b
	// d log sigmoid(s)/ds = sigmoid(−s); ∂f/∂g = −(2γ/n)·Σ w_i k_i (g − c_i).
	coef := sigmoid(-s) * v.a * (-2 * v.gamma / float64(v.n))
	for k := range d {
		grad[k] += coef * buf[k]
	}
	return -softplus(-s)
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
