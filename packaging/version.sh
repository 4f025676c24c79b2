#!/usr/bin/env bash
# Prints the version of this checkout for packages and `poyta version`:
# $PKG_VERSION if set; X.Y.Z when HEAD is tagged vX.Y.Z; otherwise
# 0.0.0~gitYYYYMMDDHHMMSS.COMMIT from the commit's time, which sorts below
# any release and rises with each commit, so a newer build upgrades an
# older one.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${PKG_VERSION:-}" ]; then echo "$PKG_VERSION"; exit; fi
if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
  echo "${tag#v}"; exit
fi
if when=$(TZ=UTC0 git log -1 --date=format-local:%Y%m%d%H%M%S --format=%cd 2>/dev/null); then
  echo "0.0.0~git${when}.$(git rev-parse --short=12 HEAD)"; exit
fi
echo "0.0.0~unknown"
