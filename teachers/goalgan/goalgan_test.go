package goalgan

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/task/tasktest"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 9)) }

func newTeacher(t testing.TB, p Params, space task.Space, seed uint64) *Teacher {
	t.Helper()
	tc, err := New(p, space, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

// smallParams shrink the GAN for fast tests of the bookkeeping.
func smallParams() Params {
	p := DefaultParams()
	p.GeneratorSizes, p.DiscriminatorSizes = []int{16, 16}, []int{16, 16}
	p.PretrainIters, p.GANIters = 20, 10
	return p
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Params)
		err  string
	}{
		{func(p *Params) { p.StateNoiseLevel = -1 }, "state_noise_level = -1"},
		{func(p *Params) { p.SuccessDistanceThreshold = math.NaN() }, "success_distance_threshold = NaN"},
		{func(p *Params) { p.UpdateSize = 0 }, "update_size = 0"},
		{func(p *Params) { p.NRollouts = 0 }, "n_rollouts = 0"},
		{func(p *Params) { p.GoidLB = -0.1 }, "goid_lb = -0.1"},
		{func(p *Params) { p.GoidUB = 0.2 }, "goid_ub = 0.2"},
		{func(p *Params) { p.POld = 2 }, "p_old = 2"},
		{func(p *Params) { p.PretrainIters = -1 }, "pretrain_iters = -1"},
		{func(p *Params) { p.PretrainSamples = 0 }, "pretrain_samples = 0"},
		{func(p *Params) { p.GANIters = 0 }, "gan_iters = 0"},
		{func(p *Params) { p.BatchSize = 0 }, "batch_size = 0"},
		{func(p *Params) { p.GeneratorSizes = []int{0} }, "generator_sizes[0] = 0"},
		{func(p *Params) { p.DiscriminatorSizes = []int{8, -1} }, "discriminator_sizes[1] = -1"},
		{func(p *Params) { p.DiscLeakySlope = 1 }, "discriminator_leaky_slope = 1"},
		{func(p *Params) { p.GeneratorLR = 0 }, "generator_lr = 0"},
		{func(p *Params) { p.DiscriminatorLR = math.Inf(1) }, "discriminator_lr = +Inf"},
		{func(p *Params) { p.NoiseSize = -2 }, "noise_size = -2"},
		{func(p *Params) { p.OutputScale = 0 }, "output_scale = 0"},
		{func(p *Params) { p.InitialMean = []float64{0.5} }, "initial_mean has 1 values and initial_std 0"},
		{func(p *Params) { p.InitialMean, p.InitialStd = []float64{0.5}, []float64{-1} }, "initial_std[0] = -1"},
	} {
		p := DefaultParams()
		tc.edit(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Validate() = %v, want an error containing %q", err, tc.err)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	if _, err := New(DefaultParams(), &task.Discrete{}, newRNG(1)); err == nil {
		t.Error("New accepted a discrete space")
	}
	p := smallParams()
	p.InitialMean, p.InitialStd = []float64{0.5}, []float64{0.1}
	if _, err := New(p, tasktest.UnitBox(t, 2), newRNG(1)); err == nil || !strings.Contains(err.Error(), "want one per dimension") {
		t.Errorf("New with a 1-d initial mean on a 2-d box: %v", err)
	}
}

// TestGOIDLabels: with n_rollouts = 2 a goal's mean success is 0, ½ or 1;
// only ½ is a GOID, and only 1 goes to the success buffer.
func TestGOIDLabels(t *testing.T) {
	p := smallParams()
	p.POld = 0 // only generator goals
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 1)
	rng := newRNG(2)
	type pair struct{ first, second bool }
	cases := []pair{{false, false}, {true, false}, {false, true}, {true, true}}
	var goals [][]float64
	for _, c := range cases {
		a := tc.Sample(rng).Clone()
		b := tc.Sample(rng).Clone()
		if a.Seed == b.Seed || !equal(a.Params, b.Params) {
			t.Fatalf("second rollout %v (seed %d) is not a repeat of %v (seed %d)", b.Params, b.Seed, a.Params, a.Seed)
		}
		tc.Update(a, tasktest.Binary(c.first))
		tc.Update(b, tasktest.Binary(c.second))
		goals = append(goals, a.Params)
	}
	wantY := []float64{0, 1, 1, 0}
	for i, g := range goals {
		if !equal(tc.trainX[i*2:(i+1)*2], g) || tc.trainY[i] != wantY[i] {
			t.Errorf("goal %d (%v): labelled %v with label %v, want %v", i, cases[i], tc.trainX[i*2:(i+1)*2], tc.trainY[i], wantY[i])
		}
	}
	s := tc.Stats()
	if s.Labelled != 4 || s.GOIDs != 2 || s.BufferSize != 1 {
		t.Errorf("stats %+v: want 4 labelled, 2 GOIDs, 1 buffered", s)
	}
	if !equal(tc.buffer.pts, goals[3]) {
		t.Errorf("buffer holds %v, want the always-successful goal %v", tc.buffer.pts, goals[3])
	}
}

// TestGOIDBoundsWithFourRollouts: with 4 rollouts the means ¼, ½ and ¾ are
// GOIDs (bounds inclusive), 0 and 1 are not.
func TestGOIDBoundsWithFourRollouts(t *testing.T) {
	p := smallParams()
	p.POld, p.NRollouts = 0, 4
	tc := newTeacher(t, p, tasktest.UnitBox(t, 1), 3)
	rng := newRNG(4)
	for succ := range 5 {
		for i := range 4 {
			tk := tc.Sample(rng)
			tc.Update(tk, tasktest.Binary(i < succ))
		}
	}
	want := []float64{0, 1, 1, 1, 0}
	for i, w := range want {
		if tc.trainY[i] != w {
			t.Errorf("%d successes of 4: label %v, want %v", i, tc.trainY[i], w)
		}
	}
}

func TestSuccessBufferThreshold(t *testing.T) {
	b := successBuffer{d: 2, threshold: 0.1}
	for _, tc := range []struct {
		x    []float64
		kept bool
	}{
		{[]float64{0.5, 0.5}, true},
		{[]float64{0.55, 0.55}, false}, // 0.071 from the first
		{[]float64{0.5, 0.625}, true},  // 0.125
		{[]float64{0.8, 0.5}, true},
		{[]float64{0.8, 0.601}, true},  // 0.101 from the previous
		{[]float64{0.801, 0.5}, false}, // 0.001
	} {
		if got := b.add(tc.x); got != tc.kept {
			t.Errorf("add(%v) = %v, want %v (buffer %v)", tc.x, got, tc.kept, b.pts)
		}
	}
	// The reference keeps only goals strictly farther than the threshold.
	b1 := successBuffer{d: 1, threshold: 0.5}
	if b1.add([]float64{0}); b1.add([]float64{0.5}) || !b1.add([]float64{-0.75}) {
		t.Errorf("threshold 0.5: buffer %v, want [0 -0.75]", b1.pts)
	}
	if b.len() != 4 {
		t.Errorf("buffer holds %d goals, want 4", b.len())
	}
	// Through the teacher: the threshold is success_distance_threshold ×
	// the box diagonal (here 0.1 × 5 = 0.5 on a 3 × 4 box).
	p := smallParams()
	p.POld, p.SuccessDistanceThreshold = 0, 0.1
	tc := newTeacher(t, p, tasktest.Box(t, [2]float64{0, 3}, [2]float64{0, 4}), 5)
	if got := tc.buffer.threshold; math.Abs(got-0.5) > 1e-12 {
		t.Errorf("threshold %v, want 0.5", got)
	}
	b0 := successBuffer{d: 1}
	b0.add([]float64{1})
	if !b0.add([]float64{1}) {
		t.Error("a zero threshold rejected a duplicate")
	}
}

// TestRepeatQueue: a new goal is proposed n_rollouts times in a row, updates
// are matched by seed in any order, and corrupt or foreign updates do not
// label anything.
func TestRepeatQueue(t *testing.T) {
	p := smallParams()
	p.POld, p.NRollouts = 0, 3
	tc := newTeacher(t, p, tasktest.Box(t, [2]float64{0, 3}, [2]float64{-1, 1}), 6)
	rng := newRNG(7)
	var first []task.Task
	for range 3 {
		first = append(first, tc.Sample(rng).Clone())
	}
	next := tc.Sample(rng).Clone()
	if !equal(first[0].Params, first[1].Params) || !equal(first[0].Params, first[2].Params) || equal(first[0].Params, next.Params) {
		t.Fatalf("samples %v %v %v %v: want three repeats then a new goal", first[0].Params, first[1].Params, first[2].Params, next.Params)
	}
	// Out of order and through float32.
	f32 := first[0].Clone()
	for i, v := range f32.Params {
		f32.Params[i] = float64(float32(v))
	}
	tc.Update(first[2], tasktest.Binary(true))
	tc.Update(f32, tasktest.Binary(false))
	tc.Update(first[1], tasktest.Binary(false))
	if s := tc.Stats(); s.Labelled != 1 || s.GOIDs != 1 || s.Unmatched != 0 {
		t.Fatalf("stats %+v: want one GOID (1 success in 3), nothing unmatched", s)
	}
	// Repeated, unknown and altered tasks are unmatched.
	altered := next.Clone()
	altered.Params[0] += 0.01
	for _, bad := range []task.Task{first[1], {Params: next.Params, Seed: next.Seed + 1}, altered, {Params: []float64{1}, Seed: next.Seed}} {
		tc.Update(bad, tasktest.Binary(true))
	}
	if s := tc.Stats(); s.Unmatched != 4 {
		t.Errorf("%d unmatched, want 4", s.Unmatched)
	}
	// A corrupt outcome abandons the goal: its queued repeats are dropped.
	o := tasktest.Binary(true)
	o.Return = math.NaN()
	tc.Update(next, o)
	fresh := tc.Sample(rng).Clone()
	if equal(fresh.Params, next.Params) {
		t.Errorf("the abandoned goal %v was proposed again", next.Params)
	}
	tc.Update(fresh, tasktest.Binary(true))
	if s := tc.Stats(); s.Ignored != 1 || s.Abandoned != 1 || s.Labelled != 1 {
		t.Errorf("stats %+v: want 1 ignored, 1 abandoned, still 1 labelled", s)
	}
	if n := len(tc.free); n != len(tc.slots)-1 {
		t.Errorf("%d free records of %d, want all but the new goal's", n, len(tc.slots))
	}
}

// TestForgottenSamplesAbandonGoals: samples never updated leave the ring
// and free their records, so the pool never runs out.
func TestForgottenSamplesAbandonGoals(t *testing.T) {
	p := smallParams()
	p.POld = 0
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 8)
	rng := newRNG(9)
	for range 10 * remembered {
		tc.Sample(rng) // never updated
	}
	if s := tc.Stats(); s.Abandoned < 4*remembered {
		t.Errorf("%d goals abandoned, want about %d", s.Abandoned, 5*remembered)
	}
	if len(tc.free) < len(tc.slots)-remembered/2-1 {
		t.Errorf("only %d of %d records free", len(tc.free), len(tc.slots))
	}
}

func TestReplaysFromTheSuccessBuffer(t *testing.T) {
	p := smallParams()
	p.POld, p.StateNoiseLevel = 1, 0.01
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 10)
	rng := newRNG(11)
	a := tc.Sample(rng).Clone() // empty buffer: a generator goal
	tc.Update(a, tasktest.Binary(true))
	b := tc.Sample(rng)
	tc.Update(b, tasktest.Binary(true))
	if tc.buffer.len() != 1 {
		t.Fatalf("buffer holds %d goals, want 1", tc.buffer.len())
	}
	for range 50 {
		tk := tc.Sample(rng)
		if d := math.Hypot(tk.Params[0]-a.Params[0], tk.Params[1]-a.Params[1]); d > 0.06 {
			t.Fatalf("replay %v is %.3f from the buffered goal %v", tk.Params, d, a.Params)
		}
		tc.Update(tk, tasktest.Binary(false))
	}
	if s := tc.Stats(); s.Labelled != 1 {
		t.Errorf("%d goals labelled, want 1 (replays are not labelled)", s.Labelled)
	}
}

// TestLSGANGradients checks the discriminator's loss on a stacked batch of
// labelled real goals and generated goals, and the generator's loss through
// the discriminator, against finite differences.
func TestLSGANGradients(t *testing.T) {
	rng := newRNG(12)
	g := newGAN(ganConfig{d: 2, noise: 3, batch: 5, genHidden: []int{6, 7}, discHidden: []int{5, 4},
		genLR: 1e-3, discLR: 1e-3, discLeakySlope: 0.1, initRNG: rng})
	for _, p := range []*nn.Params{&g.genParams, &g.discParams} {
		for i, v := range p.Values() {
			p.Values()[i] = v + 0.1*rng.NormFloat64()
		}
	}
	for i := range g.z {
		g.z[i] = rng.NormFloat64()
	}
	const nr = 4
	x := make([]float64, (nr+g.batch)*g.d)
	for i := range nr * g.d {
		x[i] = rng.Float64() - 0.5
	}
	target := []float64{1, -1, 1, 1, -1, -1, -1, -1, -1}
	fill := func() {
		g.fake = g.gen.Forward(&g.genCache, g.z, g.batch)
		copy(x[nr*g.d:], g.fake)
	}
	fill()
	g.discLossGrad(x, target, nr+g.batch)
	grad := append([]float64(nil), g.discParams.Grads()...)
	discLoss := func() float64 {
		var c nn.MLPCache
		var s float64
		for r, v := range g.disc.Forward(&c, x, nr+g.batch) {
			s += (target[r] - v) * (target[r] - v)
		}
		return s / float64(nr+g.batch)
	}
	if err := nn.CheckGradient(discLoss, g.discParams.Values(), grad, 1e-6, 1e-6); err != nil {
		t.Errorf("discriminator: %v", err)
	}
	g.genLossGrad()
	grad = append([]float64(nil), g.genParams.Grads()...)
	genLoss := func() float64 {
		var gc, dc nn.MLPCache
		var s float64
		for _, v := range g.disc.Forward(&dc, g.gen.Forward(&gc, g.z, g.batch), g.batch) {
			s += (v - 1) * (v - 1)
		}
		return s / float64(g.batch)
	}
	if err := nn.CheckGradient(genLoss, g.genParams.Values(), grad, 1e-6, 1e-6); err != nil {
		t.Errorf("generator: %v", err)
	}
}

// TestGANLearnsItsData: pretraining on a Gaussian moves the generator's
// goals there, and the discriminator scores the data above far goals.
func TestGANLearnsItsData(t *testing.T) {
	p := smallParams()
	p.GeneratorSizes, p.DiscriminatorSizes = []int{32, 32}, []int{32, 32}
	p.PretrainIters = 300
	p.InitialMean, p.InitialStd = []float64{0.8, 0.2}, []float64{0.05, 0.05}
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 13)
	var mx, my float64
	goals := tc.Generate(500, newRNG(14))
	for _, g := range goals {
		mx += g[0] / 500
		my += g[1] / 500
	}
	if math.Hypot(mx-0.8, my-0.2) > 0.1 {
		t.Errorf("generated goals centred at (%.2f, %.2f), want near (0.8, 0.2)", mx, my)
	}
	if in, out := tc.Discriminator([]float64{0.8, 0.2}), tc.Discriminator([]float64{0.1, 0.9}); !(in > out) {
		t.Errorf("discriminator %.2f on the data, %.2f far from it", in, out)
	}
}

// disc is a synthetic student: success with probability 1 within r of the
// origin, 0 beyond r + w, linear in between. Its goals of intermediate
// difficulty form a ring.
func disc(r, w float64) func(x []float64, rng *rand.Rand) bool {
	return func(x []float64, rng *rand.Rand) bool {
		p := min(max((r+w-math.Hypot(x[0], x[1]))/w, 0), 1)
		return rng.Float64() < p
	}
}

func play(tc *Teacher, rng *rand.Rand, n int, success func(x []float64, rng *rand.Rand) bool) {
	for range n {
		tk := tc.Sample(rng)
		tc.Update(tk, tasktest.Binary(success(tk.Params, rng)))
	}
}

// TestGoalsConcentrateAtIntermediateDifficulty: on a student whose success
// falls from 1 to 0 across a ring of the unit square, after tens of GAN
// trainings the generator's goals lie mostly where success is uncertain —
// and follow the ring when it grows.
func TestGoalsConcentrateAtIntermediateDifficulty(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the GAN tens of times")
	}
	p := DefaultParams()
	p.GeneratorSizes, p.DiscriminatorSizes = []int{32, 32}, []int{32, 32}
	p.GANIters, p.UpdateSize = 100, 50
	p.InitialMean, p.InitialStd = []float64{0.1, 0.1}, []float64{0.1, 0.1}
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 15)
	rng := newRNG(16)
	intermediate := func(r, w float64) float64 {
		in := 0
		goals := tc.Generate(1000, newRNG(17))
		for _, g := range goals {
			if d := math.Hypot(g[0], g[1]); d > r+0.1*w && d < r+0.9*w {
				in++
			}
		}
		return float64(in) / float64(len(goals))
	}
	for _, ring := range []struct{ r, w, uniform float64 }{
		{0.3, 0.2, math.Pi * (0.48*0.48 - 0.32*0.32) / 4},
		{0.6, 0.2, math.Pi * (0.78*0.78 - 0.62*0.62) / 4},
	} {
		play(tc, rng, 3000, disc(ring.r, ring.w))
		got := intermediate(ring.r, ring.w)
		t.Logf("ring %.1f–%.1f: %.2f of the goals in its middle (uniform: %.2f); %+v", ring.r, ring.r+ring.w, got, ring.uniform, tc.Stats())
		if got < 2.5*ring.uniform {
			t.Errorf("ring %.1f–%.1f: %.2f of the generator's goals in its middle, want at least 2.5 × uniform (%.2f)", ring.r, ring.r+ring.w, got, ring.uniform)
		}
	}
}

func TestBadOutcomesAndNonFiniteNetworks(t *testing.T) {
	p := smallParams()
	p.UpdateSize = 10
	sp := tasktest.Box(t, [2]float64{0, 1}, [2]float64{2, 2})
	tc := newTeacher(t, p, sp, 18)
	rng := newRNG(19)
	for i := range 400 {
		tk := tc.Sample(rng)
		if !sp.Contains(tk.Params) {
			t.Fatalf("sample %v outside %v", tk.Params, sp)
		}
		o := tasktest.Binary(rng.IntN(2) == 0)
		switch i % 7 {
		case 1:
			o.Return = math.NaN()
		case 2:
			o.Score = math.Inf(-1)
		}
		tc.Update(tk, o)
	}
	s := tc.Stats()
	if s.Ignored == 0 || s.Abandoned == 0 || s.Trainings == 0 || s.SkippedSteps != 0 {
		t.Errorf("stats %+v: want some ignored and abandoned, some trainings, nothing skipped", s)
	}
	// A diverged generator: its goals are replaced, its steps skipped, and
	// the discriminator stays finite.
	for i := range tc.gan.genParams.Values() {
		tc.gan.genParams.Values()[i] = math.NaN()
	}
	for range 200 {
		tk := tc.Sample(rng)
		if !sp.Contains(tk.Params) {
			t.Fatalf("sample %v outside %v with a NaN generator", tk.Params, sp)
		}
		tc.Update(tk, tasktest.Binary(rng.IntN(2) == 0))
	}
	s = tc.Stats()
	if s.NonFiniteGoals == 0 || s.SkippedSteps == 0 {
		t.Errorf("stats %+v: want non-finite goals replaced and steps skipped", s)
	}
	for _, v := range tc.gan.discParams.Values() {
		if !task.Finite(v) {
			t.Fatal("a NaN generator made the discriminator non-finite")
		}
	}
}

func TestDeterminism(t *testing.T) {
	run := func() []float64 {
		p := smallParams()
		p.UpdateSize = 20
		tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 20)
		rng := newRNG(21)
		var trace []float64
		for range 600 {
			tk := tc.Sample(rng)
			trace = append(trace, tk.Params...)
			tc.Update(tk, tasktest.Binary(rng.IntN(2) == 0))
		}
		if tc.Stats().Trainings == 0 {
			t.Fatal("no training")
		}
		return append(trace, tc.gan.genParams.Values()...)
	}
	a, b := run(), run()
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("runs differ at %d: %v vs %v", i, a[i], b[i])
		}
	}
}

// alternating succeeds on every other episode, so that every goal is a GOID
// (two rollouts, one success) and none is too easy.
type alternating struct{ n int }

func (a *alternating) next() bool { a.n++; return a.n%2 == 0 }

func TestNoAllocation(t *testing.T) {
	p := smallParams()
	p.UpdateSize = 10
	tc := newTeacher(t, p, tasktest.UnitBox(t, 2), 22)
	rng := newRNG(23)
	var alt alternating
	for range 100 {
		tk := tc.Sample(rng)
		tc.Update(tk, tasktest.Binary(alt.next()))
	}
	before := tc.Stats().Trainings
	allocs := testing.AllocsPerRun(200, func() {
		tk := tc.Sample(rng)
		tc.Update(tk, tasktest.Binary(alt.next()))
	})
	if allocs != 0 {
		t.Errorf("Sample+Update allocates %v times per episode (GAN training included)", allocs)
	}
	if tc.Stats().Trainings == before {
		t.Error("no training during the measurement")
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkSampleUpdate measures an episode on a student that succeeds half
// the time, amortising the GAN trainings (one per about 220 episodes at the
// defaults, 250 iterations each) over the episodes.
func BenchmarkSampleUpdate(b *testing.B) {
	tc := newTeacher(b, DefaultParams(), tasktest.UnitBox(b, 2), 1)
	rng := newRNG(2)
	b.ReportAllocs()
	for b.Loop() {
		tk := tc.Sample(rng)
		tc.Update(tk, tasktest.Binary(rng.IntN(2) == 0))
	}
}

// BenchmarkTraining measures one GAN training at the defaults: 250
// iterations on 100 labelled goals.
func BenchmarkTraining(b *testing.B) {
	p := DefaultParams()
	p.PretrainIters = 0
	tc := newTeacher(b, p, tasktest.UnitBox(b, 2), 1)
	rng := newRNG(2)
	x, y := make([]float64, 200), make([]float64, 100)
	for i := range x {
		x[i] = rng.Float64() - 0.5
	}
	for i := range y {
		y[i] = float64(i % 2)
	}
	tc.gan.train(x, y, 100, 1, rng)
	b.ReportAllocs()
	for b.Loop() {
		tc.gan.train(x, y, 100, p.GANIters, rng)
	}
}

// BenchmarkNew measures construction at the defaults, dominated by the 500
// pretraining iterations on 1000 goals.
func BenchmarkNew(b *testing.B) {
	sp := tasktest.UnitBox(b, 2)
	rng := newRNG(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(DefaultParams(), sp, rng); err != nil {
			b.Fatal(err)
		}
	}
}
