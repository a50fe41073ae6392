package gmm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// gauss is an independent multivariate normal built on gonum's Cholesky
// factorisation, used as a reference. (gonum's stat/distmv would do, but it
// pulls in a module that is not in go.sum.)
type gauss struct {
	mu   []float64
	chol mat.Cholesky
	l    mat.TriDense
}

func newGauss(mu, cov []float64) (*gauss, bool) {
	d := len(mu)
	g := &gauss{mu: append([]float64(nil), mu...)}
	if !g.chol.Factorize(mat.NewSymDense(d, append([]float64(nil), cov...))) {
		return nil, false
	}
	g.chol.LTo(&g.l)
	return g, true
}

// LogProb returns the log density at x.
func (g *gauss) LogProb(x []float64) float64 {
	d := len(g.mu)
	diff := mat.NewVecDense(d, nil)
	for i := range x {
		diff.SetVec(i, x[i]-g.mu[i])
	}
	var y mat.VecDense
	if err := g.chol.SolveVecTo(&y, diff); err != nil {
		panic(err)
	}
	return -0.5 * (float64(d)*math.Log(2*math.Pi) + g.chol.LogDet() + mat.Dot(diff, &y))
}

// Rand stores a draw in dst.
func (g *gauss) Rand(dst []float64, rng *rand.Rand) {
	d := len(g.mu)
	z := mat.NewVecDense(d, nil)
	for i := 0; i < d; i++ {
		z.SetVec(i, rng.NormFloat64())
	}
	var y mat.VecDense
	y.MulVec(&g.l, z)
	for i := range dst {
		dst[i] = g.mu[i] + y.AtVec(i)
	}
}

// component describes one Gaussian of a test mixture.
type component struct {
	w   float64
	mu  []float64
	cov []float64 // row-major D×D
}

// sampleMixture draws n points from the mixture with the reference sampler,
// so that the data do not depend on the code under test.
func sampleMixture(t testing.TB, comps []component, n int, seed uint64) []float64 {
	t.Helper()
	d := len(comps[0].mu)
	dists := make([]*gauss, len(comps))
	for i, c := range comps {
		nd, ok := newGauss(c.mu, c.cov)
		if !ok {
			t.Fatalf("component %d: covariance not positive definite", i)
		}
		dists[i] = nd
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	x := make([]float64, n*d)
	for i := 0; i < n; i++ {
		u := rng.Float64()
		c := 0
		for ; c < len(comps)-1; c++ {
			u -= comps[c].w
			if u < 0 {
				break
			}
		}
		dists[c].Rand(x[i*d:(i+1)*d], rng)
	}
	return x
}

// canonicalOrder returns the component indexes of m sorted by the first
// coordinate of their means.
func canonicalOrder(m *Model) []int {
	idx := make([]int, m.K)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return m.Mean(idx[a])[0] < m.Mean(idx[b])[0] })
	return idx
}

func TestRecoverMixture(t *testing.T) {
	tests := []struct {
		name                string
		comps               []component
		n                   int
		tolW, tolMu, tolCov float64
	}{
		{
			name: "2-D two components",
			comps: []component{
				{0.3, []float64{-3, 0}, []float64{1, 0.3, 0.3, 0.5}},
				{0.7, []float64{3, 1}, []float64{0.5, -0.2, -0.2, 1.5}},
			},
			n:    4000,
			tolW: 0.02, tolMu: 0.1, tolCov: 0.15,
		},
		{
			name: "3-D three components",
			comps: []component{
				{0.2, []float64{-5, 0, 0}, []float64{1, 0.2, 0, 0.2, 0.5, 0.1, 0, 0.1, 0.8}},
				{0.3, []float64{0, 4, 1}, []float64{0.6, 0, -0.2, 0, 1.2, 0, -0.2, 0, 0.4}},
				{0.5, []float64{5, -2, 3}, []float64{2, -0.5, 0.3, -0.5, 1, 0, 0.3, 0, 0.7}},
			},
			n:    6000,
			tolW: 0.02, tolMu: 0.1, tolCov: 0.2,
		},
		{
			name: "1-D two components",
			comps: []component{
				{0.4, []float64{-2}, []float64{0.25}},
				{0.6, []float64{2}, []float64{1}},
			},
			n:    3000,
			tolW: 0.03, tolMu: 0.1, tolCov: 0.1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := len(tc.comps[0].mu)
			x := sampleMixture(t, tc.comps, tc.n, 1)
			var f Fitter
			var m Model
			err := f.Fit(&m, x, tc.n, d, Config{K: len(tc.comps), NInit: 3}, rand.New(rand.NewPCG(2, 3)))
			if err != nil {
				t.Fatal(err)
			}
			if !m.Converged {
				t.Errorf("not converged after %d iterations", m.Iter)
			}
			for j, k := range canonicalOrder(&m) {
				want := tc.comps[j]
				if got := m.Weights[k]; math.Abs(got-want.w) > tc.tolW {
					t.Errorf("component %d: weight %.4f, want %.4f", j, got, want.w)
				}
				for a, v := range m.Mean(k) {
					if math.Abs(v-want.mu[a]) > tc.tolMu {
						t.Errorf("component %d: mean[%d] = %.4f, want %.4f", j, a, v, want.mu[a])
					}
				}
				for a, v := range m.Cov(k) {
					if math.Abs(v-want.cov[a]) > tc.tolCov {
						t.Errorf("component %d: cov[%d] = %.4f, want %.4f", j, a, v, want.cov[a])
					}
				}
			}
		})
	}
}

// refEM is a direct transcription of scikit-learn's GaussianMixture EM
// (full covariances) starting from one-hot responsibilities, using gonum for
// the Gaussian densities.
type refResult struct {
	weights, means, covs []float64
	logLik               float64
	iter                 int
	converged            bool
}

func refEM(t *testing.T, x []float64, n, d, k int, labels []int32, cfg Config) refResult {
	t.Helper()
	const eps = 2.220446049250313e-16
	resp := make([]float64, n*k)
	for i, l := range labels {
		resp[i*k+int(l)] = 1
	}
	w := make([]float64, k)
	mu := make([]float64, k*d)
	cov := make([]float64, k*d*d)
	mStep := func(init bool) {
		total := 0.0
		for c := 0; c < k; c++ {
			nk := 10 * eps
			for i := 0; i < n; i++ {
				nk += resp[i*k+c]
			}
			w[c] = nk
			total += nk
			for a := 0; a < d; a++ {
				s := 0.0
				for i := 0; i < n; i++ {
					s += resp[i*k+c] * x[i*d+a]
				}
				mu[c*d+a] = s / nk
			}
			for a := 0; a < d; a++ {
				for b := 0; b < d; b++ {
					s := 0.0
					for i := 0; i < n; i++ {
						s += resp[i*k+c] * (x[i*d+a] - mu[c*d+a]) * (x[i*d+b] - mu[c*d+b])
					}
					cov[c*d*d+a*d+b] = s / nk
				}
				cov[c*d*d+a*d+a] += cfg.RegCovar
			}
		}
		for c := range w {
			if init {
				w[c] /= float64(n)
			} else {
				w[c] /= total
			}
		}
	}
	eStep := func() float64 {
		dists := make([]*gauss, k)
		for c := range dists {
			nd, ok := newGauss(mu[c*d:(c+1)*d], cov[c*d*d:(c+1)*d*d])
			if !ok {
				t.Fatalf("reference: covariance %d not positive definite", c)
			}
			dists[c] = nd
		}
		lp := make([]float64, k)
		ll := 0.0
		for i := 0; i < n; i++ {
			for c := range lp {
				lp[c] = math.Log(w[c]) + dists[c].LogProb(x[i*d:(i+1)*d])
			}
			lse := floats.LogSumExp(lp)
			ll += lse
			for c := range lp {
				resp[i*k+c] = math.Exp(lp[c] - lse)
			}
		}
		return ll / float64(n)
	}
	mStep(true)
	var r refResult
	lb := math.Inf(-1)
	for it := 1; it <= cfg.MaxIter; it++ {
		prev := lb
		lb = eStep()
		mStep(false)
		r.iter = it
		if math.Abs(lb-prev) < cfg.Tol {
			r.converged = true
			break
		}
	}
	r.logLik = eStep()
	r.weights, r.means, r.covs = w, mu, cov
	return r
}

// TestMatchesReferenceEM checks that Fit follows scikit-learn's EM exactly
// (up to rounding) from the same k-means initialisation.
func TestMatchesReferenceEM(t *testing.T) {
	mix2 := []component{
		{0.5, []float64{0, 0}, []float64{1, 0.5, 0.5, 1}},
		{0.3, []float64{2, 2}, []float64{0.3, 0, 0, 0.3}},
		{0.2, []float64{-2, 3}, []float64{0.5, -0.2, -0.2, 0.4}},
	}
	tests := []struct {
		name string
		x    []float64
		n, d int
		ks   []int
	}{
		{"alp 3-D", alpData(250, 2, 7), 250, 3, []int{1, 2, 3, 5, 8}},
		{"mixture 2-D", sampleMixture(t, mix2, 300, 5), 300, 2, []int{2, 3, 4}},
		{"alp 5-D", alpData(200, 4, 8), 200, 5, []int{2, 4}},
		{"alp 13-D", alpData(250, 12, 9), 250, 13, []int{3}},
	}
	for _, tc := range tests {
		for _, k := range tc.ks {
			t.Run(fmt.Sprintf("%s/K=%d", tc.name, k), func(t *testing.T) {
				cfg := Config{K: k, MaxIter: 100, Tol: 1e-3, RegCovar: 1e-6}
				var f, g Fitter
				var m Model
				if err := f.Fit(&m, tc.x, tc.n, tc.d, cfg, rand.New(rand.NewPCG(11, uint64(k)))); err != nil {
					t.Fatal(err)
				}
				// Same seed: the same k-means labels as inside Fit.
				g.grow(tc.n, tc.d, k)
				g.kmeans(tc.x, tc.n, tc.d, k, rand.New(rand.NewPCG(11, uint64(k))))
				ref := refEM(t, tc.x, tc.n, tc.d, k, g.labels, cfg)

				if m.Iter != ref.iter || m.Converged != ref.converged {
					t.Fatalf("iterations %d (converged %v), reference %d (%v)", m.Iter, m.Converged, ref.iter, ref.converged)
				}
				const tol = 1e-7
				if !close(m.LogLik, ref.logLik, tol) {
					t.Errorf("LogLik = %.12g, reference %.12g", m.LogLik, ref.logLik)
				}
				check := func(name string, got, want []float64, scale float64) {
					for i := range want {
						if math.Abs(got[i]-want[i]) > tol*(scale+math.Abs(want[i])) {
							t.Errorf("%s[%d] = %.12g, reference %.12g", name, i, got[i], want[i])
							return
						}
					}
				}
				check("Weights", m.Weights, ref.weights, 1e-3)
				check("Means", m.Means, ref.means, 1)
				check("Covs", m.Covs, ref.covs, 1e-3)
			})
		}
	}
}

func close(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestLogProbMatchesReference(t *testing.T) {
	comps := []component{
		{0.2, []float64{-5, 0, 0}, []float64{1, 0.2, 0, 0.2, 0.5, 0.1, 0, 0.1, 0.8}},
		{0.3, []float64{0, 4, 1}, []float64{0.6, 0, -0.2, 0, 1.2, 0, -0.2, 0, 0.4}},
		{0.5, []float64{5, -2, 3}, []float64{2, -0.5, 0.3, -0.5, 1, 0, 0.3, 0, 0.7}},
	}
	x := sampleMixture(t, comps, 1000, 3)
	var f Fitter
	for _, k := range []int{1, 3, 5} {
		var m Model
		if err := f.Fit(&m, x, 1000, 3, Config{K: k}, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		dists := make([]*gauss, k)
		for c := range dists {
			nd, ok := newGauss(m.Mean(c), m.Cov(c))
			if !ok {
				t.Fatal("not positive definite")
			}
			dists[c] = nd
		}
		lp := make([]float64, k)
		pts := append([]float64(nil), x[:300]...)
		pts = append(pts, 100, -100, 50, 0, 0, 0, -5, 0, 0, 1e3, 1e3, 1e3)
		sum := 0.0
		for i := 0; i < len(pts)/3; i++ {
			p := pts[i*3 : i*3+3]
			for c := range lp {
				lp[c] = math.Log(m.Weights[c]) + dists[c].LogProb(p)
			}
			want := floats.LogSumExp(lp)
			got := m.LogProb(p)
			if !close(got, want, 1e-10) {
				t.Errorf("K=%d: LogProb(%v) = %.15g, gonum %.15g", k, p, got, want)
			}
			if i < 300 {
				sum += got
			}
		}
		// LogLik is the mean log density under the final parameters.
		all := 0.0
		for i := 0; i < 1000; i++ {
			all += m.LogProb(x[i*3 : i*3+3])
		}
		if want := all / 1000; !close(m.LogLik, want, 1e-10) {
			t.Errorf("K=%d: LogLik = %.15g, mean LogProb %.15g", k, m.LogLik, want)
		}
	}
}

func TestCriteria(t *testing.T) {
	tests := []struct {
		k, d, n  int
		logLik   float64
		params   int
		aic, bic float64
	}{
		// params = k*d*(d+1)/2 + k*d + k-1
		{k: 1, d: 1, n: 10, logLik: -1.5, params: 2, aic: 34, bic: 30 + 2*2.302585092994046},
		{k: 2, d: 1, n: 10, logLik: -1.5, params: 5, aic: 40, bic: 30 + 5*2.302585092994046},
		{k: 1, d: 2, n: 100, logLik: 0.25, params: 5, aic: -40, bic: -50 + 5*4.605170185988092},
		{k: 3, d: 3, n: 250, logLik: 2, params: 29, aic: -942, bic: -1000 + 29*5.521460917862246},
		{k: 10, d: 3, n: 250, logLik: -0.5, params: 99, aic: 448, bic: 250 + 99*5.521460917862246},
		{k: 2, d: 13, n: 250, logLik: 1, params: 2*91 + 26 + 1, aic: -500 + 2*209, bic: -500 + 209*5.521460917862246},
	}
	for _, tc := range tests {
		m := Model{K: tc.k, D: tc.d, N: tc.n, LogLik: tc.logLik}
		if got := m.NumParams(); got != tc.params {
			t.Errorf("K=%d D=%d: NumParams = %d, want %d", tc.k, tc.d, got, tc.params)
		}
		if got := m.AIC(); math.Abs(got-tc.aic) > 1e-9 {
			t.Errorf("K=%d D=%d: AIC = %v, want %v", tc.k, tc.d, got, tc.aic)
		}
		if got := m.BIC(); math.Abs(got-tc.bic) > 1e-9 {
			t.Errorf("K=%d D=%d: BIC = %v, want %v", tc.k, tc.d, got, tc.bic)
		}
	}
}

// checkModel verifies that m is a valid, finite mixture of k components in d
// dimensions fitted on the n points of x.
func checkModel(t *testing.T, m *Model, x []float64, n, d, k int) {
	t.Helper()
	if m.K != k || m.D != d || m.N != n {
		t.Fatalf("K, D, N = %d, %d, %d: want %d, %d, %d", m.K, m.D, m.N, k, d, n)
	}
	if len(m.Weights) != k || len(m.Means) != k*d || len(m.Covs) != k*d*d {
		t.Fatalf("slice lengths %d, %d, %d", len(m.Weights), len(m.Means), len(m.Covs))
	}
	finite := func(name string, s []float64) {
		for i, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s[%d] = %v", name, i, v)
			}
		}
	}
	finite("Weights", m.Weights)
	finite("Means", m.Means)
	finite("Covs", m.Covs)
	finite("chol", m.chol)
	finite("precChol", m.precChol)
	finite("logDetL", m.logDetL)
	finite("logW", m.logW)
	finite("LogLik", []float64{m.LogLik, m.AIC(), m.BIC()})
	sum := 0.0
	for _, w := range m.Weights {
		if w < 0 {
			t.Fatalf("negative weight %v", w)
		}
		sum += w
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Fatalf("weights sum to %v", sum)
	}
	// Covariances are symmetric and L·Lᵀ reproduces them. (Their condition
	// number can exceed 1/ε on wild inputs, so whether an independent
	// Cholesky succeeds is down to rounding and is not checked.)
	for c := 0; c < k; c++ {
		cov := m.Cov(c)
		l := m.chol[c*d*d : (c+1)*d*d]
		for a := 0; a < d; a++ {
			if !(l[a*d+a] > 0) {
				t.Fatalf("covariance %d: Cholesky diagonal %v", c, l[a*d+a])
			}
			for b := 0; b < d; b++ {
				if cov[a*d+b] != cov[b*d+a] {
					t.Fatalf("covariance %d not symmetric", c)
				}
				s := 0.0
				for j := 0; j <= min(a, b); j++ {
					s += l[a*d+j] * l[b*d+j]
				}
				if tol := 1e-9 * math.Sqrt(cov[a*d+a]*cov[b*d+b]); math.Abs(s-cov[a*d+b]) > tol {
					t.Fatalf("covariance %d: (L·Lᵀ)[%d,%d] = %v, want %v", c, a, b, s, cov[a*d+b])
				}
			}
		}
	}
	for i := 0; i < n; i++ {
		if v := m.LogProb(x[i*d : (i+1)*d]); math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("LogProb(x[%d]) = %v", i, v)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]float64, d)
	for c := 0; c < k; c++ {
		finite("sample", m.SampleComponent(buf, c, rng))
	}
}

func TestDegenerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	gen := func(n, d int, f func(i, j int) float64) []float64 {
		x := make([]float64, n*d)
		for i := 0; i < n; i++ {
			for j := 0; j < d; j++ {
				x[i*d+j] = f(i, j)
			}
		}
		return x
	}
	halfZero := alpData(250, 2, 3)
	for i := 0; i < 125; i++ {
		copy(halfZero[i*3:i*3+3], []float64{0, 0, 0})
	}
	tests := []struct {
		name string
		x    []float64
		n, d int
		ks   []int
	}{
		{"all identical at origin", gen(30, 3, func(i, j int) float64 { return 0 }), 30, 3, []int{1, 2, 3, 5}},
		{"all identical", gen(40, 3, func(i, j int) float64 { return []float64{0.3, 0.7, 0}[j] }), 40, 3, []int{1, 2, 4, 10}},
		{"zero-variance column", gen(100, 3, func(i, j int) float64 {
			if j == 2 {
				return 0
			}
			return rng.Float64()
		}), 100, 3, []int{1, 2, 3, 6}},
		{"half exact duplicates", halfZero, 250, 3, []int{2, 3, 5, 8, 10}},
		{"two distinct values", gen(60, 2, func(i, j int) float64 { return float64(i % 2) }), 60, 2, []int{1, 2, 3, 4}},
		{"n == K distinct", gen(5, 3, func(i, j int) float64 { return rng.Float64() }), 5, 3, []int{5}},
		{"n == K identical", gen(4, 3, func(i, j int) float64 { return 1 }), 4, 3, []int{4}},
		{"n == K two values", gen(4, 2, func(i, j int) float64 { return float64(i / 2) }), 4, 2, []int{4}},
		{"single point", []float64{1, 2}, 1, 2, []int{1}},
		{"1-D", gen(100, 1, func(i, j int) float64 { return rng.NormFloat64() }), 100, 1, []int{1, 2, 3}},
		{"collinear", gen(80, 3, func(i, j int) float64 { return float64(i%9) * []float64{1, 2, -1}[j] }), 80, 3, []int{1, 2, 3}},
		{"tiny spread", gen(50, 2, func(i, j int) float64 { return 1 + 1e-12*float64(i*(j+1)) }), 50, 2, []int{1, 2, 3}},
		{"huge and tiny scales", gen(200, 3, func(i, j int) float64 {
			switch j {
			case 0:
				return 1e6 + 1e6*rng.NormFloat64()
			case 1:
				return 1e-3 * rng.NormFloat64()
			}
			return float64(i % 3)
		}), 200, 3, []int{1, 2, 4}},
		{"1e6 offset, unit spread", gen(200, 2, func(i, j int) float64 { return 1e6 + float64(i%7) + 1e-3*float64(j) }), 200, 2, []int{1, 2, 3}},
		{"13-D alp", alpData(250, 12, 4), 250, 13, []int{2, 4}},
		{"13-D constant", gen(30, 13, func(i, j int) float64 { return 0.5 }), 30, 13, []int{1, 3}},
	}
	for _, tc := range tests {
		for _, k := range tc.ks {
			t.Run(fmt.Sprintf("%s/K=%d", tc.name, k), func(t *testing.T) {
				var f Fitter
				var m Model
				for _, ninit := range []int{1, 2} {
					err := f.Fit(&m, tc.x, tc.n, tc.d, Config{K: k, NInit: ninit}, rand.New(rand.NewPCG(1, uint64(k))))
					if err != nil {
						t.Fatal(err)
					}
					checkModel(t, &m, tc.x, tc.n, tc.d, k)
				}
			})
		}
	}
}

func TestExtremeValues(t *testing.T) {
	// Values whose squares overflow: Fit must report an error or return a
	// finite model, never NaN or a panic.
	x := []float64{1e200, 0, -1e200, 1, 1e200, 2, 0, 0, 5e199, 3, -1e200, 1}
	var f Fitter
	for k := 1; k <= 3; k++ {
		var m Model
		if err := f.Fit(&m, x, 6, 2, Config{K: k}, rand.New(rand.NewPCG(1, 1))); err == nil {
			checkModel(t, &m, x, 6, 2, k)
		}
	}
}

func TestErrors(t *testing.T) {
	x := alpData(20, 2, 1)
	nan := append([]float64(nil), x...)
	nan[3*7+2] = math.NaN()
	inf := append([]float64(nil), x...)
	inf[0] = math.Inf(-1)
	rng := rand.New(rand.NewPCG(1, 1))
	tests := []struct {
		name    string
		x       []float64
		n, d    int
		cfg     Config
		rng     *rand.Rand
		is      error
		message string
	}{
		{"n < K", x, 20, 3, Config{K: 21}, rng, ErrTooFewPoints, ""},
		{"n < K small", x[:6], 2, 3, Config{K: 3}, rng, ErrTooFewPoints, ""},
		{"n == 0", nil, 0, 3, Config{K: 1}, rng, nil, "n = 0"},
		{"d == 0", nil, 5, 0, Config{K: 1}, rng, nil, "d = 0"},
		{"length", x[:10], 20, 3, Config{K: 1}, rng, nil, "len(x)"},
		{"NaN", nan, 20, 3, Config{K: 2}, rng, nil, "x[7, 2]"},
		{"Inf", inf, 20, 3, Config{K: 2}, rng, nil, "x[0, 0]"},
		{"K == 0", x, 20, 3, Config{}, rng, nil, "K = 0"},
		{"negative MaxIter", x, 20, 3, Config{K: 1, MaxIter: -1}, rng, nil, "MaxIter"},
		{"negative Tol", x, 20, 3, Config{K: 1, Tol: -1}, rng, nil, "Tol"},
		{"NaN RegCovar", x, 20, 3, Config{K: 1, RegCovar: math.NaN()}, rng, nil, "RegCovar"},
		{"negative NInit", x, 20, 3, Config{K: 1, NInit: -2}, rng, nil, "NInit"},
		{"nil rng", x, 20, 3, Config{K: 1}, nil, nil, "rand"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f Fitter
			var m Model
			err := f.Fit(&m, tc.x, tc.n, tc.d, tc.cfg, tc.rng)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q, want %q", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q does not mention %q", err, tc.message)
			}
		})
	}
}

func TestPrepare(t *testing.T) {
	good := Model{K: 2, D: 2, Weights: []float64{0.25, 0.75}, Means: []float64{0, 0, 1, 1},
		Covs: []float64{1, 0.5, 0.5, 2, 0.1, 0, 0, 0.1}}
	if err := good.Prepare(); err != nil {
		t.Fatal(err)
	}
	// Direct evaluation at a point for component densities.
	x := []float64{0.5, -0.5}
	p0 := -math.Log(2*math.Pi) - 0.5*math.Log(1.75) - 0.5*(2*0.25+2*0.5*0.25+0.25)/1.75
	p1 := -math.Log(2*math.Pi) - 0.5*math.Log(0.01) - 0.5*(0.25+2.25)/0.1
	want := math.Log(0.25*math.Exp(p0) + 0.75*math.Exp(p1))
	if got := good.LogProb(x); math.Abs(got-want) > 1e-12 {
		t.Errorf("LogProb = %.15g, want %.15g", got, want)
	}
	// Zero weights drop components; all zero gives -Inf, not NaN.
	good.Weights[0] = 0
	if err := good.Prepare(); err != nil {
		t.Fatal(err)
	}
	if got, want := good.LogProb(x), math.Log(0.75)+p1; math.Abs(got-want) > 1e-12 {
		t.Errorf("LogProb with a zero weight = %.15g, want %.15g", got, want)
	}
	good.Weights[1] = 0
	if err := good.Prepare(); err != nil {
		t.Fatal(err)
	}
	if got := good.LogProb(x); !math.IsInf(got, -1) {
		t.Errorf("LogProb with zero weights = %v, want -Inf", got)
	}
	tests := []struct {
		name string
		m    Model
	}{
		{"K == 0", Model{D: 1}},
		{"lengths", Model{K: 1, D: 2, Weights: []float64{1}, Means: []float64{0}, Covs: []float64{1, 0, 0, 1}}},
		{"not symmetric", Model{K: 1, D: 2, Weights: []float64{1}, Means: []float64{0, 0}, Covs: []float64{1, 0.5, 0, 1}}},
		{"not positive definite", Model{K: 1, D: 2, Weights: []float64{1}, Means: []float64{0, 0}, Covs: []float64{1, 2, 2, 1}}},
		{"negative weight", Model{K: 1, D: 1, Weights: []float64{-1}, Means: []float64{0}, Covs: []float64{1}}},
		{"NaN mean", Model{K: 1, D: 1, Weights: []float64{1}, Means: []float64{math.NaN()}, Covs: []float64{1}}},
	}
	for _, tc := range tests {
		if err := tc.m.Prepare(); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestDeterminism(t *testing.T) {
	x := alpData(250, 2, 2)
	for _, cfg := range []Config{{K: 4}, {K: 7, NInit: 3}} {
		var f1, f2 Fitter
		var a, b Model
		if err := f1.Fit(&a, x, 250, 3, cfg, rand.New(rand.NewPCG(42, 43))); err != nil {
			t.Fatal(err)
		}
		// A used Fitter and a used destination must not change the result.
		var junk Model
		if err := f2.Fit(&junk, alpData(100, 4, 9), 100, 5, Config{K: 9}, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		b = junk
		if err := f2.Fit(&b, x, 250, 3, cfg, rand.New(rand.NewPCG(42, 43))); err != nil {
			t.Fatal(err)
		}
		same := func(name string, p, q []float64) {
			if len(p) != len(q) {
				t.Fatalf("%s: lengths %d, %d", name, len(p), len(q))
			}
			for i := range p {
				if math.Float64bits(p[i]) != math.Float64bits(q[i]) {
					t.Fatalf("%s[%d]: %v != %v", name, i, p[i], q[i])
				}
			}
		}
		same("Weights", a.Weights, b.Weights)
		same("Means", a.Means, b.Means)
		same("Covs", a.Covs, b.Covs)
		same("chol", a.chol, b.chol)
		same("LogLik", []float64{a.LogLik}, []float64{b.LogLik})
		if a.Iter != b.Iter || a.Converged != b.Converged || a.N != b.N {
			t.Fatalf("Iter/Converged/N differ: %d %v %d, %d %v %d", a.Iter, a.Converged, a.N, b.Iter, b.Converged, b.N)
		}
	}
}

func TestNInitKeepsBest(t *testing.T) {
	x := alpData(250, 2, 6)
	for k := 3; k <= 8; k++ {
		var f Fitter
		var one, many Model
		cfg := Config{K: k, Tol: 1e-6, MaxIter: 500}
		if err := f.Fit(&one, x, 250, 3, cfg, rand.New(rand.NewPCG(3, 4))); err != nil {
			t.Fatal(err)
		}
		cfg.NInit = 4
		if err := f.Fit(&many, x, 250, 3, cfg, rand.New(rand.NewPCG(3, 4))); err != nil {
			t.Fatal(err)
		}
		// The first initialisation of many is one; the kept one is at least
		// as good (the lower bound and LogLik differ by less than Tol).
		if many.LogLik < one.LogLik-1e-5 {
			t.Errorf("K=%d: NInit=4 LogLik %v < NInit=1 LogLik %v", k, many.LogLik, one.LogLik)
		}
	}
}

func TestEMImproves(t *testing.T) {
	// The log-likelihood after i EM iterations must not decrease with i
	// (up to the small effect of the covariance regulariser).
	x := alpData(250, 2, 8)
	for _, k := range []int{2, 5} {
		var f Fitter
		var m Model
		prev := math.Inf(-1)
		for it := 1; it <= 30; it++ {
			cfg := Config{K: k, MaxIter: it, Tol: 1e-300}
			if err := f.Fit(&m, x, 250, 3, cfg, rand.New(rand.NewPCG(8, 8))); err != nil {
				t.Fatal(err)
			}
			if m.Iter != it || m.Converged {
				t.Fatalf("MaxIter %d: Iter %d, Converged %v", it, m.Iter, m.Converged)
			}
			if m.LogLik < prev-1e-6 {
				t.Errorf("K=%d: LogLik decreased from %v to %v at iteration %d", k, prev, m.LogLik, it)
			}
			prev = m.LogLik
		}
	}
}

func TestKMeans(t *testing.T) {
	// Four well separated blobs: k-means must find them exactly.
	rng := rand.New(rand.NewPCG(9, 9))
	centres := [][]float64{{0, 0}, {10, 0}, {0, 10}, {10, 10}}
	n := 200
	x := make([]float64, 2*n)
	truth := make([]int, n)
	for i := 0; i < n; i++ {
		c := i % 4
		truth[i] = c
		x[2*i] = centres[c][0] + rng.NormFloat64()
		x[2*i+1] = centres[c][1] + rng.NormFloat64()
	}
	for seed := uint64(0); seed < 10; seed++ {
		var f Fitter
		f.grow(n, 2, 4)
		f.kmeans(x, n, 2, 4, rand.New(rand.NewPCG(seed, 1)))
		// Same partition up to relabelling.
		perm := map[int32]int{}
		for i, l := range f.labels {
			if p, ok := perm[l]; ok && p != truth[i] {
				t.Fatalf("seed %d: point %d in cluster %d with points of blob %d, want blob %d", seed, i, l, p, truth[i])
			}
			perm[l] = truth[i]
		}
		if len(perm) != 4 {
			t.Fatalf("seed %d: %d clusters", seed, len(perm))
		}
		// Labels are nearest centres and centres are cluster means.
		for i := 0; i < n; i++ {
			best := 0
			for c := 1; c < 4; c++ {
				if sqDist(x[2*i:2*i+2], f.centres[2*c:2*c+2]) < sqDist(x[2*i:2*i+2], f.centres[2*best:2*best+2]) {
					best = c
				}
			}
			if int(f.labels[i]) != best {
				t.Fatalf("seed %d: point %d labelled %d, nearest centre %d", seed, i, f.labels[i], best)
			}
		}
		for c := 0; c < 4; c++ {
			var s [2]float64
			cnt := 0
			for i, l := range f.labels {
				if int(l) == c {
					s[0] += x[2*i]
					s[1] += x[2*i+1]
					cnt++
				}
			}
			for j := range s {
				if math.Abs(s[j]/float64(cnt)-f.centres[2*c+j]) > 1e-9 {
					t.Fatalf("seed %d: centre %d is not the mean of its cluster", seed, c)
				}
			}
		}
	}
}

func TestExpAccum(t *testing.T) {
	n := 100000
	out := make([]float64, n)
	mx := make([]float64, n)
	sum := make([]float64, n)
	for i := range out {
		out[i] = -70 * float64(i) / float64(n)
		mx[i] = float64(i%5) - 2
		out[i] += mx[i]
	}
	in := append([]float64(nil), out...)
	expAccum(out, mx, sum)
	for i, v := range in {
		x := v - mx[i]
		if x < expCutoff {
			if out[i] != 0 || sum[i] != 0 {
				t.Fatalf("e^%v = %v, want 0 below the cutoff", x, out[i])
			}
			continue
		}
		want := math.Exp(x)
		if e := math.Abs(out[i]-want) / want; e > 5e-16 {
			t.Fatalf("e^%v = %v, math.Exp %v: relative error %g", x, out[i], want, e)
		}
		if sum[i] != out[i] {
			t.Fatalf("sum not accumulated")
		}
	}
	out[0], mx[0] = math.Inf(-1), 0
	expAccum(out[:1], mx, sum)
	if out[0] != 0 {
		t.Fatalf("e^-Inf = %v", out[0])
	}
}

func TestSampleComponent(t *testing.T) {
	m := Model{K: 2, D: 3,
		Weights: []float64{0.5, 0.5},
		Means:   []float64{0, 0, 0, 1, -2, 3},
		Covs: []float64{
			1, 0, 0, 0, 1, 0, 0, 0, 1,
			2, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 0.5,
		},
	}
	if err := m.Prepare(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(10, 11))
	const n = 200000
	var mean [3]float64
	var cov [9]float64
	buf := make([]float64, 3)
	samples := make([]float64, 3*n)
	for i := 0; i < n; i++ {
		s := m.SampleComponent(buf, 1, rng)
		if &s[0] != &buf[0] {
			t.Fatal("dst not reused")
		}
		copy(samples[3*i:], s)
		for j, v := range s {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= n
	}
	for i := 0; i < n; i++ {
		s := samples[3*i : 3*i+3]
		for a := 0; a < 3; a++ {
			for b := 0; b < 3; b++ {
				cov[a*3+b] += (s[a] - mean[a]) * (s[b] - mean[b])
			}
		}
	}
	for j := range mean {
		se := math.Sqrt(m.Cov(1)[j*3+j] / n)
		if math.Abs(mean[j]-m.Mean(1)[j]) > 5*se {
			t.Errorf("mean[%d] = %v, want %v", j, mean[j], m.Mean(1)[j])
		}
	}
	for j := range cov {
		cov[j] /= n - 1
		if math.Abs(cov[j]-m.Cov(1)[j]) > 0.02 {
			t.Errorf("cov[%d] = %v, want %v", j, cov[j], m.Cov(1)[j])
		}
	}
	if got := m.SampleComponent(nil, 0, rng); len(got) != 3 {
		t.Errorf("SampleComponent(nil) has length %d", len(got))
	}
}

func TestCopy(t *testing.T) {
	x := alpData(250, 2, 1)
	var f Fitter
	var m, big, empty Model
	if err := f.Fit(&big, x, 250, 3, Config{K: 9}, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	if err := f.Fit(&m, x, 250, 3, Config{K: 3}, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	w := &big.Weights[0]
	m.Copy(&big)
	m.Copy(&empty)
	if &big.Weights[0] != w {
		t.Error("Copy did not reuse the destination's storage")
	}
	for _, c := range []*Model{&big, &empty} {
		if c.K != 3 || c.LogLik != m.LogLik || c.Iter != m.Iter || c.N != m.N {
			t.Fatalf("copy differs: %+v", c)
		}
		for i := 0; i < 250; i++ {
			if c.LogProb(x[3*i:3*i+3]) != m.LogProb(x[3*i:3*i+3]) {
				t.Fatal("LogProb of copy differs")
			}
		}
	}
	// The copy is deep.
	m.Means[0] = 1e9
	if empty.Means[0] == 1e9 {
		t.Error("Copy shares storage")
	}
}

func TestZeroAllocs(t *testing.T) {
	x := alpData(250, 2, 1)
	x13 := alpData(250, 12, 1)
	var f Fitter
	models := make([]Model, 11)
	rng := rand.New(rand.NewPCG(1, 2))
	refit := func() {
		for k := 2; k <= 10; k++ {
			if err := f.Fit(&models[k], x, 250, 3, Config{K: k}, rng); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Fit(&models[0], x13, 250, 13, Config{K: 3, NInit: 2}, rng); err != nil {
			t.Fatal(err)
		}
		if err := f.Fit(&models[1], x[:200], 100, 2, Config{K: 4, NInit: 3}, rng); err != nil {
			t.Fatal(err)
		}
	}
	refit()
	if a := testing.AllocsPerRun(5, refit); a != 0 {
		t.Errorf("%v allocations per refit", a)
	}
	var keep Model
	models[5].Copy(&keep)
	buf := make([]float64, 3)
	if a := testing.AllocsPerRun(100, func() {
		models[5].Copy(&keep)
		keep.LogProb(x[:3])
		keep.SampleComponent(buf, 2, rng)
	}); a != 0 {
		t.Errorf("%v allocations per Copy+LogProb+SampleComponent", a)
	}
}

// FuzzFit fits small random data sets built from a few repeated values, and
// checks that Fit neither panics nor returns non-finite models.
func FuzzFit(f *testing.F) {
	f.Add([]byte{3, 2, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add([]byte{10, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{5, 1, 5, 7, 7, 7, 7, 7})
	f.Add([]byte{8, 4, 3, 1, 2, 1, 2, 9, 9, 9, 9, 200, 201, 202, 203, 3, 3, 3})
	f.Add([]byte{6, 2, 6, 255, 254, 253, 0, 1, 2, 128, 129, 130, 64, 65, 66})
	values := []float64{0, 0, 0, 1, -1, 0.5, 1e-3, 1e6, -1e6, 0.25, 1e-9, 3, 1e12, -2.5, 7, 1}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 {
			return
		}
		n := int(data[0])%40 + 1
		d := int(data[1])%4 + 1
		k := int(data[2])%6 + 1
		data = data[3:]
		x := make([]float64, n*d)
		for i := range x {
			if len(data) == 0 {
				break
			}
			b := data[i%len(data)]
			x[i] = values[b%16] + float64(b/16)*0.125
		}
		var fit Fitter
		var m Model
		err := fit.Fit(&m, x, n, d, Config{K: k, NInit: 1 + int(k%2)}, rand.New(rand.NewPCG(uint64(n), uint64(k))))
		if n < k {
			if !errors.Is(err, ErrTooFewPoints) {
				t.Fatalf("n = %d < K = %d: error %v", n, k, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("n=%d d=%d K=%d: %v", n, d, k, err)
		}
		checkModel(t, &m, x, n, d, k)
	})
}

// naiveKMeans transcribes scikit-learn's KMeans(n_init=1) — greedy
// k-means++ then Lloyd iterations with empty-cluster relocation — on
// [][]float64, consuming rng in the same order as Fitter.kmeans.
func naiveKMeans(x [][]float64, k int, rng *rand.Rand) ([]int32, [][]float64) {
	n, d := len(x), len(x[0])
	dist := func(a, b []float64) float64 {
		s := 0.0
		for i := range a {
			s += (a[i] - b[i]) * (a[i] - b[i])
		}
		return s
	}
	// Tolerance: 1e-4 times the mean column variance.
	tol := 0.0
	for j := 0; j < d; j++ {
		m := 0.0
		for i := range x {
			m += x[i][j]
		}
		m /= float64(n)
		for i := range x {
			tol += (x[i][j] - m) * (x[i][j] - m)
		}
	}
	tol = 1e-4 * tol / float64(n*d)

	// Greedy k-means++.
	centres := make([][]float64, k)
	centres[0] = append([]float64(nil), x[rng.IntN(n)]...)
	closest := make([]float64, n)
	pot := 0.0
	for i := range x {
		closest[i] = dist(x[i], centres[0])
		pot += closest[i]
	}
	trials := 2 + int(math.Log(float64(k)))
	for c := 1; c < k; c++ {
		cum := make([]float64, n)
		s := 0.0
		for i, v := range closest {
			s += v
			cum[i] = s
		}
		bestPot, bestID := math.Inf(1), -1
		var bestDist []float64
		for t := 0; t < trials; t++ {
			r := rng.Float64() * pot
			id := sort.SearchFloat64s(cum, r)
			id = min(id, n-1)
			cand := make([]float64, n)
			p := 0.0
			for i := range x {
				cand[i] = math.Min(closest[i], dist(x[i], x[id]))
				p += cand[i]
			}
			if p < bestPot {
				bestPot, bestID, bestDist = p, id, cand
			}
		}
		pot, closest = bestPot, bestDist
		centres[c] = append([]float64(nil), x[bestID]...)
	}

	// Lloyd.
	labels := make([]int32, n)
	old := make([]int32, n)
	for i := range labels {
		labels[i], old[i] = -1, -1
	}
	assign := func() []float64 {
		dd := make([]float64, n)
		for i := range x {
			best := 0
			for c := 1; c < k; c++ {
				if dist(x[i], centres[c]) < dist(x[i], centres[best]) {
					best = c
				}
			}
			labels[i] = int32(best)
			dd[i] = dist(x[i], centres[best])
		}
		return dd
	}
	strict := false
	for it := 0; it < 300; it++ {
		dd := assign()
		sums := make([][]float64, k)
		counts := make([]float64, k)
		for c := range sums {
			sums[c] = make([]float64, d)
		}
		for i, l := range labels {
			counts[l]++
			for j := range x[i] {
				sums[l][j] += x[i][j]
			}
		}
		used := make([]bool, n)
		for c := 0; c < k; c++ {
			if counts[c] != 0 {
				continue
			}
			far := -1
			for i := range x {
				if !used[i] && (far < 0 || dd[i] > dd[far]) {
					far = i
				}
			}
			used[far] = true
			from := labels[far]
			for j := range x[far] {
				sums[from][j] -= x[far][j]
				sums[c][j] = x[far][j]
			}
			counts[from]--
			counts[c] = 1
		}
		shift := 0.0
		for c := range centres {
			next := make([]float64, d)
			for j := range next {
				if counts[c] == 0 {
					next[j] = centres[c][j] // emptied by a relocation: keep
				} else {
					next[j] = sums[c][j] / counts[c]
				}
				shift += (next[j] - centres[c][j]) * (next[j] - centres[c][j])
			}
			centres[c] = next
		}
		same := true
		for i := range labels {
			same = same && labels[i] == old[i]
		}
		if same {
			strict = true
			break
		}
		if shift <= tol {
			break
		}
		copy(old, labels)
	}
	if !strict {
		assign()
	}
	return labels, centres
}

func TestKMeansMatchesReference(t *testing.T) {
	blobs := sampleMixture(t, []component{
		{0.5, []float64{0, 0}, []float64{1, 0, 0, 1}},
		{0.5, []float64{3, 1}, []float64{1, 0.5, 0.5, 1}},
	}, 300, 2)
	same := make([]float64, 3*20)
	pairs := make([]float64, 2*30)
	for i := range pairs {
		pairs[i] = float64(i % 4 / 2)
	}
	tests := []struct {
		name string
		x    []float64
		n, d int
		ks   []int
	}{
		{"alp", alpData(250, 2, 3), 250, 3, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"blobs", blobs, 300, 2, []int{2, 3, 6}},
		{"identical", same, 20, 3, []int{1, 3, 5}},
		{"two values", pairs, 30, 2, []int{2, 4, 7}},
		{"alp 13-D", alpData(250, 12, 3), 250, 13, []int{4}},
	}
	for _, tc := range tests {
		rows := make([][]float64, tc.n)
		for i := range rows {
			rows[i] = tc.x[i*tc.d : (i+1)*tc.d]
		}
		for _, k := range tc.ks {
			for seed := uint64(0); seed < 3; seed++ {
				var f Fitter
				f.grow(tc.n, tc.d, k)
				f.kmeans(tc.x, tc.n, tc.d, k, rand.New(rand.NewPCG(seed, 5)))
				labels, centres := naiveKMeans(rows, k, rand.New(rand.NewPCG(seed, 5)))
				for i := range labels {
					if labels[i] != f.labels[i] {
						t.Fatalf("%s K=%d seed %d: label[%d] = %d, reference %d", tc.name, k, seed, i, f.labels[i], labels[i])
					}
				}
				for c := range centres {
					for j, v := range centres[c] {
						if got := f.centres[c*tc.d+j]; math.Abs(got-v) > 1e-12*(1+math.Abs(v)) {
							t.Fatalf("%s K=%d seed %d: centre[%d][%d] = %v, reference %v", tc.name, k, seed, c, j, got, v)
						}
					}
				}
			}
		}
	}
}
