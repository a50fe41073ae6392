package ppo

import (
	"math"
	"math/rand/v2"

	"github.com/teachbench/teachbench/students/nn"
)

// headKind names what a head computes.
type headKind int

const (
	actorHead  headKind = iota // logits or Gaussian means
	criticHead                 // the state value
)

// tower is a trunk, an optional recurrent core and the heads that read the
// core's output. A shared actor-critic is one tower with both heads;
// separate ones are two towers with one head each.
type tower struct {
	trunk *trunk  // nil: the observation feeds the core or heads directly
	core  *nn.GRU // nil: feed-forward
	heads []*nn.MLP
	kinds []headKind
	in    int // observation size
	feat  int // width of the trunk's output
	out   int // width of the core's output (feat without a core)
}

// network is the actor-critic: its towers, the Gaussian policy's
// state-independent log standard deviations (continuous actions), and the
// parameter store that holds them all.
type network struct {
	params   nn.Params
	towers   []*tower
	logStd   nn.Span // continuous actions only
	obsSize  int
	policy   int // width of the actor head's output: actions or action dimensions
	discrete bool
}

func activation(name string) nn.Activation {
	if name == ActivationTanh {
		return nn.Tanh{}
	}
	return nn.ReLU{}
}

// newNetwork builds and initialises the actor-critic for observations of
// obsSize values and a policy output of width policy.
func newNetwork(p Params, obsSize, policy int, discrete bool, rng *rand.Rand) *network {
	n := &network{obsSize: obsSize, policy: policy, discrete: discrete}
	if p.SharedTrunk {
		n.towers = []*tower{n.newTower(p, []headKind{actorHead, criticHead})}
	} else {
		n.towers = []*tower{n.newTower(p, []headKind{actorHead}), n.newTower(p, []headKind{criticHead})}
	}
	if !discrete {
		n.logStd = n.params.Alloc(policy)
	}
	// Orthogonal initialisation as dcd (after ikostrikov's PPO): gain √2
	// for hidden layers, 0.01 for the logits (dcd's Categorical), 1 for
	// the Gaussian means (its DiagGaussian), the value output and the
	// recurrent weights; zero biases.
	policyGain := 1.0
	if discrete {
		policyGain = 0.01
	}
	for _, tw := range n.towers {
		if tw.trunk != nil {
			for _, l := range tw.trunk.layers {
				l.Init(rng, nn.Orthogonal{Gain: math.Sqrt2}, nn.Zeros{})
			}
		}
		if tw.core != nil {
			tw.core.Init(rng, nn.Orthogonal{Gain: 1}, nn.Zeros{})
		}
		for i, h := range tw.heads {
			last := len(h.Layers) - 1
			for j, l := range h.Layers {
				gain := math.Sqrt2
				switch {
				case j < last:
				case tw.kinds[i] == actorHead:
					gain = policyGain
				default:
					gain = 1
				}
				l.Init(rng, nn.Orthogonal{Gain: gain}, nn.Zeros{})
			}
		}
	}
	if !discrete {
		nn.Constant(p.LogStdInit).Init(n.logStd.Value(), 0, 0, nil)
	}
	return n
}

func (n *network) newTower(p Params, kinds []headKind) *tower {
	tw := &tower{in: n.obsSize, feat: n.obsSize, kinds: kinds}
	if len(p.Trunk) > 0 {
		tw.trunk = &trunk{act: activation(p.TrunkActivation)}
		in := n.obsSize
		for _, w := range p.Trunk {
			tw.trunk.layers = append(tw.trunk.layers, nn.NewDense(&n.params, in, w))
			in = w
		}
		tw.feat = in
	}
	tw.out = tw.feat
	if p.Recurrent {
		tw.core = nn.NewGRU(&n.params, tw.feat, p.RecurrentSize)
		tw.out = p.RecurrentSize
	}
	for _, k := range kinds {
		hidden, out := p.ActorHidden, n.policy
		if k == criticHead {
			hidden, out = p.CriticHidden, 1
		}
		sizes := append(append([]int{tw.out}, hidden...), out)
		tw.heads = append(tw.heads, nn.NewMLP(&n.params, sizes, nn.Tanh{}, nil))
	}
	return tw
}

// stateSize returns the size of the recurrent state of tower i (0 without
// a core).
func (n *network) stateSize(i int) int {
	if c := n.towers[i].core; c != nil {
		return c.Hidden
	}
	return 0
}

// pass holds the caches of forward and backward passes over a batch laid
// out time-major: row t·B+b is step t of sequence b. Feed-forward passes
// have T = 1.
type pass struct {
	towers []towerCache
	T, B   int
	policy []float64 // rows × policy width, the actor head's output
	value  []float64 // rows, the critic head's output
}

// towerCache holds one tower's part of a pass.
type towerCache struct {
	trunk trunkCache
	core  nn.GRUCache
	heads []nn.MLPCache
	h0    []float64 // B × core size: the state the sequences start from
	out   []float64 // rows × out: the core's outputs, time-major
	dOut  []float64 // rows × out
	dFeat []float64 // rows × feat
}

// grow returns s resized to n values, reallocated only if its capacity is
// short; the contents are not cleared.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// begin sizes p for T steps of B sequences; the caller then fills the
// initial states h0 of the towers that have a core.
func (n *network) begin(p *pass, T, B int) {
	if p.towers == nil {
		p.towers = make([]towerCache, len(n.towers))
		for i, tw := range n.towers {
			p.towers[i].heads = make([]nn.MLPCache, len(tw.heads))
		}
	}
	p.T, p.B = T, B
	for i, tw := range n.towers {
		if tw.core != nil {
			c := &p.towers[i]
			c.h0 = grow(c.h0, B*tw.core.Hidden)
		}
	}
}

// forward runs the network on obs (T·B rows, time-major) after begin. masks
// (T·B values, or nil) multiply each sequence's recurrent state before the
// step: 0 at the first step of an episode.
func (n *network) forward(p *pass, obs, masks []float64) {
	T, B := p.T, p.B
	rows := T * B
	for i, tw := range n.towers {
		c := &p.towers[i]
		feat := obs[:rows*tw.in]
		if tw.trunk != nil {
			feat = tw.trunk.forward(&c.trunk, feat, rows)
		}
		out := feat
		if tw.core != nil {
			H, F := tw.core.Hidden, tw.feat
			c.out = grow(c.out, rows*H)
			tw.core.Begin(&c.core, c.h0, B)
			for t := range T {
				var m []float64
				if masks != nil {
					m = masks[t*B : (t+1)*B]
				}
				h := tw.core.Step(&c.core, feat[t*B*F:(t+1)*B*F], m)
				copy(c.out[t*B*H:], h)
			}
			out = c.out[:rows*H]
		}
		for j, h := range tw.heads {
			y := h.Forward(&c.heads[j], out, rows)
			if tw.kinds[j] == actorHead {
				p.policy = y
			} else {
				p.value = y
			}
		}
	}
}

// lastState returns the recurrent state of tower i after the last step of
// sequence b of the latest forward pass.
func (p *pass) lastState(i, b, size int) []float64 {
	c := &p.towers[i]
	r := (p.T-1)*p.B + b
	return c.out[r*size : (r+1)*size]
}

// backward adds to the parameter gradients the gradient of a loss whose
// gradients with respect to the latest forward pass's policy and value
// outputs are dPolicy and dValue.
func (n *network) backward(p *pass, dPolicy, dValue []float64) {
	T, B := p.T, p.B
	rows := T * B
	for i, tw := range n.towers {
		c := &p.towers[i]
		c.dOut = grow(c.dOut, rows*tw.out)
		dOut := c.dOut
		clear(dOut)
		for j, h := range tw.heads {
			d := dPolicy
			if tw.kinds[j] == criticHead {
				d = dValue
			}
			dx := h.Backward(&c.heads[j], d)
			for k, v := range dx[:len(dOut)] {
				dOut[k] += v
			}
		}
		dFeat := dOut
		if tw.core != nil {
			H, F := tw.core.Hidden, tw.feat
			for t := range T {
				g := c.core.OutputGrad(t)
				for k, v := range dOut[t*B*H : (t+1)*B*H] {
					g[k] += v
				}
			}
			tw.core.Backward(&c.core)
			c.dFeat = grow(c.dFeat, rows*F)
			for t := range T {
				copy(c.dFeat[t*B*F:], c.core.InputGrad(t))
			}
			dFeat = c.dFeat
		}
		if tw.trunk != nil {
			tw.trunk.backward(&c.trunk, dFeat, rows)
		}
	}
}

// trunk is a stack of dense layers, each followed by the trunk activation.
// It is not an nn.MLP because nothing needs the gradient with respect to
// the observation, which nn.MLP's backward pass always computes: for the
// first layer, the widest, that product costs as much as its weight
// gradient.
type trunk struct {
	layers []*nn.Dense
	act    nn.Activation
}

// trunkCache holds what a trunk's forward pass computed.
type trunkCache struct {
	x         []float64 // the input: the caller keeps it unchanged until backward
	pre, post [][]float64
	gPre, dIn []float64 // backward scratch
}

// forward runs the trunk on rows rows of x and returns its output, which
// lives in c until the next forward.
func (tk *trunk) forward(c *trunkCache, x []float64, rows int) []float64 {
	if c.pre == nil {
		c.pre, c.post = make([][]float64, len(tk.layers)), make([][]float64, len(tk.layers))
	}
	c.x = x[:rows*tk.layers[0].In]
	in := c.x
	for i, l := range tk.layers {
		n := rows * l.Out
		c.pre[i], c.post[i] = grow(c.pre[i], n), grow(c.post[i], n)
		l.Forward(c.pre[i], in, rows)
		tk.act.Apply(c.post[i], c.pre[i])
		in = c.post[i]
	}
	return in
}

// backward adds the parameter gradients for the output gradient dOut of the
// latest forward pass on c.
func (tk *trunk) backward(c *trunkCache, dOut []float64, rows int) {
	g := dOut
	for i := len(tk.layers) - 1; i >= 0; i-- {
		l := tk.layers[i]
		c.gPre = grow(c.gPre, rows*l.Out)
		tk.act.Grad(c.gPre, g[:rows*l.Out], c.pre[i], c.post[i])
		if i == 0 {
			l.Backward(nil, c.gPre, c.x, rows)
			return
		}
		c.dIn = grow(c.dIn, rows*l.In)
		clear(c.dIn)
		l.Backward(c.dIn, c.gPre, c.post[i-1], rows)
		g = c.dIn
	}
}
