package runner

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard selects a subset of a sweep's runs so that several processes (the
// tasks of a Slurm job array, the pods of a Kubernetes indexed job, a few
// commands on one machine) can share a sweep: run i of the canonical order
// belongs to shard i mod Count. Round-robin rather than contiguous blocks
// spreads the expensive envs and teachers, which are adjacent in the
// canonical order, evenly over the shards.
//
// The zero Shard (Count 0) is the whole sweep.
type Shard struct {
	Index, Count int
}

// ParseShard parses "K/N" (shard K of N, 0 ≤ K < N).
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want K/N, e.g. 0/4 for the first of 4 shards", s)
	}
	sh := Shard{}
	var err error
	if sh.Index, err = strconv.Atoi(strings.TrimSpace(k)); err != nil {
		return Shard{}, fmt.Errorf("shard %q: K = %q is not an integer", s, k)
	}
	if sh.Count, err = strconv.Atoi(strings.TrimSpace(n)); err != nil {
		return Shard{}, fmt.Errorf("shard %q: N = %q is not an integer", s, n)
	}
	if sh.Count < 1 {
		return Shard{}, fmt.Errorf("shard %q: want at least 1 shard", s)
	}
	return sh, sh.Validate()
}

// Validate checks that the shard is the whole sweep or has 0 ≤ Index < Count.
func (s Shard) Validate() error {
	switch {
	case s == Shard{}:
		return nil
	case s.Count < 1:
		return fmt.Errorf("shard %d/%d: want at least 1 shard", s.Index, s.Count)
	case s.Index < 0 || s.Index >= s.Count:
		return fmt.Errorf("shard %d/%d: want 0 ≤ K < N (shards are numbered from 0)", s.Index, s.Count)
	}
	return nil
}

// Sharded reports whether s is a shard rather than the whole sweep.
func (s Shard) Sharded() bool { return s.Count > 0 }

// Owns reports whether run i of the canonical order belongs to the shard.
func (s Shard) Owns(i int) bool { return !s.Sharded() || i%s.Count == s.Index }

// String returns "K/N", or "all" for the whole sweep.
func (s Shard) String() string {
	if !s.Sharded() {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}
