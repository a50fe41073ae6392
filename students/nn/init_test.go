package nn

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestInitializerDistributions(t *testing.T) {
	const fanIn, fanOut = 200, 100
	for _, tc := range []struct {
		name      string
		init      Initializer
		bound     float64 // 0: unbounded
		mean, std float64
	}{
		{"Uniform", Uniform{-2, 4}, 0, 1, 6 / math.Sqrt(12)},
		{"Normal", Normal{Mean: 1, Std: 3}, 0, 1, 3},
		{"GlorotUniform", GlorotUniform{}, math.Sqrt(6.0 / 300), 0, math.Sqrt(2.0 / 300)},
		{"GlorotUniform gain 2", GlorotUniform{Gain: 2}, 2 * math.Sqrt(6.0/300), 0, 2 * math.Sqrt(2.0/300)},
		{"GlorotNormal", GlorotNormal{}, 0, 0, math.Sqrt(2.0 / 300)},
		{"HeNormal", HeNormal{}, 0, 0, math.Sqrt(2.0 / fanIn)},
		{"HeUniform", HeUniform{}, math.Sqrt(6.0 / fanIn), 0, math.Sqrt(2.0 / fanIn)},
		{"TorchLinear", TorchLinear{}, 1 / math.Sqrt(fanIn), 0, 1 / math.Sqrt(3*fanIn)},
		{"Constant", Constant(0.5), 0.5, 0.5, 0},
		{"Zeros", Zeros{}, 0, 0, 0},
	} {
		w := make([]float64, fanIn*fanOut)
		tc.init.Init(w, fanIn, fanOut, newRNG(1))
		mean, std := stat.MeanStdDev(w, nil)
		se := max(tc.std, 1e-12) / math.Sqrt(float64(len(w)))
		if math.Abs(mean-tc.mean) > 5*se+1e-15 {
			t.Errorf("%s: mean %v, want %v", tc.name, mean, tc.mean)
		}
		if math.Abs(std-tc.std) > 0.02*tc.std+1e-15 {
			t.Errorf("%s: std %v, want %v", tc.name, std, tc.std)
		}
		if tc.bound > 0 {
			for _, v := range w {
				if math.Abs(v) > tc.bound+1e-15 {
					t.Fatalf("%s: |%v| beyond the bound %v", tc.name, v, tc.bound)
				}
			}
		}
	}
}

func TestOrthogonal(t *testing.T) {
	for _, shape := range [][2]int{{8, 3}, {3, 8}, {5, 5}} {
		rows, cols := shape[0], shape[1] // fanOut, fanIn
		const gain = 1.5
		w := make([]float64, rows*cols)
		Orthogonal{Gain: gain}.Init(w, cols, rows, newRNG(2))
		// The smaller Gram matrix must be gain²·I.
		n, gram := min(rows, cols), func(i, j int) float64 {
			var s float64
			if rows >= cols { // columns orthonormal
				for k := range rows {
					s += w[k*cols+i] * w[k*cols+j]
				}
			} else { // rows orthonormal
				for k := range cols {
					s += w[i*cols+k] * w[j*cols+k]
				}
			}
			return s
		}
		for i := range n {
			for j := range n {
				want := 0.0
				if i == j {
					want = gain * gain
				}
				if got := gram(i, j); math.Abs(got-want) > 1e-12 {
					t.Errorf("%d×%d: Gram[%d][%d] = %v, want %v", rows, cols, i, j, got, want)
				}
			}
		}
		again := make([]float64, len(w))
		Orthogonal{Gain: gain}.Init(again, cols, rows, newRNG(2))
		if !slices.Equal(w, again) {
			t.Errorf("%d×%d: same seed, different matrices", rows, cols)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Orthogonal on a bias did not panic")
		}
	}()
	Orthogonal{}.Init(make([]float64, 4), 3, 4, newRNG(1))
}
