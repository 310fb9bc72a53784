#!/usr/bin/env bash
# One big document against many small ones of the same bytes: peak RSS and wall time of
# `roxi ingest` and of `roxi process` (built-in embedder), each as a whole process, as ratios
# against the many-files case measured in the same run.
#
#   tools/bench-bigdoc.sh [MIB] [MIB...]
#
# For each size (default 200), generates MIB files of 1 MiB of English-like text
# (benchmarks/roxi_gen_corpus), concatenates them into one file, and runs in fresh data
# directories, interleaved: ingest of the folder of MIB files, ingest of the one file, then process
# of each store. Prints one line per command and case, then the ratios (big / many). Peak RSS comes
# from GNU time (/usr/bin/time). Binaries come from $ROXI_BUILD_DIR (default build/), built there
# if missing. Work files go to a temporary directory under $TMPDIR (else /tmp), removed at exit;
# it needs about 2.5 x MIB of space per case.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROXI_BUILD_DIR:-$root/build}
roxi=$build/roxi
gen=$build/benchmarks/roxi_gen_corpus
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(200)
for s in "${sizes[@]}"; do
  [[ "$s" =~ ^[1-9][0-9]*$ ]] || { echo "usage: tools/bench-bigdoc.sh [MIB...]" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
if [ ! -x "$roxi" ] || [ ! -x "$gen" ]; then
  cmake --build "$build" --target roxi roxi_gen_corpus
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/roxi-bench-bigdoc.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Runs a command under GNU time; prints "<seconds> <peak MB>".
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" ||
    { cat "$work/err" >&2; exit 1; }
  awk '{ printf "%.2f %.1f\n", $1, $2 / 1024 }' "$work/time"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

for mib in "${sizes[@]}"; do
  rm -rf "$work/many" "$work/one" "$work/d-many" "$work/d-one"
  "$gen" "$work/many" "$mib" 1048576 >/dev/null
  mkdir -p "$work/one"
  find "$work/many" -type f | sort | xargs cat >"$work/one/big.txt"
  bytes=$(stat -c %s "$work/one/big.txt")
  read -r im_s im_mb < <(measure "$roxi" ingest --data-dir "$work/d-many" "$work/many")
  read -r io_s io_mb < <(measure "$roxi" ingest --data-dir "$work/d-one" "$work/one/big.txt")
  chunks=$("$roxi" status --data-dir "$work/d-one" --json | sed -n 's/^  "chunks": \([0-9]*\),$/\1/p')
  read -r pm_s pm_mb < <(measure "$roxi" process --data-dir "$work/d-many" --quiet)
  read -r po_s po_mb < <(measure "$roxi" process --data-dir "$work/d-one" --quiet)
  "$roxi" verify --data-dir "$work/d-one" >/dev/null
  printf '%d MiB (%d bytes, %s chunks in the big document)\n' "$mib" "$bytes" "$chunks"
  printf '  ingest   %d files: %7.2f s %7.1f MB/s  peak RSS %7.1f MB\n' "$mib" "$im_s" \
    "$(awk -v b="$bytes" -v s="$im_s" 'BEGIN { print b / s / 1e6 }')" "$im_mb"
  printf '  ingest   1 file:   %7.2f s %7.1f MB/s  peak RSS %7.1f MB\n' "$io_s" \
    "$(awk -v b="$bytes" -v s="$io_s" 'BEGIN { print b / s / 1e6 }')" "$io_mb"
  printf '  process  %d files: %7.2f s  peak RSS %7.1f MB\n' "$mib" "$pm_s" "$pm_mb"
  printf '  process  1 file:   %7.2f s  peak RSS %7.1f MB\n' "$po_s" "$po_mb"
  printf '  ratios (1 file / %d files): ingest throughput %s, ingest RSS %s, process time %s, ' \
    "$mib" "$(ratio "$im_s" "$io_s")" "$(ratio "$io_mb" "$im_mb")" "$(ratio "$po_s" "$pm_s")"
  printf 'process RSS %s\n' "$(ratio "$po_mb" "$pm_mb")"
done
