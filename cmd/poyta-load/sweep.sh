#!/usr/bin/env bash
# sweep.sh [OUT.svg]
#
# Runs poyta-load at growing table sizes, each against a fresh poyta serve
# (serve-and-run.sh), and plots p50 and p99 event latency against
# participants per table with "poyta-load plot" (default docs/latency.svg).
# Two meetings: 20 events/s (ideas, then votes, 20/s each) and 600 events/s
# (100 ideas/s, then 500 votes/s). Before each run it waits (up to
# MAX_WAIT seconds) for the 1-minute load average to fall below MAX_LOAD,
# so that runs do not measure each other. RUNS keeps the JSON lines
# (default docs/latency.jsonl); DURATION is each meeting's length.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-docs/latency.svg}
runs=${RUNS:-docs/latency.jsonl}
duration=${DURATION:-30s}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/poyta" ./cmd/poyta
go build -o "$bin/poyta-load" ./cmd/poyta-load
: >"$runs"

quiet() {
  local waited=0
  while awk -v max="${MAX_LOAD:-0.5}" '{exit !($1 >= max)}' /proc/loadavg && [ "$waited" -lt "${MAX_WAIT:-300}" ]; do
    sleep 5
    waited=$((waited + 5))
  done
}

run() {
  local label=$1 n=$2
  shift 2
  quiet
  echo "== $label, $n participants (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  POYTA=$bin/poyta BIN=$bin cmd/poyta-load/serve-and-run.sh -n "$n" --duration "$duration" --progress 0 \
    --label "$label" --json-out "$runs" "$@" | grep -E 'event latency|CPU|verdict' >&2 || true
}

for n in 100 300 1000 3000 5000 10000; do
  run "20 events/s" "$n" --ideas 20 --votes 20
done
for n in 100 300 1000 2000; do
  run "600 events/s" "$n" --ideas 100 --votes 500
done
"$bin/poyta-load" plot --out "$out" --title "Pöytä: event latency against participants (one table, 2 cores, server and load together)" \
  --target 1000=50 --target 5000=100 --target 10000=200 "$runs"
echo "wrote $out and $runs" >&2
