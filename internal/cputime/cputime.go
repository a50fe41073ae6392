// Package cputime reads the CPU time the process has used, so that
// benchmarks can report costs per CPU-second (steps per CPU-second, say),
// which other processes on a shared machine skew far less than wall time.
package cputime

import "time"

// Process returns the user plus system CPU time of the process so far, or 0
// where the platform does not report it (then callers fall back to wall
// time).
func Process() time.Duration { return process() }
