package goalmaze

import (
	"math"
	"strings"
	"testing"
)

func TestParseLayoutErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text, err string
	}{
		{"even lines", "+-+\n|S|", "odd number"},
		{"even width", "+-+-\n|S .|\n+-+-", "odd number"},
		{"bad corner", "+-*\n|S|\n+-+", "unexpected '*'"},
		{"bad cell", "+-+\n|x|\n+-+", "unexpected 'x'"},
		{"bad side", "+-+-+\n|S=.|\n+-+-+", "unexpected '='"},
		{"no start", "+-+\n|.|\n+-+", "no start"},
		{"two starts", "+-+-+\n|S S|\n+-+-+", "second start"},
		{"open border", "+-+\n S|\n+-+", "West side"},
		{"open to solid", "+-+-+\n|S #|\n+-+-+", "East side"},
		{"unreachable", "+-+-+\n|S|.|\n+-+-+", "cannot be reached"},
		{"long line", "+-+\n|S|  x\n+-+", "longer than the first"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLayout(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("ParseLayout error = %v, want one containing %q", err, tc.err)
			}
		})
	}
}

// TestLayoutText checks that every built-in layout prints to text that
// parses back to the same layout.
func TestLayoutText(t *testing.T) {
	for _, l := range Layouts() {
		m, err := ParseLayout(l.String())
		if err != nil {
			t.Fatalf("%s: %v", l.Name, err)
		}
		if m.String() != l.String() || m.OpenCells() != l.OpenCells() || m.Start() != l.Start() {
			t.Errorf("%s: text round trip changed the layout:\n%s", l.Name, m)
		}
		if l.Limit < 1 || l.Doc == "" {
			t.Errorf("%s: limit %d, doc %q", l.Name, l.Limit, l.Doc)
		}
	}
}

// TestLayoutsMatchReference rebuilds SVGG's mazes from the reference's
// definitions (envs/sibrivalry/toy_maze/mazes.py): each maze is the union of
// unit cells joined to their anchor, every cell enclosed by walls except
// between joined cells. maze-1 and maze-2 are written as their segment
// lists (cell, anchor); the generated mazes (u-maze, snail, snake) as the
// chain of moves their generators make from the origin.
func TestLayoutsMatchReference(t *testing.T) {
	chain := func(moves string) [][2]Cell {
		var edges [][2]Cell
		c := Cell{}
		for _, m := range moves {
			d := map[rune]Dir{'R': East, 'U': North, 'L': West, 'D': South}[m]
			edges = append(edges, [2]Cell{c.Step(d), c})
			c = c.Step(d)
		}
		return edges
	}
	segments := func(pairs ...[4]int) [][2]Cell {
		edges := make([][2]Cell, len(pairs))
		for i, p := range pairs {
			edges[i] = [2]Cell{{p[0], p[1]}, {p[2], p[3]}}
		}
		return edges
	}
	for _, tc := range []struct {
		name  string
		edges [][2]Cell
	}{
		{"umaze_4", chain("RRRRUULLLL")},
		{"square_pbcs_0", segments(
			[4]int{1, 0, 0, 0}, [4]int{2, 0, 1, 0}, [4]int{3, 0, 2, 0}, [4]int{4, 0, 3, 0}, [4]int{4, 1, 4, 0},
			[4]int{3, 1, 4, 1}, [4]int{2, 1, 3, 1}, [4]int{2, 2, 2, 1}, [4]int{1, 2, 2, 2}, [4]int{0, 2, 1, 2},
			[4]int{0, 1, 0, 2}, [4]int{1, 1, 0, 1}, [4]int{0, 3, 0, 2}, [4]int{0, 4, 0, 3}, [4]int{1, 4, 0, 4},
			[4]int{1, 3, 1, 4}, [4]int{2, 3, 1, 3}, [4]int{2, 4, 2, 3}, [4]int{3, 4, 2, 4}, [4]int{3, 3, 3, 4},
			[4]int{3, 2, 3, 3}, [4]int{4, 2, 3, 2}, [4]int{4, 3, 4, 2}, [4]int{4, 4, 4, 3})},
		{"square_pbcs_1", segments(
			[4]int{0, 1, 0, 0}, [4]int{0, 2, 0, 1}, [4]int{1, 2, 0, 2}, [4]int{2, 2, 1, 2}, [4]int{3, 2, 2, 2},
			[4]int{3, 1, 3, 2}, [4]int{2, 1, 3, 1}, [4]int{1, 1, 2, 1}, [4]int{1, 0, 1, 1}, [4]int{2, 0, 1, 0},
			[4]int{3, 0, 2, 0}, [4]int{4, 0, 3, 0}, [4]int{4, 1, 4, 0}, [4]int{4, 2, 4, 1}, [4]int{4, 3, 4, 2},
			[4]int{3, 3, 4, 3}, [4]int{3, 4, 3, 3}, [4]int{4, 4, 3, 4}, [4]int{2, 4, 3, 4}, [4]int{2, 3, 2, 4},
			[4]int{1, 3, 2, 3}, [4]int{1, 4, 1, 3}, [4]int{0, 4, 1, 4}, [4]int{0, 3, 0, 4})},
		{"snail", chain("RRRRR" + "UUUUU" + "LLLLL" + "DDDD" + "RRRR" + "UUU" + "LLL" + "DD" + "RR" + "U" + "L")},
		{"snake", chain("RRRR" + "U" + "LLLL" + "U" + "RRRR" + "U" + "LLLL" + "U" + "RRRR")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := LayoutNamed(tc.name)
			if err != nil {
				t.Fatal(err)
			}
			open := map[Cell]bool{{}: true}
			joined := map[[2]Cell]bool{}
			for _, e := range tc.edges {
				if open[e[0]] {
					t.Fatalf("segment %v added twice", e[0])
				}
				open[e[0]] = true
				joined[e] = true
				joined[[2]Cell{e[1], e[0]}] = true
			}
			if len(open) != l.OpenCells() {
				t.Fatalf("%d open cells, reference %d", l.OpenCells(), len(open))
			}
			w, h := l.Size()
			for y := range h {
				for x := range w {
					c := Cell{x, y}
					if l.Open(c) != open[c] {
						t.Fatalf("cell %v open = %v, reference %v", c, l.Open(c), open[c])
					}
					if !open[c] {
						continue
					}
					for d := East; d <= South; d++ {
						if want := !joined[[2]Cell{c, c.Step(d)}]; l.Wall(c, d) != want {
							t.Errorf("cell %v %s wall = %v, reference %v", c, d, l.Wall(c, d), want)
						}
					}
				}
			}
		})
	}
}

func TestLayoutNamed(t *testing.T) {
	for name, want := range map[string]string{"maze-1": "maze-1", "square_pbcs_0": "maze-1", "snail": "maze-3", "umaze_4": "u-maze"} {
		l, err := LayoutNamed(name)
		if err != nil || l.Name != want {
			t.Errorf("LayoutNamed(%q) = %v, %v; want %s", name, l, err, want)
		}
	}
	if _, err := LayoutNamed("maze-9"); err == nil || !strings.Contains(err.Error(), "maze-4-alt") {
		t.Errorf("unknown layout: error %v, want the list of names", err)
	}
}

func TestValidDistancePath(t *testing.T) {
	u, _ := LayoutNamed("u-maze")
	for _, tc := range []struct {
		p     [2]float64
		valid bool
	}{
		{[2]float64{0, 0}, true},
		{[2]float64{-0.49, 2.49}, true},
		{[2]float64{1, 1}, false},   // the solid middle
		{[2]float64{3.4, 1}, false}, // solid, next to the open (4, 1)
		{[2]float64{3.6, 1}, true},
		{[2]float64{-0.6, 0}, false}, // outside
		{[2]float64{4.5, 0}, false},  // on the East border: outside
		{[2]float64{math.NaN(), 0}, false},
		{[2]float64{math.Inf(1), 0}, false},
	} {
		if got := u.Valid(tc.p); got != tc.valid {
			t.Errorf("u-maze Valid(%v) = %v, want %v", tc.p, got, tc.valid)
		}
	}
	for _, tc := range []struct {
		layout string
		cell   Cell
		dist   int
	}{
		{"u-maze", Cell{0, 0}, 0},
		{"u-maze", Cell{0, 2}, 10},
		{"u-maze", Cell{1, 1}, -1},
		{"u-maze", Cell{9, 9}, -1},
		{"maze-1", Cell{4, 4}, 22},
		{"maze-2", Cell{0, 3}, 23},
		{"maze-3", Cell{2, 3}, 35},
		{"maze-4", Cell{4, 4}, 24},
		{"maze-1-alt", Cell{4, 4}, 14},
	} {
		l, _ := LayoutNamed(tc.layout)
		if got := l.Distance(tc.cell); got != tc.dist {
			t.Errorf("%s: Distance(%v) = %d, want %d", tc.layout, tc.cell, got, tc.dist)
		}
		path := l.Path(l.Start(), tc.cell)
		if tc.dist < 0 {
			if path != nil {
				t.Errorf("%s: Path to %v = %v, want nil", tc.layout, tc.cell, path)
			}
			continue
		}
		if len(path) != tc.dist+1 || path[0] != l.Start() || path[len(path)-1] != tc.cell {
			t.Fatalf("%s: Path to %v = %v", tc.layout, tc.cell, path)
		}
		for i := 1; i < len(path); i++ {
			if !adjacentOpen(l, path[i-1], path[i]) {
				t.Errorf("%s: path step %v → %v crosses a wall", tc.layout, path[i-1], path[i])
			}
		}
		w, _ := l.Size()
		if d := l.Distances(tc.cell); d[l.Start().Y*w+l.Start().X] != tc.dist {
			t.Errorf("%s: Distances from %v to the start = %d, want %d", tc.layout, tc.cell, d[0], tc.dist)
		}
	}
}

// adjacentOpen reports whether cells a and b share a side without a wall.
func adjacentOpen(l *Layout, a, b Cell) bool {
	for d := East; d <= South; d++ {
		if a.Step(d) == b {
			return !l.Wall(a, d) && !l.Wall(b, (d+2)%4)
		}
	}
	return false
}

func TestTestGoals(t *testing.T) {
	for _, l := range Layouts() {
		for _, k := range []int{1, 2, 3} {
			goals := l.TestGoals(k)
			if len(goals) != k*k*l.OpenCells() {
				t.Fatalf("%s k=%d: %d goals, want %d", l.Name, k, len(goals), k*k*l.OpenCells())
			}
			// A uniform grid of spacing 1/k: every goal is on it, and
			// no two coincide.
			seen := map[[2]int]bool{}
			for _, g := range goals {
				if !l.Valid(g) || l.Distance(CellAt(g)) < 0 {
					t.Fatalf("%s k=%d: test goal %v is not valid and reachable", l.Name, k, g)
				}
				i, j := (g[0]+0.5)*float64(k)-0.5, (g[1]+0.5)*float64(k)-0.5
				if math.Abs(i-math.Round(i)) > 1e-9 || math.Abs(j-math.Round(j)) > 1e-9 {
					t.Fatalf("%s k=%d: goal %v off the grid", l.Name, k, g)
				}
				key := [2]int{int(math.Round(i)), int(math.Round(j))}
				if seen[key] {
					t.Fatalf("%s k=%d: goal %v twice", l.Name, k, g)
				}
				seen[key] = true
			}
		}
	}
}
