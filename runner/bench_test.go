package runner

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkToyRun measures one full run of the toy protocol (2 × 10 cells,
// 20,000 episodes, 21 evaluations, no trace) per teacher: the figure to
// compare with the original Python implementation's CPU time per run.
func BenchmarkToyRun(b *testing.B) {
	for _, teacher := range []string{"random", "alp-gmm"} {
		b.Run(teacher, func(b *testing.B) {
			c := mustParse(b, toyProtocol(1, "[[teacher]]\nname = \""+teacher+"\"\n"))
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
