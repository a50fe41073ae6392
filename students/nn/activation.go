package nn

import "math"

// Activation is an element-wise nonlinearity y = f(x).
//
// Apply sets y[i] = f(x[i]); y may be x. Grad sets dx[i] = dy[i]·f′(x[i])
// given both the input x and the output y of Apply (each activation reads
// whichever gives the stable derivative); dx may be dy, but y must not have
// been overwritten by Apply in place of x unless the activation only reads
// y (Tanh, Sigmoid, ReLU).
type Activation interface {
	Apply(y, x []float64)
	Grad(dx, dy, x, y []float64)
}

// Identity is f(x) = x.
type Identity struct{}

// ReLU is f(x) = max(x, 0), with derivative 0 at 0 as in PyTorch. NaN inputs
// stay NaN.
type ReLU struct{}

// LeakyReLU is f(x) = x for x > 0 and Slope·x otherwise. PyTorch's default
// slope is 0.01, TF1's 0.2; GoalGAN's discriminator uses 0.1.
type LeakyReLU struct{ Slope float64 }

// Tanh is the hyperbolic tangent.
type Tanh struct{}

// Sigmoid is the logistic function 1/(1+e^−x), computed without overflow.
type Sigmoid struct{}

// Softplus is f(x) = log(1+e^x), computed without overflow as
// max(x,0) + log1p(e^−|x|).
type Softplus struct{}

// GELU is the exact Gaussian error linear unit x·Φ(x) (PyTorch's default
// F.gelu, used by mrl's networks and so by SVGG's success predictor).
type GELU struct{}

// Apply implements Activation.
func (Identity) Apply(y, x []float64) { copy(y[:len(x)], x) }

// Grad implements Activation.
func (Identity) Grad(dx, dy, _, _ []float64) { copy(dx[:len(dy)], dy) }

// Apply implements Activation.
func (ReLU) Apply(y, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = max(v, 0)
	}
}

// Grad implements Activation.
func (ReLU) Grad(dx, dy, _, y []float64) {
	dx, y = dx[:len(dy)], y[:len(dy)]
	for i, g := range dy {
		if y[i] > 0 {
			dx[i] = g
		} else {
			dx[i] = 0
		}
	}
}

// Apply implements Activation.
func (l LeakyReLU) Apply(y, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		if v > 0 {
			y[i] = v
		} else {
			y[i] = l.Slope * v
		}
	}
}

// Grad implements Activation.
func (l LeakyReLU) Grad(dx, dy, x, _ []float64) {
	dx, x = dx[:len(dy)], x[:len(dy)]
	for i, g := range dy {
		if x[i] > 0 {
			dx[i] = g
		} else {
			dx[i] = l.Slope * g
		}
	}
}

// Apply implements Activation.
func (Tanh) Apply(y, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = math.Tanh(v)
	}
}

// Grad implements Activation.
func (Tanh) Grad(dx, dy, _, y []float64) {
	dx, y = dx[:len(dy)], y[:len(dy)]
	for i, g := range dy {
		dx[i] = g * (1 - y[i]*y[i])
	}
}

// Apply implements Activation.
func (Sigmoid) Apply(y, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = sigmoid(v)
	}
}

// Grad implements Activation.
func (Sigmoid) Grad(dx, dy, _, y []float64) {
	dx, y = dx[:len(dy)], y[:len(dy)]
	for i, g := range dy {
		dx[i] = g * y[i] * (1 - y[i])
	}
}

// Apply implements Activation.
func (Softplus) Apply(y, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = softplus(v)
	}
}

// Grad implements Activation.
func (Softplus) Grad(dx, dy, x, _ []float64) {
	dx, x = dx[:len(dy)], x[:len(dy)]
	for i, g := range dy {
		dx[i] = g * sigmoid(x[i])
	}
}

// Apply implements Activation.
func (GELU) Apply(y, x []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = 0.5 * v * (1 + math.Erf(v/math.Sqrt2))
	}
}

// Grad implements Activation.
func (GELU) Grad(dx, dy, x, _ []float64) {
	const invSqrt2Pi = 0.3989422804014327 // 1/√(2π)
	dx, x = dx[:len(dy)], x[:len(dy)]
	for i, g := range dy {
		v := x[i]
		dx[i] = g * (0.5*(1+math.Erf(v/math.Sqrt2)) + v*invSqrt2Pi*math.Exp(-0.5*v*v))
	}
}

// sigmoid is 1/(1+e^−x) without overflow for large |x|.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus is log(1+e^x) without overflow.
func softplus(x float64) float64 {
	return max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}
