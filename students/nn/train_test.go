package nn

import (
	"math"
	"slices"
	"testing"
)

// trainXOR trains a 2→8→1 tanh network on XOR with full-batch Adam and
// returns the store and the final loss.
func trainXOR(seed uint64, steps int) (*Params, *MLP, float64) {
	x := []float64{0, 0, 0, 1, 1, 0, 1, 1}
	y := []float64{0, 1, 1, 0}
	var p Params
	m := NewMLP(&p, []int{2, 8, 1}, Tanh{}, nil)
	m.Init(newRNG(seed), GlorotUniform{}, Zeros{})
	opt := NewAdam(&p, 0.05)
	var c MLPCache
	g := make([]float64, 4)
	var loss float64
	for range steps {
		p.ZeroGrad()
		loss = BCEWithLogits(g, m.Forward(&c, x, 4), y)
		m.Backward(&c, g)
		opt.Step()
	}
	return &p, m, loss
}

func TestMLPLearnsXOR(t *testing.T) {
	_, m, loss := trainXOR(1, 400)
	if loss > 0.01 {
		t.Errorf("XOR loss after 400 steps = %v, want < 0.01", loss)
	}
	var c MLPCache
	out := m.Forward(&c, []float64{0, 0, 0, 1, 1, 0, 1, 1}, 4)
	for i, want := range []bool{false, true, true, false} {
		if (out[i] > 0) != want {
			t.Errorf("XOR row %d: logit %v", i, out[i])
		}
	}
}

func TestMLPLearnsRegression(t *testing.T) {
	const n = 64
	x, y := make([]float64, n), make([]float64, n)
	for i := range n {
		x[i] = -1 + 2*float64(i)/(n-1)
		y[i] = math.Sin(3 * x[i])
	}
	var p Params
	m := NewMLP(&p, []int{1, 32, 32, 1}, Tanh{}, nil)
	m.Init(newRNG(2), TorchLinear{}, TorchLinear{})
	opt := NewAdam(&p, 0.01)
	var c MLPCache
	g := make([]float64, n)
	var loss float64
	for range 1500 {
		p.ZeroGrad()
		loss = MSE(g, m.Forward(&c, x, n), y)
		m.Backward(&c, g)
		opt.Step()
	}
	if loss > 1e-3 {
		t.Errorf("regression MSE after 1500 steps = %v, want < 1e-3", loss)
	}
}

// trainRememberFirstBit trains a recurrent cell with a linear head to output,
// after 5 steps of random bits, the first bit. It returns the store, the
// final training loss and the accuracy on fresh sequences.
func trainRememberFirstBit(t *testing.T, kind string, seed uint64, steps int) (*Params, float64, float64) {
	const batch, T, hidden = 32, 5, 8
	var p Params
	var rec recurrence
	var gc GRUCache
	var lc LSTMCache
	switch kind {
	case "GRU":
		g := NewGRU(&p, 1, hidden)
		k := 1 / math.Sqrt(hidden)
		g.Init(newRNG(seed), Uniform{-k, k}, Uniform{-k, k})
		rec = gruRec(g, &gc)
	case "LSTM":
		l := NewLSTM(&p, 1, hidden)
		k := 1 / math.Sqrt(hidden)
		l.Init(newRNG(seed), Uniform{-k, k}, Uniform{-k, k})
		rec = lstmRec(l, &lc)
	}
	head := NewDense(&p, hidden, 1)
	head.Init(newRNG(seed+1), TorchLinear{}, TorchLinear{})
	opt := NewAdam(&p, 0.02)
	data := newRNG(seed + 2)
	xs := make([]float64, T*batch)
	labels := make([]float64, batch)
	logits, g := make([]float64, batch), make([]float64, batch)
	sample := func() {
		for i := range xs {
			xs[i] = float64(data.IntN(2))
		}
		copy(labels, xs[:batch])
	}
	forward := func() []float64 {
		rec.begin(nil, nil, batch)
		var h []float64
		for s := range T {
			h = rec.step(xs[s*batch:(s+1)*batch], nil)
		}
		head.Forward(logits, h, batch)
		return h
	}
	var loss float64
	for range steps {
		sample()
		p.ZeroGrad()
		h := forward()
		loss = BCEWithLogits(g, logits, labels)
		head.Backward(rec.outGrad(T-1), g, h, batch)
		rec.backward()
		opt.Step()
	}
	correct := 0
	for range 10 {
		sample()
		forward()
		for i, z := range logits {
			if (z > 0) == (labels[i] == 1) {
				correct++
			}
		}
	}
	return &p, loss, float64(correct) / (10 * batch)
}

func TestRecurrentLearnsToRemember(t *testing.T) {
	for _, kind := range []string{"GRU", "LSTM"} {
		_, loss, acc := trainRememberFirstBit(t, kind, 3, 300)
		if acc < 1 || loss > 0.05 {
			t.Errorf("%s: after 300 steps loss %v, accuracy %v; want < 0.05 and 1", kind, loss, acc)
		}
	}
}

func TestTrainingIsDeterministic(t *testing.T) {
	a, _, _ := trainXOR(5, 50)
	b, _, _ := trainXOR(5, 50)
	c, _, _ := trainXOR(6, 50)
	if !slices.Equal(a.Values(), b.Values()) {
		t.Error("XOR: same seed, different parameters")
	}
	if slices.Equal(a.Values(), c.Values()) {
		t.Error("XOR: different seeds, same parameters")
	}
	for _, kind := range []string{"GRU", "LSTM"} {
		a, _, _ := trainRememberFirstBit(t, kind, 7, 20)
		b, _, _ := trainRememberFirstBit(t, kind, 7, 20)
		if !slices.Equal(a.Values(), b.Values()) {
			t.Errorf("%s: same seed, different parameters", kind)
		}
	}
}
