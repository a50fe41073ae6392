package svgg

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
)

func mustBox(t testing.TB, lo, hi float64) *task.Box {
	t.Helper()
	b, err := task.NewBox(task.Dim{Name: "x", Lo: lo, Hi: hi}, task.Dim{Name: "y", Lo: lo, Hi: hi})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustNew(t testing.TB, p Params, box *task.Box, seed uint64) *Teacher {
	t.Helper()
	tc, err := New(p, box, rand.New(rand.NewPCG(seed, 7)))
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

// gaussianMixtureScore writes ∇ log p of an equal-weight mixture of
// isotropic 2-D Gaussians (means, common std) at the m points of x.
func gaussianMixtureScore(score, x []float64, m int, means [][2]float64, std float64) {
	for i := range m {
		px, py := x[2*i], x[2*i+1]
		var w, gx, gy float64
		for _, mu := range means {
			dx, dy := px-mu[0], py-mu[1]
			e := math.Exp(-(dx*dx + dy*dy) / (2 * std * std))
			w += e
			gx += -e * dx / (std * std)
			gy += -e * dy / (std * std)
		}
		score[2*i], score[2*i+1] = gx/w, gy/w
	}
}

// TestSVGDConvergesToGaussianMixture moves 100 particles started near the
// origin towards known targets with analytic scores and checks their mean
// and spread: a single Gaussian (mean (1, −2), std 0.7) and a mixture of
// two (means (±2, 0), std 0.5: x-variance 4.25, y-variance 0.25, half the
// particles at each mode).
func TestSVGDConvergesToGaussianMixture(t *testing.T) {
	for _, c := range []struct {
		name         string
		means        [][2]float64
		std, sigma   float64
		mean, vr     [2]float64
		tolM, tolVar float64
	}{
		{"gaussian/median", [][2]float64{{1, -2}}, 0.7, 0, [2]float64{1, -2}, [2]float64{0.49, 0.49}, 0.05, 0.25},
		{"gaussian/sigma=1", [][2]float64{{1, -2}}, 0.7, 1, [2]float64{1, -2}, [2]float64{0.49, 0.49}, 0.05, 0.35},
		{"mixture/median", [][2]float64{{-2, 0}, {2, 0}}, 0.5, 0, [2]float64{0, 0}, [2]float64{4.25, 0.25}, 0.3, 0.3},
	} {
		t.Run(c.name, func(t *testing.T) {
			const m = 100
			rng := rand.New(rand.NewPCG(3, 4))
			s := newSVGD(m, 2, c.sigma, 0.1)
			for i := range s.x {
				s.x[i] = 0.3 * rng.NormFloat64()
			}
			for range 1000 {
				gaussianMixtureScore(s.score, s.x, m, c.means, c.std)
				s.direction(1)
				s.step()
			}
			var mean, vr [2]float64
			for i := range m {
				for k := range 2 {
					mean[k] += s.x[2*i+k] / m
				}
			}
			for i := range m {
				for k := range 2 {
					vr[k] += (s.x[2*i+k] - mean[k]) * (s.x[2*i+k] - mean[k]) / m
				}
			}
			for k := range 2 {
				if math.Abs(mean[k]-c.mean[k]) > c.tolM {
					t.Errorf("mean[%d] = %.3f, want %.3f ± %.2f", k, mean[k], c.mean[k], c.tolM)
				}
				if math.Abs(vr[k]-c.vr[k]) > c.tolVar*c.vr[k] {
					t.Errorf("variance[%d] = %.3f, want %.3f ± %.0f%%", k, vr[k], c.vr[k], 100*c.tolVar)
				}
			}
			if len(c.means) == 2 {
				var right int
				for i := range m {
					if s.x[2*i] > 0 {
						right++
					}
				}
				if right < 40 || right > 60 {
					t.Errorf("%d of %d particles at the right mode, want about half", right, m)
				}
			}
		})
	}
}

// TestKernelBandwidth checks the two bandwidth rules: a fixed σ gives
// γ = 1/(2σ²), and the median heuristic takes the median of the whole
// squared-distance matrix, zero diagonal included, as the reference does
// with numpy.
func TestKernelBandwidth(t *testing.T) {
	if g := kernelGamma(1, nil, 0, nil); math.Abs(g-0.5) > 1e-7 {
		t.Errorf("sigma 1: gamma %v, want 0.5", g)
	}
	if g := kernelGamma(0.5, nil, 0, nil); math.Abs(g-2) > 1e-6 {
		t.Errorf("sigma 0.5: gamma %v, want 2", g)
	}
	for _, c := range []struct {
		name   string
		points []float64 // on a line
		median float64
	}{
		{"three points", []float64{0, 1, 3}, 1},      // 0 0 0 1 1 4 4 9 9
		{"two points", []float64{0, 2}, 2},           // 0 0 4 4: (0+4)/2
		{"four points", []float64{0, 1, 2, 10}, 2.5}, // 0×4 1×4 4 4 64…: (1+4)/2
	} {
		m := len(c.points)
		d2 := make([]float64, m*m)
		for i, a := range c.points {
			for j, b := range c.points {
				d2[i*m+j] = (a - b) * (a - b)
			}
		}
		if got := medianSquared(d2, m, nil); got != c.median {
			t.Errorf("%s: median %v, want %v", c.name, got, c.median)
		}
		h := c.median / (2 * math.Log(float64(m)+1))
		if g := kernelGamma(0, d2, m, nil); math.Abs(g-1/(2*h+1e-8)) > 1e-9*g {
			t.Errorf("%s: gamma %v, want %v", c.name, g, 1/(2*h))
		}
	}
	// Against a brute-force median of the full matrix on random points.
	rng := rand.New(rand.NewPCG(1, 1))
	for _, m := range []int{5, 8, 31, 100} {
		x := make([]float64, 2*m)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		d2 := make([]float64, m*m)
		for i := range m {
			for j := range m {
				dx, dy := x[2*i]-x[2*j], x[2*i+1]-x[2*j+1]
				d2[i*m+j] = dx*dx + dy*dy
			}
		}
		all := slices.Clone(d2)
		slices.Sort(all)
		want := all[m*m/2]
		if m*m%2 == 0 {
			want = (all[m*m/2-1] + all[m*m/2]) / 2
		}
		if got := medianSquared(d2, m, nil); got != want {
			t.Errorf("m = %d: median %v, brute force %v", m, got, want)
		}
	}
}

// TestDifficultyPeaks checks that each difficulty term peaks at the
// intermediate success it targets — the mode (α−1)/(α+β−2) of the Beta
// density, 0.5 for the entropy — and that df/dz is its derivative.
func TestDifficultyPeaks(t *testing.T) {
	for _, c := range []struct {
		kind        string
		alpha, beta float64
		mode        float64
	}{
		{DifficultyBeta, 2, 2, 0.5},
		{DifficultyBeta, 1.5, 3, 0.2},
		{DifficultyBeta, 3, 1.5, 0.8},
		{DifficultyBeta, 1, 5, 0},
		{DifficultyEntropy, 0, 0, 0.5},
	} {
		logB := 0.0
		if c.kind == DifficultyBeta {
			logB = logBeta(c.alpha, c.beta)
		}
		best, bestP := math.Inf(-1), -1.0
		for i := 1; i < 1000; i++ {
			p := float64(i) / 1000
			z := math.Log(p / (1 - p))
			f, dfdz := difficulty(c.kind, c.alpha, c.beta, logB, z)
			if f > best {
				best, bestP = f, p
			}
			const h = 1e-6
			fp, _ := difficulty(c.kind, c.alpha, c.beta, logB, z+h)
			fm, _ := difficulty(c.kind, c.alpha, c.beta, logB, z-h)
			if num := (fp - fm) / (2 * h); math.Abs(num-dfdz) > 1e-6*max(1, math.Abs(num)) {
				t.Fatalf("%s(%v, %v) at p = %v: df/dz %v, numeric %v", c.kind, c.alpha, c.beta, p, dfdz, num)
			}
		}
		if math.Abs(bestP-c.mode) > 0.002 {
			t.Errorf("%s(%v, %v) peaks at p = %v, want %v", c.kind, c.alpha, c.beta, bestP, c.mode)
		}
		// The Beta(2, 2) density at its mode is 1.5.
		if c.kind == DifficultyBeta && c.alpha == 2 && c.beta == 2 && math.Abs(best-1.5) > 1e-5 {
			t.Errorf("Beta(2, 2) peak %v, want 1.5", best)
		}
	}
	// Saturated predictions stay finite.
	for _, z := range []float64{-800, -40, 40, 800} {
		f, df := difficulty(DifficultyBeta, 2, 2, logBeta(2, 2), z)
		if math.IsNaN(f) || math.IsNaN(df) || math.IsInf(f, 0) || math.IsInf(df, 0) {
			t.Errorf("z = %v: f %v, df/dz %v", z, f, df)
		}
	}
}

// fitted returns a teacher whose predictor and validity model were fitted on
// a synthetic task: goals in [−1, 5]², success when closer than 2 to the
// origin, achieved goals uniform in [0, 3]².
func fitted(t testing.TB, p Params, seed uint64) *Teacher {
	t.Helper()
	tc := mustNew(t, p, mustBox(t, -1, 5), seed)
	rng := rand.New(rand.NewPCG(seed, 99))
	g := make([]float64, 2)
	for range p.SPMin + 100 {
		tc.box.Uniform(g, rng)
		ok := math.Hypot(g[0], g[1]) < 2
		ach := []float64{3 * rng.Float64(), 3 * rng.Float64()}
		tc.Update(task.Task{Params: g}, task.Outcome{Success: ok, Steps: 1, Achieved: ach})
	}
	tc.fitValidity()
	tc.fitPredictor()
	return tc
}

// smallParams are defaults with quicker fits, for tests.
func smallParams() Params {
	p := DefaultParams()
	p.SPEpochs, p.ValiditySamples, p.SPHidden = 10, 400, []int{16, 16}
	return p
}

// TestTargetGradient checks ∇ log p (the SVGD score: the Beta term through
// the predictor's input gradient plus ∇ log p_valid) against central finite
// differences, for each difficulty term, and that the batched score of the
// particles agrees with LogTarget goal by goal.
func TestTargetGradient(t *testing.T) {
	for _, kind := range []string{DifficultyBeta, DifficultyEntropy, DifficultyNone} {
		p := smallParams()
		p.Difficulty = kind
		tc := fitted(t, p, 5)
		rng := rand.New(rand.NewPCG(2, 2))
		g, grad := make([]float64, 2), make([]float64, 2)
		for range 20 {
			g[0], g[1] = -1+6*rng.Float64(), -1+6*rng.Float64()
			tc.LogTarget(g, grad)
			f := func() float64 { return tc.LogTarget(g, nil) }
			if err := nn.CheckGradient(f, g, slices.Clone(grad), 1e-5, 1e-5); err != nil {
				t.Fatalf("%s at %v: %v", kind, g, err)
			}
		}
		score := make([]float64, len(tc.sv.x))
		tc.logTarget(tc.sv.x, score, p.Particles)
		for i := range p.Particles {
			tc.LogTarget(tc.sv.x[2*i:2*i+2], grad)
			for k := range 2 {
				if math.Abs(grad[k]-score[2*i+k]) > 1e-9*max(1, math.Abs(grad[k])) {
					t.Fatalf("%s: particle %d: batched score %v, single %v", kind, i, score[2*i:2*i+2], grad)
				}
			}
		}
	}
}

// TestValidityModel fits the validity model on goals achieved in the unit
// square and checks that it calls the square valid and far points invalid,
// and that about ν of the fitted goals fall outside.
func TestValidityModel(t *testing.T) {
	const n = 2000
	rng := rand.New(rand.NewPCG(8, 8))
	x := make([]float64, 2*n)
	for i := range x {
		x[i] = rng.Float64()
	}
	v := &validity{svm: oneClassSVM{d: 2, gamma: 0.5}, buf: make([]float64, 2)}
	v.fit(x, ones(n), 0.05, 200, 0.1, rng)
	var out int
	for i := range n {
		if v.svm.decision(x[2*i:2*i+2], nil) < 0 {
			out++
		}
	}
	if out > n*6/100 {
		t.Errorf("%d of %d fitted goals outside, want at most about 5%%", out, n)
	}
	inside := math.Exp(v.logProb([]float64{0.5, 0.5}, nil))
	edge := math.Exp(v.logProb([]float64{1.3, 0.5}, nil))
	far := math.Exp(v.logProb([]float64{4, 4}, nil))
	if inside < 0.9 || edge > 0.5 || far > 1e-3 || v.a <= 0 || v.unsolved > 0 {
		t.Errorf("p_valid: centre %.3g (want > 0.9), 0.3 beyond the edge %.3g (want < 0.5), far %.3g (want < 1e-3); calibration a = %v; %d unsolved",
			inside, edge, far, v.a, v.unsolved)
	}
	// The gradient of log p_valid just outside points back inside.
	grad := make([]float64, 2)
	v.logProb([]float64{1.2, 0.5}, grad)
	if grad[0] >= 0 {
		t.Errorf("gradient of log p_valid at (1.2, 0.5) is %v, want a negative x component", grad)
	}
}

// TestPredictorLearns checks that the fitted predictor separates the
// synthetic task's successes (near the origin) from its failures.
func TestPredictorLearns(t *testing.T) {
	tc := fitted(t, smallParams(), 3)
	near, far := tc.PredictedSuccess([]float64{0.2, 0.3}), tc.PredictedSuccess([]float64{4.5, 4.5})
	if near < 0.7 || far > 0.3 {
		t.Errorf("predicted success near the origin %.2f (want > 0.7), far %.2f (want < 0.3)", near, far)
	}
}

// frontierStudent succeeds on goals closer than radius to the origin.
type frontierStudent struct{ radius float64 }

func (s frontierStudent) outcome(g []float64) task.Outcome {
	ok := math.Hypot(g[0], g[1]) < s.radius
	// Achieved: the goal if reached, else the point of the frontier on
	// the way there.
	ach := slices.Clone(g)
	if r := math.Hypot(g[0], g[1]); !ok && r > 0 {
		ach[0], ach[1] = g[0]*s.radius/r, g[1]*s.radius/r
	}
	return task.Outcome{Success: ok, Steps: 30, Achieved: ach}
}

// meanRadius returns the mean distance of the particles from the origin.
func meanRadius(tc *Teacher) float64 {
	var sum float64
	for _, x := range tc.Particles() {
		sum += math.Hypot(x[0], x[1])
	}
	return sum / float64(tc.p.Particles)
}

// TestParticlesTrackFrontier runs the teacher against a synthetic student
// that reaches every goal within a radius of the origin: the particles
// settle just outside that frontier, where the predicted success is
// intermediate, and when the radius shrinks (an environment change that
// makes goals reached before fail again) they move back towards the new
// frontier: the recovery property. (With a large shrink, particles left
// on the plateau of predicted failure, where the Beta term is flat, move
// only slowly: the pull reaches as far as the predictor's transition.)
func TestParticlesTrackFrontier(t *testing.T) {
	p := smallParams()
	p.ValiditySamples = 200
	p.SPEvery, p.ValidityEvery, p.SPRecent = 600, 600, 300 // refits every 20 episodes
	tc := mustNew(t, p, mustBox(t, -6, 6), 11)
	rng := rand.New(rand.NewPCG(1, 2))
	run := func(s frontierStudent, episodes int) {
		for range episodes {
			tk := tc.Sample(rng)
			tc.Update(tk, s.outcome(tk.Params))
		}
	}
	near := func(lo, hi float64) int {
		var n int
		for _, x := range tc.Particles() {
			if r := math.Hypot(x[0], x[1]); r >= lo && r < hi {
				n++
			}
		}
		return n
	}
	run(frontierStudent{radius: 3}, 700)
	r1, n1 := meanRadius(tc), near(1.6, 2.6)
	run(frontierStudent{radius: 2.2}, 700)
	r2, n2 := meanRadius(tc), near(1.6, 2.6)
	t.Logf("mean particle radius %.2f at frontier 3, %.2f after it shrank to 2.2; particles at radius 1.6–2.6: %d, then %d", r1, r2, n1, n2)
	if r1 < 2.7 || r1 > 3.6 {
		t.Errorf("particles at mean radius %.2f, want just outside the frontier 3", r1)
	}
	if r2 > r1-0.3 || n2 < n1+15 {
		t.Errorf("after the change: mean radius %.2f (from %.2f), %d particles near the new frontier (from %d): want them to move inwards", r2, r1, n2, n1)
	}
	st := tc.Stats()
	if st.SVGDSteps == 0 || st.PredictorFits == 0 || st.ValidityFits == 0 {
		t.Errorf("stats %+v: want particle updates and fits", st)
	}
}

// TestGoalsInsideSpace checks that proposed goals lie in the goal space even
// when the particles do not: particles initialised far outside, and
// particles pushed out by a validity model fitted outside the box.
func TestGoalsInsideSpace(t *testing.T) {
	p := smallParams()
	p.InitMean = []float64{40, -30}
	box := mustBox(t, 0, 1)
	tc := mustNew(t, p, box, 1)
	rng := rand.New(rand.NewPCG(4, 4))
	far := []float64{10, 10}
	for range 500 {
		tk := tc.Sample(rng)
		if !box.Contains(tk.Params) {
			t.Fatalf("goal %v outside %v", tk.Params, box)
		}
		tc.Update(tk, task.Outcome{Success: rng.IntN(2) == 0, Steps: 30, Achieved: far})
	}
	if tc.Stats().SVGDSteps == 0 {
		t.Fatal("no particle update")
	}
	var outside int
	for _, x := range tc.Particles() {
		if !box.Contains(x) {
			outside++
		}
	}
	if outside == 0 {
		t.Error("every particle inside the box: the test does not exercise clipping")
	}
}

// TestDeterminism checks that the same seeds and outcomes give the same
// proposals and particles, bit for bit.
func TestDeterminism(t *testing.T) {
	run := func() ([]float64, [][]float64) {
		p := smallParams()
		p.SPEvery, p.ValidityEvery = 300, 300
		tc := mustNew(t, p, mustBox(t, -2, 4), 21)
		rng := rand.New(rand.NewPCG(21, 7))
		var goals []float64
		for range 250 {
			tk := tc.Sample(rng)
			goals = append(goals, tk.Params...)
			tc.Update(tk, frontierStudent{radius: 2}.outcome(tk.Params))
		}
		return goals, tc.Particles()
	}
	g1, p1 := run()
	g2, p2 := run()
	if !slices.Equal(g1, g2) {
		t.Error("proposals differ between two runs with the same seeds")
	}
	for i := range p1 {
		if !slices.Equal(p1[i], p2[i]) {
			t.Fatalf("particle %d differs: %v vs %v", i, p1[i], p2[i])
		}
	}
}

// TestBadOutcomes checks the policy on bad input: tasks outside the goal
// space and step counts out of range are ignored and counted, missing or
// non-finite achieved goals are left out of the validity model and counted,
// and the particles stay finite.
func TestBadOutcomes(t *testing.T) {
	p := smallParams()
	p.SPEvery, p.ValidityEvery = 300, 300
	tc := mustNew(t, p, mustBox(t, -1, 3), 2)
	rng := rand.New(rand.NewPCG(2, 3))
	nan, inf := math.NaN(), math.Inf(1)
	bad := []struct {
		tk task.Task
		o  task.Outcome
	}{
		{task.Task{Params: []float64{nan, 0}}, task.Outcome{Steps: 30}},
		{task.Task{Params: []float64{0, inf}}, task.Outcome{Steps: 30}},
		{task.Task{Params: []float64{1}}, task.Outcome{Steps: 30}},
		{task.Task{}, task.Outcome{Steps: 30}},
		{task.Task{Params: []float64{0, 3.5}}, task.Outcome{Steps: 30}},
		{task.Task{Params: []float64{0, 1}}, task.Outcome{Steps: -5}},
		{task.Task{Params: []float64{0, 1}}, task.Outcome{Steps: math.MaxInt}},
	}
	for i := range 300 {
		for _, b := range bad {
			tc.Update(b.tk, b.o)
		}
		tk := tc.Sample(rng)
		o := frontierStudent{radius: 1.5}.outcome(tk.Params)
		switch i % 3 {
		case 0:
			o.Achieved = []float64{nan, 1}
		case 1:
			o.Achieved = nil
		}
		tc.Update(tk, o)
	}
	st := tc.Stats()
	if st.Ignored != 300*len(bad) {
		t.Errorf("ignored %d updates, want %d", st.Ignored, 300*len(bad))
	}
	if st.IgnoredAchieved != 200 {
		t.Errorf("left out %d achieved goals, want 200", st.IgnoredAchieved)
	}
	if st.SVGDSteps == 0 {
		t.Fatal("no particle update")
	}
	for _, x := range tc.Particles() {
		if !finiteAll(x) {
			t.Fatalf("particle %v not finite", x)
		}
	}
	if st.Steps != 300*30 {
		t.Errorf("counted %d steps, want %d (ignored updates count none)", st.Steps, 300*30)
	}
}

// TestScheduleAndAllocs checks the schedule (a particle update every
// svgd_every steps once both models are fitted; fits every sp_every and
// validity_every steps) and that Sample and Update allocate nothing
// between fits.
func TestScheduleAndAllocs(t *testing.T) {
	p := smallParams()
	p.SPEvery, p.ValidityEvery, p.SPMin = 600, 900, 5
	tc := mustNew(t, p, mustBox(t, -1, 3), 2)
	rng := rand.New(rand.NewPCG(2, 3))
	s := frontierStudent{radius: 1.5}
	step := func() {
		tk := tc.Sample(rng)
		tc.Update(tk, s.outcome(tk.Params))
	}
	for range 29 { // 870 steps: a predictor fit at 600, no validity fit yet
		step()
	}
	if st := tc.Stats(); st.PredictorFits != 1 || st.ValidityFits != 0 || st.SVGDSteps != 0 {
		t.Fatalf("after 870 steps: %+v, want one predictor fit and nothing else", st)
	}
	step() // 900: validity fit, then the update at 900
	if st := tc.Stats(); st.ValidityFits != 1 || st.SVGDSteps != 1 {
		t.Fatalf("after 900 steps: %+v, want a validity fit and one particle update", st)
	}
	step() // 930: one multiple of 20 (920)
	step() // 960: two (940, 960)
	if st := tc.Stats(); st.SVGDSteps != 4 {
		t.Fatalf("after 960 steps: %d particle updates, want 4", st.SVGDSteps)
	}
	tk := task.Task{Params: []float64{0.5, 0.5}}
	o := s.outcome(tk.Params)
	o.Steps = 5 // no refit within the measured calls
	if a := testing.AllocsPerRun(100, func() { tc.Sample(rng) }); a != 0 {
		t.Errorf("Sample: %v allocations, want 0", a)
	}
	if a := testing.AllocsPerRun(40, func() { tc.Update(tk, o) }); a != 0 {
		t.Errorf("Update with particle updates: %v allocations, want 0", a)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		edit func(*Params)
		want string
	}{
		{func(p *Params) { p.Particles = 0 }, "particles"},
		{func(p *Params) { p.Tau = -1 }, "tau"},
		{func(p *Params) { p.Difficulty = "hard" }, "difficulty"},
		{func(p *Params) { p.Alpha = 0 }, "alpha"},
		{func(p *Params) { p.Sigma = -1 }, "sigma"},
		{func(p *Params) { p.LR = 0 }, "svgd_lr"},
		{func(p *Params) { p.Every = 0 }, "svgd_every"},
		{func(p *Params) { p.Init = "grid" }, "init"},
		{func(p *Params) { p.ValidityNu = 1 }, "validity_nu"},
		{func(p *Params) { p.SPHidden = nil }, "sp_hidden"},
		{func(p *Params) { p.Difficulty, p.Validity = DifficultyNone, false }, "flat"},
		{func(p *Params) { p.InitMean = []float64{math.NaN()} }, "init_mean"},
	} {
		p := DefaultParams()
		c.edit(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate() = %v, want an error naming %q", err, c.want)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	p := DefaultParams()
	p.InitMean = []float64{1, 2, 3}
	if _, err := New(p, mustBox(t, 0, 1), rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), "init_mean") {
		t.Errorf("New with a 3-D init_mean on a 2-D space: %v", err)
	}
	d, _ := task.NewDiscrete([]string{"a", "b"}, nil, nil, nil)
	if _, err := New(DefaultParams(), d, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("New on a Discrete space: no error")
	}
}

// TestAchievedGoals checks what the validity model learns from: every row
// of an outcome's path (else its final achieved goal), all of them while
// they fit in achieved_capacity, then a uniform sample of all reported.
func TestAchievedGoals(t *testing.T) {
	p := smallParams()
	p.AchievedCapacity = 500
	tc := mustNew(t, p, mustBox(t, -1, 5), 1)
	tk := task.Task{Params: []float64{0.5, 0.5}}
	path := make([]float64, 2*30)
	for ep := range 200 {
		for r := range 30 {
			path[2*r], path[2*r+1] = float64(ep*30+r), 0 // the report's rank
		}
		o := task.Outcome{Steps: 30, Path: path, Achieved: path[58:]}
		if ep%2 == 1 {
			o.Path = nil // the final goal only: rank ep*30+29
		}
		tc.Update(tk, o)
		if ep == 0 && (tc.achN != 30 || tc.ach[2*29] != 29) {
			t.Fatalf("after one episode: %d goals stored, the 30th %v; want the path's 30", tc.achN, tc.ach[2*29])
		}
	}
	// 100 episodes × 30 + 100 × 1 = 3100 reported, 500 kept.
	if tc.achSeen != 3100 || tc.achN != 500 {
		t.Fatalf("%d reported, %d stored; want 3100 and 500", tc.achSeen, tc.achN)
	}
	// A uniform sample of the 3100 reports: their mean episode is
	// (30·Σ even + Σ odd)/3100 = 99.0, the sample's within 8 of it (3
	// standard errors); keeping the oldest or the newest would give about
	// 8 or 183.
	var sum float64
	for i := range tc.achN {
		sum += math.Floor(tc.ach[2*i] / 30)
	}
	if mean := sum / float64(tc.achN); math.Abs(mean-99.0) > 8 {
		t.Errorf("mean episode of the stored goals %.1f, want about 99.0 (a uniform sample of all reported)", mean)
	}
}
