#!/usr/bin/env bash
# Times `roxi delete` on a generated corpus, against ingesting the same corpus in the same run.
#
#   tools/bench-delete.sh [FILES]      (default 500 files of 100 KiB: about 58,500 chunks)
#
# Steps, each timed: ingest the corpus, embed it (built-in embedder), delete half the documents by
# name in one command (each document its own name on the command line), delete the rest with
# --prefix. Prints documents/s and chunks/s of each step and the delete/ingest ratio. Uses
# build/roxi and build/benchmarks/roxi_gen_corpus (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
files=${1:-500}
roxi=$build/roxi
gen=$build/benchmarks/roxi_gen_corpus
if [ ! -x "$roxi" ] || [ ! -x "$gen" ]; then
  cmake --build "$build" --target roxi roxi_gen_corpus
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/roxi-bench-delete.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$gen" "$work/corpus" "$files" 102400 >/dev/null
data=$work/data

seconds() { local s=$(date +%s.%N); "$@" >/dev/null; awk -v a="$(date +%s.%N)" -v b="$s" 'BEGIN { print a - b }'; }
calc() { awk "BEGIN { print $1 }"; }

ingest_s=$(seconds "$roxi" ingest --data-dir "$data" "$work/corpus")
chunks=$("$roxi" status --data-dir "$data" --json | sed -n 's/^  "chunks": \([0-9]*\),$/\1/p')
process_s=$(seconds "$roxi" process --data-dir "$data" --quiet)
mapfile -t names < <(find "$work/corpus" -type f | sort | head -n $((files / 2)))
by_name_s=$(seconds "$roxi" delete --data-dir "$data" "${names[@]}")
left=$("$roxi" status --data-dir "$data" --json | sed -n 's/^  "chunks": \([0-9]*\),$/\1/p')
by_prefix_s=$(seconds "$roxi" delete --data-dir "$data" --prefix "$work/corpus/")
"$roxi" verify --data-dir "$data" >/dev/null

half=$((files / 2))
printf 'corpus: %d files, %d chunks\n' "$files" "$chunks"
printf 'ingest:            %6.2f s  %8.0f documents/s  %9.0f chunks/s\n' "$ingest_s" \
  "$(calc "$files / $ingest_s")" "$(calc "$chunks / $ingest_s")"
printf 'process (builtin): %6.2f s  %8s              %9.0f chunks/s\n' "$process_s" "" \
  "$(calc "$chunks / $process_s")"
printf 'delete by name:    %6.2f s  %8.0f documents/s  %9.0f chunks/s  (%d documents)\n' \
  "$by_name_s" "$(calc "$half / $by_name_s")" \
  "$(calc "($chunks - $left) / $by_name_s")" "$half"
printf 'delete by prefix:  %6.2f s  %8.0f documents/s  %9.0f chunks/s  (%d documents)\n' \
  "$by_prefix_s" "$(calc "($files - $half) / $by_prefix_s")" \
  "$(calc "$left / $by_prefix_s")" "$((files - half))"
printf 'delete (prefix) chunks/s over ingest chunks/s: %.2f\n' \
  "$(calc "($left / $by_prefix_s) / ($chunks / $ingest_s)")"
