package plr

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bufferWith returns a buffer holding scores, all stamped at clock 0.
func bufferWith(rank bool, temp, rho float64, capacity int, scores ...float64) *buffer {
	b := newBuffer(capacity, rank, temp, rho)
	for _, s := range scores {
		b.add(s)
	}
	return b
}

func closeTo(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			return false
		}
	}
	return true
}

// TestReplayProbsHandComputed checks P_replay against values worked out by
// hand.
func TestReplayProbsHandComputed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		b      func() *buffer
		want   []float64
		victim int // lowest replay probability, ties to the lowest slot
	}{
		{"rank β=1", func() *buffer { return bufferWith(true, 1, 0, 4, 3, 1, 2, 0) },
			// ranks 1, 3, 2, 4: weights 1, 1/3, 1/2, 1/4, sum 25/12
			[]float64{12.0 / 25, 4.0 / 25, 6.0 / 25, 3.0 / 25}, 3},
		{"rank β=0.5", func() *buffer { return bufferWith(true, 0.5, 0, 4, 3, 1, 2, 0) },
			// weights 1, 1/9, 1/4, 1/16, sum 205/144
			[]float64{144.0 / 205, 16.0 / 205, 36.0 / 205, 9.0 / 205}, 3},
		{"rank ties shared", func() *buffer { return bufferWith(true, 1, 0, 3, 2, 2, 1) },
			// slots 0 and 1 share ranks 1 and 2: (1 + 1/2)/2 each; slot 2: 1/3
			[]float64{0.75 / (11.0 / 6), 0.75 / (11.0 / 6), (1.0 / 3) / (11.0 / 6)}, 2},
		{"rank all tied", func() *buffer { return bufferWith(true, 0.1, 0, 3, 0, 0, 0) },
			[]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, 0},
		{"power β=1, eps 1e-3", func() *buffer { return bufferWith(false, 1, 0, 4, 2, 1, -1, 0) },
			[]float64{2.001 / 3.004, 1.001 / 3.004, 0.001 / 3.004, 0.001 / 3.004}, 2},
		{"power β=0.5", func() *buffer { return bufferWith(false, 0.5, 0, 4, 2, 1, -1, 0) },
			[]float64{2.001 * 2.001 / 5.006004, 1.001 * 1.001 / 5.006004, 1e-6 / 5.006004, 1e-6 / 5.006004}, 2},
		{"power all zero is uniform", func() *buffer {
			b := bufferWith(false, 1, 0.5, 2, 0, -3)
			return b // eps = 0 with staleness, and no staleness yet
		}, []float64{0.5, 0.5}, 0},
		{"staleness mix", func() *buffer {
			b := bufferWith(true, 1, 0.3, 3, 3, 2, 1)
			b.clock = 4
			b.touch(0)
			b.clock = 10 // staleness 6, 10, 10
			return b
		}, []float64{
			0.7*(1/(11.0/6)) + 0.3*6/26,
			0.7*(0.5/(11.0/6)) + 0.3*10/26,
			0.7*((1.0/3)/(11.0/6)) + 0.3*10/26,
		}, 2},
		{"staleness all zero is uniform", func() *buffer { return bufferWith(true, 1, 0.3, 3, 3, 2, 1) },
			[]float64{0.7/(11.0/6) + 0.1, 0.7*0.5/(11.0/6) + 0.1, 0.7*(1.0/3)/(11.0/6) + 0.1}, 2},
		{"power with staleness: eps 0", func() *buffer {
			b := bufferWith(false, 1, 0.5, 3, 2, 1, -1)
			b.clock = 2 // staleness 2, 2, 2
			return b
		}, []float64{0.5*2.0/3 + 0.5/3, 0.5*1.0/3 + 0.5/3, 0.5 / 3}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b()
			got := b.replayProbs(make([]float64, b.n))
			if !closeTo(got, tc.want, 1e-12) {
				t.Errorf("replayProbs = %v, want %v", got, tc.want)
			}
			if v := b.victim(false); v != tc.victim {
				t.Errorf("victim = slot %d, want %d", v, tc.victim)
			}
		})
	}
}

// TestVictimStalenessVersusScore: with heavy staleness the lowest replay
// probability is not the lowest score; evict = score picks the latter.
func TestVictimStalenessVersusScore(t *testing.T) {
	b := bufferWith(true, 1, 0.9, 3, 3, 2, 1)
	b.clock = 100
	b.touch(0)
	b.touch(1) // slot 2 alone is stale: P_C = (0, 0, 1)
	if v := b.victim(false); v != 1 {
		t.Errorf("replay_support victim = %d, want 1 (score 2, never stale)", v)
	}
	if v := b.victim(true); v != 2 {
		t.Errorf("score victim = %d, want 2 (lowest score)", v)
	}
	tied := bufferWith(true, 1, 0, 4, 5, 1, 3, 1)
	if v := tied.victim(true); v != 1 {
		t.Errorf("score victim among tied lowest scores = %d, want the lowest slot 1", v)
	}
}

// TestDrawMatchesReplayProbs samples many replays and compares frequencies
// with P_replay, for every mechanism that draws.
func TestDrawMatchesReplayProbs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	mixed := func(rank bool, temp, rho float64) *buffer {
		b := newBuffer(40, rank, temp, rho)
		for range 30 {
			b.add(float64(rng.IntN(8)) / 4) // many ties
			b.clock += int64(rng.IntN(3))
		}
		for range 40 {
			b.touch(rng.IntN(b.n))
			b.clock += int64(rng.IntN(2))
		}
		return b
	}
	for _, tc := range []struct {
		name string
		b    *buffer
	}{
		{"rank", mixed(true, 0.5, 0)},
		{"rank+staleness", mixed(true, 1, 0.3)},
		{"staleness only", mixed(true, 1, 1)},
		{"power", mixed(false, 0.5, 0)},
		{"power+staleness", mixed(false, 1, 0.5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b
			const draws = 200000
			count := make([]float64, b.n)
			for range draws {
				count[b.draw(rng)]++
			}
			p := b.replayProbs(make([]float64, b.n))
			for i, c := range count {
				want := p[i] * draws
				sd := math.Sqrt(want*(1-p[i])) + 1
				if math.Abs(c-want) > 5*sd {
					t.Errorf("slot %d (score %v, staleness %d): drawn %v times, want %.1f ± %.1f", i, b.score[i], b.staleness(i), c, want, sd)
				}
			}
		})
	}
}

// TestIncrementalStructuresMatchScratch applies random operations and checks
// after each that the sorted order, Fenwick sums and P_replay equal a
// computation from scratch.
func TestIncrementalStructuresMatchScratch(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, rank := range []bool{true, false} {
		const capacity = 37
		temp, rho := 0.7, 0.4
		b := newBuffer(capacity, rank, temp, rho)
		for step := range 3000 {
			switch op := rng.IntN(4); {
			case b.n < capacity && (b.n == 0 || op == 0):
				b.add(float64(rng.IntN(10)) - 3)
			case op == 1:
				b.setScore(rng.IntN(b.n), float64(rng.IntN(10))-3)
			case op == 2:
				b.touch(rng.IntN(b.n))
			default:
				b.clock++
			}
			checkScratch(t, b, temp, rho, step)
			if t.Failed() {
				return
			}
		}
	}
}

func checkScratch(t *testing.T, b *buffer, temp, rho float64, step int) {
	t.Helper()
	n := b.n
	slots := make([]int32, n)
	for i := range slots {
		slots[i] = int32(i)
	}
	slices.SortFunc(slots, func(x, y int32) int {
		if c := cmp.Compare(b.score[y], b.score[x]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	if !slices.Equal(slots, b.order) {
		t.Fatalf("step %d: order %v, want %v", step, b.order, slots)
	}
	for k, s := range b.order {
		if p := b.position(int(s)); p != k {
			t.Fatalf("step %d: position(%d) = %d, want %d", step, s, p, k)
		}
	}
	var sumStamp int64
	for i := range n {
		sumStamp += b.stamp[i]
		if got := b.stamps.sum(i + 1); got != sumStamp {
			t.Fatalf("step %d: stamp prefix %d = %d, want %d", step, i+1, got, sumStamp)
		}
	}
	// P_replay from scratch: fractional ranks for ties.
	want := make([]float64, n)
	var ps []float64
	if b.rank {
		ps = make([]float64, n)
		total := 0.0
		for r := 1; r <= n; r++ {
			total += math.Pow(float64(r), -1/temp)
		}
		for i := range n {
			higher, equal := 0, 0
			for j := range n {
				switch {
				case b.score[j] > b.score[i]:
					higher++
				case b.score[j] == b.score[i]:
					equal++
				}
			}
			w := 0.0
			for r := higher + 1; r <= higher+equal; r++ {
				w += math.Pow(float64(r), -1/temp)
			}
			ps[i] = w / float64(equal) / total
		}
	} else {
		ps = make([]float64, n)
		total := 0.0
		for i := range n {
			ps[i] = math.Pow(math.Max(b.score[i], 0), 1/temp) // eps 0: staleness on
			total += ps[i]
		}
		for i := range ps {
			if total > 0 {
				ps[i] /= total
			} else {
				ps[i] = 1 / float64(n)
			}
		}
		if got := b.powTree.sum(n); math.Abs(got-total) > 1e-9*math.Max(1, total) {
			t.Fatalf("step %d: power tree total %v, want %v", step, got, total)
		}
	}
	var stale float64
	for i := range n {
		stale += float64(b.clock - b.stamp[i])
	}
	for i := range n {
		pc := 1 / float64(n)
		if stale > 0 {
			pc = float64(b.clock-b.stamp[i]) / stale
		}
		want[i] = (1-rho)*ps[i] + rho*pc
	}
	if got := b.replayProbs(make([]float64, n)); !closeTo(got, want, 1e-12) {
		t.Fatalf("step %d: replayProbs %v, want %v", step, got, want)
	}
}

// TestIndex checks the hash index against a map under random inserts and
// removals, with colliding hashes.
func TestIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const capacity = 50
	x := newIndex(capacity)
	hashOf := make([]uint64, capacity)
	present := map[int]bool{}
	find := func(slot int) bool {
		h := hashOf[slot]
		for i := h & x.mask; x.table[i] != 0; i = (i + 1) & x.mask {
			if int(x.table[i]-1) == slot {
				return true
			}
		}
		return false
	}
	for step := range 20000 {
		slot := rng.IntN(capacity)
		if present[slot] {
			x.remove(hashOf[slot], slot, hashOf)
			delete(present, slot)
		} else {
			hashOf[slot] = uint64(rng.IntN(16)) * 0x9e3779b97f4a7c15 // few distinct homes: long runs
			x.insert(hashOf[slot], slot)
			present[slot] = true
		}
		for s := range capacity {
			if find(s) != present[s] {
				t.Fatalf("step %d: slot %d found = %v, want %v", step, s, !present[s], present[s])
			}
		}
	}
}

// TestFindStaleExact: every integer u in [0, Σ staleness) selects the slot
// whose cumulative staleness interval contains it.
func TestFindStaleExact(t *testing.T) {
	b := newBuffer(13, true, 1, 1)
	for i := range 11 {
		b.add(0)
		b.clock += int64(i % 3) // some slots share a stamp, some staleness is 0
	}
	b.clock += 2
	b.touch(4)
	total := b.clock*int64(b.n) - b.stamps.sum(b.n)
	var cum int64
	slot := 0
	for u := range total {
		for cum+b.staleness(slot) <= u {
			cum += b.staleness(slot)
			slot++
		}
		if got := b.stamps.findStale(u, b.clock, b.n); got != slot {
			t.Fatalf("u = %d: slot %d, want %d (staleness %d)", u, got, slot, b.staleness(slot))
		}
	}
}
