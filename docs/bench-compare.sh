#!/usr/bin/env bash
# Times sdkaudit scan against Debian's aapt, dexdump and androguard on the
# largest corpus APKs. Each tool does a comparable job: read the manifest
# (aapt, androguard) or list every class (dexdump); sdkaudit does both in one
# pass. Prints a Markdown table for docs/benchmarks.md. Tools that are not
# installed are reported as such, not silently dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/apks
if [ ! -d "$corpus" ]; then
  echo "bench-compare: $corpus not present, skipping"
  exit 0
fi
go build -o bin/sdkaudit ./cmd/sdkaudit
mapfile -t files < <(ls -S "$corpus"/*.apk | head -n "${BENCH_FILES:-4}")
runs=${BENCH_RUNS:-3}

# best-of-N wall time in milliseconds for a command.
best_ms() {
  local best="" t0 t1 ms
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

tool_cell() {
  if command -v "$1" >/dev/null 2>&1; then shift; best_ms "$@"; else echo "n/a"; fi
}

dexdump_all() {
  local apk=$1 tmp
  tmp=$(mktemp -d)
  unzip -qo "$apk" 'classes*.dex' -d "$tmp" 2>/dev/null || true
  for d in "$tmp"/classes*.dex; do [ -e "$d" ] && dexdump -f "$d"; done
  rm -rf "$tmp"
}
export -f dexdump_all

echo "| file | size | sdkaudit scan --format json (ms) | aapt dump badging (ms) | dexdump classes (ms) | androguard axml (ms) |"
echo "|---|---:|---:|---:|---:|---:|"
for f in "${files[@]}"; do
  size=$(stat -c %s "$f")
  s=$(best_ms bin/sdkaudit scan --format json "$f")
  a=$(tool_cell aapt aapt dump badging "$f")
  d=$(tool_cell dexdump bash -c 'dexdump_all "$0"' "$f")
  g=$(tool_cell androguard androguard axml "$f")
  echo "| $(basename "$f") | $size | $s | $a | $d | $g |"
done
