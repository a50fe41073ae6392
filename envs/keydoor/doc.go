// Package keydoor is a compact MiniGrid engine and the key-and-door task
// sequences of the mastering-rate curricula, as discrete task graphs for
// curriculum teachers with reinforcement-learning students.
//
// The engine follows MiniGrid (Chevalier-Boisvert, Willems and Pal,
// "Minimalistic Gridworld Environment for OpenAI Gym", 2018;
// Chevalier-Boisvert et al., "Minigrid & Miniworld: Modular &
// Customizable Reinforcement Learning Environments for Goal-Oriented
// Tasks", NeurIPS 2023; reference code Farama-Foundation/Minigrid). The
// curricula are those of Willems, Lahlou and Bengio, "Mastering Rate based
// Curriculum Learning" (arXiv 2008.06456, 2020; reference code
// lcswillems/automatic-curriculum, curriculums/*.json), which recast the
// learning-progress teachers of Matiisen, Oliver, Cohen and Schulman,
// "Teacher-Student Curriculum Learning" (IEEE TNNLS 2019, arXiv 1707.00183)
// and compare them with the mastering-rate teacher on these graphs.
//
// # The engine
//
// A [World] is a grid of cells, each empty or holding a wall, a door
// (open, closed or locked, of one of MiniGrid's six colours), a key, a
// ball, a box (which may hold an object) or a goal, plus the agent: its
// cell, its direction and the one object it may carry. The seven actions
// and their effects are MiniGrid's ([World.Act]): turn left, turn right,
// move forward (onto an empty cell, an open door or a goal), pick up the
// key, ball or box ahead with empty hands, drop the carried object on the
// empty cell ahead, toggle (open or close the door ahead; a locked door
// opens only while the agent carries a key of its colour, which it keeps;
// a box is replaced by its content), and done (nothing).
//
// The agent sees the 7 × 7 square ahead of it, rotated so that it faces up
// from the bottom-centre cell, with MiniGrid's occlusion (see_through_walls
// false): visibility spreads out from the agent row by row and stops at
// walls and at doors that are not open ([World.Visible] follows
// Grid.process_vis exactly); cells outside the grid read as walls; the
// agent's own cell shows the object it carries. The observation is a flat
// float64 vector of fixed size for every task, so that one student can
// learn all of a graph's tasks (parameter obs):
//
//   - onehot (default, [OneHot], [OneHotSize] = 788): for each of the 49
//     view cells, rows from the farthest to the agent's, left to right,
//     16 values: a one-hot type over unseen, empty, wall, open door, closed
//     door, locked door, key, ball, box and goal, then a one-hot colour for
//     doors, keys, balls and boxes; then the direction one-hot (right,
//     down, left, up). It carries what MiniGrid's (type, colour, state)
//     image carries, in a form an MLP or GRU reads directly.
//   - minigrid ([MiniGridInts], [MiniGridSize] = 151): MiniGrid's own
//     image, the integers (OBJECT_TO_IDX, COLOR_TO_IDX, state) of each view
//     cell as floats, in the same cell order (value 3·(7·vy + vx) + c holds
//     MiniGrid's image[vx][vy][c]), then the direction one-hot.
//
// A task's mission is to pick up one object or to open one door (the
// Target object). Achieving it at step t ends the episode with reward
// 1 − 0.9·t/T, t counted from 1 as MiniGrid's step_count after its
// increment and T the task's max_steps; no other step pays anything, and
// the episode is truncated after T steps.
//
// # The tasks and graphs
//
// Layouts are MiniGrid's RoomGrid: rows × cols square rooms of side S
// (walls included) sharing their walls, a grid of ((S−1)·cols+1) ×
// ((S−1)·rows+1) cells, with one door position drawn on each wall between
// two rooms. Each task is generated as its MiniGrid environment's
// _gen_grid does it:
//
//	task                 rooms S  max_steps  mission and layout
//	Unlock               1×2   6  288        open the locked door; its key is in the agent's room
//	UnlockPickup         1×2   6  288        also pick up the box (random colour) in the other room
//	BlockedUnlockPickup  1×2   6  576        also move the ball that stands in front of the door
//	KeyCorridorS{S}R{R}  R×3   S  30·S²      pick up the ball behind a locked door in a random room of the
//	                                         right column; the middle column is one corridor holding the
//	                                         agent; the key is in a random left-column room; closed doors
//	                                         of random colours join the other rooms (connect_all)
//	                                         S3R1, S3R2, S3R3, S4R3, S5R3, S6R3: 270, 270, 270, 480, 750, 1080
//	ObstructedMaze-1Dl   1×2   6  288        pick up the blue ball behind a locked door (key in the agent's room)
//	  1Dlh, 1Dlhb                            the key in a grey box (h); a green ball blocks the door (b)
//	  2Dl, 2Dlh, 2Dlhb   3×3   6  576        agent in the right side room; locked doors to both right corners;
//	                                         the ball in the top-right corner
//	  1Q                 3×3   6  720        as 2Dlhb, the agent in the middle room behind a closed door
//	  2Q                 3×3   6  1584       two quarters (right and bottom side rooms), the ball in the top-
//	                                         or bottom-right corner, the agent in the right side room
//	  Full               3×3   6  3600       four quarters, the ball in any corner, the agent in the middle
//
// The parameter graph selects one of the mastering-rate curricula, whose
// task names, prerequisite edges and return bounds come from package
// envs/graphs (task i of the graph is the task of that name):
// blockedunlockpickup (Unlock → UnlockPickup → BlockedUnlockPickup),
// keycorridor (KeyCorridorS3R1 → … → S6R3: rows grow, then room size) and
// obstructedmaze (1Dl → {1Dlh, 2Dl}; 1Dlh → {1Dlhb, 2Dlh}; 2Dl → 2Dlh;
// {1Dlhb, 2Dlh} → 2Dlhb → 1Q → 2Q → Full: locked doors, hidden keys,
// blocking balls, then more of the 3 × 3 maze). A task (index, seed)
// always produces the same layout: it is drawn from a PCG generator seeded
// with the seed and a stream fixed by the task's name (FNV-1a of
// "keydoor/<name>"), so a name and a seed give one layout whatever the
// graph.
//
// # Scores, success and evaluation
//
// An episode's Return is its reward, in [0, 1]; its Score is the same value
// and Success means the mission was achieved. The graphs' bounds, [0, 0.5]
// for every task as in the reference curricula, are not applied to the
// score: they are carried by the task space (task.Discrete.Bounds) and the
// mastering-rate teacher turns returns into mastering rates with them
// itself, (perf − min)/(max − min) with its own running min and max,
// exactly as the reference does with raw MiniGrid returns.
//
// The test set is every task of the graph with the layout seeds
// 0 … eval_seeds−1 (default 10; training tasks carry 64-bit random seeds).
// Evaluate plays each through the student's Evaluate: a task is mastered
// when its success rate reaches mastery (default 0.9, as the curriculum
// family's mastery score; students that evaluate with sampled rather than
// greedy actions may call for a lower one), mastered is the percentage of
// tasks mastered, and each task's mean return is reported as the metric
// return_<task>. (The reference repository has no mastery rule of its own:
// it plots per-task returns.)
//
// # Deviations from MiniGrid
//
//   - Random draws come from PCG, not NumPy: layouts follow MiniGrid's
//     distributions (the same sequence of choices, colours drawn uniformly
//     from the six, rooms and cells uniformly) but not its layouts for a
//     given seed.
//   - MiniGrid places objects and the agent by rejection sampling (a cell
//     of the room, redrawn while it is occupied, the agent's cell or next
//     to it, or — for the agent — while the cell ahead holds an object),
//     and connect_all draws (room, wall) pairs until one may take a door.
//     Here each draw is uniform among the qualifying candidates: the same
//     distribution, in bounded time (MiniGrid gives up after 1,000 tries
//     with a RecursionError, which cannot happen here). The quirk that
//     objects are kept away from the middle of the middle room — the
//     agent's default position until it is placed — is kept, as it
//     shapes where UnlockPickup's box and ObstructedMaze-1D's ball go.
//   - ObstructedMaze defaults to MiniGrid's v1 generator (obstructed_maze =
//     "v1"): every blocking ball is placed before any key. The -v0
//     environments of the reference curricula place a side room's second
//     blocking ball after its first key, and the ball may overwrite that key
//     (or its box), leaving the door unopenable: with obstructed_maze =
//     "v0" the oracle fails, for want of a key, on about 6% of 2Dlhb and 1Q
//     layouts and 3% of 2Q ones (187, 188 and 101 of 3,000 seeds). Full
//     stays solvable: each of its corners also has a door whose key was
//     placed after both balls of its side room.
//   - There is no mission string: every task here is solvable without
//     language, and the reference's model reads no instruction. That model
//     reads only the image; the observation here also holds the direction,
//     which MiniGrid's observation carries beside the image.
//   - The mission's object is marked by Obj.Target, which travels with it,
//     where MiniGrid compares the carried object's identity; Unlock
//     succeeds on the toggle that opens its door (MiniGrid: a toggle after
//     which the door is open, the same event since opening ends the
//     episode). When success and the time limit coincide, the step is
//     Terminated (MiniGrid sets both flags).
//   - Only the objects these tasks use exist (no floor or lava).
//
// # Oracle and cost
//
// [Oracle] is a scripted planner on the fully observed world (shortest-path
// searches that fetch keys, open boxes and doors, move blocking objects and
// pick up the target); tests check that it solves every task of every graph
// from many seeds within max_steps. An environment ([Env]) allocates
// nothing per step or per reset; BenchmarkStep measures a random policy on
// each graph's hardest task (BlockedUnlockPickup, KeyCorridorS6R3, Full),
// observations and layout generation included.
package keydoor
