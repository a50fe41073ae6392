package nn

import (
	"fmt"
	"math"
)

// LayerNorm normalises each row of a batch×Size input to zero mean and unit
// variance and applies a learned per-feature gain and bias, as PyTorch's
// nn.LayerNorm(Size) with eps 1e-5 and the biased variance:
//
//	y = (x − mean(x)) / √(var(x) + Eps) · Gain + Bias
//
// Like Dense it keeps no per-call state: Forward stores the normalised input
// and the reciprocal standard deviations in caller-owned slices that
// Backward reads.
type LayerNorm struct {
	Size       int
	Eps        float64
	Gain, Bias Span
}

// NewLayerNorm allocates a layer normalisation of Size features in p, with
// gain 1, bias 0 and Eps 1e-5.
func NewLayerNorm(p *Params, size int) *LayerNorm {
	if size <= 0 {
		panic(fmt.Sprintf("nn: NewLayerNorm(%d): size must be positive", size))
	}
	l := &LayerNorm{Size: size, Eps: 1e-5, Gain: p.Alloc(size), Bias: p.Alloc(size)}
	Constant(1).Init(l.Gain.Value(), size, size, nil)
	return l
}

// Forward normalises batch rows of x into y. It writes the normalised input
// (before gain and bias) to xhat (batch×Size) and the reciprocal standard
// deviation of each row to rstd (batch) for Backward. y may be x.
func (l *LayerNorm) Forward(y, xhat, rstd, x []float64, batch int) {
	n := l.Size
	checkLen("LayerNorm.Forward", "x", len(x), batch*n)
	checkLen("LayerNorm.Forward", "y", len(y), batch*n)
	checkLen("LayerNorm.Forward", "xhat", len(xhat), batch*n)
	checkLen("LayerNorm.Forward", "rstd", len(rstd), batch)
	gain, bias := l.Gain.Value(), l.Bias.Value()
	for r := range batch {
		xr := x[r*n : (r+1)*n]
		var mean float64
		for _, v := range xr {
			mean += v
		}
		mean /= float64(n)
		var v2 float64
		for _, v := range xr {
			v2 += (v - mean) * (v - mean)
		}
		rs := 1 / math.Sqrt(v2/float64(n)+l.Eps)
		rstd[r] = rs
		hr, yr := xhat[r*n:(r+1)*n], y[r*n:(r+1)*n]
		for i, v := range xr {
			h := (v - mean) * rs
			hr[i] = h
			yr[i] = h*gain[i] + bias[i]
		}
	}
}

// Backward takes dy = ∂L/∂y, adds the gradients of the gain and bias and
// adds ∂L/∂x to dx (clear it first). dx must not be dy.
func (l *LayerNorm) Backward(dx, dy, xhat, rstd []float64, batch int) {
	l.backward(dx, dy, xhat, rstd, batch, true)
}

// InputGrad adds ∂L/∂x to dx without touching the parameter gradients.
func (l *LayerNorm) InputGrad(dx, dy, xhat, rstd []float64, batch int) {
	l.backward(dx, dy, xhat, rstd, batch, false)
}

func (l *LayerNorm) backward(dx, dy, xhat, rstd []float64, batch int, params bool) {
	n := l.Size
	checkLen("LayerNorm.Backward", "dy", len(dy), batch*n)
	checkLen("LayerNorm.Backward", "dx", len(dx), batch*n)
	checkLen("LayerNorm.Backward", "xhat", len(xhat), batch*n)
	checkLen("LayerNorm.Backward", "rstd", len(rstd), batch)
	gain := l.Gain.Value()
	gg, gb := l.Gain.Grad(), l.Bias.Grad()
	inv := 1 / float64(n)
	for r := range batch {
		dyr, hr, dxr := dy[r*n:(r+1)*n], xhat[r*n:(r+1)*n], dx[r*n:(r+1)*n]
		// With g = dy·gain: dx = rstd·(g − mean(g) − xhat·mean(g·xhat)).
		var mg, mgh float64
		for i, d := range dyr {
			g := d * gain[i]
			mg += g
			mgh += g * hr[i]
			if params {
				gg[i] += d * hr[i]
				gb[i] += d
			}
		}
		mg *= inv
		mgh *= inv
		rs := rstd[r]
		for i, d := range dyr {
			dxr[i] += rs * (d*gain[i] - mg - hr[i]*mgh)
		}
	}
}
