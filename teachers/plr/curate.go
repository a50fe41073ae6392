package plr

import (
	"fmt"
	"math/rand/v2"

	"github.com/teachbench/teachbench/task"
)

// The methods below let another teacher use PLR as the curator of a level
// buffer whose new levels it makes itself — REPAIRED (teachers/paired)
// gives each of its students a robust PLR buffer fed by its adversary. The
// caller makes the replay decision (ReplayDecision), then proposes either
// a stored level (Replay) or its own new level (Propose), and passes the
// outcome of each proposal to Update, one episode at a time, as with
// Sample. The caller decides for every proposal: cycle_steps, which makes
// Sample's decisions hold for a cycle of episodes, has no effect here. With
// cycle_steps 0, Sample is ReplayDecision followed by Replay or a level
// from the space's generator (and ACCEL's children, which these methods do
// not make).

// ReplayDecision draws from rng whether the next episode should replay a
// stored level, by the schedule Sample uses for each decision (per episode
// or per cycle): the buffer holds at least
// min_fill of its capacity, and u < replay_prob (fixed) or u < min(fill,
// replay_prob) (proportionate).
func (t *Teacher) ReplayDecision(rng *rand.Rand) bool { return t.replayDecision(rng) }

// Replay proposes a stored level drawn from P_replay with rng, to be
// learned from (Probe unset). It panics if the buffer is empty. The task's
// slices belong to the teacher and are valid until the next proposal.
func (t *Teacher) Replay(rng *rand.Rand) task.Task {
	if t.buf.n == 0 {
		panic("plr: Replay from an empty buffer")
	}
	t.startEpisode()
	return t.sampleReplay(rng)
}

// Propose proposes tk, a new level made by the caller, as Sample proposes
// a generated one: its Update scores it and offers it to the buffer, and a
// robust teacher returns it with Probe set. tk must be of the teacher's
// space; its slices must stay unchanged until Update, which copies what it
// keeps.
func (t *Teacher) Propose(tk task.Task) task.Task {
	if tk.Kind() != t.kind {
		panic(fmt.Sprintf("plr: Propose of a %s task to a teacher on a %s space", tk.Kind(), t.kind))
	}
	t.startEpisode()
	t.stats.New++
	t.pend = pending{kind: fresh, level: tk.Level, params: tk.Params, index: tk.Index, seed: tk.Seed}
	return t.pendingTask(t.p.Robust)
}
