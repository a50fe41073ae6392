package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"

	"github.com/teachbench/teachbench/runner"
	"github.com/teachbench/teachbench/runner/store"
)

// Files that `bench slurm` writes into DIR/slurm/.
const (
	slurmRunScript   = "run.sbatch"
	slurmMergeScript = "merge.sbatch"
	slurmConfig      = "config.toml"
	slurmLogs        = "logs"
)

// slurmJob is what the sbatch templates need.
type slurmJob struct {
	Name      string
	Shards    int
	Last      int // last array index
	Throttle  int
	CPUs      int
	Time      string
	MergeTime string
	Partition string
	Account   string
	QoS       string
	Mem       string
	Extra     []string
	Output    string // #SBATCH-quoted log file pattern of the array tasks
	MergeOut  string // #SBATCH-quoted log file pattern of the merge job
	RunScript string // path of run.sbatch, for the resubmission hint
	Bench     string // shell-quoted
	Config    string // shell-quoted
	Out       string // shell-quoted
	Dir       string // shell-quoted
}

// The sbatch scripts. #SBATCH lines must precede every command; sbatch reads
// them up to the first line that is neither a comment nor blank. The array
// script passes N explicitly (--shard ${SLURM_ARRAY_TASK_ID}/N) so that a
// resubmission of some indices (sbatch --array=1,3) still runs shards of N.
// exec makes bench the batch step's process, so the SIGTERM that Slurm sends
// at the time limit or on scancel reaches it: it stops within a few episodes and
// keeps every finished run.
var slurmTemplates = template.Must(template.New("run").Parse(`#!/bin/bash
#SBATCH --job-name={{.Name}}
#SBATCH --array=0-{{.Last}}{{if .Throttle}}%{{.Throttle}}{{end}}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task={{.CPUs}}
{{- template "common" .}}
{{- if .Time}}
#SBATCH --time={{.Time}}{{end}}
{{- if .Mem}}
#SBATCH --mem={{.Mem}}{{end}}
#SBATCH --output={{.Output}}
#SBATCH --open-mode=append
{{- range .Extra}}
#SBATCH {{.}}{{end}}
#
# teachbench sweep {{.Name}}, written by bench slurm: array task K runs shard K
# of {{.Shards}}, the runs i of the canonical order with i mod {{.Shards}} = K. Runs
# finished earlier are skipped, so resubmitting is always safe; to rerun some
# shards only: sbatch --array=1,3 {{.RunScript}}
exec {{.Bench}} run {{.Config}} --out {{.Out}} --shard "${SLURM_ARRAY_TASK_ID}/{{.Shards}}"
`))

func init() {
	template.Must(slurmTemplates.New("common").Parse(`
{{- if .Partition}}
#SBATCH --partition={{.Partition}}{{end}}
{{- if .Account}}
#SBATCH --account={{.Account}}{{end}}
{{- if .QoS}}
#SBATCH --qos={{.QoS}}{{end}}`))
	template.Must(slurmTemplates.New("merge").Parse(`#!/bin/bash
#SBATCH --job-name={{.Name}}-merge
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
{{- template "common" .}}
#SBATCH --time={{.MergeTime}}
#SBATCH --output={{.MergeOut}}
{{- range .Extra}}
#SBATCH {{.}}{{end}}
#
# teachbench sweep {{.Name}}, written by bench slurm: checks that every planned
# run finished, writes summary.csv and the figures, or lists the missing runs
# (missing.txt) and the shards that own them, and fails.
exec {{.Bench}} merge {{.Dir}} --shards {{.Shards}}
`))
}

// Formats accepted for values written into #SBATCH lines.
var (
	slurmTime  = regexp.MustCompile(`^(\d+(:\d{1,2}){0,2}|\d+-\d+(:\d{1,2}){0,2}|UNLIMITED|INFINITE|unlimited|infinite)$`)
	slurmMem   = regexp.MustCompile(`^\d+[KMGTkmgt]?$`)
	slurmName  = regexp.MustCompile(`^[A-Za-z0-9_.,:+@-]+$`)
	slurmExtra = regexp.MustCompile(`^--?[A-Za-z][^\n\r]*$`)
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }

func cmdSlurm(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "emit" && args[0] != "submit") {
		return fmt.Errorf("%w: want `bench slurm emit CONFIG --shards N` (write the sbatch scripts) or `bench slurm submit CONFIG --shards N` (write and submit them)", errUsage)
	}
	sub := args[0]
	fs := flag.NewFlagSet("slurm "+sub, flag.ContinueOnError)
	out := fs.String("out", "results", "results root on a file system the compute nodes share; the sweep writes into OUT/<name>")
	shards := fs.Int("shards", 0, "number of array tasks N (required); task K runs the runs i with i mod N = K")
	cpus := fs.Int("cpus", 1, "CPUs per array task (--cpus-per-task); a task runs that many runs at a time")
	timeLimit := fs.String("time", "", "time limit per array task (--time), e.g. 2:00:00 or 1-12; default: the partition's")
	throttle := fs.Int("throttle", 0, "run at most M array tasks at a time (--array=0-(N-1)%M); 0: no limit")
	partition := fs.String("partition", "", "partition of both jobs (--partition)")
	account := fs.String("account", "", "account of both jobs (--account)")
	qos := fs.String("qos", "", "quality of service of both jobs (--qos)")
	mem := fs.String("mem", "", "memory per array task (--mem), e.g. 4G")
	mergeTime := fs.String("merge-time", "30:00", "time limit of the merge job")
	dependency := fs.String("dependency", "afterany", "when the merge job starts: afterany (once every array task has ended, however) or afterok (only if all succeeded)")
	benchPath := fs.String("bench", "", "path of the bench binary on the compute nodes (default: this executable)")
	sbatch := fs.String("sbatch", "sbatch", "the sbatch command (submit)")
	var extra stringList
	fs.Var(&extra, "sbatch-arg", "extra sbatch option for both jobs, e.g. --constraint=avx2 (repeatable)")
	pos, err := parse(fs, args[1:], "CONFIG")
	if err != nil {
		return err
	}
	job := slurmJob{Shards: *shards, Throttle: *throttle, CPUs: *cpus, Time: *timeLimit, MergeTime: *mergeTime,
		Partition: *partition, Account: *account, QoS: *qos, Mem: *mem, Extra: extra}
	if err := job.validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *dependency != "afterany" && *dependency != "afterok" {
		return fmt.Errorf("%w: --dependency %q: want afterany or afterok", errUsage, *dependency)
	}
	bench, err := benchExecutable(*benchPath)
	if err != nil {
		return err
	}

	c, err := runner.Load(pos[0])
	if err != nil {
		return err
	}
	root, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	dir := filepath.Join(root, c.Name)
	slurmDir := filepath.Join(dir, store.SlurmDir)
	// The jobs run a frozen copy of the config: editing the original while
	// they wait in the queue must not change what they compute.
	text, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	frozen := filepath.Join(slurmDir, slurmConfig)
	if c, err = runner.Parse(frozen, string(text)); err != nil {
		return err
	}
	if runs, err := c.Plan(); err != nil {
		return err
	} else if job.Shards > len(runs) {
		return fmt.Errorf("%w: --shards %d: the sweep has only %d runs; use at most that many shards", errUsage, job.Shards, len(runs))
	}
	prep, err := runner.Prepare(c, root)
	if err != nil {
		return err
	}
	defer prep.Close()
	if err := os.MkdirAll(filepath.Join(slurmDir, slurmLogs), 0o755); err != nil {
		return err
	}
	if err := store.WriteFileAtomic(frozen, text); err != nil {
		return err
	}
	job.Name = c.Name
	job.Last = job.Shards - 1
	if job.Output, err = sbatchQuote(filepath.Join(slurmDir, slurmLogs, "%A_%a.out")); err != nil {
		return err
	}
	if job.MergeOut, err = sbatchQuote(filepath.Join(slurmDir, slurmLogs, "%j-merge.out")); err != nil {
		return err
	}
	runScript, mergeScript := filepath.Join(slurmDir, slurmRunScript), filepath.Join(slurmDir, slurmMergeScript)
	job.RunScript = shellQuote(runScript)
	job.Bench, job.Config, job.Out, job.Dir = shellQuote(bench), shellQuote(frozen), shellQuote(root), shellQuote(dir)
	for _, s := range []struct{ template, path string }{{"run", runScript}, {"merge", mergeScript}} {
		var buf bytes.Buffer
		if err := slurmTemplates.ExecuteTemplate(&buf, s.template, job); err != nil {
			return err
		}
		if err := store.WriteFileAtomic(s.path, buf.Bytes()); err != nil {
			return err
		}
	}
	if err := prep.Close(); err != nil {
		return err
	}

	if sub == "emit" {
		fmt.Fprintf(stdout, "wrote %s (an array of %d tasks over %d runs) and %s\nsubmit both with:\n  %s\nor: %s\n",
			runScript, job.Shards, len(prep.Runs), mergeScript,
			fmt.Sprintf("jid=$(sbatch --parsable %s) && sbatch --dependency=%s:${jid%%%%;*} %s", shellQuote(runScript), *dependency, shellQuote(mergeScript)),
			shellJoin(append([]string{"bench", "slurm", "submit"}, args[1:]...)))
		return nil
	}
	arrayID, err := submit(ctx, *sbatch, runScript)
	if err != nil {
		return fmt.Errorf("submitting the array job: %w", err)
	}
	depArgs := []string{"--dependency=" + *dependency + ":" + arrayID}
	if *dependency == "afterok" {
		// Without it, a failed task leaves the merge pending forever.
		depArgs = append(depArgs, "--kill-on-invalid-dep=yes")
	}
	mergeID, err := submit(ctx, *sbatch, mergeScript, depArgs...)
	if err != nil {
		return fmt.Errorf("the array job %s is submitted, but the merge job is not: %w\nsubmit it with: %s", arrayID, err,
			shellJoin(append(append([]string{"sbatch"}, depArgs...), mergeScript)))
	}
	fmt.Fprintf(stdout, "submitted array job %s (%d tasks over %d runs) and merge job %s (%s:%s)\nlogs: %s\nwatch: squeue -j %s,%s\n",
		arrayID, job.Shards, len(prep.Runs), mergeID, *dependency, arrayID,
		filepath.Join(slurmDir, slurmLogs, arrayID+"_*.out"), arrayID, mergeID)
	return nil
}

// validate checks the options that go into #SBATCH lines.
func (j *slurmJob) validate() error {
	switch {
	case j.Shards < 1:
		return fmt.Errorf("--shards %d: want the number of array tasks, at least 1", j.Shards)
	case j.CPUs < 1:
		return fmt.Errorf("--cpus %d: want at least 1", j.CPUs)
	case j.Throttle < 0:
		return fmt.Errorf("--throttle %d: want 0 (no limit) or more", j.Throttle)
	case j.Time != "" && !slurmTime.MatchString(j.Time):
		return fmt.Errorf("--time %q: want a Slurm time such as 90, 2:00:00 or 1-12:00:00", j.Time)
	case !slurmTime.MatchString(j.MergeTime):
		return fmt.Errorf("--merge-time %q: want a Slurm time such as 30:00", j.MergeTime)
	case j.Mem != "" && !slurmMem.MatchString(j.Mem):
		return fmt.Errorf("--mem %q: want a size such as 4G or 500M", j.Mem)
	}
	for _, o := range []struct{ flag, value string }{{"partition", j.Partition}, {"account", j.Account}, {"qos", j.QoS}} {
		if o.value != "" && !slurmName.MatchString(o.value) {
			return fmt.Errorf("--%s %q: want letters, digits and _.,:+@- only", o.flag, o.value)
		}
	}
	for _, e := range j.Extra {
		if !slurmExtra.MatchString(e) {
			return fmt.Errorf("--sbatch-arg %q: want one sbatch option on one line, such as --constraint=avx2", e)
		}
	}
	return nil
}

// sbatchQuote returns a path for an #SBATCH line: as is when plain, else in
// double quotes, which sbatch strips. Paths holding a double quote, a
// backslash or a line break cannot be written there.
func sbatchQuote(path string) (string, error) {
	if strings.ContainsAny(path, "\"\\\n\r") {
		return "", fmt.Errorf("the path %q cannot appear in an #SBATCH line: choose an --out directory without quotes, backslashes or line breaks", path)
	}
	if shellQuote(path) == path {
		return path, nil
	}
	return `"` + path + `"`, nil
}

// benchExecutable returns the bench binary the jobs run: the given path, or
// this executable unless it is a temporary `go run` build, which is deleted
// when it exits.
func benchExecutable(given string) (string, error) {
	path := given
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("cannot find this executable (%v): pass --bench PATH", err)
		}
		if exe, err = filepath.EvalSymlinks(exe); err != nil {
			return "", err
		}
		if strings.Contains(exe, string(filepath.Separator)+"go-build") {
			return "", fmt.Errorf("%w: bench is running from a temporary `go run` build (%s) that the jobs could not run: build it (go build -o ~/bin/bench ./cmd/bench) and run that, or pass --bench PATH", errUsage, exe)
		}
		return exe, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("--bench %s: not an executable file", path)
	}
	return abs, nil
}

// submit runs `sbatch --parsable [args] script` and returns the job ID it
// prints ("id" or "id;cluster").
func submit(ctx context.Context, sbatch, script string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, sbatch, append(append([]string{"--parsable"}, args...), script)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if errors.Is(err, exec.ErrNotFound) {
			msg = "is Slurm installed here? (pass --sbatch PATH if sbatch is not on PATH)"
		}
		return "", fmt.Errorf("%s: %v: %s", sbatch, err, msg)
	}
	id, _, _ := strings.Cut(strings.TrimSpace(string(out)), ";")
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return "", fmt.Errorf("%s --parsable printed %q, not a job ID", sbatch, strings.TrimSpace(string(out)))
	}
	return id, nil
}
