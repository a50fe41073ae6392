package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// GRU is a gated recurrent unit cell with PyTorch's conventions (nn.GRU,
// nn.GRUCell). For input x and previous state h, with gates stacked in the
// order r, z, n:
//
//	r  = σ(W_ir·x + b_ir + W_hr·h + b_hr)
//	z  = σ(W_iz·x + b_iz + W_hz·h + b_hz)
//	n  = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))
//	h′ = (1 − z) ⊙ n + z ⊙ h
//
// WIH is 3·Hidden×In and WHH 3·Hidden×Hidden (row-major, rows r, z, n),
// BIH and BHH have 3·Hidden entries. Note that r multiplies W_hn·h + b_hn,
// as in PyTorch and cuDNN (TF1's GRUCell applies r to h before the product).
//
// Sequences run batch-major through a GRUCache: Begin sets the initial
// state, each Step consumes one batch×In input, and Backward runs
// backpropagation through time over all recorded steps.
type GRU struct {
	In, Hidden         int
	WIH, WHH, BIH, BHH Span
	span               Span
}

// NewGRU allocates a GRU cell in p. Its parameters are zero until Init is
// called.
func NewGRU(p *Params, in, hidden int) *GRU {
	if in <= 0 || hidden <= 0 {
		panic(fmt.Sprintf("nn: NewGRU(%d, %d): sizes must be positive", in, hidden))
	}
	start := p.Len()
	g := &GRU{In: in, Hidden: hidden,
		WIH: p.Alloc(3 * hidden * in), WHH: p.Alloc(3 * hidden * hidden),
		BIH: p.Alloc(3 * hidden), BHH: p.Alloc(3 * hidden)}
	g.span = p.spanFrom(start)
	return g
}

// Init draws WIH (fans In, 3·Hidden) and WHH (fans Hidden, 3·Hidden) from w
// and the biases from b with the fans of their matrix. PyTorch's default is
// Uniform{−k, k} with k = 1/√Hidden for all four.
func (g *GRU) Init(rng *rand.Rand, w, b Initializer) {
	H := g.Hidden
	w.Init(g.WIH.Value(), g.In, 3*H, rng)
	w.Init(g.WHH.Value(), H, 3*H, rng)
	b.Init(g.BIH.Value(), g.In, 3*H, rng)
	b.Init(g.BHH.Value(), H, 3*H, rng)
}

// Span returns the range of the store holding the cell's parameters.
func (g *GRU) Span() Span { return g.span }

// GRUCache records a sequence of GRU steps for backpropagation through time.
// The zero value is ready to use; buffers grow to the largest batch and the
// longest sequence seen and are reused afterwards. A cache serves one cell.
type GRUCache struct {
	net      *GRU
	batch    int
	capBatch int
	h0, dh0  []float64
	steps    []*gruStep
	n        int
	gi, gh   []float64 // input and hidden pre-activations, batch×3H
	dgi, dgh []float64 // their gradients, batch×3H
	dh, dhp  []float64 // gradient w.r.t. the current and previous state, batch×H
}

type gruStep struct {
	x, h, r, z, n, hn, out, dout, dx, mask []float64
	masked                                 bool
}

// Begin starts a new sequence in c from the initial state h0 (batch×Hidden;
// nil means zeros). It forgets the steps recorded before.
func (g *GRU) Begin(c *GRUCache, h0 []float64, batch int) {
	if c.net != nil && c.net != g {
		panic("nn: a GRUCache used with two different cells")
	}
	if batch <= 0 {
		panic(fmt.Sprintf("nn: GRU.Begin: batch %d, want positive", batch))
	}
	H := g.Hidden
	c.net, c.n = g, 0
	if batch > c.capBatch {
		c.capBatch = batch
		c.steps = nil
		c.h0 = make([]float64, batch*H)
		c.dh0 = make([]float64, batch*H)
		c.dh = make([]float64, batch*H)
		c.dhp = make([]float64, batch*H)
		c.gi, c.gh = make([]float64, batch*3*H), make([]float64, batch*3*H)
		c.dgi, c.dgh = make([]float64, batch*3*H), make([]float64, batch*3*H)
	}
	c.batch = batch
	setState(c.h0[:batch*H], h0, "GRU.Begin", "h0")
}

func (c *GRUCache) step(in, H int) *gruStep {
	if c.n == len(c.steps) {
		b := c.capBatch
		slab := make([]float64, b*(2*in+7*H+1))
		cut := func(n int) []float64 {
			s := slab[:n:n]
			slab = slab[n:]
			return s
		}
		c.steps = append(c.steps, &gruStep{x: cut(b * in), dx: cut(b * in), h: cut(b * H), r: cut(b * H),
			z: cut(b * H), n: cut(b * H), hn: cut(b * H), out: cut(b * H), dout: cut(b * H), mask: cut(b)})
	}
	s := c.steps[c.n]
	c.n++
	return s
}

// Step advances the sequence by one step on x (batch×In) and returns the new
// state (batch×Hidden), which lives in c until the next Begin. If mask is not
// nil, row i of the previous state is multiplied by mask[i] first (0 resets
// the state of an episode that ended, as in recurrent PPO); gradients flow
// through the mask.
func (g *GRU) Step(c *GRUCache, x, mask []float64) []float64 {
	if c.net != g {
		panic("nn: GRU.Step before Begin on this cache")
	}
	batch, H, I := c.batch, g.Hidden, g.In
	checkLen("GRU.Step", "x", len(x), batch*I)
	prev := c.h0
	if c.n > 0 {
		prev = c.steps[c.n-1].out
	}
	s := c.step(I, H)
	copy(s.x, x[:batch*I])
	copy(s.h, prev[:batch*H])
	s.masked = mask != nil
	if s.masked {
		checkLen("GRU.Step", "mask", len(mask), batch)
		copy(s.mask, mask[:batch])
		for b, m := range s.mask[:batch] {
			hb := s.h[b*H : (b+1)*H]
			for j := range hb {
				hb[j] *= m
			}
		}
	}
	G := 3 * H
	gi, gh := c.gi[:batch*G], c.gh[:batch*G]
	bih, bhh := g.BIH.Value(), g.BHH.Value()
	for b := range batch {
		copy(gi[b*G:(b+1)*G], bih)
		copy(gh[b*G:(b+1)*G], bhh)
	}
	mulAdd(gi, g.WIH.Value(), s.x, batch, G, I)
	mulAdd(gh, g.WHH.Value(), s.h, batch, G, H)
	for b := range batch {
		o := b * H
		gib, ghb, hb := gi[b*G:(b+1)*G], gh[b*G:(b+1)*G], s.h[o:o+H]
		r, z, n, hn, out := s.r[o:o+H], s.z[o:o+H], s.n[o:o+H], s.hn[o:o+H], s.out[o:o+H]
		for j := range H {
			rj := sigmoid(gib[j] + ghb[j])
			zj := sigmoid(gib[H+j] + ghb[H+j])
			hnj := ghb[2*H+j]
			nj := math.Tanh(gib[2*H+j] + rj*hnj)
			r[j], z[j], hn[j], n[j] = rj, zj, hnj, nj
			out[j] = (1-zj)*nj + zj*hb[j]
		}
	}
	clear(s.dout[:batch*H])
	return s.out[:batch*H]
}

// Backward runs backpropagation through time over the steps recorded in c
// since Begin, from the last to the first. It reads the gradients the
// caller added to OutputGrad(t) for each step, adds the parameter gradients
// to the store, and leaves ∂L/∂x_t in InputGrad(t) and ∂L/∂h0 in
// InitialGrad.
func (g *GRU) Backward(c *GRUCache) {
	if c.net != g {
		panic("nn: GRU.Backward with a cache this cell did not fill")
	}
	batch, H, I := c.batch, g.Hidden, g.In
	nh := batch * H
	G := 3 * H
	gbih, gbhh := g.BIH.Grad(), g.BHH.Grad()
	dgi, dgh := c.dgi[:batch*G], c.dgh[:batch*G]
	next, prev := c.dh[:nh], c.dhp[:nh] // ∂L/∂h_t from later steps; ∂L/∂h_{t−1}
	clear(next)
	for t := c.n - 1; t >= 0; t-- {
		s := c.steps[t]
		for b := range batch {
			o := b * H
			r, z, n, hn := s.r[o:o+H], s.z[o:o+H], s.n[o:o+H], s.hn[o:o+H]
			hb, dout, dn, dp := s.h[o:o+H], s.dout[o:o+H], next[o:o+H], prev[o:o+H]
			dgib, dghb := dgi[b*G:(b+1)*G], dgh[b*G:(b+1)*G]
			for j := range H {
				dh := dout[j] + dn[j]
				// h′ = (1−z)·n + z·h
				dnj := dh * (1 - z[j])
				dzj := dh * (hb[j] - n[j])
				dp[j] = dh * z[j]
				// n = tanh(a_n + r·hn)
				da := dnj * (1 - n[j]*n[j])
				dar := da * hn[j] * r[j] * (1 - r[j])
				daz := dzj * z[j] * (1 - z[j])
				dgib[j], dgib[H+j], dgib[2*H+j] = dar, daz, da
				dghb[j], dghb[H+j], dghb[2*H+j] = dar, daz, da*r[j]
			}
			for j := range G {
				gbih[j] += dgib[j]
				gbhh[j] += dghb[j]
			}
		}
		outerAdd(g.WIH.Grad(), dgi, s.x, batch, G, I)
		outerAdd(g.WHH.Grad(), dgh, s.h, batch, G, H)
		dx := s.dx[:batch*I]
		clear(dx)
		mulTAdd(dx, g.WIH.Value(), dgi, batch, G, I)
		mulTAdd(prev, g.WHH.Value(), dgh, batch, G, H)
		if s.masked {
			for b, m := range s.mask[:batch] {
				dp := prev[b*H : (b+1)*H]
				for j := range dp {
					dp[j] *= m
				}
			}
		}
		next, prev = prev, next
	}
	copy(c.dh0[:nh], next)
}

// Len returns the number of steps recorded since Begin.
func (c *GRUCache) Len() int { return c.n }

// Batch returns the batch size given to Begin.
func (c *GRUCache) Batch() int { return c.batch }

// Output returns the state after step t (batch×Hidden), as Step returned it.
func (c *GRUCache) Output(t int) []float64 { return c.steps[c.at(t)].out[:c.batch*c.net.Hidden] }

// OutputGrad returns the buffer (batch×Hidden) to which the caller adds
// ∂L/∂h_t, the loss gradient with respect to the output of step t from
// outside the recurrence (heads reading h_t). Step clears it.
func (c *GRUCache) OutputGrad(t int) []float64 {
	return c.steps[c.at(t)].dout[:c.batch*c.net.Hidden]
}

// InputGrad returns ∂L/∂x_t (batch×In) after Backward.
func (c *GRUCache) InputGrad(t int) []float64 { return c.steps[c.at(t)].dx[:c.batch*c.net.In] }

// InitialGrad returns ∂L/∂h0 (batch×Hidden) after Backward.
func (c *GRUCache) InitialGrad() []float64 { return c.dh0[:c.batch*c.net.Hidden] }

func (c *GRUCache) at(t int) int {
	if t < 0 || t >= c.n {
		panic(fmt.Sprintf("nn: step %d of a sequence of %d", t, c.n))
	}
	return t
}

// setState copies an initial state into dst, or clears dst if src is nil.
func setState(dst, src []float64, fn, name string) {
	if src == nil {
		clear(dst)
		return
	}
	checkLen(fn, name, len(src), len(dst))
	copy(dst, src[:len(dst)])
}
