package maze

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func nan() float64 { return math.NaN() }

// randomLevel returns a random valid level of random size, walls density and
// step limit.
func randomLevel(rng *rand.Rand) *Level {
	var l Level
	w, h := 1+rng.IntN(20), 1+rng.IntN(20)
	if w*h < 2 {
		w = 2
	}
	generate(&l, w, h, rng.IntN(w*h-1), []string{CountHalf, CountUniform, CountBudget}[rng.IntN(3)], rng)
	if rng.IntN(4) == 0 {
		l.MaxSteps = 1 + rng.IntN(0xffff)
	}
	return &l
}

// TestRoundTrips encodes and decodes random levels, in binary and in text,
// and checks that equal levels have equal encodings and different levels
// different ones.
func TestRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	seen := map[string]*Level{}
	for range 2000 {
		l := randomLevel(rng)
		if err := l.Validate(); err != nil {
			t.Fatalf("generated an invalid level: %v\n%s", err, l)
		}
		enc := mustEncodeTB(t, l)
		if len(enc) != EncodedLen(l.Width, l.Height) {
			t.Fatalf("encoding of %d bytes, want %d", len(enc), EncodedLen(l.Width, l.Height))
		}
		back, err := DecodeLevel(enc)
		if err != nil || !back.Equal(l) {
			t.Fatalf("binary round trip: %v\n%s\n%s", err, l, back)
		}
		parsed, err := ParseLevel(l.String())
		if err != nil || !parsed.Equal(l) {
			t.Fatalf("text round trip: %v\n%s", err, l)
		}
		if prev, ok := seen[string(enc)]; ok && !prev.Equal(l) {
			t.Fatalf("two different levels share an encoding:\n%s\n\n%s", prev, l)
		}
		seen[string(enc)] = l
		// A one-cell change changes the encoding.
		m := l.Clone()
		m.Walls[rng.IntN(len(m.Walls))] = !m.Walls[0]
		if m.Validate() == nil && !m.Equal(l) && bytes.Equal(mustEncodeTB(t, m), enc) {
			t.Fatalf("a changed level kept its encoding")
		}
	}
	// Decoding into a used Level reuses its walls and overwrites
	// everything.
	var into Level
	for range 50 {
		l := randomLevel(rng)
		if err := into.UnmarshalBinary(mustEncodeTB(t, l)); err != nil || !into.Equal(l) {
			t.Fatalf("decoding into a used level: %v", err)
		}
	}
	var tl Level
	txt, err := randomLevel(rng).MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	if err := tl.UnmarshalText(txt); err != nil || tl.String() != string(txt) {
		t.Fatalf("text marshalling: %v", err)
	}
}

// TestJaxUEDText checks the text form against a JaxUED layout.
func TestJaxUEDText(t *testing.T) {
	text := "...\n.#.\n>#G"
	l := mustParse(t, "\n\n"+text+"  \r\n\n")
	want := &Level{Width: 3, Height: 3, Walls: []bool{false, false, false, false, true, false, false, true, false},
		Agent: Pos{0, 2}, Dir: Right, Goal: Pos{2, 2}}
	if !l.Equal(want) || l.String() != text {
		t.Errorf("parsed %+v, printed %q", l, l.String())
	}
	for c, d := range map[string]Dir{">": Right, "v": Down, "<": Left, "^": Up} {
		if l := mustParse(t, c+"G"); l.Dir != d || d.String() != c {
			t.Errorf("%s: direction %v", c, l.Dir)
		}
	}
}

// TestParseErrors checks that malformed text gets an error naming the
// problem and where it is.
func TestParseErrors(t *testing.T) {
	wide := strings.Repeat(".", 256)
	for _, c := range []struct {
		name, text, want string
	}{
		{"empty", "  \n\n", "empty level text"},
		{"bad character", ">.G\n.x.", "line 2, column 2: unexpected character 'x'"},
		{"digit", ">.G\n.1.", "unexpected character '1'"},
		{"space inside", ">.G\n. .", "line 2, column 2: unexpected character ' '"},
		{"unicode", ">.G\n.é.", "non-ASCII"},
		{"ragged", ">.G\n..\n...", "line 2 has 2 cells: want 3 like line 1"},
		{"ragged after blank lines", "\n\n>.G\n....", "line 4 has 4 cells: want 3 like line 3"},
		{"blank line inside", ">.G\n\n...", "line 2: blank line inside the grid"},
		{"no agent", "..G\n...", "no agent"},
		{"no goal", ">..\n...", "no goal"},
		{"two agents", ">.G\n..<", "line 2, column 3: second agent (the first is at line 1, column 1)"},
		{"two goals", ">.G\nG..", "line 2, column 1: second goal (the first is at line 1, column 3)"},
		{"too wide", ">G" + wide, "at most 255"},
		{"bad header", "max_steps: lots\n>.G", "line 1"},
		{"zero header", "max_steps: 0\n>.G", "1..65535"},
		{"header only", "max_steps: 5\n", "no grid"},
	} {
		_, err := ParseLevel(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if l := mustParse(t, "max_steps: 7\n\n>.G"); l.MaxSteps != 7 || l.String() != "max_steps: 7\n>.G" {
		t.Errorf("header: %+v", l)
	}
}

// TestDecodeErrors checks that every byte string that is not a valid
// level's encoding is rejected, with a reason.
func TestDecodeErrors(t *testing.T) {
	good := mustEncodeTB(t, mustParse(t, ">.#\n..G"))
	mod := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"short", good[:5], "at least"},
		{"version", mod(func(b []byte) []byte { b[0] = 2; return b }), "version"},
		{"length", append(append([]byte(nil), good...), 0), "bytes: want"},
		{"padding", mod(func(b []byte) []byte { b[len(b)-1] |= 0x80; return b }), "padding"},
		{"agent on goal", mod(func(b []byte) []byte { b[3], b[4] = 2, 1; return b }), "same cell"},
		{"agent on wall", mod(func(b []byte) []byte { b[3], b[4] = 2, 0; return b }), "agent on a wall"},
		{"goal on wall", mod(func(b []byte) []byte { b[6], b[7] = 2, 0; return b }), "goal on a wall"},
		{"agent outside", mod(func(b []byte) []byte { b[3] = 3; return b }), "outside"},
		{"goal outside", mod(func(b []byte) []byte { b[7] = 2; return b }), "outside"},
		{"direction", mod(func(b []byte) []byte { b[5] = 4; return b }), "direction"},
		{"zero size", []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "interior 0×0"},
		{"1×1", []byte{1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, "1×1"},
	} {
		_, err := DecodeLevel(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if _, err := (&Level{Width: 2, Height: 1, Walls: []bool{false, false}}).MarshalBinary(); err == nil {
		t.Error("encoding an invalid level (agent on goal) gave no error")
	}
}

// TestShortestPath checks BFS on hand-made levels.
func TestShortestPath(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
		ok   bool
	}{
		{">G", 1, true},
		{">.G", 2, true},
		{">#G\n...", 4, true},
		{">#G\n.#.", 0, false},
		{">#.\n.#.\n..G", 4, true},
		{"G...\n###.\n>...", 8, true},
		{".....\n.###.\n.#G#.\n.#.#.\n>#...", 16, true},
	} {
		l := mustParse(t, c.text)
		d, ok := l.ShortestPath()
		if ok != c.ok || (ok && d != c.want) {
			t.Errorf("%q: path %d, %v; want %d, %v", c.text, d, ok, c.want, c.ok)
		}
		m := l.Metrics()
		if m.Solvable != c.ok || (c.ok && m.ShortestPath != c.want) || (!c.ok && m.ShortestPath != l.Width*l.Height+1) {
			t.Errorf("%q: metrics %+v", c.text, m)
		}
		if m.Walls != strings.Count(c.text, "#") {
			t.Errorf("%q: %d walls", c.text, m.Walls)
		}
	}
	if m := mustParse(t, ">..\n...\n..G").Metrics(); m.Distance != 4 {
		t.Errorf("Manhattan distance %d, want 4", m.Distance)
	}
}
