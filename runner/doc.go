// Package runner expands TOML sweep configs into runs and executes them.
//
// A sweep is envs × teacher variants × students × seeds. Each run builds its
// env family, student and teacher from the registries, then repeats
// Sample → Learn → Update until its budget (episodes or environment steps) is
// spent, evaluating the student on the family's test set at the start, every
// eval.every budget units, and at the end. Runs execute on a pool of
// goroutines; each writes its results under the sweep's directory as it ends
// (see runner/store for the layout).
//
// # Reproducibility
//
// Every run draws from its own random streams (teacher, env, student init,
// student batches, evaluation), each a PCG seeded by SHA-256 of the sweep seed,
// the run's canonical key (component names, full parameters and seed) and the
// stream's name. Results therefore do not depend on the worker count, the order
// in which runs execute, or which other runs the sweep contains. Only the
// wall-time columns differ between executions.
//
// The manifest, sweep.json, records what reproducing a run needs: the
// normalised config (which, written back as TOML, plans the same runs with the
// same keys), its SHA-256, the harness version and revision, the module
// versions, the build settings (GOAMD64 changes floating-point results: v3
// fuses multiply-adds), the Go version and the platform. Each run.json names
// the build that produced it. Builds run with -buildvcs=false carry no VCS
// revision, so stamp one with -ldflags (see Version).
//
// # Resuming and failures
//
// A run is finished when its run.json exists: run.json is the last of its
// files to be written, each of them atomically (temporary file, fsync,
// rename, then an fsync of the directory). Re-running a sweep into the same
// directory skips the runs whose run.json says "done" and executes the others,
// including runs that failed before (whose old run.json is removed before any
// of their files is replaced). So a sweep killed at any moment, even by
// SIGKILL, resumes without losing or rewriting a finished run. A run that
// returns an error or panics is recorded as failed with its message and stack,
// and the sweep goes on. When the context is cancelled (SIGINT, SIGTERM), runs
// in progress stop within a few episodes and are not recorded; runs that
// ended are written. summary.csv is written only when every planned run is
// finished, so its presence means the sweep is complete.
//
// # Sharding, merging and locks
//
// Options.Shard runs one shard of a sweep: run i of the canonical order
// belongs to shard i mod N. Shards run side by side (as the tasks of a Slurm
// job array) and write no summary.csv; Merge checks that every planned run is
// finished and writes it, identical to a single-process run's apart from wall
// times. Prepare writes the plan without running anything (bench slurm does,
// before submitting). An unsharded Run, Merge and Prepare lock the sweep
// directory exclusively and shards share the lock; each run being executed is
// locked too, so overlapping shards never run it twice at once. The locks are
// flock(2) and vanish with their holder (see store.Lock).
//
// # Config
//
// The TOML format (see README.md for the full reference):
//
//	name  = "quickstart"      # names the results directory
//	seeds = 5                 # count (seeds 0..n-1) or an explicit list
//	sweep_seed = 0            # optional: hashed into every stream seed
//	workers = 0               # optional: pool size, 0 = all cores
//	[budget]
//	episodes = 20000          # or steps = ...
//	[eval]
//	every = 1000              # in the budget's unit; default budget/20
//	[trace]
//	every = 1                 # record every n-th episode in samples.csv; 0 = off
//	max = 100000              # row cap per run
//	[[env]]
//	name = "toy"
//	[env.params]
//	dims = 2
//	[[teacher]]
//	name = "alp-gmm"
//	label = "alp-gmm"         # optional, default name
//	[teacher.params]
//	fit_rate = 250
//	[teacher.sweep]           # optional, on any component: one variant per combination
//	random_ratio = [0.1, 0.2]
//	[[student]]               # optional: default is each env's default student
//	name = "synthetic"
//
// Unknown keys, wrong types, out-of-range values, unknown component names and
// incompatible pairings are errors that name the file, the entry and the key.
package runner
