// Package mlp is the regression student of the Boolean-function experiments
// of Abbe, Bengio, Lotfi and Rizk, "Generalization on the Unseen, Logic
// Reasoning and Degree Curriculum" (ICML 2023; reference code aryol/GOTU,
// models.py class MLP and main.py): a ReLU multilayer perceptron trained
// with the mean squared error by Adam with L2 weight decay.
//
// It learns on any task.Supervised family with regression targets
// (Shape.Classes = 0) and one step per example (Shape.MaxSeqLen = 1), such as
// the "boolean" family of envs/memory.
//
// # Network and training
//
// Layers In → sizes… → 1 with ReLU between them and a linear output, all
// initialised by PyTorch's nn.Linear default U(±1/√fan_in) (the reference's
// custom initialisation is commented out). The reference network is
// 16 → 512 → 1024 → 512 → 64 → 1 (sizes = [512, 1024, 512, 64]); the default
// here is [128, 128] for speed (BenchmarkLearn: about 60 times the examples
// per second), which fits full parity in dimension 16 given enough steps
// (set sizes for the paper's network). Learn draws one batch of batch examples (64) from the
// family's generator for the task's seed, takes the MSE between the output
// and the target, and makes one step of Adam (lr 1e-4, β = (0.9, 0.999),
// weight decay 1e-3 added to the gradient as torch.optim.Adam does, no
// clipping by default: the reference's settings for the degree-curriculum
// experiment) or of SGD with momentum (optimizer = "sgd", the reference's
// other option, momentum 0 there).
//
// The network has one output. The boolean family's targets do not depend on
// the task (a group's targets are all f(x)), so for a task with a group the
// student trains and scores on the target of the focus task (Task.Index);
// it keeps no per-task heads.
//
// # Outcome
//
// Return = minus the batch MSE (before the step, for Learn). Score =
// clip(1 − MSE/mean(y²), 0, 1): the share of the targets' energy explained,
// 1 for a perfect fit and 0 for a fit no better than predicting zero (1 when
// the batch's targets are all zero and the fit is exact, else 0 then).
// Success = MSE < success_mse (0.001, the threshold ε of the
// Degree-Curriculum). Steps = 1. Evaluate draws one test batch of eval_batch
// examples with a seed from the run's evaluation stream (the task's own
// seed is ignored) and learns nothing. A step whose gradient norm is not
// finite is skipped and counted (Skipped).
//
// Nothing is allocated per step once the buffers have grown.
package mlp

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
)

const maxUnits = 1 << 20

// Params are the MLP student's parameters.
type Params struct {
	Sizes       []int   `toml:"sizes" doc:"hidden layer widths (the paper: [512, 1024, 512, 64])"`
	Batch       int     `toml:"batch" doc:"examples per training batch"`
	EvalBatch   int     `toml:"eval_batch" doc:"examples per test batch (one per Evaluate call)"`
	Optimizer   string  `toml:"optimizer" doc:"adam or sgd (with momentum)"`
	LR          float64 `toml:"lr" doc:"learning rate"`
	Momentum    float64 `toml:"momentum" doc:"SGD momentum"`
	WeightDecay float64 `toml:"weight_decay" doc:"L2 weight decay added to the gradient (torch.optim.Adam's weight_decay)"`
	Clip        float64 `toml:"clip" doc:"global gradient-norm clip; 0 = none (the reference)"`
	SuccessMSE  float64 `toml:"success_mse" doc:"an outcome is a success when the batch MSE is below this"`
}

// DefaultParams returns the reference's degree-curriculum settings (Adam, lr
// 1e-4, weight decay 1e-3, batch 64) on a smaller network.
func DefaultParams() Params {
	return Params{Sizes: []int{128, 128}, Batch: 64, EvalBatch: 1024, Optimizer: "adam", LR: 1e-4, WeightDecay: 1e-3, SuccessMSE: 1e-3}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if len(p.Sizes) > 64 {
		return fmt.Errorf("sizes has %d layers: want at most 64", len(p.Sizes))
	}
	for i, n := range p.Sizes {
		if n < 1 || n > maxUnits {
			return fmt.Errorf("sizes[%d] = %d: want 1 to %d units", i, n, maxUnits)
		}
	}
	switch {
	case p.Batch < 1 || p.Batch > maxUnits:
		return fmt.Errorf("batch = %d: want 1 to %d", p.Batch, maxUnits)
	case p.EvalBatch < 1 || p.EvalBatch > maxUnits:
		return fmt.Errorf("eval_batch = %d: want 1 to %d", p.EvalBatch, maxUnits)
	case p.Optimizer != "adam" && p.Optimizer != "sgd":
		return fmt.Errorf("optimizer = %q: want \"adam\" or \"sgd\"", p.Optimizer)
	case !(p.LR > 0) || math.IsInf(p.LR, 0):
		return fmt.Errorf("lr = %v: want a finite learning rate > 0", p.LR)
	case !(p.Momentum >= 0 && p.Momentum < 1):
		return fmt.Errorf("momentum = %v: want a number in [0, 1)", p.Momentum)
	case !(p.WeightDecay >= 0) || math.IsInf(p.WeightDecay, 0):
		return fmt.Errorf("weight_decay = %v: want a finite number >= 0", p.WeightDecay)
	case !(p.Clip >= 0) || math.IsInf(p.Clip, 0):
		return fmt.Errorf("clip = %v: want a finite gradient norm >= 0 (0 = no clipping)", p.Clip)
	case !(p.SuccessMSE > 0) || math.IsInf(p.SuccessMSE, 0):
		return fmt.Errorf("success_mse = %v: want a finite number > 0", p.SuccessMSE)
	}
	return nil
}

// Accepts reports whether f is a supervised regression family of
// non-sequential examples.
func Accepts(f task.Family) bool {
	sf, ok := f.(task.Supervised)
	if !ok {
		return false
	}
	sh := sf.NewData(rand.New(rand.NewPCG(0, 0))).Shape()
	return sh.Classes == 0 && sh.MaxSeqLen == 1 && sh.InputSize >= 1
}

// Needs says what Accepts checks, for error messages.
const Needs = "a supervised regression family of non-sequential examples (such as boolean)"

// Student is an MLP regressor. It is not safe for concurrent use.
type Student struct {
	p       Params
	data    task.Data
	in      int
	ps      nn.Params
	net     *nn.MLP
	cache   nn.MLPCache
	opt     nn.Optimizer
	evalRng *rand.Rand

	train, test task.Batch
	target      []float64
	grad        []float64
	skipped     int
}

// New returns an MLP student for family f.
func New(p Params, f task.Family, rng task.Streams) (*Student, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	sf, ok := f.(task.Supervised)
	if !ok {
		return nil, fmt.Errorf("student mlp needs %s", Needs)
	}
	if rng.Init == nil || rng.Eval == nil {
		return nil, fmt.Errorf("student mlp needs the init and eval streams")
	}
	data := sf.NewData(rng.Env)
	sh := data.Shape()
	if sh.Classes != 0 || sh.MaxSeqLen != 1 || sh.InputSize < 1 {
		return nil, fmt.Errorf("student mlp needs %s; the family's batches have %d classes and sequences of up to %d steps", Needs, sh.Classes, sh.MaxSeqLen)
	}
	s := &Student{p: p, data: data, in: sh.InputSize, evalRng: rng.Eval}
	sizes := append(append([]int{sh.InputSize}, p.Sizes...), 1)
	s.net = nn.NewMLP(&s.ps, sizes, nn.ReLU{}, nn.Identity{})
	s.net.Init(rng.Init, nn.TorchLinear{}, nn.TorchLinear{})
	if p.Optimizer == "adam" {
		a := nn.NewAdam(&s.ps, p.LR)
		a.WeightDecay = p.WeightDecay
		s.opt = a
	} else {
		o := nn.NewSGD(&s.ps, p.LR)
		o.Momentum, o.WeightDecay = p.Momentum, p.WeightDecay
		s.opt = o
	}
	return s, nil
}

// Net returns the network (for tests and inspection).
func (s *Student) Net() *nn.MLP { return s.net }

// Params returns the parameter store.
func (s *Student) Params() *nn.Params { return &s.ps }

// Skipped returns the number of steps skipped for a non-finite gradient.
func (s *Student) Skipped() int { return s.skipped }

// Learn trains on one batch of t and returns the outcome of that batch
// before the step.
func (s *Student) Learn(t task.Task) task.Outcome {
	b := &s.train
	s.data.Batch(b, t, s.p.Batch)
	s.ps.ZeroGrad()
	mse, score := s.loss(b, t, true)
	norm := s.ps.GradNorm()
	if s.p.Clip > 0 {
		norm = s.ps.ClipGradNorm(s.p.Clip)
	}
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		s.skipped++
	} else {
		s.opt.Step()
	}
	return s.outcome(mse, score)
}

// Evaluate scores t on one fresh test batch without learning.
func (s *Student) Evaluate(t task.Task) task.Outcome {
	t.Seed = s.evalRng.Uint64()
	b := &s.test
	s.data.Batch(b, t, s.p.EvalBatch)
	mse, score := s.loss(b, t, false)
	return s.outcome(mse, score)
}

func (s *Student) outcome(mse, score float64) task.Outcome {
	return task.Outcome{Return: -mse, Score: score, Success: mse < s.p.SuccessMSE, Steps: 1}
}

// loss runs the network on b and returns the MSE against the focus task's
// targets and the score; when training it adds the gradients.
func (s *Student) loss(b *task.Batch, t task.Task, training bool) (mse, score float64) {
	if b.InputSize != s.in || b.SeqLen != 1 || b.Targets < 1 {
		panic(fmt.Sprintf("student mlp: batch of %d steps of %d inputs with %d targets, want 1 step of %d inputs", b.SeqLen, b.InputSize, b.Targets, s.in))
	}
	k := 0
	for j, i := range t.Group {
		if i == t.Index {
			k = j
		}
	}
	if k >= b.Targets {
		panic(fmt.Sprintf("student mlp: focus target %d of %d", k, b.Targets))
	}
	n := b.Size
	s.target = grow(s.target, n)
	var energy float64
	for i := range n {
		y := b.Y[i*b.Targets+k]
		s.target[i] = y
		energy += y * y
	}
	energy /= float64(n)
	out := s.net.Forward(&s.cache, b.X, n)
	var g []float64
	if training {
		s.grad = grow(s.grad, n)
		g = s.grad
	}
	mse = nn.MSE(g, out[:n], s.target)
	if training {
		s.net.Backward(&s.cache, g)
	}
	switch {
	case energy > 0:
		score = min(1, max(0, 1-mse/energy))
	case mse == 0:
		score = 1
	}
	return mse, score
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
