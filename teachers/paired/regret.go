package paired

import "math"

// regret returns the adversary's reward for a level from the protagonist's
// and the antagonist's episodes on it:
//
//   - paired (dcd): max(0, max_ant − mean_pro), also minimax's
//     relative_regret;
//   - flexible (dcd's flexible_paired): the student with the higher best
//     return plays the antagonist, max(0, max_best − mean_other);
//   - minimax: −max_pro, an adversary that only minimises the protagonist's
//     return;
//   - mean-relative (minimax's mean_relative_regret): max(0, mean_ant −
//     mean_pro);
//   - population (minimax's population_regret): max(max_pro, max_ant) −
//     (mean_pro + mean_ant)/2;
//   - unclipped (jaxued): max_ant − mean_pro.
//
// Every play has at least one episode, except ant under minimax.
func regret(name string, pro, ant *play) float64 {
	switch name {
	case RegretFlexible:
		// dcd: the antagonist's max counts if it beats the
		// protagonist's, else (ties included) the protagonist's.
		if ant.max > pro.max {
			return math.Max(0, ant.max-pro.mean())
		}
		return math.Max(0, pro.max-ant.mean())
	case RegretMinimax:
		return -pro.max
	case RegretMeanRelative:
		return math.Max(0, ant.mean()-pro.mean())
	case RegretPopulation:
		return math.Max(pro.max, ant.max) - (pro.mean()+ant.mean())/2
	case RegretUnclipped:
		return ant.max - pro.mean()
	}
	return math.Max(0, ant.max-pro.mean())
}

// runningStd tracks the variance of the adversary's rewards as OpenAI
// baselines' RunningMeanStd (used by dcd's adv_normalize_returns): it
// starts from mean 0, variance 1 and a count of 1e-4, and merges each
// reward as a batch of one.
type runningStd struct {
	mean, variance, count float64
}

func newRunningStd() runningStd { return runningStd{variance: 1, count: 1e-4} }

func (s *runningStd) add(x float64) {
	delta := x - s.mean
	total := s.count + 1
	s.mean += delta / total
	m2 := s.variance*s.count + delta*delta*s.count/total
	s.variance = m2 / total
	s.count = total
}
