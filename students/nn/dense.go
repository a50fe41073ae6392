package nn

import (
	"fmt"
	"math/rand/v2"
)

// Dense is a fully connected layer y = x·Wᵀ + b over a batch: x is
// batch×In and y batch×Out, both row-major. W is stored Out×In row-major
// and b has Out entries, the layout of PyTorch's nn.Linear.
//
// A Dense holds no per-call state: Forward and Backward work on
// caller-owned slices, and the caller keeps the input x for Backward.
type Dense struct {
	In, Out int
	W, B    Span
}

// NewDense allocates an in→out layer in p. Its parameters are zero until
// Init is called.
func NewDense(p *Params, in, out int) *Dense {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn: NewDense(%d, %d): sizes must be positive", in, out))
	}
	return &Dense{In: in, Out: out, W: p.Alloc(out * in), B: p.Alloc(out)}
}

// Init draws the weights from w and the biases from b.
func (d *Dense) Init(rng *rand.Rand, w, b Initializer) {
	w.Init(d.W.Value(), d.In, d.Out, rng)
	b.Init(d.B.Value(), d.In, d.Out, rng)
}

// Forward sets y = x·Wᵀ + b for batch rows.
func (d *Dense) Forward(y, x []float64, batch int) {
	d.check("Forward", "x", x, batch*d.In)
	d.check("Forward", "y", y, batch*d.Out)
	b := d.B.Value()
	for r := range batch {
		copy(y[r*d.Out:(r+1)*d.Out], b)
	}
	mulAdd(y, d.W.Value(), x, batch, d.Out, d.In)
}

// Backward takes dy = ∂L/∂y for the batch that produced y from x, adds
// ∂L/∂W and ∂L/∂b to the parameter gradients, and adds ∂L/∂x = dy·W to dx
// unless dx is nil. Input gradients are added, like parameter gradients, so
// that every consumer of one input can contribute: clear dx first.
func (d *Dense) Backward(dx, dy, x []float64, batch int) {
	d.check("Backward", "dy", dy, batch*d.Out)
	d.check("Backward", "x", x, batch*d.In)
	gb := d.B.Grad()
	for r := range batch {
		for j, g := range dy[r*d.Out : (r+1)*d.Out] {
			gb[j] += g
		}
	}
	outerAdd(d.W.Grad(), dy, x, batch, d.Out, d.In)
	if dx != nil {
		d.InputGrad(dx, dy, batch)
	}
}

// InputGrad adds ∂L/∂x = dy·W to dx without touching the parameter
// gradients: the gradient of a frozen network with respect to its input
// (a GAN generator's loss through the discriminator, SVGG's gradients of
// the success predictor with respect to goals).
func (d *Dense) InputGrad(dx, dy []float64, batch int) {
	d.check("InputGrad", "dy", dy, batch*d.Out)
	d.check("InputGrad", "dx", dx, batch*d.In)
	mulTAdd(dx, d.W.Value(), dy, batch, d.Out, d.In)
}

func (d *Dense) check(op, name string, s []float64, want int) {
	if len(s) < want {
		panic(fmt.Sprintf("nn: Dense(%d→%d).%s: len(%s) = %d, want at least %d", d.In, d.Out, op, name, len(s), want))
	}
}
