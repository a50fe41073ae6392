// Package discretetest builds the discrete task spaces used by the tests and
// benchmarks of the discrete teachers (chains and trees of any size), and a
// small closed-form learner to drive them, without importing an environment
// family.
package discretetest

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// Chain returns a chain of n tasks c1 → c2 → … → cn with bounds [0, 1].
func Chain(n int) *task.Discrete {
	names := make([]string, n)
	edges := make([]task.Edge, 0, n)
	for i := range names {
		names[i] = "c" + strconv.Itoa(i+1)
		if i > 0 {
			edges = append(edges, task.Edge{From: i - 1, To: i})
		}
	}
	return must(task.NewDiscrete(names, edges, nil, nil))
}

// Tree returns a binary out-tree of n tasks in breadth-first order (task i's
// prerequisite is task (i−1)/2), bounds [0, 1].
func Tree(n int) *task.Discrete {
	names := make([]string, n)
	edges := make([]task.Edge, 0, n)
	for i := range names {
		names[i] = "t" + strconv.Itoa(i)
		if i > 0 {
			edges = append(edges, task.Edge{From: (i - 1) / 2, To: i})
		}
	}
	return must(task.NewDiscrete(names, edges, nil, nil))
}

// Flat returns n tasks without prerequisites, bounds [0, 1].
func Flat(n int) *task.Discrete {
	names := make([]string, n)
	for i := range names {
		names[i] = "f" + strconv.Itoa(i)
	}
	return must(task.NewDiscrete(names, nil, nil, nil))
}

// Learner is a deterministic closed-form learner on a discrete space: task
// i's score rises by Rate per episode up to 1, but only once every
// prerequisite has a score of at least Unlock. It is enough to check that a
// teacher follows prerequisites.
type Learner struct {
	Space  *task.Discrete
	Scores []float64
	Rate   float64
	Unlock float64
}

// NewLearner returns a learner with every score at zero.
func NewLearner(d *task.Discrete, rate, unlock float64) *Learner {
	return &Learner{Space: d, Scores: make([]float64, d.Len()), Rate: rate, Unlock: unlock}
}

// Learn practises task t.Index and returns the outcome (score before the
// practice).
func (l *Learner) Learn(t task.Task) task.Outcome {
	i := t.Index
	s := l.Scores[i]
	open := true
	for _, p := range l.Space.Predecessors(i) {
		if l.Scores[p] < l.Unlock {
			open = false
		}
	}
	if open {
		l.Scores[i] = min(1, s+l.Rate)
	}
	return task.Outcome{Return: s, Score: s, Success: s >= l.Unlock, Steps: 1}
}

// Evaluate returns the outcome of task t without learning.
func (l *Learner) Evaluate(t task.Task) task.Outcome {
	s := l.Scores[t.Index]
	return task.Outcome{Return: s, Score: s, Success: s >= l.Unlock, Steps: 1}
}

// Mastered returns the number of tasks with a score of at least Unlock.
func (l *Learner) Mastered() int {
	n := 0
	for _, s := range l.Scores {
		if s >= l.Unlock {
			n++
		}
	}
	return n
}

func must(d *task.Discrete, err error) *task.Discrete {
	if err != nil {
		panic(err)
	}
	return d
}

// BenchmarkSampleUpdate measures one Sample and one Update of the teacher
// that newTeacher builds, on chains and trees of 10, 100 and 1000 tasks
// taught to a Learner: the benchmark every discrete teacher runs.
func BenchmarkSampleUpdate(b *testing.B, newTeacher func(b *testing.B, d *task.Discrete) task.Teacher) {
	for _, g := range []struct {
		name string
		make func(int) *task.Discrete
	}{{"chain", Chain}, {"tree", Tree}} {
		for _, n := range []int{10, 100, 1000} {
			b.Run(g.name+"-"+strconv.Itoa(n), func(b *testing.B) {
				d := g.make(n)
				tc := newTeacher(b, d)
				l := NewLearner(d, 0.01, 0.8)
				rng := rand.New(rand.NewPCG(1, 1))
				b.ReportAllocs()
				for b.Loop() {
					tk := tc.Sample(rng)
					tc.Update(tk, l.Learn(tk))
				}
			})
		}
	}
}

// AdvantageOutcome returns an outcome of score 0.5 whose student reported a
// mean absolute advantage of a (task.MeanAbsAdvantage), the signal of the
// advantage-driven teachers (SEC, DUMP).
func AdvantageOutcome(a float64) task.Outcome {
	o := task.Outcome{Score: 0.5, Steps: 1}
	o.SetSignal(task.MeanAbsAdvantage, a)
	return o
}
