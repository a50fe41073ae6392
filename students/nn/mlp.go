package nn

import (
	"fmt"
	"math/rand/v2"
)

// MLP is a multilayer perceptron: Dense layers with the Hidden activation
// after every layer but the last and the Output activation after the last.
// Networks built by NewLayerNormMLP also normalise every hidden layer's
// pre-activations (Dense → LayerNorm → Hidden).
//
// An MLP holds only parameters (as spans of its store); everything a
// forward pass computes goes into an MLPCache owned by the caller.
type MLP struct {
	Layers []*Dense
	// Norms[i] follows Layers[i] for the hidden layers of a network built by
	// NewLayerNormMLP; it is nil otherwise.
	Norms  []*LayerNorm
	Hidden Activation
	Output Activation
	span   Span
}

// NewMLP allocates in p an MLP with the given layer sizes (input, hidden...,
// output; at least two). A nil hidden activation means ReLU and a nil output
// activation Identity. Parameters are zero until Init is called.
func NewMLP(p *Params, sizes []int, hidden, output Activation) *MLP {
	return newMLP(p, sizes, hidden, output, false)
}

// NewLayerNormMLP is NewMLP with a LayerNorm between every hidden Dense
// layer and its activation (gain 1, bias 0): the layout of mrl's FCBody with
// a linear head, used by SVGG's success predictor.
func NewLayerNormMLP(p *Params, sizes []int, hidden, output Activation) *MLP {
	return newMLP(p, sizes, hidden, output, true)
}

func newMLP(p *Params, sizes []int, hidden, output Activation, norm bool) *MLP {
	if len(sizes) < 2 {
		panic(fmt.Sprintf("nn: MLP sizes %v: want at least an input and an output size", sizes))
	}
	for _, s := range sizes {
		if s <= 0 {
			panic(fmt.Sprintf("nn: MLP sizes %v: sizes must be positive", sizes))
		}
	}
	if hidden == nil {
		hidden = ReLU{}
	}
	if output == nil {
		output = Identity{}
	}
	start := p.Len()
	m := &MLP{Hidden: hidden, Output: output}
	for i := range len(sizes) - 1 {
		m.Layers = append(m.Layers, NewDense(p, sizes[i], sizes[i+1]))
		if norm && i < len(sizes)-2 {
			m.Norms = append(m.Norms, NewLayerNorm(p, sizes[i+1]))
		}
	}
	m.span = p.spanFrom(start)
	return m
}

// In returns the input width.
func (m *MLP) In() int { return m.Layers[0].In }

// Out returns the output width.
func (m *MLP) Out() int { return m.Layers[len(m.Layers)-1].Out }

// Span returns the range of the store holding the network's parameters.
func (m *MLP) Span() Span { return m.span }

// Init initialises every Dense layer with the weight and bias initialisers,
// in order from the input. LayerNorms are left at gain 1, bias 0. To give
// one layer a different scheme (PPO's 0.01-gain policy head), call
// Init on that layer afterwards.
func (m *MLP) Init(rng *rand.Rand, w, b Initializer) {
	for _, l := range m.Layers {
		l.Init(rng, w, b)
	}
}

// MLPCache holds what one forward pass of an MLP computed, for the backward
// pass. The zero value is ready to use; its buffers grow to the largest
// batch seen and are reused afterwards. A cache serves one network.
type MLPCache struct {
	net    *MLP
	batch  int
	x      []float64   // copy of the input
	pre    [][]float64 // Dense outputs
	act    [][]float64 // activation inputs: pre, or the LayerNorm output
	post   [][]float64 // activation outputs
	xhat   [][]float64 // LayerNorm saved state
	rstd   [][]float64
	g0, g1 []float64 // backward scratch, batch × widest layer
	dx     []float64
}

func (c *MLPCache) size(m *MLP, batch int) {
	if c.net != nil && c.net != m {
		panic("nn: an MLPCache used with two different networks")
	}
	c.net, c.batch = m, batch
	if batch*m.In() <= cap(c.x) {
		return
	}
	L := len(m.Layers)
	widest := m.In()
	c.x = make([]float64, batch*m.In())
	c.dx = make([]float64, batch*m.In())
	c.pre, c.act, c.post = make([][]float64, L), make([][]float64, L), make([][]float64, L)
	c.xhat, c.rstd = make([][]float64, len(m.Norms)), make([][]float64, len(m.Norms))
	for i, l := range m.Layers {
		widest = max(widest, l.Out)
		c.pre[i] = make([]float64, batch*l.Out)
		c.act[i] = c.pre[i]
		if i < len(m.Norms) {
			c.xhat[i] = make([]float64, batch*l.Out)
			c.rstd[i] = make([]float64, batch)
			c.act[i] = make([]float64, batch*l.Out)
		}
		c.post[i] = make([]float64, batch*l.Out)
	}
	c.g0 = make([]float64, batch*widest)
	c.g1 = make([]float64, batch*widest)
}

// Forward runs the network on batch rows of x (batch×In, row-major) and
// returns the outputs (batch×Out), which live in c until its next Forward.
// x is copied into c, so the caller may reuse it before Backward.
func (m *MLP) Forward(c *MLPCache, x []float64, batch int) []float64 {
	if batch <= 0 || len(x) < batch*m.In() {
		panic(fmt.Sprintf("nn: MLP.Forward: batch %d and len(x) = %d, want a positive batch and at least batch×%d values", batch, len(x), m.In()))
	}
	c.size(m, batch)
	in := c.x[:batch*m.In()]
	copy(in, x)
	last := len(m.Layers) - 1
	for i, l := range m.Layers {
		n := batch * l.Out
		pre, act, post := c.pre[i][:n], c.act[i][:n], c.post[i][:n]
		l.Forward(pre, in, batch)
		f := m.Output
		if i < last {
			f = m.Hidden
			if i < len(m.Norms) {
				m.Norms[i].Forward(act, c.xhat[i][:n], c.rstd[i][:batch], pre, batch)
			}
		}
		f.Apply(post, act)
		in = post
	}
	return in
}

// Backward takes dOut = ∂L/∂output (batch×Out) for the last Forward on c,
// adds the parameter gradients to the store and returns ∂L/∂input
// (batch×In), which lives in c until its next Backward or InputGrad. dOut
// must not be the output slice Forward returned: the backward pass reads
// that output.
func (m *MLP) Backward(c *MLPCache, dOut []float64) []float64 {
	return m.backward(c, dOut, true)
}

// InputGrad is Backward without the parameter gradients: it returns
// ∂L/∂input and leaves the store untouched.
func (m *MLP) InputGrad(c *MLPCache, dOut []float64) []float64 {
	return m.backward(c, dOut, false)
}

func (m *MLP) backward(c *MLPCache, dOut []float64, params bool) []float64 {
	if c.net != m {
		panic("nn: MLP backward pass with a cache this network did not fill")
	}
	batch := c.batch
	if len(dOut) < batch*m.Out() {
		panic(fmt.Sprintf("nn: MLP backward: len(dOut) = %d, want at least %d", len(dOut), batch*m.Out()))
	}
	last := len(m.Layers) - 1
	// g holds ∂L/∂(activation input) of layer i; other is scratch.
	g, other := c.g0, c.g1
	n := batch * m.Out()
	m.Output.Grad(g[:n], dOut[:n], c.act[last][:n], c.post[last][:n])
	for i := last; i >= 0; i-- {
		l := m.Layers[i]
		if i < len(m.Norms) {
			n := batch * l.Out
			clear(other[:n])
			m.Norms[i].backward(other[:n], g[:n], c.xhat[i][:n], c.rstd[i][:batch], batch, params)
			g, other = other, g
		}
		in, dIn := c.x, c.dx
		if i > 0 {
			in, dIn = c.post[i-1], other
		}
		nIn := batch * l.In
		dIn = dIn[:nIn]
		clear(dIn)
		if params {
			l.Backward(dIn, g[:batch*l.Out], in[:nIn], batch)
		} else {
			l.InputGrad(dIn, g[:batch*l.Out], batch)
		}
		if i > 0 {
			m.Hidden.Grad(dIn, dIn, c.act[i-1][:nIn], c.post[i-1][:nIn])
			g, other = other, g
		}
	}
	return c.dx[:batch*m.In()]
}

// Sizes returns the layer sizes the network was built with.
func (m *MLP) Sizes() []int {
	s := []int{m.In()}
	for _, l := range m.Layers {
		s = append(s, l.Out)
	}
	return s
}
