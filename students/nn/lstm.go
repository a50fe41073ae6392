package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// LSTM is a long short-term memory cell with PyTorch's conventions (nn.LSTM,
// nn.LSTMCell), without peepholes or projection. For input x and previous
// state (h, c), with gates stacked in the order i, f, g, o:
//
//	i  = σ(W_ii·x + b_ii + W_hi·h + b_hi)
//	f  = σ(W_if·x + b_if + W_hf·h + b_hf)
//	g  = tanh(W_ig·x + b_ig + W_hg·h + b_hg)
//	o  = σ(W_io·x + b_io + W_ho·h + b_ho)
//	c′ = f ⊙ c + i ⊙ g
//	h′ = o ⊙ tanh(c′)
//
// WIH is 4·Hidden×In and WHH 4·Hidden×Hidden (row-major, rows i, f, g, o),
// BIH and BHH have 4·Hidden entries. Keras initialises the forget-gate bias
// to 1 (unit_forget_bias) and TF1's LSTMCell adds a constant forget_bias of
// 1; both amount to adding 1 to BIH.Value()[Hidden:2*Hidden] after Init (up
// to weight decay on that bias).
//
// Sequences run batch-major through an LSTMCache exactly as for GRU.
type LSTM struct {
	In, Hidden         int
	WIH, WHH, BIH, BHH Span
	span               Span
}

// NewLSTM allocates an LSTM cell in p. Its parameters are zero until Init is
// called.
func NewLSTM(p *Params, in, hidden int) *LSTM {
	if in <= 0 || hidden <= 0 {
		panic(fmt.Sprintf("nn: NewLSTM(%d, %d): sizes must be positive", in, hidden))
	}
	start := p.Len()
	l := &LSTM{In: in, Hidden: hidden,
		WIH: p.Alloc(4 * hidden * in), WHH: p.Alloc(4 * hidden * hidden),
		BIH: p.Alloc(4 * hidden), BHH: p.Alloc(4 * hidden)}
	l.span = p.spanFrom(start)
	return l
}

// Init draws WIH (fans In, 4·Hidden) and WHH (fans Hidden, 4·Hidden) from w
// and the biases from b with the fans of their matrix. PyTorch's default is
// Uniform{−k, k} with k = 1/√Hidden for all four.
func (l *LSTM) Init(rng *rand.Rand, w, b Initializer) {
	H := l.Hidden
	w.Init(l.WIH.Value(), l.In, 4*H, rng)
	w.Init(l.WHH.Value(), H, 4*H, rng)
	b.Init(l.BIH.Value(), l.In, 4*H, rng)
	b.Init(l.BHH.Value(), H, 4*H, rng)
}

// Span returns the range of the store holding the cell's parameters.
func (l *LSTM) Span() Span { return l.span }

// LSTMCache records a sequence of LSTM steps for backpropagation through
// time. The zero value is ready to use; buffers grow to the largest batch
// and the longest sequence seen and are reused afterwards. A cache serves
// one cell.
type LSTMCache struct {
	net           *LSTM
	batch         int
	capBatch      int
	h0, c0        []float64
	dh0, dc0      []float64
	steps         []*lstmStep
	n             int
	gates, dgates []float64 // one row of pre-activations and their gradients, 4H
	dh, dhp       []float64 // gradient w.r.t. h_t and h_{t−1}, batch×H
	dc, dcp       []float64 // gradient w.r.t. c_t and c_{t−1}, batch×H
}

type lstmStep struct {
	x, h, c, i, f, g, o, cell, tc, out, dout, dx, mask []float64
	masked                                             bool
}

// Begin starts a new sequence in c from the initial state (h0, c0), each
// batch×Hidden; nil means zeros. It forgets the steps recorded before.
func (l *LSTM) Begin(c *LSTMCache, h0, c0 []float64, batch int) {
	if c.net != nil && c.net != l {
		panic("nn: an LSTMCache used with two different cells")
	}
	if batch <= 0 {
		panic(fmt.Sprintf("nn: LSTM.Begin: batch %d, want positive", batch))
	}
	H := l.Hidden
	c.net, c.n = l, 0
	if batch > c.capBatch {
		c.capBatch = batch
		c.steps = nil
		nh := batch * H
		c.h0, c.c0 = make([]float64, nh), make([]float64, nh)
		c.dh0, c.dc0 = make([]float64, nh), make([]float64, nh)
		c.dh, c.dhp = make([]float64, nh), make([]float64, nh)
		c.dc, c.dcp = make([]float64, nh), make([]float64, nh)
		c.gates, c.dgates = make([]float64, batch*4*H), make([]float64, batch*4*H)
	}
	c.batch = batch
	nh := batch * H
	setState(c.h0[:nh], h0, "LSTM.Begin", "h0")
	setState(c.c0[:nh], c0, "LSTM.Begin", "c0")
}

func (c *LSTMCache) step(in, H int) *lstmStep {
	if c.n == len(c.steps) {
		b := c.capBatch
		slab := make([]float64, b*(2*in+10*H+1))
		cut := func(n int) []float64 {
			s := slab[:n:n]
			slab = slab[n:]
			return s
		}
		c.steps = append(c.steps, &lstmStep{x: cut(b * in), dx: cut(b * in), h: cut(b * H), c: cut(b * H),
			i: cut(b * H), f: cut(b * H), g: cut(b * H), o: cut(b * H), cell: cut(b * H), tc: cut(b * H),
			out: cut(b * H), dout: cut(b * H), mask: cut(b)})
	}
	s := c.steps[c.n]
	c.n++
	return s
}

// Step advances the sequence by one step on x (batch×In) and returns the new
// hidden state h (batch×Hidden), which lives in c until the next Begin; the
// new cell state is Cell(t). If mask is not nil, row k of the previous h and
// c is multiplied by mask[k] first (0 resets an episode that ended);
// gradients flow through the mask.
func (l *LSTM) Step(c *LSTMCache, x, mask []float64) []float64 {
	if c.net != l {
		panic("nn: LSTM.Step before Begin on this cache")
	}
	batch, H, I := c.batch, l.Hidden, l.In
	nh := batch * H
	checkLen("LSTM.Step", "x", len(x), batch*I)
	prevH, prevC := c.h0, c.c0
	if c.n > 0 {
		p := c.steps[c.n-1]
		prevH, prevC = p.out, p.cell
	}
	s := c.step(I, H)
	copy(s.x, x[:batch*I])
	copy(s.h, prevH[:nh])
	copy(s.c, prevC[:nh])
	s.masked = mask != nil
	if s.masked {
		checkLen("LSTM.Step", "mask", len(mask), batch)
		copy(s.mask, mask[:batch])
		for b, m := range s.mask[:batch] {
			hb, cb := s.h[b*H:(b+1)*H], s.c[b*H:(b+1)*H]
			for j := range hb {
				hb[j] *= m
				cb[j] *= m
			}
		}
	}
	G := 4 * H
	a := c.gates[:batch*G]
	bih, bhh := l.BIH.Value(), l.BHH.Value()
	for b := range batch {
		ab := a[b*G : (b+1)*G]
		for j := range ab {
			ab[j] = bih[j] + bhh[j]
		}
	}
	mulAdd(a, l.WIH.Value(), s.x, batch, G, I)
	mulAdd(a, l.WHH.Value(), s.h, batch, G, H)
	for b := range batch {
		o := b * H
		ab := a[b*G : (b+1)*G]
		ig, fg, gg, og := s.i[o:o+H], s.f[o:o+H], s.g[o:o+H], s.o[o:o+H]
		cp, cell, tc, out := s.c[o:o+H], s.cell[o:o+H], s.tc[o:o+H], s.out[o:o+H]
		for j := range H {
			ig[j] = sigmoid(ab[j])
			fg[j] = sigmoid(ab[H+j])
			gg[j] = math.Tanh(ab[2*H+j])
			og[j] = sigmoid(ab[3*H+j])
			cell[j] = fg[j]*cp[j] + ig[j]*gg[j]
			tc[j] = math.Tanh(cell[j])
			out[j] = og[j] * tc[j]
		}
	}
	clear(s.dout[:nh])
	return s.out[:nh]
}

// Backward runs backpropagation through time over the steps recorded in c
// since Begin, from the last to the first. It reads the gradients the
// caller added to OutputGrad(t), adds the parameter gradients to the store,
// and leaves ∂L/∂x_t in InputGrad(t), ∂L/∂h0 in InitialGrad and ∂L/∂c0 in
// InitialCellGrad.
func (l *LSTM) Backward(c *LSTMCache) {
	if c.net != l {
		panic("nn: LSTM.Backward with a cache this cell did not fill")
	}
	batch, H, I := c.batch, l.Hidden, l.In
	nh := batch * H
	G := 4 * H
	gbih, gbhh := l.BIH.Grad(), l.BHH.Grad()
	da := c.dgates[:batch*G]
	nextH, prevH := c.dh[:nh], c.dhp[:nh]
	nextC, prevC := c.dc[:nh], c.dcp[:nh]
	clear(nextH)
	clear(nextC)
	for t := c.n - 1; t >= 0; t-- {
		s := c.steps[t]
		for b := range batch {
			o := b * H
			ig, fg, gg, og := s.i[o:o+H], s.f[o:o+H], s.g[o:o+H], s.o[o:o+H]
			cp, tc, dout := s.c[o:o+H], s.tc[o:o+H], s.dout[o:o+H]
			dhn, dcn, dcp := nextH[o:o+H], nextC[o:o+H], prevC[o:o+H]
			dab := da[b*G : (b+1)*G]
			for j := range H {
				dh := dout[j] + dhn[j]
				// h′ = o·tanh(c′), c′ = f·c + i·g
				dc := dcn[j] + dh*og[j]*(1-tc[j]*tc[j])
				dab[j] = dc * gg[j] * ig[j] * (1 - ig[j])
				dab[H+j] = dc * cp[j] * fg[j] * (1 - fg[j])
				dab[2*H+j] = dc * ig[j] * (1 - gg[j]*gg[j])
				dab[3*H+j] = dh * tc[j] * og[j] * (1 - og[j])
				dcp[j] = dc * fg[j]
			}
			for j, v := range dab {
				gbih[j] += v
				gbhh[j] += v
			}
		}
		outerAdd(l.WIH.Grad(), da, s.x, batch, G, I)
		outerAdd(l.WHH.Grad(), da, s.h, batch, G, H)
		dx := s.dx[:batch*I]
		clear(dx)
		mulTAdd(dx, l.WIH.Value(), da, batch, G, I)
		clear(prevH)
		mulTAdd(prevH, l.WHH.Value(), da, batch, G, H)
		if s.masked {
			for b, m := range s.mask[:batch] {
				dhp, dcp := prevH[b*H:(b+1)*H], prevC[b*H:(b+1)*H]
				for j := range dhp {
					dhp[j] *= m
					dcp[j] *= m
				}
			}
		}
		nextH, prevH = prevH, nextH
		nextC, prevC = prevC, nextC
	}
	copy(c.dh0[:nh], nextH)
	copy(c.dc0[:nh], nextC)
}

// Len returns the number of steps recorded since Begin.
func (c *LSTMCache) Len() int { return c.n }

// Batch returns the batch size given to Begin.
func (c *LSTMCache) Batch() int { return c.batch }

// Output returns the hidden state h after step t (batch×Hidden).
func (c *LSTMCache) Output(t int) []float64 { return c.steps[c.at(t)].out[:c.batch*c.net.Hidden] }

// Cell returns the cell state c after step t (batch×Hidden).
func (c *LSTMCache) Cell(t int) []float64 { return c.steps[c.at(t)].cell[:c.batch*c.net.Hidden] }

// OutputGrad returns the buffer (batch×Hidden) to which the caller adds
// ∂L/∂h_t from outside the recurrence. Step clears it.
func (c *LSTMCache) OutputGrad(t int) []float64 {
	return c.steps[c.at(t)].dout[:c.batch*c.net.Hidden]
}

// InputGrad returns ∂L/∂x_t (batch×In) after Backward.
func (c *LSTMCache) InputGrad(t int) []float64 { return c.steps[c.at(t)].dx[:c.batch*c.net.In] }

// InitialGrad returns ∂L/∂h0 (batch×Hidden) after Backward.
func (c *LSTMCache) InitialGrad() []float64 { return c.dh0[:c.batch*c.net.Hidden] }

// InitialCellGrad returns ∂L/∂c0 (batch×Hidden) after Backward.
func (c *LSTMCache) InitialCellGrad() []float64 { return c.dc0[:c.batch*c.net.Hidden] }

func (c *LSTMCache) at(t int) int {
	if t < 0 || t >= c.n {
		panic(fmt.Sprintf("nn: step %d of a sequence of %d", t, c.n))
	}
	return t
}
