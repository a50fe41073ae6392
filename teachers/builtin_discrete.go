package teachers

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/adarft"
	"github.com/teachbench/teachbench/teachers/cyclical"
	"github.com/teachbench/teachbench/teachers/dump"
	"github.com/teachbench/teachbench/teachers/filter"
	"github.com/teachbench/teachbench/teachers/lp"
	"github.com/teachbench/teachbench/teachers/mr"
	"github.com/teachbench/teachbench/teachers/sec"
)

// The teachers of discrete task spaces (curriculum graphs): mastering rate,
// the learning-progress bandits, SEC, DUMP, difficulty filtering, AdaRFT and
// the cyclical curriculum.
func init() {
	discreteOnly := []task.Kind{task.DiscreteKind}
	Register(Info{
		Name: "mastering-rate",
		Doc: "Mastering rate (Willems, Lahlou & Bengio 2020): attention to tasks whose prerequisites are mastered and that are " +
			"not yet mastered or still progressing, redistributed along the prerequisite graph.",
		Kinds: discreteOnly,
	}, mr.DefaultParams(), func(p mr.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return mr.New(p, s, rng)
	})
	Register(Info{
		Name: "lp",
		Doc: "Learning-progress bandit (TSCL, Matiisen et al. 2017, as factored in the mastering-rate code): estimator " +
			"online|naive|window|linreg|sampling and converter argmax|greedy-argmax|proportional|greedy-proportional|boltzmann; default gProp Linreg.",
		Kinds: discreteOnly,
	}, lp.DefaultParams(), func(p lp.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return lp.New(p, s, rng)
	})
	Register(Info{
		Name: "sec",
		Doc: "Self-Evolving Curriculum (Chen et al. 2025): non-stationary bandit over tasks, TD(0) values of the mean absolute " +
			"advantage (or a documented proxy), Boltzmann sampling.",
		Kinds: discreteOnly,
	}, sec.DefaultParams(), func(p sec.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return sec.New(p, s, rng)
	})
	Register(Info{
		Name: "dump",
		Doc: "DUMP (Wang et al. 2025): UCB over tasks on the windowed mean absolute advantage (or a documented proxy) " +
			"plus an exploration bonus on sample counts, softmax sampling.",
		Kinds: discreteOnly,
	}, dump.DefaultParams(), func(p dump.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return dump.New(p, s, rng)
	})
	Register(Info{
		Name: "filter",
		Doc: "Balanced online difficulty filtering (Bae et al. 2025): uniform candidates kept only if their recent success " +
			"rate is in [low, high], with a cap on rejections.",
		Kinds: discreteOnly,
	}, filter.DefaultParams(), func(p filter.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return filter.New(p, s, rng)
	})
	Register(Info{
		Name: "adarft",
		Doc: "AdaRFT target-difficulty sampling (Shi et al. 2025): samples the tasks nearest a target difficulty that moves " +
			"with the recent reward towards a desired success rate.",
		Kinds: discreteOnly,
	}, adarft.DefaultParams(), func(p adarft.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return adarft.New(p, s, rng)
	})
	Register(Info{
		Name: "cyclical",
		Doc: "Cyclical curriculum (Kesgin & Amasyali 2023): the pool of tasks cycles between the easiest share and all " +
			"tasks; uniform sampling within the pool.",
		Kinds: discreteOnly,
	}, cyclical.DefaultParams(), func(p cyclical.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return cyclical.New(p, s, rng)
	})
}
