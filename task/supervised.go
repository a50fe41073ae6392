package task

import "math/rand/v2"

// Supervised is a family whose students train on generated batches of
// labelled examples rather than episodes (the memory tasks and boolean
// functions of the timescale and degree-curriculum papers). One Learn call is
// one training step on one batch, and it counts as one step of the budget.
type Supervised interface {
	Family
	// NewData returns a data source that draws its randomness from rng.
	NewData(rng *rand.Rand) Data
}

// Data generates batches of examples for the tasks of a Supervised family.
type Data interface {
	// Shape returns the layout of the family's batches: the size of one
	// input step, the number of classes (0 for regression targets), and
	// the largest sequence length a batch can have (1 for non-sequential
	// data), so that students can size their networks and buffers.
	Shape() Shape
	// Batch fills b with size examples for task t, reusing b's slices.
	// Targets are given for every task of t's group (or for t.Index alone
	// when the group is empty), in group order.
	Batch(b *Batch, t Task, size int)
}

// Shape describes the batches of a Supervised family.
type Shape struct {
	InputSize int
	Classes   int
	MaxSeqLen int
}

// Batch is a batch of examples. X holds Size examples of SeqLen steps of
// InputSize values each (example-major, then time). Y holds Targets values per
// example: class numbers (as float64) for classification, real values for
// regression. A student reads the targets of its k-th head at Y[i*Targets+k].
type Batch struct {
	Size      int
	SeqLen    int
	InputSize int
	X         []float64
	Targets   int
	Y         []float64
}

// Resize sets the batch's dimensions and grows its slices as needed, keeping
// their capacity for later batches.
func (b *Batch) Resize(size, seqLen, inputSize, targets int) {
	b.Size, b.SeqLen, b.InputSize, b.Targets = size, seqLen, inputSize, targets
	b.X = growFloats(b.X, size*seqLen*inputSize)
	b.Y = growFloats(b.Y, size*targets)
}

func growFloats(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
