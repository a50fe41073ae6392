package paired

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/plr"
)

// testParams are PAIRED's with a small feed-forward adversary updated every
// 4 levels.
func testParams() Params {
	p := DefaultParams()
	p.AdvTrunk, p.AdvActorHidden, p.AdvCriticHidden = []int{8}, []int{8}, []int{8}
	p.AdvRecurrent = false
	p.AdvEpisodes = 4
	return p
}

func newTeacher(t testing.TB, p Params, space task.Space, seed uint64, ant task.Student) *Teacher {
	t.Helper()
	tc, err := New(p, space, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	tc.SetStudentFactory(func(name string) (task.Student, error) {
		if name != StepsAntagonist {
			t.Errorf("the teacher asked for a student named %q", name)
		}
		return ant, nil
	})
	return tc
}

var (
	_ task.Teacher      = (*Teacher)(nil)
	_ task.StudentOwner = (*Teacher)(nil)
	_ task.StepCounter  = (*Teacher)(nil)
)

func TestNewRejects(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	plain := plainLevels{gridSpace{side: 3, walls: 2}}
	if _, err := New(DefaultParams(), plain, rng); err == nil || !strings.Contains(err.Error(), "task.Constructible") {
		t.Errorf("New on a Levels space without a builder: %v", err)
	}
	box, _ := task.NewBox(task.Dim{Name: "x", Hi: 1})
	if _, err := New(DefaultParams(), box, rng); err == nil || !strings.Contains(err.Error(), "task.Constructible") {
		t.Errorf("New on a box: %v", err)
	}
	if _, err := New(DefaultParams(), gridSpace{side: 3, walls: 2}, nil); err == nil || !strings.Contains(err.Error(), "stream") {
		t.Errorf("New without a stream: %v", err)
	}
	for _, tc := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.Regret = "max" }, `regret = "max"`},
		{func(p *Params) { p.LevelSteps = 0 }, "level_steps = 0"},
		{func(p *Params) { p.LevelEpisodes = -1 }, "level_episodes = -1"},
		{func(p *Params) { p.AdvEpisodes = 0 }, "adv_episodes = 0"},
		{func(p *Params) { p.AdvNMinibatches = 100 }, "adv_n_minibatches = 100"},
		{func(p *Params) { p.AdvClipReward = -1 }, "adv_clip_reward = -1"},
		{func(p *Params) { p.AdvLR = 0 }, "adv_lr = 0"},
		{func(p *Params) { p.AdvNEpochs = 0 }, "adv_n_epochs = 0"},
		{func(p *Params) { p.AdvGamma = 2 }, "adv_gamma = 2"},
		{func(p *Params) { p.AdvValueLoss = "l2" }, `adv_value_loss = "l2"`},
		{func(p *Params) { p.AdvActorHidden = []int{0} }, "adv_actor_hidden[0] = 0"},
		{func(p *Params) { p.AdvRecurrentSize = 0 }, "adv_recurrent_size = 0"},
		{func(p *Params) { p.Replay, p.PLRTemperature = true, 0 }, "plr_temperature = 0"},
		{func(p *Params) { p.Replay, p.PLRSchedule = true, "always" }, `plr_schedule = "always"`},
		{func(p *Params) { p.Replay, p.PLRBufferSize = true, 0 }, "plr_buffer_size = 0"},
	} {
		p := DefaultParams()
		tc.mod(&p)
		if _, err := New(p, gridSpace{side: 3, walls: 2}, rng); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New = %v, want an error containing %q", err, tc.want)
		}
	}
	for _, p := range []Params{DefaultParams(), REPAIREDParams()} {
		if err := p.Validate(); err != nil {
			t.Errorf("defaults: %v", err)
		}
	}
	// Bad plr_ values do not matter to PAIRED.
	p := DefaultParams()
	p.PLRTemperature = 0
	if err := p.Validate(); err != nil {
		t.Errorf("PAIRED with an unused bad plr_temperature: %v", err)
	}
}

func TestRegret(t *testing.T) {
	plays := func(returns ...float64) *play {
		p := new(play)
		for _, r := range returns {
			p.add(task.Outcome{Return: r, Steps: 1})
		}
		return p
	}
	for _, tc := range []struct {
		name     string
		pro, ant []float64
		want     float64
	}{
		{RegretPaired, []float64{0.2, 0.4}, []float64{0.1, 0.9}, 0.6},
		{RegretPaired, []float64{0.8, 0.6}, []float64{0.5}, 0},
		{RegretUnclipped, []float64{0.8, 0.6}, []float64{0.5}, -0.2},
		{RegretFlexible, []float64{0.2, 0.4}, []float64{0.1, 0.9}, 0.6}, // antagonist best: 0.9 − 0.3
		{RegretFlexible, []float64{0.9, 0.1}, []float64{0.2, 0.4}, 0.6}, // protagonist best: 0.9 − 0.3
		{RegretFlexible, []float64{0.5}, []float64{0.5, 0.1}, 0.2},      // tie: the protagonist's max
		{RegretMinimax, []float64{0.2, 0.7}, nil, -0.7},
		{RegretMeanRelative, []float64{0.2, 0.4}, []float64{0.1, 0.9}, 0.2},
		{RegretMeanRelative, []float64{0.6}, []float64{0.1, 0.9}, 0},
		{RegretPopulation, []float64{0.2, 0.4}, []float64{0.1, 0.9}, 0.9 - 0.4},
		{RegretPaired, []float64{-1, 0}, []float64{-0.25}, 0.25},
	} {
		if got := regret(tc.name, plays(tc.pro...), plays(tc.ant...)); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s(pro %v, ant %v) = %v, want %v", tc.name, tc.pro, tc.ant, got, tc.want)
		}
	}
}

// TestRunningStd checks the reward normaliser against the batch formula of
// baselines' RunningMeanStd: merging rewards one at a time is exact.
func TestRunningStd(t *testing.T) {
	xs := []float64{0.3, 0, 0.9, 0.5, 0.5, 0.1, 0.7}
	s := newRunningStd()
	for _, x := range xs {
		s.add(x)
	}
	n := float64(len(xs))
	var mean, ss float64
	for _, x := range xs {
		mean += x / n
	}
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	total := 1e-4 + n
	wantMean := mean * n / total
	wantVar := (1*1e-4 + ss + mean*mean*1e-4*n/total) / total
	if math.Abs(s.mean-wantMean) > 1e-12 || math.Abs(s.variance-wantVar) > 1e-12 || s.count != total {
		t.Errorf("running mean %v var %v count %v, want %v %v %v", s.mean, s.variance, s.count, wantMean, wantVar, total)
	}
}

// TestPairedCycle checks who plays what in a PAIRED cycle: the protagonist
// plays the adversary's level as many times as fit in level_steps (two
// 100-step episodes in 256), then the antagonist learns on the same level
// and seed as many times (eight 30-step episodes), the adversary gets the
// regret, and a new level follows. The step counts follow.
func TestPairedCycle(t *testing.T) {
	space := gridSpace{side: 3, walls: 2}
	pro := &fakeStudent{ret: constant(0.2), steps: length(100), keep: true}
	ant := &fakeStudent{ret: constant(0.7), steps: length(30), keep: true}
	tc := newTeacher(t, testParams(), space, 1, ant)
	rng := rand.New(rand.NewPCG(2, 2))
	if names := tc.StepNames(); !slices.Equal(names, []string{"antagonist", "adversary"}) {
		t.Fatalf("step names %v", names)
	}
	const cycles = 10
	tasks := teach(tc, pro, rng, 2*cycles)
	var levels []string
	for c := range cycles {
		a, b := tasks[2*c], tasks[2*c+1]
		if !reflect.DeepEqual(a, b) || a.Probe || len(a.Level) != space.walls+2 {
			t.Fatalf("cycle %d: the protagonist played %v then %v", c, a, b)
		}
		levels = append(levels, string(a.Level))
		for k, cl := range ant.calls[8*c : 8*c+8] {
			if cl.how != "learn" || cl.level != string(a.Level) || cl.seed != a.Seed {
				t.Fatalf("cycle %d: antagonist episode %d was %+v, want learning on the protagonist's level and seed", c, k, cl)
			}
		}
	}
	if len(ant.calls) != 8*cycles {
		t.Fatalf("the antagonist played %d episodes in %d cycles, want 8 each", len(ant.calls), cycles)
	}
	slices.Sort(levels)
	if len(slices.Compact(levels)) < cycles/2 {
		t.Errorf("levels %q: the adversary should build varied levels", levels)
	}
	st := tc.Stats()
	if st.Cycles != cycles || st.Levels != cycles || st.ReplayCycles != 0 || st.AdversaryUpdates != cycles/4 {
		t.Fatalf("stats %+v", st)
	}
	if math.Abs(st.Regret-0.5) > 1e-12 || math.Abs(st.RegretSum-0.5*cycles) > 1e-9 || st.Solved != cycles {
		t.Fatalf("regret %v (sum %v), want 0.7 − 0.2 per level", st.Regret, st.RegretSum)
	}
	steps := make([]int64, 2)
	tc.CountSteps(steps)
	if steps[0] != cycles*8*30 || steps[1] != cycles*4 {
		t.Fatalf("steps %v, want antagonist %d and adversary %d", steps, cycles*8*30, cycles*4)
	}

	// With level_episodes, each student plays exactly that many episodes.
	p := testParams()
	p.LevelEpisodes = 3
	ant.calls = nil
	tc = newTeacher(t, p, space, 1, ant)
	tasks = teach(tc, pro, rng, 9)
	for c := range 3 {
		if !reflect.DeepEqual(tasks[3*c], tasks[3*c+2]) || reflect.DeepEqual(tasks[3*c], tasks[(3*c+3)%9]) {
			t.Fatalf("level_episodes 3: cycle %d's tasks %v", c, tasks)
		}
	}
	if len(ant.calls) != 9 {
		t.Fatalf("level_episodes 3: the antagonist played %d episodes in 3 cycles", len(ant.calls))
	}
}

// TestShareRule checks the rule that fits whole episodes in level_steps:
// an episode as long as the share plays once, short ones fill it.
func TestShareRule(t *testing.T) {
	tc := &Teacher{p: Params{LevelSteps: 256}}
	for _, c := range []struct {
		lengths []int
		want    int // episodes played
	}{
		{[]int{250, 250}, 1},
		{[]int{128, 128, 128}, 2},
		{[]int{20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20}, 12},
		{[]int{10, 100, 100, 100}, 3},
		{[]int{10, 200, 200}, 2},
		{[]int{300, 1}, 1},
	} {
		var p play
		n := 0
		for _, l := range c.lengths {
			p.add(task.Outcome{Steps: l})
			n++
			if tc.shareDone(&p) {
				break
			}
		}
		if n != c.want {
			t.Errorf("lengths %v: %d episodes, want %d", c.lengths, n, c.want)
		}
	}
}

// TestRepairedCycle checks REPAIRED's bookkeeping: while the buffers fill,
// the adversary builds every cycle's level and both students only probe
// it; once the protagonist's buffer is min_fill full, cycles replay, the
// adversary rests, and each student learns only from levels of its own
// buffer.
func TestRepairedCycle(t *testing.T) {
	p := REPAIREDParams()
	p.AdvTrunk, p.AdvActorHidden, p.AdvCriticHidden, p.AdvEpisodes = []int{8}, []int{8}, []int{8}, 4
	p.PLRBufferSize, p.PLRMinFill, p.PLRReplayProb, p.PLRSchedule = 6, 0.5, 0.8, "fixed"
	p.LevelEpisodes = 2
	space := gridSpace{side: 3, walls: 2}
	// The return depends on the level, so that levels score differently.
	ret := func(l []byte) float64 { return float64(l[0]) / 10 }
	pro := &fakeStudent{ret: ret, steps: length(20), keep: true}
	ant := &fakeStudent{ret: ret, steps: length(20), keep: true}
	tc := newTeacher(t, p, space, 3, ant)
	proBuf, antBuf := tc.Buffers()
	stored := func(buf *plr.Teacher, level []byte) bool {
		for i := range buf.Len() {
			if bytes.Equal(buf.Entry(i).Task.Level, level) {
				return true
			}
		}
		return false
	}
	// Every level played is one the protagonist probed first (the
	// adversary's); a level learned is in the learner's buffer.
	probed := map[string]bool{}
	pro.check = func(how string, tk task.Task) {
		switch {
		case how == "probe":
			probed[string(tk.Level)] = true
		case how != "learn" || !stored(proBuf, tk.Level) || !probed[string(tk.Level)]:
			t.Fatalf("the protagonist %s %v, not a stored level of its buffer", how, tk)
		}
	}
	ant.check = func(how string, tk task.Task) {
		switch {
		case !probed[string(tk.Level)]:
			t.Fatalf("the antagonist %s %v, which the protagonist never probed", how, tk)
		case how == "learn" && !stored(antBuf, tk.Level):
			t.Fatalf("the antagonist learned on %v, not a stored level of its buffer", tk)
		case how == "evaluate":
			t.Fatal("the antagonist was evaluated, not probed")
		}
	}
	rng := rand.New(rand.NewPCG(4, 4))
	tasks := teach(tc, pro, rng, 400)
	st := tc.Stats()
	if st.Cycles != 200 || st.ReplayCycles+st.Levels != 200 || st.ReplayCycles < 100 || st.Levels < 6 {
		t.Fatalf("stats %+v: want 200 cycles of two episodes, most of them replays once the buffers filled", st)
	}
	if len(ant.calls) != 400 {
		t.Fatalf("the antagonist played %d episodes, want 2 per cycle", len(ant.calls))
	}
	var proProbes, antProbes int
	for i, tk := range tasks {
		if tk.Probe {
			proProbes++
		}
		if ant.calls[i].how == "probe" {
			antProbes++
		}
	}
	if proProbes != 2*st.Levels || antProbes != 2*st.Levels {
		t.Fatalf("%d protagonist and %d antagonist probes, want 2 per level built (%d)", proProbes, antProbes, st.Levels)
	}
	// The first three cycles (buffer under half full) built and probed.
	for i, tk := range tasks[:6] {
		if !tk.Probe {
			t.Fatalf("episode %d replayed before the buffer was half full", i)
		}
	}
	steps := make([]int64, 2)
	tc.CountSteps(steps)
	if steps[0] != 400*20 || steps[1] != int64(st.Levels*4) {
		t.Fatalf("steps %v, want antagonist %d and adversary %d (replay cycles build nothing)", steps, 400*20, st.Levels*4)
	}
}

// TestMinimax checks that the minimax adversary needs no antagonist and is
// rewarded with minus the protagonist's best return.
func TestMinimax(t *testing.T) {
	p := testParams()
	p.Regret = RegretMinimax
	p.LevelEpisodes = 1
	tc, err := New(p, gridSpace{side: 3, walls: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	asked := false
	tc.SetStudentFactory(func(string) (task.Student, error) { asked = true; return nil, errors.New("no") })
	pro := &fakeStudent{ret: constant(0.3), steps: length(5)}
	teach(tc, pro, rand.New(rand.NewPCG(2, 2)), 5)
	steps := make([]int64, 2)
	tc.CountSteps(steps)
	if asked || tc.Stats().Regret != -0.3 || steps[0] != 0 || steps[1] != 5*3 {
		t.Fatalf("asked for a student %v, regret %v, steps %v", asked, tc.Stats().Regret, steps)
	}
}

// TestAntagonistMissing checks the two ways of lacking an antagonist: a
// failing factory stops the teacher with its error; no factory at all
// (outside the runner) plays unopposed cycles, counted.
func TestAntagonistMissing(t *testing.T) {
	p := testParams()
	p.LevelEpisodes = 1
	tc, err := New(p, gridSpace{side: 3, walls: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	tc.SetStudentFactory(func(string) (task.Student, error) { return nil, errors.New("out of students") })
	func() {
		defer func() {
			if r, _ := recover().(string); !strings.Contains(r, "out of students") {
				t.Errorf("a failing factory: panic %q, want its error", r)
			}
		}()
		tc.Sample(rand.New(rand.NewPCG(1, 1)))
	}()
	r := REPAIREDParams()
	r.LevelEpisodes = 1
	for _, p := range []Params{p, r} {
		tc, err = New(p, gridSpace{side: 3, walls: 1}, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		teach(tc, &fakeStudent{ret: constant(-0.5), steps: length(100)}, rand.New(rand.NewPCG(2, 2)), 5)
		steps := make([]int64, 2)
		tc.CountSteps(steps)
		if st := tc.Stats(); st.Cycles != 5 || st.Unopposed != 5 || st.Regret != 0.5 || steps[0] != 0 {
			t.Errorf("replay %v without a factory: %+v, steps %v; want 5 unopposed cycles of regret max(0, 0 − (−0.5))", p.Replay, st, steps)
		}
	}
}

// TestBadOutcomes checks that outcomes for another task or with a
// non-finite return change nothing, and that the cycle goes on.
func TestBadOutcomes(t *testing.T) {
	ant := &fakeStudent{ret: constant(1), steps: length(10)}
	p := testParams()
	p.LevelEpisodes = 2
	tc := newTeacher(t, p, gridSpace{side: 3, walls: 1}, 1, ant)
	rng := rand.New(rand.NewPCG(1, 1))
	tk := tc.Sample(rng)
	other := tk.Clone()
	other.Level[0]++
	tc.Update(other, task.Outcome{Return: 1, Steps: 3})
	tc.Update(tk, task.Outcome{Return: math.NaN(), Steps: 3})
	tc.Update(tk, task.Outcome{Return: math.Inf(1), Steps: 3})
	if st := tc.Stats(); st.Ignored != 3 || st.Cycles != 0 || tc.pro.episodes != 0 {
		t.Fatalf("after three bad outcomes: %+v, %d episodes recorded", st, tc.pro.episodes)
	}
	tc.Update(tk, task.Outcome{Return: 0.5, Steps: 3})
	tc.Update(tc.Sample(rng), task.Outcome{Return: 0.5, Steps: 3})
	if st := tc.Stats(); st.Cycles != 1 || st.Regret != 0.5 {
		t.Fatalf("after two good outcomes: %+v", st)
	}
	tc.Update(tk, task.Outcome{Return: 0.5, Steps: 3}) // between cycles
	if st := tc.Stats(); st.Ignored != 4 {
		t.Fatalf("an outcome between cycles was not ignored: %+v", st)
	}
}

// TestDeterminism checks that the same streams give the same levels and
// adversary weights, and other streams others.
func TestDeterminism(t *testing.T) {
	for _, p := range []Params{testParams(), func() Params {
		p := REPAIREDParams()
		p.AdvTrunk, p.AdvEpisodes, p.PLRBufferSize, p.LevelEpisodes = []int{8}, 4, 8, 2
		return p
	}()} {
		run := func(seed uint64) ([]task.Task, []float64) {
			ret := func(l []byte) float64 { return float64(l[1]%4) / 4 }
			ant := &fakeStudent{ret: ret, steps: length(40)}
			tc := newTeacher(t, p, gridSpace{side: 4, walls: 3}, seed, ant)
			tasks := teach(tc, &fakeStudent{ret: ret, steps: length(60)}, rand.New(rand.NewPCG(seed, 9)), 300)
			return tasks, slices.Clone(tc.Adversary().Weights())
		}
		t1, w1 := run(1)
		t2, w2 := run(1)
		t3, w3 := run(2)
		if !reflect.DeepEqual(t1, t2) || !slices.Equal(w1, w2) {
			t.Errorf("replay %v: the same streams gave different tasks or weights", p.Replay)
		}
		if reflect.DeepEqual(t1, t3) || slices.Equal(w1, w3) {
			t.Errorf("replay %v: different streams gave the same tasks or weights", p.Replay)
		}
	}
}

// TestAdversaryLearns checks that the adversary learns a construction
// objective through the regret alone: the antagonist always returns 1 and
// the protagonist the fraction of walls in the right half of a 4 × 4 grid,
// so the regret is the fraction of walls placed in the left half. A
// uniform adversary scores 0.5.
func TestAdversaryLearns(t *testing.T) {
	const side, walls = 4, 4
	right := func(l []byte) float64 {
		n := 0
		for _, c := range l[:walls] {
			if int(c)%side >= side/2 {
				n++
			}
		}
		return float64(n) / walls
	}
	p := testParams()
	p.AdvTrunk, p.AdvActorHidden, p.AdvCriticHidden = []int{16}, []int{16}, []int{16}
	p.AdvLR, p.AdvEpisodes, p.LevelEpisodes = 1e-3, 8, 1
	ant := &fakeStudent{ret: constant(1), steps: length(1)}
	tc := newTeacher(t, p, gridSpace{side: side, walls: walls}, 5, ant)
	pro := &fakeStudent{ret: right, steps: length(1)}
	rng := rand.New(rand.NewPCG(6, 6))
	mean := func(cycles int) float64 {
		before := tc.Stats().RegretSum
		teach(tc, pro, rng, cycles)
		return (tc.Stats().RegretSum - before) / float64(cycles)
	}
	first := mean(40)
	mean(1000)
	last := mean(200)
	t.Logf("mean regret: first 40 levels %.3f, last 200 %.3f", first, last)
	if first > 0.65 || last < 0.85 {
		t.Errorf("mean regret %.3f → %.3f: want the adversary to learn to wall the left half (from about 0.5 to above 0.85)", first, last)
	}
}

func TestAllocs(t *testing.T) {
	ant := &fakeStudent{ret: constant(0.5), steps: length(30)}
	tc := newTeacher(t, testParams(), gridSpace{side: 4, walls: 5, reuse: true}, 1, ant)
	pro := &fakeStudent{ret: constant(0.2), steps: length(60)}
	rng := rand.New(rand.NewPCG(1, 1))
	episode := func() {
		tk := tc.Sample(rng)
		tc.Update(tk, pro.Learn(tk))
	}
	for range 200 {
		episode()
	}
	if a := testing.AllocsPerRun(400, episode); a != 0 {
		t.Errorf("an episode (with cycles, constructions and adversary updates) allocates %v times", a)
	}
}
