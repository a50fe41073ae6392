package plots

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot/vg"
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
	{vg.Points(6), vg.Points(3)},
	{vg.Points(2), vg.Points(2)},
	{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)},
}

// isRandom reports whether a teacher label names the random baseline teacher,
// which figures always draw in grey. The comparison ignores case.
func isRandom(label string) bool { return strings.EqualFold(label, "random") }

// TeacherColors returns the colour of each teacher label, so that a teacher
// looks the same in every figure of a sweep. Labels should be given in order
// of first appearance in the sweep's planned runs; repeated labels are
// ignored.
//
// The random teacher, labelled "random" in any case, is grey. The other labels take the colours
// of the Okabe–Ito colour-blind-safe palette in order, cycling when there are
// more teachers than colours; TeacherDashes then tells the cycles apart.
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

// withAlpha returns c with its opacity set to a, for translucent bands.
func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}
