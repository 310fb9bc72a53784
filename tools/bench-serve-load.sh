#!/usr/bin/env bash
# Load on `roxi serve`: CLIENTS concurrent keep-alive clients for SECONDS, mixing searches (70 %),
# status reads (20 %) and ingests of short texts (10 %), while the processor embeds what arrives,
# on a store of CHUNKS chunks; prints p50/p99 per kind and the errors (any reply but 200), and
# the server's resident memory before and after. With an admin key set, as an exposed server is.
#
#   tools/bench-serve-load.sh [CHUNKS] [CLIENTS] [SECONDS]      defaults: 20000 200 30
#
# Binaries come from $ROXI_BUILD_DIR (default build/). Work files live in a temporary directory
# under $TMPDIR (else /tmp), removed at exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${ROXI_BUILD_DIR:-$root/build}
roxi=$build/roxi
gen=$build/benchmarks/roxi_gen_corpus
load=$build/benchmarks/roxi_serve_load
chunks=${1:-20000}
clients=${2:-200}
seconds=${3:-30}
[[ "$chunks" =~ ^[1-9][0-9]*$ && "$clients" =~ ^[1-9][0-9]*$ && "$seconds" =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: tools/bench-serve-load.sh [CHUNKS] [CLIENTS] [SECONDS]" >&2; exit 2; }
if [ ! -x "$roxi" ] || [ ! -x "$gen" ] || [ ! -x "$load" ]; then
  cmake --build "$build" --target roxi roxi_gen_corpus roxi_serve_load >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/roxi-bench-load.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

files=$(( (chunks + 116) / 117 ))
"$gen" "$work/corpus" "$files" 102400 >/dev/null
"$roxi" ingest --data-dir "$work/data" "$work/corpus" >/dev/null
"$roxi" process --data-dir "$work/data" --quiet >/dev/null

key=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
ROXI_API_KEY=$key "$roxi" serve --data-dir "$work/data" --max-load-per-core 0 \
  --max-memory-pressure 0 --min-memory-available 0 --log-file - --log-level warn \
  >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  [ -f "$work/data/roxi.server" ] && grep -q "pid=$server_pid" "$work/data/roxi.server" && break
  sleep 0.1
done
port=$(sed -n 's/^listen=.*:\([0-9]*\)$/\1/p' "$work/data/roxi.server")
ROXI_API_KEY=$key "$roxi" search --data-dir "$work/data" "copper lantern" >/dev/null  # index in
before_kb=$(rss_kb "$server_pid")
status=0
"$load" "$port" "$clients" "$seconds" "$key" || status=$?
after_kb=$(rss_kb "$server_pid")
kill -0 "$server_pid" || { echo "bench-serve-load: the server died" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "clients $clients for $seconds s on $chunks chunks; server rss ${before_kb} kB before," \
  "${after_kb} kB after"
exit "$status"
