package runner

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/teachbench/teachbench/task"
)

// ppoMazeConfig is a short PPO run on easy mazes: domain randomisation over
// levels of 5 walls (walls = 10, of which the generator places half), and a
// learning rate suited to a budget of a hundred thousand steps (the default,
// dcd's 1e-4, is tuned for 32 environments and 250 million steps).
func ppoMazeConfig(steps int) string {
	return fmt.Sprintf(`
name = "ppo-maze"
seeds = 1
[budget]
steps = %d
[eval]
every = %d
[trace]
every = 1
[[env]]
name = "maze"
[env.params]
walls = 10
eval_mazes = ["SimpleCrossingS11N5", "SixteenRooms", "FourRooms"]
eval_episodes = 10
[[teacher]]
name = "dr"
[[student]]
name = "ppo"
[student.params]
lr = 1e-3
stochastic_eval = true
`, steps, steps/2)
}

// TestPPOMazeLearns runs PPO through the runner on easy random mazes and
// checks that its training solve rate rises far above that of the untrained
// policy, which acts almost uniformly at random: from 10–30% in the first
// 10,000 steps to 84–90% over the last 30,000 of 150,000 (seeds 0–3 when
// this test was written). It also logs the solve rate on three held-out
// mazes, which this memoryless policy does not learn to solve at this
// budget.
func TestPPOMazeLearns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains PPO for 150,000 steps (about 3 s of CPU)")
	}
	const budget, window = 150_000, 10_000
	c := mustParse(t, ppoMazeConfig(budget))
	runs, err := c.Plan()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := Execute(context.Background(), c, runs[0], nil)
	if res.Run.Status != "done" {
		t.Fatalf("run failed: %s", res.Run.Error)
	}
	// Solve rate of the training episodes in each window of steps.
	var rates []float64
	var solved, n int
	for _, s := range res.Samples {
		if s.Steps >= int64(window*(len(rates)+1)) {
			rates = append(rates, 100*float64(solved)/float64(n))
			solved, n = 0, 0
		}
		n++
		if s.Success {
			solved++
		}
	}
	t.Logf("%d steps, %d episodes in %.1f s", res.Run.Steps, res.Run.Episodes, time.Since(start).Seconds())
	t.Logf("training solve rate (%%) per %d steps: %.0f", window, rates)
	for _, e := range res.Evals {
		t.Logf("held-out solve rate (%%, stochastic policy) after %d steps: %.0f (SimpleCrossingS11N5, SixteenRooms, FourRooms)", e.Steps, e.Extra)
	}
	k := len(rates)
	first, last := rates[0], (rates[k-1]+rates[k-2]+rates[k-3])/3
	if last < 70 || last < first+35 {
		t.Errorf("training solve rate went from %.0f%% (untrained) to %.0f%% (last 30,000 steps): want at least 70%% and 35 points more", first, last)
	}
}

// BenchmarkPPOMaze measures the PPO student with its default parameters on
// the default maze family (25-wall budget): Learn plays one training
// episode of a random level and runs the PPO updates it triggers; Evaluate
// plays one greedy episode. It reports student env-steps per second of
// wall-clock time; for the per-core figure on a shared machine, divide the
// steps by the CPU time (GOMAXPROCS=1 and /usr/bin/time, say).
func BenchmarkPPOMaze(b *testing.B) {
	fam := defaultFamily(b, "maze")
	levels := fam.Spaces()[0].(task.Levels)
	rng := rand.New(rand.NewPCG(1, 2))
	tasks := make([]task.Task, 256)
	for i := range tasks {
		tasks[i] = task.Task{Level: levels.Generate(rng), Seed: uint64(i)}
	}
	for _, mode := range []string{"Learn", "Evaluate"} {
		b.Run(mode, func(b *testing.B) {
			s := newStudent(b, "ppo", nil, fam, "ppo-maze-bench")
			play := s.Learn
			if mode == "Evaluate" {
				play = s.Evaluate
			}
			// Warm up: the rollout and the caches grow to the longest
			// rollout seen (n_steps plus most of an episode).
			for i := range 64 {
				s.Learn(tasks[i])
			}
			var steps, i int
			b.ReportAllocs()
			for b.Loop() {
				steps += play(tasks[i%len(tasks)]).Steps
				i++
			}
			b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
