#!/usr/bin/env bash
# Measures `roxi serve` where it matters for an edge box that idles most of the time:
#   - resident memory awake (index loaded) and in deep sleep, on a store of ~100k x 384 vectors;
#   - wake-to-first-answer: a search sent to a deep-sleeping server (index rebuilt from RocksDB),
#     against the same search on the awake server (its baseline, same run); and once more as a
#     bare POST /v1/search, without starting a client process;
#   - CPU used while idle (deep sleep) over IDLE_SECONDS, as a percentage of one core;
#   - served search latency: SEARCHES requests to POST /v1/search (k = 10) on the awake server,
#     p50 and p99 of the client's round trip (curl) and of the server's own search_micros.
#
#   tools/bench-serve.sh [CHUNKS] [IDLE_SECONDS] [SEARCHES]      defaults: 100000 60 200
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
searches=${3:-200}
[[ "$chunks" =~ ^[1-9][0-9]*$ && "$idle_seconds" =~ ^[1-9][0-9]*$ && "$searches" =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: tools/bench-serve.sh [CHUNKS] [IDLE_SECONDS] [SEARCHES]" >&2; exit 2; }
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
# Served latency: round trips measured by curl, server-side time read from each reply.
listen=$(sed -n 's/^listen=//p' "$work/data/roxi.server")
words=(copper lantern harbor meadow silver river stone window garden winter)
for i in $(seq 1 "$searches"); do
  q="${words[$((i % 10))]} ${words[$(((i * 7) % 10))]} ${words[$(((i * 3) % 10))]}"
  curl -s -o "$work/reply.json" -w '%{time_total} ' -H 'Content-Type: application/json' \
    -d "{\"query\": \"$q\", \"k\": 10}" "http://$listen/v1/search"
  sed -nE 's/.*"search_micros": *([0-9]+).*/\1/p' "$work/reply.json" | tr -d '\n'
  echo
done >"$work/latency.txt"
pct() { sort -n | awk -v p="$1" '{v[NR] = $1} END {i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i]}'; }
rt_p50=$(awk '{print $1 * 1000}' "$work/latency.txt" | pct 50)
rt_p99=$(awk '{print $1 * 1000}' "$work/latency.txt" | pct 99)
srv_p50=$(awk '{print $2 / 1000}' "$work/latency.txt" | pct 50)
srv_p99=$(awk '{print $2 / 1000}' "$work/latency.txt" | pct 99)
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
# Once more without the client process: deep sleep again, then one POST /v1/search.
for _ in $(seq 1 600); do [ "$(state)" = "deep-sleep" ] && break; sleep 0.1; done
sleep 1
wake_http_ms=$(curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: application/json' \
  -d "{\"query\": \"$query\", \"k\": 10}" "http://$listen/v1/search" | awk '{printf "%.1f", $1 * 1000}')

awk -v v="$vectors" -v a="$awake_kb" -v d="$deep_kb" -v w="$warm_ms" -v k="$wake_ms" \
    -v c="$idle_cpu" -v s="$idle_seconds" 'BEGIN {
  printf "vectors %s (dim 384)\n", v
  printf "rss awake %.1f MB, deep sleep %.1f MB (%.2f of awake)\n", a / 1024, d / 1024, d / a
  printf "search awake %d ms, wake-to-first-answer %d ms (%.1fx)\n", w, k, k / (w > 0 ? w : 1)
  printf "idle cpu over %d s in deep sleep: %s%% of one core\n", s, c
}'
echo "wake-to-first-answer of POST /v1/search (no client process): $wake_http_ms ms"
echo "served /v1/search k=10 over $searches requests: round trip p50 $rt_p50 ms, p99 $rt_p99 ms;" \
  "server search_micros p50 $srv_p50 ms, p99 $srv_p99 ms"
