package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot/vg"

	"github.com/teachbench/teachbench/runner/store"
)

// sweepData is what the figures need from a results directory: the runs in
// canonical order, grouped by environment and teacher, and the teachers'
// styles.
type sweepData struct {
	runs   []*runData
	envs   []*envData
	colors map[string]color.Color
	dashes map[string][]vg.Length
}

// runData is one run directory and the files read from it.
type runData struct {
	dir string
	run *store.Run
	// eval holds the rows of eval.csv; it is nil if the file was not read.
	eval []store.EvalRow
}

// envData holds the finished runs of one environment label.
type envData struct {
	label  string
	groups []*group
}

// group holds the finished runs of one environment that share a teacher and
// a student label: the seeds that one line of a figure summarises.
type group struct {
	teacher string
	// label is the teacher label, or "teacher / student" when the
	// environment has runs of more than one student.
	label string
	// student is the index of the student label among the environment's
	// students, in order of first appearance.
	student int
	runs    []*runData
}

// load reads the sweep directory dir. It returns nil only if the run
// directories cannot be listed; problems lists the files that could not be
// read and were skipped.
func load(dir string) (sw *sweepData, problems []error) {
	var planned []string
	if s, err := store.ReadSweep(dir); err != nil {
		problems = append(problems, err)
	} else {
		planned = s.Runs
	}
	dirs, err := store.ListRuns(dir)
	if err != nil {
		return nil, append(problems, err)
	}
	sw = &sweepData{}
	rank := make(map[*runData]int)
	for i, rd := range dirs {
		r, err := store.ReadRun(rd)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		run := &runData{dir: rd, run: r}
		id := cmp.Or(r.ID, filepath.Base(rd))
		rank[run] = len(planned) + i
		if k := slices.Index(planned, id); k >= 0 {
			rank[run] = k
		}
		sw.runs = append(sw.runs, run)
	}
	slices.SortStableFunc(sw.runs, func(a, b *runData) int { return cmp.Compare(rank[a], rank[b]) })

	var teachers []string
	for _, r := range sw.runs {
		teachers = append(teachers, labelOf(r.run.Teacher))
		if r.run.Status != store.StatusDone {
			continue
		}
		_, rows, err := store.ReadEval(filepath.Join(r.dir, store.EvalFile))
		if err != nil {
			problems = append(problems, fmt.Errorf("run %s: %w", filepath.Base(r.dir), err))
			continue
		}
		r.eval = rows
	}
	sw.colors = TeacherColors(teachers)
	sw.dashes = TeacherDashes(teachers)
	sw.envs = groupRuns(sw.runs)
	return sw, problems
}

// groupRuns groups the finished runs by environment label, then by teacher
// and student label, each in order of first appearance.
func groupRuns(runs []*runData) []*envData {
	var envs []*envData
	byLabel := make(map[string]*envData)
	students := make(map[*envData][]string)
	for _, r := range runs {
		if r.run.Status != store.StatusDone {
			continue
		}
		l := labelOf(r.run.Env)
		e := byLabel[l]
		if e == nil {
			e = &envData{label: l}
			byLabel[l] = e
			envs = append(envs, e)
		}
		t, s := labelOf(r.run.Teacher), labelOf(r.run.Student)
		if !slices.Contains(students[e], s) {
			students[e] = append(students[e], s)
		}
		si := slices.Index(students[e], s)
		k := slices.IndexFunc(e.groups, func(g *group) bool { return g.teacher == t && g.student == si })
		if k < 0 {
			e.groups = append(e.groups, &group{teacher: t, label: t, student: si})
			k = len(e.groups) - 1
		}
		e.groups[k].runs = append(e.groups[k].runs, r)
	}
	for _, e := range envs {
		if len(students[e]) < 2 {
			continue
		}
		for _, g := range e.groups {
			g.label = g.teacher + " / " + students[e][g.student]
		}
	}
	return envs
}

// labelOf returns the label of a component, or its name if it has none.
func labelOf(c store.Component) string { return cmp.Or(c.Label, c.Name) }

// lineDashes returns the dash pattern of a group's line: its teacher's,
// shifted by the student index so that the students of one teacher differ.
func (sw *sweepData) lineDashes(g *group) []vg.Length {
	d := sw.dashes[g.teacher]
	if g.student == 0 {
		return d
	}
	k := slices.IndexFunc(dashPatterns, func(p []vg.Length) bool { return slices.Equal(p, d) })
	return dashPatterns[(max(k, 0)+g.student)%len(dashPatterns)]
}
