package main

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/teachbench/teachbench/runner/store"
)

// checkSelfContained parses an HTML report and checks that it needs no other
// file: every src and href is a data: URI or a link to an anchor of the page,
// and every image is a PNG. It returns the number of images.
func checkSelfContained(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	ids := map[string]bool{}
	var anchors []string
	images := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local == "img" {
			images++
		}
		for _, a := range se.Attr {
			switch strings.ToLower(a.Name.Local) {
			case "id":
				ids[a.Value] = true
			case "src", "href", "srcset", "data", "poster", "action":
				switch {
				case strings.HasPrefix(a.Value, "data:image/png;base64,"):
					img, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(a.Value, "data:image/png;base64,"))
					if err != nil {
						t.Errorf("<%s %s>: bad base64: %v", se.Name.Local, a.Name.Local, err)
					} else if _, err := png.DecodeConfig(bytes.NewReader(img)); err != nil {
						t.Errorf("<%s %s>: not a PNG: %v", se.Name.Local, a.Name.Local, err)
					}
				case strings.HasPrefix(a.Value, "#"):
					anchors = append(anchors, a.Value[1:])
				default:
					t.Errorf("<%s %s=%.60q> refers to something outside the page", se.Name.Local, a.Name.Local, a.Value)
				}
			}
		}
	}
	for _, a := range anchors {
		if !ids[a] {
			t.Errorf("link to #%s, which the page does not have", a)
		}
	}
	if bytes.Contains(data, []byte("url(")) || bytes.Contains(data, []byte("@import")) {
		t.Error("the page's CSS loads something")
	}
	return images
}

// study is a small sweep with two environments, for the aggregate.
const study = `
name = "study"
seeds = 3
[budget]
episodes = 1500
[eval]
every = 300
[trace]
every = 2
[[env]]
name = "toy"
label = "toy-2d"
[[env]]
name = "toy"
label = "toy-3d"
[env.params]
dims = 3
cells = 4
[[teacher]]
name = "random"
[[teacher]]
name = "alp-gmm"
[teacher.params]
fit_rate = 100
`

func TestReportIncompleteStudy(t *testing.T) {
	out := t.TempDir()
	if code, stdout, stderr := bench(t, "run", writeConfig(t, study), "--out", out, "--plots=false"); code != 0 {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	dir := filepath.Join(out, "study")
	// An interrupted sweep: two runs lost, one failed, no summary.csv.
	for _, id := range []string{"toy-3d__alp-gmm__synthetic__s2", "toy-3d__alp-gmm__synthetic__s1"} {
		if err := os.RemoveAll(store.RunDir(dir, id)); err != nil {
			t.Fatal(err)
		}
	}
	rd := store.RunDir(dir, "toy-2d__random__synthetic__s0")
	r, err := store.ReadRun(rd)
	if err != nil {
		t.Fatal(err)
	}
	r.Status, r.Error = store.StatusFailed, "panic: boom\nstack"
	if err := store.WriteJSON(filepath.Join(rd, store.RunFile), r); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, store.SummaryFile))

	code, stdout, stderr := bench(t, "report", dir, "--thresholds", "5,20", "--resamples", "500")
	if code != 0 {
		t.Fatalf("report: exit %d\n%s\n%s", code, stdout, stderr)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"12 runs planned, 9 done, 1 failed, 2 missing",
		"This sweep is incomplete",
		"toy-3d__alp-gmm__synthetic__s1: missing",
		"toy-2d__random__synthetic__s0: failed: panic: boom",
		"## Environment toy-2d", "## Environment toy-3d", "## All environments",
		"| alp-gmm | 1 of 3 |", // toy-3d alp-gmm: one finished run
		"≥ 5%: reached, median episodes",
		"![curves_toy-2d](plots/curves_toy-2d.png)", "![sampling_toy-3d](plots/sampling_toy-3d.png)",
		"![intervals](plots/intervals.png)", "![curves](plots/curves.png)",
		"config_sha256", `"fit_rate": 100`,
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	// Every PNG figure written is in the page, and nothing else is needed.
	pngs, _ := filepath.Glob(filepath.Join(dir, store.PlotsDir, "*.png"))
	if n := checkSelfContained(t, filepath.Join(dir, "report.html")); n != len(pngs) || n < 7 {
		t.Errorf("the page has %d images; %d PNG figures were drawn", n, len(pngs))
	}
	if _, err := os.Stat(filepath.Join(dir, store.PlotsDir, "curves_toy-2d.svg")); err != nil {
		t.Errorf("default formats: %v", err)
	}
}

// TestReportQuickstart builds the report of the quickstart sweep, as the
// README shows it.
func TestReportQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the 20-run quickstart sweep")
	}
	out := t.TempDir()
	cfg := filepath.Join("..", "..", "configs", "quickstart.toml")
	if code, stdout, stderr := bench(t, "run", cfg, "--out", out, "--plots=false"); code != 0 {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	dir := filepath.Join(out, "quickstart")
	report := t.TempDir()
	code, stdout, stderr := bench(t, "report", dir, "--out", report, "--formats", "pdf")
	if code != 0 {
		t.Fatalf("report: exit %d\n%s\n%s", code, stdout, stderr)
	}
	md, _ := os.ReadFile(filepath.Join(report, "report.md"))
	for _, want := range []string{"20 runs planned, 20 done", "| alp-gmm | 10 |", "▲***", "10/10"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if strings.Contains(string(md), "incomplete") {
		t.Error("a complete sweep is reported incomplete")
	}
	// Figures are linked relative to the report.
	if !strings.Contains(string(md), "](../") {
		t.Errorf("report.md outside the results directory does not link the figures relatively")
	}
	// curves_toy, sampling_toy, intervals, profiles, improvement.
	if n := checkSelfContained(t, filepath.Join(report, "report.html")); n != 5 {
		t.Errorf("the page has %d images, want 5", n)
	}
	if _, err := os.Stat(filepath.Join(dir, store.PlotsDir, "intervals.pdf")); err != nil {
		t.Error(err)
	}
}

func TestReportErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report"}, 2, "want DIR"},
		{[]string{"report", t.TempDir()}, 1, "not a results directory"},
		{[]string{"report", "--thresholds", "x", "."}, 2, `"x" is not a percentage`},
		{[]string{"report", "--level", "2", "."}, 2, "--level 2"},
		{[]string{"report", "--formats", "gif", "."}, 2, `unknown format "gif"`},
	} {
		code, _, stderr := bench(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("bench %q: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}
