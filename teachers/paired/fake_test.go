package paired

import (
	"encoding/hex"
	"math/rand/v2"
	"slices"

	"github.com/teachbench/teachbench/task"
)

// Teachers do not import env families; these fakes stand in for them.

// gridSpace is a constructible Levels space of side × side grids. Its
// construction episode places walls walls, then the goal, then the agent,
// one cell per action; a level is the sequence of cells chosen.
type gridSpace struct {
	side, walls int
	// reuse makes the builder's Level return its own buffer, so that
	// allocation tests see only the teacher's allocations.
	reuse bool
}

func (s gridSpace) Kind() task.Kind { return task.LevelsKind }

func (s gridSpace) Generate(rng *rand.Rand) []byte {
	l := make([]byte, s.walls+2)
	for i := range l {
		l[i] = byte(rng.IntN(s.side * s.side))
	}
	return l
}

func (s gridSpace) Mutate(level []byte, _ int, _ *rand.Rand) []byte { return slices.Clone(level) }
func (s gridSpace) Format(level []byte) (string, error)             { return hex.EncodeToString(level), nil }
func (s gridSpace) Parse(text string) ([]byte, error)               { return hex.DecodeString(text) }

func (s gridSpace) NewBuilder(*rand.Rand) task.Builder {
	return &gridBuilder{s: s, level: make([]byte, 0, s.walls+2)}
}

// gridBuilder observes a one-hot of the cells chosen so far, the step as a
// one-hot and one noise value from the task's seed.
type gridBuilder struct {
	s     gridSpace
	level []byte
	noise *rand.Rand
}

func (b *gridBuilder) cells() int               { return b.s.side * b.s.side }
func (b *gridBuilder) ObsSize() int             { return b.cells() + b.s.walls + 3 + 1 }
func (b *gridBuilder) Actions() task.ActionSpec { return task.ActionSpec{Discrete: b.cells()} }
func (b *gridBuilder) Outcome() task.Outcome    { return task.Outcome{Steps: len(b.level)} }

func (b *gridBuilder) Reset(t task.Task, obs []float64) {
	b.level = b.level[:0]
	b.noise = rand.New(rand.NewPCG(t.Seed, 0))
	b.observe(obs)
}

func (b *gridBuilder) observe(obs []float64) {
	clear(obs[:b.ObsSize()])
	for _, c := range b.level {
		obs[c] = 1
	}
	obs[b.cells()+len(b.level)] = 1
	obs[b.ObsSize()-1] = b.noise.Float64()
}

func (b *gridBuilder) Step(a, obs []float64) (float64, task.StepStatus) {
	if len(b.level) == b.s.walls+2 {
		panic("gridBuilder: step after the end")
	}
	b.level = append(b.level, byte(a[0]))
	b.observe(obs)
	if len(b.level) == b.s.walls+2 {
		return 0, task.Terminated
	}
	return 0, task.Running
}

func (b *gridBuilder) Level() []byte {
	if len(b.level) < b.s.walls+2 {
		return nil
	}
	if b.s.reuse {
		return b.level
	}
	return slices.Clone(b.level)
}

// plainLevels is a Levels space that cannot be built step by step.
type plainLevels struct{ task.Levels }

// call is one episode a fake student played.
type call struct {
	how   string // learn, probe or evaluate
	level string
	seed  uint64
}

// fakeStudent returns outcomes computed from the level by ret and steps,
// and records its calls.
type fakeStudent struct {
	calls []call
	ret   func(level []byte) float64
	steps func(level []byte) int
	keep  bool // record calls
	// check, if set, sees every call before it is played.
	check func(how string, t task.Task)
}

func (s *fakeStudent) play(how string, t task.Task) task.Outcome {
	if s.check != nil {
		s.check(how, t)
	}
	if s.keep {
		s.calls = append(s.calls, call{how, string(t.Level), t.Seed})
	}
	r := s.ret(t.Level)
	return task.Outcome{Return: r, Score: min(max(r, 0), 1), Success: r > 0, Steps: s.steps(t.Level)}
}

func (s *fakeStudent) Learn(t task.Task) task.Outcome    { return s.play("learn", t) }
func (s *fakeStudent) Probe(t task.Task) task.Outcome    { return s.play("probe", t) }
func (s *fakeStudent) Evaluate(t task.Task) task.Outcome { return s.play("evaluate", t) }

func constant(r float64) func([]byte) float64 { return func([]byte) float64 { return r } }
func length(n int) func([]byte) int           { return func([]byte) int { return n } }

// teach runs the teach loop of the runner for episodes protagonist
// episodes: Sample, the protagonist plays (Learn, or Probe when asked),
// Update.
func teach(t *Teacher, pro *fakeStudent, rng *rand.Rand, episodes int) []task.Task {
	var tasks []task.Task
	for range episodes {
		tk := t.Sample(rng)
		var o task.Outcome
		if tk.Probe {
			o = pro.Probe(tk)
		} else {
			o = pro.Learn(tk)
		}
		tasks = append(tasks, tk.Clone())
		t.Update(tk, o)
	}
	return tasks
}
