package task

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Task is what a teacher proposes. Exactly one of its views is set, matching
// the space it was drawn from:
//
//   - Box: Params holds one value per dimension;
//   - Levels: Level holds the level's encoding;
//   - Discrete: Params and Level are nil and Index names the task.
//
// Seed fixes everything random about the episode layout, so that the same Task
// always produces the same episode.
type Task struct {
	Params []float64
	Index  int
	Level  []byte
	Seed   uint64
	// Group lists, for Discrete spaces, tasks trained together in one step
	// (the active heads of multi-head curricula), Index being the one the
	// teacher is focused on; a student gives the k-th task of the group its
	// k-th output head. Nil means the single task Index.
	Group []int
	// Probe asks the runner to have the student play the task without
	// learning from it (Prober.Probe, or Evaluate for students without
	// it); the outcome still goes to the teacher's Update and the episode
	// counts against the budget. Robust PLR probes new levels this way.
	Probe bool
}

// Kind returns the kind of space the task was drawn from, by the view that is
// set.
func (t Task) Kind() Kind {
	switch {
	case t.Level != nil:
		return LevelsKind
	case t.Params != nil:
		return BoxKind
	}
	return DiscreteKind
}

// Clone returns a deep copy of t, for receivers that keep a task beyond a call.
func (t Task) Clone() Task {
	c := t
	if t.Params != nil {
		c.Params = append([]float64(nil), t.Params...)
	}
	if t.Level != nil {
		c.Level = append([]byte(nil), t.Level...)
	}
	if t.Group != nil {
		c.Group = append([]int(nil), t.Group...)
	}
	return c
}

// String returns a compact description for logs and error messages.
func (t Task) String() string {
	switch t.Kind() {
	case BoxKind:
		parts := make([]string, len(t.Params))
		for i, v := range t.Params {
			parts[i] = strconv.FormatFloat(v, 'g', 6, 64)
		}
		return fmt.Sprintf("[%s] seed %d", strings.Join(parts, " "), t.Seed)
	case LevelsKind:
		enc := base64.StdEncoding.EncodeToString(t.Level)
		if len(enc) > 24 {
			enc = enc[:24] + "…"
		}
		return fmt.Sprintf("level %s seed %d", enc, t.Seed)
	}
	return fmt.Sprintf("task #%d seed %d", t.Index, t.Seed)
}

// Signal names an optional learning signal that a student may attach to an
// Outcome for teachers that need more than the return.
type Signal int

const (
	// PositiveValueLoss is the mean over the episode of max(A_t, 0), with A_t
	// the GAE advantage (the PLR "pvl" score).
	PositiveValueLoss Signal = iota
	// L1ValueLoss is the mean over the episode of |A_t|.
	L1ValueLoss
	// MeanAbsAdvantage is the mean absolute advantage of the update the
	// episode took part in (SEC, DUMP).
	MeanAbsAdvantage
	// MaxReturn is the highest return the student has ever reached on this
	// task (the MaxMC score).
	MaxReturn
	// ValueEstimate is the student's value estimate of the task's initial
	// state (SPDL).
	ValueEstimate
	// MeanValue is the mean over the episode of the student's value
	// estimates V(s_t), from which a teacher that tracks a task's best
	// return computes the MaxMC score R_max − mean V.
	MeanValue

	numSignals
)

var signalNames = [numSignals]string{"positive_value_loss", "l1_value_loss", "mean_abs_advantage", "max_return", "value_estimate", "mean_value"}

// String returns the signal's name as used in result files.
func (s Signal) String() string {
	if s >= 0 && s < numSignals {
		return signalNames[s]
	}
	return fmt.Sprintf("Signal(%d)", int(s))
}

// Signals lists every defined signal, in order.
func Signals() []Signal {
	s := make([]Signal, numSignals)
	for i := range s {
		s[i] = Signal(i)
	}
	return s
}

// Outcome is what a teacher learns from one episode, or from one training step
// of a supervised student.
type Outcome struct {
	// Return is the raw (undiscounted) episodic return.
	Return float64
	// Score is the return normalised by the family into [0, 1].
	Score float64
	// Success is the family's success rule applied to the episode.
	Success bool
	// Steps is the number of environment steps (or training steps) taken.
	Steps int
	// Achieved is, for goal-conditioned families, the goal the episode
	// achieved at its end (the final position in a navigation task), or
	// nil. Teachers that model which goals are reachable (SVGG's validity
	// model) learn from it.
	Achieved []float64
	// Path is, for goal-conditioned families that record it, the goals
	// achieved after each step of the episode, one row of len(Achieved)
	// values per step (Steps rows, the last equal to Achieved), or nil. It
	// is what an off-policy learner's replay buffer holds, and SVGG's
	// validity model samples its achieved goals from it as the reference
	// samples its buffer.
	Path []float64

	signals [numSignals]float64
	has     uint32
}

// SetSignal attaches the value v of signal s.
func (o *Outcome) SetSignal(s Signal, v float64) {
	o.signals[s] = v
	o.has |= 1 << s
}

// Signal returns the value of signal s and whether the student provided it.
func (o Outcome) Signal(s Signal) (float64, bool) {
	if o.has&(1<<s) == 0 {
		return math.NaN(), false
	}
	return o.signals[s], true
}

// Check reports whether the outcome keeps the contract: finite return and
// signals, a score in [0, 1] and at least one step. The runner checks every
// outcome a student returns, so teachers see only valid ones.
func (o Outcome) Check() error {
	if !Finite(o.Return) {
		return fmt.Errorf("return is %v, want a finite number", o.Return)
	}
	if !(o.Score >= 0 && o.Score <= 1) {
		return fmt.Errorf("score is %v, want a number in [0, 1]", o.Score)
	}
	if o.Steps < 1 {
		return fmt.Errorf("steps is %d, want at least 1", o.Steps)
	}
	for s := Signal(0); s < numSignals; s++ {
		if v, ok := o.Signal(s); ok && !Finite(v) {
			return fmt.Errorf("signal %s is %v, want a finite number", s, v)
		}
	}
	for i, v := range o.Achieved {
		if !Finite(v) {
			return fmt.Errorf("achieved goal [%d] is %v, want a finite number", i, v)
		}
	}
	if o.Path != nil && (len(o.Achieved) == 0 || len(o.Path)%len(o.Achieved) != 0) {
		return fmt.Errorf("path has %d values, want rows of the achieved goal's %d", len(o.Path), len(o.Achieved))
	}
	for i, v := range o.Path {
		if !Finite(v) {
			return fmt.Errorf("path [%d] is %v, want a finite number", i, v)
		}
	}
	return nil
}
