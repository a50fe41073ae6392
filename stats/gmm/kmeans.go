package gmm

import (
	"math"
	"math/rand/v2"
)

// kmeansMaxIter is scikit-learn's default limit on Lloyd iterations.
const kmeansMaxIter = 300

// kmeansTol is scikit-learn's default k-means tolerance, relative to the mean
// per-dimension variance of the data.
const kmeansTol = 1e-4

// kmeans clusters the n points of x into k clusters like scikit-learn's
// KMeans(n_clusters=k, n_init=1): greedy k-means++ seeding then Lloyd
// iterations. It leaves the labels in f.labels and the centres in f.centres.
func (f *Fitter) kmeans(x []float64, n, d, k int, rng *rand.Rand) {
	tol := kmeansTol * meanVariance(x, n, d, f.acc)
	f.seed(x, n, d, k, rng)

	centres, next := f.centres[:k*d], f.newCentres[:k*d]
	labels, old := f.labels[:n], f.oldLabels[:n]
	for i := range labels {
		labels[i] = -1
		old[i] = -1
	}
	strict := false
	for it := 0; it < kmeansMaxIter; it++ {
		f.assign(x, n, d, k, centres)
		f.update(x, n, d, k, centres, next)
		shift := 0.0
		for i, v := range next {
			s := v - centres[i]
			shift += s * s
		}
		centres, next = next, centres
		same := true
		for i, l := range labels {
			if l != old[i] {
				same = false
				break
			}
		}
		if same {
			strict = true
			break
		}
		if shift <= tol {
			break
		}
		copy(old, labels)
	}
	if !strict {
		// Make the labels consistent with the final centres.
		f.assign(x, n, d, k, centres)
	}
	if &centres[0] != &f.centres[0] {
		copy(f.centres, centres)
	}
}

// meanVariance returns the mean over dimensions of the (population) variance
// of each column of x; mean is scratch of length d.
func meanVariance(x []float64, n, d int, mean []float64) float64 {
	mean = mean[:d]
	for j := range mean {
		mean[j] = 0
	}
	for i := 0; i < n; i++ {
		for j, v := range x[i*d : (i+1)*d] {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	ss := 0.0
	for i := 0; i < n; i++ {
		for j, v := range x[i*d : (i+1)*d] {
			s := v - mean[j]
			ss += s * s
		}
	}
	return ss / float64(n*d)
}

// sqDist returns the squared Euclidean distance between a and b.
func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	s := 0.0
	for i, v := range a {
		t := v - b[i]
		s += t * t
	}
	return s
}

// seed chooses k initial centres among the points by greedy k-means++: the
// first uniformly, each next one as the best of 2+⌊ln k⌋ candidates drawn
// with probability proportional to the squared distance to the nearest
// chosen centre, best meaning the smallest resulting potential. It leaves the
// squared distances to the nearest centre in f.closest.
func (f *Fitter) seed(x []float64, n, d, k int, rng *rand.Rand) {
	trials := 2 + int(math.Log(float64(k)))
	closest, cand, best, cum := f.closest[:n], f.cand[:n], f.bestCand[:n], f.cum[:n]

	first := rng.IntN(n)
	c0 := x[first*d : (first+1)*d]
	copy(f.centres[:d], c0)
	pot := 0.0
	for i := range closest {
		v := sqDist(c0, x[i*d:(i+1)*d])
		closest[i] = v
		pot += v
	}
	for c := 1; c < k; c++ {
		s := 0.0
		for i, v := range closest {
			s += v
			cum[i] = s
		}
		bestPot, bestID := math.Inf(1), 0
		for t := 0; t < trials; t++ {
			id := searchSorted(cum, rng.Float64()*pot)
			if id > n-1 {
				id = n - 1
			}
			p := x[id*d : (id+1)*d]
			cp := 0.0
			for i, v := range closest {
				if dv := sqDist(p, x[i*d:(i+1)*d]); dv < v {
					v = dv
				}
				cand[i] = v
				cp += v
			}
			if cp < bestPot {
				bestPot, bestID = cp, id
				cand, best = best, cand
			}
		}
		pot = bestPot
		closest, best = best, closest
		copy(f.centres[c*d:(c+1)*d], x[bestID*d:(bestID+1)*d])
	}
	// Keep the three buffers distinct for the next call whatever the swaps.
	f.closest, f.cand, f.bestCand = closest, cand, best
}

// searchSorted returns the smallest i with a[i] >= v, or len(a) if none
// (numpy.searchsorted with side="left").
func searchSorted(a []float64, v float64) int {
	lo, hi := 0, len(a)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if a[h] < v {
			lo = h + 1
		} else {
			hi = h
		}
	}
	return lo
}

// assign labels every point with its nearest centre (the first on ties) and
// stores the squared distance in f.closest.
func (f *Fitter) assign(x []float64, n, d, k int, centres []float64) {
	labels, closest := f.labels[:n], f.closest[:n]
	if d == 3 {
		for i := range labels {
			xi := x[3*i : 3*i+3 : 3*i+3]
			x0, x1, x2 := xi[0], xi[1], xi[2]
			bd, bl := math.Inf(1), 0
			for c := 0; c < k; c++ {
				ci := centres[3*c : 3*c+3 : 3*c+3]
				a, b, e := x0-ci[0], x1-ci[1], x2-ci[2]
				if v := a*a + b*b + e*e; v < bd {
					bd, bl = v, c
				}
			}
			labels[i], closest[i] = int32(bl), bd
		}
		return
	}
	for i := range labels {
		xi := x[i*d : (i+1)*d]
		bd, bl := math.Inf(1), 0
		for c := 0; c < k; c++ {
			if v := sqDist(xi, centres[c*d:(c+1)*d]); v < bd {
				bd, bl = v, c
			}
		}
		labels[i], closest[i] = int32(bl), bd
	}
}

// update computes the new centres into next as the means of their clusters.
// An empty cluster takes the point farthest from its assigned centre (as in
// scikit-learn); a cluster left empty keeps its centre from centres.
func (f *Fitter) update(x []float64, n, d, k int, centres, next []float64) {
	counts := f.counts[:k]
	for i := range next {
		next[i] = 0
	}
	for i := range counts {
		counts[i] = 0
	}
	for i, l := range f.labels[:n] {
		counts[l]++
		row := next[int(l)*d : int(l+1)*d]
		for j, v := range x[i*d : (i+1)*d] {
			row[j] += v
		}
	}
	closest := f.closest[:n]
	for c := range counts {
		if counts[c] != 0 {
			continue
		}
		// Farthest point not relocated yet (marked by a negative distance).
		far, fd := -1, -1.0
		for i, v := range closest {
			if v > fd {
				far, fd = i, v
			}
		}
		if far < 0 {
			break // every point already relocated: cannot happen as n >= k
		}
		closest[far] = -1
		from := int(f.labels[far])
		xi := x[far*d : (far+1)*d]
		src := next[from*d : (from+1)*d]
		dst := next[c*d : (c+1)*d]
		for j, v := range xi {
			src[j] -= v
			dst[j] = v
		}
		counts[from]--
		counts[c] = 1
	}
	for c, w := range counts {
		row := next[c*d : (c+1)*d]
		if w == 0 {
			copy(row, centres[c*d:(c+1)*d])
			continue
		}
		r := 1 / w
		for j := range row {
			row[j] *= r
		}
	}
}
