package plr

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/teachbench/teachbench/task"
)

// Params are the hyperparameters of PLR, robust PLR and ACCEL.
type Params struct {
	Robust         bool    `toml:"robust" doc:"probe new and edited levels (the student plays them without learning) and learn only from replays: robust PLR (PLR⊥)"`
	Score          string  `toml:"score" doc:"level score: maxmc (R_max - mean V), grounded (max(0, R_max - mean V)), pvl (positive value loss), l1-value, regret (R_max - return) or progress (|change of return|)"`
	Fallback       string  `toml:"fallback" doc:"score of an outcome that lacks the signal score needs (students without a critic): progress, regret, or none to ignore the outcome"`
	Prioritization string  `toml:"prioritization" doc:"score prioritisation: rank ((1/rank)^(1/temperature)) or power ((max(score,0)+eps)^(1/temperature))"`
	Temperature    float64 `toml:"temperature" doc:"temperature beta of the score prioritisation"`
	StalenessCoef  float64 `toml:"staleness_coef" doc:"weight rho of the staleness distribution in the replay distribution (1-rho)*P_S + rho*P_C"`
	StalenessClock string  `toml:"staleness_clock" doc:"what ages the stored levels: replays (dcd) or episodes (every episode, as jaxued and minimax)"`
	ReplayProb     float64 `toml:"replay_prob" doc:"probability that an episode replays a stored level, once the buffer is min_fill full"`
	Schedule       string  `toml:"schedule" doc:"replay decision: fixed (u < replay_prob) or proportionate (dcd's default: u < min(fill, replay_prob))"`
	MinFill        float64 `toml:"min_fill" doc:"fraction of the buffer that must be filled before any replay (dcd's rho)"`
	BufferSize     int     `toml:"buffer_size" doc:"number of levels the buffer holds"`
	ScoreAlpha     float64 `toml:"score_alpha" doc:"weight of a replayed level's new score in its running score (EWA; 1 overwrites)"`
	Evict          string  `toml:"evict" doc:"slot a new level competes for in a full buffer: replay_support (lowest replay probability, dcd's default) or score (lowest score)"`
	StrictReplace  bool    `toml:"strict_replace" doc:"a new level takes that slot only with a strictly higher score (jaxued) instead of an equal or higher one (dcd, minimax)"`
	Dedupe         bool    `toml:"dedupe" doc:"a new level identical to a stored one updates that entry instead of taking another slot (jaxued, minimax)"`
	EditProb       float64 `toml:"edit_prob" doc:"ACCEL: probability of editing a level just replayed and probing the child next; 0 turns editing off"`
	NumEdits       int     `toml:"num_edits" doc:"ACCEL: edits per child (Levels: the space's Mutate; Box: random steps of single dimensions)"`
	EditStep       float64 `toml:"edit_step" doc:"ACCEL on a Box: size of one edit step as a fraction of the dimension's range"`
	StartFraction  float64 `toml:"start_fraction" doc:"Box: new tasks are drawn uniformly from this fraction of each range at its easy end (1 = the whole box)"`
	CycleSteps     int     `toml:"cycle_steps" doc:"environment steps a replay decision holds for (dcd's rollout per environment: consecutive episodes replay, play new levels, or play ACCEL children until this many steps are played); 0 decides every episode"`
}

// DefaultParams returns the settings of plain PLR in dcd's 25-block maze
// experiment (train_scripts/grid_configs/minigrid/25_blocks/mg_25b_plr.json),
// with a replay decision per 256 environment steps, dcd's rollout length per
// environment.
func DefaultParams() Params {
	return Params{
		Score:          ScoreMaxMC,
		Fallback:       ScoreProgress,
		Prioritization: "rank",
		Temperature:    0.1,
		StalenessCoef:  0.3,
		StalenessClock: ClockReplays,
		ReplayProb:     0.5,
		Schedule:       ScheduleFixed,
		MinFill:        0.5,
		BufferSize:     4000,
		ScoreAlpha:     1,
		Evict:          EvictReplaySupport,
		Dedupe:         true,
		NumEdits:       5,
		EditStep:       0.04,
		StartFraction:  1,
		CycleSteps:     256,
	}
}

// RobustParams returns the settings of robust PLR in dcd's 25-block maze
// experiment (mg_25b_robust_plr.json): plain PLR's, with new levels probed.
func RobustParams() Params {
	p := DefaultParams()
	p.Robust = true
	return p
}

// ACCELParams returns the settings of ACCEL in dcd's maze experiment
// (60_blocks_uniform/mg_60b_uni_accel_empty.json): robust PLR with the
// positive value loss, temperature 0.3, replay probability 0.8, and every
// replayed level edited 5 times into a child that is probed next. New Box
// tasks come from the easy tenth of each range.
func ACCELParams() Params {
	p := RobustParams()
	p.Score = ScorePVL
	p.Temperature = 0.3
	p.ReplayProb = 0.8
	p.EditProb = 1
	p.StartFraction = 0.1
	return p
}

// Values of the string parameters.
const (
	ClockReplays       = "replays"
	ClockEpisodes      = "episodes"
	ScheduleFixed      = "fixed"
	ScheduleProportion = "proportionate"
	EvictReplaySupport = "replay_support"
	EvictScore         = "score"
)

// maxBuffer bounds buffer_size (a few hundred bytes of state per slot).
const maxBuffer = 1 << 24

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	oneOf := func(key, v string, allowed []string) error {
		if !slices.Contains(allowed, v) {
			return fmt.Errorf("%s = %q: want one of %s", key, v, strings.Join(allowed, ", "))
		}
		return nil
	}
	prob := func(key string, v float64) error {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("%s = %v: want a number in [0, 1]", key, v)
		}
		return nil
	}
	for _, err := range []error{
		oneOf("score", p.Score, scoreNames),
		oneOf("fallback", p.Fallback, fallbackNames),
		oneOf("prioritization", p.Prioritization, []string{"rank", "power"}),
		oneOf("staleness_clock", p.StalenessClock, []string{ClockReplays, ClockEpisodes}),
		oneOf("schedule", p.Schedule, []string{ScheduleFixed, ScheduleProportion}),
		oneOf("evict", p.Evict, []string{EvictReplaySupport, EvictScore}),
		prob("staleness_coef", p.StalenessCoef),
		prob("replay_prob", p.ReplayProb),
		prob("min_fill", p.MinFill),
		prob("edit_prob", p.EditProb),
	} {
		if err != nil {
			return err
		}
	}
	switch {
	case !(p.Temperature > 0) || math.IsInf(p.Temperature, 0):
		return fmt.Errorf("temperature = %v: want a finite number > 0", p.Temperature)
	case p.BufferSize < 1 || p.BufferSize > maxBuffer:
		return fmt.Errorf("buffer_size = %d: want 1..%d", p.BufferSize, maxBuffer)
	case !(p.ScoreAlpha > 0 && p.ScoreAlpha <= 1):
		return fmt.Errorf("score_alpha = %v: want a number in (0, 1]", p.ScoreAlpha)
	case p.NumEdits < 0:
		return fmt.Errorf("num_edits = %d: want 0 or more", p.NumEdits)
	case p.EditProb > 0 && p.NumEdits == 0:
		return errors.New("num_edits = 0 with edit_prob > 0: an edited child needs at least one edit (or set edit_prob = 0)")
	case !(p.EditStep > 0 && p.EditStep <= 1):
		return fmt.Errorf("edit_step = %v: want a fraction of the range in (0, 1]", p.EditStep)
	case !(p.StartFraction > 0 && p.StartFraction <= 1):
		return fmt.Errorf("start_fraction = %v: want a fraction of the range in (0, 1]", p.StartFraction)
	case p.CycleSteps < 0:
		return fmt.Errorf("cycle_steps = %d: want 0 (a decision per episode) or a number of steps > 0", p.CycleSteps)
	}
	return nil
}

// kind tells where the pending episode's task came from.
type kind uint8

const (
	none   kind = iota
	replay      // a stored level
	fresh       // the generator (or a uniform draw)
	child       // an ACCEL edit of a stored level
)

// pending is the task of the episode in flight between Sample and Update.
// For a replay its payload aliases the slot's storage.
type pending struct {
	kind   kind
	slot   int // replay: the slot played
	gen    int // child: edit rounds from a generated level
	level  []byte
	params []float64
	index  int
	seed   uint64
}

// Stats counts what the teacher did.
type Stats struct {
	// Replays, New and Children count the episodes sampled from the
	// buffer, from the generator, and as ACCEL children.
	Replays, New, Children int
	// Inserted, Rejected and Duplicates count the fate of scored new
	// levels and children: stored, turned away by a full buffer, or merged
	// into the identical stored level.
	Inserted, Rejected, Duplicates int
	// ReplayCycles, NewCycles and ChildCycles count the cycles begun
	// with cycle_steps > 0: of replays, of new levels, and of ACCEL
	// children.
	ReplayCycles, NewCycles, ChildCycles int
	// Fallbacks counts outcomes scored with the fallback score because they
	// lacked the signal of the chosen one.
	Fallbacks int
	// Ignored counts outcomes that changed nothing: non-finite return or
	// signals, a task other than the one just proposed, or a missing signal
	// with fallback none.
	Ignored int
}

// Entry is a stored level with its bookkeeping.
type Entry struct {
	// Task is the stored task (level, parameters or index, and seed) as
	// replays propose it. Its slices belong to the teacher: read-only,
	// valid until the next Update.
	Task task.Task
	// Score is the level's running score.
	Score float64
	// MaxReturn is the highest return seen on the level (R_max).
	MaxReturn float64
	// LastReturn is the return of its latest episode.
	LastReturn float64
	// Staleness is c − C_i: clock ticks since the level was last played.
	Staleness int64
	// Generation counts the ACCEL edit rounds from a generated level (0
	// for a generated level).
	Generation int
}

// Teacher is a PLR, robust PLR or ACCEL teacher on a Levels, Box or Discrete
// space.
type Teacher struct {
	p       Params
	kind    task.Kind
	levels  task.Levels
	box     *task.Box
	disc    *task.Discrete
	dims    int
	editing bool

	buf *buffer
	idx index

	// Per slot: the stored task and its history.
	level   [][]byte
	params  []float64 // slot i at [i*dims, (i+1)*dims)
	taskIdx []int
	seed    []uint64
	hash    []uint64
	maxRet  []float64
	lastRet []float64
	gen     []int32

	pend        pending
	childDue    bool
	childParent int

	// Cycles (cycle_steps > 0): the kind of the current cycle (none before
	// the first), the steps it still has to play, and for ACCEL the levels
	// replayed in the latest replay cycle, copied as they were replayed
	// (the parents of the next child cycle, taken in turn from childNext).
	cycle        kind
	cycleLeft    int
	parentLevel  [][]byte
	parentParams []float64
	parentGen    []int32
	parents      int
	childNext    int

	newParams, childParams []float64 // Box draws, reused
	startLo, startWidth    []float64 // Box: region of new tasks
	stepSize               []float64 // Box: one edit step per dimension

	stats Stats
}

// New returns a teacher on space, a task.Levels, *task.Box or *task.Discrete
// (editing, edit_prob > 0, needs a Levels space or a Box). The teacher draws
// all its randomness from the stream passed to Sample; rng is unused.
func New(p Params, space task.Space, _ *rand.Rand) (*Teacher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	n := p.BufferSize
	t := &Teacher{
		p:       p,
		kind:    space.Kind(),
		editing: p.EditProb > 0,
		buf:     newBuffer(n, p.Prioritization == "rank", p.Temperature, p.StalenessCoef),
		seed:    make([]uint64, n),
		maxRet:  make([]float64, n),
		lastRet: make([]float64, n),
		gen:     make([]int32, n),
	}
	if p.Dedupe {
		t.idx = newIndex(n)
		t.hash = make([]uint64, n)
	}
	switch s := space.(type) {
	case task.Levels:
		t.levels = s
		t.level = make([][]byte, n)
	case *task.Box:
		t.box = s
		t.dims = s.Len()
		t.params = make([]float64, n*t.dims)
		t.newParams = make([]float64, t.dims)
		t.childParams = make([]float64, t.dims)
		t.startLo = make([]float64, t.dims)
		t.startWidth = make([]float64, t.dims)
		t.stepSize = make([]float64, t.dims)
		for i := range t.dims {
			d := s.Dim(i)
			width := d.Hi - d.Lo
			t.startLo[i], t.startWidth[i] = d.Lo, width
			switch d.Easy {
			case task.EasyLo:
				t.startWidth[i] = p.StartFraction * width
			case task.EasyHi:
				t.startWidth[i] = p.StartFraction * width
				t.startLo[i] = d.Hi - t.startWidth[i]
			}
			t.stepSize[i] = p.EditStep * width
		}
	case *task.Discrete:
		if t.editing {
			return nil, errors.New("plr: editing (edit_prob > 0, ACCEL) needs a Levels space or a Box: a discrete task has no structure to edit")
		}
		t.disc = s
		t.taskIdx = make([]int, n)
	default:
		return nil, fmt.Errorf("plr: unsupported space %T", space)
	}
	return t, nil
}

// Sample proposes the next task. With cycle_steps 0: the ACCEL child of
// the level just replayed if one is due, else a stored level (a replay) or a
// new one. With cycle_steps > 0: a task of the current cycle (a replay drawn
// afresh, a new level, or a child of the next parent in turn), after
// drawing the next cycle if the current one has played its steps. Replays
// are learned; new levels and children carry Probe when the teacher is
// robust. The returned slices belong to the teacher and are valid until the
// next Sample.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	t.startEpisode()
	if t.p.CycleSteps > 0 {
		return t.sampleCycle(rng)
	}
	if t.childDue {
		t.childDue = false
		if rng.Float64() < t.p.EditProb {
			parent := t.childParent
			return t.sampleChild(t.level, t.slotParams(parent), parent, int(t.gen[parent]), rng)
		}
	}
	if t.replayDecision(rng) {
		return t.sampleReplay(rng)
	}
	return t.sampleNew(rng)
}

// sampleCycle proposes the next task of the current cycle, first drawing a
// new cycle when the current one has played cycle_steps steps: after a
// replay cycle that replayed at least one level, a child cycle with
// probability edit_prob (dcd edits the levels of a replay cycle and
// evaluates the children in the next); else a replay or new-level cycle by
// the replay decision.
func (t *Teacher) sampleCycle(rng *rand.Rand) task.Task {
	if t.cycleLeft <= 0 {
		t.cycleLeft = t.p.CycleSteps
		switch {
		case t.cycle == replay && t.editing && t.parents > 0 && rng.Float64() < t.p.EditProb:
			t.cycle, t.childNext = child, 0
			t.stats.ChildCycles++
		case t.replayDecision(rng):
			t.cycle, t.parents = replay, 0
			t.stats.ReplayCycles++
		default:
			t.cycle = fresh
			t.stats.NewCycles++
		}
	}
	switch t.cycle {
	case replay:
		return t.sampleReplay(rng)
	case child:
		i := t.childNext % t.parents
		t.childNext++
		var params []float64
		if t.kind == task.BoxKind {
			params = t.parentParams[i*t.dims : (i+1)*t.dims : (i+1)*t.dims]
		}
		return t.sampleChild(t.parentLevel, params, i, int(t.parentGen[i]), rng)
	}
	return t.sampleNew(rng)
}

// keepParent copies the level of slot, just replayed in a replay cycle, as
// a parent for the next child cycle.
func (t *Teacher) keepParent(slot int) {
	n := t.parents
	switch t.kind {
	case task.LevelsKind:
		if n < len(t.parentLevel) {
			t.parentLevel[n] = append(t.parentLevel[n][:0], t.level[slot]...)
		} else {
			t.parentLevel = append(t.parentLevel, slices.Clone(t.level[slot]))
		}
	case task.BoxKind:
		t.parentParams = append(t.parentParams[:n*t.dims], t.slotParams(slot)...)
	}
	if n < len(t.parentGen) {
		t.parentGen[n] = t.gen[slot]
	} else {
		t.parentGen = append(t.parentGen, t.gen[slot])
	}
	t.parents++
}

// startEpisode forgets the task proposed last and, with the episodes
// clock, ages the stored levels.
func (t *Teacher) startEpisode() {
	t.pend = pending{}
	if t.p.StalenessClock == ClockEpisodes {
		t.buf.clock++
	}
}

// replayDecision draws whether the next episode replays a stored level.
func (t *Teacher) replayDecision(rng *rand.Rand) bool {
	b := t.buf
	fill := b.fill()
	if b.n == 0 || fill < t.p.MinFill {
		return false
	}
	p := t.p.ReplayProb
	if t.p.Schedule == ScheduleProportion {
		p = min(fill, p)
	}
	return rng.Float64() < p
}

func (t *Teacher) sampleReplay(rng *rand.Rand) task.Task {
	slot := t.buf.draw(rng)
	if t.p.StalenessClock == ClockReplays {
		t.buf.clock++
	}
	t.buf.touch(slot)
	t.stats.Replays++
	t.pend = pending{kind: replay, slot: slot, seed: t.seed[slot]}
	switch t.kind {
	case task.LevelsKind:
		t.pend.level = t.level[slot]
	case task.BoxKind:
		t.pend.params = t.slotParams(slot)
	default:
		t.pend.index = t.taskIdx[slot]
	}
	return t.pendingTask(false)
}

func (t *Teacher) sampleNew(rng *rand.Rand) task.Task {
	t.stats.New++
	t.pend = pending{kind: fresh}
	switch t.kind {
	case task.LevelsKind:
		t.pend.level = t.levels.Generate(rng)
	case task.BoxKind:
		for i := range t.newParams {
			t.newParams[i] = t.startLo[i] + rng.Float64()*t.startWidth[i]
		}
		t.box.Clip(t.newParams) // rounding at the top of a range
		t.pend.params = t.newParams
	default:
		t.pend.index = rng.IntN(t.disc.Len())
	}
	t.pend.seed = rng.Uint64()
	return t.pendingTask(t.p.Robust)
}

// sampleChild edits a parent of generation gen: levels[i] on a Levels
// space, params on a Box. On a Box an edit moves one random dimension by
// −1, 0 or +1 steps, clipped to the box (dcd's BipedalWalker mutation); the
// child gets a fresh seed, as in dcd.
func (t *Teacher) sampleChild(levels [][]byte, params []float64, i, gen int, rng *rand.Rand) task.Task {
	t.stats.Children++
	t.pend = pending{kind: child, gen: gen + 1}
	if t.kind == task.LevelsKind {
		t.pend.level = t.levels.Mutate(levels[i], t.p.NumEdits, rng)
	} else {
		x := t.childParams
		copy(x, params)
		for range t.p.NumEdits {
			i := rng.IntN(t.dims)
			x[i] += float64(rng.IntN(3)-1) * t.stepSize[i]
			t.box.Clip(x)
		}
		t.pend.params = x
	}
	t.pend.seed = rng.Uint64()
	return t.pendingTask(t.p.Robust)
}

func (t *Teacher) pendingTask(probe bool) task.Task {
	p := &t.pend
	return task.Task{Level: p.level, Params: p.params, Index: p.index, Seed: p.seed, Probe: probe}
}

func (t *Teacher) slotParams(slot int) []float64 {
	return t.params[slot*t.dims : (slot+1)*t.dims : (slot+1)*t.dims]
}

// Update scores the episode of the task just proposed and updates the
// buffer: a replayed level's score and history are updated (and, when
// editing, its child is due next); a new level or child updates its
// duplicate if one is stored, else takes the next free slot or competes for
// the slot chosen by evict. Outcomes that fail the package's policy (see the
// package doc) are ignored and counted.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	p := t.pend
	t.pend = pending{}
	if p.kind == none || !t.matches(tk, &p) {
		t.stats.Ignored++
		return
	}
	// Every episode played counts towards its cycle, probes included,
	// whatever becomes of its score (at least one step: a student that
	// reports none still ends cycles).
	t.cycleLeft -= max(o.Steps, 1)
	if !usableOutcome(o) {
		t.stats.Ignored++
		return
	}
	slot := -1
	var h uint64
	switch {
	case p.kind == replay:
		slot = p.slot
	case t.p.Dedupe:
		h = t.identity(&p)
		slot = t.lookup(h, &p)
	}
	ret := o.Return
	var hist history
	rmax := ret
	if slot >= 0 {
		hist = history{seen: true, maxReturn: t.maxRet[slot], lastReturn: t.lastRet[slot]}
		rmax = math.Max(rmax, hist.maxReturn)
	}
	if v, ok := o.Signal(task.MaxReturn); ok {
		rmax = math.Max(rmax, v)
	}
	score, ok := levelScore(t.p.Score, o, ret, rmax, hist)
	if !ok {
		if t.p.Fallback == FallbackNone {
			t.stats.Ignored++
			return
		}
		score, _ = levelScore(t.p.Fallback, o, ret, rmax, hist)
		t.stats.Fallbacks++
	}
	if !finite(score) { // a difference of huge finite values
		t.stats.Ignored++
		return
	}
	if slot >= 0 {
		a := t.p.ScoreAlpha
		t.buf.setScore(slot, (1-a)*t.buf.score[slot]+a*score)
		t.maxRet[slot], t.lastRet[slot] = rmax, ret
		if p.kind == replay {
			switch {
			case !t.editing:
			case t.p.CycleSteps > 0:
				t.keepParent(slot)
			default:
				t.childDue, t.childParent = true, slot
			}
		} else {
			t.buf.touch(slot)
			t.stats.Duplicates++
		}
		return
	}
	t.offer(&p, h, score, ret, rmax)
}

// offer stores a scored new level or child in the next free slot, or in the
// evict slot of a full buffer if its score is high enough.
func (t *Teacher) offer(p *pending, h uint64, score, ret, rmax float64) {
	b := t.buf
	var slot int
	if !b.full() {
		slot = b.add(score)
	} else {
		slot = b.victim(t.p.Evict == EvictScore)
		old := b.score[slot]
		if score < old || (t.p.StrictReplace && score == old) {
			t.stats.Rejected++
			return
		}
		if t.p.Dedupe {
			t.idx.remove(t.hash[slot], slot, t.hash)
		}
		b.setScore(slot, score)
		b.touch(slot)
	}
	t.stats.Inserted++
	switch t.kind {
	case task.LevelsKind:
		t.level[slot] = append(t.level[slot][:0], p.level...)
	case task.BoxKind:
		copy(t.slotParams(slot), p.params)
	default:
		t.taskIdx[slot] = p.index
	}
	t.seed[slot] = p.seed
	t.maxRet[slot], t.lastRet[slot] = rmax, ret
	t.gen[slot] = int32(p.gen)
	if t.p.Dedupe {
		t.hash[slot] = h
		t.idx.insert(h, slot)
	}
}

// matches reports whether tk is the task p that was proposed.
func (t *Teacher) matches(tk task.Task, p *pending) bool {
	if tk.Seed != p.seed || tk.Kind() != t.kind {
		return false
	}
	switch t.kind {
	case task.LevelsKind:
		return bytes.Equal(tk.Level, p.level)
	case task.BoxKind:
		return sameFloats(tk.Params, p.params)
	}
	return tk.Index == p.index
}

// identity hashes what makes two tasks the same stored level: the encoding
// of a level (equal bytes are equal levels, whatever the seed); the
// parameters or index and the seed of a Box or Discrete task.
func (t *Teacher) identity(p *pending) uint64 {
	h := uint64(hashOffset)
	switch t.kind {
	case task.LevelsKind:
		return finish(hashBytes(h, p.level))
	case task.BoxKind:
		h = hashFloats(h, p.params)
	default:
		h = hashWord(h, uint64(p.index))
	}
	return finish(hashWord(h, p.seed))
}

// same reports whether slot stores the level of p.
func (t *Teacher) same(slot int, p *pending) bool {
	switch t.kind {
	case task.LevelsKind:
		return bytes.Equal(t.level[slot], p.level)
	case task.BoxKind:
		return t.seed[slot] == p.seed && sameFloats(t.slotParams(slot), p.params)
	}
	return t.seed[slot] == p.seed && t.taskIdx[slot] == p.index
}

// lookup returns the slot storing the level of p (identity hash h), or −1.
func (t *Teacher) lookup(h uint64, p *pending) int {
	x := &t.idx
	for i := h & x.mask; x.table[i] != 0; i = (i + 1) & x.mask {
		slot := int(x.table[i] - 1)
		if t.hash[slot] == h && t.same(slot, p) {
			return slot
		}
	}
	return -1
}

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// Len returns the number of stored levels.
func (t *Teacher) Len() int { return t.buf.n }

// Cap returns the buffer's capacity.
func (t *Teacher) Cap() int { return t.buf.capacity }

// Entry returns stored level i, 0 ≤ i < Len().
func (t *Teacher) Entry(i int) Entry {
	if i < 0 || i >= t.buf.n {
		panic(fmt.Sprintf("plr: entry %d of a buffer holding %d levels", i, t.buf.n))
	}
	e := Entry{
		Task:       task.Task{Seed: t.seed[i]},
		Score:      t.buf.score[i],
		MaxReturn:  t.maxRet[i],
		LastReturn: t.lastRet[i],
		Staleness:  t.buf.staleness(i),
		Generation: int(t.gen[i]),
	}
	switch t.kind {
	case task.LevelsKind:
		e.Task.Level = t.level[i]
	case task.BoxKind:
		e.Task.Params = t.slotParams(i)
	default:
		e.Task.Index = t.taskIdx[i]
	}
	return e
}

// ReplayProbs writes into dst (grown if short) and returns the replay
// probabilities P_replay of the stored levels, in Entry order.
func (t *Teacher) ReplayProbs(dst []float64) []float64 {
	if cap(dst) < t.buf.n {
		dst = make([]float64, t.buf.n)
	}
	return t.buf.replayProbs(dst[:t.buf.n])
}

// Stats returns the teacher's counters.
func (t *Teacher) Stats() Stats { return t.stats }
