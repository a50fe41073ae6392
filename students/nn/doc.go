// Package nn is the small neural-network toolkit shared by teachbench's
// learning components: students (MLP, GRU and LSTM learners, PPO
// actor-critics, DDPG-style networks) and teachers that learn (GoalGAN's
// generator and discriminator, Setter-Solver's judge and flow, SVGG's
// success predictor). Networks are a few layers of a few hundred units, so
// the package is hand-written float64 code over gonum's BLAS rather than a
// general autodiff engine: every forward pass has an explicit backward pass,
// and every one is checked against finite differences in the tests.
//
// # Flat parameters
//
// A Params store holds the parameters of one or more networks in one
// contiguous []float64 and their gradients in another of the same length.
// Layers allocate their weights from a store when they are built and keep
// only Spans (offsets) into it. Whatever works on whole vectors therefore
// works on any set of networks at once: an Optimizer steps a store,
// ClipGradNorm clips by the global norm of a store, CopyFrom and
// SoftUpdate copy or Polyak-average a target store built the same way,
// MarshalBinary saves one, and CheckGradient perturbs Values directly.
//
// Choose stores by optimizer: networks trained by one optimizer share a store
// (PPO's actor and critic under one Adam with one gradient clip); networks
// with their own optimizers get their own (a GAN's generator and
// discriminator, each with its RMSProp; an online network and its target).
// Build all networks of a store before taking Values or Grads and before the
// first optimizer step.
//
// # Caller-owned caches
//
// Layers hold parameters only. A forward pass stores what its backward pass
// needs in a cache the caller owns and passes in:
//
//	var c nn.MLPCache
//	out := net.Forward(&c, x, batch) // out lives in c
//	...                               // compute dOut = ∂L/∂out
//	dx := net.Backward(&c, dOut)      // adds ∂L/∂θ to the store, returns ∂L/∂x
//
// so one network can run on several batches before backpropagating (a
// discriminator on real and on generated goals, with two caches), and
// nothing is allocated per call: caches grow to the largest batch (and, for
// recurrent cells, the longest sequence) seen and are reused. The lower-level
// Dense, LayerNorm and Activation work directly on caller slices.
//
// # Conventions
//
//   - Batches are row-major batch×features []float64. Dense weights are
//     Out×In row-major (PyTorch's nn.Linear layout): y = x·Wᵀ + b.
//   - Parameters are zero after construction (LayerNorm gains are one):
//     call Init with explicit Initializers and a *rand.Rand. TorchLinear is
//     PyTorch's default for nn.Linear; GlorotUniform is TF1's default.
//   - Backward passes add to the parameter gradients; call Params.ZeroGrad
//     before each accumulation. Dense, LayerNorm and the recurrent
//     OutputGrad buffers also add input gradients, so that several
//     consumers of one tensor (an actor head and a critic head on one
//     trunk) can each contribute; MLP.Backward returns a fresh ∂L/∂x.
//   - InputGrad methods return the gradient with respect to the input without
//     touching parameter gradients: training a GAN generator through a fixed
//     discriminator, or SVGG's gradients of the success predictor with
//     respect to goals.
//   - Losses return the mean over the batch and set grad to the gradient of
//     that mean, ready to pass to Backward.
//   - GRU and LSTM follow PyTorch's equations and gate orders (r, z, n and i,
//     f, g, o) with both input and hidden biases. A sequence is Begin (initial
//     state), Step per time step (optionally with a per-row reset mask),
//     gradients added to OutputGrad(t), then Backward for backpropagation
//     through time.
//   - Optimizers follow PyTorch's update formulas; RMSProp also offers TF1's
//     convention (NewRMSPropTF1), which GoalGAN's reference uses, and Adam
//     TF1's epsilon placement (EpsHat).
//
// # Recipes
//
// LSGAN step for GoalGAN (generator G and discriminator D in separate stores
// pg and pd, each with its own optimizer):
//
//	pd.ZeroGrad()
//	dReal := D.Forward(&cReal, real, n)       // targets ±1 from the labels
//	nn.MSE(gReal, dReal, labels)
//	D.Backward(&cReal, gReal)
//	fake := G.Forward(&cG, noise, n)
//	dFake := D.Forward(&cFake, fake, n)       // target −1
//	nn.MSE(gFake, dFake, minusOnes)
//	D.Backward(&cFake, gFake)
//	optD.Step()
//	pg.ZeroGrad()
//	dFake = D.Forward(&cFake, G.Forward(&cG, noise, n), n) // target +1
//	nn.MSE(gFake, dFake, ones)
//	G.Backward(&cG, D.InputGrad(&cFake, gFake))
//	optG.Step()
//
// (TF1's LSGAN sums the two discriminator terms of its stacked batch into one
// mean; weight the gradients accordingly.) Target networks: build the same
// architecture in a second store and call target.CopyFrom(online) once, then
// target.SoftUpdate(online, tau) after each step. Recurrent PPO: Begin with
// the stored state at the start of each training chunk, Step with the
// episode masks, feed the actor and critic heads from each Output(t), add
// their input gradients into OutputGrad(t), Backward, ClipGradNorm, Step.
//
// # Numerics and reproducibility
//
// Everything is float64 and sequential: the same inputs and seeds give
// bit-identical parameters. Matrix products go through gonum's blas64 one
// batch row at a time (Gemv for forward passes and input gradients, Ger for
// weight gradients, with the weight matrix walked in cache-sized blocks of
// rows), which uses gonum's assembly kernels on amd64. At the sizes of
// teachbench's networks this measured 1.2–2.3× faster than blas64.Gemm for
// forward and input-gradient products and on par for weight gradients
// (Gemm's serial kernel is a loop of dot products or axpys, and it spawns
// goroutines, which allocate and compete with the runner's workers, once the
// output spans 4 blocks of 64×64), and faster than register-tiled pure Go
// except for layers with a handful of inputs, where they tie. Calling
// blas64.Use with another implementation changes the arithmetic, as does
// building with GOAMD64=v3 or higher, where the compiler may fuse
// multiply-adds: results are then reproducible within a build but not
// across such builds.
//
// Forward passes only read parameters, so one network may run forward
// passes from several goroutines at once, each with its own cache, while
// nothing updates the store. Backward passes add to the shared gradients
// and optimizers write the values: those must not run concurrently.
//
// # Checking gradients
//
// CheckGradient compares an analytic gradient with central finite
// differences at a tolerance relative to max(1, |gradient|), and is meant for
// other packages' tests too: compute the loss and its gradients once, then
// pass a closure that recomputes the loss (forward only) together with
// Params.Values and a copy of Params.Grads, or with an input batch and its
// gradient.
package nn
