package settersolver

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
)

// highway is the coupling network of the setter (Zilly et al., "Recurrent
// Highway Networks", 2017, as in the Setter-Solver building blocks): a linear
// layer to the hidden width followed by tanh, blocks highway blocks
//
//	[a, b] = W·y + c   (one linear layer to twice the hidden width, split in halves)
//	y ← y + (tanh(a) − y)·σ(b)
//
// and a linear output layer. Like nn.MLP it holds only parameters; a forward
// pass keeps what its backward pass needs in a highwayCache owned by the
// caller.
type highway struct {
	hidden int
	first  *nn.Dense   // in → hidden
	gates  []*nn.Dense // hidden → 2·hidden, one per block
	last   *nn.Dense   // hidden → out
}

// newHighway allocates in p a highway network in → hidden → out with blocks
// highway blocks. Its parameters are zero until init is called.
func newHighway(p *nn.Params, in, hidden, out, blocks int) *highway {
	h := &highway{hidden: hidden, first: nn.NewDense(p, in, hidden)}
	for range blocks {
		h.gates = append(h.gates, nn.NewDense(p, hidden, 2*hidden))
	}
	h.last = nn.NewDense(p, hidden, out)
	return h
}

// init draws every weight matrix from w and sets the biases to zero (Sonnet's
// Linear defaults, with w its truncated normal).
func (h *highway) init(rng *rand.Rand, w nn.Initializer) {
	h.first.Init(rng, w, nn.Zeros{})
	for _, g := range h.gates {
		g.Init(rng, w, nn.Zeros{})
	}
	h.last.Init(rng, w, nn.Zeros{})
}

func (h *highway) in() int  { return h.first.In }
func (h *highway) out() int { return h.last.Out }

// highwayCache holds one forward pass of a highway network. The zero value
// is ready to use; buffers grow to the largest batch seen.
type highwayCache struct {
	batch int
	x     []float64   // the input, batch × in
	y     [][]float64 // y[0] = tanh(first(x)); y[k+1] after block k; batch × hidden
	ab    [][]float64 // per block: the pre-activations [a, b] per row, batch × 2·hidden
	ta    [][]float64 // per block: tanh(a), batch × hidden
	gate  [][]float64 // per block: σ(b), batch × hidden
	out   []float64   // batch × out
	dy    []float64   // backward scratch, batch × hidden
	dab   []float64   // backward scratch, batch × 2·hidden
	dx    []float64   // ∂L/∂x, batch × in
}

func (c *highwayCache) size(h *highway, batch int) {
	c.batch = batch
	if cap(c.x) >= batch*h.in() && len(c.y) == len(h.gates)+1 && cap(c.out) >= batch*h.out() {
		return
	}
	n := batch * h.hidden
	c.x = make([]float64, batch*h.in())
	c.dx = make([]float64, batch*h.in())
	c.out = make([]float64, batch*h.out())
	c.y = make([][]float64, len(h.gates)+1)
	for i := range c.y {
		c.y[i] = make([]float64, n)
	}
	c.ab, c.ta, c.gate = make([][]float64, len(h.gates)), make([][]float64, len(h.gates)), make([][]float64, len(h.gates))
	for i := range h.gates {
		c.ab[i] = make([]float64, 2*n)
		c.ta[i] = make([]float64, n)
		c.gate[i] = make([]float64, n)
	}
	c.dy = make([]float64, n)
	c.dab = make([]float64, 2*n)
}

// forward runs the network on batch rows of x and returns the outputs
// (batch × out), which live in c until its next forward.
func (h *highway) forward(c *highwayCache, x []float64, batch int) []float64 {
	c.size(h, batch)
	hid := h.hidden
	n := batch * hid
	xin := c.x[:batch*h.in()]
	copy(xin, x)
	y := c.y[0][:n]
	h.first.Forward(y, xin, batch)
	nn.Tanh{}.Apply(y, y)
	for k, g := range h.gates {
		ab, ta, gate, next := c.ab[k][:2*n], c.ta[k][:n], c.gate[k][:n], c.y[k+1][:n]
		g.Forward(ab, y, batch)
		for r := range batch {
			row := ab[r*2*hid : (r+1)*2*hid]
			for j := range hid {
				i := r*hid + j
				t := math.Tanh(row[j])
				s := sigmoid(row[hid+j])
				ta[i], gate[i] = t, s
				next[i] = y[i] + (t-y[i])*s
			}
		}
		y = next
	}
	out := c.out[:batch*h.out()]
	h.last.Forward(out, y, batch)
	return out
}

// backward takes dOut = ∂L/∂out for the last forward on c, adds the
// parameter gradients to the store and returns ∂L/∂x (batch × in), which
// lives in c until its next backward.
func (h *highway) backward(c *highwayCache, dOut []float64) []float64 {
	batch, hid := c.batch, h.hidden
	n := batch * hid
	last := len(h.gates)
	dy := c.dy[:n]
	clear(dy)
	h.last.Backward(dy, dOut[:batch*h.out()], c.y[last][:n], batch)
	for k := last - 1; k >= 0; k-- {
		y, ta, gate, dab := c.y[k][:n], c.ta[k][:n], c.gate[k][:n], c.dab[:2*n]
		// y' = y·(1−s) + tanh(a)·s: the direct path keeps dy'·(1−s); the
		// gate layer adds Wᵀ·[da, db].
		for r := range batch {
			row := dab[r*2*hid : (r+1)*2*hid]
			for j := range hid {
				i := r*hid + j
				g, t, s := dy[i], ta[i], gate[i]
				row[j] = g * s * (1 - t*t)
				row[hid+j] = g * (t - y[i]) * s * (1 - s)
				dy[i] = g * (1 - s)
			}
		}
		h.gates[k].Backward(dy, dab, y, batch)
	}
	y0 := c.y[0][:n]
	for i, v := range y0 {
		dy[i] *= 1 - v*v
	}
	dx := c.dx[:batch*h.in()]
	clear(dx)
	h.first.Backward(dx, dy, c.x[:batch*h.in()], batch)
	return dx
}

// truncatedNormal draws weights from N(0, σ²) with σ = 1/√fanIn, redrawing
// values beyond two standard deviations: TF1's truncated_normal_initializer
// as Sonnet 1's Linear uses it by default (for the judge and the setter's
// highway networks).
type truncatedNormal struct{}

// Init implements nn.Initializer.
func (truncatedNormal) Init(dst []float64, fanIn, _ int, rng *rand.Rand) {
	if fanIn <= 0 {
		panic(fmt.Sprintf("settersolver: truncated normal with fan-in %d", fanIn))
	}
	std := 1 / math.Sqrt(float64(fanIn))
	for i := range dst {
		v := rng.NormFloat64()
		for math.Abs(v) > 2 {
			v = rng.NormFloat64()
		}
		dst[i] = std * v
	}
}

// sigmoid is 1/(1+e^−x) without overflow.
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
