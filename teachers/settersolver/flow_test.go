package settersolver

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/students/nn"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

func TestSoftplusAtan(t *testing.T) {
	for _, x := range []float64{-1e4, -100, -30.5, -29.5, -3, -0.5, 0, 0.7, 4, 250, 1e5} {
		y, dy := softplusAtan(x)
		if !(y > 0) {
			t.Errorf("softplusAtan(%v) = %v, want > 0", x, y)
		}
		h := 1e-6 * max(1, math.Abs(x))
		yp, _ := softplusAtan(x + h)
		ym, _ := softplusAtan(x - h)
		if num := (yp - ym) / (2 * h); math.Abs(num-dy) > 1e-6*max(1e-3, math.Abs(num)) {
			t.Errorf("softplusAtan′(%v) = %v, finite differences %v", x, dy, num)
		}
	}
	if y, _ := softplusAtan(0); math.Abs(y-1/math.Pi) > 1e-15 {
		t.Errorf("softplusAtan(0) = %v, want 1/π", y)
	}
	if y, _ := softplusAtan(1000); math.Abs(y-1000) > 1e-3 {
		t.Errorf("softplusAtan(1000) = %v, want ≈ 1000", y)
	}
	// The two branches meet at −30 up to the formula's O(1/x⁴) error.
	a, _ := softplusAtan(-30 - 1e-9)
	b, _ := softplusAtan(-30 + 1e-9)
	if math.Abs(a-b) > 1e-6 {
		t.Errorf("softplusAtan jumps at −30: %v vs %v", a, b)
	}
}

func TestHighwayGradient(t *testing.T) {
	for _, tc := range []struct{ in, hidden, out, blocks, batch int }{
		{3, 5, 2, 3, 4},
		{1, 4, 1, 0, 3},
		{2, 6, 3, 1, 1},
	} {
		t.Run(fmt.Sprintf("%+v", tc), func(t *testing.T) {
			rng := newRNG(1)
			var p nn.Params
			h := newHighway(&p, tc.in, tc.hidden, tc.out, tc.blocks)
			h.init(rng, truncatedNormal{})
			// Non-zero biases exercise their gradients too.
			for i, v := range p.Values() {
				p.Values()[i] = v + 0.1*rng.NormFloat64()
			}
			x := randSlice(rng, tc.batch*tc.in)
			w := randSlice(rng, tc.batch*tc.out)
			var c highwayCache
			loss := func() float64 { return floats.Dot(h.forward(&c, x, tc.batch), w) }
			loss()
			p.ZeroGrad()
			dx := append([]float64(nil), h.backward(&c, w)...)
			grad := append([]float64(nil), p.Grads()...)
			if err := nn.CheckGradient(loss, p.Values(), grad, 1e-6, 1e-6); err != nil {
				t.Errorf("parameters: %v", err)
			}
			if err := nn.CheckGradient(loss, x, dx, 1e-6, 1e-6); err != nil {
				t.Errorf("input: %v", err)
			}
		})
	}
}

// testFlow builds a small flow with perturbed parameters.
func testFlow(d int, seed uint64) (*flow, *nn.Params) {
	rng := newRNG(seed)
	var p nn.Params
	f := newFlow(&p, d, 2, 6, 2, 0.01)
	f.init(rng)
	for i, v := range p.Values() {
		p.Values()[i] = v + 0.05*rng.NormFloat64()
	}
	// Scales near 1, so that a few couplings neither blow up nor squash
	// the values (the gradients are exact either way, but finite
	// differences of a loss of 10⁵ are not).
	for _, c := range f.couplings {
		for _, h := range []*highway{c.s, c.t} {
			for i := range h.last.W.Value() {
				h.last.W.Value()[i] *= 0.3
			}
		}
		for i := range c.s.last.B.Value() {
			c.s.last.B.Value()[i] += 1
		}
	}
	return f, &p
}

func conds(rng *rand.Rand, n int) []float64 {
	c := make([]float64, n)
	for i := range c {
		c[i] = 0.05 + 0.9*rng.Float64()
	}
	return c
}

func TestFlowInverseConsistency(t *testing.T) {
	for _, d := range []int{1, 2, 3, 5} {
		f, _ := testFlow(d, uint64(d))
		rng := newRNG(10 + uint64(d))
		const batch = 7
		z := randSlice(rng, batch*d)
		c := conds(rng, batch)
		var fc, ic flowCache
		goal, lp := f.forward(&fc, z, c, batch)
		z2, lp2 := f.inverse(&ic, goal, c, batch)
		for i := range z {
			if math.Abs(z[i]-z2[i]) > 1e-8*max(1, math.Abs(z[i])) {
				t.Fatalf("d=%d: inverse(forward(z))[%d] = %v, want %v", d, i, z2[i], z[i])
			}
		}
		for r := range batch {
			if math.Abs(lp[r]-lp2[r]) > 1e-8*max(1, math.Abs(lp[r])) {
				t.Fatalf("d=%d: log p row %d: forward %v, inverse %v", d, r, lp[r], lp2[r])
			}
		}
		for _, g := range goal {
			if !(g > 0 && g < 1) {
				t.Fatalf("d=%d: goal %v outside (0, 1)", d, g)
			}
		}
	}
}

// TestFlowLogDensity checks the change of variables: the flow's log-density
// of a goal is −½‖z‖² − log|det ∂goal/∂z|, with the Jacobian by finite
// differences.
func TestFlowLogDensity(t *testing.T) {
	for _, d := range []int{1, 2, 3, 4} {
		f, _ := testFlow(d, 20+uint64(d))
		rng := newRNG(30 + uint64(d))
		for range 3 {
			z := randSlice(rng, d)
			c := conds(rng, 1)
			var fc flowCache
			_, lp := f.forward(&fc, z, c, 1)
			want := lp[0]
			jac := mat.NewDense(d, d, nil)
			const h = 1e-6
			for j := range d {
				zp := append([]float64(nil), z...)
				zm := append([]float64(nil), z...)
				zp[j] += h
				zm[j] -= h
				gp := append([]float64(nil), func() []float64 { g, _ := f.forward(&fc, zp, c, 1); return g }()...)
				gm, _ := f.forward(&fc, zm, c, 1)
				for i := range d {
					jac.Set(i, j, (gp[i]-gm[i])/(2*h))
				}
			}
			logDet, sign := mat.LogDet(jac)
			if sign == 0 {
				t.Fatalf("d=%d: singular Jacobian", d)
			}
			got := -0.5*floats.Dot(z, z) - logDet
			if math.Abs(got-want) > 1e-5*max(1, math.Abs(want)) {
				t.Errorf("d=%d: log p = %v, −½‖z‖² − log|det J| = %v", d, want, got)
			}
		}
	}
}

func TestFlowForwardGradient(t *testing.T) {
	for _, d := range []int{1, 2, 3} {
		f, p := testFlow(d, 40+uint64(d))
		rng := newRNG(50 + uint64(d))
		const batch = 3
		z := randSlice(rng, batch*d)
		c := conds(rng, batch)
		wg, wl := randSlice(rng, batch*d), randSlice(rng, batch)
		var fc flowCache
		loss := func() float64 {
			g, lp := f.forward(&fc, z, c, batch)
			return floats.Dot(g, wg) + floats.Dot(lp, wl)
		}
		loss()
		p.ZeroGrad()
		dz := append([]float64(nil), f.backwardForward(&fc, wg, wl)...)
		grad := append([]float64(nil), p.Grads()...)
		if err := nn.CheckGradient(loss, p.Values(), grad, 1e-6, 1e-5); err != nil {
			t.Errorf("d=%d parameters: %v", d, err)
		}
		if err := nn.CheckGradient(loss, z, dz, 1e-6, 1e-5); err != nil {
			t.Errorf("d=%d latents: %v", d, err)
		}
	}
}

func TestFlowInverseGradient(t *testing.T) {
	for _, d := range []int{1, 2, 3} {
		f, p := testFlow(d, 60+uint64(d))
		rng := newRNG(70 + uint64(d))
		const batch = 3
		goal := make([]float64, batch*d)
		for i := range goal {
			goal[i] = 0.1 + 0.8*rng.Float64()
		}
		c := conds(rng, batch)
		wz, wl := randSlice(rng, batch*d), randSlice(rng, batch)
		var ic flowCache
		loss := func() float64 {
			z, lp := f.inverse(&ic, goal, c, batch)
			return floats.Dot(z, wz) + floats.Dot(lp, wl)
		}
		loss()
		p.ZeroGrad()
		dg := append([]float64(nil), f.backwardInverse(&ic, wz, wl)...)
		grad := append([]float64(nil), p.Grads()...)
		if err := nn.CheckGradient(loss, p.Values(), grad, 1e-6, 1e-5); err != nil {
			t.Errorf("d=%d parameters: %v", d, err)
		}
		if err := nn.CheckGradient(loss, goal, dg, 1e-7, 1e-5); err != nil {
			t.Errorf("d=%d goals: %v", d, err)
		}
	}
}

func TestFlowCouplingLayout(t *testing.T) {
	for _, tc := range []struct {
		d    int
		want string
	}{
		{1, "[]→[0] []→[0]"},
		{2, "[0]→[1] [1]→[0] [1]→[0]"},
		{3, "[0]→[1 2] [1 2]→[0] [1]→[0 2]"},
		{4, "[0 1]→[2 3] [2 3]→[0 1] [1 3]→[0 2]"},
	} {
		var p nn.Params
		f := newFlow(&p, tc.d, 1, 2, 1, 0.01)
		got := ""
		for i, c := range f.couplings {
			if i > 0 {
				got += " "
			}
			got += fmt.Sprintf("%v→%v", c.cond, c.trans)
		}
		if c := f.couplings; got != tc.want {
			t.Errorf("d=%d: couplings %s, want %s (%d)", tc.d, got, tc.want, len(c))
		}
	}
}
