package spdl

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomTheta returns θ for a random Gaussian of dimension d with
// off-diagonal terms, so that every part of the parameterisation matters.
func randomTheta(d int, rng *rand.Rand) []float64 {
	th := make([]float64, numParams(d))
	for i := range d {
		th[i] = rng.NormFloat64()
		th[d+i] = 0.5 * rng.NormFloat64()
	}
	for k := 2 * d; k < len(th); k++ {
		th[k] = 0.5 * rng.NormFloat64()
	}
	return th
}

func gaussianOf(theta []float64, d int) *gaussian {
	g := newGaussian(d)
	g.setTheta(theta)
	return &g
}

// covOf returns Σ = LLᵀ as a gonum matrix.
func covOf(g *gaussian) *mat.SymDense {
	l := mat.NewDense(g.d, g.d, append([]float64(nil), g.l...))
	var c mat.Dense
	c.Mul(l, l.T())
	s := mat.NewSymDense(g.d, nil)
	for i := range g.d {
		for j := i; j < g.d; j++ {
			s.SetSym(i, j, c.At(i, j))
		}
	}
	return s
}

func TestThetaLayout(t *testing.T) {
	// θ for d = 3: μ, log diag, then L[1][0], L[2][0], L[2][1].
	th := []float64{1, 2, 3, 0, math.Log(2), math.Log(3), 4, 5, 6}
	g := gaussianOf(th, 3)
	want := []float64{1, 0, 0, 4, 2, 0, 5, 6, 3}
	for i, v := range want {
		if math.Abs(g.l[i]-v) > 1e-15 {
			t.Fatalf("L = %v, want %v", g.l, want)
		}
	}
	back := make([]float64, len(th))
	g.theta(back)
	for i := range th {
		if math.Abs(back[i]-th[i]) > 1e-15 {
			t.Fatalf("theta round trip %v, want %v", back, th)
		}
	}
	if math.Abs(g.logDet-math.Log(6)) > 1e-15 {
		t.Fatalf("logDet %v", g.logDet)
	}
}

// TestLogPDFAndKLAgainstGonum checks the closed forms against dense linear
// algebra done by gonum.
func TestLogPDFAndKLAgainstGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range []int{1, 2, 4} {
		a := gaussianOf(randomTheta(d, rng), d)
		b := gaussianOf(randomTheta(d, rng), d)
		ca, cb := covOf(a), covOf(b)
		var cha, chb mat.Cholesky
		if !cha.Factorize(ca) || !chb.Factorize(cb) {
			t.Fatal("not positive definite")
		}
		z := make([]float64, d)
		for range 5 {
			c := make([]float64, d)
			for i := range c {
				c[i] = 2 * rng.NormFloat64()
			}
			diff := mat.NewVecDense(d, nil)
			diff.SubVec(mat.NewVecDense(d, c), mat.NewVecDense(d, a.mu))
			var sol mat.VecDense
			if err := cha.SolveVecTo(&sol, diff); err != nil {
				t.Fatal(err)
			}
			want := -0.5*float64(d)*math.Log(2*math.Pi) - 0.5*cha.LogDet() - 0.5*mat.Dot(diff, &sol)
			if got := a.logPDF(c, z); math.Abs(got-want) > 1e-10*math.Max(1, math.Abs(want)) {
				t.Errorf("d=%d: logPDF = %v, want %v", d, got, want)
			}
		}
		// KL(a‖b) = ½[tr(Σb⁻¹Σa) + δᵀΣb⁻¹δ − d + log|Σb| − log|Σa|].
		var inv mat.SymDense
		if err := chb.InverseTo(&inv); err != nil {
			t.Fatal(err)
		}
		var prod mat.Dense
		prod.Mul(&inv, ca)
		delta := mat.NewVecDense(d, nil)
		delta.SubVec(mat.NewVecDense(d, b.mu), mat.NewVecDense(d, a.mu))
		want := 0.5 * (mat.Trace(&prod) + mat.Inner(delta, &inv, delta) - float64(d) + chb.LogDet() - cha.LogDet())
		col := make([]float64, d)
		if got := kl(a, b, col); math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Errorf("d=%d: KL = %v, want %v", d, got, want)
		}
		if got := kl(a, a, col); math.Abs(got) > 1e-12 {
			t.Errorf("d=%d: KL(a‖a) = %v", d, got)
		}
		// The precision matrix.
		prec := make([]float64, d*d)
		b.precision(prec, col)
		for i := range d {
			for j := range d {
				if math.Abs(prec[i*d+j]-inv.At(i, j)) > 1e-9*math.Max(1, math.Abs(inv.At(i, j))) {
					t.Fatalf("d=%d: precision[%d][%d] = %v, want %v", d, i, j, prec[i*d+j], inv.At(i, j))
				}
			}
		}
	}
}

// numGrad returns the central finite-difference gradient of f at θ.
func numGrad(f func([]float64) float64, theta []float64) []float64 {
	const h = 1e-6
	g := make([]float64, len(theta))
	th := append([]float64(nil), theta...)
	for i := range th {
		th[i] = theta[i] + h
		up := f(th)
		th[i] = theta[i] - h
		down := f(th)
		th[i] = theta[i]
		g[i] = (up - down) / (2 * h)
	}
	return g
}

func closeVec(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	scale := 1.0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol*scale {
			t.Fatalf("%s[%d] = %v, want %v\n got %v\nwant %v", what, i, got[i], want[i], got, want)
		}
	}
}

func TestGradLogPDFFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, d := range []int{1, 2, 3} {
		theta := randomTheta(d, rng)
		c := make([]float64, d)
		for i := range c {
			c[i] = rng.NormFloat64()
		}
		z, u := make([]float64, d), make([]float64, d)
		f := func(th []float64) float64 { return gaussianOf(th, d).logPDF(c, z) }
		got := make([]float64, len(theta))
		g := gaussianOf(theta, d)
		g.logPDF(c, z)
		g.gradLogPDF(got, 1, z, u)
		closeVec(t, "∇log p", got, numGrad(f, theta), 1e-6)
	}
}

func TestGradKLToTargetFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, d := range []int{1, 2, 3} {
		q := gaussianOf(randomTheta(d, rng), d)
		prec := make([]float64, d*d)
		col := make([]float64, d)
		q.precision(prec, col)
		theta := randomTheta(d, rng)
		f := func(th []float64) float64 { return kl(gaussianOf(th, d), q, col) }
		got := make([]float64, len(theta))
		gaussianOf(theta, d).addGradKLTo(got, 1, q.mu, prec)
		closeVec(t, "∇KL(p‖q)", got, numGrad(f, theta), 1e-6)
	}
}

// TestFisherIsKLHessian checks the Fisher-vector product against the
// finite-difference Hessian of θ ↦ KL(p_old ‖ p_θ) at θ_old, the matrix the
// reference's conjugate gradient uses.
func TestFisherIsKLHessian(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, d := range []int{1, 2, 3} {
		theta := randomTheta(d, rng)
		old := gaussianOf(theta, d)
		n := len(theta)
		col := make([]float64, d)
		f := func(th []float64) float64 { return kl(old, gaussianOf(th, d), col) }
		const h = 1e-4
		hess := make([]float64, n*n)
		th := append([]float64(nil), theta...)
		for i := range n {
			for j := range n {
				var v [4]float64
				for k, s := range [4][2]float64{{1, 1}, {1, -1}, {-1, 1}, {-1, -1}} {
					copy(th, theta)
					th[i] += s[0] * h
					th[j] += s[1] * h
					v[k] = f(th)
				}
				hess[i*n+j] = (v[0] - v[1] - v[2] + v[3]) / (4 * h * h)
			}
		}
		a, s := make([]float64, d*d), make([]float64, d*d)
		for range 3 {
			v := make([]float64, n)
			for i := range v {
				v[i] = rng.NormFloat64()
			}
			want := make([]float64, n)
			for i := range n {
				for j := range n {
					want[i] += hess[i*n+j] * v[j]
				}
			}
			got := make([]float64, n)
			old.fisher(got, v, a, s, col)
			closeVec(t, "F·v", got, want, 1e-5)
		}
	}
}

type denseOp struct {
	n int
	a []float64
}

func (m denseOp) mulVec(dst, v []float64) {
	for i := range m.n {
		s := 0.0
		for j := range m.n {
			s += m.a[i*m.n+j] * v[j]
		}
		dst[i] = s
	}
}

func TestConjugateGradientSolvesSPD(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n = 6
	// A = BᵀB + I is symmetric positive definite.
	b := make([]float64, n*n)
	for i := range b {
		b[i] = rng.NormFloat64()
	}
	op := denseOp{n: n, a: make([]float64, n*n)}
	for i := range n {
		for j := range n {
			for k := range n {
				op.a[i*n+j] += b[k*n+i] * b[k*n+j]
			}
		}
		op.a[i*n+i]++
	}
	want := make([]float64, n)
	for i := range want {
		want[i] = rng.NormFloat64()
	}
	rhs := make([]float64, n)
	op.mulVec(rhs, want)
	x, r, p, z := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	// In exact arithmetic CG converges in n iterations; 10 as in the
	// reference leaves it at the tolerance.
	conjugateGradient(x, rhs, r, p, z, 10, 1e-20, op)
	closeVec(t, "CG solution", x, want, 1e-8)
	// One iteration is a steepest-descent step: not yet the solution.
	conjugateGradient(x, rhs, r, p, z, 1, 1e-20, op)
	diff := 0.0
	for i := range x {
		diff = math.Max(diff, math.Abs(x[i]-want[i]))
	}
	if diff < 1e-3 {
		t.Fatalf("one CG iteration already solved the system (error %v): the test cannot fail", diff)
	}
}
