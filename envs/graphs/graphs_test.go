package graphs

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// edgeList renders the edges of d as "a->b" strings.
func edgeList(d *task.Discrete) []string {
	var out []string
	for _, e := range d.Edges() {
		out = append(out, d.Name(e.From)+"->"+d.Name(e.To))
	}
	return out
}

func names(d *task.Discrete) []string {
	out := make([]string, d.Len())
	for i := range out {
		out[i] = d.Name(i)
	}
	return out
}

func TestNamedGraphs(t *testing.T) {
	tests := []struct {
		name    string
		tasks   []string
		edges   []string
		lo, hi  float64
		targets []string
	}{
		{
			name:  "blockedunlockpickup",
			tasks: []string{"Unlock", "UnlockPickup", "BlockedUnlockPickup"},
			edges: []string{"Unlock->UnlockPickup", "UnlockPickup->BlockedUnlockPickup"},
			lo:    0, hi: 0.5,
			targets: []string{"BlockedUnlockPickup"},
		},
		{
			name:  "keycorridor",
			tasks: []string{"KeyCorridorS3R1", "KeyCorridorS3R2", "KeyCorridorS3R3", "KeyCorridorS4R3", "KeyCorridorS5R3", "KeyCorridorS6R3"},
			edges: []string{
				"KeyCorridorS3R1->KeyCorridorS3R2", "KeyCorridorS3R2->KeyCorridorS3R3", "KeyCorridorS3R3->KeyCorridorS4R3",
				"KeyCorridorS4R3->KeyCorridorS5R3", "KeyCorridorS5R3->KeyCorridorS6R3",
			},
			lo: 0, hi: 0.5,
			targets: []string{"KeyCorridorS6R3"},
		},
		{
			name:  "obstructedmaze",
			tasks: []string{"1Dl", "1Dlh", "2Dl", "1Dlhb", "2Dlh", "2Dlhb", "1Q", "2Q", "Full"},
			edges: []string{
				"1Dl->1Dlh", "1Dl->2Dl", "1Dlh->1Dlhb", "1Dlh->2Dlh", "2Dl->2Dlh",
				"1Dlhb->2Dlhb", "2Dlh->2Dlhb", "2Dlhb->1Q", "1Q->2Q", "2Q->Full",
			},
			lo: 0, hi: 0.5,
			targets: []string{"Full"},
		},
		{
			name:  "addition3",
			tasks: []string{"Addition1", "Addition2", "Addition3"},
			edges: []string{"Addition1->Addition2", "Addition2->Addition3"},
			lo:    0, hi: 1,
			targets: []string{"Addition3"},
		},
		{
			name:  "chain-1",
			tasks: []string{"c1"},
			lo:    0, hi: 1,
			targets: []string{"c1"},
		},
		{
			name:  "tree-1-3",
			tasks: []string{"n", "n.1", "n.2", "n.3"},
			edges: []string{"n->n.1", "n->n.2", "n->n.3"},
			lo:    0, hi: 1,
			targets: []string{"n.1", "n.2", "n.3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Lookup(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			d := g.Space
			if got := names(d); !slices.Equal(got, tc.tasks) {
				t.Errorf("tasks %v, want %v", got, tc.tasks)
			}
			if got := edgeList(d); !slices.Equal(got, tc.edges) {
				t.Errorf("edges %v, want %v", got, tc.edges)
			}
			for i := range d.Len() {
				if lo, hi := d.Bounds(i); lo != tc.lo || hi != tc.hi {
					t.Errorf("task %s bounds [%v, %v], want [%v, %v]", d.Name(i), lo, hi, tc.lo, tc.hi)
				}
			}
			var targets []string
			for _, i := range g.Targets() {
				targets = append(targets, d.Name(i))
			}
			if !slices.Equal(targets, tc.targets) {
				t.Errorf("targets %v, want %v", targets, tc.targets)
			}
		})
	}
}

func TestAdditionChainsAndTreeSizes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tasks int
		depth float64 // difficulty of the last task
	}{
		{"addition5", 5, 4}, {"addition9", 9, 8}, {"chain-10", 10, 9}, {"chain-1000", 1000, 999},
		{"tree", 15, 3}, {"tree-3-2", 15, 3}, {"tree-0-4", 1, 0}, {"tree-4-1", 5, 4}, {"tree-2-10", 111, 2},
	} {
		d, err := Build(tc.name)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d.Len() != tc.tasks || d.Difficulty(d.Len()-1) != tc.depth {
			t.Errorf("%s: %d tasks, last at depth %v; want %d and %v", tc.name, d.Len(), d.Difficulty(d.Len()-1), tc.tasks, tc.depth)
		}
	}
}

func TestDistractors(t *testing.T) {
	g, err := Lookup("chain-10+distractors-5")
	if err != nil {
		t.Fatal(err)
	}
	if g.Space.Len() != 15 || len(g.Space.Edges()) != 9 {
		t.Fatalf("%d tasks, %d edges", g.Space.Len(), len(g.Space.Edges()))
	}
	for i := range 15 {
		if g.Unlearnable[i] != (i >= 10) {
			t.Errorf("task %s unlearnable = %v", g.Space.Name(i), g.Unlearnable[i])
		}
	}
	if g.Space.Name(10) != "d1" || g.Space.Name(14) != "d5" {
		t.Errorf("distractor names %s … %s", g.Space.Name(10), g.Space.Name(14))
	}
	if got := g.Targets(); !slices.Equal(got, []int{9}) {
		t.Errorf("targets %v, want [9] (distractors are never targets)", got)
	}
	if got := g.Learnable(); len(got) != 10 {
		t.Errorf("%d learnable tasks", len(got))
	}
	// Distractors compose, and the names stay unique.
	g2, err := Lookup("obstructedmaze+distractors-2+distractors-1")
	if err != nil {
		t.Fatal(err)
	}
	if g2.Space.Len() != 12 || !g2.Unlearnable[11] || g2.Space.Name(11) == "d1" {
		t.Fatalf("nested distractors: %v", names(g2.Space))
	}
	if lo, hi := g2.Space.Bounds(0); lo != 0 || hi != 0.5 {
		t.Errorf("base bounds lost: [%v, %v]", lo, hi)
	}
}

func TestBadNames(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"keycoridor", `did you mean "keycorridor"`},
		{"chain-0", "chain-N"},
		{"chain-x", "chain-N"},
		{"chain-2000000", "chain-N"},
		{"tree-2", "tree-D-B"},
		{"tree-2-0", "tree-D-B"},
		{"tree-30-10", "more than"},
		{"chain-3+distractors-0", "distractors-K"},
		{"nope+distractors-2", `unknown graph "nope"`},
		{"zzzzzzzzzzzz", "parametric forms"},
	} {
		_, err := Lookup(tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Lookup(%q) = %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func TestCustom(t *testing.T) {
	g, err := Custom([]string{"a", "b", "c", "x"}, []string{"a->b", " a -> c ", "b->c"}, []float64{0, 0, 0, 0}, []float64{1, 2, 3, 1}, []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := edgeList(g.Space); !slices.Equal(got, []string{"a->b", "a->c", "b->c"}) {
		t.Fatalf("edges %v", got)
	}
	if _, hi := g.Space.Bounds(2); hi != 3 {
		t.Fatalf("max of c = %v", hi)
	}
	if !g.Unlearnable[3] || !slices.Equal(g.Targets(), []int{2}) {
		t.Fatalf("unlearnable %v targets %v", g.Unlearnable, g.Targets())
	}

	for _, tc := range []struct {
		tasks, edges []string
		min, max     []float64
		unl          []string
		want         string
	}{
		{nil, nil, nil, nil, nil, "tasks is empty"},
		{[]string{"a", "a"}, nil, nil, nil, nil, "tasks[1]"},
		{[]string{"a", ""}, nil, nil, nil, nil, "tasks[1] is empty"},
		{[]string{"a", "b"}, []string{"a-b"}, nil, nil, nil, `edges[0] = "a-b": want "a->b"`},
		{[]string{"alpha", "b"}, []string{"alpa->b"}, nil, nil, nil, `unknown task "alpa" (did you mean "alpha"?)`},
		{[]string{"a", "b"}, []string{"a->a"}, nil, nil, nil, "own prerequisite"},
		{[]string{"a", "b", "c"}, []string{"a->b", "b->c", "c->a"}, nil, nil, nil, "edges: prerequisite graph has a cycle: a → b → c → a"},
		{[]string{"a", "b"}, nil, []float64{0}, nil, nil, "min has 1 values for 2 tasks"},
		{[]string{"a", "b"}, nil, []float64{0, 1}, []float64{1, 1}, nil, `min[1] = 1, max[1] = 1 (task "b")`},
		{[]string{"a"}, nil, nil, []float64{-1}, nil, "min[0] = 0, max[0] = -1"},
		{[]string{"a"}, nil, nil, nil, []string{"b"}, `unlearnable[0]: unknown task "b"`},
	} {
		_, err := Custom(tc.tasks, tc.edges, tc.min, tc.max, tc.unl)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Custom(%v, %v, %v, %v, %v) = %v, want an error containing %q", tc.tasks, tc.edges, tc.min, tc.max, tc.unl, err, tc.want)
		}
	}
}

func TestNamesAllBuild(t *testing.T) {
	for _, n := range Names() {
		if _, err := Build(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}

func ExampleLookup() {
	g, err := Lookup("obstructedmaze+distractors-1")
	if err != nil {
		panic(err)
	}
	d := g.Space
	for i := range d.Len() {
		var pre []string
		for _, p := range d.Predecessors(i) {
			pre = append(pre, d.Name(p))
		}
		fmt.Printf("%-5s depth %v after %v unlearnable %v\n", d.Name(i), d.Difficulty(i), pre, g.Unlearnable[i])
	}
	// Output:
	// 1Dl   depth 0 after [] unlearnable false
	// 1Dlh  depth 1 after [1Dl] unlearnable false
	// 2Dl   depth 1 after [1Dl] unlearnable false
	// 1Dlhb depth 2 after [1Dlh] unlearnable false
	// 2Dlh  depth 2 after [1Dlh 2Dl] unlearnable false
	// 2Dlhb depth 3 after [1Dlhb 2Dlh] unlearnable false
	// 1Q    depth 4 after [2Dlhb] unlearnable false
	// 2Q    depth 5 after [1Q] unlearnable false
	// Full  depth 6 after [2Q] unlearnable false
	// d1    depth 0 after [] unlearnable true
}
