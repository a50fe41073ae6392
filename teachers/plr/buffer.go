package plr

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"
)

// buffer holds the scores and staleness stamps of the level buffer and
// answers the replay distribution P_replay = (1−ρ)·P_S + ρ·P_C over its
// filled slots 0..n−1 (slots fill in order and are never emptied). The level
// payloads live in the Teacher; the buffer only knows slot numbers.
//
// Every structure is updated incrementally so that a replay costs O(log N)
// searches (plus a memmove) and a new level competing for a full buffer one
// O(N) pass; nothing is ever re-sorted:
//   - order lists the filled slots by score, highest first, ties by slot
//     number; a slot's position is found by binary search on its score,
//     and a score change moves it with one memmove: the rank transform reads
//     ranks from it;
//   - rankCum[r] = Σ_{k ≤ r} (k+1)^(−1/β), so that a rank is drawn by binary
//     search and a tie group's mass is a difference of two entries;
//   - stamps is a Fenwick tree over the stamps C_i, so that
//     Σ_{i<k} (c − C_i) = c·k − prefix(k) is exact integer arithmetic and
//     P_C is sampled by one descent;
//   - for the power transform, powTree is a Fenwick tree over the weights,
//     rebuilt from scratch every N updates to bound rounding drift.
type buffer struct {
	capacity int
	n        int // filled slots

	rank      bool    // rank transform (else power)
	invTemp   float64 // 1/β
	eps       float64 // power transform offset
	staleCoef float64 // ρ

	score []float64
	stamp []int64
	clock int64

	order   []int32
	rankCum []float64

	stamps fenwickInt

	powW       []float64
	powTree    fenwickFloat
	powUpdates int

	probs []float64 // scratch for victim
}

// maxPowWeight keeps the sum of N power weights finite.
func maxPowWeight(capacity int) float64 { return math.MaxFloat64 / float64(4*capacity) }

func newBuffer(capacity int, rank bool, temperature, staleCoef float64) *buffer {
	b := &buffer{
		capacity:  capacity,
		rank:      rank,
		invTemp:   1 / temperature,
		staleCoef: staleCoef,
		score:     make([]float64, capacity),
		stamp:     make([]int64, capacity),
		order:     make([]int32, 0, capacity),
		stamps:    newFenwickInt(capacity),
		probs:     make([]float64, capacity),
	}
	if rank {
		b.rankCum = make([]float64, capacity)
		sum := 0.0
		for r := range b.rankCum {
			sum += math.Pow(float64(r+1), -b.invTemp)
			b.rankCum[r] = sum
		}
	} else {
		// dcd's power transform adds 1e-3 so that zero scores keep some
		// mass, unless staleness is mixed in to provide it.
		if staleCoef == 0 {
			b.eps = 1e-3
		}
		b.powW = make([]float64, capacity)
		b.powTree = newFenwickFloat(capacity)
	}
	return b
}

func (b *buffer) full() bool { return b.n == b.capacity }

// fill returns the filled fraction of the buffer.
func (b *buffer) fill() float64 { return float64(b.n) / float64(b.capacity) }

// add fills the next free slot with score s, stamped now, and returns it.
func (b *buffer) add(s float64) int {
	slot := b.n
	b.n++
	b.score[slot] = s
	b.insertOrder(slot)
	b.setPow(slot)
	b.touch(slot)
	return slot
}

// setScore changes the score of a filled slot, moving it within order by
// one memmove over the slots it passes.
func (b *buffer) setScore(slot int, s float64) {
	p := b.position(slot)
	b.score[slot] = s
	n := len(b.order)
	switch {
	case p > 0 && b.before(slot, int(b.order[p-1])): // moves up
		q := sort.Search(p, func(k int) bool { return b.before(slot, int(b.order[k])) })
		copy(b.order[q+1:p+1], b.order[q:p])
		b.order[q] = int32(slot)
	case p+1 < n && b.before(int(b.order[p+1]), slot): // moves down
		q := p + sort.Search(n-p-1, func(k int) bool { return !b.before(int(b.order[p+1+k]), slot) })
		copy(b.order[p:q], b.order[p+1:q+1])
		b.order[q] = int32(slot)
	}
	b.setPow(slot)
}

// touch stamps a slot with the current clock: its staleness drops to 0.
func (b *buffer) touch(slot int) {
	b.stamps.add(slot, b.clock-b.stamp[slot])
	b.stamp[slot] = b.clock
}

// staleness returns c − C_i for slot i.
func (b *buffer) staleness(slot int) int64 { return b.clock - b.stamp[slot] }

// before reports whether slot x comes before slot y in order: higher score,
// or equal score and lower slot number.
func (b *buffer) before(x, y int) bool {
	sx, sy := b.score[x], b.score[y]
	return sx > sy || (sx == sy && x < y)
}

// position returns the index of a filled slot in order (binary search on
// its score).
func (b *buffer) position(slot int) int {
	return sort.Search(len(b.order), func(k int) bool { return !b.before(int(b.order[k]), slot) })
}

func (b *buffer) insertOrder(slot int) {
	n := len(b.order)
	p := b.position(slot)
	b.order = b.order[:n+1]
	copy(b.order[p+1:], b.order[p:n])
	b.order[p] = int32(slot)
}

// group returns the positions [a, b] in order of the slots whose score
// equals that of the slot at position r.
func (b *buffer) group(r int) (lo, hi int) {
	s := b.score[b.order[r]]
	n := len(b.order)
	lo = sort.Search(r, func(k int) bool { return b.score[b.order[k]] <= s })
	hi = r + sort.Search(n-r, func(k int) bool { return b.score[b.order[r+k]] < s }) - 1
	return lo, hi
}

// powWeight is dcd's power transform (max(s, 0) + eps)^(1/β), capped so that
// the sum of all weights stays finite.
func (b *buffer) powWeight(s float64) float64 {
	w := math.Pow(math.Max(s, 0)+b.eps, b.invTemp)
	return math.Min(w, maxPowWeight(b.capacity))
}

func (b *buffer) setPow(slot int) {
	if b.rank {
		return
	}
	w := b.powWeight(b.score[slot])
	b.powUpdates++
	if b.powUpdates >= b.capacity {
		b.powW[slot] = w
		b.powTree.build(b.powW)
		b.powUpdates = 0
		return
	}
	b.powTree.add(slot, w-b.powW[slot])
	b.powW[slot] = w
}

// draw samples a filled slot from P_replay: from P_C with probability ρ,
// otherwise from P_S. The buffer must not be empty.
func (b *buffer) draw(rng *rand.Rand) int {
	if rng.Float64() < b.staleCoef {
		return b.drawStale(rng)
	}
	if b.rank {
		return b.drawRank(rng)
	}
	return b.drawPow(rng)
}

// drawRank samples from the rank distribution: a position r with
// probability (r+1)^(−1/β)/Σ, then, since tied scores share their ranks'
// mass equally, a uniform slot of r's tie group.
func (b *buffer) drawRank(rng *rand.Rand) int {
	n := b.n
	u := rng.Float64() * b.rankCum[n-1]
	r := sort.SearchFloat64s(b.rankCum[:n], u)
	for r < n && b.rankCum[r] <= u { // SearchFloat64s finds ≥; we want the first > u
		r++
	}
	r = min(r, n-1)
	lo, hi := b.group(r)
	if hi > lo {
		r = lo + rng.IntN(hi-lo+1)
	}
	return int(b.order[r])
}

func (b *buffer) drawPow(rng *rand.Rand) int {
	total := b.powTree.sum(b.n)
	if !(total > 0) {
		return rng.IntN(b.n)
	}
	return min(b.powTree.find(rng.Float64()*total, b.n), b.n-1)
}

// drawStale samples slot i with probability (c − C_i)/Σ_j (c − C_j), or
// uniformly when every staleness is zero (as jaxued and dcd).
func (b *buffer) drawStale(rng *rand.Rand) int {
	total := b.clock*int64(b.n) - b.stamps.sum(b.n)
	if total <= 0 {
		return rng.IntN(b.n)
	}
	return b.stamps.findStale(rng.Int64N(total), b.clock, b.n)
}

// replayProbs writes P_replay of the filled slots into dst[:n]. It is the
// one place where the distribution is written out, in O(N): for ReplayProbs
// and for victim.
func (b *buffer) replayProbs(dst []float64) []float64 {
	n := b.n
	dst = dst[:n]
	if n == 0 {
		return dst
	}
	rho := b.staleCoef
	// Staleness term: rho·(c − C_i)/Σ, or rho/n when every staleness is 0.
	stale := b.clock*int64(n) - b.stamps.sum(n)
	perTick, flat := 0.0, rho/float64(n)
	if stale > 0 {
		perTick, flat = rho/float64(stale), 0
	}
	if b.rank {
		scale := (1 - rho) / b.rankCum[n-1]
		for lo := 0; lo < n; {
			s := b.score[b.order[lo]]
			hi := lo
			for hi+1 < n && b.score[b.order[hi+1]] == s {
				hi++
			}
			mass := b.rankCum[hi]
			if lo > 0 {
				mass -= b.rankCum[lo-1]
			}
			ps := scale * mass
			if hi > lo {
				ps /= float64(hi - lo + 1)
			}
			for _, slot := range b.order[lo : hi+1] {
				dst[slot] = ps + perTick*float64(b.clock-b.stamp[slot]) + flat
			}
			lo = hi + 1
		}
		return dst
	}
	total := 0.0
	for _, w := range b.powW[:n] {
		total += w
	}
	scale, uniform := 0.0, (1-rho)/float64(n)
	if total > 0 {
		scale, uniform = (1-rho)/total, 0
	}
	for i, w := range b.powW[:n] {
		dst[i] = scale*w + uniform + perTick*float64(b.clock-b.stamp[i]) + flat
	}
	return dst
}

// victim returns the slot a new level competes for in a full buffer: the one
// with the lowest replay probability (byScore false, dcd's replay_support) or
// the lowest score; ties go to the lowest slot number, as NumPy's argmin.
func (b *buffer) victim(byScore bool) int {
	if byScore {
		lo, _ := b.group(b.n - 1)
		return int(b.order[lo])
	}
	p := b.replayProbs(b.probs)
	best := 0
	for i, v := range p {
		if v < p[best] {
			best = i
		}
	}
	return best
}

// fenwickInt is a Fenwick (binary indexed) tree of int64 over slots.
type fenwickInt struct {
	t    []int64 // 1-based
	high int     // highest power of two ≤ len
}

func newFenwickInt(n int) fenwickInt {
	return fenwickInt{t: make([]int64, n+1), high: 1 << (bits.Len(uint(n)) - 1)}
}

func (f *fenwickInt) add(i int, d int64) {
	for i++; i < len(f.t); i += i & -i {
		f.t[i] += d
	}
}

// sum returns the sum of entries 0..k−1.
func (f *fenwickInt) sum(k int) int64 {
	var s int64
	for ; k > 0; k -= k & -k {
		s += f.t[k]
	}
	return s
}

// findStale returns the first slot i < n at which the cumulative staleness
// Σ_{j ≤ i} (c − C_j) exceeds u, for 0 ≤ u < Σ_{j<n} (c − C_j). A node
// covering step slots holds Σ C_j over them, so its staleness mass is
// c·step − t[node].
func (f *fenwickInt) findStale(u, c int64, n int) int {
	pos := 0
	var acc int64
	for step := f.high; step > 0; step >>= 1 {
		next := pos + step
		if next > n {
			continue
		}
		if w := c*int64(step) - f.t[next]; acc+w <= u {
			pos, acc = next, acc+w
		}
	}
	return pos
}

// fenwickFloat is a Fenwick tree of float64 over slots.
type fenwickFloat struct {
	t    []float64
	high int
}

func newFenwickFloat(n int) fenwickFloat {
	return fenwickFloat{t: make([]float64, n+1), high: 1 << (bits.Len(uint(n)) - 1)}
}

func (f *fenwickFloat) add(i int, d float64) {
	for i++; i < len(f.t); i += i & -i {
		f.t[i] += d
	}
}

func (f *fenwickFloat) sum(k int) float64 {
	s := 0.0
	for ; k > 0; k -= k & -k {
		s += f.t[k]
	}
	return s
}

// build sets the tree to the values w in O(N).
func (f *fenwickFloat) build(w []float64) {
	clear(f.t)
	for i, v := range w {
		j := i + 1
		f.t[j] += v
		if p := j + j&-j; p < len(f.t) {
			f.t[p] += f.t[j]
		}
	}
}

// find returns the first slot i < n whose cumulative weight exceeds u.
func (f *fenwickFloat) find(u float64, n int) int {
	pos := 0
	acc := 0.0
	for step := f.high; step > 0; step >>= 1 {
		next := pos + step
		if next > n {
			continue
		}
		if w := f.t[next]; acc+w <= u {
			pos, acc = next, acc+w
		}
	}
	return pos
}
