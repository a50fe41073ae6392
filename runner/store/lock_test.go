package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLockModes(t *testing.T) {
	dir := t.TempDir()
	first, err := LockSweep(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Supported() {
		t.Skip("file locks are not supported here")
	}
	for _, shared := range []bool{false, true} {
		_, err := LockSweep(dir, shared)
		if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d on ", os.Getpid())) {
			t.Errorf("shared=%v under an exclusive lock: %v", shared, err)
		}
	}
	first.Unlock()
	first.Unlock() // idempotent

	a, err := LockSweep(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LockSweep(dir, true)
	if err != nil {
		t.Fatalf("two shared holders: %v", err)
	}
	if _, err := LockSweep(dir, false); !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "shards") {
		t.Errorf("exclusive under shared locks: %v", err)
	}
	a.Unlock()
	if _, err := LockSweep(dir, false); !errors.Is(err, ErrBusy) {
		t.Errorf("exclusive while one shared holder remains: %v", err)
	}
	b.Unlock()
	// Released (as when its holder exits): free at once.
	c, err := LockSweep(dir, false)
	if err != nil {
		t.Fatalf("after every holder released: %v", err)
	}
	c.Unlock()
	var nilLock *Lock
	if nilLock.Supported() || nilLock.Unlock() != nil {
		t.Error("a nil Lock is not inert")
	}
}

func TestRunLocks(t *testing.T) {
	rd := t.TempDir()
	l, ok, err := TryLockRun(rd)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if !l.Supported() {
		t.Skip("file locks are not supported here")
	}
	if _, ok, err := TryLockRun(rd); ok || err != nil {
		t.Errorf("second lock of a run: ok %v, err %v", ok, err)
	}
	l.Unlock()
	l, ok, err = TryLockRun(rd)
	if err != nil || !ok {
		t.Fatalf("after release: ok %v, err %v", ok, err)
	}
	l.Unlock()
	if _, _, err := TryLockRun(filepath.Join(rd, "missing")); err == nil {
		t.Error("locking a run directory that does not exist succeeded")
	}
}

func TestRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFileAtomic(filepath.Join(dir, RunFile), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{".eval.csv.tmp123", ".run.json.tmp4", LockFile, "notes.tmp", ".hidden"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
	}
	os.Mkdir(filepath.Join(dir, ".x.tmp9"), 0o755) // a directory is never removed
	if err := RemoveTemps(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{".hidden", LockFile, ".x.tmp9", "notes.tmp", RunFile}; !slices.Equal(left, want) {
		t.Fatalf("left %v, want %v", left, want)
	}
	if err := SyncDir(dir); err != nil {
		t.Fatal(err)
	}
}
