#!/usr/bin/env bash
# Proves that the static binary needs nothing: it runs in a chroot that holds
# only what packaging/Containerfile puts in the image (the binary, the CA
# certificates, an empty /tmp and an empty data directory), as the image's
# user and with the image's environment. There it serves, a table is
# created over HTTP, `poyta export` writes its minutes while the server
# runs, and `poyta healthcheck` (the image's HEALTHCHECK) passes. Needs root
# (chroot) and curl.
#
#   packaging/test-static.sh [BINARY]      default: dist/poyta
set -euo pipefail
[ -z "${1:-}" ] || bin=$(realpath -m "$1")   # before the cd below
cd "$(dirname "$0")/.."
bin="${bin:-dist/poyta}"
root="$(mktemp -d /tmp/poyta-chroot.XXXXXX)"
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$root" "$root.log"
}
trap cleanup EXIT
fail() { echo "test-static: $*" >&2; [ -f "$root.log" ] && cat "$root.log" >&2; exit 1; }

if grep -q INTERP <<<"$(readelf -l "$bin")"; then fail "$bin is dynamically linked"; fi

# The image's files, owners and modes, laid out by the script the
# Containerfile runs.
uid=65532
grep -q "^USER $uid:$uid\$" packaging/Containerfile || fail "the Containerfile's USER is not $uid:$uid"
grep -q 'packaging/image-root.sh /out/poyta /rootfs$' packaging/Containerfile || fail "the Containerfile does not use image-root.sh"
packaging/image-root.sh "$bin" "$root"
[ "$(stat -c '%u:%g %a' "$root/var/lib/poyta")" = "$uid:$uid 750" ] || fail "/var/lib/poyta"
[ "$(stat -c '%a' "$root/tmp")" = 1777 ] || fail "/tmp"
files=$(cd "$root" && find . -type f | sort | tr '\n' ' ')
[ "$files" = "./etc/ssl/certs/ca-certificates.crt ./usr/bin/poyta " ] || fail "unexpected files in the root: $files"

# The image's environment (Containerfile: ENV lines), nothing else.
env=(env -i)
while read -r kv; do env+=("$kv"); done < <(sed -n 's/^ENV //p' packaging/Containerfile)
chroot=$(command -v chroot)
run() { "${env[@]}" "$chroot" --userspec="$uid:$uid" "$root" /usr/bin/poyta "$@"; }

v=$(run version) || fail "poyta version"
printf '%s\n' "$v"
grep -q '^sqlite  3\.' <<<"$v" || fail "poyta version names no SQLite"

# Serve on a free port (the image says :8080; the test takes any).
"${env[@]}" POYTA_ADDR=127.0.0.1:0 "$chroot" --userspec="$uid:$uid" "$root" /usr/bin/poyta serve >"$root.log" 2>&1 &
server=$!
addr=
for _ in $(seq 100); do
  addr=$(sed -n 's/.*msg=serving addr=\([^ ]*\).*/\1/p' "$root.log")
  [ -n "$addr" ] && break
  kill -0 "$server" 2>/dev/null || fail "poyta serve exited"
  sleep 0.1
done
[ -n "$addr" ] || fail "poyta serve did not start"
echo "serving in the empty root on $addr"

created=$(curl -fsS -XPOST "http://$addr/api/tables" -d '{"title":"x","agenda":[{"title":"y"}]}') \
  || fail "POST /api/tables"
code=$(printf '%s' "$created" | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')
[ -n "$code" ] || fail "no join code in $created"
echo "table $code created"

minutes=$(run export "$code") || fail "poyta export"
grep -qx '# Muistio: x' <<<"$minutes" || fail "the minutes lack their title: $minutes"
grep -qx '## 1. y' <<<"$minutes" || fail "the minutes lack the agenda item: $minutes"
run export "$code" --format docx --out /tmp/muistio.docx || fail "poyta export --format docx"
[ -s "$root/tmp/muistio.docx" ] || fail "no DOCX written"
run healthcheck --addr "$addr" || fail "poyta healthcheck"
[ -s "$root/var/lib/poyta/poyta.db" ] || fail "no database in the data directory"

kill -TERM "$server"
wait "$server" || fail "poyta serve did not stop cleanly on SIGTERM"
server=
grep -q 'msg=stopped' "$root.log" || fail "no graceful stop"
echo "static binary: served, created a table and exported its minutes in an empty root"
