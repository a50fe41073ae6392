#!/usr/bin/env bash
# Runs each fuzz target of the repository for a short while (FUZZTIME, default
# 10s each). Their committed seed corpora (testdata/fuzz/) already run as
# ordinary tests under `go test ./...`; this explores beyond them. A failure
# leaves the input that broke the target in testdata/fuzz/<target>/ and
# prints the command that replays it.
#
# Usage: .ci/fuzz.sh                 (FUZZTIME=2m .ci/fuzz.sh for a longer look)
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-10s}
status=0
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  # go test -fuzz takes one target of one package at a time. Minimising each
  # new interesting input would otherwise take up to a minute of the budget.
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "== $pkg $target ($fuzztime)"
    go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 5s || status=1
  done
done
exit "$status"
