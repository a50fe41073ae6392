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
// As the reference, every validity_every steps (--oe_prior 4000) the
// teacher fits a one-class SVM (Schölkopf et al. 2001; ν 0.01, RBF γ 0.5,
// sklearn's OneClassSVM defaults otherwise) on validity_samples = 5000
// achieved goals drawn with replacement, and calibrates its decision value
//
//	s(g) = Σ_i α_i·exp(−γ|g − c_i|²) − ρ,   0 ≤ α_i ≤ 1,  Σ_i α_i = ν·n,
//
// into p_valid(g) = sigmoid(a·s(g) + b) by a logistic regression of the
// SVM's own inlier label (s > 0) on s at the fitted goals (200 full-batch
// Adam steps at 0.1 from a and b drawn N(0, 1), the classes balanced by
// weighting each by the inverse of its share where the reference
// oversamples at random: the same expected loss without the draw). The SVM
// is solved as libsvm does (and so sklearn): SMO with second-order working
// sets to a KKT tolerance of 1e-3, in libsvm's scaling, where α sums to
// ν·n (50 here) rather than 1; goals drawn more than once are merged into
// one point whose bound is its count, which leaves the solution unchanged.
// A fit costs 28–42 CPU-ms and keeps 59–84 support vectors
// (BenchmarkValidityFit), and the gradient
//
//	∇ log p_valid(g) = sigmoid(−(a·s(g) + b))·a·∇s(g),
//	∇s(g) = −2γ·Σ_i α_i·exp(−γ|g − c_i|²)·(g − c_i),
//
// is a sum over the support vectors only.
//
// The scale matters. Fitted on a unit-wide corridor, the calibrated model
// gives log p_valid ≈ 0 inside, −2 at the corridor's edge, −38 half a unit
// beyond it and about −140 far away: against the Beta term's range of
// τ·1.5 = 15 nats, goals off the reached region are ruled out, and a
// particle just outside is pushed back in. (An earlier version of this
// package used the same expansion with uniform weights 1/n, a kernel
// density level set; its scores were about ν·n = 50 times smaller, the
// calibration's 200 steps of at most 0.1 cannot make up for that, and
// p_valid varied by about one nat between inside and outside, so the
// particles settled on the outer walls of the mazes and left them:
// docs/studies/goals.md.) Far from every achieved goal s saturates at −ρ
// and the pull back fades; only the proposals are clipped into the space.
//
// The achieved goals are those of every step (task.Outcome.Path; the final
// position, task.Outcome.Achieved, for a family that does not record a
// path), as the reference samples the achieved goal of every transition in
// its replay buffer. Up to achieved_capacity = 10⁶ are kept, then a uniform
// reservoir of all those reported, which is what sampling the reference's
// 5·10⁶-transition buffer amounts to.
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
// success. In goalmaze's recovery study the particles sat on cells whose
// route the change closed, where every goal then failed, and stayed there
// for tens of thousands of steps (docs/studies/goals.md).
//
// # Bad outcomes, randomness, cost
//
// A task outside the goal space (wrong dimension, non-finite or
// out-of-bounds values; the teacher's own proposals never are) or an
// outcome with a step count below 0 or above 100,000 is ignored and counted
// in Stats.Ignored; an outcome without a usable path or achieved goal
// (missing, of the wrong dimension or not finite) adds nothing to the
// validity model and is counted in Stats.IgnoredAchieved. Predictor steps whose gradients are not
// finite are skipped. Every draw comes from the stream given to New (the
// runner gives Sample the same stream): same seeds, same proposals and
// particles, bit for bit. Sample and Update allocate nothing between fits.
// BenchmarkUpdate measures the amortised cost per episode.
package svgg
