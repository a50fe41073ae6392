package keydoor

import (
	"fmt"
	"strings"
)

// The text form of a world: one line per row, two characters per cell.
//
//	..  empty            ##  wall              GG  goal
//	Kc  key of colour c  Ac  ball              Bc  box (its content is not shown)
//	Dc  closed door      Lc  locked door       _c  open door
//	>>  vv  <<  ^^       the agent facing right, down, left, up
//
// Colour letters are r, g, b, p, y and e (grey); an upper-case letter marks
// the Target object. The agent hides the cell it stands on (an open door or
// a goal); the carried object is not shown.
const colorLetters = "rgbpye"

var kindLetters = [numKinds]byte{Empty: '.', Wall: '#', Key: 'K', Ball: 'A', Box: 'B', Goal: 'G'}
var doorLetters = [3]byte{Open: '_', Closed: 'D', Locked: 'L'}
var agentLetters = [4]byte{'>', 'v', '<', '^'}

// String returns the world in text form (see ParseWorld).
func (w *World) String() string {
	var b strings.Builder
	ap, ad := w.Agent()
	for y := range w.height {
		if y > 0 {
			b.WriteByte('\n')
		}
		for x := range w.width {
			p := Pos{x, y}
			if p == ap {
				b.WriteByte(agentLetters[ad])
				b.WriteByte(agentLetters[ad])
				continue
			}
			b.WriteString(cellText(w.At(p)))
		}
	}
	return b.String()
}

func cellText(o Obj) string {
	switch o.Kind {
	case Empty:
		return ".."
	case Wall:
		return "##"
	case Goal:
		return "GG"
	}
	first := kindLetters[o.Kind]
	if o.Kind == Door {
		first = doorLetters[o.State]
	}
	c := colorLetters[o.Color]
	if o.Target {
		c -= 'a' - 'A'
	}
	return string([]byte{first, c})
}

// ParseWorld builds a world from its text form (see World.String): rows of
// equal length, two characters per cell, exactly one agent. Leading and
// trailing blank lines and indentation common to all rows are ignored.
// Boxes are empty; set their content with World.Set.
func ParseWorld(text string) (*World, error) {
	lines := strings.Split(text, "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("keydoor: empty world text")
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	width := len(lines[0]) / 2
	if len(lines[0])%2 != 0 || width == 0 {
		return nil, fmt.Errorf("keydoor: row 1 has %d characters: want two per cell", len(lines[0]))
	}
	if width > MaxSide || len(lines) > MaxSide {
		return nil, fmt.Errorf("keydoor: world of %d×%d cells: at most %d per side", width, len(lines), MaxSide)
	}
	w := new(World)
	w.Init(width, len(lines))
	agents := 0
	for y, line := range lines {
		if len(line) != 2*width {
			return nil, fmt.Errorf("keydoor: row %d has %d characters, want %d", y+1, len(line), 2*width)
		}
		for x := range width {
			cell := line[2*x : 2*x+2]
			if d := strings.IndexByte(string(agentLetters[:]), cell[0]); d >= 0 && cell[1] == cell[0] {
				agents++
				w.SetAgent(Pos{x, y}, Dir(d))
				continue
			}
			o, err := parseCell(cell)
			if err != nil {
				return nil, fmt.Errorf("keydoor: row %d, cell %d: %w", y+1, x+1, err)
			}
			w.Set(Pos{x, y}, o)
		}
	}
	if agents != 1 {
		return nil, fmt.Errorf("keydoor: %d agents: want exactly one (>>, vv, << or ^^)", agents)
	}
	return w, nil
}

func parseCell(cell string) (Obj, error) {
	switch cell {
	case "..":
		return Obj{}, nil
	case "##":
		return Obj{Kind: Wall}, nil
	case "GG":
		return Obj{Kind: Goal}, nil
	}
	var o Obj
	switch cell[0] {
	case 'K':
		o.Kind = Key
	case 'A':
		o.Kind = Ball
	case 'B':
		o.Kind = Box
	case 'D', 'L', '_':
		o.Kind = Door
		o.State = DoorState(strings.IndexByte(string(doorLetters[:]), cell[0]))
	default:
		return o, fmt.Errorf("%q: unknown cell", cell)
	}
	c := cell[1]
	if c >= 'A' && c <= 'Z' {
		o.Target = true
		c += 'a' - 'A'
	}
	i := strings.IndexByte(colorLetters, c)
	if i < 0 {
		return o, fmt.Errorf("%q: unknown colour letter %q (want one of %s)", cell, c, colorLetters)
	}
	o.Color = Color(i)
	return o, nil
}
