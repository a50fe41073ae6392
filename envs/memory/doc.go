// Package memory holds the supervised memory families of teachbench: the
// N-parity and N-delayed-match-to-sample (N-DMS) sequence tasks of
// Khajehabdollahi, Zeraati, Giannakakis, Schäfer, Martius and Levina,
// "Emergent mechanisms for long timescales depend on training curriculum and
// affect performance in memory tasks" (ICLR 2024; reference code
// LevinaLab/rnn_timescale_public, src/tasks/tasks.py and training/train.py),
// and the Boolean functions on the hypercube of Abbe, Bengio, Lotfi and Rizk,
// "Generalization on the Unseen, Logic Reasoning and Degree Curriculum"
// (ICML 2023; reference code aryol/GOTU, examples.py and main.py).
//
// All three families are task.Supervised: a student draws batches from the
// family's task.Data and one training step on one batch is one step of the
// budget. Batches are a pure function of the task (its index, its group and
// its seed), so that the same task always yields the same batch.
//
// # N-parity and N-DMS (families "parity" and "dms")
//
// Tasks are indexed by N, the memory span: a Discrete chain N=2 → N=3 → … →
// N=n_max (task index i is N = i+2; its difficulty is its depth i; score
// bounds [0.5, 1], chance to perfect accuracy, for teachers that normalise
// scores such as mastering rate with signal = "score"), and a Box
// view with one dimension "N" in [2, n_max] (easy end low) whose value θ is
// rounded half up to N = ⌊θ + 0.5⌋. With that rounding every N inside the
// range owns a unit interval of θ and the two ends own half a unit each, so
// a Box teacher sampling θ uniformly proposes 2 and n_max half as often as
// the others. The Discrete chain comes first in Spaces().
//
// A batch for a task whose group lists the indices of N₁, …, N_k (a single N
// without a group) is built exactly as the reference builds the batch of a
// head list:
//
//   - The sequence length M is drawn once per batch uniformly from
//     {N+2, …, N+1+⌊len_span·N⌋}, N being the largest N of the group. With
//     the default len_span = 3 that is {N+2, …, 4N+1}, the reference's
//     np.random.randint(N+2, 4N+2). (A later commit of the reference cuts the
//     parity range to len_span = 1.5 "to save time"; set len_span to have
//     it.)
//   - Inputs are one value per step, the bit (0 or 1).
//   - Parity bits are Bernoulli(p) with p ~ U(0, 1) drawn per sequence
//     (deliberately unbalanced sequences, the reference's
//     generate_binary_sequence). The reference's later batched generator
//     draws one p per batch; bias = "batch" reproduces it.
//   - DMS bits are Bernoulli(1/2).
//   - Targets are read at the last step, one per task of the group, in group
//     order, as class numbers 0/1: for N-parity, the sum of the last N bits
//     modulo 2; for N-DMS, 1 if and only if x[M−N] = x[M−1] (0-based), that
//     is the bit N−1 steps before the last equals the last bit (the
//     reference's vec[-N] == vec[-1]).
//
// The randomness of a batch comes from a PCG generator seeded with the task's
// seed; the generator given to NewData is not used.
//
// The test set is every N of the chain. The family implements task.Evaluator:
// at each evaluation it asks the student's Evaluate, eval_batches times per
// N, on Task{Index: N−2} (no group, so the student answers with the head it
// last trained N on) and takes the mean Score as the accuracy of N. Each
// such call draws one fresh test batch for N alone (M drawn from N's own
// range; the reference tests the heads of its current list together, on
// batches whose length follows the largest N of the list: the curriculum
// teachers of teachers/timescale do that for their advance rule). N is
// mastered when its accuracy is at least mastery (0.98, the paper's 98 %);
// `mastered` is the percentage of N in 2..n_max mastered. Extra metrics:
//
//	acc_mean   mean accuracy over the test range
//	max_n      the largest N such that every N' ≤ N is mastered (0 if N = 2 is not)
//	max_n_any  the largest mastered N (0 if none): a single-head network that
//	           forgot the small N still shows the N it reached here
//	acc_<N>    the accuracy of each N, for forgetting curves
//
// # Boolean functions (family "boolean")
//
// Inputs are x ∈ {±1}^d and targets real values of a Boolean function,
// learned by regression. Targets (param target, with degree):
//
//	parity     ∏_{j<degree} x_j: a sparse parity (monomial) of the given degree
//	           on the first coordinates; degree 0 means d, the full parity of
//	           the paper's degree-curriculum experiment (full16parity*)
//	majority   sign(Σ_{j<degree} x_j), degree odd, default 3 (maj3dim40freeze2)
//	cyclic     Σ_{i<d} ∏_{m<degree} x_{(i+m) mod d}, default degree 3 (cyclic3dim15)
//	threesym   x₀x₁ − 1.25·x₁x₂ + 1.5·x₂x₀ (threesym)
//
// The task parameter is the radius k of the Hamming ball of the training
// inputs: a task of radius k trains on inputs with at most k coordinates
// equal to −1 (the reference's "Hamming weight ≤ k", Σx ≥ d − 2k), so small
// k is the easy end (near the all-(+1) corner every high-degree monomial
// agrees with a low-degree function). Views: a Discrete chain k=0 → k=1 → …
// → k=d (task index = k), first in Spaces() because k is an integer and the
// Degree-Curriculum works on integers; and a Box view "k" in [0, d] rounded
// half up as for N. A group trains on the ball of its largest radius; the
// target does not depend on the radius, so every target of a group is the
// same f(x).
//
// Sampling uniformly from the ball of radius k: the weight w (number of −1
// coordinates) is drawn with probability C(d, w) / Σ_{j≤k} C(d, j), then the
// w coordinates set to −1 are a uniformly random w-subset (a partial
// Fisher–Yates shuffle). Every point of the ball thus has probability
// 1/|ball|; this is also the law of uniform cube samples conditioned on the
// ball, which is what the reference's filtered training set follows.
//
// Training data: with train_size = 0 (the default) every batch draws fresh
// inputs, an infinite training set, so sample complexity is measured as
// the number of training examples seen (steps × batch size). With
// train_size = n > 0 the family reproduces the reference's finite training
// set: NewData draws n i.i.d. uniform cube points from its generator (the run's
// env stream), and a batch of radius k draws its inputs uniformly with
// replacement from the pool points inside the ball (the reference shuffles
// the filtered set into epochs instead; a batch here is a pure function of
// its seed). If no pool point lies in the ball, the smallest larger radius
// that holds one is used, as the reference widens its first ball until its
// data loader is not empty. The pool needs d ≤ 64.
//
// Evaluation (task.Evaluator) is stratified by Hamming weight: for every shell
// w = 0..d the student's Evaluate runs eval_batches times on inputs drawn
// uniformly from the shell (a test task whose Params are [w, w]: Box tasks
// with two values [lo, hi] name the inputs of weight lo..hi, and a third
// value 1 excludes the training pool; these test tasks belong to the family
// and are never proposed by teachers). The MSE on the whole cube is the exact
// binomial mixture Σ_w C(d,w)/2^d · mse_w, which estimates the full-cube test
// error of the reference with lower variance than uniform samples and scales
// to any d. The score of an evaluation is the cube mixture of the students'
// scores, its return minus the cube MSE. A shell is mastered when its MSE is
// below mastery_mse; `mastered` is the percentage of the d+1 shells mastered.
// Extra metrics:
//
//	mse            MSE on the whole cube
//	mastered_cube  the percentage of the cube's points in mastered shells
//	mse_unseen     with a training pool, the MSE on cube points outside the
//	               pool (uniform samples by rejection; NaN if the pool covers
//	               the cube): generalisation to inputs never trained on
//	mse_w<w>       the MSE on the shell of weight w
//	mse_out<k>     the MSE outside the ball of radius k (weights > k, exact
//	               binomial mixture of the shells), k = 0..d−1: the error on
//	               the unseen part for a student trained up to radius k — the
//	               family does not know how far a teacher went, so it reports
//	               every radius and the reader picks the one the curriculum
//	               reached (the teacher's stage, from samples.csv)
//
// The other "seen" conditions of the paper's table (x₀ = 1 or x₁ = 1, ...)
// are not task parameters here: this family's only knob is the ball radius.
package memory
