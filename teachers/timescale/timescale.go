// Package timescale holds the curricula of Khajehabdollahi, Zeraati,
// Giannakakis, Schäfer, Martius and Levina, "Emergent mechanisms for long
// timescales depend on training curriculum and affect performance in memory
// tasks" (ICLR 2024; reference code LevinaLab/rnn_timescale_public,
// training/train.py): the single-head, multi-head ("cumulative") and
// sliding-window curricula over a chain of tasks of growing memory span N.
//
// The teachers work on a Discrete space, its tasks taken in index order (the
// N = 2..n_max chain of the parity and dms families of envs/memory: index i is
// N = i+2). Each keeps a list of task indices, the reference's list of Ns,
// and proposes Task{Index: last of the list, Group: the list}: one training
// batch of the whole list, the k-th task of the list answered by the
// student's head k (task.Task.Group).
//
//   - single-head: the list is [N], starting at the first task (start); on
//     success it becomes [N+1], so the one head of the student serves every N
//     in turn (and the small N are forgotten).
//   - multi-head: the list starts with init_heads tasks; on success add_heads
//     more are appended, so every earlier N keeps training on its own head.
//   - sliding: the list starts with window tasks; on success the shift oldest
//     are dropped and as many new ones appended.
//
// Advance rule (the reference's): every epoch_batches training batches (600)
// the teacher evaluates the student without training it, eval_batches times
// (50) per task of the list, each call the student's Evaluate on
// Task{Index: that task, Group: the list} (one fresh test batch of the whole
// list, scored on the head of that task; the students of students/recurrent
// use batches of 256, so this is the reference's 50 test batches of 256),
// and takes the mean score as the task's accuracy. The list advances when
// the mean accuracy over its tasks exceeds threshold (0.98) and the
// accuracy of its last task (the largest N) exceeds threshold too, both
// strictly, as the reference's `> 98.`. The reference scores all heads on the
// same test batches; here each Evaluate call draws its own batch, so a
// multi-head evaluation costs one forward pass per head (an unbiased
// estimate of the same accuracies, at list-length times the cost).
//
// Where the reference has no end (it appends beyond any N, 100 heads, for
// 1000 epochs), the chain ends at the last task of the space: an advance
// that would pass it appends only what is left (sliding then drops as many
// as it appends), and once nothing is left the teacher keeps training its
// final list (Done reports it). The sliding window's defaults (window 10,
// shift 5) are the paper's example; the reference script's command-line
// defaults (1 and 1) make it the single-head curriculum.
//
// The teachers implement task.StudentAware and use the student only through
// Evaluate, so they work with any student; without a student (SetStudent
// never called) they cannot evaluate and keep their first list.
//
// Policy on bad input: Update only counts batches, so a non-finite or
// out-of-range training outcome cannot corrupt the state; it still counts
// as a training batch (the budget was spent) and is counted by Ignored,
// as is an update for a task outside the space. An evaluation score that
// is not a number in [0, 1] counts as accuracy 0 for that call (and is
// counted by BadScores), so a broken student never advances the
// curriculum.
package timescale

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// Mode names a curriculum.
type Mode int

// The curricula of the reference (curriculum_type single, cumulative and
// sliding).
const (
	SingleHead Mode = iota
	MultiHead
	Sliding
)

// String returns the registry name of the curriculum.
func (m Mode) String() string {
	switch m {
	case SingleHead:
		return "single-head"
	case MultiHead:
		return "multi-head"
	case Sliding:
		return "sliding"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

const (
	maxBatches = 1 << 30
	maxHeads   = 1 << 20
)

// Schedule holds the evaluation schedule and advance threshold shared by
// the three curricula.
type Schedule struct {
	EpochBatches int
	EvalBatches  int
	Threshold    float64
}

func (s Schedule) validate() error {
	switch {
	case s.EpochBatches < 1 || s.EpochBatches > maxBatches:
		return fmt.Errorf("epoch_batches = %d: want 1 to %d", s.EpochBatches, maxBatches)
	case s.EvalBatches < 1 || s.EvalBatches > maxBatches:
		return fmt.Errorf("eval_batches = %d: want 1 to %d", s.EvalBatches, maxBatches)
	case !(s.Threshold >= 0 && s.Threshold < 1):
		return fmt.Errorf("threshold = %v: want an accuracy in [0, 1) (advance when strictly above)", s.Threshold)
	}
	return nil
}

// SingleParams are the single-head curriculum's parameters.
type SingleParams struct {
	EpochBatches int     `toml:"epoch_batches" doc:"training batches between evaluations (the reference's 600-batch epoch)"`
	EvalBatches  int     `toml:"eval_batches" doc:"student Evaluate calls (test batches) per task of the list at each evaluation (the reference: 50)"`
	Threshold    float64 `toml:"threshold" doc:"advance when the mean accuracy and the last task's accuracy are both strictly above this (0.98)"`
	Start        int     `toml:"start" doc:"index of the first task (0: N = 2 on the memory chains)"`
}

// DefaultSingleParams returns the reference's settings.
func DefaultSingleParams() SingleParams {
	return SingleParams{EpochBatches: 600, EvalBatches: 50, Threshold: 0.98}
}

// Validate checks the parameter ranges.
func (p SingleParams) Validate() error {
	if err := (Schedule{p.EpochBatches, p.EvalBatches, p.Threshold}).validate(); err != nil {
		return err
	}
	if p.Start < 0 {
		return fmt.Errorf("start = %d: want a task index >= 0", p.Start)
	}
	return nil
}

// MultiParams are the multi-head curriculum's parameters.
type MultiParams struct {
	EpochBatches int     `toml:"epoch_batches" doc:"training batches between evaluations (the reference's 600-batch epoch)"`
	EvalBatches  int     `toml:"eval_batches" doc:"student Evaluate calls (test batches) per task of the list at each evaluation (the reference: 50)"`
	Threshold    float64 `toml:"threshold" doc:"advance when the mean accuracy and the last task's accuracy are both strictly above this (0.98)"`
	InitHeads    int     `toml:"init_heads" doc:"tasks (heads) in the first list, from the first task of the chain"`
	AddHeads     int     `toml:"add_heads" doc:"tasks appended at each advance"`
}

// DefaultMultiParams returns the reference's settings.
func DefaultMultiParams() MultiParams {
	return MultiParams{EpochBatches: 600, EvalBatches: 50, Threshold: 0.98, InitHeads: 1, AddHeads: 1}
}

// Validate checks the parameter ranges.
func (p MultiParams) Validate() error {
	if err := (Schedule{p.EpochBatches, p.EvalBatches, p.Threshold}).validate(); err != nil {
		return err
	}
	switch {
	case p.InitHeads < 1 || p.InitHeads > maxHeads:
		return fmt.Errorf("init_heads = %d: want 1 to %d", p.InitHeads, maxHeads)
	case p.AddHeads < 1 || p.AddHeads > maxHeads:
		return fmt.Errorf("add_heads = %d: want 1 to %d", p.AddHeads, maxHeads)
	}
	return nil
}

// SlidingParams are the sliding-window curriculum's parameters.
type SlidingParams struct {
	EpochBatches int     `toml:"epoch_batches" doc:"training batches between evaluations (the reference's 600-batch epoch)"`
	EvalBatches  int     `toml:"eval_batches" doc:"student Evaluate calls (test batches) per task of the list at each evaluation (the reference: 50)"`
	Threshold    float64 `toml:"threshold" doc:"advance when the mean accuracy and the last task's accuracy are both strictly above this (0.98)"`
	Window       int     `toml:"window" doc:"tasks (heads) in the list (the reference's init_heads, raised to shift if smaller)"`
	Shift        int     `toml:"shift" doc:"oldest tasks dropped and new tasks appended at each advance (the reference's forget_heads)"`
}

// DefaultSlidingParams returns the paper's example window (10 tasks,
// shifted by 5).
func DefaultSlidingParams() SlidingParams {
	return SlidingParams{EpochBatches: 600, EvalBatches: 50, Threshold: 0.98, Window: 10, Shift: 5}
}

// Validate checks the parameter ranges.
func (p SlidingParams) Validate() error {
	if err := (Schedule{p.EpochBatches, p.EvalBatches, p.Threshold}).validate(); err != nil {
		return err
	}
	switch {
	case p.Shift < 1 || p.Shift > maxHeads:
		return fmt.Errorf("shift = %d: want 1 to %d", p.Shift, maxHeads)
	case p.Window < 1 || p.Window > maxHeads:
		return fmt.Errorf("window = %d: want 1 to %d", p.Window, maxHeads)
	}
	return nil
}

// Advance records one advance of the curriculum.
type Advance struct {
	// Batch is the number of training batches (Updates) seen when the
	// teacher advanced.
	Batch int64
	// Last is the last task of the new list.
	Last int
}

// Teacher is a single-head, multi-head or sliding curriculum.
type Teacher struct {
	mode  Mode
	sched Schedule
	n     int
	add   int // tasks appended per advance (multi-head add_heads, sliding shift)
	rng   *rand.Rand

	list     []int
	student  task.Student
	acc      []float64 // per-task accuracies of the last evaluation
	sinceEp  int
	batches  int64
	evals    int
	advances []Advance
	done     bool

	ignored, badScores int
}

// NewSingle returns the single-head curriculum on space (a *task.Discrete).
// rng is the teacher's stream; it seeds the evaluation tasks.
func NewSingle(p SingleParams, space task.Space, rng *rand.Rand) (*Teacher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	t, err := newTeacher(SingleHead, Schedule{p.EpochBatches, p.EvalBatches, p.Threshold}, space, rng)
	if err != nil {
		return nil, err
	}
	if p.Start >= t.n {
		return nil, fmt.Errorf("single-head: start = %d: the space has tasks 0..%d", p.Start, t.n-1)
	}
	t.list = append(t.list, p.Start)
	t.add = 1
	return t, nil
}

// NewMulti returns the multi-head curriculum on space.
func NewMulti(p MultiParams, space task.Space, rng *rand.Rand) (*Teacher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	t, err := newTeacher(MultiHead, Schedule{p.EpochBatches, p.EvalBatches, p.Threshold}, space, rng)
	if err != nil {
		return nil, err
	}
	for i := range min(p.InitHeads, t.n) {
		t.list = append(t.list, i)
	}
	t.add = p.AddHeads
	return t, nil
}

// NewSliding returns the sliding-window curriculum on space.
func NewSliding(p SlidingParams, space task.Space, rng *rand.Rand) (*Teacher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	t, err := newTeacher(Sliding, Schedule{p.EpochBatches, p.EvalBatches, p.Threshold}, space, rng)
	if err != nil {
		return nil, err
	}
	for i := range min(max(p.Window, p.Shift), t.n) {
		t.list = append(t.list, i)
	}
	t.add = p.Shift
	return t, nil
}

func newTeacher(m Mode, s Schedule, space task.Space, rng *rand.Rand) (*Teacher, error) {
	d, ok := space.(*task.Discrete)
	if !ok {
		return nil, fmt.Errorf("%s: works on a discrete space, not on a %s space", m, space.Kind())
	}
	if rng == nil {
		return nil, errors.New(m.String() + ": needs the teacher's random stream")
	}
	return &Teacher{mode: m, sched: s, n: d.Len(), rng: rng}, nil
}

// SetStudent implements task.StudentAware: the teacher evaluates s at the
// end of every epoch.
func (t *Teacher) SetStudent(s task.Student) { t.student = s }

// Sample proposes a training batch of the current list, focused on its last
// task. The Group slice is the teacher's and valid until the next advance.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	return task.Task{Index: t.list[len(t.list)-1], Group: t.list, Seed: rng.Uint64()}
}

// Update counts one training batch and, at the end of an epoch, evaluates
// the student and applies the advance rule.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	t.batches++
	if !finite(o.Return) || !(o.Score >= 0 && o.Score <= 1) || tk.Params != nil || tk.Level != nil || tk.Index < 0 || tk.Index >= t.n {
		t.ignored++
	}
	t.sinceEp++
	if t.sinceEp < t.sched.EpochBatches {
		return
	}
	t.sinceEp = 0
	if t.student == nil || t.done {
		return
	}
	if t.evaluate() {
		t.advance()
	}
}

// evaluate measures the accuracy of every task of the list and reports
// whether the advance rule holds.
func (t *Teacher) evaluate() bool {
	t.evals++
	k := len(t.list)
	if cap(t.acc) < t.n {
		t.acc = make([]float64, 0, t.n)
	}
	t.acc = t.acc[:k]
	var mean float64
	for pos, i := range t.list {
		var sum float64
		for range t.sched.EvalBatches {
			sc := t.student.Evaluate(task.Task{Index: i, Group: t.list, Seed: t.rng.Uint64()}).Score
			if !(sc >= 0 && sc <= 1) {
				t.badScores++
				sc = 0
			}
			sum += sc
		}
		t.acc[pos] = sum / float64(t.sched.EvalBatches)
		mean += t.acc[pos]
	}
	mean /= float64(k)
	return mean > t.sched.Threshold && t.acc[k-1] > t.sched.Threshold
}

// advance moves the list on by the curriculum's rule.
func (t *Teacher) advance() {
	last := t.list[len(t.list)-1]
	room := min(t.add, t.n-1-last)
	if room <= 0 {
		t.done = true
		return
	}
	switch t.mode {
	case SingleHead:
		t.list[0] = last + 1
	case MultiHead:
		for j := 1; j <= room; j++ {
			t.list = append(t.list, last+j)
		}
	case Sliding:
		copy(t.list, t.list[room:])
		t.list = t.list[:len(t.list)-room]
		for j := 1; j <= room; j++ {
			t.list = append(t.list, last+j)
		}
	}
	t.advances = append(t.advances, Advance{Batch: t.batches, Last: t.list[len(t.list)-1]})
}

// Mode returns the curriculum.
func (t *Teacher) Mode() Mode { return t.mode }

// List returns the current list of task indices. The slice must not be
// modified.
func (t *Teacher) List() []int { return t.list }

// Accuracies returns the accuracies of the tasks of the list at the last
// evaluation (empty before the first). The slice must not be modified.
func (t *Teacher) Accuracies() []float64 { return t.acc }

// Advances returns the advances so far. The slice must not be modified.
func (t *Teacher) Advances() []Advance { return t.advances }

// Evaluations returns the number of evaluations made.
func (t *Teacher) Evaluations() int { return t.evals }

// Done reports whether the list reached the end of the chain and its final
// advance rule held.
func (t *Teacher) Done() bool { return t.done }

// Ignored returns the number of training outcomes that were not valid
// (non-finite return, score outside [0, 1], task outside the space).
func (t *Teacher) Ignored() int { return t.ignored }

// BadScores returns the number of evaluation scores outside [0, 1] counted
// as accuracy 0.
func (t *Teacher) BadScores() int { return t.badScores }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
