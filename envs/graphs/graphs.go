// Package graphs builds the curriculum graphs of teachbench by name: discrete
// task spaces (task.Discrete) whose prerequisite edges form a DAG, with the
// per-task score bounds that the mastering-rate teacher normalises by.
//
// The named graphs are those of the mastering-rate work (Willems, Lahlou and
// Bengio, "Mastering Rate based Curriculum Learning", arXiv 2008.06456, 2020;
// reference code lcswillems/automatic-curriculum, curriculums/*.json), with
// the task order, edges and bounds of its curriculum files:
//
//	blockedunlockpickup  Unlock → UnlockPickup → BlockedUnlockPickup            bounds [0, 0.5]
//	keycorridor          KeyCorridorS3R1 → S3R2 → S3R3 → S4R3 → S5R3 → S6R3      bounds [0, 0.5]
//	obstructedmaze       1Dl → {1Dlh, 2Dl}; 1Dlh → {1Dlhb, 2Dlh}; 2Dl → 2Dlh;    bounds [0, 0.5]
//	                     {1Dlhb, 2Dlh} → 2Dlhb → 1Q → 2Q → Full
//	addition3, addition5, addition9
//	                     Addition1 → Addition2 → … → AdditionN                  bounds [0, 1]
//
// Task indices follow the reference's order (the order in which names first
// appear in the files' edge lists, which is also the order listed above), so
// that distributions can be compared entry by entry with the reference. The
// MiniGrid bounds are the reference's priors on the episodic return; a learner
// may exceed them, and the mastering-rate teacher then widens them itself.
//
// Parametric graphs, for scaling studies:
//
//	chain-N        N ≥ 1 tasks c1 → c2 → … → cN, bounds [0, 1].
//	tree-D-B       a complete B-ary out-tree of depth D (D ≥ 0 levels below the
//	               root, B ≥ 1 children per task): (B^(D+1) − 1)/(B − 1) tasks
//	               (D+1 if B = 1) named by their path from the root: n, n.1,
//	               n.2, n.1.1, …; every task but the root has one prerequisite,
//	               its parent. Bounds [0, 1]. The targets are the B^D leaves.
//	tree           tree-3-2: 15 tasks, 8 leaves.
//	G+distractors-K
//	               graph G plus K isolated tasks d1 … dK that no learner can
//	               ever learn (Graph.Unlearnable), bounds [0, 1]; e.g.
//	               chain-10+distractors-5.
//
// Custom graphs come from names, "a->b" edge strings and optional bounds
// (Custom); the family that uses them reports errors under its own parameter
// names.
//
// This package knows nothing of learners: families (the synthetic curriculum
// family, key-door gridworlds, memory tasks) give the graph's tasks their
// meaning.
package graphs

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/teachbench/teachbench/internal/params"
	"github.com/teachbench/teachbench/task"
)

const distractorsSuffix = "+distractors-"

// MaxTasks bounds the size of a parametric graph so that a typo in a config
// fails clearly instead of exhausting memory.
const MaxTasks = 1_000_000

// Graph is a curriculum graph: a discrete task space plus which of its tasks
// are distractors that can never be learned.
type Graph struct {
	// Name is the name the graph was built from ("custom" for Custom).
	Name string
	// Space holds the task names, prerequisite edges and score bounds.
	Space *task.Discrete
	// Unlearnable[i] reports whether task i is a distractor that no learner
	// can learn.
	Unlearnable []bool
}

// Targets returns the learnable tasks that no learnable task depends on (the
// leaves of the learnable part of the graph), in index order. These are the
// graph's final goals: the last task of a chain, Full in ObstructedMaze.
func (g *Graph) Targets() []int {
	var out []int
	for i := range g.Space.Len() {
		if g.Unlearnable[i] {
			continue
		}
		leaf := true
		for _, s := range g.Space.Successors(i) {
			if !g.Unlearnable[s] {
				leaf = false
				break
			}
		}
		if leaf {
			out = append(out, i)
		}
	}
	return out
}

// Learnable returns the tasks that are not distractors, in index order.
func (g *Graph) Learnable() []int {
	var out []int
	for i, u := range g.Unlearnable {
		if !u {
			out = append(out, i)
		}
	}
	return out
}

// named are the fixed graphs: builders by name.
var named = map[string]func() (*Graph, error){
	"blockedunlockpickup": func() (*Graph, error) {
		return chainOf("blockedunlockpickup", []string{"Unlock", "UnlockPickup", "BlockedUnlockPickup"}, 0, 0.5)
	},
	"keycorridor": func() (*Graph, error) {
		return chainOf("keycorridor", []string{
			"KeyCorridorS3R1", "KeyCorridorS3R2", "KeyCorridorS3R3",
			"KeyCorridorS4R3", "KeyCorridorS5R3", "KeyCorridorS6R3",
		}, 0, 0.5)
	},
	"obstructedmaze": obstructedMaze,
	"addition3":      func() (*Graph, error) { return addition(3) },
	"addition5":      func() (*Graph, error) { return addition(5) },
	"addition9":      func() (*Graph, error) { return addition(9) },
	"tree":           func() (*Graph, error) { return tree("tree", 3, 2) },
}

// Names returns the names of the fixed graphs, sorted. Parametric graphs are
// described by Patterns.
func Names() []string {
	out := make([]string, 0, len(named))
	for n := range named {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Patterns returns the forms of the parametric graph names.
func Patterns() []string {
	return []string{"chain-N", "tree-D-B", "GRAPH+distractors-K"}
}

// Build returns the task space of the named graph. See Lookup.
func Build(name string) (*task.Discrete, error) {
	g, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	return g.Space, nil
}

// Lookup returns the named graph: one of Names, or a parametric form
// (chain-N, tree-D-B, G+distractors-K). Unknown names fail with an error
// suggesting the closest known name.
func Lookup(name string) (*Graph, error) {
	if at := strings.LastIndex(name, distractorsSuffix); at >= 0 {
		base, k := name[:at], name[at+len(distractorsSuffix):]
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("graph %q: want +distractors-K with K a positive integer", name)
		}
		g, err := Lookup(base)
		if err != nil {
			return nil, err
		}
		return g.withDistractors(name, n)
	}
	if b, ok := named[name]; ok {
		return b()
	}
	if rest, ok := strings.CutPrefix(name, "chain-"); ok {
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > MaxTasks {
			return nil, fmt.Errorf("graph %q: want chain-N with N an integer in 1..%d", name, MaxTasks)
		}
		names := make([]string, n)
		for i := range names {
			names[i] = "c" + strconv.Itoa(i+1)
		}
		return chainOf(name, names, 0, 1)
	}
	if rest, ok := strings.CutPrefix(name, "tree-"); ok {
		ds, bs, ok := strings.Cut(rest, "-")
		d, err1 := strconv.Atoi(ds)
		b, err2 := strconv.Atoi(bs)
		if !ok || err1 != nil || err2 != nil || d < 0 || b < 1 {
			return nil, fmt.Errorf("graph %q: want tree-D-B with depth D ≥ 0 and branching B ≥ 1", name)
		}
		return tree(name, d, b)
	}
	known := append(Names(), "chain-10", "tree-3-2")
	return nil, fmt.Errorf("unknown graph %q%s; parametric forms: %s", name, params.Suggest(name, known), strings.Join(Patterns(), ", "))
}

// Custom builds a graph from task names, prerequisite edges written "a->b"
// (task a before task b; spaces around the arrow are allowed), optional
// per-task score bounds (nil for [0, 1]) and the names of unlearnable tasks.
// Errors name the offending element (tasks[i], edges[i], min[i], …) so that
// callers can prefix their own parameter names.
func Custom(tasks []string, edges []string, min, max []float64, unlearnable []string) (*Graph, error) {
	if len(tasks) == 0 {
		return nil, errors.New("tasks is empty: a custom graph needs at least one task")
	}
	index := make(map[string]int, len(tasks))
	for i, t := range tasks {
		if strings.TrimSpace(t) == "" {
			return nil, fmt.Errorf("tasks[%d] is empty", i)
		}
		if j, dup := index[t]; dup {
			return nil, fmt.Errorf("tasks[%d] = %q repeats tasks[%d]", i, t, j)
		}
		index[t] = i
	}
	es := make([]task.Edge, len(edges))
	for k, e := range edges {
		from, to, ok := strings.Cut(e, "->")
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if !ok || from == "" || to == "" {
			return nil, fmt.Errorf("edges[%d] = %q: want \"a->b\" (task a is a prerequisite of task b)", k, e)
		}
		a, okA := index[from]
		b, okB := index[to]
		switch {
		case !okA:
			return nil, fmt.Errorf("edges[%d] = %q: unknown task %q%s", k, e, from, params.Suggest(from, tasks))
		case !okB:
			return nil, fmt.Errorf("edges[%d] = %q: unknown task %q%s", k, e, to, params.Suggest(to, tasks))
		case a == b:
			return nil, fmt.Errorf("edges[%d] = %q: a task cannot be its own prerequisite", k, e)
		}
		es[k] = task.Edge{From: a, To: b}
	}
	if min != nil && len(min) != len(tasks) {
		return nil, fmt.Errorf("min has %d values for %d tasks: give one per task, or none for 0", len(min), len(tasks))
	}
	if max != nil && len(max) != len(tasks) {
		return nil, fmt.Errorf("max has %d values for %d tasks: give one per task, or none for 1", len(max), len(tasks))
	}
	lo, hi := filled(len(tasks), 0), filled(len(tasks), 1)
	copy(lo, min)
	copy(hi, max)
	for i := range tasks {
		if !(lo[i] < hi[i]) || math.IsInf(lo[i], 0) || math.IsInf(hi[i], 0) {
			return nil, fmt.Errorf("min[%d] = %v, max[%d] = %v (task %q): want finite bounds with min < max", i, lo[i], i, hi[i], tasks[i])
		}
	}
	space, err := task.NewDiscrete(tasks, es, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("edges: %s", strings.TrimPrefix(err.Error(), "task: "))
	}
	g := &Graph{Name: "custom", Space: space, Unlearnable: make([]bool, len(tasks))}
	for k, u := range unlearnable {
		i, ok := index[u]
		if !ok {
			return nil, fmt.Errorf("unlearnable[%d]: unknown task %q%s", k, u, params.Suggest(u, tasks))
		}
		g.Unlearnable[i] = true
	}
	return g, nil
}

// withDistractors returns a copy of g with k isolated unlearnable tasks
// d1 … dk appended, with bounds [0, 1].
func (g *Graph) withDistractors(name string, k int) (*Graph, error) {
	n := g.Space.Len()
	if n+k > MaxTasks {
		return nil, fmt.Errorf("graph %q has %d tasks: at most %d", name, n+k, MaxTasks)
	}
	names := make([]string, 0, n+k)
	lo := make([]float64, 0, n+k)
	hi := make([]float64, 0, n+k)
	taken := make(map[string]bool, n)
	for i := range n {
		names = append(names, g.Space.Name(i))
		taken[g.Space.Name(i)] = true
		a, b := g.Space.Bounds(i)
		lo, hi = append(lo, a), append(hi, b)
	}
	for j := range k {
		d := "d" + strconv.Itoa(j+1)
		for taken[d] {
			d = "distractor-" + d
		}
		names = append(names, d)
		lo, hi = append(lo, 0), append(hi, 1)
	}
	space, err := task.NewDiscrete(names, g.Space.Edges(), lo, hi)
	if err != nil {
		return nil, fmt.Errorf("graph %q: %w", name, err)
	}
	unl := append(slices.Clone(g.Unlearnable), make([]bool, k)...)
	for j := range k {
		unl[n+j] = true
	}
	return &Graph{Name: name, Space: space, Unlearnable: unl}, nil
}

func chainOf(name string, names []string, lo, hi float64) (*Graph, error) {
	edges := make([]task.Edge, len(names)-1)
	for i := range edges {
		edges[i] = task.Edge{From: i, To: i + 1}
	}
	return fromSpace(name, names, edges, filled(len(names), lo), filled(len(names), hi))
}

func obstructedMaze() (*Graph, error) {
	names := []string{"1Dl", "1Dlh", "2Dl", "1Dlhb", "2Dlh", "2Dlhb", "1Q", "2Q", "Full"}
	pairs := [][2]string{
		{"1Dl", "1Dlh"}, {"1Dl", "2Dl"}, {"1Dlh", "1Dlhb"}, {"1Dlh", "2Dlh"}, {"2Dl", "2Dlh"},
		{"1Dlhb", "2Dlhb"}, {"2Dlh", "2Dlhb"}, {"2Dlhb", "1Q"}, {"1Q", "2Q"}, {"2Q", "Full"},
	}
	edges := make([]task.Edge, len(pairs))
	for k, p := range pairs {
		edges[k] = task.Edge{From: slices.Index(names, p[0]), To: slices.Index(names, p[1])}
	}
	return fromSpace("obstructedmaze", names, edges, filled(len(names), 0), filled(len(names), 0.5))
}

func addition(n int) (*Graph, error) {
	names := make([]string, n)
	for i := range names {
		names[i] = "Addition" + strconv.Itoa(i+1)
	}
	return chainOf("addition"+strconv.Itoa(n), names, 0, 1)
}

// tree builds the complete b-ary out-tree of depth d, tasks in breadth-first
// order.
func tree(name string, d, b int) (*Graph, error) {
	size, level := 1, 1
	for range d {
		level *= b
		size += level
		if size > MaxTasks {
			return nil, fmt.Errorf("graph %q has more than %d tasks", name, MaxTasks)
		}
	}
	names := make([]string, 1, size)
	names[0] = "n"
	edges := make([]task.Edge, 0, size-1)
	// Breadth-first: the children of task p are appended in order.
	for p := 0; len(names) < size; p++ {
		for c := 1; c <= b; c++ {
			edges = append(edges, task.Edge{From: p, To: len(names)})
			names = append(names, names[p]+"."+strconv.Itoa(c))
		}
	}
	return fromSpace(name, names, edges, filled(size, 0), filled(size, 1))
}

func fromSpace(name string, names []string, edges []task.Edge, lo, hi []float64) (*Graph, error) {
	space, err := task.NewDiscrete(names, edges, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("graph %q: %w", name, err)
	}
	return &Graph{Name: name, Space: space, Unlearnable: make([]bool, len(names))}, nil
}

func filled(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}
