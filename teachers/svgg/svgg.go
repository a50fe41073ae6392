package svgg

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/teachbench/teachbench/task"
)

// maxSteps is the largest step count of an outcome that Update accepts:
// the schedule is walked step by step, and a step count beyond any
// episode's length is a bad outcome.
const maxSteps = 100_000

// Teacher is an SVGG teacher on a Box goal space.
type Teacher struct {
	p   Params
	box *task.Box
	d   int
	rng *rand.Rand

	sv   *svgd
	pred *predictor
	val  *validity
	logB float64

	// Recent episodes for the predictor: a ring of goals and successes.
	histGoal []float64 // SPRecent×d
	histOK   []bool
	histN    int // stored
	histHead int

	// Achieved goals for the validity model: a uniform sample (reservoir)
	// of all those reported so far.
	ach     []float64 // AchievedCapacity×d, grown as needed
	achN    int       // stored
	achSeen int64     // reported

	steps           int64 // environment steps seen
	svgdSteps       int
	ignored         int
	ignoredAchieved int

	// scratch
	out            []float64
	fitX, fitY     []float64
	valX, valW     []float64
	valIdx         []int
	dOut, logits   []float64
	sampleIdx      []int
	classA, classB []int
}

// Stats counts what the teacher has done, for diagnostics and tests.
type Stats struct {
	// SVGDSteps is the number of particle updates, PredictorFits and
	// ValidityFits the number of fits of each model.
	SVGDSteps, PredictorFits, ValidityFits int
	// Steps is the number of environment steps reported by the outcomes.
	Steps int64
	// Ignored counts updates ignored for a task outside the goal space or
	// a step count out of range; IgnoredAchieved the outcomes that gave
	// the validity model no achieved goal (path and achieved goal missing,
	// of the wrong dimension or not finite).
	Ignored, IgnoredAchieved int
	// ValidityUnsolved counts the validity fits whose SVM solver stopped
	// at its iteration limit (10⁷, as libsvm's) before its tolerance.
	ValidityUnsolved int
	// Bandwidth is the kernel's σ at the last particle update.
	Bandwidth float64
}

// New returns an SVGG teacher on space, which must be a Box. Its particles
// are drawn from rng and its predictor initialised from it; rng also drives
// the fits (the runner passes the same stream to Sample).
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("svgg: %w", err)
	}
	box, ok := space.(*task.Box)
	if !ok {
		return nil, errors.New("svgg: needs a Box goal space")
	}
	if rng == nil {
		return nil, errors.New("svgg: nil random stream")
	}
	d := box.Len()
	if err := p.check(d); err != nil {
		return nil, fmt.Errorf("svgg: %w", err)
	}
	t := &Teacher{p: p, box: box, d: d, rng: rng}
	t.sv = newSVGD(p.Particles, d, p.Sigma, p.LR)
	for i := range p.Particles {
		x := t.sv.x[i*d : (i+1)*d]
		if p.Init == InitUniform {
			box.Uniform(x, rng)
			continue
		}
		for c := range x {
			x[c] = p.InitStd * rng.NormFloat64()
			if len(p.InitMean) > 0 {
				x[c] += p.InitMean[c]
			}
		}
	}
	t.pred = newPredictor(d, p.SPHidden, p.SPLR, rng)
	t.val = &validity{svm: oneClassSVM{d: d, gamma: p.ValidityGamma}, buf: make([]float64, d)}
	if p.Difficulty == DifficultyBeta {
		t.logB = logBeta(p.Alpha, p.Beta)
	}
	t.histGoal = make([]float64, p.SPRecent*d)
	t.histOK = make([]bool, p.SPRecent)
	t.out = make([]float64, d)
	t.dOut = make([]float64, p.Particles)
	t.logits = make([]float64, p.Particles)
	return t, nil
}

// Params returns the teacher's parameters.
func (t *Teacher) Params() Params { return t.p }

// Stats returns the teacher's counters.
func (t *Teacher) Stats() Stats {
	return Stats{
		SVGDSteps: t.svgdSteps, PredictorFits: t.pred.fits, ValidityFits: t.val.fits,
		Steps: t.steps, Ignored: t.ignored, IgnoredAchieved: t.ignoredAchieved,
		ValidityUnsolved: t.val.unsolved,
		Bandwidth:        t.sv.bandwidth(),
	}
}

// Particles returns a copy of the particles, one row of d values each. They
// may lie outside the goal space; Sample clips the goals it proposes.
func (t *Teacher) Particles() [][]float64 {
	out := make([][]float64, t.p.Particles)
	for i := range out {
		out[i] = append([]float64(nil), t.sv.x[i*t.d:(i+1)*t.d]...)
	}
	return out
}

// Sample proposes the goal of a particle drawn uniformly, clipped into the
// goal space, with a random seed. The task's Params are reused by the next
// call: receivers copy what they keep.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	i := rng.IntN(t.p.Particles)
	copy(t.out, t.sv.x[i*t.d:(i+1)*t.d])
	t.box.Clip(t.out)
	return task.Task{Params: t.out, Seed: rng.Uint64()}
}

// Update records the episode's goal and success for the predictor and its
// achieved goals for the validity model (the goal achieved after each step
// if the outcome has a Path, else the final one), then runs what the
// environment steps spent since the last update call for, in the
// reference's order: a validity fit and a predictor fit at every multiple
// of their periods, then one particle update (svgd_steps SVGD iterations)
// at every multiple of svgd_every, once the predictor has been fitted (and
// the validity model, if used). A task outside the goal space (wrong
// dimension, non-finite or out-of-bounds values: the teacher's own
// proposals never are) or an outcome whose step count is negative or above
// 100,000 is ignored and counted; an outcome whose path and achieved goal
// are both missing, of the wrong dimension or not finite adds nothing to
// the validity model and is counted.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	d := t.d
	if !t.box.Contains(tk.Params) || o.Steps < 0 || o.Steps > maxSteps {
		t.ignored++
		return
	}
	h := t.histHead
	copy(t.histGoal[h*d:(h+1)*d], tk.Params)
	t.histOK[h] = o.Success
	t.histHead = (h + 1) % t.p.SPRecent
	t.histN = min(t.histN+1, t.p.SPRecent)
	switch {
	case len(o.Path) > 0 && len(o.Path)%d == 0 && finiteAll(o.Path):
		for r := 0; r < len(o.Path); r += d {
			t.addAchieved(o.Path[r : r+d])
		}
	case len(o.Achieved) == d && finiteAll(o.Achieved):
		t.addAchieved(o.Achieved)
	default:
		t.ignoredAchieved++
	}

	// Walk through the steps spent, running what falls due at each as
	// the reference's modules would (validity, predictor, particles).
	for range o.Steps {
		t.steps++
		if t.p.Validity && t.steps%int64(t.p.ValidityEvery) == 0 && t.achN > 0 {
			t.fitValidity()
		}
		if t.steps%int64(t.p.SPEvery) == 0 && t.histN >= t.p.SPMin {
			t.fitPredictor()
		}
		if t.steps%int64(t.p.Every) == 0 && t.pred.fits > 0 && (!t.p.Validity || t.val.fits > 0) {
			for range t.p.Steps {
				t.update()
			}
		}
	}
}

// addAchieved adds g to the achieved goals: stored while fewer than
// achieved_capacity are, then in place of a stored one with probability
// capacity/reported (Vitter's reservoir algorithm R), so that the store is
// always a uniform sample of every goal reported.
func (t *Teacher) addAchieved(g []float64) {
	d, c := t.d, t.p.AchievedCapacity
	t.achSeen++
	slot := t.achN
	if t.achN == c {
		j := t.rng.Int64N(t.achSeen)
		if j >= int64(c) {
			return
		}
		slot = int(j)
	} else if len(t.ach) < (t.achN+1)*d {
		// Grow geometrically up to the capacity rather than allocating
		// AchievedCapacity×d values up front.
		n := min(max(2*t.achN, 1024), c)
		grown := make([]float64, n*d)
		copy(grown, t.ach)
		t.ach = grown
	}
	copy(t.ach[slot*d:(slot+1)*d], g)
	t.achN = max(t.achN, slot+1)
}

// fitValidity fits the validity model on validity_samples achieved goals
// drawn uniformly with replacement (each goal drawn k times counts k
// times).
func (t *Teacher) fitValidity() {
	n, d := t.p.ValiditySamples, t.d
	if cap(t.valIdx) < n {
		t.valIdx = make([]int, n)
		t.valX, t.valW = make([]float64, n*d), make([]float64, n)
	}
	idx := t.valIdx[:n]
	for i := range idx {
		idx[i] = t.rng.IntN(t.achN)
	}
	slices.Sort(idx)
	u := 0
	for i, j := range idx {
		if i > 0 && j == idx[i-1] {
			t.valW[u-1]++
			continue
		}
		copy(t.valX[u*d:(u+1)*d], t.ach[j*d:(j+1)*d])
		t.valW[u] = 1
		u++
	}
	t.val.fit(t.valX, t.valW[:u], t.p.ValidityNu, t.p.CalibSteps, t.p.CalibLR, t.rng)
}

// fitPredictor draws sp_history episodes with replacement from the
// sp_recent most recent, oversamples the minority class if asked and both
// classes are present, and trains the predictor.
func (t *Teacher) fitPredictor() {
	d, hist := t.d, t.p.SPHistory
	if cap(t.sampleIdx) < hist {
		t.sampleIdx = make([]int, hist)
	}
	idx := t.sampleIdx[:hist]
	t.classA, t.classB = t.classA[:0], t.classB[:0] // successes, failures
	for i := range idx {
		idx[i] = t.rng.IntN(t.histN) // ring slots hold only recent episodes
		if t.histOK[idx[i]] {
			t.classA = append(t.classA, idx[i])
		} else {
			t.classB = append(t.classB, idx[i])
		}
	}
	rows := hist
	extra := 0
	if t.p.SPOversample && len(t.classA) > 0 && len(t.classB) > 0 {
		extra = max(len(t.classA), len(t.classB)) - min(len(t.classA), len(t.classB))
		rows += extra
	}
	if cap(t.fitX) < rows*d {
		t.fitX, t.fitY = make([]float64, rows*d), make([]float64, rows)
	}
	x, y := t.fitX[:rows*d], t.fitY[:rows]
	put := func(r, slot int) {
		copy(x[r*d:(r+1)*d], t.histGoal[slot*d:(slot+1)*d])
		y[r] = 0
		if t.histOK[slot] {
			y[r] = 1
		}
	}
	for r, slot := range idx {
		put(r, slot)
	}
	minority := t.classA
	if len(t.classB) < len(t.classA) {
		minority = t.classB
	}
	for r := range extra {
		put(hist+r, minority[t.rng.IntN(len(minority))])
	}
	t.pred.fit(x, y, rows, d, t.p.SPEpochs, t.p.SPBatches, t.rng)
}

// logTarget writes ∇ log p, the gradient of the target's log density (see
// LogTarget), into score (m×d) for the m goals in x.
func (t *Teacher) logTarget(x, score []float64, m int) {
	d := t.d
	clear(score[:m*d])
	if t.p.Difficulty != DifficultyNone {
		z := t.pred.net.Forward(&t.pred.ce, x[:m*d], m)
		for i := range m {
			_, dfdz := difficulty(t.p.Difficulty, t.p.Alpha, t.p.Beta, t.logB, z[i])
			t.dOut[i] = t.p.Tau * dfdz
		}
		dx := t.pred.net.InputGrad(&t.pred.ce, t.dOut[:m])
		copy(score[:m*d], dx)
	}
	if t.p.Validity {
		for i := range m {
			t.val.logProb(x[i*d:(i+1)*d], score[i*d:(i+1)*d])
		}
	}
}

// LogTarget returns the unnormalised log density of the particles' target
// at goal g (len d): τ·f(D(g)) + log p_valid(g), with the models as last
// fitted, and writes its gradient with respect to g into grad (len d) unless
// grad is nil. Before the first fits the predictor is untrained and the
// validity term is 0.
func (t *Teacher) LogTarget(g, grad []float64) float64 {
	d := t.d
	var lp float64
	if grad != nil {
		clear(grad[:d])
	}
	if t.p.Difficulty != DifficultyNone {
		z := t.pred.net.Forward(&t.pred.ce, g[:d], 1)[0]
		f, dfdz := difficulty(t.p.Difficulty, t.p.Alpha, t.p.Beta, t.logB, z)
		lp += t.p.Tau * f
		if grad != nil {
			t.dOut[0] = t.p.Tau * dfdz
			copy(grad[:d], t.pred.net.InputGrad(&t.pred.ce, t.dOut[:1]))
		}
	}
	if t.p.Validity && t.val.fits > 0 {
		lp += t.val.logProb(g, grad)
	}
	return lp
}

// PredictedSuccess returns the success predictor's probability for goal g.
func (t *Teacher) PredictedSuccess(g []float64) float64 {
	return sigmoid(t.pred.net.Forward(&t.pred.ce, g[:t.d], 1)[0])
}

// Validity returns p_valid(g), or 1 before the first validity fit.
func (t *Teacher) Validity(g []float64) float64 {
	if t.val.fits == 0 {
		return 1
	}
	return math.Exp(t.val.logProb(g, nil))
}

// update runs one SVGD iteration on the particles.
func (t *Teacher) update() {
	m := t.p.Particles
	t.logTarget(t.sv.x, t.sv.score, m)
	scale := 1.0
	if t.p.Anneal {
		// The reference's annealed(mode 2): tanh((slope·(t mod
		// period)/period)^5), the period being the predictor's.
		u := float64(t.steps%int64(t.p.SPEvery)) / float64(t.p.SPEvery)
		scale = math.Tanh(math.Pow(t.p.AnnealSlope*u, 5))
	}
	t.sv.direction(scale)
	t.sv.step()
	if t.p.Project {
		t.project()
	}
	t.svgdSteps++
}

// project moves every particle farther than project_radius from
// project_centre onto the ball's surface.
func (t *Teacher) project() {
	d, c, r := t.d, t.p.ProjectCentre, t.p.ProjectRadius
	for i := range t.p.Particles {
		x := t.sv.x[i*d : (i+1)*d]
		var sq float64
		for k := range d {
			sq += (x[k] - c[k]) * (x[k] - c[k])
		}
		if n := math.Sqrt(sq); n > r {
			for k := range d {
				x[k] = c[k] + (x[k]-c[k])*r/n
			}
		}
	}
}
