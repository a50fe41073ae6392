// Package settersolver is the Setter-Solver teacher of Racanière, Lampinen,
// Santoro, Reichert, Firoiu and Lillicrap, "Automated curricula through
// setter-solver interactions", ICLR 2020, as the TeachMyAgent benchmark
// implements it (Romac, Portelas, Hofmann and Oudeyer, "TeachMyAgent: a
// Benchmark for Automatic Curriculum Learning in Deep RL", ICML 2021;
// reference code: flowersteam/TeachMyAgent, teachers/algos/setter_solver.py
// and teachers/utils/setter_solver_utils.py, built from the authors'
// TensorFlow blocks).
//
// Two networks work in the unit cube [0,1]^d, mapped linearly onto the task
// box. The judge, an MLP goal → 64 → 64 → 1 (ReLU, logit output), predicts
// whether the student will succeed at a goal. The setter, a conditional
// RealNVP flow ending in a sigmoid, turns a latent z ~ N(0, I) and a desired
// feasibility f into a goal. To propose a task the teacher draws
// f ~ U(min_feasibility, 1) and z, and maps setter(z; f) into the box. Each
// outcome's binary success (task.Outcome.Success) is stored with its goal
// and f; every update_frequency episodes the buffered goals (n of them) train
// both networks once and the buffer is cleared:
//
//   - judge: one Adam step on the mean sigmoid cross-entropy between
//     judge(g_i) and success_i;
//   - setter: one Adam step (setter parameters only) on the sum of
//     feasibility = mean_i (judge(setter(ẑ_i; f_i)) − logit f_i)², with
//     ẑ_i = setter⁻¹(g_i; f_i) the latents of the buffered goals under the
//     current flow, held fixed;
//     validity = mean over the successful goals of −log p(g̃_j | f_j), with
//     g̃_j = clip(g_j + U(0, setter_loss_noise_ub)^d, goal_clip, 1 − goal_clip);
//     coverage = mean_i log p(setter(ẑ_i; f_i) | f_i), whose minimisation
//     maximises the setter's entropy.
//
// The flow has flow_blocks blocks of three affine couplings (left→right over
// the split at d/2, right→left, interlaced: odd coordinates condition even
// ones), each with highway networks for the scale and the translation
// (linear to setter_hidden_size, tanh, highway_blocks gated highway blocks,
// linear out) whose input is the conditioning half concatenated with f. A
// scale is min_scale + softplusAtan(s), the reference's slowly decaying
// softplus x·(atan(x)/π + ½) + 1/π; the base log-density is −½‖z‖² (no
// constant). The judge and the highway networks are initialised like
// Sonnet's Linear (truncated normal, σ = 1/√fan-in; zero biases); both use
// TF1's Adam (epsilon inside the bias correction) at 3·10⁻⁴.
//
// Defaults are the values of TeachMyAgent's benchmark scripts (the published
// results): update_frequency 50, setter_loss_noise_ub 0.1,
// setter_hidden_size 64. The class defaults are 100, 0.01 and 128.
//
// # Differences from the reference
//
//   - The reference remembers the last sampled goal by the float32 bytes of
//     the task and raises "Wrong goal" if the next update is for another
//     task. Here Sample remembers each goal (its point in the unit cube and
//     its f) under the task's seed, for the last 256 samples; Update finds
//     it by seed and checks that the task's parameters are those proposed,
//     up to float32 rounding. An update for a task not found (not proposed
//     by this teacher, already updated, or altered) is counted in Unmatched
//     and trains nothing; it still counts as an episode of the schedule.
//     Several tasks may thus be in flight at once.
//   - If no buffered goal succeeded, the validity term is left out. (The
//     reference then takes a mean over an empty set: its value is NaN, and its
//     gradient, a sum over no goals, should be zero, which is what leaving it
//     out gives; this edge case was not checked against TensorFlow.)
//   - Everything is float64 (the reference's flow is float64, its tasks
//     float32); randomness comes from the teacher's stream.
//   - The reference regenerates the buffered goals with a forward pass from
//     their latents; that pass repeats, up to rounding, the values of the
//     inverse pass that found the latents, so the inverse pass's
//     intermediate values serve both (one flow pass fewer per update, the
//     same gradient; a test checks it against the reference's formulation).
//   - A one-dimensional space has no right→left coupling (it would transform
//     nothing); the reference would build networks with zero outputs.
//
// # Bad input
//
// The teacher uses only Success. An outcome whose return or score is not
// finite is treated as corrupt: its goal is dropped and counted in Ignored.
// A training step whose loss or gradient is not finite (a goal at exactly 0
// or 1, whose latent is infinite; a diverged network) is skipped, and
// counted in SkippedSteps, so non-finite values never reach the parameters.
// A goal the setter returns with non-finite coordinates is replaced by a
// uniform goal and counted in NonFiniteGoals. A space with a zero-width
// dimension works: that coordinate of every task is the bound.
//
// # Cost
//
// A Sample is one flow pass for a single goal (18 highway networks at the
// defaults, about 450,000 multiply-adds and 8,000 tanh or sigmoid
// evaluations; about 0.2 ms of CPU). An update is one judge step and, on the
// update_frequency buffered goals, an inverse pass and its backward pass,
// plus an inverse pass and its backward pass over the noisy successes (about
// 30 ms of CPU at the defaults). On the toy grid (20,000 episodes, 400
// updates) a run costs about 15 s of CPU against 0.3 s for ALP-GMM; the cost
// is that of the reference's architecture and schedule (setter_hidden_size
// 32 costs about a third). Network caches are sized at the first update;
// afterwards Sample and Update allocate nothing.
package settersolver

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/recall"
)

// remembered is how many recent samples keep their goal for Update.
const remembered = 256

// Params are Setter-Solver's hyperparameters.
type Params struct {
	UpdateFrequency   int     `toml:"update_frequency" doc:"episodes between two trainings of the judge and the setter (each on the goals of those episodes)"`
	SetterLossNoiseUB float64 `toml:"setter_loss_noise_ub" doc:"upper bound of the uniform noise U(0, ub) added to successful goals (unit cube) in the validity loss"`
	SetterHiddenSize  int     `toml:"setter_hidden_size" doc:"width of the setter's highway networks"`
	FlowBlocks        int     `toml:"flow_blocks" doc:"RealNVP blocks of the setter, each of three affine couplings"`
	HighwayBlocks     int     `toml:"highway_blocks" doc:"gated highway blocks in each coupling network"`
	JudgeSizes        []int   `toml:"judge_sizes" doc:"hidden layer sizes of the judge MLP (ReLU), before its logit output"`
	JudgeLR           float64 `toml:"judge_lr" doc:"Adam learning rate of the judge"`
	SetterLR          float64 `toml:"setter_lr" doc:"Adam learning rate of the setter"`
	MinScale          float64 `toml:"min_scale" doc:"lower bound added to every coupling scale (keeps the inverse flow stable)"`
	MinFeasibility    float64 `toml:"min_feasibility" doc:"lower end of the uniform draw of the requested feasibility f ~ U(min_feasibility, 1)"`
	GoalClip          float64 `toml:"goal_clip" doc:"noisy successful goals are clipped to [goal_clip, 1 - goal_clip] before their log-density is taken"`
}

// DefaultParams returns the values of TeachMyAgent's benchmark scripts.
func DefaultParams() Params {
	return Params{
		UpdateFrequency:   50,
		SetterLossNoiseUB: 0.1,
		SetterHiddenSize:  64,
		FlowBlocks:        3,
		HighwayBlocks:     3,
		JudgeSizes:        []int{64, 64},
		JudgeLR:           3e-4,
		SetterLR:          3e-4,
		MinScale:          0.01,
		MinFeasibility:    1e-8,
		GoalClip:          1e-4,
	}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	switch {
	case p.UpdateFrequency < 1:
		return fmt.Errorf("update_frequency = %d: want at least 1", p.UpdateFrequency)
	case !(p.SetterLossNoiseUB >= 0 && p.SetterLossNoiseUB < 1):
		return fmt.Errorf("setter_loss_noise_ub = %v: want a number in [0, 1)", p.SetterLossNoiseUB)
	case p.SetterHiddenSize < 1:
		return fmt.Errorf("setter_hidden_size = %d: want at least 1", p.SetterHiddenSize)
	case p.FlowBlocks < 1:
		return fmt.Errorf("flow_blocks = %d: want at least 1", p.FlowBlocks)
	case p.HighwayBlocks < 0:
		return fmt.Errorf("highway_blocks = %d: want 0 or more", p.HighwayBlocks)
	case !(p.JudgeLR > 0) || math.IsInf(p.JudgeLR, 1):
		return fmt.Errorf("judge_lr = %v: want a positive finite number", p.JudgeLR)
	case !(p.SetterLR > 0) || math.IsInf(p.SetterLR, 1):
		return fmt.Errorf("setter_lr = %v: want a positive finite number", p.SetterLR)
	case !(p.MinScale > 0) || math.IsInf(p.MinScale, 1):
		return fmt.Errorf("min_scale = %v: want a positive finite number", p.MinScale)
	case !(p.MinFeasibility > 0 && p.MinFeasibility < 1):
		return fmt.Errorf("min_feasibility = %v: want a number in (0, 1)", p.MinFeasibility)
	case !(p.GoalClip > 0 && p.GoalClip < 0.5):
		return fmt.Errorf("goal_clip = %v: want a number in (0, 0.5)", p.GoalClip)
	}
	for i, s := range p.JudgeSizes {
		if s < 1 {
			return fmt.Errorf("judge_sizes[%d] = %d: want at least 1", i, s)
		}
	}
	return nil
}

// Teacher is a Setter-Solver teacher on a Box space.
type Teacher struct {
	p   Params
	box *task.Box
	d   int
	rng *rand.Rand // the teacher stream, for the validity noise

	judgeParams nn.Params
	judge       *nn.MLP
	judgeOpt    *nn.Adam
	setParams   nn.Params
	setter      *flow
	setOpt      *nn.Adam

	// Sampling.
	sampleCache flowCache
	z, f1       []float64
	out         []float64

	// Remembered samples and, per ring slot, their goal and f.
	recent *recall.Ring
	goals  []float64 // remembered × d
	feas   []float64

	// Goals of the current update window.
	bufGoal []float64 // update_frequency × d
	bufF    []float64
	bufS    []float64 // success as 0/1
	n       int

	// Training scratch, sized at the first update.
	judgeCache, feasCache   nn.MLPCache
	infCache, valCch        flowCache
	logitGrad, feasGrad     []float64
	logitF, lpGrad, valGoal []float64
	valF, valLpGrad         []float64

	episodes       int
	steps          int
	skipped        int
	ignored        int
	unmatched      int
	nonFiniteGoals int
	judgeLoss      float64
	setterLoss     [3]float64
}

// New returns a Setter-Solver teacher on space, which must be a *task.Box.
// The networks are initialised from rng, which later also draws the noise of
// the validity loss (the runner passes the teacher stream, the one Sample
// receives).
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	box, ok := space.(*task.Box)
	if !ok {
		return nil, fmt.Errorf("settersolver: works on a box, not on a %s space", space.Kind())
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := box.Len()
	t := &Teacher{
		p:       p,
		box:     box,
		d:       d,
		rng:     rng,
		z:       make([]float64, d),
		f1:      make([]float64, 1),
		out:     make([]float64, d),
		recent:  recall.New(box, remembered),
		goals:   make([]float64, remembered*d),
		feas:    make([]float64, remembered),
		bufGoal: make([]float64, p.UpdateFrequency*d),
		bufF:    make([]float64, p.UpdateFrequency),
		bufS:    make([]float64, p.UpdateFrequency),
	}
	sizes := append(append([]int{d}, p.JudgeSizes...), 1)
	t.judge = nn.NewMLP(&t.judgeParams, sizes, nn.ReLU{}, nn.Identity{})
	t.judge.Init(rng, truncatedNormal{}, nn.Zeros{})
	t.judgeOpt = nn.NewAdam(&t.judgeParams, p.JudgeLR)
	t.judgeOpt.EpsHat = true
	t.setter = newFlow(&t.setParams, d, p.FlowBlocks, p.SetterHiddenSize, p.HighwayBlocks, p.MinScale)
	t.setter.init(rng)
	t.setOpt = nn.NewAdam(&t.setParams, p.SetterLR)
	t.setOpt.EpsHat = true
	return t, nil
}

// Sample proposes the next task: a goal of the setter for a feasibility
// drawn uniformly. The returned Params are valid until the next call.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	f := t.p.MinFeasibility + (1-t.p.MinFeasibility)*rng.Float64()
	for i := range t.z {
		t.z[i] = rng.NormFloat64()
	}
	t.f1[0] = f
	goal, _ := t.setter.forward(&t.sampleCache, t.z, t.f1, 1)
	if !task.AllFinite(goal) {
		t.nonFiniteGoals++
		for i := range goal {
			goal[i] = rng.Float64()
		}
	}
	lo, hi := t.box.Lo(), t.box.Hi()
	for i, g := range goal {
		t.out[i] = lo[i] + g*(hi[i]-lo[i])
	}
	t.box.Clip(t.out)
	seed := rng.Uint64()
	k := t.recent.Add(seed, t.out)
	t.feas[k] = f
	copy(t.goals[k*t.d:(k+1)*t.d], goal)
	return task.Task{Params: t.out, Seed: seed}
}

// Update records the outcome of a proposed task and trains the networks
// every update_frequency episodes.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	t.episodes++
	switch k := t.recent.Find(tk); {
	case k < 0:
		t.unmatched++
	case !task.Finite(o.Return) || !task.Finite(o.Score):
		t.recent.Forget(k)
		t.ignored++
	default:
		t.recent.Forget(k)
		if t.n < t.p.UpdateFrequency {
			copy(t.bufGoal[t.n*t.d:(t.n+1)*t.d], t.goals[k*t.d:(k+1)*t.d])
			t.bufF[t.n] = t.feas[k]
			t.bufS[t.n] = 0
			if o.Success {
				t.bufS[t.n] = 1
			}
			t.n++
		}
	}
	if t.episodes%t.p.UpdateFrequency == 0 {
		if t.n > 0 {
			t.train()
		}
		t.n = 0
	}
}

// train runs one judge step and one setter step on the buffered goals.
func (t *Teacher) train() {
	n, d := t.n, t.d
	goals, fs, succ := t.bufGoal[:n*d], t.bufF[:n], t.bufS[:n]
	t.grow(n)

	// Judge.
	t.judgeParams.ZeroGrad()
	logits := t.judge.Forward(&t.judgeCache, goals, n)
	jl := nn.BCEWithLogits(t.logitGrad[:n], logits, succ)
	t.judge.Backward(&t.judgeCache, t.logitGrad[:n])
	t.judgeLoss = jl
	if task.Finite(jl) && task.Finite(t.judgeParams.GradNorm()) {
		t.judgeOpt.Step()
	} else {
		t.skipped++
	}

	// Setter.
	t.setParams.ZeroGrad()
	m := t.noisySuccesses(goals, fs, succ)
	feas, valid, cover := t.setterLosses(goals, fs, n, m)
	t.setterLoss = [3]float64{feas, valid, cover}
	if loss := feas + valid + cover; task.Finite(loss) && task.Finite(t.setParams.GradNorm()) {
		t.setOpt.Step()
		t.steps++
	} else {
		t.skipped++
	}
}

// noisySuccesses fills the validity batch with the successful goals plus
// U(0, setter_loss_noise_ub) noise, clipped, and returns their number.
func (t *Teacher) noisySuccesses(goals, fs, succ []float64) int {
	d := t.d
	m := 0
	lo, hi := t.p.GoalClip, 1-t.p.GoalClip
	for i, s := range succ {
		if s != 1 {
			continue
		}
		row := t.valGoal[m*d : (m+1)*d]
		for j, g := range goals[i*d : (i+1)*d] {
			row[j] = min(max(g+t.p.SetterLossNoiseUB*t.rng.Float64(), lo), hi)
		}
		t.valF[m] = fs[i]
		m++
	}
	return m
}

// setterLosses computes the setter's three losses on the n buffered goals
// (conditions fs) and the m noisy successes prepared by noisySuccesses, and
// adds their gradients to the setter's store: feasibility and coverage of
// the goals regenerated from their latents ẑ = setter⁻¹(g; f), which are
// held fixed, and validity of the noisy successes (0 when m = 0).
//
// The reference computes ẑ with an inverse pass and then regenerates
// setter(ẑ; f) with a forward pass. That forward pass recomputes, up to
// rounding, exactly the values of the inverse pass — the same coupling
// inputs, scales and translations, the goals g themselves and the same
// log-density — so the inverse pass's cache serves as the forward pass's,
// and its backward pass in the sampling direction gives the gradient with
// ẑ fixed. This saves one flow pass per update; a test checks the gradient
// against finite differences of the reference's formulation.
func (t *Teacher) setterLosses(goals, fs []float64, n, m int) (feas, valid, cover float64) {
	_, lp := t.setter.inverse(&t.infCache, goals, fs, n)
	logitF := t.logitF[:n]
	for i, f := range fs {
		logitF[i] = math.Log(f) - math.Log1p(-f)
	}
	j := t.judge.Forward(&t.feasCache, goals, n)
	feas = nn.MSE(t.feasGrad[:n], j, logitF)
	dGoal := t.judge.InputGrad(&t.feasCache, t.feasGrad[:n])
	lpGrad := t.lpGrad[:n]
	for i, v := range lp {
		cover += v
		lpGrad[i] = 1 / float64(n)
	}
	cover /= float64(n)
	t.setter.backwardForward(&t.infCache, dGoal, lpGrad)
	if m == 0 {
		return feas, 0, cover
	}
	_, lpv := t.setter.inverse(&t.valCch, t.valGoal[:m*t.d], t.valF[:m], m)
	g := t.valLpGrad[:m]
	for i, v := range lpv {
		valid -= v
		g[i] = -1 / float64(m)
	}
	t.setter.backwardInverse(&t.valCch, nil, g)
	return feas, valid / float64(m), cover
}

// grow sizes the training scratch for n goals.
func (t *Teacher) grow(n int) {
	if len(t.logitGrad) >= n {
		return
	}
	n = t.p.UpdateFrequency
	t.logitGrad, t.feasGrad, t.logitF, t.lpGrad = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	t.valF, t.valLpGrad = make([]float64, n), make([]float64, n)
	t.valGoal = make([]float64, n*t.d)
}

// Feasibility returns the judge's predicted probability of success at the
// task x (in task units); a zero-width dimension is read as goal coordinate
// 0. It allocates: it is meant for analysis.
func (t *Teacher) Feasibility(x []float64) float64 {
	var c nn.MLPCache
	g := make([]float64, t.d)
	lo, hi := t.box.Lo(), t.box.Hi()
	for i := range g {
		if w := hi[i] - lo[i]; w > 0 {
			g[i] = (x[i] - lo[i]) / w
		}
	}
	return sigmoid(t.judge.Forward(&c, g, 1)[0])
}

// Generate returns n tasks the setter proposes for the requested feasibility
// f, drawing latents from rng, without recording them: a view of the
// curriculum for analysis (the reference's non-exploratory sampling at a
// given f).
func (t *Teacher) Generate(f float64, n int, rng *rand.Rand) [][]float64 {
	var c flowCache
	z := make([]float64, n*t.d)
	for i := range z {
		z[i] = rng.NormFloat64()
	}
	fs := make([]float64, n)
	for i := range fs {
		fs[i] = f
	}
	goal, _ := t.setter.forward(&c, z, fs, n)
	out := make([][]float64, n)
	lo, hi := t.box.Lo(), t.box.Hi()
	for r := range out {
		out[r] = make([]float64, t.d)
		for i := range out[r] {
			out[r][i] = lo[i] + goal[r*t.d+i]*(hi[i]-lo[i])
		}
		t.box.Clip(out[r])
	}
	return out
}

// Stats counts what the teacher did.
type Stats struct {
	// Episodes is the number of Update calls.
	Episodes int
	// SetterSteps is the number of setter steps taken.
	SetterSteps int
	// SkippedSteps counts judge or setter steps skipped because their loss
	// or gradient was not finite.
	SkippedSteps int
	// Ignored counts outcomes with a non-finite return or score.
	Ignored int
	// Unmatched counts updates for tasks not among the remembered samples.
	Unmatched int
	// NonFiniteGoals counts setter goals replaced by uniform ones.
	NonFiniteGoals int
	// JudgeLoss is the judge's loss at the last update.
	JudgeLoss float64
	// Feasibility, Validity and Coverage are the setter's losses at the
	// last update.
	Feasibility, Validity, Coverage float64
}

// Stats returns the teacher's counters and last losses.
func (t *Teacher) Stats() Stats {
	return Stats{
		Episodes:       t.episodes,
		SetterSteps:    t.steps,
		SkippedSteps:   t.skipped,
		Ignored:        t.ignored,
		Unmatched:      t.unmatched,
		NonFiniteGoals: t.nonFiniteGoals,
		JudgeLoss:      t.judgeLoss,
		Feasibility:    t.setterLoss[0],
		Validity:       t.setterLoss[1],
		Coverage:       t.setterLoss[2],
	}
}
