package nn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
)

// Params stores the trainable parameters of one or more networks and their
// gradients as two flat slices of the same length. The zero value is an
// empty store ready to use.
//
// Layers take their parameters from a store with Alloc when they are built
// and keep only Spans (offsets) into it, so the store may grow while
// networks are being built. Build every network that shares a store before
// taking Values or Grads and before the first optimizer step: slices
// returned earlier do not see later allocations.
type Params struct {
	value, grad []float64
	blocks      []int // sizes of the allocations in order: the store's layout
}

// Span is a contiguous range of a Params store: the parameters of one layer,
// one weight matrix or a whole network. Its Value and Grad slices are views
// into the store, valid until the store grows.
type Span struct {
	p      *Params
	off, n int
}

// Alloc reserves n parameters at the end of the store, with value and
// gradient zero, and returns their span.
func (p *Params) Alloc(n int) Span {
	if n < 0 {
		panic(fmt.Sprintf("nn: Alloc(%d): negative size", n))
	}
	off := len(p.value)
	p.value = slices.Grow(p.value, n)[:off+n]
	p.grad = slices.Grow(p.grad, n)[:off+n]
	clear(p.value[off:])
	clear(p.grad[off:])
	p.blocks = append(p.blocks, n)
	return Span{p: p, off: off, n: n}
}

// spanFrom returns the span from off to the current end of the store: the
// parameters allocated since the store had length off.
func (p *Params) spanFrom(off int) Span {
	return Span{p: p, off: off, n: len(p.value) - off}
}

// Len returns the number of parameters in the store.
func (p *Params) Len() int { return len(p.value) }

// Values returns all parameter values as one slice (not a copy).
func (p *Params) Values() []float64 { return p.value }

// Grads returns all parameter gradients as one slice (not a copy), aligned
// with Values.
func (p *Params) Grads() []float64 { return p.grad }

// ZeroGrad sets every gradient to zero. Backward passes add to the
// gradients, so call it before each new accumulation.
func (p *Params) ZeroGrad() { clear(p.grad) }

// GradNorm returns the Euclidean norm of the whole gradient vector.
func (p *Params) GradNorm() float64 { return floats.Norm(p.grad, 2) }

// ClipGradNorm rescales the gradients so that their global Euclidean norm is
// at most maxNorm and returns the norm before clipping, as PyTorch's
// clip_grad_norm_ does: the gradients are multiplied by
// maxNorm/(norm+1e-6) when that factor is below 1. If the norm is not finite
// the gradients are left untouched, so the caller can detect it from the
// result and skip the step.
func (p *Params) ClipGradNorm(maxNorm float64) float64 {
	norm := p.GradNorm()
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm
	}
	if coef := maxNorm / (norm + 1e-6); coef < 1 {
		floats.Scale(coef, p.grad)
	}
	return norm
}

// SameLayout reports whether q was built by the same sequence of
// allocations as p, so that their parameters correspond one to one.
func (p *Params) SameLayout(q *Params) bool { return slices.Equal(p.blocks, q.blocks) }

func (p *Params) mustMatch(src *Params, op string) {
	if !p.SameLayout(src) {
		panic(fmt.Sprintf("nn: %s between stores of different layouts (%d blocks, %d parameters vs %d blocks, %d parameters)",
			op, len(p.blocks), p.Len(), len(src.blocks), src.Len()))
	}
}

// CopyFrom sets the parameter values of p to those of src, which must have
// the same layout (typically a target network built like the online one).
// Gradients are not copied.
func (p *Params) CopyFrom(src *Params) {
	p.mustMatch(src, "CopyFrom")
	copy(p.value, src.value)
}

// SoftUpdate moves the values of p towards those of src by Polyak averaging,
// p ← tau·src + (1−tau)·p, as DDPG and TD3 update their target networks.
// src must have the same layout.
func (p *Params) SoftUpdate(src *Params, tau float64) {
	p.mustMatch(src, "SoftUpdate")
	for i, v := range src.value {
		p.value[i] = tau*v + (1-tau)*p.value[i]
	}
}

const paramsMagic = "nnP1"

// MarshalBinary encodes the layout and the parameter values (not the
// gradients) in a little-endian binary format.
func (p *Params) MarshalBinary() ([]byte, error) {
	buf := make([]byte, 0, len(paramsMagic)+8+8*len(p.blocks)+8*len(p.value))
	buf = append(buf, paramsMagic...)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(p.blocks)))
	for _, n := range p.blocks {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(n))
	}
	for _, v := range p.value {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
	}
	return buf, nil
}

// UnmarshalBinary sets the parameter values of p from data written by
// MarshalBinary. p must already hold the networks (built the same way), so
// that the layouts match; the gradients are set to zero.
func (p *Params) UnmarshalBinary(data []byte) error {
	if len(data) < len(paramsMagic)+8 || string(data[:len(paramsMagic)]) != paramsMagic {
		return errors.New("nn: UnmarshalBinary: not an encoded parameter store")
	}
	data = data[len(paramsMagic):]
	nb := binary.LittleEndian.Uint64(data)
	data = data[8:]
	if nb != uint64(len(p.blocks)) {
		return fmt.Errorf("nn: UnmarshalBinary: data has %d blocks, the store %d", nb, len(p.blocks))
	}
	if uint64(len(data)) != 8*(nb+uint64(len(p.value))) {
		return fmt.Errorf("nn: UnmarshalBinary: data has %d bytes of blocks and values, want %d", len(data), 8*(nb+uint64(len(p.value))))
	}
	for i, n := range p.blocks {
		if got := binary.LittleEndian.Uint64(data[8*i:]); got != uint64(n) {
			return fmt.Errorf("nn: UnmarshalBinary: block %d has %d parameters in the data, %d in the store", i, got, n)
		}
	}
	data = data[8*nb:]
	for i := range p.value {
		p.value[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
	}
	clear(p.grad)
	return nil
}

// Len returns the number of parameters in the span.
func (s Span) Len() int { return s.n }

// Offset returns the index of the span's first parameter in its store.
func (s Span) Offset() int { return s.off }

// Params returns the store the span belongs to.
func (s Span) Params() *Params { return s.p }

// Value returns the span's parameter values, a view into the store.
func (s Span) Value() []float64 { return s.p.value[s.off : s.off+s.n : s.off+s.n] }

// Grad returns the span's gradients, a view into the store.
func (s Span) Grad() []float64 { return s.p.grad[s.off : s.off+s.n : s.off+s.n] }
