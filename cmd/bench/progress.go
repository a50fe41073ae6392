package main

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/teachbench/teachbench/runner/store"
)

// progress reports a sweep's progress: a bar on a terminal, slog lines
// otherwise (one per finished run plus one every logEvery).
type progress struct {
	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	log      *slog.Logger
	w        io.Writer
	total    int64
	spent    int64
	runs     int
	finished int
	last     time.Time
}

const logEvery = 10 * time.Second

func newProgress(w io.Writer, terminal bool) *progress {
	p := &progress{w: w}
	if !terminal {
		p.log = slog.New(slog.NewTextHandler(w, nil))
	}
	return p
}

func (p *progress) Start(toRun, skipped int, units int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.runs, p.last = units, toRun, time.Now()
	if p.log != nil {
		p.log.Info("sweep started", "runs", toRun, "skipped_finished", skipped)
		return
	}
	if skipped > 0 {
		fmt.Fprintf(p.w, "resuming: %d finished runs skipped\n", skipped)
	}
	p.bar = progressbar.NewOptions64(units,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(p.describe()),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionFullWidth(),
	)
}

func (p *progress) describe() string { return fmt.Sprintf("runs %d/%d", p.finished, p.runs) }

func (p *progress) Advance(units int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.spent += units
	if p.bar != nil {
		p.bar.Add64(units)
		return
	}
	if time.Since(p.last) >= logEvery {
		p.last = time.Now()
		p.log.Info("progress", "runs_finished", p.finished, "runs", p.runs,
			"percent", fmt.Sprintf("%.1f", 100*float64(p.spent)/float64(max(1, p.total))))
	}
}

func (p *progress) RunDone(r *store.Run, interrupted bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished++
	if p.bar != nil {
		p.bar.Describe(p.describe())
		if r.Status == store.StatusFailed && !interrupted {
			p.bar.Clear()
			fmt.Fprintf(p.w, "run %s failed: %s\n", r.ID, r.Error)
		}
		return
	}
	switch {
	case interrupted:
		p.log.Warn("run interrupted", "run", r.ID)
	case r.Status == store.StatusFailed:
		p.log.Error("run failed", "run", r.ID, "error", r.Error)
	default:
		p.log.Info("run done", "run", r.ID, "finished", p.finished, "of", p.runs, "wall_s", fmt.Sprintf("%.2f", r.WallSeconds))
	}
}

// Finish ends the bar's line.
func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		fmt.Fprintln(p.w)
	}
}
