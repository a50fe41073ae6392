package task

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Kind names the kind of a Space.
type Kind int

const (
	// BoxKind is the kind of *Box spaces.
	BoxKind Kind = iota + 1
	// DiscreteKind is the kind of *Discrete spaces.
	DiscreteKind
	// LevelsKind is the kind of Levels spaces.
	LevelsKind
)

// String returns the name used in configs, errors and result files.
func (k Kind) String() string {
	switch k {
	case BoxKind:
		return "box"
	case DiscreteKind:
		return "discrete"
	case LevelsKind:
		return "levels"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Space is what a teacher may propose from. Concrete spaces are *Box,
// *Discrete and implementations of Levels.
type Space interface {
	Kind() Kind
}

// Easy tells which end of a dimension holds the easy tasks, for hand-made
// curricula such as the oracle teacher.
type Easy int

const (
	// EasyUnknown means the family does not say.
	EasyUnknown Easy = iota
	// EasyLo means tasks get harder as the value grows.
	EasyLo
	// EasyHi means tasks get harder as the value shrinks.
	EasyHi
)

// String returns "lo", "hi" or "".
func (e Easy) String() string {
	switch e {
	case EasyLo:
		return "lo"
	case EasyHi:
		return "hi"
	}
	return ""
}

// Dim is one named dimension of a Box.
type Dim struct {
	Name string
	Lo   float64
	Hi   float64
	// Easy is the end of the range where the easy tasks lie.
	Easy Easy
}

// Box is a space of named continuous dimensions, each with inclusive bounds.
// A dimension may have zero width (Lo == Hi); teachers must tolerate it.
type Box struct {
	dims []Dim
	lo   []float64
	hi   []float64
}

// NewBox returns a box over dims. It fails if there are no dimensions, a name is
// empty or repeated, or a bound is not finite or Lo > Hi.
func NewBox(dims ...Dim) (*Box, error) {
	if len(dims) == 0 {
		return nil, errors.New("task: a box needs at least one dimension")
	}
	b := &Box{dims: append([]Dim(nil), dims...), lo: make([]float64, len(dims)), hi: make([]float64, len(dims))}
	seen := make(map[string]bool, len(dims))
	for i, d := range dims {
		switch {
		case d.Name == "":
			return nil, fmt.Errorf("task: box dimension %d has no name", i)
		case seen[d.Name]:
			return nil, fmt.Errorf("task: box dimension %q appears twice", d.Name)
		case !Finite(d.Lo) || !Finite(d.Hi):
			return nil, fmt.Errorf("task: box dimension %q has non-finite bounds [%v, %v]", d.Name, d.Lo, d.Hi)
		case d.Lo > d.Hi:
			return nil, fmt.Errorf("task: box dimension %q has lo %v > hi %v", d.Name, d.Lo, d.Hi)
		}
		seen[d.Name] = true
		b.lo[i], b.hi[i] = d.Lo, d.Hi
	}
	return b, nil
}

// Kind returns BoxKind.
func (b *Box) Kind() Kind { return BoxKind }

// Len returns the number of dimensions.
func (b *Box) Len() int { return len(b.dims) }

// Dim returns dimension i.
func (b *Box) Dim(i int) Dim { return b.dims[i] }

// Lo returns the lower bounds. The slice must not be modified.
func (b *Box) Lo() []float64 { return b.lo }

// Hi returns the upper bounds. The slice must not be modified.
func (b *Box) Hi() []float64 { return b.hi }

// Uniform fills dst with a point drawn uniformly from the box and returns it.
// A nil or short dst is replaced by a new slice.
func (b *Box) Uniform(dst []float64, rng *rand.Rand) []float64 {
	dst = resize(dst, len(b.dims))
	for i := range dst {
		dst[i] = b.lo[i] + rng.Float64()*(b.hi[i]-b.lo[i])
	}
	return dst
}

// Clip moves every coordinate of x into the box, in place.
func (b *Box) Clip(x []float64) {
	for i, v := range x {
		x[i] = math.Min(math.Max(v, b.lo[i]), b.hi[i])
	}
}

// Contains reports whether x has the box's dimension and lies inside it,
// bounds included.
func (b *Box) Contains(x []float64) bool {
	if len(x) != len(b.dims) {
		return false
	}
	for i, v := range x {
		if !(v >= b.lo[i] && v <= b.hi[i]) {
			return false
		}
	}
	return true
}

// String describes the box as name∈[lo,hi] pairs.
func (b *Box) String() string {
	parts := make([]string, len(b.dims))
	for i, d := range b.dims {
		parts[i] = fmt.Sprintf("%s∈[%g,%g]", d.Name, d.Lo, d.Hi)
	}
	return "box(" + strings.Join(parts, " ") + ")"
}

// Edge is a prerequisite relation of a Discrete space: task From should be
// learned before task To.
type Edge struct {
	From, To int
}

// Discrete is a finite set of named tasks with optional prerequisite edges
// forming a directed acyclic graph, and optional per-task score bounds used by
// teachers that normalise performance (mastering rate).
type Discrete struct {
	names []string
	edges []Edge
	min   []float64
	max   []float64
	preds [][]int
	succs [][]int
	diff  []float64 // difficulty per task
}

// NewDiscrete returns a discrete space. Edges may be nil. min and max are the
// per-task score bounds; nil means [0, 1] for every task. It fails on duplicate
// or empty names, edges naming unknown tasks or self-loops, cycles, and bounds
// with min ≥ max or non-finite values.
func NewDiscrete(names []string, edges []Edge, min, max []float64) (*Discrete, error) {
	n := len(names)
	if n == 0 {
		return nil, errors.New("task: a discrete space needs at least one task")
	}
	seen := make(map[string]bool, n)
	for i, name := range names {
		if name == "" {
			return nil, fmt.Errorf("task: discrete task %d has no name", i)
		}
		if seen[name] {
			return nil, fmt.Errorf("task: discrete task %q appears twice", name)
		}
		seen[name] = true
	}
	if min == nil {
		min = filled(n, 0)
	}
	if max == nil {
		max = filled(n, 1)
	}
	if len(min) != n || len(max) != n {
		return nil, fmt.Errorf("task: %d tasks but %d min and %d max score bounds", n, len(min), len(max))
	}
	for i := range names {
		if !Finite(min[i]) || !Finite(max[i]) || min[i] >= max[i] {
			return nil, fmt.Errorf("task: task %q has score bounds min %v, max %v: want finite min < max", names[i], min[i], max[i])
		}
	}
	d := &Discrete{
		names: append([]string(nil), names...),
		edges: append([]Edge(nil), edges...),
		min:   append([]float64(nil), min...),
		max:   append([]float64(nil), max...),
		preds: make([][]int, n),
		succs: make([][]int, n),
	}
	for _, e := range edges {
		if e.From < 0 || e.From >= n || e.To < 0 || e.To >= n {
			return nil, fmt.Errorf("task: edge %d→%d names a task outside 0..%d", e.From, e.To, n-1)
		}
		if e.From == e.To {
			return nil, fmt.Errorf("task: edge %q→%q is a self-loop", names[e.From], names[e.To])
		}
		d.preds[e.To] = append(d.preds[e.To], e.From)
		d.succs[e.From] = append(d.succs[e.From], e.To)
	}
	if cycle := d.findCycle(); cycle != nil {
		parts := make([]string, len(cycle))
		for i, v := range cycle {
			parts[i] = names[v]
		}
		return nil, fmt.Errorf("task: prerequisite graph has a cycle: %s", strings.Join(parts, " → "))
	}
	d.diff = d.depths()
	return d, nil
}

// WithDifficulty returns a copy of d whose tasks have the given difficulties
// (any finite scale, larger is harder), for teachers that target a difficulty
// (AdaRFT-style). Without it, a task's difficulty is its depth in the
// prerequisite graph.
func (d *Discrete) WithDifficulty(diff []float64) (*Discrete, error) {
	if len(diff) != len(d.names) {
		return nil, fmt.Errorf("task: %d difficulties for %d tasks", len(diff), len(d.names))
	}
	for i, v := range diff {
		if !Finite(v) {
			return nil, fmt.Errorf("task: task %q has difficulty %v, want a finite number", d.names[i], v)
		}
	}
	c := *d
	c.diff = append([]float64(nil), diff...)
	return &c, nil
}

// Difficulty returns the difficulty of task i: as set by WithDifficulty, or
// by default the length of the longest chain of prerequisites leading to it
// (0 for tasks without prerequisites).
func (d *Discrete) Difficulty(i int) float64 { return d.diff[i] }

// depths returns the length of the longest prerequisite chain ending at each
// task; the graph is acyclic.
func (d *Discrete) depths() []float64 {
	depth := make([]float64, len(d.names))
	done := make([]bool, len(d.names))
	var visit func(v int) float64
	visit = func(v int) float64 {
		if done[v] {
			return depth[v]
		}
		for _, p := range d.preds[v] {
			depth[v] = max(depth[v], visit(p)+1)
		}
		done[v] = true
		return depth[v]
	}
	for v := range d.names {
		visit(v)
	}
	return depth
}

// findCycle returns the tasks of one cycle (first task repeated at the end), or
// nil if the graph is acyclic.
func (d *Discrete) findCycle() []int {
	const (
		white = iota
		grey
		black
	)
	colour := make([]int, len(d.names))
	parent := make([]int, len(d.names))
	var cycle []int
	var visit func(v int) bool
	visit = func(v int) bool {
		colour[v] = grey
		for _, w := range d.succs[v] {
			switch colour[w] {
			case grey:
				cycle = []int{w}
				for u := v; u != w; u = parent[u] {
					cycle = append(cycle, u)
				}
				cycle = append(cycle, w)
				for i, j := 0, len(cycle)-1; i < j; i, j = i+1, j-1 {
					cycle[i], cycle[j] = cycle[j], cycle[i]
				}
				return true
			case white:
				parent[w] = v
				if visit(w) {
					return true
				}
			}
		}
		colour[v] = black
		return false
	}
	for v := range d.names {
		if colour[v] == white && visit(v) {
			return cycle
		}
	}
	return nil
}

// Kind returns DiscreteKind.
func (d *Discrete) Kind() Kind { return DiscreteKind }

// Len returns the number of tasks.
func (d *Discrete) Len() int { return len(d.names) }

// Name returns the name of task i.
func (d *Discrete) Name(i int) string { return d.names[i] }

// Index returns the index of the named task, or -1.
func (d *Discrete) Index(name string) int {
	for i, n := range d.names {
		if n == name {
			return i
		}
	}
	return -1
}

// Edges returns the prerequisite edges. The slice must not be modified.
func (d *Discrete) Edges() []Edge { return d.edges }

// Predecessors returns the direct prerequisites of task i. The slice must not be
// modified.
func (d *Discrete) Predecessors(i int) []int { return d.preds[i] }

// Successors returns the tasks that have task i as a direct prerequisite. The
// slice must not be modified.
func (d *Discrete) Successors(i int) []int { return d.succs[i] }

// Bounds returns the score bounds of task i.
func (d *Discrete) Bounds(i int) (min, max float64) { return d.min[i], d.max[i] }

// Levels is a space of structured levels. A level is its binary encoding: a byte
// slice that the family decodes. The same level always yields the same layout,
// and equal encodings are equal levels, so teachers can store, compare and
// replay levels without knowing their structure.
type Levels interface {
	Space
	// Generate returns a fresh level drawn by the family's generator (domain
	// randomisation).
	Generate(rng *rand.Rand) []byte
	// Mutate returns a new level made from level by n random edits. It does
	// not modify level.
	Mutate(level []byte, n int, rng *rand.Rand) []byte
	// Format returns a human-readable text form of level.
	Format(level []byte) (string, error)
	// Parse decodes the text form written by Format.
	Parse(text string) ([]byte, error)
}

// Finite reports whether x is neither NaN nor infinite: the test every
// teacher applies to the values of an outcome before it learns from them.
func Finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// AllFinite reports whether every value of x is finite.
func AllFinite(x []float64) bool {
	for _, v := range x {
		if !Finite(v) {
			return false
		}
	}
	return true
}

func filled(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
