//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import (
	"errors"
	"os"
)

// flock is not implemented on this platform: locks are no-ops (see Lock).
func flock(f *os.File, shared bool) error { return errors.ErrUnsupported }

func isSyncUnsupported(err error) bool { return true }
