package nn

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// Gradient checks: every analytic gradient in the package against central
// finite differences, through CheckGradient itself.

const (
	fdStep = 1e-6
	fdTol  = 1e-6
)

func check(t *testing.T, what string, f func() float64, x, grad []float64) {
	t.Helper()
	if err := CheckGradient(f, x, grad, fdStep, fdTol); err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

func TestCheckGradientDetectsErrors(t *testing.T) {
	x := []float64{0.3, -1.2}
	f := func() float64 { return x[0]*x[0]*x[1] + math.Sin(x[1]) }
	good := []float64{2 * x[0] * x[1], x[0]*x[0] + math.Cos(x[1])}
	if err := CheckGradient(f, x, good, fdStep, fdTol); err != nil {
		t.Errorf("correct gradient rejected: %v", err)
	}
	if x[0] != 0.3 || x[1] != -1.2 {
		t.Errorf("CheckGradient did not restore x: %v", x)
	}
	bad := []float64{good[0], good[1] * (1 + 1e-4)}
	if err := CheckGradient(f, x, bad, fdStep, fdTol); err == nil {
		t.Error("a gradient wrong by 1e-4 relative passed")
	}
	if err := CheckGradient(f, x, good[:1], fdStep, fdTol); err == nil {
		t.Error("mismatched lengths passed")
	}
}

var activations = []struct {
	name string
	f    Activation
}{
	{"identity", Identity{}},
	{"relu", ReLU{}},
	{"leaky0.1", LeakyReLU{Slope: 0.1}},
	{"tanh", Tanh{}},
	{"sigmoid", Sigmoid{}},
	{"softplus", Softplus{}},
	{"gelu", GELU{}},
}

func TestActivationGradients(t *testing.T) {
	rng := newRNG(1)
	for _, a := range activations {
		x := randSlice(rng, 50)
		for i := range x {
			x[i] *= 3
		}
		r := randSlice(rng, 50)
		y := make([]float64, 50)
		f := func() float64 { a.f.Apply(y, x); return floats.Dot(y, r) }
		f()
		dx := make([]float64, 50)
		a.f.Grad(dx, r, x, y)
		check(t, a.name, f, x, dx)
		// In place: dx may be dy.
		f()
		inPlace := slices.Clone(r)
		a.f.Grad(inPlace, inPlace, x, y)
		if !slices.Equal(inPlace, dx) {
			t.Errorf("%s: Grad with dx = dy differs", a.name)
		}
	}
}

func TestActivationsStable(t *testing.T) {
	x := []float64{-1000, -50, 0, 50, 1000}
	for _, tc := range []struct {
		f    Activation
		want []float64
	}{
		{Sigmoid{}, []float64{0, 1.9287498479639178e-22, 0.5, 1, 1}},
		{Softplus{}, []float64{0, 1.9287498479639178e-22, math.Ln2, 50, 1000}},
		{Tanh{}, []float64{-1, -1, 0, 1, 1}},
		{GELU{}, []float64{0, 0, 0, 50, 1000}},
	} {
		y := make([]float64, len(x))
		tc.f.Apply(y, x)
		for i := range y {
			if d := math.Abs(y[i] - tc.want[i]); !(d <= 1e-12*max(1, math.Abs(tc.want[i]))) {
				t.Errorf("%T(%v) = %v, want %v", tc.f, x[i], y[i], tc.want[i])
			}
		}
		dx := make([]float64, len(x))
		tc.f.Grad(dx, []float64{1, 1, 1, 1, 1}, x, y)
		for i, v := range dx {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("%T gradient at %v = %v", tc.f, x[i], v)
			}
		}
	}
	y := []float64{0}
	ReLU{}.Apply(y, []float64{math.NaN()})
	if !math.IsNaN(y[0]) {
		t.Errorf("ReLU(NaN) = %v, want NaN (errors must stay visible)", y[0])
	}
}

// checkMLP checks the parameter and input gradients of Σ r·net(x).
func checkMLP(t *testing.T, name string, p *Params, m *MLP, batch int, seed uint64) {
	t.Helper()
	rng := newRNG(seed)
	x := randSlice(rng, batch*m.In())
	r := randSlice(rng, batch*m.Out())
	var c MLPCache
	loss := func() float64 { return floats.Dot(m.Forward(&c, x, batch), r) }
	p.ZeroGrad()
	loss()
	dx := slices.Clone(m.Backward(&c, r))
	grads := slices.Clone(p.Grads())
	check(t, name+" params", loss, p.Values(), grads)
	check(t, name+" input", loss, x, dx)

	p.ZeroGrad()
	loss()
	if got := m.InputGrad(&c, r); !slices.Equal(got, dx) {
		t.Errorf("%s: InputGrad differs from Backward's input gradient", name)
	}
	for i, g := range p.Grads() {
		if g != 0 {
			t.Fatalf("%s: InputGrad changed parameter gradient %d", name, i)
		}
	}
}

func TestMLPGradients(t *testing.T) {
	for i, a := range activations {
		for j, out := range []Activation{Identity{}, Tanh{}, Sigmoid{}} {
			var p Params
			m := NewMLP(&p, []int{5, 7, 6, 3}, a.f, out)
			m.Init(newRNG(uint64(i)), GlorotUniform{}, Normal{Std: 0.3})
			checkMLP(t, fmt.Sprintf("%s/%T", a.name, out), &p, m, 4, uint64(10*i+j))
		}
	}
	// Single layer, and a network sharing its store with another.
	var p Params
	other := NewMLP(&p, []int{2, 3}, nil, nil)
	other.Init(newRNG(7), TorchLinear{}, TorchLinear{})
	m := NewMLP(&p, []int{4, 2}, nil, Softplus{})
	m.Init(newRNG(8), HeUniform{}, TorchLinear{})
	checkMLP(t, "single layer in a shared store", &p, m, 3, 9)
}

func TestLayerNormMLPGradients(t *testing.T) {
	var p Params
	m := NewLayerNormMLP(&p, []int{4, 8, 8, 1}, GELU{}, nil)
	m.Init(newRNG(2), Orthogonal{Gain: math.Sqrt2}, Normal{Std: 0.1})
	// Move the LayerNorm parameters away from 1 and 0 so that their
	// gradients are exercised.
	for _, n := range m.Norms {
		Normal{Mean: 1, Std: 0.2}.Init(n.Gain.Value(), 8, 8, newRNG(3))
		Normal{Std: 0.2}.Init(n.Bias.Value(), 8, 8, newRNG(4))
	}
	if len(m.Norms) != 2 {
		t.Fatalf("%d LayerNorms, want 2", len(m.Norms))
	}
	checkMLP(t, "layernorm", &p, m, 5, 11)
}

func TestDenseAddsInputGradients(t *testing.T) {
	var p Params
	d := NewDense(&p, 3, 2)
	d.Init(newRNG(1), GlorotUniform{}, Zeros{})
	dy := []float64{1, 2}
	dx := []float64{10, 20, 30}
	want := slices.Clone(dx)
	w := d.W.Value()
	for i := range want {
		want[i] += dy[0]*w[i] + dy[1]*w[3+i]
	}
	d.Backward(dx, dy, []float64{1, 1, 1}, 1)
	for i := range dx {
		if math.Abs(dx[i]-want[i]) > 1e-12 {
			t.Fatalf("dx = %v, want %v (added to the old contents)", dx, want)
		}
	}
}

func TestTwoCachesOneNetwork(t *testing.T) {
	// D(real) and D(fake) before one backward pass each: the sum of the two
	// backward passes is the gradient of the sum of the two losses.
	var p Params
	m := NewMLP(&p, []int{3, 5, 1}, LeakyReLU{Slope: 0.1}, nil)
	m.Init(newRNG(4), GlorotUniform{}, Zeros{})
	rng := newRNG(5)
	a, b := randSlice(rng, 6*3), randSlice(rng, 4*3)
	ta, tb := randSlice(rng, 6), randSlice(rng, 4)
	var ca, cb MLPCache
	ga, gb := make([]float64, 6), make([]float64, 4)
	loss := func() float64 {
		return MSE(ga, m.Forward(&ca, a, 6), ta) + MSE(gb, m.Forward(&cb, b, 4), tb)
	}
	p.ZeroGrad()
	loss()
	m.Backward(&ca, ga)
	m.Backward(&cb, gb)
	check(t, "two caches", loss, p.Values(), slices.Clone(p.Grads()))
}

func TestCacheBatchChanges(t *testing.T) {
	var p Params
	m := NewMLP(&p, []int{2, 4, 2}, Tanh{}, nil)
	m.Init(newRNG(6), GlorotUniform{}, Normal{Std: 0.1})
	rng := newRNG(7)
	x := randSlice(rng, 2*10)
	var small, c MLPCache
	want := slices.Clone(m.Forward(&small, x, 3))
	m.Forward(&c, x, 10)
	if got := m.Forward(&c, x, 3); !slices.Equal(got, want) {
		t.Errorf("batch 3 after batch 10: %v, want %v", got, want)
	}
	checkMLP(t, "after shrinking", &p, m, 2, 8)
}

func TestLossGradients(t *testing.T) {
	rng := newRNG(3)
	const n, classes = 6, 4
	pred, target := randSlice(rng, n), randSlice(rng, n)
	grad := make([]float64, n)
	MSE(grad, pred, target)
	check(t, "MSE", func() float64 { return MSE(nil, pred, target) }, pred, grad)

	logits := randSlice(rng, n)
	logits[0], logits[1] = 30, -30
	soft := make([]float64, n)
	for i := range soft {
		soft[i] = rng.Float64()
	}
	soft[2] = 1
	BCEWithLogits(grad, logits, soft)
	check(t, "BCEWithLogits", func() float64 { return BCEWithLogits(nil, logits, soft) }, logits, grad)

	z := randSlice(rng, n*classes)
	labels := []int{0, 3, 1, 2, 2, 0}
	gz := make([]float64, n*classes)
	SoftmaxCrossEntropy(gz, z, labels, classes)
	check(t, "SoftmaxCrossEntropy", func() float64 { return SoftmaxCrossEntropy(nil, z, labels, classes) }, z, gz)
}

func TestLossValues(t *testing.T) {
	if got := MSE(nil, []float64{1, 2}, []float64{0, 4}); got != 2.5 {
		t.Errorf("MSE = %v, want 2.5", got)
	}
	// BCE of logit 0 is log 2 whatever the target; huge logits stay finite.
	if got := BCEWithLogits(nil, []float64{0, 0}, []float64{0, 1}); math.Abs(got-math.Ln2) > 1e-15 {
		t.Errorf("BCE(0) = %v, want log 2", got)
	}
	if got := BCEWithLogits(nil, []float64{1000, -1000}, []float64{0, 1}); got != 1000 {
		t.Errorf("BCE of confidently wrong logits ±1000 = %v, want 1000", got)
	}
	if got := SoftmaxCrossEntropy(nil, []float64{1000, 0, -1000}, []int{0}, 3); got != 0 {
		t.Errorf("cross-entropy of a confident right answer = %v, want 0", got)
	}
	if got := SoftmaxCrossEntropy(nil, []float64{2, 2, 2, 2}, []int{3}, 4); math.Abs(got-math.Log(4)) > 1e-15 {
		t.Errorf("uniform cross-entropy = %v, want log 4", got)
	}
	logp := make([]float64, 3)
	LogSoftmax(logp, []float64{1000, 1000, math.Inf(-1)}, 3)
	if logp[0] != -math.Ln2 || logp[1] != -math.Ln2 || !math.IsInf(logp[2], -1) {
		t.Errorf("LogSoftmax = %v, want [-log2 -log2 -Inf]", logp)
	}
	h := make([]float64, 1)
	CategoricalEntropy(h, logp, 3)
	if math.Abs(h[0]-math.Ln2) > 1e-15 {
		t.Errorf("entropy with an impossible outcome = %v, want log 2", h[0])
	}
	if got, want := GaussianEntropy([]float64{0, 0}), 1+math.Log(2*math.Pi); math.Abs(got-want) > 1e-15 {
		t.Errorf("entropy of N(0, I₂) = %v, want %v", got, want)
	}
	if got, want := GaussianLogProb([]float64{1}, []float64{0}, []float64{0}), -0.5-0.5*math.Log(2*math.Pi); math.Abs(got-want) > 1e-15 {
		t.Errorf("log N(1; 0, 1) = %v, want %v", got, want)
	}
}

func TestCategoricalGradients(t *testing.T) {
	rng := newRNG(4)
	const rows, classes = 5, 3
	z := randSlice(rng, rows*classes)
	actions := []int{0, 2, 1, 1, 0}
	gl, ge := randSlice(rng, rows), randSlice(rng, rows)
	logp, h := make([]float64, rows*classes), make([]float64, rows)
	f := func() float64 {
		LogSoftmax(logp, z, classes)
		CategoricalEntropy(h, logp, classes)
		var s float64
		for r := range rows {
			s += gl[r]*logp[r*classes+actions[r]] + ge[r]*h[r]
		}
		return s
	}
	f()
	dz := make([]float64, rows*classes)
	CategoricalGrad(dz, logp, classes, actions, gl, ge)
	check(t, "log-prob and entropy", f, z, dz)

	// Each term alone.
	f()
	dl := make([]float64, rows*classes)
	CategoricalGrad(dl, logp, classes, actions, gl, nil)
	dh := make([]float64, rows*classes)
	CategoricalGrad(dh, logp, classes, nil, nil, ge)
	for i := range dz {
		if math.Abs(dl[i]+dh[i]-dz[i]) > 1e-15 {
			t.Fatalf("terms do not add up at %d", i)
		}
	}
}

func TestSampleCategorical(t *testing.T) {
	rng := newRNG(5)
	logp := make([]float64, 3)
	LogSoftmax(logp, []float64{0, math.Log(3), math.Inf(-1)}, 3)
	var counts [3]int
	const n = 40000
	for range n {
		counts[SampleCategorical(rng, logp)]++
	}
	if counts[2] != 0 {
		t.Errorf("an impossible outcome was drawn %d times", counts[2])
	}
	if f := float64(counts[1]) / n; math.Abs(f-0.75) > 0.01 {
		t.Errorf("frequency of the 3/4 outcome = %v", f)
	}
}

func TestGaussianGradients(t *testing.T) {
	rng := newRNG(6)
	const n = 4
	x, mean, logStd := randSlice(rng, n), randSlice(rng, n), randSlice(rng, n)
	for i := range logStd {
		logStd[i] *= 0.5
	}
	const g = -1.7
	dm, ds, dx := make([]float64, n), make([]float64, n), make([]float64, n)
	GaussianLogProbGrad(dm, ds, dx, x, mean, logStd, g)
	f := func() float64 { return g * GaussianLogProb(x, mean, logStd) }
	check(t, "∂/∂mean", f, mean, dm)
	check(t, "∂/∂logStd", f, logStd, ds)
	check(t, "∂/∂x", f, x, dx)
}

// recurrence abstracts GRU and LSTM for the shared checks.
type recurrence struct {
	begin    func(h0, c0 []float64, batch int)
	step     func(x, mask []float64) []float64
	backward func()
	outGrad  func(t int) []float64
	inGrad   func(t int) []float64
	h0Grad   func() []float64
	c0Grad   func() []float64 // nil for GRU
}

func gruRec(g *GRU, c *GRUCache) recurrence {
	return recurrence{
		begin:    func(h0, _ []float64, batch int) { g.Begin(c, h0, batch) },
		step:     func(x, mask []float64) []float64 { return g.Step(c, x, mask) },
		backward: func() { g.Backward(c) },
		outGrad:  c.OutputGrad, inGrad: c.InputGrad, h0Grad: c.InitialGrad,
	}
}

func lstmRec(l *LSTM, c *LSTMCache) recurrence {
	return recurrence{
		begin:    func(h0, c0 []float64, batch int) { l.Begin(c, h0, c0, batch) },
		step:     func(x, mask []float64) []float64 { return l.Step(c, x, mask) },
		backward: func() { l.Backward(c) },
		outGrad:  c.OutputGrad, inGrad: c.InputGrad, h0Grad: c.InitialGrad, c0Grad: c.InitialCellGrad,
	}
}

// checkRecurrent checks the gradients of Σ_t r_t·h_t with respect to the
// parameters, every input, h0 and (LSTM) c0, with episode masks mid-sequence.
func checkRecurrent(t *testing.T, name string, p *Params, rec recurrence, in, hidden int) {
	t.Helper()
	const batch, T = 3, 5
	rng := newRNG(42)
	xs := randSlice(rng, T*batch*in)
	h0, c0 := randSlice(rng, batch*hidden), randSlice(rng, batch*hidden)
	rs := randSlice(rng, T*batch*hidden)
	masks := make([][]float64, T)
	masks[2] = []float64{1, 0, 1}
	masks[3] = []float64{0.5, 1, 0}
	run := func() float64 {
		rec.begin(h0, c0, batch)
		var s float64
		for i := range T {
			h := rec.step(xs[i*batch*in:(i+1)*batch*in], masks[i])
			s += floats.Dot(h, rs[i*batch*hidden:(i+1)*batch*hidden])
		}
		return s
	}
	p.ZeroGrad()
	run()
	for i := range T {
		g := rec.outGrad(i)
		for j := range g {
			g[j] += rs[i*batch*hidden+j]
		}
	}
	rec.backward()
	grads := slices.Clone(p.Grads())
	var dxs []float64
	for i := range T {
		dxs = append(dxs, rec.inGrad(i)...)
	}
	dh0 := slices.Clone(rec.h0Grad())
	check(t, name+" params", run, p.Values(), grads)
	check(t, name+" inputs", run, xs, dxs)
	check(t, name+" h0", run, h0, dh0)
	if rec.c0Grad != nil {
		// run() again to refill the cache before reading its gradient.
		p.ZeroGrad()
		run()
		for i := range T {
			copy(rec.outGrad(i), rs[i*batch*hidden:(i+1)*batch*hidden])
		}
		rec.backward()
		check(t, name+" c0", run, c0, slices.Clone(rec.c0Grad()))
	}
}

func TestGRUGradients(t *testing.T) {
	var p Params
	g := NewGRU(&p, 3, 4)
	g.Init(newRNG(1), Uniform{-0.8, 0.8}, Uniform{-0.5, 0.5})
	var c GRUCache
	checkRecurrent(t, "GRU", &p, gruRec(g, &c), 3, 4)
}

func TestLSTMGradients(t *testing.T) {
	var p Params
	l := NewLSTM(&p, 3, 4)
	l.Init(newRNG(2), Uniform{-0.8, 0.8}, Uniform{-0.5, 0.5})
	var c LSTMCache
	checkRecurrent(t, "LSTM", &p, lstmRec(l, &c), 3, 4)
}

// TestGRUStepEquations pins the gate conventions with a hand-computed step
// of a 1-unit cell: r multiplies W_hn·h + b_hn (PyTorch), not h.
func TestGRUStepEquations(t *testing.T) {
	var p Params
	g := NewGRU(&p, 1, 1)
	copy(g.WIH.Value(), []float64{0.1, 0.2, 0.3}) // r, z, n
	copy(g.WHH.Value(), []float64{0.4, 0.5, 0.6})
	copy(g.BIH.Value(), []float64{0.01, 0.02, 0.03})
	copy(g.BHH.Value(), []float64{0.04, 0.05, 0.06})
	x, h := 2.0, -1.0
	r := 1 / (1 + math.Exp(-(0.1*x + 0.01 + 0.4*h + 0.04)))
	z := 1 / (1 + math.Exp(-(0.2*x + 0.02 + 0.5*h + 0.05)))
	n := math.Tanh(0.3*x + 0.03 + r*(0.6*h+0.06))
	want := (1-z)*n + z*h
	var c GRUCache
	g.Begin(&c, []float64{h}, 1)
	if got := g.Step(&c, []float64{x}, nil)[0]; math.Abs(got-want) > 1e-15 {
		t.Errorf("GRU step = %.17g, want %.17g", got, want)
	}
}

// TestLSTMStepEquations pins the gate order i, f, g, o.
func TestLSTMStepEquations(t *testing.T) {
	var p Params
	l := NewLSTM(&p, 1, 1)
	copy(l.WIH.Value(), []float64{0.1, 0.2, 0.3, 0.4}) // i, f, g, o
	copy(l.WHH.Value(), []float64{0.5, 0.6, 0.7, 0.8})
	copy(l.BIH.Value(), []float64{0.01, 0.02, 0.03, 0.04})
	copy(l.BHH.Value(), []float64{0.05, 0.06, 0.07, 0.08})
	x, h, cp := 2.0, -1.0, 0.5
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	i := sig(0.1*x + 0.5*h + 0.06)
	f := sig(0.2*x + 0.6*h + 0.08)
	gg := math.Tanh(0.3*x + 0.7*h + 0.1)
	o := sig(0.4*x + 0.8*h + 0.12)
	cell := f*cp + i*gg
	want := o * math.Tanh(cell)
	var c LSTMCache
	l.Begin(&c, []float64{h}, []float64{cp}, 1)
	got := l.Step(&c, []float64{x}, nil)[0]
	if math.Abs(got-want) > 1e-15 || math.Abs(c.Cell(0)[0]-cell) > 1e-15 {
		t.Errorf("LSTM step = (%.17g, %.17g), want (%.17g, %.17g)", got, c.Cell(0)[0], want, cell)
	}
}

// TestBlockedProducts compares the cache-blocked products with naive loops
// on shapes that span several blocks with a remainder.
func TestBlockedProducts(t *testing.T) {
	rng := newRNG(9)
	for _, s := range [][3]int{{3, 11, 5000}, {2, 700, 100}, {5, 3, 4}} {
		batch, rows, cols := s[0], s[1], s[2]
		if blockRows(rows, cols) >= rows && rows > 4 {
			t.Fatalf("%v fits one block: not a test of blocking", s)
		}
		w, x, dy := randSlice(rng, rows*cols), randSlice(rng, batch*cols), randSlice(rng, batch*rows)
		y, dx, dw := randSlice(rng, batch*rows), randSlice(rng, batch*cols), randSlice(rng, rows*cols)
		wantY, wantDx, wantDw := slices.Clone(y), slices.Clone(dx), slices.Clone(dw)
		for b := range batch {
			for r := range rows {
				for c := range cols {
					wantY[b*rows+r] += w[r*cols+c] * x[b*cols+c]
					wantDx[b*cols+c] += w[r*cols+c] * dy[b*rows+r]
					wantDw[r*cols+c] += dy[b*rows+r] * x[b*cols+c]
				}
			}
		}
		mulAdd(y, w, x, batch, rows, cols)
		mulTAdd(dx, w, dy, batch, rows, cols)
		outerAdd(dw, dy, x, batch, rows, cols)
		for _, c := range []struct {
			name      string
			got, want []float64
		}{{"mulAdd", y, wantY}, {"mulTAdd", dx, wantDx}, {"outerAdd", dw, wantDw}} {
			for i := range c.got {
				if math.Abs(c.got[i]-c.want[i]) > 1e-10*max(1, math.Abs(c.want[i])) {
					t.Errorf("%v %s[%d] = %v, want %v", s, c.name, i, c.got[i], c.want[i])
					break
				}
			}
		}
	}
}

// TestRecurrentCacheReuse runs a sequence in a fresh cache and in one that
// first held a larger batch and a longer sequence: outputs and gradients
// must be identical.
func TestRecurrentCacheReuse(t *testing.T) {
	var p Params
	g := NewGRU(&p, 2, 3)
	g.Init(newRNG(1), Uniform{-0.5, 0.5}, Uniform{-0.5, 0.5})
	l := NewLSTM(&p, 2, 3)
	l.Init(newRNG(2), Uniform{-0.5, 0.5}, Uniform{-0.5, 0.5})
	rng := newRNG(3)
	xs := randSlice(rng, 7*6*2)
	run := func(rec recurrence, batch, T int) ([]float64, []float64) {
		p.ZeroGrad()
		rec.begin(nil, nil, batch)
		var outs []float64
		for i := range T {
			h := rec.step(xs[i*batch*2:(i+1)*batch*2], nil)
			outs = append(outs, h...)
			copy(rec.outGrad(i), h)
		}
		rec.backward()
		return outs, slices.Clone(p.Grads())
	}
	var fg, rg GRUCache
	var fl, rl LSTMCache
	for _, c := range []struct {
		name         string
		fresh, reuse recurrence
	}{{"GRU", gruRec(g, &fg), gruRec(g, &rg)}, {"LSTM", lstmRec(l, &fl), lstmRec(l, &rl)}} {
		wantOut, wantGrad := run(c.fresh, 3, 4)
		run(c.reuse, 6, 7)
		gotOut, gotGrad := run(c.reuse, 3, 4)
		if !slices.Equal(gotOut, wantOut) || !slices.Equal(gotGrad, wantGrad) {
			t.Errorf("%s: a reused cache gives different results", c.name)
		}
	}
}
