#!/usr/bin/env bash
# Rebuilds Unihan_Variants.extract.txt from Debian's unicode-data package
# (apt-get install unicode-data): the file's header, a note of what was
# left out, and the kSimplifiedVariant and kTraditionalVariant lines.
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/unicode/Unihan_Variants.txt.bz2
ver=$(dpkg-query -W -f='${Version}' unicode-data)
{
  bzcat "$src" | sed -n '1,9p'
  echo "#"
  echo "# MODIFIED: an extract of Unihan_Variants.txt (Unicode 15.0.0, Debian's unicode-data"
  echo "# $ver) keeping only the kSimplifiedVariant and kTraditionalVariant lines, for"
  echo "# the test of analyzer/policy/t2s.go. Made by testdata/unihan/extract.sh."
  echo "#"
  bzcat "$src" | grep -P '^U\+[0-9A-F]+\tk(Simplified|Traditional)Variant\t'
} > Unihan_Variants.extract.txt
