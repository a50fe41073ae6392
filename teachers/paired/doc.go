// Package paired is PAIRED (Dennis, Jaques, Vinitsky, Bayen, Russell,
// Critch and Levine, "Emergent Complexity and Zero-shot Transfer via
// Unsupervised Environment Design", NeurIPS 2020) and REPAIRED (Jiang,
// Dennis, Parker-Holder, Foerster, Grefenstette and Rocktäschel,
// "Replay-Guided Adversarial Environment Design", NeurIPS 2021): one
// teacher, two settings. The reference code is facebookresearch/dcd
// (envs/runners/adversarial_runner.py, envs/multigrid/adversarial.py, the
// 25-block maze configurations); facebookresearch/minimax and
// DramaCow/jaxued were read for the regret estimates they add.
//
// Three agents take part. The adversary, a PPO agent owned by the teacher,
// builds a level step by step in the family's construction environment
// (task.Constructible; the maze family's is dcd's GoalLast protocol: walls,
// then the goal, then the agent). The protagonist, the run's student, plays
// it; the antagonist, a second student of the run's kind and parameters
// that the teacher owns (task.StudentOwner), plays it too. The adversary's
// only reward, given at the end of its construction episode, is the regret
// estimate: by default dcd's max(0, best antagonist return − mean
// protagonist return), so the adversary seeks levels that the antagonist
// can solve and the protagonist cannot. All three learn every cycle, as in
// dcd (the paper's training of the antagonist "to optimality" first is not
// what the code does, google-research/google-research#850).
//
// REPAIRED (replay = true) adds robust PLR: each student keeps its own PLR
// buffer (a teachers/plr teacher used as a curator, see plr.Teacher.Propose).
// Each cycle makes the replay decision on the protagonist's buffer (dcd's
// default level sampler). A new-level cycle has the adversary build a level
// that both students only probe (task.Task.Probe: played without learning,
// the learning signals kept) and that each offers to its own buffer, scored
// by its own episodes; the adversary is rewarded with the regret as in
// PAIRED. A replay cycle has each student learn from levels drawn from its
// own buffer, a fresh draw for every episode as dcd's rollouts do. So the
// students learn only from replayed levels, and the adversary's levels serve
// as the "new" levels of robust PLR. The defaults are dcd's
// mg_25b_repaired.json: MaxMC score, rank prioritisation at temperature
// 0.1, staleness 0.3, replay probability 0.95 under dcd's proportionate
// schedule (replay iff the buffer is half full and u < min(fill, 0.95); the
// plr package's own default is the fixed schedule), buffers of 4000 levels,
// and a feed-forward adversary.
//
// # One episode at a time
//
// dcd runs 32 environments: a cycle is 32 levels, each played by each
// student for a rollout of 256 steps (episodes restarting on the same
// level, an episode cut at the end of the rollout not counting in the
// regret), then one PPO update of each student and of the adversary. The
// runner here drives the protagonist one episode at a time (Sample, Learn
// or Probe, Update), so a cycle is one level:
//
//   - Sample proposes the cycle's level (or, REPAIRED, a replayed level)
//     until the protagonist has played its share; Update records each
//     episode. Then, still inside Update, the antagonist plays its share
//     through its own Learn (or Probe) calls, the regret is computed, and
//     the adversary's episode ends with it as reward.
//   - A share is level_steps (dcd's num_steps, 256) of whole episodes:
//     another episode starts only while one as long as the longest so far
//     still fits, so a student that fails a 250-step level plays it once and
//     one that solves it in 20 steps plays it 12 times, about the episodes
//     that complete within dcd's 256-step rollout. level_episodes > 0 fixes
//     the number of episodes instead.
//   - The adversary's rollout is counted in construction episodes:
//     adv_episodes = 32 levels per PPO update, the batch of dcd's 32
//     processes. The adversary thus updates as often per protagonist step
//     as dcd's (one update per 32 · 256 student steps), while the student,
//     whose rollout is 256 steps from one environment, updates 32 times as
//     often per step as dcd's.
//
// # Regret estimates
//
// regret chooses the adversary's reward from the returns of the cycle's
// episodes on the level: paired (dcd, also minimax's relative_regret),
// max(0, max_ant − mean_pro); flexible (dcd's flexible_paired), the student
// with the higher best return plays the antagonist; minimax, −max_pro, for
// an adversary that only hinders the protagonist (no antagonist is built or
// played); mean-relative (minimax), max(0, mean_ant − mean_pro); population
// (minimax), max(max_pro, max_ant) − (mean_pro + mean_ant)/2; unclipped
// (jaxued), max_ant − mean_pro. With adv_normalize_returns the reward is
// divided by the running standard deviation of the rewards (OpenAI
// baselines' RunningMeanStd, as dcd), then clipped to ±adv_clip_reward if
// that is set (dcd's defaults: neither).
//
// # The adversary
//
// The adversary is a ppo.Agent, the PPO of students/ppo driven step by step
// with its reward given after the fact: this teacher imports students/ppo
// as a library, the one student package a teacher imports, because the
// adversary is itself a PPO learner (but not a student of the family: it
// acts in the construction environment, not in the family's). Its
// hyperparameters are dcd's for the maze (lr 1e-4, Adam eps 1e-5, γ 0.995,
// λ 0.95, 5 epochs of 1 minibatch, clip 0.2, clipped value loss with
// coefficient 0.5, entropy 0 in both PAIRED and REPAIRED configurations,
// gradient norm 0.5, standardised advantages). Its network is smaller:
// dcd's reads the 15 × 15 × 3 grid with a 128-filter 3 × 3 convolution,
// embeds the time step into 10 units, appends the 50-value noise z, runs an
// LSTM of 256 units (PAIRED; none for REPAIRED) and heads of 32; here a
// ReLU layer of 32 units reads the construction environment's flat
// observation (for the maze, a one-hot code per cell, the step as a one-hot
// and z: 754 values), followed by a GRU of 32 units for PAIRED
// (adv_recurrent) and tanh heads of 32. The observation holds the whole
// partial level and the step, so the construction MDP is Markov but for the
// noise; dcd's REPAIRED runs without the recurrent core.
//
// # Equal-budget accounting
//
// The runner's budget counts the protagonist's steps only, probes included.
// The teacher reports its own (task.StepCounter) as steps_antagonist, the
// antagonist's environment steps, and steps_adversary, the construction
// steps (walls + 2 per level for the maze), which the runner records in
// run.json and as eval.csv columns, so that results can be compared at
// equal protagonist steps or at equal total steps.
//
// # Deliberate differences from dcd
//
//   - One level per cycle and whole episodes, as above. dcd cuts the last
//     episode of a rollout; here it is finished, and the share rule keeps
//     the total near level_steps.
//   - On replay cycles dcd still updates its adversary, on the construction
//     rollout left in its storage from the last new-level cycle with the
//     replay cycle's regret (of replayed levels it did not build, the
//     antagonist's different from the protagonist's) as final reward. Here
//     the adversary learns only from the regrets of levels it built, as the
//     REPAIRED paper's algorithm describes.
//   - REPAIRED replays only when the antagonist's buffer is not empty; it
//     fills with the protagonist's, so this never binds in practice.
//   - The antagonist is built by the runner's student factory: the run's
//     student kind and parameters, with random streams of its own.
//   - Networks are smaller (above); the adversary's observation is the
//     construction environment's, not dcd's grid encoding.
//
// # Bad input and cost
//
// Update ignores, and counts in Stats.Ignored, an outcome for a task other
// than the one just proposed, or between cycles, or with a non-finite
// return or no steps: the cycle goes on as if the episode had not been
// played. A faulty antagonist outcome counts its steps towards the share
// but not its return. The runner passes neither. A teacher driven outside
// the runner without a student factory has no antagonist: it plays its
// cycles unopposed, the antagonist's returns counting as 0, and counts them
// in Stats.Unopposed (a failing factory, on the contrary, stops the run
// with its error). The same parameters, space and streams give the same
// levels, weights and tasks.
//
// Sample and Update allocate nothing in steady state beyond what the
// construction environment's Level returns (the maze's: one 32-byte
// encoding per level) and, for REPAIRED, the PLR buffers' slot copies while
// they fill. The teacher's own cost is dominated by the adversary's PPO
// updates, 5 epochs over 32 × 27 transitions of 754 inputs every 32
// levels: BenchmarkEpisode measures, with students that cost nothing and
// 60-step episodes (4 per cycle), about 0.7 ms of CPU per protagonist
// episode with the feed-forward adversary and about 1.6 ms with the
// recurrent one, that is 3–7 ms per level. On the maze with PPO students
// (400,000 protagonist steps, a shared 2-core machine) the teacher's
// Sample and Update took 1.9 times the CPU of the protagonist's own
// learning: about 1.0 for the antagonist's learning (as much as a second
// student) and 0.9 for the adversary, so a PAIRED run costs about 2.9 times
// a domain-randomisation run at equal protagonist steps.
package paired
