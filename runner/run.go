package runner

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"time"

	"github.com/teachbench/teachbench/envs"
	"github.com/teachbench/teachbench/runner/store"
	"github.com/teachbench/teachbench/students"
	"github.com/teachbench/teachbench/task"
)

// Result is what one run produced.
type Result struct {
	Run     store.Run
	Evals   []store.EvalRow
	Samples []store.SampleRow
	// Interrupted is set when the context was cancelled before the run
	// finished; such a run is not recorded.
	Interrupted bool
}

// progressEvery is how many episodes pass between progress reports.
const progressEvery = 1024

// A run checks for cancellation every cancelEvery episodes, or after the
// first episode that ends cancelSteps environment steps after the last check.
const (
	cancelEvery = 16
	cancelSteps = 1024
)

// Execute performs run spec of config c: it builds the family, student and
// teacher, runs the teach loop until the budget is spent, evaluating every
// c.EvalEvery budget units, and returns the result. A run that errors or panics
// returns a result with status failed, the message and the stack; Execute
// itself never panics. advance, if not nil, receives the budget units spent
// since its last call.
func Execute(ctx context.Context, c *Config, spec RunSpec, advance func(int64)) (res Result) {
	start := time.Now()
	res.Run = store.Run{
		Harness: producerOnce(),
		ID:      spec.ID,
		Key:     spec.Key,
		Env:     component(spec.Env),
		Teacher: component(spec.Teacher),
		Student: component(spec.Student),
		Seed:    spec.Seed,
		Budget:  store.Budget{Unit: c.Budget.Unit, Amount: c.Budget.Amount},
	}
	var reported int64
	report := func(spent int64) {
		if advance != nil && spent > reported {
			advance(spent - reported)
			reported = spent
		}
	}
	defer func() {
		if r := recover(); r != nil {
			res.Run.Status = store.StatusFailed
			res.Run.Error = fmt.Sprintf("panic: %v", r)
			res.Run.Stack = string(debug.Stack())
		}
		res.Run.WallSeconds = time.Since(start).Seconds()
	}()

	l, err := newLoop(c, spec, &res, start)
	if err != nil {
		res.Run.Status = store.StatusFailed
		res.Run.Error = err.Error()
		return res
	}
	if err := l.run(ctx, report); err != nil {
		if ctx.Err() != nil && err == ctx.Err() {
			res.Interrupted = true
		}
		res.Run.Status = store.StatusFailed
		res.Run.Error = err.Error()
		return res
	}
	res.Run.Status = store.StatusDone
	return res
}

func component(c *Component) store.Component {
	return store.Component{Name: c.Name, Label: c.Label, Params: c.ParamMap()}
}

// loop holds the state of one run's teach loop.
type loop struct {
	c       *Config
	spec    RunSpec
	res     *Result
	start   time.Time
	family  task.Family
	teacher task.Teacher
	student task.Student
	space   task.Space
	rng     task.Streams
	// counter, when the teacher spends steps of its own, and clock, when
	// the family changes during the run.
	counter       task.StepCounter
	clock         task.Clocked
	familyMetrics int
	// onEpisode, when set (by tests and figure tools that look inside a
	// run), is called after each episode's teacher update.
	onEpisode func()

	episodes, steps int64
}

func newLoop(c *Config, spec RunSpec, res *Result, start time.Time) (*loop, error) {
	ee, err := envs.Lookup(spec.Env.Name)
	if err != nil {
		return nil, err
	}
	family, err := ee.New(spec.Env.Params)
	if err != nil {
		return nil, fmt.Errorf("env %q: %w", spec.Env.Label, err)
	}
	space, te, err := spaceOf(spec.Teacher, family, spec.Env.Label)
	if err != nil {
		return nil, err
	}
	rng := Streams(c.SweepSeed, spec.Key)
	se, err := students.Lookup(spec.Student.Name)
	if err != nil {
		return nil, err
	}
	student, err := se.New(spec.Student.Params, family, rng)
	if err != nil {
		return nil, fmt.Errorf("student %q: %w", spec.Student.Label, err)
	}
	teacher, err := te.New(spec.Teacher.Params, space, rng.Teacher)
	if err != nil {
		return nil, fmt.Errorf("teacher %q: %w", spec.Teacher.Label, err)
	}
	if sa, ok := teacher.(task.StudentAware); ok {
		sa.SetStudent(student)
	}
	if so, ok := teacher.(task.StudentOwner); ok {
		so.SetStudentFactory(func(name string) (task.Student, error) {
			return se.New(spec.Student.Params, family, Streams(c.SweepSeed, spec.Key+"|student="+name))
		})
	}
	res.Run.Metrics = slices.Clone(task.MetricNames(family))
	var counter task.StepCounter
	if sc, ok := teacher.(task.StepCounter); ok {
		counter = sc
		for _, n := range sc.StepNames() {
			res.Run.Metrics = append(res.Run.Metrics, "steps_"+n)
		}
	}
	clock, _ := family.(task.Clocked)
	res.Run.Space = describeSpace(space)
	return &loop{c: c, spec: spec, res: res, start: start, family: family, teacher: teacher, student: student, space: space, rng: rng,
		counter: counter, clock: clock, familyMetrics: len(task.MetricNames(family))}, nil
}

func describeSpace(sp task.Space) store.Space {
	d := store.Space{Kind: sp.Kind().String()}
	switch s := sp.(type) {
	case *task.Box:
		for i := range s.Len() {
			dim := s.Dim(i)
			d.Dims = append(d.Dims, store.Dim{Name: dim.Name, Lo: dim.Lo, Hi: dim.Hi})
		}
	case *task.Discrete:
		for i := range s.Len() {
			d.Tasks = append(d.Tasks, s.Name(i))
		}
	}
	return d
}

// spent returns the budget spent so far, in the budget's unit.
func (l *loop) spent() int64 {
	if l.c.Budget.Unit == Steps {
		return l.steps
	}
	return l.episodes
}

func (l *loop) run(ctx context.Context, report func(int64)) error {
	// The teacher received the same stream at construction, for the
	// randomness it needs outside Sample (EM initialisation, say).
	rng := l.rng.Teacher
	every := l.c.EvalEvery
	nextEval := every
	done := ctx.Done()
	var checkedEpisodes, checkedSteps int64
	l.evaluate()
	for l.spent() < l.c.Budget.Amount {
		// Check for cancellation every cancelEvery episodes, or sooner
		// when episodes are long, so that a sweep stops within a few
		// episodes of SIGINT or SIGTERM (Slurm allows KillWait, 30 s by
		// default, before SIGKILL). A non-blocking receive costs about
		// 5 ns, too much for every 100 ns episode of the toy family.
		if l.episodes-checkedEpisodes >= cancelEvery || l.steps-checkedSteps >= cancelSteps {
			checkedEpisodes, checkedSteps = l.episodes, l.steps
			select {
			case <-done:
				return ctx.Err()
			default:
			}
		}
		t := l.teacher.Sample(rng)
		if err := l.checkTask(t); err != nil {
			return err
		}
		o := l.play(t)
		if err := o.Check(); err != nil {
			return fmt.Errorf("student %q returned an invalid outcome for %v at episode %d: %w", l.spec.Student.Label, t, l.episodes, err)
		}
		l.trace(t, o)
		l.teacher.Update(t, o)
		l.episodes++
		l.steps += int64(o.Steps)
		if l.clock != nil {
			l.clock.Tick(l.episodes, l.steps)
		}
		if l.onEpisode != nil {
			l.onEpisode()
		}
		if s := l.spent(); s >= nextEval {
			l.evaluate()
			for nextEval <= s {
				nextEval += every
			}
		}
		if l.episodes%progressEvery == 0 {
			report(l.spent())
		}
	}
	if last := l.res.Evals[len(l.res.Evals)-1]; last.Episode != l.episodes {
		l.evaluate()
	}
	report(l.c.Budget.Amount)
	l.res.Run.Episodes, l.res.Run.Steps = l.episodes, l.steps
	return nil
}

// play has the student learn from t, or only play it when the teacher asks
// for a probe.
func (l *loop) play(t task.Task) task.Outcome {
	if !t.Probe {
		return l.student.Learn(t)
	}
	if p, ok := l.student.(task.Prober); ok {
		return p.Probe(t)
	}
	return l.student.Evaluate(t)
}

// checkTask rejects a proposal that does not belong to the teacher's space, so
// that a faulty teacher fails its run with a message naming it rather than
// corrupting the student.
func (l *loop) checkTask(t task.Task) error {
	if t.Kind() != l.space.Kind() {
		return fmt.Errorf("teacher %q proposed a %s task on a %s space", l.spec.Teacher.Label, t.Kind(), l.space.Kind())
	}
	switch s := l.space.(type) {
	case *task.Box:
		if !s.Contains(t.Params) {
			return fmt.Errorf("teacher %q proposed %v outside %v at episode %d", l.spec.Teacher.Label, t, s, l.episodes)
		}
	case *task.Discrete:
		if t.Index < 0 || t.Index >= s.Len() {
			return fmt.Errorf("teacher %q proposed task #%d of a space of %d tasks at episode %d", l.spec.Teacher.Label, t.Index, s.Len(), l.episodes)
		}
	}
	return nil
}

func (l *loop) evaluate() {
	e := task.Evaluate(l.family, l.student)
	if len(e.Extra) != l.familyMetrics {
		panic(fmt.Sprintf("env %q reported %d extra metrics, want %d (its MetricNames)", l.spec.Env.Label, len(e.Extra), l.familyMetrics))
	}
	if l.counter != nil {
		steps := make([]int64, len(l.counter.StepNames()))
		l.counter.CountSteps(steps)
		e.Extra = e.Extra[:len(e.Extra):len(e.Extra)] // never write into the family's slice
		for _, n := range steps {
			e.Extra = append(e.Extra, float64(n))
		}
		l.res.Run.TeacherSteps = make(map[string]int64, len(steps))
		for i, name := range l.counter.StepNames() {
			l.res.Run.TeacherSteps[name] = steps[i]
		}
	}
	l.res.Evals = append(l.res.Evals, store.EvalRow{
		Episode:     l.episodes,
		Steps:       l.steps,
		WallSeconds: time.Since(l.start).Seconds(),
		Mastered:    e.Mastered,
		ScoreMean:   e.ScoreMean,
		ReturnMean:  e.ReturnMean,
		SuccessRate: e.SuccessRate,
		Extra:       e.Extra,
	})
	l.res.Run.Episodes, l.res.Run.Steps = l.episodes, l.steps
}

func (l *loop) trace(t task.Task, o task.Outcome) {
	tr := l.c.Trace
	if tr.Every == 0 || l.episodes%tr.Every != 0 || int64(len(l.res.Samples)) >= tr.Max {
		return
	}
	l.res.Samples = append(l.res.Samples, store.SampleRow{
		Episode: l.episodes,
		Steps:   l.steps,
		Params:  append([]float64(nil), t.Params...),
		Index:   t.Index,
		Level:   append([]byte(nil), t.Level...),
		Return:  o.Return,
		Score:   o.Score,
		Success: o.Success,
	})
}
