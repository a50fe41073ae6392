// Package task is the contract every other part of teachbench speaks.
//
// A teacher proposes a [Task] drawn from a [Space], a student learns from it and
// reports an [Outcome], and the teacher adapts. Environment families describe
// what can be proposed ([Family]: its spaces, its test set and its mastery rule)
// and provide the instances a student learns on. Teachers, families and students
// never import each other: they meet only here.
//
// # Spaces
//
// Three kinds of space cover the published teachers:
//
//   - [Box]: named continuous dimensions with bounds, where ALP-GMM, RIAC,
//     Covar-GMM, GoalGAN, ADR, SPDL and SVGG act.
//   - [Discrete]: a finite set of named tasks with optional prerequisite edges
//     (a DAG) and optional per-task score bounds, for mastering rate, the
//     learning-progress bandits, SEC and DUMP.
//   - [Levels]: structured levels (mazes, terrains) that are generated from a
//     random stream, encoded as bytes, printed as text and mutated, for PLR,
//     robust PLR, ACCEL and PAIRED.
//
// A family may offer several views of itself (a maze family has a Box view over
// its generator knobs and a Levels view); a teacher works in the first view it
// supports.
//
// # Ownership
//
// The slices inside a Task or an Outcome belong to whoever made them. Receivers
// treat them as read-only and copy what they keep beyond the call, so that
// teachers and students can reuse their buffers and the teach loop allocates
// nothing per episode.
//
// # Randomness
//
// Every random draw comes from a *rand.Rand of math/rand/v2 passed in
// explicitly; nothing in teachbench uses the package-level generators. The
// runner gives each run independent [Streams] so that extra draws in one
// component never shift another component's sequence.
package task
