package maze

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// FuzzDecodeLevel checks that any byte string either fails to decode or is
// the exact encoding of the level it decodes to (so that equal levels have
// equal encodings), and that Mutate keeps decoded levels valid.
func FuzzDecodeLevel(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		b, _ := randomLevel(rng).MarshalBinary()
		f.Add(b, uint64(0))
	}
	f.Add([]byte{1, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0}, uint64(1))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		l, err := DecodeLevel(data)
		if err != nil {
			return
		}
		enc, err := l.MarshalBinary()
		if err != nil || !bytes.Equal(enc, data) {
			t.Fatalf("decoded %v, re-encoded %v (%v)", data, enc, err)
		}
		for _, editor := range editors {
			s := &Space{editor: editor}
			if _, err := DecodeLevel(s.Mutate(data, 1+int(seed%8), rand.New(rand.NewPCG(seed, 0)))); err != nil {
				t.Fatalf("%s: %v", editor, err)
			}
		}
	})
}

// FuzzParseLevel checks that any text either fails to parse or parses to a
// valid level whose text form parses back to the same level.
func FuzzParseLevel(f *testing.F) {
	for _, s := range []string{">G", "...\n.#.\n>#G", "max_steps: 9\n^..\n#.G", ">.G\n..", "G\n>\n#", "\r\n>G\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		l, err := ParseLevel(text)
		if err != nil {
			return
		}
		if err := l.Validate(); err != nil {
			t.Fatalf("parsed an invalid level: %v", err)
		}
		back, err := ParseLevel(l.String())
		if err != nil || !back.Equal(l) {
			t.Fatalf("%q: printed form %q does not parse back (%v)", text, l.String(), err)
		}
	})
}
