package stats_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/stats"
)

// Final % mastered of eight seeds, one of which collapsed and one of which
// got lucky: the IQM is as robust as the median and uses half the runs.
func ExampleIQM() {
	final := []float64{31, 35, 33, 90, 34, 0, 36, 32}
	fmt.Printf("mean %.1f, median %.1f, IQM %.1f\n", stats.Mean(final), stats.Median(final), stats.IQM(final))
	// Output: mean 36.4, median 33.5, IQM 33.5
}

// Two teachers on two environments: the interval of the IQM over both,
// each environment a stratum (the pooled IQM is 23.2), and the probability
// that a run of the first beats a run of the second: 1 on the first
// environment, 19.5/25 on the second.
func ExampleStratifiedBootstrapCI() {
	alp := [][]float64{{31, 35, 33, 38, 34}, {12, 15, 11, 14, 9}}
	random := [][]float64{{4, 4, 5, 4, 3}, {10, 9, 12, 8, 11}}
	rng := rand.New(rand.NewPCG(1, 2))
	lo, hi := stats.StratifiedBootstrapCI(alp, stats.IQMSorted, 0.95, 2000, rng)
	fmt.Printf("IQM 95%% interval [%.1f, %.1f]\n", lo, hi)
	fmt.Printf("P(alp > random) = %.2f\n", stats.ProbabilityOfImprovement(alp, random))
	// Output:
	// IQM 95% interval [21.7, 24.7]
	// P(alp > random) = 0.89
}

// The example of scipy.stats.mannwhitneyu's documentation, with Welch's
// t-test on the same samples and Holm's correction of the two p-values.
func ExampleMannWhitneyU() {
	males := []float64{19, 22, 16, 29, 24}
	females := []float64{20, 11, 17, 12}
	u := stats.MannWhitneyU(males, females, stats.TwoSided)
	w := stats.WelchTTest(males, females, stats.TwoSided)
	fmt.Printf("U = %v, exact p = %.4f\n", u.Statistic, u.P)
	fmt.Printf("t = %.3f, df = %.2f, p = %.4f\n", w.Statistic, w.DF, w.P)
	fmt.Printf("Holm: %.4f\n", stats.Holm([]float64{u.P, w.P}))
	// Output:
	// U = 17, exact p = 0.1111
	// t = 2.283, df = 6.93, p = 0.0568
	// Holm: [0.1135 0.1135]
}
