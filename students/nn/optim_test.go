package nn

import (
	"math"
	"testing"
)

// The expected values are two steps of each update rule from θ = (1, −2)
// with gradients (0.5, −1) then (0.25, 0.5), computed by hand from the
// PyTorch and TF1 update formulas quoted in the optimizers' docs (in
// float64, in Python). For example plain SGD with LR 0.1 gives
// 1 − 0.1·0.5 − 0.1·0.25 = 0.925 and −2 + 0.1 − 0.05 = −1.95; Adam's first
// step moves each parameter by LR·g/(|g|+ε) ≈ 0.1, and its second gives
// m̂ = (0.368421, −0.210526), v̂ = (0.156203, 0.624812), so
// θ ≈ (0.9 − 0.1·0.93218, −1.9 + 0.1·0.26634).
func TestOptimizerSteps(t *testing.T) {
	grads := [][]float64{{0.5, -1}, {0.25, 0.5}}
	for _, tc := range []struct {
		name string
		make func(p *Params) Optimizer
		want [2]float64
	}{
		{"SGD", func(p *Params) Optimizer { return NewSGD(p, 0.1) },
			[2]float64{0.92499999999999993, -1.95}},
		{"SGD momentum dampening", func(p *Params) Optimizer {
			o := NewSGD(p, 0.1)
			o.Momentum, o.Dampening = 0.9, 0.1
			return o
		}, [2]float64{0.88249999999999995, -1.855}},
		{"SGD Nesterov weight decay", func(p *Params) Optimizer {
			o := NewSGD(p, 0.1)
			o.Momentum, o.Nesterov, o.WeightDecay = 0.9, true, 0.01
			return o
		}, [2]float64{0.81257411000000002, -1.81514822}},
		{"Adam", func(p *Params) Optimizer { return NewAdam(p, 0.1) },
			[2]float64{0.80678204047746238, -1.8733662973709031}},
		{"Adam L2", func(p *Params) Optimizer {
			o := NewAdam(p, 0.1)
			o.WeightDecay = 0.1
			return o
		}, [2]float64{0.80500976586131989, -1.8537472646427609}},
		{"AdamW", func(p *Params) Optimizer {
			o := NewAdam(p, 0.1)
			o.WeightDecay, o.Decoupled = 0.1, true
			return o
		}, [2]float64{0.78788204045746235, -1.8345662973609032}},
		{"Adam epsilon hat", func(p *Params) Optimizer {
			o := NewAdam(p, 0.1)
			o.EpsHat = true
			return o
		}, [2]float64{0.80678215211749205, -1.8733663351928884}},
		{"RMSProp PyTorch", func(p *Params) Optimizer { return NewRMSProp(p, 0.01) },
			[2]float64{0.85509870255781695, -1.944901331474435}},
		{"RMSProp PyTorch momentum centered", func(p *Params) Optimizer {
			o := NewRMSProp(p, 0.01)
			o.Momentum, o.Centered = 0.9, true
			return o
		}, [2]float64{0.76373409949269622, -1.8539876899917007}},
		{"RMSProp TF1", func(p *Params) Optimizer { return NewRMSPropTF1(p, 0.001) },
			[2]float64{0.99920714920991804, -1.9995198752449319}},
		{"RMSProp TF1 momentum centered", func(p *Params) Optimizer {
			o := NewRMSPropTF1(p, 0.001)
			o.Momentum, o.Centered = 0.9, true
			return o
		}, [2]float64{0.99873712308689599, -1.9986107536019544}},
	} {
		var p Params
		p.Alloc(2)
		run := func(o Optimizer) {
			copy(p.Values(), []float64{1, -2})
			for _, g := range grads {
				copy(p.Grads(), g)
				o.Step()
			}
		}
		o := tc.make(&p)
		run(o)
		for i, w := range tc.want {
			if got := p.Values()[i]; math.Abs(got-w) > 1e-14*math.Abs(w) {
				t.Errorf("%s: θ[%d] = %.17g, want %.17g", tc.name, i, got, w)
			}
		}
		// Reset makes the optimizer fresh again.
		o.Reset()
		run(o)
		if got := p.Values()[0]; math.Abs(got-tc.want[0]) > 1e-14*math.Abs(tc.want[0]) {
			t.Errorf("%s after Reset: θ[0] = %.17g, want %.17g", tc.name, got, tc.want[0])
		}
		o.SetLearningRate(0.5)
		if o.LearningRate() != 0.5 {
			t.Errorf("%s: SetLearningRate did not stick", tc.name)
		}
	}
}

func TestOptimizerRejectsGrownStore(t *testing.T) {
	var p Params
	p.Alloc(2)
	o := NewAdam(&p, 0.1)
	o.Step()
	p.Alloc(1)
	defer func() {
		if recover() == nil {
			t.Error("stepping after the store grew did not panic")
		}
	}()
	o.Step()
}
