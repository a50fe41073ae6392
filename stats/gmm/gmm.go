// Package gmm fits Gaussian mixture models with full covariance matrices by
// expectation–maximisation (EM).
//
// The fitting procedure follows scikit-learn's
// GaussianMixture(covariance_type="full", init_params="kmeans"): the
// responsibilities are initialised from the labels of a k-means clustering
// (k-means++ seeding followed by Lloyd iterations), then EM runs until the
// change of the mean log-likelihood lower bound falls below a tolerance. The
// package exists so that teachers such as ALP-GMM can refit several small
// mixtures (a few hundred points, a handful of dimensions) many times per
// run: all scratch memory lives in a reusable Fitter and in the destination
// Model, so that repeated fits of the same size allocate nothing, and the
// inner loops work on flat row-major []float64 slices.
//
// Randomness comes only from the *rand.Rand passed to Fitter.Fit and
// Model.SampleComponent; equal seeds give bit-identical models.
//
// Differences from scikit-learn are limited to degenerate situations, where
// scikit-learn either raises an error or produces meaningless numbers; they
// are documented on Fitter.Fit.
package gmm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Default values used by Config fields left at zero.
const (
	DefaultMaxIter  = 100  // EM iterations
	DefaultTol      = 1e-3 // change of the mean log-likelihood
	DefaultRegCovar = 1e-6 // added to covariance diagonals
	DefaultNInit    = 1    // initialisations
)

const (
	ln2Pi = 1.8378770664093454835606594728112352797227949472755668 // ln(2π)

	// eps10 is the 10*machine-epsilon that scikit-learn adds to the
	// component masses so that empty components do not divide by zero.
	eps10 = 10 * 2.220446049250313e-16
)

// ErrTooFewPoints is returned by Fitter.Fit when there are fewer data points
// than mixture components.
var ErrTooFewPoints = errors.New("gmm: fewer points than mixture components")

// Config holds the parameters of a fit. Zero values select the defaults.
type Config struct {
	// K is the number of mixture components. It must be at least 1.
	K int
	// MaxIter is the maximum number of EM iterations per
	// initialisation; DefaultMaxIter when 0.
	MaxIter int
	// Tol is the convergence threshold on the absolute change of the mean
	// log-likelihood lower bound between two iterations; DefaultTol when 0.
	Tol float64
	// RegCovar is added to the diagonal of every covariance matrix to keep
	// it positive definite; DefaultRegCovar when 0 (so a zero regulariser
	// cannot be requested).
	RegCovar float64
	// NInit is the number of k-means initialisations; the one reaching the
	// largest lower bound is kept. DefaultNInit when 0.
	NInit int
}

// withDefaults returns c with zero fields replaced by their defaults, or an
// error for invalid values.
func (c Config) withDefaults() (Config, error) {
	if c.K < 1 {
		return c, fmt.Errorf("gmm: K = %d: want at least 1 component", c.K)
	}
	if c.MaxIter == 0 {
		c.MaxIter = DefaultMaxIter
	}
	if c.Tol == 0 {
		c.Tol = DefaultTol
	}
	if c.RegCovar == 0 {
		c.RegCovar = DefaultRegCovar
	}
	if c.NInit == 0 {
		c.NInit = DefaultNInit
	}
	switch {
	case c.MaxIter < 0:
		return c, fmt.Errorf("gmm: MaxIter = %d: want a non-negative value", c.MaxIter)
	case !(c.Tol > 0) || math.IsInf(c.Tol, 1):
		return c, fmt.Errorf("gmm: Tol = %v: want a positive finite value", c.Tol)
	case !(c.RegCovar > 0) || math.IsInf(c.RegCovar, 1):
		return c, fmt.Errorf("gmm: RegCovar = %v: want a positive finite value", c.RegCovar)
	case c.NInit < 0:
		return c, fmt.Errorf("gmm: NInit = %d: want a non-negative value", c.NInit)
	}
	return c, nil
}

// Model is a Gaussian mixture with full covariance matrices.
//
// A Model is produced by Fitter.Fit or Copy. A Model built by hand must have
// its exported fields set and Prepare called before LogProb or
// SampleComponent are used. Views returned by Mean and Cov, and the exported
// slices, must not be modified without calling Prepare again.
type Model struct {
	// K is the number of components and D the dimension.
	K, D int
	// Weights holds the K mixing proportions.
	Weights []float64
	// Means holds the K component means, row-major: component k is
	// Means[k*D:(k+1)*D].
	Means []float64
	// Covs holds the K covariance matrices, row-major: component k is
	// Covs[k*D*D:(k+1)*D*D]. The regulariser is included.
	Covs []float64

	// LogLik is the mean log-likelihood per training point under the final
	// parameters (scikit-learn's score(X)).
	LogLik float64
	// N is the number of training points.
	N int
	// Iter is the number of EM iterations of the kept initialisation.
	Iter int
	// Converged reports whether the kept initialisation converged within
	// the iteration limit.
	Converged bool

	chol     []float64 // K*D*D lower Cholesky factors L of Covs (for sampling)
	precChol []float64 // K*D*D lower-triangular L⁻¹: y = L⁻¹(x-μ) (for densities)
	logDetL  []float64 // K: Σ ln diag(L) = ½ ln det Σ
	logW     []float64 // K: ln Weights
}

// NumParams returns the number of free parameters of the mixture:
// K*D*(D+1)/2 covariance entries, K*D mean entries and K-1 weights.
func (m *Model) NumParams() int {
	return m.K*m.D*(m.D+1)/2 + m.K*m.D + m.K - 1
}

// AIC returns the Akaike information criterion of the model on its training
// data, -2*N*LogLik + 2*NumParams(). Lower is better.
func (m *Model) AIC() float64 {
	return -2*float64(m.N)*m.LogLik + 2*float64(m.NumParams())
}

// BIC returns the Bayesian information criterion of the model on its training
// data, -2*N*LogLik + NumParams()*ln(N). Lower is better.
func (m *Model) BIC() float64 {
	return -2*float64(m.N)*m.LogLik + float64(m.NumParams())*math.Log(float64(m.N))
}

// Mean returns a view of the mean of component k.
func (m *Model) Mean(k int) []float64 {
	return m.Means[k*m.D : (k+1)*m.D : (k+1)*m.D]
}

// Cov returns a view of the D×D row-major covariance matrix of component k.
func (m *Model) Cov(k int) []float64 {
	dd := m.D * m.D
	return m.Covs[k*dd : (k+1)*dd : (k+1)*dd]
}

// LogProb returns the log density of the mixture at x, which must have
// length D. It does not allocate.
func (m *Model) LogProb(x []float64) float64 {
	d := m.D
	if len(x) != d {
		panic(fmt.Sprintf("gmm: LogProb: len(x) = %d, want %d", len(x), d))
	}
	// Streaming log-sum-exp over the components.
	mx, s := math.Inf(-1), 0.0
	for k := 0; k < m.K; k++ {
		mu := m.Means[k*d : (k+1)*d]
		p := m.precChol[k*d*d : (k+1)*d*d]
		q := 0.0
		for r := 0; r < d; r++ {
			row := p[r*d : r*d+r+1]
			y := 0.0
			for j, v := range row {
				y += v * (x[j] - mu[j])
			}
			q += y * y
		}
		v := m.logW[k] - 0.5*(float64(d)*ln2Pi+q) - m.logDetL[k]
		switch {
		case math.IsInf(v, -1): // a zero weight
		case v <= mx:
			s += math.Exp(v - mx)
		default:
			s = s*math.Exp(mx-v) + 1 // 0*0 + 1 for the first term
			mx = v
		}
	}
	if s == 0 {
		return math.Inf(-1)
	}
	return mx + math.Log(s)
}

// SampleComponent draws a point from component k, mean + L*z with L the
// Cholesky factor of the covariance and z standard normal, and stores it in
// dst, which is returned. When dst has capacity for D values it is reused and
// nothing is allocated; otherwise a new slice is allocated.
func (m *Model) SampleComponent(dst []float64, k int, rng *rand.Rand) []float64 {
	d := m.D
	if k < 0 || k >= m.K {
		panic(fmt.Sprintf("gmm: SampleComponent: component %d out of range [0, %d)", k, m.K))
	}
	if cap(dst) < d {
		dst = make([]float64, d)
	}
	dst = dst[:d]
	for j := range dst {
		dst[j] = rng.NormFloat64()
	}
	mu := m.Means[k*d : (k+1)*d]
	l := m.chol[k*d*d : (k+1)*d*d]
	// dst = mu + L z in place: row r only reads z[0..r], so going from the
	// last row up never reads an overwritten entry.
	for r := d - 1; r >= 0; r-- {
		row := l[r*d : r*d+r+1]
		v := mu[r]
		for j, c := range row {
			v += c * dst[j]
		}
		dst[r] = v
	}
	return dst
}

// Copy copies m into dst, reusing dst's slices when they are large enough, so
// that a caller can keep the best of several fits without allocating.
func (m *Model) Copy(dst *Model) {
	if dst == m {
		return
	}
	dst.resize(m.K, m.D)
	copy(dst.Weights, m.Weights)
	copy(dst.Means, m.Means)
	copy(dst.Covs, m.Covs)
	copy(dst.chol, m.chol)
	copy(dst.precChol, m.precChol)
	copy(dst.logDetL, m.logDetL)
	copy(dst.logW, m.logW)
	dst.LogLik = m.LogLik
	dst.N = m.N
	dst.Iter = m.Iter
	dst.Converged = m.Converged
}

// Prepare checks the exported fields of a Model built by hand and computes
// the factorisations used by LogProb and SampleComponent. Weights must be
// non-negative (they are used as given, and need not sum to one) and every
// covariance matrix symmetric positive definite.
func (m *Model) Prepare() error {
	k, d := m.K, m.D
	if k < 1 || d < 1 {
		return fmt.Errorf("gmm: Prepare: K = %d, D = %d: want both at least 1", k, d)
	}
	if len(m.Weights) != k || len(m.Means) != k*d || len(m.Covs) != k*d*d {
		return fmt.Errorf("gmm: Prepare: slice lengths %d, %d, %d: want %d, %d, %d",
			len(m.Weights), len(m.Means), len(m.Covs), k, k*d, k*d*d)
	}
	for _, v := range m.Means {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errors.New("gmm: Prepare: non-finite mean")
		}
	}
	for i, w := range m.Weights {
		if !(w >= 0) || math.IsInf(w, 1) {
			return fmt.Errorf("gmm: Prepare: weight %d = %v: want a finite non-negative value", i, w)
		}
	}
	m.chol = resize(m.chol, k*d*d)
	m.precChol = resize(m.precChol, k*d*d)
	m.logDetL = resize(m.logDetL, k)
	m.logW = resize(m.logW, k)
	for c := 0; c < k; c++ {
		cov := m.Cov(c)
		for i := 0; i < d; i++ {
			for j := 0; j < i; j++ {
				if cov[i*d+j] != cov[j*d+i] {
					return fmt.Errorf("gmm: Prepare: covariance %d is not symmetric", c)
				}
			}
		}
		if !m.factor(c) {
			return fmt.Errorf("gmm: Prepare: covariance %d is not positive definite", c)
		}
		m.logW[c] = math.Log(m.Weights[c])
	}
	return nil
}

// resize sets the sizes of m's slices for k components in d dimensions,
// reusing their storage when possible.
func (m *Model) resize(k, d int) {
	m.K, m.D = k, d
	m.Weights = resize(m.Weights, k)
	m.Means = resize(m.Means, k*d)
	m.Covs = resize(m.Covs, k*d*d)
	m.chol = resize(m.chol, k*d*d)
	m.precChol = resize(m.precChol, k*d*d)
	m.logDetL = resize(m.logDetL, k)
	m.logW = resize(m.logW, k)
}

// factor computes the Cholesky factor of covariance c, its inverse and its
// log-determinant. It reports false, leaving them unspecified, when the
// covariance is not numerically positive definite.
func (m *Model) factor(c int) bool {
	d := m.D
	dd := d * d
	a := m.Covs[c*dd : (c+1)*dd]
	l := m.chol[c*dd : (c+1)*dd]
	inv := m.precChol[c*dd : (c+1)*dd]
	logDet := 0.0
	for j := 0; j < d; j++ {
		lj := l[j*d : j*d+j]
		s := a[j*d+j]
		for _, v := range lj {
			s -= v * v
		}
		if !(s > 0) || math.IsInf(s, 1) {
			return false
		}
		ljj := math.Sqrt(s)
		l[j*d+j] = ljj
		logDet += math.Log(ljj)
		r := 1 / ljj
		for i := j + 1; i < d; i++ {
			li := l[i*d : i*d+j]
			s := a[i*d+j]
			for t, v := range li {
				s -= v * lj[t]
			}
			l[i*d+j] = s * r
		}
		for i := 0; i < j; i++ {
			l[i*d+j] = 0
		}
	}
	// inv = L⁻¹ by forward substitution, column by column.
	for j := 0; j < d; j++ {
		for i := 0; i < j; i++ {
			inv[i*d+j] = 0
		}
		inv[j*d+j] = 1 / l[j*d+j]
		for i := j + 1; i < d; i++ {
			s := 0.0
			li := l[i*d : i*d+i]
			for t := j; t < i; t++ {
				s -= li[t] * inv[t*d+j]
			}
			inv[i*d+j] = s / l[i*d+i]
		}
	}
	for _, v := range inv {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	m.logDetL[c] = logDet
	return true
}

// resize returns s with length n, reusing its storage when large enough.
func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
