package nn

import (
	"fmt"
	"math"
)

// Optimizer updates the parameter values of the store it was made for from
// their gradients. It does not clear the gradients: call Params.ZeroGrad
// before the next accumulation (and Params.ClipGradNorm, if wanted, before
// Step).
type Optimizer interface {
	// Step applies one update.
	Step()
	// Reset forgets the optimizer's state (moments, step count), as for a
	// freshly made optimizer.
	Reset()
	// LearningRate returns the current learning rate.
	LearningRate() float64
	// SetLearningRate changes the learning rate, for schedules such as PPO's
	// linear annealing.
	SetLearningRate(lr float64)
}

// state is the per-parameter memory shared by the optimizers: sized at the
// first Step, so that networks may be added to the store until then.
type state struct {
	p    *Params
	bufs [][]float64
}

func (s *state) ready(name string, n int, init ...float64) [][]float64 {
	if s.bufs == nil {
		s.bufs = make([][]float64, n)
		for i := range s.bufs {
			s.bufs[i] = make([]float64, s.p.Len())
			if i < len(init) && init[i] != 0 {
				Constant(init[i]).Init(s.bufs[i], 0, 0, nil)
			}
		}
	} else if len(s.bufs[0]) != s.p.Len() {
		panic(fmt.Sprintf("nn: %s: the store grew from %d to %d parameters after the first step", name, len(s.bufs[0]), s.p.Len()))
	}
	return s.bufs
}

// SGD is stochastic gradient descent with optional momentum, Nesterov
// momentum and L2 weight decay, following torch.optim.SGD exactly:
//
//	g ← grad + WeightDecay·θ
//	b ← g at the first step, then b ← Momentum·b + (1−Dampening)·g
//	g ← g + Momentum·b (Nesterov) or g ← b (otherwise), when Momentum ≠ 0
//	θ ← θ − LR·g
type SGD struct {
	LR, Momentum, Dampening, WeightDecay float64
	Nesterov                             bool

	st      state
	started bool
}

// NewSGD returns plain SGD on p with learning rate lr; set the other fields
// for momentum and weight decay.
func NewSGD(p *Params, lr float64) *SGD { return &SGD{LR: lr, st: state{p: p}} }

// Step implements Optimizer.
func (o *SGD) Step() {
	val, grad := o.st.p.value, o.st.p.grad
	if o.Momentum == 0 {
		for i, g := range grad {
			val[i] -= o.LR * (g + o.WeightDecay*val[i])
		}
		return
	}
	buf := o.st.ready("SGD", 1)[0]
	for i, g := range grad {
		g += o.WeightDecay * val[i]
		b := g
		if o.started {
			b = o.Momentum*buf[i] + (1-o.Dampening)*g
		}
		buf[i] = b
		if o.Nesterov {
			g += o.Momentum * b
		} else {
			g = b
		}
		val[i] -= o.LR * g
	}
	o.started = true
}

// Reset implements Optimizer.
func (o *SGD) Reset() { o.st.bufs, o.started = nil, false }

// LearningRate implements Optimizer.
func (o *SGD) LearningRate() float64 { return o.LR }

// SetLearningRate implements Optimizer.
func (o *SGD) SetLearningRate(lr float64) { o.LR = lr }

// Adam is the Adam optimizer (Kingma and Ba, 2015) as torch.optim.Adam
// (PyTorch 2, whose first-moment update is written as a lerp):
//
//	g ← grad + WeightDecay·θ                      (L2, unless Decoupled)
//	θ ← θ·(1 − LR·WeightDecay)                    (AdamW, when Decoupled)
//	m ← m + (1−β1)·(g − m),  v ← β2·v + (1−β2)·g²
//	θ ← θ − (LR/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + Eps)
//
// With EpsHat the update is TF1's and Keras's AdamOptimizer instead, whose
// epsilon is added before the bias correction ("epsilon hat"):
// θ ← θ − LR·√(1−β2ᵗ)/(1−β1ᵗ)·m/(√v + Eps). The two agree except when √v is
// comparable to Eps.
type Adam struct {
	LR, Beta1, Beta2, Eps, WeightDecay float64
	Decoupled                          bool
	EpsHat                             bool

	st state
	t  int
}

// NewAdam returns Adam on p with learning rate lr and PyTorch's defaults
// β1 0.9, β2 0.999, Eps 1e-8, no weight decay.
func NewAdam(p *Params, lr float64) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, st: state{p: p}}
}

// Step implements Optimizer.
func (o *Adam) Step() {
	bufs := o.st.ready("Adam", 2)
	m, v := bufs[0], bufs[1]
	val, grad := o.st.p.value, o.st.p.grad
	o.t++
	bc1 := 1 - math.Pow(o.Beta1, float64(o.t))
	bc2 := 1 - math.Pow(o.Beta2, float64(o.t))
	stepSize, invBc2Sqrt := o.LR/bc1, 1/math.Sqrt(bc2)
	hatStep := o.LR * math.Sqrt(bc2) / bc1
	decay := 1 - o.LR*o.WeightDecay
	// Locals: the compiler cannot keep fields in registers across the
	// stores to val.
	b1, b2, eps, wd := o.Beta1, o.Beta2, o.Eps, o.WeightDecay
	decoupled, epsHat := o.Decoupled, o.EpsHat
	n := len(grad)
	m, v, val = m[:n], v[:n], val[:n]
	for i, g := range grad {
		if decoupled {
			val[i] *= decay
		} else {
			g += wd * val[i]
		}
		mi := m[i] + (1-b1)*(g-m[i]) // torch: exp_avg.lerp_(grad, 1-β1)
		vi := b2*v[i] + (1-b2)*g*g
		m[i], v[i] = mi, vi
		if epsHat {
			val[i] -= hatStep * (mi / (math.Sqrt(vi) + eps))
		} else {
			val[i] -= stepSize * (mi / (math.Sqrt(vi)*invBc2Sqrt + eps))
		}
	}
}

// Reset implements Optimizer.
func (o *Adam) Reset() { o.st.bufs, o.t = nil, 0 }

// LearningRate implements Optimizer.
func (o *Adam) LearningRate() float64 { return o.LR }

// SetLearningRate implements Optimizer.
func (o *Adam) SetLearningRate(lr float64) { o.LR = lr }

// Steps returns the number of steps taken since creation or Reset.
func (o *Adam) Steps() int { return o.t }

// RMSProp is RMSProp (Tieleman and Hinton, 2012) in either of two
// conventions, which differ in more than their defaults:
//
// PyTorch (torch.optim.RMSprop; NewRMSProp: Alpha 0.99, Eps 1e-8): the
// mean square s starts at 0 and Eps is added outside the square root,
//
//	g ← grad + WeightDecay·θ
//	s ← Alpha·s + (1−Alpha)·g²
//	d ← √s + Eps   (centered: √(s − ḡ²) + Eps with ḡ ← ḡ + (1−Alpha)·(g − ḡ))
//	b ← Momentum·b + g/d, θ ← θ − LR·b   (θ ← θ − LR·g/d without momentum)
//
// TF1 (tf.train.RMSPropOptimizer; NewRMSPropTF1: decay 0.9, Momentum 0,
// Eps 1e-10; TF1 = true): s starts at 1 and Eps is added inside the square
// root, with the learning rate folded into the momentum buffer,
//
//	s ← s + (g² − s)·(1−Alpha)
//	d ← √(s + Eps)   (centered: √(s − ḡ² + Eps))
//	b ← Momentum·b + LR·g/d, θ ← θ − b
//
// GoalGAN's reference code (TF1) trains both GAN networks with the TF1
// convention at LR 0.001. WeightDecay applies in both conventions (TF1 has
// no such option; leave it 0 to match it).
type RMSProp struct {
	LR, Alpha, Eps, Momentum, WeightDecay float64
	Centered                              bool
	TF1                                   bool

	st state
}

// NewRMSProp returns RMSProp on p in PyTorch's convention and defaults:
// Alpha 0.99, Eps 1e-8, no momentum.
func NewRMSProp(p *Params, lr float64) *RMSProp {
	return &RMSProp{LR: lr, Alpha: 0.99, Eps: 1e-8, st: state{p: p}}
}

// NewRMSPropTF1 returns RMSProp on p in TF1's convention and defaults:
// decay (Alpha) 0.9, Eps 1e-10, no momentum, mean square starting at 1.
func NewRMSPropTF1(p *Params, lr float64) *RMSProp {
	return &RMSProp{LR: lr, Alpha: 0.9, Eps: 1e-10, TF1: true, st: state{p: p}}
}

// Step implements Optimizer.
func (o *RMSProp) Step() {
	initSq := 0.0
	if o.TF1 {
		initSq = 1
	}
	bufs := o.st.ready("RMSProp", 3, initSq)
	sq, mg, mom := bufs[0], bufs[1], bufs[2]
	val, grad := o.st.p.value, o.st.p.grad
	a := o.Alpha
	for i, g := range grad {
		g += o.WeightDecay * val[i]
		var d float64
		if o.TF1 {
			sq[i] += (g*g - sq[i]) * (1 - a)
			s := sq[i]
			if o.Centered {
				mg[i] += (g - mg[i]) * (1 - a)
				s -= mg[i] * mg[i]
			}
			d = math.Sqrt(s + o.Eps)
			mom[i] = o.Momentum*mom[i] + o.LR*g/d
			val[i] -= mom[i]
			continue
		}
		sq[i] = a*sq[i] + (1-a)*g*g
		s := sq[i]
		if o.Centered {
			mg[i] += (1 - a) * (g - mg[i]) // torch: grad_avg.lerp_(grad, 1-alpha)
			s -= mg[i] * mg[i]
		}
		d = math.Sqrt(s) + o.Eps
		if o.Momentum != 0 {
			mom[i] = o.Momentum*mom[i] + g/d
			val[i] -= o.LR * mom[i]
		} else {
			val[i] -= o.LR * g / d
		}
	}
}

// Reset implements Optimizer.
func (o *RMSProp) Reset() { o.st.bufs = nil }

// LearningRate implements Optimizer.
func (o *RMSProp) LearningRate() float64 { return o.LR }

// SetLearningRate implements Optimizer.
func (o *RMSProp) SetLearningRate(lr float64) { o.LR = lr }
