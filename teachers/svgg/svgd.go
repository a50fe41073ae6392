package svgg

import (
	"math"
	"slices"

	"github.com/teachbench/teachbench/students/nn"
)

// svgd moves m particles of d dimensions by Stein variational gradient
// descent (Liu and Wang, "Stein Variational Gradient Descent: A General
// Purpose Bayesian Inference Algorithm", NeurIPS 2016) with an RBF kernel,
// the update direction applied by Adam as in the reference: the particles'
// "gradient" is −φ.
type svgd struct {
	m, d  int
	sigma float64 // fixed bandwidth; 0 = median heuristic
	store *nn.Params
	x     []float64 // m×d particles: the store's values
	phi   []float64 // m×d: the store's gradients (−φ)
	opt   *nn.Adam
	score []float64 // m×d: ∇ log p at the particles
	k     []float64 // m×m kernel matrix
	d2    []float64 // m×m squared distances
	tri   []float64 // the m(m−1)/2 distinct squared distances, for the median
	gamma float64   // kernel coefficient of the last step: k = exp(−gamma·d²)
}

func newSVGD(m, d int, sigma, lr float64) *svgd {
	s := &svgd{m: m, d: d, sigma: sigma, store: new(nn.Params)}
	s.store.Alloc(m * d)
	s.x, s.phi = s.store.Values(), s.store.Grads()
	s.opt = nn.NewAdam(s.store, lr)
	s.score = make([]float64, m*d)
	s.k = make([]float64, m*m)
	s.d2 = make([]float64, m*m)
	s.tri = make([]float64, 0, m*(m-1)/2)
	return s
}

// kernelGamma returns the RBF coefficient γ of k = exp(−γ·d²) for
// bandwidth sigma, γ = 1/(2σ² + 1e-8) as the reference's RBF module, or
// with sigma = 0 from the median heuristic on the squared distances d2
// (m×m, zero diagonal included): h = median(d2)/(2·log(m+1)), σ = √h.
// tri is scratch for the m(m−1)/2 off-diagonal values.
func kernelGamma(sigma float64, d2 []float64, m int, tri []float64) float64 {
	if sigma > 0 {
		return 1 / (1e-8 + 2*sigma*sigma)
	}
	h := medianSquared(d2, m, tri) / (2 * math.Log(float64(m)+1))
	return 1 / (1e-8 + 2*h)
}

// medianSquared returns the median of the m² entries of the symmetric
// matrix d2 whose diagonal is zero, as numpy's median of the whole matrix
// (the mean of the two middle values when m² is even), from its sorted
// upper triangle: the full sorted list is m zeros followed by every
// off-diagonal value twice.
func medianSquared(d2 []float64, m int, tri []float64) float64 {
	tri = tri[:0]
	for i := range m {
		for j := i + 1; j < m; j++ {
			tri = append(tri, d2[i*m+j])
		}
	}
	slices.Sort(tri)
	at := func(p int) float64 {
		if p < m {
			return 0
		}
		return tri[(p-m)/2]
	}
	n := m * m
	if n%2 == 1 {
		return at(n / 2)
	}
	return (at(n/2-1) + at(n/2)) / 2
}

// direction computes φ at the current particles for the score ∇ log p
// written in s.score, scaled by scale (the annealing factor), and stores −φ
// as the particles' gradient:
//
//	φ(x_i) = (1/m) Σ_j [k(x_j, x_i)·scale·∇log p(x_j) + ∇_{x_j} k(x_j, x_i)]
//
// with ∇_{x_j} k(x_j, x_i) = 2γ(x_i − x_j)·k(x_i, x_j), the repulsion
// between particles. Non-finite scores and directions count as zero, as the
// reference's nan_to_num.
func (s *svgd) direction(scale float64) {
	m, d, x := s.m, s.d, s.x
	for i, v := range s.score {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			s.score[i] = 0
		}
	}
	for i := range m {
		s.d2[i*m+i] = 0
		for j := i + 1; j < m; j++ {
			var sq float64
			for c := range d {
				diff := x[i*d+c] - x[j*d+c]
				sq += diff * diff
			}
			s.d2[i*m+j], s.d2[j*m+i] = sq, sq
		}
	}
	s.gamma = kernelGamma(s.sigma, s.d2, m, s.tri)
	for i, v := range s.d2 {
		s.k[i] = math.Exp(-s.gamma * v)
	}
	inv := 1 / float64(m)
	for i := range m {
		phi := s.phi[i*d : (i+1)*d]
		clear(phi)
		for j := range m {
			kij := s.k[i*m+j]
			for c := range d {
				phi[c] += kij * (scale*s.score[j*d+c] + 2*s.gamma*(x[i*d+c]-x[j*d+c]))
			}
		}
		for c := range d {
			v := -phi[c] * inv
			if math.IsNaN(v) || math.IsInf(v, 0) {
				v = 0
			}
			phi[c] = v
		}
	}
}

// step applies the Adam update with the gradient −φ computed by direction.
func (s *svgd) step() { s.opt.Step() }

// bandwidth returns σ of the kernel of the last step.
func (s *svgd) bandwidth() float64 {
	if s.gamma == 0 {
		return s.sigma
	}
	return math.Sqrt(max(1/s.gamma-1e-8, 0) / 2)
}
