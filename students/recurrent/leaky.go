package recurrent

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
)

// Leaky is the leaky recurrent layer of the timescale paper (RNN_Stack): for
// input x and previous state h, with τ̂ = max(τ, 1) per unit,
//
//	u  = W·h + b + W_in·x + b_in
//	z  = (1 − 1/τ̂) ⊙ h + u / τ̂
//	h′ = LeakyReLU(z)
//
// W is Hidden×Hidden with its diagonal held at zero (ZeroDiagonal; the
// reference zeroes it at every forward call), W_in is Hidden×In, and τ has
// one entry per unit. With trainable τ the gradient reaches τ where τ ≥ 1
// (torch.clamp passes the gradient on its boundary); a fixed τ lives outside
// the parameter store.
type Leaky struct {
	In, Hidden int
	// Input is W_in, b_in; Rec is W, b.
	Input, Rec *nn.Dense
	// Tau holds τ: a span of the store when trainable, else a plain slice.
	tau     []float64
	tauSpan nn.Span
	train   bool
	slope   float64
}

// NewLeaky allocates a leaky layer in p: W_in, b_in, W, b and, when trainTau
// is set, τ. LeakyReLU has the given negative slope (PyTorch's default is
// 0.01). Parameters are zero and τ is 1 until Init.
func NewLeaky(p *nn.Params, in, hidden int, trainTau bool, slope float64) *Leaky {
	if in <= 0 || hidden <= 0 {
		panic(fmt.Sprintf("recurrent: NewLeaky(%d, %d): sizes must be positive", in, hidden))
	}
	l := &Leaky{In: in, Hidden: hidden, Input: nn.NewDense(p, in, hidden), Rec: nn.NewDense(p, hidden, hidden), train: trainTau, slope: slope}
	if trainTau {
		l.tauSpan = p.Alloc(hidden)
	} else {
		l.tau = make([]float64, hidden)
	}
	nn.Constant(1).Init(l.Tau(), 0, 0, nil)
	return l
}

// Init draws W_in, b_in, W and b from PyTorch's nn.Linear default, τ
// uniformly from [tauLo, tauHi] when trainable (the reference: 1 + U(0, 1)),
// and zeroes the diagonal of W. A fixed τ stays at 1, the reference's fixed
// tau.
func (l *Leaky) Init(rng *rand.Rand, tauLo, tauHi float64) {
	l.Input.Init(rng, nn.TorchLinear{}, nn.TorchLinear{})
	l.Rec.Init(rng, nn.TorchLinear{}, nn.TorchLinear{})
	if l.train {
		nn.Uniform{Min: tauLo, Max: tauHi}.Init(l.Tau(), 0, 0, rng)
	}
	l.ZeroDiagonal()
}

// Tau returns τ, one value per unit (a view into the store when trainable).
func (l *Leaky) Tau() []float64 {
	if l.train {
		return l.tauSpan.Value()
	}
	return l.tau
}

// TauGrad returns the gradient of τ, or nil when τ is fixed.
func (l *Leaky) TauGrad() []float64 {
	if l.train {
		return l.tauSpan.Grad()
	}
	return nil
}

// ZeroDiagonal sets the self-connections W_ii to zero.
func (l *Leaky) ZeroDiagonal() {
	w := l.Rec.W.Value()
	for i := range l.Hidden {
		w[i*l.Hidden+i] = 0
	}
}

// ZeroDiagonalGrad sets the gradients of the self-connections to zero, so
// that the gradient is that of the constrained model.
func (l *Leaky) ZeroDiagonalGrad() {
	g := l.Rec.W.Grad()
	for i := range l.Hidden {
		g[i*l.Hidden+i] = 0
	}
}

// LeakyCache records a forward pass over a sequence for the backward pass.
// The zero value is ready to use; its buffers grow to the largest batch and
// longest sequence seen.
type LeakyCache struct {
	steps, batch int
	x            []float64 // inputs, time-major steps×batch×In
	h            []float64 // states, (steps+1)×batch×Hidden; h[0] = h0
	z            []float64 // pre-activations, steps×batch×Hidden
	drive        []float64 // batch×Hidden scratch
	dh, dp, du   []float64 // batch×Hidden gradients
	tc           []float64 // clamped τ per unit
}

func (c *LeakyCache) size(steps, batch, in, hidden int) {
	c.steps, c.batch = steps, batch
	nh := batch * hidden
	c.x = grow(c.x, steps*batch*in)
	c.h = grow(c.h, (steps+1)*nh)
	c.z = grow(c.z, steps*nh)
	c.drive = grow(c.drive, nh)
	c.dh = grow(c.dh, nh)
	c.dp = grow(c.dp, nh)
	c.du = grow(c.du, nh)
	c.tc = grow(c.tc, hidden)
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// Forward runs the layer over steps inputs x (time-major: steps×batch×In)
// from the initial state h0 (batch×Hidden) and returns the last state
// (batch×Hidden), which lives in c until its next Forward. x and h0 are
// copied.
func (l *Leaky) Forward(c *LeakyCache, x []float64, steps, batch int, h0 []float64) []float64 {
	H, I := l.Hidden, l.In
	if steps < 1 || batch < 1 || len(x) < steps*batch*I || len(h0) < batch*H {
		panic(fmt.Sprintf("recurrent: Leaky.Forward: %d steps of batch %d with len(x) = %d, len(h0) = %d", steps, batch, len(x), len(h0)))
	}
	c.size(steps, batch, I, H)
	copy(c.x, x[:steps*batch*I])
	nh := batch * H
	copy(c.h[:nh], h0)
	for j, t := range l.Tau() {
		c.tc[j] = max(t, 1)
	}
	tc := c.tc
	for t := range steps {
		hp, hn, z := c.h[t*nh:(t+1)*nh], c.h[(t+1)*nh:(t+2)*nh], c.z[t*nh:(t+1)*nh]
		l.Rec.Forward(z, hp, batch)
		l.Input.Forward(c.drive, c.x[t*batch*I:(t+1)*batch*I], batch)
		for r := range batch {
			o := r * H
			hr, zr, dr, nr := hp[o:o+H], z[o:o+H], c.drive[o:o+H], hn[o:o+H]
			for j := range H {
				v := (1-1/tc[j])*hr[j] + (zr[j]+dr[j])/tc[j]
				zr[j] = v
				if v > 0 {
					nr[j] = v
				} else {
					nr[j] = l.slope * v
				}
			}
		}
	}
	return c.h[steps*nh : (steps+1)*nh]
}

// Backward takes dhT = ∂L/∂h_T for the last state of the sequence recorded
// in c, adds the parameter gradients (τ's too when trainable) to the store
// and returns ∂L/∂h0 (batch×Hidden, valid until the next call on c).
func (l *Leaky) Backward(c *LeakyCache, dhT []float64) []float64 {
	H, I, batch := l.Hidden, l.In, c.batch
	nh := batch * H
	if len(dhT) < nh {
		panic(fmt.Sprintf("recurrent: Leaky.Backward: len(dhT) = %d, want %d", len(dhT), nh))
	}
	dh, dp, du := c.dh[:nh], c.dp[:nh], c.du[:nh]
	copy(dh, dhT)
	tc, tau, gtau := c.tc, l.Tau(), l.TauGrad()
	for t := c.steps - 1; t >= 0; t-- {
		hp, z := c.h[t*nh:(t+1)*nh], c.z[t*nh:(t+1)*nh]
		for r := range batch {
			o := r * H
			hr, zr, dhr, dpr, dur := hp[o:o+H], z[o:o+H], dh[o:o+H], dp[o:o+H], du[o:o+H]
			for j := range H {
				dz := dhr[j]
				if zr[j] <= 0 {
					dz *= l.slope
				}
				dur[j] = dz / tc[j]
				dpr[j] = dz * (1 - 1/tc[j])
				// ∂z/∂τ̂ = (h − u)/τ̂² = −(z − h)/τ̂.
				if gtau != nil && tau[j] >= 1 {
					gtau[j] -= dz * (zr[j] - hr[j]) / tc[j]
				}
			}
		}
		l.Rec.Backward(dp, du, hp, batch)
		l.Input.Backward(nil, du, c.x[t*batch*I:(t+1)*batch*I], batch)
		dh, dp = dp, dh
	}
	return dh
}
