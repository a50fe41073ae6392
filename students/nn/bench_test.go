package nn

import (
	"fmt"
	"math"
	"testing"
)

// noAllocs fails the test if f allocates once warmed up.
func noAllocs(t *testing.T, name string, f func()) {
	t.Helper()
	f() // warm-up: caches and optimizer state are sized here
	if n := testing.AllocsPerRun(20, f); n != 0 {
		t.Errorf("%s: %v allocations per call after warm-up, want 0", name, n)
	}
}

func TestNoAllocations(t *testing.T) {
	rng := newRNG(1)
	var p Params
	m := NewMLP(&p, []int{6, 16, 16, 3}, LeakyReLU{Slope: 0.1}, Tanh{})
	m.Init(rng, GlorotUniform{}, Zeros{})
	ln := NewLayerNormMLP(&p, []int{6, 16, 1}, GELU{}, nil)
	ln.Init(rng, Orthogonal{}, Zeros{})
	gru := NewGRU(&p, 6, 8)
	gru.Init(rng, TorchLinear{}, TorchLinear{})
	lstm := NewLSTM(&p, 6, 8)
	lstm.Init(rng, TorchLinear{}, TorchLinear{})
	var target Params
	NewMLP(&target, []int{6, 16, 16, 3}, nil, nil)
	NewLayerNormMLP(&target, []int{6, 16, 1}, nil, nil)
	NewGRU(&target, 6, 8)
	NewLSTM(&target, 6, 8)

	const batch = 10
	x := randSlice(rng, batch*6)
	big := randSlice(rng, 2*batch*6)
	y := randSlice(rng, batch*3)
	g := make([]float64, batch*3)
	labels := []int{0, 1, 2, 0, 1, 2, 0, 1, 2, 0}
	var c, cBig, cl MLPCache
	noAllocs(t, "MLP forward+backward", func() {
		MSE(g, m.Forward(&c, x, batch), y)
		m.Backward(&c, g)
	})
	noAllocs(t, "MLP batches alternating below the largest", func() {
		m.Forward(&cBig, big, 2*batch)
		m.Forward(&cBig, x, batch)
		m.Backward(&cBig, g)
	})
	noAllocs(t, "LayerNorm MLP forward+InputGrad", func() {
		ln.InputGrad(&cl, ln.Forward(&cl, x, batch))
	})
	noAllocs(t, "losses", func() {
		out := m.Forward(&c, x, batch)
		BCEWithLogits(g, out, y)
		SoftmaxCrossEntropy(g, out, labels, 3)
		LogSoftmax(g, out, 3)
		CategoricalEntropy(y[:batch], g, 3)
		CategoricalGrad(out, g, 3, labels, y[:batch], y[:batch])
		GaussianLogProbGrad(out[:3], out[3:6], nil, x[:3], x[3:6], x[6:9], GaussianLogProb(x[:3], x[3:6], x[6:9]))
		SampleCategorical(rng, g[:3])
	})
	var gc GRUCache
	var lc LSTMCache
	mask := []float64{1, 0, 1, 1, 1, 0, 1, 1, 1, 1}
	noAllocs(t, "GRU sequence", func() {
		gru.Begin(&gc, nil, batch)
		for range 5 {
			h := gru.Step(&gc, x, mask)
			copy(gc.OutputGrad(gc.Len()-1), h)
		}
		gru.Backward(&gc)
	})
	noAllocs(t, "LSTM sequence", func() {
		lstm.Begin(&lc, nil, nil, batch)
		for range 5 {
			h := lstm.Step(&lc, x, mask)
			copy(lc.OutputGrad(lc.Len()-1), h)
		}
		lstm.Backward(&lc)
	})
	sgd := NewSGD(&p, 0.1)
	sgd.Momentum, sgd.Nesterov = 0.9, true
	for _, o := range []Optimizer{NewAdam(&p, 1e-3), sgd, NewRMSProp(&p, 1e-3), NewRMSPropTF1(&p, 1e-3)} {
		noAllocs(t, fmt.Sprintf("%T step", o), o.Step)
	}
	noAllocs(t, "store operations", func() {
		p.ClipGradNorm(0.5)
		p.ZeroGrad()
		target.SoftUpdate(&p, 0.005)
		target.CopyFrom(&p)
	})
}

// mlpFlops is the multiply-add count ×2 of a forward and backward pass
// (forward, weight gradient and input gradient: three products per layer).
func mlpFlops(sizes []int, batch int) float64 {
	var f float64
	for i := range len(sizes) - 1 {
		f += 6 * float64(batch*sizes[i]*sizes[i+1])
	}
	return f
}

func BenchmarkMLP(b *testing.B) {
	for _, tc := range []struct {
		sizes []int
		batch int
	}{
		{[]int{4, 64, 64, 1}, 64},
		{[]int{25, 128, 128, 7}, 256},
	} {
		name := fmt.Sprintf("%v/batch%d", tc.sizes, tc.batch)
		rng := newRNG(1)
		var p Params
		m := NewMLP(&p, tc.sizes, ReLU{}, nil)
		m.Init(rng, HeUniform{}, Zeros{})
		x := randSlice(rng, tc.batch*m.In())
		dOut := randSlice(rng, tc.batch*m.Out())
		var c MLPCache
		m.Forward(&c, x, tc.batch) // size the cache outside the measurement
		b.Run(name+"/forward", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.Forward(&c, x, tc.batch)
			}
			b.ReportMetric(float64(tc.batch)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
		})
		b.Run(name+"/forward+backward", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.Forward(&c, x, tc.batch)
				m.Backward(&c, dOut)
			}
			s := b.Elapsed().Seconds()
			b.ReportMetric(float64(tc.batch)*float64(b.N)/s, "samples/s")
			b.ReportMetric(mlpFlops(tc.sizes, tc.batch)*float64(b.N)/s/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkRecurrent measures one step forward and backward (a sequence of
// 16 steps per iteration, reported per step) with batch 32 and input width
// equal to the hidden width.
func BenchmarkRecurrent(b *testing.B) {
	const batch, T = 32, 16
	for _, kind := range []string{"GRU", "LSTM"} {
		for _, hidden := range []int{64, 256} {
			b.Run(fmt.Sprintf("%s/hidden%d/batch%d", kind, hidden, batch), func(b *testing.B) {
				rng := newRNG(1)
				var p Params
				var rec recurrence
				var gc GRUCache
				var lc LSTMCache
				k := 1 / math.Sqrt(float64(hidden))
				gates := 3
				if kind == "GRU" {
					g := NewGRU(&p, hidden, hidden)
					g.Init(rng, Uniform{-k, k}, Uniform{-k, k})
					rec = gruRec(g, &gc)
				} else {
					gates = 4
					l := NewLSTM(&p, hidden, hidden)
					l.Init(rng, Uniform{-k, k}, Uniform{-k, k})
					rec = lstmRec(l, &lc)
				}
				x := randSlice(rng, batch*hidden)
				dh := randSlice(rng, batch*hidden)
				run := func() {
					rec.begin(nil, nil, batch)
					for t := range T {
						rec.step(x, nil)
						copy(rec.outGrad(t), dh)
					}
					rec.backward()
				}
				run() // size the cache outside the measurement
				b.ReportAllocs()
				for b.Loop() {
					run()
				}
				s := b.Elapsed().Seconds()
				steps := float64(b.N * T)
				b.ReportMetric(s/steps*1e9, "ns/step")
				flops := 6 * float64(batch*gates*hidden*2*hidden) // two products, ×3 for backward
				b.ReportMetric(flops*steps/s/1e9, "GFLOP/s")
			})
		}
	}
}

func BenchmarkOptimizer(b *testing.B) {
	const n = 100_000
	for _, tc := range []struct {
		name string
		make func(*Params) Optimizer
	}{
		{"Adam", func(p *Params) Optimizer { return NewAdam(p, 1e-3) }},
		{"RMSPropTF1", func(p *Params) Optimizer { return NewRMSPropTF1(p, 1e-3) }},
		{"SGDNesterov", func(p *Params) Optimizer {
			o := NewSGD(p, 1e-3)
			o.Momentum, o.Nesterov = 0.9, true
			return o
		}},
	} {
		b.Run(fmt.Sprintf("%s/%d", tc.name, n), func(b *testing.B) {
			var p Params
			p.Alloc(n)
			copy(p.Grads(), randSlice(newRNG(1), n))
			o := tc.make(&p)
			o.Step() // size the optimizer state outside the measurement
			b.ReportAllocs()
			for b.Loop() {
				o.Step()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mparams/s")
		})
	}
}
