#!/usr/bin/env bash
# Lays out the root file system of the container image (packaging/Containerfile)
# in ROOT: the static binary, the CA certificates (for --acme-host), an empty
# /tmp and the data directory /var/lib/poyta for the image's user 65532.
# packaging/test-static.sh runs the server in the same layout in a chroot.
#
#   packaging/image-root.sh BINARY ROOT
set -euo pipefail
bin="$1" root="$2"
uid=65532   # the Containerfile's USER
install -d -m 0755 "$root" "$root/usr" "$root/usr/bin" "$root/etc" "$root/etc/ssl" "$root/etc/ssl/certs" \
  "$root/var" "$root/var/lib"
install -m 0755 "$bin" "$root/usr/bin/poyta"
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
install -d -m 1777 "$root/tmp"
install -d -m 0750 "$root/var/lib/poyta"
# A container build gives every copied file to root; the Containerfile
# copies /var/lib/poyta again with --chown. Here, as root, chown it.
if [ "$(id -u)" = 0 ]; then chown "$uid:$uid" "$root/var/lib/poyta"; fi
