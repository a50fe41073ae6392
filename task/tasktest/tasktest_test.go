package tasktest

import "testing"

func TestBoxes(t *testing.T) {
	b := Box(t, [2]float64{0, 1}, [2]float64{-2, 3})
	if lo, hi := b.Lo(), b.Hi(); b.Len() != 2 || lo[1] != -2 || hi[1] != 3 || b.Dim(1).Name != "b" {
		t.Errorf("Box: %d dims, lo %v, hi %v, second named %q", b.Len(), lo, hi, b.Dim(1).Name)
	}
	u := UnitBox(t, 3)
	if lo, hi := u.Lo(), u.Hi(); u.Len() != 3 || lo[2] != 0 || hi[2] != 1 {
		t.Errorf("UnitBox: %d dims, lo %v, hi %v", u.Len(), lo, hi)
	}
}

func TestStreams(t *testing.T) {
	a, b := Streams(7), Streams(7)
	if a.Env.Uint64() != b.Env.Uint64() {
		t.Error("the same seed gave different Env streams")
	}
	if a.Teacher.Uint64() == a.Init.Uint64() {
		t.Error("Teacher and Init streams drew the same value")
	}
	if o := Binary(true); !o.Success || o.Score != 1 || o.Check() != nil {
		t.Errorf("Binary(true) = %+v (%v)", o, o.Check())
	}
	if o := Binary(false); o.Success || o.Return != 0 || o.Check() != nil {
		t.Errorf("Binary(false) = %+v (%v)", o, o.Check())
	}
}
