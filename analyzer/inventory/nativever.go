package inventory

import (
	"context"
	"regexp"
	"sort"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
)

// maxNativeVersionRead bounds the inflated size of a library searched for a
// version string; larger ones (media engines) are skipped rather than
// inflated.
const maxNativeVersionRead = 16 << 20

// abiOrder is the order in which one ABI's copy of a library is chosen:
// the copies of one library carry the same strings.
var abiOrder = []string{"arm64-v8a", "armeabi-v7a", "armeabi", "x86_64", "x86"}

// embeddedVersionRe matches versions of libraries SDKs link statically
// (zlib 1.2.x and 1.3.x, libpng 1.6.x, OpenSSL 1.0.2 and 1.1.1): such a
// string says nothing about the SDK.
var embeddedVersionRe = regexp.MustCompile(`^(1\.2\.[0-9]+(\.[0-9]+)?|1\.3(\.[0-9]+)?|1\.6\.[0-9]+|1\.0\.2[a-z]?|1\.1\.1[a-z]?)$`)

// nativeVersions searches the libraries pick selects (one ABI's copy of
// each) for a version string: a NUL-delimited string of dotted numbers
// only (3.3.1). A library holding exactly one such string gives it; none
// or several give nothing, since the library cannot say which is its own.
func nativeVersions(ctx context.Context, a *container.Archive, pick func(string) bool) []VersionString {
	best := map[string]*container.Entry{}
	rank := func(abi string) int {
		for i, x := range abiOrder {
			if x == abi {
				return i
			}
		}
		return len(abiOrder)
	}
	for _, e := range a.Entries {
		parts := strings.Split(e.Name, "/")
		if e.Shadowed || len(parts) != 3 || parts[0] != "lib" || !strings.HasSuffix(parts[2], ".so") ||
			e.UncompressedSize > maxNativeVersionRead || !pick(parts[2]) {
			continue
		}
		if b := best[parts[2]]; b == nil || rank(parts[1]) < rank(strings.Split(b.Name, "/")[1]) {
			best[parts[2]] = e
		}
	}
	names := make([]string, 0, len(best))
	for n := range best {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []VersionString
	for _, n := range names {
		if ctx.Err() != nil {
			break
		}
		e := best[n]
		b, err := a.Read(e)
		if err != nil {
			continue
		}
		if v, ok := soleVersionString(b); ok {
			out = append(out, VersionString{Kind: VersionNativeString, Path: e.Name, Lib: n, Version: v})
		}
	}
	return out
}

// soleVersionString returns the one distinct NUL-delimited dotted-number
// string of three or four parts in b, if there is exactly one.
func soleVersionString(b []byte) (string, bool) {
	var found string
	start := 0
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] != 0 {
			continue
		}
		if s := b[start:i]; len(s) >= 5 && len(s) <= 20 && isDottedNumbers(s) {
			v := string(s)
			if !embeddedVersionRe.MatchString(v) && !zeroVersionRe.MatchString(v) {
				if found != "" && found != v {
					return "", false
				}
				found = v
			}
		}
		start = i + 1
	}
	return found, found != ""
}

// isDottedNumbers reports whether s is 3 or 4 dot-separated runs of 1 to 5
// digits.
func isDottedNumbers(s []byte) bool {
	parts, run := 1, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			if run++; run > 5 {
				return false
			}
		case c == '.':
			if run == 0 {
				return false
			}
			parts, run = parts+1, 0
		default:
			return false
		}
	}
	return run > 0 && (parts == 3 || parts == 4)
}
