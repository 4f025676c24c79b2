#!/usr/bin/env bash
# Tests the Debian package on a clean Debian with systemd running: inspects
# it with dpkg-deb, boots a fresh debootstrap root (minbase with systemd)
# with systemd-nspawn, systemd as its PID 1 and a network of its own, and
# there: dpkg -i starts the service (Type=notify: started means ready),
# checks the files, the user, the permissions and the unit (systemd-analyze
# verify and security), creates a table over HTTP and exports it; lets the
# watchdog restart a hung server; upgrades (data and a changed configuration
# kept, the service restarted), removes (service stopped, data kept),
# reinstalls (the old table served) and purges (configuration gone, data
# still kept).
#
#   packaging/test-deb.sh DEB
#
# Needs root, debootstrap, systemd-nspawn (systemd-container), curl and the
# Debian mirror apt uses. POYTA_DEBROOT_CACHE (default /var/cache/poyta-ci)
# keeps a tarball of the fresh root to save the download on the next run.
set -euo pipefail
deb=$(realpath "$1")   # before the cd below
cd "$(dirname "$0")/.."
say() { echo "== test-deb: $*"; }
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }

say "inspect $(basename "$deb")"
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/poyta ./usr/lib/systemd/system/poyta.service ./etc/default/poyta; do
  grep -q " $f\$" <<<"$contents" || fail "$f is not in the package"
done
grep -q '^-rwxr-xr-x root/root .* ./usr/bin/poyta$' <<<"$contents" || fail "the binary is not 0755 root:root"
info=$(dpkg-deb -I "$deb")
for want in 'Package: poyta' 'Depends: adduser' ' postinst ' ' prerm ' ' postrm ' ' conffiles '; do
  grep -q -- "$want" <<<"$info" || fail "dpkg-deb -I lacks '$want'"
done
tmp=$(mktemp -d); dpkg-deb -e "$deb" "$tmp/DEBIAN"; dpkg-deb -x "$deb" "$tmp"
[ "$(cat "$tmp/DEBIAN/conffiles")" = /etc/default/poyta ] || fail "conffiles: $(cat "$tmp/DEBIAN/conffiles")"
# The binary says the package's version.
[ "$("$tmp/usr/bin/poyta" version | head -1)" = "poyta $(dpkg-deb -f "$deb" Version)" ] \
  || fail "the binary's version is not the package's: $("$tmp/usr/bin/poyta" version | head -1)"
rm -rf "$tmp"

# A clean Debian of this machine's release, from the mirror apt uses.
. /etc/os-release
suite="$VERSION_CODENAME"
mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $3!~/security/ {print $2; exit}' /etc/apt/sources.list)
cache="${POYTA_DEBROOT_CACHE:-/var/cache/poyta-ci}/debootstrap-$suite-minbase-systemd.tar"
root=$(mktemp -d /tmp/poyta-debroot.XXXXXX)
chmod 0755 "$root"   # the container's /, which mktemp made 0700
nspawn= pid1= deb2=
cleanup() {
  if [ -n "$nspawn" ]; then
    # Killing the container's PID 1 ends every process in it; then nspawn.
    [ -z "$pid1" ] || kill -KILL "$pid1" 2>/dev/null || true
    kill -TERM "$nspawn" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nspawn" 2>/dev/null || true
    wait "$nspawn" 2>/dev/null || true
  fi
  [ -z "$deb2" ] || rm -f "$deb2"
  rm -rf "$root" "$root.log"
}
trap cleanup EXIT
if [ -f "$cache" ]; then
  say "clean $suite root from $cache"
  tar -C "$root" -xf "$cache"
else
  say "debootstrap $suite (minbase, adduser, systemd) from $mirror"
  debootstrap --variant=minbase --include=adduser,systemd "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { cat "$root.log" >&2; fail "debootstrap"; }
  mkdir -p "$(dirname "$cache")"
  tar -C "$root" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
fi
mkdir -p "$root/opt/ci" && cp "$deb" "$root/opt/ci/poyta.deb"   # the container mounts its own /tmp

say "boot it: systemd-nspawn --boot --private-network"
systemd-nspawn -D "$root" --boot --private-network --register=no --keep-unit \
  --machine="poyta-ci-$$" --quiet </dev/null >"$root.log" 2>&1 &
nspawn=$!
state=
for _ in $(seq 600); do
  kill -0 "$nspawn" 2>/dev/null || { cat "$root.log" >&2; fail "systemd-nspawn exited"; }
  # The container's systemd: nspawn's child, or its child's.
  for p in $(pgrep -P "$nspawn" || true); do
    pid1=$( (ps -o pid=,comm= -p "$p"; ps -o pid=,comm= --ppid "$p") | awk '$2=="systemd"{print $1; exit}' || true)
    [ -z "$pid1" ] || break
  done
  if [ -n "$pid1" ]; then
    state=$(nsenter -t "$pid1" -a systemctl is-system-running 2>/dev/null || true)
    [ "$state" = running ] || [ "$state" = degraded ] && break
  fi
  sleep 0.1
done
[ "$state" = running ] || [ "$state" = degraded ] || { cat "$root.log" >&2; fail "systemd did not boot ($state)"; }
# ct runs a command in the container; net runs one of this machine's (curl)
# in the container's network.
ct() { nsenter -t "$pid1" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
net() { nsenter -t "$pid1" -n "$@"; }
prop() { ct systemctl show poyta -P "$1"; }
as_poyta() { ct runuser -u poyta -- /usr/bin/poyta "$@"; }
fresh_table() {
  local created
  created=$(net curl -fsS -XPOST http://127.0.0.1:8080/api/tables -d "{\"title\":\"$1\",\"agenda\":[{\"title\":\"y\"}]}") \
    || fail "POST /api/tables"
  sed -n 's/.*"code":"\([^"]*\)".*/\1/p' <<<"$created"
}
minutes_of() { as_poyta export "$1" --db /var/lib/poyta/poyta.db | head -1; }

say "dpkg -i: the service is enabled and started, and ready when dpkg returns"
ct dpkg -i /opt/ci/poyta.deb
# No wait: Type=notify makes systemctl start (in postinst) return only
# after READY=1, so the server answers now.
net curl -fsS http://127.0.0.1:8080/healthz || { ct journalctl -u poyta --no-pager >&2; fail "not answering after dpkg -i"; }
echo
[ "$(ct systemctl is-active poyta)" = active ] || fail "not active"
[ "$(ct systemctl is-enabled poyta)" = enabled ] || fail "not enabled"
[ "$(prop StatusText)" = "serving on 127.0.0.1:8080" ] || fail "status text: $(prop StatusText)"
ct dpkg -V poyta || fail "dpkg -V"

say "files, user, permissions"
pw=$(ct getent passwd poyta) || fail "no user poyta"
IFS=: read -r _ _ uid gid _ home shell <<<"$pw"
[ "$uid" -lt 1000 ] || fail "poyta is not a system user (uid $uid)"
[ "$home" = /var/lib/poyta ] || fail "home $home"
[ "$shell" = /usr/sbin/nologin ] || fail "shell $shell"
[ "$(ct getent group poyta | cut -d: -f3)" = "$gid" ] || fail "poyta's group is not poyta"
# Owners by number: names outside the container are this machine's.
owner() { stat -c '%u:%g %a' "$root/$1"; }
[ "$(owner var/lib/poyta)" = "$uid:$gid 750" ] || fail "/var/lib/poyta is $(owner var/lib/poyta)"
[ "$(owner usr/bin/poyta)" = "0:0 755" ] || fail "/usr/bin/poyta is $(owner usr/bin/poyta)"
[ "$(owner etc/default/poyta)" = "0:0 644" ] || fail "/etc/default/poyta is $(owner etc/default/poyta)"
[ "$(owner var/lib/poyta/poyta.db)" = "$uid:$gid 600" ] || fail "the database is $(owner var/lib/poyta/poyta.db)"
grep -q '/etc/default/poyta ' <<<"$(ct dpkg-query -W -f='${Conffiles}\n' poyta)" || fail "/etc/default/poyta is not a conffile"
[ "$(ct grep '^Uid:' "/proc/$(prop MainPID)/status" | cut -f2)" = "$uid" ] || fail "the server does not run as poyta"

say "systemd-analyze verify and security"
ct systemd-analyze verify poyta.service || fail "systemd-analyze verify"
ct systemd-analyze security --no-pager poyta.service | tail -1
ct systemd-analyze security --threshold=20 --no-pager poyta.service >/dev/null \
  || fail "systemd-analyze security: exposure above 2.0"

say "a table over HTTP, its minutes from the CLI"
code=$(fresh_table "Lapuan kumppanuuspöytä")
[ -n "$code" ] || fail "no table created"
[ "$(minutes_of "$code")" = "# Muistio: Lapuan kumppanuuspöytä" ] || fail "export"

say "watchdog: pings keep it running; a hung server is restarted"
mkdir -p "$root/etc/systemd/system/poyta.service.d"
printf '[Service]\nWatchdogSec=2s\nTimeoutAbortSec=2s\n' >"$root/etc/systemd/system/poyta.service.d/ci-watchdog.conf"
ct systemctl daemon-reload
ct systemctl restart poyta
main=$(prop MainPID); restarts=$(prop NRestarts)
sleep 5   # 2.5 watchdog intervals: without WATCHDOG=1 it would be killed
[ "$(prop MainPID)" = "$main" ] && [ "$(ct systemctl is-active poyta)" = active ] || fail "killed though it answered"
ct /bin/sh -c "kill -STOP $main"   # hung: alive, but answering nothing
for _ in $(seq 300); do
  [ "$(prop NRestarts)" -gt "$restarts" ] && [ "$(ct systemctl is-active poyta)" = active ] && break
  sleep 0.1
done
[ "$(prop NRestarts)" -gt "$restarts" ] || fail "a hung server was not restarted"
# (grep on a variable: grep -q on a pipe would end journalctl with SIGPIPE.)
journal=$(ct journalctl -u poyta --no-pager -o cat)
grep -q "Failed with result 'watchdog'" <<<"$journal" || { tail -20 <<<"$journal"; fail "no watchdog timeout in the journal"; }
[ "$(minutes_of "$code")" = "# Muistio: Lapuan kumppanuuspöytä" ] || fail "the table after the restart"
rm -r "$root/etc/systemd/system/poyta.service.d"
ct systemctl daemon-reload

say "upgrade: the service restarted on the new version, data and a changed configuration kept"
sed -i 's/^POYTA_LOG_FORMAT=text$/POYTA_LOG_FORMAT=json/' "$root/etc/default/poyta"
echo "# changed by test-deb.sh" >>"$root/etc/default/poyta"
ct systemctl restart poyta
main=$(prop MainPID)
v2="$(packaging/version.sh)+upgrade"
deb2=$(PKG_VERSION="$v2" packaging/build-deb.sh "$root/usr/bin/poyta" 2>/dev/null)
cp "$deb2" "$root/opt/ci/poyta2.deb"
ct dpkg -i /opt/ci/poyta2.deb
[ "$(ct dpkg-query -W -f='${Version}' poyta)" = "$v2" ] || fail "not upgraded"
[ "$(ct systemctl is-active poyta)" = active ] && [ "$(prop MainPID)" != "$main" ] || fail "not restarted by the upgrade"
grep -q '^# changed by test-deb.sh$' "$root/etc/default/poyta" || fail "the upgrade replaced /etc/default/poyta"
[ ! -e "$root/etc/default/poyta.dpkg-new" ] && [ ! -e "$root/etc/default/poyta.dpkg-dist" ] || fail "left a .dpkg-new"
journal=$(ct journalctl -u poyta --no-pager -o cat)
grep -q '"msg":"serving","addr":"127.0.0.1:8080"' <<<"$journal" || fail "the changed configuration is not in effect"
[ "$(minutes_of "$code")" = "# Muistio: Lapuan kumppanuuspöytä" ] || fail "the table after the upgrade"

say "remove: the service stopped, data and configuration kept"
ct dpkg -r poyta
ct systemctl is-active poyta >/dev/null && fail "still running after remove"
net curl -fsS http://127.0.0.1:8080/healthz >/dev/null 2>&1 && fail "still answering after remove"
[ ! -e "$root/usr/bin/poyta" ] || fail "the binary is still there"
[ ! -e "$root/usr/lib/systemd/system/poyta.service" ] || fail "the unit is still there"
[ -s "$root/var/lib/poyta/poyta.db" ] || fail "remove deleted the data"
[ -f "$root/etc/default/poyta" ] || fail "remove deleted the configuration"

say "reinstall: started again, the old table served"
ct dpkg -i /opt/ci/poyta.deb
[ "$(ct systemctl is-active poyta)" = active ] || fail "not started on reinstall"
[ "$(minutes_of "$code")" = "# Muistio: Lapuan kumppanuuspöytä" ] || fail "the table after reinstalling"

say "purge: configuration gone, data kept"
ct dpkg -P poyta
[ ! -e "$root/etc/default/poyta" ] || fail "purge left /etc/default/poyta"
[ -s "$root/var/lib/poyta/poyta.db" ] || fail "purge deleted the data"
say "passed"
