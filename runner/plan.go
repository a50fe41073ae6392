package runner

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/teachbench/teachbench/task"
)

// RunSpec is one planned run: an env, a teacher variant, a student and a seed.
type RunSpec struct {
	// Index is the run's position in the canonical order.
	Index int
	// ID names the run's directory; it is built from the labels and seed.
	ID string
	// Key is the canonical description of the run (names, full parameters
	// and seed) from which its random streams are seeded. Two runs with the
	// same key and sweep seed produce identical results.
	Key     string
	Env     *Component
	Teacher *Component
	Student *Component
	Seed    int
}

// Plan expands the config into runs in canonical order: envs × teacher
// variants × students × seeds, each in config order.
func (c *Config) Plan() ([]RunSpec, error) {
	var runs []RunSpec
	ids := make(map[string]bool)
	for _, env := range c.Envs {
		for _, teacher := range c.Teachers {
			for _, student := range c.studentsFor(env) {
				for _, seed := range c.Seeds {
					id := fmt.Sprintf("%s__%s__%s__s%d", pathSafe(env.Label), pathSafe(teacher.Label), pathSafe(student.Label), seed)
					if len(id) > maxRunIDBytes {
						return nil, fmt.Errorf("%s: run ID %q is %d bytes long, more than the %d a file name may have: give %s, %s or %s a shorter label",
							c.File, id, len(id), maxRunIDBytes, env.whereOr("the env"), teacher.whereOr("the teacher"), student.whereOr("the student"))
					}
					if ids[id] {
						return nil, fmt.Errorf("%s: two runs map to the directory %q: make the labels differ in letters or digits", c.File, id)
					}
					ids[id] = true
					runs = append(runs, RunSpec{
						Index:   len(runs),
						ID:      id,
						Key:     "env=" + env.key() + "|teacher=" + teacher.key() + "|student=" + student.key() + "|seed=" + strconv.Itoa(seed),
						Env:     env,
						Teacher: teacher,
						Student: student,
						Seed:    seed,
					})
				}
			}
		}
	}
	return runs, nil
}

// maxRunIDBytes is the longest run ID: a run ID names a directory, and most
// file systems cap a name at 255 bytes.
const maxRunIDBytes = 255

// pathSafe maps a label to a file-name-safe string: each run of characters
// outside [A-Za-z0-9.=-] becomes one '_', and none is left at either end. The
// result never contains "__", which separates the parts of a run ID.
func pathSafe(label string) string {
	var b strings.Builder
	pending := false
	for _, r := range label {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '=' {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(r)
			continue
		}
		pending = true
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// Streams returns the run's independent random streams, each a PCG seeded from
// SHA-256(sweep seed, run key, stream name).
func Streams(sweepSeed uint64, key string) task.Streams {
	s := make([]*rand.Rand, len(task.StreamNames))
	for i, name := range task.StreamNames {
		s[i] = NewStream(sweepSeed, key, name)
	}
	return task.Streams{Teacher: s[0], Env: s[1], Init: s[2], Batch: s[3], Eval: s[4]}
}

// NewStream returns the stream named name of the run with key key.
func NewStream(sweepSeed uint64, key, name string) *rand.Rand {
	h := sha256.New()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], sweepSeed)
	h.Write(b[:])
	h.Write([]byte(key))
	h.Write([]byte{0})
	h.Write([]byte(name))
	sum := h.Sum(nil)
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])))
}
