package ars

import (
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
)

// policy maps a normalised observation to an action in [−1, 1]^actN. Its
// parameters are one flat slice, theta, which ARS perturbs and updates as a
// vector: for the linear policy the actN×obsN matrix M, row-major; for the
// MLP the values of its nn.Params store. Every rollout goroutine owns a
// policy of the same layout and sets its parameters before each episode.
type policy struct {
	obsN, actN int
	theta      []float64
	store      *nn.Params // MLP only
	net        *nn.MLP
	cache      nn.MLPCache
}

// newPolicy returns a policy with zero parameters.
func newPolicy(p Params, obsN, actN int) *policy {
	pol := &policy{obsN: obsN, actN: actN}
	if p.Policy == Linear {
		pol.theta = make([]float64, actN*obsN)
		return pol
	}
	sizes := append(append([]int{obsN}, p.Hidden...), actN)
	pol.store = new(nn.Params)
	pol.net = nn.NewMLP(pol.store, sizes, nn.Tanh{}, nn.Identity{})
	pol.theta = pol.store.Values()
	return pol
}

// init sets the starting parameters: zero for the linear policy (the
// paper's M₀ = 0); for the MLP, PyTorch's default initialisation of the
// hidden layers drawn from rng and a zero output layer, so that the MLP too
// starts with the zero action while its hidden features already vary. (With
// every parameter at zero, the ± differences of the first layers' effects
// cancel to first order and the search could not move them.)
func (pol *policy) init(rng *rand.Rand) {
	if pol.net == nil {
		return
	}
	pol.net.Init(rng, nn.TorchLinear{}, nn.TorchLinear{})
	last := pol.net.Layers[len(pol.net.Layers)-1]
	last.Init(rng, nn.Constant(0), nn.Constant(0))
}

// set makes the policy's parameters base + scale·dir (dir may be nil).
func (pol *policy) set(base, dir []float64, scale float64) {
	if dir == nil {
		copy(pol.theta, base)
		return
	}
	for i, b := range base {
		pol.theta[i] = b + scale*dir[i]
	}
}

// act writes the action for the normalised observation z into a, clipped to
// [−1, 1].
func (pol *policy) act(a, z []float64) {
	if pol.net != nil {
		copy(a, pol.net.Forward(&pol.cache, z, 1))
	} else {
		z = z[:pol.obsN]
		for i := range a[:pol.actN] {
			row := pol.theta[i*pol.obsN : (i+1)*pol.obsN]
			var s float64
			for j, w := range row {
				s += w * z[j]
			}
			a[i] = s
		}
	}
	for i, v := range a {
		a[i] = min(max(v, -1), 1)
	}
}
