// Package curriculum is the synthetic curriculum-graph family: a closed-form
// learner on a graph of discrete tasks with prerequisites, cheap enough for
// large sweeps and with a known ground truth. It is a model, in the spirit of
// the setting of the mastering-rate paper (Willems, Lahlou and Bengio,
// "Mastering Rate based Curriculum Learning", arXiv 2008.06456, 2020), of a
// learner for whom practising a task before its prerequisites are mastered is
// wasted: learnability is gated by prerequisites, a task's score stays near
// zero until much of it has been learned (as the return of a sparse-reward
// task does), and learned tasks stop improving.
//
// # The model
//
// The tasks and prerequisite edges come from a named graph (package
// envs/graphs, param graph) or a custom one (params tasks, edges, min, max,
// unlearnable with graph = "custom"). Every task i has a latent skill
// s_i ∈ [0, 1], zero at the start, and an observable score
//
//	score(s) = (σ((s − centre)/width) − σ(−centre/width)) / (σ((1 − centre)/width) − σ(−centre/width))
//
// with σ the logistic function: a sigmoid rescaled so that score(0) = 0 and
// score(1) = 1. With the defaults (centre 0.5, width 0.1) the score stays below
// 0.05 until s ≈ 0.2, crosses 0.5 at s = 0.5 and reaches the mastery threshold
// 0.9 at s ≈ 0.71.
//
// The gate of task i is how far its direct prerequisites are mastered:
//
//	gate_i = min over prerequisites p of min(1, score(s_p)/mastery)   (1 for tasks without prerequisites)
//
// so a prerequisite at half the mastery score lets its successors learn at half
// speed, and a join (a task with several prerequisites, as in ObstructedMaze)
// needs all of them. An episode on task i (Learn) is played with the current
// skill, then raises it by
//
//	Δs_i = rate_i · gate_i · (1 − s_i)
//
// (diminishing returns towards 1). Unlearnable tasks (distractors) have
// rate 0 and never change. Task-specific rates are
// rate_i = rate / (1 + rate_depth · depth_i) · exp(rate_spread · z_i), with
// depth_i the task's depth in the graph and z_i a standard normal draw per
// task taken from the run's env stream when the student is created
// (rate_spread = 0, the default, draws nothing).
//
// Options, all off by default except the outcome noise:
//   - forget: every episode in which a task is not practised multiplies its
//     skill by (1 − forget). Decay is applied lazily when a skill is read, so
//     an episode costs O(1 + degree) whatever the number of tasks.
//   - transfer: an episode on task i also trains each direct neighbour j
//     (prerequisites and successors) as if by a fraction transfer of an
//     episode on j: Δs_j = transfer · rate_j · gate_j · (1 − s_j). It resets
//     j's forgetting clock.
//   - noise: the episode's reported score is score(s_i) plus Gaussian noise of
//     this standard deviation (from the env stream), clipped to [0, 1].
//
// The outcome of an episode: Score = Return = the (noisy) score, Success =
// Score ≥ mastery, Steps = 1. Evaluate reports the noiseless score of the
// current skill and changes nothing, so evaluations measure the ground truth.
//
// The test set is every learnable task (test = "all", the default) or the
// graph's targets, the learnable tasks no learnable task depends on
// (test = "targets"); distractors are never tested. A test task is mastered
// when its evaluated score is ≥ mastery; `mastered` is the percentage of test
// tasks mastered. The family also reports three extra metrics in eval.csv:
// locked_pct (percentage of the learning episodes so far spent on tasks that
// could not learn: unlearnable, or gate < 0.05), practised_mastered_pct
// (percentage spent on tasks already at the mastery score) and skill_mean
// (mean latent skill of the test tasks).
//
// The task space carries the graph's score bounds: [0, 0.5] for the MiniGrid
// graphs, [0, 1] otherwise. They are the priors the mastering-rate teacher
// starts from (in the reference, return estimates for MiniGrid tasks whose
// returns lie in [0, 1]); the scores themselves always lie in [0, 1].
//
// What a perfect teacher does: practise each task, in an order compatible
// with the prerequisites, until it is mastered; about 120 episodes per task
// with the default rate. Practice on locked tasks, on distractors and on
// tasks already mastered is wasted.
//
// Randomness: only the run's env stream (task.Streams.Env), for the rate
// spread and the outcome noise. Evaluate draws nothing.
package curriculum

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/envs/graphs"
	"github.com/teachbench/teachbench/task"
)

// lockedGate is the gate below which an episode counts as spent on a locked
// task in the locked_pct metric.
const lockedGate = 0.05

// Params are the family's parameters.
type Params struct {
	Graph       string    `toml:"graph" doc:"curriculum graph: a name from envs/graphs (blockedunlockpickup, keycorridor, obstructedmaze, addition3/5/9, tree, chain-N, tree-D-B, G+distractors-K) or custom"`
	Tasks       []string  `toml:"tasks" doc:"graph = custom: the task names"`
	Edges       []string  `toml:"edges" doc:"graph = custom: prerequisite edges \"a->b\" (a before b)"`
	Min         []float64 `toml:"min" doc:"graph = custom: per-task lower score bounds (default 0)"`
	Max         []float64 `toml:"max" doc:"graph = custom: per-task upper score bounds (default 1)"`
	Unlearnable []string  `toml:"unlearnable" doc:"graph = custom: names of distractor tasks that can never be learned"`
	Test        string    `toml:"test" doc:"test set: all (every learnable task) or targets (learnable tasks no learnable task depends on)"`
	Mastery     float64   `toml:"mastery" doc:"score at or above which a task is mastered (and an episode succeeds)"`
	Rate        float64   `toml:"rate" doc:"skill gained per fully unlocked episode, as a fraction of the skill still missing"`
	RateDepth   float64   `toml:"rate_depth" doc:"rate_i = rate / (1 + rate_depth·depth_i): deeper tasks learn slower"`
	RateSpread  float64   `toml:"rate_spread" doc:"per-task log-normal rate multiplier exp(rate_spread·z), z ~ N(0,1) from the env stream"`
	Noise       float64   `toml:"noise" doc:"standard deviation of the Gaussian noise on an episode's reported score (clipped to [0,1])"`
	Forget      float64   `toml:"forget" doc:"fraction of skill lost per episode in which a task is not practised"`
	Transfer    float64   `toml:"transfer" doc:"an episode also trains each direct neighbour by this fraction of an episode"`
	Centre      float64   `toml:"centre" doc:"skill at which the score sigmoid is centred"`
	Width       float64   `toml:"width" doc:"width (temperature) of the score sigmoid in skill units"`
}

// DefaultParams returns the default model: a 10-task chain, mastery at score
// 0.9, rate 0.01, noise 0.05, no forgetting or transfer.
func DefaultParams() Params {
	return Params{
		Graph:   "chain-10",
		Test:    "all",
		Mastery: 0.9,
		Rate:    0.01,
		Noise:   0.05,
		Centre:  0.5,
		Width:   0.1,
	}
}

// Validate checks the parameters, building the graph to do so.
func (p Params) Validate() error {
	_, err := p.graph()
	if err != nil {
		return err
	}
	switch {
	case p.Test != "all" && p.Test != "targets":
		return fmt.Errorf("test = %q: want all or targets", p.Test)
	case !(p.Mastery > 0 && p.Mastery < 1):
		return fmt.Errorf("mastery = %v: want a score in (0, 1)", p.Mastery)
	case !(p.Rate > 0 && p.Rate <= 1):
		return fmt.Errorf("rate = %v: want a number in (0, 1]", p.Rate)
	case !(p.RateDepth >= 0) || math.IsInf(p.RateDepth, 0):
		return fmt.Errorf("rate_depth = %v: want a finite number ≥ 0", p.RateDepth)
	case !(p.RateSpread >= 0 && p.RateSpread <= 5):
		return fmt.Errorf("rate_spread = %v: want a number in [0, 5]", p.RateSpread)
	case !(p.Noise >= 0 && p.Noise <= 1):
		return fmt.Errorf("noise = %v: want a standard deviation in [0, 1]", p.Noise)
	case !(p.Forget >= 0 && p.Forget < 1):
		return fmt.Errorf("forget = %v: want a fraction in [0, 1)", p.Forget)
	case !(p.Transfer >= 0 && p.Transfer <= 1):
		return fmt.Errorf("transfer = %v: want a fraction in [0, 1]", p.Transfer)
	case !(p.Centre > 0 && p.Centre < 1):
		return fmt.Errorf("centre = %v: want a skill in (0, 1)", p.Centre)
	case !(p.Width > 0 && p.Width <= 10):
		return fmt.Errorf("width = %v: want a number in (0, 10]", p.Width)
	}
	return nil
}

// graph builds the graph the parameters name.
func (p Params) graph() (*graphs.Graph, error) {
	custom := len(p.Tasks) > 0 || len(p.Edges) > 0 || len(p.Min) > 0 || len(p.Max) > 0 || len(p.Unlearnable) > 0
	switch {
	case p.Graph == "":
		return nil, errors.New(`graph is empty: name a graph (e.g. "chain-10") or "custom"`)
	case p.Graph == "custom":
		return graphs.Custom(p.Tasks, p.Edges, p.Min, p.Max, p.Unlearnable)
	case custom:
		return nil, fmt.Errorf("graph = %q but tasks, edges, min, max or unlearnable are set: they define a custom graph, set graph = \"custom\" to use them", p.Graph)
	}
	g, err := graphs.Lookup(p.Graph)
	if err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	return g, nil
}

// Family is the curriculum family. It is safe for concurrent use; each
// student holds its own skills.
type Family struct {
	p      Params
	graph  *graphs.Graph
	space  *task.Discrete
	tests  []task.Task
	rate   []float64 // per-task rate before the random spread; 0 if unlearnable
	preds  [][]int
	neigh  [][]int // direct prerequisites then direct successors
	lo, hi float64 // σ(−centre/width), σ((1−centre)/width)
}

// New returns the family for p.
func New(p Params) (*Family, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	g, err := p.graph()
	if err != nil {
		return nil, err
	}
	n := g.Space.Len()
	f := &Family{
		p:     p,
		graph: g,
		space: g.Space,
		rate:  make([]float64, n),
		preds: make([][]int, n),
		neigh: make([][]int, n),
		lo:    sigmoid(-p.Centre / p.Width),
		hi:    sigmoid((1 - p.Centre) / p.Width),
	}
	for i := range n {
		if !g.Unlearnable[i] {
			f.rate[i] = p.Rate / (1 + p.RateDepth*g.Space.Difficulty(i))
		}
		f.preds[i] = g.Space.Predecessors(i)
		f.neigh[i] = append(append([]int(nil), g.Space.Predecessors(i)...), g.Space.Successors(i)...)
	}
	test := g.Learnable()
	if p.Test == "targets" {
		test = g.Targets()
	}
	if len(test) == 0 {
		return nil, fmt.Errorf("graph %q has no learnable task to test", g.Name)
	}
	f.tests = make([]task.Task, len(test))
	for k, i := range test {
		f.tests[k] = task.Task{Index: i}
	}
	return f, nil
}

// Graph returns the family's graph.
func (f *Family) Graph() *graphs.Graph { return f.graph }

// Spaces returns the graph's discrete task space.
func (f *Family) Spaces() []task.Space { return []task.Space{f.space} }

// TestSet returns the learnable tasks, or the graph's targets.
func (f *Family) TestSet() []task.Task { return f.tests }

// Mastered reports whether the evaluated score reaches the mastery threshold.
func (f *Family) Mastered(_ task.Task, o task.Outcome) bool { return o.Score >= f.p.Mastery }

// Score returns the observable score of latent skill s.
func (f *Family) Score(s float64) float64 {
	v := (sigmoid((s-f.p.Centre)/f.p.Width) - f.lo) / (f.hi - f.lo)
	return min(max(v, 0), 1)
}

// MetricNames names the family's extra evaluation metrics.
func (f *Family) MetricNames() []string {
	return []string{"locked_pct", "practised_mastered_pct", "skill_mean"}
}

// Evaluate measures s on the test set without learning. For students of this
// family it also reports the extra metrics; for any other student they are
// zero.
func (f *Family) Evaluate(s task.Student) task.Eval {
	var e task.Eval
	var mastered, success int
	var skill float64
	cs, own := s.(*Student)
	for _, t := range f.tests {
		o := s.Evaluate(t)
		if f.Mastered(t, o) {
			mastered++
		}
		if o.Success {
			success++
		}
		e.ScoreMean += o.Score
		e.ReturnMean += o.Return
		if own {
			skill += cs.Skill(t.Index)
		}
	}
	n := float64(len(f.tests))
	e.Mastered = 100 * float64(mastered) / n
	e.SuccessRate = 100 * float64(success) / n
	e.ScoreMean /= n
	e.ReturnMean /= n
	e.Extra = make([]float64, 3)
	if own && cs.now > 0 {
		e.Extra[0] = 100 * float64(cs.locked) / float64(cs.now)
		e.Extra[1] = 100 * float64(cs.practisedMastered) / float64(cs.now)
	}
	if own {
		e.Extra[2] = skill / n
	}
	return e
}

// NewStudent returns a learner with every skill at zero. rng.Env supplies
// the per-task rate spread (drawn here, if rate_spread > 0) and the outcome
// noise.
func (f *Family) NewStudent(rng task.Streams) task.Student {
	n := f.space.Len()
	s := &Student{
		f:     f,
		rng:   rng.Env,
		skill: make([]float64, n),
		last:  make([]int64, n),
		rate:  append([]float64(nil), f.rate...),
	}
	if f.p.Forget > 0 {
		s.keep = math.Log1p(-f.p.Forget)
	}
	if f.p.RateSpread > 0 {
		for i := range s.rate {
			s.rate[i] *= math.Exp(f.p.RateSpread * rng.Env.NormFloat64())
			s.rate[i] = min(s.rate[i], 1)
		}
	}
	if f.p.Noise > 0 && rng.Env == nil {
		panic("curriculum: noise needs the env stream (task.Streams.Env is nil)")
	}
	return s
}

// Student is the closed-form learner of a Family. It is not safe for
// concurrent use.
type Student struct {
	f     *Family
	rng   *rand.Rand
	skill []float64 // skill as of episode last[i]
	last  []int64
	rate  []float64
	keep  float64 // log(1 − forget), 0 without forgetting
	now   int64   // learning episodes so far

	locked, practisedMastered int64
}

// Skill returns the current latent skill of task i.
func (s *Student) Skill(i int) float64 { return s.skillAt(i) }

// Rate returns the learning rate of task i (0 for unlearnable tasks).
func (s *Student) Rate(i int) float64 { return s.rate[i] }

// Gate returns how far the prerequisites of task i are mastered, in [0, 1].
func (s *Student) Gate(i int) float64 {
	g := 1.0
	for _, p := range s.f.preds[i] {
		g = min(g, s.f.Score(s.skillAt(p))/s.f.p.Mastery)
	}
	return min(g, 1)
}

// skillAt returns the skill of task i now, applying the decay of the
// episodes since it was last practised.
func (s *Student) skillAt(i int) float64 {
	if s.keep == 0 || s.last[i] == s.now {
		return s.skill[i]
	}
	return s.skill[i] * math.Exp(s.keep*float64(s.now-s.last[i]))
}

// train applies a fraction frac of a practice episode to task i, whose gate
// is gate, and stores its skill as of now.
func (s *Student) train(i int, frac, gate float64) {
	v := s.skillAt(i)
	if s.rate[i] > 0 {
		v += frac * s.rate[i] * gate * (1 - v)
	}
	s.skill[i], s.last[i] = min(v, 1), s.now
}

// Learn plays one episode of task t.Index and practises it.
func (s *Student) Learn(t task.Task) task.Outcome {
	i := s.index(t)
	before := s.skillAt(i)
	score := s.f.Score(before)
	gate := s.Gate(i)
	if s.rate[i] == 0 || gate < lockedGate {
		s.locked++
	}
	if score >= s.f.p.Mastery {
		s.practisedMastered++
	}
	// The episode is played with the skills as they are; then the clock
	// advances (a new episode in which every other task goes unpractised)
	// and the practised task, and its neighbours, learn.
	s.skill[i], s.last[i] = before, s.now+1
	s.now++
	s.train(i, 1, gate)
	if tr := s.f.p.Transfer; tr > 0 {
		for _, j := range s.f.neigh[i] {
			s.train(j, tr, s.Gate(j))
		}
	}
	if s.f.p.Noise > 0 {
		score = min(max(score+s.f.p.Noise*s.rng.NormFloat64(), 0), 1)
	}
	return task.Outcome{Return: score, Score: score, Success: score >= s.f.p.Mastery, Steps: 1}
}

// Evaluate returns the noiseless outcome of task t with the current skill.
func (s *Student) Evaluate(t task.Task) task.Outcome {
	score := s.f.Score(s.skillAt(s.index(t)))
	return task.Outcome{Return: score, Score: score, Success: score >= s.f.p.Mastery, Steps: 1}
}

func (s *Student) index(t task.Task) int {
	if t.Params != nil || t.Level != nil || t.Index < 0 || t.Index >= len(s.skill) {
		panic(fmt.Sprintf("curriculum: %v is not a task of this %d-task graph", t, len(s.skill)))
	}
	return t.Index
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
