package rules

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"testing"
)

// TestDatabaseCoverage measures how many of the personal-data SDKs in two
// public signature databases the embedded rules detect: Exodus Privacy's
// tracker list and LibChecker's rules, reduced to facts in
// testdata/coverage/*.tsv (see "Coverage of public signature databases" in
// docs/rules.md). An SDK counts as covered when any one of its signatures
// is. The figures are a measurement, not a gate: the test fails only when a
// data file is missing or malformed. Run it with `make coverage`.
func TestDatabaseCoverage(t *testing.T) {
	ix := newCovIndex(mustEmbedded(t))
	for _, name := range []string{"exodus", "libchecker"} {
		file := "testdata/coverage/" + name + ".tsv"
		source, rows, err := readCovFile(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("== %s: %s", name, source)
		ix.unbounded = name == "exodus"
		ix.report(t, rows)
	}
}

// covRow is one signature of one SDK in a database.
type covRow struct {
	name, vendor, category, kind, sig string
	line                              int
}

// readCovFile parses a coverage file: '#' comment lines (the first names
// the source), then tab-separated name, vendor, category, kind, signature.
func readCovFile(file string) (source string, rows []covRow, err error) {
	f, err := os.Open(file)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			if source == "" {
				source = strings.TrimSpace(strings.TrimPrefix(line, "#"))
			}
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) != 5 {
			return "", nil, fmt.Errorf("%s:%d: %d fields, want 5 (name, vendor, category, kind, signature)", file, n, len(fs))
		}
		r := covRow{name: fs[0], vendor: fs[1], category: fs[2], kind: fs[3], sig: fs[4], line: n}
		if r.name == "" || r.sig == "" {
			return "", nil, fmt.Errorf("%s:%d: empty name or signature", file, n)
		}
		switch r.kind {
		case "dex-prefix", "component", "native-lib":
		default:
			return "", nil, fmt.Errorf("%s:%d: unknown kind %q", file, n, r.kind)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return "", nil, fmt.Errorf("%s: %v", file, err)
	}
	if source == "" || len(rows) == 0 {
		return "", nil, fmt.Errorf("%s: no source comment or no rows", file)
	}
	return source, rows, nil
}

// covIndex holds the embedded rules' signatures the way analyzer/detect
// compiles them (which imports this package, so the matching is redone
// here).
type covIndex struct {
	dex []string // dotted prefixes without leading or trailing dots
	// unbounded reads dex-prefix signatures the way Exodus does (see
	// dexCovered).
	unbounded bool
	exact     map[string]bool
	compPats  []string // components ending in '.' or containing '*'
	libs      []string // native_libs globs
}

func newCovIndex(db *DB) *covIndex {
	ix := &covIndex{exact: map[string]bool{}}
	for _, s := range db.SDKs {
		for _, p := range s.Signatures.DexPrefixes {
			ix.dex = append(ix.dex, strings.Trim(p, "."))
		}
		for _, c := range s.Signatures.Components {
			if strings.HasSuffix(c, ".") || strings.Contains(c, "*") {
				ix.compPats = append(ix.compPats, c)
			} else {
				ix.exact[c] = true
			}
		}
		ix.libs = append(ix.libs, s.Signatures.NativeLibs...)
	}
	return ix
}

// normDex turns a database's package signature into a dotted prefix:
// regex escapes and trailing dots or wildcards go (com\.umeng\. → com.umeng).
func normDex(s string) string {
	s = strings.ReplaceAll(s, `\`, "")
	s = strings.TrimSuffix(s, ".*")
	return strings.Trim(s, ".*")
}

// dexCovered: a rule prefix is a package-boundary prefix of the signature,
// equal to it, or (for a signature broader than our rules) under it.
// Exodus matches its signatures as regular expressions searched anywhere
// in a class name (unbounded is set for that file), so two more cases are
// read as it reads them: a signature with a leading dot (".tealium.") is
// a run of whole package components anywhere in the name, and one without
// a trailing dot (com.tencent.lbs) also catches a longer component
// (com.tencent.lbssearch). Either way a rule prefix counts only when every
// class it matches, the signature matches too.
func (ix *covIndex) dexCovered(sig string, unbounded bool) bool {
	s := normDex(sig)
	if s == "" {
		return false
	}
	raw := strings.ReplaceAll(sig, `\`, "")
	for _, p := range ix.dex {
		if p == s || strings.HasPrefix(s, p+".") || strings.HasPrefix(p, s+".") {
			return true
		}
		if !unbounded {
			continue
		}
		if strings.HasPrefix(raw, ".") && strings.HasSuffix(raw, ".") && strings.Contains("."+p+".", raw) {
			return true
		}
		if !strings.HasPrefix(raw, ".") && !strings.HasSuffix(raw, ".") && !strings.ContainsAny(raw, "*") &&
			strings.HasPrefix(p, s) {
			return true
		}
	}
	return false
}

// componentCovered matches a component signature against rule components:
// a class name against exact entries and patterns; a database pattern
// ("pkg." or "pkg.Foo*") against exact entries it matches and rule patterns
// whose literal prefix overlaps its own.
func (ix *covIndex) componentCovered(sig string) bool {
	if !strings.HasSuffix(sig, ".") && !strings.Contains(sig, "*") {
		if ix.exact[sig] {
			return true
		}
		for _, p := range ix.compPats {
			if covMatchClass(p, sig) {
				return true
			}
		}
		return false
	}
	lit := sig
	if i := strings.IndexByte(lit, '*'); i >= 0 {
		lit = lit[:i]
	}
	for c := range ix.exact {
		if covMatchClass(sig, c) {
			return true
		}
	}
	if lit == "" {
		return false
	}
	for _, p := range ix.compPats {
		pl := p
		if i := strings.IndexByte(pl, '*'); i >= 0 {
			pl = pl[:i]
		}
		if pl != "" && (strings.HasPrefix(lit, pl) || strings.HasPrefix(pl, lit)) {
			return true
		}
	}
	return false
}

// covMatchClass is analyzer/detect's matchClass: "pkg." is a package
// prefix, '*' matches any run of characters, dots included.
func covMatchClass(glob, name string) bool {
	if strings.HasSuffix(glob, ".") && !strings.Contains(glob, "*") {
		return strings.HasPrefix(name, glob)
	}
	parts := strings.Split(glob, "*")
	if len(parts) == 1 {
		return glob == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		j := strings.Index(name, p)
		if j < 0 {
			return false
		}
		name = name[j+len(p):]
	}
	return strings.HasSuffix(name, parts[len(parts)-1])
}

// nativeCovered matches a .so name with path.Match against the rules'
// globs. A database glob (libjcore*.so) is tried as written and with its
// '*' filled in.
func (ix *covIndex) nativeCovered(sig string) bool {
	names := []string{sig}
	if strings.Contains(sig, "*") {
		names = []string{strings.ReplaceAll(sig, "*", ""), strings.ReplaceAll(sig, "*", "1"),
			strings.ReplaceAll(sig, "*", "_v1")}
	}
	for _, g := range ix.libs {
		if g == sig {
			return true
		}
		for _, n := range names {
			if ok, _ := path.Match(g, n); ok {
				return true
			}
		}
	}
	return false
}

// covered reports whether the row's signature is covered by a rule of the
// same kind (strict), and whether it is covered at all once a component's
// class, which an APK also carries in its DEX, may match dex_prefixes.
func (ix *covIndex) covered(r covRow) (strict, loose bool) {
	switch r.kind {
	case "dex-prefix":
		strict = ix.dexCovered(r.sig, ix.unbounded)
		return strict, strict
	case "component":
		strict = ix.componentCovered(r.sig)
		return strict, strict || ix.dexCovered(r.sig, false)
	default:
		strict = ix.nativeCovered(r.sig)
		return strict, strict
	}
}

func (ix *covIndex) report(t *testing.T, rows []covRow) {
	t.Helper()
	type sdk struct {
		category      string
		strict, viaDx bool
	}
	sdks := map[string]*sdk{}
	var names []string
	for _, r := range rows {
		s := sdks[r.name]
		if s == nil {
			s = &sdk{category: r.category}
			sdks[r.name] = s
			names = append(names, r.name)
		}
		st, loose := ix.covered(r)
		s.strict = s.strict || st
		s.viaDx = s.viaDx || loose
	}
	sort.Strings(names)
	type tally struct{ total, covered int }
	byCat := map[string]*tally{}
	strict, loose := 0, 0
	var missing []string
	for _, n := range names {
		s := sdks[n]
		if s.strict {
			strict++
		}
		if s.viaDx {
			loose++
		} else {
			missing = append(missing, fmt.Sprintf("%s [%s]", n, s.category))
		}
		cats := strings.Split(s.category, ",")
		if s.category == "" {
			cats = []string{"(none)"}
		}
		for _, c := range cats {
			if byCat[c] == nil {
				byCat[c] = &tally{}
			}
			byCat[c].total++
			if s.viaDx {
				byCat[c].covered++
			}
		}
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(b) }
	t.Logf("SDKs: %d (%d signature rows)", len(names), len(rows))
	t.Logf("covered: %d (%.1f%%), counting a component's class against dex_prefixes too", loose, pct(loose, len(names)))
	t.Logf("covered by a signature of the same kind only: %d (%.1f%%)", strict, pct(strict, len(names)))
	var cats []string
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		t.Logf("  %-16s %3d/%3d (%.0f%%)", c, byCat[c].covered, byCat[c].total, pct(byCat[c].covered, byCat[c].total))
	}
	t.Logf("uncovered (%d): %s", len(missing), strings.Join(missing, "; "))
}
