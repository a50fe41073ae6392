package maze

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func testSpace(walls int, count, editor string) *Space {
	return &Space{width: 13, height: 13, walls: walls, count: count, editor: editor}
}

// TestGenerate checks the wall counts of the three generator rules, that
// directions and cells are all used, and that the same stream gives the same
// levels.
func TestGenerate(t *testing.T) {
	for _, c := range []struct {
		count      string
		budget     int
		lo, hi     int     // range of the wall count
		mean, tol  float64 // expected mean wall count
		solvableLo float64 // lower bound on the solvable fraction
	}{
		{CountHalf, 25, 12, 12, 12, 0, 0.8},
		{CountHalf, 50, 25, 25, 25, 0, 0.6},
		{CountHalf, 0, 0, 0, 0, 0, 1},
		{CountUniform, 60, 0, 59, 29.5, 1.5, 0.5},
		{CountBudget, 25, 1, 25, 169 * (1 - math.Pow(1-1/169.0, 25)), 0.3, 0.5},
	} {
		s := testSpace(c.budget, c.count, EditWallsNoneAgentGoal)
		rng := rand.New(rand.NewPCG(11, 12))
		var dirs [4]int
		agents := map[Pos]bool{}
		sum, solvable := 0.0, 0
		const n = 2000
		for range n {
			l, err := DecodeLevel(s.Generate(rng))
			if err != nil {
				t.Fatal(err)
			}
			w := l.NumWalls()
			if w < c.lo || w > c.hi {
				t.Fatalf("%s/%d: %d walls, want %d..%d", c.count, c.budget, w, c.lo, c.hi)
			}
			sum += float64(w)
			dirs[l.Dir]++
			agents[l.Agent] = true
			if l.Solvable() {
				solvable++
			}
		}
		if mean := sum / n; math.Abs(mean-c.mean) > c.tol {
			t.Errorf("%s/%d: mean %v walls, want %v ± %v", c.count, c.budget, mean, c.mean, c.tol)
		}
		for d, k := range dirs {
			if k < n/5 {
				t.Errorf("%s/%d: direction %d drawn %d times in %d", c.count, c.budget, d, k, n)
			}
		}
		if len(agents) < 150 {
			t.Errorf("%s/%d: agent on only %d distinct cells", c.count, c.budget, len(agents))
		}
		if f := float64(solvable) / n; f < c.solvableLo {
			t.Errorf("%s/%d: %.2f solvable", c.count, c.budget, f)
		}
		a := s.Generate(rand.New(rand.NewPCG(1, 2)))
		b := s.Generate(rand.New(rand.NewPCG(1, 2)))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: same stream, different levels", c.count)
		}
	}
}

// cellDiff counts the interior cells whose content (wall, agent, goal,
// empty) differs between a and b.
func cellDiff(a, b *Level) int {
	content := func(l *Level, p Pos) byte {
		switch {
		case p == l.Agent:
			return 'A'
		case p == l.Goal:
			return 'G'
		case l.Wall(p):
			return '#'
		}
		return '.'
	}
	n := 0
	for y := range a.Height {
		for x := range a.Width {
			if content(a, Pos{x, y}) != content(b, Pos{x, y}) {
				n++
			}
		}
	}
	return n
}

// TestMutate checks every editor on random parents: children are valid,
// the same seed gives the same child, a child differs from its parent in no
// more cells than the edits allow, the direction is kept, and each editor
// only makes its own kinds of edits.
func TestMutate(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, editor := range editors {
		s := testSpace(50, CountHalf, editor)
		var moved, walled, unwalled, goals int
		for i := range 1500 {
			var parent []byte
			if i%3 == 0 {
				parent = s.Generate(rng)
			} else {
				pl := randomLevel(rng)
				pl.MaxSteps = 0
				parent = mustEncodeTB(t, pl)
			}
			keep := bytes.Clone(parent)
			n := rng.IntN(12)
			seed := rng.Uint64()
			child := s.Mutate(parent, n, rand.New(rand.NewPCG(seed, 1)))
			if !bytes.Equal(parent, keep) {
				t.Fatalf("%s: Mutate modified its input", editor)
			}
			again := s.Mutate(parent, n, rand.New(rand.NewPCG(seed, 1)))
			if !bytes.Equal(child, again) {
				t.Fatalf("%s: same seed, different children", editor)
			}
			p, err := DecodeLevel(parent)
			if err != nil {
				t.Fatal(err)
			}
			c, err := DecodeLevel(child)
			if err != nil {
				t.Fatalf("%s: invalid child: %v", editor, err)
			}
			if c.Dir != p.Dir || c.Width != p.Width || c.Height != p.Height || c.MaxSteps != p.MaxSteps {
				t.Fatalf("%s: child changed direction, size or limit", editor)
			}
			limit := n + 2
			if editor == EditMinimax {
				limit = 2 * n
			}
			if d := cellDiff(p, c); d > limit {
				t.Fatalf("%s: %d edits changed %d cells:\n%s\n\n%s", editor, n, d, p, c)
			}
			if n == 0 && !bytes.Equal(parent, child) {
				t.Fatalf("%s: zero edits changed the level", editor)
			}
			if c.Agent != p.Agent && i%3 == 0 {
				moved++ // among the 500 generated 13×13 parents
			}
			if c.Goal != p.Goal {
				goals++
			}
			if c.NumWalls() > p.NumWalls() {
				walled++
			}
			if c.NumWalls() < p.NumWalls() {
				unwalled++
			}
		}
		if walled == 0 || goals == 0 {
			t.Errorf("%s: never added a wall (%d) or moved the goal (%d)", editor, walled, goals)
		}
		// Without agent edits the agent only moves when an edit lands on
		// its cell; with them it moves often.
		if editor == EditWallsNoneAgentGoal && moved < 200 {
			t.Errorf("%s: agent moved in only %d of 500 children", editor, moved)
		}
		if editor != EditWallsNoneAgentGoal && moved > 60 {
			t.Errorf("%s: agent moved in %d of 500 children", editor, moved)
		}
		if editor == EditMinimax && unwalled == 0 {
			t.Errorf("%s: never removed a wall", editor)
		}
	}
}

// TestMutateFullGrid checks that mutation of a level whose free cells are
// all taken still yields valid levels.
func TestMutateFullGrid(t *testing.T) {
	l := mustParse(t, "###\n#>G\n###")
	rng := rand.New(rand.NewPCG(31, 32))
	for _, editor := range editors {
		s := testSpace(0, CountHalf, editor)
		for range 300 {
			if _, err := DecodeLevel(s.Mutate(mustEncodeTB(t, l), 1+rng.IntN(4), rng)); err != nil {
				t.Fatalf("%s: %v", editor, err)
			}
		}
	}
	tiny := mustEncodeTB(t, mustParse(t, ">G"))
	for _, editor := range editors {
		s := &Space{width: 2, height: 1, editor: editor}
		for range 50 {
			if _, err := DecodeLevel(s.Mutate(tiny, 3, rng)); err != nil {
				t.Fatalf("%s on a 2×1 level: %v", editor, err)
			}
		}
	}
}

// TestMutateDistribution checks dcd's editor on an empty level with one
// edit: the edit is each of wall, empty, agent and goal with probability 1/4.
func TestMutateDistribution(t *testing.T) {
	s := testSpace(0, CountHalf, EditWallsNoneAgentGoal)
	parent := mustEncodeTB(t, NewLevel(13, 13))
	rng := rand.New(rand.NewPCG(41, 42))
	const n = 8000
	var walls int
	for range n {
		c, _ := DecodeLevel(s.Mutate(parent, 1, rng))
		walls += c.NumWalls()
	}
	// A wall edit lands on the agent's or the goal's cell with probability
	// 2/169; the displaced one is re-placed and the wall stays.
	if f := float64(walls) / n; math.Abs(f-0.25) > 0.02 {
		t.Errorf("wall edits in %.3f of children, want 0.25", f)
	}
}

// TestSpaceFormatParse checks the Levels view's text methods.
func TestSpaceFormatParse(t *testing.T) {
	s := testSpace(25, CountHalf, EditWallsNoneAgentGoal)
	rng := rand.New(rand.NewPCG(51, 52))
	for range 100 {
		lv := s.Generate(rng)
		text, err := s.Format(lv)
		if err != nil {
			t.Fatal(err)
		}
		back, err := s.Parse(text)
		if err != nil || !bytes.Equal(back, lv) {
			t.Fatalf("Format/Parse round trip: %v\n%s", err, text)
		}
	}
	if _, err := s.Format([]byte{9}); err == nil {
		t.Error("Format of garbage: no error")
	}
	if _, err := s.Parse("nonsense"); err == nil {
		t.Error("Parse of garbage: no error")
	}
	var _ task.Levels = s
}

// TestBox checks the Box view: a task (θ, seed) always gives the same level,
// with round(walls) walls, and min_path lengthens the shortest path.
func TestBox(t *testing.T) {
	p := DefaultParams()
	p.Walls, p.BoxMinPath = 60, true
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	if f.Box().Len() != 2 || f.Box().Dim(0).Name != "walls" || f.Box().Hi()[0] != 60 || f.Box().Dim(1).Name != "min_path" {
		t.Fatalf("box %v", f.Box())
	}
	rng := rand.New(rand.NewPCG(61, 62))
	var short, long int
	for range 300 {
		theta := []float64{60 * rng.Float64(), 0}
		seed := rng.Uint64()
		a, err := f.BoxLevel(theta, seed)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := f.BoxLevel(theta, seed)
		if !a.Equal(b) {
			t.Fatal("same Box task, different levels")
		}
		if a.NumWalls() != int(math.Round(theta[0])) {
			t.Fatalf("θ = %v gave %d walls", theta, a.NumWalls())
		}
		if d, _ := a.ShortestPath(); d < 12 {
			short++
		}
		theta[1] = 0.5 // at least 12 moves
		c, _ := f.BoxLevel(theta, seed)
		if d, ok := c.ShortestPath(); ok && d >= 12 {
			long++
		} else if theta[0] < 30 {
			t.Errorf("θ = %v: path %d, %v", theta, d, ok)
		}
	}
	if short < 100 || long < 280 {
		t.Errorf("without min_path %d of 300 paths were short; with it %d were long enough", short, long)
	}
	if _, err := f.BoxLevel([]float64{61, 0}, 1); err == nil {
		t.Error("Box task outside the box: no error")
	}
	if _, err := f.BoxLevel([]float64{6}, 1); err == nil {
		t.Error("Box task of the wrong length: no error")
	}
}
