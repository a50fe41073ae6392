// Package her is a goal-conditioned off-policy student: deep deterministic
// policy gradient (DDPG; Lillicrap, Hunt, Pritzel, Heess, Erez, Tassa,
// Silver and Wierstra, "Continuous control with deep reinforcement
// learning", ICLR 2016) with hindsight experience replay (HER; Andrychowicz,
// Wolski, Ray, Schneider, Fong, Welinder, McGrew, Tobin, Abbeel and
// Zaremba, "Hindsight Experience Replay", NeurIPS 2017), as implemented by
// mrl (Pitis, Chan, Zhao, Stadie and Ba, "Maximum Entropy Gain Exploration
// for Long Horizon Multi-goal Reinforcement Learning", ICML 2020) in the
// configuration that Stein Variational Goal Generation (Castanet, Sigaud
// and Lamprier, ICML 2023) runs on its point mazes: protoge_config with
// train_svgg.py's networks.
//
// # Families
//
// The student learns in task.Episodic families with continuous actions
// whose environments implement task.GoalEnv and lay their observations out
// as (state, desired goal): the desired goal fills the last GoalSize values,
// as in gym's goal environments flattened (observation, desired goal). It
// checks this on a test task when it is built and at every training reset,
// since the task contract does not say where the goal sits. Its networks
// read the observation with the goal replaced by the goal being learned:
// the proposed goal, or a relabelled one.
//
// # Acting
//
// Learn plays one episode towards the goal of its task (the environment's
// Reset takes the task; for goalmaze the goal is the task's Params) in the
// student's own environment. Until initial_explore transitions are stored
// every action is uniform in [−1, 1]. Afterwards the action is the actor's,
// plus Gaussian noise of standard deviation action_noise (times the action
// range, 1 here), replaced with probability random_action + go_explore·k by
// a uniform random action, k being the number of steps of the episode so
// far that ended within reach of the goal (mrl's go_eexplore: once the goal
// is reached, exploration grows), and clipped to [−1, 1]. Every input the
// policy acts on during training updates the running means and variances
// that standardise the networks' inputs (mrl's MeanStdNormalizer: clip to
// ±200, standardise with ε 1e-8, clip to ±norm_clip). Evaluate plays the
// actor's action, without noise or random actions, in a second
// environment, without learning.
//
// # Replay and relabelling
//
// Transitions (state, action, next state, achieved goal after the step,
// the episode's goal) are stored episode by episode in a ring of
// replay_size transitions, the oldest overwritten first. A sampled
// transition keeps its own goal or is relabelled, with probabilities
// proportional to relabel_real, relabel_future, relabel_desired and
// relabel_achieved: a goal achieved at the same or a later step of its
// episode (HER's "future" strategy, mrl's idx + round(U·t_left)); the goal
// of a random stored transition; or the achieved goal of a random stored
// transition. The defaults 1:4:4:1 are mrl's rfaab_1_4_3_1_1 (real 1,
// future 4, actual 3, achieved 1, behavioural 1): mrl tells the
// environment's own desired goal ("actual") from the goal a curiosity
// module substituted ("behavioural"), whereas here the teacher's goal is
// the episode's only goal, so both draw from the stored goals. During the
// first future_warm_up environment steps every sample uses the future
// strategy, as mrl. HER's paper uses future alone with k = 4
// (relabel_real 1, relabel_future 4, the others 0). The reward of a
// sampled transition is recomputed with the environment's GoalReward for
// its (possibly new) goal, and a transition whose reward is at least
// terminal_reward (0: the goal reached) is terminal: its target does not
// bootstrap, as mrl does with first-visit success (dones = round(r + 1)),
// whether or not the episode went on (never_done bootstraps every
// transition).
//
// # Learning
//
// The actor π(x) = tanh(MLP(x)) and the critic Q(x, a) = MLP(x, a), x the
// standardised (state, goal), are mrl's FCBody networks: Dense, LayerNorm
// and GELU per hidden layer, then a linear head, with orthogonal weights
// of gain 1 and zero biases; each has a target copy. A gradient step
// samples batch_size transitions and
//
//   - regresses Q(x, a) on y = clip(r + γ'·Q'(x', π'(x')), −1/(1−γ), 0)
//     (γ' = 0 for terminal transitions; Q', π' the targets; the clip is the
//     return range of the −1/0 reward) by the mean squared error,
//   - then moves the actor down −mean Q(x, π(x)) + action_l2·mean π(x)²
//     through the updated critic,
//
// each with its own Adam, gradients clipped elementwise to ±grad_clip; the
// targets move by Polyak averaging with target_frac every target_every
// gradient steps. A step whose gradients are not finite is skipped and
// counted (Stats), so that the weights stay finite.
//
// # Defaults and differences from mrl
//
// The learning rule is protoge_config's: γ 0.98, Adam 1e-3 for both
// networks, action L2 0.1, Polyak 0.05 every 40 steps, targets clipped to
// [−50, 0], gradient values clipped at 5, warm-up 2500 and initial
// exploration 5000 transitions, action noise 0.1, random actions 0.1,
// go-explore 0.1, future warm-up 25,000 steps. What differs, and why:
//
//   - Compute. SVGG's networks have three hidden layers of 512 units and
//     take one gradient step of 2000 transitions per environment step (5
//     million steps on a GPU). A step of that size costs about a second on
//     a CPU core here. The defaults are two layers of 64 units, batches of
//     256 and one gradient step per two environment steps (hidden = [512,
//     512, 512], batch_size = 2000, optimize_every = 1 restore the
//     reference). With GELU the activations dominate the cost of a step
//     (erf and exp per unit); activation = "relu" is about three times
//     faster at these sizes, which the goal studies use.
//   - Schedule. mrl takes its gradient steps between environment steps, on
//     the episodes completed so far; here an episode is played first, then
//     the gradient steps its environment steps are owed (one per
//     optimize_every steps, fractions carried over, none owed before the
//     warm-up), since the teach loop hands the student one episode at a
//     time.
//   - One environment. mrl runs several environments in parallel (one per
//     CPU); the student plays one.
//   - Relabelling draws a strategy per sampled transition rather than
//     splitting the batch by a multinomial draw: the same distribution.
//
// DDPG rather than TD3 because the reference runs DDPG. A discretised,
// tabular goal-conditioned Q-learner was considered and not chosen: the
// success radius (0.15) is much finer than any table over positions and
// goals of the mazes can afford (a 0.1 grid gives 2,500 positions and as
// many goals per 5 × 5 maze), and a table does not generalise between
// goals, which is what hindsight relabelling exploits.
//
// # Randomness
//
// The weights come from the Init stream; exploration, minibatches and
// relabelling from the Batch stream; the training environment is made with
// the Env stream and the evaluation environment with the Eval stream, so
// that evaluating never shifts what training draws. The same streams give
// bit-identical weights and outcomes.
//
// # Speed
//
// Acting, storing, sampling and updating allocate nothing once the replay
// buffer and the caches are sized; the buffer starts with room for 65,536
// transitions and doubles as it fills, up to replay_size transitions of
// 2·state + action + 2·goal values (80 MB for a million goalmaze
// transitions).
// BenchmarkLearn reports environment steps per second including learning.
package her
