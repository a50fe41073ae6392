package her

import (
	"fmt"
	"math"
)

// Activations of the hidden layers (the `activation` parameter).
const (
	// GELU is mrl's default (config.activ = 'gelu'), exact (erf) form.
	GELU = "gelu"
	// ReLU is the usual cheaper alternative.
	ReLU = "relu"
	// Tanh is offered for completeness.
	Tanh = "tanh"
)

// Params are the student's hyperparameters. The learning rule's defaults are
// those of mrl's protoge_config, which SVGG's point-maze commands run; the
// network and the number of gradient steps are smaller (see the package
// documentation for each difference and the reference value).
type Params struct {
	Hidden     []int  `toml:"hidden" doc:"hidden layer sizes of the actor and of the critic (reference --layers 512 512 512)"`
	Activation string `toml:"activation" doc:"hidden activation: gelu (reference), relu or tanh"`
	LayerNorm  bool   `toml:"layer_norm" doc:"LayerNorm between each hidden layer and its activation (reference: yes, mrl's FCBody with nn.LayerNorm)"`

	Gamma    float64 `toml:"gamma" doc:"discount factor (protoge_config 0.98)"`
	ActorLR  float64 `toml:"actor_lr" doc:"Adam learning rate of the actor (1e-3)"`
	CriticLR float64 `toml:"critic_lr" doc:"Adam learning rate of the critic (1e-3)"`
	ActionL2 float64 `toml:"action_l2" doc:"weight of the mean squared action in the actor's loss (action_l2_regularization 0.1)"`
	GradClip float64 `toml:"grad_clip" doc:"gradients are clipped elementwise to [-grad_clip, grad_clip] before each Adam step (grad_value_clipping 5); 0 = no clipping"`

	BatchSize      int     `toml:"batch_size" doc:"transitions per gradient step (reference 2000)"`
	OptimizeEvery  float64 `toml:"optimize_every" doc:"environment steps per gradient step (reference 1: one step of batch_size per environment step); gradient steps are taken after each training episode"`
	TargetEvery    int     `toml:"target_every" doc:"gradient steps between Polyak updates of the target networks (target_network_update_freq 40)"`
	TargetFrac     float64 `toml:"target_frac" doc:"Polyak coefficient of the target updates, target <- frac*online + (1-frac)*target (target_network_update_frac 0.05)"`
	ClipTarget     bool    `toml:"clip_target" doc:"clip Q targets to [-1/(1-gamma), 0], the range of returns of the -1/0 reward (SVGG's clip_target_range)"`
	TerminalReward float64 `toml:"terminal_reward" doc:"a transition whose (relabelled) reward is at least this is terminal: its target does not bootstrap (first-visit success on the -1/0 reward: mrl's dones = round(reward + 1))"`
	NeverDone      bool    `toml:"never_done" doc:"bootstrap every transition, ignoring terminal_reward (mrl's never_done, for goal tasks that go on after success)"`

	ReplaySize     int     `toml:"replay_size" doc:"transitions kept in the replay buffer, oldest dropped first (protoge_config 1e6; SVGG's commands 5e6)"`
	WarmUp         int     `toml:"warm_up" doc:"transitions in the buffer before gradient steps start (2500)"`
	InitialExplore int     `toml:"initial_explore" doc:"transitions in the buffer before which actions are uniform random (5000)"`
	ActionNoise    float64 `toml:"action_noise" doc:"standard deviation of the Gaussian noise added to the actor's actions, in units of the action range (0.1)"`
	RandomAction   float64 `toml:"random_action" doc:"probability of a uniform random action at each step (eexplore 0.1)"`
	GoExplore      float64 `toml:"go_explore" doc:"added to random_action for every step of the episode so far that ended within reach of the goal (go_eexplore 0.1: once the goal is reached, exploration grows)"`

	RelabelReal     float64 `toml:"relabel_real" doc:"weight of transitions kept with their own goal (rfaab_1_4_3_1_1: 1)"`
	RelabelFuture   float64 `toml:"relabel_future" doc:"weight of transitions relabelled with a goal achieved later in their episode (HER's future strategy; rfaab: 4)"`
	RelabelDesired  float64 `toml:"relabel_desired" doc:"weight of transitions relabelled with the goal of a random stored transition (rfaab's actual 3 + behavioural 1: here the proposed goal is both)"`
	RelabelAchieved float64 `toml:"relabel_achieved" doc:"weight of transitions relabelled with the achieved goal of a random stored transition (rfaab: 1)"`
	FutureWarmUp    int     `toml:"future_warm_up" doc:"environment steps during which every sampled transition uses the future strategy (25000)"`

	NormClip float64 `toml:"norm_clip" doc:"inputs are standardised by running means and deviations of the inputs seen while acting, then clipped to +/- norm_clip (MeanStdNormalizer: 5); 0 = no normalisation"`
}

// DefaultParams returns the learning rule of mrl's protoge_config (SVGG's
// point mazes: γ 0.98, Adam 1e-3, action L2 0.1, Polyak 0.05 every 40 steps,
// HER rfaab_1_4_3_1_1, action noise 0.1, random actions 0.1, go-explore 0.1,
// gradient values clipped at 5) with networks of two hidden layers of 64
// units (reference: three of 512), batches of 256 transitions (reference
// 2000), one gradient step per two environment steps (reference one per
// step) and a replay buffer of 1e6 transitions.
func DefaultParams() Params {
	return Params{
		Hidden:          []int{64, 64},
		Activation:      GELU,
		LayerNorm:       true,
		Gamma:           0.98,
		ActorLR:         1e-3,
		CriticLR:        1e-3,
		ActionL2:        0.1,
		GradClip:        5,
		BatchSize:       256,
		OptimizeEvery:   2,
		TargetEvery:     40,
		TargetFrac:      0.05,
		ClipTarget:      true,
		TerminalReward:  0,
		ReplaySize:      1_000_000,
		WarmUp:          2500,
		InitialExplore:  5000,
		ActionNoise:     0.1,
		RandomAction:    0.1,
		GoExplore:       0.1,
		RelabelReal:     1,
		RelabelFuture:   4,
		RelabelDesired:  4,
		RelabelAchieved: 1,
		FutureWarmUp:    25000,
		NormClip:        5,
	}
}

// Validate checks every parameter's range.
func (p Params) Validate() error {
	positive := func(key string, v float64) error {
		if !(v > 0) || math.IsInf(v, 1) {
			return fmt.Errorf("%s = %v: want a finite number > 0", key, v)
		}
		return nil
	}
	nonNeg := func(key string, v float64) error {
		if !(v >= 0) || math.IsInf(v, 1) {
			return fmt.Errorf("%s = %v: want a finite number >= 0", key, v)
		}
		return nil
	}
	if len(p.Hidden) == 0 {
		return fmt.Errorf("hidden = []: want at least one hidden layer")
	}
	for i, n := range p.Hidden {
		if n < 1 || n > 4096 {
			return fmt.Errorf("hidden[%d] = %d: want a layer size in [1, 4096]", i, n)
		}
	}
	switch p.Activation {
	case GELU, ReLU, Tanh:
	default:
		return fmt.Errorf("activation = %q: want gelu, relu or tanh", p.Activation)
	}
	if !(p.Gamma >= 0 && p.Gamma < 1) {
		return fmt.Errorf("gamma = %v: want a number in [0, 1)", p.Gamma)
	}
	for _, c := range []struct {
		key string
		v   float64
	}{{"actor_lr", p.ActorLR}, {"critic_lr", p.CriticLR}, {"optimize_every", p.OptimizeEvery}} {
		if err := positive(c.key, c.v); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		key string
		v   float64
	}{
		{"action_l2", p.ActionL2}, {"grad_clip", p.GradClip}, {"action_noise", p.ActionNoise},
		{"go_explore", p.GoExplore}, {"norm_clip", p.NormClip},
		{"relabel_real", p.RelabelReal}, {"relabel_future", p.RelabelFuture},
		{"relabel_desired", p.RelabelDesired}, {"relabel_achieved", p.RelabelAchieved},
	} {
		if err := nonNeg(c.key, c.v); err != nil {
			return err
		}
	}
	switch {
	case p.RelabelReal+p.RelabelFuture+p.RelabelDesired+p.RelabelAchieved == 0:
		return fmt.Errorf("relabel_real, relabel_future, relabel_desired and relabel_achieved are all 0: want at least one positive weight")
	case !(p.RandomAction >= 0 && p.RandomAction <= 1):
		return fmt.Errorf("random_action = %v: want a probability in [0, 1]", p.RandomAction)
	case !(p.TargetFrac > 0 && p.TargetFrac <= 1):
		return fmt.Errorf("target_frac = %v: want a number in (0, 1]", p.TargetFrac)
	case p.TargetEvery < 1:
		return fmt.Errorf("target_every = %d: want at least 1", p.TargetEvery)
	case p.BatchSize < 1 || p.BatchSize > 1_000_000:
		return fmt.Errorf("batch_size = %d: want an integer in [1, 1000000]", p.BatchSize)
	case p.ReplaySize < 1 || p.ReplaySize > 100_000_000:
		return fmt.Errorf("replay_size = %d: want an integer in [1, 100000000]", p.ReplaySize)
	case p.WarmUp < 0:
		return fmt.Errorf("warm_up = %d: want at least 0", p.WarmUp)
	case p.InitialExplore < 0:
		return fmt.Errorf("initial_explore = %d: want at least 0", p.InitialExplore)
	case p.FutureWarmUp < 0:
		return fmt.Errorf("future_warm_up = %d: want at least 0", p.FutureWarmUp)
	case math.IsNaN(p.TerminalReward) || math.IsInf(p.TerminalReward, 0):
		return fmt.Errorf("terminal_reward = %v: want a finite number", p.TerminalReward)
	}
	return nil
}
