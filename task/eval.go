package task

// Eval summarises one evaluation of a student on a family's test set.
type Eval struct {
	// Mastered is the percentage (0–100) of test tasks that meet the
	// family's mastery rule.
	Mastered float64
	// ScoreMean, ReturnMean are the means over the test set of the
	// outcomes' score and return.
	ScoreMean  float64
	ReturnMean float64
	// SuccessRate is the percentage (0–100) of test episodes that succeeded.
	SuccessRate float64
	// Extra holds the values of the family's extra metrics, in the order of
	// its MetricNames.
	Extra []float64
}

// Evaluator is implemented by families whose evaluation is more than one
// Evaluate call per test task (several episodes per task, per-task metrics).
type Evaluator interface {
	// MetricNames names the extra metrics reported in Eval.Extra.
	MetricNames() []string
	// Evaluate measures s without letting it learn.
	Evaluate(s Student) Eval
}

// Evaluate measures student s on family f's test set without learning: through
// f's own Evaluator if it has one, otherwise by evaluating each test task once
// and applying f's mastery rule.
func Evaluate(f Family, s Student) Eval {
	if ev, ok := f.(Evaluator); ok {
		return ev.Evaluate(s)
	}
	tests := f.TestSet()
	var e Eval
	if len(tests) == 0 {
		return e
	}
	var mastered, success int
	for _, t := range tests {
		o := s.Evaluate(t)
		if f.Mastered(t, o) {
			mastered++
		}
		if o.Success {
			success++
		}
		e.ScoreMean += o.Score
		e.ReturnMean += o.Return
	}
	n := float64(len(tests))
	e.Mastered = 100 * float64(mastered) / n
	e.SuccessRate = 100 * float64(success) / n
	e.ScoreMean /= n
	e.ReturnMean /= n
	return e
}

// MetricNames returns the extra metric names of f, or nil.
func MetricNames(f Family) []string {
	if ev, ok := f.(Evaluator); ok {
		return ev.MetricNames()
	}
	return nil
}
