// Package recurrent holds the sequence-classifying students of the memory
// tasks: the leaky recurrent network with trainable per-neuron timescales of
// Khajehabdollahi, Zeraati, Giannakakis, Schäfer, Martius and Levina,
// "Emergent mechanisms for long timescales depend on training curriculum and
// affect performance in memory tasks" (ICLR 2024; reference code
// LevinaLab/rnn_timescale_public, src/models/RNN_Stack.py and
// training/train.py), registered as "rnn", and GRU and LSTM students on the
// cells of students/nn ("gru", "lstm"; the paper's supplementary LSTM
// experiments, analysis/lstm_training_and_timescales).
//
// They learn on any task.Supervised family with classification targets
// (Shape.Classes ≥ 2): N-parity and N-DMS of envs/memory.
//
// # Network
//
// One recurrent layer reads the input sequence (see Leaky for the leaky
// layer; GRU and LSTM follow PyTorch) and linear readout heads Hidden →
// Classes read its last state. The leaky layer starts every forward pass
// from h0 = h0_scale·U(0, 1) per unit and example (0.1, freshly drawn each
// time, as the reference), drawn from the run's batch stream when learning
// and from the evaluation stream when evaluating; GRU and LSTM start from
// zeros, as the reference's LSTM. Initialisation is PyTorch's: nn.Linear's
// U(±1/√fan_in) for the leaky layer's weights and biases and for the heads,
// U(±1/√Hidden) for the gated cells, τ ~ U(1, 2) (1 + U(0, 1)).
//
// # Heads
//
// There are heads readout heads (100, as the reference). A training task's
// group gives its k-th task head k (a task without a group uses head 0), as
// the reference's head k serves the k-th N of its current list; the loss is
// the sum over the group's heads of the mean cross-entropy. The student
// remembers, for every task index, the head of the last group it trained
// the task with; Evaluate on a task without a group answers with that head
// (head 0 for a task never trained), so a single-head curriculum, which
// reuses head 0 for every N, shows its forgetting of the small N. Box tasks
// always use head 0 and are not remembered. A group larger than heads, or a
// batch whose targets do not match the group, panics with a message naming
// both (the runner records the run as failed).
//
// # Training step
//
// Learn draws one batch of batch sequences for the task (the family's
// generator, from the task's seed), runs forward and backpropagation through
// time, clips the global gradient norm at clip (2.0; 0 turns clipping off),
// and takes one optimizer step: SGD with momentum 0.1, Nesterov, learning
// rate 0.05 (the reference) or Adam (optimizer = "adam"). For the leaky
// network the diagonal of the recurrent weights is then set back to zero.
// Like the reference, which zeroes the diagonal in every forward pass but
// lets autograd compute its gradient, the diagonal's gradient counts in the
// clipped norm and in the optimizer's momentum; mask_diag_grad = true zeroes
// it instead (the gradient of the constrained model). Forward passes see the
// same weights either way. A step whose gradient norm is not finite is
// skipped (counted by Skipped).
//
// # Outcome
//
// Learn and Evaluate return Score = the accuracy of the focus task's head
// (the head serving Task.Index) on the batch, before the step for Learn;
// Return = minus the loss (the sum over the group's heads of the mean
// cross-entropy); Success = Score ≥ success (0.98, the paper's criterion);
// Steps = 1. Evaluate draws one fresh test batch of eval_batch sequences
// per call (its seed from the evaluation stream; the task's own seed is
// ignored) and learns nothing: callers that want the reference's 50 test
// batches call it 50 times. Evaluate on a task with a group scores the head
// serving Task.Index on a batch of the whole group, the reference's test.
//
// Defaults: "rnn" follows the reference (64 units for speed, the paper's
// 500 with hidden = 500; batch 256; SGD-Nesterov lr 0.05, momentum 0.1;
// clip 2). "gru" and "lstm" follow the reference's LSTM script (Adam, lr
// 1e-3, batch 64, clip 2); all options apply to all three.
//
// Nothing is allocated per step once the buffers have grown to the longest
// sequence and largest batch. Everything is float64 and deterministic: the
// same streams give bit-identical parameters.
package recurrent

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
)

// Cell names a recurrent layer.
type Cell int

// The recurrent layers.
const (
	LeakyCell Cell = iota
	GRUCell
	LSTMCell
)

// String returns the registry name of the student built on the cell.
func (c Cell) String() string {
	switch c {
	case LeakyCell:
		return "rnn"
	case GRUCell:
		return "gru"
	case LSTMCell:
		return "lstm"
	}
	return fmt.Sprintf("Cell(%d)", int(c))
}

// maxUnits bounds hidden and heads so that a typo fails clearly.
const maxUnits = 100_000

// Params are the parameters of the leaky "rnn" student.
type Params struct {
	Hidden       int     `toml:"hidden" doc:"recurrent units (the paper: 500)"`
	Heads        int     `toml:"heads" doc:"linear readout heads; the k-th task of a training group uses head k (the reference: 100)"`
	Batch        int     `toml:"batch" doc:"sequences per training batch"`
	EvalBatch    int     `toml:"eval_batch" doc:"sequences per test batch (one per Evaluate call)"`
	Optimizer    string  `toml:"optimizer" doc:"sgd (with momentum and Nesterov) or adam"`
	LR           float64 `toml:"lr" doc:"learning rate"`
	Momentum     float64 `toml:"momentum" doc:"SGD momentum"`
	Nesterov     bool    `toml:"nesterov" doc:"SGD with Nesterov momentum"`
	WeightDecay  float64 `toml:"weight_decay" doc:"L2 weight decay added to the gradient (both optimizers)"`
	Clip         float64 `toml:"clip" doc:"global gradient-norm clip; 0 = none"`
	Success      float64 `toml:"success" doc:"accuracy at or above which an outcome is a success"`
	Slope        float64 `toml:"slope" doc:"negative slope of the LeakyReLU (PyTorch's default 0.01)"`
	H0Scale      float64 `toml:"h0_scale" doc:"initial state h0 = h0_scale*U(0,1) per unit, drawn every forward pass"`
	TrainTau     bool    `toml:"train_tau" doc:"train the per-neuron timescales tau (else tau = 1 fixed)"`
	TauLo        float64 `toml:"tau_lo" doc:"trainable tau initialised uniformly in [tau_lo, tau_hi]"`
	TauHi        float64 `toml:"tau_hi" doc:"upper end of the initial tau range"`
	MaskDiagGrad bool    `toml:"mask_diag_grad" doc:"zero the gradient of the (always zero) self-connections; false = the reference, whose diagonal gradient counts in clipping and momentum"`
}

// DefaultParams returns the reference's settings with 64 units.
func DefaultParams() Params {
	return Params{Hidden: 64, Heads: 100, Batch: 256, EvalBatch: 256, Optimizer: "sgd", LR: 0.05, Momentum: 0.1, Nesterov: true,
		Clip: 2, Success: 0.98, Slope: 0.01, H0Scale: 0.1, TrainTau: true, TauLo: 1, TauHi: 2}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if err := p.common().validate(); err != nil {
		return err
	}
	switch {
	case !(p.Slope >= 0 && p.Slope < 1):
		return fmt.Errorf("slope = %v: want a LeakyReLU slope in [0, 1)", p.Slope)
	case !(p.H0Scale >= 0) || math.IsInf(p.H0Scale, 0):
		return fmt.Errorf("h0_scale = %v: want a finite number >= 0", p.H0Scale)
	case !(p.TauLo >= 1) || math.IsInf(p.TauLo, 0):
		return fmt.Errorf("tau_lo = %v: want a finite timescale >= 1", p.TauLo)
	case !(p.TauHi >= p.TauLo) || math.IsInf(p.TauHi, 0):
		return fmt.Errorf("tau_hi = %v: want a finite timescale >= tau_lo = %v", p.TauHi, p.TauLo)
	}
	return nil
}

// GatedParams are the parameters of the "gru" and "lstm" students.
type GatedParams struct {
	Hidden      int     `toml:"hidden" doc:"recurrent units"`
	Heads       int     `toml:"heads" doc:"linear readout heads; the k-th task of a training group uses head k"`
	Batch       int     `toml:"batch" doc:"sequences per training batch"`
	EvalBatch   int     `toml:"eval_batch" doc:"sequences per test batch (one per Evaluate call)"`
	Optimizer   string  `toml:"optimizer" doc:"sgd (with momentum and Nesterov) or adam"`
	LR          float64 `toml:"lr" doc:"learning rate"`
	Momentum    float64 `toml:"momentum" doc:"SGD momentum"`
	Nesterov    bool    `toml:"nesterov" doc:"SGD with Nesterov momentum"`
	WeightDecay float64 `toml:"weight_decay" doc:"L2 weight decay added to the gradient (both optimizers)"`
	Clip        float64 `toml:"clip" doc:"global gradient-norm clip; 0 = none"`
	Success     float64 `toml:"success" doc:"accuracy at or above which an outcome is a success"`
}

// DefaultGatedParams returns the settings of the reference's LSTM script
// (Adam, lr 1e-3, batch 64, clip 2) with 64 units (the script: 500).
func DefaultGatedParams() GatedParams {
	return GatedParams{Hidden: 64, Heads: 100, Batch: 64, EvalBatch: 256, Optimizer: "adam", LR: 1e-3, Momentum: 0.1, Nesterov: true,
		Clip: 2, Success: 0.98}
}

// Validate checks the parameter ranges.
func (p GatedParams) Validate() error { return p.common().validate() }

// common holds the options every cell shares.
type common struct {
	hidden, heads, batch, evalBatch int
	optimizer                       string
	lr, momentum, weightDecay, clip float64
	nesterov                        bool
	success                         float64
}

func (p Params) common() common {
	return common{p.Hidden, p.Heads, p.Batch, p.EvalBatch, p.Optimizer, p.LR, p.Momentum, p.WeightDecay, p.Clip, p.Nesterov, p.Success}
}

func (p GatedParams) common() common {
	return common{p.Hidden, p.Heads, p.Batch, p.EvalBatch, p.Optimizer, p.LR, p.Momentum, p.WeightDecay, p.Clip, p.Nesterov, p.Success}
}

func (c common) validate() error {
	switch {
	case c.hidden < 1 || c.hidden > maxUnits:
		return fmt.Errorf("hidden = %d: want 1 to %d", c.hidden, maxUnits)
	case c.heads < 1 || c.heads > maxUnits:
		return fmt.Errorf("heads = %d: want 1 to %d", c.heads, maxUnits)
	case c.batch < 1 || c.batch > maxUnits:
		return fmt.Errorf("batch = %d: want 1 to %d", c.batch, maxUnits)
	case c.evalBatch < 1 || c.evalBatch > maxUnits:
		return fmt.Errorf("eval_batch = %d: want 1 to %d", c.evalBatch, maxUnits)
	case c.optimizer != "sgd" && c.optimizer != "adam":
		return fmt.Errorf("optimizer = %q: want \"sgd\" or \"adam\"", c.optimizer)
	case !(c.lr > 0) || math.IsInf(c.lr, 0):
		return fmt.Errorf("lr = %v: want a finite learning rate > 0", c.lr)
	case !(c.momentum >= 0 && c.momentum < 1):
		return fmt.Errorf("momentum = %v: want a number in [0, 1)", c.momentum)
	case c.nesterov && c.optimizer == "sgd" && c.momentum == 0:
		return fmt.Errorf("nesterov = true needs momentum > 0 (PyTorch's rule), got momentum = 0")
	case !(c.weightDecay >= 0) || math.IsInf(c.weightDecay, 0):
		return fmt.Errorf("weight_decay = %v: want a finite number >= 0", c.weightDecay)
	case !(c.clip >= 0) || math.IsInf(c.clip, 0):
		return fmt.Errorf("clip = %v: want a finite gradient norm >= 0 (0 = no clipping)", c.clip)
	case !(c.success > 0 && c.success <= 1):
		return fmt.Errorf("success = %v: want an accuracy in (0, 1]", c.success)
	}
	return nil
}

// Accepts reports whether f is a supervised classification family, the kind
// the recurrent students learn on.
func Accepts(f task.Family) bool {
	sf, ok := f.(task.Supervised)
	if !ok {
		return false
	}
	sh := sf.NewData(rand.New(rand.NewPCG(0, 0))).Shape()
	return sh.Classes >= 2 && sh.InputSize >= 1 && sh.MaxSeqLen >= 1
}

// Needs says what Accepts checks, for error messages.
const Needs = "a supervised classification family (labelled sequences, such as parity or dms)"

// Student is a recurrent sequence classifier with multiple readout heads. It
// is not safe for concurrent use.
type Student struct {
	cell    Cell
	c       common
	data    task.Data
	in      int
	classes int

	ps    nn.Params
	leaky *Leaky
	lc    LeakyCache
	gru   *nn.GRU
	gc    nn.GRUCache
	lstm  *nn.LSTM
	lsc   nn.LSTMCache
	heads []*nn.Dense
	opt   nn.Optimizer

	h0Scale  float64
	maskDiag bool

	batchRng, evalRng *rand.Rand

	train, test task.Batch
	xt          []float64 // time-major inputs
	h0          []float64
	logits, dl  []float64
	dh          []float64
	labels      []int
	headFor     []int // head of each target of the current batch
	headOf      []int // last head each task index trained on; −1 unknown
	skipped     int
}

// New returns the leaky "rnn" student for family f.
func New(p Params, f task.Family, rng task.Streams) (*Student, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	s, err := newStudent(LeakyCell, p.common(), f, rng)
	if err != nil {
		return nil, err
	}
	s.h0Scale, s.maskDiag = p.H0Scale, p.MaskDiagGrad
	s.leaky = NewLeaky(&s.ps, s.in, p.Hidden, p.TrainTau, p.Slope)
	s.finish(func(r *rand.Rand) { s.leaky.Init(r, p.TauLo, p.TauHi) }, rng.Init)
	return s, nil
}

// NewGated returns a "gru" or "lstm" student for family f.
func NewGated(cell Cell, p GatedParams, f task.Family, rng task.Streams) (*Student, error) {
	if cell != GRUCell && cell != LSTMCell {
		return nil, fmt.Errorf("recurrent: NewGated with cell %v, want gru or lstm", cell)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	s, err := newStudent(cell, p.common(), f, rng)
	if err != nil {
		return nil, err
	}
	k := 1 / math.Sqrt(float64(p.Hidden))
	u := nn.Uniform{Min: -k, Max: k}
	if cell == GRUCell {
		s.gru = nn.NewGRU(&s.ps, s.in, p.Hidden)
		s.finish(func(r *rand.Rand) { s.gru.Init(r, u, u) }, rng.Init)
	} else {
		s.lstm = nn.NewLSTM(&s.ps, s.in, p.Hidden)
		s.finish(func(r *rand.Rand) { s.lstm.Init(r, u, u) }, rng.Init)
	}
	return s, nil
}

func newStudent(cell Cell, c common, f task.Family, rng task.Streams) (*Student, error) {
	sf, ok := f.(task.Supervised)
	if !ok {
		return nil, fmt.Errorf("student %s needs %s", cell, Needs)
	}
	if rng.Init == nil || rng.Batch == nil || rng.Eval == nil {
		return nil, fmt.Errorf("student %s needs the init, batch and eval streams", cell)
	}
	data := sf.NewData(rng.Env)
	sh := data.Shape()
	if sh.Classes < 2 || sh.InputSize < 1 {
		return nil, fmt.Errorf("student %s needs %s; the family's batches have %d classes and %d inputs per step", cell, Needs, sh.Classes, sh.InputSize)
	}
	return &Student{cell: cell, c: c, data: data, in: sh.InputSize, classes: sh.Classes, batchRng: rng.Batch, evalRng: rng.Eval}, nil
}

// finish builds the heads after the recurrent layer (the reference's
// parameter order), initialises everything from rng and makes the
// optimizer.
func (s *Student) finish(initCell func(*rand.Rand), rng *rand.Rand) {
	s.heads = make([]*nn.Dense, s.c.heads)
	for k := range s.heads {
		s.heads[k] = nn.NewDense(&s.ps, s.c.hidden, s.classes)
	}
	initCell(rng)
	for _, h := range s.heads {
		h.Init(rng, nn.TorchLinear{}, nn.TorchLinear{})
	}
	if s.c.optimizer == "adam" {
		a := nn.NewAdam(&s.ps, s.c.lr)
		a.WeightDecay = s.c.weightDecay
		s.opt = a
	} else {
		o := nn.NewSGD(&s.ps, s.c.lr)
		o.Momentum, o.Nesterov, o.WeightDecay = s.c.momentum, s.c.nesterov, s.c.weightDecay
		s.opt = o
	}
}

// Cell returns the student's recurrent layer kind.
func (s *Student) Cell() Cell { return s.cell }

// Params returns the parameter store (for tests and inspection).
func (s *Student) Params() *nn.Params { return &s.ps }

// Leaky returns the leaky layer, or nil for gated cells.
func (s *Student) Leaky() *Leaky { return s.leaky }

// Skipped returns the number of training steps skipped for a non-finite
// gradient.
func (s *Student) Skipped() int { return s.skipped }

// HeadOf returns the head that serves task index i in Evaluate: the position
// of i in the last group it was trained with, 0 if never trained.
func (s *Student) HeadOf(i int) int {
	if i >= 0 && i < len(s.headOf) && s.headOf[i] >= 0 {
		return s.headOf[i]
	}
	return 0
}

// Learn trains on one batch of t and returns the outcome of that batch
// before the step.
func (s *Student) Learn(t task.Task) task.Outcome {
	focus := s.assignHeads(t, true)
	b := &s.train
	s.data.Batch(b, t, s.c.batch)
	s.checkBatch(b, t)
	s.ps.ZeroGrad()
	hT := s.forward(b, s.batchRng)
	loss, acc := s.readout(b, hT, focus, true)
	s.backward()
	if s.maskDiag {
		s.leaky.ZeroDiagonalGrad()
	}
	norm := s.ps.GradNorm()
	if s.c.clip > 0 {
		norm = s.ps.ClipGradNorm(s.c.clip)
	}
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		s.skipped++
	} else {
		s.opt.Step()
		if s.leaky != nil {
			s.leaky.ZeroDiagonal()
		}
	}
	s.remember(t)
	return s.outcome(loss, acc)
}

// Evaluate scores t on one fresh test batch without learning.
func (s *Student) Evaluate(t task.Task) task.Outcome {
	focus := s.assignHeads(t, false)
	t.Seed = s.evalRng.Uint64()
	b := &s.test
	s.data.Batch(b, t, s.c.evalBatch)
	s.checkBatch(b, t)
	hT := s.forward(b, s.evalRng)
	loss, acc := s.readout(b, hT, focus, false)
	return s.outcome(loss, acc)
}

func (s *Student) outcome(loss, acc float64) task.Outcome {
	return task.Outcome{Return: -loss, Score: acc, Success: acc >= s.c.success, Steps: 1}
}

// assignHeads sets headFor, the head of each target of t's batch, and
// returns the position of the focus task among the targets.
func (s *Student) assignHeads(t task.Task, training bool) int {
	s.headFor = s.headFor[:0]
	switch {
	case t.Params != nil || t.Level != nil:
		s.headFor = append(s.headFor, 0)
		return 0
	case t.Group != nil:
		if len(t.Group) > len(s.heads) {
			panic(fmt.Sprintf("student %s: a group of %d tasks needs %d heads, but the student has heads = %d", s.cell, len(t.Group), len(t.Group), len(s.heads)))
		}
		focus := 0
		for k, i := range t.Group {
			s.headFor = append(s.headFor, k)
			if i == t.Index {
				focus = k
			}
		}
		return focus
	}
	if training {
		s.headFor = append(s.headFor, 0)
	} else {
		s.headFor = append(s.headFor, s.HeadOf(t.Index))
	}
	return 0
}

// remember records the head each task of t's group trained on.
func (s *Student) remember(t task.Task) {
	if t.Params != nil || t.Level != nil {
		return
	}
	set := func(i, k int) {
		if i < 0 {
			return
		}
		for len(s.headOf) <= i {
			s.headOf = append(s.headOf, -1)
		}
		s.headOf[i] = k
	}
	if t.Group == nil {
		set(t.Index, 0)
		return
	}
	for k, i := range t.Group {
		set(i, k)
	}
}

func (s *Student) checkBatch(b *task.Batch, t task.Task) {
	if b.Targets != len(s.headFor) {
		panic(fmt.Sprintf("student %s: the family gave %d targets per example for %v, want one per task of its group (%d)", s.cell, b.Targets, t, len(s.headFor)))
	}
	if b.InputSize != s.in || b.SeqLen < 1 {
		panic(fmt.Sprintf("student %s: batch of %d steps of %d inputs, want %d inputs per step", s.cell, b.SeqLen, b.InputSize, s.in))
	}
}

// forward runs the recurrent layer over b and returns its last state.
func (s *Student) forward(b *task.Batch, rng *rand.Rand) []float64 {
	n, T, I, H := b.Size, b.SeqLen, b.InputSize, s.c.hidden
	s.xt = grow(s.xt, T*n*I)
	for i := range n {
		for t := range T {
			copy(s.xt[(t*n+i)*I:(t*n+i+1)*I], b.X[(i*T+t)*I:(i*T+t+1)*I])
		}
	}
	switch s.cell {
	case LeakyCell:
		s.h0 = grow(s.h0, n*H)
		for j := range s.h0 {
			s.h0[j] = s.h0Scale * rng.Float64()
		}
		return s.leaky.Forward(&s.lc, s.xt, T, n, s.h0)
	case GRUCell:
		s.gru.Begin(&s.gc, nil, n)
		for t := range T {
			s.gru.Step(&s.gc, s.xt[t*n*I:(t+1)*n*I], nil)
		}
		return s.gc.Output(T - 1)
	}
	s.lstm.Begin(&s.lsc, nil, nil, n)
	for t := range T {
		s.lstm.Step(&s.lsc, s.xt[t*n*I:(t+1)*n*I], nil)
	}
	return s.lsc.Output(T - 1)
}

// readout applies the heads of the batch's targets to the last state h and
// returns the summed mean cross-entropy and the focus head's accuracy. When
// training it leaves ∂L/∂h in s.dh and adds the heads' gradients.
func (s *Student) readout(b *task.Batch, h []float64, focus int, training bool) (loss, acc float64) {
	n, C, H := b.Size, s.classes, s.c.hidden
	s.logits = grow(s.logits, n*C)
	s.dl = grow(s.dl, n*C)
	s.dh = grow(s.dh, n*H)
	if cap(s.labels) < n {
		s.labels = make([]int, n)
	}
	s.labels = s.labels[:n]
	clear(s.dh)
	for k, head := range s.headFor {
		for i := range n {
			y := b.Y[i*b.Targets+k]
			l := int(y)
			if float64(l) != y || l < 0 || l >= C {
				panic(fmt.Sprintf("student %s: target %v of example %d is not a class 0..%d", s.cell, y, i, C-1))
			}
			s.labels[i] = l
		}
		d := s.heads[head]
		d.Forward(s.logits, h, n)
		var grad []float64
		if training {
			grad = s.dl
		}
		loss += nn.SoftmaxCrossEntropy(grad, s.logits, s.labels, C)
		if training {
			d.Backward(s.dh, s.dl, h, n)
		}
		if k == focus {
			acc = accuracy(s.logits, s.labels, C)
		}
	}
	return loss, acc
}

// accuracy returns the share of rows whose largest logit is the label (the
// first largest on ties, as torch.max).
func accuracy(logits []float64, labels []int, classes int) float64 {
	correct := 0
	for r, l := range labels {
		z := logits[r*classes : (r+1)*classes]
		best := 0
		for j, v := range z {
			if v > z[best] {
				best = j
			}
		}
		if best == l {
			correct++
		}
	}
	return float64(correct) / float64(len(labels))
}

// backward backpropagates s.dh through the recurrent layer.
func (s *Student) backward() {
	switch s.cell {
	case LeakyCell:
		s.leaky.Backward(&s.lc, s.dh)
	case GRUCell:
		g := s.gc.OutputGrad(s.gc.Len() - 1)
		for j, v := range s.dh {
			g[j] += v
		}
		s.gru.Backward(&s.gc)
	default:
		g := s.lsc.OutputGrad(s.lsc.Len() - 1)
		for j, v := range s.dh {
			g[j] += v
		}
		s.lstm.Backward(&s.lsc)
	}
}
