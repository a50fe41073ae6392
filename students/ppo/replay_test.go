package ppo

import (
	"math"
	"testing"

	"github.com/teachbench/teachbench/task"
)

// TestReplayMatchesActing checks that the training pass over a rollout
// reproduces the log-probabilities and values computed while acting, before
// any update: recurrent chunks restart from the stored states and reset at
// episode boundaries exactly as acting did.
func TestReplayMatchesActing(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func() task.Env
		mod  func(*Params)
	}{
		{"feed-forward", func() task.Env { return &corridor{length: 5, horizon: 9} }, nil},
		{"recurrent", func() task.Env { return &memory{delay: 4} }, func(p *Params) { p.Recurrent, p.SeqLen = true, 7 }},
		{"recurrent/separate", func() task.Env { return &corridor{length: 5, horizon: 9} },
			func(p *Params) { p.Recurrent, p.SeqLen, p.SharedTrunk = true, 4, false }},
		{"continuous/recurrent", func() task.Env { return new(target) }, func(p *Params) { p.Recurrent, p.SeqLen = true, 3 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultParams()
			p.NSteps = 1000
			if tc.mod != nil {
				tc.mod(&p)
			}
			s := newStudent(t, p, tc.env, 3)
			for seed := range uint64(7) {
				s.Learn(task.Task{Seed: seed})
			}
			L := 1
			if p.Recurrent {
				L = p.SeqLen
			}
			tr := &s.tr
			tr.advN = grow(tr.advN, s.buf.n)
			chunks := make([]int, (s.buf.n+L-1)/L)
			for i := range chunks {
				chunks[i] = i
			}
			tr.gather(chunks, L)
			tr.loss(false)
			if s.stats.ApproxKL != 0 || s.stats.ClipFraction != 0 {
				t.Errorf("approx KL %v, clip fraction %v: want 0 before any update", s.stats.ApproxKL, s.stats.ClipFraction)
			}
			for r := range tr.rows {
				if tr.weight[r] == 0 {
					continue
				}
				if d := math.Abs(tr.pass.value[r] - tr.vOld[r]); d > 1e-12 {
					t.Fatalf("row %d: replayed value %v, acting value %v", r, tr.pass.value[r], tr.vOld[r])
				}
			}
		})
	}
}
