package walker

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/teachbench/teachbench/task"
)

// Terrain kinds (the `terrain` parameter).
const (
	StumpTerrain   = "stump"
	HexagonTerrain = "hexagon"
)

// DefaultMasteryThreshold is the return a test track's episode must exceed
// to count as mastered: the reference's 230 (see the package documentation
// for the calibration on this engine).
const DefaultMasteryThreshold = 230

// Limits of the parameters. Task values outside them are clipped to them
// (see Family.Track).
const (
	// StumpHeightLimit bounds the stump height range, in terrain steps:
	// [−StumpHeightLimit, StumpHeightLimit] covers TeachMyAgent's
	// "mostly trivial" [−3, 3] and "mostly infeasible" [0, 9] variants.
	StumpHeightLimit = 10
	// SpacingLimit bounds the obstacle spacing, in metres.
	SpacingLimit = 20
	// HexagonLimit is the upper bound of each Hexagon Tracks parameter
	// (teachDRL clips them to [0, 4]).
	HexagonLimit = 4
	// Test grid of Stump Tracks (TeachMyAgent's test set): heights in
	// [0, 3], spacings in [0, 6], whatever the training ranges.
	testMaxStumpHeight = 3
	testMaxSpacing     = 6
)

// Params are the family's parameters.
type Params struct {
	Terrain          string  `toml:"terrain" doc:"track generator: stump (Stump Tracks, 2 params) or hexagon (Hexagon Tracks, 12 params)"`
	Body             string  `toml:"body" doc:"walker morphology: default (gym BipedalWalker), short (legs 8×17 px) or quadru (two leg pairs, torque 300)"`
	MinStumpHeight   float64 `toml:"min_stump_height" doc:"stump: lower bound of the mean stump height, in terrain steps (TeachMyAgent's 'mostly trivial' variant: -3)"`
	MaxStumpHeight   float64 `toml:"max_stump_height" doc:"stump: upper bound of the mean stump height, in terrain steps (TeachMyAgent's 'mostly infeasible' variant: 9)"`
	MaxSpacing       float64 `toml:"max_obstacle_spacing" doc:"stump: upper bound of the flat ground between stumps, in metres"`
	MaxSteps         int     `toml:"max_steps" doc:"episode step limit (teachDRL's max_ep_len)"`
	MasteryThreshold float64 `toml:"mastery_threshold" doc:"a test track is mastered (and an episode a success) when its return exceeds this"`
	TestGrid         int     `toml:"test_grid" doc:"stump: the test set is a test_grid × test_grid grid over heights [0,3] × spacings [0,6]"`
	TestCount        int     `toml:"test_count" doc:"hexagon: number of test tracks drawn uniformly from [0,4]^12 (teachDRL 50, TeachMyAgent 400)"`
	TestSeed         int     `toml:"test_seed" doc:"seed of the test set (the hexagon tasks and every test track's layout)"`
	Iterations       int     `toml:"iterations" doc:"physics: cp solver iterations per substep (more is stiffer and slower)"`
	Substeps         int     `toml:"substeps" doc:"physics: cp steps per 1/50 s environment step"`
}

// DefaultParams returns Stump Tracks with the default walker, as in
// teachDRL's run.py and TeachMyAgent's benchmark.
func DefaultParams() Params {
	ph := DefaultPhysics()
	return Params{
		Terrain:          StumpTerrain,
		Body:             "default",
		MinStumpHeight:   0,
		MaxStumpHeight:   3,
		MaxSpacing:       6,
		MaxSteps:         2000,
		MasteryThreshold: DefaultMasteryThreshold,
		TestGrid:         10,
		TestCount:        50,
		TestSeed:         4222,
		Iterations:       ph.Iterations,
		Substeps:         ph.Substeps,
	}
}

// Validate checks the parameters.
func (p Params) Validate() error {
	switch p.Terrain {
	case StumpTerrain, HexagonTerrain:
	default:
		return fmt.Errorf("terrain = %q: want stump or hexagon", p.Terrain)
	}
	if _, err := BodyNamed(p.Body); err != nil {
		return fmt.Errorf("body = %q: want default, short or quadru", p.Body)
	}
	for _, c := range []struct {
		key    string
		v      float64
		lo, hi float64
	}{
		{"min_stump_height", p.MinStumpHeight, -StumpHeightLimit, StumpHeightLimit},
		{"max_stump_height", p.MaxStumpHeight, -StumpHeightLimit, StumpHeightLimit},
		{"max_obstacle_spacing", p.MaxSpacing, 0, SpacingLimit},
		{"mastery_threshold", p.MasteryThreshold, -100, 400},
	} {
		if !(c.v >= c.lo && c.v <= c.hi) {
			return fmt.Errorf("%s = %v: want a number in [%v, %v]", c.key, c.v, c.lo, c.hi)
		}
	}
	if p.MinStumpHeight > p.MaxStumpHeight {
		return fmt.Errorf("min_stump_height = %v > max_stump_height = %v", p.MinStumpHeight, p.MaxStumpHeight)
	}
	for _, c := range []struct {
		key    string
		v      int
		lo, hi int
	}{
		{"max_steps", p.MaxSteps, 1, 1_000_000},
		{"test_grid", p.TestGrid, 1, 100},
		{"test_count", p.TestCount, 1, 100_000},
		{"iterations", p.Iterations, 1, 1000},
		{"substeps", p.Substeps, 1, 100},
	} {
		if c.v < c.lo || c.v > c.hi {
			return fmt.Errorf("%s = %d: want an integer in [%d, %d]", c.key, c.v, c.lo, c.hi)
		}
	}
	return nil
}

// Family is the walker family. It is safe for concurrent use.
type Family struct {
	p       Params
	body    Body
	physics Physics
	box     *task.Box
	tests   []task.Task
}

// New returns the family for p.
func New(p Params) (*Family, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	body, _ := BodyNamed(p.Body)
	ph := DefaultPhysics()
	ph.Iterations, ph.Substeps = p.Iterations, p.Substeps
	f := &Family{p: p, body: body, physics: ph}
	var err error
	switch p.Terrain {
	case StumpTerrain:
		f.box, err = task.NewBox(
			task.Dim{Name: "stump_height", Lo: p.MinStumpHeight, Hi: p.MaxStumpHeight, Easy: task.EasyLo},
			task.Dim{Name: "obstacle_spacing", Lo: 0, Hi: p.MaxSpacing, Easy: task.EasyHi},
		)
	case HexagonTerrain:
		dims := make([]task.Dim, HexagonShapeDims)
		for i := range dims {
			dims[i] = task.Dim{Name: hexagonDimName(i), Lo: 0, Hi: HexagonLimit, Easy: task.EasyLo}
		}
		f.box, err = task.NewBox(dims...)
	}
	if err != nil {
		return nil, err
	}
	f.tests = f.testSet()
	return f, nil
}

// hexagonDimName names Hexagon Tracks parameter i: the x or y offset of
// vertex i/2 of the base hexagon.
func hexagonDimName(i int) string {
	return "v" + strconv.Itoa(i/2) + [2]string{"_dx", "_dy"}[i%2]
}

// PCG streams of the task seed's uses, so that no use shifts another.
const (
	terrainStream = 0x5851f42d4c957f2d
	testStream    = 0x14057b7ef767814f
)

// testSet builds the fixed test tasks: TeachMyAgent's grid for Stump
// Tracks, uniform draws for Hexagon Tracks; each with a fixed seed.
func (f *Family) testSet() []task.Task {
	rng := rand.New(rand.NewPCG(uint64(f.p.TestSeed), testStream))
	var tests []task.Task
	switch f.p.Terrain {
	case StumpTerrain:
		n := f.p.TestGrid
		for i := range n {
			for j := range n {
				tests = append(tests, task.Task{Params: []float64{linspace(0, testMaxStumpHeight, n, i), linspace(0, testMaxSpacing, n, j)}})
			}
		}
	case HexagonTerrain:
		for range f.p.TestCount {
			tests = append(tests, task.Task{Params: f.box.Uniform(nil, rng)})
		}
	}
	for i := range tests {
		tests[i].Seed = rng.Uint64()
	}
	return tests
}

// linspace returns point i of n evenly spaced points from lo to hi, both
// included (numpy's linspace).
func linspace(lo, hi float64, n, i int) float64 {
	if n == 1 {
		return lo
	}
	return lo + (hi-lo)*float64(i)/float64(n-1)
}

// Params returns the family's parameters.
func (f *Family) Params() Params { return f.p }

// Body returns the family's walker morphology.
func (f *Family) Body() Body { return f.body }

// Spaces returns the family's task space: a Box over (stump_height,
// obstacle_spacing) or over the 12 hexagon parameters.
func (f *Family) Spaces() []task.Space { return []task.Space{f.box} }

// TestSet returns the fixed test tracks.
func (f *Family) TestSet() []task.Task { return f.tests }

// Mastered reports whether the test episode's return exceeds the mastery
// threshold (strictly, as TeachMyAgent's analysis does).
func (f *Family) Mastered(_ task.Task, o task.Outcome) bool { return o.Return > f.p.MasteryThreshold }

// NewEnv returns a new environment instance. The walker draws all its
// randomness from the task seed, so rng is not used.
func (f *Family) NewEnv(*rand.Rand) task.Env { return newEnv(f) }

// Track generates the terrain of task t from its parameters and seed. Task
// values are clipped to the generator's limits (stump heights to
// ±StumpHeightLimit, spacings to [0, SpacingLimit], hexagon parameters to
// [0, HexagonLimit] as teachDRL does); a NaN or infinite value, or a wrong
// number of values, panics with a message naming it.
func (f *Family) Track(t task.Task) *Terrain {
	if f.box == nil {
		panic("walker: this Env belongs to no family: start its episodes with ResetTerrain")
	}
	if len(t.Params) != f.box.Len() {
		panic(fmt.Sprintf("walker: task has %d parameters, want %d (%v)", len(t.Params), f.box.Len(), f.box))
	}
	for i, v := range t.Params {
		if !finite(v) {
			panic(fmt.Sprintf("walker: task parameter %s = %v: want a finite number", f.box.Dim(i).Name, v))
		}
	}
	rng := rand.New(rand.NewPCG(t.Seed, terrainStream))
	switch f.p.Terrain {
	case HexagonTerrain:
		var shape [HexagonShapeDims]float64
		for i, v := range t.Params {
			shape[i] = clip(v, 0, HexagonLimit)
		}
		return HexagonTrack(shape[:], rng)
	default:
		return StumpTrack(clip(t.Params[0], -StumpHeightLimit, StumpHeightLimit), clip(t.Params[1], 0, SpacingLimit), rng)
	}
}

func clip(v, lo, hi float64) float64 { return math.Min(math.Max(v, lo), hi) }
