// Package goalmaze is the multi-goal point-maze family of Stein Variational
// Goal Generation (Castanet, Sigaud and Lamprier, "Stein Variational Goal
// Generation for adaptive Exploration in Multi-Goal Reinforcement Learning",
// ICML 2023): a point mass moves in a continuous 2-D maze with thin walls
// and must come within a small radius of a goal anywhere in the plane, under
// a sparse reward. The mazes and their dynamics are the 2-D point mazes of
// Sibling Rivalry (Trott, Zheng, Xiong and Socher, "Keeping Your Distance:
// Solving Sparse Reward Tasks Using Self-Balancing Shaped Rewards", NeurIPS
// 2019), as wrapped for goal-conditioned learning by mrl's PointMaze2D
// (Pitis, Chan, Zhao, Stadie and Ba, "Maximum Entropy Gain Exploration for
// Long Horizon Multi-goal Reinforcement Learning", ICML 2020), which the
// SVGG code (nicolascastanet/Stein-Variational-Goal-Generation) runs.
//
// # Mazes
//
// A maze ([Layout]) is a grid of unit cells, cell (x, y) being the square
// of side 1 centred on the point (x, y); the start cell is (0, 0) at the
// bottom left. Cells are open (part of the maze) or solid, and walls are
// thin segments on cell sides. Layouts are written as text ([ParseLayout]):
//
//	maze-1 (SVGG's Maze 1, square_pbcs_0)   u-maze (umaze_4)
//	+-+-+-+-+-+                              +-+-+-+-+-+
//	|. .|. .|.|                              |. . . . .|
//	+ + + + + +                              +-+-+-+-+ +
//	|.|. .|.|.|                              |# # # #|.|
//	+ +-+-+ + +                              +-+-+-+-+ +
//	|. . .|. .|                              |S . . . .|
//	+ +-+ +-+-+                              +-+-+-+-+-+
//	|. .|. . .|
//	+-+-+-+-+ +
//	|S . . . .|
//	+-+-+-+-+-+
//
// The built-in layouts ([Layouts], drawn with their test goals in
// docs/figures/goalmaze_layouts.png) are transcribed from the reference's
// segment lists (envs/sibrivalry/toy_maze/mazes.py): u-maze (umaze_4, the
// U-maze of corridor length 4, the default), and SVGG's four mazes maze-1
// (square_pbcs_0), maze-2 (square_pbcs_1), maze-3 (snail) and maze-4
// (snake); the reference names are accepted as well. SVGG's mazes are tree
// mazes with every cell open, so their only invalid goals lie outside them.
// The snail is 6 × 6 cells, not 5 × 5 like the others. For the environment
// change, made here: u-maze-open (the U-maze with its left end opened into
// a ring) and maze-1-alt to maze-4-alt (one passage closed and another
// opened, so that part of the maze is reached by a new route while the open
// cells stay the same; the old route to it fails).
//
// # Dynamics
//
// An action a ∈ [−1, 1]² (clipped) moves the agent by 0.95·a (the
// reference's action space [−0.95, 0.95]²; action_range). The move is a
// straight segment followed side by side of the cells it enters: crossing
// an open side takes the agent into the next cell; reaching a wall stops
// the motion across that wall 0.005 short of it ([WallMargin]), and the
// rest of the move along the wall goes on (the agent slides). As both
// components are bounded, the per-axis (max) norm measures how far the
// agent gets per step. This is the reference's Maze.move, whose result it
// reproduces to rounding (1e-15) on 15,000 random moves through SVGG's
// mazes, with its random repulsion from walls set to its mean.
//
// # Episodes
//
// A task is a goal (x, y) from the Box view (the goal space) and a seed.
// The agent starts at a position drawn from the seed, uniform within
// start_spread (0.45) of the start cell's centre on each axis; the
// reference draws it uniformly in the start cell, 0.05 away from its
// walls. Each step pays 0 if the agent ends it closer than success_radius
// (0.15) to the goal and −1 otherwise, the reference's compute_reward. The
// episode succeeds if the goal was reached at some step (first-visit
// success, mrl's --first_visit_succ, SVGG's setting): by default it goes
// on to the step limit T, as in the reference's training environment, and
// the reward is 0 again at every later step the agent is within the radius;
// with end_on_success it terminates at the first success (mrl's
// --first_visit_done, the reference's evaluation environment). A learner
// should treat a transition whose reward is 0 as terminal, as mrl does with
// first-visit success, whether or not the episode ended there. T is
// horizon, or by default the layout's own limit: 30 (SVGG's
// --env_max_step) except 40 for maze-3 (see the deviations).
//
// The outcome has the return (the sum of rewards, in [−T, 0]), the score
// 1 + return/T ∈ [0, 1] (with end_on_success, (T − t + 1)/T for a success
// at step t and 0 for a failure; without, the fraction of steps ending
// within the radius), success, the steps taken, the final position as
// the achieved goal ([task.Outcome.Achieved]) and the position after each
// step as the path ([task.Outcome.Path], from which SVGG's validity model
// learns).
//
// # Observations and goals
//
// The observation is (x, y, goal x, goal y), raw coordinates: what the
// reference feeds its networks (observation and desired goal concatenated;
// mrl normalises them inside the agent). Environments implement
// task.GoalEnv: goals have two values, the achieved goal is the position,
// and GoalReward(achieved, desired) is the step reward, so that relabelling
// a transition with the goal it achieved gives reward 0.
//
// The goal space is the maze's bounding box grown by goal_margin (0.5) on
// every side: goals in solid cells and in the margin are proposed and
// played like any other but can never be reached (except within the
// success radius of the maze's border), so that a teacher's model of valid
// goals matters. [Layout.Valid] tells valid goals (in an open cell) from
// invalid ones; [Layout.Distance], [Layout.Distances] and [Layout.Path]
// give shortest paths over cells (every open cell is reachable from the
// start).
//
// # Evaluation
//
// The test set is a uniform grid of valid goals: test_per_cell² points in
// every open cell (2 × 2 by default: offsets ±0.25 from the centre; 100
// goals in a 5 × 5 maze), the i-th played with seed i. Each is played
// eval_episodes times (seeds i + k·n) with the student's Evaluate; mastered
// is the success coverage, the percentage of these episodes that reached
// their goal (with one episode per goal, the percentage of test goals
// reached), as SVGG's "success coverage". [Controller], a scripted policy
// that plans on a fine grid of the maze, reaches every test goal of every
// built-in layout within its limit; a test checks it.
//
// # Environment change
//
// With change_layout set, the family implements the recovery experiment of
// SVGG's paper: once the training budget reaches change_at (in
// change_unit, steps or episodes: the runner calls [Family.Tick] after every
// training episode) the family switches for good to the changed layout,
// which must have the same grid and start. Environments, including those
// made before, play it from their next Reset, and the test set becomes the
// changed layout's valid goals.
//
// # Deviations from the reference
//
//   - The reference stops the agent at a wall minus a random repulsion
//     uniform in [0, 0.01) drawn from the maze's own generator; here it is
//     the constant 0.005, so that the dynamics are deterministic.
//   - Actions are in [−1, 1] and scaled by action_range, since the task
//     contract's continuous actions are in [−1, 1]; values outside are
//     clipped (the reference's move takes any action; mrl clips the
//     policy's actions to the action space).
//   - The start is drawn from the task's seed, uniformly in a square of half
//     side start_spread around the start cell's centre (0: always the
//     centre), rather than by rejection from numpy's global generator in the
//     whole cell except 0.05 along its walls.
//   - maze-3 (the snail) gets 40 steps, not SVGG's 30: its innermost goals
//     lie about 25 units (max norm) from the start, about 28 steps for an
//     optimal agent (a search over positions and actions on a 0.05 grid),
//     so at 30 steps only near-optimal play reaches them; the scripted
//     controller needs up to 34. horizon = 30 gives the reference's limit. The
//     other mazes' far ends take at most 16 (maze-1, maze-2), 21 (maze-4)
//     and 10 (u-maze) steps at best.
//   - The test set is fixed: k² goals per open cell, in open cells only.
//     SVGG's grid evaluation draws 10 new uniform goals in each cell of a
//     10 × 10 grid over [−0.5, 9.5]² at every evaluation (which fits the
//     10 × 10 mazes; three quarters of it lies outside the 5 × 5 ones) and
//     plays each 20 times.
//   - The reference's goal space is unbounded (SVGG's particles start from
//     N(0, I)); here it is a Box, the maze's bounding box with a margin.
//   - The environment change is made through task.Clocked; the reference
//     rebuilds its environments at epoch --change_env_epoch (50, that is
//     250,000 steps) with --new_maze_type, a path that the published
//     snapshot cannot run (its make_env takes no change_env argument), and
//     ships no changed mazes: the variants here are made for this package.
//
// Environments ([Env]) allocate nothing per step or per reset; a step
// under random actions, resets included, took 100 to 250 ns on a heavily
// shared 2-core machine (BenchmarkStep: 4 to 10 million steps per second). [WritePanelsPNG] and [RenderPNG] draw mazes with points
// on top (goal particles, goals coloured by success) for figures.
package goalmaze
