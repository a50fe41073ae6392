package recurrent

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// fixedBatch returns a batch of size random bit sequences of length steps
// with one random label each.
func fixedBatch(size, steps int) *task.Batch {
	rng := rand.New(rand.NewPCG(1, 2))
	b := &task.Batch{}
	b.Resize(size, steps, 1, 1)
	for i := range b.X {
		b.X[i] = float64(rng.IntN(2))
	}
	for i := range b.Y {
		b.Y[i] = float64(rng.IntN(2))
	}
	return b
}

// BenchmarkForwardBackward measures one forward and backward pass (BPTT,
// one head) over a batch of 256 sequences of 50 steps, the length of an
// N ≈ 20 batch, for each cell at 64 units and the paper's 500.
func BenchmarkForwardBackward(b *testing.B) {
	const size, steps = 256, 50
	batch := fixedBatch(size, steps)
	for _, cell := range []Cell{LeakyCell, GRUCell, LSTMCell} {
		for _, hidden := range []int{64, 500} {
			b.Run(fmt.Sprintf("%v/hidden=%d", cell, hidden), func(b *testing.B) {
				s := build(b, cell, parity(b), func(p *Params, g *GatedParams) { p.Hidden, g.Hidden, p.Heads, g.Heads = hidden, hidden, 1, 1 })
				s.headFor = append(s.headFor[:0], 0)
				rng := rand.New(rand.NewPCG(3, 3))
				pass := func() {
					s.ps.ZeroGrad()
					h := s.forward(batch, rng)
					s.readout(batch, h, 0, true)
					s.backward()
				}
				pass() // grow the buffers
				b.ReportAllocs()
				n := 0
				for b.Loop() {
					pass()
					n += size
				}
				b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "seqs/s")
			})
		}
	}
}

// BenchmarkLearn measures a whole training step of the default students on
// N = 10 parity batches (lengths 12..41): data generation, forward,
// backward, clipping and the optimizer step.
func BenchmarkLearn(b *testing.B) {
	for _, cell := range []Cell{LeakyCell, GRUCell, LSTMCell} {
		b.Run(cell.String(), func(b *testing.B) {
			s := build(b, cell, parity(b), nil)
			tk := task.Task{Index: 8}
			// Grow the buffers to the longest sequence of N = 10.
			long := fixedBatch(s.c.batch, 41)
			s.Learn(tk)
			s.readout(long, s.forward(long, rand.New(rand.NewPCG(1, 1))), 0, true)
			s.backward()
			s.train.Resize(s.c.batch, 41, 1, 1)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				tk.Seed++
				s.Learn(tk)
				n += s.c.batch
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "seqs/s")
		})
	}
}
