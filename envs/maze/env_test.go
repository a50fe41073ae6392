package maze

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// mustParse parses a level or fails the test.
func mustParse(t testing.TB, text string) *Level {
	t.Helper()
	l, err := ParseLevel(text)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// mustEncodeTB encodes a level or fails the test.
func mustEncodeTB(t testing.TB, l *Level) []byte {
	t.Helper()
	b, err := l.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testEnv returns an environment with the given horizon and action count.
func testEnv(horizon, actions int) *Env {
	return newEnv(horizon, actions, genParams{width: 13, height: 13, budget: 25})
}

// playOracle plays l with the oracle under step limit limit and returns the
// steps taken, the return and whether the goal was reached. It also checks
// that the environment's outcome agrees.
func playOracle(t testing.TB, l *Level, limit int) (steps int, ret float64, solved bool) {
	t.Helper()
	e := testEnv(limit, 3)
	obs := make([]float64, ObsSize)
	e.Reset(task.Task{Level: mustEncodeTB(t, l)}, obs)
	var o Oracle
	o.Reset(e.Level())
	act := []float64{0}
	for {
		p, d := e.Agent()
		act[0] = float64(o.Act(p, d))
		r, status := e.Step(act, obs)
		ret += r
		if status.Done() {
			out := e.Outcome()
			if out.Return != ret || out.Score != ret || out.Steps != e.StepCount() || out.Success != (status == task.Terminated) {
				t.Fatalf("outcome %+v disagrees with the episode (return %v, %d steps, status %v)", out, ret, e.StepCount(), status)
			}
			return e.StepCount(), ret, status == task.Terminated
		}
	}
}

// reward is MiniGrid's reward for reaching the goal at step t of T, with the
// same order of floating-point operations.
func reward(t, T int) float64 { return 1 - 0.9*(float64(t)/float64(T)) }

// TestReward pins MiniGrid's reward: the step counter is incremented before
// the reward is computed, so reaching the goal at the t-th step (from 1) of
// a T-step episode pays 1 − 0.9·t/T.
func TestReward(t *testing.T) {
	fwd := []float64{ActForward}
	for _, c := range []struct {
		name    string
		level   string
		horizon int
		actions []int
		reward  float64
		status  task.StepStatus
	}{
		{"goal at step 1", ">G", 250, []int{ActForward}, reward(1, 250), task.Terminated},
		{"goal at step 2", ">.G", 250, []int{ActForward, ActForward}, reward(2, 250), task.Terminated},
		{"turns count", "^.G", 250, []int{ActRight, ActForward, ActForward}, reward(3, 250), task.Terminated},
		{"goal at the last step", ">.G", 2, []int{ActForward, ActForward}, reward(2, 2), task.Terminated},
		{"time out", ">.G", 1, []int{ActForward}, 0, task.Truncated},
		{"wall blocks", ">#G", 3, []int{ActForward, ActForward, ActForward}, 0, task.Truncated},
		{"border blocks", "<.G", 2, []int{ActForward, ActForward}, 0, task.Truncated},
	} {
		e := testEnv(c.horizon, 3)
		obs := make([]float64, ObsSize)
		e.Reset(task.Task{Level: mustEncodeTB(t, mustParse(t, c.level))}, obs)
		var r float64
		var status task.StepStatus
		for i, a := range c.actions {
			if status.Done() {
				t.Fatalf("%s: episode ended after %d actions", c.name, i)
			}
			fwd[0] = float64(a)
			r, status = e.Step(fwd, obs)
		}
		if r != c.reward || status != c.status {
			t.Errorf("%s: last step gave reward %v, status %v; want %v, %v", c.name, r, status, c.reward, c.status)
		}
		o := e.Outcome()
		if o.Return != c.reward || o.Score != c.reward || o.Success != (c.status == task.Terminated) || o.Steps != len(c.actions) {
			t.Errorf("%s: outcome %+v", c.name, o)
		}
		if err := o.Check(); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestLevelStepLimit checks that a level's MaxSteps overrides the horizon.
func TestLevelStepLimit(t *testing.T) {
	l := mustParse(t, "max_steps: 4\n>...G")
	e := testEnv(250, 3)
	obs := make([]float64, ObsSize)
	e.Reset(task.Task{Level: mustEncodeTB(t, l)}, obs)
	if e.Limit() != 4 {
		t.Fatalf("limit %d, want 4", e.Limit())
	}
	for range 3 {
		e.Step([]float64{ActForward}, obs)
	}
	if r, s := e.Step([]float64{ActForward}, obs); r != reward(4, 4) || s != task.Terminated {
		t.Errorf("reward %v, status %v", r, s)
	}
}

// TestNoOpActions checks that with 7 actions the four MiniGrid object
// actions spend a step and change nothing, and that bad actions panic.
func TestNoOpActions(t *testing.T) {
	e := testEnv(250, 7)
	if e.Actions().Discrete != 7 {
		t.Fatalf("actions %+v", e.Actions())
	}
	obs, obs2 := make([]float64, ObsSize), make([]float64, ObsSize)
	e.Reset(task.Task{Level: mustEncodeTB(t, mustParse(t, ">.G"))}, obs)
	for a := ActPickup; a <= ActDone; a++ {
		p, d := e.Agent()
		r, s := e.Step([]float64{float64(a)}, obs2)
		if p2, d2 := e.Agent(); p2 != p || d2 != d || r != 0 || s != task.Running {
			t.Errorf("action %d moved the agent or ended the episode", a)
		}
		for i := range obs {
			if obs[i] != obs2[i] {
				t.Fatalf("action %d changed the observation", a)
			}
		}
	}
	if e.StepCount() != 4 {
		t.Errorf("%d steps, want 4", e.StepCount())
	}
	for _, bad := range []float64{7, -1, 1.5} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("action %v did not panic", bad)
				}
			}()
			e.Step([]float64{bad}, obs)
		}()
	}
	three := testEnv(250, 3)
	three.Reset(task.Task{Level: mustEncodeTB(t, mustParse(t, ">.G"))}, obs)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("action 3 with 3 actions did not panic")
			}
		}()
		three.Step([]float64{ActPickup}, obs)
	}()
}

// viewText renders the view part of an observation as 5 lines of '.', '#'
// and 'G', checking that each cell is one-hot.
func viewText(t *testing.T, obs []float64) string {
	t.Helper()
	var b strings.Builder
	for i := range ViewCells {
		if i > 0 && i%ViewSize == 0 {
			b.WriteByte('\n')
		}
		code := -1
		for c := range CellCodes {
			switch obs[CellCodes*i+c] {
			case 1:
				if code >= 0 {
					t.Fatalf("view cell %d has two codes", i)
				}
				code = c
			case 0:
			default:
				t.Fatalf("view cell %d has value %v", i, obs[CellCodes*i+c])
			}
		}
		if code < 0 {
			t.Fatalf("view cell %d has no code", i)
		}
		b.WriteByte(".#G"[code])
	}
	return b.String()
}

// TestView checks the egocentric view of a hand-made level in each
// direction: the agent at the bottom centre facing up, cells outside the
// level read as walls, no occlusion, the agent's cell empty.
func TestView(t *testing.T) {
	layout := "#.G..\n....#\n..X..\n#....\n...#."
	for _, c := range []struct {
		dir  string
		view string
	}{
		{"^", "#####\n#####\n#.G..\n....#\n....."},
		{">", "#####\n#####\n.#...\n....#\nG...."},
		{"v", "#####\n#####\n.#...\n....#\n....."},
		{"<", "#####\n#####\n.#..#\n.....\n....G"},
	} {
		l := mustParse(t, strings.Replace(layout, "X", c.dir, 1))
		e := testEnv(250, 3)
		obs := make([]float64, ObsSize)
		e.Reset(task.Task{Level: mustEncodeTB(t, l)}, obs)
		if got := viewText(t, obs); got != c.view {
			t.Errorf("facing %s: view\n%s\nwant\n%s", c.dir, got, c.view)
		}
		for d := range 4 {
			want := 0.0
			if Dir(d) == l.Dir {
				want = 1
			}
			if obs[ViewCells*CellCodes+d] != want {
				t.Errorf("facing %s: direction one-hot %v", c.dir, obs[ViewCells*CellCodes:])
			}
		}
	}
}

// miniGridView computes the view as MiniGrid does (get_view_exts, a slice
// with walls outside the grid, then dir+1 rotations to the left), an
// independent formula against which the environment's offsets are checked.
func miniGridView(l *Level, p Pos, d Dir) [ViewSize][ViewSize]byte {
	const sz, hs = ViewSize, ViewSize / 2
	var tx, ty int
	switch d {
	case Right:
		tx, ty = p.X, p.Y-hs
	case Down:
		tx, ty = p.X-hs, p.Y
	case Left:
		tx, ty = p.X-sz+1, p.Y-hs
	case Up:
		tx, ty = p.X-hs, p.Y-sz+1
	}
	var g [sz][sz]byte // g[x][y]
	for j := range sz {
		for i := range sz {
			q := Pos{tx + i, ty + j}
			switch {
			case l.Wall(q):
				g[i][j] = '#'
			case q == l.Goal:
				g[i][j] = 'G'
			default:
				g[i][j] = '.'
			}
		}
	}
	for range int(d) + 1 {
		var r [sz][sz]byte
		for i := range sz {
			for j := range sz {
				r[j][sz-1-i] = g[i][j]
			}
		}
		g = r
	}
	var v [sz][sz]byte // v[row][col]
	for x := range sz {
		for y := range sz {
			v[y][x] = g[x][y]
		}
	}
	v[sz-1][hs] = '.' // the agent's own cell
	return v
}

// TestViewMatchesMiniGrid walks random policies on random levels and
// compares every observation with MiniGrid's view computation.
func TestViewMatchesMiniGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	obs := make([]float64, ObsSize)
	act := []float64{0}
	for range 30 {
		var l Level
		generate(&l, 3+rng.IntN(11), 3+rng.IntN(11), 8, CountHalf, rng)
		e := testEnv(60, 3)
		e.Reset(task.Task{Level: mustEncodeTB(t, &l)}, obs)
		for {
			p, d := e.Agent()
			want := miniGridView(&l, p, d)
			var b strings.Builder
			for y := range ViewSize {
				if y > 0 {
					b.WriteByte('\n')
				}
				b.Write(want[y][:])
			}
			if got := viewText(t, obs); got != b.String() {
				t.Fatalf("level\n%s\nagent %v facing %v: view\n%s\nwant\n%s", l.String(), p, d, got, b.String())
			}
			act[0] = float64(rng.IntN(3))
			if _, s := e.Step(act, obs); s.Done() {
				break
			}
		}
	}
}

// TestOracleSolvesGenerated plays the oracle on generated levels: it solves
// exactly the solvable ones within 2·d+1 steps and gets 1 − 0.9·t/T.
func TestOracleSolvesGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	solvable := 0
	for i := range 300 {
		var l Level
		generate(&l, 13, 13, []int{0, 25, 50, 60}[i%4], CountHalf, rng)
		d, ok := l.ShortestPath()
		steps, ret, solved := playOracle(t, &l, 250)
		if solved != ok {
			t.Fatalf("level\n%s\nsolvable %v but oracle solved %v", l.String(), ok, solved)
		}
		if !ok {
			if steps != 250 || ret != 0 {
				t.Fatalf("unsolvable level: %d steps, return %v", steps, ret)
			}
			continue
		}
		solvable++
		if steps > 2*d+1 || steps < d {
			t.Fatalf("oracle took %d steps for a path of %d", steps, d)
		}
		if want := reward(steps, 250); ret != want {
			t.Fatalf("return %v, want %v", ret, want)
		}
	}
	if solvable < 200 {
		t.Errorf("only %d of 300 generated levels solvable", solvable)
	}
}

// TestEnvErrors checks the panics on tasks the environment cannot play.
func TestEnvErrors(t *testing.T) {
	obs := make([]float64, ObsSize)
	for name, tk := range map[string]task.Task{
		"bad level":      {Level: []byte{1, 2, 3}},
		"discrete":       {Index: 3},
		"box dims":       {Params: []float64{1, 2}},
		"box range":      {Params: []float64{26}},
		"box NaN":        {Params: []float64{nan()}},
		"box negative":   {Params: []float64{-1}},
		"step after end": {Level: mustEncodeTB(t, mustParse(t, ">G"))},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("%s: no panic", name)
				} else if !strings.HasPrefix(r.(string), "maze: ") {
					t.Errorf("%s: panic %v", name, r)
				}
			}()
			e := testEnv(250, 3)
			e.Reset(tk, obs)
			e.Step([]float64{ActForward}, obs)
			e.Step([]float64{ActForward}, obs)
		}()
	}
}

// TestEnvAllocs checks that Reset and Step allocate nothing.
func TestEnvAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	sp := &Space{width: 13, height: 13, walls: 50, count: CountHalf, editor: EditWallsNoneAgentGoal}
	levels := make([][]byte, 8)
	for i := range levels {
		levels[i] = sp.Generate(rng)
	}
	e := testEnv(250, 3)
	obs := make([]float64, ObsSize)
	act := []float64{0}
	e.Reset(task.Task{Level: levels[0]}, obs)
	i := 0
	allocs := testing.AllocsPerRun(2000, func() {
		act[0] = float64(i % 3)
		i++
		if _, s := e.Step(act, obs); s.Done() {
			e.Reset(task.Task{Level: levels[i%len(levels)]}, obs)
		}
	})
	if allocs != 0 {
		t.Errorf("Step and Reset allocate %v times per call", allocs)
	}
	boxEnv := newEnv(250, 3, genParams{width: 13, height: 13, budget: 60, minPath: true})
	boxEnv.Reset(task.Task{Params: []float64{30, 0.5}, Seed: 1}, obs)
	allocs = testing.AllocsPerRun(100, func() {
		boxEnv.Reset(task.Task{Params: []float64{30, 0.5}, Seed: uint64(i)}, obs)
		i++
	})
	if allocs != 0 {
		t.Errorf("Reset on Box tasks allocates %v times per call", allocs)
	}
}
