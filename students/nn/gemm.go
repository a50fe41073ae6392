package nn

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// The three matrix products of a linear layer over a batch, with the weight
// matrix W (rows×cols, row-major) applied to each batch row by gonum's
// level-2 BLAS. W is walked in blocks of rows small enough to stay in the
// core's cache while every batch row uses them, so that large matrices
// (a 256-unit GRU's 768×256 blocks) are read from memory once per pass
// rather than once per batch row.

// blockElems is the number of float64 weights in one block (128 KiB), well
// within a typical 512 KiB–1 MiB L2 cache alongside the vectors. Measured
// on a Zen 4 core: 3–15% faster than unblocked products on the benchmark
// networks, flat between 64 KiB and 512 KiB blocks.
const blockElems = 16 << 10

func blockRows(rows, cols int) int { return min(rows, max(4, blockElems/cols)) }

// mulAdd adds W·x[b] to y[b] for every batch row: y is batch×rows, x
// batch×cols.
func mulAdd(y, w, x []float64, batch, rows, cols int) {
	step := blockRows(rows, cols)
	for r0 := 0; r0 < rows; r0 += step {
		n := min(step, rows-r0)
		blk := blas64.General{Rows: n, Cols: cols, Stride: cols, Data: w[r0*cols:]}
		for b := range batch {
			blas64.Gemv(blas.NoTrans, 1, blk, vec(x[b*cols:(b+1)*cols]), 1, vec(y[b*rows+r0:b*rows+r0+n]))
		}
	}
}

// mulTAdd adds Wᵀ·dy[b] to dx[b] for every batch row: dy is batch×rows, dx
// batch×cols.
func mulTAdd(dx, w, dy []float64, batch, rows, cols int) {
	step := blockRows(rows, cols)
	for r0 := 0; r0 < rows; r0 += step {
		n := min(step, rows-r0)
		blk := blas64.General{Rows: n, Cols: cols, Stride: cols, Data: w[r0*cols:]}
		for b := range batch {
			blas64.Gemv(blas.Trans, 1, blk, vec(dy[b*rows+r0:b*rows+r0+n]), 1, vec(dx[b*cols:(b+1)*cols]))
		}
	}
}

// outerAdd adds Σ_b dy[b]⊗x[b] to dW: dy is batch×rows, x batch×cols.
func outerAdd(dw, dy, x []float64, batch, rows, cols int) {
	step := blockRows(rows, cols)
	for r0 := 0; r0 < rows; r0 += step {
		n := min(step, rows-r0)
		blk := blas64.General{Rows: n, Cols: cols, Stride: cols, Data: dw[r0*cols:]}
		for b := range batch {
			blas64.Ger(1, vec(dy[b*rows+r0:b*rows+r0+n]), vec(x[b*cols:(b+1)*cols]), blk)
		}
	}
}

func vec(s []float64) blas64.Vector { return blas64.Vector{N: len(s), Inc: 1, Data: s} }
