package goalmaze

import (
	"fmt"
	"slices"
	"strings"
)

// namedLayout is the source of a built-in layout.
type namedLayout struct {
	name, ref, doc string
	limit          int
	text           string
}

// The built-in layouts. The first five are the point mazes of Sibling
// Rivalry (Trott et al., NeurIPS 2019; envs/sibrivalry/toy_maze/mazes.py in
// the SVGG code), transcribed from the reference's segment lists: the maze
// is the union of the segments' unit cells, each enclosed by walls except
// where a segment joins its anchor. The "-alt" and "-open" variants are made
// here for the recovery experiment (the environment change of SVGG's paper):
// same grid and start, some passages moved.
var namedLayouts = []namedLayout{
	{
		name: "u-maze", ref: "umaze_4", limit: 30,
		doc: "U-maze of Sibling Rivalry (corridor length 4): along the bottom, up the right end, back along the top; the middle row is solid",
		text: `
+-+-+-+-+-+
|. . . . .|
+-+-+-+-+ +
|# # # #|.|
+-+-+-+-+ +
|S . . . .|
+-+-+-+-+-+`,
	},
	{
		name: "maze-1", ref: "square_pbcs_0", limit: 30,
		doc: "SVGG's Maze 1 (Sibling Rivalry's square_pbcs_0): a 5×5 tree maze whose far end is the top-right cell",
		text: `
+-+-+-+-+-+
|. .|. .|.|
+ + + + + +
|.|. .|.|.|
+ +-+-+ + +
|. . .|. .|
+ +-+ +-+-+
|. .|. . .|
+-+-+-+-+ +
|S . . . .|
+-+-+-+-+-+`,
	},
	{
		name: "maze-2", ref: "square_pbcs_1", limit: 30,
		doc: "SVGG's Maze 2 (Sibling Rivalry's square_pbcs_1): a 5×5 tree maze whose far end is cell (0, 3), just above the start",
		text: `
+-+-+-+-+-+
|. .|. . .|
+ + + + +-+
|.|. .|. .|
+-+-+-+-+ +
|. . . .|.|
+ +-+-+ + +
|.|. . .|.|
+ + +-+-+ +
|S|. . . .|
+-+-+-+-+-+`,
	},
	{
		name: "maze-3", ref: "snail", limit: 40,
		doc: "SVGG's Maze 3 (Sibling Rivalry's snail, length 5): a 6×6 inward spiral ending at cell (2, 3); its far end takes about 28 steps at best, so its limit is 40 (SVGG used 30)",
		text: `
+-+-+-+-+-+-+
|. . . . . .|
+ +-+-+-+-+ +
|.|. . . .|.|
+ + +-+-+ + +
|.|.|. .|.|.|
+ + +-+ + + +
|.|. . .|.|.|
+ +-+-+-+ + +
|. . . . .|.|
+-+-+-+-+-+ +
|S . . . . .|
+-+-+-+-+-+-+`,
	},
	{
		name: "maze-4", ref: "snake", limit: 30,
		doc: "SVGG's Maze 4 (Sibling Rivalry's snake, length 5): five 5-cell rows joined at alternate ends",
		text: `
+-+-+-+-+-+
|. . . . .|
+ +-+-+-+-+
|. . . . .|
+-+-+-+-+ +
|. . . . .|
+ +-+-+-+-+
|. . . . .|
+-+-+-+-+ +
|S . . . .|
+-+-+-+-+-+`,
	},
	{
		name: "u-maze-open", limit: 30,
		doc: "u-maze with its left end opened: cell (0, 1) joins the start to the top corridor (a ring; a new short route)",
		text: `
+-+-+-+-+-+
|. . . . .|
+ +-+-+-+ +
|.|# # #|.|
+ +-+-+-+ +
|S . . . .|
+-+-+-+-+-+`,
	},
	{
		name: "maze-1-alt", limit: 30,
		doc: "maze-1 with the passage (4,0)–(4,1) closed and (0,0)–(0,1) opened: the bottom row becomes a dead end and the rest is reached from the left",
		text: `
+-+-+-+-+-+
|. .|. .|.|
+ + + + + +
|.|. .|.|.|
+ +-+-+ + +
|. . .|. .|
+ +-+ +-+-+
|. .|. . .|
+ +-+-+-+-+
|S . . . .|
+-+-+-+-+-+`,
	},
	{
		name: "maze-2-alt", limit: 30,
		doc: "maze-2 with the passage (0,1)–(0,2) closed and (0,0)–(1,0) opened: the maze is entered along the bottom row",
		text: `
+-+-+-+-+-+
|. .|. . .|
+ + + + +-+
|.|. .|. .|
+-+-+-+-+ +
|. . . .|.|
+-+-+-+ + +
|.|. . .|.|
+ + +-+-+ +
|S . . . .|
+-+-+-+-+-+`,
	},
	{
		name: "maze-3-alt", limit: 40,
		doc: "maze-3 with the passage (5,0)–(5,1) closed and (0,0)–(0,1) opened: the spiral's inner part is entered from the left, its outer ring becomes a dead end",
		text: `
+-+-+-+-+-+-+
|. . . . . .|
+ +-+-+-+-+ +
|.|. . . .|.|
+ + +-+-+ + +
|.|.|. .|.|.|
+ + +-+ + + +
|.|. . .|.|.|
+ +-+-+-+ + +
|. . . . .|.|
+ +-+-+-+-+-+
|S . . . . .|
+-+-+-+-+-+-+`,
	},
	{
		name: "maze-4-alt", limit: 30,
		doc: "maze-4 with the passage (4,0)–(4,1) closed and (0,0)–(0,1) opened: the upper rows are reached from the left, the bottom row becomes a dead end",
		text: `
+-+-+-+-+-+
|. . . . .|
+ +-+-+-+-+
|. . . . .|
+-+-+-+-+ +
|. . . . .|
+ +-+-+-+-+
|. . . . .|
+ +-+-+-+-+
|S . . . .|
+-+-+-+-+-+`,
	},
}

// builtins holds the parsed built-in layouts, in the order of namedLayouts.
var builtins = func() []*Layout {
	ls := make([]*Layout, len(namedLayouts))
	for i, n := range namedLayouts {
		l, err := ParseLayout(n.text)
		if err != nil {
			panic(fmt.Sprintf("goalmaze: built-in layout %s: %v", n.name, err))
		}
		l.Name, l.Ref, l.Doc, l.Limit = n.name, n.ref, n.doc, n.limit
		ls[i] = l
	}
	return ls
}()

// Layouts returns the built-in layouts: u-maze, maze-1 to maze-4 (SVGG's
// mazes), then the variants for environment changes. They must not be
// modified.
func Layouts() []*Layout { return slices.Clone(builtins) }

// LayoutNames returns the names of the built-in layouts.
func LayoutNames() []string {
	names := make([]string, len(builtins))
	for i, l := range builtins {
		names[i] = l.Name
	}
	return names
}

// LayoutNamed returns the built-in layout called name, or whose reference
// name (square_pbcs_0, snail, ...) is name.
func LayoutNamed(name string) (*Layout, error) {
	for _, l := range builtins {
		if l.Name == name || (l.Ref != "" && l.Ref == name) {
			return l, nil
		}
	}
	return nil, fmt.Errorf("unknown layout %q: want one of %s (or a reference name: %s)",
		name, strings.Join(LayoutNames(), ", "), strings.Join(refNames(), ", "))
}

func refNames() []string {
	var refs []string
	for _, l := range builtins {
		if l.Ref != "" {
			refs = append(refs, l.Ref)
		}
	}
	return refs
}
