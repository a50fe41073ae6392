package goalmaze

import "testing"

// FuzzParseLayout checks that any text either fails to parse or gives a
// layout whose text form parses back to itself, with every open cell
// reachable.
func FuzzParseLayout(f *testing.F) {
	for _, n := range namedLayouts {
		f.Add(n.text)
	}
	f.Add("+-+\n|S|\n+-+")
	f.Add("+ +\n S \n+ +")
	f.Fuzz(func(t *testing.T, text string) {
		l, err := ParseLayout(text)
		if err != nil {
			return
		}
		m, err := ParseLayout(l.String())
		if err != nil || m.String() != l.String() {
			t.Fatalf("round trip of\n%s: %v\n%s", l, err, m)
		}
		w, h := l.Size()
		for y := range h {
			for x := range w {
				if c := (Cell{x, y}); l.Open(c) != (l.Distance(c) >= 0) {
					t.Fatalf("cell %v: open %v, distance %d", c, l.Open(c), l.Distance(c))
				}
			}
		}
	})
}
