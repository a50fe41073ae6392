package ppo

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Params are PPO's hyperparameters and the actor-critic's architecture.
type Params struct {
	LR                  float64 `toml:"lr" doc:"Adam learning rate (dcd maze: 1e-4)"`
	AdamEps             float64 `toml:"adam_eps" doc:"Adam epsilon (dcd: 1e-5)"`
	Gamma               float64 `toml:"gamma" doc:"discount factor (dcd maze: 0.995)"`
	GAELambda           float64 `toml:"gae_lambda" doc:"GAE lambda (dcd maze: 0.95)"`
	NSteps              int     `toml:"n_steps" doc:"transitions collected before each update; the episode that crosses it is kept whole (dcd: 32 processes x 256 steps)"`
	NEpochs             int     `toml:"n_epochs" doc:"passes over each rollout (dcd: 5)"`
	NMinibatches        int     `toml:"n_minibatches" doc:"minibatches per pass (dcd: 1); recurrent minibatches hold whole seq_len chunks"`
	ClipEps             float64 `toml:"clip_eps" doc:"PPO clip range of the probability ratio, also the value clip range (dcd: 0.2)"`
	ValueLoss           string  `toml:"value_loss" doc:"critic loss: clipped (dcd default: 0.5*max of plain and clipped squared errors), mse (0.5*(V-R)^2), huber (smooth L1, dcd with clip_value_loss=false)"`
	ValueCoef           float64 `toml:"value_coef" doc:"weight of the value loss (dcd: 0.5)"`
	EntropyCoef         float64 `toml:"entropy_coef" doc:"weight of the entropy bonus (dcd 25-block DR/PLR: 0.01)"`
	MaxGradNorm         float64 `toml:"max_grad_norm" doc:"global gradient-norm clip; 0 turns clipping off (dcd: 0.5)"`
	NormalizeAdvantage  bool    `toml:"normalize_advantage" doc:"standardise advantages over each rollout, (A-mean)/(std+1e-5), as dcd"`
	BootstrapTruncation bool    `toml:"bootstrap_truncation" doc:"bootstrap from V(s_T) when an episode is truncated by its time limit (false: treat it as terminal, dcd's handle_timelimits=false)"`
	Trunk               []int   `toml:"trunk" doc:"hidden sizes of the trunk that reads the observation (empty: the observation feeds the core or heads directly)"`
	TrunkActivation     string  `toml:"trunk_activation" doc:"trunk activation: relu (as dcd's conv trunk) or tanh"`
	ActorHidden         []int   `toml:"actor_hidden" doc:"hidden sizes of the policy head, tanh (dcd: 32)"`
	CriticHidden        []int   `toml:"critic_hidden" doc:"hidden sizes of the value head, tanh (dcd: 32)"`
	SharedTrunk         bool    `toml:"shared_trunk" doc:"actor and critic share the trunk and recurrent core (dcd); false gives each its own copy"`
	Recurrent           bool    `toml:"recurrent" doc:"add a GRU core between the trunk and the heads, for partially observable tasks"`
	RecurrentSize       int     `toml:"recurrent_size" doc:"hidden size of the GRU core (dcd: LSTM 256)"`
	SeqLen              int     `toml:"seq_len" doc:"length of the chunks the rollout is cut into for truncated backpropagation through time (recurrent only)"`
	LogStdInit          float64 `toml:"log_std_init" doc:"initial log standard deviation of the Gaussian policy (continuous actions)"`
	StochasticEval      bool    `toml:"stochastic_eval" doc:"evaluate with actions drawn from the policy (eval stream), as dcd does; false evaluates the greedy (discrete) or mean (continuous) action"`
}

// Value losses.
const (
	ValueLossClipped = "clipped"
	ValueLossMSE     = "mse"
	ValueLossHuber   = "huber"
)

var valueLosses = []string{ValueLossClipped, ValueLossMSE, ValueLossHuber}

// Trunk activations.
const (
	ActivationReLU = "relu"
	ActivationTanh = "tanh"
)

var activations = []string{ActivationReLU, ActivationTanh}

// DefaultParams returns the PPO hyperparameters of dcd's 25-block maze
// experiments (lr 1e-4, Adam eps 1e-5, γ 0.995, λ 0.95, 5 epochs of 1
// minibatch, clip 0.2, clipped value loss with coefficient 0.5, entropy
// 0.01, gradient norm 0.5) with a smaller network and a shorter rollout:
// a feed-forward trunk of 32 ReLU units, tanh heads of 32 units, and
// 256-step rollouts from one environment (dcd: conv + LSTM 256, 32
// environments × 256 steps). See the package documentation.
func DefaultParams() Params {
	return Params{
		LR:                  1e-4,
		AdamEps:             1e-5,
		Gamma:               0.995,
		GAELambda:           0.95,
		NSteps:              256,
		NEpochs:             5,
		NMinibatches:        1,
		ClipEps:             0.2,
		ValueLoss:           ValueLossClipped,
		ValueCoef:           0.5,
		EntropyCoef:         0.01,
		MaxGradNorm:         0.5,
		NormalizeAdvantage:  true,
		BootstrapTruncation: true,
		Trunk:               []int{32},
		TrunkActivation:     ActivationReLU,
		ActorHidden:         []int{32},
		CriticHidden:        []int{32},
		SharedTrunk:         true,
		Recurrent:           false,
		RecurrentSize:       64,
		SeqLen:              256,
		LogStdInit:          0,
		StochasticEval:      true,
	}
}

// Validate checks every parameter's range.
func (p Params) Validate() error {
	pos := func(key string, v float64) error {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%s = %v: want a finite number > 0", key, v)
		}
		return nil
	}
	nonNeg := func(key string, v float64) error {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%s = %v: want a finite number >= 0", key, v)
		}
		return nil
	}
	unit := func(key string, v float64) error {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("%s = %v: want a number in [0, 1]", key, v)
		}
		return nil
	}
	sizes := func(key string, s []int) error {
		for i, n := range s {
			if n < 1 || n > 1<<14 {
				return fmt.Errorf("%s[%d] = %d: want a layer size in 1..16384", key, i, n)
			}
		}
		return nil
	}
	for _, err := range []error{
		pos("lr", p.LR), pos("adam_eps", p.AdamEps), unit("gamma", p.Gamma), unit("gae_lambda", p.GAELambda),
		pos("clip_eps", p.ClipEps), nonNeg("value_coef", p.ValueCoef), nonNeg("entropy_coef", p.EntropyCoef),
		nonNeg("max_grad_norm", p.MaxGradNorm),
		sizes("trunk", p.Trunk), sizes("actor_hidden", p.ActorHidden), sizes("critic_hidden", p.CriticHidden),
	} {
		if err != nil {
			return err
		}
	}
	switch {
	case p.NSteps < 1:
		return fmt.Errorf("n_steps = %d: want at least 1", p.NSteps)
	case p.NEpochs < 1:
		return fmt.Errorf("n_epochs = %d: want at least 1", p.NEpochs)
	case p.NMinibatches < 1:
		return fmt.Errorf("n_minibatches = %d: want at least 1", p.NMinibatches)
	case p.NMinibatches > p.NSteps:
		return fmt.Errorf("n_minibatches = %d: want at most n_steps = %d", p.NMinibatches, p.NSteps)
	case !slices.Contains(valueLosses, p.ValueLoss):
		return fmt.Errorf("value_loss = %q: want one of %s", p.ValueLoss, strings.Join(valueLosses, ", "))
	case !slices.Contains(activations, p.TrunkActivation):
		return fmt.Errorf("trunk_activation = %q: want one of %s", p.TrunkActivation, strings.Join(activations, ", "))
	case math.IsNaN(p.LogStdInit) || math.Abs(p.LogStdInit) > 20:
		return fmt.Errorf("log_std_init = %v: want a number in [-20, 20]", p.LogStdInit)
	}
	if p.Recurrent {
		switch {
		case p.RecurrentSize < 1 || p.RecurrentSize > 1<<12:
			return fmt.Errorf("recurrent_size = %d: want 1..4096", p.RecurrentSize)
		case p.SeqLen < 1:
			return fmt.Errorf("seq_len = %d: want at least 1", p.SeqLen)
		case p.NMinibatches > (p.NSteps+p.SeqLen-1)/p.SeqLen:
			return fmt.Errorf("n_minibatches = %d: a recurrent rollout of n_steps = %d cut into seq_len = %d chunks has only %d chunks to share out",
				p.NMinibatches, p.NSteps, p.SeqLen, (p.NSteps+p.SeqLen-1)/p.SeqLen)
		}
	}
	return nil
}
