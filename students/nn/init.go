package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Initializer fills the parameters of a layer with fanIn inputs and fanOut
// outputs. dst is either a weight matrix stored fanOut×fanIn row-major
// (len fanIn·fanOut) or a bias vector (len fanOut); formulas that depend on
// the fans use the layer's fans in both cases, as PyTorch does for biases.
type Initializer interface {
	Init(dst []float64, fanIn, fanOut int, rng *rand.Rand)
}

// Zeros sets every parameter to 0.
type Zeros struct{}

// Init implements Initializer.
func (Zeros) Init(dst []float64, _, _ int, _ *rand.Rand) { clear(dst) }

// Constant sets every parameter to its value.
type Constant float64

// Init implements Initializer.
func (c Constant) Init(dst []float64, _, _ int, _ *rand.Rand) {
	for i := range dst {
		dst[i] = float64(c)
	}
}

// Uniform draws parameters from U(Min, Max).
type Uniform struct{ Min, Max float64 }

// Init implements Initializer.
func (u Uniform) Init(dst []float64, _, _ int, rng *rand.Rand) {
	for i := range dst {
		dst[i] = u.Min + (u.Max-u.Min)*rng.Float64()
	}
}

// Normal draws parameters from N(Mean, Std²).
type Normal struct{ Mean, Std float64 }

// Init implements Initializer.
func (n Normal) Init(dst []float64, _, _ int, rng *rand.Rand) {
	for i := range dst {
		dst[i] = n.Mean + n.Std*rng.NormFloat64()
	}
}

// GlorotUniform (Xavier uniform) draws from U(−a, a) with
// a = Gain·√(6/(fanIn+fanOut)): PyTorch's xavier_uniform_ and TF1's
// glorot_uniform / xavier_initializer. A zero Gain means 1.
type GlorotUniform struct{ Gain float64 }

// Init implements Initializer.
func (g GlorotUniform) Init(dst []float64, fanIn, fanOut int, rng *rand.Rand) {
	a := gainOr(g.Gain, 1) * math.Sqrt(6/float64(fanIn+fanOut))
	Uniform{-a, a}.Init(dst, fanIn, fanOut, rng)
}

// GlorotNormal (Xavier normal) draws from N(0, s²) with
// s = Gain·√(2/(fanIn+fanOut)), as PyTorch's xavier_normal_. A zero Gain
// means 1.
type GlorotNormal struct{ Gain float64 }

// Init implements Initializer.
func (g GlorotNormal) Init(dst []float64, fanIn, fanOut int, rng *rand.Rand) {
	Normal{0, gainOr(g.Gain, 1) * math.Sqrt(2/float64(fanIn+fanOut))}.Init(dst, fanIn, fanOut, rng)
}

// HeNormal (Kaiming normal, fan-in mode) draws from N(0, (Gain/√fanIn)²).
// A zero Gain means √2, the ReLU gain: PyTorch's kaiming_normal_ default.
type HeNormal struct{ Gain float64 }

// Init implements Initializer.
func (h HeNormal) Init(dst []float64, fanIn, fanOut int, rng *rand.Rand) {
	Normal{0, gainOr(h.Gain, math.Sqrt2) / math.Sqrt(float64(fanIn))}.Init(dst, fanIn, fanOut, rng)
}

// HeUniform (Kaiming uniform, fan-in mode) draws from U(−a, a) with
// a = Gain·√(3/fanIn). A zero Gain means √2, the ReLU gain: PyTorch's
// kaiming_uniform_ default.
type HeUniform struct{ Gain float64 }

// Init implements Initializer.
func (h HeUniform) Init(dst []float64, fanIn, fanOut int, rng *rand.Rand) {
	a := gainOr(h.Gain, math.Sqrt2) * math.Sqrt(3/float64(fanIn))
	Uniform{-a, a}.Init(dst, fanIn, fanOut, rng)
}

// TorchLinear is PyTorch's default initialisation of nn.Linear, for weights
// and biases alike: U(−1/√fanIn, 1/√fanIn). (For weights PyTorch writes it as
// kaiming_uniform_ with a = √5, which reduces to the same bound.) PyTorch's
// recurrent layers use U(−1/√hidden, 1/√hidden) for every parameter instead:
// use Uniform for those (see GRU).
type TorchLinear struct{}

// Init implements Initializer.
func (TorchLinear) Init(dst []float64, fanIn, fanOut int, rng *rand.Rand) {
	a := 1 / math.Sqrt(float64(fanIn))
	Uniform{-a, a}.Init(dst, fanIn, fanOut, rng)
}

// Orthogonal fills a fanOut×fanIn weight matrix with a (semi-)orthogonal
// matrix scaled by Gain, as PyTorch's orthogonal_ (used by PPO
// implementations with gains √2 for hidden layers, 0.01 for the policy head
// and 1 for the value head): the Q factor of the QR decomposition of a
// standard normal matrix (transposed first if it is wide), with the signs of
// R's diagonal folded in so that the distribution is uniform. A zero Gain
// means 1. It panics when dst is not a fanOut×fanIn matrix (biases have no
// orthogonal initialisation: use Zeros).
type Orthogonal struct{ Gain float64 }

// Init implements Initializer.
func (o Orthogonal) Init(dst []float64, fanIn, fanOut int, rng *rand.Rand) {
	rows, cols := fanOut, fanIn
	if len(dst) != rows*cols {
		panic(fmt.Sprintf("nn: Orthogonal needs a %d×%d matrix, got %d values", rows, cols, len(dst)))
	}
	if len(dst) == 0 {
		return
	}
	wide := rows < cols
	r, c := rows, cols
	if wide {
		r, c = cols, rows
	}
	a := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q, rr mat.Dense
	qr.QTo(&q)
	qr.RTo(&rr)
	gain := gainOr(o.Gain, 1)
	for j := range c {
		s := gain
		if rr.At(j, j) < 0 {
			s = -gain
		}
		for i := range r {
			v := s * q.At(i, j)
			if wide {
				dst[j*cols+i] = v
			} else {
				dst[i*cols+j] = v
			}
		}
	}
}

func gainOr(g, def float64) float64 {
	if g == 0 {
		return def
	}
	return g
}
