// Package params turns the TOML parameter tables of envs, teachers and students
// into typed Go structs, and describes those structs for `bench list`.
//
// A component's parameters are a struct whose exported fields carry a `toml`
// tag (the key) and a `doc` tag (one line for users). The struct's value as
// returned by the component's defaults function holds the defaults. Supported
// field types: bool, int, int64, float64, string and slices of int, float64
// and string. If the struct (or a pointer to it) has a `Validate() error`
// method, Decode calls it after filling the fields.
//
// Decode does its own conversion rather than re-encoding through the TOML
// library so that every error names the key and says what was expected:
// integers are accepted for float fields, but a fractional number for an
// integer field, a string for a number, or an unknown key are errors.
package params

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Validator is implemented by parameter structs that check their values.
type Validator interface {
	Validate() error
}

// Param describes one parameter of a component.
type Param struct {
	Key  string
	Type string
	// Value is the field's value in the struct described: the default when
	// describing a component's defaults.
	Value any
	Doc   string
}

// Describe lists the parameters of the struct v (or *v), in field order. The
// fields of an embedded struct without a toml tag count as the outer
// struct's own, so that related components can share a block of parameters.
func Describe(v any) []Param {
	rv := reflect.Indirect(reflect.ValueOf(v))
	var out []Param
	for _, f := range fields(rv.Type()) {
		out = append(out, Param{Key: f.key, Type: typeName(f.typ), Value: rv.FieldByIndex(f.index).Interface(), Doc: f.doc})
	}
	return out
}

// field is a parameter field of a struct type, possibly inside embedded
// structs.
type field struct {
	key, doc string
	typ      reflect.Type
	index    []int
}

// fields lists the parameter fields of struct type t, flattening embedded
// structs that carry no toml tag.
func fields(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := f.Tag.Get("toml")
		if f.Anonymous && key == "" && f.Type.Kind() == reflect.Struct {
			for _, inner := range fields(f.Type) {
				inner.index = append([]int{i}, inner.index...)
				out = append(out, inner)
			}
			continue
		}
		if key == "" || key == "-" || !f.IsExported() {
			continue
		}
		out = append(out, field{key: key, doc: f.Tag.Get("doc"), typ: f.Type, index: []int{i}})
	}
	return out
}

// Map returns the parameters of the struct v (or *v) as a map from key to
// value, for result files and canonical run keys.
func Map(v any) map[string]any {
	m := make(map[string]any)
	for _, p := range Describe(v) {
		m[p.Key] = p.Value
	}
	return m
}

// Canonical returns a stable one-line text form of the parameters of v, with
// keys sorted, for run keys that must not depend on map order.
func Canonical(v any) string { return CanonicalChanged(v, nil) }

// CanonicalChanged is Canonical restricted to the parameters of v whose value
// differs from the one in def (a struct of the same type holding the
// defaults); a nil def keeps every parameter. Run keys use it so that a
// parameter added to a component later, with a default that keeps the old
// behaviour, does not change the random streams of existing configs.
func CanonicalChanged(v, def any) string {
	m := Map(v)
	var dm map[string]any
	if def != nil {
		dm = Map(def)
	}
	keys := make([]string, 0, len(m))
	for k, val := range m {
		if d, ok := dm[k]; ok && FormatValue(d) == FormatValue(val) {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(FormatValue(m[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// FormatValue formats a parameter value compactly: numbers in their shortest
// exact form, slices as [a b c].
func FormatValue(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []float64:
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = strconv.FormatFloat(f, 'g', -1, 64)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case string:
		return strconv.Quote(x)
	}
	return fmt.Sprint(v)
}

// Keys returns the parameter keys of v.
func Keys(v any) []string {
	var keys []string
	for _, p := range Describe(v) {
		keys = append(keys, p.Key)
	}
	return keys
}

// Decode fills the struct pointed to by dst from raw, a table decoded from TOML
// (values are int64, float64, bool, string or []any of those). Keys absent
// from raw keep the values dst already has (the defaults). It then calls
// dst's Validate method if there is one.
func Decode(dst any, raw map[string]any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic("params: Decode needs a pointer to a struct")
	}
	sv := rv.Elem()
	byKey := make(map[string][]int)
	for _, f := range fields(sv.Type()) {
		byKey[f.key] = f.index
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		index, ok := byKey[k]
		if !ok {
			return fmt.Errorf("unknown key %q%s", k, suggest(k, Keys(dst)))
		}
		if err := set(sv.FieldByIndex(index), raw[k]); err != nil {
			return fmt.Errorf("key %q: %w", k, err)
		}
	}
	if v, ok := dst.(Validator); ok {
		return v.Validate()
	}
	return nil
}

func set(f reflect.Value, v any) error {
	switch f.Kind() {
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return expected("a boolean (true or false)", v)
		}
		f.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := toInt(v)
		if err != nil {
			return err
		}
		f.SetInt(n)
	case reflect.Float64:
		x, err := toFloat(v)
		if err != nil {
			return err
		}
		f.SetFloat(x)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return expected("a string", v)
		}
		f.SetString(s)
	case reflect.Slice:
		items, ok := v.([]any)
		if !ok {
			return expected("an array", v)
		}
		out := reflect.MakeSlice(f.Type(), len(items), len(items))
		for i, item := range items {
			if err := set(out.Index(i), item); err != nil {
				return fmt.Errorf("element %d: %w", i, err)
			}
		}
		f.Set(out)
	default:
		panic("params: unsupported field type " + f.Type().String())
	}
	return nil
}

func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), nil
		}
	}
	return 0, expected("an integer", v)
}

func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case int:
		return float64(x), nil
	}
	return 0, expected("a number", v)
}

func expected(what string, got any) error {
	return fmt.Errorf("expected %s, got %s", what, describeValue(got))
}

func describeValue(v any) string {
	switch x := v.(type) {
	case string:
		return "the string " + strconv.Quote(x)
	case bool:
		return "the boolean " + strconv.FormatBool(x)
	case int64, int:
		return fmt.Sprintf("the integer %d", x)
	case float64:
		return "the number " + strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%v (%T)", v, v)
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int64:
		return "int"
	case reflect.Float64:
		return "float"
	case reflect.String:
		return "string"
	case reflect.Slice:
		return "[" + typeName(t.Elem()) + "]"
	}
	return t.String()
}

// suggest returns ` (did you mean "x"?)` for the closest known key, or the
// list of known keys when none is close.
func suggest(key string, known []string) string {
	if len(known) == 0 {
		return " (this component takes no parameters)"
	}
	best, bestD := "", 1<<30
	for _, k := range known {
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	if bestD <= 2 || (bestD <= len(key)/3) {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	sorted := slices.Clone(known)
	sort.Strings(sorted)
	return " (known keys: " + strings.Join(sorted, ", ") + ")"
}

// Suggest is suggest for callers outside the package: it returns a hint naming
// the closest of known, or listing them.
func Suggest(name string, known []string) string { return suggest(name, known) }

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Spec names a component and holds its parameter defaults.
type Spec struct {
	Name string
	// Doc is a one-paragraph description shown by `bench list`.
	Doc string
	// Defaults returns a pointer to a new struct holding the default
	// parameters.
	Defaults func() any
}

// DefaultsOf returns a Defaults function for the struct value def. Each call
// returns a pointer to a deep copy, so decoding or building never alters def.
func DefaultsOf[P any](def P) func() any {
	return func() any {
		p := def
		deepCopySlices(reflect.ValueOf(&p).Elem())
		return &p
	}
}

// Decode returns the spec's defaults overlaid with raw (see Decode).
func (s Spec) Decode(raw map[string]any) (any, error) {
	p := s.Defaults()
	return p, Decode(p, raw)
}

func deepCopySlices(v reflect.Value) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() == reflect.Struct && f.CanSet() {
			deepCopySlices(f)
			continue
		}
		if f.Kind() == reflect.Slice && !f.IsNil() && f.CanSet() {
			c := reflect.MakeSlice(f.Type(), f.Len(), f.Len())
			reflect.Copy(c, f)
			f.Set(c)
		}
	}
}

// Registry maps component names to entries of type E for one kind of component
// ("env", "teacher", "student").
type Registry[E any] struct {
	kind    string
	entries map[string]E
}

// NewRegistry returns an empty registry for components of the given kind.
func NewRegistry[E any](kind string) *Registry[E] {
	return &Registry[E]{kind: kind, entries: make(map[string]E)}
}

// Add registers e under name. It panics if the name is empty or taken: both
// are programming errors found at start-up.
func (r *Registry[E]) Add(name string, e E) {
	if name == "" {
		panic("params: registering a " + r.kind + " with an empty name")
	}
	if _, dup := r.entries[name]; dup {
		panic("params: " + r.kind + " " + strconv.Quote(name) + " registered twice")
	}
	r.entries[name] = e
}

// Get returns the entry registered under name, or an error that names the kind
// and suggests the closest registered name.
func (r *Registry[E]) Get(name string) (E, error) {
	e, ok := r.entries[name]
	if !ok {
		return e, fmt.Errorf("unknown %s %q%s", r.kind, name, suggest(name, r.Names()))
	}
	return e, nil
}

// Names returns the registered names, sorted.
func (r *Registry[E]) Names() []string {
	names := make([]string, 0, len(r.entries))
	for n := range r.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
