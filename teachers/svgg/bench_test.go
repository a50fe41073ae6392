package svgg

import (
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/internal/cputime"
	"github.com/teachbench/teachbench/task"
)

// BenchmarkUpdate measures the teacher's cost per episode of 30 steps with
// the default parameters against the synthetic frontier student, amortised
// over the refits (validity and predictor every 4000 steps, one every 133
// episodes) and the particle updates (1.5 per episode): the time of one
// Sample and one Update, averaged once the models are fitted (run it with
// -benchtime 1000x or more so that refits are included in proportion), in
// wall time and in CPU time (cpu-ms/episode), which other processes on a
// shared machine do not skew.
func BenchmarkUpdate(b *testing.B) {
	tc := mustNew(b, DefaultParams(), mustBox(b, -1, 5), 1)
	rng := rand.New(rand.NewPCG(1, 2))
	s := frontierStudent{radius: 2.5}
	for range 300 { // past the first fits
		tk := tc.Sample(rng)
		tc.Update(tk, s.outcome(tk.Params))
	}
	b.ReportAllocs()
	cpu0 := cputime.Process()
	for b.Loop() {
		tk := tc.Sample(rng)
		tc.Update(tk, s.outcome(tk.Params))
	}
	if cpu := cputime.Process() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/episode")
	}
	st := tc.Stats()
	b.ReportMetric(float64(st.SVGDSteps)/float64(st.Steps/30), "svgd/episode")
}

// BenchmarkParticleUpdate measures one SVGD iteration of the default 100
// particles: the predictor's forward and input-gradient passes, the
// validity model's sums over its support vectors (fitted on 5000 goals
// uniform over a 6 × 6 square), the kernel matrix and the Adam step.
func BenchmarkParticleUpdate(b *testing.B) {
	for _, c := range []struct {
		name     string
		validity bool
	}{{"validity", true}, {"predictor-only", false}} {
		b.Run(c.name, func(b *testing.B) {
			p := DefaultParams()
			p.Validity = c.validity
			tc := fitted(b, p, 1)
			if c.validity {
				rng := rand.New(rand.NewPCG(5, 5))
				x := make([]float64, 2*p.ValiditySamples)
				for i := range x {
					x[i] = -1 + 6*rng.Float64()
				}
				tc.val.fit(x, ones(p.ValiditySamples), p.ValidityNu, p.CalibSteps, p.CalibLR, rng)
			}
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for b.Loop() {
				tc.update()
			}
			if cpu := cputime.Process() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
		})
	}
}

// BenchmarkValidityFit measures one fit of the validity model at the
// default size: the one-class SVM on 5000 achieved goals (uniform over a
// 6 × 6 square, or along the corridors of an L-shaped maze arm) and the
// 200-step calibration. It reports the solver's iterations and the number
// of support vectors.
func BenchmarkValidityFit(b *testing.B) {
	p := DefaultParams()
	for _, c := range []struct {
		name string
		draw func(x []float64, rng *rand.Rand)
	}{
		{"square", func(x []float64, rng *rand.Rand) { x[0], x[1] = -1+6*rng.Float64(), -1+6*rng.Float64() }},
		{"corridor", func(x []float64, rng *rand.Rand) {
			// An L of unit-wide corridors: (−0.5..4.5) × (−0.5..0.5) and
			// (3.5..4.5) × (−0.5..4.5).
			u, v := rng.Float64(), rng.Float64()-0.5
			if rng.IntN(2) == 0 {
				x[0], x[1] = -0.5+5*u, v
			} else {
				x[0], x[1] = 4+v, -0.5+5*u
			}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(5, 5))
			x := make([]float64, 2*p.ValiditySamples)
			for i := range p.ValiditySamples {
				c.draw(x[2*i:2*i+2], rng)
			}
			v := &validity{svm: oneClassSVM{d: 2, gamma: p.ValidityGamma}, buf: make([]float64, 2)}
			w := ones(p.ValiditySamples)
			b.ReportAllocs()
			cpu0 := cputime.Process()
			for b.Loop() {
				v.fit(x, w, p.ValidityNu, p.CalibSteps, p.CalibLR, rng)
			}
			if cpu := cputime.Process() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
			b.ReportMetric(float64(v.svm.iters), "iters")
			b.ReportMetric(float64(len(v.svm.coef)), "svs")
		})
	}
}

// BenchmarkSample measures proposing a goal.
func BenchmarkSample(b *testing.B) {
	tc := mustNew(b, DefaultParams(), mustBox(b, -1, 5), 1)
	rng := rand.New(rand.NewPCG(1, 2))
	var tk task.Task
	b.ReportAllocs()
	for b.Loop() {
		tk = tc.Sample(rng)
	}
	_ = tk
}
