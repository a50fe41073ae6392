package her

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/task/tasktest"
)

// quick returns parameters for the fake reaching task: small networks,
// short warm-ups, HER from the start.
func quick() Params {
	p := DefaultParams()
	p.Hidden = []int{32, 32}
	p.Activation = ReLU
	p.BatchSize = 64
	p.OptimizeEvery = 1
	p.WarmUp, p.InitialExplore, p.FutureWarmUp = 200, 300, 0
	p.ReplaySize = 20000
	return p
}

func newStudent(t testing.TB, p Params, newEnv func() task.Env, seed uint64) *Student {
	t.Helper()
	s, err := New(p, reachFamily{newEnv: newEnv}, tasktest.Streams(seed))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// coverage returns the percentage of the fake family's test goals reached.
func coverage(s *Student) float64 {
	return task.Evaluate(reachFamily{newEnv: newReach}, s).Mastered
}

// TestLearnsToReach trains on goals drawn uniformly from [−1, 1]² and checks
// that the deterministic policy, which reaches almost no test goal at
// first, reaches most of them after 700 episodes (8,400 steps).
func TestLearnsToReach(t *testing.T) {
	s := newStudent(t, quick(), newReach, 1)
	before := coverage(s)
	rng := rand.New(rand.NewPCG(5, 5))
	var successes int
	for i := range 700 {
		g := []float64{2*rng.Float64() - 1, 2*rng.Float64() - 1}
		if s.Learn(task.Task{Params: g, Seed: uint64(i)}).Success && i >= 600 {
			successes++
		}
	}
	after := coverage(s)
	st := s.Stats()
	t.Logf("coverage %.0f%% before, %.0f%% after; training success over the last 100 episodes %d%%; %+v", before, after, successes, st)
	if before > 20 || after < 75 {
		t.Errorf("coverage %.0f%% before training and %.0f%% after, want at most 20%% and at least 75%%", before, after)
	}
	if st.Updates == 0 || st.Skipped != 0 || st.Episodes != 700 || st.Steps != 700*12 {
		t.Errorf("stats %+v: want 700 episodes of 12 steps, updates and none skipped", st)
	}
	if st.MeanQ > 0 || st.MeanQ < -50 || st.TargetMin < -50 || st.TargetMax > 0 {
		t.Errorf("Q values outside the return range [-50, 0]: %+v", st)
	}
}

// TestAccepts checks which families the student takes, and that the
// refusal says why.
func TestAccepts(t *testing.T) {
	for _, c := range []struct {
		name   string
		newEnv func() task.Env
		want   string
	}{
		{"goal env", newReach, ""},
		{"goal first", func() task.Env { return &goalFirst{} }, "does not end with the desired goal"},
		{"not a goal env", func() task.Env { return &plain{} }, "not goal-conditioned"},
		{"discrete actions", func() task.Env { return &discrete{} }, "continuous"},
	} {
		f := reachFamily{newEnv: c.newEnv}
		err := check(f)
		switch {
		case c.want == "" && (err != nil || !Accepts(f)):
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want != "" && (err == nil || Accepts(f) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if c.want != "" {
			if _, err := New(quick(), f, tasktest.Streams(1)); err == nil {
				t.Errorf("%s: New accepted the family", c.name)
			}
		}
	}
	if _, err := New(quick(), reachFamily{newEnv: newReach}, task.Streams{}); err == nil {
		t.Error("New without streams: no error")
	}
}

// TestBufferRelabelling checks where each strategy takes its goals from:
// the transition's own goal, an achieved goal later in its episode, and the
// goal or achieved goal of any stored transition; and that a ring smaller
// than the data keeps whole futures.
func TestBufferRelabelling(t *testing.T) {
	// Episodes e = 0..9 of 5 steps; transition k of episode e has state
	// (100e + k), achieved goal (100e + k + 1), goal (1000 + e).
	const eps, steps = 10, 5
	fill := func(capacity int) *buffer {
		b := newBuffer(capacity, 1, 1, 1)
		for e := range eps {
			for k := range steps {
				v := float64(100*e + k)
				b.add([]float64{v}, []float64{0}, []float64{v + 1}, []float64{v + 1}, []float64{float64(1000 + e)})
			}
			b.endEpisode()
		}
		return b
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for _, capacity := range []int{100, 23} {
		b := fill(capacity)
		stored := map[float64]bool{} // states still in the ring
		for i := range b.size {
			stored[b.state[b.index(i)]] = true
		}
		for kind := range numKinds {
			var cum [numKinds]float64
			for k := range cum {
				if k >= kind {
					cum[k] = 1
				}
			}
			var bt batch
			b.sample(&bt, 500, &cum, rng)
			for r := range bt.rows {
				st, g := bt.state[r], bt.goal[r]
				e, k := int(st)/100, int(st)%100
				if !stored[st] || bt.next[r] != st+1 || bt.ach[r] != st+1 {
					t.Fatalf("cap %d: row %d: state %v next %v achieved %v not a stored transition", capacity, r, st, bt.next[r], bt.ach[r])
				}
				var ok bool
				switch kind {
				case kindReal:
					ok = g == float64(1000+e)
				case kindFuture:
					ok = g >= st+1 && g <= float64(100*e+steps) && stored[g-1]
				case kindDesired:
					ok = g >= 1000 && g < 1000+eps && stored[float64(100*(int(g)-1000)+steps-1)] || stored[float64(100*(int(g)-1000))]
				case kindAchieved:
					ok = stored[g-1]
				}
				if !ok {
					t.Fatalf("cap %d: strategy %d: transition (episode %d, step %d) got goal %v", capacity, kind, e, k, g)
				}
			}
		}
	}
}

// TestPreparedBatch checks the rewards and discounts of a relabelled batch:
// the reward is the environment's GoalReward of the achieved and the
// relabelled goal, and a transition that reaches its goal is terminal.
func TestPreparedBatch(t *testing.T) {
	s := newStudent(t, quick(), newReach, 3)
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range 60 {
		s.Learn(task.Task{Params: []float64{2*rng.Float64() - 1, 2*rng.Float64() - 1}, Seed: uint64(i)})
	}
	rows := s.prepare()
	var terminal int
	for r := range rows {
		want := s.env.GoalReward(s.bt.ach[2*r:2*r+2], s.bt.goal[2*r:2*r+2])
		if s.rew[r] != want {
			t.Fatalf("row %d: reward %v, want %v", r, s.rew[r], want)
		}
		if (s.disc[r] == 0) != (want == 0) || (s.disc[r] != 0 && s.disc[r] != s.p.Gamma) {
			t.Fatalf("row %d: reward %v, discount %v", r, s.rew[r], s.disc[r])
		}
		if want == 0 {
			terminal++
		}
	}
	if terminal == 0 {
		t.Error("no relabelled transition reaches its goal: hindsight relabelling is not at work")
	}
	s.p.NeverDone = true
	s.prepare()
	for r := range rows {
		if s.disc[r] != s.p.Gamma {
			t.Fatalf("never_done: row %d has discount %v", r, s.disc[r])
		}
	}
}

// TestActorGradient checks the actor's gradient, which flows through the
// critic's input gradient, against finite differences of the actor loss
// −mean Q(x, π(x)) + λ·mean π(x)².
func TestActorGradient(t *testing.T) {
	p := quick()
	p.Hidden = []int{8, 8}
	p.Activation = GELU
	ag := newAgent(p, 4, 2, rand.New(rand.NewPCG(1, 2)))
	const rows = 5
	rng := rand.New(rand.NewPCG(9, 9))
	x := make([]float64, rows*4)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	loss := func() float64 {
		var c, cq nn.MLPCache
		a := ag.actor.Forward(&c, x, rows)
		in := make([]float64, rows*6)
		concat(in, x, a, rows, 4, 2)
		q := ag.critic.Forward(&cq, in, rows)
		var l float64
		for r := range rows {
			l -= q[r] / rows
			for j := range 2 {
				l += p.ActionL2 * a[r*2+j] * a[r*2+j] / (rows * 2)
			}
		}
		return l
	}
	// One update computes the actor's gradient before its Adam step; use
	// the learning rate 0 so that the weights do not move.
	ag.optA.LR, ag.optC.LR = 0, 0
	xn := slices.Clone(x)
	ag.update(x, xn, make([]float64, rows*2), make([]float64, rows), make([]float64, rows), rows)
	grad := slices.Clone(ag.pa.Grads())
	if err := nn.CheckGradient(loss, ag.pa.Values(), grad, 1e-6, 1e-5); err != nil {
		t.Fatal(err)
	}
	if math.Abs(loss()-ag.lastActorLoss) > 1e-12 {
		t.Errorf("actor loss %v, recomputed %v", ag.lastActorLoss, loss())
	}
}

// TestNormalizer checks the running moments against the batch mean and
// variance (with the prior count 1e-4 at mean 0, variance 1), and the
// clipping of standardised values.
func TestNormalizer(t *testing.T) {
	z := newNormalizer(2, 5)
	rng := rand.New(rand.NewPCG(1, 2))
	var xs [][]float64
	for range 1000 {
		x := []float64{3 + 2*rng.NormFloat64(), -1 + 0.5*rng.NormFloat64()}
		xs = append(xs, x)
		z.update(x)
	}
	for k := range 2 {
		var m, v float64
		for _, x := range xs {
			m += x[k] / 1000
		}
		for _, x := range xs {
			v += (x[k] - m) * (x[k] - m) / 1000
		}
		n := 1000.0
		wantM := m * n / (n + normCount0)
		wantV := (1*normCount0 + v*n + m*m*normCount0*n/(n+normCount0)) / (n + normCount0)
		if math.Abs(z.mean[k]-wantM) > 1e-9 || math.Abs(z.vr[k]-wantV) > 1e-9 {
			t.Errorf("dim %d: mean %v var %v, want %v %v", k, z.mean[k], z.vr[k], wantM, wantV)
		}
	}
	out := make([]float64, 2)
	z.apply(out, []float64{1e6, -1})
	if out[0] != 5 || math.Abs(out[1]) > 0.2 {
		t.Errorf("apply: %v, want [5 ~0]", out)
	}
}

// TestDeterminism checks that the same streams give the same outcomes and
// weights, bit for bit.
func TestDeterminism(t *testing.T) {
	run := func() ([]task.Outcome, []float64) {
		s := newStudent(t, quick(), newReach, 7)
		rng := rand.New(rand.NewPCG(7, 7))
		var outs []task.Outcome
		for i := range 80 {
			o := s.Learn(task.Task{Params: []float64{2*rng.Float64() - 1, 2*rng.Float64() - 1}, Seed: uint64(i)})
			o.Achieved = slices.Clone(o.Achieved)
			outs = append(outs, o)
		}
		return outs, slices.Clone(s.ag.pa.Values())
	}
	o1, w1 := run()
	o2, w2 := run()
	for i := range o1 {
		if o1[i].Return != o2[i].Return || !slices.Equal(o1[i].Achieved, o2[i].Achieved) {
			t.Fatalf("episode %d differs: %+v vs %+v", i, o1[i], o2[i])
		}
	}
	if !slices.Equal(w1, w2) {
		t.Error("actor weights differ")
	}
}

// TestNoAllocations checks that training episodes with gradient steps and
// evaluation episodes allocate nothing once the buffers are sized.
func TestNoAllocations(t *testing.T) {
	s := newStudent(t, quick(), newReach, 2)
	tk := task.Task{Params: []float64{0.5, -0.5}, Seed: 3}
	for range 60 {
		s.Learn(tk)
	}
	if s.Stats().Updates == 0 {
		t.Fatal("no gradient step yet")
	}
	if a := testing.AllocsPerRun(5, func() { s.Learn(tk) }); a != 0 {
		t.Errorf("Learn: %v allocations, want 0", a)
	}
	if a := testing.AllocsPerRun(20, func() { s.Evaluate(tk) }); a != 0 {
		t.Errorf("Evaluate: %v allocations, want 0", a)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		edit func(*Params)
		want string
	}{
		{func(p *Params) { p.Hidden = nil }, "hidden"},
		{func(p *Params) { p.Hidden = []int{0} }, "hidden[0]"},
		{func(p *Params) { p.Activation = "swish" }, "activation"},
		{func(p *Params) { p.Gamma = 1 }, "gamma"},
		{func(p *Params) { p.ActorLR = 0 }, "actor_lr"},
		{func(p *Params) { p.OptimizeEvery = 0 }, "optimize_every"},
		{func(p *Params) { p.RandomAction = 2 }, "random_action"},
		{func(p *Params) { p.TargetFrac = 0 }, "target_frac"},
		{func(p *Params) { p.BatchSize = 0 }, "batch_size"},
		{func(p *Params) { p.RelabelReal, p.RelabelFuture, p.RelabelDesired, p.RelabelAchieved = 0, 0, 0, 0 }, "relabel"},
		{func(p *Params) { p.ActionNoise = -1 }, "action_noise"},
		{func(p *Params) { p.TerminalReward = math.NaN() }, "terminal_reward"},
	} {
		p := DefaultParams()
		c.edit(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate() = %v, want an error naming %q", err, c.want)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
