package spdl

import (
	"math"
	"math/rand/v2"
)

// gaussian is N(μ, L Lᵀ) with L lower triangular and a positive diagonal. Its
// parameter vector θ is laid out as in the reference's
// GaussianTorchDistribution: μ (d values), log diag(L) (d values), then the
// strictly lower entries of L row by row (L[1][0], L[2][0], L[2][1], ...;
// numpy's tril_indices order), d(d−1)/2 values.
//
// All operations work on preallocated slices; none allocates.
type gaussian struct {
	d      int
	mu     []float64
	l      []float64 // d×d row-major; entries above the diagonal stay zero
	logDet float64   // Σ log L_ii = ½ log det Σ
}

// numParams returns the length of θ for dimension d.
func numParams(d int) int { return 2*d + d*(d-1)/2 }

func newGaussian(d int) gaussian {
	return gaussian{d: d, mu: make([]float64, d), l: make([]float64, d*d)}
}

// setTheta sets the distribution from θ.
func (g *gaussian) setTheta(theta []float64) {
	d := g.d
	copy(g.mu, theta[:d])
	g.logDet = 0
	k := 2 * d
	for i := range d {
		row := g.l[i*d : (i+1)*d]
		for j := range i {
			row[j] = theta[k]
			k++
		}
		row[i] = math.Exp(theta[d+i])
		g.logDet += theta[d+i]
		for j := i + 1; j < d; j++ {
			row[j] = 0
		}
	}
}

// theta writes θ into dst.
func (g *gaussian) theta(dst []float64) {
	d := g.d
	copy(dst, g.mu)
	k := 2 * d
	for i := range d {
		dst[d+i] = math.Log(g.l[i*d+i])
		for j := range i {
			dst[k] = g.l[i*d+j]
			k++
		}
	}
}

// setDiag sets μ = mean and L = diag(std).
func (g *gaussian) setDiag(mean, std []float64) {
	d := g.d
	copy(g.mu, mean)
	clear(g.l)
	g.logDet = 0
	for i := range d {
		g.l[i*d+i] = std[i]
		g.logDet += math.Log(std[i])
	}
}

// copyFrom makes g a copy of h (same dimension).
func (g *gaussian) copyFrom(h *gaussian) {
	copy(g.mu, h.mu)
	copy(g.l, h.l)
	g.logDet = h.logDet
}

// forward solves L x = b; x and b may be the same slice.
func (g *gaussian) forward(x, b []float64) {
	d := g.d
	for i := range d {
		row := g.l[i*d : (i+1)*d]
		s := b[i]
		for j := range i {
			s -= row[j] * x[j]
		}
		x[i] = s / row[i]
	}
}

// backward solves Lᵀ x = b; x and b may be the same slice.
func (g *gaussian) backward(x, b []float64) {
	d := g.d
	for i := d - 1; i >= 0; i-- {
		s := b[i]
		for j := i + 1; j < d; j++ {
			s -= g.l[j*d+i] * x[j]
		}
		x[i] = s / g.l[i*d+i]
	}
}

var halfLog2Pi = 0.5 * math.Log(2*math.Pi)

// logPDF returns log N(c; μ, Σ) and leaves z = L⁻¹(c − μ) in z.
func (g *gaussian) logPDF(c, z []float64) float64 {
	for i := range z {
		z[i] = c[i] - g.mu[i]
	}
	g.forward(z, z)
	q := 0.0
	for _, v := range z {
		q += v * v
	}
	return -float64(g.d)*halfLog2Pi - g.logDet - 0.5*q
}

// gradLogPDF adds scale·∇_θ log N(c; θ) to grad, given z = L⁻¹(c − μ) from
// logPDF; u is scratch of length d. With u = L⁻ᵀz = Σ⁻¹(c − μ):
// ∂/∂μ = u, ∂/∂L = lower(u zᵀ − L⁻ᵀ), and ∂L_ii/∂log L_ii = L_ii.
func (g *gaussian) gradLogPDF(grad []float64, scale float64, z, u []float64) {
	d := g.d
	g.backward(u, z)
	k := 2 * d
	for i := range d {
		grad[i] += scale * u[i]
		grad[d+i] += scale * (u[i]*z[i]*g.l[i*d+i] - 1)
		for j := range i {
			grad[k] += scale * u[i] * z[j]
			k++
		}
	}
}

// kl returns KL(a ‖ b) = ½[tr(Σ_b⁻¹Σ_a) + (μ_b−μ_a)ᵀΣ_b⁻¹(μ_b−μ_a) − d +
// log det Σ_b − log det Σ_a], with tr(Σ_b⁻¹Σ_a) = ‖L_b⁻¹L_a‖²_F. col is
// scratch of length d.
func kl(a, b *gaussian, col []float64) float64 {
	d := a.d
	tr := 0.0
	for k := range d {
		for i := range d {
			col[i] = a.l[i*d+k]
		}
		b.forward(col, col)
		for _, v := range col[k:] { // L_b⁻¹L_a is lower triangular
			tr += v * v
		}
	}
	for i := range d {
		col[i] = b.mu[i] - a.mu[i]
	}
	b.forward(col, col)
	m := 0.0
	for _, v := range col {
		m += v * v
	}
	return 0.5*(tr+m-float64(d)) + b.logDet - a.logDet
}

// addGradKLTo adds scale·∇_θ KL(g ‖ q) to grad, where q has precision
// matrix prec = Σ_q⁻¹ (d×d) and mean qMu. ∂/∂μ = Σ_q⁻¹(μ − μ_q) and
// ∂/∂L = lower(Σ_q⁻¹L − L⁻ᵀ).
func (g *gaussian) addGradKLTo(grad []float64, scale float64, qMu, prec []float64) {
	d := g.d
	for i := range d {
		s := 0.0
		for j := range d {
			s += prec[i*d+j] * (g.mu[j] - qMu[j])
		}
		grad[i] += scale * s
	}
	k := 2 * d
	for i := range d {
		for j := 0; j <= i; j++ {
			m := 0.0 // (Σ_q⁻¹ L)_ij; L's column j is zero above row j
			for r := j; r < d; r++ {
				m += prec[i*d+r] * g.l[r*d+j]
			}
			if j == i {
				grad[d+i] += scale * (m*g.l[i*d+i] - 1)
			} else {
				grad[k] += scale * m
				k++
			}
		}
	}
}

// precision writes Σ⁻¹ = L⁻ᵀL⁻¹ into dst (d×d); col is scratch of length d.
func (g *gaussian) precision(dst, col []float64) {
	d := g.d
	for k := range d {
		clear(col)
		col[k] = 1
		g.forward(col, col)
		g.backward(col, col)
		for i := range d {
			dst[i*d+k] = col[i]
		}
	}
}

// fisher writes F v into dst, where F is the Fisher information of g in θ
// coordinates: the Hessian of KL(g ‖ p_θ) with respect to θ at θ = θ_g, which
// is the matrix the reference's conjugate gradient multiplies by (through a
// double backward pass). For the mean block F = Σ⁻¹; for the factor,
// F[w, v] = ½ tr(Σ⁻¹dΣ_w Σ⁻¹dΣ_v) = ⟨dL_w, L⁻ᵀ(A + Aᵀ)⟩ with A = L⁻¹dL_v.
// a and s are d×d scratch, col of length d.
func (g *gaussian) fisher(dst, v, a, s, col []float64) {
	d := g.d
	// Mean block.
	g.forward(col, v[:d])
	g.backward(dst[:d], col)
	// dL_v, stored in a.
	clear(a)
	k := 2 * d
	for i := range d {
		a[i*d+i] = g.l[i*d+i] * v[d+i]
		for j := range i {
			a[i*d+j] = v[k]
			k++
		}
	}
	// A = L⁻¹ dL_v, column by column (in place: both lower triangular).
	for c := range d {
		for i := range d {
			col[i] = a[i*d+c]
		}
		g.forward(col, col)
		for i := range d {
			a[i*d+c] = col[i]
		}
	}
	// S = A + Aᵀ, then G = L⁻ᵀS column by column, stored in s.
	for i := range d {
		for j := range d {
			s[i*d+j] = a[i*d+j] + a[j*d+i]
		}
	}
	for c := range d {
		for i := range d {
			col[i] = s[i*d+c]
		}
		g.backward(col, col)
		for i := range d {
			s[i*d+c] = col[i]
		}
	}
	k = 2 * d
	for i := range d {
		dst[d+i] = s[i*d+i] * g.l[i*d+i]
		for j := range i {
			dst[k] = s[i*d+j]
			k++
		}
	}
}

// sample writes μ + L ξ into dst for ξ ~ N(0, I) drawn into xi.
func (g *gaussian) sample(dst, xi []float64, rng *rand.Rand) {
	d := g.d
	for i := range xi {
		xi[i] = rng.NormFloat64()
	}
	for i := range d {
		s := g.mu[i]
		for j := 0; j <= i; j++ {
			s += g.l[i*d+j] * xi[j]
		}
		dst[i] = s
	}
}
