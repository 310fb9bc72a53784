#!/usr/bin/env bash
# Builds the binary users copy: roxi, fully static, stripped of debug information, with its SHA-256.
#
#   tools/release.sh [OUT_DIR]      (default: build/release)
#
# Writes OUT_DIR/roxi and OUT_DIR/roxi.sha256 (in `sha256sum -c` format) and prints the version line
# (which names the commit), the size and the checksum. The binary is the one tools/test.sh tests
# (build/roxi, RelWithDebInfo: -O2, the same code), minus its debug sections (about 43 MB against
# 136 MB), so a release needs no second compile of the tree.
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=${1:-build/release}
tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target roxi -j"$(nproc)"

if ! file build/roxi | grep -q 'statically linked'; then
  echo "release: build/roxi is not statically linked: $(file build/roxi)" >&2
  exit 1
fi
mkdir -p "$out_dir"
strip --strip-debug -o "$out_dir/roxi.tmp" build/roxi
mv "$out_dir/roxi.tmp" "$out_dir/roxi"
(cd "$out_dir" && sha256sum roxi >roxi.sha256)

"$out_dir/roxi" --version | head -n 1
echo "size:   $(stat -c %s "$out_dir/roxi") bytes ($out_dir/roxi)"
echo "sha256: $(cut -d' ' -f1 "$out_dir/roxi.sha256") ($out_dir/roxi.sha256)"
