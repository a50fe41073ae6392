// Package toy is the competence-grid family of the teacher-algorithms paper
// (Portelas, Colas, Hofmann and Oudeyer, "Teacher algorithms for curriculum
// learning of Deep RL in continuously parameterized environments", CoRL 2019;
// teachDeepRL's toy_env.py): the cheapest testbed on which a teacher's
// behaviour can be seen.
//
// The task space is the unit cube [0,1]^dims, cut into cells equal bins per
// dimension. The student is a closed-form model: each cell holds an integer
// competence in [0, 100], all zero at the start. An episode on a task in cell c
// adds 1 to c's competence (capped at 100) if c is the origin cell or if any of
// its previous neighbours — the cells whose index in every dimension is the
// same or one less (clamped at 0), diagonal predecessors included — has
// competence ≥ 75. Otherwise nothing changes: the episode is wasted. The
// episode's return (and score) is c's competence after the episode divided by
// 100. A cell is mastered when its competence is > 75 (strictly: a neighbour
// at exactly 75 unlocks its successors but does not count as mastered, as in
// the reference). The family's `mastered` metric is the percentage of mastered
// cells, measured on a test set made of every cell's centre.
//
// A perfect teacher needs 76 useful episodes per cell; cells are locked until
// a predecessor is learned, so a teacher must follow the frontier of learnable
// cells outward from the origin. Random sampling ends near 5% mastered after
// 20,000 episodes on the default 2 × 10 grid.
//
// Choices where the reference is silent or awkward:
//   - A task's cell is floor(x·cells) clamped to cells−1 per dimension; the
//     reference's bin edges (numpy arange) differ from this only on
//     measure-zero sets of boundary points.
//   - A task outside the space makes the reference exit; here the episode
//     panics with a message naming the value, which the runner records as a
//     failed run. Teachers clip their samples to the space, so this signals a
//     bug.
//   - Learning is deterministic: the student draws no random numbers unless
//     reward_noise is set.
//
// # Challenge profiles
//
// The skill-specific challenges of the TeachMyAgent benchmark (Romac, Portelas,
// Hofmann and Oudeyer, "TeachMyAgent: a Benchmark for Automatic Curriculum
// Learning in Deep RL", ICML 2021) have cheap counterparts here, each a
// parameter whose default leaves the original model unchanged. They combine
// freely. Whatever the profile, the test set is the original grid of learnable
// cells, so % mastered stays comparable across profiles.
//
//   - infeasible_range r (mostly infeasible space): the first dimension spans
//     [0, 1+r]; a task with x0 > 1 can never be learned (return 0, nothing
//     changes), as TeachMyAgent extends stump heights to [0, 9] while only
//     [0, 3] is feasible (r = 2 gives the same two-thirds).
//   - trivial_range r (mostly trivial space): the first dimension also spans
//     [−r, 0); a task there plays the cell of the easiest row (x0 index 0) at
//     its other coordinates, as TeachMyAgent's negative stump heights become
//     the easiest stumps (r = 1 makes half the space trivial, as [−3, 3]).
//   - irrelevant_dims n: n extra dimensions u0, u1, ... in [0, 1] that the
//     model ignores (teachDeepRL's "useless dimensions"); a teacher must learn
//     that they do not matter. Test tasks put them at 0.5.
//   - reward_noise σ: the reward of a training episode gets Gaussian noise of
//     standard deviation σ, drawn from the run's env stream, and is clipped to
//     [0, 1] (the reference's commented-out noise option). Return and score
//     carry the noisy reward and success is judged on it (> 0.75), as
//     TeachMyAgent judges success on the noisy episode return. Evaluation is
//     noise-free: mastery measures the student's competence, not one draw.
//   - decay_every k (forgetting student): a cell loses one competence point
//     for every k consecutive episodes in which it was not practised (an
//     episode on the cell restarts its clock, whether or not it learns). The
//     decay is applied lazily from the episode at which each cell was last
//     practised, so an episode costs O(2^dims) as without it.
//   - reset_every n (forgetting student): after every n episodes all
//     competences return to 0, as TeachMyAgent re-initialises its student at
//     7M and 14M of 20M steps (n = 7000 on 20,000 episodes); the teacher is not
//     told. Also lazy: O(1) per cell read.
//   - shuffle_cuts k (rugged difficulty): each grid dimension is cut into k
//     equal blocks of cells that are permuted, one permutation per dimension
//     drawn per run from the env stream, as TeachMyAgent's DimensionsShuffler
//     (k = 4 there). A task in block j of a dimension plays the cell at the
//     same offset in block π(j). k must divide cells, so that blocks are whole
//     cells: the test set (every cell centre) then maps one-to-one onto the
//     grid and % mastered over the grid is unchanged by the permutation.
//     Only the unit-cube part of the grid dimensions is shuffled (not the
//     trivial or infeasible extensions, nor irrelevant dimensions); shuffled
//     dimensions report no easy end (task.EasyUnknown).
//   - origin_width w (sparse start): the origin cell learns only from tasks
//     in its corner [0, w/cells)^dims (the trivial extension counts as the
//     lowest position on x0); elsewhere in the origin cell episodes are
//     wasted. 0 (the default) and 1 mean the whole cell. With w = 0.2 on 2 × 10 cells the only learnable region at the
//     start is 0.04% of the space, so a teacher must find a needle before any
//     reward appears. The rest of the grid unlocks as usual.
package toy

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/teachbench/teachbench/task"
)

// Constants of the competence model, as in the reference.
const (
	// MaxCompetence caps a cell's competence.
	MaxCompetence = 100
	// UnlockCompetence is the competence (≥) at which a cell unlocks its
	// successors.
	UnlockCompetence = 75
	// MasteryCompetence is the competence that a mastered cell exceeds (>).
	MasteryCompetence = 75
	// maxCells bounds cells^dims: the test set holds every cell and is
	// played in full at each evaluation, so a larger grid makes validation
	// and evaluation slow and memory-hungry. It also bounds dims (2^16 <
	// maxCells < 2^17), keeping the O(2^dims) neighbour check cheap.
	maxCells = 100_000
	// maxIrrelevant bounds irrelevant_dims.
	maxIrrelevant = 100
)

// Params are the family's parameters.
type Params struct {
	Dims            int     `toml:"dims" doc:"number of task dimensions (the unit cube [0,1]^dims)"`
	Cells           int     `toml:"cells" doc:"bins per dimension; the grid has cells^dims cells"`
	InfeasibleRange float64 `toml:"infeasible_range" doc:"mostly-infeasible profile: x0 extends to 1+r and tasks with x0 > 1 can never be learned; 0 = off"`
	TrivialRange    float64 `toml:"trivial_range" doc:"mostly-trivial profile: x0 extends down to -r and tasks with x0 < 0 play the easiest row (x0 cell 0); 0 = off"`
	IrrelevantDims  int     `toml:"irrelevant_dims" doc:"extra task dimensions in [0,1] that the model ignores"`
	RewardNoise     float64 `toml:"reward_noise" doc:"std of Gaussian noise on each training episode's reward (clipped to [0,1]; env stream); evaluation is noise-free"`
	DecayEvery      int     `toml:"decay_every" doc:"forgetting: a cell loses 1 competence point per decay_every consecutive episodes without practice; 0 = off"`
	ResetEvery      int     `toml:"reset_every" doc:"forgetting: every reset_every episodes all competences return to 0; 0 = off"`
	ShuffleCuts     int     `toml:"shuffle_cuts" doc:"rugged profile: cut each grid dimension into this many blocks of cells, permuted per run (env stream); must divide cells; 0 = off"`
	OriginWidth     float64 `toml:"origin_width" doc:"sparse start: the origin cell learns only from its corner [0, origin_width/cells)^dims; 0 (off) or 1 = the whole cell"`
}

// DefaultParams returns the reference setting: a 2-D grid of 10 × 10 cells
// with no challenge profile.
func DefaultParams() Params { return Params{Dims: 2, Cells: 10} }

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	if p.Dims < 1 {
		return fmt.Errorf("dims = %d: want at least 1", p.Dims)
	}
	if p.Cells < 2 {
		return fmt.Errorf("cells = %d: want at least 2 (one cell leaves nothing to learn in order)", p.Cells)
	}
	if math.Pow(float64(p.Cells), float64(p.Dims)) > maxCells {
		return fmt.Errorf("cells^dims = %d^%d exceeds %d cells", p.Cells, p.Dims, maxCells)
	}
	switch {
	case !(p.InfeasibleRange >= 0) || math.IsInf(p.InfeasibleRange, 0):
		return fmt.Errorf("infeasible_range = %v: want a finite number ≥ 0", p.InfeasibleRange)
	case !(p.TrivialRange >= 0) || math.IsInf(p.TrivialRange, 0):
		return fmt.Errorf("trivial_range = %v: want a finite number ≥ 0", p.TrivialRange)
	case p.IrrelevantDims < 0 || p.IrrelevantDims > maxIrrelevant:
		return fmt.Errorf("irrelevant_dims = %d: want 0 to %d", p.IrrelevantDims, maxIrrelevant)
	case !(p.RewardNoise >= 0) || math.IsInf(p.RewardNoise, 0):
		return fmt.Errorf("reward_noise = %v: want a finite standard deviation ≥ 0", p.RewardNoise)
	case p.DecayEvery < 0:
		return fmt.Errorf("decay_every = %d: want 0 (no decay) or a number of episodes", p.DecayEvery)
	case p.ResetEvery < 0:
		return fmt.Errorf("reset_every = %d: want 0 (no reset) or a number of episodes", p.ResetEvery)
	case p.ShuffleCuts < 0 || p.ShuffleCuts == 1:
		return fmt.Errorf("shuffle_cuts = %d: want 0 (off) or at least 2 blocks", p.ShuffleCuts)
	case p.ShuffleCuts > 0 && p.Cells%p.ShuffleCuts != 0:
		return fmt.Errorf("shuffle_cuts = %d: must divide cells = %d so that blocks are whole cells", p.ShuffleCuts, p.Cells)
	case !(p.OriginWidth >= 0 && p.OriginWidth <= 1):
		return fmt.Errorf("origin_width = %v: want a fraction in (0, 1], or 0 for the whole cell", p.OriginWidth)
	}
	return nil
}

// Family is the toy family. It is safe for concurrent use; each student holds
// its own competence grid.
type Family struct {
	p      Params
	box    *task.Box
	n      int   // number of cells
	stride []int // stride[j] = cells^j
	tests  []task.Task
}

// New returns the family for p.
func New(p Params) (*Family, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	dims := make([]task.Dim, p.Dims+p.IrrelevantDims)
	for j := range p.Dims {
		easy := task.EasyLo
		if p.ShuffleCuts > 0 {
			easy = task.EasyUnknown
		}
		dims[j] = task.Dim{Name: "x" + strconv.Itoa(j), Lo: 0, Hi: 1, Easy: easy}
	}
	dims[0].Lo, dims[0].Hi = 0-p.TrivialRange, 1+p.InfeasibleRange
	for j := range p.IrrelevantDims {
		dims[p.Dims+j] = task.Dim{Name: "u" + strconv.Itoa(j), Lo: 0, Hi: 1}
	}
	box, err := task.NewBox(dims...)
	if err != nil {
		return nil, err
	}
	f := &Family{p: p, box: box, n: 1, stride: make([]int, p.Dims)}
	for j := range f.stride {
		f.stride[j] = f.n
		f.n *= p.Cells
	}
	f.tests = make([]task.Task, f.n)
	for c := range f.tests {
		x := make([]float64, len(dims))
		for j := range p.Dims {
			idx := c / f.stride[j] % p.Cells
			x[j] = (float64(idx) + 0.5) / float64(p.Cells)
		}
		for j := p.Dims; j < len(x); j++ {
			x[j] = 0.5
		}
		f.tests[c] = task.Task{Params: x}
	}
	return f, nil
}

// Spaces returns the task box: the unit cube, with the first dimension
// extended by the infeasible and trivial ranges, and the irrelevant
// dimensions appended.
func (f *Family) Spaces() []task.Space { return []task.Space{f.box} }

// TestSet returns the centre of every cell of the learnable grid.
func (f *Family) TestSet() []task.Task { return f.tests }

// Mastered reports whether the evaluated cell's competence exceeds 75.
func (f *Family) Mastered(_ task.Task, o task.Outcome) bool {
	return o.Return*MaxCompetence > MasteryCompetence
}

// NewStudent returns a learner with every competence at zero. With
// reward_noise or shuffle_cuts set it needs rng.Env, and panics without it.
func (f *Family) NewStudent(rng task.Streams) task.Student {
	p := f.p
	s := &Student{f: f, comp: make([]int32, f.n), coord: make([]int, p.Dims)}
	if (p.RewardNoise > 0 || p.ShuffleCuts > 0) && rng.Env == nil {
		panic("toy: reward_noise and shuffle_cuts need the env stream (task.Streams.Env)")
	}
	if p.ShuffleCuts > 0 {
		s.perm = make([][]int, p.Dims)
		for j := range s.perm {
			s.perm[j] = make([]int, p.ShuffleCuts)
			for b := range s.perm[j] {
				s.perm[j][b] = b
			}
			rng.Env.Shuffle(len(s.perm[j]), func(a, b int) { s.perm[j][a], s.perm[j][b] = s.perm[j][b], s.perm[j][a] })
		}
	}
	if p.RewardNoise > 0 {
		s.noise = rng.Env
	}
	if p.DecayEvery > 0 || p.ResetEvery > 0 {
		s.last = make([]int64, f.n)
		for c := range s.last {
			s.last[c] = -1
		}
	}
	return s
}

// Student is the competence model learning on a Family.
type Student struct {
	f         *Family
	comp      []int32
	coord     []int // scratch: the coordinates of the last cell looked up
	learnable bool  // scratch: whether the last task looked up may learn

	perm  [][]int    // shuffle_cuts: perm[j][b] is the block that block b of dimension j plays
	noise *rand.Rand // reward_noise: the env stream

	// Forgetting (decay_every, reset_every): comp[c] is the competence at the
	// end of episode last[c], the last one that practised c (-1: never).
	last     []int64
	episodes int64 // episodes learned so far
	resetAt  int64 // first episode after the last reset
}

// Learn plays one episode on t and returns its outcome.
func (s *Student) Learn(t task.Task) task.Outcome {
	s.sync()
	c := s.cell(t.Params)
	var comp int32
	if c >= 0 {
		comp = s.competence(c)
		if s.learnable && comp < MaxCompetence && s.unlocked(c) {
			comp++
		}
		s.comp[c] = comp
		if s.last != nil {
			s.last[c] = s.episodes
		}
	}
	s.episodes++
	if s.noise == nil {
		return outcome(comp)
	}
	r := float64(comp)/MaxCompetence + s.p().RewardNoise*s.noise.NormFloat64()
	r = math.Min(math.Max(r, 0), 1)
	return task.Outcome{Return: r, Score: r, Success: r*MaxCompetence > MasteryCompetence, Steps: 1}
}

// Evaluate returns the outcome of t's cell without practising it.
func (s *Student) Evaluate(t task.Task) task.Outcome {
	s.sync()
	c := s.cell(t.Params)
	if c < 0 {
		return outcome(0)
	}
	return outcome(s.competence(c))
}

// Competence returns the current competence of the cell holding point x (0
// in the infeasible range).
func (s *Student) Competence(x []float64) int {
	s.sync()
	c := s.cell(x)
	if c < 0 {
		return 0
	}
	return int(s.competence(c))
}

// Episodes returns the number of episodes learned so far.
func (s *Student) Episodes() int64 { return s.episodes }

func (s *Student) p() *Params { return &s.f.p }

func outcome(comp int32) task.Outcome {
	r := float64(comp) / MaxCompetence
	return task.Outcome{Return: r, Score: r, Success: comp > MasteryCompetence, Steps: 1}
}

// sync brings the reset clock up to date with the episode count.
func (s *Student) sync() {
	if n := int64(s.p().ResetEvery); n > 0 {
		s.resetAt = s.episodes / n * n
	}
}

// competence returns cell c's competence now, after any reset or decay since
// it was last practised.
func (s *Student) competence(c int) int32 {
	if s.last == nil {
		return s.comp[c]
	}
	last := s.last[c]
	if last < s.resetAt {
		return 0
	}
	comp := s.comp[c]
	if k := int64(s.p().DecayEvery); k > 0 {
		lost := (s.episodes - last - 1) / k
		if lost >= int64(comp) {
			return 0
		}
		comp -= int32(lost)
	}
	return comp
}

// cell returns the index of the grid cell that task x plays (-1 in the
// infeasible range), leaves its coordinates in s.coord, and sets s.learnable
// to whether the task may learn there (false only outside the learnable
// corner of the origin cell under origin_width).
func (s *Student) cell(x []float64) int {
	p := s.p()
	if len(x) != p.Dims+p.IrrelevantDims {
		panic(fmt.Sprintf("toy: task has %d components, want %d", len(x), p.Dims+p.IrrelevantDims))
	}
	lo, hi := s.f.box.Lo(), s.f.box.Hi()
	for j, v := range x {
		if !(v >= lo[j] && v <= hi[j]) {
			panic(fmt.Sprintf("toy: task component %s = %v outside [%v, %v]", s.f.box.Dim(j).Name, v, lo[j], hi[j]))
		}
	}
	if x[0] > 1 {
		s.learnable = false
		return -1
	}
	c, corner := 0, true
	cells := float64(p.Cells)
	for j, v := range x[:p.Dims] {
		idx := min(int(math.Max(v, 0)*cells), p.Cells-1)
		if p.OriginWidth > 0 && p.OriginWidth < 1 && math.Max(v, 0)*cells-float64(idx) >= p.OriginWidth {
			corner = false
		}
		if s.perm != nil {
			m := p.Cells / p.ShuffleCuts
			idx = s.perm[j][idx/m]*m + idx%m
		}
		s.coord[j] = idx
		c += idx * s.f.stride[j]
	}
	s.learnable = corner || c != 0
	return c
}

// unlocked reports whether cell c (with coordinates in s.coord) may learn: it
// is the origin, or one of its previous neighbours has reached
// UnlockCompetence. Each non-empty subset of dimensions, decremented where
// possible, names one previous neighbour.
func (s *Student) unlocked(c int) bool {
	if c == 0 {
		return true
	}
	for mask := 1; mask < 1<<len(s.coord); mask++ {
		n := c
		for j, idx := range s.coord {
			if mask&(1<<j) != 0 && idx > 0 {
				n -= s.f.stride[j]
			}
		}
		if n != c && s.competence(n) >= UnlockCompetence {
			return true
		}
	}
	return false
}
