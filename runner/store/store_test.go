package store

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestEvalRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), EvalFile)
	rows := []EvalRow{
		{Episode: 0, Steps: 0, WallSeconds: 1e-5, Mastered: 0, ScoreMean: 0.1, ReturnMean: -120.5, SuccessRate: 0, Extra: []float64{0.3, 1}},
		{Episode: 1000, Steps: 250123, WallSeconds: 1.5, Mastered: 100.0 / 3, ScoreMean: 1.0 / 3, ReturnMean: 0.1 + 0.2, SuccessRate: 12.5, Extra: []float64{math.NaN(), 2}},
	}
	if err := WriteEval(path, []string{"solve_sixteenrooms", "n"}, rows); err != nil {
		t.Fatal(err)
	}
	metrics, got, err := ReadEval(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(metrics, []string{"solve_sixteenrooms", "n"}) || len(got) != 2 {
		t.Fatalf("metrics %v, %d rows", metrics, len(got))
	}
	if got[1].Mastered != rows[1].Mastered || got[1].ReturnMean != rows[1].ReturnMean || !math.IsNaN(got[1].Extra[0]) {
		t.Fatalf("numbers did not round-trip exactly: %+v", got[1])
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("file mode %v, want 0644", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestSamplesRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		space Space
		rows  []SampleRow
	}{
		{Space{Kind: "box", Dims: []Dim{{Name: "h", Lo: 0, Hi: 3}, {Name: "s", Lo: 0, Hi: 6}}},
			[]SampleRow{{Episode: 3, Steps: 12, Params: []float64{0.1, 5.999999999}, Return: 231.5, Score: 0.763, Success: true}}},
		{Space{Kind: "discrete", Tasks: []string{"a", "b,c"}},
			[]SampleRow{{Episode: 0, Index: 1, Return: 1, Score: 1}}},
		{Space{Kind: "levels"},
			[]SampleRow{{Episode: 9, Level: []byte{0, 1, 255, 10}, Return: 0.5, Score: 0.5}}},
	} {
		path := filepath.Join(t.TempDir(), SamplesFile)
		if err := WriteSamples(path, tc.space, tc.rows); err != nil {
			t.Fatal(err)
		}
		got, err := ReadSamples(path, tc.space)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.rows) {
			t.Errorf("%s: got %+v, want %+v", tc.space.Kind, got, tc.rows)
		}
	}
}

func TestSummaryRoundTripAndErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SummaryFile)
	rows := []SummaryRow{{RunID: "a__b__c__s0", Teacher: "alp-gmm(random_ratio=0.1)", Env: "toy", Student: "synthetic", Seed: 3,
		Status: StatusDone, FinalMastered: 35, AUCMastered: 15.25, Episodes: 20000, Steps: 20000, WallSeconds: 0.3}}
	if err := WriteSummary(path, rows); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSummary(path)
	if err != nil || !reflect.DeepEqual(got, rows) {
		t.Fatalf("got %+v, %v", got, err)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte(strings.Join(SummaryHeader, ",")+"\nr,t,e,s,x,done,1,2,3,4,5\n"), 0o644)
	if _, err := ReadSummary(bad); err == nil || !strings.Contains(err.Error(), "bad.csv:2: column 5") {
		t.Fatalf("error = %v, want one naming line 2, column 5", err)
	}
	os.WriteFile(bad, []byte("a,b\n"), 0o644)
	if _, _, err := ReadEval(bad); err == nil || !strings.Contains(err.Error(), "header") {
		t.Fatalf("error = %v", err)
	}
}

func TestRunJSON(t *testing.T) {
	dir := t.TempDir()
	rd := RunDir(dir, "x__y__z__s0")
	if err := os.MkdirAll(rd, 0o755); err != nil {
		t.Fatal(err)
	}
	r := &Run{ID: "x__y__z__s0", Key: "k", Env: Component{Name: "toy", Label: "toy", Params: map[string]any{"dims": 2.0}},
		Status: StatusFailed, Error: "boom", Space: Space{Kind: "box", Dims: []Dim{{Name: "x0", Hi: 1}}}}
	if err := WriteJSON(filepath.Join(rd, RunFile), r); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRun(rd)
	if err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("got %+v, %v", got, err)
	}
	os.MkdirAll(RunDir(dir, "no-run-json"), 0o755)
	runs, err := ListRuns(dir)
	if err != nil || len(runs) != 1 || runs[0] != rd {
		t.Fatalf("ListRuns = %v, %v", runs, err)
	}
}
