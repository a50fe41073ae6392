// Package ppo is a proximal policy optimisation student (Schulman, Wolski,
// Dhariwal, Radford and Klimov, "Proximal Policy Optimization Algorithms",
// 2017) with generalised advantage estimation (Schulman, Moritz, Levine,
// Jordan and Abbeel, "High-Dimensional Continuous Control Using Generalized
// Advantage Estimation", ICLR 2016). It learns in any task.Episodic family:
// the mazes of unsupervised environment design, key-and-door gridworlds
// (with its recurrent core), and continuous-control walkers. Its defaults
// are those of the PPO students of the environment-design papers — PAIRED
// (Dennis et al., "Emergent Complexity and Zero-shot Transfer via
// Unsupervised Environment Design", NeurIPS 2020), robust PLR (Jiang,
// Dennis, Parker-Holder, Foerster, Grefenstette and Rocktäschel,
// "Replay-Guided Adversarial Environment Design", NeurIPS 2021) and ACCEL —
// as set in their reference code, facebookresearch/dcd, for the 25-block
// maze, with a smaller network and rollout (below).
//
// # Policy and network
//
// Discrete actions get a categorical policy over the actor head's logits.
// Continuous actions get a diagonal Gaussian whose means are the actor
// head's outputs and whose log standard deviations are learned parameters
// that do not depend on the state (log_std_init, 0 by default), as in dcd's
// and Stable-Baselines3's PPO. The sample a is stored and its
// log-probability is the Gaussian's; the environment receives a clipped to
// [−1, 1]. Clipping, rather than squashing with tanh, keeps the
// log-likelihood exact and the ratio simple (no Jacobian correction); its
// cost is that samples beyond the bounds all act alike, so a policy whose
// mean leaves [−1, 1] learns nothing from how far it went. Evaluation uses
// the clipped mean.
//
// The actor-critic is a trunk (an MLP over the observation, ReLU, as dcd's
// convolutional trunk), an optional GRU core (recurrent = true), and two
// heads, each a tanh MLP (dcd: one layer of 32) ending in the logits or
// means, and in the value. With shared_trunk (dcd) both heads read one trunk
// and core; otherwise each head has its own copy. Weights are initialised
// as in dcd (after Kostrikov's pytorch-a2c-ppo-acktr): orthogonal with gain
// √2 for hidden layers, 0.01 for the logits and 1 for the Gaussian means
// (dcd's Categorical and DiagGaussian heads), 1 for the value output and
// the recurrent weights, biases zero. The networks are built from
// students/nn; actor and critic share one parameter store, one Adam and one
// gradient clip.
//
// # Learning
//
// Learn plays one episode of its task on the student's own environment,
// sampling actions from the policy, and appends its transitions to the
// rollout. As soon as the episode ends, its advantages are computed by
// GAE(γ, λ) with the values seen while acting, bootstrapping from V(s_T)
// when the episode was truncated by its time limit and from 0 when it
// terminated (bootstrap_truncation = false treats truncation as termination,
// as dcd does by default), and the value targets are advantage + value.
// Once the rollout holds n_steps transitions, PPO updates the network:
// n_epochs passes, each over n_minibatches minibatches drawn from a fresh
// random order, each taking one Adam step on
//
//	L = −mean min(ρ·Â, clip(ρ, 1−ε, 1+ε)·Â) + c_v·mean L_V − c_e·mean H(π)
//
// with ρ = π(a|s)/π_old(a|s), advantages Â standardised over the rollout
// ((A − mean)/(std + 1e-5), as dcd), the value loss L_V clipped as dcd's
// (½·max((V−R)², (V_old + clip(V−V_old, −ε, ε) − R)²); mse and huber are
// options), and the global gradient norm clipped to max_grad_norm. Episodes
// are never split: an episode longer than what remains of the rollout makes
// that rollout longer than n_steps, and the update waits for it. The
// rollout is then emptied.
//
// With the recurrent core the rollout is cut into consecutive chunks of
// seq_len steps (the last one padded; padding carries no loss), each
// starting from the recurrent state stored while acting, with the state
// reset where an episode starts inside a chunk. Minibatches are sets of
// chunks, and gradients flow back through time over each chunk (truncated
// backpropagation through time). With the default seq_len = n_steps = 256 a
// rollout of 256 steps is one sequence, as each of dcd's 32 processes
// contributes one 256-step sequence, and what a longer rollout holds beyond
// is a second, padded one. A shorter seq_len wastes less on padding and
// allows more minibatches, at the cost of a shorter horizon for the
// gradient (not for the state, which is carried from chunk to chunk). The
// feed-forward network treats every transition as a chunk of one.
//
// # Signals
//
// Learn and Probe attach to the environment's outcome the learning signals
// that teachers use, computed from the episode's GAE advantages A_t (before
// standardisation) and values V(s_t) seen while acting:
// PositiveValueLoss = mean max(A_t, 0) (PLR's pvl score), L1ValueLoss =
// mean |A_t|, MeanAbsAdvantage = mean |A_t| (the same number: the
// advantages of the update the episode takes part in are only known once
// the rollout is full, after the teacher needs them), MeanValue = mean V(s_t)
// (for MaxMC, which teachers compute from the returns they track) and
// ValueEstimate = V(s_0). MaxReturn is left to the teachers.
//
// Probe plays exactly like Learn, signals included, but forgets the episode,
// so robust PLR and ACCEL can score new levels without the student learning
// from them. Evaluate plays without learning and without signals. By default
// it samples its actions from the policy (the Eval stream), which is how dcd
// evaluates (its eval.py and training-time evaluator default to
// deterministic = false): a memoryless greedy policy on a partially observed
// maze often walks in circles. With stochastic_eval = false it plays the
// greedy action (discrete) or the clipped mean (continuous), as
// TeachMyAgent evaluates its walkers. Value returns V(s_0) of a task without
// playing it, for SPDL. Neither changes the student.
//
// # Agent
//
// [Agent] is the same actor-critic and PPO for callers that step an
// environment themselves — a teacher whose adversary builds levels action by
// action (PAIRED) — and whose rewards may arrive after the fact: the
// adversary's reward, the regret, is known only once two students have
// played the level it built. An episode is Begin, Act on each observation
// (the step is recorded with reward 0), Reward as rewards become known, and
// End, which computes the episode's GAE advantages; Update runs PPO once the
// rollout is Ready. Student is a thin driver of the same machinery over its
// own environments: an Agent driven through the same episodes with the same
// streams ends with the same weights, bit for bit (a test checks it).
//
// # Randomness
//
// The student draws from the run's streams only: Init for the weights,
// Batch for training actions (Learn and Probe) and minibatch orders, Eval
// for stochastic evaluation. Learn and Probe act in an environment made with
// the Env stream; Evaluate and Value in a second one made with the Eval
// stream, so that evaluating never shifts what the learning environment
// draws. The same streams give bit-identical weights and outcomes.
//
// # Defaults and differences from dcd
//
// The hyperparameters are dcd's for the 25-block maze: lr 1e-4, Adam eps
// 1e-5, γ 0.995, λ 0.95, 5 epochs of 1 minibatch, clip 0.2, clipped value
// loss with coefficient 0.5, entropy coefficient 0.01 (dcd's DR and PLR
// configs; 0 for PAIRED's), gradient norm 0.5. What differs, and why:
//
//   - Network: dcd reads the maze's 5×5×3 view with a 16-filter 3×3
//     convolution and its direction through a 5-unit embedding, into an
//     LSTM of 256 units and heads of 32. Here a feed-forward trunk of 32
//     ReLU units reads the flat observation into tanh heads of 32, which
//     learns at about 60,000 environment steps per CPU-second, updates
//     included (a GRU core of 64 units: about 12,000; of 256: about 1,300).
//     Set recurrent = true and recurrent_size = 256 for dcd's memory (a GRU
//     rather than an LSTM: smaller and faster at equal size, and what dcd's
//     recurrent walker uses).
//   - Rollout: dcd collects 32 environments × 256 steps = 8,192
//     transitions per update; here one environment collects n_steps = 256
//     (plus the end of the last episode). An update therefore takes 32
//     times as many Adam steps per transition; with budgets of a few
//     hundred thousand steps instead of dcd's 250 million this still
//     learns slowly at lr 1e-4: on 5-wall random mazes the training solve
//     rate went from about 26% to about 55% in 400,000 steps at 1e-4,
//     and to about 90% at 3e-4 or 1e-3. Raise lr for short budgets.
//   - Time limits: dcd's handle_timelimits is false by default, so a
//     truncated episode's last step is treated as terminal; here it is
//     bootstrapped (bootstrap_truncation = false restores dcd's rule).
//   - Minibatches: dcd's feed-forward sampler drops the remainder when the
//     rollout does not divide evenly; here every transition lands in a
//     minibatch of nearly equal size.
//
// dcd's BipedalWalker student is a different network and schedule; to
// follow it set trunk = [], actor_hidden = critic_hidden = [64, 64] (its
// separate tanh actor and critic MLPs), n_steps = 2048 (dcd: × 16
// processes), n_minibatches = 32, lr = 3e-4, gamma = 0.99, gae_lambda =
// 0.9 and entropy_coef = 1e-3. Its value output is initialised with gain √2
// where the maze network's has 1; here it is always 1.
//
// # Bad values
//
// A minibatch whose gradient is not finite is skipped (Stats counts it) so
// that the weights stay finite. Non-finite rewards or observations make the
// episode's signals or return non-finite, and the runner rejects that
// outcome with an error naming the student; a continuous action that is NaN
// is passed to the environment, which rejects it.
//
// # Speed
//
// Acting, collecting and updating allocate nothing after warm-up (the
// rollout and the caches grow to the largest rollout seen and are reused).
// BenchmarkLearn measures Learn on an environment of the maze's sizes that
// costs nothing, in steps per second of wall-clock and of CPU time; runner's
// BenchmarkPPOMaze measures it on the real maze. The matrix products are
// gonum's BLAS one batch row at a time (see students/nn), so their cost
// per transition does not depend on n_steps or n_minibatches: it is about
// n_epochs × (forward + backward) + 1 forward per environment step.
package ppo
