// Package ars is the Augmented Random Search student: Mania, Guy and Recht,
// "Simple random search of static linear policies is competitive for
// reinforcement learning", NeurIPS 2018 (arXiv 1803.07055; reference code
// github.com/modestyachts/ARS), version V2-t by default.
//
// # The algorithm
//
// The policy is static and linear, a = clip(M·z, −1, 1), on the normalised
// observation z = (s − μ)/σ, with M (actions × observations) starting at
// zero. An iteration draws N directions δ₁…δ_N with standard normal entries,
// plays every one as an antithetic pair of rollouts with M + ν·δ_k and
// M − ν·δ_k, ranks the directions by max(r⁺_k, r⁻_k), keeps the best b, and
// steps
//
//	M ← M + α/(b·σ_R) · Σ_{best b} (r⁺_k − r⁻_k)·δ_k
//
// where σ_R is the standard deviation of the 2b returns used. r± are the
// rollouts' sums of rewards, each reward minus shift (the paper subtracts
// the survival bonus of its MuJoCo tasks: 1 for Hopper, Walker2d and Ant, 5
// for Humanoid). V2 normalises by the mean μ and standard deviation σ of
// every state the training rollouts visited since the start; V1
// (normalize_obs = false) uses the raw observation; b = N is ARS without
// "-t".
//
// The option policy = "mlp" runs the same search on a small network (tanh
// hidden layers of sizes hidden, a linear output clipped to [−1, 1]) built
// on students/nn: its flattened parameters play the role of M. Its hidden
// layers start from PyTorch's default initialisation, drawn from the run's
// init stream, and its output layer at zero, so that it too starts with the
// zero action: were all its parameters zero, the ± rollouts would differ
// only through the output biases and the search could never move the hidden
// layers.
//
// # The student contract
//
// Learn(t) runs one whole iteration on task t: 2N episodes, every one of
// them on t (same parameters, same seed, hence the same terrain and start
// state in the walker), then the update. Both rollouts of a pair thus face
// identical conditions (the reference resets its environments with
// different random starts), and so do all directions, which removes the
// task's own variation from the comparison. The outcome given to the
// teacher is the mean over the call's episodes of their returns and scores
// as the environment computes them, success when at least half of the
// episodes succeeded by the environment's rule, and Steps the total number
// of environment steps, so that a budget in steps counts every simulated
// step. The runner counts one Learn call as one "episode": give walker
// sweeps a budget in steps.
//
// With directions_per_learn = k, Learn plays only the next k directions of
// the current iteration (2k episodes) on its task and the update happens in
// the call that completes the N directions, so the teacher hears about
// every k directions instead of every N. An iteration then mixes the
// teacher's tasks: each pair is still antithetic on one task, but the
// ranking by max(r⁺, r⁻) favours directions that drew easy tasks, and σ_R
// includes the spread between tasks, which shrinks the steps. The default
// (0, all N) keeps each update on one task, as in the paper.
//
// Evaluate(t) plays t once with M itself (no perturbation) without updating
// the normalisation statistics, as the reference's evaluation rollouts do.
// Episodes last as long as the environment lets them (the walker's max_steps;
// the reference caps MuJoCo rollouts at their 1000-step limit).
//
// # Observation normalisation
//
// As in the reference code, the policies of an iteration all use the same
// frozen (μ, σ); the states they act on (every observation of a training
// rollout but the last) are accumulated per episode with Welford's algorithm
// and merged, episode by episode in their fixed order, into the running
// statistics after the update, which then give the next iteration's (μ, σ).
// Before any statistics the normalisation is the identity. σ is the sample
// standard deviation; coordinates whose σ is below 1e-7 are zeroed, as the
// reference does by setting their σ to infinity.
//
// A linear V2 policy has no bias: its intercept is −M·μ/σ, tied to its
// slopes. On goal-reaching tasks this creates a self-reinforcing fixed
// point: the policy settles where the observation equals its running mean,
// the states it then visits pull the mean there, and the goal is never
// reached (TestLearnsToReach shows it on a 1-D task). Use V1 or the MLP, whose
// hidden biases free the intercept, for such tasks; locomotion does not
// have the problem.
//
// # Hyperparameters
//
// The paper tunes (α, ν, N, b) per task and has no BipedalWalker: Hopper α =
// 0.01, ν = 0.025, N = 8, b = 4; HalfCheetah 0.02, 0.03, 32, 4; Walker2d
// 0.03, 0.025, 40, 30; Ant 0.015, 0.025, 60, 20; Humanoid 0.02, 0.0075, 230,
// 230 (rl-baselines3-zoo's tuned ARS for gym's BipedalWalker-v3 uses an MLP
// with one hidden layer of 16, 0.02, 0.0075, 64, 32 and a shift of 0.1, for
// 10⁸ steps). The defaults here, N = 8, b = 4, α = 0.02, ν = 0.03 and no
// shift, were chosen by training on the walker family's flat tracks; see
// DefaultParams for what was measured. Random search on the walker has two
// traps: standing still (return about −5), which the zero-reward-for-
// staying-up shaping makes a local optimum that some seeds keep for millions
// of steps, and, with a shift, falling at once. Expect a spread between
// seeds, as the paper reports for its tasks.
//
// # Differences from the reference code
//
//   - Directions are drawn afresh from the run's batch stream (direction by
//     direction, N·len(M) standard normals per iteration) rather than read at
//     random offsets of a shared table of 2.5·10⁸ precomputed normals: the
//     same distribution, without the table.
//   - Exactly b directions are kept, ties in max(r⁺, r⁻) going to the lower
//     index; the reference keeps every direction at or above the
//     (1 − b/N) percentile, more than b when there are ties.
//   - When σ_R is zero (all returns used are equal) or a return is not
//     finite, the update is skipped and counted in Stats.SkippedUpdates; the
//     reference divides by zero. The normalisation statistics are still
//     updated.
//   - The rollouts of a call run on goroutines (parallel) instead of Ray
//     workers, each with its own environment; see below.
//
// # Parallel rollouts and determinism
//
// parallel goroutines (0: GOMAXPROCS) play a call's episodes, each owning an
// environment and a policy copy and taking the next episode from a shared
// counter. Every episode writes its return, outcome and state statistics to
// its own slot, the directions are drawn before the goroutines start, and
// the slots are combined in episode order, so the results are bit-identical
// whatever parallel is, provided the environments draw their randomness from
// the task's seed (as every teachbench family does) rather than from the
// generator NewEnv receives, which is per environment here. Note that
// parallel is a parameter like the others and so part of a run's key: two
// configs that differ only in parallel give their runs different random
// streams. The runner already runs one run per core; use parallel when a
// sweep has fewer runs than cores.
//
// # Allocation
//
// Stepping allocates nothing in the student: actions, normalised
// observations and network caches are buffers owned by each goroutine's
// worker. With parallel = 1 a whole Learn or Evaluate call allocates
// nothing; with more, starting the goroutines costs a few allocations per
// call. (The walker's physics engine itself allocates a little per step.)
package ars
