package walker

import "math"

// Gait is a scripted walking controller for the bipedal bodies, in the
// spirit of gym's heuristic demo but built on Raibert's foot-placement
// scheme (M. H. Raibert, "Legged robots that balance", MIT Press 1986) with
// SIMBICON's stance-hip balance (Yin, Loken and van de Panne, SIGGRAPH 2007):
//
//   - The legs alternate; a swing ends when the swing foot touches the
//     ground after at least MinSwing steps, or after MaxSwing steps.
//   - The swing foot is placed, relative to the hip, at v·T/2 + k·(v − v*)
//     ahead (v the walker's forward speed, T the nominal swing duration, v*
//     the target speed): behind the neutral point when too slow, so that the
//     walker falls forward, ahead of it when too fast. During the swing the
//     foot is lifted along a half sine. Two-link inverse kinematics turn the
//     foot target into hip and knee targets, tracked by PD control.
//   - The stance knee holds a fixed bend; the stance hip keeps the hull at
//     its target pitch (the hips' reaction torques are what turn the hull).
//
// It reads only the observation (hull angle and speeds, joint angles and
// speeds, foot contacts), so it runs unchanged on any engine that produces
// the reference observation. It is the behavioural check of the engine
// tuning: it walks flat ground to the finish (return about 285) and falls on
// tall stumps, in this package and in Box2D alike (see the package
// documentation). Its parameters were found by a (1+1) evolution strategy
// that maximised the smaller of its mean flat-ground returns in the two
// engines; like any hand-made gait it is tuned for one body (default) and
// is sensitive to the solver's settings.
type Gait struct {
	// Speed is the target forward speed v* (m/s).
	Speed float64
	// SpeedGain is Raibert's k (s): how much further the foot lands per
	// m/s of excess speed.
	SpeedGain float64
	// Swing is the nominal swing duration T, in environment steps.
	Swing int
	// MinSwing and MaxSwing bound a swing's duration (steps).
	MinSwing, MaxSwing int
	// Lift is the swing foot's peak lift (m); Reach is the height (m) of the
	// hip above the foot targeted at the end of the swing.
	Lift, Reach float64
	// StanceKnee is the stance knee's target angle (rad, in [−1.6, −0.1]).
	StanceKnee float64
	// HullPitch is the hull's target angle (rad, positive nose up).
	HullPitch float64
	// HipKp, HipKd, KneeKp, KneeKd, HullKp, HullKd are the PD gains, in
	// action units per radian and per unit of the observation's speeds
	// (joint speed over motor speed; 2ω/FPS for the hull).
	HipKp, HipKd, KneeKp, KneeKd, HullKp, HullKd float64

	swing int // index of the swing leg (0 or 1)
	t     int // steps since the swing began
}

// NewGait returns the gait tuned for the default body and the default
// physics.
func NewGait() *Gait {
	return &Gait{
		Speed: 3.42, SpeedGain: 0.367,
		Swing: 15, MinSwing: 6, MaxSwing: 23,
		Lift: 0.35, Reach: 2.24,
		StanceKnee: -0.436,
		HullPitch:  0.058,
		HipKp:      5.97, HipKd: 0.688, KneeKp: 2.04, KneeKd: 0.574, HullKp: 2.31, HullKd: 1.28,
	}
}

// Reset starts a new episode.
func (g *Gait) Reset() { g.swing, g.t = 0, 0 }

// Phase returns the index of the swing leg and the number of steps since its
// swing began.
func (g *Gait) Phase() (swing, steps int) { return g.swing, g.t }

// Act writes into action the controls for observation obs (24 values, the
// bipedal layout of the default body).
func (g *Gait) Act(obs, action []float64) {
	const legLen = 34.0 / Scale
	hull, omega := obs[0], obs[1]
	vx := obs[2] / (0.3 * (ViewportW / Scale) / FPS)
	hip := func(l int) (angle, speed float64) { return obs[4+5*l], obs[5+5*l] }
	knee := func(l int) (angle, speed float64) { return obs[6+5*l] - 1, obs[7+5*l] }
	contact := func(l int) bool { return obs[8+5*l] > 0.5 }

	g.t++
	if g.t > g.MinSwing && contact(g.swing) || g.t > g.MaxSwing {
		g.swing, g.t = 1-g.swing, 1
	}
	sw, st := g.swing, 1-g.swing

	// Swing foot target relative to the hip, in world axes.
	phase := min(float64(g.t)/float64(g.Swing), 1)
	T := float64(g.Swing) / FPS
	fx := vx*T/2 + g.SpeedGain*(vx-g.Speed)
	fy := -(g.Reach - g.Lift*math.Sin(math.Pi*phase))
	upper, kneeTarget := legIK(fx, fy, legLen)

	wh, whs := hip(sw)
	wk, wks := knee(sw)
	swingHip := g.HipKp*(upper-hull-wh) - g.HipKd*whs
	swingKnee := g.KneeKp*(kneeTarget-wk) - g.KneeKd*wks

	sk, sks := knee(st)
	stanceKnee := g.KneeKp*(g.StanceKnee-sk) - g.KneeKd*sks
	// The hull turns by the reaction of the stance hip: a positive hip
	// action turns the hull clockwise (nose down).
	stanceHip := -(g.HullKp*(g.HullPitch-hull) - g.HullKd*omega)

	action[2*sw] = clip(swingHip, -1, 1)
	action[2*sw+1] = clip(swingKnee, -1, 1)
	action[2*st] = clip(stanceHip, -1, 1)
	action[2*st+1] = clip(stanceKnee, -1, 1)
}

// legIK returns the upper leg's angle from the vertical (forward positive)
// and the knee angle (negative: the lower leg folds back) that put the foot
// of a leg of two segments of length l at (x, y) from the hip, the foot
// pulled in to reach if it is too far.
func legIK(x, y, l float64) (upper, knee float64) {
	d := math.Hypot(x, y)
	d = min(max(d, 0.2*l), 2*l)
	c := (d*d - 2*l*l) / (2 * l * l)
	knee = -math.Acos(min(max(c, -1), 1))
	upper = math.Atan2(x, -y) - knee/2
	return upper, knee
}
