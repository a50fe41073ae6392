package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

func randSlice(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64()
	}
	return s
}

func TestParamsSpansSurviveGrowth(t *testing.T) {
	var p Params
	a := p.Alloc(3)
	copy(a.Value(), []float64{1, 2, 3})
	a.Grad()[1] = 5
	for range 10 { // force reallocations of the backing arrays
		p.Alloc(1000)
	}
	b := p.Alloc(2)
	if got := a.Value(); !slices.Equal(got, []float64{1, 2, 3}) {
		t.Errorf("span values after growth = %v, want [1 2 3]", got)
	}
	if a.Grad()[1] != 5 {
		t.Errorf("span gradient after growth = %v, want 5", a.Grad()[1])
	}
	if b.Offset() != 10003 || b.Len() != 2 || p.Len() != 10005 {
		t.Errorf("offset %d len %d store %d, want 10003, 2, 10005", b.Offset(), b.Len(), p.Len())
	}
	// Views are views: writing through Values is seen by the span.
	p.Values()[10004] = 7
	if b.Value()[1] != 7 {
		t.Errorf("span does not see a write through Values")
	}
	// A span cannot be appended into its neighbour.
	if cap(a.Value()) != 3 {
		t.Errorf("cap of a span's view = %d, want 3", cap(a.Value()))
	}
	p.ZeroGrad()
	if a.Grad()[1] != 0 {
		t.Errorf("ZeroGrad left %v", a.Grad()[1])
	}
}

func TestCopyFromAndSoftUpdate(t *testing.T) {
	build := func(seed uint64) (*Params, *MLP) {
		var p Params
		m := NewMLP(&p, []int{3, 4, 2}, Tanh{}, nil)
		m.Init(newRNG(seed), GlorotUniform{}, TorchLinear{})
		return &p, m
	}
	online, _ := build(1)
	target, _ := build(2)
	if slices.Equal(online.Values(), target.Values()) {
		t.Fatal("differently seeded networks are equal")
	}
	old := slices.Clone(target.Values())
	target.SoftUpdate(online, 0.25)
	for i, v := range target.Values() {
		if want := 0.25*online.Values()[i] + 0.75*old[i]; math.Abs(v-want) > 1e-15 {
			t.Fatalf("SoftUpdate[%d] = %v, want %v", i, v, want)
		}
	}
	target.CopyFrom(online)
	if !slices.Equal(online.Values(), target.Values()) {
		t.Error("CopyFrom did not copy")
	}

	var other Params
	NewMLP(&other, []int{3, 5, 2}, nil, nil)
	for name, f := range map[string]func(){
		"CopyFrom":   func() { other.CopyFrom(online) },
		"SoftUpdate": func() { other.SoftUpdate(online, 0.5) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s between different layouts did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestClipGradNorm(t *testing.T) {
	var p Params
	p.Alloc(2)
	copy(p.Grads(), []float64{3, 4})
	if n := p.ClipGradNorm(10); n != 5 || !slices.Equal(p.Grads(), []float64{3, 4}) {
		t.Errorf("under the limit: norm %v, grads %v; want 5 and unchanged", n, p.Grads())
	}
	if n := p.ClipGradNorm(1); n != 5 {
		t.Errorf("ClipGradNorm returned %v, want the norm before clipping, 5", n)
	}
	c := 1 / (5 + 1e-6)
	if g := p.Grads(); math.Abs(g[0]-3*c) > 1e-15 || math.Abs(g[1]-4*c) > 1e-15 {
		t.Errorf("clipped grads %v, want %v", g, []float64{3 * c, 4 * c})
	}
	copy(p.Grads(), []float64{math.Inf(1), 1})
	if n := p.ClipGradNorm(1); !math.IsInf(n, 1) || p.Grads()[1] != 1 {
		t.Errorf("non-finite norm: got %v and grads %v; want +Inf and untouched grads", n, p.Grads())
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	var p, q, wrong Params
	NewMLP(&p, []int{2, 3, 1}, nil, nil).Init(newRNG(3), HeNormal{}, Normal{Std: 1})
	NewMLP(&q, []int{2, 3, 1}, nil, nil)
	NewMLP(&wrong, []int{2, 4, 1}, nil, nil)
	data, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	q.Grads()[0] = 1
	if err := q.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Values(), q.Values()) || q.Grads()[0] != 0 {
		t.Error("round trip changed the values or kept a gradient")
	}
	if err := wrong.UnmarshalBinary(data); err == nil {
		t.Error("UnmarshalBinary into a different layout succeeded")
	}
	if err := q.UnmarshalBinary(data[:len(data)-1]); err == nil {
		t.Error("UnmarshalBinary of truncated data succeeded")
	}
	if err := q.UnmarshalBinary([]byte("garbage!")); err == nil {
		t.Error("UnmarshalBinary of garbage succeeded")
	}
}
