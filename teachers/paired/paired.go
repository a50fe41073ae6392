package paired

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/ppo"
	"github.com/teachbench/teachbench/task"
	"github.com/teachbench/teachbench/teachers/plr"
)

// Step counters, the names the runner records as steps_<name>.
const (
	StepsAntagonist = "antagonist"
	StepsAdversary  = "adversary"
)

// Stats counts what the teacher did.
type Stats struct {
	// Cycles counts finished cycles, ReplayCycles those that replayed
	// stored levels (REPAIRED) and Levels the levels the adversary built.
	Cycles, ReplayCycles, Levels int
	// AdversaryUpdates counts the adversary's PPO updates.
	AdversaryUpdates int
	// Regret is the latest regret estimate, before normalisation and
	// clipping, and RegretSum the sum over the levels built.
	Regret, RegretSum float64
	// Solved counts the levels on which some episode of either student
	// reached a positive return.
	Solved int
	// Ignored counts outcomes that changed nothing: for a task other than
	// the one just proposed, or with a non-finite return.
	Ignored int
	// Unopposed counts cycles played without the antagonist that the
	// regret estimate needs, because no student factory was given (see
	// SetStudentFactory).
	Unopposed int
}

// play accumulates one student's episodes of a cycle.
type play struct {
	episodes, steps, longest int
	sum, max                 float64
}

func (p *play) add(o task.Outcome) {
	if p.episodes == 0 || o.Return > p.max {
		p.max = o.Return
	}
	p.episodes++
	p.steps += o.Steps
	p.longest = max(p.longest, o.Steps)
	p.sum += o.Return
}

// mean returns the mean return, 0 without episodes.
func (p *play) mean() float64 {
	if p.episodes == 0 {
		return 0
	}
	return p.sum / float64(p.episodes)
}

// Teacher is a PAIRED or REPAIRED teacher on a constructible Levels space.
// It implements task.Teacher, task.StudentOwner and task.StepCounter.
type Teacher struct {
	p     Params
	space task.Constructible
	rng   *rand.Rand // the construction stream: draws made in Update

	// The adversary: its construction environment, its agent and the
	// stream of its actions, minibatches and construction seeds.
	builder  task.Builder
	adv      *ppo.Agent
	advRng   *rand.Rand
	advObs   []float64
	advDone  int // construction episodes ended since the last update
	rewardSD runningStd

	ant    task.Student
	antErr error

	// REPAIRED: each student's robust PLR buffer.
	proBuf, antBuf *plr.Teacher

	// The cycle in progress.
	inCycle bool
	replay  bool   // this cycle replays stored levels
	level   []byte // the level built for this cycle (nil on replay cycles)
	seed    uint64
	pending task.Task
	pro     play
	antPlay play

	antSteps, advSteps int64
	stats              Stats
}

// New returns a PAIRED (or, with p.Replay, REPAIRED) teacher on space,
// which must be a task.Constructible Levels space. The adversary's weights
// and its stream are drawn from rng, which the teacher also keeps for the
// draws it makes outside Sample (the antagonist's replays): in the runner
// it is the teacher stream that Sample receives.
func New(p Params, space task.Space, rng *rand.Rand) (*Teacher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	c, ok := space.(task.Constructible)
	if !ok {
		return nil, fmt.Errorf("paired: the %s space %T cannot be built step by step (it does not implement task.Constructible): PAIRED's adversary needs a construction environment", space.Kind(), space)
	}
	if rng == nil {
		return nil, errors.New("paired: New needs the teacher's random stream")
	}
	t := &Teacher{p: p, space: c, rng: rng}
	init := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
	t.advRng = rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
	t.builder = c.NewBuilder(t.advRng)
	spec := t.builder.Actions()
	if spec.Discrete < 2 {
		return nil, fmt.Errorf("paired: the construction environment has actions %+v: want at least 2 discrete actions", spec)
	}
	adv, err := ppo.NewAgent(p.adversary(), t.builder.ObsSize(), spec, init)
	if err != nil {
		return nil, fmt.Errorf("paired: adversary: %w", err)
	}
	t.adv = adv
	t.advObs = make([]float64, t.builder.ObsSize())
	t.rewardSD = newRunningStd()
	if p.Replay {
		if t.proBuf, err = plr.New(p.buffer(), space, nil); err != nil {
			return nil, fmt.Errorf("paired: protagonist's buffer: %w", err)
		}
		if t.antBuf, err = plr.New(p.buffer(), space, nil); err != nil {
			return nil, fmt.Errorf("paired: antagonist's buffer: %w", err)
		}
	}
	return t, nil
}

// SetStudentFactory receives the runner's factory of students; the teacher
// builds its antagonist with it, unless the regret estimate (minimax) needs
// none. If the factory fails, the next Sample panics with its error (the
// runner records the run as failed). A teacher that never receives a
// factory — driven outside the runner — plays every cycle without an
// antagonist, as if the antagonist had played no episode (its best and
// mean returns count as 0), and counts such cycles in Stats.Unopposed.
func (t *Teacher) SetStudentFactory(newStudent func(name string) (task.Student, error)) {
	if t.needsAntagonist() {
		t.ant, t.antErr = newStudent(StepsAntagonist)
	}
}

func (t *Teacher) needsAntagonist() bool { return t.p.Regret != RegretMinimax }

// StepNames returns the names of the steps the teacher spends of its own:
// the antagonist's episodes and the adversary's construction steps.
func (t *Teacher) StepNames() []string { return []string{StepsAntagonist, StepsAdversary} }

// CountSteps writes the cumulative antagonist and adversary steps into dst.
func (t *Teacher) CountSteps(dst []int64) { dst[0], dst[1] = t.antSteps, t.advSteps }

// Stats returns the teacher's counters.
func (t *Teacher) Stats() Stats { return t.stats }

// Adversary returns the adversary's agent, for diagnostics.
func (t *Teacher) Adversary() *ppo.Agent { return t.adv }

// Buffers returns the protagonist's and the antagonist's PLR buffers
// (REPAIRED), or nil.
func (t *Teacher) Buffers() (protagonist, antagonist *plr.Teacher) { return t.proBuf, t.antBuf }

// Sample proposes the protagonist's next episode. At the start of a cycle
// it makes the cycle's decisions: REPAIRED's replay decision, and, unless
// the cycle replays, the adversary builds a level. Within a cycle it
// proposes the cycle's level again (PAIRED), the level again to be probed
// (REPAIRED, new level), or a stored level drawn from the protagonist's
// buffer (REPAIRED, replay). The task's slices belong to the teacher and
// are valid until the next Sample.
func (t *Teacher) Sample(rng *rand.Rand) task.Task {
	if t.antErr != nil {
		panic(fmt.Sprintf("paired: building the antagonist: %v", t.antErr))
	}
	if !t.inCycle {
		t.startCycle(rng)
	}
	switch {
	case t.replay:
		t.pending = t.proBuf.Replay(rng)
	case t.p.Replay:
		t.pending = t.proBuf.Propose(t.levelTask())
	default:
		t.pending = t.levelTask()
	}
	return t.pending
}

func (t *Teacher) levelTask() task.Task { return task.Task{Level: t.level, Seed: t.seed} }

// startCycle decides what the cycle plays and has the adversary build its
// level.
func (t *Teacher) startCycle(rng *rand.Rand) {
	t.inCycle = true
	t.pro, t.antPlay = play{}, play{}
	t.replay = false
	if t.p.Replay {
		t.replay = t.proBuf.ReplayDecision(rng) && (t.ant == nil || t.antBuf.Len() > 0)
	}
	if !t.replay {
		t.build()
	}
}

// build has the adversary play one construction episode. The episode stays
// open until the regret, its only reward, is known.
func (t *Teacher) build() {
	b, obs := t.builder, t.advObs
	b.Reset(task.Task{Seed: t.advRng.Uint64()}, obs)
	t.adv.Begin()
	for {
		r, status := b.Step(t.adv.Act(obs, t.advRng), obs)
		t.adv.Reward(r)
		t.advSteps++
		if status.Done() {
			break
		}
	}
	level := b.Level()
	if level == nil {
		panic("paired: the construction environment ended an episode without a level")
	}
	t.level = append(t.level[:0], level...)
	t.seed = t.advRng.Uint64()
	t.stats.Levels++
}

// Update records the protagonist's episode; once the protagonist has played
// its share of the cycle, the antagonist plays its share, the regret is
// computed and given to the adversary, which updates with PPO every
// adv_episodes levels.
func (t *Teacher) Update(tk task.Task, o task.Outcome) {
	if !t.inCycle || !sameTask(tk, t.pending) || !finite(o.Return) || o.Steps < 1 {
		t.stats.Ignored++
		return
	}
	if t.p.Replay {
		t.proBuf.Update(tk, o)
	}
	t.pro.add(o)
	if !t.shareDone(&t.pro) {
		return
	}
	if t.ant != nil {
		t.playAntagonist()
	} else if t.needsAntagonist() {
		t.stats.Unopposed++
	}
	if !t.replay {
		t.reward()
	} else {
		t.stats.ReplayCycles++
	}
	t.stats.Cycles++
	t.inCycle = false
}

// shareDone reports whether a student has played its share of the cycle:
// level_episodes episodes, or else as many whole episodes as fit in
// level_steps, judging that the next one would last as long as the longest
// so far (dcd's rollout of num_steps steps on the level, where an episode
// cut at the end of the rollout does not count).
func (t *Teacher) shareDone(p *play) bool {
	if t.p.LevelEpisodes > 0 {
		return p.episodes >= t.p.LevelEpisodes
	}
	return p.steps+p.longest > t.p.LevelSteps
}

// playAntagonist has the antagonist play its share of the cycle: the level
// (PAIRED: learning; REPAIRED: probing), or levels replayed from its own
// buffer (REPAIRED, learning).
func (t *Teacher) playAntagonist() {
	for !t.shareDone(&t.antPlay) {
		var o task.Outcome
		switch {
		case t.replay:
			tk := t.antBuf.Replay(t.rng)
			o = t.ant.Learn(tk)
			t.antBuf.Update(tk, o)
		case t.p.Replay:
			tk := t.antBuf.Propose(t.levelTask())
			o = probe(t.ant, tk)
			t.antBuf.Update(tk, o)
		default:
			o = t.ant.Learn(t.levelTask())
		}
		t.antSteps += int64(o.Steps)
		if !finite(o.Return) || o.Steps < 1 {
			// A faulty outcome still counts its steps against the
			// share, so that the cycle ends.
			t.antPlay.steps += max(o.Steps, 1)
			t.antPlay.episodes++
			continue
		}
		t.antPlay.add(o)
	}
}

// probe plays tk without learning: Prober.Probe, or Evaluate for students
// without it (as the runner does).
func probe(s task.Student, tk task.Task) task.Outcome {
	if p, ok := s.(task.Prober); ok {
		return p.Probe(tk)
	}
	return s.Evaluate(tk)
}

// reward gives the adversary the regret of the level it built, ends its
// construction episode, and updates it once adv_episodes have ended.
func (t *Teacher) reward() {
	r := regret(t.p.Regret, &t.pro, &t.antPlay)
	t.stats.Regret = r
	t.stats.RegretSum += r
	if t.pro.max > 0 || (t.antPlay.episodes > 0 && t.antPlay.max > 0) {
		t.stats.Solved++
	}
	if t.p.AdvNormalizeReturns {
		t.rewardSD.add(r)
		r /= math.Sqrt(t.rewardSD.variance + 1e-8)
	}
	if c := t.p.AdvClipReward; c > 0 {
		r = min(max(r, -c), c)
	}
	t.adv.Reward(r)
	t.adv.End(task.Terminated, nil)
	t.advDone++
	if t.advDone >= t.p.AdvEpisodes {
		t.adv.Update(t.advRng)
		t.advDone = 0
		t.stats.AdversaryUpdates++
	}
}

func sameTask(a, b task.Task) bool {
	return a.Seed == b.Seed && a.Probe == b.Probe && bytes.Equal(a.Level, b.Level) && a.Params == nil && a.Level != nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
