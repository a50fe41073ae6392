package gmm_test

import (
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/teachbench/teachbench/stats/gmm"
)

// This example fits mixtures with 1 to 4 components to points drawn around
// two centres, keeps the one with the lowest AIC, as ALP-GMM does, and draws
// a point from one of its components.
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, d = 400, 2
	x := make([]float64, n*d)
	for i := 0; i < n; i++ {
		cx, cy := 0.2, 0.3
		if i%4 == 0 { // a quarter of the points around (0.8, 0.6)
			cx, cy = 0.8, 0.6
		}
		x[i*d] = cx + 0.05*rng.NormFloat64()
		x[i*d+1] = cy + 0.05*rng.NormFloat64()
	}

	var (
		f          gmm.Fitter // reused scratch memory
		cand, best gmm.Model  // reused models
	)
	for k := 1; k <= 4; k++ {
		if err := f.Fit(&cand, x, n, d, gmm.Config{K: k}, rng); err != nil {
			fmt.Println(err)
			return
		}
		if k == 1 || cand.AIC() < best.AIC() {
			cand.Copy(&best)
		}
	}

	fmt.Println("components:", best.K)
	order := []int{0, 1}
	sort.Slice(order, func(a, b int) bool { return best.Mean(order[a])[0] < best.Mean(order[b])[0] })
	for _, k := range order {
		m := best.Mean(k)
		fmt.Printf("weight %.2f, mean (%.2f, %.2f)\n", best.Weights[k], m[0], m[1])
	}
	p := best.SampleComponent(nil, order[1], rng)
	fmt.Println("sample near (0.8, 0.6):", len(p) == d && p[0] > 0.5 && p[1] > 0.3)
	// Output:
	// components: 2
	// weight 0.75, mean (0.20, 0.30)
	// weight 0.25, mean (0.80, 0.60)
	// sample near (0.8, 0.6): true
}
