package her

import "math/rand/v2"

// Relabelling strategies of a sampled transition.
const (
	kindReal     = iota // the transition's own goal
	kindFuture          // a goal achieved later in its episode (HER "future")
	kindDesired         // the goal of a random stored transition
	kindAchieved        // the achieved goal of a random stored transition
	numKinds
)

// buffer is a ring of transitions stored episode after episode, so that the
// transitions of an episode are contiguous (modulo the capacity) and a
// future achieved goal of a transition is found tleft or fewer places after
// it. When the ring is full the oldest transitions are overwritten; as the
// future of a transition is newer than the transition itself, a transition
// still stored always has its whole future stored too.
type buffer struct {
	cap, s, g, a int       // cap: the ring's capacity (replay_size)
	alloc        int       // transitions allocated so far, up to cap
	state, next  []float64 // cap×s: observation without the goal, before and after the step
	action       []float64 // cap×a
	achieved     []float64 // cap×g: achieved goal after the step
	desired      []float64 // cap×g: the episode's goal
	tleft        []int32   // steps of the episode after this one
	head, size   int       // next write position; stored transitions
	epStart      int       // ring position of the current episode's first transition
	epLen        int       // transitions written in the current episode
}

// initialAlloc is the number of transitions allocated at first; the
// arrays double as they fill, up to the capacity, so that a large
// replay_size costs memory only when used.
const initialAlloc = 1 << 16

func newBuffer(capacity, s, g, a int) *buffer {
	b := &buffer{cap: capacity, s: s, g: g, a: a}
	b.grow(min(capacity, initialAlloc))
	return b
}

// grow reallocates the arrays for n transitions. The ring has not wrapped
// yet (it wraps only at full capacity), so the data are the first size
// transitions.
func (b *buffer) grow(n int) {
	re := func(old []float64, w int) []float64 {
		s := make([]float64, n*w)
		copy(s, old)
		return s
	}
	b.state, b.next = re(b.state, b.s), re(b.next, b.s)
	b.action = re(b.action, b.a)
	b.achieved, b.desired = re(b.achieved, b.g), re(b.desired, b.g)
	t := make([]int32, n)
	copy(t, b.tleft)
	b.tleft = t
	b.alloc = n
}

// add appends one transition of the current episode.
func (b *buffer) add(state, action, next, achieved, desired []float64) {
	if b.head == b.alloc && b.alloc < b.cap {
		b.grow(min(2*b.alloc, b.cap))
	}
	i := b.head
	copy(b.state[i*b.s:(i+1)*b.s], state)
	copy(b.next[i*b.s:(i+1)*b.s], next)
	copy(b.action[i*b.a:(i+1)*b.a], action)
	copy(b.achieved[i*b.g:(i+1)*b.g], achieved)
	copy(b.desired[i*b.g:(i+1)*b.g], desired)
	b.tleft[i] = 0
	if b.epLen == 0 {
		b.epStart = i
	}
	b.epLen++
	b.head = (b.head + 1) % b.cap
	b.size = min(b.size+1, b.cap)
}

// endEpisode closes the current episode: every transition still stored
// learns how many steps of its episode follow it.
func (b *buffer) endEpisode() {
	n := min(b.epLen, b.cap) // an episode longer than the ring keeps its end
	first := (b.head - n + b.cap) % b.cap
	for k := range n {
		b.tleft[(first+k)%b.cap] = int32(n - 1 - k)
	}
	b.epLen = 0
}

// batch is a set of sampled, relabelled transitions.
type batch struct {
	rows   int
	state  []float64 // rows×s
	next   []float64 // rows×s
	action []float64 // rows×a
	ach    []float64 // rows×g: achieved goal after the step
	goal   []float64 // rows×g: the (relabelled) goal
}

func (bt *batch) resize(rows, s, g, a int) {
	if cap(bt.state) < rows*s || cap(bt.ach) < rows*g || cap(bt.action) < rows*a {
		bt.state, bt.next = make([]float64, rows*s), make([]float64, rows*s)
		bt.action = make([]float64, rows*a)
		bt.ach, bt.goal = make([]float64, rows*g), make([]float64, rows*g)
	}
	bt.rows = rows
	bt.state, bt.next = bt.state[:rows*s], bt.next[:rows*s]
	bt.action = bt.action[:rows*a]
	bt.ach, bt.goal = bt.ach[:rows*g], bt.goal[:rows*g]
}

// sample fills bt with rows transitions drawn uniformly from the buffer,
// each relabelled with a strategy drawn from the cumulative weights cum
// (numKinds entries ending at 1).
func (b *buffer) sample(bt *batch, rows int, cum *[numKinds]float64, rng *rand.Rand) {
	bt.resize(rows, b.s, b.g, b.a)
	s, g, a := b.s, b.g, b.a
	for r := range rows {
		i := b.index(rng.IntN(b.size))
		copy(bt.state[r*s:(r+1)*s], b.state[i*s:(i+1)*s])
		copy(bt.next[r*s:(r+1)*s], b.next[i*s:(i+1)*s])
		copy(bt.action[r*a:(r+1)*a], b.action[i*a:(i+1)*a])
		copy(bt.ach[r*g:(r+1)*g], b.achieved[i*g:(i+1)*g])
		u := rng.Float64()
		kind := 0
		for kind < numKinds-1 && u >= cum[kind] {
			kind++
		}
		var src []float64
		switch kind {
		case kindReal:
			src = b.desired[i*g : (i+1)*g]
		case kindFuture:
			// mrl's future_samples: idx + round(U·tleft), the transition
			// itself included.
			j := (i + int(rng.Float64()*float64(b.tleft[i])+0.5)) % b.cap
			src = b.achieved[j*g : (j+1)*g]
		case kindDesired:
			j := b.index(rng.IntN(b.size))
			src = b.desired[j*g : (j+1)*g]
		case kindAchieved:
			j := b.index(rng.IntN(b.size))
			src = b.achieved[j*g : (j+1)*g]
		}
		copy(bt.goal[r*g:(r+1)*g], src)
	}
}

// index maps the k-th stored transition (0 = the oldest) to its ring
// position.
func (b *buffer) index(k int) int {
	if b.size < b.cap {
		return k
	}
	return (b.head + k) % b.cap
}
