package plr

import (
	"math"
	"math/bits"
)

// index finds a stored level by its identity in O(1): an open-addressing
// hash table (linear probing, backward-shift deletion) from identity hash to
// slot, sized at twice the buffer so that it never grows and allocates
// nothing after construction. Equality of identities is decided by the
// Teacher; the table only knows hashes.
type index struct {
	table []int32 // slot+1, 0 = empty
	mask  uint64
}

func newIndex(capacity int) index {
	size := 1 << bits.Len(uint(2*capacity-1))
	return index{table: make([]int32, size), mask: uint64(size - 1)}
}

// insert records slot under hash h. The slot must not be recorded already.
func (x *index) insert(h uint64, slot int) {
	i := h & x.mask
	for x.table[i] != 0 {
		i = (i + 1) & x.mask
	}
	x.table[i] = int32(slot + 1)
}

// remove forgets slot, recorded under hash h; hashOf gives the hash of any
// recorded slot (needed to shift entries back over the hole).
func (x *index) remove(h uint64, slot int, hashOf []uint64) {
	i := h & x.mask
	for x.table[i] != int32(slot+1) {
		if x.table[i] == 0 {
			return
		}
		i = (i + 1) & x.mask
	}
	for j := i; ; {
		j = (j + 1) & x.mask
		e := x.table[j]
		if e == 0 {
			break
		}
		// The entry at j may move into the hole at i unless its home
		// position lies cyclically in (i, j].
		home := hashOf[e-1] & x.mask
		if (j-home)&x.mask < (j-i)&x.mask {
			continue
		}
		x.table[i] = e
		i = j
	}
	x.table[i] = 0
}

// fnv-1a constants, with a final avalanche so that the low bits used by the
// table depend on every input bit.
const (
	hashOffset = 14695981039346656037
	hashPrime  = 1099511628211
)

func hashBytes(h uint64, p []byte) uint64 {
	for _, c := range p {
		h ^= uint64(c)
		h *= hashPrime
	}
	return h
}

func hashWord(h, w uint64) uint64 {
	for range 8 {
		h ^= w & 0xff
		h *= hashPrime
		w >>= 8
	}
	return h
}

func hashFloats(h uint64, x []float64) uint64 {
	for _, v := range x {
		h = hashWord(h, math.Float64bits(v))
	}
	return h
}

func finish(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}
