// Package egoview is the geometry of the MiniGrid-style egocentric view
// that the maze and keydoor families share: the agent sees the size × size
// square ahead of it, rotated so that it faces up, and both families read
// it from a row-major grid padded with walls. The offsets are computed once
// per grid width, so that an observation is a gather of precomputed
// indices with no per-step arithmetic.
package egoview

// step[d] is the unit step of direction d (0 east, 1 south, 2 west, 3
// north, MiniGrid's order): x grows to the right, y downwards.
var step = [4][2]int{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}

// Ahead returns the offset, on a row-major grid of the given stride, of the
// cell one step ahead in direction d.
func Ahead(stride, d int) int32 {
	s := step[d&3]
	return int32(s[1]*stride + s[0])
}

// View writes into dst (size·size values) the offsets, on a row-major grid
// of the given stride and relative to the agent's cell, of the cells of its
// view when it faces direction d. View cell (vx, vy), at dst[vy·size + vx],
// is size−1−vy cells ahead of the agent and vx − size/2 cells to its right:
// row vy = 0 is the farthest, and the agent sits at (size/2, size−1) facing
// up (MiniGrid's get_view_coords inverted).
func View(dst []int32, stride, size, d int) {
	fwd, right := step[d&3], step[(d+1)&3]
	for vy := range size {
		for vx := range size {
			f, r := size-1-vy, vx-size/2
			dx, dy := f*fwd[0]+r*right[0], f*fwd[1]+r*right[1]
			dst[vy*size+vx] = int32(dy*stride + dx)
		}
	}
}
