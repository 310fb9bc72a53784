#!/usr/bin/env bash
# Fetches cpp-httplib's single-file header from Debian's own source package into
# <build-dir>/third_party/httplib/include/httplib.h, once (cached until this script changes).
#
# Why: Debian 12 ships cpp-httplib compiled, as a shared library with a declarations-only header,
# which a static binary cannot use. The source package carries the upstream header-only httplib.h
# with Debian's security patches applied; roxi compiles it into the binary (plain HTTP on loopback,
# no TLS support compiled in).
#
#   tools/fetch-httplib.sh BUILD_DIR
set -euo pipefail

build_dir=${1:?usage: tools/fetch-httplib.sh BUILD_DIR}
root="$build_dir/third_party/httplib"
header="$root/include/httplib.h"
stamp="$root/stamp"
script_hash=$(sha256sum "$0" | cut -d' ' -f1)

is_current() { [ -f "$header" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$script_hash" ]; }
if is_current; then exit 0; fi

# The cache is shared by every build directory: two configures at once must not fetch into each other.
mkdir -p "$build_dir/third_party"
exec 9>"$build_dir/third_party/.httplib.lock"
flock 9
if is_current; then exit 0; fi

rm -rf "$root"
mkdir -p "$root/src" "$root/include"
(
  cd "$root/src"
  # apt-get source unpacks the package and applies Debian's patches.
  if ! apt-get source -q cpp-httplib >"$root/fetch.log" 2>&1; then
    echo "fetch-httplib: 'apt-get source cpp-httplib' failed; see $root/fetch.log." >&2
    echo "fetch-httplib: a deb-src entry is needed: run tools/install-deps.sh" >&2
    exit 1
  fi
)
found=$(find "$root/src" -maxdepth 2 -name httplib.h -path '*cpp-httplib-*' ! -path '*/.pc/*' | head -n 1)
if [ -z "$found" ] || ! grep -q "CPPHTTPLIB_VERSION" "$found"; then
  echo "fetch-httplib: no httplib.h in the cpp-httplib source package" >&2
  exit 1
fi
cp "$found" "$header"
version=$(sed -nE 's/^#define CPPHTTPLIB_VERSION "([^"]+)"/\1/p' "$header")
echo "$script_hash" >"$stamp"
echo "fetch-httplib: cpp-httplib $version header from Debian's source package"
