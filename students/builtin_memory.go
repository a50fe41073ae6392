package students

import (
	"github.com/teachbench/teachbench/students/mlp"
	"github.com/teachbench/teachbench/students/recurrent"
	"github.com/teachbench/teachbench/task"
)

// The students of the memory tasks: the leaky RNN with trainable timescales
// (Khajehabdollahi et al., ICLR 2024), GRU and LSTM classifiers, and the MLP
// regressor of the Boolean-function experiments (Abbe et al., ICML 2023).
func init() {
	Register(Info{
		Name: "rnn",
		Doc: "Leaky RNN of the timescale paper (ICLR 2024): trainable per-neuron tau clamped >= 1, zero-diagonal recurrence, LeakyReLU, " +
			"one linear head per task of the group (k-th task -> head k), summed cross-entropy, BPTT, SGD-Nesterov lr 0.05 momentum 0.1 " +
			"(or Adam), clip 2, batch 256; 64 units by default (paper: 500).",
		Needs:   recurrent.Needs,
		Accepts: recurrent.Accepts,
	}, recurrent.DefaultParams(), func(p recurrent.Params, f task.Family, rng task.Streams) (task.Student, error) {
		return recurrent.New(p, f, rng)
	})
	Register(Info{
		Name: "gru",
		Doc: "GRU sequence classifier (PyTorch equations) with the rnn student's multi-head readout and loss; Adam lr 1e-3, batch 64, " +
			"clip 2 (the reference's LSTM script) or SGD-Nesterov; 64 units.",
		Needs:   recurrent.Needs,
		Accepts: recurrent.Accepts,
	}, recurrent.DefaultGatedParams(), func(p recurrent.GatedParams, f task.Family, rng task.Streams) (task.Student, error) {
		return recurrent.NewGated(recurrent.GRUCell, p, f, rng)
	})
	Register(Info{
		Name: "lstm",
		Doc: "LSTM sequence classifier (PyTorch equations) with the rnn student's multi-head readout and loss; Adam lr 1e-3, batch 64, " +
			"clip 2 (the reference's LSTM script) or SGD-Nesterov; 64 units.",
		Needs:   recurrent.Needs,
		Accepts: recurrent.Accepts,
	}, recurrent.DefaultGatedParams(), func(p recurrent.GatedParams, f task.Family, rng task.Streams) (task.Student, error) {
		return recurrent.NewGated(recurrent.LSTMCell, p, f, rng)
	})
	Register(Info{
		Name: "mlp",
		Doc: "ReLU MLP regressor of the degree-curriculum paper (ICML 2023): MSE, Adam lr 1e-4 with weight decay 1e-3, batch 64; " +
			"hidden sizes [128, 128] by default (paper: [512, 1024, 512, 64]); score = explained share of the targets' energy.",
		Needs:   mlp.Needs,
		Accepts: mlp.Accepts,
	}, mlp.DefaultParams(), func(p mlp.Params, f task.Family, rng task.Streams) (task.Student, error) {
		return mlp.New(p, f, rng)
	})
}
