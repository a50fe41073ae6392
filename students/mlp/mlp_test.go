package mlp

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/envs/memory"
	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/task/tasktest"
)

func boolean(t testing.TB, mod func(*memory.BooleanParams)) *memory.Boolean {
	t.Helper()
	p := memory.DefaultBooleanParams()
	if mod != nil {
		mod(&p)
	}
	f, err := memory.NewBoolean(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func build(t testing.TB, f task.Family, mod func(*Params)) *Student {
	t.Helper()
	p := DefaultParams()
	if mod != nil {
		mod(&p)
	}
	s, err := New(p, f, tasktest.Streams(3))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGradient(t *testing.T) {
	f := boolean(t, func(p *memory.BooleanParams) { p.D, p.Target = 6, "threesym" })
	s := build(t, f, func(p *Params) { p.Sizes = []int{7, 5} })
	var b task.Batch
	tk := task.Task{Index: 4, Group: []int{2, 4}, Seed: 5}
	s.data.Batch(&b, tk, 9)
	s.ps.ZeroGrad()
	s.loss(&b, tk, true)
	grads := slices.Clone(s.ps.Grads())
	f64 := func() float64 { m, _ := s.loss(&b, tk, false); return m }
	if err := nn.CheckGradient(f64, s.ps.Values(), grads, 1e-6, 1e-6); err != nil {
		t.Error(err)
	}
}

func TestOutcome(t *testing.T) {
	f := boolean(t, func(p *memory.BooleanParams) { p.D = 8 })
	s := build(t, f, nil)
	// With all weights zero the network predicts 0: MSE = mean(y²) = 1 for
	// ±1 parity targets, score 0.
	clear(s.ps.Values())
	o := s.Evaluate(task.Task{Index: 8})
	if o.Return != -1 || o.Score != 0 || o.Success || o.Steps != 1 {
		t.Errorf("zero network: %+v, want return -1, score 0", o)
	}
	// A network whose output bias is 0.5 on an all-(+1) ball (target +1):
	// MSE 0.25, score 0.75.
	last := s.net.Layers[len(s.net.Layers)-1]
	last.B.Value()[0] = 0.5
	o = s.Evaluate(task.Task{Index: 0})
	if math.Abs(o.Return+0.25) > 1e-15 || math.Abs(o.Score-0.75) > 1e-15 {
		t.Errorf("constant 0.5 on the target 1: %+v, want return -0.25, score 0.75", o)
	}
	last.B.Value()[0] = 1
	if o = s.Evaluate(task.Task{Index: 0}); o.Return != 0 || o.Score != 1 || !o.Success {
		t.Errorf("exact fit: %+v", o)
	}
}

func TestEvaluateLearnsNothing(t *testing.T) {
	f := boolean(t, nil)
	a, b := build(t, f, nil), build(t, f, nil)
	rng := rand.New(rand.NewPCG(1, 1))
	for range 5 {
		tk := task.Task{Index: 6, Seed: rng.Uint64()}
		oa := a.Learn(tk)
		before := slices.Clone(b.ps.Values())
		b.Evaluate(tk)
		if !slices.Equal(before, b.ps.Values()) {
			t.Fatal("Evaluate changed the parameters")
		}
		if ob := b.Learn(tk); ob.Return != oa.Return {
			t.Fatalf("an Evaluate in between changed the next Learn: %v vs %v", ob.Return, oa.Return)
		}
	}
	if !slices.Equal(a.ps.Values(), b.ps.Values()) {
		t.Error("the same streams gave different parameters")
	}
}

func TestLearnAllocatesNothing(t *testing.T) {
	s := build(t, boolean(t, nil), nil)
	tk := task.Task{Index: 8}
	s.Learn(tk)
	s.Evaluate(tk)
	if a := testing.AllocsPerRun(20, func() { tk.Seed++; s.Learn(tk) }); a != 0 {
		t.Errorf("Learn allocates %v times", a)
	}
	if a := testing.AllocsPerRun(20, func() { s.Evaluate(tk) }); a != 0 {
		t.Errorf("Evaluate allocates %v times", a)
	}
}

func TestAccepts(t *testing.T) {
	par, err := memory.NewParity(memory.DefaultParityParams())
	if err != nil {
		t.Fatal(err)
	}
	if !Accepts(boolean(t, nil)) || Accepts(par) {
		t.Error("Accepts: want boolean and not parity")
	}
	if _, err := New(DefaultParams(), par, tasktest.Streams(1)); err == nil || !strings.Contains(err.Error(), "regression") {
		t.Errorf("New on parity: %v, want an error naming the regression families needed", err)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.Sizes = []int{10, 0} }, "sizes[1]"},
		{func(p *Params) { p.Batch = 0 }, "batch"},
		{func(p *Params) { p.EvalBatch = 0 }, "eval_batch"},
		{func(p *Params) { p.Optimizer = "lbfgs" }, "optimizer"},
		{func(p *Params) { p.LR = 0 }, "lr"},
		{func(p *Params) { p.Momentum = -0.1 }, "momentum"},
		{func(p *Params) { p.WeightDecay = math.Inf(1) }, "weight_decay"},
		{func(p *Params) { p.Clip = -1 }, "clip"},
		{func(p *Params) { p.SuccessMSE = 0 }, "success_mse"},
	} {
		p := DefaultParams()
		c.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %s", p, err, c.want)
		}
	}
}

// TestLearnsASparseParity trains on x0·x1 in dimension 8 on the whole cube.
func TestLearnsASparseParity(t *testing.T) {
	f := boolean(t, func(p *memory.BooleanParams) { p.D, p.Degree = 8, 2 })
	s := build(t, f, func(p *Params) { p.LR = 1e-3 })
	rng := rand.New(rand.NewPCG(2, 2))
	for i := 1; i <= 3000; i++ {
		s.Learn(task.Task{Index: 8, Seed: rng.Uint64()})
		if i%100 == 0 {
			if e := task.Evaluate(f, s); e.Extra[0] < 0.01 {
				t.Logf("cube MSE %.4f after %d batches", e.Extra[0], i)
				return
			}
		}
	}
	t.Errorf("x0·x1 in d = 8 not learned (cube MSE < 0.01) in 3000 batches: %v", task.Evaluate(f, s).Extra[0])
}

func BenchmarkLearn(b *testing.B) {
	for _, c := range []struct {
		name  string
		sizes []int
	}{{"default", []int{128, 128}}, {"paper", []int{512, 1024, 512, 64}}} {
		b.Run(c.name, func(b *testing.B) {
			s := build(b, boolean(b, nil), func(p *Params) { p.Sizes = c.sizes })
			tk := task.Task{Index: 8}
			s.Learn(tk)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				tk.Seed++
				s.Learn(tk)
				n += s.p.Batch
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "examples/s")
		})
	}
}
