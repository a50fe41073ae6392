package gmm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// maxRegSteps bounds how many times the covariance regulariser is multiplied
// by 10 when a covariance matrix is not numerically positive definite.
const maxRegSteps = 40

// Fitter fits Gaussian mixtures by EM. It holds scratch memory that is reused
// across fits, so that fitting repeatedly at the same (or a smaller) size
// allocates nothing. The zero value is ready to use. A Fitter must not be used
// by several goroutines at once.
type Fitter struct {
	resp []float64 // K*n, component-major: resp[k*n+i]
	work Model     // model of the current initialisation when NInit > 1
	acc  []float64 // D accumulator
	mom  []float64 // K*(D+1): Σᵢ rᵢ and Σᵢ rᵢxᵢ per component
	mx   []float64 // n: largest weighted log density per point
	sum  []float64 // n: sum of scaled densities per point
	xs   []float64 // n*D: the points grouped by k-means label
	grp  []int32   // K+1: start of each label's group in xs

	// k-means scratch
	centres, newCentres []float64 // K*D
	counts              []float64 // K
	labels, oldLabels   []int32   // n
	closest             []float64 // n: squared distance to the nearest centre
	cand, bestCand      []float64 // n: candidate distances in k-means++
	cum                 []float64 // n: cumulative sum of closest
}

// Fit fits a K-component mixture to the n points of dimension d stored
// row-major in x (len(x) == n*d) and stores it in dst, reusing dst's slices
// when they are large enough. rng drives the k-means initialisation. x is not
// retained.
//
// Fit returns ErrTooFewPoints when n < cfg.K, and an error when n == 0,
// d < 1, len(x) != n*d, x holds a non-finite value, cfg is invalid, or the
// data are so extreme (|x| beyond about 1e150) that densities overflow. It
// never returns a model holding NaN or Inf.
//
// The algorithm is scikit-learn's (see the package documentation). It differs
// only at the level of rounding, except in degenerate cases where
// scikit-learn would fail or produce meaningless numbers:
//
//   - An empty k-means cluster takes the point farthest from its centre, as
//     in scikit-learn; a cluster emptied by that move keeps its previous
//     centre instead of being moved to the origin.
//   - In the M-step a component's mean is (Σ rᵢxᵢ + 10ε·μ_old)/(Σ rᵢ + 10ε),
//     where scikit-learn uses μ_old = 0. This differs by about 1e-15
//     relative for any component with a real share of the data, but a
//     component with (numerically) zero responsibility keeps its previous
//     mean (the k-means centre at initialisation) rather than collapsing to
//     the origin. Its covariance is then RegCovar·I and its weight about
//     10ε/n, so it does not affect the likelihood.
//   - Weights are the masses divided by their sum, both at initialisation
//     and in the M-step (scikit-learn divides by n at initialisation; the
//     difference is K*10ε/n).
//   - Responsibilities below e^-64 ≈ 1.6e-28 relative to the point's
//     largest one are set to exactly zero; the other exponentials are
//     computed by an inline table-driven routine, within a few ulps of
//     math.Exp, which is several times faster.
//   - EM runs on a copy of the points grouped by k-means label. The mixture
//     does not depend on the order of the points (sums are only rounded
//     differently), and the grouping makes the skipping of negligible
//     responsibilities cheap.
//   - Where scikit-learn raises an error because a covariance is not
//     positive definite after adding RegCovar, Fit multiplies that
//     component's regulariser by 10, up to 40 times, until the Cholesky
//     factorisation succeeds; Covs then includes the larger regulariser.
func (f *Fitter) Fit(dst *Model, x []float64, n, d int, cfg Config, rng *rand.Rand) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	switch {
	case n < 1:
		return fmt.Errorf("gmm: n = %d: want at least one point", n)
	case d < 1:
		return fmt.Errorf("gmm: d = %d: want at least one dimension", d)
	case len(x) != n*d:
		return fmt.Errorf("gmm: len(x) = %d: want n*d = %d", len(x), n*d)
	case n < cfg.K:
		return ErrTooFewPoints
	case rng == nil:
		return errors.New("gmm: nil *rand.Rand")
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("gmm: x[%d, %d] = %v: want finite values", i/d, i%d, v)
		}
	}
	k := cfg.K
	f.grow(n, d, k)
	dst.resize(k, d)

	best := math.Inf(-1)
	for init := 0; init < cfg.NInit; init++ {
		m := dst
		if init > 0 {
			m = &f.work
			m.resize(k, d)
		}
		lb, err := f.em(m, x, n, d, cfg, rng)
		if err != nil {
			return err
		}
		if init == 0 || lb > best {
			best = lb
			if m != dst {
				m.Copy(dst)
			}
		}
	}
	ll, err := f.eStep(dst, x, n, d)
	if err != nil {
		return err
	}
	dst.LogLik = ll
	dst.N = n
	return nil
}

// grow sizes the scratch buffers.
func (f *Fitter) grow(n, d, k int) {
	f.resp = resize(f.resp, k*n)
	f.acc = resize(f.acc, d)
	f.mom = resize(f.mom, k*(d+1))
	f.mx = resize(f.mx, n)
	f.sum = resize(f.sum, n)
	f.centres = resize(f.centres, k*d)
	f.newCentres = resize(f.newCentres, k*d)
	f.counts = resize(f.counts, k)
	f.labels = resizeInt32(f.labels, n)
	f.oldLabels = resizeInt32(f.oldLabels, n)
	f.closest = resize(f.closest, n)
	f.cand = resize(f.cand, n)
	f.bestCand = resize(f.bestCand, n)
	f.cum = resize(f.cum, n)
}

func resizeInt32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// em runs one initialisation followed by EM on m and returns the final lower
// bound.
func (f *Fitter) em(m *Model, x []float64, n, d int, cfg Config, rng *rand.Rand) (float64, error) {
	k := cfg.K
	f.kmeans(x, n, d, k, rng)
	x = f.groupByLabel(x, n, d, k)
	resp := f.resp
	for i := range resp {
		resp[i] = 0
	}
	for i, l := range f.labels {
		resp[int(l)*n+i] = 1
	}
	copy(m.Means, f.centres) // previous means for empty components
	f.labelMoments(x, n, d, k)
	if err := f.mStep(m, x, n, d, cfg.RegCovar); err != nil {
		return 0, err
	}
	lb := math.Inf(-1)
	m.Converged = false
	m.Iter = 0
	for it := 1; it <= cfg.MaxIter; it++ {
		prev := lb
		var err error
		lb, err = f.eStep(m, x, n, d)
		if err != nil {
			return 0, err
		}
		if err := f.mStep(m, x, n, d, cfg.RegCovar); err != nil {
			return 0, err
		}
		m.Iter = it
		if math.Abs(lb-prev) < cfg.Tol {
			m.Converged = true
			break
		}
	}
	return lb, nil
}

// groupByLabel copies the points of x into f.xs ordered by their k-means
// label, permutes f.labels accordingly and returns f.xs. Since the mixture
// does not depend on the order of the points, EM runs on the grouped copy:
// the points a component is responsible for then form long runs, which makes
// the branches that skip negligible responsibilities predictable.
func (f *Fitter) groupByLabel(x []float64, n, d, k int) []float64 {
	start := resizeInt32(f.grp, k+1)
	f.grp = start
	for i := range start {
		start[i] = 0
	}
	for _, l := range f.labels[:n] {
		start[l+1]++
	}
	for c := 1; c <= k; c++ {
		start[c] += start[c-1]
	}
	xs := resize(f.xs, n*d)
	f.xs = xs
	grouped := f.oldLabels[:n]
	for i, l := range f.labels[:n] {
		p := int(start[l])
		start[l]++
		copy(xs[p*d:(p+1)*d], x[i*d:(i+1)*d])
		grouped[p] = l
	}
	f.labels, f.oldLabels = grouped, f.labels
	return xs
}

// eStep computes the responsibilities of m's components for every point into
// f.resp, and their moments (Σᵢ rᵢ and Σᵢ rᵢxᵢ per component) into f.mom, and
// returns the mean log-likelihood of x under m.
//
// The work is organised component by component over contiguous rows of
// f.resp, with per-point running maxima and sums in f.mx and f.sum.
func (f *Fitter) eStep(m *Model, x []float64, n, d int) (float64, error) {
	k := m.K
	resp := f.resp[:k*n]
	mx, sum := f.mx[:n], f.sum[:n]
	for i := range mx {
		mx[i] = math.Inf(-1)
		sum[i] = 0
	}
	cst := 0.5 * float64(d) * ln2Pi
	for c := 0; c < k; c++ {
		out := resp[c*n : (c+1)*n]
		base := m.logW[c] - cst - m.logDetL[c]
		mu := m.Means[c*d : (c+1)*d]
		p := m.precChol[c*d*d : (c+1)*d*d]
		switch d {
		case 1:
			logProb1(out, mx, x, base, mu, p)
		case 2:
			logProb2(out, mx, x, base, mu, p)
		case 3:
			logProb3(out, mx, x, base, mu, p)
		default:
			logProbN(out, mx, x, base, mu, p, f.acc)
		}
	}
	for _, v := range mx {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, errors.New("gmm: a point has a zero or undefined density under every component: data too extreme")
		}
	}
	for c := 0; c < k; c++ {
		expAccum(resp[c*n:(c+1)*n], mx, sum)
	}
	// The log-likelihood is Σᵢ (mxᵢ + ln sumᵢ) with sumᵢ in [1, K]: add up
	// the mxᵢ and multiply the sumᵢ, scaled by powers of two to stay in
	// range, to take a single logarithm.
	sumMax, prod, exp2 := 0.0, 1.0, 0
	for i, s := range sum {
		sumMax += mx[i]
		prod *= s
		if prod > 0x1p500 {
			prod *= 0x1p-500
			exp2 += 500
		}
		sum[i] = 1 / s
	}
	mom := f.mom[:k*(d+1)]
	for c := 0; c < k; c++ {
		out := resp[c*n : (c+1)*n]
		acc := mom[c*(d+1) : (c+1)*(d+1)]
		if d == 3 {
			normMoments3(out, sum, x, acc)
		} else {
			normMomentsN(out, sum, x, acc)
		}
	}
	ll := sumMax + math.Log(prod) + float64(exp2)*math.Ln2
	return ll / float64(n), nil
}

// logProb3 writes base - ½|P(xᵢ-μ)|² for every 3-D point xᵢ into out, where P
// is lower triangular, and raises mx[i] to it. Like scikit-learn it computes
// P·xᵢ - P·μ, which needs fewer registers.
func logProb3(out, mx, x []float64, base float64, mu, p []float64) {
	const h = 0.70710678118654752440 // √½: |h·y|² = ½|y|²
	p00 := h * p[0]
	p10, p11 := h*p[3], h*p[4]
	p20, p21, p22 := h*p[6], h*p[7], h*p[8]
	b0 := p00 * mu[0]
	b1 := p10*mu[0] + p11*mu[1]
	b2 := p20*mu[0] + p21*mu[1] + p22*mu[2]
	x = x[:3*len(out)]
	mx = mx[:len(out)]
	for i := range out {
		xi := x[3*i : 3*i+3 : 3*i+3]
		y0 := p00*xi[0] - b0
		y1 := p10*xi[0] + p11*xi[1] - b1
		y2 := p20*xi[0] + p21*xi[1] + p22*xi[2] - b2
		v := base - (y0*y0 + y1*y1 + y2*y2)
		out[i] = v
		mx[i] = max(mx[i], v)
	}
}

// logProb2 is logProb3 for 2-D points.
func logProb2(out, mx, x []float64, base float64, mu, p []float64) {
	m0, m1 := mu[0], mu[1]
	p00, p10, p11 := p[0], p[2], p[3]
	x = x[:2*len(out)]
	mx = mx[:len(out)]
	for i := range out {
		xi := x[2*i : 2*i+2 : 2*i+2]
		a, b := xi[0]-m0, xi[1]-m1
		y0 := p00 * a
		y1 := p10*a + p11*b
		v := base - 0.5*(y0*y0+y1*y1)
		out[i] = v
		mx[i] = max(mx[i], v)
	}
}

// logProb1 is logProb3 for 1-D points.
func logProb1(out, mx, x []float64, base float64, mu, p []float64) {
	m0, p00 := mu[0], p[0]
	x = x[:len(out)]
	mx = mx[:len(out)]
	for i, v := range x {
		y := p00 * (v - m0)
		v := base - 0.5*y*y
		out[i] = v
		mx[i] = max(mx[i], v)
	}
}

// logProbN is logProb3 for any dimension; diff is scratch of length D.
func logProbN(out, mx, x []float64, base float64, mu, p, diff []float64) {
	d := len(mu)
	diff = diff[:d]
	mx = mx[:len(out)]
	for i := range out {
		xi := x[i*d : (i+1)*d]
		for j, v := range xi {
			diff[j] = v - mu[j]
		}
		q := 0.0
		for r := 0; r < d; r++ {
			row := p[r*d : r*d+r+1]
			y := 0.0
			for j, v := range row {
				y += v * diff[j]
			}
			q += y * y
		}
		v := base - 0.5*q
		out[i] = v
		mx[i] = max(mx[i], v)
	}
}

// normMoments3 multiplies out[i] by inv[i] and stores Σ out[i] and
// Σ out[i]*xᵢ in acc for 3-D points.
func normMoments3(out, inv, x, acc []float64) {
	inv = inv[:len(out)]
	x = x[:3*len(out)]
	var nk, s0, s1, s2 float64
	for i, v := range out {
		if v == 0 {
			continue
		}
		r := v * inv[i]
		out[i] = r
		xi := x[3*i : 3*i+3 : 3*i+3]
		nk += r
		s0 += r * xi[0]
		s1 += r * xi[1]
		s2 += r * xi[2]
	}
	acc[0], acc[1], acc[2], acc[3] = nk, s0, s1, s2
}

// normMomentsN is normMoments3 for any dimension: acc has length D+1.
func normMomentsN(out, inv, x, acc []float64) {
	d := len(acc) - 1
	inv = inv[:len(out)]
	for j := range acc {
		acc[j] = 0
	}
	s := acc[1:]
	nk := 0.0
	for i, v := range out {
		if v == 0 {
			continue
		}
		r := v * inv[i]
		out[i] = r
		nk += r
		for j, xv := range x[i*d : (i+1)*d] {
			s[j] += r * xv
		}
	}
	acc[0] = nk
}

// mStep estimates m's weights, means and covariances from the
// responsibilities in f.resp and their moments in f.mom, and factorises the
// covariances.
func (f *Fitter) mStep(m *Model, x []float64, n, d int, reg float64) error {
	k := m.K
	dd := d * d
	total := 0.0
	for c := 0; c < k; c++ {
		r := f.resp[c*n : (c+1)*n]
		acc := f.mom[c*(d+1) : (c+1)*(d+1)]
		nk := acc[0] + eps10
		total += nk
		m.Weights[c] = nk
		mu := m.Means[c*d : (c+1)*d]
		for j := range mu {
			mu[j] = (acc[j+1] + eps10*mu[j]) / nk
		}
		cov := m.Covs[c*dd : (c+1)*dd]
		switch d {
		case 3:
			cov3(cov, x, r, mu)
		default:
			covN(cov, x, r, mu, f.acc)
		}
		inv := 1 / nk
		for i := 0; i < d; i++ {
			for j := i; j < d; j++ {
				v := cov[i*d+j] * inv
				cov[i*d+j] = v
				cov[j*d+i] = v
			}
			cov[i*d+i] += reg
		}
		if err := m.factorReg(c, reg); err != nil {
			return err
		}
	}
	for c := 0; c < k; c++ {
		w := m.Weights[c] / total
		m.Weights[c] = w
		m.logW[c] = math.Log(w)
	}
	return nil
}

// labelMoments stores in f.mom the moments of one-hot responsibilities
// given by f.labels.
func (f *Fitter) labelMoments(x []float64, n, d, k int) {
	mom := f.mom[:k*(d+1)]
	for i := range mom {
		mom[i] = 0
	}
	for i, l := range f.labels[:n] {
		acc := mom[int(l)*(d+1) : int(l+1)*(d+1)]
		acc[0]++
		for j, v := range x[i*d : (i+1)*d] {
			acc[j+1] += v
		}
	}
}

// cov3 stores the upper triangle of Σ rᵢ(xᵢ-μ)(xᵢ-μ)ᵀ for 3-D points in cov.
func cov3(cov, x, r, mu []float64) {
	m0, m1, m2 := mu[0], mu[1], mu[2]
	var c00, c01, c02, c11, c12, c22 float64
	for i, ri := range r {
		if ri == 0 {
			continue
		}
		xi := x[3*i : 3*i+3 : 3*i+3]
		a, b, c := xi[0]-m0, xi[1]-m1, xi[2]-m2
		ra, rb := ri*a, ri*b
		c00 += ra * a
		c01 += ra * b
		c02 += ra * c
		c11 += rb * b
		c12 += rb * c
		c22 += ri * c * c
	}
	cov[0], cov[1], cov[2] = c00, c01, c02
	cov[4], cov[5] = c11, c12
	cov[8] = c22
}

// covN is cov3 for any dimension; diff is scratch of length D.
func covN(cov, x, r, mu, diff []float64) {
	d := len(mu)
	for i := range cov {
		cov[i] = 0
	}
	for i, ri := range r {
		if ri == 0 {
			continue
		}
		xi := x[i*d : (i+1)*d]
		for j, v := range xi {
			diff[j] = v - mu[j]
		}
		for a := 0; a < d; a++ {
			ra := ri * diff[a]
			row := cov[a*d+a : (a+1)*d]
			for b, v := range diff[a:] {
				row[b] += ra * v
			}
		}
	}
}

// factorReg factorises covariance c, multiplying the regulariser by 10 until
// the factorisation succeeds.
func (m *Model) factorReg(c int, reg float64) error {
	d := m.D
	cov := m.Cov(c)
	for _, v := range cov {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("gmm: covariance %d overflows: data too extreme", c)
		}
	}
	for step := 0; ; step++ {
		if m.factor(c) {
			return nil
		}
		if step == maxRegSteps {
			return fmt.Errorf("gmm: covariance %d is not positive definite even with regulariser %g", c, reg)
		}
		for i := 0; i < d; i++ {
			cov[i*d+i] += 9 * reg
		}
		reg *= 10
	}
}
