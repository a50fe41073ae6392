package plr

import (
	"math"

	"github.com/teachbench/teachbench/task"
)

// Score function names.
const (
	ScoreMaxMC    = "maxmc"
	ScoreGrounded = "grounded"
	ScorePVL      = "pvl"
	ScoreL1Value  = "l1-value"
	ScoreRegret   = "regret"
	ScoreProgress = "progress"
	FallbackNone  = "none"
)

var (
	scoreNames    = []string{ScoreMaxMC, ScoreGrounded, ScorePVL, ScoreL1Value, ScoreRegret, ScoreProgress}
	fallbackNames = []string{ScoreProgress, ScoreRegret, FallbackNone}
)

// history is what the teacher knows of a level before an episode on it.
type history struct {
	seen       bool    // played before (a replay, or a duplicate of a stored level)
	maxReturn  float64 // R_max so far
	lastReturn float64 // return of the latest episode
}

// levelScore returns the score of an episode of return ret and outcome o on
// a level whose best return, this episode included, is rmax. ok is false
// when o lacks the signal the function needs.
func levelScore(name string, o task.Outcome, ret, rmax float64, h history) (s float64, ok bool) {
	switch name {
	case ScoreMaxMC, ScoreGrounded:
		v, ok := o.Signal(task.MeanValue)
		if !ok {
			return 0, false
		}
		s = rmax - v
		if name == ScoreGrounded {
			s = math.Max(s, 0)
		}
		return s, true
	case ScorePVL:
		return o.Signal(task.PositiveValueLoss)
	case ScoreL1Value:
		return o.Signal(task.L1ValueLoss)
	case ScoreRegret:
		return rmax - ret, true
	case ScoreProgress:
		if !h.seen {
			return 0, true
		}
		return math.Abs(ret - h.lastReturn), true
	}
	return 0, false
}

// usedSignals reports whether the outcome's values that the teacher reads
// are all finite: the return, and any signal it may use.
func usableOutcome(o task.Outcome) bool {
	if !finite(o.Return) {
		return false
	}
	for _, s := range [...]task.Signal{task.MeanValue, task.PositiveValueLoss, task.L1ValueLoss, task.MaxReturn} {
		if v, ok := o.Signal(s); ok && !finite(v) {
			return false
		}
	}
	return true
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
