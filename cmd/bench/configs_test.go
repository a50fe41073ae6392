package main

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestShippedConfigsValidate checks that every config under configs/ (the
// quickstart, the CI regression sweep, the challenge profiles and the
// studies) names registered components with valid parameters, so that a
// README command never fails on a stale config.
func TestShippedConfigsValidate(t *testing.T) {
	root := filepath.Join("..", "..", "configs")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".toml") {
			return err
		}
		n++
		t.Run(strings.TrimPrefix(filepath.ToSlash(path), "../../"), func(t *testing.T) {
			if code, stdout, stderr := bench(t, "validate", path); code != 0 || !strings.Contains(stdout, ": ok: ") {
				t.Errorf("bench validate %s: exit %d\n%s%s", path, code, stdout, stderr)
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Fatalf("found %d configs under %s, want the quickstart, CI and study configs at least", n, root)
	}
}
