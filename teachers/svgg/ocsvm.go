package svgg

import "math"

// oneClassSVM is the one-class support vector machine of Schölkopf et al.
// (Neural Computation 13(7), 2001) with the RBF kernel k(x, y) =
// exp(−γ|x − y|²), in the formulation of libsvm, which sklearn's
// OneClassSVM wraps and SVGG's reference fits:
//
//	minimise ½·αᵀQα  subject to  0 ≤ α_i ≤ C_i,  Σ_i α_i = ν·Σ_i C_i,
//	Q_ij = k(x_i, x_j),
//
// with decision function f(x) = Σ_i α_i·k(x_i, x) − ρ. With every C_i = 1
// (libsvm's case) at most a fraction ν of the training points lie outside
// (f < 0) and at least a fraction ν are support vectors. A point given
// with weight C_i stands for C_i copies of one point: its α_i is the sum
// of theirs, so duplicates cost nothing extra.
//
// The solver is libsvm's SMO with second-order working-set selection (Fan,
// Chen and Lin, JMLR 2005), without shrinking (which changes the path, not
// the solution), stopped when the maximal KKT violation falls below tol.
// Kernel rows are computed on demand and kept in a bounded cache.
type oneClassSVM struct {
	d     int
	gamma float64

	sv    []float64 // support vectors, rows of d
	coef  []float64 // their α
	rho   float64
	iters int // SMO iterations of the last fit

	// cacheRows bounds the kernel rows kept while solving; 0 means as many
	// as fit in ocsvmCacheBytes. The solution does not depend on it.
	cacheRows int

	// solver scratch, reused across fits
	alpha, grad []float64
	cache       rowCache
}

// ocsvmTol is the stopping tolerance on the maximal KKT violation,
// sklearn's default tol (the reference keeps it).
const ocsvmTol = 1e-3

// ocsvmCacheBytes bounds the kernel rows the solver keeps.
const ocsvmCacheBytes = 32 << 20

// smoTau replaces a non-positive curvature in the working-set selection
// and the update, as libsvm's TAU.
const smoTau = 1e-12

// fit trains on the l = len(c) points x (l×d) with upper bounds c (the
// points' multiplicities) and sets the support vectors, their coefficients and ρ. It returns
// false if the solver stopped at its iteration limit before reaching tol
// (the solution is then approximate, as libsvm's).
func (s *oneClassSVM) fit(x, c []float64, nu float64) bool {
	d, l := s.d, len(c)
	s.alpha = grow(s.alpha, l)
	s.grad = grow(s.grad, l)
	alpha, grad := s.alpha, s.grad
	rows := s.cacheRows
	if rows == 0 {
		rows = ocsvmCacheBytes / (8 * l)
	}
	s.cache.reset(l, max(2, rows))
	row := func(i int) []float64 {
		r, fresh := s.cache.get(i)
		if fresh {
			xi := x[i*d : (i+1)*d]
			for t := range l {
				r[t] = math.Exp(-s.gamma * sqDist(xi, x[t*d:(t+1)*d]))
			}
		}
		return r
	}

	// libsvm's start: the first points at their bounds until ν·Σ C_i is
	// reached, the rest at 0.
	var total float64
	for i := range l {
		total += c[i]
	}
	left := nu * total
	for i := range l {
		alpha[i] = min(c[i], left)
		left -= alpha[i]
	}
	clear(grad)
	for i := range l {
		if alpha[i] > 0 {
			for t, q := range row(i) {
				grad[t] += alpha[i] * q
			}
		}
	}

	maxIter := max(10_000_000, 100*l)
	converged := false
	s.iters = 0
	for ; s.iters < maxIter; s.iters++ {
		// i: the most violating index that may grow; j: among those that
		// may shrink, the one whose pairing with i decreases the objective
		// most, to second order (Q_ii = Q_jj = 1).
		i, gmax := -1, math.Inf(-1)
		for t := range l {
			if alpha[t] < c[t] && -grad[t] >= gmax {
				i, gmax = t, -grad[t]
			}
		}
		if i < 0 {
			converged = true // every α at its bound: nothing can move
			break
		}
		qi := row(i)
		j, gmax2, best := -1, math.Inf(-1), math.Inf(1)
		for t := range l {
			if alpha[t] <= 0 {
				continue
			}
			gmax2 = max(gmax2, grad[t])
			if diff := gmax + grad[t]; diff > 0 {
				quad := 2 - 2*qi[t]
				if quad <= 0 {
					quad = smoTau
				}
				if obj := -diff * diff / quad; obj <= best {
					j, best = t, obj
				}
			}
		}
		if j < 0 || gmax+gmax2 < ocsvmTol {
			converged = true
			break
		}
		// i was used last, so fetching j (the cache holds at least two
		// rows) leaves qi in place.
		qj := row(j)
		ci, cj := c[i], c[j]
		quad := 2 - 2*qi[j]
		if quad <= 0 {
			quad = smoTau
		}
		oldI, oldJ := alpha[i], alpha[j]
		delta := (grad[i] - grad[j]) / quad
		sum := oldI + oldJ
		ai, aj := oldI-delta, oldJ+delta
		if sum > ci {
			if ai > ci {
				ai, aj = ci, sum-ci
			}
		} else if aj < 0 {
			ai, aj = sum, 0
		}
		if sum > cj {
			if aj > cj {
				ai, aj = sum-cj, cj
			}
		} else if ai < 0 {
			ai, aj = 0, sum
		}
		alpha[i], alpha[j] = ai, aj
		di, dj := ai-oldI, aj-oldJ
		for t := range l {
			grad[t] += qi[t]*di + qj[t]*dj
		}
	}

	// ρ: the mean gradient over the free α, or the middle of the feasible
	// interval when none is free.
	var freeSum float64
	free := 0
	ub, lb := math.Inf(1), math.Inf(-1)
	for t := range l {
		switch {
		case alpha[t] >= c[t]:
			lb = max(lb, grad[t])
		case alpha[t] <= 0:
			ub = min(ub, grad[t])
		default:
			free++
			freeSum += grad[t]
		}
	}
	if free > 0 {
		s.rho = freeSum / float64(free)
	} else {
		s.rho = (ub + lb) / 2
	}

	s.sv, s.coef = s.sv[:0], s.coef[:0]
	for t := range l {
		if alpha[t] > 0 {
			s.sv = append(s.sv, x[t*d:(t+1)*d]...)
			s.coef = append(s.coef, alpha[t])
		}
	}
	return converged
}

// decision returns f(g) = Σ α_i·k(s_i, g) − ρ and, unless grad is nil,
// writes ∇f(g) = −2γ·Σ α_i·k(s_i, g)·(g − s_i) into grad (d values).
func (s *oneClassSVM) decision(g, grad []float64) float64 {
	d := s.d
	if grad != nil {
		clear(grad[:d])
	}
	var f float64
	for i, a := range s.coef {
		sv := s.sv[i*d : (i+1)*d]
		e := a * math.Exp(-s.gamma*sqDist(g, sv))
		f += e
		if grad != nil {
			for k := range d {
				grad[k] -= 2 * s.gamma * e * (g[k] - sv[k])
			}
		}
	}
	return f - s.rho
}

func sqDist(a, b []float64) float64 {
	var sq float64
	for k, v := range b {
		diff := a[k] - v
		sq += diff * diff
	}
	return sq
}

// grow returns s resliced to n values, reallocated if too small; the
// values are not cleared.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// rowCache keeps up to size kernel rows of length l, evicting the least
// recently used.
type rowCache struct {
	l, size int
	slot    []int     // index → slot, −1 when not cached
	owner   []int     // slot → index
	used    []int64   // slot → last use
	rows    []float64 // size×l
	tick    int64
}

func (c *rowCache) reset(l, size int) {
	size = min(size, l)
	c.l, c.size = l, size
	if cap(c.slot) < l {
		c.slot = make([]int, l)
	}
	c.slot = c.slot[:l]
	for i := range c.slot {
		c.slot[i] = -1
	}
	c.owner = c.owner[:0]
	c.used = c.used[:0]
	if need := size * l; cap(c.rows) < need {
		// Grow geometrically up to the byte budget, so that fits on a
		// growing number of goals do not reallocate each time.
		c.rows = make([]float64, 0, max(need, min(2*cap(c.rows), ocsvmCacheBytes/8)))
	}
	c.tick = 0
}

// get returns the row of index i and whether it must be filled (it was not
// cached; its slot may hold another row's values).
func (c *rowCache) get(i int) ([]float64, bool) {
	c.tick++
	l := c.l
	if s := c.slot[i]; s >= 0 {
		c.used[s] = c.tick
		return c.rows[s*l : (s+1)*l], false
	}
	s := len(c.owner)
	if s < c.size {
		c.owner = append(c.owner, i)
		c.used = append(c.used, c.tick)
		c.rows = c.rows[:(s+1)*l]
	} else {
		s = 0
		for k, u := range c.used {
			if u < c.used[s] {
				s = k
			}
		}
		c.slot[c.owner[s]] = -1
		c.owner[s] = i
		c.used[s] = c.tick
	}
	c.slot[i] = s
	return c.rows[s*l : (s+1)*l], true
}
