package plots

import (
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/stats"
)

// bootstrapSeed seeds every bootstrap of the figures and tables, so that a
// sweep redrawn gives identical intervals. Each interval draws from its own
// stream, keyed by what it estimates, so that it does not depend on the other
// rows of a sweep.
const bootstrapSeed = 0x7eac4b

// stream returns the bootstrap stream of one estimate.
func stream(keys ...string) *rand.Rand {
	h := fnv.New64a()
	for _, k := range keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(bootstrapSeed, h.Sum64()))
}

// Analysis holds the statistics of a sweep that its tables and figures show.
type Analysis struct {
	Sweep *Sweep
	// Options are the options it was made with, defaults filled in.
	Options Options
	// Envs holds one entry per environment, in sweep order.
	Envs []*EnvAnalysis
	// All aggregates every environment, each a stratum of the bootstrap,
	// when the sweep has more than one; nil otherwise.
	All *EnvAnalysis
}

// EnvAnalysis holds the statistics of one environment, or of all of them.
type EnvAnalysis struct {
	// Label is the environment label, or "all environments".
	Label string
	// Env is the environment, nil for the aggregate.
	Env *Env
	// Reference is the row of the reference teacher, nil if it has none.
	Reference *Row
	Rows      []*Row
}

// Row holds the statistics of one group: a teacher (and student) on one
// environment, or on every environment for the aggregate.
type Row struct {
	Label, Teacher, Student string
	// Groups holds the group of each environment the row covers.
	Groups []*Group
	// Planned counts every run; Done, Failed, Missing and Unreadable
	// count them by state.
	Planned, Done, Failed, Missing, Unreadable int
	// Scores holds the summary of each metric over the finished runs.
	Scores map[Metric]*Estimate
	// VsRef holds the comparison of each metric with the reference
	// teacher's runs; nil for the reference itself or without a
	// reference.
	VsRef map[Metric]*Comparison
	// Reach holds, per threshold of Options.Thresholds, how soon the runs
	// reached it; nil for the aggregate and for runs without evaluations.
	Reach []*Reach
}

// Estimate summarises the scores of finished runs.
type Estimate struct {
	// N is the number of finite scores.
	N int
	// Mean, its standard error SE, Median and the interquartile mean IQM
	// of the scores. For the aggregate of several environments the
	// scores are pooled and SE is the stratified standard error of the
	// pooled mean.
	Mean, SE, Median, IQM float64
	// Lo and Hi bound the stratified bootstrap confidence interval of the
	// IQM at Options.Level.
	Lo, Hi float64
}

// Comparison compares a row's scores with the reference teacher's.
type Comparison struct {
	// Welch and MannWhitney are the two-sided tests of the row against
	// the reference; NaN for the aggregate of several environments.
	Welch, MannWhitney stats.TestResult
	// WelchHolm is Welch's p-value adjusted by Holm's method over the
	// rows of the environment compared with the reference, for this
	// metric. Significance marks use it.
	WelchHolm float64
	// Improvement is the probability that a run of the row beats a run
	// of the reference (ties count half), with its bootstrap interval
	// [ImprovementLo, ImprovementHi] at Options.Level.
	Improvement, ImprovementLo, ImprovementHi float64
}

// Reach summarises how soon the runs reached a % mastered threshold.
type Reach struct {
	// Threshold is the % mastered level.
	Threshold float64
	// Reached counts the runs that reached it, out of Runs with
	// evaluations.
	Reached, Runs int
	// Median is the Kaplan–Meier median of the episodes (or steps) to
	// reach it, runs that never did being censored at their last
	// evaluation: +Inf when fewer than half of the runs are known to have
	// reached it, NaN without runs.
	Median float64
	// Horizon is the latest last evaluation of the runs: a median of +Inf
	// means more than Horizon.
	Horizon float64
}

// Analyze computes the statistics of sw: per environment and group, the
// summaries of each metric, the comparisons with the reference teacher and
// the times to reach each threshold; and, with several environments, their
// aggregate.
func Analyze(sw *Sweep, opt Options) (*Analysis, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	a := &Analysis{Sweep: sw, Options: opt}
	for _, e := range sw.Envs {
		ea := &EnvAnalysis{Label: e.Label, Env: e}
		for _, g := range e.Groups {
			r := a.newRow(e.Label, []*Group{g})
			r.Reach = a.reach(g, e.Unit == "steps")
			ea.Rows = append(ea.Rows, r)
		}
		a.compare(ea, false)
		a.Envs = append(a.Envs, ea)
	}
	if len(sw.Envs) > 1 {
		a.All = a.aggregate()
	}
	return a, nil
}

// newRow summarises the groups, one per environment.
func (a *Analysis) newRow(env string, groups []*Group) *Row {
	g0 := groups[0]
	r := &Row{Label: g0.Label, Teacher: g0.Teacher, Student: g0.Student, Groups: groups, Scores: map[Metric]*Estimate{}}
	for _, g := range groups {
		r.Planned += len(g.Runs)
		r.Done += g.Count(StateDone)
		r.Failed += g.Count(StateFailed)
		r.Missing += g.Count(StateMissing)
		r.Unreadable += g.Count(StateUnreadable)
	}
	for _, m := range Metrics {
		r.Scores[m] = a.estimate(strata(groups, m), stream("estimate", env, r.Label, string(m)))
	}
	return r
}

// estimate summarises scores grouped in strata.
func (a *Analysis) estimate(strata [][]float64, rng *rand.Rand) *Estimate {
	var pooled []float64
	for _, s := range strata {
		pooled = append(pooled, s...)
	}
	e := &Estimate{N: len(pooled), Mean: stats.Mean(pooled), Median: stats.Median(pooled), IQM: stats.IQM(pooled)}
	e.SE = stratifiedSE(strata)
	e.Lo, e.Hi = stats.StratifiedBootstrapCI(strata, stats.IQMSorted, a.Options.Level, a.Options.Resamples, rng)
	return e
}

// stratifiedSE returns the standard error of the pooled mean of strata
// sampled independently: √Σₖ (nₖ/n)²·s²ₖ/nₖ. With one stratum it is the
// usual standard error.
func stratifiedSE(strata [][]float64) float64 {
	n := 0
	for _, s := range strata {
		n += len(s)
	}
	if n == 0 {
		return math.NaN()
	}
	var v float64
	for _, s := range strata {
		if len(s) == 0 {
			continue
		}
		se := stats.StdErr(s)
		w := float64(len(s)) / float64(n)
		v += w * w * se * se
	}
	return math.Sqrt(v)
}

// reach returns the times, in episodes or else steps, the group's runs took
// to reach each threshold.
func (a *Analysis) reach(g *Group, steps bool) []*Reach {
	var xs, ys [][]float64
	for _, r := range g.Done() {
		if len(r.Eval) == 0 {
			continue
		}
		xs = append(xs, evalX(r.Eval, steps))
		ys = append(ys, evalMastered(r.Eval))
	}
	if len(ys) == 0 {
		return nil
	}
	out := make([]*Reach, len(a.Options.Thresholds))
	for i, th := range a.Options.Thresholds {
		t := make([]float64, len(ys))
		ev := make([]bool, len(ys))
		rc := &Reach{Threshold: th, Runs: len(ys), Horizon: math.Inf(-1)}
		for k := range ys {
			rc.Horizon = math.Max(rc.Horizon, xs[k][len(xs[k])-1])
			t[k], ev[k] = stats.FirstCrossing(xs[k], ys[k], th)
			if ev[k] {
				rc.Reached++
			}
		}
		rc.Median = stats.KaplanMeier(t, ev).Quantile(0.5)
		out[i] = rc
	}
	return out
}

// compare fills the comparisons of the rows of ea with the reference
// teacher's row. Tests are run per environment only.
func (a *Analysis) compare(ea *EnvAnalysis, aggregate bool) {
	// With several students, each is compared with the reference teacher
	// teaching the same student.
	refs := map[string]*Row{}
	for _, r := range ea.Rows {
		if r.Teacher == a.Options.Reference && refs[r.Student] == nil {
			refs[r.Student] = r
			if ea.Reference == nil {
				ea.Reference = r
			}
		}
	}
	for _, m := range Metrics {
		var compared []*Comparison
		var p []float64
		for _, r := range ea.Rows {
			ref := refs[r.Student]
			if ref == nil || r.Teacher == a.Options.Reference {
				continue
			}
			c := &Comparison{}
			xs, ys := strata(r.Groups, m), strata(ref.Groups, m)
			if aggregate {
				c.Welch = stats.TestResult{Statistic: math.NaN(), DF: math.NaN(), P: math.NaN()}
				c.MannWhitney = c.Welch
			} else {
				c.Welch = stats.WelchTTest(xs[0], ys[0], stats.TwoSided)
				c.MannWhitney = stats.MannWhitneyU(xs[0], ys[0], stats.TwoSided)
			}
			c.Improvement = stats.ProbabilityOfImprovement(xs, ys)
			c.ImprovementLo, c.ImprovementHi = stats.ProbabilityOfImprovementCI(xs, ys, a.Options.Level, a.Options.Resamples,
				stream("improvement", ea.Label, r.Label, ref.Label, string(m)))
			if r.VsRef == nil {
				r.VsRef = map[Metric]*Comparison{}
			}
			r.VsRef[m] = c
			compared = append(compared, c)
			p = append(p, c.Welch.P)
		}
		for k, adj := range stats.Holm(p) {
			compared[k].WelchHolm = adj
		}
	}
}

// strata returns the scores of each group under m.
func strata(groups []*Group, m Metric) [][]float64 {
	s := make([][]float64, len(groups))
	for k, g := range groups {
		s[k] = g.Values(m)
	}
	return s
}

// aggregate builds the analysis of all environments: one row per group
// label present in every environment, the environments as strata.
func (a *Analysis) aggregate() *EnvAnalysis {
	all := &EnvAnalysis{Label: "all environments"}
	first := a.Sweep.Envs[0]
	for _, g := range first.Groups {
		groups := []*Group{g}
		for _, e := range a.Sweep.Envs[1:] {
			var match *Group
			for _, h := range e.Groups {
				if h.Label == g.Label {
					match = h
				}
			}
			if match == nil {
				groups = nil
				break
			}
			groups = append(groups, match)
		}
		if groups != nil {
			all.Rows = append(all.Rows, a.newRow(all.Label, groups))
		}
	}
	if len(all.Rows) == 0 {
		return nil
	}
	a.compare(all, true)
	return all
}
