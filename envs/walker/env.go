package walker

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/jakecoffman/cp/v2"
	"github.com/teachbench/teachbench/task"
)

// Collision types and categories. The walker's parts are in category
// walkerCategory and collide only with the terrain, as in the reference
// (category 0x20, mask 0x01): they never collide with each other.
const (
	terrainType cp.CollisionType = iota + 1
	hullType
	lowerLegType
	otherPartType

	terrainCategory = 0x01
	walkerCategory  = 0x20
)

var (
	terrainFilter = cp.ShapeFilter{Group: cp.NO_GROUP, Categories: terrainCategory, Mask: cp.ALL_CATEGORIES}
	walkerFilter  = cp.ShapeFilter{Group: cp.NO_GROUP, Categories: walkerCategory, Mask: terrainCategory}
)

// buildMu serialises the creation of cp bodies: cp.NewBody increments an
// unsynchronised package-level id counter (used only to print bodies), which
// the race detector reports when worlds are built in parallel goroutines.
// Stepping needs no lock: a cp.Space shares nothing with other spaces.
var buildMu sync.Mutex

// Physics holds the engine settings. The defaults are chosen so that the
// walker behaves like the Box2D reference (see the package documentation).
type Physics struct {
	// Iterations is the number of cp solver iterations per substep.
	Iterations int
	// Substeps divides each 1/FPS step into this many cp steps.
	Substeps int
	// Slop is the contact penetration (m) that the solver tolerates.
	Slop float64
	// JointCorrection is the fraction of a hip or knee pivot's positional
	// error (anchor drift) corrected per second: 1 − cp's ErrorBias.
	JointCorrection float64
	// LimitCorrection is the fraction of a joint limit's violation removed
	// per step.
	LimitCorrection float64
}

// DefaultPhysics returns the tuned engine settings.
func DefaultPhysics() Physics {
	return Physics{Iterations: 60, Substeps: 1, Slop: 0.005, JointCorrection: 0.9999, LimitCorrection: 0.5}
}

// Env is one walker environment. It implements task.Env; it is not safe for
// concurrent use, but any number of Envs can step in parallel goroutines.
type Env struct {
	fam     *Family
	body    Body
	physics Physics

	space   *cp.Space
	terrain *Terrain
	hull    *cp.Body
	parts   []*cp.Body // upper and lower leg of each leg, in action order
	joints  []joint    // hip and knee of each leg, in action order
	contact []int      // number of terrain contacts of each lower leg

	nextObstacle int         // index of the first obstacle not yet in the world
	verts        []cp.Vector // scratch

	gameOver    bool
	prevShaping float64
	ret         float64
	steps       int
	status      task.StepStatus
	maxSteps    int
	threshold   float64
	dt          float64
}

// joint is a motorised revolute joint: a pivot, a motor and a limit.
type joint struct {
	a, b  *cp.Body
	motor *cp.SimpleMotor
	mc    *cp.Constraint
	speed float64
}

// Angle returns the joint angle as Box2D measures it: b's angle minus a's.
func (j *joint) Angle() float64 { return j.b.Angle() - j.a.Angle() }

// Speed returns the joint's angular speed: b's minus a's.
func (j *joint) Speed() float64 { return j.b.AngularVelocity() - j.a.AngularVelocity() }

// newEnv returns an environment for family f.
func newEnv(f *Family) *Env {
	e := &Env{
		fam:       f,
		body:      f.body,
		physics:   f.physics,
		maxSteps:  f.p.MaxSteps,
		threshold: f.p.MasteryThreshold,
	}
	e.dt = 1.0 / FPS / float64(e.physics.Substeps)
	return e
}

// NewEnv returns a walker environment outside any family, for experiments
// on custom terrains: body, engine settings and the episode step limit are
// given directly, and episodes start with ResetTerrain (Reset, which needs a
// family's generator, panics). It panics if physics.Iterations,
// physics.Substeps or maxSteps is below 1.
func NewEnv(body Body, physics Physics, maxSteps int) *Env {
	if physics.Iterations < 1 || physics.Substeps < 1 || maxSteps < 1 {
		panic(fmt.Sprintf("walker: NewEnv: iterations %d, substeps %d, max steps %d: want at least 1 each", physics.Iterations, physics.Substeps, maxSteps))
	}
	f := &Family{body: body, physics: physics, p: Params{MaxSteps: maxSteps, MasteryThreshold: DefaultMasteryThreshold}}
	return newEnv(f)
}

// ObsSize returns the observation length (24 for the bipedal bodies).
func (e *Env) ObsSize() int { return e.body.ObsSize() }

// Actions returns the continuous action spec: one value per motor.
func (e *Env) Actions() task.ActionSpec { return task.ActionSpec{Dims: e.body.ActionDims()} }

// Reset starts an episode on the track of task t and writes the first
// observation into obs.
func (e *Env) Reset(t task.Task, obs []float64) {
	e.ResetTerrain(e.fam.Track(t), t.Seed, obs)
}

// ResetTerrain starts an episode on terrain tr; seed draws the initial push
// on the hull. It writes the first observation into obs.
//
// As in the reference, the walker is created standing on the start pad, its
// hull is pushed horizontally by a force drawn from U(−InitialRandom,
// InitialRandom) N, and one step with a zero action is taken; its
// observation is the first one and it sets the reward shaping's starting
// point. That step does not count against the step limit.
func (e *Env) ResetTerrain(tr *Terrain, seed uint64, obs []float64) {
	e.terrain = tr
	e.build()
	rng := rand.New(rand.NewPCG(seed, pushStream))
	push := InitialRandom * (2*rng.Float64() - 1)
	e.hull.ApplyForceAtWorldPoint(cp.Vector{X: push}, e.hull.LocalToWorld(e.hull.CenterOfGravity()))
	e.gameOver = false
	e.ret, e.steps, e.status = 0, 0, task.Running
	for j := range e.joints {
		e.setMotor(j, 0)
	}
	e.simulate()
	e.observe(obs)
	e.prevShaping = e.shaping(obs)
}

// pushStream is the PCG stream of the initial push, distinct from the
// terrain's so that neither shifts the other.
const pushStream = 0x9e3779b97f4a7c15

// build makes a fresh cp space holding tr and a new walker. A fresh space
// per episode keeps episodes independent of the instance's history: cp's
// shape ids grow with every shape added to a space, and they order its
// collision pairs.
func (e *Env) build() {
	buildMu.Lock()
	defer buildMu.Unlock()
	s := cp.NewSpace()
	s.Iterations = uint(e.physics.Iterations)
	s.SetGravity(cp.Vector{Y: Gravity})
	s.SetCollisionSlop(e.physics.Slop)
	e.space = s

	// Friction: Box2D mixes frictions as √(f₁f₂), cp multiplies them. The
	// terrain gets friction 1 and each walker part √(f_part·2.5), so that
	// every walker–terrain pair has Box2D's coefficient.
	static := s.StaticBody
	g := e.terrain.Ground
	for i := 0; i+1 < len(g); i++ {
		sh := cp.NewSegment(static, vec(g[i]), vec(g[i+1]), 0)
		terrainShape(s, sh)
	}
	e.nextObstacle = 0

	b := e.body
	legW, legH := b.LegW/Scale, b.LegH/Scale
	x0 := TerrainStep * TerrainStartPad / 2
	y0 := TerrainHeight - lowestFoot(b)
	hullVerts := make([]cp.Vector, len(b.Hull))
	for i, p := range b.Hull {
		hullVerts[i] = cp.Vector{X: p.X / Scale, Y: p.Y / Scale}
	}
	e.hull = addPart(s, hullVerts, cp.Vector{X: x0, Y: y0}, 0, hullDensity, hullFriction, hullType)

	e.parts = e.parts[:0]
	e.joints = e.joints[:0]
	e.contact = e.contact[:0]
	for _, ax := range b.PairsX {
		for _, side := range []float64{-1, 1} {
			p := legPose(b, ax, side)
			origin := cp.Vector{X: x0, Y: y0}
			upper := addPart(s, box(legW, legH), origin.Add(vec(p.upper)), p.upperAngle, legDensity, legFriction, otherPartType)
			lower := addPart(s, box(0.8*legW, legH), origin.Add(vec(p.lower)), p.lowerAngle, legDensity, legFriction, lowerLegType)
			lower.EachShape(func(sh *cp.Shape) { sh.UserData = len(e.contact) })
			e.parts = append(e.parts, upper, lower)
			e.joints = append(e.joints,
				e.addJoint(e.hull, upper, cp.Vector{X: ax, Y: LegDown}, cp.Vector{Y: legH / 2}, hipLo, hipHi, SpeedHip),
				e.addJoint(upper, lower, cp.Vector{Y: -legH / 2}, cp.Vector{Y: legH / 2}, kneeLo, kneeHi, SpeedKnee))
			e.contact = append(e.contact, 0)
		}
	}

	h := s.NewCollisionHandler(hullType, terrainType)
	h.UserData = e
	h.BeginFunc = hullBegin
	l := s.NewCollisionHandler(lowerLegType, terrainType)
	l.UserData = e
	l.BeginFunc = legBegin
	l.SeparateFunc = legSeparate
}

func hullBegin(_ *cp.Arbiter, _ *cp.Space, data any) bool {
	data.(*Env).gameOver = true
	return true
}

func legBegin(arb *cp.Arbiter, _ *cp.Space, data any) bool {
	leg, _ := arb.Shapes()
	data.(*Env).contact[leg.UserData.(int)]++
	return true
}

func legSeparate(arb *cp.Arbiter, _ *cp.Space, data any) {
	leg, _ := arb.Shapes()
	data.(*Env).contact[leg.UserData.(int)]--
}

func terrainShape(s *cp.Space, sh *cp.Shape) {
	sh.SetFriction(1)
	sh.SetElasticity(0)
	sh.SetCollisionType(terrainType)
	sh.SetFilter(terrainFilter)
	s.AddShape(sh)
}

func box(w, h float64) []cp.Vector {
	return []cp.Vector{{X: w / 2, Y: -h / 2}, {X: w / 2, Y: h / 2}, {X: -w / 2, Y: h / 2}, {X: -w / 2, Y: -h / 2}}
}

// pose is where a leg's parts start, relative to the hull's origin.
type pose struct {
	upper, lower           Point // centres
	upperAngle, lowerAngle float64
	foot                   float64 // lowest y of the lower leg's box
}

// legPose returns the starting pose of the leg hanging from the hip anchor
// at hull x ax on the given side (−1 or +1).
//
// The reference tilts both parts of each leg by 0.05·side, puts the hull's
// origin at TerrainHeight + 2·LegH and creates the legs 2·|LegDown| above
// their hip anchors, with the knees straight (outside their limit); Box2D's
// position solver snaps the anchors together and the knees onto their
// limit in the first step, leaving the walker standing with its joints
// kicked. cp corrects joint errors through velocities, which would turn
// that snap into a jolt, so here the start is the pose the snap aims for:
// every anchor coincides, the upper leg is tilted by 0.05·side and the knee
// sits on its limit, and the hull is placed (by build) so that the lowest
// foot touches the ground.
func legPose(b Body, ax, side float64) pose {
	legW, legH := b.LegW/Scale, b.LegH/Scale
	hip := Point{ax, LegDown}
	ua := 0.05 * side
	la := ua + kneeHi
	down := func(a, l float64) Point { return Point{math.Sin(a) * l, -math.Cos(a) * l} }
	u := down(ua, legH/2)
	knee := Point{hip.X + 2*u.X, hip.Y + 2*u.Y}
	l := down(la, legH/2)
	p := pose{
		upper: Point{hip.X + u.X, hip.Y + u.Y}, upperAngle: ua,
		lower: Point{knee.X + l.X, knee.Y + l.Y}, lowerAngle: la,
	}
	// The bottom corners of the lower leg's box.
	hw := 0.8 * legW / 2
	p.foot = p.lower.Y - math.Cos(la)*legH/2 - math.Abs(math.Sin(la))*hw
	return p
}

// lowestFoot returns the lowest foot's y relative to the hull's origin in
// the starting pose.
func lowestFoot(b Body) float64 {
	low := math.Inf(1)
	for _, ax := range b.PairsX {
		for _, side := range []float64{-1, 1} {
			low = min(low, legPose(b, ax, side).foot)
		}
	}
	return low
}

// addPart adds a dynamic body made of one polygon with the given Box2D
// density and friction, its origin at pos and rotated by angle.
func addPart(s *cp.Space, verts []cp.Vector, pos cp.Vector, angle, density, friction float64, ct cp.CollisionType) *cp.Body {
	body := s.AddBody(cp.NewBody(0, 0))
	sh := s.AddShape(cp.NewPolyShape(body, len(verts), verts, cp.NewTransformIdentity(), 0))
	sh.SetDensity(density)
	sh.SetFriction(math.Sqrt(friction * terrainFriction))
	sh.SetElasticity(0)
	sh.SetCollisionType(ct)
	sh.SetFilter(walkerFilter)
	body.SetAngle(angle)
	body.SetPosition(pos)
	body.SetPositionUpdateFunc(holdPosition)
	return body
}

// addJoint joins a and b with a motorised revolute joint: a pivot at the
// local anchors, a motor (cp.SimpleMotor, whose MaxForce is a torque) and a
// limit on b's angle relative to a's.
func (e *Env) addJoint(a, b *cp.Body, anchorA, anchorB cp.Vector, lo, hi, speed float64) joint {
	bias := 1 - e.physics.JointCorrection
	pivot := cp.NewPivotJoint2(a, b, anchorA, anchorB)
	pivot.SetErrorBias(bias)
	e.space.AddConstraint(pivot)
	mc := cp.NewSimpleMotor(a, b, 0)
	mc.SetMaxForce(0)
	e.space.AddConstraint(mc)
	e.space.AddConstraint(cp.NewConstraint(&angleLimit{a: a, b: b, lo: lo, hi: hi, correction: e.physics.LimitCorrection}, a, b))
	return joint{a: a, b: b, motor: mc.Class.(*cp.SimpleMotor), mc: mc, speed: speed}
}

// setMotor applies action value v to motor j as the reference's torque
// control does: target speed ±speed by the sign of v, maximum torque
// Torque·min(|v|, 1). cp's SimpleMotor drives b's angular velocity minus
// a's towards −Rate.
func (e *Env) setMotor(j int, v float64) {
	m := &e.joints[j]
	m.motor.Rate = -m.speed * sign(v)
	m.mc.SetMaxForce(e.body.Torque * min(math.Abs(v), 1))
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// simulate advances the world by one environment step. Box2D solves the
// velocities and then moves the bodies with them; cp moves the bodies with
// the previous velocities first and then solves, so its positions lag one
// step behind its velocities. The bodies' position update is disabled inside
// cp's step and done after it, which restores Box2D's order (collide, solve,
// integrate) and its observation timing.
func (e *Env) simulate() {
	e.addObstacles()
	for range e.physics.Substeps {
		e.space.Step(e.dt)
		cp.BodyUpdatePosition(e.hull, e.dt)
		for _, b := range e.parts {
			cp.BodyUpdatePosition(b, e.dt)
		}
	}
}

// obstacleLead is how far (m) ahead of the hull obstacles enter the world:
// further than any part of any body can reach in a step.
const obstacleLead = 10

// addObstacles puts into the world the obstacles that start less than
// obstacleLead ahead of the hull. Obstacles enter as the walker approaches
// them rather than all at reset: a track has up to 180 of them and each
// costs an insertion in cp's spatial index, which would make reset cost more
// than a short episode. The lidar reads the terrain directly, so it sees
// every obstacle. The schedule depends only on the trajectory, so episodes
// stay reproducible.
func (e *Env) addObstacles() {
	obs := e.terrain.Obstacles
	limit := e.hull.Position().X + obstacleLead
	for e.nextObstacle < len(obs) && e.terrain.minX[e.nextObstacle] < limit {
		e.verts = e.verts[:0]
		for _, p := range obs[e.nextObstacle] {
			e.verts = append(e.verts, vec(p))
		}
		terrainShape(e.space, cp.NewPolyShapeRaw(e.space.StaticBody, len(e.verts), e.verts, 0))
		e.nextObstacle++
	}
}

// holdPosition is the position update of the walker's bodies inside cp's
// step: none (see simulate).
func holdPosition(*cp.Body, float64) {}

// Step applies action (one value per motor; values outside [−1, 1] act as
// their clipped value, as in the reference) and advances the world by one
// 1/FPS step. A NaN or infinite action value panics with a message naming
// it. Stepping a finished episode panics.
func (e *Env) Step(action, obs []float64) (float64, task.StepStatus) {
	if e.status.Done() {
		panic("walker: Step called after the episode ended; call Reset")
	}
	if e.space == nil {
		panic("walker: Step called before Reset")
	}
	if len(action) != len(e.joints) {
		panic(fmt.Sprintf("walker: action has %d values, want %d", len(action), len(e.joints)))
	}
	cost := 0.0
	for j, v := range action {
		if !finite(v) {
			panic(fmt.Sprintf("walker: action[%d] = %v: want a finite number in [-1, 1]", j, v))
		}
		e.setMotor(j, v)
		cost += e.body.TorquePenalty * e.body.Torque * min(math.Abs(v), 1)
	}
	e.simulate()
	e.observe(obs)
	shaping := e.shaping(obs)
	r := shaping - e.prevShaping - cost
	e.prevShaping = shaping
	e.steps++
	x := e.hull.Position().X
	switch {
	case e.gameOver || x < 0:
		r = -100
		e.status = task.Terminated
	case x > FinishX:
		e.status = task.Terminated
	case e.steps >= e.maxSteps:
		e.status = task.Truncated
	}
	e.ret += r
	return r, e.status
}

// shaping is the reference's potential: 130·x/Scale − 5·|hull angle|.
func (e *Env) shaping(obs []float64) float64 {
	return 130*e.hull.Position().X/Scale - 5*math.Abs(obs[0])
}

// observe writes the observation: hull angle, angular velocity, velocity;
// per leg the hip angle and speed, knee angle + 1 and speed, and the lower
// leg's ground contact; then the lidar fractions.
func (e *Env) observe(obs []float64) {
	h := e.hull
	v := h.Velocity()
	obs[0] = h.Angle()
	obs[1] = 2 * h.AngularVelocity() / FPS
	obs[2] = 0.3 * v.X * (ViewportW / Scale) / FPS
	obs[3] = 0.3 * v.Y * (ViewportH / Scale) / FPS
	k := 4
	for l := range e.contact {
		hip, knee := &e.joints[2*l], &e.joints[2*l+1]
		obs[k] = hip.Angle()
		obs[k+1] = hip.Speed() / SpeedHip
		obs[k+2] = knee.Angle() + 1
		obs[k+3] = knee.Speed() / SpeedKnee
		obs[k+4] = 0
		if e.contact[l] > 0 {
			obs[k+4] = 1
		}
		k += 5
	}
	p := h.Position()
	e.terrain.Lidar(Point{p.X, p.Y}, obs[k:k+LidarRays])
}

// Outcome returns the outcome of the episode so far: its return, the score
// (return + 150)/500 clipped to [0, 1] as teachDRL normalises it, success
// when the return exceeds the mastery threshold, and the steps taken.
func (e *Env) Outcome() task.Outcome {
	return task.Outcome{Return: e.ret, Score: Score(e.ret), Success: e.ret > e.threshold, Steps: e.steps}
}

// Score normalises a return as teachDRL does for its teachers:
// (r + 150)/500 clipped to [0, 1].
func Score(r float64) float64 { return min(max((r+150)/500, 0), 1) }

// HullPosition returns the position of the hull's origin (metres).
func (e *Env) HullPosition() Point {
	p := e.hull.Position()
	return Point{p.X, p.Y}
}

// Terrain returns the terrain of the current episode.
func (e *Env) Terrain() *Terrain { return e.terrain }

func vec(p Point) cp.Vector { return cp.Vector{X: p.X, Y: p.Y} }
