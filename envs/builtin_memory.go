package envs

import (
	"github.com/teachbench/teachbench/envs/memory"
	"github.com/teachbench/teachbench/task"
)

// The supervised memory families: N-parity and N-DMS (Khajehabdollahi et
// al., ICLR 2024) and Boolean functions on the hypercube (Abbe et al., ICML
// 2023).
func init() {
	Register(Info{
		Name: "parity",
		Doc: "N-parity (Khajehabdollahi et al., ICLR 2024): bit sequences of length N+2..4N+1 with a per-sequence bias, label = parity " +
			"of the last N bits; Discrete chain N = 2..n_max (+ Box view); mastered = % of N with accuracy >= 98%; extra max_n, acc_<N>.",
		DefaultStudent: "rnn",
	}, memory.DefaultParityParams(), func(p memory.ParityParams) (task.Family, error) { return memory.NewParity(p) })
	Register(Info{
		Name: "dms",
		Doc: "N-delayed-match-to-sample (Khajehabdollahi et al., ICLR 2024): balanced bit sequences of length N+2..4N+1, label = " +
			"(x[M-N] == x[M-1]); Discrete chain N = 2..n_max (+ Box view); mastered = % of N with accuracy >= 98%; extra max_n, acc_<N>.",
		DefaultStudent: "rnn",
	}, memory.DefaultDMSParams(), func(p memory.DMSParams) (task.Family, error) { return memory.NewDMS(p) })
	Register(Info{
		Name: "boolean",
		Doc: "Boolean functions on {-1,1}^d (Abbe et al., ICML 2023): full/sparse parity, majority, cyclic, threesym, learned by regression; " +
			"task = Hamming-ball radius k of the training inputs (chain k = 0..d, + Box view); test = every Hamming shell; " +
			"mastered = % of shells with MSE < mastery_mse; extra mse, mse_w<w>, mse_out<k> (error beyond radius k).",
		DefaultStudent: "mlp",
	}, memory.DefaultBooleanParams(), func(p memory.BooleanParams) (task.Family, error) { return memory.NewBoolean(p) })
}
