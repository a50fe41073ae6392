// Package goalgan is the GoalGAN teacher of Florensa, Held, Geng and Abbeel,
// "Automatic Goal Generation for Reinforcement Learning Agents", ICML 2018,
// as the TeachMyAgent benchmark implements it (Romac, Portelas, Hofmann and
// Oudeyer, "TeachMyAgent: a Benchmark for Automatic Curriculum Learning in
// Deep RL", ICML 2021; reference code: flowersteam/TeachMyAgent,
// teachers/algos/goal_gan.py and teachers/utils/gan/, taken from
// psclklnk/spdl and rllab-curriculum).
//
// GoalGAN trains a generative adversarial network to propose goals of
// intermediate difficulty (GOID) for the student. Each new goal from the
// generator is played n_rollouts times in a row; the mean of its binary
// successes (task.Outcome.Success) labels it: a GOID if goid_lb ≤ mean ≤
// goid_ub. Goals with a mean above goid_ub also go to a success buffer of
// "too easy" goals, kept only if farther than success_distance_threshold ×
// ‖hi − lo‖ from every goal already there. Once update_size goals are
// labelled, the GAN is trained on them for gan_iters iterations if at least
// one is a GOID (otherwise the batch is dropped), and the labelled set is
// cleared. To propose a goal when no repeat is due, the teacher draws, with
// probability p_old (if the buffer is not empty), a buffered goal plus
// Gaussian noise of standard deviation state_noise_level × range per
// dimension, which is not labelled; otherwise a new generator goal with the
// same noise.
//
// The GAN is a least-squares GAN (Mao et al., 2017). The generator maps
// noise z ~ N(0, I) of noise_size dimensions through generator_sizes hidden
// ReLU layers to d tanh outputs; the discriminator maps a goal through
// discriminator_sizes hidden leaky-ReLU (slope 0.1) layers to one linear
// output. Weights are Glorot-uniform (TF1's xavier_initializer), biases zero.
// Each training iteration takes one discriminator step on batch_size real
// goals (all of them if there are fewer; otherwise the next rows, cycling
// through the set) stacked with batch_size generated goals, with loss
// mean((2·label − 1 − D(x))²) and generated goals labelled 0, then one
// generator step on the same noise with loss mean((D(G(z)) − 1)²), each with
// its own RMSProp in TF1's convention (decay 0.9, ε = 10⁻¹⁰ inside the square
// root, mean square starting at 1) at learning rate 10⁻³.
//
// Goals are normalised as in the reference: with center = lo + range/2 and
// state_range = range/2 + 10⁻⁶, a generator output o becomes the goal
// center + o·output_scale·state_range, and training goals x are fed as
// (x − center)/(output_scale·state_range). The reference's scale is 2
// (output_scale = 2, the default): the box is [−½, ½] in normalised space,
// the generator can reach twice the box, and its noisy goals are clipped to
// center ± state_range and then to the box. output_scale = 1 maps the tanh
// range onto the box exactly.
//
// Before the first episode the GAN is pretrained for pretrain_iters
// iterations on pretrain_samples goals drawn from N(initial_mean,
// diag(initial_std²)) clipped to the box, all labelled 1. Without
// initial_mean the reference's random "subspace" Gaussian is used: a mean
// drawn uniformly in the box and a standard deviation of 10% of each range
// (10⁻³ for a zero-width dimension). pretrain_iters = 0 disables pretraining
// (the reference class default; its benchmark always pretrains).
//
// GoalGAN leaves its pretraining distribution only through what successes
// teach it: a training needs a GOID among the labelled goals, and replays need
// too-easy goals. If the pretraining Gaussian lies where the student never
// succeeds, the generator stays there for the whole run. The reference's
// random Gaussian (no expert knowledge) covers 10% of each range, which
// usually misses spaces where few tasks are feasible at first — on the toy
// grid only the origin cell is — so give initial_mean and initial_std there
// (TeachMyAgent's "high" expert knowledge). GOIDs also need mixed outcomes
// over n_rollouts consecutive rollouts of one goal: a student whose success
// at a goal flips once and for good (the toy grid without reward noise, where
// success means competence above 75) yields at most about one GOID per cell;
// the success buffer's replays then do much of the exploring.
//
// Defaults are the values of TeachMyAgent's benchmark scripts (the published
// results): state_noise_level 0.1, p_old 0.1, update_size 100, pretraining
// on, with success_distance_threshold 0.01, n_rollouts 2, goid bounds 0.25 and
// 0.75 and the network settings of the reference. The command-line defaults
// differ in state_noise_level (0.01) and p_old (0.2, also the class default).
//
// # Differences from the reference
//
//   - The reference keys the goals awaiting their rollouts by the exact
//     float32 bytes of the task. Here each new goal gets a pending record;
//     Sample remembers, under each task's seed, which record the task
//     belongs to (the last 256 samples), and Update finds it by seed and
//     checks that the task's parameters are those proposed, up to float32
//     rounding. The labels thus cannot mix up two goals that round to the
//     same bytes, and tasks may be updated out of order. An update for a
//     task not found (not proposed by this teacher, already updated, or
//     altered) is counted in Unmatched and ignored. A goal whose rollouts
//     cannot all be counted — a corrupt outcome, or a sample forgotten
//     before its update — is abandoned without a label (Abandoned), and its
//     remaining queued repeats are not proposed.
//   - Everything is float64 (the reference is float32 throughout); the
//     pretraining Gaussian is sampled per dimension rather than through
//     numpy's multivariate_normal (same distribution).
//   - Randomness comes from the teacher's stream: the noise of the goals
//     proposed and the buffer draws from Sample's generator, the subspace
//     mean, the pretraining goals, the network initialisation and the
//     training noise from the generator given to New (the runner passes the
//     same stream to both).
//   - The reference's multiprocessing pool in the success buffer is not
//     reproduced (it does nothing with one process).
//
// # Bad input
//
// The teacher uses only Success. An outcome whose return or score is not
// finite is treated as corrupt: the goal it belongs to is abandoned and the
// outcome counted in Ignored. A training step whose loss or gradient is not
// finite is skipped (SkippedSteps), so non-finite values never reach the
// networks; a generator goal with a non-finite coordinate is replaced by a
// uniform one (NonFiniteGoals). A zero-width dimension works: its normalised
// range is 10⁻⁶ and every task has the bound there.
//
// # Cost
//
// A Sample that needs a new goal is one generator pass for a single goal;
// Sample and Update allocate nothing, GAN trainings included, except when the
// success buffer outgrows its capacity (amortised: about a dozen times in a
// run). A training is gan_iters iterations of forward and backward passes of
// both networks on 64-row batches — about 21 million multiply-adds per
// iteration at the default sizes, 5 billion per training, about 1 s of CPU —
// and dominates the teacher's cost whenever GOIDs are found; pretraining
// (500 iterations, in New) costs about 2 s. The algorithm demands this: it is
// the reference's schedule of 250 GAN iterations per update_size labelled
// goals. On the toy grid (20,000 episodes) a run costs about 2 s of CPU when
// no GOID is ever found and about 30 s with expert knowledge (some 30
// trainings), against 0.3 s for ALP-GMM; a student with noisy successes,
// where most batches hold a GOID, trains about once per 220 episodes (some
// 90 s of CPU per toy run).
package goalgan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/gmmteach"
	"github.com/teachbench/teachbench/teachers/internal/recall"
)

// remembered is how many recent samples keep their pending record for
// Update.
const remembered = 256

// Params are GoalGAN's hyperparameters.
type Params struct {
	StateNoiseLevel          float64   `toml:"state_noise_level" doc:"standard deviation of the noise added to generated and replayed goals, as a fraction of each dimension's range"`
	SuccessDistanceThreshold float64   `toml:"success_distance_threshold" doc:"a too-easy goal joins the success buffer only if farther than this times the box diagonal from every buffered goal"`
	UpdateSize               int       `toml:"update_size" doc:"labelled goals collected before each GAN training"`
	NRollouts                int       `toml:"n_rollouts" doc:"times each new generator goal is played in a row before it is labelled"`
	GoidLB                   float64   `toml:"goid_lb" doc:"a goal is of intermediate difficulty if its mean success is at least this"`
	GoidUB                   float64   `toml:"goid_ub" doc:"... and at most this; above it the goal goes to the success buffer"`
	POld                     float64   `toml:"p_old" doc:"probability of replaying a noisy goal of the success buffer instead of a new generator goal"`
	PretrainIters            int       `toml:"pretrain_iters" doc:"GAN iterations of pretraining on the initial Gaussian at construction; 0 disables pretraining"`
	PretrainSamples          int       `toml:"pretrain_samples" doc:"goals drawn from the initial Gaussian for pretraining"`
	InitialMean              []float64 `toml:"initial_mean" doc:"mean of the pretraining Gaussian; empty means a mean drawn uniformly in the box with a std of 10% of each range"`
	InitialStd               []float64 `toml:"initial_std" doc:"standard deviations of the pretraining Gaussian (with initial_mean)"`
	GANIters                 int       `toml:"gan_iters" doc:"GAN iterations (one discriminator and one generator step each) per training"`
	BatchSize                int       `toml:"batch_size" doc:"real and generated goals per discriminator step"`
	GeneratorSizes           []int     `toml:"generator_sizes" doc:"hidden layer sizes of the generator (ReLU)"`
	DiscriminatorSizes       []int     `toml:"discriminator_sizes" doc:"hidden layer sizes of the discriminator (leaky ReLU)"`
	DiscLeakySlope           float64   `toml:"discriminator_leaky_slope" doc:"slope of the discriminator's leaky ReLU for negative inputs"`
	GeneratorLR              float64   `toml:"generator_lr" doc:"RMSProp (TF1) learning rate of the generator"`
	DiscriminatorLR          float64   `toml:"discriminator_lr" doc:"RMSProp (TF1) learning rate of the discriminator"`
	NoiseSize                int       `toml:"noise_size" doc:"dimension of the generator's noise input; 0 means the task dimension, as the reference"`
	OutputScale              float64   `toml:"output_scale" doc:"a tanh output o maps to center + o*output_scale*range/2: 2 as the reference (twice the box, clipped), 1 maps tanh onto the box"`
}

// DefaultParams returns the values of TeachMyAgent's benchmark scripts.
func DefaultParams() Params {
	return Params{
		StateNoiseLevel:          0.1,
		SuccessDistanceThreshold: 0.01,
		UpdateSize:               100,
		NRollouts:                2,
		GoidLB:                   0.25,
		GoidUB:                   0.75,
		POld:                     0.1,
		PretrainIters:            500,
		PretrainSamples:          1000,
		GANIters:                 250,
		BatchSize:                64,
		GeneratorSizes:           []int{256, 256},
		DiscriminatorSizes:       []int{128, 128},
		DiscLeakySlope:           0.1,
		GeneratorLR:              0.001,
		DiscriminatorLR:          0.001,
		OutputScale:              2,
	}
}

// Validate checks the parameter ranges.
func (p Params) Validate() error {
	switch {
	case !(p.StateNoiseLevel >= 0) || math.IsInf(p.StateNoiseLevel, 1):
		return fmt.Errorf("state_noise_level = %v: want a finite number ≥ 0", p.StateNoiseLevel)
	case !(p.SuccessDistanceThreshold >= 0) || math.IsInf(p.SuccessDistanceThreshold, 1):
		return fmt.Errorf("success_distance_threshold = %v: want a finite number ≥ 0", p.SuccessDistanceThreshold)
	case p.UpdateSize < 1:
		return fmt.Errorf("update_size = %d: want at least 1", p.UpdateSize)
	case p.NRollouts < 1:
		return fmt.Errorf("n_rollouts = %d: want at least 1", p.NRollouts)
	case !(p.GoidLB >= 0 && p.GoidLB <= 1):
		return fmt.Errorf("goid_lb = %v: want a number in [0, 1]", p.GoidLB)
	case !(p.GoidUB >= p.GoidLB && p.GoidUB <= 1):
		return fmt.Errorf("goid_ub = %v: want a number in [goid_lb = %v, 1]", p.GoidUB, p.GoidLB)
	case !(p.POld >= 0 && p.POld <= 1):
		return fmt.Errorf("p_old = %v: want a probability in [0, 1]", p.POld)
	case p.PretrainIters < 0:
		return fmt.Errorf("pretrain_iters = %d: want 0 (no pretraining) or more", p.PretrainIters)
	case p.PretrainSamples < 1:
		return fmt.Errorf("pretrain_samples = %d: want at least 1", p.PretrainSamples)
	case p.GANIters < 1:
		return fmt.Errorf("gan_iters = %d: want at least 1", p.GANIters)
	case p.BatchSize < 1:
		return fmt.Errorf("batch_size = %d: want at least 1", p.BatchSize)
	case !(p.DiscLeakySlope >= 0 && p.DiscLeakySlope < 1):
		return fmt.Errorf("discriminator_leaky_slope = %v: want a number in [0, 1)", p.DiscLeakySlope)
	case !(p.GeneratorLR > 0) || math.IsInf(p.GeneratorLR, 1):
		return fmt.Errorf("generator_lr = %v: want a positive finite number", p.GeneratorLR)
	case !(p.DiscriminatorLR > 0) || math.IsInf(p.DiscriminatorLR, 1):
		return fmt.Errorf("discriminator_lr = %v: want a positive finite number", p.DiscriminatorLR)
	case p.NoiseSize < 0:
		return fmt.Errorf("noise_size = %d: want 0 (the task dimension) or more", p.NoiseSize)
	case !(p.OutputScale > 0) || math.IsInf(p.OutputScale, 1):
		return fmt.Errorf("output_scale = %v: want a positive finite number", p.OutputScale)
	}
	for i, s := range p.GeneratorSizes {
		if s < 1 {
			return fmt.Errorf("generator_sizes[%d] = %d: want at least 1", i, s)
		}
	}
	for i, s := range p.DiscriminatorSizes {
		if s < 1 {
			return fmt.Errorf("discriminator_sizes[%d] = %d: want at least 1", i, s)
		}
	}
	return gmmteach.CheckInitial(p.InitialMean, p.InitialStd, 0)
}

// pending is a generator goal awaiting its rollouts.
type pending struct {
	goal      []float64
	refs      int // samples of the goal not yet updated: queued or remembered
	got, succ int // outcomes counted, successes among them
	dead      bool
}

// Teacher is a GoalGAN teacher on a Box space.
type Teacher struct {
	p   Params
	box *task.Box
	d   int
	rng *rand.Rand // the teacher stream given to New: GAN training noise

	center, stateRange, scale, noiseStd []float64
	gan                                 *gan
	buffer                              successBuffer

	// Pending goals: a pool of records with a free list, and the queue of
	// repeats due (record indices).
	slots []pending
	free  []int
	queue []int
	qHead int
	qLen  int

	// Remembered samples and, per ring slot, their record (−1 for buffer
	// replays, which are not labelled).
	recent *recall.Ring
	slotOf []int

	// Labelled goals awaiting training (raw task units), their labels, and
	// the normalised copy fed to the GAN.
	trainX, trainY, normX []float64
	nTrain                int

	out, norm []float64

	episodes, labelled, goids, trainings, dropped int
	ignored, unmatched, abandoned, nonFiniteGoals int
	discLoss, genLoss                             float64
}

// New returns a GoalGAN teacher on space, which must be a *task.Box. The
// networks are initialised and pretrained from rng, which also draws the
// noise of later trainings (the runner passes the teacher stream, the one
// Sample receives).
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	box, ok := space.(*task.Box)
	if !ok {
		return nil, fmt.Errorf("goalgan: works on a box, not on a %s space", space.Kind())
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	d := box.Len()
	if err := gmmteach.CheckInitial(p.InitialMean, p.InitialStd, d); err != nil {
		return nil, err
	}
	t := &Teacher{
		p:          p,
		box:        box,
		d:          d,
		rng:        rng,
		center:     make([]float64, d),
		stateRange: make([]float64, d),
		scale:      make([]float64, d),
		noiseStd:   make([]float64, d),
		slots:      make([]pending, remembered+1),
		queue:      make([]int, p.NRollouts),
		recent:     recall.New(box, remembered),
		slotOf:     make([]int, remembered),
		trainX:     make([]float64, p.UpdateSize*d),
		trainY:     make([]float64, p.UpdateSize),
		normX:      make([]float64, p.UpdateSize*d),
		out:        make([]float64, d),
		norm:       make([]float64, d),
	}
	lo, hi := box.Lo(), box.Hi()
	var diag float64
	for i := range d {
		r := hi[i] - lo[i]
		diag += r * r
		t.center[i] = lo[i] + 0.5*r
		t.stateRange[i] = 0.5*r + 1e-6
		t.scale[i] = p.OutputScale * t.stateRange[i]
		t.noiseStd[i] = p.StateNoiseLevel * r
	}
	t.buffer = successBuffer{d: d, threshold: p.SuccessDistanceThreshold * math.Sqrt(diag)}
	goals := make([]float64, (remembered+1)*d)
	for i := range t.slots {
		t.slots[i].goal = goals[i*d : (i+1)*d]
		t.free = append(t.free, len(t.slots)-1-i)
	}
	noise := p.NoiseSize
	if noise == 0 {
		noise = d
	}
	t.gan = newGAN(ganConfig{
		d: d, noise: noise, batch: p.BatchSize,
		genHidden: p.GeneratorSizes, discHidden: p.DiscriminatorSizes,
		genLR: p.GeneratorLR, discLR: p.DiscriminatorLR,
		discLeakySlope: p.DiscLeakySlope,
		initRNG:        rng,
	})
	if p.PretrainIters > 0 {
		t.pretrain()
	}
	return t, nil
}

// pretrain trains the GAN on goals of the initial Gaussian, all labelled 1.
func (t *Teacher) pretrain() {
	d, n := t.d, t.p.PretrainSamples
	mean, std := t.p.InitialMean, t.p.InitialStd
	if len(mean) == 0 {
		lo, hi := t.box.Lo(), t.box.Hi()
		mean, std = make([]float64, d), make([]float64, d)
		for i := range d {
			mean[i] = lo[i] + t.rng.Float64()*(hi[i]-lo[i])
			std[i] = 0.1 * (hi[i] - lo[i])
			if std[i] == 0 {
				std[i] = 1e-3 // the reference's variance 1e-6
			}
		}
	}
	x, y := make([]float64, n*d), make([]float64, n)
	for r := range n {
		row := x[r*d : (r+1)*d]
		for i := range row {
			row[i] = mean[i] + std[i]*t.rng.NormFloat64()
		}
		t.box.Clip(row)
		t.normalise(row, row)
		y[r] = 1
	}
	t.discLoss, t.genLoss = t.gan.train(x, y, n, t.p.PretrainIters, t.rng)
}

// normalise sets dst to the normalised goal of x.
func (t *Teacher) normalise(dst, x []float64) {
	for i, v := range x {
		dst[i] = (v - t.center[i]) / t.scale[i]
	}
}

// Sample proposes the next task: a due repeat of a generator goal, a noisy
// goal of the success buffer, or a new noisy generator goal. The returned
// Params are valid until the next call.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	s := t.popRepeat()
	switch {
	case s >= 0:
		copy(t.out, t.slots[s].goal)
	case rng.Float64() > t.p.POld || t.buffer.len() == 0:
		t.generate(rng)
		s = t.newPending()
	default:
		t.buffer.sample(t.out, t.noiseStd, rng)
		t.box.Clip(t.out)
	}
	seed := rng.Uint64()
	t.remember(seed, s)
	return task.Task{Params: t.out, Seed: seed}
}

// generate sets t.out to a new noisy generator goal inside the box.
func (t *Teacher) generate(rng *rand.Rand) {
	t.gan.sample(t.norm, rng)
	ok := true
	for i, o := range t.norm {
		v := t.center[i] + o*t.scale[i] + t.noiseStd[i]*rng.NormFloat64()
		v = min(max(v, t.center[i]-t.stateRange[i]), t.center[i]+t.stateRange[i])
		ok = ok && task.Finite(v)
		t.out[i] = v
	}
	if !ok {
		t.nonFiniteGoals++
		t.box.Uniform(t.out, rng)
	}
	t.box.Clip(t.out)
}

// newPending records t.out as a new pending goal with its repeats queued
// and returns its record.
func (t *Teacher) newPending() int {
	s := t.free[len(t.free)-1]
	t.free = t.free[:len(t.free)-1]
	pg := &t.slots[s]
	copy(pg.goal, t.out)
	pg.refs, pg.got, pg.succ, pg.dead = t.p.NRollouts, 0, 0, false
	for range t.p.NRollouts - 1 {
		t.queue[(t.qHead+t.qLen)%len(t.queue)] = s
		t.qLen++
	}
	return s
}

// popRepeat returns the record of the next due repeat, or −1. Repeats of
// abandoned goals are dropped.
func (t *Teacher) popRepeat() int {
	for t.qLen > 0 {
		s := t.queue[t.qHead]
		t.qHead = (t.qHead + 1) % len(t.queue)
		t.qLen--
		if !t.slots[s].dead {
			return s
		}
		t.release(s)
	}
	return -1
}

// release drops one reference to record s, freeing it with the last.
func (t *Teacher) release(s int) {
	pg := &t.slots[s]
	pg.refs--
	if pg.refs == 0 {
		t.free = append(t.free, s)
	}
}

// remember stores the sample in the ring, forgetting the oldest: a
// forgotten pending sample abandons its goal.
func (t *Teacher) remember(seed uint64, s int) {
	if k, live := t.recent.Next(); live && t.slotOf[k] >= 0 {
		old := t.slotOf[k]
		if !t.slots[old].dead {
			t.slots[old].dead = true
			t.abandoned++
		}
		t.release(old)
	}
	t.slotOf[t.recent.Add(seed, t.out)] = s
}

// Update counts the outcome of a proposed task towards its goal's label and
// trains the GAN when update_size goals are labelled.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	t.episodes++
	k := t.recent.Find(tk)
	if k < 0 {
		t.unmatched++
		return
	}
	t.recent.Forget(k)
	corrupt := !task.Finite(o.Return) || !task.Finite(o.Score)
	if corrupt {
		t.ignored++
	}
	s := t.slotOf[k]
	if s < 0 {
		return // a buffer replay: not labelled
	}
	pg := &t.slots[s]
	switch {
	case pg.dead:
	case corrupt:
		pg.dead = true
		t.abandoned++
	default:
		pg.got++
		if o.Success {
			pg.succ++
		}
		if pg.got == t.p.NRollouts {
			t.label(pg)
			pg.dead = true
		}
	}
	t.release(s)
	if t.nTrain >= t.p.UpdateSize {
		t.train()
	}
}

// label adds a goal whose rollouts are all counted to the labelled set, and
// to the success buffer if it was too easy.
func (t *Teacher) label(pg *pending) {
	m := float64(pg.succ) / float64(pg.got)
	goid := t.p.GoidLB <= m && m <= t.p.GoidUB
	copy(t.trainX[t.nTrain*t.d:(t.nTrain+1)*t.d], pg.goal)
	t.trainY[t.nTrain] = 0
	if goid {
		t.trainY[t.nTrain] = 1
		t.goids++
	}
	t.nTrain++
	t.labelled++
	if m > t.p.GoidUB {
		t.buffer.add(pg.goal)
	}
}

// train trains the GAN on the labelled goals if one of them is a GOID, and
// clears them.
func (t *Teacher) train() {
	n, d := t.nTrain, t.d
	t.nTrain = 0
	positive := false
	for _, y := range t.trainY[:n] {
		positive = positive || y == 1
	}
	if !positive {
		t.dropped++
		return
	}
	for r := range n {
		t.normalise(t.normX[r*d:(r+1)*d], t.trainX[r*d:(r+1)*d])
	}
	t.discLoss, t.genLoss = t.gan.train(t.normX[:n*d], t.trainY[:n], n, t.p.GANIters, t.rng)
	t.trainings++
}

// Generate returns n raw generator goals (no noise), drawing the generator
// noise from rng, clipped to the box, without recording them: the
// reference's non-exploratory sampling, for analysis.
func (t *Teacher) Generate(n int, rng *rand.Rand) [][]float64 {
	out := make([][]float64, n)
	o := make([]float64, t.d)
	for r := range out {
		t.gan.sample(o, rng)
		out[r] = make([]float64, t.d)
		for i, v := range o {
			out[r][i] = t.center[i] + v*t.scale[i]
		}
		t.box.Clip(out[r])
	}
	return out
}

// Discriminator returns the discriminator's output at task x: near 1 where
// it believes goals of intermediate difficulty lie, near −1 elsewhere.
func (t *Teacher) Discriminator(x []float64) float64 {
	n := make([]float64, t.d)
	t.normalise(n, x)
	return t.gan.discriminate(n)
}

// Stats counts what the teacher did.
type Stats struct {
	// Episodes is the number of Update calls.
	Episodes int
	// Labelled counts goals labelled, and GOIDs those of intermediate
	// difficulty.
	Labelled, GOIDs int
	// Trainings counts GAN trainings; Dropped counts labelled sets without
	// a GOID, on which the GAN was not trained.
	Trainings, Dropped int
	// SkippedSteps counts optimizer steps skipped for a non-finite loss or
	// gradient.
	SkippedSteps int
	// BufferSize is the number of goals in the success buffer.
	BufferSize int
	// Ignored counts corrupt outcomes; Unmatched updates for tasks not
	// among the remembered samples; Abandoned goals dropped before their
	// label; NonFiniteGoals generator goals replaced by uniform ones.
	Ignored, Unmatched, Abandoned, NonFiniteGoals int
	// DiscLoss and GenLoss are the GAN losses at the last iteration of the
	// last training (or of pretraining).
	DiscLoss, GenLoss float64
}

// Stats returns the teacher's counters and last losses.
func (t *Teacher) Stats() Stats {
	return Stats{
		Episodes:       t.episodes,
		Labelled:       t.labelled,
		GOIDs:          t.goids,
		Trainings:      t.trainings,
		Dropped:        t.dropped,
		SkippedSteps:   t.gan.skipped,
		BufferSize:     t.buffer.len(),
		Ignored:        t.ignored,
		Unmatched:      t.unmatched,
		Abandoned:      t.abandoned,
		NonFiniteGoals: t.nonFiniteGoals,
		DiscLoss:       t.discLoss,
		GenLoss:        t.genLoss,
	}
}
