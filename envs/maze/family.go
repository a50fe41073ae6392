package maze

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/teachbench/teachbench/task"
)

// Params are the family's parameters.
type Params struct {
	Size         int      `toml:"size" doc:"grid side including the border wall, as dcd's size (15: a 13×13 interior)"`
	Walls        int      `toml:"walls" doc:"wall budget (dcd's n_clutter): 25 in the PLR/PAIRED maze experiments, 50 or 60 elsewhere, 0 for ACCEL's empty start"`
	WallCount    string   `toml:"wall_count" doc:"walls the generator places: half (dcd DR: int(walls/2) distinct), uniform (dcd VariableBlocks: uniform in 0..walls-1), budget (JaxUED: walls draws with replacement)"`
	Editor       string   `toml:"editor" doc:"ACCEL edit set: walls_none_agent_goal (dcd default: add/remove wall, move agent/goal), walls_none_goal (dcd's ACCEL maze), walls_none, minimax (no-op/flip wall/move goal, as minimax and JaxUED)"`
	Horizon      int      `toml:"horizon" doc:"step limit T of training episodes; reaching the goal at step t pays 1 - 0.9*t/T"`
	Actions      int      `toml:"actions" doc:"3 (turn left, turn right, forward) or 7 (MiniGrid's; pickup, drop, toggle and done do nothing)"`
	BoxMinPath   bool     `toml:"box_min_path" doc:"give the Box view a min_path dimension in [0,1]: minimum shortest path as a fraction of width+height-2"`
	EvalMazes    []string `toml:"eval_mazes" doc:"held-out mazes of the test set (files envs/maze/levels/<name>.txt)"`
	EvalEpisodes int      `toml:"eval_episodes" doc:"evaluation episodes per held-out maze"`
	EvalHorizon  int      `toml:"eval_horizon" doc:"step limit of evaluation episodes; 0 = each maze's reference limit (dcd: 2*size^2, e.g. 450 for 15x15; FourRooms 100)"`
}

// DefaultParams returns the setting of the 25-block maze of the PLR and
// PAIRED experiments (dcd's MultiGrid-GoalLastFewerBlocksAdversarial-v0),
// evaluated on DefaultEvalMazes with 10 episodes each (JaxUED's
// eval_num_attempts) and dcd's step limits.
func DefaultParams() Params {
	return Params{
		Size:         15,
		Walls:        25,
		WallCount:    CountHalf,
		Editor:       EditWallsNoneAgentGoal,
		Horizon:      250,
		Actions:      3,
		EvalMazes:    slices.Clone(DefaultEvalMazes),
		EvalEpisodes: 10,
	}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	interior := (p.Size - 2) * (p.Size - 2)
	switch {
	case p.Size < 4 || p.Size > MaxSide+2:
		return fmt.Errorf("size = %d: want 4..%d (the border wall included)", p.Size, MaxSide+2)
	case p.Walls < 0 || p.Walls > interior-2:
		return fmt.Errorf("walls = %d: want 0..%d (the %d×%d interior has %d cells, two of them for the agent and the goal)",
			p.Walls, interior-2, p.Size-2, p.Size-2, interior)
	case !slices.Contains(wallCounts, p.WallCount):
		return fmt.Errorf("wall_count = %q: want one of %s", p.WallCount, strings.Join(wallCounts, ", "))
	case !slices.Contains(editors, p.Editor):
		return fmt.Errorf("editor = %q: want one of %s", p.Editor, strings.Join(editors, ", "))
	case p.Horizon < 1 || p.Horizon > 0xffff:
		return fmt.Errorf("horizon = %d: want 1..65535", p.Horizon)
	case p.Actions != 3 && p.Actions != 7:
		return fmt.Errorf("actions = %d: want 3 (left, right, forward) or 7 (MiniGrid's, four of them no-ops)", p.Actions)
	case len(p.EvalMazes) == 0:
		return fmt.Errorf("eval_mazes is empty: want some of %s", strings.Join(HeldOutNames(), ", "))
	case p.EvalEpisodes < 1:
		return fmt.Errorf("eval_episodes = %d: want at least 1", p.EvalEpisodes)
	case p.EvalHorizon < 0 || p.EvalHorizon > 0xffff:
		return fmt.Errorf("eval_horizon = %d: want 0 (each maze's reference limit) or 1..65535", p.EvalHorizon)
	}
	names := HeldOutNames()
	for i, name := range p.EvalMazes {
		if !slices.Contains(names, name) {
			return fmt.Errorf("eval_mazes[%d] = %q: want one of %s", i, name, strings.Join(names, ", "))
		}
		if slices.Contains(p.EvalMazes[:i], name) {
			return fmt.Errorf("eval_mazes lists %q twice", name)
		}
	}
	return nil
}

// Family is the maze family. It implements task.Family, task.Episodic and
// task.Evaluator. It is safe for concurrent use.
type Family struct {
	p       Params
	levels  *Space
	box     *task.Box
	heldOut []HeldOut
	tests   []task.Task // one per held-out maze, its level carrying the eval limit
	metrics []string
}

// New returns the family for p.
func New(p Params) (*Family, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	side := p.Size - 2
	dims := []task.Dim{{Name: "walls", Lo: 0, Hi: float64(p.Walls), Easy: task.EasyLo}}
	if p.BoxMinPath {
		dims = append(dims, task.Dim{Name: "min_path", Lo: 0, Hi: 1, Easy: task.EasyLo})
	}
	box, err := task.NewBox(dims...)
	if err != nil {
		return nil, err
	}
	heldOut, err := loadHeldOut(levelFiles, p.EvalMazes)
	if err != nil {
		return nil, err
	}
	f := &Family{
		p:       p,
		levels:  &Space{width: side, height: side, walls: p.Walls, count: p.WallCount, editor: p.Editor},
		box:     box,
		heldOut: heldOut,
	}
	for _, h := range heldOut {
		l := h.Level.Clone()
		l.MaxSteps = h.MaxSteps
		if p.EvalHorizon > 0 {
			l.MaxSteps = p.EvalHorizon
		}
		enc, err := l.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("maze: held-out maze %s: %w", h.Name, err)
		}
		f.tests = append(f.tests, task.Task{Level: enc})
		f.metrics = append(f.metrics, "solve_"+h.Name)
	}
	return f, nil
}

// Params returns the family's parameters.
func (f *Family) Params() Params { return f.p }

// Spaces returns the Levels view (the reference's: generated, replayed and
// edited mazes), then the Box view over the generator's knobs.
func (f *Family) Spaces() []task.Space { return []task.Space{f.levels, f.box} }

// Levels returns the Levels view.
func (f *Family) Levels() *Space { return f.levels }

// Box returns the Box view: walls ∈ [0, budget], and min_path ∈ [0, 1] if
// box_min_path is set.
func (f *Family) Box() *task.Box { return f.box }

// HeldOut returns the held-out mazes of the test set, in the order of
// eval_mazes. They must not be modified.
func (f *Family) HeldOut() []HeldOut { return f.heldOut }

// TestSet returns one task per held-out maze, in the order of eval_mazes.
// Each level carries its evaluation step limit.
func (f *Family) TestSet() []task.Task { return f.tests }

// Mastered reports whether the episode reached the goal.
func (f *Family) Mastered(_ task.Task, o task.Outcome) bool { return o.Success }

// NewEnv returns a new environment; it draws nothing from rng, since tasks
// fix everything.
func (f *Family) NewEnv(*rand.Rand) task.Env {
	return newEnv(f.p.Horizon, f.p.Actions, genParams{width: f.p.Size - 2, height: f.p.Size - 2, budget: f.p.Walls, minPath: f.p.BoxMinPath})
}

// MetricNames returns "solve_<maze>" for each held-out maze: its solve rate
// in percent.
func (f *Family) MetricNames() []string { return f.metrics }

// Evaluate plays eval_episodes episodes of every held-out maze with
// s.Evaluate (tasks carrying the level and seeds 0, 1, ...). A maze's solve
// rate is the percentage of its episodes that reached the goal within the
// evaluation step limit; Mastered is the mean solve rate over the mazes
// (equal to SuccessRate, since every maze gets the same number of
// episodes), and Extra holds each maze's solve rate.
func (f *Family) Evaluate(s task.Student) task.Eval {
	e := task.Eval{Extra: make([]float64, len(f.tests))}
	n := f.p.EvalEpisodes
	for i, t := range f.tests {
		solved := 0
		for k := range n {
			o := s.Evaluate(task.Task{Level: t.Level, Seed: uint64(k)})
			if o.Success {
				solved++
			}
			e.ScoreMean += o.Score
			e.ReturnMean += o.Return
		}
		e.Extra[i] = 100 * float64(solved) / float64(n)
		e.Mastered += e.Extra[i]
	}
	m := float64(len(f.tests))
	e.Mastered /= m
	e.SuccessRate = e.Mastered
	e.ScoreMean /= m * float64(n)
	e.ReturnMean /= m * float64(n)
	return e
}

// Space is the family's Levels view. It implements task.Levels; levels are
// their binary encodings (Level.MarshalBinary).
type Space struct {
	width, height int
	walls         int
	count         string
	editor        string
}

// Kind returns task.LevelsKind.
func (s *Space) Kind() task.Kind { return task.LevelsKind }

// Generate returns a level drawn as dcd's domain randomisation draws it (see
// the wall_count parameter).
func (s *Space) Generate(rng *rand.Rand) []byte {
	var l Level
	generate(&l, s.width, s.height, s.walls, s.count, rng)
	return mustEncode(&l)
}

// Mutate returns level after n edits of the family's editor (ACCEL). The
// result is always valid, and the same (level, n, rng state) gives the same
// result. It panics if level is not a valid encoding.
func (s *Space) Mutate(level []byte, n int, rng *rand.Rand) []byte {
	l, err := DecodeLevel(level)
	if err != nil {
		panic(fmt.Sprintf("maze: Mutate: %v", err))
	}
	mutate(l, n, s.editor, rng)
	return mustEncode(l)
}

// Format returns the text form of level.
func (s *Space) Format(level []byte) (string, error) {
	l, err := DecodeLevel(level)
	if err != nil {
		return "", err
	}
	return l.String(), nil
}

// Parse returns the encoding of a level in text form. Levels of any interior
// size are accepted.
func (s *Space) Parse(text string) ([]byte, error) {
	l, err := ParseLevel(text)
	if err != nil {
		return nil, err
	}
	return l.MarshalBinary()
}

// Metrics returns the metrics of an encoded level.
func (s *Space) Metrics(level []byte) (Metrics, error) {
	l, err := DecodeLevel(level)
	if err != nil {
		return Metrics{}, err
	}
	return l.Metrics(), nil
}

// BoxLevel returns the level that the Box task (theta, seed) stands for, as
// an environment builds it on Reset.
func (f *Family) BoxLevel(theta []float64, seed uint64) (*Level, error) {
	if len(theta) != f.box.Len() {
		return nil, fmt.Errorf("maze: Box task has %d values, want %d", len(theta), f.box.Len())
	}
	if !f.box.Contains(theta) {
		return nil, fmt.Errorf("maze: Box task %v outside %v", theta, f.box)
	}
	e := f.NewEnv(nil).(*Env)
	e.Reset(task.Task{Params: theta, Seed: seed}, make([]float64, ObsSize))
	return e.Level().Clone(), nil
}

func mustEncode(l *Level) []byte {
	b, err := l.MarshalBinary()
	if err != nil {
		panic("maze: generated an invalid level: " + err.Error())
	}
	return b
}
