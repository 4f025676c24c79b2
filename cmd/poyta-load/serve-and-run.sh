#!/usr/bin/env bash
# serve-and-run.sh [poyta-load run flags…]
#
# Builds poyta and poyta-load, starts a fresh "poyta serve" on a temporary
# database on 127.0.0.1 (any free port; --max-conns-per-ip 20000 and no
# limit on tables created), runs
# "poyta-load run --url … --pid …" with the given flags against it, and
# stops the server. The measurements in docs/performance.md were taken with
# it. Environment: BIN (where to build, default a temp dir), PPROF (e.g.
# 127.0.0.1:6060 to serve the server's profiler), SERVE_FLAGS (more flags for
# poyta serve), POYTA (a poyta binary to use instead of building one), DB
# (the --db of poyta serve, e.g. a postgres:// URL; default a fresh SQLite file).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d) pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
bin=${BIN:-$work}
mkdir -p "$bin"
if [ -z "${POYTA:-}" ]; then
  go build -o "$bin/poyta" ./cmd/poyta
  POYTA=$bin/poyta
fi
go build -o "$bin/poyta-load" ./cmd/poyta-load
serve=(serve --addr 127.0.0.1:0 --db "${DB:-$work/load.db}" --max-conns-per-ip 20000 --tables-per-hour 0)
[ -n "${PPROF:-}" ] && serve+=(--pprof "$PPROF")
# shellcheck disable=SC2086
"$POYTA" "${serve[@]}" ${SERVE_FLAGS:-} 2>"$work/serve.log" &
pid=$!
addr=
for _ in $(seq 100); do
  addr=$(sed -n 's/.*msg=serving addr=\([^ ]*\).*/\1/p' "$work/serve.log")
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { cat "$work/serve.log" >&2; exit 1; }
status=0
"$bin/poyta-load" run --url "http://$addr" --pid "$pid" "$@" || status=$?
kill "$pid"
wait "$pid" || true
pid=
# What the server warned about during the run (slow commits, dropped clients).
grep -E 'level=(WARN|ERROR)' "$work/serve.log" >&2 || true
exit "$status"
