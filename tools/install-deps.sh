#!/usr/bin/env bash
# Installs every Debian 12 package that building and testing roxi needs, and makes sure apt knows a
# deb-src entry so that tools/build-curl.sh can fetch Debian's curl source with `apt-get source`.
# Idempotent: packages already present are left alone, and apt is not touched at all (no update, no
# output beyond one line) when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config file git ca-certificates
  # Compiler output cached outside the clone (CMakeLists.txt), so a fresh clone builds in minutes.
  ccache
  librocksdb-dev libsnappy-dev liblz4-dev libbz2-dev zlib1g-dev libzstd-dev liburing-dev libgflags-dev
  libfaiss-dev libopenblas-dev
  libboost-program-options-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcpp-httplib-dev libxxhash-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # tools/bench-pipeline.sh: GNU time reports each command's peak resident memory.
  time
  # tools/build-curl.sh: `apt-get source` needs dpkg-dev; Debian's patches touch configure.ac, so
  # the autotools regenerate the build system; the static libcurl links these archives.
  dpkg-dev autoconf automake libtool make patch
  libssl-dev libc-ares-dev libnghttp2-dev
  # tools/check-portable.sh: a bare Debian 12 root file system to run the static binary in.
  debootstrap
  clang
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
need_update=0

# deb-src: a separate file next to the distribution's own, mirroring its deb entries (same mirrors,
# suites and keys), so the distribution's file is never edited. Skipped when any deb-src is active.
src_file=/etc/apt/sources.list.d/roxi-deb-src.sources
has_deb_src() {
  grep -qsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list ||
    grep -qsE '^Types:.*\bdeb-src\b' /etc/apt/sources.list.d/*.sources
}
if ! has_deb_src; then
  stanzas=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    # deb822: every stanza whose Types is exactly "deb" becomes the same stanza with "deb-src".
    stanzas=$(awk 'BEGIN { RS = ""; ORS = "\n\n" }
                   /(^|\n)Types:[ \t]*deb[ \t]*(\n|$)/ { sub(/Types:[ \t]*deb/, "Types: deb-src"); print }' \
              /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -n "$stanzas" ]; then
    printf '# Written by roxi tools/install-deps.sh: source packages for tools/build-curl.sh.\n%s\n' \
      "$stanzas" | $SUDO tee "$src_file" >/dev/null
  elif grep -qsE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list; then
    src_file=/etc/apt/sources.list.d/roxi-deb-src.list
    { echo '# Written by roxi tools/install-deps.sh: source packages for tools/build-curl.sh.'
      sed -nE 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list
    } | $SUDO tee "$src_file" >/dev/null
  else
    echo "install-deps: no Debian deb entry found to derive a deb-src entry from" >&2
    exit 1
  fi
  echo "install-deps: added deb-src entries in $src_file"
  need_update=1
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ] && [ "$need_update" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

$SUDO apt-get update -q
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
