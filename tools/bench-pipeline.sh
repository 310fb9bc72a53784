#!/usr/bin/env bash
# Times the real binary on a generated corpus, to pick `roxi process --batch-size` for a machine:
# for each batch size, a fresh data directory, `roxi ingest` of the corpus, then
# `roxi process --batch-size B` to the end, each timed as a whole process (start-up, store open
# and close included) with its peak resident memory.
#
#   tools/bench-pipeline.sh [CHUNKS] [BATCH_SIZE...]
#
# CHUNKS (default 58500) sets the corpus size: files of 100 KiB of English-like paragraphs, about
# 117 chunks each with the default chunker options; the default gives the 500 files
# benchmarks/pipeline_bench ingests, and the real count is printed. BATCH_SIZE defaults to
# 64 256 1024. The binaries come from $ROXI_BUILD_DIR (default build/): roxi and
# benchmarks/roxi_gen_corpus, built there if missing.
# Corpus and data directories live in a temporary directory under $TMPDIR (else /tmp), removed
# at exit: point TMPDIR at the disk roxi's data will live on, since every commit is fsynced.
#
# Output, one line per batch size: chunks, ingest and process wall seconds, the whole pipeline's
# chunks/s and MB/s (source bytes), process alone in chunks/s, and each command's peak RSS. Peak
# RSS comes from GNU time (/usr/bin/time, Debian package `time`) when present, else from polling
# VmHWM in /proc (may miss a last-moment peak). The corpus is read from the page cache (it was just
# written), as a re-ingest of recently touched files would be.
set -euo pipefail

usage() {
  echo "usage: tools/bench-pipeline.sh [CHUNKS] [BATCH_SIZE...]" >&2
  exit 2
}
is_count() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }

root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROXI_BUILD_DIR:-$root/build}
roxi=$build/roxi
gen=$build/benchmarks/roxi_gen_corpus

chunks=${1:-58500}
is_count "$chunks" || usage
[ $# -gt 0 ] && shift
batches=("$@")
[ ${#batches[@]} -eq 0 ] && batches=(64 256 1024)
for b in "${batches[@]}"; do is_count "$b" || usage; done

if [ ! -x "$roxi" ] || [ ! -x "$gen" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    echo "bench-pipeline: $build is not a build directory; configure it first:" >&2
    echo "  cmake -S . -B ${build#"$root"/} -G Ninja -DCMAKE_BUILD_TYPE=Release" >&2
    exit 2
  fi
  cmake --build "$build" --target roxi roxi_gen_corpus
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/roxi-bench-pipeline.XXXXXX")
trap 'rm -rf "$work"' EXIT

# measure NAME CMD...: runs CMD with stdout to $work/NAME.out; sets the globals wall_s and peak_kb.
gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then gnu_time=/usr/bin/time; fi
measure() {
  local name=$1
  shift
  if [ -n "$gnu_time" ]; then
    if ! "$gnu_time" -f '%e %M' -o "$work/$name.time" "$@" >"$work/$name.out"; then
      echo "bench-pipeline: failed: $*" >&2
      cat "$work/$name.out" >&2
      exit 1
    fi
    read -r wall_s peak_kb <"$work/$name.time"
    return
  fi
  local start end hwm pid status=0
  start=$(date +%s.%N)
  "$@" >"$work/$name.out" &
  pid=$!
  peak_kb=0
  while kill -0 "$pid" 2>/dev/null; do
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$hwm" ] && [ "$hwm" -gt "$peak_kb" ]; then peak_kb=$hwm; fi
    sleep 0.05
  done
  wait "$pid" || status=$?
  end=$(date +%s.%N)
  if [ "$status" -ne 0 ]; then
    echo "bench-pipeline: failed ($status): $*" >&2
    cat "$work/$name.out" >&2
    exit 1
  fi
  wall_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
}

# json_field FILE KEY: a number from roxi's one-line --json output.
json_field() { sed -nE "s/.*\"$2\": *([0-9.eE+-]+).*/\\1/p" "$1"; }

files=$(((chunks + 116) / 117))
read -r _ corpus_bytes < <("$gen" "$work/corpus" "$files" 102400)
echo "corpus: $files files, $corpus_bytes bytes; $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1 /proc/loadavg)"
echo "peak RSS from: ${gnu_time:-/proc polling}; data under ${TMPDIR:-/tmp}"
printf '%6s %8s %9s %10s %10s %8s %12s %15s %16s\n' batch chunks ingest_s process_s chunks/s MB/s \
  process_ch/s ingest_peak_MB process_peak_MB
for b in "${batches[@]}"; do
  data=$work/data-$b
  measure "ingest-$b" "$roxi" ingest --data-dir "$data" --json "$work/corpus"
  ingest_s=$wall_s ingest_kb=$peak_kb
  n=$(json_field "$work/ingest-$b.out" chunks_queued)
  measure "process-$b" "$roxi" process --data-dir "$data" --json --quiet --batch-size "$b"
  process_s=$wall_s process_kb=$peak_kb
  embedded=$(json_field "$work/process-$b.out" embedded)
  if [ "$embedded" != "$n" ]; then
    echo "bench-pipeline: batch $b: embedded $embedded of $n chunks" >&2
    exit 1
  fi
  awk -v b="$b" -v n="$n" -v i="$ingest_s" -v p="$process_s" -v bytes="$corpus_bytes" \
      -v ik="$ingest_kb" -v pk="$process_kb" 'BEGIN {
    t = i + p
    printf "%6d %8d %9.2f %10.2f %10.0f %8.1f %12.0f %15.0f %16.0f\n", b, n, i, p, n / t,
           bytes / t / 1e6, n / p, ik / 1024, pk / 1024
  }'
  rm -rf "$data"
done
