package maze

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The text form is JaxUED's ASCII layout (DramaCow/jaxued,
// environments/maze/level.py): one line per interior row, top row first, one
// character per cell: '#' wall, '.' empty, 'G' goal, and '>', 'v', '<' or '^'
// for the agent facing right, down, left or up. The border wall is implicit.
// A level whose MaxSteps is set gets a first line "max_steps: N", which
// JaxUED's format lacks; levels without it are plain JaxUED layouts.

const maxStepsKey = "max_steps"

// String returns the text form of l.
func (l *Level) String() string {
	var b strings.Builder
	b.Grow((l.Width + 1) * (l.Height + 1))
	if l.MaxSteps != 0 {
		b.WriteString(maxStepsKey + ": ")
		b.WriteString(strconv.Itoa(l.MaxSteps))
		b.WriteByte('\n')
	}
	for y := range l.Height {
		if y > 0 {
			b.WriteByte('\n')
		}
		for x := range l.Width {
			p := Pos{x, y}
			switch {
			case p == l.Agent && l.Dir <= Up:
				b.WriteByte(dirChars[l.Dir])
			case p == l.Goal:
				b.WriteByte('G')
			case l.Walls[y*l.Width+x]:
				b.WriteByte('#')
			default:
				b.WriteByte('.')
			}
		}
	}
	return b.String()
}

// MarshalText returns the text form of a valid level.
func (l *Level) MarshalText() ([]byte, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return []byte(l.String()), nil
}

// UnmarshalText parses the text form into l.
func (l *Level) UnmarshalText(text []byte) error {
	m, err := ParseLevel(string(text))
	if err != nil {
		return err
	}
	*l = *m
	return nil
}

// ParseLevel parses the text form of a level. Blank lines before and after
// the grid and trailing spaces are ignored, "\r\n" line ends are accepted.
// Errors name the line and column (from 1, counting every line of text) of
// the problem: an unexpected character, a row of the wrong length, a blank
// line inside the grid, a missing or repeated agent or goal, an interior
// larger than MaxSide.
func ParseLevel(text string) (*Level, error) {
	lines := strings.Split(text, "\n")
	for i, s := range lines {
		lines[i] = strings.TrimRight(s, " \t\r")
	}
	first, last := 0, len(lines)-1
	for first <= last && lines[first] == "" {
		first++
	}
	for last >= first && lines[last] == "" {
		last--
	}
	if first > last {
		return nil, errors.New("maze: empty level text")
	}
	l := &Level{}
	if strings.HasPrefix(lines[first], maxStepsKey) {
		v, ok := strings.CutPrefix(lines[first], maxStepsKey+":")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil || n < 1 || n > 0xffff {
			return nil, fmt.Errorf("maze: line %d: %q: want \"%s: N\" with N in 1..65535", first+1, lines[first], maxStepsKey)
		}
		l.MaxSteps = n
		first++
		for first <= last && lines[first] == "" {
			first++
		}
		if first > last {
			return nil, errors.New("maze: level text has a header but no grid")
		}
	}
	l.Width, l.Height = len(lines[first]), last-first+1
	if l.Width > MaxSide || l.Height > MaxSide {
		return nil, fmt.Errorf("maze: line %d: %d×%d interior: want width and height at most %d", first+1, l.Width, l.Height, MaxSide)
	}
	l.Walls = make([]bool, l.Width*l.Height)
	var agentAt, goalAt string // "line L, column C" of each, once found
	for y := range l.Height {
		row, line := lines[first+y], first+y+1
		if row == "" {
			return nil, fmt.Errorf("maze: line %d: blank line inside the grid", line)
		}
		col := 0
		for _, c := range row {
			col++
			if !strings.ContainsRune("#.G><^v", c) {
				r := strconv.QuoteRune(c)
				if c >= utf8.RuneSelf {
					r = "a non-ASCII character " + r
				}
				return nil, fmt.Errorf("maze: line %d, column %d: unexpected character %s: want '#' (wall), '.' (empty), 'G' (goal) or '>', 'v', '<', '^' (agent)", line, col, r)
			}
		}
		if len(row) != l.Width {
			return nil, fmt.Errorf("maze: line %d has %d cells: want %d like line %d", line, len(row), l.Width, first+1)
		}
		for x := range len(row) {
			at := func() string { return fmt.Sprintf("line %d, column %d", line, x+1) }
			switch c := row[x]; c {
			case '#':
				l.Walls[y*l.Width+x] = true
			case 'G':
				if goalAt != "" {
					return nil, fmt.Errorf("maze: %s: second goal (the first is at %s)", at(), goalAt)
				}
				goalAt, l.Goal = at(), Pos{x, y}
			case '>', 'v', '<', '^':
				if agentAt != "" {
					return nil, fmt.Errorf("maze: %s: second agent (the first is at %s)", at(), agentAt)
				}
				agentAt, l.Agent, l.Dir = at(), Pos{x, y}, Dir(strings.IndexByte(dirChars, c))
			}
		}
	}
	switch {
	case agentAt == "":
		return nil, errors.New("maze: no agent: want one of '>', 'v', '<', '^'")
	case goalAt == "":
		return nil, errors.New("maze: no goal: want one 'G'")
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}
