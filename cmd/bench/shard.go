package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/teachbench/teachbench/runner"
)

// Environment variables read to pick a shard and size the pool.
const (
	envArrayTaskID    = "SLURM_ARRAY_TASK_ID"
	envArrayTaskCount = "SLURM_ARRAY_TASK_COUNT"
	envCPUsPerTask    = "SLURM_CPUS_PER_TASK"
	envCompletionIdx  = "JOB_COMPLETION_INDEX" // Kubernetes indexed jobs
)

// resolveShard works out which shard `bench run` executes, from --shard
// (K/N, or K with --shards N), --shards N with the index from the
// environment (SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX), or a Slurm
// array's SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT. It returns the
// zero Shard (the whole sweep) when none of them is given, and says where the
// shard came from.
//
// The environment's index is used as is, not offset by SLURM_ARRAY_TASK_MIN:
// an array such as --array=3,5 (resubmitting two shards of eight) must run
// shards 3 and 5, which only an explicit N can express, so such arrays need
// --shards (the scripts of `bench slurm` pass --shard ${SLURM_ARRAY_TASK_ID}/N).
func resolveShard(flagShard string, flagShards int, getenv func(string) string) (runner.Shard, string, error) {
	if flagShards < 0 {
		return runner.Shard{}, "", fmt.Errorf("%w: --shards %d: want a positive number of shards", errUsage, flagShards)
	}
	if flagShard != "" {
		if !strings.Contains(flagShard, "/") {
			if flagShards == 0 {
				return runner.Shard{}, "", fmt.Errorf("%w: --shard %s: want K/N, or K with --shards N", errUsage, flagShard)
			}
			flagShard += "/" + strconv.Itoa(flagShards)
		}
		sh, err := runner.ParseShard(flagShard)
		if err != nil {
			return runner.Shard{}, "", fmt.Errorf("%w: --shard: %v", errUsage, err)
		}
		if flagShards != 0 && flagShards != sh.Count {
			return runner.Shard{}, "", fmt.Errorf("%w: --shard %s and --shards %d disagree", errUsage, flagShard, flagShards)
		}
		return sh, "--shard", nil
	}
	index := func(name string) (int, bool, error) {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, true, fmt.Errorf("%s=%q: want a non-negative integer", name, v)
		}
		return n, true, nil
	}
	if flagShards > 0 {
		for _, name := range []string{envArrayTaskID, envCompletionIdx} {
			k, ok, err := index(name)
			if err != nil {
				return runner.Shard{}, "", err
			}
			if ok {
				sh := runner.Shard{Index: k, Count: flagShards}
				if err := sh.Validate(); err != nil {
					return runner.Shard{}, "", fmt.Errorf("%s=%d with --shards %d: %v", name, k, flagShards, err)
				}
				return sh, name + " and --shards", nil
			}
		}
		return runner.Shard{}, "", fmt.Errorf("%w: --shards %d without --shard: want --shard K, or %s or %s in the environment",
			errUsage, flagShards, envArrayTaskID, envCompletionIdx)
	}
	k, ok, err := index(envArrayTaskID)
	if err != nil || !ok {
		return runner.Shard{}, "", err
	}
	n, ok, err := index(envArrayTaskCount)
	switch {
	case err != nil:
		return runner.Shard{}, "", err
	case !ok:
		return runner.Shard{}, "", fmt.Errorf("%s is set but %s is not: pass --shard K/N (or --shards N)", envArrayTaskID, envArrayTaskCount)
	}
	sh := runner.Shard{Index: k, Count: n}
	if err := sh.Validate(); err != nil {
		return runner.Shard{}, "", fmt.Errorf("%s=%d, %s=%d: %v; for an array that does not number its tasks 0..N-1, pass --shard %s/N",
			envArrayTaskID, k, envArrayTaskCount, n, err, "${"+envArrayTaskID+"}")
	}
	return sh, envArrayTaskID + " and " + envArrayTaskCount, nil
}

// jobCPUs returns the number of CPUs the process should use: GOMAXPROCS,
// which follows the CPU affinity mask (how Slurm's task/affinity and
// task/cgroup plugins bind a task to its CPUs) and, since Go 1.25, the cgroup
// CPU bandwidth limit; capped by SLURM_CPUS_PER_TASK, which also holds where
// Slurm does not bind tasks to CPUs (TaskPlugin=task/none).
func jobCPUs(getenv func(string) string) int {
	n := runtime.GOMAXPROCS(0)
	if c, err := strconv.Atoi(strings.TrimSpace(getenv(envCPUsPerTask))); err == nil && c > 0 && c < n {
		n = c
	}
	return n
}

// errInterrupted is returned by commands stopped by SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// printInterrupted tells what an interrupted `bench run` finished and how to
// resume it.
func printInterrupted(w io.Writer, rep *runner.Report, args []string) {
	finished := rep.Skipped + rep.Done + rep.Failed
	scope := "the sweep's"
	if rep.Shard.Sharded() {
		scope = "shard " + rep.Shard.String() + "'s"
	}
	fmt.Fprintf(w, "interrupted: %d of %s %d runs are finished and saved (%d by this invocation)", finished, scope, rep.Assigned, rep.Done+rep.Failed)
	if rep.Interrupted > 0 {
		fmt.Fprintf(w, "; %d runs in progress were abandoned and will start over", rep.Interrupted)
	}
	fmt.Fprintf(w, ".\nresume with: %s\n", shellJoin(append([]string{"bench", "run"}, args...)))
}

// finishShard prints the end of a shard's `bench run`.
func finishShard(stdout io.Writer, rep *runner.Report) error {
	printSummary(stdout, rep)
	fmt.Fprintf(stdout, "\nshard %s: %d of the sweep's %d runs: %d done, %d failed, %d finished before",
		rep.Shard, rep.Assigned, rep.Planned, rep.Done, rep.Failed, rep.Skipped)
	if len(rep.Busy) > 0 {
		fmt.Fprintf(stdout, ", %d being run by another process (%s)", len(rep.Busy), strings.Join(rep.Busy, ", "))
	}
	fmt.Fprintf(stdout, "\nresults: %s (a shard writes no summary.csv; when every shard has finished, run %s)\n",
		rep.Dir, shellJoin([]string{"bench", "merge", rep.Dir}))
	if rep.Failed > 0 {
		return fmt.Errorf("%d of shard %s's %d runs failed (see run.json of %s)", rep.Failed, rep.Shard, rep.Assigned, strings.Join(rep.FailedIDs, ", "))
	}
	return nil
}

// shellJoin quotes args for a POSIX shell where they need it.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

// shellQuote returns s as one word of a POSIX shell: unchanged if it holds
// only characters no shell treats specially, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
