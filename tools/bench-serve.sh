#!/usr/bin/env bash
# Measures `roxi serve` where it matters for an edge box that idles most of the time:
#   - resident memory awake (index loaded) and in deep sleep, on a store of ~100k x 384 vectors;
#   - wake-to-first-answer: a search sent to a deep-sleeping server (index rebuilt from RocksDB),
#     against the same search on the awake server (its baseline, same run);
#   - CPU used while idle (deep sleep) over IDLE_SECONDS, as a percentage of one core.
#
#   tools/bench-serve.sh [CHUNKS] [IDLE_SECONDS]      defaults: 100000 60
#
# Binaries come from $ROXI_BUILD_DIR (default build/). Work files live in a temporary directory
# under $TMPDIR (else /tmp), removed at exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROXI_BUILD_DIR:-$root/build}
roxi=$build/roxi
gen=$build/benchmarks/roxi_gen_corpus
chunks=${1:-100000}
idle_seconds=${2:-60}
[[ "$chunks" =~ ^[1-9][0-9]*$ && "$idle_seconds" =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: tools/bench-serve.sh [CHUNKS] [IDLE_SECONDS]" >&2; exit 2; }
if [ ! -x "$roxi" ] || [ ! -x "$gen" ]; then
  cmake --build "$build" --target roxi roxi_gen_corpus >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/roxi-bench-serve.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
state() { "$roxi" status --data-dir "$work/data" --json | sed -nE 's/^  "state": "([^"]*)".*/\1/p'; }

# ~117 chunks per 100 KiB file with the default chunker.
files=$(( (chunks + 116) / 117 ))
"$gen" "$work/corpus" "$files" 102400 >/dev/null
"$roxi" ingest --data-dir "$work/data" "$work/corpus" >/dev/null
"$roxi" process --data-dir "$work/data" --quiet >/dev/null
vectors=$("$roxi" status --data-dir "$work/data" --json | sed -nE 's/^  "embedded": ([0-9]+).*/\1/p')

"$roxi" serve --data-dir "$work/data" --deep-sleep-after 3 --poll-max 30 --max-load-per-core 0 \
  --max-memory-pressure 0 --min-memory-available 0 --log-file - --log-level warn \
  >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  [ -f "$work/data/roxi.server" ] && grep -q "pid=$server_pid" "$work/data/roxi.server" && break
  sleep 0.1
done

query="copper lantern harbor"
"$roxi" search --data-dir "$work/data" "$query" >/dev/null   # loads the index
t0=$(now_ms); "$roxi" search --data-dir "$work/data" "$query" >/dev/null; t1=$(now_ms)
warm_ms=$((t1 - t0))
awake_kb=$(rss_kb "$server_pid")
for _ in $(seq 1 600); do [ "$(state)" = "deep-sleep" ] && break; sleep 0.1; done
[ "$(state)" = "deep-sleep" ] || { echo "bench-serve: the server never reached deep sleep" >&2; exit 1; }
sleep 1
deep_kb=$(rss_kb "$server_pid")
ticks0=$(cpu_ticks "$server_pid"); sleep "$idle_seconds"; ticks1=$(cpu_ticks "$server_pid")
hz=$(getconf CLK_TCK)
idle_cpu=$(awk -v d=$((ticks1 - ticks0)) -v hz="$hz" -v s="$idle_seconds" 'BEGIN {printf "%.3f", 100 * d / hz / s}')
[ "$(state)" = "deep-sleep" ] || echo "bench-serve: note: the server left deep sleep during the idle window" >&2
t0=$(now_ms); "$roxi" search --data-dir "$work/data" "$query" >/dev/null; t1=$(now_ms)
wake_ms=$((t1 - t0))

awk -v v="$vectors" -v a="$awake_kb" -v d="$deep_kb" -v w="$warm_ms" -v k="$wake_ms" \
    -v c="$idle_cpu" -v s="$idle_seconds" 'BEGIN {
  printf "vectors %s (dim 384)\n", v
  printf "rss awake %.1f MB, deep sleep %.1f MB (%.2f of awake)\n", a / 1024, d / 1024, d / a
  printf "search awake %d ms, wake-to-first-answer %d ms (%.1fx)\n", w, k, k / (w > 0 ? w : 1)
  printf "idle cpu over %d s in deep sleep: %s%% of one core\n", s, c
}'
