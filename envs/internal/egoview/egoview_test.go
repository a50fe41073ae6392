package egoview

import "testing"

// TestView checks the view against rotations done by hand on a 7-wide grid:
// the agent's own cell, the cell straight ahead, and the far corners of a 5 ×
// 5 view in every direction.
func TestView(t *testing.T) {
	const stride, size = 7, 5
	at := func(dx, dy int) int32 { return int32(dy*stride + dx) }
	for _, tc := range []struct {
		d                        int
		ahead, farLeft, farRight int32
	}{
		// Facing east, "ahead" is +x and "right" is +y (south).
		{0, at(1, 0), at(4, -2), at(4, 2)},
		// Facing south, ahead is +y and right is −x.
		{1, at(0, 1), at(2, 4), at(-2, 4)},
		// Facing west, ahead is −x and right is −y.
		{2, at(-1, 0), at(-4, 2), at(-4, -2)},
		// Facing north, ahead is −y and right is +x.
		{3, at(0, -1), at(-2, -4), at(2, -4)},
	} {
		view := make([]int32, size*size)
		View(view, stride, size, tc.d)
		if got := Ahead(stride, tc.d); got != tc.ahead {
			t.Errorf("direction %d: ahead %d, want %d", tc.d, got, tc.ahead)
		}
		agent := view[(size-1)*size+size/2]
		front := view[(size-2)*size+size/2]
		if agent != 0 || front != tc.ahead {
			t.Errorf("direction %d: agent's cell %d (want 0), the cell in front %d (want %d)", tc.d, agent, front, tc.ahead)
		}
		if view[0] != tc.farLeft || view[size-1] != tc.farRight {
			t.Errorf("direction %d: far corners %d and %d, want %d and %d", tc.d, view[0], view[size-1], tc.farLeft, tc.farRight)
		}
	}
}
