#!/usr/bin/env bash
# Builds poyta as one fully static Linux executable: SQLite (compiled in by
# mattn/go-sqlite3) and the C library linked in, no dynamic loader, so it
# runs on any Linux of its architecture and in an empty root (FROM scratch).
#
#   packaging/build-static.sh [OUT]        default OUT: dist/poyta
#
# Needs Go, gcc and the static C library (Debian: libc6-dev, which gcc
# brings). The tags: netgo and osusergo use Go's own DNS resolver and user
# lookup instead of glibc's, which cannot be linked statically (NSS loads
# modules at run time); sqlite_omit_load_extension leaves out SQLite's
# dlopen of extensions, likewise. -buildvcs records the commit for
# `poyta version` when built in a git clone.
set -euo pipefail
[ -z "${1:-}" ] || out=$(realpath -m "$1")   # before the cd below
cd "$(dirname "$0")/.."
out="${out:-dist/poyta}"
version="$(packaging/version.sh)"
mkdir -p "$(dirname "$out")"
CGO_ENABLED=1 go build -trimpath -buildvcs=auto \
  -tags 'osusergo netgo sqlite_omit_load_extension' \
  -ldflags "-s -w -X main.version=${version} -linkmode external -extldflags '-static'" \
  -o "$out" ./cmd/poyta
# A static executable has no program interpreter (dynamic loader).
if grep -q INTERP <<<"$(readelf -l "$out")"; then
  echo "build-static: $out is dynamically linked" >&2; exit 1
fi
echo "built $out ($version, $(du -h "$out" | cut -f1), static)"
