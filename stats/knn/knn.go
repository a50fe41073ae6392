// Package knn provides an incremental k-d tree for exact Euclidean
// nearest-neighbour queries.
//
// It exists for teachers such as ALP-GMM, which for every episode look up the
// previous task nearest to the new one and then add the new task: a stream of
// interleaved queries and insertions, up to about 10^5 points in 1 to 14
// dimensions, drawn from a distribution that changes over time and with many
// exact duplicates (tasks clipped to the bounds of their box).
//
// The tree stores its points in one flat slice and its nodes in another, with
// int32 child indexes. Each node holds one distinct point: inserting a point
// equal to one met on its insertion path only records the new index, so
// duplicates cost no node and do not lengthen paths, and queries resolve ties
// towards the most recent point. (After a rebalancing, an equal point can sit
// off the insertion path, in a left subtree at the splitting value; the next
// duplicate then gets one node of its own, on the path, and later ones find
// it. Results are unaffected.) The tree is kept balanced as points
// arrive by rebuilding subtrees that become too deep (the scapegoat-tree
// rule), so drifting or sorted input does not degrade it into long chains.
// Insert and Nearest do not allocate once the slices have grown.
package knn

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// alpha is the scapegoat balance factor: a subtree is rebuilt when one of its
// children holds more than alpha of its nodes and an insertion went deeper
// than log(n)/log(1/alpha).
const alpha = 2.0 / 3

// depthPerBit is ln 2 / ln(1/alpha): the scapegoat depth limit per bit of
// the number of nodes.
var depthPerBit = math.Ln2 / math.Log(1/alpha)

// node is a tree node. Its point is the splitting point: its subtrees hold
// points with coordinate dim at most (left) and at least (right) that of the
// point.
type node struct {
	idx         int32 // index of the point: the most recent one with these coordinates
	left, right int32 // child nodes, -1 when absent
	dim         int32 // splitting dimension
	size        int32 // number of nodes in the subtree
}

// Tree is a k-d tree over points of a fixed dimension. Points keep the index
// of their insertion, starting at 0. The zero value is not usable; create
// trees with New. A Tree must not be used by several goroutines at once, not
// even for queries.
type Tree struct {
	dim   int
	pts   []float64 // all points ever inserted, row-major
	nodes []node
	root  int32

	// query state
	q     []float64
	off   []float64 // per-dimension distance from q to the current cell
	best  float64
	bestI int32

	// scratch
	path  []int32 // insertion path
	items []int32 // point indexes of a subtree being built
	slots []int32 // node slots of a subtree being rebuilt
	stack []int32
}

// New returns an empty tree for points of dimension dim, which must be at
// least 1.
func New(dim int) *Tree {
	if dim < 1 {
		panic(fmt.Sprintf("knn: dimension %d: want at least 1", dim))
	}
	return &Tree{dim: dim, root: -1, off: make([]float64, dim)}
}

// Dim returns the dimension of the points.
func (t *Tree) Dim() int { return t.dim }

// Len returns the number of points ever inserted since the last Reset; their
// indexes are 0 to Len()-1.
func (t *Tree) Len() int { return len(t.pts) / t.dim }

// Point returns a view of point i, which must not be modified. The view stays
// valid until the next Reset.
func (t *Tree) Point(i int) []float64 {
	d := t.dim
	return t.pts[i*d : (i+1)*d : (i+1)*d]
}

// Reset removes all points, keeping the allocated memory.
func (t *Tree) Reset() {
	t.pts = t.pts[:0]
	t.nodes = t.nodes[:0]
	t.root = -1
}

// Insert adds a copy of p, which must have length Dim() and finite
// coordinates, and returns its index. The point is searchable at once.
func (t *Tree) Insert(p []float64) int {
	d := t.dim
	if len(p) != d {
		panic(fmt.Sprintf("knn: Insert: point of length %d, want %d", len(p), d))
	}
	for _, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			panic(fmt.Sprintf("knn: Insert: non-finite coordinate %v", v))
		}
	}
	idx := len(t.pts) / d
	if idx >= math.MaxInt32 {
		panic("knn: Insert: too many points")
	}
	t.pts = append(t.pts, p...)
	if t.root < 0 {
		t.root = t.newNode(int32(idx), 0)
		return idx
	}
	// Descend: left when p is below the splitting coordinate, else right.
	path := t.path[:0]
	n := t.root
	var parent *node
	for n >= 0 {
		path = append(path, n)
		nd := &t.nodes[n]
		q := t.pts[int(nd.idx)*d : int(nd.idx)*d+d]
		if equal(p, q) {
			nd.idx = int32(idx) // a duplicate: remember the newer index
			t.path = path
			return idx
		}
		parent = nd
		if p[nd.dim] < q[nd.dim] {
			n = nd.left
		} else {
			n = nd.right
		}
	}
	t.path = path
	// Attach a new leaf, splitting on the dimension after its parent's.
	leaf := t.newNode(int32(idx), int32((int(parent.dim)+1)%d))
	last := &t.nodes[path[len(path)-1]] // parent, after a possible reallocation
	if p[last.dim] < t.pts[int(last.idx)*d+int(last.dim)] {
		last.left = leaf
	} else {
		last.right = leaf
	}
	for _, a := range path {
		t.nodes[a].size++
	}
	// Scapegoat rule: a leaf deeper than log(n)/log(1/alpha) means that
	// some ancestor is unbalanced; rebuild the deepest such ancestor. (The
	// logarithm is bounded above by bits.Len(n)·ln 2, which is cheaper and
	// only loosens the depth bound by less than two levels.)
	depth := len(path)
	if depth > 8 && float64(depth) > float64(bits.Len32(uint32(t.nodes[t.root].size)))*depthPerBit {
		child := leaf
		for j := len(path) - 1; j >= 0; j-- {
			a := path[j]
			if float64(t.nodes[child].size) > alpha*float64(t.nodes[a].size) {
				t.rebuildSubtree(path[:j], a)
				break
			}
			child = a
		}
	}
	return idx
}

// equal reports whether a and b have the same coordinates.
func equal(a, b []float64) bool {
	b = b[:len(a)]
	for i, v := range a {
		if v != b[i] {
			return false
		}
	}
	return true
}

// newNode appends a leaf holding point idx and returns its slot.
func (t *Tree) newNode(idx, dim int32) int32 {
	t.nodes = append(t.nodes, node{idx: idx, left: -1, right: -1, dim: dim, size: 1})
	return int32(len(t.nodes) - 1)
}

// Nearest returns the index of the searchable point nearest to q (of length
// Dim()) in Euclidean distance, and its squared distance. Among points at
// exactly the same smallest distance it returns the one with the largest
// index, the most recent. It returns -1 and +Inf when no point is
// searchable. The search is exact: it returns what a brute-force scan
// computing the same squared distances would.
func (t *Tree) Nearest(q []float64) (idx int, dist2 float64) {
	if len(q) != t.dim {
		panic(fmt.Sprintf("knn: Nearest: query of length %d, want %d", len(q), t.dim))
	}
	if t.root < 0 {
		return -1, math.Inf(1)
	}
	t.q = q
	t.best, t.bestI = math.Inf(1), -1
	for i := range t.off {
		t.off[i] = 0
	}
	t.search(t.root, 0)
	t.q = nil
	return int(t.bestI), t.best
}

// search visits the subtree at n, whose cell is at squared distance rd from
// the query; off holds the per-dimension distances from the query to the
// cell.
//
// The bound of a far cell is updated incrementally, rd - off[k]² + diff², and
// the cell is skipped only when the bound exceeds the best squared distance
// by a relative margin of 1e-12. Along a path the bound never decreases, so
// its rounding error stays below about 3·depth·ε relative, far less than the
// margin: no point whose computed squared distance is at most the best one
// is ever skipped, and the search is exact, ties included.
func (t *Tree) search(n int32, rd float64) {
	nd := &t.nodes[n]
	d := t.dim
	q := t.q[:d]
	p := t.pts[int(nd.idx)*d : int(nd.idx)*d+d]
	s := 0.0
	for j, v := range q {
		u := v - p[j]
		s += float64(u * u) // no fused multiply-add: same rounding everywhere
		if s > t.best {
			break
		}
	}
	if s < t.best || (s == t.best && nd.idx > t.bestI) {
		t.best, t.bestI = s, nd.idx
	}
	k := nd.dim
	diff := q[k] - p[k]
	near, far := nd.right, nd.left
	if diff < 0 {
		near, far = nd.left, nd.right
	}
	if near >= 0 {
		t.search(near, rd)
	}
	if far < 0 {
		return
	}
	old := t.off[k]
	frd := rd - old*old + diff*diff
	if frd <= t.best*(1+pruneMargin) {
		t.off[k] = math.Abs(diff)
		t.search(far, frd)
		t.off[k] = old
	}
}

// pruneMargin is the relative margin by which a cell's bound must exceed the
// best distance for the cell to be skipped; see search.
const pruneMargin = 1e-12

// Rebuild rebuilds the tree as a balanced tree of the points with index at
// least from. Older points stay stored, and Point still returns them, but
// they are no longer searched; from is clamped to [0, Len()]. Exact
// duplicates are merged, keeping the most recent index. Rebuild implements a
// sliding window; Rebuild(0) simply rebalances.
func (t *Tree) Rebuild(from int) {
	n := t.Len()
	from = min(max(from, 0), n)
	t.nodes = t.nodes[:0]
	t.root = -1
	items := t.items[:0]
	for i := from; i < n; i++ {
		items = append(items, int32(i))
	}
	// Sort by coordinates, then index, and keep the last of each run of
	// equal points.
	slices.SortFunc(items, t.compare)
	w := 0
	for i, v := range items {
		if i+1 < len(items) && equal(t.Point(int(v)), t.Point(int(items[i+1]))) {
			continue
		}
		items[w] = v
		w++
	}
	items = items[:w]
	t.items = items
	for range items {
		t.nodes = append(t.nodes, node{})
	}
	slots := t.slots[:0]
	for i := range items {
		slots = append(slots, int32(i))
	}
	t.slots = slots
	t.root = t.build(items, slots)
}

// compare orders point indexes by coordinates, then by index.
func (t *Tree) compare(a, b int32) int {
	pa, pb := t.Point(int(a)), t.Point(int(b))
	for j, v := range pa {
		if v < pb[j] {
			return -1
		}
		if v > pb[j] {
			return 1
		}
	}
	return int(a) - int(b)
}

// rebuildSubtree rebuilds the subtree at node a, whose ancestors are path,
// as a balanced tree in the same node slots.
func (t *Tree) rebuildSubtree(path []int32, a int32) {
	items, slots, stack := t.items[:0], t.slots[:0], t.stack[:0]
	stack = append(stack, a)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nd := &t.nodes[n]
		items = append(items, nd.idx)
		slots = append(slots, n)
		if nd.left >= 0 {
			stack = append(stack, nd.left)
		}
		if nd.right >= 0 {
			stack = append(stack, nd.right)
		}
	}
	t.items, t.slots, t.stack = items, slots, stack
	r := t.build(items, slots)
	if len(path) == 0 {
		t.root = r
		return
	}
	parent := &t.nodes[path[len(path)-1]]
	if parent.left == a {
		parent.left = r
	} else {
		parent.right = r
	}
}

// build makes a balanced subtree of the points items in the node slots
// slots (of the same length) and returns its root slot, or -1 when empty.
// Each node splits on the dimension of largest spread of its points at their
// median.
func (t *Tree) build(items, slots []int32) int32 {
	if len(items) == 0 {
		return -1
	}
	d := t.dim
	k := 0
	if d > 1 && len(items) > 1 {
		best := -1.0
		for j := 0; j < d; j++ {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, i := range items {
				v := t.pts[int(i)*d+j]
				lo = min(lo, v)
				hi = max(hi, v)
			}
			if hi-lo > best {
				best, k = hi-lo, j
			}
		}
	}
	m := len(items) / 2
	t.selectNth(items, m, k)
	slot := slots[m]
	t.nodes[slot] = node{
		idx:   items[m],
		dim:   int32(k),
		size:  int32(len(items)),
		left:  t.build(items[:m], slots[:m]),
		right: t.build(items[m+1:], slots[m+1:]),
	}
	return slot
}

// selectNth reorders items so that items[m] has the m-th smallest coordinate
// k, with no larger coordinate before it and no smaller one after it (Hoare's
// selection).
func (t *Tree) selectNth(items []int32, m, k int) {
	d := t.dim
	key := func(i int32) float64 { return t.pts[int(i)*d+k] }
	lo, hi := 0, len(items)-1
	for lo < hi {
		a, b, c := key(items[lo]), key(items[lo+(hi-lo)/2]), key(items[hi])
		pv := max(min(a, b), min(max(a, b), c)) // median of three
		i, j := lo, hi
		for i <= j {
			for key(items[i]) < pv {
				i++
			}
			for key(items[j]) > pv {
				j--
			}
			if i <= j {
				items[i], items[j] = items[j], items[i]
				i++
				j--
			}
		}
		switch {
		case m <= j:
			hi = j
		case m >= i:
			lo = i
		default:
			return
		}
	}
}
