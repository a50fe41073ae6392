// Package plr is Prioritized Level Replay (Jiang, Grefenstette and
// Rocktäschel, "Prioritized Level Replay", ICML 2021), its robust variant
// PLR⊥ (Jiang, Dennis, Parker-Holder, Foerster, Grefenstette and
// Rocktäschel, "Replay-Guided Adversarial Environment Design", NeurIPS 2021)
// and ACCEL (Parker-Holder, Jiang, Dennis, Samvelyan, Foerster, Grefenstette
// and Rocktäschel, "Evolving Curricula with Regret-Based Environment
// Design", ICML 2022): one teacher, three settings. The reference code is
// facebookresearch/dcd (level_replay/level_sampler.py,
// envs/runners/adversarial_runner.py); DramaCow/jaxued and
// facebookresearch/minimax were read for the points where they differ.
//
// The teacher keeps a buffer of levels with a score each (an estimate of the
// student's regret on the level) and, for every cycle of cycle_steps
// environment steps (dcd's rollout; or for every episode), either replays
// stored levels, each drawn with probability P_replay = (1−ρ)·P_S + ρ·P_C,
// or proposes new ones from the space's generator. After each episode the
// level's score is computed from the outcome; a replayed level's score is
// updated, a new level enters the buffer if there is room or if it scores at
// least as high as the level it would displace. Robust PLR (robust = true)
// probes new levels: the student plays them without learning (Task.Probe),
// so that it learns only from the curated replays. ACCEL (edit_prob > 0)
// adds an editor: the levels of a replay cycle are mutated by num_edits
// random edits each, and the children are probed in the next cycle, scored,
// and offered to the buffer like new levels.
//
// # Cycles
//
// The reference collects rollouts of 32 parallel environments, 256 steps
// each, and makes one replay decision per rollout cycle: every environment
// of a cycle replays buffered levels (learned) or plays new ones (probed
// when robust), and ACCEL edits the levels of a replay cycle and rolls the
// student out on the children in the cycle that follows. The teach loop
// here plays one episode at a time (Sample → Learn or Probe → Update) in
// one environment, so a cycle is a run of consecutive episodes:
//
//   - A decision holds until its episodes have played at least cycle_steps
//     environment steps (Outcome.Steps, probes included; at least one per
//     episode), then the next is drawn at the next Sample. The presets use
//     256, dcd's rollout length per environment (students/ppo's rollout is
//     256 steps too), so the student sees the same sequence of decisions
//     per environment step as each of dcd's 32 environments does, and the
//     share of steps it learns from is set by the decisions, not by episode
//     lengths: about replay_prob for robust PLR, replay_prob/(1 +
//     replay_prob) for ACCEL with edit_prob 1 (a child cycle after every
//     replay cycle); measured on the 25-wall maze at 1.5M steps, 47% for
//     robust PLR and 39–40% for ACCEL (nominally 50% and 44%).
//   - The decision: replay iff the buffer is at least min_fill full and
//     u < replay_prob (schedule fixed, as jaxued and minimax), or u <
//     min(fill, replay_prob) (schedule proportionate, dcd's default; it
//     equals fixed for the PLR settings, where replay_prob = min_fill =
//     0.5, and ramps ACCEL's 0.8 up from 0.5 as the buffer fills).
//   - In a replay cycle each episode draws its own level from P_replay (by
//     mixture: from P_C with probability ρ, else from P_S, which is exact),
//     as each of dcd's environments samples a level when it resets; in a
//     new-level cycle each episode plays a freshly generated level.
//   - ACCEL: after a replay cycle that scored at least one replay, with
//     probability edit_prob the next cycle is a child cycle (otherwise a
//     decision is drawn). Its episodes play edits of the levels the replay
//     cycle played, in the order played (cycling if the child cycle needs
//     more episodes than there were replays), as dcd's base_levels
//     "batch" edits its replayed batch. dcd's shipped ACCEL configs use
//     "easy" instead, which edits only the 4 replayed levels of lowest
//     mean return − L1 value loss (each several times); that selection is
//     not offered. The parents are copied when replayed, so
//     a child cycle edits them as they were even if its own children
//     displace them from the buffer, as dcd edits the levels in its
//     environments. After a child cycle a decision is drawn.
//   - An episode's score is the per-episode value of the score function,
//     computed from its Outcome in Update, where dcd merges steps of
//     episodes split across rollouts and scores only episodes that ended
//     within a rollout. Every episode here is complete.
//
// Differences from dcd's cycles. One environment instead of 32: a cycle is
// 32 times fewer steps, so decisions are 32 times more frequent per step
// played but equally frequent per environment step; a replay cycle draws
// about as many levels as one of dcd's environments does, not 32 times as
// many. dcd cuts every environment's rollout at exactly 256 steps; here the
// episode that crosses cycle_steps runs to its end, so a cycle overshoots
// by less than one episode, and the overshoot is longest for long
// episodes: on the maze, a new-level cycle whose probes time out plays two
// 250-step episodes (500 steps) where dcd's plays 256, which lowers a
// robust teacher's learning share below replay_prob while such probes are
// common (early in training). Larger cycle_steps shrink the overshoot
// relative to the cycle. In dcd's new-level and child cycles an
// environment whose episode ends restarts the same level, as we read
// adversarial_runner.py (only replay cycles draw a new buffered level at
// each episode end), so each new level
// or child is played for a whole rollout and scored over its episodes;
// here every episode of such a cycle plays another new level or child,
// scored on that one episode, so a cycle of short episodes offers more
// levels to the buffer than one of dcd's environments would.
//
// cycle_steps = 0 decides every episode instead: every Sample is a replay
// decision, and with editing a child of the level just replayed follows
// each replay, with probability edit_prob, without a decision. Since
// unsolved probes run to the horizon and solved replays are short, the
// student then learns from a share of the steps set by episode lengths: on
// the 25-wall maze at 1.5M steps, 42% for robust PLR and 21–23% for ACCEL
// (docs/studies/maze-ued.md keeps these runs as an ablation).
//
// # Scores
//
// The score functions read the learning signals a student attaches to its
// Outcome (see task.Signal):
//
//   - maxmc: R_max − mean_t V(s_t), dcd's grounded_signed_value_loss and
//     jaxued's MaxMC, with V from task.MeanValue. R_max is the highest
//     return ever seen on the level, this episode's included: tracked by the
//     teacher for stored levels (as dcd's grounded_values), raised to the
//     student's task.MaxReturn when it reports one. A level's R_max starts
//     afresh when it enters the buffer, as in the references.
//   - grounded: max(0, R_max − mean V). dcd's grounded_positive_value_loss
//     clips each step, mean_t max(0, R_max − V(s_t)); with only the episode
//     mean of V available, the clip applies to the mean (a lower bound of
//     dcd's value, equal when V(s_t) ≤ R_max throughout).
//   - pvl: task.PositiveValueLoss, mean_t max(A_t, 0) (dcd
//     positive_value_loss).
//   - l1-value: task.L1ValueLoss, mean_t |A_t| (dcd value_l1).
//   - regret: R_max − return, MaxMC with the episode's own return in place
//     of the critic's estimate.
//   - progress: |return − return of the level's previous episode|, 0 on a
//     level's first episode: absolute learning progress on the level, a
//     one-step form of dcd's tscl_window score.
//
// A student without a critic (the synthetic toy and curriculum learners)
// reports none of the signals, and the score named by fallback is used
// instead (counted in Stats.Fallbacks); fallback none ignores such outcomes.
// A robust teacher's probes reach the student's task.Prober, which should
// report the signals too; a student without one is probed through Evaluate,
// whose outcomes may lack them and are then scored by the fallback.
// The default fallback is progress: regret is zero on a level's first
// episode and stays zero for a learner that never does worse on a level
// than before — the noiseless synthetic learners — so it cannot tell levels
// apart, while progress is the signal that the teachers designed for those
// learners use (ALP-GMM, the learning-progress bandits). Under both,
// first-seen levels score 0, so in a full buffer a new level displaces the
// slot it competes for only if that level showed no progress (score ≤ 0).
// Scores use the raw return. On the toy family (20,000 episodes, 3 seeds,
// default parameters, evaluated every 1000 episodes) plr ends at 66.7 ±
// 3.8% of cells mastered with the progress fallback and at 4.3 ± 0.6%, as
// random (4.3 ± 0.6%), with the regret one: a sweep with teachers plr,
// plr with fallback = "regret", and random on env toy, run by bench run.
//
// # The buffer
//
//   - Rank prioritisation: P_S(l_i) ∝ (1/rank_i)^(1/β), rank 1 the highest
//     score. Power: P_S ∝ (max(S_i, 0) + ε)^(1/β), ε = 1e-3 without
//     staleness and 0 with it (dcd); a zero total falls back to uniform.
//   - Staleness: P_C(l_i) ∝ c − C_i, where c is a clock and C_i its value
//     when level i was last played (replayed, inserted, or matched by a
//     duplicate); uniform when every staleness is zero. staleness_clock
//     replays ticks c at every replay, as dcd (whose staleness counters
//     grow only when a replay is sampled); episodes ticks it at every
//     episode, as jaxued and minimax.
//   - Unfilled slots have weight 0 in both terms; slots fill in order.
//   - A new level (or ACCEL child) takes the next free slot whatever its
//     score. In a full buffer it competes for the slot of lowest replay
//     probability (evict replay_support, dcd's default) or lowest score
//     (evict score), ties to the lowest slot, and replaces it iff its score
//     is ≥ the slot's (dcd, minimax) or, with strict_replace, > (jaxued).
//   - A replayed level's score becomes (1−α)·S + α·score (score_alpha α,
//     dcd's level_replay_alpha, default 1: overwrite); R_max and the last
//     return are updated.
//   - With dedupe (default, as jaxued's duplicate_check and minimax's
//     force_unique), a new level or child identical to a stored level
//     updates that entry like a replay and resets its staleness, instead of
//     taking a second slot. Identity: equal encodings for levels; equal
//     parameters (bitwise) or index, and equal seed, for Box and Discrete
//     tasks.
//
// # Defaults
//
// plr and robust-plr (DefaultParams, RobustParams) follow dcd's 25-block
// maze configurations of the robust PLR paper (mg_25b_plr.json and
// mg_25b_robust_plr.json): MaxMC score, rank prioritisation with temperature
// 0.1, staleness 0.3, replay probability 0.5, minimum fill 0.5, buffer 4000,
// α = 1, replay_support eviction with ≥. accel (ACCELParams) follows dcd's
// ACCEL maze configuration (mg_60b_uni_accel_empty.json): robust, positive
// value loss, temperature 0.3, replay probability 0.8, edit probability 1,
// 5 edits. The alternatives are parameters: minimax's maze PLR uses
// temperature 0.3; jaxued's maze_plr.py uses replay 0.8, temperature 0.3 and
// strict replacement; minimax's ACCEL uses MaxMC, 20 edits and staleness
// 0.5; dcd's BipedalWalker runs use buffer 1000, staleness 0.5, PVL and (for
// ACCEL) replay 0.9 and 3 edits; dcd's 60-block robust PLR uses PVL with
// temperature 0.3. The shipped dcd runs override its command-line score
// (value_l1), minimum fill (1) and replay probability (0), but not its
// proportionate schedule: the default here is the fixed schedule of jaxued
// and minimax, which is the same for the PLR settings; set schedule =
// "proportionate" to reproduce dcd's ACCEL run exactly.
//
// # ACCEL from empty or easy levels
//
// ACCEL grows complexity from trivial levels. On a Levels space the
// generator belongs to the family, so the start is set there: for the maze
// family, walls = 0 (empty rooms, goal and agent placed at random) and
// editor = "walls_none_goal", as dcd's ACCEL maze env:
//
//	[[env]]
//	name = "maze"
//	label = "maze-empty"
//	[env.params]
//	walls = 0
//	editor = "walls_none_goal"
//
//	[[teacher]]
//	name = "accel"
//
// On a Box there is no generator: new tasks are drawn uniformly from the
// fraction start_fraction of each range at its easy end (task.Dim.Easy; a
// dimension that does not say uses its whole range), 0.1 for accel —
// dcd's BipedalWalker ACCEL draws its new levels from "easy" ranges of 6–8%
// of the full ones — and 1 (the whole box) for plr and robust-plr.
//
// # Box and Discrete spaces
//
// On a Box or Discrete space a "level" is the exact task, parameters or
// index plus seed, replayed as is; new tasks are drawn uniformly (from the
// start region on a Box). ACCEL on a Box edits like dcd's BipedalWalker
// mutation: each of num_edits edits picks a dimension uniformly (with
// replacement), a direction in {−1, 0, +1} and moves it by edit_step times
// the dimension's range (most of dcd's fixed steps are 4% of their ranges), clipped
// to the box; the child gets a fresh seed. Editing is refused on a Discrete
// space, whose tasks have no structure to edit. On a small Discrete space,
// size buffer_size to it: with identity (index, seed), the buffer holds
// repeated indices with different seeds.
//
// # Deliberate differences from the reference code
//
//   - Tied scores share their ranks' mass equally (each gets the mean of
//     the tie group's rank weights). dcd and jaxued rank ties in argsort
//     order, which with temperature 0.1 gives one of two tied levels over
//     a thousand times the other's probability for no reason; ties are
//     common under the fallback scores and at the start of training.
//   - Ranks are taken among filled slots only (jaxued); dcd ranks the
//     unfilled slots too, at score 0, which shifts the ranks of stored
//     negative (MaxMC) scores while the buffer fills.
//   - dcd's max_score_coef (mixing the maximum of per-step scores into the
//     episode mean) needs per-step scores that an Outcome does not carry:
//     the episode mean is used, which is dcd's default (max_score_coef 0).
//   - The staleness transform is dcd's default, power with temperature 1,
//     that is, linear in c − C_i; other staleness transforms are not
//     offered. Score transforms other than rank and power (dcd's softmax,
//     eps_greedy, max, match; jaxued's topk) are not offered.
//   - dcd's reject_unsolvable_seeds (default off) needs level knowledge the
//     teacher does not have.
//
// # Use by other teachers
//
// A teacher that makes its own new levels can use a Teacher as the curator
// of a level buffer: ReplayDecision draws Sample's replay decision, Replay
// proposes a stored level, Propose proposes the caller's new level (probed
// when robust), and Update scores each proposal as it scores Sample's.
// REPAIRED (teachers/paired) gives each of its students a robust teacher
// fed by its adversary this way. The caller makes one decision per
// proposal, so cycle_steps has no effect on these methods. With cycle_steps
// 0, ReplayDecision followed by Replay or a generated level draws exactly
// what Sample draws.
//
// # Bad input and cost
//
// Update ignores, and counts in Stats.Ignored, an outcome whose return or
// used signals are not finite, an outcome for a task other than the one the
// last Sample proposed (or with no Sample before it), and with fallback none
// an outcome without the needed signal: the buffer, clocks and R_max stay as
// they were. The runner never passes such outcomes. Same parameters, space
// and random stream give the same tasks.
//
// Stored levels are copies in per-slot buffers that are reused when a slot
// changes hands, so in steady state Sample and Update allocate nothing of
// their own (a Levels space's Generate and Mutate return new levels; ACCEL's
// parent copies reuse their buffers from cycle to cycle). The
// slots are kept sorted by score incrementally: a score change moves one
// slot with a binary search and a memmove, so a replay costs O(log N)
// searches (a rank drawn from a precomputed table, staleness from a Fenwick
// tree) and no sort is ever redone. A new level competing for a full buffer
// costs one O(N) pass to write out P_replay and find its minimum. Measured
// on a shared 2-core machine (BenchmarkEpisode, teacher only, 32-byte
// levels), at N = 4000: a replay 0.26–0.27 µs, a new level 18–27 µs,
// robust PLR's mix of the two about 10–11 µs and ACCEL's 11–14 µs per
// episode, in 256-step cycles of 10-step episodes or deciding every episode
// alike (N = 1000: 2–3 µs; N = 100: 0.4–0.5 µs), against the milliseconds of a student's
// episode; re-ranking by a full sort every episode, as the references'
// argsort does, would take 0.4 ms at N = 4000 (BenchmarkRankFromScratch).
package plr
