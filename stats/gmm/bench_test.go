package gmm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// alpData returns n points of dimension taskDims+1 resembling what ALP-GMM
// fits: task parameters in [0, 1] drawn from a few blobs plus a uniform
// background, clipped to the box (so that exact duplicates at the bounds
// occur), and an ALP column that is exactly 0 for 70% of the points.
func alpData(n, taskDims int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	d := taskDims + 1
	centres := make([]float64, 3*taskDims)
	for i := range centres {
		centres[i] = rng.Float64()
	}
	x := make([]float64, n*d)
	for i := 0; i < n; i++ {
		row := x[i*d : (i+1)*d]
		if rng.Float64() < 0.3 {
			for j := 0; j < taskDims; j++ {
				row[j] = rng.Float64()
			}
		} else {
			c := centres[rng.IntN(3)*taskDims:]
			for j := 0; j < taskDims; j++ {
				row[j] = min(1, max(0, c[j]+0.15*rng.NormFloat64()))
			}
		}
		if rng.Float64() < 0.3 {
			row[taskDims] = 0.5 * rng.Float64() * rng.Float64()
		}
	}
	return x
}

func BenchmarkFit(b *testing.B) {
	const n, taskDims = 250, 2
	x := alpData(n, taskDims, 1)
	for k := 2; k <= 10; k++ {
		b.Run(fmt.Sprintf("K=%d", k), func(b *testing.B) {
			var f Fitter
			var m Model
			rng := rand.New(rand.NewPCG(1, 2))
			cfg := Config{K: k}
			if err := f.Fit(&m, x, n, taskDims+1, cfg, rng); err != nil { // warm-up: size the buffers
				b.Fatal(err)
			}
			b.ReportAllocs()
			iters := 0
			for b.Loop() {
				if err := f.Fit(&m, x, n, taskDims+1, cfg, rng); err != nil {
					b.Fatal(err)
				}
				iters += m.Iter
			}
			b.ReportMetric(float64(iters)/float64(b.N), "EM-iters/op")
		})
	}
}

// benchRefit fits K = 2..10 once each on 250 points with taskDims task
// dimensions plus the ALP column, as one ALP-GMM refit does.
func benchRefit(b *testing.B, taskDims int) {
	const n = 250
	d := taskDims + 1
	x := alpData(n, taskDims, 1)
	var f Fitter
	models := make([]Model, 11)
	rng := rand.New(rand.NewPCG(1, 2))
	refit := func() {
		for k := 2; k <= 10; k++ {
			if err := f.Fit(&models[k], x, n, d, Config{K: k}, rng); err != nil {
				b.Fatal(err)
			}
		}
	}
	refit() // warm-up: size the buffers
	b.ReportAllocs()
	for b.Loop() {
		refit()
	}
}

func BenchmarkRefitAllK(b *testing.B)     { benchRefit(b, 2) }
func BenchmarkRefitAllK_D13(b *testing.B) { benchRefit(b, 12) }
