package paired

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/teachbench/teachbench/students/ppo"
	"github.com/teachbench/teachbench/teachers/plr"
)

// Params are the hyperparameters of PAIRED and REPAIRED: the cycle, the
// adversary's PPO and network, and (replay = true) the students' robust PLR
// buffers.
type Params struct {
	Regret        string `toml:"regret" doc:"adversary's reward: paired (dcd: max(0, antagonist max return - protagonist mean return)), flexible (dcd flexible_paired: the better student plays antagonist), minimax (-protagonist max return; no antagonist), mean-relative (max(0, antagonist mean - protagonist mean)), population (max of both students' max returns - mean of their means), unclipped (jaxued: antagonist max - protagonist mean)"`
	LevelSteps    int    `toml:"level_steps" doc:"steps each student spends per cycle (dcd's rollout, num_steps 256): whole episodes, another started only if one as long as the longest so far still fits"`
	LevelEpisodes int    `toml:"level_episodes" doc:"if > 0, each student plays exactly this many episodes per cycle instead (level_steps unused)"`

	AdvEpisodes           int     `toml:"adv_episodes" doc:"construction episodes per adversary PPO update (dcd: 32 processes, one level each)"`
	AdvLR                 float64 `toml:"adv_lr" doc:"adversary's Adam learning rate (dcd maze: 1e-4)"`
	AdvAdamEps            float64 `toml:"adv_adam_eps" doc:"adversary's Adam epsilon (dcd: 1e-5)"`
	AdvGamma              float64 `toml:"adv_gamma" doc:"adversary's discount factor (dcd maze: 0.995)"`
	AdvGAELambda          float64 `toml:"adv_gae_lambda" doc:"adversary's GAE lambda (dcd: 0.95)"`
	AdvNEpochs            int     `toml:"adv_n_epochs" doc:"PPO passes over each adversary rollout (dcd adv_ppo_epoch: 5)"`
	AdvNMinibatches       int     `toml:"adv_n_minibatches" doc:"minibatches per pass (dcd adv_num_mini_batch: 1)"`
	AdvClipEps            float64 `toml:"adv_clip_eps" doc:"PPO clip range of the ratio and of the value (dcd: 0.2)"`
	AdvValueLoss          string  `toml:"adv_value_loss" doc:"adversary's critic loss: clipped (dcd), mse or huber"`
	AdvValueCoef          float64 `toml:"adv_value_coef" doc:"weight of the adversary's value loss (dcd: 0.5)"`
	AdvEntropyCoef        float64 `toml:"adv_entropy_coef" doc:"weight of the adversary's entropy bonus (dcd PAIRED/REPAIRED maze: 0; minimax's PAIRED: 0.05)"`
	AdvMaxGradNorm        float64 `toml:"adv_max_grad_norm" doc:"global gradient-norm clip of the adversary; 0 turns it off (dcd adv_max_grad_norm: 0.5)"`
	AdvNormalizeAdvantage bool    `toml:"adv_normalize_advantage" doc:"standardise the adversary's advantages over each rollout (dcd)"`
	AdvNormalizeReturns   bool    `toml:"adv_normalize_returns" doc:"divide the adversary's reward by the running standard deviation of its rewards (dcd adv_normalize_returns, default off)"`
	AdvClipReward         float64 `toml:"adv_clip_reward" doc:"clip the adversary's reward to [-c, c] after normalisation; 0 = no clipping (dcd adv_clip_reward, default none)"`
	AdvTrunk              []int   `toml:"adv_trunk" doc:"hidden sizes of the ReLU trunk over the adversary's observation (dcd: a 128-filter 3x3 convolution over the grid)"`
	AdvActorHidden        []int   `toml:"adv_actor_hidden" doc:"hidden sizes of the adversary's tanh policy head (dcd: 32)"`
	AdvCriticHidden       []int   `toml:"adv_critic_hidden" doc:"hidden sizes of the adversary's tanh value head (dcd: 32)"`
	AdvRecurrent          bool    `toml:"adv_recurrent" doc:"give the adversary a GRU core (dcd: an LSTM of 256 for PAIRED, none for REPAIRED)"`
	AdvRecurrentSize      int     `toml:"adv_recurrent_size" doc:"hidden size of the adversary's GRU core"`
	AdvSeqLen             int     `toml:"adv_seq_len" doc:"length of the chunks of the adversary's rollout for truncated backpropagation through time (recurrent only)"`

	Replay            bool    `toml:"replay" doc:"REPAIRED: each student keeps its own robust PLR buffer of the adversary's levels; students only probe new levels and learn from replays"`
	PLRScore          string  `toml:"plr_score" doc:"REPAIRED: level score (plr's score: maxmc, grounded, pvl, l1-value, regret, progress)"`
	PLRFallback       string  `toml:"plr_fallback" doc:"REPAIRED: score of an outcome without the needed signal (progress, regret, none)"`
	PLRPrioritization string  `toml:"plr_prioritization" doc:"REPAIRED: score prioritisation, rank or power"`
	PLRTemperature    float64 `toml:"plr_temperature" doc:"REPAIRED: temperature of the score prioritisation"`
	PLRStalenessCoef  float64 `toml:"plr_staleness_coef" doc:"REPAIRED: weight of staleness in the replay distribution"`
	PLRStalenessClock string  `toml:"plr_staleness_clock" doc:"REPAIRED: what ages stored levels: replays (dcd) or episodes"`
	PLRReplayProb     float64 `toml:"plr_replay_prob" doc:"REPAIRED: probability that a cycle replays stored levels"`
	PLRSchedule       string  `toml:"plr_schedule" doc:"REPAIRED: replay decision, proportionate (dcd: u < min(fill, replay_prob)) or fixed (u < replay_prob)"`
	PLRMinFill        float64 `toml:"plr_min_fill" doc:"REPAIRED: fraction of the protagonist's buffer filled before any replay"`
	PLRBufferSize     int     `toml:"plr_buffer_size" doc:"REPAIRED: levels each student's buffer holds"`
	PLRScoreAlpha     float64 `toml:"plr_score_alpha" doc:"REPAIRED: weight of a replayed level's new score (1 overwrites)"`
	PLREvict          string  `toml:"plr_evict" doc:"REPAIRED: slot a new level competes for in a full buffer: replay_support or score"`
	PLRStrictReplace  bool    `toml:"plr_strict_replace" doc:"REPAIRED: a new level replaces that slot only with a strictly higher score"`
	PLRDedupe         bool    `toml:"plr_dedupe" doc:"REPAIRED: a level equal to a stored one updates that entry"`
}

// Regret estimates, the values of the regret parameter.
const (
	RegretPaired       = "paired"
	RegretFlexible     = "flexible"
	RegretMinimax      = "minimax"
	RegretMeanRelative = "mean-relative"
	RegretPopulation   = "population"
	RegretUnclipped    = "unclipped"
)

var regrets = []string{RegretPaired, RegretFlexible, RegretMinimax, RegretMeanRelative, RegretPopulation, RegretUnclipped}

// DefaultParams returns PAIRED as dcd runs it on the 25-block maze
// (mg_25b_paired.json and arguments.py): the paired regret, 256-step
// rollouts per student and cycle, and an adversary updated with PPO every
// 32 levels at lr 1e-4, γ 0.995, λ 0.95, 5 epochs of 1 minibatch, clip 0.2,
// clipped value loss 0.5, entropy 0, gradient norm 0.5, no reward
// normalisation or clipping, with a recurrent core; the network is smaller
// than dcd's (see the package documentation). The plr_ values are
// REPAIRED's, unused unless replay is set.
func DefaultParams() Params {
	return Params{
		Regret:                RegretPaired,
		LevelSteps:            256,
		AdvEpisodes:           32,
		AdvLR:                 1e-4,
		AdvAdamEps:            1e-5,
		AdvGamma:              0.995,
		AdvGAELambda:          0.95,
		AdvNEpochs:            5,
		AdvNMinibatches:       1,
		AdvClipEps:            0.2,
		AdvValueLoss:          ppo.ValueLossClipped,
		AdvValueCoef:          0.5,
		AdvEntropyCoef:        0,
		AdvMaxGradNorm:        0.5,
		AdvNormalizeAdvantage: true,
		AdvTrunk:              []int{32},
		AdvActorHidden:        []int{32},
		AdvCriticHidden:       []int{32},
		AdvRecurrent:          true,
		AdvRecurrentSize:      32,
		AdvSeqLen:             32,

		PLRScore:          plr.ScoreMaxMC,
		PLRFallback:       plr.ScoreProgress,
		PLRPrioritization: "rank",
		PLRTemperature:    0.1,
		PLRStalenessCoef:  0.3,
		PLRStalenessClock: plr.ClockReplays,
		PLRReplayProb:     0.95,
		PLRSchedule:       plr.ScheduleProportion,
		PLRMinFill:        0.5,
		PLRBufferSize:     4000,
		PLRScoreAlpha:     1,
		PLREvict:          plr.EvictReplaySupport,
		PLRDedupe:         true,
	}
}

// REPAIREDParams returns REPAIRED as dcd runs it on the 25-block maze
// (mg_25b_repaired.json): PAIRED with a feed-forward adversary and, for
// each student, a robust PLR buffer with the MaxMC score, rank
// prioritisation at temperature 0.1, staleness 0.3, replay probability 0.95
// under dcd's proportionate schedule, minimum fill 0.5 and 4000 levels.
func REPAIREDParams() Params {
	p := DefaultParams()
	p.Replay = true
	p.AdvRecurrent = false
	return p
}

// Validate checks every parameter's range, naming the key.
func (p Params) Validate() error {
	if !slices.Contains(regrets, p.Regret) {
		return fmt.Errorf("regret = %q: want one of %s", p.Regret, strings.Join(regrets, ", "))
	}
	switch {
	case p.LevelSteps < 1:
		return fmt.Errorf("level_steps = %d: want at least 1", p.LevelSteps)
	case p.LevelEpisodes < 0:
		return fmt.Errorf("level_episodes = %d: want 0 (use level_steps) or more", p.LevelEpisodes)
	case p.AdvEpisodes < 1:
		return fmt.Errorf("adv_episodes = %d: want at least 1", p.AdvEpisodes)
	case p.AdvNMinibatches < 1 || p.AdvNMinibatches > 2*p.AdvEpisodes:
		return fmt.Errorf("adv_n_minibatches = %d: want 1..%d (two per construction episode of the rollout at most)", p.AdvNMinibatches, 2*p.AdvEpisodes)
	case !(p.AdvClipReward >= 0) || math.IsInf(p.AdvClipReward, 0):
		return fmt.Errorf("adv_clip_reward = %v: want 0 (no clipping) or a finite number > 0", p.AdvClipReward)
	}
	if err := p.adversary().Validate(); err != nil {
		// ppo names its keys without the prefix.
		return fmt.Errorf("adv_%w", err)
	}
	if p.Replay {
		if err := p.buffer().Validate(); err != nil {
			return fmt.Errorf("plr_%w", err)
		}
	}
	return nil
}

// adversary returns the adversary's PPO parameters. Its rollout is counted
// in construction episodes (adv_episodes), so n_steps only needs to pass
// ppo's checks: every construction episode has at least 2 steps.
func (p Params) adversary() ppo.Params {
	a := ppo.DefaultParams()
	a.LR, a.AdamEps, a.Gamma, a.GAELambda = p.AdvLR, p.AdvAdamEps, p.AdvGamma, p.AdvGAELambda
	a.NEpochs, a.NMinibatches, a.ClipEps = p.AdvNEpochs, p.AdvNMinibatches, p.AdvClipEps
	a.ValueLoss, a.ValueCoef, a.EntropyCoef, a.MaxGradNorm = p.AdvValueLoss, p.AdvValueCoef, p.AdvEntropyCoef, p.AdvMaxGradNorm
	a.NormalizeAdvantage = p.AdvNormalizeAdvantage
	a.Trunk, a.TrunkActivation = slices.Clone(p.AdvTrunk), ppo.ActivationReLU
	a.ActorHidden, a.CriticHidden = slices.Clone(p.AdvActorHidden), slices.Clone(p.AdvCriticHidden)
	a.SharedTrunk = true
	a.Recurrent, a.RecurrentSize, a.SeqLen = p.AdvRecurrent, p.AdvRecurrentSize, p.AdvSeqLen
	a.NSteps = 2 * p.AdvEpisodes
	if p.AdvRecurrent && p.AdvSeqLen > 0 {
		a.NSteps = max(a.NSteps, p.AdvNMinibatches*p.AdvSeqLen)
	}
	return a
}

// buffer returns the parameters of each student's PLR buffer: robust, no
// editing.
func (p Params) buffer() plr.Params {
	b := plr.RobustParams()
	b.Score, b.Fallback, b.Prioritization, b.Temperature = p.PLRScore, p.PLRFallback, p.PLRPrioritization, p.PLRTemperature
	b.StalenessCoef, b.StalenessClock, b.ReplayProb, b.Schedule = p.PLRStalenessCoef, p.PLRStalenessClock, p.PLRReplayProb, p.PLRSchedule
	b.MinFill, b.BufferSize, b.ScoreAlpha, b.Evict = p.PLRMinFill, p.PLRBufferSize, p.PLRScoreAlpha, p.PLREvict
	b.StrictReplace, b.Dedupe = p.PLRStrictReplace, p.PLRDedupe
	b.EditProb = 0
	return b
}
