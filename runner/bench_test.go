package runner

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkToyRun measures one full run of the toy protocol (2 × 10 cells,
// 20,000 episodes, 21 evaluations, no trace) per continuous teacher, with
// the settings of configs/challenges/default.toml: the figure to compare
// with the original Python implementation's CPU time per run, and with
// ALP-GMM's to see which teacher would be the bottleneck of a toy sweep.
func BenchmarkToyRun(b *testing.B) {
	for _, tc := range []struct{ teacher, params string }{
		{"random", ""},
		{"alp-gmm", ""},
		{"covar-gmm", ""},
		{"riac", ""},
		{"adr", "initial_mean = [0.05, 0.05]\nmax_reward_thr = 0.75\nmin_reward_thr = 0.0\n"},
		{"oracle", "reward_thr = 0.75\n"},
		{"spdl", "update_offset = 200\nupdate_frequency = 50\n"},
		{"goal-gan", "initial_mean = [0.05, 0.05]\ninitial_std = [0.05, 0.05]\n"},
		{"setter-solver", ""},
	} {
		b.Run(tc.teacher, func(b *testing.B) {
			teacher := "[[teacher]]\nname = \"" + tc.teacher + "\"\n"
			if tc.params != "" {
				teacher += "[teacher.params]\n" + tc.params
			}
			c := mustParse(b, toyProtocol(1, teacher))
			runs, err := c.Plan()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if res := Execute(context.Background(), c, runs[0], nil); res.Run.Status != "done" {
					b.Fatal(res.Run.Error)
				}
			}
		})
	}
}

// BenchmarkSweepWorkers measures the wall time of a sweep of 4 ALP-GMM toy
// runs with 1 and 2 workers, to check that a sweep scales with cores.
func BenchmarkSweepWorkers(b *testing.B) {
	c := mustParse(b, toyProtocol(4, "[[teacher]]\nname = \"alp-gmm\"\n"))
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				out := b.TempDir()
				if _, err := Run(context.Background(), c, Options{Out: out, Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
