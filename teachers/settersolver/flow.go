package settersolver

import (
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
)

// flow is the setter: a conditional RealNVP (Dinh, Sohl-Dickstein and
// Bengio, "Density estimation using Real NVP", ICLR 2017) over R^d followed by
// an element-wise sigmoid, so that goals lie in (0,1)^d. It maps a latent
// z ~ N(0, I) and a condition f (the requested feasibility) to a goal, and
// tracks the log-density of the goal under the flow:
//
//	log p(goal | f) = −½‖z‖² − Σ_couplings Σ log scale − Σ log σ′(x)
//
// with x the pre-sigmoid output (no −d/2·log 2π constant, as the reference).
//
// The flow is blocks blocks of three affine couplings: left→right (the first
// d/2 coordinates condition the others), right→left (the reverse) and
// interlaced (odd coordinates condition even ones). A coupling with
// conditioning coordinates A and transformed coordinates T computes, from
// in = [x_A, f],
//
//	scale = minScale + softplusAtan(S(in)),   y_T = x_T·scale + T(in),   y_A = x_A
//
// where S and T are highway networks. A coupling with nothing to transform
// (right→left in one dimension) is the identity and is left out.
type flow struct {
	d         int
	minScale  float64
	couplings []*coupling
}

// coupling is one affine coupling layer.
type coupling struct {
	cond, trans []int // coordinates A that condition, T that are transformed
	s, t        *highway
}

// newFlow allocates in p a flow over d dimensions.
func newFlow(p *nn.Params, d, blocks, hidden, highwayBlocks int, minScale float64) *flow {
	f := &flow{d: d, minScale: minScale}
	n1 := d / 2
	var left, right, even, odd []int
	for i := range d {
		if i < n1 {
			left = append(left, i)
		} else {
			right = append(right, i)
		}
		if i%2 == 0 {
			even = append(even, i)
		} else {
			odd = append(odd, i)
		}
	}
	for range blocks {
		for _, ct := range [][2][]int{{left, right}, {right, left}, {odd, even}} {
			cond, trans := ct[0], ct[1]
			if len(trans) == 0 {
				continue
			}
			in := len(cond) + 1
			f.couplings = append(f.couplings, &coupling{
				cond:  cond,
				trans: trans,
				s:     newHighway(p, in, hidden, len(trans), highwayBlocks),
				t:     newHighway(p, in, hidden, len(trans), highwayBlocks),
			})
		}
	}
	return f
}

// init initialises every highway network from rng, in coupling order (scale
// network first).
func (f *flow) init(rng *rand.Rand) {
	for _, c := range f.couplings {
		c.s.init(rng, truncatedNormal{})
		c.t.init(rng, truncatedNormal{})
	}
}

// flowCache holds one pass of a flow (forward or inverse) for its backward
// pass. The zero value is ready to use.
type flowCache struct {
	batch   int
	inverse bool
	x       [][]float64 // x[k] is the input of coupling k in the sampling direction; x[K] the pre-sigmoid output; batch × d
	goal    []float64   // batch × d: the sigmoid of x[K] (forward) or the input goals (inverse)
	lp      []float64   // batch: log-densities
	cond    []float64   // batch: conditions
	cc      []couplingCache
	dx      []float64 // backward: batch × d
}

// couplingCache holds what one coupling computed.
type couplingCache struct {
	in     []float64 // batch × (|A|+1)
	xt     []float64 // batch × |T|: x_T, the untransformed values (input forward, output inverse)
	scale  []float64 // batch × |T|
	dscale []float64 // batch × |T|: softplusAtan′ at S(in)
	ds, dt []float64 // backward scratch, batch × |T|
	sc, tc highwayCache
}

func (c *flowCache) size(f *flow, batch int) {
	c.batch = batch
	if cap(c.lp) >= batch && len(c.cc) == len(f.couplings) {
		return
	}
	n := batch * f.d
	c.x = make([][]float64, len(f.couplings)+1)
	for i := range c.x {
		c.x[i] = make([]float64, n)
	}
	c.goal = make([]float64, n)
	c.dx = make([]float64, n)
	c.lp = make([]float64, batch)
	c.cond = make([]float64, batch)
	c.cc = make([]couplingCache, len(f.couplings))
	for k, cp := range f.couplings {
		m := batch * len(cp.trans)
		cc := &c.cc[k]
		cc.in = make([]float64, batch*(len(cp.cond)+1))
		cc.xt, cc.scale, cc.dscale = make([]float64, m), make([]float64, m), make([]float64, m)
		cc.ds, cc.dt = make([]float64, m), make([]float64, m)
	}
}

// gather fills cc.in with [x_A, f] for every row.
func (cp *coupling) gather(cc *couplingCache, x, cond []float64, d, batch int) {
	w := len(cp.cond) + 1
	for r := range batch {
		row := cc.in[r*w : (r+1)*w]
		for i, a := range cp.cond {
			row[i] = x[r*d+a]
		}
		row[w-1] = cond[r]
	}
}

// scales computes the coupling's scales and translations from cc.in; t is
// left in the translation network's cache.
func (f *flow) scales(cp *coupling, cc *couplingCache, batch int) []float64 {
	s := cp.s.forward(&cc.sc, cc.in, batch)
	t := cp.t.forward(&cc.tc, cc.in, batch)
	for i, v := range s[:batch*len(cp.trans)] {
		y, dy := softplusAtan(v)
		cc.scale[i], cc.dscale[i] = f.minScale+y, dy
	}
	return t
}

// forward maps latents z (batch × d) with conditions cond to goals in
// (0,1)^d and their log-densities, which live in c until its next pass.
func (f *flow) forward(c *flowCache, z, cond []float64, batch int) (goal, logp []float64) {
	c.size(f, batch)
	c.inverse = false
	d := f.d
	n := batch * d
	copy(c.cond[:batch], cond)
	x0 := c.x[0][:n]
	copy(x0, z)
	lp := c.lp[:batch]
	for r := range batch {
		var s float64
		for _, v := range x0[r*d : (r+1)*d] {
			s += v * v
		}
		lp[r] = -0.5 * s
	}
	for k, cp := range f.couplings {
		cc := &c.cc[k]
		x, y := c.x[k][:n], c.x[k+1][:n]
		copy(y, x)
		cp.gather(cc, x, c.cond, d, batch)
		t := f.scales(cp, cc, batch)
		m := len(cp.trans)
		for r := range batch {
			for j, ti := range cp.trans {
				i := r*m + j
				xt := x[r*d+ti]
				cc.xt[i] = xt
				y[r*d+ti] = xt*cc.scale[i] + t[i]
				lp[r] -= math.Log(cc.scale[i])
			}
		}
	}
	logits, goal := c.x[len(f.couplings)][:n], c.goal[:n]
	for r := range batch {
		for i := r * d; i < (r+1)*d; i++ {
			v := logits[i]
			goal[i] = sigmoid(v)
			lp[r] += softplus(v) + softplus(-v) // −log σ′(v)
		}
	}
	return goal, lp
}

// backwardForward takes ∂L/∂goal (batch × d, nil for none) and ∂L/∂logp
// (batch, nil for none) for the last forward pass on c, adds the parameter
// gradients to the store and returns ∂L/∂z (batch × d), which lives in c.
func (f *flow) backwardForward(c *flowCache, dGoal, dLogp []float64) []float64 {
	batch, d := c.batch, f.d
	n := batch * d
	dx := c.dx[:n]
	logits, goal := c.x[len(f.couplings)][:n], c.goal[:n]
	for r := range batch {
		for i := r * d; i < (r+1)*d; i++ {
			var g float64
			if dGoal != nil {
				g = dGoal[i] * goal[i] * (1 - goal[i])
			}
			if dLogp != nil {
				g += dLogp[r] * (2*sigmoid(logits[i]) - 1)
			}
			dx[i] = g
		}
	}
	for k := len(f.couplings) - 1; k >= 0; k-- {
		cp, cc := f.couplings[k], &c.cc[k]
		m := len(cp.trans)
		for r := range batch {
			dl := 0.0
			if dLogp != nil {
				dl = dLogp[r]
			}
			for j, ti := range cp.trans {
				i := r*m + j
				g, sc := dx[r*d+ti], cc.scale[i]
				// y_T = x_T·scale + t and logp −= log scale.
				cc.ds[i] = (g*cc.xt[i] - dl/sc) * cc.dscale[i]
				cc.dt[i] = g
				dx[r*d+ti] = g * sc
			}
		}
		cp.scatter(cc, dx, d, batch)
	}
	for r := range batch {
		if dLogp == nil {
			break
		}
		// logp = −½‖z‖² + ...
		for i := r * d; i < (r+1)*d; i++ {
			dx[i] -= dLogp[r] * c.x[0][i]
		}
	}
	return dx
}

// scatter backpropagates cc.ds and cc.dt through the coupling's networks and
// adds their input gradients to the conditioning coordinates of dx.
func (cp *coupling) scatter(cc *couplingCache, dx []float64, d, batch int) {
	m := batch * len(cp.trans)
	dS := cp.s.backward(&cc.sc, cc.ds[:m])
	dT := cp.t.backward(&cc.tc, cc.dt[:m])
	w := len(cp.cond) + 1
	for r := range batch {
		for i, a := range cp.cond {
			dx[r*d+a] += dS[r*w+i] + dT[r*w+i]
		}
	}
}

// inverse maps goals in (0,1)^d with conditions cond back to their latents
// and returns them with the goals' log-densities; both live in c until its
// next pass. Goals at 0 or 1 give infinite latents.
func (f *flow) inverse(c *flowCache, goal, cond []float64, batch int) (z, logp []float64) {
	c.size(f, batch)
	c.inverse = true
	d := f.d
	n := batch * d
	copy(c.cond[:batch], cond)
	copy(c.goal[:n], goal)
	lp := c.lp[:batch]
	K := len(f.couplings)
	logits := c.x[K][:n]
	for r := range batch {
		lp[r] = 0
		for i := r * d; i < (r+1)*d; i++ {
			g := goal[i]
			v := math.Log(g) - math.Log1p(-g)
			logits[i] = v
			lp[r] += softplus(v) + softplus(-v)
		}
	}
	for k := K - 1; k >= 0; k-- {
		cp, cc := f.couplings[k], &c.cc[k]
		y, x := c.x[k+1][:n], c.x[k][:n]
		copy(x, y)
		cp.gather(cc, y, c.cond, d, batch)
		t := f.scales(cp, cc, batch)
		m := len(cp.trans)
		for r := range batch {
			for j, ti := range cp.trans {
				i := r*m + j
				xt := (y[r*d+ti] - t[i]) / cc.scale[i]
				cc.xt[i] = xt
				x[r*d+ti] = xt
				lp[r] -= math.Log(cc.scale[i])
			}
		}
	}
	z = c.x[0][:n]
	for r := range batch {
		var s float64
		for _, v := range z[r*d : (r+1)*d] {
			s += v * v
		}
		lp[r] -= 0.5 * s
	}
	return z, lp
}

// backwardInverse takes ∂L/∂z (batch × d, nil for none) and ∂L/∂logp (batch,
// nil for none) for the last inverse pass on c, adds the parameter gradients
// to the store and returns ∂L/∂goal (batch × d), which lives in c.
func (f *flow) backwardInverse(c *flowCache, dz, dLogp []float64) []float64 {
	batch, d := c.batch, f.d
	n := batch * d
	dx := c.dx[:n]
	z := c.x[0][:n]
	for r := range batch {
		for i := r * d; i < (r+1)*d; i++ {
			var g float64
			if dz != nil {
				g = dz[i]
			}
			if dLogp != nil {
				g -= dLogp[r] * z[i]
			}
			dx[i] = g
		}
	}
	for k, cp := range f.couplings {
		cc := &c.cc[k]
		m := len(cp.trans)
		for r := range batch {
			dl := 0.0
			if dLogp != nil {
				dl = dLogp[r]
			}
			for j, ti := range cp.trans {
				i := r*m + j
				g, sc := dx[r*d+ti], cc.scale[i]
				// x_T = (y_T − t)/scale and logp −= log scale.
				cc.ds[i] = (-g*cc.xt[i]/sc - dl/sc) * cc.dscale[i]
				cc.dt[i] = -g / sc
				dx[r*d+ti] = g / sc
			}
		}
		cp.scatter(cc, dx, d, batch)
	}
	goal := c.goal[:n]
	logits := c.x[len(f.couplings)][:n]
	for r := range batch {
		for i := r * d; i < (r+1)*d; i++ {
			g := dx[i]
			if dLogp != nil {
				g += dLogp[r] * (2*sigmoid(logits[i]) - 1)
			}
			dx[i] = g / (goal[i] * (1 - goal[i]))
		}
	}
	return dx
}

// softplusAtan is the reference's slowly decaying softplus and its
// derivative: after a soft clip to ±10⁶, y = x·(atan(x)/π + ½) + 1/π, which
// behaves like x at +∞ and like 1/(3π·x²) at −∞; below x = −30 the
// asymptote itself is used, where the formula loses its precision.
func softplusAtan(x float64) (y, dy float64) {
	const clip = 1e6 / (math.Pi / 2)
	u := x / clip
	xc := clip * math.Atan(u)
	dxc := 1 / (1 + u*u)
	if xc < -30 {
		return 1 / (3 * math.Pi * xc * xc), -2 / (3 * math.Pi * xc * xc * xc) * dxc
	}
	a := math.Atan(xc)
	return xc*(a/math.Pi+0.5) + 1/math.Pi, (a/math.Pi + 0.5 + xc/(math.Pi*(1+xc*xc))) * dxc
}
