package params

import (
	"errors"
	"strings"
	"testing"
)

type testParams struct {
	Rate   int       `toml:"rate" doc:"a rate"`
	Ratio  float64   `toml:"ratio" doc:"a ratio"`
	Mode   string    `toml:"mode" doc:"a mode"`
	On     bool      `toml:"on" doc:"a switch"`
	Ks     []int     `toml:"ks" doc:"some ks"`
	Mean   []float64 `toml:"mean" doc:"a mean"`
	hidden int
}

func (p testParams) Validate() error {
	if p.Rate < 1 {
		return errors.New("rate must be positive")
	}
	return nil
}

func defaults() testParams { return testParams{Rate: 250, Ratio: 0.2, Mode: "aic", Ks: []int{2, 3}} }

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  map[string]any
		want func(p testParams) bool
		err  string
	}{
		{"defaults kept", nil, func(p testParams) bool { return p.Rate == 250 && p.Mode == "aic" && len(p.Ks) == 2 }, ""},
		{"int into float", map[string]any{"ratio": int64(1)}, func(p testParams) bool { return p.Ratio == 1 }, ""},
		{"integral float into int", map[string]any{"rate": 150.0}, func(p testParams) bool { return p.Rate == 150 }, ""},
		{"arrays", map[string]any{"ks": []any{int64(4)}, "mean": []any{int64(1), 0.5}},
			func(p testParams) bool { return len(p.Ks) == 1 && p.Ks[0] == 4 && p.Mean[1] == 0.5 }, ""},
		{"fraction into int", map[string]any{"rate": 1.5}, nil, `key "rate": expected an integer, got the number 1.5`},
		{"string into float", map[string]any{"ratio": "high"}, nil, `key "ratio": expected a number, got the string "high"`},
		{"number into string", map[string]any{"mode": int64(3)}, nil, `key "mode": expected a string, got the integer 3`},
		{"scalar into array", map[string]any{"ks": int64(3)}, nil, `key "ks": expected an array`},
		{"bad element", map[string]any{"ks": []any{int64(1), "x"}}, nil, `key "ks": element 1: expected an integer`},
		{"typo", map[string]any{"rat": 0.1}, nil, `unknown key "rat" (did you mean "rate"?)`},
		{"unknown", map[string]any{"zzzzzzzz": 1}, nil, "known keys: ks, mean, mode, on, rate, ratio"},
		{"validate", map[string]any{"rate": int64(0)}, nil, "rate must be positive"},
		{"unexported is not a key", map[string]any{"hidden": int64(1)}, nil, `unknown key "hidden"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := defaults()
			err := Decode(&p, tc.raw)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Decode error = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(p) {
				t.Fatalf("Decode gave %+v", p)
			}
		})
	}
}

func TestDescribeCanonical(t *testing.T) {
	ps := Describe(defaults())
	if len(ps) != 6 || ps[0].Key != "rate" || ps[0].Type != "int" || ps[0].Value != 250 || ps[4].Type != "[int]" || ps[0].Doc != "a rate" {
		t.Fatalf("Describe = %+v", ps)
	}
	got := Canonical(defaults())
	want := `{ks=[2 3],mean=[],mode="aic",on=false,rate=250,ratio=0.2}`
	if got != want {
		t.Fatalf("Canonical = %s, want %s", got, want)
	}
}

type Shared struct {
	Rate int   `toml:"rate" doc:"a rate"`
	Ks   []int `toml:"ks" doc:"some ks"`
}

type outer struct {
	Shared
	Mode string `toml:"mode" doc:"a mode"`
}

func TestEmbeddedParams(t *testing.T) {
	def := outer{Shared: Shared{Rate: 3, Ks: []int{1}}, Mode: "a"}
	if keys := Keys(def); strings.Join(keys, ",") != "rate,ks,mode" {
		t.Fatalf("keys %v", keys)
	}
	p := DefaultsOf(def)().(*outer)
	p.Ks[0] = 9
	if def.Ks[0] != 1 {
		t.Fatal("DefaultsOf shares an embedded struct's slices")
	}
	if err := Decode(p, map[string]any{"rate": int64(7), "mode": "b"}); err != nil || p.Rate != 7 || p.Mode != "b" {
		t.Fatalf("Decode: %v, %+v", err, p)
	}
	if err := Decode(p, map[string]any{"shared": int64(1)}); err == nil {
		t.Fatal("the embedded struct itself was accepted as a key")
	}
}

func TestCanonicalChanged(t *testing.T) {
	def := defaults()
	p := defaults()
	if got := CanonicalChanged(p, def); got != "{}" {
		t.Fatalf("defaults give %s, want {}", got)
	}
	p.Ratio, p.Ks = 0.5, []int{4}
	if got := CanonicalChanged(p, def); got != "{ks=[4],ratio=0.5}" {
		t.Fatalf("CanonicalChanged = %s", got)
	}
	if CanonicalChanged(p, nil) != Canonical(p) {
		t.Fatal("a nil default must keep every parameter")
	}
}

func TestDefaultsOfCopies(t *testing.T) {
	def := defaults()
	mk := DefaultsOf(def)
	p := mk().(*testParams)
	p.Ks[0] = 99
	if def.Ks[0] != 2 || mk().(*testParams).Ks[0] != 2 {
		t.Fatal("DefaultsOf shares slices with the defaults")
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry[int]("teacher")
	r.Add("alp-gmm", 1)
	r.Add("random", 2)
	if v, err := r.Get("random"); err != nil || v != 2 {
		t.Fatalf("Get = %v, %v", v, err)
	}
	_, err := r.Get("alp_gmm")
	if err == nil || !strings.Contains(err.Error(), `unknown teacher "alp_gmm" (did you mean "alp-gmm"?)`) {
		t.Fatalf("Get error = %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("duplicate registration did not panic")
		}
	}()
	r.Add("random", 3)
}
