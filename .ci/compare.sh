#!/usr/bin/env bash
# Regression gate: runs the CI regression sweep (configs/ci-regression.toml)
# into a temporary directory and compares it with the committed baseline in
# results/baselines/ci-regression/. Exits non-zero when `bench compare` finds a
# significant regression (see `bench compare` in the README for the rule).
#
#   .ci/compare.sh            run the sweep and compare
#   .ci/compare.sh --update   run the sweep and replace the baseline with it
#                             (after an intended change of results; commit it)
#
# Extra arguments are passed to `bench compare`, e.g. --metric auc_mastered.
set -euo pipefail
cd "$(dirname "$0")/.."

config=configs/ci-regression.toml
baseline=results/baselines/ci-regression

update=false
if [ "${1:-}" = "--update" ]; then
  update=true
  shift
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/bench" ./cmd/bench
echo "== bench run $config"
"$tmp/bench" run "$config" --out "$tmp/results" --plots=false
results="$tmp/results/ci-regression"

if $update; then
  mkdir -p "$baseline"
  cp "$results/summary.csv" "$results/sweep.json" "$baseline/"
  echo "baseline updated: $baseline (summary.csv, sweep.json)"
  exit 0
fi

echo "== bench compare $baseline $results"
"$tmp/bench" compare "$baseline" "$results" "$@"
