package plots

import (
	"image/color"
	"slices"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// randomGrey is the colour of the random teacher, the baseline that every
// figure draws in grey.
var randomGrey = color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}

// okabeIto is the Okabe–Ito colour-blind-safe qualitative palette without its
// grey, ordered so that the colours that read best as thin lines on white
// come first and yellow last.
var okabeIto = []color.Color{
	color.NRGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}, // blue
	color.NRGBA{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}, // vermillion
	color.NRGBA{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}, // bluish green
	color.NRGBA{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}, // reddish purple
	color.NRGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}, // orange
	color.NRGBA{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}, // sky blue
	color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}, // black
	color.NRGBA{R: 0xf0, G: 0xe4, B: 0x42, A: 0xff}, // yellow
}

// dashPatterns are the line dash patterns that distinguish teachers sharing
// a colour once the palette is exhausted, and students of one teacher.
var dashPatterns = [][]vg.Length{
	nil, // solid
	{vg.Points(4), vg.Points(2)},
	{vg.Points(1.5), vg.Points(1.5)},
	{vg.Points(5), vg.Points(2), vg.Points(1.5), vg.Points(2)},
}

// markers are the glyphs that tell teachers apart in print without colour.
// Their count is prime to the palette's, so that teachers that share a colour
// after a cycle of the palette get another glyph.
var markers = []draw.GlyphDrawer{
	draw.CircleGlyph{},
	draw.BoxGlyph{},
	draw.PyramidGlyph{},
	draw.RingGlyph{},
	draw.SquareGlyph{},
	draw.TriangleGlyph{},
	draw.PlusGlyph{},
}

// randomMarker is the glyph of the random teacher, used by no other.
var randomMarker draw.GlyphDrawer = draw.CrossGlyph{}

// isRandom reports whether a teacher label names the random baseline teacher,
// which figures always draw in grey. The comparison ignores case.
func isRandom(label string) bool { return strings.EqualFold(label, "random") }

// TeacherColors returns the colour of each teacher label, so that a teacher
// looks the same in every figure of a sweep. Labels should be given in order
// of first appearance in the sweep's planned runs (Sweep.Teachers), or in an
// order fixed by the user (Options.Teachers) so that several sweeps share
// styles; repeated labels are ignored.
//
// The random teacher, labelled "random" in any case, is grey. The other
// labels take the colours of the Okabe–Ito colour-blind-safe palette in
// order, cycling when there are more teachers than colours; TeacherDashes and
// TeacherMarkers then tell the cycles apart.
func TeacherColors(labels []string) map[string]color.Color {
	colors := make(map[string]color.Color, len(labels))
	for i, l := range nonRandom(labels) {
		colors[l] = okabeIto[i%len(okabeIto)]
	}
	for _, l := range labels {
		if isRandom(l) {
			colors[l] = randomGrey
		}
	}
	return colors
}

// TeacherDashes returns the line dash pattern of each teacher label, under the
// same ordering rule as TeacherColors: teachers in the first cycle of the
// palette, and the random teacher, are solid (nil); teachers that reuse a
// colour get a different dash pattern per cycle.
func TeacherDashes(labels []string) map[string][]vg.Length {
	dashes := make(map[string][]vg.Length, len(labels))
	for i, l := range nonRandom(labels) {
		dashes[l] = dashPatterns[(i/len(okabeIto))%len(dashPatterns)]
	}
	for _, l := range labels {
		if isRandom(l) {
			dashes[l] = nil
		}
	}
	return dashes
}

// TeacherMarkers returns the marker glyph of each teacher label, under the
// same ordering rule as TeacherColors: the random teacher is a cross, and
// the others take a circle, a filled square, a filled triangle, a ring, a
// square, a triangle and a plus in turn. Since there are seven glyphs and
// eight colours, no two of the first 56 teachers share both.
func TeacherMarkers(labels []string) map[string]draw.GlyphDrawer {
	m := make(map[string]draw.GlyphDrawer, len(labels))
	for i, l := range nonRandom(labels) {
		m[l] = markers[i%len(markers)]
	}
	for _, l := range labels {
		if isRandom(l) {
			m[l] = randomMarker
		}
	}
	return m
}

// nonRandom returns the distinct labels that do not name the random teacher,
// in order of first appearance.
func nonRandom(labels []string) []string {
	seen := make(map[string]bool, len(labels))
	var out []string
	for _, l := range labels {
		if seen[l] || isRandom(l) {
			continue
		}
		seen[l] = true
		out = append(out, l)
	}
	return out
}

// styles holds the look of every teacher of a sweep.
type styles struct {
	colors  map[string]color.Color
	dashes  map[string][]vg.Length
	markers map[string]draw.GlyphDrawer
	theme   theme
}

// newStyles assigns styles to the teachers: those of order first, in its
// order, then the others of sweep order.
func newStyles(order, sweep []string, th theme) *styles {
	labels := slices.Concat(order, sweep)
	return &styles{colors: TeacherColors(labels), dashes: TeacherDashes(labels), markers: TeacherMarkers(labels), theme: th}
}

// line returns the line style of a group: its teacher's colour and dashes,
// the dashes shifted by the student index so that the students of one
// teacher differ.
func (s *styles) line(g *Group) draw.LineStyle {
	d := s.dashes[g.Teacher]
	if g.student > 0 {
		k := slices.IndexFunc(dashPatterns, func(p []vg.Length) bool { return slices.Equal(p, d) })
		d = dashPatterns[(max(k, 0)+g.student)%len(dashPatterns)]
	}
	return draw.LineStyle{Color: s.color(g.Teacher), Width: s.theme.lineWidth(), Dashes: d}
}

// glyph returns the marker style of a teacher.
func (s *styles) glyph(teacher string) draw.GlyphStyle {
	shape := s.markers[teacher]
	if shape == nil {
		shape = draw.CircleGlyph{}
	}
	return draw.GlyphStyle{Color: s.color(teacher), Radius: s.theme.markerRadius(), Shape: shape}
}

func (s *styles) color(teacher string) color.Color {
	if c, ok := s.colors[teacher]; ok {
		return c
	}
	return color.Black
}

// withAlpha returns c with its opacity set to a, for translucent bands.
func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// sansSerif is the typeface of all figure text.
var sansSerif = font.Font{Typeface: "Liberation", Variant: "Sans"}

// theme sets the sizes of figure text and lines from a base font size, so
// that one setting scales a figure for a slide or a paper.
type theme struct{ base vg.Length }

func (t theme) title() font.Font  { return font.From(sansSerif, t.base+1) }
func (t theme) label() font.Font  { return font.From(sansSerif, t.base) }
func (t theme) tick() font.Font   { return font.From(sansSerif, t.base-1) }
func (t theme) legend() font.Font { return font.From(sansSerif, t.base-0.5) }

// lineWidth is 1.2 points at the default 8-point text.
func (t theme) lineWidth() vg.Length { return t.base * 0.15 }

// markerRadius is 2 points at the default 8-point text.
func (t theme) markerRadius() vg.Length { return t.base * 0.25 }

// pad is the space between panels and around figures.
func (t theme) pad() vg.Length { return t.base * 0.75 }
