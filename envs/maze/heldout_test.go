package maze

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

var update = flag.Bool("update", false, "rewrite the generated held-out level files and docs/figures/maze_heldout.png")

// TestHeldOutMazes checks that every held-out maze parses, is solvable, has
// its reference step limit, and that the oracle solves it within that limit.
func TestHeldOutMazes(t *testing.T) {
	mazes, err := HeldOutMazes()
	if err != nil {
		t.Fatal(err)
	}
	if len(mazes) != len(heldOutSpecs) {
		t.Fatalf("%d mazes, want %d", len(mazes), len(heldOutSpecs))
	}
	entries, err := levelFiles.ReadDir("levels")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(heldOutSpecs) {
		t.Errorf("levels/ holds %d files for %d held-out mazes", len(entries), len(heldOutSpecs))
	}
	for _, m := range mazes {
		d, ok := m.Level.ShortestPath()
		if !ok {
			t.Errorf("%s is unsolvable", m.Name)
			continue
		}
		steps, ret, solved := playOracle(t, m.Level, m.MaxSteps)
		if !solved {
			t.Errorf("%s: oracle did not reach the goal in %d steps", m.Name, m.MaxSteps)
		}
		if steps > 2*d+1 {
			t.Errorf("%s: oracle took %d steps for a shortest path of %d moves", m.Name, steps, d)
		}
		if want := reward(steps, m.MaxSteps); ret != want {
			t.Errorf("%s: return %v after %d steps, want %v", m.Name, ret, steps, want)
		}
	}
}

// TestHeldOutReferenceFacts pins layout facts checked against the reference
// code: sizes, start and goal cells (dcd coordinates minus the border), and
// shortest paths.
func TestHeldOutReferenceFacts(t *testing.T) {
	mazes, err := HeldOutMazes()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]HeldOut{}
	for _, m := range mazes {
		byName[m.Name] = m
	}
	for _, c := range []struct {
		name         string
		side         int
		agent, goal  Pos // dcd's (col, row) minus 1; nil goal = generated
		dir          Dir
		maxSteps     int
		generatedGen bool
	}{
		{"SixteenRooms", 13, Pos{1, 1}, Pos{11, 11}, Right, 450, false},
		{"SixteenRoomsFewerDoors", 13, Pos{1, 1}, Pos{11, 11}, Right, 450, false},
		{"NineRooms", 13, Pos{1, 1}, Pos{11, 11}, Right, 450, false},
		{"NineRoomsFewerDoors", 13, Pos{1, 1}, Pos{11, 11}, Right, 450, false},
		{"Labyrinth", 13, Pos{0, 12}, Pos{6, 6}, Right, 450, false},
		{"Labyrinth2", 13, Pos{0, 0}, Pos{6, 6}, Right, 450, false},
		{"LabyrinthFlipped", 13, Pos{12, 12}, Pos{6, 6}, Left, 450, false},
		{"Maze", 13, Pos{6, 0}, Pos{6, 12}, Right, 450, false},
		{"Maze2", 13, Pos{0, 6}, Pos{12, 4}, Right, 450, false},
		{"Maze3", 13, Pos{3, 0}, Pos{12, 6}, Right, 450, false},
		{"SmallCorridor", 13, Pos{0, 6}, Pos{}, Right, 450, true},
		{"LargeCorridor", 19, Pos{0, 9}, Pos{}, Right, 882, true},
		{"PerfectMazeSmall", 9, Pos{}, Pos{}, Right, 242, true},
		{"PerfectMazeMedium", 19, Pos{}, Pos{}, Right, 882, true},
		{"PerfectMazeLarge", 49, Pos{}, Pos{}, Right, 5202, true},
		{"PerfectMazeXL", 99, Pos{}, Pos{}, Right, 20402, true},
		{"FourRooms", 17, Pos{}, Pos{}, 0, 100, true},
		{"SimpleCrossingS11N5", 9, Pos{0, 0}, Pos{8, 8}, Right, 484, true},
	} {
		m, ok := byName[c.name]
		if !ok {
			t.Errorf("no held-out maze %s", c.name)
			continue
		}
		l := m.Level
		if l.Width != c.side || l.Height != c.side || m.MaxSteps != c.maxSteps {
			t.Errorf("%s: %d×%d, max_steps %d; want %d×%d, %d", c.name, l.Width, l.Height, m.MaxSteps, c.side, c.side, c.maxSteps)
		}
		if !c.generatedGen || c.agent != (Pos{}) {
			if l.Agent != c.agent || l.Dir != c.dir {
				t.Errorf("%s: agent at %v facing %v, want %v facing %v", c.name, l.Agent, l.Dir, c.agent, c.dir)
			}
		}
		if !c.generatedGen || c.goal != (Pos{}) {
			if l.Goal != c.goal {
				t.Errorf("%s: goal at %v, want %v", c.name, l.Goal, c.goal)
			}
		}
	}
	// The mirrored labyrinth is the labyrinth read right to left.
	lab, flip := byName["Labyrinth"].Level, byName["LabyrinthFlipped"].Level
	for y := range lab.Height {
		for x := range lab.Width {
			if lab.Wall(Pos{x, y}) != flip.Wall(Pos{lab.Width - 1 - x, y}) {
				t.Fatalf("LabyrinthFlipped is not Labyrinth mirrored at (%d, %d)", x, y)
			}
		}
	}
	// Shortest paths (forward moves), checked with an independent BFS.
	// dcd's docstrings say 16 moves for SixteenRooms and 27 for NineRooms,
	// which cannot be: the Manhattan distance from start to goal is 20.
	for name, want := range map[string]int{
		"SixteenRooms": 20, "SixteenRoomsFewerDoors": 22, "NineRooms": 20, "NineRoomsFewerDoors": 34,
		"Labyrinth": 96, "Labyrinth2": 96, "LabyrinthFlipped": 96, "Maze": 40, "Maze2": 56, "Maze3": 39,
	} {
		if d, _ := byName[name].Level.ShortestPath(); d != want {
			t.Errorf("%s: shortest path %d, want %d", name, d, want)
		}
	}
}

// TestHeldOutGenerated regenerates the procedurally generated held-out mazes
// from their fixed seeds and compares them with the stored files. With
// -update it rewrites the files instead.
func TestHeldOutGenerated(t *testing.T) {
	for i, spec := range heldOutSpecs {
		if spec.gen == nil {
			continue
		}
		l, err := generateHeldOut(i)
		if err != nil {
			t.Fatalf("%s: %v", spec.name, err)
		}
		if !l.Solvable() {
			t.Fatalf("%s: generated an unsolvable maze", spec.name)
		}
		text := l.String() + "\n"
		path := filepath.Join("levels", spec.name+".txt")
		if *update {
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		stored, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(stored) != text {
			t.Errorf("%s: stored file differs from the maze generated from its seed (run go test -run TestHeldOutGenerated -update)", spec.name)
		}
	}
}

// TestLoadHeldOutErrors feeds broken level files to the loader.
func TestLoadHeldOutErrors(t *testing.T) {
	for _, c := range []struct {
		name, file, want string
	}{
		{"unsolvable", ">#.\n.#G\n..#", "unsolvable"},
		{"malformed", ">.\n.G.", "line 2 has 3 cells"},
		{"no goal", ">..\n...", "no goal"},
		{"max_steps", "max_steps: 9\n>.G", "sets max_steps"},
	} {
		fsys := fstest.MapFS{"levels/Maze.txt": {Data: []byte(c.file)}}
		_, err := loadHeldOut(fsys, []string{"Maze"})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "Maze") {
			t.Errorf("%s: error %v, want one naming the maze and saying %q", c.name, err, c.want)
		}
	}
	if _, err := loadHeldOut(fstest.MapFS{}, []string{"Maze"}); err == nil {
		t.Error("missing file: no error")
	}
	if _, err := loadHeldOut(levelFiles, []string{"Mazes"}); err == nil || !strings.Contains(err.Error(), "unknown held-out maze") {
		t.Errorf("unknown name: error %v", err)
	}
}
