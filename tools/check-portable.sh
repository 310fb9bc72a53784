#!/usr/bin/env bash
# Proves that the static roxi binary runs on a bare Debian 12: no shared libraries, no NSS modules,
# no CA certificates, nothing from the build machine.
#
# Usage: tools/check-portable.sh [--version-only] [--no-https] [--rootfs DIR] [path-to-roxi]
#
#   path-to-roxi    the binary to check. Default: build/roxi.
#   --version-only  run only `roxi --version`, not the ingest/process/search smoke test.
#   --no-https      skip the HTTPS check (it needs deb.debian.org, the mirror debootstrap uses).
#   --rootfs DIR    where the Debian root file system is kept. Default: build/portable-rootfs.
#
# The root file system is `debootstrap --variant=minbase bookworm`, made once and reused (delete the
# directory to refresh it). The mirror is $ROXI_DEBIAN_MIRROR, default http://deb.debian.org/debian.
# Inside `chroot`, with an empty environment, it runs:
#   1. roxi --version (both lines are printed);
#   2. unless --version-only: roxi ingest, process and search over a one-line document;
#   3. unless --no-https, when roxi_http_probe sits next to roxi (tests/portable/http_probe.cc, same
#      static link): a POST to https://deb.debian.org/debian/ with the chroot's missing CA bundle,
#      which must fail naming the bundle, then with ROXI_CA_BUNDLE pointing to a copied bundle, which
#      must get an HTTP response. This exercises c-ares DNS and OpenSSL from the static binary.
# Needs root (debootstrap, chroot, mounting /proc) and the debootstrap package.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
roxi="$repo/build/roxi"
rootfs="$repo/build/portable-rootfs"
version_only=0
https=1
mirror=${ROXI_DEBIAN_MIRROR:-http://deb.debian.org/debian}
readonly kHttpsUrl=https://deb.debian.org/debian/

while [ $# -gt 0 ]; do
  case "$1" in
    --version-only) version_only=1 ;;
    --no-https) https=0 ;;
    --rootfs) rootfs=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check-portable: unknown option $1" >&2; exit 2 ;;
    *) roxi=$1 ;;
  esac
  shift
done

die() { echo "check-portable: FAIL: $*" >&2; exit 1; }
step() { echo "check-portable: $*"; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null || die "debootstrap not installed; run tools/install-deps.sh"
[ -x "$roxi" ] || die "no executable at $roxi (build it: ninja -C build roxi)"
roxi=$(cd "$(dirname "$roxi")" && pwd)/$(basename "$roxi")
file -L "$roxi" | grep -Eq 'statically linked|static-pie linked' ||
  die "$roxi is not statically linked: $(file -L "$roxi")"

proc_mounted=0
cleanup() {
  if [ "$proc_mounted" -eq 1 ]; then umount "$rootfs/proc" || true; fi
}
trap cleanup EXIT

# Root file system, made once. A directory without the stamp is a broken earlier attempt.
stamp="$rootfs/.roxi-rootfs"
if [ ! -f "$stamp" ]; then
  if mountpoint -q "$rootfs/proc" 2>/dev/null; then umount "$rootfs/proc"; fi
  rm -rf --one-file-system "$rootfs" "$rootfs.partial"
  mkdir -p "$(dirname "$rootfs")"
  log="$rootfs.log"
  step "debootstrap --variant=minbase bookworm into $rootfs (log: $log)"
  debootstrap --variant=minbase bookworm "$rootfs.partial" "$mirror" >"$log" 2>&1 ||
    { tail -n 20 "$log" >&2; die "debootstrap failed"; }
  mv "$rootfs.partial" "$rootfs"
  echo "bookworm minbase from $mirror" >"$stamp"
else
  step "reusing $rootfs"
fi

# In the chroot, with nothing inherited from the caller's environment.
in_chroot() {
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root "$@"
}

install -m 0755 "$roxi" "$rootfs/usr/local/bin/roxi"
mount -t proc proc "$rootfs/proc"
proc_mounted=1

step "roxi --version"
version=$(in_chroot roxi --version) || die "roxi --version exited with $?"
printf '%s\n' "$version" | sed 's/^/  | /'
head -n1 <<<"$version" | grep -q '^roxi ' || die "first line is not 'roxi <version>'"
grep -q 'libcurl/.*OpenSSL/.*c-ares/' <<<"$version" || die "no libcurl/OpenSSL/c-ares version line"

if [ "$version_only" -eq 0 ]; then
  step "ingest, process, search"
  rm -rf "$rootfs/tmp/d"
  echo "roxi portability check: some word in a one-line document." >"$rootfs/tmp/doc.txt"
  if ! in_chroot sh -ec '
    roxi ingest --data-dir /tmp/d /tmp/doc.txt
    roxi process --data-dir /tmp/d
    roxi search --data-dir /tmp/d "some word"
  ' 2>&1 | sed 's/^/  | /'; then
    die "ingest/process/search failed"
  fi
  # Exit codes alone would also pass a binary that ignores its arguments.
  [ -d "$rootfs/tmp/d" ] || die "ingest left no data directory /tmp/d"
fi

probe="$(dirname "$roxi")/roxi_http_probe"
if [ "$https" -eq 1 ] && [ -x "$probe" ]; then
  install -m 0755 "$probe" "$rootfs/usr/local/bin/roxi_http_probe"
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  rm -f "$rootfs/tmp/ca.pem"

  step "https without CA certificates (must fail and name the bundle)"
  if [ -e "$rootfs/etc/ssl/certs/ca-certificates.crt" ]; then
    die "the root file system unexpectedly has a CA bundle"
  fi
  if out=$(in_chroot roxi_http_probe "$kHttpsUrl" 2>&1); then
    die "https succeeded without any CA certificate: $out"
  fi
  printf '%s\n' "$out" | sed 's/^/  | /'
  grep -q 'ca bundle /etc/ssl/certs/ca-certificates.crt' <<<"$out" ||
    die "the error does not name the missing CA bundle"

  step "https with ROXI_CA_BUNDLE"
  [ -r /etc/ssl/certs/ca-certificates.crt ] ||
    die "no /etc/ssl/certs/ca-certificates.crt on this machine to copy (install ca-certificates)"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/tmp/ca.pem"
  out=$(in_chroot ROXI_CA_BUNDLE=/tmp/ca.pem roxi_http_probe "$kHttpsUrl" 2>&1) ||
    { printf '%s\n' "$out" | sed 's/^/  | /'; die "https with ROXI_CA_BUNDLE failed"; }
  printf '%s\n' "$out" | sed 's/^/  | /'
elif [ "$https" -eq 1 ]; then
  step "https check skipped: no roxi_http_probe next to $roxi (ninja -C build roxi_http_probe)"
fi

step "PASS"
