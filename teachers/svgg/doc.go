// Package svgg is the Stein Variational Goal Generation teacher of
// Castanet, Sigaud and Lamprier, "Stein Variational Goal Generation for
// adaptive Exploration in Multi-Goal Reinforcement Learning", ICML 2023
// (arXiv 2206.06719; reference code nicolascastanet/Stein-Variational-Goal-
// Generation, class SvgdEntropy in mrl/modules/curiosity.py, with
// mrl/utils/svgd.py, mrl/modules/success_prediction.py and mrl/utils/svm.py).
// The published code is a research snapshot that does not run as shipped;
// this package implements the algorithm it describes and documents every
// choice below.
//
// # Algorithm
//
// The teacher keeps m goal particles g_1..g_m in the goal space (a Box),
// a success predictor D(g) ∈ (0, 1) and a validity model p_valid(g), and
// moves the particles towards the target density
//
//	log p(g) = τ·f(D(g)) + log p_valid(g)
//
// where f favours goals of intermediate difficulty: the Beta(α, β)
// density of the predicted success (the density itself, not its log, as
// the reference's exp(Beta.log_prob(p))), whose mode (α−1)/(α+β−2) is 0.5
// for the "medium" (2, 2) of SVGG's commands; or the entropy of a Bernoulli
// of parameter D(g), the reference's choice without --alpha_beta. Each
// episode's goal is a particle drawn uniformly (with replacement), clipped
// into the goal space.
//
// The particles move by Stein variational gradient descent (Liu and Wang,
// NeurIPS 2016) with an RBF kernel k(x, y) = exp(−|x − y|²/(2σ²)):
//
//	φ(g_i) = (1/m)·Σ_j [k(g_j, g_i)·∇log p(g_j) + ∇_{g_j} k(g_j, g_i)]
//
// whose first term pulls particles towards high density and second pushes
// them apart. As the reference, the particles are not moved by a plain step
// but by Adam (PyTorch's update and defaults, learning rate svgd_lr 0.1) on
// the "gradient" −φ, with Adam's moments kept across updates. σ is fixed
// (sigma = 1, the reference's --sigma) or set at every update by the
// median heuristic, σ² = median(|g_i − g_j|²)/(2·log(m + 1)) with the
// median taken over the whole m×m matrix, zero diagonal included, as the
// reference's numpy median; in both cases the kernel's coefficient is
// 1/(2σ² + 1e-8) as the reference's RBF module. Non-finite scores and
// directions count as zero (the reference's nan_to_num).
//
// All gradients are analytic. With z(g) the predictor's logit:
//
//	∇_g τ·f(D(g)) = τ·(df/dz)·∇_g z,   df/dz = f·((α−1)(1−D) − (β−1)D)  (Beta),
//	                                    df/dz = −z·D·(1−D)               (entropy)
//
// where ∇_g z is the predictor network's input gradient (students/nn); the
// Beta density is computed as exp(−(α−1)·softplus(−z) − (β−1)·softplus(z)
// − log B(α, β)), stable for saturated predictions; and ∇ log p_valid is
// below. The kernel's gradient is ∇_{g_j} k(g_j, g_i) = 2γ(g_i − g_j)·k.
//
// # Schedule
//
// The reference counts agent optimisation steps, one per environment step
// (protoge_config's optimize_every 1), across its parallel environments.
// Here the periods are in environment steps as reported by each outcome
// (task.Outcome.Steps): Update walks through the steps an episode spent
// and, at each, fits the validity model every validity_every steps
// (--oe_prior 4000), fits the predictor every sp_every steps (--succ_oe
// 4000, once more than 60 episodes are stored), and runs svgd_steps SVGD
// iterations every svgd_every steps (--oe_part 20, --svgd_steps 1), in the
// reference's module order (validity, predictor, particles). Particle
// updates start once the predictor has been fitted and, with validity,
// the validity model too; until then goals come from the initial
// particles, drawn from N(0, I) as the reference (N(init_mean,
// init_std²·I), or uniform over the space with init = "uniform"). With 30
// steps per episode the defaults give 1.5 particle updates per episode and
// a refit every 133 episodes.
//
// # Success predictor
//
// An MLP of the goal with LayerNorm and GELU hidden layers (64, 64) and a
// linear head giving the logit (mrl's Critic(FCBody) with nn.LayerNorm,
// orthogonal weights of gain 1), trained by Adam (1e-3, kept across fits)
// on binary cross-entropy. Each fit draws sp_history = 300 episodes with
// replacement from the sp_recent = 1000 most recent (the reference draws
// --succ_hl 300 trajectories from the last succ_oe/4), labels each by its
// success (task.Outcome.Success: the goal reached at some step, mrl's
// label for first-visit success), oversamples the minority class to
// balance the two (when both are present), and runs sp_epochs = 60 passes,
// each over a fresh random order in sp_batches = 60 minibatches (the
// reference's --k_steps 60 epochs of 300/60 = 5-row minibatches).
//
// The predictor's input is the goal alone. The reference concatenates a
// start state to the goal but is inconsistent about which: it trains on
// (g, g) (its over_sampling puts the behavioural goal where the start
// should be unless --goal_predict) and queries (s_0, g) during SVGD, s_0
// being the evaluation environment's reset observation. The teacher does
// not see the start (the task contract gives it the goal and the outcome),
// and the point mazes start in a fixed cell (goalmaze draws the start
// within 0.45 of the start cell's centre), so the goal carries what the
// start would add; Aaronaferns's independent re-implementation uses the
// goal alone too.
//
// # Validity model
//
// The reference fits sklearn's OneClassSVM (ν 0.01, RBF γ 0.5) on 5000
// achieved goals from its replay buffer every 4000 steps, then calibrates
// its decision value s(g) into p_valid(g) = sigmoid(a·s(g) + b) by a
// logistic regression of the SVM's own inlier labels on s (200 full-batch
// Adam steps at 0.1 from a random normal start, classes balanced by random
// oversampling). Here the one-class score is the same RBF expansion with
// uniform weights, a kernel density level set:
//
//	s(g) = (1/n)·Σ_i exp(−γ|g − c_i|²) − ρ
//
// over n = validity_samples achieved goals c_i drawn with replacement, ρ
// being the ν-quantile of the first term over the c_i themselves, so that a
// fraction ν of the fitted goals lie outside the valid region (f < 0), as
// the one-class SVM's ν property. A one-class SVM's decision function is
// this expansion with sparse weights chosen by a quadratic program; the
// uniform-weight version needs no solver (no tolerance, no iteration
// count, deterministic), has the same kernel, the same ν semantics and the
// same smoothness, and its gradient is as simple. The calibration is the
// reference's, with the oversampling replaced by weighting each class by
// the inverse of its share (the same expected loss, without a draw), from
// a and b drawn N(0, 1) from the teacher's stream. Then
//
//	log p_valid(g) = −softplus(−(a·s(g) + b)),
//	∇ log p_valid(g) = sigmoid(−(a·s(g) + b))·a·(−2γ/n)·Σ_i k_i·(g − c_i).
//
// The model keeps particles where the student has been: out of walls and
// off the margin of invalid goals around the maze. Like the SVM's score,
// s saturates at −ρ far from every achieved goal, so a particle far
// outside feels no pull back (only the proposals are clipped into the
// space). On goalmaze's Maze 1, whose goal space extends 0.5 beyond the
// walls, the reference's γ = 0.5 (length scale 1) is wider than that
// margin: the Beta term draws the particles to the outer walls, where
// successes inside meet failures outside, and they drift out of the maze;
// validity_gamma = 8 keeps them inside (docs/studies/goals.md). The default
// stays the reference's. Its cost is an n-term sum per particle and update (n = 5000: 5
// × 10⁵ exponentials per SVGD iteration of 100 particles).
//
// The achieved goals are the episodes' final positions
// (task.Outcome.Achieved), at most achieved_capacity of them (oldest
// dropped first); the reference samples the achieved goal of every stored
// transition, which the task contract does not report.
//
// # Options the reference has, and what is left out
//
// The reference's annealing of the driving term (--annealed_trick: the
// score scaled by tanh((slope·t/period)^5), t the steps since the last
// predictor period; anneal, anneal_slope) and its projection of the
// particles into a ball (--use_proj, --l2_proj; project, project_centre,
// project_radius) are offered, off by default as in its commands;
// difficulty = "none" is its svgd_only_prior mode. Left out: the achieved
// goal KDE term (SVGG's commands pass --no_ag_kde), the gradient-norm
// cutoff (present but disabled in the reference: norm_cutoff is False),
// Monte Carlo dropout, and --goal_predict (Fetch's start-conditioned
// input).
//
// # Recovery
//
// When the environment changes (a passage closes), goals reached before
// start failing; as the predictor is refitted on recent episodes, its
// intermediate-success band moves to the new frontier and particles within
// its reach follow (TestParticlesTrackFrontier shows it on a synthetic
// student). Particles left on a plateau of confident failure move only
// through the kernel's repulsion, since the Beta term is flat there: the
// pull reaches as far as the predictor's transition from failure to
// success.
//
// # Bad outcomes, randomness, cost
//
// A task outside the goal space (wrong dimension, non-finite or
// out-of-bounds values; the teacher's own proposals never are) or an
// outcome with a step count below 0 or above 100,000 is ignored and counted
// in Stats.Ignored; a missing or non-finite achieved goal is left out of
// the validity model and counted. Predictor steps whose gradients are not
// finite are skipped. Every draw comes from the stream given to New (the
// runner gives Sample the same stream): same seeds, same proposals and
// particles, bit for bit. Sample and Update allocate nothing between fits.
// BenchmarkUpdate measures the amortised cost per episode.
package svgg
