package cyclical

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/internal/discrete/discretetest"
)

func newTeacher(t testing.TB, p Params, d *task.Discrete) *Teacher {
	t.Helper()
	tc, err := New(p, d, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

// stages runs the teacher and returns the share and pool of each stage.
func stages(tc *Teacher, episodes int, rng *rand.Rand) (shares []float64, lengths []int, pools [][]int) {
	last := 0
	for range episodes {
		tk := tc.Sample(rng)
		if tc.stages != last {
			last = tc.stages
			shares = append(shares, tc.Share())
			lengths = append(lengths, 0)
			pools = append(pools, slices.Clone(tc.Pool()))
		}
		lengths[len(lengths)-1]++
		if !slices.Contains(tc.Pool(), tk.Index) {
			panic("proposal outside the pool")
		}
		tc.Update(tk, task.Outcome{Score: 0.5, Steps: 1})
	}
	return
}

func TestReferenceSchedule(t *testing.T) {
	p := DefaultParams()
	p.Epoch = 100
	tc := newTeacher(t, p, discretetest.Chain(8))
	shares, lengths, pools := stages(tc, 2000, rand.New(rand.NewPCG(3, 3)))
	want := []float64{0.25, 0.5, 1, 0.5, 0.25, 0.5, 1, 0.5, 0.25}
	if !slices.Equal(shares[:len(want)], want) {
		t.Fatalf("shares %v, want %v…", shares, want)
	}
	for k := range want {
		if lengths[k] != int(want[k]*100) {
			t.Fatalf("stage %d (share %v) lasted %d episodes", k, want[k], lengths[k])
		}
		// On a chain the easiest share is the first tasks of the chain.
		size := int(math.Ceil(want[k] * 8))
		pool := slices.Sorted(slices.Values(pools[k]))
		for i, v := range pool {
			if v != i || len(pool) != size {
				t.Fatalf("stage %d pool %v, want the %d first tasks", k, pools[k], size)
			}
		}
	}
	// Another multiplier: 0.2 → 0.6 → 1 → 0.6 → 0.36 → 0.216 → 0.2 → 0.6.
	p.StartPercent, p.Multiplier = 0.2, 0.6
	tc = newTeacher(t, p, discretetest.Chain(8))
	shares, _, _ = stages(tc, 3000, rand.New(rand.NewPCG(3, 3)))
	want = []float64{0.2, 0.2 / 0.6, 0.2 / 0.36, 0.2 / 0.216, 1, 0.6, 0.36, 0.216, 0.2}
	for k, w := range want {
		if math.Abs(shares[k]-w) > 1e-12 {
			t.Fatalf("shares %v, want %v", shares[:len(want)], want)
		}
	}
}

func TestTiesAtTheBoundaryAreRandom(t *testing.T) {
	p := DefaultParams()
	p.Epoch = 8
	tc := newTeacher(t, p, discretetest.Tree(7)) // depths 0, 1, 1, 2, 2, 2, 2
	_, _, pools := stages(tc, 2000, rand.New(rand.NewPCG(4, 4)))
	seen := map[int]int{}
	for _, pool := range pools {
		if len(pool) == 2 { // share 0.25 of 7 tasks: ⌈1.75⌉ = 2
			if !slices.Contains(pool, 0) {
				t.Fatalf("small pool %v without the root", pool)
			}
			for _, i := range pool {
				seen[i]++
			}
		}
	}
	if seen[1] < 20 || seen[2] < 20 || seen[3] != 0 {
		t.Fatalf("second members of the small pools %v: want tasks 1 and 2 at random", seen)
	}
}

func TestWeightedSelection(t *testing.T) {
	p := DefaultParams()
	p.Epoch, p.Selection = 4, "weighted"
	tc := newTeacher(t, p, discretetest.Chain(4)) // easiness 1, 1/2, 1/3, 1/4
	_, _, pools := stages(tc, 20000, rand.New(rand.NewPCG(5, 5)))
	counts := [4]int{}
	singles := 0
	for _, pool := range pools {
		if len(pool) == 1 {
			counts[pool[0]]++
			singles++
		}
	}
	// Single-task pools are drawn with probability ∝ 1, 1/2, 1/3, 1/4.
	z := 1 + 1.0/2 + 1.0/3 + 1.0/4
	for i, c := range counts {
		want := 1 / float64(i+1) / z
		if math.Abs(float64(c)/float64(singles)-want) > 0.03 {
			t.Fatalf("single pools %v of %d, want shares ∝ 1/(1+depth)", counts, singles)
		}
	}
}

func TestNoAllocation(t *testing.T) {
	for _, sel := range []string{"easiest", "weighted"} {
		p := DefaultParams()
		p.Epoch, p.Selection = 10, sel
		tc := newTeacher(t, p, discretetest.Tree(100))
		rng := rand.New(rand.NewPCG(1, 1))
		if a := testing.AllocsPerRun(500, func() {
			tk := tc.Sample(rng)
			tc.Update(tk, task.Outcome{Score: 0.5, Steps: 1})
		}); a != 0 {
			t.Fatalf("%s: %v allocations per Sample+Update", sel, a)
		}
	}
}

func TestBadParams(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.StartPercent = 0 }, "start_percent ="},
		{func(p *Params) { p.EndPercent = 0.1 }, "end_percent ="},
		{func(p *Params) { p.Multiplier = 1 }, "multiplier ="},
		{func(p *Params) { p.Epoch = 0 }, "epoch ="},
		{func(p *Params) { p.Selection = "hardest" }, `selection = "hardest": want easiest or weighted`},
	} {
		p := DefaultParams()
		tc.mod(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error containing %q", p, err, tc.want)
		}
	}
	tc := newTeacher(t, DefaultParams(), discretetest.Chain(3))
	tc.Update(task.Task{Index: 5}, task.Outcome{Steps: 1})
	if tc.Ignored() != 1 {
		t.Fatal("outcome of a task outside the space not counted")
	}
}

// BenchmarkSampleUpdate measures one Sample and one Update on chains and
// trees of 10, 100 and 1000 tasks, with stage changes (and their pool
// draws) amortised over an epoch of 1000 episodes.
func BenchmarkSampleUpdate(b *testing.B) {
	discretetest.BenchmarkSampleUpdate(b, func(b *testing.B, d *task.Discrete) task.Teacher {
		return newTeacher(b, DefaultParams(), d)
	})
}
