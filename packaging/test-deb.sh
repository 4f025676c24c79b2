#!/usr/bin/env bash
# Tests the Debian package on a clean Debian: inspects it with dpkg-deb,
# installs it with dpkg -i into a fresh debootstrap root (minbase with
# systemd), checks the files, the user, the permissions and the unit
# (systemd-analyze verify and security), starts the server the way the unit
# does (user poyta, /etc/default/poyta, /var/lib/poyta) in a network
# namespace of its own, creates a table, then upgrades (data and a changed
# configuration are kept), removes (data kept) and purges (configuration
# gone, data still kept).
#
#   packaging/test-deb.sh DEB
#
# Needs root, debootstrap, curl and Debian's mirror as apt has it. systemd is
# not PID 1 where CI runs, so the unit itself is not started: see
# docs/deploy.md. POYTA_DEBROOT_CACHE (default /var/cache/poyta-ci) keeps a
# tarball of the fresh root to save the download on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
deb="$(realpath "$1")"
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
[ "$(dpkg-deb -f "$deb" Version)" = "$(packaging/version.sh)" ] || fail "package version is not packaging/version.sh's"
tmp=$(mktemp -d); dpkg-deb -e "$deb" "$tmp"
[ "$(cat "$tmp/conffiles")" = /etc/default/poyta ] || fail "conffiles: $(cat "$tmp/conffiles")"
rm -rf "$tmp"

# A clean Debian of this machine's release, from the mirror apt uses.
. /etc/os-release
suite="$VERSION_CODENAME"
mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $3!~/security/ {print $2; exit}' /etc/apt/sources.list)
cache="${POYTA_DEBROOT_CACHE:-/var/cache/poyta-ci}/debootstrap-$suite-minbase-systemd.tar"
root=$(mktemp -d /tmp/poyta-debroot.XXXXXX)
deb2=
cleanup() {
  [ -z "$deb2" ] || rm -f "$deb2"
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
if [ -f "$cache" ]; then
  say "clean $suite root from $cache"
  tar -C "$root" -xf "$cache"
else
  say "debootstrap $suite (minbase, adduser, systemd) from $mirror"
  debootstrap --variant=minbase --include=adduser,systemd "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { cat "$root.log" >&2; fail "debootstrap"; }
  rm -f "$root.log"
  mkdir -p "$(dirname "$cache")"
  tar -C "$root" -cf "$cache.tmp" . && mv "$cache.tmp" "$cache"
fi
mount -t proc proc "$root/proc"
inroot() { chroot "$root" "$@"; }

say "dpkg -i"
cp "$deb" "$root/tmp/poyta.deb"
inroot dpkg -i /tmp/poyta.deb
inroot dpkg -V poyta || fail "dpkg -V"
[ -d "$root/run/systemd/system" ] && fail "systemd looks like PID 1 in the chroot; the test assumes not"

say "files, user, permissions"
pw=$(inroot getent passwd poyta) || fail "no user poyta"
IFS=: read -r _ _ uid gid _ home shell <<<"$pw"
[ "$uid" -lt 1000 ] || fail "poyta is not a system user (uid $uid)"
[ "$home" = /var/lib/poyta ] || fail "home $home"
[ "$shell" = /usr/sbin/nologin ] || fail "shell $shell"
inroot getent group poyta >/dev/null || fail "no group poyta"
[ "$(inroot getent group poyta | cut -d: -f3)" = "$gid" ] || fail "poyta's group is not poyta"
# Owners by number: names outside the chroot are the host's.
owner() { stat -c '%u:%g %a' "$root/$1"; }
[ "$(owner var/lib/poyta)" = "$uid:$gid 750" ] || fail "/var/lib/poyta is $(owner var/lib/poyta)"
[ "$(owner usr/bin/poyta)" = "0:0 755" ] || fail "/usr/bin/poyta is $(owner usr/bin/poyta)"
[ "$(owner etc/default/poyta)" = "0:0 644" ] || fail "/etc/default/poyta is $(owner etc/default/poyta)"
inroot dpkg-query -W -f='${Conffiles}\n' poyta | grep -q '/etc/default/poyta ' || fail "/etc/default/poyta is not a conffile"

say "systemd-analyze verify and security"
inroot systemd-analyze verify poyta.service || fail "systemd-analyze verify"
inroot systemd-analyze security --offline=yes --threshold=20 --no-pager poyta.service | tail -1
inroot systemd-analyze security --offline=yes --threshold=20 --no-pager poyta.service >/dev/null \
  || fail "systemd-analyze security: exposure above 2.0"
for want in Type=notify WatchdogSec= User=poyta StateDirectory=poyta ProtectSystem=strict NoNewPrivileges=yes \
  PrivateTmp=yes CapabilityBoundingSet= SystemCallFilter=@system-service EnvironmentFile=-/etc/default/poyta; do
  grep -q "^$want" "$root/usr/lib/systemd/system/poyta.service" || fail "the unit lacks $want"
done

# As the unit runs it: user poyta, the environment file, the state
# directory as working directory, umask 0077, and nothing else in the
# environment. Its own network namespace, so the package's port is free.
serve_and() {
  local script="$1"
  unshare --net bash -euo pipefail -c '
    ip link set lo up
    root="$1"; script="$2"
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot --userspec=poyta:poyta "$root" /bin/sh -c \
      "umask 0077; cd /var/lib/poyta && set -a && . /etc/default/poyta && set +a && exec /usr/bin/poyta serve" \
      >"$root/tmp/serve.log" 2>&1 &
    server=$!
    trap "kill \$server 2>/dev/null; wait \$server 2>/dev/null || true" EXIT
    check() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot --userspec=poyta:poyta "$root" /bin/sh -c "cd /var/lib/poyta; set -a; . /etc/default/poyta; exec /usr/bin/poyta $*"; }
    for _ in $(seq 100); do check healthcheck >/dev/null 2>&1 && break; sleep 0.1; done
    check healthcheck || { cat "$root/tmp/serve.log"; exit 1; }
    eval "$script"
    kill -TERM $server; wait $server
    trap - EXIT
    grep -q "msg=stopped\|\"msg\":\"stopped\"" "$root/tmp/serve.log"
  ' _ "$root" "$script" || { cat "$root/tmp/serve.log" >&2; fail "the server with the package's configuration"; }
}

say "the server as the unit starts it, with the package's /etc/default/poyta"
serve_and '
  created=$(curl -fsS -XPOST http://127.0.0.1:8080/api/tables -d "{\"title\":\"Lapuan kumppanuuspöytä\",\"agenda\":[{\"title\":\"y\"}]}")
  printf "%s" "$created" | sed -n "s/.*\"code\":\"\([^\"]*\)\".*/\1/p" > "$root/tmp/code"
  check export "$(cat "$root/tmp/code")" | grep -q "^# Muistio: Lapuan kumppanuuspöytä"
'
code=$(cat "$root/tmp/code")
[ -n "$code" ] || fail "no table created"
[ "$(owner var/lib/poyta/poyta.db)" = "$uid:$gid 600" ] || fail "the database is $(owner var/lib/poyta/poyta.db)"
grep -q 'addr=127.0.0.1:8080' "$root/tmp/serve.log" || fail "not on the configured address"

say "upgrade: the data and a changed configuration are kept"
sed -i 's/^POYTA_LOG_FORMAT=text$/POYTA_LOG_FORMAT=json/' "$root/etc/default/poyta"
echo "# changed by test-deb.sh" >>"$root/etc/default/poyta"
v2="$(packaging/version.sh)+upgrade"
deb2=$(PKG_VERSION="$v2" packaging/build-deb.sh "$root/usr/bin/poyta" 2>/dev/null)
cp "$deb2" "$root/tmp/poyta2.deb"
inroot dpkg -i /tmp/poyta2.deb
[ "$(inroot dpkg-query -W -f='${Version}' poyta)" = "$v2" ] || fail "not upgraded"
grep -q '^# changed by test-deb.sh$' "$root/etc/default/poyta" || fail "the upgrade replaced /etc/default/poyta"
[ ! -e "$root/etc/default/poyta.dpkg-new" ] && [ ! -e "$root/etc/default/poyta.dpkg-dist" ] || fail "left a .dpkg-new"
serve_and "check export $code | grep -q '^# Muistio: Lapuan kumppanuuspöytä'"
grep -q '"msg":"serving","addr":"127.0.0.1:8080"' "$root/tmp/serve.log" || fail "the changed configuration is not in effect"

say "remove: data and configuration kept"
inroot dpkg -r poyta
[ ! -e "$root/usr/bin/poyta" ] || fail "the binary is still there"
[ ! -e "$root/usr/lib/systemd/system/poyta.service" ] || fail "the unit is still there"
[ -s "$root/var/lib/poyta/poyta.db" ] || fail "remove deleted the data"
[ -f "$root/etc/default/poyta" ] || fail "remove deleted the configuration"

say "reinstall after remove: the old data is served"
inroot dpkg -i /tmp/poyta.deb
serve_and "check export $code | grep -q '^# Muistio: Lapuan kumppanuuspöytä'"

say "purge: configuration gone, data kept"
inroot dpkg -P poyta
[ ! -e "$root/etc/default/poyta" ] || fail "purge left /etc/default/poyta"
[ -s "$root/var/lib/poyta/poyta.db" ] || fail "purge deleted the data"
say "passed"
