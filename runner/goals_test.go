package runner

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/teachbench/teachbench/envs/goalmaze"
	"github.com/teachbench/teachbench/runner/store"
)

// herMazeConfig is a short run of the her student on a goal maze with a
// teacher, with the student settings of configs/studies/goals.toml.
func herMazeConfig(layout, teacher string, seeds, steps, every int) string {
	return fmt.Sprintf(`
name = "her-maze"
seeds = %d
[budget]
steps = %d
[eval]
every = %d
[[env]]
name = "goalmaze"
[env.params]
layout = %q
[[teacher]]
name = %q
[[student]]
name = "her"
[student.params]
activation = "relu"
batch_size = 128
`, seeds, steps, every, layout, teacher)
}

// TestHERLearnsGoalMaze trains the her student on the U-maze with goals
// drawn uniformly from the goal space (invalid ones included) and checks
// that its success coverage of the test goals rises well above that of
// the untrained policy: 0%, 43%, 64% and 66% after 0, 4,000, 8,000 and
// 12,000 steps (seed 0 when this test was written; about 8 CPU-seconds).
func TestHERLearnsGoalMaze(t *testing.T) {
	if testing.Short() {
		t.Skip("trains DDPG+HER for 12,000 steps (about 8 CPU-seconds)")
	}
	c := mustParse(t, herMazeConfig("u-maze", "random", 1, 12000, 4000))
	runs, err := c.Plan()
	if err != nil {
		t.Fatal(err)
	}
	res := Execute(context.Background(), c, runs[0], nil)
	if res.Run.Status != "done" {
		t.Fatalf("run failed: %s", res.Run.Error)
	}
	var curve []float64
	for _, e := range res.Evals {
		curve = append(curve, e.Mastered)
	}
	t.Logf("coverage (%%) every 4000 steps: %.0f", curve)
	first, last := curve[0], curve[len(curve)-1]
	if first > 25 || last < 55 || last < first+30 {
		t.Errorf("coverage went from %.0f%% to %.0f%%: want a rise of at least 30 points to at least 55%%", first, last)
	}
}

// TestGoalSamplesFigure draws where teachers sampled goals over time on the
// maze of a finished goal-maze sweep: one row per teacher, one panel per
// window of episodes, the goals coloured by success (blue reached, red
// not). It runs only when TEACHBENCH_GOALS_FIGURE names the sweep's
// results directory (OUT/<name>), for example
//
//	TEACHBENCH_GOALS_FIGURE=/tmp/goals-results/goals go test ./runner -run TestGoalSamplesFigure
//
// and takes from the environment TEACHBENCH_GOALS_FIGURE_ENV (the env
// label, default maze-1), _TEACHERS (comma-separated teacher labels,
// default every teacher of that env), _SEED (default 0), _WINDOWS (default
// 5) and _OUT (default DIR/plots/goals_<env>.png).
func TestGoalSamplesFigure(t *testing.T) {
	dir := os.Getenv("TEACHBENCH_GOALS_FIGURE")
	if dir == "" {
		t.Skip("set TEACHBENCH_GOALS_FIGURE to a goal-maze sweep directory")
	}
	get := func(key, def string) string {
		if v := os.Getenv("TEACHBENCH_GOALS_FIGURE_" + key); v != "" {
			return v
		}
		return def
	}
	env := get("ENV", "maze-1")
	var teachersWanted []string
	if s := get("TEACHERS", ""); s != "" {
		teachersWanted = strings.Split(s, ",")
	}
	var seed, windows int
	if _, err := fmt.Sscan(get("SEED", "0"), &seed); err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Sscan(get("WINDOWS", "5"), &windows); err != nil {
		t.Fatal(err)
	}
	out := get("OUT", filepath.Join(dir, "plots", "goals_"+env+".png"))
	var buf bytes.Buffer
	if err := writeGoalSamplesPNG(&buf, dir, env, teachersWanted, seed, windows); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", out)
}

// writeGoalSamplesPNG writes the figure of TestGoalSamplesFigure for the
// runs of the sweep in dir on env label env with the given seed: for each
// teacher (labels in teachers, or every teacher of the sweep in the order
// of its runs), the goals it proposed (samples.csv) in each of windows
// equal windows of the run's episodes, on the run's maze (the changed one
// for windows that start after an environment change).
func writeGoalSamplesPNG(w io.Writer, dir, env string, teachers []string, seed, windows int) error {
	runDirs, err := store.ListRuns(dir)
	if err != nil {
		return err
	}
	type found struct {
		run  *store.Run
		rows []store.SampleRow
	}
	byTeacher := map[string]found{}
	var order []string
	for _, rd := range runDirs {
		r, err := store.ReadRun(rd)
		if err != nil || r.Env.Label != env || r.Seed != seed || r.Status != "done" {
			continue
		}
		if len(teachers) > 0 && !slices.Contains(teachers, r.Teacher.Label) {
			continue
		}
		rows, err := store.ReadSamples(filepath.Join(rd, "samples.csv"), r.Space)
		if err != nil {
			return fmt.Errorf("run %s: %w", r.ID, err)
		}
		byTeacher[r.Teacher.Label] = found{r, rows}
		order = append(order, r.Teacher.Label)
	}
	if len(teachers) > 0 {
		order = nil
		for _, l := range teachers {
			if _, ok := byTeacher[l]; ok {
				order = append(order, l)
			}
		}
	}
	if len(order) == 0 {
		return fmt.Errorf("no finished run on env %q with seed %d in %s", env, seed, dir)
	}
	var panels []goalmaze.Panel
	for _, label := range order {
		f := byTeacher[label]
		p := f.run.Env.Params
		layout, _ := p["layout"].(string)
		base, err := goalmaze.LayoutNamed(layout)
		if err != nil {
			return fmt.Errorf("teacher %s: env layout %q: %w", label, layout, err)
		}
		margin, _ := p["goal_margin"].(float64)
		changed := (*goalmaze.Layout)(nil)
		if cl, _ := p["change_layout"].(string); cl != "" {
			if changed, err = goalmaze.LayoutNamed(cl); err != nil {
				return err
			}
		}
		changeAt := toInt64(p["change_at"])
		byEpisodes := p["change_unit"] == goalmaze.UnitEpisodes
		episodes := f.run.Episodes
		for k := range windows {
			lo, hi := episodes*int64(k)/int64(windows), episodes*int64(k+1)/int64(windows)
			var pts [][2]float64
			var vals []float64
			var startSteps int64 = -1
			for _, s := range f.rows {
				if s.Episode < lo || s.Episode >= hi {
					continue
				}
				if startSteps < 0 {
					startSteps = s.Steps
				}
				pts = append(pts, [2]float64{s.Params[0], s.Params[1]})
				v := 0.0
				if s.Success {
					v = 1
				}
				vals = append(vals, v)
			}
			l := base
			at := startSteps
			if byEpisodes {
				at = lo
			}
			if changed != nil && at >= changeAt {
				l = changed
			}
			panels = append(panels, goalmaze.Panel{
				Layout: l, Margin: margin, Points: pts, Values: vals, Radius: 0.05,
				Title: fmt.Sprintf("%s, episodes %d–%d\n%s", label, lo, hi, l.Name),
			})
		}
	}
	return goalmaze.WritePanelsPNG(w, panels, windows)
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

// TestParticlesFigure replays one run of a goal-maze sweep whose teacher
// keeps goal particles (SVGG) and draws the particles themselves on the
// maze at evenly spaced moments of the run, from the initial ones to the
// last. The replay is the run: the same config, run spec and streams, so
// the same particles, bit for bit (the test checks its final coverage
// against the stored run when the sweep's results are given). It runs only
// when TEACHBENCH_PARTICLES_FIGURE names the sweep's config, for example
//
//	TEACHBENCH_PARTICLES_FIGURE=../configs/studies/goals.toml \
//	TEACHBENCH_PARTICLES_FIGURE_RUN=u-maze__svgg__her__s1 go test ./runner -run TestParticlesFigure
//
// and takes from the environment TEACHBENCH_PARTICLES_FIGURE_RUN (the run
// ID, default the first run whose teacher has particles), _SNAPSHOTS
// (default 6), _RESULTS (the sweep's results directory, OUT/<name>, to check
// the replay against) and _OUT (default particles_<run>.png). Relative
// paths are from the runner directory, where go test runs. A replay costs
// what the run cost.
func TestParticlesFigure(t *testing.T) {
	path := os.Getenv("TEACHBENCH_PARTICLES_FIGURE")
	if path == "" {
		t.Skip("set TEACHBENCH_PARTICLES_FIGURE to a goal-maze sweep config")
	}
	get := func(key, def string) string {
		if v := os.Getenv("TEACHBENCH_PARTICLES_FIGURE_" + key); v != "" {
			return v
		}
		return def
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := c.Plan()
	if err != nil {
		t.Fatal(err)
	}
	id := get("RUN", "")
	var snapshots int
	if _, err := fmt.Sscan(get("SNAPSHOTS", "6"), &snapshots); err != nil || snapshots < 2 {
		t.Fatalf("TEACHBENCH_PARTICLES_FIGURE_SNAPSHOTS = %q: want an integer >= 2", get("SNAPSHOTS", "6"))
	}
	for _, spec := range runs {
		if id != "" && spec.ID != id {
			continue
		}
		var res Result
		l, err := newLoop(c, spec, &res, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		pt, ok := l.teacher.(interface{ Particles() [][]float64 })
		if !ok {
			if id != "" {
				t.Fatalf("run %s: teacher %s keeps no particles", spec.ID, spec.Teacher.Label)
			}
			continue
		}
		fam, ok := l.family.(*goalmaze.Family)
		if !ok {
			t.Fatalf("run %s: env %s is not a goal maze", spec.ID, spec.Env.Label)
		}
		panels := []goalmaze.Panel{particlePanel(fam, pt.Particles(), spec.Teacher.Label, 0)}
		budget := c.Budget.Amount
		next := 1
		l.onEpisode = func() {
			if next < snapshots && l.spent() >= budget*int64(next)/int64(snapshots-1) {
				panels = append(panels, particlePanel(fam, pt.Particles(), spec.Teacher.Label, l.steps))
				next++
			}
		}
		if err := l.run(context.Background(), func(int64) {}); err != nil {
			t.Fatal(err)
		}
		if next < snapshots { // the budget ends mid-episode
			panels = append(panels, particlePanel(fam, pt.Particles(), spec.Teacher.Label, l.steps))
		}
		last := res.Evals[len(res.Evals)-1]
		t.Logf("run %s: %d steps, final coverage %.1f%%", spec.ID, l.steps, last.Mastered)
		if dir := get("RESULTS", ""); dir != "" {
			_, stored, err := store.ReadEval(filepath.Join(store.RunDir(dir, spec.ID), store.EvalFile))
			if err != nil {
				t.Fatal(err)
			}
			if want := stored[len(stored)-1]; want.Mastered != last.Mastered || want.Steps != last.Steps {
				t.Fatalf("replay ends at %d steps with %.2f%% covered, the stored run at %d steps with %.2f%%", last.Steps, last.Mastered, want.Steps, want.Mastered)
			}
		}
		out := get("OUT", "particles_"+spec.ID+".png")
		var buf bytes.Buffer
		if err := goalmaze.WritePanelsPNG(&buf, panels, len(panels)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", out)
		return
	}
	t.Fatalf("no run %q with a particle teacher in %s", id, path)
}

// particlePanel draws particles on the maze the family plays at steps.
func particlePanel(fam *goalmaze.Family, particles [][]float64, label string, steps int64) goalmaze.Panel {
	pts := make([][2]float64, len(particles))
	for i, p := range particles {
		pts[i] = [2]float64{p[0], p[1]}
	}
	l := fam.Layout()
	return goalmaze.Panel{
		Layout: l, Margin: fam.Params().GoalMargin, Points: pts, Radius: 0.05,
		Title: fmt.Sprintf("%s particles, %d steps\n%s", label, steps, l.Name),
	}
}
