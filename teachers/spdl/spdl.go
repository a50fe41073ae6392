// Package spdl is the Self-Paced Deep RL teacher of Klink, Abdulsamad,
// Belousov and Peters, "Self-Paced Deep Reinforcement Learning", NeurIPS 2020,
// as TeachMyAgent implements it (Romac et al., ICML 2021;
// teachers/algos/self_paced_teacher.py, adapted from psclklnk/spdl).
//
// SPDL proposes tasks (contexts) from a Gaussian p_θ = N(μ, LLᵀ), θ = [μ,
// log diag L, strictly lower entries of L], and moves it, every
// update_frequency environment steps, to contexts where the student does well
// while pulling it towards a target distribution μ*. Each update maximises
//
//	L(θ) = mean_i[exp(log p_θ(c_i) − log p_old(c_i)) · v_i] − α · KL(p_θ ‖ μ*)
//
// over the contexts c_i buffered since the last update (at most
// max_context_buffer_size, cleared at each update), where v_i is the
// student's value estimate of c_i, under the trust region
// KL(p_old ‖ p_θ) ≤ max_kl. As in the reference it takes one natural-gradient
// step: the gradient g of L, the conjugate-gradient solution of F s = g with F
// the Hessian of KL(p_old ‖ p_θ) (the Fisher information) plus cg_damping·I
// (cg_iterations iterations, residual tolerance cg_residual_tol), the step
// s·sqrt(2·max_kl / sᵀFs), then a line search of up to line_search_steps
// halvings. α follows the reference's PercentageAlphaFunction: 0 for the first
// alpha_offset − 1 updates, then min(1e5, zeta · max(perf, 0) / max(KL(p ‖
// μ*), 1e-10)), where perf is the mean performance of the episodes since the
// last update (use_avg_performance) or the mean of the v_i. After an update,
// if std_lower_bound is set and KL(p ‖ μ*) > kl_threshold, the diagonal of L
// is raised to the bound.
//
// Tasks are drawn from p_θ and clipped into the box. The initial distribution
// is N(initial_mean, diag(initial_std²)) if given, otherwise the reference's
// random "subspace" Gaussian: mean uniform in the box (drawn from the teacher
// stream at construction), standard deviation 10% of each range. The target
// is N(target_mean, diag(target_std²)) if given, otherwise the centre of the
// box with standard deviation range/4. A zero-width dimension gets variance
// 1e-6 in both, as in the reference, and is frozen (see below).
//
// The KL divergences, the gradients and the Fisher-vector products are
// computed in closed form (the reference differentiates twice with PyTorch);
// tests check them against finite differences.
//
// # Values
//
// If the student implements task.ValueEstimator (the runner hands it over
// through task.StudentAware), v_i is its Value of the buffered task, queried
// at update time as the reference queries the critic. Otherwise — the toy
// family's closed-form student, say — the teacher fits a value function
// itself: v_i is the mean performance of the value_k buffered contexts
// nearest to c_i (itself included), in Euclidean distance after scaling each
// dimension by its range. A k-nearest-neighbour regressor needs no
// length-scale or regularisation tuned to the space, cannot extrapolate
// wildly, and costs O(n²·d) for n ≤ max_context_buffer_size contexts, about
// 7 ms per update at n = 1000 in two dimensions; value_k = 1 uses each
// episode's own outcome. It fits only the contexts buffered since the last
// update, so it tracks the student's current competence.
//
// # Performance and steps
//
// The reference accumulates each episode's discounted return from per-step
// rewards. An Outcome carries only the episode's return (or score) and its
// length, so an episode's performance is the chosen signal ("return": the raw
// return, as TeachMyAgent feeds its teachers; "score": the normalised score
// in [0, 1]) times (1 − γ^T) / ((1 − γ)·T) for T steps and γ = discount: the
// discounted return if the reward were earned evenly over the episode. It
// equals the signal for one-step episodes (the toy family) and for
// discount = 1. update_offset and update_frequency count environment steps
// (the sum of Outcome.Steps), as in the reference: an update is due when the
// step counter crosses a multiple of update_frequency at or after
// update_offset; like the reference, it runs before the episode that crossed
// it enters the buffer, and is skipped if the buffer is empty.
//
// The defaults are TeachMyAgent's benchmark values, in walker units
// (update_frequency 50000 and update_offset 200000 steps of 20M). On the toy
// family an episode is one step and a run is 20,000 episodes, so configs must
// scale these down, e.g. update_offset 200 and update_frequency 50 (the same
// fractions of the budget); with the walker values SPDL would never update.
//
// Two behaviours of the algorithm worth knowing when configuring it:
//   - Where every buffered context has value 0 — on the toy family, an
//     initial Gaussian lying on locked cells — the gradient vanishes and
//     α = 0 (it scales with the performance), so SPDL never moves. Give it an
//     initial distribution on easy tasks (initial_mean, initial_std).
//   - The importance-weighted objective is maximised, for equal values, by
//     the maximum-likelihood fit of the buffered contexts, whose variance is
//     biased low; with few contexts per update (update_frequency not much
//     larger than the episode length) the distribution therefore tends to
//     shrink.
//
// # Deliberate differences from the reference
//
//   - The line search accepts a step if KL(p_old ‖ p_θ) ≤ 1.5·max_kl OR the
//     objective did not decrease, as the reference does (line_search = "or");
//     upstream TRPO requires both, offered as line_search = "and". If no step
//     is accepted the distribution stays as it was (counted in Rejected).
//   - The reference raises on a NaN or infinite gradient or CG solution; here
//     the update is skipped and counted (Skipped), so a run never dies on it.
//     A gradient norm below 1e-10 also skips the update, as in the reference.
//   - TeachMyAgent's expert-knowledge naming bug means its SPDL never receives
//     the initial distribution at "high"; initial_mean/initial_std and
//     target_mean/target_std give it explicitly.
//   - The reference's std_lower_bound without kl_threshold raises; here both
//     or neither must be set (kl_threshold < 0 means unset).
//   - A zero-width dimension is frozen: its mean stays where it started, its
//     variance at its initial value (1e-6 by default) and its correlations
//     at 0, and the natural-gradient step works on the other parameters (the
//     gradient and the Fisher matrix restricted to them). Every context has
//     the same value there, so the data say nothing about it. Unfrozen, as in
//     the reference, all contexts clipped onto the one point make every
//     update shrink that variance (z = 0 for every context) until it
//     underflows and the updates fail on NaNs.
//   - Everything is computed in float64 (the reference uses float32
//     tensors).
//
// # Bad input
//
// An outcome whose signal is not finite, with fewer than one step, or for a
// task of the wrong dimension or with non-finite parameters is ignored —
// neither its steps nor its context are recorded — and counted in Ignored. A
// buffered context whose value estimate is not finite is left out of that
// update and also counted in Ignored. The runner never passes bad outcomes.
//
// Sample and Update do not allocate; an update allocates nothing either once
// the teacher is built.
package spdl

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Params are SPDL's hyperparameters.
type Params struct {
	UpdateFrequency   int       `toml:"update_frequency" doc:"environment steps between distribution updates (TeachMyAgent benchmark: 50000; scale to the budget)"`
	UpdateOffset      int       `toml:"update_offset" doc:"environment steps before the first update (TeachMyAgent: 200000; scale to the budget)"`
	AlphaOffset       int       `toml:"alpha_offset" doc:"update number from which the KL penalty towards the target is on (alpha = 0 before)"`
	Zeta              float64   `toml:"zeta" doc:"alpha = zeta·max(perf, 0)/KL(p‖target), capped at 1e5 (PercentageAlphaFunction)"`
	MaxKL             float64   `toml:"max_kl" doc:"trust region of each update: KL(p_old‖p_new) ≤ max_kl"`
	UseAvgPerformance bool      `toml:"use_avg_performance" doc:"alpha uses the mean performance of the episodes since the last update (true) or the mean value estimate (false)"`
	StdLowerBound     []float64 `toml:"std_lower_bound" doc:"optional floor on the standard deviations (one value, or one per dimension), applied while KL(p‖target) > kl_threshold"`
	KLThreshold       float64   `toml:"kl_threshold" doc:"KL(p‖target) above which std_lower_bound applies; < 0 = unset (set both or neither)"`
	MaxContextBuffer  int       `toml:"max_context_buffer_size" doc:"most recent contexts kept for an update"`
	ResetContexts     bool      `toml:"reset_contexts" doc:"clear the context buffer at each update"`
	Discount          float64   `toml:"discount" doc:"discount of the episode performance, applied as if the return were earned evenly over the episode's steps; 1 = undiscounted"`
	CGIterations      int       `toml:"cg_iterations" doc:"conjugate-gradient iterations (n_epochs_cg)"`
	CGDamping         float64   `toml:"cg_damping" doc:"damping added to the Fisher-vector products"`
	CGResidualTol     float64   `toml:"cg_residual_tol" doc:"conjugate gradient stops when the squared residual falls below this"`
	LineSearchSteps   int       `toml:"line_search_steps" doc:"step halvings tried by the line search (n_epochs_line_search)"`
	LineSearch        string    `toml:"line_search" doc:"acceptance rule: or (reference: KL ≤ 1.5·max_kl or no decrease) or and (upstream TRPO: both)"`
	InitialMean       []float64 `toml:"initial_mean" doc:"mean of the initial distribution; empty = uniform random in the box"`
	InitialStd        []float64 `toml:"initial_std" doc:"standard deviations of the initial distribution; empty = 10% of each range"`
	TargetMean        []float64 `toml:"target_mean" doc:"mean of the target distribution; empty = centre of the box"`
	TargetStd         []float64 `toml:"target_std" doc:"standard deviations of the target distribution; empty = range/4"`
	Signal            string    `toml:"signal" doc:"outcome used as performance: return (raw, as TeachMyAgent) or score (normalised to [0,1])"`
	ValueK            int       `toml:"value_k" doc:"neighbours of the k-NN value function fitted when the student has no value estimator; 1 = each episode's own outcome"`
}

// DefaultParams returns TeachMyAgent's benchmark values.
func DefaultParams() Params {
	return Params{
		UpdateFrequency:   50000,
		UpdateOffset:      200000,
		AlphaOffset:       10,
		Zeta:              0.25,
		MaxKL:             0.1,
		UseAvgPerformance: true,
		KLThreshold:       -1,
		MaxContextBuffer:  1000,
		ResetContexts:     true,
		Discount:          0.99,
		CGIterations:      10,
		CGDamping:         1e-2,
		CGResidualTol:     1e-10,
		LineSearchSteps:   10,
		LineSearch:        "or",
		Signal:            "return",
		ValueK:            5,
	}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	switch {
	case p.UpdateFrequency < 1:
		return fmt.Errorf("update_frequency = %d: want at least 1 step", p.UpdateFrequency)
	case p.UpdateOffset < 0:
		return fmt.Errorf("update_offset = %d: want 0 or more steps", p.UpdateOffset)
	case p.AlphaOffset < 0:
		return fmt.Errorf("alpha_offset = %d: want 0 or more updates", p.AlphaOffset)
	case !(p.Zeta >= 0) || math.IsInf(p.Zeta, 0):
		return fmt.Errorf("zeta = %v: want a finite number ≥ 0", p.Zeta)
	case !(p.MaxKL > 0) || math.IsInf(p.MaxKL, 0):
		return fmt.Errorf("max_kl = %v: want a finite number > 0", p.MaxKL)
	case math.IsNaN(p.KLThreshold) || math.IsInf(p.KLThreshold, 0):
		return fmt.Errorf("kl_threshold = %v: want a finite number (< 0 = unset)", p.KLThreshold)
	case len(p.StdLowerBound) > 0 && p.KLThreshold < 0:
		return errors.New("std_lower_bound is set but kl_threshold is not: set both (kl_threshold ≥ 0) or neither")
	case len(p.StdLowerBound) == 0 && p.KLThreshold >= 0:
		return fmt.Errorf("kl_threshold = %v is set but std_lower_bound is not: set both or neither", p.KLThreshold)
	case p.MaxContextBuffer < 1:
		return fmt.Errorf("max_context_buffer_size = %d: want at least 1", p.MaxContextBuffer)
	case !(p.Discount > 0 && p.Discount <= 1):
		return fmt.Errorf("discount = %v: want a number in (0, 1]", p.Discount)
	case p.CGIterations < 1:
		return fmt.Errorf("cg_iterations = %d: want at least 1", p.CGIterations)
	case !(p.CGDamping >= 0) || math.IsInf(p.CGDamping, 0):
		return fmt.Errorf("cg_damping = %v: want a finite number ≥ 0", p.CGDamping)
	case !(p.CGResidualTol >= 0) || math.IsInf(p.CGResidualTol, 0):
		return fmt.Errorf("cg_residual_tol = %v: want a finite number ≥ 0", p.CGResidualTol)
	case p.LineSearchSteps < 1:
		return fmt.Errorf("line_search_steps = %d: want at least 1", p.LineSearchSteps)
	case p.LineSearch != "or" && p.LineSearch != "and":
		return fmt.Errorf("line_search = %q: want or (reference) or and (upstream TRPO)", p.LineSearch)
	case p.Signal != "return" && p.Signal != "score":
		return fmt.Errorf("signal = %q: want return or score", p.Signal)
	case p.ValueK < 1:
		return fmt.Errorf("value_k = %d: want at least 1 neighbour", p.ValueK)
	case len(p.InitialMean) != len(p.InitialStd) && len(p.InitialMean) > 0 && len(p.InitialStd) > 0:
		return fmt.Errorf("initial_mean has %d values and initial_std %d: want one per dimension", len(p.InitialMean), len(p.InitialStd))
	case len(p.TargetMean) != len(p.TargetStd) && len(p.TargetMean) > 0 && len(p.TargetStd) > 0:
		return fmt.Errorf("target_mean has %d values and target_std %d: want one per dimension", len(p.TargetMean), len(p.TargetStd))
	}
	for _, v := range []struct {
		key      string
		vals     []float64
		positive bool
	}{
		{"initial_mean", p.InitialMean, false},
		{"initial_std", p.InitialStd, true},
		{"target_mean", p.TargetMean, false},
		{"target_std", p.TargetStd, true},
		{"std_lower_bound", p.StdLowerBound, true},
	} {
		for i, x := range v.vals {
			if math.IsNaN(x) || math.IsInf(x, 0) || (v.positive && !(x > 0)) {
				want := "a finite number"
				if v.positive {
					want = "a finite number > 0"
				}
				return fmt.Errorf("%s[%d] = %v: want %s", v.key, i, x, want)
			}
		}
	}
	return nil
}

// Teacher is an SPDL teacher on a Box space.
type Teacher struct {
	p     Params
	box   *task.Box
	d, np int
	value task.ValueEstimator

	cur, old, target, trial gaussian
	targetPrec              []float64 // Σ_target⁻¹
	scale                   []float64 // 1/range per dimension (0 where the range is 0), for the k-NN
	lbLog                   []float64 // log of the std lower bound per dimension, or nil
	fixed                   []int     // θ indices frozen because they involve a zero-width dimension

	// The context buffer, a ring of capacity max_context_buffer_size.
	ctx     []float64 // cap×d
	seeds   []uint64
	perf    []float64
	size    int
	written int

	// Episodes since the last update.
	perfSum float64
	perfN   int
	steps   int64

	// Update state and scratch.
	alpha                      float64
	n                          int // contexts in this update
	vals, lpOld, wctx          []float64
	theta, thetaOld, grad, dir []float64
	cgR, cgP, cgZ, fv, full    []float64
	matA, matS, col, z, u      []float64
	knnD                       []float64
	knnI                       []int
	iteration, updates         int
	rejected, skipped, ignored int
	lastKL, lastAlpha          float64

	out, xi []float64 // sampling
}

// New returns an SPDL teacher on space, which must be a *task.Box. rng draws
// the initial mean when initial_mean is not given.
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	box, ok := space.(*task.Box)
	if !ok {
		return nil, fmt.Errorf("spdl: works on a box, not on a %s space", space.Kind())
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := box.Len()
	for _, v := range []struct {
		key  string
		vals []float64
	}{{"initial_mean", p.InitialMean}, {"initial_std", p.InitialStd}, {"target_mean", p.TargetMean}, {"target_std", p.TargetStd}} {
		if len(v.vals) != 0 && len(v.vals) != d {
			return nil, fmt.Errorf("%s has %d values: want one per dimension of the space (%d)", v.key, len(v.vals), d)
		}
	}
	if n := len(p.StdLowerBound); n > 1 && n != d {
		return nil, fmt.Errorf("std_lower_bound has %d values: want one, or one per dimension of the space (%d)", n, d)
	}
	np := numParams(d)
	buf := p.MaxContextBuffer
	t := &Teacher{
		p: p, box: box, d: d, np: np,
		cur: newGaussian(d), old: newGaussian(d), target: newGaussian(d), trial: newGaussian(d),
		targetPrec: make([]float64, d*d),
		scale:      make([]float64, d),
		ctx:        make([]float64, buf*d),
		seeds:      make([]uint64, buf),
		perf:       make([]float64, buf),
		vals:       make([]float64, buf),
		lpOld:      make([]float64, buf),
		wctx:       make([]float64, buf*d),
		theta:      make([]float64, np), thetaOld: make([]float64, np), grad: make([]float64, np), dir: make([]float64, np),
		cgR: make([]float64, np), cgP: make([]float64, np), cgZ: make([]float64, np), fv: make([]float64, np), full: make([]float64, np),
		matA: make([]float64, d*d), matS: make([]float64, d*d),
		col: make([]float64, d), z: make([]float64, d), u: make([]float64, d),
		knnD: make([]float64, p.ValueK), knnI: make([]int, p.ValueK),
		out: make([]float64, d), xi: make([]float64, d),
	}
	lo, hi := box.Lo(), box.Hi()
	mean, std := make([]float64, d), make([]float64, d)
	// Target first, then the initial distribution, whose random mean is the
	// only draw from rng.
	for i := range d {
		w := hi[i] - lo[i]
		if w > 0 {
			t.scale[i] = 1 / w
		}
		mean[i] = lo[i] + w/2
		std[i] = defaultStd(w / 4)
	}
	if len(p.TargetMean) > 0 {
		copy(mean, p.TargetMean)
	}
	if len(p.TargetStd) > 0 {
		copy(std, p.TargetStd)
	}
	t.target.setDiag(mean, std)
	t.target.precision(t.targetPrec, t.col)
	if len(p.InitialMean) > 0 {
		copy(mean, p.InitialMean)
	} else {
		box.Uniform(mean, rng)
	}
	for i := range d {
		std[i] = defaultStd(0.1 * (hi[i] - lo[i]))
	}
	if len(p.InitialStd) > 0 {
		copy(std, p.InitialStd)
	}
	t.cur.setDiag(mean, std)
	t.fixed = frozenParams(lo, hi)
	if len(p.StdLowerBound) > 0 {
		t.lbLog = make([]float64, d)
		for i := range d {
			t.lbLog[i] = math.Log(p.StdLowerBound[min(i, len(p.StdLowerBound)-1)])
		}
	}
	return t, nil
}

// frozenParams returns the indices of θ that involve a zero-width dimension:
// its mean, its log standard deviation and the off-diagonal entries of its
// row and column of L.
func frozenParams(lo, hi []float64) []int {
	d := len(lo)
	var fixed []int
	for i := range d {
		if lo[i] == hi[i] {
			fixed = append(fixed, i, d+i)
		}
	}
	k := 2 * d
	for i := range d {
		for j := range i {
			if lo[i] == hi[i] || lo[j] == hi[j] {
				fixed = append(fixed, k)
			}
			k++
		}
	}
	return fixed
}

// defaultStd returns s, or the reference's √1e-6 for a zero-width range.
func defaultStd(s float64) float64 {
	if s == 0 {
		return 1e-3
	}
	return s
}

// SetStudent implements task.StudentAware: a student with a value estimator
// provides the v_i; any other leaves the teacher to fit its own.
func (t *Teacher) SetStudent(s task.Student) {
	t.value, _ = s.(task.ValueEstimator)
}

// Sample draws a task from the context distribution, clipped into the box.
// The returned Params are valid until the next call.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	t.cur.sample(t.out, t.xi, rng)
	t.box.Clip(t.out)
	return task.Task{Params: t.out, Seed: rng.Uint64()}
}

// Update records the outcome of tk and updates the context distribution when
// the step counter says so.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	r := o.Return
	if t.p.Signal == "score" {
		r = o.Score
	}
	if !task.Finite(r) || o.Steps < 1 || len(tk.Params) != t.d || !task.AllFinite(tk.Params) {
		t.ignored++
		return
	}
	prev := t.steps
	t.steps += int64(o.Steps)
	if t.due(prev, t.steps) && t.perfN > 0 && t.size > 0 {
		t.update()
	}
	perf := r * t.discountFactor(o.Steps)
	t.perfSum += perf
	t.perfN++
	i := t.written % t.p.MaxContextBuffer
	copy(t.ctx[i*t.d:(i+1)*t.d], tk.Params)
	t.seeds[i] = tk.Seed
	t.perf[i] = perf
	t.written++
	t.size = min(t.size+1, t.p.MaxContextBuffer)
}

// due reports whether a step count in (prev, now] is a multiple of
// update_frequency at or after update_offset.
func (t *Teacher) due(prev, now int64) bool {
	f := int64(t.p.UpdateFrequency)
	m := (prev/f + 1) * f
	if off := int64(t.p.UpdateOffset); m < off {
		m = (off + f - 1) / f * f
	}
	return m <= now
}

// discountFactor returns (1 − γ^T)/((1 − γ)·T), the discounted share of a
// return earned evenly over T steps.
func (t *Teacher) discountFactor(steps int) float64 {
	g := t.p.Discount
	if g == 1 || steps == 1 {
		return 1
	}
	return (1 - math.Pow(g, float64(steps))) / ((1 - g) * float64(steps))
}

// update runs one SPDL iteration on the buffered contexts.
func (t *Teacher) update() {
	t.iteration++
	avgPerf := t.perfSum / float64(t.perfN)
	t.perfSum, t.perfN = 0, 0
	t.collect()
	if t.p.ResetContexts {
		t.size, t.written = 0, 0
	}
	if t.n == 0 {
		t.skipped++
		return
	}

	t.old.copyFrom(&t.cur)
	t.cur.theta(t.thetaOld)
	d := t.d
	for i := range t.n {
		t.lpOld[i] = t.old.logPDF(t.wctx[i*d:(i+1)*d], t.z)
	}
	perf := avgPerf
	if !t.p.UseAvgPerformance {
		perf = 0
		for _, v := range t.vals[:t.n] {
			perf += v
		}
		perf /= float64(t.n)
	}
	t.alpha = 0
	if t.iteration >= t.p.AlphaOffset {
		t.alpha = math.Min(1e5, t.p.Zeta*math.Max(perf, 0)/math.Max(kl(&t.old, &t.target, t.col), 1e-10))
	}
	t.lastAlpha = t.alpha

	if t.step() {
		t.updates++
	}
	if t.lbLog != nil && kl(&t.cur, &t.target, t.col) > t.p.KLThreshold {
		t.cur.theta(t.theta)
		for i := range d {
			t.theta[d+i] = math.Max(t.theta[d+i], t.lbLog[i])
		}
		t.cur.setTheta(t.theta)
	}
}

// collect copies the usable buffered contexts into wctx and their values
// into vals, and sets t.n.
func (t *Teacher) collect() {
	d := t.d
	t.n = 0
	if t.value == nil {
		t.fitValues()
		copy(t.wctx, t.ctx[:t.size*d])
		t.n = t.size
		return
	}
	for i := range t.size {
		c := t.ctx[i*d : (i+1)*d]
		v := t.value.Value(task.Task{Params: c, Seed: t.seeds[i]})
		if !task.Finite(v) {
			t.ignored++
			continue
		}
		copy(t.wctx[t.n*d:(t.n+1)*d], c)
		t.vals[t.n] = v
		t.n++
	}
}

// fitValues sets vals[i] to the mean performance of the value_k buffered
// contexts nearest to context i (itself included), in range-scaled Euclidean
// distance; ties go to the earlier slot.
func (t *Teacher) fitValues() {
	d, n := t.d, t.size
	k := min(t.p.ValueK, n)
	bd, bi := t.knnD[:k], t.knnI[:k]
	for i := range n {
		ci := t.ctx[i*d : (i+1)*d]
		m := 0 // neighbours found so far, sorted by distance in bd
		for j := range n {
			cj := t.ctx[j*d : (j+1)*d]
			dist := 0.0
			for a, s := range t.scale {
				x := (ci[a] - cj[a]) * s
				dist += x * x
			}
			if m == k && dist >= bd[k-1] {
				continue
			}
			pos := min(m, k-1)
			for pos > 0 && bd[pos-1] > dist {
				bd[pos], bi[pos] = bd[pos-1], bi[pos-1]
				pos--
			}
			bd[pos], bi[pos] = dist, j
			m = min(m+1, k)
		}
		s := 0.0
		for _, j := range bi {
			s += t.perf[j]
		}
		t.vals[i] = s / float64(k)
	}
}

// objective returns L(θ) for the distribution g over the contexts of this
// update; if grad is not nil it also writes ∇L into it.
func (t *Teacher) objective(g *gaussian, grad []float64) float64 {
	d, n := t.d, t.n
	if grad != nil {
		clear(grad)
	}
	sum := 0.0
	for i := range n {
		c := t.wctx[i*d : (i+1)*d]
		w := math.Exp(g.logPDF(c, t.z) - t.lpOld[i])
		sum += w * t.vals[i]
		if grad != nil {
			g.gradLogPDF(grad, w*t.vals[i]/float64(n), t.z, t.u)
		}
	}
	obj := sum / float64(n)
	if t.alpha != 0 {
		obj -= t.alpha * kl(g, &t.target, t.col)
		if grad != nil {
			g.addGradKLTo(grad, -t.alpha, t.target.mu, t.targetPrec)
		}
	}
	return obj
}

// fisherVec writes (F + damping·I) v into dst, F at the old distribution,
// restricted to the parameters that are not frozen.
func (t *Teacher) fisherVec(dst, v []float64) {
	t.old.fisher(dst, v, t.matA, t.matS, t.col)
	for i := range dst {
		dst[i] += t.p.CGDamping * v[i]
	}
	for _, i := range t.fixed {
		dst[i] = 0
	}
}

// step takes one natural-gradient step under the trust region. It reports
// whether the distribution changed.
func (t *Teacher) step() bool {
	objOld := t.objective(&t.old, t.grad)
	for _, i := range t.fixed {
		t.grad[i] = 0
	}
	if !task.AllFinite(t.grad) {
		t.skipped++
		return false
	}
	if norm(t.grad) < 1e-10 {
		t.skipped++
		return false
	}
	t.conjugateGradient(t.dir, t.grad)
	if !task.AllFinite(t.dir) {
		t.skipped++
		return false
	}
	t.fisherVec(t.fv, t.dir)
	shs := 0.5 * dot(t.dir, t.fv)
	if !(shs > 0) || math.IsInf(shs, 0) {
		t.skipped++
		return false
	}
	lm := math.Sqrt(shs / t.p.MaxKL)
	for i := range t.full {
		t.full[i] = t.dir[i] / lm
	}
	stepSize := 1.0
	for range t.p.LineSearchSteps {
		for i := range t.theta {
			t.theta[i] = t.thetaOld[i] + stepSize*t.full[i]
		}
		t.trial.setTheta(t.theta)
		objNew := t.objective(&t.trial, nil)
		div := kl(&t.old, &t.trial, t.col)
		if t.accept(div <= 1.5*t.p.MaxKL, objNew-objOld >= 0) {
			t.cur.copyFrom(&t.trial)
			t.lastKL = div
			return true
		}
		stepSize *= 0.5
	}
	t.rejected++
	return false
}

// accept is the line search's acceptance rule.
func (t *Teacher) accept(within, improved bool) bool {
	if t.p.LineSearch == "and" {
		return within && improved
	}
	return within || improved
}

// conjugateGradient solves (F + damping·I) x = b approximately, as the
// reference does: at most cg_iterations iterations from x = 0, stopping when
// the squared residual falls below cg_residual_tol.
func (t *Teacher) conjugateGradient(x, b []float64) {
	conjugateGradient(x, b, t.cgR, t.cgP, t.cgZ, t.p.CGIterations, t.p.CGResidualTol, fisherOp{t})
}

// linearOp is a symmetric positive definite matrix known by its products.
type linearOp interface {
	mulVec(dst, v []float64)
}

type fisherOp struct{ t *Teacher }

func (f fisherOp) mulVec(dst, v []float64) { f.t.fisherVec(dst, v) }

// conjugateGradient runs at most iters iterations of conjugate gradient on
// a x = b from x = 0, stopping once the squared residual is below tol; r, p
// and z are scratch of the same length.
func conjugateGradient(x, b, r, p, z []float64, iters int, tol float64, a linearOp) {
	clear(x)
	copy(r, b)
	copy(p, b)
	r2 := dot(r, r)
	for range iters {
		a.mulVec(z, p)
		v := r2 / dot(p, z)
		for i := range x {
			x[i] += v * p[i]
			r[i] -= v * z[i]
		}
		r2New := dot(r, r)
		mu := r2New / r2
		for i := range p {
			p[i] = r[i] + mu*p[i]
		}
		r2 = r2New
		if r2 < tol {
			break
		}
	}
}

// Mean returns the mean of the context distribution. It must not be
// modified and changes at each update.
func (t *Teacher) Mean() []float64 { return t.cur.mu }

// Covariance writes the covariance matrix of the context distribution
// (d×d, row-major) into dst, which it returns; a short dst is replaced.
func (t *Teacher) Covariance(dst []float64) []float64 {
	d := t.d
	if cap(dst) < d*d {
		dst = make([]float64, d*d)
	}
	dst = dst[:d*d]
	for i := range d {
		for j := range d {
			s := 0.0
			for k := 0; k <= min(i, j); k++ {
				s += t.cur.l[i*d+k] * t.cur.l[j*d+k]
			}
			dst[i*d+j] = s
		}
	}
	return dst
}

// TargetKL returns KL(p ‖ target) for the current context distribution.
func (t *Teacher) TargetKL() float64 { return kl(&t.cur, &t.target, t.col) }

// Iterations returns how many updates ran (the reference's algorithm
// iterations, which drive alpha_offset).
func (t *Teacher) Iterations() int { return t.iteration }

// Updates returns how many updates moved the distribution.
func (t *Teacher) Updates() int { return t.updates }

// Rejected returns how many updates found no acceptable step in the line
// search and kept the old distribution.
func (t *Teacher) Rejected() int { return t.rejected }

// Skipped returns how many updates were skipped: gradient norm below 1e-10,
// non-finite gradient or CG solution, or no usable context.
func (t *Teacher) Skipped() int { return t.skipped }

// Ignored returns how many outcomes and value estimates were ignored for
// non-finite values.
func (t *Teacher) Ignored() int { return t.ignored }

// LastKL returns KL(p_old ‖ p_new) of the last step that moved the
// distribution.
func (t *Teacher) LastKL() float64 { return t.lastKL }

// Alpha returns the α of the last update.
func (t *Teacher) Alpha() float64 { return t.lastAlpha }

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func norm(a []float64) float64 { return math.Sqrt(dot(a, a)) }
