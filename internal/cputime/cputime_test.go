//go:build unix

package cputime

import "testing"

func TestProcessGrows(t *testing.T) {
	before := Process()
	x := 0.0
	for i := range 20_000_000 {
		x += float64(i % 7)
	}
	if after := Process(); after <= before || x == 0 {
		t.Errorf("CPU time %v then %v after a busy loop: want it to grow", before, after)
	}
}
