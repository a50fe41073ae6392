package plr

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// scripted is a fake Levels space: Generate returns the levels of next in
// turn (cycling), or random bytes of length size when next is empty; Mutate
// flips bits and records its calls. With reuse set, Generate and Mutate
// write into buffers of their own, so that allocation tests see only the
// teacher's allocations.
type scripted struct {
	next  [][]byte
	i     int
	size  int
	reuse bool

	genBuf, mutBuf []byte
	mutated        [][]byte // parents passed to Mutate
	edits          []int
}

func (s *scripted) Kind() task.Kind { return task.LevelsKind }

func (s *scripted) Generate(rng *rand.Rand) []byte {
	if len(s.next) > 0 {
		l := slices.Clone(s.next[s.i%len(s.next)])
		s.i++
		return l
	}
	if s.reuse && s.genBuf == nil {
		s.genBuf = make([]byte, s.size)
	}
	l := s.genBuf
	if !s.reuse {
		l = make([]byte, s.size)
	}
	for i := range l {
		l[i] = byte(rng.Uint32())
	}
	return l
}

func (s *scripted) Mutate(level []byte, n int, rng *rand.Rand) []byte {
	var m []byte
	if s.reuse {
		s.mutBuf = append(s.mutBuf[:0], level...)
		m = s.mutBuf
	} else {
		m = slices.Clone(level)
		s.mutated = append(s.mutated, slices.Clone(level))
		s.edits = append(s.edits, n)
	}
	for range n {
		m[rng.IntN(len(m))] ^= 1 << rng.IntN(8)
	}
	if bytes.Equal(m, level) {
		m[0] ^= 1 // a child always differs from its parent
	}
	return m
}

func (s *scripted) Format(level []byte) (string, error) { return hex.EncodeToString(level), nil }
func (s *scripted) Parse(text string) ([]byte, error)   { return hex.DecodeString(text) }

// outcome returns an outcome of return ret with the given signals.
func outcome(ret float64, signals ...any) task.Outcome {
	o := task.Outcome{Return: ret, Score: min(max(ret, 0), 1), Steps: 10}
	for i := 0; i < len(signals); i += 2 {
		o.SetSignal(signals[i].(task.Signal), signals[i+1].(float64))
	}
	return o
}

// pvl returns an outcome whose PVL score is s.
func pvl(s float64) task.Outcome { return outcome(0, task.PositiveValueLoss, s) }

func newTeacher(t testing.TB, p Params, space task.Space) *Teacher {
	t.Helper()
	tc, err := New(p, space, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func levelsOf(names ...string) [][]byte {
	out := make([][]byte, len(names))
	for i, n := range names {
		out[i] = []byte(n)
	}
	return out
}

// testParams are small, deterministic settings: PVL scores, rank with
// temperature 1, no staleness, new levels only, a decision per episode.
func testParams(capacity int) Params {
	p := DefaultParams()
	p.BufferSize = capacity
	p.Score = ScorePVL
	p.Fallback = FallbackNone
	p.Temperature = 1
	p.StalenessCoef = 0
	p.ReplayProb = 0
	p.CycleSteps = 0
	return p
}

// stored returns the stored levels as strings, in slot order.
func stored(tc *Teacher) []string {
	out := make([]string, tc.Len())
	for i := range out {
		out[i] = string(tc.Entry(i).Task.Level)
	}
	return out
}

func scores(tc *Teacher) []float64 {
	out := make([]float64, tc.Len())
	for i := range out {
		out[i] = tc.Entry(i).Score
	}
	return out
}

func sameTask(a, b task.Task) bool {
	return bytes.Equal(a.Level, b.Level) && slices.Equal(a.Params, b.Params) && a.Index == b.Index && a.Seed == b.Seed && a.Probe == b.Probe
}
