package goalgan

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
	"github.com/teachbench/teachbench/task"
)

// gan is the least-squares GAN of GoalGAN (rllab-curriculum's FCGAN with
// gan_type "lsgan"): a generator noise → hidden (ReLU) → d (tanh) and a
// discriminator d → hidden (leaky ReLU 0.1) → 1 (linear), each in its own
// store with its own RMSProp in TF1's convention. It works in normalised
// goal space, where the task box is [−1/output_scale, 1/output_scale]^d.
type gan struct {
	d, noise, batch int

	genParams, discParams nn.Params
	gen, disc             *nn.MLP
	genOpt, discOpt       *nn.RMSProp

	// Training scratch; caches grow to the largest batch and are reused.
	genCache, discCache, fakeCache nn.MLPCache
	fake                           []float64 // the last generated batch, in genCache
	z                              []float64 // batch × noise
	stack                          []float64 // (batch + batch) × d: real rows, then generated rows
	target, grad                   []float64 // batch + batch
	ones, fakeGrad                 []float64 // batch

	// Sampling.
	sampleCache nn.MLPCache
	z1          []float64

	skipped int // optimizer steps skipped for a non-finite loss or gradient
}

// ganConfig sizes a gan.
type ganConfig struct {
	d, noise, batch int
	genHidden       []int
	discHidden      []int
	genLR, discLR   float64
	discLeakySlope  float64
	initRNG         *rand.Rand
}

func newGAN(c ganConfig) *gan {
	g := &gan{d: c.d, noise: c.noise, batch: c.batch}
	g.gen = nn.NewMLP(&g.genParams, append(append([]int{c.noise}, c.genHidden...), c.d), nn.ReLU{}, nn.Tanh{})
	g.disc = nn.NewMLP(&g.discParams, append(append([]int{c.d}, c.discHidden...), 1), nn.LeakyReLU{Slope: c.discLeakySlope}, nn.Identity{})
	// TF1's xavier_initializer (uniform) for kernels, zero biases.
	g.gen.Init(c.initRNG, nn.GlorotUniform{}, nn.Zeros{})
	g.disc.Init(c.initRNG, nn.GlorotUniform{}, nn.Zeros{})
	g.genOpt = nn.NewRMSPropTF1(&g.genParams, c.genLR)
	g.discOpt = nn.NewRMSPropTF1(&g.discParams, c.discLR)
	b := c.batch
	g.z = make([]float64, b*c.noise)
	g.stack = make([]float64, 2*b*c.d)
	g.target, g.grad = make([]float64, 2*b), make([]float64, 2*b)
	g.ones, g.fakeGrad = make([]float64, b), make([]float64, b)
	for i := range g.ones {
		g.ones[i] = 1
	}
	g.z1 = make([]float64, c.noise)
	return g
}

// sample sets dst (d values) to one generator output, in normalised space,
// drawing the noise from rng.
func (g *gan) sample(dst []float64, rng *rand.Rand) {
	for i := range g.z1 {
		g.z1[i] = rng.NormFloat64()
	}
	copy(dst, g.gen.Forward(&g.sampleCache, g.z1, 1))
}

// train runs iters outer iterations of FCGAN.train on the n goals x
// (n × d, normalised) with labels y (0 or 1), drawing the generator noise
// from rng, and returns the last discriminator and generator losses. Each
// iteration is one discriminator step on the next batch of real goals (all
// of them if n ≤ batch; otherwise consecutive rows, wrapping around) stacked
// with batch generated goals labelled 0 — the LSGAN loss
// mean((2·label − 1 − D(x))²) over the stacked rows — then one generator
// step on the same noise with loss mean((D(G(z)) − 1)²).
func (g *gan) train(x, y []float64, n, iters int, rng *rand.Rand) (discLoss, genLoss float64) {
	d, b := g.d, g.batch
	nr := min(n, b)
	start := 0
	for range iters {
		// Real rows: the reference's batch_feed_array.
		real := g.stack[:nr*d]
		tgt := g.target[:nr+b]
		for r := range nr {
			i := (start + r) % n
			copy(real[r*d:(r+1)*d], x[i*d:(i+1)*d])
			tgt[r] = 2*y[i] - 1
		}
		if n > b {
			start = (start + b) % n
		}
		for i := range g.z {
			g.z[i] = rng.NormFloat64()
		}
		g.fake = g.gen.Forward(&g.genCache, g.z, b)
		copy(g.stack[nr*d:(nr+b)*d], g.fake)
		for r := nr; r < nr+b; r++ {
			tgt[r] = -1
		}

		// Discriminator step on real and generated rows as one batch.
		discLoss = g.discLossGrad(g.stack[:(nr+b)*d], tgt, nr+b)
		if task.Finite(discLoss) && task.Finite(g.discParams.GradNorm()) {
			g.discOpt.Step()
		} else {
			g.skipped++
		}

		// Generator step through the updated discriminator. The generator
		// has not changed since it produced g.fake, so its cache still holds
		// that forward pass.
		genLoss = g.genLossGrad()
		if task.Finite(genLoss) && task.Finite(g.genParams.GradNorm()) {
			g.genOpt.Step()
		} else {
			g.skipped++
		}
	}
	return discLoss, genLoss
}

// discLossGrad sets the discriminator's gradients to those of the LSGAN
// loss mean((target − D(x))²) over the rows of x and returns the loss.
func (g *gan) discLossGrad(x, target []float64, rows int) float64 {
	g.discParams.ZeroGrad()
	out := g.disc.Forward(&g.discCache, x, rows)
	loss := nn.MSE(g.grad[:rows], out, target[:rows])
	g.disc.Backward(&g.discCache, g.grad[:rows])
	return loss
}

// genLossGrad sets the generator's gradients to those of the LSGAN loss
// mean((D(G(z)) − 1)²) for the last generator forward pass on genCache (the
// discriminator fixed) and returns the loss.
func (g *gan) genLossGrad() float64 {
	g.genParams.ZeroGrad()
	out := g.disc.Forward(&g.fakeCache, g.fake, g.batch)
	loss := nn.MSE(g.fakeGrad, out, g.ones)
	g.gen.Backward(&g.genCache, g.disc.InputGrad(&g.fakeCache, g.fakeGrad))
	return loss
}

// discriminate returns the discriminator's output at the normalised goal x.
func (g *gan) discriminate(x []float64) float64 {
	var c nn.MLPCache
	return g.disc.Forward(&c, x, 1)[0]
}
