package teachers

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/plr"
	"github.com/teachbench/teachbench/teachers/random"
)

// The regret-based environment-design teachers: domain randomisation, PLR,
// robust PLR and ACCEL. dr is the random teacher preferring Levels spaces;
// plr, robust-plr and accel are one package under three sets of defaults.
func init() {
	Register(Info{
		Name: "dr",
		Doc: "Domain randomisation, the baseline of the environment-design papers: a fresh level from the family's " +
			"generator every episode (the random teacher, preferring Levels spaces, then Box, then Discrete).",
		Kinds: []task.Kind{task.LevelsKind, task.BoxKind, task.DiscreteKind},
	}, random.Params{}, func(p random.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return random.New(p, s, rng)
	})
	all := []task.Kind{task.LevelsKind, task.BoxKind, task.DiscreteKind}
	build := func(p plr.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) { return plr.New(p, s, rng) }
	Register(Info{
		Name: "plr",
		Doc: "Prioritized Level Replay (Jiang et al., ICML 2021; dcd 25-block maze settings): replays buffered levels " +
			"by rank of a regret score (MaxMC; return-based fallback for students without a critic) mixed with staleness, " +
			"else tries a new level; the student learns from both.",
		Kinds: all,
	}, plr.DefaultParams(), build)
	Register(Info{
		Name: "robust-plr",
		Doc: "Robust PLR, PLR⊥ (Jiang et al., NeurIPS 2021): PLR where new levels are only probed (played without learning) " +
			"and the student learns from replayed levels alone.",
		Kinds: all,
	}, plr.RobustParams(), build)
	Register(Info{
		Name: "accel",
		Doc: "ACCEL (Parker-Holder et al., ICML 2022; dcd maze settings): robust PLR whose replayed levels are edited " +
			"(num_edits random edits) into children that are probed and offered to the buffer; start the env from empty " +
			"levels (maze: walls = 0) or, on a Box, from its easy end (start_fraction).",
		Kinds: []task.Kind{task.LevelsKind, task.BoxKind},
	}, plr.ACCELParams(), build)
}
