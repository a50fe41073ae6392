package walker

import "fmt"

// Body describes a walker morphology: the reference's bipedal walker and
// teachDRL's variants of it. Lengths in pixels are divided by Scale.
type Body struct {
	// Name is the value of the `body` parameter.
	Name string
	// Hull is the hull polygon in pixels, relative to the hull's origin.
	Hull []Point
	// LegW and LegH are the upper leg's width and height in pixels; the
	// lower leg is 0.8·LegW wide and LegH high.
	LegW, LegH float64
	// PairsX are the hull-local x (metres) of the hip anchors of each leg
	// pair.
	PairsX []float64
	// Torque is the maximum motor torque (N·m), reached at |a| = 1.
	Torque float64
	// TorquePenalty is the coefficient of the torque cost: each step costs
	// TorquePenalty·Torque·min(|a_j|, 1) per motor.
	TorquePenalty float64
}

// Reference walker constants (gym bipedal_walker.py, teachDRL).
const (
	// FPS is the number of physics steps per simulated second.
	FPS = 50
	// MotorsTorque is the default body's maximum motor torque.
	MotorsTorque = 80
	// SpeedHip and SpeedKnee are the motors' target speeds (rad/s) at full
	// action.
	SpeedHip  = 4
	SpeedKnee = 6
	// LidarRays is the number of lidar rays.
	LidarRays = 10
	// LidarRange is the length of a lidar ray (metres).
	LidarRange = 160 / Scale
	// InitialRandom bounds the horizontal force (N) applied to the hull at
	// reset, drawn uniformly from [−InitialRandom, InitialRandom].
	InitialRandom = 5
	// LegDown is the y of the hip anchors in hull coordinates.
	LegDown = -8 / Scale
	// Gravity is the world's vertical gravity (Box2D's default).
	Gravity = -10
	// ViewportW and ViewportH are the reference's window size in pixels,
	// used only to scale the observation.
	ViewportW = 600
	ViewportH = 400

	hullDensity = 5.0
	legDensity  = 1.0
	// Box2D frictions of the reference fixtures. The legs leave Box2D's
	// default of 0.2.
	hullFriction    = 0.1
	legFriction     = 0.2
	terrainFriction = 2.5
	// Joint limits (rad) of the hips and knees.
	hipLo, hipHi   = -0.8, 1.1
	kneeLo, kneeHi = -1.6, -0.1
)

var bipedHull = []Point{{-30, 9}, {6, 9}, {34, 1}, {34, -8}, {-30, -8}}

// Bodies are the morphologies of teachDRL's my_init({'leg_size': ...}):
// "default" (the gym walker), "short" (legs half as long) and "quadru" (two
// pairs of longer legs under a bigger hull, stronger motors and a torque
// penalty divided by 8).
var Bodies = []Body{
	{Name: "default", Hull: bipedHull, LegW: 8, LegH: 34, PairsX: []float64{0}, Torque: MotorsTorque, TorquePenalty: 0.00035},
	{Name: "short", Hull: bipedHull, LegW: 8, LegH: 17, PairsX: []float64{0}, Torque: MotorsTorque, TorquePenalty: 0.00035},
	{
		Name:   "quadru",
		Hull:   []Point{{-46, 13}, {6, 13}, {50, 5}, {50, -12}, {-46, -12}},
		LegW:   10,
		LegH:   51,
		PairsX: []float64{-1.2, 0.85},
		Torque: 300, TorquePenalty: 0.00035 / 8,
	},
}

// BodyNamed returns the body called name.
func BodyNamed(name string) (Body, error) {
	for _, b := range Bodies {
		if b.Name == name {
			return b, nil
		}
	}
	return Body{}, fmt.Errorf("unknown body %q: want one of default, short, quadru", name)
}

// Legs returns the number of legs (two per pair).
func (b Body) Legs() int { return 2 * len(b.PairsX) }

// ObsSize returns the length of an observation: 4 hull values, 5 per leg
// and the lidar.
func (b Body) ObsSize() int { return 4 + 5*b.Legs() + LidarRays }

// ActionDims returns the number of motors: a hip and a knee per leg.
func (b Body) ActionDims() int { return 2 * b.Legs() }
