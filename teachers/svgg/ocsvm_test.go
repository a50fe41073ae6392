package svgg

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ones returns n unit weights: n distinct points.
func ones(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	return w
}

// blob returns n points: most from a unit square, a few far outliers.
func blob(n int, rng *rand.Rand) []float64 {
	x := make([]float64, 2*n)
	for i := range n {
		x[2*i], x[2*i+1] = rng.Float64(), rng.Float64()
		if i%50 == 7 {
			x[2*i] += 3 + rng.Float64() // an outlier to the right
		}
	}
	return x
}

// TestOneClassSVMTwoPoints checks the case solvable by hand: two points and
// ν = 0.5 give α = (½, ½) by symmetry, both free, so f vanishes at both and
// ρ = ½·(1 + k(x₁, x₂)).
func TestOneClassSVMTwoPoints(t *testing.T) {
	s := &oneClassSVM{d: 2, gamma: 0.5}
	x := []float64{0, 0, 1, 1}
	if !s.fit(x, ones(2), 0.5) {
		t.Fatal("did not converge")
	}
	k := math.Exp(-0.5 * 2)
	if len(s.coef) != 2 || math.Abs(s.coef[0]-0.5) > 1e-12 || math.Abs(s.coef[1]-0.5) > 1e-12 {
		t.Errorf("coefficients %v, want [0.5 0.5]", s.coef)
	}
	if want := (1 + k) / 2; math.Abs(s.rho-want) > 1e-12 {
		t.Errorf("rho %v, want %v", s.rho, want)
	}
	for i := range 2 {
		if f := s.decision(x[2*i:2*i+2], nil); math.Abs(f) > 1e-12 {
			t.Errorf("f(x%d) = %v, want 0", i, f)
		}
	}
}

// TestOneClassSVMOptimal checks the solution against the optimality
// conditions of the quadratic program, with the gradient Qα recomputed from
// scratch: the constraints hold, every α that may grow has Q_tα ≥ ρ − tol
// and every α that may shrink has Q_tα ≤ ρ + tol. It also checks the ν
// property: at most a fraction ν of the points outside, at least ν support
// vectors.
func TestOneClassSVMOptimal(t *testing.T) {
	for _, tc := range []struct {
		n     int
		nu    float64
		gamma float64
	}{{300, 0.01, 0.5}, {300, 0.1, 0.5}, {500, 0.05, 8}, {200, 0.3, 2}} {
		rng := rand.New(rand.NewPCG(uint64(tc.n), 5))
		x := blob(tc.n, rng)
		s := &oneClassSVM{d: 2, gamma: tc.gamma}
		if !s.fit(x, ones(tc.n), tc.nu) {
			t.Fatalf("%+v: did not converge", tc)
		}
		var sum float64
		for _, a := range s.alpha[:tc.n] {
			if a < 0 || a > 1 {
				t.Fatalf("%+v: alpha %v outside [0, 1]", tc, a)
			}
			sum += a
		}
		if want := tc.nu * float64(tc.n); math.Abs(sum-want) > 1e-9 {
			t.Errorf("%+v: sum of alpha %v, want %v", tc, sum, want)
		}
		outside := 0
		for i := range tc.n {
			xi := x[2*i : 2*i+2]
			var g float64
			for j := range tc.n {
				g += s.alpha[j] * math.Exp(-tc.gamma*sqDist(xi, x[2*j:2*j+2]))
			}
			a := s.alpha[i]
			if a < 1 && g < s.rho-ocsvmTol || a > 0 && g > s.rho+ocsvmTol {
				t.Errorf("%+v: point %d: alpha %v, gradient %v, rho %v: KKT violated", tc, i, a, g, s.rho)
			}
			if f := s.decision(xi, nil); math.Abs(f-(g-s.rho)) > 1e-9 {
				t.Errorf("%+v: point %d: decision %v, want %v", tc, i, f, g-s.rho)
			}
			if g-s.rho < -ocsvmTol {
				outside++
			}
		}
		nl := tc.nu * float64(tc.n)
		if float64(outside) > nl+1 || float64(len(s.coef)) < nl {
			t.Errorf("%+v: %d outside (want <= %.0f), %d support vectors (want >= %.0f)", tc, outside, nl, len(s.coef), nl)
		}
	}
}

// TestOneClassSVMCache checks that the solution does not depend on how
// many kernel rows the solver keeps: two rows give the same fit, bit for
// bit, as all of them.
func TestOneClassSVMCache(t *testing.T) {
	x := blob(400, rand.New(rand.NewPCG(2, 2)))
	full := &oneClassSVM{d: 2, gamma: 0.5}
	small := &oneClassSVM{d: 2, gamma: 0.5, cacheRows: 2}
	full.fit(x, ones(400), 0.05)
	small.fit(x, ones(400), 0.05)
	if full.rho != small.rho || full.iters != small.iters || len(full.coef) != len(small.coef) {
		t.Fatalf("rho %v vs %v, %d vs %d iterations, %d vs %d support vectors",
			full.rho, small.rho, full.iters, small.iters, len(full.coef), len(small.coef))
	}
	for i := range full.coef {
		if full.coef[i] != small.coef[i] {
			t.Fatalf("coefficient %d: %v vs %v", i, full.coef[i], small.coef[i])
		}
	}
}

// TestOneClassSVMWeights checks that a point given with weight w acts as w
// copies of it: the decision functions agree within the solver's
// tolerance.
func TestOneClassSVMWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	const u = 150
	var uniq, weights, expanded []float64
	for range u {
		x, y, w := 2*rng.Float64(), rng.Float64(), float64(1+rng.IntN(3))
		uniq = append(uniq, x, y)
		weights = append(weights, w)
		for range int(w) {
			expanded = append(expanded, x, y)
		}
	}
	a := &oneClassSVM{d: 2, gamma: 0.5}
	b := &oneClassSVM{d: 2, gamma: 0.5}
	a.fit(uniq, weights, 0.02)
	b.fit(expanded, ones(len(expanded)/2), 0.02)
	for _, g := range [][]float64{{0.5, 0.5}, {3, -1}, {1.9, 0.1}, {-0.4, 1.2}} {
		fa, fb := a.decision(g, nil), b.decision(g, nil)
		if math.Abs(fa-fb) > 2*ocsvmTol {
			t.Errorf("at %v: decision %v with weights, %v with copies", g, fa, fb)
		}
	}
}

// TestOneClassSVMGradient checks the decision function's gradient against
// central differences.
func TestOneClassSVMGradient(t *testing.T) {
	s := &oneClassSVM{d: 2, gamma: 2}
	s.fit(blob(200, rand.New(rand.NewPCG(4, 4))), ones(200), 0.1)
	grad := make([]float64, 2)
	const h = 1e-6
	for _, g := range [][]float64{{0.5, 0.5}, {1.1, -0.2}, {0.02, 0.9}} {
		s.decision(g, grad)
		for k := range 2 {
			up, down := append([]float64(nil), g...), append([]float64(nil), g...)
			up[k] += h
			down[k] -= h
			num := (s.decision(up, nil) - s.decision(down, nil)) / (2 * h)
			if math.Abs(num-grad[k]) > 1e-6*max(1, math.Abs(num)) {
				t.Errorf("at %v, d/dx%d: analytic %v, numeric %v", g, k, grad[k], num)
			}
		}
	}
}

// TestRowCacheEvictsLeastRecent checks the cache's bookkeeping: with two
// rows, a third index evicts the one used least recently, and cached rows
// keep their values.
func TestRowCacheEvictsLeastRecent(t *testing.T) {
	var c rowCache
	c.reset(5, 2)
	// 2 evicts 1 (0 was used after it), 1 then evicts 0, and 2 is still
	// cached.
	for _, step := range []struct {
		i     int
		fresh bool
	}{{0, true}, {1, true}, {0, false}, {2, true}, {1, true}, {2, false}, {0, true}} {
		r, fresh := c.get(step.i)
		if fresh != step.fresh {
			t.Fatalf("get(%d): fresh %v, want %v", step.i, fresh, step.fresh)
		}
		if fresh {
			r[0] = float64(step.i)
		} else if r[0] != float64(step.i) {
			t.Fatalf("row %d holds the values of row %v", step.i, r[0])
		}
	}
}
