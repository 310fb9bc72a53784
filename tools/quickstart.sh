#!/usr/bin/env bash
# The main job on the defaults: installs what is missing, builds roxi, ingests the demo corpus into
# a fresh data directory, embeds it to 100 % with the built-in offline embedder, runs a few
# searches and prints the status.
#
#   tools/quickstart.sh [DATA_DIR]     (default: a new temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target roxi -j"$(nproc)"

data_dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/roxi-demo.XXXXXX")}
if [ -e "$data_dir/db" ]; then
  echo "quickstart: $data_dir already holds a store; give a new directory" >&2
  exit 2
fi
roxi=build/roxi
echo "== data directory: $data_dir"
echo "== roxi ingest tools/demo-corpus/docs"
"$roxi" ingest --data-dir "$data_dir" tools/demo-corpus/docs
echo "== roxi process"
"$roxi" process --data-dir "$data_dir"
for query in "sourdough starter feeding" "rotate TLS certificates before they expire" \
             "how do tides work" "RAID parity disk failure"; do
  echo "== roxi search \"$query\""
  "$roxi" search --data-dir "$data_dir" -k 3 "$query"
done
echo "== roxi status"
"$roxi" status --data-dir "$data_dir"
