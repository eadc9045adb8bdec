#!/usr/bin/env bash
# Builds a synthetic large app for docs/bench-compare.sh from real corpus
# content. Not committed; written to the path given as $1.
#
#   bash docs/bench-largeapp.sh OUT.apk [CORPUS_DIR]
#
# What goes in:
#   - AndroidManifest.xml, resources.arsc and every other non-DEX entry of
#     fixtures/apk/maimai-like.apk (a real binary manifest and resource table);
#   - classes.dex, classes2.dex, ... (contiguous, deflated): real DEX files
#     from the corpus APKs, at least 1 MB each, densest (classes per byte)
#     first, cycled until there are at least LARGE_MIN_CLASSES (150000)
#     class_defs and LARGE_MIN_DEX (40) DEX entries. Files repeat, so the
#     class_defs total counts a repeated class once per DEX file that holds
#     it; the distinct descriptor count is printed as well;
#   - real native libraries from the corpus, stored uncompressed (as apps with
#     extractNativeLibs=false ship them), copied under new names until the
#     file is at least LARGE_MIN_MB (150) MiB.
#
# Prints one line of facts: key=value pairs (size, dex, class_defs, distinct,
# largest_dex, dex_bytes, so_entries).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench-largeapp.sh OUT.apk [CORPUS_DIR]}
corpus=${2:-../shared/corpus/apks}
if [ ! -d "$corpus" ]; then
  echo "bench-largeapp: $corpus not present" >&2
  exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "bench-largeapp: python3 not installed" >&2
  exit 2
fi
python3 - "$out" "$corpus" fixtures/apk/maimai-like.apk \
  "${LARGE_MIN_CLASSES:-150000}" "${LARGE_MIN_DEX:-40}" "${LARGE_MIN_MB:-150}" <<'EOF'
import glob, hashlib, os, re, struct, sys, zipfile

out, corpus, base = sys.argv[1], sys.argv[2], sys.argv[3]
min_classes, min_dex, min_bytes = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]) * 1024 * 1024

def uleb(b, off):
    r = s = 0
    while True:
        x = b[off]; off += 1
        r |= (x & 0x7f) << s; s += 7
        if x < 0x80:
            return r, off

def descriptors(d):
    sids_off = struct.unpack_from('<I', d, 60)[0]
    tids_off = struct.unpack_from('<I', d, 68)[0]
    n, cdefs_off = struct.unpack_from('<II', d, 96)
    for i in range(n):
        cls = struct.unpack_from('<I', d, cdefs_off + 32 * i)[0]
        sidx = struct.unpack_from('<I', d, tids_off + 4 * cls)[0]
        soff = struct.unpack_from('<I', d, sids_off + 4 * sidx)[0]
        _, p = uleb(d, soff)
        yield d[p:d.index(b'\0', p)]

dex, libs, seen, seen_so = [], [], set(), set()
for apk in sorted(glob.glob(os.path.join(corpus, '*.apk'))):
    try:
        z = zipfile.ZipFile(apk)
        infos = z.infolist()
    except Exception:
        continue                      # the corpus holds deliberately broken archives
    for i in infos:
        try:
            if re.fullmatch(r'classes\d*\.dex', i.filename):
                d = z.read(i)
                if d[:4] != b'dex\n' or len(d) < 1 << 20:
                    continue
                h = hashlib.sha256(d).digest()
                if h in seen:
                    continue
                seen.add(h)
                n = struct.unpack_from('<I', d, 96)[0]
                dex.append((n / len(d), apk, i.filename, d, n))
            elif i.filename.startswith('lib/') and i.filename.endswith('.so'):
                d = z.read(i)
                h = hashlib.sha256(d).digest()
                if h in seen_so or len(d) < 64 << 10:
                    continue
                seen_so.add(h)
                libs.append((os.path.basename(i.filename)[:-3], d))
        except Exception:
            continue
if not dex:
    sys.exit('bench-largeapp: no DEX files of at least 1 MB in ' + corpus)
dex.sort(key=lambda t: (-t[0], t[1], t[2]))

picked, total = [], 0
while total < min_classes or len(picked) < min_dex:
    t = dex[len(picked) % len(dex)]
    picked.append(t); total += t[4]

distinct = set()
for t in {id(t): t for t in picked}.values():
    distinct.update(descriptors(t[3]))

tmp = out + '.tmp'
with zipfile.ZipFile(base) as b, zipfile.ZipFile(tmp, 'w') as z:
    for i in b.infolist():
        if re.fullmatch(r'classes\d*\.dex', i.filename) or i.filename.startswith('META-INF/'):
            continue
        z.writestr(i, b.read(i))
    for k, t in enumerate(picked):
        name = 'classes.dex' if k == 0 else 'classes%d.dex' % (k + 1)
        z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), t[3],
                   compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    so = 0
    while libs and z.fp.tell() < min_bytes:
        name, d = libs[so % len(libs)]
        zi = zipfile.ZipInfo('lib/arm64-v8a/%s_%d.so' % (name, so), (2024, 1, 1, 0, 0, 0))
        z.writestr(zi, d, compress_type=zipfile.ZIP_STORED)
        so += 1
os.replace(tmp, out)
size = os.path.getsize(out)
if size < min_bytes:
    sys.exit('bench-largeapp: only %d bytes (no native libraries to pad with)' % size)
print('size=%d dex=%d class_defs=%d distinct=%d largest_dex=%d dex_bytes=%d so_entries=%d unique_dex=%d'
      % (size, len(picked), total, len(distinct), max(len(t[3]) for t in picked),
         sum(len(t[3]) for t in picked), so, len({id(t) for t in picked})))
EOF
