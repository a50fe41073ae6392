package keydoor

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/teachbench/teachbench/envs/graphs"
	"github.com/teachbench/teachbench/task"
)

// Graphs are the curriculum graphs the family plays, by their envs/graphs
// names.
var Graphs = []string{"blockedunlockpickup", "keycorridor", "obstructedmaze"}

// Observation encodings by parameter value.
var encodings = map[string]Encoding{"onehot": OneHot, "minigrid": MiniGridInts}

// Params are the family's parameters.
type Params struct {
	Graph          string  `toml:"graph" doc:"curriculum of the mastering-rate experiments: blockedunlockpickup (Unlock → UnlockPickup → BlockedUnlockPickup), keycorridor (KeyCorridorS3R1 → … → S6R3) or obstructedmaze (1Dl → … → Full)"`
	Obs            string  `toml:"obs" doc:"observation: onehot (7x7 view, 16 values per cell: 10 types incl. door states + 6 colours; + direction one-hot; 788 values) or minigrid (MiniGrid's raw (type, colour, state) integers per cell + direction one-hot; 151 values)"`
	ObstructedMaze string  `toml:"obstructed_maze" doc:"ObstructedMaze generator: v1 (MiniGrid's fix: blocking balls placed before keys, always solvable) or v0 (the original -v0 order, where a blocking ball can overwrite a key)"`
	EvalSeeds      int     `toml:"eval_seeds" doc:"evaluation episodes per task of the graph (layout seeds 0..eval_seeds-1)"`
	Mastery        float64 `toml:"mastery" doc:"a task is mastered when its success rate over the eval_seeds episodes is at least this fraction"`
}

// DefaultParams returns the KeyCorridor curriculum with one-hot
// observations, MiniGrid's v1 ObstructedMaze generator, and a test set of
// 10 seeds per task with mastery at a 90% success rate.
func DefaultParams() Params {
	return Params{
		Graph:          "keycorridor",
		Obs:            "onehot",
		ObstructedMaze: OMv1,
		EvalSeeds:      10,
		Mastery:        0.9,
	}
}

// Validate checks the parameters.
func (p Params) Validate() error {
	_, knownObs := encodings[p.Obs]
	switch {
	case !slices.Contains(Graphs, p.Graph):
		return fmt.Errorf("graph = %q: want one of %s", p.Graph, strings.Join(Graphs, ", "))
	case !knownObs:
		return fmt.Errorf("obs = %q: want onehot or minigrid", p.Obs)
	case p.ObstructedMaze != OMv1 && p.ObstructedMaze != OMv0:
		return fmt.Errorf("obstructed_maze = %q: want %s (MiniGrid's fixed generator) or %s (the original)", p.ObstructedMaze, OMv1, OMv0)
	case p.EvalSeeds < 1 || p.EvalSeeds > 100000:
		return fmt.Errorf("eval_seeds = %d: want 1..100000 episodes per task", p.EvalSeeds)
	case !(p.Mastery > 0 && p.Mastery <= 1):
		return fmt.Errorf("mastery = %v: want a success rate in (0, 1]", p.Mastery)
	}
	return nil
}

// Family is the keydoor family on one curriculum graph. It implements
// task.Family, task.Episodic and task.Evaluator, and is safe for
// concurrent use.
type Family struct {
	p       Params
	graph   *graphs.Graph
	specs   []*spec
	tests   []task.Task
	metrics []string
}

// New returns the family for p.
func New(p Params) (*Family, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	g, err := graphs.Lookup(p.Graph)
	if err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	f := &Family{p: p, graph: g}
	for i := range g.Space.Len() {
		name := g.Space.Name(i)
		s := lookup(name)
		if s == nil {
			return nil, fmt.Errorf("graph %q: task %q is not a keydoor task", p.Graph, name)
		}
		f.specs = append(f.specs, s)
		f.metrics = append(f.metrics, "return_"+name)
		for k := range p.EvalSeeds {
			f.tests = append(f.tests, task.Task{Index: i, Seed: uint64(k)})
		}
	}
	return f, nil
}

// Params returns the family's parameters.
func (f *Family) Params() Params { return f.p }

// Space returns the graph's discrete task space, with the mastering-rate
// curricula's edges and return bounds [0, 0.5].
func (f *Family) Space() *task.Discrete { return f.graph.Space }

// Spaces returns the graph's discrete task space.
func (f *Family) Spaces() []task.Space { return []task.Space{f.graph.Space} }

// MaxSteps returns the step limit of task i of the graph.
func (f *Family) MaxSteps(i int) int { return f.specs[i].maxSteps }

// TestSet returns every task of the graph with each evaluation seed, task by
// task. Evaluate is the family's own evaluation; the tasks are listed for
// callers that play them one by one.
func (f *Family) TestSet() []task.Task { return f.tests }

// Mastered reports whether one evaluation episode succeeded. Evaluate
// applies the family's rule (a task is mastered when the success rate of
// its eval_seeds episodes reaches mastery); for a single episode that rule
// is success.
func (f *Family) Mastered(_ task.Task, o task.Outcome) bool { return o.Success }

// NewEnv returns a new environment; it draws nothing from rng, since a
// task's seed fixes its layout and the dynamics are deterministic.
func (f *Family) NewEnv(*rand.Rand) task.Env {
	return newEnv(f.specs, encodings[f.p.Obs], f.p.ObstructedMaze == OMv0)
}

// MetricNames returns "return_<task>" for each task of the graph: the mean
// return of its evaluation episodes.
func (f *Family) MetricNames() []string { return f.metrics }

// Evaluate plays every task of the graph with the seeds 0..eval_seeds−1
// through s.Evaluate. Mastered is the percentage of tasks whose success
// rate reaches mastery; ScoreMean, ReturnMean and SuccessRate are taken over
// all episodes; Extra holds each task's mean return.
func (f *Family) Evaluate(s task.Student) task.Eval {
	n := f.p.EvalSeeds
	e := task.Eval{Extra: make([]float64, len(f.specs))}
	var success, mastered int
	for i := range f.specs {
		won := 0
		for k := range n {
			o := s.Evaluate(task.Task{Index: i, Seed: uint64(k)})
			if o.Success {
				won++
			}
			e.ScoreMean += o.Score
			e.ReturnMean += o.Return
			e.Extra[i] += o.Return
		}
		e.Extra[i] /= float64(n)
		// The rate is the correctly rounded fraction, so 9 of 10 meets 0.9.
		if float64(won)/float64(n) >= f.p.Mastery {
			mastered++
		}
		success += won
	}
	episodes := float64(len(f.specs) * n)
	e.Mastered = 100 * float64(mastered) / float64(len(f.specs))
	e.SuccessRate = 100 * float64(success) / episodes
	e.ScoreMean /= episodes
	e.ReturnMean /= episodes
	return e
}
