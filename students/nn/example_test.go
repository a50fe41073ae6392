package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
)

// Training a small MLP on XOR: build the network in a parameter store,
// initialise it from an explicit generator, then repeat forward pass, loss,
// backward pass and optimizer step.
func Example() {
	rng := rand.New(rand.NewPCG(1, 2))
	var params nn.Params
	net := nn.NewMLP(&params, []int{2, 8, 1}, nn.Tanh{}, nil) // logits out
	net.Init(rng, nn.GlorotUniform{}, nn.Zeros{})
	opt := nn.NewAdam(&params, 0.05)

	x := []float64{0, 0, 0, 1, 1, 0, 1, 1} // 4 rows of 2 features
	y := []float64{0, 1, 1, 0}
	var cache nn.MLPCache
	grad := make([]float64, 4)
	var loss float64
	for range 500 {
		params.ZeroGrad()
		loss = nn.BCEWithLogits(grad, net.Forward(&cache, x, 4), y)
		net.Backward(&cache, grad)
		opt.Step()
	}
	fmt.Printf("loss below 0.01: %v\n", loss < 0.01)
	for i, z := range net.Forward(&cache, x, 4) {
		fmt.Printf("%v xor %v = %.2f\n", x[2*i], x[2*i+1], 1/(1+math.Exp(-z)))
	}
	// Output:
	// loss below 0.01: true
	// 0 xor 0 = 0.00
	// 0 xor 1 = 1.00
	// 1 xor 0 = 1.00
	// 1 xor 1 = 0.00
}

// A GRU with a linear head learns to report, after five steps of random
// bits, the first bit it saw. The head's backward pass adds its input
// gradient straight into the cell's OutputGrad buffer for the last step.
func ExampleGRU() {
	const batch, steps, hidden = 32, 5, 8
	rng := rand.New(rand.NewPCG(3, 4))
	var params nn.Params
	cell := nn.NewGRU(&params, 1, hidden)
	k := 1 / math.Sqrt(hidden) // PyTorch's default initialisation
	cell.Init(rng, nn.Uniform{Min: -k, Max: k}, nn.Uniform{Min: -k, Max: k})
	head := nn.NewDense(&params, hidden, 1)
	head.Init(rng, nn.TorchLinear{}, nn.TorchLinear{})
	opt := nn.NewAdam(&params, 0.02)

	var seq nn.GRUCache
	bits := make([]float64, steps*batch) // time-major: step t is bits[t*batch:(t+1)*batch]
	logits, grad := make([]float64, batch), make([]float64, batch)
	run := func() []float64 {
		for i := range bits {
			bits[i] = float64(rng.IntN(2))
		}
		cell.Begin(&seq, nil, batch) // zero initial state
		var h []float64
		for t := range steps {
			h = cell.Step(&seq, bits[t*batch:(t+1)*batch], nil)
		}
		head.Forward(logits, h, batch)
		return h
	}
	for range 300 {
		params.ZeroGrad()
		h := run()
		nn.BCEWithLogits(grad, logits, bits[:batch]) // the target is the first bit
		head.Backward(seq.OutputGrad(steps-1), grad, h, batch)
		cell.Backward(&seq)
		opt.Step()
	}
	run()
	correct := 0
	for i, z := range logits {
		if (z > 0) == (bits[i] == 1) {
			correct++
		}
	}
	fmt.Printf("%d of %d first bits recalled\n", correct, batch)
	// Output:
	// 32 of 32 first bits recalled
}
