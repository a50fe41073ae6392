package maze

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/teachbench/teachbench/task"
)

var _ task.Constructible = (*Space)(nil)

// build plays one construction episode of seed with the given cells as
// actions and returns the builder, the observations before each step and
// after the last, and the level built.
func build(t *testing.T, b *Builder, seed uint64, cells []int) ([][]float64, *Level) {
	t.Helper()
	if len(cells) != b.Steps() {
		t.Fatalf("%d actions for an episode of %d steps", len(cells), b.Steps())
	}
	obs := make([]float64, b.ObsSize())
	b.Reset(task.Task{Seed: seed}, obs)
	seen := [][]float64{slices.Clone(obs)}
	for i, c := range cells {
		r, status := b.Step([]float64{float64(c)}, obs)
		seen = append(seen, slices.Clone(obs))
		if r != 0 {
			t.Fatalf("step %d paid %v, want 0", i, r)
		}
		if last := i == len(cells)-1; status.Done() != last || (last && status != task.Terminated) {
			t.Fatalf("step %d of %d: status %v", i, len(cells), status)
		}
		if !status.Done() && b.Level() != nil {
			t.Fatal("Level returned a level before the episode ended")
		}
	}
	if o := b.Outcome(); o.Steps != len(cells) || o.Return != 0 || o.Success || o.Check() != nil {
		t.Fatalf("outcome %+v", o)
	}
	l, err := DecodeLevel(b.Level())
	if err != nil {
		t.Fatalf("the level built is invalid: %v", err)
	}
	if !l.Equal(b.Built()) {
		t.Fatal("Level and Built disagree")
	}
	return seen, l
}

func cell(x, y int) int { return y*13 + x }

// TestBuilderProtocol checks dcd's GoalLast rules on hand-picked actions:
// walls first (repeats are no-ops), then the goal (clearing a wall), then
// the agent (clearing a wall, or sent to a random free cell when it lands
// on the goal).
func TestBuilderProtocol(t *testing.T) {
	b := newBuilder(13, 13, 4)
	if b.Steps() != 6 || b.ObsSize() != 4*169+4+3+NoiseSize || b.Actions().Discrete != 169 {
		t.Fatalf("steps %d, obs %d, actions %+v", b.Steps(), b.ObsSize(), b.Actions())
	}
	for _, tc := range []struct {
		name      string
		cells     []int
		walls     []Pos
		goal      Pos
		agent     Pos // {-1, -1}: random
		wantCount int
	}{
		{"distinct", []int{cell(1, 1), cell(2, 1), cell(3, 1), cell(4, 1), cell(12, 12), cell(0, 0)},
			[]Pos{{1, 1}, {2, 1}, {3, 1}, {4, 1}}, Pos{12, 12}, Pos{0, 0}, 4},
		{"repeated wall is a no-op", []int{cell(5, 5), cell(5, 5), cell(5, 5), cell(6, 5), cell(0, 0), cell(1, 0)},
			[]Pos{{5, 5}, {6, 5}}, Pos{0, 0}, Pos{1, 0}, 2},
		{"goal clears a wall", []int{cell(5, 5), cell(6, 5), cell(7, 5), cell(8, 5), cell(6, 5), cell(1, 0)},
			[]Pos{{5, 5}, {7, 5}, {8, 5}}, Pos{6, 5}, Pos{1, 0}, 3},
		{"agent clears a wall", []int{cell(5, 5), cell(6, 5), cell(7, 5), cell(8, 5), cell(0, 0), cell(8, 5)},
			[]Pos{{5, 5}, {6, 5}, {7, 5}}, Pos{0, 0}, Pos{8, 5}, 3},
		{"agent on the goal goes elsewhere", []int{cell(5, 5), cell(6, 5), cell(7, 5), cell(8, 5), cell(3, 3), cell(3, 3)},
			[]Pos{{5, 5}, {6, 5}, {7, 5}, {8, 5}}, Pos{3, 3}, Pos{-1, -1}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, l := build(t, b, 7, tc.cells)
			if n := l.NumWalls(); n != tc.wantCount {
				t.Errorf("%d walls, want %d", n, tc.wantCount)
			}
			for _, p := range tc.walls {
				if !l.Wall(p) {
					t.Errorf("no wall at %v", p)
				}
			}
			if l.Goal != tc.goal {
				t.Errorf("goal at %v, want %v", l.Goal, tc.goal)
			}
			if tc.agent.X >= 0 && l.Agent != tc.agent {
				t.Errorf("agent at %v, want %v", l.Agent, tc.agent)
			}
			if l.Agent == l.Goal || l.Wall(l.Agent) {
				t.Errorf("agent at %v on the goal or a wall", l.Agent)
			}
		})
	}
}

// TestBuilderAgentOnGoal checks that an agent sent to the goal lands on a
// uniformly random free cell: every free cell is used, the goal and walls
// never, and the cell is fixed by the seed.
func TestBuilderAgentOnGoal(t *testing.T) {
	const side = 3 // 9 cells: 2 walls, the goal, 6 free cells
	b := newBuilder(side, side, 2)
	cells := []int{0, 1, 4, 4} // walls at (0,0), (1,0); goal and agent at (1,1)
	counts := map[Pos]int{}
	for seed := range uint64(600) {
		_, l := build(t, b, seed, cells)
		counts[l.Agent]++
		_, again := build(t, b, seed, cells)
		if again.Agent != l.Agent || again.Dir != l.Dir {
			t.Fatalf("seed %d: agent %v %v then %v %v", seed, l.Agent, l.Dir, again.Agent, again.Dir)
		}
	}
	for _, p := range []Pos{{0, 0}, {1, 0}, {1, 1}} {
		if counts[p] != 0 {
			t.Errorf("agent placed %d times on %v (a wall or the goal)", counts[p], p)
		}
	}
	if len(counts) != 6 {
		t.Errorf("agent cells %v: want all 6 free cells", counts)
	}
	for p, n := range counts {
		if n < 60 || n > 140 { // 100 expected
			t.Errorf("agent on %v %d times of 600, want about 100", p, n)
		}
	}
}

// TestBuilderObservation checks the observation's layout: cell codes, the
// one-hot step count and the noise, which is fresh at every step and fixed
// by the seed.
func TestBuilderObservation(t *testing.T) {
	b := newBuilder(13, 13, 2)
	cells := []int{cell(1, 0), cell(2, 0), cell(3, 0), cell(4, 0)}
	seen, l := build(t, b, 11, cells)
	noise := 4*169 + 2 + 3
	for k, obs := range seen {
		for i := range 169 {
			var want int
			switch {
			case k > 0 && i == cell(1, 0), k > 1 && i == cell(2, 0):
				want = BuildWall
			case k > 2 && i == cell(3, 0):
				want = BuildGoal
			case k > 3 && i == cell(4, 0):
				want = BuildAgent
			}
			for c := range BuildCodes {
				if v := obs[4*i+c]; v != b2f(c == want) {
					t.Fatalf("observation %d, cell %d, code %d = %v", k, i, c, v)
				}
			}
		}
		for s := range 5 {
			if v := obs[4*169+s]; v != b2f(s == k) {
				t.Fatalf("observation %d: step code %d = %v", k, s, v)
			}
		}
		for _, z := range obs[noise:] {
			if !(z >= 0 && z < 1) {
				t.Fatalf("observation %d: noise %v outside [0, 1)", k, z)
			}
		}
		if k > 0 && slices.Equal(obs[noise:], seen[k-1][noise:]) {
			t.Fatalf("observation %d has the noise of the previous one", k)
		}
	}
	if l.Agent != (Pos{4, 0}) || l.Goal != (Pos{3, 0}) || l.NumWalls() != 2 {
		t.Fatalf("level %v", l)
	}
	again, _ := build(t, b, 11, cells)
	other, _ := build(t, b, 12, cells)
	for k := range seen {
		if !slices.Equal(seen[k], again[k]) {
			t.Fatalf("observation %d differs for the same seed", k)
		}
		if slices.Equal(seen[k][noise:], other[k][noise:]) {
			t.Fatalf("observation %d has the same noise for seeds 11 and 12", k)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestBuilderRandomPolicy builds levels with uniformly random actions under
// several budgets, interior sizes included, and checks that every level is
// valid and within the budget, that the same seed and actions give the same
// level, and that directions vary with the seed.
func TestBuilderRandomPolicy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ w, h, walls int }{{13, 13, 25}, {13, 13, 0}, {13, 13, 60}, {4, 3, 10}, {2, 1, 0}} {
		b := newBuilder(tc.w, tc.h, tc.walls)
		dirs := map[Dir]bool{}
		for seed := range uint64(200) {
			cells := make([]int, b.Steps())
			for i := range cells {
				cells[i] = rng.IntN(tc.w * tc.h)
			}
			_, l := build(t, b, seed, cells)
			if n := l.NumWalls(); n > tc.walls {
				t.Fatalf("%+v: %d walls over the budget", tc, n)
			}
			if l.Width != tc.w || l.Height != tc.h || l.MaxSteps != 0 {
				t.Fatalf("%+v: level %d×%d max steps %d", tc, l.Width, l.Height, l.MaxSteps)
			}
			_, again := build(t, b, seed, cells)
			if !l.Equal(again) {
				t.Fatalf("%+v seed %d: two levels from the same seed and actions", tc, seed)
			}
			dirs[l.Dir] = true
		}
		if len(dirs) != 4 {
			t.Errorf("%+v: directions %v, want all four", tc, dirs)
		}
	}
}

func TestBuilderFromFamily(t *testing.T) {
	p := DefaultParams()
	p.Walls = 7
	f, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	var c task.Constructible = f.Levels()
	b := c.NewBuilder(rand.New(rand.NewPCG(0, 0)))
	if b.Actions().Discrete != 169 || b.ObsSize() != 4*169+7+3+NoiseSize {
		t.Fatalf("builder of the family: %d actions, obs %d", b.Actions().Discrete, b.ObsSize())
	}
	if b.Level() != nil {
		t.Fatal("Level before any episode")
	}
}

func TestBuilderPanics(t *testing.T) {
	b := newBuilder(13, 13, 1)
	obs := make([]float64, b.ObsSize())
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"step before reset", func() { b.Step([]float64{0}, obs) }},
		{"cell out of range", func() { b.Reset(task.Task{}, obs); b.Step([]float64{169}, obs) }},
		{"fractional cell", func() { b.Reset(task.Task{}, obs); b.Step([]float64{2.5}, obs) }},
		{"step after the end", func() {
			b.Reset(task.Task{}, obs)
			for range 4 {
				b.Step([]float64{3}, obs)
			}
		}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.f()
		}()
	}
}

func TestBuilderAllocs(t *testing.T) {
	b := newBuilder(13, 13, 25)
	obs := make([]float64, b.ObsSize())
	act := []float64{0}
	rng := rand.New(rand.NewPCG(3, 3))
	seed := uint64(0)
	episode := func() {
		seed++
		b.Reset(task.Task{Seed: seed}, obs)
		for {
			act[0] = float64(rng.IntN(169))
			if _, st := b.Step(act, obs); st.Done() {
				return
			}
		}
	}
	if n := testing.AllocsPerRun(100, episode); n != 0 {
		t.Errorf("a construction episode allocates %v times", n)
	}
}

// BenchmarkBuild measures a construction episode of the default 25-wall
// budget under a uniformly random policy, encoding of the level included.
func BenchmarkBuild(b *testing.B) {
	bl := newBuilder(13, 13, 25)
	obs := make([]float64, bl.ObsSize())
	act := []float64{0}
	rng := rand.New(rand.NewPCG(3, 3))
	seed := uint64(0)
	b.ReportAllocs()
	for b.Loop() {
		seed++
		bl.Reset(task.Task{Seed: seed}, obs)
		for {
			act[0] = float64(rng.IntN(169))
			if _, st := bl.Step(act, obs); st.Done() {
				break
			}
		}
		bl.Level()
	}
}
