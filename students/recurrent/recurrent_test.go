package recurrent

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

func parity(t testing.TB) *memory.Sequence {
	t.Helper()
	f, err := memory.NewParity(memory.DefaultParityParams())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func dms(t testing.TB) *memory.Sequence {
	t.Helper()
	f, err := memory.NewDMS(memory.DefaultDMSParams())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// build returns a student of the given cell with small sizes.
func build(t testing.TB, cell Cell, f task.Family, mod func(*Params, *GatedParams)) *Student {
	t.Helper()
	p, g := DefaultParams(), DefaultGatedParams()
	if mod != nil {
		mod(&p, &g)
	}
	var s *Student
	var err error
	if cell == LeakyCell {
		s, err = New(p, f, tasktest.Streams(7))
	} else {
		s, err = NewGated(cell, g, f, tasktest.Streams(7))
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLeakyGradient checks the leaky layer's gradients (input and recurrent
// weights and biases, the diagonal included, τ, and h0) against finite
// differences, with some τ below 1 where the clamp makes the gradient zero.
func TestLeakyGradient(t *testing.T) {
	for _, trainTau := range []bool{true, false} {
		var ps nn.Params
		const in, hidden, steps, batch = 2, 5, 7, 3
		l := NewLeaky(&ps, in, hidden, trainTau, 0.01)
		rng := rand.New(rand.NewPCG(1, 2))
		l.Init(rng, 1, 3)
		w := l.Rec.W.Value()
		for i := range hidden {
			w[i*hidden+i] = 0.3 * rng.NormFloat64() // the raw layer uses whatever it is given
		}
		if trainTau {
			l.Tau()[1], l.Tau()[3] = 0.6, 0.2 // clamped to 1
		} else if l.TauGrad() != nil || ps.Len() != 2*hidden+hidden*in+hidden*hidden {
			t.Fatalf("fixed tau: TauGrad %v, store of %d parameters", l.TauGrad(), ps.Len())
		}
		x := make([]float64, steps*batch*in)
		h0 := make([]float64, batch*hidden)
		proj := make([]float64, batch*hidden)
		for i := range x {
			x[i] = float64(rng.IntN(2))
		}
		for i := range h0 {
			h0[i] = 0.5 * rng.Float64()
			proj[i] = rng.NormFloat64()
		}
		var c LeakyCache
		loss := func() float64 {
			hT := l.Forward(&c, x, steps, batch, h0)
			var s float64
			for i, v := range hT {
				s += proj[i] * v
			}
			return s
		}
		ps.ZeroGrad()
		loss()
		dh0 := slices.Clone(l.Backward(&c, proj))
		grads := slices.Clone(ps.Grads())
		if trainTau {
			g := l.TauGrad()
			if g[1] != 0 || g[3] != 0 || g[0] == 0 {
				t.Errorf("tau gradient %v: want 0 where tau < 1 and non-zero elsewhere", g)
			}
		}
		if err := nn.CheckGradient(loss, ps.Values(), grads, 1e-6, 1e-6); err != nil {
			t.Errorf("train_tau = %v: parameters: %v", trainTau, err)
		}
		if err := nn.CheckGradient(loss, h0, dh0, 1e-6, 1e-6); err != nil {
			t.Errorf("train_tau = %v: h0: %v", trainTau, err)
		}
	}
}

// studentLoss runs the student on a fixed batch with a fixed h0 and returns
// the summed loss of the group's heads.
func studentLoss(s *Student, b *task.Batch, seed uint64) float64 {
	h := s.forward(b, rand.New(rand.NewPCG(seed, 0)))
	l, _ := s.readout(b, h, 0, false)
	return l
}

// TestStudentGradient checks the whole student (recurrent layer, heads and
// summed cross-entropy over a group) against finite differences.
func TestStudentGradient(t *testing.T) {
	f := parity(t)
	for _, cell := range []Cell{LeakyCell, GRUCell, LSTMCell} {
		s := build(t, cell, f, func(p *Params, g *GatedParams) { p.Hidden, p.Heads, g.Hidden, g.Heads = 6, 4, 6, 4 })
		tk := task.Task{Index: 3, Group: []int{0, 3, 1}, Seed: 11}
		var b task.Batch
		s.data.Batch(&b, tk, 5)
		s.assignHeads(tk, true)
		s.ps.ZeroGrad()
		h := s.forward(&b, rand.New(rand.NewPCG(3, 0)))
		s.readout(&b, h, 0, true)
		s.backward()
		grads := slices.Clone(s.ps.Grads())
		if err := nn.CheckGradient(func() float64 { return studentLoss(s, &b, 3) }, s.ps.Values(), grads, 1e-6, 1e-6); err != nil {
			t.Errorf("%v: %v", cell, err)
		}
		// Heads outside the group get no gradient.
		for _, j := range s.heads[3].W.Grad() {
			if j != 0 {
				t.Errorf("%v: head 3 (not in the group) has gradient %v", cell, s.heads[3].W.Grad())
				break
			}
		}
	}
}

func TestZeroDiagonal(t *testing.T) {
	f := parity(t)
	for _, mask := range []bool{false, true} {
		s := build(t, LeakyCell, f, func(p *Params, _ *GatedParams) { p.Hidden, p.Batch, p.MaskDiagGrad = 8, 16, mask })
		l := s.Leaky()
		diag := func(v []float64) (n int) {
			for i := range l.Hidden {
				if v[i*l.Hidden+i] != 0 {
					n++
				}
			}
			return n
		}
		if n := diag(l.Rec.W.Value()); n != 0 {
			t.Fatalf("%d non-zero self-connections after New", n)
		}
		rng := rand.New(rand.NewPCG(1, 1))
		tau0 := slices.Clone(l.Tau())
		for range 5 {
			s.Learn(task.Task{Index: 1, Seed: rng.Uint64()})
			if n := diag(l.Rec.W.Value()); n != 0 {
				t.Fatalf("mask_diag_grad = %v: %d non-zero self-connections after Learn", mask, n)
			}
			if norm := s.ps.GradNorm(); norm > 2+1e-9 {
				t.Fatalf("gradient norm %v after clipping at 2", norm)
			}
		}
		// The reference lets the diagonal's gradient count; the mask
		// removes it.
		if n := diag(l.Rec.W.Grad()); mask != (n == 0) {
			t.Errorf("mask_diag_grad = %v: %d non-zero diagonal gradients", mask, n)
		}
		if slices.Equal(tau0, l.Tau()) {
			t.Error("tau did not train")
		}
	}
}

func TestHeadsFollowTheGroups(t *testing.T) {
	s := build(t, LeakyCell, parity(t), func(p *Params, _ *GatedParams) { p.Hidden, p.Heads, p.Batch, p.EvalBatch = 4, 5, 8, 8 })
	if s.HeadOf(2) != 0 {
		t.Fatalf("an untrained task uses head %d, want 0", s.HeadOf(2))
	}
	s.Learn(task.Task{Index: 4, Group: []int{0, 1, 2, 3, 4}, Seed: 1})
	for i := range 5 {
		if s.HeadOf(i) != i {
			t.Errorf("after group [0..4]: task %d on head %d, want %d", i, s.HeadOf(i), i)
		}
	}
	s.Learn(task.Task{Index: 5, Group: []int{3, 4, 5}, Seed: 2}) // a sliding window
	s.Learn(task.Task{Index: 1, Seed: 3})                        // no group: head 0
	for i, want := range []int{0, 0, 2, 0, 1, 2, 0} {
		if s.HeadOf(i) != want {
			t.Errorf("task %d on head %d, want %d", i, s.HeadOf(i), want)
		}
	}
	// Evaluate answers with the remembered head, or the group's.
	s.assignHeads(task.Task{Index: 5}, false)
	if !slices.Equal(s.headFor, []int{2}) {
		t.Errorf("Evaluate of task 5 uses heads %v, want [2]", s.headFor)
	}
	if focus := s.assignHeads(task.Task{Index: 4, Group: []int{2, 3, 4}}, false); focus != 2 || !slices.Equal(s.headFor, []int{0, 1, 2}) {
		t.Errorf("group evaluation: focus %d heads %v, want 2 and [0 1 2]", focus, s.headFor)
	}
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "heads = 5") {
				t.Errorf("a group of 6 on 5 heads: panic %v, want a message naming heads", r)
			}
		}()
		s.Learn(task.Task{Index: 5, Group: []int{0, 1, 2, 3, 4, 5}})
	}()
}

func TestOutcomeAndEvaluateLearnNothing(t *testing.T) {
	f := dms(t)
	a := build(t, LeakyCell, f, func(p *Params, _ *GatedParams) { p.Hidden, p.Batch = 8, 32 })
	b := build(t, LeakyCell, f, func(p *Params, _ *GatedParams) { p.Hidden, p.Batch = 8, 32 })
	rng := rand.New(rand.NewPCG(2, 2))
	for range 4 {
		tk := task.Task{Index: 2, Group: []int{0, 2}, Seed: rng.Uint64()}
		oa := a.Learn(tk)
		before := slices.Clone(b.ps.Values())
		e := b.Evaluate(tk)
		if !slices.Equal(before, b.ps.Values()) {
			t.Fatal("Evaluate changed the parameters")
		}
		ob := b.Learn(tk)
		if oa.Return != ob.Return || oa.Score != ob.Score || oa.Success != ob.Success {
			t.Fatalf("an Evaluate in between changed the next Learn: %+v vs %+v", oa, ob)
		}
		for _, o := range []task.Outcome{oa, e} {
			if err := o.Check(); err != nil || o.Steps != 1 || o.Return >= 0 || o.Success != (o.Score >= 0.98) {
				t.Fatalf("outcome %+v: %v", o, err)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	f := parity(t)
	for _, cell := range []Cell{LeakyCell, GRUCell, LSTMCell} {
		var params [][]float64
		for range 2 {
			s := build(t, cell, f, func(p *Params, g *GatedParams) { p.Hidden, g.Hidden, p.Batch, g.Batch = 8, 8, 16, 16 })
			rng := rand.New(rand.NewPCG(4, 4))
			for range 3 {
				s.Learn(task.Task{Index: 2, Seed: rng.Uint64()})
				s.Evaluate(task.Task{Index: 1})
			}
			params = append(params, slices.Clone(s.ps.Values()))
		}
		if !slices.Equal(params[0], params[1]) {
			t.Errorf("%v: the same streams gave different parameters", cell)
		}
	}
}

func TestLearnAllocatesNothing(t *testing.T) {
	f := parity(t)
	for _, cell := range []Cell{LeakyCell, GRUCell, LSTMCell} {
		s := build(t, cell, f, func(p *Params, g *GatedParams) {
			p.Hidden, g.Hidden, p.Batch, g.Batch, p.EvalBatch, g.EvalBatch = 16, 16, 32, 32, 32, 32
		})
		rng := rand.New(rand.NewPCG(5, 5))
		tk := task.Task{Index: 2, Group: []int{0, 1, 2}}
		// Grow the buffers to the longest sequence of N = 4 (6..17).
		for range 150 {
			tk.Seed = rng.Uint64()
			s.Learn(tk)
			s.Evaluate(tk)
		}
		if a := testing.AllocsPerRun(20, func() {
			tk.Seed = rng.Uint64()
			s.Learn(tk)
		}); a != 0 {
			t.Errorf("%v: Learn allocates %v times", cell, a)
		}
		if a := testing.AllocsPerRun(20, func() { s.Evaluate(tk) }); a != 0 {
			t.Errorf("%v: Evaluate allocates %v times", cell, a)
		}
	}
}

func TestAccepts(t *testing.T) {
	b, err := memory.NewBoolean(memory.DefaultBooleanParams())
	if err != nil {
		t.Fatal(err)
	}
	if !Accepts(parity(t)) || !Accepts(dms(t)) || Accepts(b) {
		t.Error("Accepts: want parity and dms, not boolean")
	}
	if _, err := New(DefaultParams(), b, tasktest.Streams(1)); err == nil || !strings.Contains(err.Error(), "classification") {
		t.Errorf("New on boolean: %v, want an error naming the classification families needed", err)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.Hidden = 0 }, "hidden"},
		{func(p *Params) { p.Heads = 0 }, "heads"},
		{func(p *Params) { p.Batch = 0 }, "batch"},
		{func(p *Params) { p.EvalBatch = -1 }, "eval_batch"},
		{func(p *Params) { p.Optimizer = "rmsprop" }, "optimizer"},
		{func(p *Params) { p.LR = math.NaN() }, "lr"},
		{func(p *Params) { p.Momentum = 1 }, "momentum"},
		{func(p *Params) { p.Momentum = 0 }, "nesterov"},
		{func(p *Params) { p.Clip = -1 }, "clip"},
		{func(p *Params) { p.Success = 0 }, "success"},
		{func(p *Params) { p.Slope = 1 }, "slope"},
		{func(p *Params) { p.H0Scale = -0.1 }, "h0_scale"},
		{func(p *Params) { p.TauLo = 0.5 }, "tau_lo"},
		{func(p *Params) { p.TauHi = 0.9 }, "tau_hi"},
	} {
		p := DefaultParams()
		c.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %s", p, err, c.want)
		}
	}
	g := DefaultGatedParams()
	g.Optimizer = "adagrad"
	if err := g.Validate(); err == nil || !strings.Contains(err.Error(), "optimizer") {
		t.Errorf("gated optimizer adagrad: %v", err)
	}
}

// learns trains s on task index idx and reports the batches it took to
// reach an accuracy above 98% on two test batches, or -1.
func learns(s *Student, idx, limit int) int {
	rng := rand.New(rand.NewPCG(8, 8))
	for i := 1; i <= limit; i++ {
		s.Learn(task.Task{Index: idx, Seed: rng.Uint64()})
		if i%50 == 0 && s.Evaluate(task.Task{Index: idx}).Score > 0.98 && s.Evaluate(task.Task{Index: idx}).Score > 0.98 {
			return i
		}
	}
	return -1
}

// TestSmallInstancesAreLearned trains 64-unit students on 2-parity and 3-DMS
// (task indices 0 and 1) with their default optimizers.
func TestSmallInstancesAreLearned(t *testing.T) {
	if testing.Short() {
		t.Skip("trains networks for several seconds")
	}
	for _, c := range []struct {
		cell  Cell
		f     task.Family
		name  string
		idx   int
		limit int
	}{
		{LeakyCell, parity(t), "2-parity", 0, 1500},
		{LeakyCell, dms(t), "3-dms", 1, 1500},
		{GRUCell, parity(t), "2-parity", 0, 1500},
		{LSTMCell, dms(t), "3-dms", 1, 2000},
	} {
		s := build(t, c.cell, c.f, nil)
		n := learns(s, c.idx, c.limit)
		if n < 0 {
			t.Errorf("%v did not learn %s within %d batches", c.cell, c.name, c.limit)
			continue
		}
		t.Logf("%v learned %s in %d batches", c.cell, c.name, n)
	}
}
