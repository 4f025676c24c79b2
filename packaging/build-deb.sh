#!/usr/bin/env bash
# Builds the poyta Debian package with nfpm (a Go module, pinned in
# packaging/go.mod: nothing to install but Go):
#
#   packaging/build-deb.sh [BINARY]     writes dist/poyta_VERSION_ARCH.deb
#
# BINARY defaults to dist/poyta, built by packaging/build-static.sh if it is
# not there. The version is the binary's (PKG_VERSION overrides).
# It prints the path of the package.
set -euo pipefail
[ -z "${1:-}" ] || bin=$(realpath -m "$1")   # before the cd below
cd "$(dirname "$0")/.."
bin="${bin:-dist/poyta}"
[ -x "$bin" ] || packaging/build-static.sh "$bin" >&2
# The package's version is the binary's own (packaging/version.sh's when
# build-static.sh built it), unless PKG_VERSION says otherwise.
v=$("$bin" version | head -1)
export PKG_VERSION="${PKG_VERSION:-${v#poyta }}"
case "$PKG_VERSION" in [0-9]*) ;; *) echo "build-deb: $bin has no release version ($v); set PKG_VERSION" >&2; exit 1 ;; esac
export PKG_ARCH="$(go env GOARCH)"
mkdir -p dist/.pkg
install -m 0755 "$bin" dist/.pkg/poyta   # nfpm.yaml takes it from there
out="dist/poyta_${PKG_VERSION}_${PKG_ARCH}.deb"
# Run from the repository root so that nfpm.yaml's paths resolve; the tool
# comes from packaging/go.mod.
go -C packaging build -o "$PWD/dist/.nfpm" github.com/goreleaser/nfpm/v2/cmd/nfpm
dist/.nfpm package --config packaging/nfpm.yaml --packager deb --target "$out" >&2
echo "$PWD/$out"
