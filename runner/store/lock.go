package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// LockFile is the name of the lock file of a sweep directory and of each run
// directory.
const LockFile = ".lock"

// ErrBusy is returned (wrapped) when a lock is held by another process.
var ErrBusy = errors.New("in use by another process")

// Lock is an advisory lock on a sweep or run directory, taken with flock(2)
// on its .lock file.
//
// The kernel releases a flock when the process that holds it exits, however
// it exits (SIGKILL included), so a lock can never be left stale: the .lock
// file stays behind but means nothing once its holder is gone, and it is
// never deleted (deleting a lock file while others may be opening it would
// let two processes hold "the" lock at once). On NFS, Linux clients forward
// flock to the server's lock manager, so the lock holds across nodes, and a
// crashed client's locks are released when its lease expires. On Lustre,
// flock is cluster-wide only when the file system is mounted with -o flock
// (with -o localflock it is node-local).
//
// Where the file system or the platform does not support flock (Lustre with
// -o noflock; platforms other than Linux, macOS and the BSDs), the lock is a
// no-op: Supported reports false and the caller should say that concurrent
// invocations are not guarded. Results stay uncorrupted even then, because
// every file is written atomically; only duplicated work is no longer
// prevented.
type Lock struct {
	f         *os.File
	supported bool
}

// Supported reports whether the lock is enforced.
func (l *Lock) Supported() bool { return l != nil && l.supported }

// Unlock releases the lock. It is safe to call on a nil Lock.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	return err
}

// LockSweep locks the sweep directory dir: exclusively for an invocation that
// owns the whole sweep (an unsharded run, a merge, writing a plan), shared for
// the shards of a sweep, which run side by side. When the lock is held in a
// conflicting mode it returns an error wrapping ErrBusy that says who holds
// it, as far as is known: an exclusive holder writes its process ID, host,
// start time and command line into the lock file.
func LockSweep(dir string, shared bool) (*Lock, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot open the lock file: %w", err)
	}
	l := &Lock{f: f, supported: true}
	switch err := flock(f, shared); {
	case errors.Is(err, errors.ErrUnsupported):
		l.supported = false
		return l, nil
	case errors.Is(err, ErrBusy):
		holder := readHolder(f)
		f.Close()
		if holder == "" {
			holder = "shards of a sweep (bench run --shard) or another bench command"
		}
		return nil, fmt.Errorf("%s is %w: %s", dir, ErrBusy, holder)
	case err != nil:
		f.Close()
		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}
	// Record the holder for the messages of processes that find the lock
	// taken. Shared holders clear the record: several shards hold the lock
	// together, and a stale exclusive holder's record would mislead.
	if err := f.Truncate(0); err == nil && !shared {
		host, _ := os.Hostname()
		fmt.Fprintf(f, "pid %d on %s since %s (%s)\n", os.Getpid(), host,
			time.Now().Format(time.RFC3339), strings.Join(os.Args, " "))
	}
	return l, nil
}

// TryLockRun takes the exclusive lock of the run directory runDir, which must
// exist, without waiting. ok is false when another process holds it.
func TryLockRun(runDir string) (l *Lock, ok bool, err error) {
	f, err := os.OpenFile(filepath.Join(runDir, LockFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, false, err
	}
	switch err := flock(f, false); {
	case errors.Is(err, errors.ErrUnsupported):
		return &Lock{f: f}, true, nil
	case errors.Is(err, ErrBusy):
		f.Close()
		return nil, false, nil
	case err != nil:
		f.Close()
		return nil, false, err
	}
	return &Lock{f: f, supported: true}, true, nil
}

func readHolder(f *os.File) string {
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// IsTemp reports whether name is a temporary file left by WriteFileAtomic
// (a process killed between creating it and renaming it into place).
func IsTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp")
}

// RemoveTemps deletes the temporary files that interrupted writers left in
// dir. Call it only while holding a lock that excludes every writer of dir.
func RemoveTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() && IsTemp(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// SyncDir flushes the directory dir to stable storage, so that the renames
// done in it survive a crash of the machine, not only of the process. File
// systems that cannot sync a directory are not an error.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	d.Close()
	if err != nil && !isSyncUnsupported(err) {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}
