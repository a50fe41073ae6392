package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/teachbench/teachbench/envs"
	"github.com/teachbench/teachbench/internal/params"
	"github.com/teachbench/teachbench/students"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers"
)

// Budget units.
const (
	Episodes = "episodes"
	Steps    = "steps"
)

// Config is a validated sweep configuration with every default filled in and
// every sweep variant expanded.
type Config struct {
	// File is the path the config was read from, for messages.
	File string
	Name string
	// Seeds are the run seeds: 0..n-1 for `seeds = n`, or the given list.
	Seeds []int
	// SweepSeed is hashed into every stream seed; changing it gives an
	// independent replication of the whole sweep.
	SweepSeed uint64
	// Workers is the default size of the goroutine pool; 0 means GOMAXPROCS.
	Workers int
	Budget  Budget
	// EvalEvery is the evaluation period, in the budget's unit.
	EvalEvery int64
	Trace     Trace
	Envs      []*Component
	Teachers  []*Component
	// Students is empty when every env uses its default student.
	Students []*Component
}

// Budget is how much each run may spend.
type Budget struct {
	Unit   string // Episodes or Steps
	Amount int64
}

// Trace controls the optional samples.csv of each run.
type Trace struct {
	// Every records one episode in Every; 0 disables the trace.
	Every int64
	// Max caps the number of rows per run.
	Max int64
}

// Component is one env, teacher or student entry, or one variant of an entry
// with a sweep table.
type Component struct {
	Kind  string // "env", "teacher" or "student"
	Name  string
	Label string
	// Params points to the component's decoded parameter struct.
	Params any
	// Sweep holds the values this variant took from the entry's sweep table.
	Sweep map[string]any
	where string // "[[teacher]] #2 (alp-gmm)", for messages
	// defaults holds the component's default parameters, against which the
	// run key records only what the config changed.
	defaults any
}

// ParamMap returns the component's full parameters as a map.
func (c *Component) ParamMap() map[string]any { return params.Map(c.Params) }

// key returns the canonical form of the component for run keys: its name and
// the parameters that differ from their defaults. Recording only the changed
// parameters keeps the keys, and so the random streams, of existing configs
// when a component gains a new parameter whose default keeps its behaviour;
// resuming still compares the full parameters (see finished).
func (c *Component) key() string { return c.Name + params.CanonicalChanged(c.Params, c.defaults) }

// Limits on the size of a sweep, so that a short config cannot ask for more
// runs than memory holds (each planned run takes a few hundred bytes before it
// starts).
const (
	// MaxVariants is the most combinations one sweep table may make.
	MaxVariants = 10_000
	// MaxRuns is the most runs one config may plan.
	MaxRuns = 1_000_000
)

// Default values of optional config fields.
const (
	DefaultTraceMax  = 100_000
	defaultEvalCount = 20 // evaluations per run when eval.every is absent
)

type rawConfig struct {
	Name      string         `toml:"name"`
	Seeds     any            `toml:"seeds"`
	SweepSeed int64          `toml:"sweep_seed"`
	Workers   int            `toml:"workers"`
	Budget    rawBudget      `toml:"budget"`
	Eval      rawEval        `toml:"eval"`
	Trace     rawTrace       `toml:"trace"`
	Env       []rawComponent `toml:"env"`
	Teacher   []rawComponent `toml:"teacher"`
	Student   []rawComponent `toml:"student"`
}

type rawBudget struct {
	Episodes int64 `toml:"episodes"`
	Steps    int64 `toml:"steps"`
}

type rawEval struct {
	Every int64 `toml:"every"`
}

type rawTrace struct {
	Every int64 `toml:"every"`
	Max   int64 `toml:"max"`
}

type rawComponent struct {
	Name   string         `toml:"name"`
	Label  string         `toml:"label"`
	Params map[string]any `toml:"params"`
	Sweep  map[string]any `toml:"sweep"`
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Load reads and validates the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, string(data))
}

// Parse validates the config text; file names it in messages. Every error
// names the file, the key and what was expected.
func Parse(file, text string) (*Config, error) {
	var raw rawConfig
	md, err := toml.Decode(text, &raw)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("%s: line %d: %s", file, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", file, fmt.Sprintf(format, args...))
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fail("unknown key %s (top-level keys: name, seeds, sweep_seed, workers, [budget] episodes|steps, [eval] every, [trace] every|max, [[env]], [[teacher]], [[student]])", strings.Join(keys, ", "))
	}

	c := &Config{File: file, Name: raw.Name, Workers: raw.Workers, SweepSeed: uint64(raw.SweepSeed)}
	switch {
	case raw.Name == "":
		return nil, fail("name is missing: want a name for the sweep (it names the results directory)")
	case !safeName.MatchString(raw.Name) || len(raw.Name) > 200:
		return nil, fail("name = %q: want at most 200 letters, digits, '.', '_' or '-', starting with a letter or digit (it names the results directory)", raw.Name)
	case raw.SweepSeed < 0:
		return nil, fail("sweep_seed = %d: want a non-negative integer", raw.SweepSeed)
	case raw.Workers < 0:
		return nil, fail("workers = %d: want 0 (all cores) or more", raw.Workers)
	}
	if c.Seeds, err = parseSeeds(raw.Seeds, md.IsDefined("seeds")); err != nil {
		return nil, fail("%v", err)
	}

	hasEp, hasSteps := md.IsDefined("budget", "episodes"), md.IsDefined("budget", "steps")
	switch {
	case hasEp == hasSteps:
		return nil, fail("[budget] needs exactly one of episodes or steps")
	case hasEp:
		c.Budget = Budget{Unit: Episodes, Amount: raw.Budget.Episodes}
	default:
		c.Budget = Budget{Unit: Steps, Amount: raw.Budget.Steps}
	}
	if c.Budget.Amount <= 0 {
		return nil, fail("budget.%s = %d: want a positive number", c.Budget.Unit, c.Budget.Amount)
	}
	c.EvalEvery = raw.Eval.Every
	if !md.IsDefined("eval", "every") {
		c.EvalEvery = max(1, c.Budget.Amount/defaultEvalCount)
	} else if c.EvalEvery <= 0 {
		return nil, fail("eval.every = %d: want a positive number of %s", c.EvalEvery, c.Budget.Unit)
	}
	c.Trace = Trace{Every: 1, Max: DefaultTraceMax}
	if md.IsDefined("trace", "every") {
		c.Trace.Every = raw.Trace.Every
	}
	if md.IsDefined("trace", "max") {
		c.Trace.Max = raw.Trace.Max
	}
	if c.Trace.Every < 0 || c.Trace.Max < 0 {
		return nil, fail("[trace] every = %d, max = %d: want non-negative numbers (every = 0 disables the trace)", c.Trace.Every, c.Trace.Max)
	}

	if len(raw.Env) == 0 {
		return nil, fail("no [[env]]: want at least one environment family")
	}
	if len(raw.Teacher) == 0 {
		return nil, fail("no [[teacher]]: want at least one teacher")
	}
	if c.Envs, err = expand(file, "env", raw.Env, envSpec); err != nil {
		return nil, err
	}
	if c.Teachers, err = expand(file, "teacher", raw.Teacher, teacherSpec); err != nil {
		return nil, err
	}
	if c.Students, err = expand(file, "student", raw.Student, studentSpec); err != nil {
		return nil, err
	}
	students := max(1, len(c.Students))
	if n := len(c.Envs) * len(c.Teachers) * students * len(c.Seeds); n > MaxRuns {
		return nil, fail("the sweep has %d envs × %d teachers × %d students × %d seeds = %d runs, more than %d: split it into several configs",
			len(c.Envs), len(c.Teachers), students, len(c.Seeds), n, MaxRuns)
	}
	if err := c.checkPairings(); err != nil {
		return nil, fail("%v", err)
	}
	return c, nil
}

func parseSeeds(v any, defined bool) ([]int, error) {
	if !defined {
		return []int{0}, nil
	}
	switch x := v.(type) {
	case int64:
		if x < 1 || x > 1_000_000 {
			return nil, fmt.Errorf("seeds = %d: want a count from 1 to 1000000, or a list of seeds", x)
		}
		s := make([]int, x)
		for i := range s {
			s[i] = i
		}
		return s, nil
	case []any:
		if len(x) == 0 {
			return nil, errors.New("seeds = []: want at least one seed")
		}
		if len(x) > 1_000_000 {
			return nil, fmt.Errorf("seeds lists %d seeds: want at most 1000000", len(x))
		}
		s := make([]int, len(x))
		seen := make(map[int64]bool, len(x))
		for i, e := range x {
			n, ok := e.(int64)
			if !ok || n < 0 {
				return nil, fmt.Errorf("seeds[%d] = %v: want a non-negative integer", i, e)
			}
			if seen[n] {
				return nil, fmt.Errorf("seeds lists %d twice", n)
			}
			seen[n] = true
			s[i] = int(n)
		}
		return s, nil
	}
	return nil, fmt.Errorf("seeds = %v: want a count (seeds = 5) or a list (seeds = [0, 3, 7])", v)
}

func envSpec(name string) (params.Spec, error) {
	e, err := envs.Lookup(name)
	return e.Spec, err
}

func teacherSpec(name string) (params.Spec, error) {
	e, err := teachers.Lookup(name)
	return e.Spec, err
}

func studentSpec(name string) (params.Spec, error) {
	e, err := students.Lookup(name)
	return e.Spec, err
}

// expand decodes the entries of one kind, expanding sweep tables into one
// component per combination of values, and checks that labels are unique.
func expand(file, kind string, raws []rawComponent, spec func(string) (params.Spec, error)) ([]*Component, error) {
	var out []*Component
	labels := make(map[string]string)
	for i, raw := range raws {
		where := fmt.Sprintf("[[%s]] #%d", kind, i+1)
		if raw.Name == "" {
			return nil, fmt.Errorf("%s: %s: name is missing: want a registered %s name (see `bench list`)", file, where, kind)
		}
		where += " (" + raw.Name + ")"
		sp, err := spec(raw.Name)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", file, where, err)
		}
		label := raw.Label
		if label == "" {
			label = raw.Name
		}
		combos, err := sweepCombos(raw.Sweep, raw.Params)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", file, where, err)
		}
		if len(out)+len(combos) > MaxVariants {
			return nil, fmt.Errorf("%s: %s: more than %d %s variants in all: split the sweep into several configs", file, where, MaxVariants, kind)
		}
		for _, combo := range combos {
			merged := make(map[string]any, len(raw.Params)+len(combo))
			for k, v := range raw.Params {
				merged[k] = v
			}
			for k, v := range combo {
				merged[k] = v
			}
			p, err := sp.Decode(merged)
			if err == nil {
				err = checkFinite(p)
			}
			if err != nil {
				ctx := "params"
				if len(combo) > 0 {
					ctx = "params with sweep " + variantSuffix(combo)
				}
				return nil, fmt.Errorf("%s: %s: %s: %v", file, where, ctx, err)
			}
			c := &Component{Kind: kind, Name: raw.Name, Label: label + variantSuffix(combo), Params: p, Sweep: combo, where: where, defaults: sp.Defaults()}
			if prev, dup := labels[c.Label]; dup {
				return nil, fmt.Errorf("%s: %s: label %q is already used by %s: give each %s a unique label", file, where, c.Label, prev, kind)
			}
			labels[c.Label] = where
			out = append(out, c)
		}
	}
	return out, nil
}

// checkFinite rejects NaN and infinite parameter values, whatever the
// component accepts: parameters are recorded in sweep.json and run.json, and
// JSON has no NaN or infinity, so such a run could not be saved.
func checkFinite(p any) error {
	for _, prm := range params.Describe(p) {
		switch v := prm.Value.(type) {
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s = %v: want a finite number (parameters are recorded as JSON, which has no NaN or infinity)", prm.Key, v)
			}
		case []float64:
			for i, x := range v {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return fmt.Errorf("%s[%d] = %v: want a finite number (parameters are recorded as JSON, which has no NaN or infinity)", prm.Key, i, x)
				}
			}
		}
	}
	return nil
}

// sweepCombos returns every combination of the sweep table's values, keys in
// sorted order, or one empty combination when there is no sweep.
func sweepCombos(sweep, base map[string]any) ([]map[string]any, error) {
	combos := []map[string]any{{}}
	keys := make([]string, 0, len(sweep))
	for k := range sweep {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	count := 1
	for _, k := range keys {
		if _, dup := base[k]; dup {
			return nil, fmt.Errorf("sweep.%s: the key is also set in params: set it in one place", k)
		}
		values, ok := sweep[k].([]any)
		if !ok || len(values) == 0 {
			return nil, fmt.Errorf("sweep.%s: want a non-empty array of values to try", k)
		}
		// Check the size before building: a few short arrays can ask for
		// more combinations than memory holds.
		if count *= len(values); count > MaxVariants {
			return nil, fmt.Errorf("sweep: the arrays of %s make more than %d combinations: split the sweep into several configs", strings.Join(keys, ", "), MaxVariants)
		}
		var next []map[string]any
		for _, c := range combos {
			for _, v := range values {
				m := make(map[string]any, len(c)+1)
				for ck, cv := range c {
					m[ck] = cv
				}
				m[k] = v
				next = append(next, m)
			}
		}
		combos = next
	}
	return combos, nil
}

// variantSuffix names a sweep combination: "(a=1,b=0.2)", or "" for none.
func variantSuffix(combo map[string]any) string {
	if len(combo) == 0 {
		return ""
	}
	keys := make([]string, 0, len(combo))
	for k := range combo {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := combo[k]
		if items, ok := v.([]any); ok {
			s := make([]string, len(items))
			for j, it := range items {
				s[j] = params.FormatValue(it)
			}
			parts[i] = k + "=[" + strings.Join(s, " ") + "]"
			continue
		}
		parts[i] = k + "=" + params.FormatValue(v)
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// checkPairings builds every env family once and checks that every teacher has
// a space to work on and every student can learn on it.
func (c *Config) checkPairings() error {
	for _, ec := range c.Envs {
		entry, _ := envs.Lookup(ec.Name)
		fam, err := entry.New(ec.Params)
		if err != nil {
			return fmt.Errorf("%s: %v", ec.where, err)
		}
		for _, tc := range c.Teachers {
			te, _ := teachers.Lookup(tc.Name)
			if _, err := te.Space(fam, ec.Label); err != nil {
				return fmt.Errorf("%s with %s: %v", tc.where, ec.where, err)
			}
		}
		for _, sc := range c.studentsFor(ec) {
			se, err := students.Lookup(sc.Name)
			if err != nil {
				return fmt.Errorf("%s: default student: %v", ec.where, err)
			}
			if err := se.Check(fam, ec.Name, ec.Label); err != nil {
				return fmt.Errorf("%s with %s: %v", sc.whereOr("default student"), ec.where, err)
			}
		}
	}
	return nil
}

func (c *Component) whereOr(s string) string {
	if c.where != "" {
		return c.where
	}
	return s
}

// studentsFor returns the students that learn on env ec: the configured ones,
// or the family's default student with default parameters.
func (c *Config) studentsFor(ec *Component) []*Component {
	if len(c.Students) > 0 {
		return c.Students
	}
	entry, _ := envs.Lookup(ec.Name)
	se, err := students.Lookup(entry.DefaultStudent)
	if err != nil {
		return []*Component{{Kind: "student", Name: entry.DefaultStudent, Label: entry.DefaultStudent}}
	}
	return []*Component{{Kind: "student", Name: se.Name, Label: se.Name, Params: se.Defaults(), defaults: se.Defaults()}}
}

// Normalized returns the config with every default filled in, as recorded in
// sweep.json.
func (c *Config) Normalized() map[string]any {
	comps := func(cs []*Component) []map[string]any {
		out := make([]map[string]any, len(cs))
		for i, x := range cs {
			out[i] = map[string]any{"name": x.Name, "label": x.Label, "params": x.ParamMap()}
		}
		return out
	}
	n := map[string]any{
		"name":       c.Name,
		"seeds":      c.Seeds,
		"sweep_seed": c.SweepSeed,
		"budget":     map[string]any{c.Budget.Unit: c.Budget.Amount},
		"eval":       map[string]any{"every": c.EvalEvery},
		"trace":      map[string]any{"every": c.Trace.Every, "max": c.Trace.Max},
		"env":        comps(c.Envs),
		"teacher":    comps(c.Teachers),
	}
	if len(c.Students) > 0 {
		n["student"] = comps(c.Students)
	}
	return n
}

// Hash returns the SHA-256 of the normalised config.
func (c *Config) Hash() string {
	data, err := json.Marshal(c.Normalized())
	if err != nil {
		panic(err) // only plain values: cannot fail
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// spaceOf returns the space a teacher works on in family f.
func spaceOf(teacher *Component, f task.Family, envLabel string) (task.Space, teachers.Entry, error) {
	te, err := teachers.Lookup(teacher.Name)
	if err != nil {
		return nil, te, err
	}
	sp, err := te.Space(f, envLabel)
	return sp, te, err
}
