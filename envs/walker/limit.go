package walker

import "github.com/jakecoffman/cp/v2"

// angleLimit keeps the angle of body b relative to body a in [lo, hi]. It
// replaces cp's RotaryLimitJoint, which acts only once the limit is passed
// and then pushes back with a velocity bias (so a loaded joint bounces on its
// stop), by a constraint closer to Box2D's revolute limit: each limit is a
// one-sided velocity constraint that is always in force and lets the joint
// reach its stop exactly at the end of the step (a speculative contact), and
// an angle already past a stop (which the solver's other constraints can
// cause) is pushed back by a fraction correction of the error per step.
//
// It implements cp.Constrainer.
type angleLimit struct {
	a, b       *cp.Body
	lo, hi     float64
	correction float64 // fraction of a violation removed per step

	mass     float64 // effective inertia 1/(1/I_a + 1/I_b)
	lo0, hi0 float64 // target relative speeds at the two stops
	jLo, jHi float64 // accumulated impulses: jLo ≥ 0 pushes b forward
}

// PreStep computes the stops' target speeds from the current angle.
func (l *angleLimit) PreStep(dt float64) {
	l.mass = 1 / (1/l.a.Moment() + 1/l.b.Moment())
	angle := l.b.Angle() - l.a.Angle()
	// The relative speed may bring the angle exactly onto a stop during
	// this step; past a stop, it must bring it back by the correction.
	l.lo0 = stopSpeed(l.lo-angle, l.correction, dt)  // wr ≥ lo0
	l.hi0 = -stopSpeed(angle-l.hi, l.correction, dt) // wr ≤ hi0
}

// stopSpeed returns the smallest relative speed allowed towards a stop at
// signed distance gap (negative when the stop is ahead, positive when past
// it).
func stopSpeed(gap, correction, dt float64) float64 {
	if gap <= 0 {
		return gap / dt
	}
	return correction * gap / dt
}

// ApplyCachedImpulse applies the last step's impulses (warm start).
func (l *angleLimit) ApplyCachedImpulse(dtCoef float64) {
	l.jLo *= dtCoef
	l.jHi *= dtCoef
	l.apply(l.jLo + l.jHi)
}

// ApplyImpulse solves both stops once.
func (l *angleLimit) ApplyImpulse(float64) {
	wr := l.b.AngularVelocity() - l.a.AngularVelocity()
	old := l.jLo
	l.jLo = max(old+(l.lo0-wr)*l.mass, 0)
	j := l.jLo - old
	wr += j / l.mass
	old = l.jHi
	l.jHi = min(old+(l.hi0-wr)*l.mass, 0)
	l.apply(j + l.jHi - old)
}

func (l *angleLimit) apply(j float64) {
	if j == 0 {
		return
	}
	l.a.SetAngularVelocity(l.a.AngularVelocity() - j/l.a.Moment())
	l.b.SetAngularVelocity(l.b.AngularVelocity() + j/l.b.Moment())
}

// GetImpulse returns the magnitude of the last impulse.
func (l *angleLimit) GetImpulse() float64 { return -l.jHi + l.jLo }
