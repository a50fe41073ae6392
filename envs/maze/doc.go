// Package maze is the partially observable gridworld maze of unsupervised
// environment design: the maze of PAIRED (Dennis et al., "Emergent
// Complexity and Zero-shot Transfer via Unsupervised Environment Design",
// NeurIPS 2020), used again by PLR and robust PLR (Jiang, Grefenstette and
// Rocktäschel, "Prioritized Level Replay", ICML 2021; Jiang, Dennis,
// Parker-Holder, Foerster, Grefenstette and Rocktäschel, "Replay-Guided
// Adversarial Environment Design", NeurIPS 2021) and ACCEL (Parker-Holder,
// Jiang, Dennis, Samvelyan, Foerster, Grefenstette and Rocktäschel, "Evolving
// Curricula with Regret-Based Environment Design", ICML 2022). It follows
// the reference code, facebookresearch/dcd (envs/multigrid), built on
// MiniGrid (Chevalier-Boisvert, Willems and Pal, "Minimalistic Gridworld
// Environment for OpenAI Gym", 2018; Chevalier-Boisvert et al., "Minigrid &
// Miniworld", NeurIPS 2023), and takes its text format for levels from
// JaxUED (Coward, Beukman and Foerster, "JaxUED: A simple and useable UED
// library in Jax", 2024).
//
// # The task
//
// A level is a grid of size × size cells (15 by default) whose outer ring is
// wall, so the interior is 13 × 13: each interior cell is empty or a wall,
// one holds the goal and another the agent, which faces right, down, left or
// up. The agent turns left, turns right or moves forward (into a wall: no
// move); moving into the goal ends the episode with reward 1 − 0.9·t/T,
// where t counts the steps from 1 (MiniGrid increments step_count before
// computing the reward) and T is the step limit (horizon, 250); every other
// step pays 0, and the episode is truncated after T steps. The outcome's
// score is its return and success means the goal was reached.
//
// The agent sees the 5 × 5 square ahead of it, rotated so that it faces up
// from the bottom-centre cell, through walls (dcd's see_through_walls), cells
// outside the grid reading as walls, plus its direction. The observation is
// a flat vector of ObsSize = 79 values for MLP students: for view cell i
// (rows from the farthest to the agent's, left to right) a one-hot code over
// {empty, wall, goal} at 3i..3i+2, then the direction one-hot at 75..78. It
// holds exactly what dcd's 5 × 5 × 3 (object, colour, state) encoding holds
// for mazes, where no other object appears and the agent's own cell reads
// as empty.
//
// # Views for teachers
//
// Spaces returns the Levels view first and then a Box view. The Levels view
// ([Space]) generates levels as dcd's domain randomisation does (the goal on
// a random cell, the agent on another with a random direction, then
// int(walls/2) walls on distinct free cells by rejection sampling; solvability
// is not checked), encodes them in 32 bytes (equal levels have equal
// encodings), prints and parses them in JaxUED's ASCII form ([ParseLevel]),
// and edits them with ACCEL's editor (dcd's mutate_level: n cells drawn with
// replacement, repeats dropped, each turned into a wall, an empty cell, the
// agent's start or the goal; a displaced goal or agent is put back on a free
// cell). The Box view has walls ∈ [0, budget] and, with box_min_path,
// min_path ∈ [0, 1]: a Box task (θ, seed) stands for the level of
// round(walls) walls drawn from the task's seed, redrawn (up to BoxTries
// times) until its shortest path is at least min_path·(width+height−2)
// moves, so that ALP-GMM and other Box teachers can act on mazes. A teacher
// that supports both kinds works on the one it prefers: the random teacher,
// which prefers Box, draws a uniform wall count, much like dcd's
// VariableBlocks domain randomisation; the reference DR is a teacher on the
// Levels view.
//
// # Evaluation
//
// The test set is a list of named held-out mazes (eval_mazes), stored in
// JaxUED's text form under levels/ and drawn in docs/figures/maze_heldout.png:
// the ten hand-made mazes of dcd and JaxUED (SixteenRooms, its FewerDoors
// variant — JaxUED's SixteenRooms2 —, NineRooms and its FewerDoors variant,
// Labyrinth, Labyrinth2, JaxUED's LabyrinthFlipped, and Maze, Maze2, Maze3 —
// JaxUED's StandardMaze 1–3), dcd's SmallCorridor and LargeCorridor, its
// PerfectMaze Small/Medium/Large/XL (randomised Kruskal; see [PerfectMaze]),
// MiniGrid's FourRooms and SimpleCrossingS11N5. Each is played eval_episodes
// times with the student's Evaluate, under its reference step limit (dcd's
// 2·size², 450 for 15 × 15; 100 for FourRooms; 4·size² for SimpleCrossing)
// unless eval_horizon sets one for all (JaxUED evaluates with 250). A maze's
// solve rate is the percentage of episodes that reach the goal; mastered is
// the mean solve rate over the mazes, and each maze's rate is reported as
// the metric solve_<name>.
//
// # Deviations from dcd
//
//   - A level is its interior plus an implicit border, encoded in 10 + ⌈w·h/8⌉
//     bytes instead of dcd's 675-byte 15 × 15 × 3 grid encoding. It may carry
//     its own step limit (MaxSteps, printed as a "max_steps: N" first line):
//     that is how the held-out mazes' limits reach the environment.
//   - In the hand-made held-out mazes the agent faces right, as in dcd's code
//     at HEAD, where place_agent_at_pos has its random direction commented
//     out and sets 0 (the reference digest says random); LabyrinthFlipped
//     keeps JaxUED's '<'.
//   - dcd draws a new layout per episode for the corridors (goal among the
//     dead ends next to the middle wall), the perfect mazes, FourRooms and
//     SimpleCrossing. Here each was drawn once from a fixed seed with the
//     same generator and stored, so its episodes all play one layout; a test
//     rebuilds the files from their seeds.
//   - dcd evaluates FourRooms and SimpleCrossing with MiniGrid's occluded
//     view (see_through_walls false); here every level is seen through walls,
//     the training observation.
//   - The default test set leaves out PerfectMazeLarge and PerfectMazeXL,
//     whose step limits (5,202 and 20,402) would dominate evaluation; name
//     them in eval_mazes to add them. dcd's eval.py plays 100 episodes per
//     maze; the default here is JaxUED's 10.
//   - dcd draws VariableBlocks wall counts and edits from the global NumPy
//     generator; here every draw comes from the stream passed in. The
//     editor applies its edits in increasing cell order (dcd iterates a
//     Python set) and, when no free cell is left for a displaced goal or
//     agent, clears a random wall for it (dcd would fail). As in dcd, edits
//     may take a level past the wall budget, which bounds generation only.
//   - The generator's wall count rule is a parameter: half (dcd's default),
//     uniform (dcd's VariableBlocks), or budget (JaxUED's and minimax's
//     generator, walls drawn with replacement). The editor's edit set is
//     one too, including minimax's no-op / flip wall / move goal mutator
//     that JaxUED's ACCEL uses.
//   - actions = 3 (the default) offers only the three actions that do
//     anything; actions = 7 offers MiniGrid's seven, pickup, drop, toggle
//     and done being no-ops that spend a step, as in dcd.
//
// An environment ([Env]) allocates nothing per step or per reset, and runs
// at about 20 million steps per second on an idle core under a random policy,
// observations and resets included (BenchmarkStep). [Oracle] is a scripted policy that follows a shortest
// path on the full level, for tests and baselines; [WriteGridPNG] draws
// levels for figures.
package maze
