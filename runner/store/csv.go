package store

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// EvalRow is one row of eval.csv.
type EvalRow struct {
	Episode     int64
	Steps       int64
	WallSeconds float64
	// Mastered is the percentage (0–100) of test tasks mastered.
	Mastered    float64
	ScoreMean   float64
	ReturnMean  float64
	SuccessRate float64
	// Extra holds the family's extra metrics, named in Run.Metrics.
	Extra []float64
}

// EvalHeader returns the header of eval.csv for a family with the given extra
// metric names.
func EvalHeader(metrics []string) []string {
	return append([]string{"episode", "steps", "wall_s", "mastered", "score_mean", "return_mean", "success_rate"}, metrics...)
}

// WriteEval writes eval.csv atomically.
func WriteEval(path string, metrics []string, rows []EvalRow) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(EvalHeader(metrics))
	rec := make([]string, 0, 7+len(metrics))
	for _, r := range rows {
		rec = append(rec[:0], itoa(r.Episode), itoa(r.Steps), ftoa(r.WallSeconds), ftoa(r.Mastered),
			ftoa(r.ScoreMean), ftoa(r.ReturnMean), ftoa(r.SuccessRate))
		for _, v := range r.Extra {
			rec = append(rec, ftoa(v))
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return WriteFileAtomic(path, buf.Bytes())
}

// ReadEval reads an eval.csv written by WriteEval and returns the extra metric
// names and the rows.
func ReadEval(path string) (metrics []string, rows []EvalRow, err error) {
	recs, err := readCSV(path)
	if err != nil {
		return nil, nil, err
	}
	base := EvalHeader(nil)
	if len(recs) == 0 || len(recs[0]) < len(base) || !slices.Equal(recs[0][:len(base)], base) {
		return nil, nil, fmt.Errorf("%s: header is not %s", path, strings.Join(base, ","))
	}
	metrics = recs[0][len(base):]
	for i, rec := range recs[1:] {
		p := parser{path: path, line: i + 2, rec: rec}
		r := EvalRow{
			Episode: p.int(0), Steps: p.int(1), WallSeconds: p.float(2), Mastered: p.float(3),
			ScoreMean: p.float(4), ReturnMean: p.float(5), SuccessRate: p.float(6),
		}
		for j := range metrics {
			r.Extra = append(r.Extra, p.float(len(base)+j))
		}
		if p.err != nil {
			return nil, nil, p.err
		}
		rows = append(rows, r)
	}
	return metrics, rows, nil
}

// SampleRow is one row of samples.csv: a task the teacher proposed and the
// outcome of the episode the student learned from.
type SampleRow struct {
	Episode int64
	Steps   int64
	// Params, Index or Level holds the task, as in task.Task.
	Params  []float64
	Index   int
	Level   []byte
	Return  float64
	Score   float64
	Success bool
}

// SamplesHeader returns the header of samples.csv for the space sp. Box
// dimensions become columns "task_<name>".
func SamplesHeader(sp Space) []string {
	h := []string{"episode", "steps"}
	switch sp.Kind {
	case "box":
		for _, d := range sp.Dims {
			h = append(h, "task_"+d.Name)
		}
	case "discrete":
		h = append(h, "task_index", "task_name")
	case "levels":
		h = append(h, "task_level")
	}
	return append(h, "return", "score", "success")
}

// WriteSamples writes samples.csv atomically.
func WriteSamples(path string, sp Space, rows []SampleRow) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(SamplesHeader(sp))
	var rec []string
	for _, r := range rows {
		rec = append(rec[:0], itoa(r.Episode), itoa(r.Steps))
		switch sp.Kind {
		case "box":
			for _, v := range r.Params {
				rec = append(rec, ftoa(v))
			}
		case "discrete":
			name := ""
			if r.Index >= 0 && r.Index < len(sp.Tasks) {
				name = sp.Tasks[r.Index]
			}
			rec = append(rec, strconv.Itoa(r.Index), name)
		case "levels":
			rec = append(rec, base64.StdEncoding.EncodeToString(r.Level))
		}
		rec = append(rec, ftoa(r.Return), ftoa(r.Score), strconv.FormatBool(r.Success))
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return WriteFileAtomic(path, buf.Bytes())
}

// ReadSamples reads a samples.csv written by WriteSamples for space sp.
func ReadSamples(path string, sp Space) ([]SampleRow, error) {
	recs, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	head := SamplesHeader(sp)
	if len(recs) == 0 || !slices.Equal(recs[0], head) {
		return nil, fmt.Errorf("%s: header is not %s", path, strings.Join(head, ","))
	}
	rows := make([]SampleRow, 0, len(recs)-1)
	for i, rec := range recs[1:] {
		p := parser{path: path, line: i + 2, rec: rec}
		r := SampleRow{Episode: p.int(0), Steps: p.int(1)}
		col := 2
		switch sp.Kind {
		case "box":
			r.Params = make([]float64, len(sp.Dims))
			for j := range r.Params {
				r.Params[j] = p.float(col)
				col++
			}
		case "discrete":
			r.Index = int(p.int(col))
			col += 2
		case "levels":
			lv, err := base64.StdEncoding.DecodeString(rec[col])
			if err != nil && p.err == nil {
				p.err = fmt.Errorf("%s:%d: column %d: %w", path, p.line, col+1, err)
			}
			r.Level = lv
			col++
		}
		r.Return, r.Score = p.float(col), p.float(col+1)
		r.Success = p.bool(col + 2)
		if p.err != nil {
			return nil, p.err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// SummaryRow is one row of summary.csv.
type SummaryRow struct {
	RunID   string
	Teacher string
	Env     string
	Student string
	Seed    int
	Status  string
	// FinalMastered is the last evaluation's mastered percentage;
	// AUCMastered the mean of mastered over all evaluations (0–100).
	FinalMastered float64
	AUCMastered   float64
	Episodes      int64
	Steps         int64
	WallSeconds   float64
}

// SummaryHeader is the header of summary.csv.
var SummaryHeader = []string{"run_id", "teacher", "env", "student", "seed", "status", "final_mastered", "auc_mastered", "episodes", "steps", "wall_s"}

// WriteSummary writes summary.csv atomically.
func WriteSummary(path string, rows []SummaryRow) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(SummaryHeader)
	for _, r := range rows {
		w.Write([]string{r.RunID, r.Teacher, r.Env, r.Student, strconv.Itoa(r.Seed), r.Status,
			ftoa(r.FinalMastered), ftoa(r.AUCMastered), itoa(r.Episodes), itoa(r.Steps), ftoa(r.WallSeconds)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return WriteFileAtomic(path, buf.Bytes())
}

// ReadSummary reads a summary.csv written by WriteSummary.
func ReadSummary(path string) ([]SummaryRow, error) {
	recs, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || !slices.Equal(recs[0], SummaryHeader) {
		return nil, fmt.Errorf("%s: header is not %s", path, strings.Join(SummaryHeader, ","))
	}
	var rows []SummaryRow
	for i, rec := range recs[1:] {
		p := parser{path: path, line: i + 2, rec: rec}
		r := SummaryRow{RunID: rec[0], Teacher: rec[1], Env: rec[2], Student: rec[3], Seed: int(p.int(4)), Status: rec[5],
			FinalMastered: p.float(6), AUCMastered: p.float(7), Episodes: p.int(8), Steps: p.int(9), WallSeconds: p.float(10)}
		if p.err != nil {
			return nil, p.err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = false
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// parser converts CSV fields, keeping the first error with its position.
type parser struct {
	path string
	line int
	rec  []string
	err  error
}

func (p *parser) field(i int) (string, bool) {
	if p.err != nil {
		return "", false
	}
	if i >= len(p.rec) {
		p.err = fmt.Errorf("%s:%d: has %d columns, want more than %d", p.path, p.line, len(p.rec), i)
		return "", false
	}
	return p.rec[i], true
}

func (p *parser) float(i int) float64 {
	s, ok := p.field(i)
	if !ok {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		p.err = fmt.Errorf("%s:%d: column %d: %w", p.path, p.line, i+1, err)
	}
	return v
}

func (p *parser) int(i int) int64 {
	s, ok := p.field(i)
	if !ok {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.err = fmt.Errorf("%s:%d: column %d: %w", p.path, p.line, i+1, err)
	}
	return v
}

func (p *parser) bool(i int) bool {
	s, ok := p.field(i)
	if !ok {
		return false
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		p.err = fmt.Errorf("%s:%d: column %d: %w", p.path, p.line, i+1, err)
	}
	return v
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
func itoa(v int64) string   { return strconv.FormatInt(v, 10) }
