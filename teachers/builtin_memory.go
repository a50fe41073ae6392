package teachers

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/degree"
	"github.com/teachbench/teachbench/teachers/timescale"
)

// The curricula of the memory tasks: single-head, multi-head and sliding
// (Khajehabdollahi et al., ICLR 2024) and the Degree-Curriculum (Abbe et al.,
// ICML 2023).
func init() {
	discreteOnly := []task.Kind{task.DiscreteKind}
	Register(Info{
		Name: "single-head",
		Doc: "Single-head curriculum of the timescale paper (ICLR 2024): train N (group [N], one head) over the task chain; every " +
			"epoch_batches batches evaluate with the student's Evaluate and move to N+1 when accuracy > 98%.",
		Kinds: discreteOnly,
	}, timescale.DefaultSingleParams(), func(p timescale.SingleParams, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return timescale.NewSingle(p, s, rng)
	})
	Register(Info{
		Name: "multi-head",
		Doc: "Multi-head (cumulative) curriculum of the timescale paper: train every N so far together (group = the list, head k for " +
			"the k-th N); append the next N when mean and largest-N accuracies > 98% at an epoch's evaluation.",
		Kinds: discreteOnly,
	}, timescale.DefaultMultiParams(), func(p timescale.MultiParams, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return timescale.NewMulti(p, s, rng)
	})
	Register(Info{
		Name: "sliding",
		Doc: "Sliding-window curriculum of the timescale paper: train a window of Ns together; on success drop the shift oldest " +
			"and append as many new Ns.",
		Kinds: discreteOnly,
	}, timescale.DefaultSlidingParams(), func(p timescale.SlidingParams, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return timescale.NewSliding(p, s, rng)
	})
	Register(Info{
		Name: "degree",
		Doc: "Degree-Curriculum (Abbe et al., ICML 2023): train on the Hamming ball of radius k = leap, raise k by leap whenever an " +
			"epoch's mean training loss is below eps = 0.001; leap = d is the no-curriculum baseline. Discrete (index order) or Box.",
		Kinds: []task.Kind{task.DiscreteKind, task.BoxKind},
	}, degree.DefaultParams(), func(p degree.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return degree.New(p, s, rng)
	})
}
