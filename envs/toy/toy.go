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
//     reference's bin edges (numpy arange) differ from this only on measure-
//     zero sets of boundary points.
//   - A task outside [0,1] makes the reference exit; here the episode panics
//     with a message naming the value, which the runner records as a failed
//     run. Teachers clip their samples to the space, so this signals a bug.
//   - Learning is deterministic: the student draws no random numbers.
package toy

import (
	"fmt"
	"math"
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
	// maxCells bounds cells^dims so that a bad config fails clearly instead
	// of exhausting memory.
	maxCells = 10_000_000
)

// Params are the family's parameters.
type Params struct {
	Dims  int `toml:"dims" doc:"number of task dimensions (the unit cube [0,1]^dims)"`
	Cells int `toml:"cells" doc:"bins per dimension; the grid has cells^dims cells"`
}

// DefaultParams returns the reference setting: a 2-D grid of 10 × 10 cells.
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
	if p.Dims > 20 {
		return fmt.Errorf("dims = %d: want at most 20 (the neighbour check is O(2^dims))", p.Dims)
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
	dims := make([]task.Dim, p.Dims)
	for j := range dims {
		dims[j] = task.Dim{Name: "x" + strconv.Itoa(j), Lo: 0, Hi: 1, Easy: task.EasyLo}
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
		x := make([]float64, p.Dims)
		for j := range x {
			idx := c / f.stride[j] % p.Cells
			x[j] = (float64(idx) + 0.5) / float64(p.Cells)
		}
		f.tests[c] = task.Task{Params: x}
	}
	return f, nil
}

// Spaces returns the unit cube.
func (f *Family) Spaces() []task.Space { return []task.Space{f.box} }

// TestSet returns the centre of every cell.
func (f *Family) TestSet() []task.Task { return f.tests }

// Mastered reports whether the evaluated cell's competence exceeds 75.
func (f *Family) Mastered(_ task.Task, o task.Outcome) bool {
	return o.Return*MaxCompetence > MasteryCompetence
}

// NewStudent returns a learner with every competence at zero.
func (f *Family) NewStudent(task.Streams) task.Student {
	return &Student{f: f, comp: make([]int32, f.n), coord: make([]int, f.p.Dims)}
}

// Student is the competence model learning on a Family.
type Student struct {
	f     *Family
	comp  []int32
	coord []int // scratch: the coordinates of the last cell looked up
}

// Learn plays one episode on t and returns its outcome.
func (s *Student) Learn(t task.Task) task.Outcome {
	c := s.cell(t.Params)
	if s.unlocked(c) && s.comp[c] < MaxCompetence {
		s.comp[c]++
	}
	return outcome(s.comp[c])
}

// Evaluate returns the outcome of t's cell without practising it.
func (s *Student) Evaluate(t task.Task) task.Outcome {
	return outcome(s.comp[s.cell(t.Params)])
}

// Competence returns the competence of the cell holding point x.
func (s *Student) Competence(x []float64) int { return int(s.comp[s.cell(x)]) }

func outcome(comp int32) task.Outcome {
	r := float64(comp) / MaxCompetence
	return task.Outcome{Return: r, Score: r, Success: comp > MasteryCompetence, Steps: 1}
}

// cell returns the index of the cell holding x and leaves its coordinates in
// s.coord.
func (s *Student) cell(x []float64) int {
	if len(x) != len(s.coord) {
		panic(fmt.Sprintf("toy: task has %d components, want %d", len(x), len(s.coord)))
	}
	c := 0
	for j, v := range x {
		if !(v >= 0 && v <= 1) {
			panic(fmt.Sprintf("toy: task component x%d = %v outside [0, 1]", j, v))
		}
		idx := min(int(v*float64(s.f.p.Cells)), s.f.p.Cells-1)
		s.coord[j] = idx
		c += idx * s.f.stride[j]
	}
	return c
}

// unlocked reports whether cell c (with coordinates in s.coord) may learn: it
// is the origin, or one of its previous neighbours has reached
// UnlockCompetence. Each non-empty subset of dimensions, decremented where
// possible, names one previous neighbour.
func (s *Student) unlocked(c int) bool {
	origin := true
	for _, idx := range s.coord {
		if idx > 0 {
			origin = false
			break
		}
	}
	if origin {
		return true
	}
	for mask := 1; mask < 1<<len(s.coord); mask++ {
		n := c
		for j, idx := range s.coord {
			if mask&(1<<j) != 0 && idx > 0 {
				n -= s.f.stride[j]
			}
		}
		if n != c && s.comp[n] >= UnlockCompetence {
			return true
		}
	}
	return false
}
