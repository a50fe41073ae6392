package ars

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/teachbench/teachbench/task"
)

// minStd is the standard deviation below which an observation coordinate is
// treated as constant and zeroed by the normalisation, as the reference's
// filter does (it sets such deviations to +Inf).
const minStd = 1e-7

// Student is an ARS learner. It implements task.Student; it is not safe for
// concurrent use (it runs its own goroutines inside Learn).
type Student struct {
	p        Params
	fam      task.Episodic
	envRNG   *rand.Rand // seeds the environments' generators
	batch    *rand.Rand // directions
	obsN     int
	actN     int
	parallel int

	pol *policy // the current (unperturbed) policy; its theta is M

	// Observation normalisation: the statistics of every state visited in
	// training rollouts since the start, and the snapshot (mean, 1/std)
	// that the policies use during an iteration.
	visited *RunningStat
	mean    []float64
	invStd  []float64
	std     []float64 // scratch

	// The current iteration: N directions (direction-major, len(theta)
	// values each), the shifted returns of their ± rollouts, the
	// statistics of each episode's states, and how many directions have
	// been played so far.
	dirs     []float64
	returns  []float64 // episode 2k is direction k's + rollout, 2k+1 its − rollout
	outcomes []task.Outcome
	epStats  []*RunningStat
	played   int

	order []int // scratch of the update

	workers []*worker
	eval    *worker
	stats   Stats
}

// Stats counts what a student has done, for diagnostics and tests.
type Stats struct {
	// Iterations is the number of completed ARS iterations, and
	// SkippedUpdates how many of them left the policy unchanged because the
	// rewards used were all equal (σ_R = 0) or not finite.
	Iterations, SkippedUpdates int
	// Episodes and Steps count the training rollouts and their
	// environment steps.
	Episodes, Steps int64
	// States is the number of observations in the normalisation
	// statistics.
	States int64
	// RewardStd is σ_R of the last update, the standard deviation of the
	// 2b shifted returns it used.
	RewardStd float64
}

// worker plays episodes on its own environment with its own copy of the
// policy.
type worker struct {
	env task.Env
	pol *policy
	obs []float64
	z   []float64
	act []float64
}

// Accepts reports whether f provides environments with continuous actions.
func Accepts(f task.Family) bool {
	ef, ok := f.(task.Episodic)
	if !ok {
		return false
	}
	a := ef.NewEnv(rand.New(rand.NewPCG(0, 0))).Actions()
	return a.Dims > 0 && a.Discrete == 0
}

// New returns an ARS student for family f. Its environments come from f:
// the rollout environments from generators seeded by rng.Env, the
// evaluation environment from rng.Eval. The directions are drawn from
// rng.Batch and the MLP's hidden layers from rng.Init.
func New(p Params, f task.Family, rng task.Streams) (*Student, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("ars: %w", err)
	}
	ef, ok := f.(task.Episodic)
	if !ok {
		return nil, errors.New("ars: the family provides no environments to act in (task.Episodic)")
	}
	if rng.Env == nil || rng.Init == nil || rng.Batch == nil || rng.Eval == nil {
		return nil, errors.New("ars: the env, init, batch and eval streams must all be set")
	}
	s := &Student{p: p, fam: ef, envRNG: rng.Env, batch: rng.Batch, parallel: p.Parallel}
	if s.parallel == 0 {
		s.parallel = runtime.GOMAXPROCS(0)
	}
	env := ef.NewEnv(rng.Eval)
	spec := env.Actions()
	s.obsN, s.actN = env.ObsSize(), spec.Dims
	switch {
	case spec.Discrete != 0 || spec.Dims < 1:
		return nil, fmt.Errorf("ars: the environment's actions %+v: want continuous dimensions", spec)
	case s.obsN < 1:
		return nil, fmt.Errorf("ars: the environment's observations have %d values, want at least 1", s.obsN)
	}
	s.pol = newPolicy(p, s.obsN, s.actN)
	s.pol.init(rng.Init)
	s.eval = s.newWorker(env)

	s.visited = NewRunningStat(s.obsN)
	s.mean = make([]float64, s.obsN)
	s.invStd = make([]float64, s.obsN)
	s.std = make([]float64, s.obsN)
	for i := range s.invStd {
		s.invStd[i] = 1
	}
	n := p.Directions
	s.dirs = make([]float64, n*len(s.pol.theta))
	s.returns = make([]float64, 2*n)
	s.outcomes = make([]task.Outcome, 2*n)
	s.epStats = make([]*RunningStat, 2*n)
	for i := range s.epStats {
		s.epStats[i] = NewRunningStat(s.obsN)
	}
	s.order = make([]int, n)
	return s, nil
}

func (s *Student) newWorker(env task.Env) *worker {
	if env.ObsSize() != s.obsN || env.Actions() != (task.ActionSpec{Dims: s.actN}) {
		panic(fmt.Sprintf("ars: the family's environments disagree on their sizes: %d observations and %+v, want %d and %d dims",
			env.ObsSize(), env.Actions(), s.obsN, s.actN))
	}
	return &worker{
		env: env,
		pol: newPolicy(s.p, s.obsN, s.actN),
		obs: make([]float64, s.obsN),
		z:   make([]float64, s.obsN),
		act: make([]float64, s.actN),
	}
}

// Params returns the student's parameters.
func (s *Student) Params() Params { return s.p }

// Stats returns the student's counters.
func (s *Student) Stats() Stats { return s.stats }

// Weights returns the current policy's parameters (a view, not a copy): the
// matrix M row by row for the linear policy, the MLP's store otherwise.
func (s *Student) Weights() []float64 { return s.pol.theta }

// Normalization writes the mean and standard deviation that the policy
// currently divides observations by into mean and std (coordinates treated
// as constant have std +Inf, as in the reference).
func (s *Student) Normalization(mean, std []float64) {
	copy(mean, s.mean)
	for i, v := range s.invStd {
		std[i] = 1 / v
	}
}

// Learn plays the next directions of the current ARS iteration on t (all N
// of them unless directions_per_learn is set), each as a + and a − rollout,
// and completes the iteration with its update once all N are played. The
// outcome is the mean over the call's episodes: mean return, mean score,
// success when at least half the episodes succeeded, and the total number of
// environment steps.
func (s *Student) Learn(t task.Task) task.Outcome {
	n := s.p.Directions
	if s.played == 0 {
		for i := range s.dirs {
			s.dirs[i] = s.batch.NormFloat64()
		}
	}
	count := s.p.DirectionsPerLearn
	if count == 0 {
		count = n
	}
	count = min(count, n-s.played)
	lo, hi := 2*s.played, 2*(s.played+count)
	s.rollouts(t, lo, hi)

	var o task.Outcome
	success := 0
	for _, e := range s.outcomes[lo:hi] {
		o.Return += e.Return
		o.Score += e.Score
		o.Steps += e.Steps
		if e.Success {
			success++
		}
	}
	episodes := hi - lo
	o.Return /= float64(episodes)
	o.Score = min(max(o.Score/float64(episodes), 0), 1)
	o.Success = 2*success >= episodes
	s.stats.Episodes += int64(episodes)
	s.stats.Steps += int64(o.Steps)

	s.played += count
	if s.played == n {
		s.update()
		s.played = 0
	}
	return o
}

// rollouts plays episodes lo..hi−1 of the iteration on task t, spread over
// up to s.parallel goroutines. Each episode's results go to its own slots,
// so the schedule cannot change them.
func (s *Student) rollouts(t task.Task, lo, hi int) {
	workers := min(s.parallel, hi-lo)
	for len(s.workers) < workers {
		// A generator per environment, so that environments that use
		// theirs never share one between goroutines.
		r := rand.New(rand.NewPCG(s.envRNG.Uint64(), s.envRNG.Uint64()))
		s.workers = append(s.workers, s.newWorker(s.fam.NewEnv(r)))
	}
	if workers == 1 {
		for e := lo; e < hi; e++ {
			s.rollout(s.workers[0], t, e)
		}
		return
	}
	var next atomic.Int64
	next.Store(int64(lo))
	var wg sync.WaitGroup
	wg.Add(workers)
	for _, w := range s.workers[:workers] {
		go func() {
			defer wg.Done()
			for {
				e := int(next.Add(1) - 1)
				if e >= hi {
					return
				}
				s.rollout(w, t, e)
			}
		}()
	}
	wg.Wait()
}

// rollout plays episode e of the iteration: direction e/2, + for even e and
// − for odd e.
func (s *Student) rollout(w *worker, t task.Task, e int) {
	size := len(s.pol.theta)
	k := e / 2
	sign := 1.0
	if e%2 == 1 {
		sign = -1
	}
	w.pol.set(s.pol.theta, s.dirs[k*size:(k+1)*size], sign*s.p.Noise)
	var st *RunningStat
	if s.p.NormalizeObs {
		st = s.epStats[e]
		st.Reset()
	}
	ret := w.play(t, s.mean, s.invStd, s.p.Shift, st)
	s.returns[e] = ret
	s.outcomes[e] = w.env.Outcome()
}

// play runs one episode of t with the worker's policy and returns the sum of
// its rewards, each minus shift. If st is not nil, every observation the
// policy acts on is pushed to it.
func (w *worker) play(t task.Task, mean, invStd []float64, shift float64, st *RunningStat) float64 {
	w.env.Reset(t, w.obs)
	var ret float64
	for {
		if st != nil {
			st.Push(w.obs)
		}
		for i, v := range w.obs {
			w.z[i] = (v - mean[i]) * invStd[i]
		}
		w.pol.act(w.act, w.z)
		r, status := w.env.Step(w.act, w.obs)
		ret += r - shift
		if status.Done() {
			return ret
		}
	}
}

// update completes an iteration: the ARS V2-t step on the policy, then the
// normalisation statistics of the iteration's states.
func (s *Student) update() {
	s.stats.Iterations++
	if !s.step() {
		s.stats.SkippedUpdates++
	}
	if s.p.NormalizeObs {
		for _, st := range s.epStats {
			s.visited.Merge(st)
		}
		s.stats.States = s.visited.Len()
		if s.visited.Len() >= 2 {
			copy(s.mean, s.visited.Mean())
			s.visited.Std(s.std)
			for i, sd := range s.std {
				if sd < minStd {
					s.invStd[i] = 0
				} else {
					s.invStd[i] = 1 / sd
				}
			}
		}
	}
}

// step moves M along the best b directions:
//
//	M += α/(b·σ_R) Σ_{top b} (r⁺ − r⁻)·δ
//
// ranking directions by max(r⁺, r⁻) (ties to the lower index) and summing
// in direction order. It reports false, leaving M unchanged, when σ_R is
// zero or a return used is not finite.
func (s *Student) step() bool {
	n, b := s.p.Directions, s.p.TopDirections
	r := s.returns
	for k := range s.order[:n] {
		s.order[k] = k
	}
	if b < n {
		slices.SortStableFunc(s.order, func(i, j int) int {
			return cmp.Compare(max(r[2*j], r[2*j+1]), max(r[2*i], r[2*i+1]))
		})
		slices.Sort(s.order[:b])
	}
	top := s.order[:b]
	var sum, sq float64
	for _, k := range top {
		sum += r[2*k] + r[2*k+1]
	}
	mean := sum / float64(2*b)
	for _, k := range top {
		sq += (r[2*k]-mean)*(r[2*k]-mean) + (r[2*k+1]-mean)*(r[2*k+1]-mean)
	}
	sigma := math.Sqrt(sq / float64(2*b))
	s.stats.RewardStd = sigma
	if !(sigma > 0) || math.IsInf(sigma, 0) {
		return false
	}
	scale := s.p.StepSize / (float64(b) * sigma)
	size := len(s.pol.theta)
	theta := s.pol.theta
	for _, k := range top {
		c := scale * (r[2*k] - r[2*k+1])
		for i, d := range s.dirs[k*size : (k+1)*size] {
			theta[i] += c * d
		}
	}
	return true
}

// Evaluate plays t once with the current policy, without perturbation and
// without updating the normalisation statistics.
func (s *Student) Evaluate(t task.Task) task.Outcome {
	w := s.eval
	w.pol.set(s.pol.theta, nil, 0)
	w.play(t, s.mean, s.invStd, 0, nil)
	return w.env.Outcome()
}
