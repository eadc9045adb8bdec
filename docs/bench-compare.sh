#!/usr/bin/env bash
# Times sdkaudit against the inflate floor and the usual tools, on the same
# machine in the same run (issue 7). Run by `make bench` after the Go
# benchmarks; prints Markdown tables and PASS/FAIL target lines to stdout.
#
#   BENCH_RUNS=5 bash docs/bench-compare.sh
#
# Environment:
#   BENCH_RUNS            wall-clock runs per cell, the median is reported (default 5)
#   BENCH_FILES           how many of the largest corpus APKs (default 3)
#   BENCH_SLOW_RUNS       runs for androguard on the generated large app
#                         (default 1: one run takes minutes and gigabytes)
#   BENCH_CORPUS          corpus directory (default ../shared/corpus/apks)
#   BENCH_NO_LARGE=1      skip the generated large app
#
# Per cell: wall clock of the whole process (date +%s%N around it, median of
# the runs) and peak RSS ("Maximum resident set size" of /usr/bin/time -v,
# the largest over the runs). Output of every command goes to /dev/null.
#
# Tools, each on the same file:
#   sdkaudit scan / scan --no-code / audit (bin/sdkaudit, built here first);
#   inflate floor: unzip -p APP 'classes*.dex' > /dev/null (one core, inflate only);
#   aapt dump permissions APP (manifest only, C++);
#   dexdump -l plain over every classes*.dex (extracted once before timing):
#     the plain listing prints every class with its fields and methods; it is
#     what Exodus Privacy's and F-Droid's scanners run and grep for
#     "Class descriptor". Also timed as unzip + dexdump, the whole job;
#   androguard: androguard.core.bytecodes.apk.APK + DalvikVMFormat for every
#     DEX, listing every class name (Debian's androguard 3.4 API; the 4.x
#     androguard.core.apk / androguard.core.dex API is used if that is what is
#     installed). No cross-reference analysis (AnalyzeAPK would be far slower).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${BENCH_RUNS:-5}
nfiles=${BENCH_FILES:-3}
slow_runs=${BENCH_SLOW_RUNS:-1}
corpus=${BENCH_CORPUS:-../shared/corpus/apks}
policy=fixtures/policies/maimai-like-policy.txt

die() { echo "bench-compare: $*" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$runs'"
[[ $slow_runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_SLOW_RUNS must be a positive integer, not '$slow_runs'"
[ -x /usr/bin/time ] || die "/usr/bin/time not installed (apt-get install -y time); it measures peak RSS"
command -v unzip >/dev/null 2>&1 || die "unzip not installed; it is the inflate floor"
command -v go >/dev/null 2>&1 || die "go not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

echo "Building bin/sdkaudit ..." >&2
go build -o bin/sdkaudit ./cmd/sdkaudit
sdk=$root/bin/sdkaudit

have_aapt=0; command -v aapt >/dev/null 2>&1 && have_aapt=1
have_dexdump=0; command -v dexdump >/dev/null 2>&1 && have_dexdump=1
# Debian installs androguard for the system python3; the python3 on PATH may be
# another one (pyenv). Use whichever can import androguard.
agpy=""
for py in /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import androguard' >/dev/null 2>&1; then agpy=$(command -v "$py"); break; fi
done
cat >"$work/ag.py" <<'EOF'
import sys
try:
    from androguard.core.bytecodes.apk import APK
    from androguard.core.bytecodes.dvm import DalvikVMFormat as DEX
except ImportError:                     # androguard 4.x
    from androguard.core.apk import APK
    from androguard.core.dex import DEX
a = APK(sys.argv[1])
a.get_permissions()
n = 0
for d in a.get_all_dex():
    for c in DEX(d).get_classes():
        c.get_name()
        n += 1
print(a.get_package(), n)
EOF

echo "Machine: $(nproc) cores, $(go version | awk '{print $3}'), $(uname -sr), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "sdkaudit built from $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$( [ -n "$(git status --porcelain --untracked-files=no -- '*.go' 2>/dev/null)" ] && echo ' + uncommitted Go changes')"
echo "Runs per cell: $runs (median wall clock; peak RSS is the largest of the runs)"
for t in aapt dexdump; do
  eval "h=\$have_$t"
  [ "$h" = 1 ] || echo "note: $t not installed, its rows are skipped"
done
if [ -n "$agpy" ]; then
  echo "androguard $("$agpy" -c 'import androguard; print(androguard.__version__)') via $agpy"
else
  echo "note: androguard not importable by any python3, its rows are skipped"
fi
echo

# measure N CMD...: sets ms (median wall ms), rss (max peak RSS in MB, 1 decimal), rc (last exit code).
measure() {
  local n=$1; shift
  local walls=() maxkb=0 t0 t1 kb i
  rc=0
  for ((i = 0; i < n; i++)); do
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" && rc=0 || rc=$?
    t1=$(date +%s%N)
    walls+=($(( (t1 - t0) / 1000 )))
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    [ -n "$kb" ] && [ "$kb" -gt "$maxkb" ] && maxkb=$kb
  done
  ms=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.0f", m / 1000}')
  rss=$(awk -v k="$maxkb" 'BEGIN {printf "%.1f", k / 1024}')
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }

targets=()
target() { # name pass(0/1) detail
  if [ "$2" = 1 ]; then targets+=("PASS $1: $3"); else targets+=("FAIL $1: $3"); fi
}

# bench_file LABEL APP [extra facts]: prints one table; sets audit_ms audit_rss.
bench_file() {
  local label=$1 app=$2 facts=${3:-}
  local dexdir="$work/dex" rows=() r
  rm -rf "$dexdir"; mkdir -p "$dexdir"
  unzip -qo "$app" 'classes*.dex' -d "$dexdir" >/dev/null 2>&1 || true
  mapfile -t dexes < <(cd "$dexdir" && ls classes*.dex 2>/dev/null | sort -V | sed "s|^|$dexdir/|")
  local ndex=${#dexes[@]} dexbytes
  dexbytes=$( ((ndex > 0)) && cat "${dexes[@]}" | wc -c || echo 0)
  echo "### $label"
  echo
  echo "$(basename "$app"): $(stat -c %s "$app") bytes, $ndex root DEX files ($dexbytes bytes inflated)${facts:+, $facts}"
  echo
  echo "| tool | median ms | peak RSS MB | this ÷ sdkaudit scan | this ÷ sdkaudit audit | exit |"
  echo "|---|---:|---:|---:|---:|---:|"

  local scan_ms scan_rss nocode_ms nocode_rss floor_ms floor_rss
  measure "$runs" "$sdk" scan --format json "$app"; scan_ms=$ms; scan_rss=$rss; local scan_rc=$rc
  measure "$runs" "$sdk" scan --no-code --format json "$app"; nocode_ms=$ms; nocode_rss=$rss; local nocode_rc=$rc
  measure "$runs" "$sdk" audit "$app" --policy "$policy" --format json --fail-on none; audit_ms=$ms; audit_rss=$rss; local audit_rc=$rc
  measure "$runs" unzip -p "$app" 'classes*.dex'; floor_ms=$ms; floor_rss=$rss; local floor_rc=$rc
  row() { echo "| $1 | $2 | $3 | $(ratio "$2" "$scan_ms")× | $(ratio "$2" "$audit_ms")× | $4 |"; }
  row "sdkaudit scan --format json" "$scan_ms" "$scan_rss" "$scan_rc"
  row "sdkaudit scan --no-code --format json" "$nocode_ms" "$nocode_rss" "$nocode_rc"
  row "sdkaudit audit --format json" "$audit_ms" "$audit_rss" "$audit_rc"
  row "inflate floor: unzip -p 'classes*.dex'" "$floor_ms" "$floor_rss" "$floor_rc"
  if [ "$have_aapt" = 1 ]; then
    measure "$runs" aapt dump permissions "$app"; row "aapt dump permissions" "$ms" "$rss" "$rc"
  fi
  if [ "$have_dexdump" = 1 ] && ((ndex > 0)); then
    measure "$runs" dexdump -l plain "${dexes[@]}"; row "dexdump -l plain, all $ndex DEX (pre-extracted)" "$ms" "$rss" "$rc"
    measure "$runs" bash -c 'd=$(mktemp -d) && trap "rm -rf \"\$d\"" EXIT && unzip -qo "$1" "classes*.dex" -d "$d" && dexdump -l plain "$d"/classes*.dex' _ "$app"
    row "unzip + dexdump -l plain (total)" "$ms" "$rss" "$rc"
  fi
  local ag_ms=""
  if [ -n "$agpy" ]; then
    local n=$runs; [ "$label" = "generated large app" ] && n=$slow_runs
    measure "$n" "$agpy" "$work/ag.py" "$app"; ag_ms=$ms
    row "androguard APK + DEX classes$( [ "$n" != "$runs" ] && echo " ($n run)")" "$ms" "$rss" "$rc"
  fi
  echo
  echo "sdkaudit audit ÷ inflate floor = $(ratio "$audit_ms" "$floor_ms")×; sdkaudit scan ÷ inflate floor = $(ratio "$scan_ms" "$floor_ms")×; code scan cost = scan − scan --no-code = $((scan_ms - nocode_ms)) ms"
  [ -n "$ag_ms" ] && echo "androguard ÷ sdkaudit audit = $(ratio "$ag_ms" "$audit_ms")×"
  echo

  target "audit ≤ 1.0× inflate floor ($label)" \
    "$(awk -v a="$audit_ms" -v f="$floor_ms" 'BEGIN {print (a <= f) ? 1 : 0}')" \
    "$audit_ms ms vs $floor_ms ms = $(ratio "$audit_ms" "$floor_ms")×"
  if [ -n "$ag_ms" ]; then
    target "≥ 30× faster than androguard ($label)" \
      "$(awk -v a="$audit_ms" -v g="$ag_ms" 'BEGIN {print (g >= 30 * a) ? 1 : 0}')" \
      "androguard $ag_ms ms ÷ audit $audit_ms ms = $(ratio "$ag_ms" "$audit_ms")×"
  else
    targets+=("SKIP ≥ 30× faster than androguard ($label): androguard not installed")
  fi
}

if [ -d "$corpus" ]; then
  mapfile -t files < <(ls -S "$corpus"/*.apk 2>/dev/null | head -n "$nfiles")
  for f in "${files[@]}"; do bench_file "corpus: $(basename "$f")" "$f"; done
else
  echo "note: corpus $corpus not present, corpus files skipped"
  echo
fi

if [ "${BENCH_NO_LARGE:-0}" != 1 ] && [ -d "$corpus" ]; then
  echo "Generating the large app ..." >&2
  facts=$(bash docs/bench-largeapp.sh "$work/large-app.apk" "$corpus")
  largest=$(sed -n 's/.*largest_dex=\([0-9]*\).*/\1/p' <<<"$facts")
  cdefs=$(sed -n 's/.*class_defs=\([0-9]*\).*/\1/p' <<<"$facts")
  distinct=$(sed -n 's/.*distinct=\([0-9]*\).*/\1/p' <<<"$facts")
  nso=$(sed -n 's/.*so_entries=\([0-9]*\).*/\1/p' <<<"$facts")
  bench_file "generated large app" "$work/large-app.apk" \
    "$cdefs class_defs ($distinct distinct descriptors), largest DEX $largest bytes, $nso stored native libraries"
  limit=$(awk -v l="$largest" 'BEGIN {printf "%.1f", 2 * l / 1048576 + 64}')
  target "large app audit < 1.5 s" "$(awk -v a="$audit_ms" 'BEGIN {print (a < 1500) ? 1 : 0}')" "$audit_ms ms"
  target "large app audit peak RSS ≤ 2× largest DEX + 64 MB" \
    "$(awk -v r="$audit_rss" -v l="$limit" 'BEGIN {print (r <= l) ? 1 : 0}')" "$audit_rss MB vs limit $limit MB"
elif [ "${BENCH_NO_LARGE:-0}" != 1 ]; then
  targets+=("SKIP large app targets: corpus not present to build it from")
fi

echo "### Targets"
echo
printf '%s\n' "${targets[@]}"
