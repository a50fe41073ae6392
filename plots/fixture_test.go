package plots

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/teachbench/teachbench/runner/store"
)

// Spaces of the synthetic sweep.
var (
	boxSpace = store.Space{Kind: "box", Dims: []store.Dim{
		{Name: "stump height", Lo: 0, Hi: 3},
		{Name: "spacing", Lo: -1, Hi: 1},
	}}
	discreteSpace = store.Space{Kind: "discrete", Tasks: []string{"a", "b", "c"}}
)

// fixture describes a synthetic sweep written with the store package.
type fixture struct {
	envs     []fixtureEnv
	teachers []string
	students []string
	seeds    int
	evals    int   // evaluations per run
	every    int64 // episodes between evaluations
	// edit, if non-nil, may change each run and its eval rows before they
	// are written; returning false for eval leaves out eval.csv.
	edit func(r *store.Run, rows []store.EvalRow) (rr []store.EvalRow, eval bool)
}

type fixtureEnv struct {
	label   string
	space   store.Space
	samples bool
	unit    string
}

// defaultFixture is two teachers with three seeds each on a 2-D box env with
// samples and on a discrete env without.
func defaultFixture() fixture {
	return fixture{
		envs: []fixtureEnv{
			{label: "toy-box", space: boxSpace, samples: true, unit: "episodes"},
			{label: "toy discrete", space: discreteSpace, unit: "steps"},
		},
		teachers: []string{"random", "alp-gmm"},
		students: []string{"sac"},
		seeds:    3,
		evals:    11,
		every:    100,
	}
}

// write writes the sweep into dir and returns its planned run IDs.
func (f fixture) write(t testing.TB, dir string) []string {
	t.Helper()
	rng := rand.New(rand.NewPCG(42, 42))
	var ids []string
	for _, env := range f.envs {
		for ti, teacher := range f.teachers {
			for _, student := range f.students {
				for seed := range f.seeds {
					id := fmt.Sprintf("%s__%s__%s__s%d", idPart(env.label), idPart(teacher), idPart(student), seed)
					ids = append(ids, id)
					f.writeRun(t, dir, id, env, teacher, ti, student, seed, rng)
				}
			}
		}
	}
	sw := store.Sweep{Name: "fixture", Runs: ids, Config: f.config()}
	if err := store.WriteJSON(filepath.Join(dir, store.SweepFile), sw); err != nil {
		t.Fatal(err)
	}
	return ids
}

func (f fixture) writeRun(t testing.TB, dir, id string, env fixtureEnv, teacher string, ti int, student string, seed int, rng *rand.Rand) {
	t.Helper()
	rd := store.RunDir(dir, id)
	if err := os.MkdirAll(rd, 0o755); err != nil {
		t.Fatal(err)
	}
	last := int64(f.evals-1) * f.every
	r := store.Run{
		ID:      id,
		Env:     store.Component{Name: "env", Label: env.label},
		Teacher: store.Component{Name: teacher, Label: teacher},
		Student: store.Component{Name: student, Label: student},
		Seed:    seed,
		Budget:  store.Budget{Unit: env.unit, Amount: last},
		Space:   env.space,
		Status:  store.StatusDone,
	}
	rows := make([]store.EvalRow, f.evals)
	for i := range rows {
		frac := float64(i) / float64(f.evals-1)
		rows[i] = store.EvalRow{
			Episode:  int64(i) * f.every,
			Steps:    int64(i) * f.every * 50,
			Mastered: math.Min(100, 100*frac*(0.4+0.4*float64(ti))+5*rng.Float64()),
		}
	}
	eval := true
	if f.edit != nil {
		rows, eval = f.edit(&r, rows)
	}
	if eval {
		if err := store.WriteEval(filepath.Join(rd, store.EvalFile), nil, rows); err != nil {
			t.Fatal(err)
		}
	}
	if env.samples {
		if err := store.WriteSamples(filepath.Join(rd, store.SamplesFile), env.space, fixtureSamples(env.space, ti, last, rng)); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.WriteJSON(filepath.Join(rd, store.RunFile), r); err != nil {
		t.Fatal(err)
	}
}

// config returns the normalised config of the sweep as sweep.json holds it
// after a JSON round trip: lists of components with their labels.
func (f fixture) config() map[string]any {
	comps := func(labels []string) []any {
		var out []any
		for _, l := range labels {
			out = append(out, map[string]any{"name": "x", "label": l})
		}
		return out
	}
	var envs []string
	for _, e := range f.envs {
		envs = append(envs, e.label)
	}
	return map[string]any{"name": "fixture", "env": comps(envs), "teacher": comps(f.teachers), "student": comps(f.students)}
}

// fixtureSamples returns one sampled task per episode: uniform for teacher
// 0, and for other teachers a blob drifting across the space.
func fixtureSamples(sp store.Space, teacher int, episodes int64, rng *rand.Rand) []store.SampleRow {
	rows := make([]store.SampleRow, 0, episodes)
	for ep := range episodes {
		frac := float64(ep) / float64(episodes)
		if sp.Kind == "discrete" {
			i := rng.IntN(len(sp.Tasks))
			if teacher > 0 {
				i = min(len(sp.Tasks)-1, int(frac*float64(len(sp.Tasks))))
			}
			rows = append(rows, store.SampleRow{Episode: ep, Steps: ep * 50, Index: i, Score: rng.Float64()})
			continue
		}
		p := make([]float64, len(sp.Dims))
		for j, d := range sp.Dims {
			u := rng.Float64()
			if teacher > 0 {
				u = 0.15 + 0.7*frac + 0.08*rng.NormFloat64()
				u = math.Min(1, math.Max(0, u))
			}
			p[j] = d.Lo + u*(d.Hi-d.Lo)
		}
		rows = append(rows, store.SampleRow{Episode: ep, Steps: ep * 50, Params: p, Score: rng.Float64()})
	}
	return rows
}
