#!/usr/bin/env bash
# Filtered against unfiltered served search, in one run on one store (~100k x 384 vectors):
# SEARCHES requests to POST /v1/search (k = 10) with no filter, with a metadata filter selecting
# about 1 % of the chunks and with one selecting about 0.1 %; p50 and p99 of the server's own
# search_micros for each, and the filtered p50s as ratios of the unfiltered p50.
#
#   tools/bench-filter.sh [CHUNKS] [SEARCHES]      defaults: 100000 200
#
# The selections are by metadata set with a second `roxi ingest --meta` of the chosen files (same
# text, so nothing is embedded again): every 100th file gets sel=p1, every 1000th also sel=p01.
# Every filtered reply is checked to hold k results, all from selected files.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROXI_BUILD_DIR:-$root/build}
roxi=$build/roxi
gen=$build/benchmarks/roxi_gen_corpus
chunks=${1:-100000}
searches=${2:-200}
[[ "$chunks" =~ ^[1-9][0-9]*$ && "$searches" =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: tools/bench-filter.sh [CHUNKS] [SEARCHES]" >&2; exit 2; }
if [ ! -x "$roxi" ] || [ ! -x "$gen" ]; then
  cmake --build "$build" --target roxi roxi_gen_corpus >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/roxi-bench-filter.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# ~117 chunks per 100 KiB file with the default chunker.
files=$(( (chunks + 116) / 117 ))
"$gen" "$work/corpus" "$files" 102400 >/dev/null
"$roxi" ingest --data-dir "$work/data" "$work/corpus" >/dev/null
mapfile -t all < <(find "$work/corpus" -type f | sort)
p1=(); p01=()
for i in "${!all[@]}"; do
  if (( i % 1000 == 0 )); then p01+=("${all[$i]}");
  elif (( i % 100 == 0 )); then p1+=("${all[$i]}"); fi
done
[ ${#p1[@]} -gt 0 ] && "$roxi" ingest --data-dir "$work/data" --meta sel=p1 "${p1[@]}" >/dev/null
"$roxi" ingest --data-dir "$work/data" --meta sel=p1 --meta sel=p01 "${p01[@]}" >/dev/null
"$roxi" process --data-dir "$work/data" --quiet >/dev/null
vectors=$("$roxi" status --data-dir "$work/data" --json | sed -nE 's/^  "embedded": ([0-9]+).*/\1/p')

"$roxi" serve --data-dir "$work/data" --max-load-per-core 0 --max-memory-pressure 0 \
  --min-memory-available 0 --log-file - --log-level warn >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  [ -f "$work/data/roxi.server" ] && grep -q "pid=$server_pid" "$work/data/roxi.server" && break
  sleep 0.1
done
listen=$(sed -n 's/^listen=//p' "$work/data/roxi.server")
"$roxi" search --data-dir "$work/data" "copper lantern" >/dev/null   # loads the index

words=(copper lantern harbor meadow silver river stone window garden winter)
pct() { sort -n | awk -v p="$1" '{v[NR] = $1} END {i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i]}'; }
# run NAME FILTER_JSON: server search_micros of each request into $work/NAME.txt.
run() {
  local name=$1 filter=$2
  for i in $(seq 1 "$searches"); do
    q="${words[$((i % 10))]} ${words[$(((i * 7) % 10))]} ${words[$(((i * 3) % 10))]}"
    curl -s -o "$work/reply.json" -H 'Content-Type: application/json' \
      -d "{\"query\": \"$q\", \"k\": 10$filter}" "http://$listen/v1/search"
    if [ -n "$filter" ]; then
      n=$(grep -o '"rank":' "$work/reply.json" | wc -l)
      [ "$n" -eq 10 ] || { echo "bench-filter: $name returned $n results, not 10" >&2; exit 1; }
    fi
    sed -nE 's/.*"search_micros": *([0-9]+).*/\1/p' "$work/reply.json" | tr -d '\n'
    echo
  done >"$work/$name.txt"
}
run none ""
run p1 ', "filter": {"metadata": {"sel": "p1"}}'
run p01 ', "filter": {"metadata": {"sel": "p01"}}'
base=$(awk '{print $1 / 1000}' "$work/none.txt" | pct 50)
echo "vectors $vectors (dim 384), $files files; $searches searches each, k = 10"
for name in none p1 p01; do
  p50=$(awk '{print $1 / 1000}' "$work/$name.txt" | pct 50)
  p99=$(awk '{print $1 / 1000}' "$work/$name.txt" | pct 99)
  awk -v n="$name" -v a="$p50" -v b="$p99" -v base="$base" 'BEGIN {
    label = n == "none" ? "unfiltered" : (n == "p1" ? "filter ~1 %" : "filter ~0.1 %")
    printf "%-15s server search p50 %.2f ms, p99 %.2f ms (p50 %.2fx unfiltered)\n", label, a, b, a / base
  }'
done
