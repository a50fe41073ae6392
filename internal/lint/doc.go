// Package lint holds repository-wide checks that run with `go test ./...`:
// rules of the codebase that the compiler cannot enforce.
//
// The randomness rule: every random draw must come from a *rand.Rand of
// math/rand/v2 passed in explicitly, so that runs are reproducible. The test
// rejects imports of math/rand (v1) and golang.org/x/exp/rand, and calls of
// math/rand/v2's package-level functions (rand.Float64, rand.IntN, ...), whose
// generator is seeded randomly per process.
package lint
