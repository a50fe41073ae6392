package maze

import (
	"embed"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
)

//go:embed levels/*.txt
var levelFiles embed.FS

// HeldOut is a named held-out evaluation maze.
type HeldOut struct {
	Name string
	// Level is the layout, read from levels/<Name>.txt; its MaxSteps is 0.
	Level *Level
	// MaxSteps is the step limit of the reference environment: dcd's
	// 2·size² (size with the border), MiniGrid's 100 for FourRooms and
	// 4·size² for SimpleCrossing.
	MaxSteps int
	// Source says where the layout comes from.
	Source string
}

// heldOutSpec describes one held-out maze. Generated mazes have a generator
// that rebuilds their file from a fixed seed.
type heldOutSpec struct {
	name     string
	maxSteps int
	source   string
	gen      func(rng *rand.Rand) (*Level, error)
}

// maxSteps15 is dcd's 2·size² for the 15 × 15 mazes.
const maxSteps15 = 2 * 15 * 15

var heldOutSpecs = []heldOutSpec{
	{"SixteenRooms", maxSteps15, "dcd MultiGrid-SixteenRooms-v0 (JaxUED SixteenRooms)", nil},
	{"SixteenRoomsFewerDoors", maxSteps15, "dcd MultiGrid-SixteenRoomsFewerDoors-v0 (JaxUED SixteenRooms2)", nil},
	{"NineRooms", maxSteps15, "dcd MultiGrid-NineRooms-v0", nil},
	{"NineRoomsFewerDoors", maxSteps15, "dcd MultiGrid-NineRoomsFewerDoors-v0", nil},
	{"Labyrinth", maxSteps15, "dcd MultiGrid-Labyrinth-v0 (JaxUED Labyrinth)", nil},
	{"Labyrinth2", maxSteps15, "dcd MultiGrid-Labyrinth2-v0 (JaxUED Labyrinth2)", nil},
	{"LabyrinthFlipped", maxSteps15, "JaxUED and minimax LabyrinthFlipped (Labyrinth mirrored left to right)", nil},
	{"Maze", maxSteps15, "dcd MultiGrid-Maze-v0 (JaxUED StandardMaze)", nil},
	{"Maze2", maxSteps15, "dcd MultiGrid-Maze2-v0, HorizontalMazeEnv (JaxUED StandardMaze2)", nil},
	{"Maze3", maxSteps15, "dcd MultiGrid-Maze3-v0 (JaxUED StandardMaze3)", nil},
	{"SmallCorridor", maxSteps15, "dcd MultiGrid-SmallCorridor-v0, goal drawn once", func(rng *rand.Rand) (*Level, error) { return Corridor(13, rng) }},
	{"LargeCorridor", 2 * 21 * 21, "dcd MultiGrid-LargeCorridor-v0 (21 × 21), goal drawn once", func(rng *rand.Rand) (*Level, error) { return Corridor(19, rng) }},
	{"PerfectMazeSmall", 2 * 11 * 11, "dcd MultiGrid-PerfectMazeSmall-v0 (11 × 11), drawn once", func(rng *rand.Rand) (*Level, error) { return PerfectMaze(9, 9, rng) }},
	{"PerfectMazeMedium", 2 * 21 * 21, "dcd MultiGrid-PerfectMazeMedium-v0 (21 × 21), drawn once", func(rng *rand.Rand) (*Level, error) { return PerfectMaze(19, 19, rng) }},
	{"PerfectMazeLarge", 2 * 51 * 51, "dcd MultiGrid-PerfectMazeLarge-v0 (51 × 51), drawn once", func(rng *rand.Rand) (*Level, error) { return PerfectMaze(49, 49, rng) }},
	{"PerfectMazeXL", 2 * 101 * 101, "dcd MultiGrid-PerfectMazeXL-v0 (101 × 101), drawn once", func(rng *rand.Rand) (*Level, error) { return PerfectMaze(99, 99, rng) }},
	{"FourRooms", 100, "MiniGrid-FourRooms-v0 (19 × 19), drawn once", func(rng *rand.Rand) (*Level, error) { return FourRooms(rng), nil }},
	{"SimpleCrossingS11N5", 4 * 11 * 11, "MiniGrid-SimpleCrossingS11N5-v0 (11 × 11), drawn once", func(rng *rand.Rand) (*Level, error) { return SimpleCrossing(11, 5, rng) }},
}

// heldOutSeed seeds the generated held-out mazes: maze i of heldOutSpecs
// comes from PCG(heldOutSeed, i).
const heldOutSeed = 20201206 // PAIRED's NeurIPS 2020 opening day

// DefaultEvalMazes are the held-out mazes of the default test set: every
// held-out maze but the two largest perfect mazes, whose episodes (up to
// 5,202 and 20,402 steps) would dominate the cost of evaluation.
var DefaultEvalMazes = []string{
	"SixteenRooms", "SixteenRoomsFewerDoors", "NineRooms", "NineRoomsFewerDoors",
	"Labyrinth", "Labyrinth2", "LabyrinthFlipped", "Maze", "Maze2", "Maze3",
	"SmallCorridor", "LargeCorridor", "PerfectMazeSmall", "PerfectMazeMedium",
	"FourRooms", "SimpleCrossingS11N5",
}

// HeldOutNames returns the names of every held-out maze, in a fixed order.
func HeldOutNames() []string {
	names := make([]string, len(heldOutSpecs))
	for i, s := range heldOutSpecs {
		names[i] = s.name
	}
	return names
}

// HeldOutMazes returns every held-out maze, read from the embedded level
// files.
func HeldOutMazes() ([]HeldOut, error) { return loadHeldOut(levelFiles, HeldOutNames()) }

// loadHeldOut reads the named mazes from fsys (files levels/<name>.txt),
// checking that each parses and is solvable.
func loadHeldOut(fsys fs.FS, names []string) ([]HeldOut, error) {
	out := make([]HeldOut, 0, len(names))
	for _, name := range names {
		i := slices.IndexFunc(heldOutSpecs, func(s heldOutSpec) bool { return s.name == name })
		if i < 0 {
			return nil, fmt.Errorf("maze: unknown held-out maze %q: want one of %s", name, strings.Join(HeldOutNames(), ", "))
		}
		spec := heldOutSpecs[i]
		path := "levels/" + name + ".txt"
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return nil, fmt.Errorf("maze: held-out maze %s: %w", name, err)
		}
		l, err := ParseLevel(string(data))
		if err != nil {
			return nil, fmt.Errorf("maze: held-out maze %s (%s): %w", name, path, err)
		}
		if l.MaxSteps != 0 {
			return nil, fmt.Errorf("maze: held-out maze %s (%s) sets max_steps: its limit comes from the maze table", name, path)
		}
		if !l.Solvable() {
			return nil, fmt.Errorf("maze: held-out maze %s (%s) is unsolvable: no path from the agent to the goal", name, path)
		}
		out = append(out, HeldOut{Name: name, Level: l, MaxSteps: spec.maxSteps, Source: spec.source})
	}
	return out, nil
}

// generateHeldOut rebuilds the generated held-out maze i of heldOutSpecs
// from its fixed seed.
func generateHeldOut(i int) (*Level, error) {
	return heldOutSpecs[i].gen(rand.New(rand.NewPCG(heldOutSeed, uint64(i))))
}
