#!/usr/bin/env bash
# Installs what is missing, builds roxi with its tests and benchmarks, and runs every test.
# .ci/run calls exactly this. The build directory (build/) is reused between runs as a cache.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
# --timeout is a backstop against a hung child; every test sets its own tighter limits.
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 900
