package teachers

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/adr"
	"github.com/teachbench/teachbench/teachers/covargmm"
	"github.com/teachbench/teachbench/teachers/oracle"
	"github.com/teachbench/teachbench/teachers/riac"
)

// The continuous-space teachers of the teacher-algorithms papers besides
// ALP-GMM: Covar-GMM, RIAC, ADR and the oracle curriculum.
func init() {
	box := []task.Kind{task.BoxKind}
	Register(Info{
		Name: "covar-gmm",
		Doc: "Covar-GMM (Portelas et al., CoRL 2019, after Moulin-Frier et al. 2014): samples Gaussians of a GMM " +
			"over [task, time, reward] in proportion to their positive time-reward covariance.",
		Kinds: box,
	}, covargmm.DefaultParams(), func(p covargmm.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return covargmm.New(p, s, rng)
	})
	Register(Info{
		Name: "riac",
		Doc: "RIAC / SAGG-RIAC (Baranes & Oudeyer 2009, 2013; as in Portelas et al., CoRL 2019): splits the space " +
			"into regions where learning progress differs and samples regions in proportion to their progress.",
		Kinds: box,
	}, riac.DefaultParams(), func(p riac.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return riac.New(p, s, rng)
	})
	Register(Info{
		Name: "adr",
		Doc: "Automatic Domain Randomization (OpenAI et al. 2019, as in TeachMyAgent): grows a box from a single task, " +
			"widening a boundary when the student succeeds there and narrowing it when it fails.",
		Kinds: box,
	}, adr.DefaultParams(), func(p adr.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return adr.New(p, s, rng)
	})
	Register(Info{
		Name: "oracle",
		Doc: "Hand-made curriculum of Portelas et al. (CoRL 2019): a window moving from the easy end of each dimension " +
			"towards the hard end whenever a block of episodes succeeds.",
		Kinds: box,
	}, oracle.DefaultParams(), func(p oracle.Params, s task.Space, rng *rand.Rand) (task.Teacher, error) {
		return oracle.New(p, s, rng)
	})
}
