package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/teachbench/teachbench/envs"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers"
)

// The fuzz targets below run their seed corpora (the f.Add calls and
// testdata/fuzz/<target>/) as ordinary tests; `go test -fuzz` explores
// further (see .ci/fuzz.sh). The teacher and level targets are generic over
// the registries, so a new teacher or level family is covered without a line
// added here.

// FuzzParse: the config loader never panics, every error names the file, and
// a config it accepts plans runs whose IDs are plain directory names and
// whose normalised form (sweep.json) reproduces the same plan.
func FuzzParse(f *testing.F) {
	for _, s := range []string{minimal, small, spread, "", "name = 1", "[[env]]\n[[env]]\n", "seeds = [1, 1.5]",
		minimal + "[[teacher]]\nname = \"alp-gmm\"\n[teacher.sweep]\nrandom_ratio = [0.1, 0.2]\nfit_rate = [50, 60]\n",
		minimal + "[teacher.params]\nx = nan\n", minimal + "[[student]]\nname = \"synthetic\"\nlabel = \"../s\"\n"} {
		f.Add(s)
	}
	files, _ := filepath.Glob(filepath.Join("..", "configs", "*.toml"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		if hugeToyGrid(text) {
			return
		}
		c, err := Parse("fuzz.toml", text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.toml: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if filepath.Base(c.Name) != c.Name || !filepath.IsLocal(c.Name) {
			t.Fatalf("sweep name %q is not a plain directory name", c.Name)
		}
		if n := len(c.Envs) * len(c.Teachers) * max(1, len(c.Students)) * len(c.Seeds); n > 5000 {
			return // planning is linear in the runs; nothing new to learn from huge sweeps
		}
		runs, err := c.Plan()
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.toml: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, r := range runs {
			if !validRunID(r.ID) || filepath.Base(r.ID) != r.ID || !filepath.IsLocal(r.ID) {
				t.Fatalf("run ID %q is not a plain directory name", r.ID)
			}
			// run.json must give back the key the run was seeded from,
			// or resuming would refuse the run as another config's.
			var back string
			if data, err := json.Marshal(r.Key); err != nil || json.Unmarshal(data, &back) != nil || back != r.Key {
				t.Fatalf("run key %q does not survive run.json: %v", r.Key, err)
			}
		}
		again, err := reparse(c.Normalized())
		if err != nil {
			t.Fatalf("the normalised config does not parse back: %v", err)
		}
		if again.Hash() != c.Hash() {
			t.Fatalf("the normalised config hashes differently")
		}
		rruns, err := again.Plan()
		if err != nil || len(rruns) != len(runs) {
			t.Fatalf("the normalised config plans %d runs (%v), want %d", len(rruns), err, len(runs))
		}
		for i := range runs {
			if rruns[i].ID != runs[i].ID || rruns[i].Key != runs[i].Key {
				t.Fatalf("run %d: normalised config plans %s %q, want %s %q", i, rruns[i].ID, rruns[i].Key, runs[i].ID, runs[i].Key)
			}
		}
	})
}

// hugeToyGrid reports whether a config asks for a toy grid of more than 10^5
// cells. The toy family accepts up to 10^7 and builds its whole test set
// when constructed, which validating a config does: 7 dimensions of 10 cells
// take seconds and over a gigabyte. That is the family's own limit, not a
// loader bug, and the fuzzer stalls on such inputs, so they are skipped.
func hugeToyGrid(text string) bool {
	var raw struct {
		Env []struct {
			Params map[string]any `toml:"params"`
			Sweep  map[string]any `toml:"sweep"`
		} `toml:"env"`
	}
	if _, err := toml.Decode(text, &raw); err != nil {
		return false
	}
	largest := func(e map[string]any, s map[string]any, key string, def float64) float64 {
		v := def
		if n, ok := e[key].(int64); ok {
			v = float64(n)
		}
		if vs, ok := s[key].([]any); ok {
			for _, x := range vs {
				if n, ok := x.(int64); ok {
					v = max(v, float64(n))
				}
			}
		}
		return v
	}
	for _, e := range raw.Env {
		if math.Pow(largest(e.Params, e.Sweep, "cells", 10), largest(e.Params, e.Sweep, "dims", 2)) > 1e5 {
			return true
		}
	}
	return false
}

// namedSpace is a space teachers are fuzzed on.
type namedSpace struct {
	name  string
	space task.Space
}

// fuzzSpaces returns every registered env's spaces (default parameters) and a
// few made-up spaces at the contract's corners: one dimension, a zero-width
// dimension with wide and tiny ranges, a prerequisite graph with score
// bounds, and levels.
func fuzzSpaces(tb testing.TB) []namedSpace {
	tb.Helper()
	var out []namedSpace
	for _, name := range envs.Names() {
		e, _ := envs.Lookup(name)
		p, err := e.Decode(nil)
		if err != nil {
			tb.Fatalf("env %s: %v", name, err)
		}
		fam, err := e.New(p)
		if err != nil {
			tb.Fatalf("env %s: %v", name, err)
		}
		for _, sp := range fam.Spaces() {
			out = append(out, namedSpace{"env " + name + " " + sp.Kind().String(), sp})
		}
	}
	must := func(sp task.Space, err error) task.Space {
		if err != nil {
			tb.Fatal(err)
		}
		return sp
	}
	out = append(out,
		namedSpace{"box 1-d", must(task.NewBox(task.Dim{Name: "x", Lo: 0, Hi: 1, Easy: task.EasyLo}))},
		namedSpace{"box with a zero-width dimension", must(task.NewBox(
			task.Dim{Name: "wide", Lo: -1e6, Hi: 1e6, Easy: task.EasyHi},
			task.Dim{Name: "fixed", Lo: 2, Hi: 2},
			task.Dim{Name: "tiny", Lo: 1e-9, Hi: 2e-9, Easy: task.EasyLo}))},
		namedSpace{"discrete graph", must(task.NewDiscrete([]string{"a", "b", "c", "d", "e"},
			[]task.Edge{{From: 0, To: 1}, {From: 1, To: 2}, {From: 0, To: 3}}, []float64{0, -10, 0, 0, 5}, []float64{1, 10, 100, 1e-3 + 1e-9, 6}))},
		namedSpace{"discrete single", must(task.NewDiscrete([]string{"only"}, nil, nil, nil))},
		namedSpace{"levels (bit strings)", bitLevels{}},
	)
	return out
}

// teacherCase is one teacher on one space.
type teacherCase struct {
	teacher string
	space   namedSpace
}

func (c teacherCase) String() string { return fmt.Sprintf("teacher %s on %s", c.teacher, c.space.name) }

// teacherCases pairs every registered teacher with every fuzz space of a
// kind it works on.
func teacherCases(tb testing.TB) []teacherCase {
	var cases []teacherCase
	spaces := fuzzSpaces(tb)
	for _, name := range teachers.Names() {
		if strings.HasPrefix(name, "test-") {
			continue // the deliberately faulty teachers of sweep_test.go
		}
		te, _ := teachers.Lookup(name)
		for _, sp := range spaces {
			if slices.Contains(te.Kinds, sp.space.Kind()) {
				cases = append(cases, teacherCase{name, sp})
			}
		}
	}
	return cases
}

// maxFuzzSteps bounds the Sample/Update steps of one teacher input: enough to
// pass the bootstrap of the model-based teachers (ALP-GMM: 250 episodes).
const maxFuzzSteps = 700

// FuzzTeacherUpdate: every registered teacher, fed any sequence of outcomes —
// NaN, ±Inf, huge, negative, out-of-range scores, zero steps, non-finite
// signals — and of foreign tasks (wrong-length or non-finite parameters,
// out-of-range indices, empty levels), neither panics nor modifies the task it
// is given, and every task it proposes lies inside its space.
func FuzzTeacherUpdate(f *testing.F) {
	cases := teacherCases(f)
	// Spoilers in a third of the rounds: enough valid outcomes remain for
	// the model-based teachers to pass their bootstrap and fit.
	mixed := []byte{0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0, 5, 0, 0, 6, 0, 0, 7, 0, 0, 8, 0, 0, 9, 0, 0, 10, 0, 0, 11, 0, 0, 12, 0}
	for i, tc := range cases {
		if fuzzing() {
			// A rich start for the fuzzer: every teacher on every space.
			f.Add(uint16(i), uint64(i), uint16(300), []byte{0})
			f.Add(uint16(i), uint64(i)+1, uint16(400), mixed)
			f.Add(uint16(i), uint64(i)+2, uint16(60), []byte{9, 10, 9, 0, 12})
		} else if cornerCase(tc) {
			// As a plain test, each teacher once on each kind of space it
			// works on (the corner-case one) and on every level family:
			// some teachers take seconds to build (GoalGAN pretrains its
			// GAN), so the whole matrix would take minutes.
			f.Add(uint16(i), uint64(i), uint16(400), mixed)
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, seed uint64, steps uint16, pattern []byte) {
		tc := cases[int(which)%len(cases)]
		if err := checkTeacher(tc, seed, int(steps)%maxFuzzSteps, pattern); err != nil {
			t.Fatalf("%v: %v", tc, err)
		}
	})
}

// fuzzing reports whether the test binary is fuzzing (-test.fuzz is set)
// rather than running the seed corpora as tests.
func fuzzing() bool {
	fl := flag.Lookup("test.fuzz")
	return fl != nil && fl.Value.String() != ""
}

// cornerCase reports whether a teacher case belongs to the plain-test seeds:
// the made-up spaces at the contract's corners, and the registered level
// families (whose levels no made-up space imitates).
func cornerCase(tc teacherCase) bool {
	switch tc.space.name {
	case "box with a zero-width dimension", "discrete graph", "levels (bit strings)":
		return true
	}
	return tc.space.space.Kind() == task.LevelsKind
}

// fuzzStudent answers a student-aware teacher's queries.
type fuzzStudent struct{}

func (fuzzStudent) Learn(task.Task) task.Outcome    { return task.Outcome{Score: 0.5, Steps: 1} }
func (fuzzStudent) Evaluate(task.Task) task.Outcome { return task.Outcome{Score: 0.5, Steps: 1} }
func (fuzzStudent) Value(task.Task) float64         { return 0.5 }

// checkTeacher drives one registered teacher for steps Sample/Update rounds;
// byte i of pattern (cyclically) picks how round i's outcome or task is
// spoiled.
func checkTeacher(tc teacherCase, seed uint64, steps int, pattern []byte) error {
	te, _ := teachers.Lookup(tc.teacher)
	p, err := te.Decode(nil)
	if err != nil {
		return err
	}
	build := func() (task.Teacher, error) { return te.New(p, tc.space.space, rand.New(rand.NewPCG(seed, 2))) }
	return driveTeacher(build, tc.space.space, seed, steps, pattern)
}

func driveTeacher(build func() (task.Teacher, error), sp task.Space, seed uint64, steps int, pattern []byte) (err error) {
	step, mode := -1, -1
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic at step %d (spoiler %d): %v\n%s", step, mode, r, debug.Stack())
		}
	}()
	teacher, err := build()
	if err != nil {
		return nil // a space the teacher declines (say, without easy ends) is not a bug
	}
	if sa, ok := teacher.(task.StudentAware); ok {
		sa.SetStudent(fuzzStudent{})
	}
	if len(pattern) == 0 {
		pattern = []byte{0}
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	for step = range steps {
		tk := teacher.Sample(rng)
		if err := checkProposal(sp, tk); err != nil {
			return fmt.Errorf("step %d: %v", step, err)
		}
		mode = int(pattern[step%len(pattern)]) % numSpoilers
		tk, o := spoil(mode, sp, tk, rng)
		given := tk.Clone()
		teacher.Update(tk, o)
		if !sameBits(tk.Params, given.Params) || !bytes.Equal(tk.Level, given.Level) || tk.Index != given.Index {
			return fmt.Errorf("step %d: Update modified the task it was given (%v, was %v)", step, tk, given)
		}
	}
	step, mode = steps, -1
	for i := range 30 {
		if err := checkProposal(sp, teacher.Sample(rng)); err != nil {
			return fmt.Errorf("after %d steps, proposal %d: %v", steps, i, err)
		}
	}
	return nil
}

// sameBits reports whether a and b hold the same float64 bit patterns (NaN
// included).
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// checkProposal says why t is not a task of space sp.
func checkProposal(sp task.Space, t task.Task) error {
	if t.Kind() != sp.Kind() {
		return fmt.Errorf("proposed a %s task on a %s space", t.Kind(), sp.Kind())
	}
	switch s := sp.(type) {
	case *task.Box:
		if !s.Contains(t.Params) {
			return fmt.Errorf("proposed %v outside %v", t.Params, s)
		}
	case *task.Discrete:
		if t.Index < 0 || t.Index >= s.Len() {
			return fmt.Errorf("proposed task #%d of a space of %d", t.Index, s.Len())
		}
	case task.Levels:
		if _, err := s.Format(t.Level); err != nil {
			return fmt.Errorf("proposed a level its family cannot format: %v", err)
		}
	}
	return nil
}

// The ways spoil mangles one round.
const (
	spoilNone = iota
	spoilNaNScore
	spoilInfReturn
	spoilNegInfScore
	spoilHuge
	spoilNegative
	spoilScoreAboveOne
	spoilNoSteps
	spoilSignals
	spoilTaskShape
	spoilTaskValues
	spoilTiny
	spoilEverything
	numSpoilers
)

// spoil returns the task and outcome of one round, spoiled as mode says. The
// unspoiled outcome is a plausible one drawn from rng.
func spoil(mode int, sp task.Space, tk task.Task, rng *rand.Rand) (task.Task, task.Outcome) {
	score := rng.Float64()
	o := task.Outcome{Return: 300*score - 100, Score: score, Success: score > 0.75, Steps: 1 + rng.IntN(200)}
	nan, inf := math.NaN(), math.Inf(1)
	switch mode {
	case spoilNaNScore:
		o.Score = nan
	case spoilInfReturn:
		o.Return = inf
	case spoilNegInfScore:
		o.Score, o.Return = -inf, -inf
	case spoilHuge:
		o.Score, o.Return, o.Steps = math.MaxFloat64, math.MaxFloat64, math.MaxInt
	case spoilNegative:
		o.Score, o.Return, o.Steps = -1, -1e300, -5
	case spoilScoreAboveOne:
		o.Score = 1 + rng.Float64()*1e3
	case spoilNoSteps:
		o.Steps = 0
	case spoilSignals:
		for i, s := range task.Signals() {
			o.SetSignal(s, []float64{nan, inf, -inf, math.MaxFloat64, -1e300, 0}[i%6])
		}
	case spoilTaskShape:
		tk = tk.Clone()
		switch sp.Kind() {
		case task.BoxKind:
			if rng.IntN(2) == 0 {
				tk.Params = append(tk.Params, 0.5)
			} else {
				tk.Params = tk.Params[:len(tk.Params)-1]
			}
		case task.DiscreteKind:
			tk.Index = []int{-1, sp.(*task.Discrete).Len(), math.MaxInt, math.MinInt}[rng.IntN(4)]
		case task.LevelsKind:
			tk.Level = [][]byte{{}, {0xff}, bytes.Repeat([]byte{7}, 1000)}[rng.IntN(3)]
		}
	case spoilTaskValues:
		tk = tk.Clone()
		for i := range tk.Params {
			tk.Params[i] = []float64{nan, inf, -inf, 1e300, -1e300}[rng.IntN(5)]
		}
	case spoilTiny:
		o.Score, o.Return = math.SmallestNonzeroFloat64, -0.0
	case spoilEverything:
		tk, o = spoil(spoilTaskValues, sp, tk, rng)
		o.Score, o.Return, o.Steps = nan, -inf, -1
	}
	return tk, o
}

// bitLevels is a made-up Levels space: a level is 16 bytes, each 0 (floor)
// or 1 (wall), written as 16 characters '.' or '#'.
type bitLevels struct{}

const bitLevelLen = 16

func (bitLevels) Kind() task.Kind { return task.LevelsKind }

func (bitLevels) Generate(rng *rand.Rand) []byte {
	l := make([]byte, bitLevelLen)
	for i := range l {
		l[i] = byte(rng.IntN(2))
	}
	return l
}

func (bitLevels) Mutate(level []byte, n int, rng *rand.Rand) []byte {
	m := slices.Clone(level)
	for range n {
		m[rng.IntN(len(m))] ^= 1
	}
	return m
}

func (bitLevels) Format(level []byte) (string, error) {
	if len(level) != bitLevelLen {
		return "", fmt.Errorf("bit level of %d bytes, want %d", len(level), bitLevelLen)
	}
	b := make([]byte, len(level))
	for i, v := range level {
		switch v {
		case 0:
			b[i] = '.'
		case 1:
			b[i] = '#'
		default:
			return "", fmt.Errorf("bit level byte %d is %d, want 0 or 1", i, v)
		}
	}
	return string(b), nil
}

func (bitLevels) Parse(text string) ([]byte, error) {
	if len(text) != bitLevelLen {
		return nil, fmt.Errorf("bit level text of %d bytes, want %d", len(text), bitLevelLen)
	}
	l := make([]byte, len(text))
	for i := range text {
		switch text[i] {
		case '.':
		case '#':
			l[i] = 1
		default:
			return nil, fmt.Errorf("bit level character %d is %q, want '.' or '#'", i, text[i])
		}
	}
	return l, nil
}

// registeredLevels returns the Levels spaces of the registered envs.
func registeredLevels(tb testing.TB) []namedSpace {
	var out []namedSpace
	for _, sp := range fuzzSpaces(tb) {
		if _, ok := sp.space.(task.Levels); ok && strings.HasPrefix(sp.name, "env ") {
			out = append(out, sp)
		}
	}
	return out
}

// FuzzLevels: every registered level family decodes any text and formats any
// bytes without panicking; what it decodes formats back to the same text
// form; generated and mutated levels round-trip exactly; Mutate leaves its
// input alone.
func FuzzLevels(f *testing.F) {
	spaces := registeredLevels(f)
	if len(spaces) == 0 {
		f.Skip("no registered env offers a task.Levels space yet, so level decoding has nothing to fuzz; " +
			"the maze family is covered as soon as it registers (the checker itself is tested on a made-up family by TestCheckLevels)")
	}
	for i, sp := range spaces {
		lv := sp.space.(task.Levels)
		text, _ := lv.Format(lv.Generate(rand.New(rand.NewPCG(uint64(i), 0))))
		f.Add(uint8(i), text, []byte(text), uint64(i), uint8(3))
		f.Add(uint8(i), "", []byte{}, uint64(i), uint8(0))
		f.Add(uint8(i), text[:len(text)/2], []byte{0, 1, 2, 255}, uint64(i), uint8(40))
	}
	f.Fuzz(func(t *testing.T, which uint8, text string, data []byte, seed uint64, edits uint8) {
		sp := spaces[int(which)%len(spaces)]
		if err := checkLevels(sp.space.(task.Levels), text, data, seed, int(edits)%32); err != nil {
			t.Fatalf("%s: %v", sp.name, err)
		}
	})
}

// checkLevels checks the Levels contract on one input; it returns what broke.
func checkLevels(lv task.Levels, text string, data []byte, seed uint64, edits int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	roundTrip := func(what string, level []byte) error {
		s, err := lv.Format(level)
		if err != nil {
			return fmt.Errorf("%s level does not format: %v", what, err)
		}
		back, err := lv.Parse(s)
		if err != nil {
			return fmt.Errorf("%s level formats to text that does not parse: %v\n%s", what, err, s)
		}
		if !bytes.Equal(back, level) {
			return fmt.Errorf("%s level %x formats and parses back to %x", what, level, back)
		}
		return nil
	}
	// Text from anywhere: decoded or refused; decoded text is a level.
	if level, err := lv.Parse(text); err == nil {
		if err := roundTrip("a parsed", level); err != nil {
			return err
		}
	}
	// Bytes from anywhere: formatted or refused; what formats parses back
	// to a level with the same text form.
	if s, err := lv.Format(data); err == nil {
		back, err := lv.Parse(s)
		if err != nil {
			return fmt.Errorf("bytes %x format to text that does not parse: %v\n%s", data, err, s)
		}
		if s2, err := lv.Format(back); err != nil || s2 != s {
			return fmt.Errorf("bytes %x: the text form changes on a round trip (%v)", data, err)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	level := lv.Generate(rng)
	if err := roundTrip("a generated", level); err != nil {
		return err
	}
	given := slices.Clone(level)
	mutated := lv.Mutate(level, edits, rng)
	if !bytes.Equal(level, given) {
		return errors.New("Mutate modified the level it was given")
	}
	return roundTrip(fmt.Sprintf("a %d-edit mutated", edits), mutated)
}

// TestCheckLevels shows that checkLevels passes a correct family and catches
// the usual bugs of a wrong one, since FuzzLevels has no family to check yet.
func TestCheckLevels(t *testing.T) {
	inputs := []struct {
		text string
		data []byte
	}{
		{"", nil}, {"................", nil}, {"#.#.#.#.#.#.#.#.", []byte{0, 1}}, {"#", bytes.Repeat([]byte{1}, 16)},
		{"xxxxxxxxxxxxxxxx", bytes.Repeat([]byte{2}, 16)},
	}
	for i, in := range inputs {
		if err := checkLevels(bitLevels{}, in.text, in.data, uint64(i), i*3); err != nil {
			t.Errorf("a correct family fails on input %d: %v", i, err)
		}
	}
	for _, bad := range []struct {
		name string
		lv   task.Levels
	}{
		{"Mutate edits in place", inPlaceMutate{}},
		{"Parse panics on short text", shortParse{}},
		{"Format loses walls", lossyFormat{}},
	} {
		caught := false
		for i, in := range inputs {
			if checkLevels(bad.lv, in.text, in.data, uint64(i), 1+i) != nil {
				caught = true
			}
		}
		if !caught {
			t.Errorf("checkLevels does not catch a family whose %s", bad.name)
		}
	}
}

type inPlaceMutate struct{ bitLevels }

func (inPlaceMutate) Mutate(level []byte, n int, rng *rand.Rand) []byte {
	level[0] ^= 1
	return level
}

type shortParse struct{ bitLevels }

func (shortParse) Parse(text string) ([]byte, error) {
	_ = text[bitLevelLen-1] // the bug: indexes before checking the length
	return bitLevels{}.Parse(text)
}

type lossyFormat struct{ bitLevels }

func (lossyFormat) Format(level []byte) (string, error) {
	s, err := bitLevels{}.Format(level)
	return strings.ReplaceAll(s, "#", "."), err
}

// TestCheckTeacherCatchesBugs shows that checkTeacher fails teachers that
// panic on a bad outcome, propose outside their space, or scribble on the
// task they are given.
func TestCheckTeacherCatchesBugs(t *testing.T) {
	box, _ := task.NewBox(task.Dim{Name: "x", Lo: 0, Hi: 1})
	for _, tc := range []struct {
		name    string
		teacher *badTeacher
		pattern []byte
	}{
		{"panics on NaN", &badTeacher{box: box, panicOnNaN: true}, []byte{spoilNaNScore}},
		{"proposes outside", &badTeacher{box: box, drift: true}, []byte{spoilInfReturn}},
		{"scribbles", &badTeacher{box: box, scribble: true}, []byte{spoilNone}},
	} {
		build := func() (task.Teacher, error) { return tc.teacher, nil }
		if driveTeacher(build, box, 9, 50, tc.pattern) == nil {
			t.Errorf("checkTeacher does not catch a teacher that %s", tc.name)
		}
	}
	sound := func() (task.Teacher, error) { return &badTeacher{box: box}, nil }
	if err := driveTeacher(sound, box, 9, 50, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}); err != nil {
		t.Errorf("a sound teacher fails: %v", err)
	}
}

// badTeacher is a uniform Box teacher with optional faults.
type badTeacher struct {
	box                         *task.Box
	panicOnNaN, drift, scribble bool
	drifted                     bool
}

func (b *badTeacher) Sample(rng *rand.Rand) task.Task {
	x := b.box.Uniform(nil, rng)
	if b.drifted {
		x[0] = 1.5
	}
	return task.Task{Params: x}
}

func (b *badTeacher) Update(t task.Task, o task.Outcome) {
	if b.panicOnNaN && math.IsNaN(o.Score) {
		panic("NaN score")
	}
	if b.drift && math.IsInf(o.Return, 0) {
		b.drifted = true
	}
	if b.scribble && len(t.Params) > 0 {
		t.Params[0] = 0
	}
}
