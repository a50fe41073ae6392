package random

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/task"
)

func TestBoxAndDiscrete(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	box, _ := task.NewBox(task.Dim{Name: "h", Lo: -3, Hi: 3}, task.Dim{Name: "s", Lo: 0, Hi: 6})
	tc, err := New(Params{}, box, rng)
	if err != nil {
		t.Fatal(err)
	}
	var sum [2]float64
	seeds := map[uint64]bool{}
	const n = 20000
	for range n {
		tk := tc.Sample(rng)
		if !box.Contains(tk.Params) {
			t.Fatalf("%v outside %v", tk.Params, box)
		}
		sum[0] += tk.Params[0]
		sum[1] += tk.Params[1]
		seeds[tk.Seed] = true
		tc.Update(tk, task.Outcome{Score: 1, Steps: 1})
	}
	if math.Abs(sum[0]/n) > 0.05 || math.Abs(sum[1]/n-3) > 0.05 || len(seeds) != n {
		t.Fatalf("means %v, %v; %d distinct seeds", sum[0]/n, sum[1]/n, len(seeds))
	}

	d, _ := task.NewDiscrete([]string{"a", "b", "c", "d"}, nil, nil, nil)
	td, _ := New(Params{}, d, rng)
	counts := make([]int, 4)
	for range n {
		tk := td.Sample(rng)
		if tk.Kind() != task.DiscreteKind {
			t.Fatalf("a discrete teacher proposed a %s task", tk.Kind())
		}
		counts[tk.Index]++
	}
	for i, c := range counts {
		if math.Abs(float64(c)/n-0.25) > 0.02 {
			t.Fatalf("task %d drawn %d times of %d", i, c, n)
		}
	}
}

// fakeLevels generates one-byte levels holding a random number.
type fakeLevels struct{}

func (fakeLevels) Kind() task.Kind                               { return task.LevelsKind }
func (fakeLevels) Generate(rng *rand.Rand) []byte                { return []byte{byte(rng.IntN(256))} }
func (fakeLevels) Mutate(l []byte, n int, rng *rand.Rand) []byte { return append([]byte(nil), l...) }
func (fakeLevels) Format(l []byte) (string, error)               { return string(l), nil }
func (fakeLevels) Parse(s string) ([]byte, error)                { return []byte(s), nil }

func TestLevelsAreGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tc, err := New(Params{}, fakeLevels{}, rng)
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[byte]bool{}
	for range 1000 {
		tk := tc.Sample(rng)
		if tk.Kind() != task.LevelsKind || len(tk.Level) != 1 {
			t.Fatalf("proposed %v", tk)
		}
		distinct[tk.Level[0]] = true
	}
	if len(distinct) < 200 {
		t.Fatalf("only %d distinct levels in 1000 draws", len(distinct))
	}
}
