package ppo

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/task/tasktest"
)

func TestGAE(t *testing.T) {
	r := []float64{0, 0, 1}
	v := []float64{0.5, 0.6, 0.7}
	const gamma, lambda = 0.9, 0.8
	for _, tc := range []struct {
		name string
		next float64
		want []float64
	}{
		// δ2 = 1 − 0.7 = 0.3; δ1 = 0.9·0.7 − 0.6 = 0.03; δ0 = 0.9·0.6 − 0.5 = 0.04;
		// A2 = 0.3, A1 = 0.03 + 0.72·0.3 = 0.246, A0 = 0.04 + 0.72·0.246 = 0.21712.
		{"terminated", 0, []float64{0.21712, 0.246, 0.3}},
		// With V(s_3) = 2: δ2 = 1 + 1.8 − 0.7 = 2.1, A1 = 0.03 + 0.72·2.1 = 1.542,
		// A0 = 0.04 + 0.72·1.542 = 1.15024.
		{"truncated", 2, []float64{1.15024, 1.542, 2.1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			adv := make([]float64, 3)
			gae(adv, r, v, tc.next, gamma, lambda)
			for i := range adv {
				if math.Abs(adv[i]-tc.want[i]) > 1e-12 {
					t.Fatalf("advantages %v, want %v", adv, tc.want)
				}
			}
		})
	}
}

// constantCritic makes every value estimate c: the value head's last layer
// reads nothing and has bias c.
func constantCritic(s *Student, c float64) {
	for _, tw := range s.net.towers {
		for i, h := range tw.heads {
			if tw.kinds[i] == criticHead {
				last := h.Layers[len(h.Layers)-1]
				clear(last.W.Value())
				last.B.Value()[0] = c
			}
		}
	}
}

// TestSignals plays a hand-made episode whose rewards do not depend on the
// actions, with every value estimate 0.5, γ = 0.9 and λ = 0.8, and checks
// the outcome's signals against advantages computed by hand.
func TestSignals(t *testing.T) {
	rewards := []float64{1, 0, 0.2}
	for _, tc := range []struct {
		name      string
		end       task.StepStatus
		bootstrap bool
		adv       []float64
	}{
		// δ = [1 + 0.45 − 0.5, 0.45 − 0.5, 0.2 − 0.5] = [0.95, −0.05, −0.3]:
		// A2 = −0.3, A1 = −0.05 − 0.216 = −0.266, A0 = 0.95 − 0.19152.
		{"terminated", task.Terminated, true, []float64{0.75848, -0.266, -0.3}},
		// Bootstrapping from V(s_3) = 0.5: δ2 = 0.2 + 0.45 − 0.5 = 0.15,
		// A1 = −0.05 + 0.108 = 0.058, A0 = 0.95 + 0.04176.
		{"truncated", task.Truncated, true, []float64{0.99176, 0.058, 0.15}},
		{"truncated without bootstrap", task.Truncated, false, []float64{0.75848, -0.266, -0.3}},
	} {
		for _, spec := range []task.ActionSpec{{Discrete: 2}, {Dims: 2}} {
			for _, recurrent := range []bool{false, true} {
				name := tc.name
				if recurrent {
					name += "/recurrent"
				}
				t.Run(name, func(t *testing.T) {
					p := DefaultParams()
					p.Gamma, p.GAELambda, p.BootstrapTruncation, p.Recurrent = 0.9, 0.8, tc.bootstrap, recurrent
					env := func() task.Env { return &scripted{rewards: rewards, end: tc.end, spec: spec} }
					s := newStudent(t, p, env, 1)
					constantCritic(s, 0.5)
					for _, play := range []func(task.Task) task.Outcome{s.Learn, s.Probe} {
						o := play(task.Task{})
						if err := o.Check(); err != nil {
							t.Fatal(err)
						}
						var pos, abs float64
						for _, a := range tc.adv {
							pos += max(a, 0)
							abs += math.Abs(a)
						}
						for _, c := range []struct {
							s    task.Signal
							want float64
						}{
							{task.PositiveValueLoss, pos / 3}, {task.L1ValueLoss, abs / 3}, {task.MeanAbsAdvantage, abs / 3},
							{task.MeanValue, 0.5}, {task.ValueEstimate, 0.5},
						} {
							if got, ok := o.Signal(c.s); !ok || math.Abs(got-c.want) > 1e-12 {
								t.Errorf("%s = %v (set %v), want %v", c.s, got, ok, c.want)
							}
						}
						if _, ok := o.Signal(task.MaxReturn); ok {
							t.Error("the student set max_return, which teachers track")
						}
						if o.Steps != 3 || math.Abs(o.Return-1.2) > 1e-12 {
							t.Errorf("outcome %+v, want the environment's: 3 steps, return 1.2", o)
						}
					}
					// The learned episode's advantages and targets are in the rollout.
					for i, a := range tc.adv {
						if math.Abs(s.buf.adv[i]-a) > 1e-12 || math.Abs(s.buf.ret[i]-a-0.5) > 1e-12 {
							t.Fatalf("rollout advantages %v and targets %v, want %v and +0.5", s.buf.adv, s.buf.ret, tc.adv)
						}
					}
				})
			}
		}
	}
}

// TestNoLearning checks that Probe, Evaluate and Value leave the weights,
// the optimizer and the rollout alone, and that Probe still reports signals
// while Evaluate reports none.
func TestNoLearning(t *testing.T) {
	for _, recurrent := range []bool{false, true} {
		p := fastParams()
		p.Recurrent = recurrent
		s := newStudent(t, p, func() task.Env { return &corridor{length: 4, horizon: 12} }, 5)
		train(s, 300) // past an update, with a partial rollout left
		w, n, st := slices.Clone(s.Weights()), s.buf.n, s.Stats()
		for seed := range uint64(200) { // more steps than a rollout
			o := s.Probe(task.Task{Seed: seed})
			if _, ok := o.Signal(task.PositiveValueLoss); !ok {
				t.Fatal("Probe reported no positive value loss")
			}
			if o = s.Evaluate(task.Task{Seed: seed}); o.Steps == 0 {
				t.Fatal("Evaluate played no step")
			}
			for _, sig := range task.Signals() {
				if _, ok := o.Signal(sig); ok {
					t.Fatalf("Evaluate reported signal %s", sig)
				}
			}
			s.Value(task.Task{Seed: seed})
		}
		if !slices.Equal(w, s.Weights()) || s.buf.n != n || s.Stats() != st {
			t.Fatalf("recurrent %v: probing and evaluating changed the student (rollout %d → %d transitions)", recurrent, n, s.buf.n)
		}
	}
}

// TestStochasticEvaluate checks that stochastic evaluation samples from the
// eval stream: it varies between episodes without touching the batch
// stream, so learning afterwards is unchanged.
func TestStochasticEvaluate(t *testing.T) {
	p := fastParams()
	p.StochasticEval = true
	env := func() task.Env { return &corridor{length: 3, horizon: 30} }
	a, b := newStudent(t, p, env, 6), newStudent(t, p, env, 6)
	lengths := map[int]bool{}
	for range 20 {
		lengths[a.Evaluate(task.Task{}).Steps] = true
	}
	if len(lengths) < 3 {
		t.Errorf("20 stochastic evaluations took %d distinct numbers of steps, want a spread", len(lengths))
	}
	train(a, 500)
	train(b, 500)
	if !slices.Equal(a.Weights(), b.Weights()) {
		t.Error("stochastic evaluation changed what the student learns")
	}
}

func TestValue(t *testing.T) {
	s := newStudent(t, DefaultParams(), func() task.Env { return new(target) }, 1)
	constantCritic(s, -0.25)
	if v := s.Value(task.Task{Seed: 3}); v != -0.25 {
		t.Fatalf("Value = %v, want -0.25", v)
	}
	var _ task.ValueEstimator = s
	var _ task.Prober = s
}

// TestDeterminism checks that the same streams give bit-identical weights
// and outcomes, and that other seeds give others.
func TestDeterminism(t *testing.T) {
	for _, recurrent := range []bool{false, true} {
		p := fastParams()
		p.Recurrent, p.NMinibatches, p.SeqLen = recurrent, 2, 8
		env := func() task.Env { return &corridor{length: 5, horizon: 20} }
		run := func(seed uint64) ([]float64, []task.Outcome) {
			s := newStudent(t, p, env, seed)
			var outs []task.Outcome
			for i := range uint64(150) {
				outs = append(outs, s.Learn(task.Task{Seed: i}), s.Evaluate(task.Task{Seed: i}))
			}
			return s.Weights(), outs
		}
		w1, o1 := run(1)
		w2, o2 := run(1)
		w3, _ := run(2)
		if !slices.Equal(w1, w2) || !reflect.DeepEqual(o1, o2) {
			t.Errorf("recurrent %v: the same streams gave different weights or outcomes", recurrent)
		}
		if slices.Equal(w1, w3) {
			t.Errorf("recurrent %v: different streams gave the same weights", recurrent)
		}
	}
}

// TestLongEpisodeExtendsRollout checks that an episode is never split: the
// update waits for it and then learns from all of it.
func TestLongEpisodeExtendsRollout(t *testing.T) {
	p := DefaultParams()
	p.NSteps = 10
	s := newStudent(t, p, func() task.Env { return &corridor{length: 100, horizon: 25} }, 1)
	s.Learn(task.Task{})
	if st := s.Stats(); st.Updates != 1 || st.Learned != 25 || st.GradSteps != p.NEpochs || s.buf.n != 0 {
		t.Fatalf("after one 25-step episode with n_steps 10: %+v, rollout %d; want 1 update of 25 transitions", st, s.buf.n)
	}
}

func TestMinibatchesCoverRollout(t *testing.T) {
	p := fastParams()
	p.NSteps, p.NMinibatches, p.NEpochs = 30, 4, 3
	s := newStudent(t, p, func() task.Env { return &corridor{length: 100, horizon: 7} }, 1)
	train(s, 35) // five 7-step episodes: one rollout of 35
	if st := s.Stats(); st.Updates != 1 || st.GradSteps != 12 || st.Learned != 35 {
		t.Fatalf("stats %+v: want 1 update of 35 transitions in 3 × 4 steps", st)
	}
}

func TestAllocs(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*Params)
		env  func() task.Env
	}{
		{"feed-forward", nil, func() task.Env { return &corridor{length: 100, horizon: 16} }},
		{"recurrent", func(p *Params) { p.Recurrent, p.SeqLen, p.NMinibatches = true, 8, 2 },
			func() task.Env { return &corridor{length: 100, horizon: 16} }},
		{"continuous", func(p *Params) { p.NMinibatches = 4 }, func() task.Env { return new(target) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fastParams()
			p.NSteps = 32
			if tc.mod != nil {
				tc.mod(&p)
			}
			s := newStudent(t, p, tc.env, 1)
			train(s, 200)
			var seed uint64
			for _, m := range []struct {
				name string
				play func(task.Task) task.Outcome
			}{{"Learn", s.Learn}, {"Probe", s.Probe}, {"Evaluate", s.Evaluate}} {
				updates := s.Stats().Updates
				if a := testing.AllocsPerRun(100, func() { seed++; m.play(task.Task{Seed: seed}) }); a != 0 {
					t.Errorf("%s allocates %v times per episode", m.name, a)
				}
				if m.name == "Learn" && s.Stats().Updates-updates < 2 {
					t.Errorf("only %d updates while measuring Learn: the check did not cover updates", s.Stats().Updates-updates)
				}
			}
			if a := testing.AllocsPerRun(50, func() { s.Value(task.Task{}) }); a != 0 {
				t.Errorf("Value allocates %v times per call", a)
			}
		})
	}
}

func TestParamsValidate(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.LR = 0 }, "lr = 0"},
		{func(p *Params) { p.Gamma = 1.5 }, "gamma = 1.5"},
		{func(p *Params) { p.GAELambda = math.NaN() }, "gae_lambda = NaN"},
		{func(p *Params) { p.ClipEps = -1 }, "clip_eps = -1"},
		{func(p *Params) { p.EntropyCoef = math.Inf(1) }, "entropy_coef = +Inf"},
		{func(p *Params) { p.NSteps = 0 }, "n_steps = 0"},
		{func(p *Params) { p.NEpochs = 0 }, "n_epochs = 0"},
		{func(p *Params) { p.NMinibatches = 300 }, "n_minibatches = 300"},
		{func(p *Params) { p.ValueLoss = "l2" }, `value_loss = "l2"`},
		{func(p *Params) { p.TrunkActivation = "gelu" }, `trunk_activation = "gelu"`},
		{func(p *Params) { p.Trunk = []int{32, 0} }, "trunk[1] = 0"},
		{func(p *Params) { p.ActorHidden = []int{-3} }, "actor_hidden[0] = -3"},
		{func(p *Params) { p.Recurrent, p.RecurrentSize = true, 0 }, "recurrent_size = 0"},
		{func(p *Params) { p.Recurrent, p.SeqLen = true, 0 }, "seq_len = 0"},
		{func(p *Params) { p.Recurrent, p.SeqLen, p.NMinibatches = true, 128, 4 }, "only 2 chunks"},
		{func(p *Params) { p.LogStdInit = 50 }, "log_std_init = 50"},
	} {
		p := DefaultParams()
		tc.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want an error containing %q", err, tc.want)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestNewRejects(t *testing.T) {
	var nonEpisodic task.Family = struct{ task.Family }{fakeFamily{}}
	if Accepts(nonEpisodic) {
		t.Error("Accepts took a family without environments")
	}
	if !Accepts(fakeFamily{}) {
		t.Error("Accepts refused an episodic family")
	}
	for _, tc := range []struct {
		f    task.Family
		rng  task.Streams
		want string
	}{
		{nonEpisodic, tasktest.Streams(1), "no environments"},
		{fakeFamily{func() task.Env { return &scripted{spec: task.ActionSpec{Discrete: 1}} }}, tasktest.Streams(1), "single discrete action"},
		{fakeFamily{func() task.Env { return &scripted{spec: task.ActionSpec{Discrete: 2, Dims: 2}} }}, tasktest.Streams(1), "either discrete"},
		{fakeFamily{func() task.Env { return &scripted{} }}, tasktest.Streams(1), "either discrete"},
		{fakeFamily{func() task.Env { return new(bandit) }}, task.Streams{}, "streams"},
	} {
		if _, err := New(DefaultParams(), tc.f, tc.rng); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New = %v, want an error containing %q", err, tc.want)
		}
	}
	p := DefaultParams()
	p.NEpochs = 0
	if _, err := New(p, fakeFamily{func() task.Env { return new(bandit) }}, tasktest.Streams(1)); err == nil || !strings.Contains(err.Error(), "n_epochs") {
		t.Errorf("New with bad params = %v", err)
	}
}

func TestValueLoss(t *testing.T) {
	const eps = 0.2
	for _, tc := range []struct {
		kind         string
		v, vOld, ret float64
		loss, grad   float64
	}{
		{ValueLossClipped, 0.5, 0.4, 1, 0.125, -0.5}, // inside the clip range
		{ValueLossClipped, 0.9, 0.4, 1, 0.08, 0},     // clipped to 0.6: (0.6−1)² > (0.9−1)²
		{ValueLossClipped, 0.0, 0.4, 1, 0.5, -1},     // clipped to 0.2, but (0−1)² is larger
		{ValueLossClipped, 0.1, 0.4, -1, 0.72, 0},    // clipped to 0.2: (1.2)² > (1.1)²
		{ValueLossMSE, 0.9, 0.4, 1, 0.005, -0.1},
		{ValueLossHuber, 0.5, 0, 1, 0.125, -0.5},
		{ValueLossHuber, 3, 0, 1, 1.5, 1},
		{ValueLossHuber, -3, 0, 1, 3.5, -1},
	} {
		l, g := valueLoss(tc.kind, tc.v, tc.vOld, tc.ret, eps)
		if math.Abs(l-tc.loss) > 1e-12 || math.Abs(g-tc.grad) > 1e-12 {
			t.Errorf("%s(v %v, vOld %v, R %v) = %v, %v; want %v, %v", tc.kind, tc.v, tc.vOld, tc.ret, l, g, tc.loss, tc.grad)
		}
	}
}
