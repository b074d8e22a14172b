#!/usr/bin/env bash
# make test-scripts: starts and stops the emulator the way make demo and
# make test-modules do (scripts/lib.sh start_emulator, stop_emulator) RUNS
# times (default 20) while every core is kept busy, and checks that each
# start reports its address and answers on it. Needs make build and curl.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-20}"
work="$(mktemp -d)"
load_pids=()
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
cleanup() {
  stop_emulator
  for p in "${load_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

require_build
# Two busy loops per core: the emulator's process is scheduled late, as on
# a loaded machine, which is when the log used to be read before it existed.
for _ in $(seq 1 $((2 * $(nproc 2>/dev/null || echo 2)))); do
  (while :; do :; done) &
  load_pids+=("$!")
done

passed=0 failed=0
for i in $(seq 1 "$runs"); do
  if (
    start_emulator 127.0.0.1:0 "$work/emulator-$i.log"
    curl -fsS --max-time 10 "http://$ALILIVE_ENDPOINT/_emulator/clock" >/dev/null
    stop_emulator
  ); then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "run $i failed" >&2
  fi
done
echo "emulator start/stop under load: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
