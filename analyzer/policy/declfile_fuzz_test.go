package policy

import (
	"bytes"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// FuzzDeclarationFile feeds bytes to ParseDeclFile, the reader of
// `--policy decl.yaml` and `policy check`, and turns what it accepts into
// a Declaration. A bad file is an error naming the file; a good one never
// panics on conversion, and WriteDeclFile's rendering of it is again a
// declaration file (outside the gaps roundTrips names).
// The seeds (testdata/fuzz/FuzzDeclarationFile) are the fixture
// declaration, the example of docs/policy-declaration.md and the error
// cases of TestDeclarationFileErrors.
func FuzzDeclarationFile(f *testing.F) {
	lx := lexicon(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		df, err := ParseDeclFile("decl.yaml", data, lx.db)
		if err != nil {
			if df != nil || !strings.HasPrefix(err.Error(), "policy: decl.yaml") {
				t.Fatalf("error %q with a declaration", err)
			}
			return
		}
		d := df.Declaration("decl.yaml", data, lx)
		if d == nil {
			t.Fatal("no declaration from a checked file")
		}
		out := WriteDeclFile(d, df.App)
		if d := time.Since(start); d > testenv.Hang(3*time.Second) {
			t.Fatalf("%d bytes took %v", len(data), d)
		}
		if !IsDeclarationFile(out) {
			t.Fatalf("written file is not recognised as a declaration:\n%s", out)
		}
		if !roundTrips(df, data) {
			return
		}
		if _, err := ParseDeclFile("out.yaml", out, lx.db); err != nil {
			t.Fatalf("written declaration does not check: %v\n%s", err, out)
		}
	})
}

// plainName is what real permission names look like.
var plainName = regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`)

// roundTrips reports whether WriteDeclFile is known to render df as a
// file that checks again. Two gaps are left out: it writes permission
// names unquoted, and ParseDeclFile accepts any name with a dot in it
// ("0 -.:" then reads back as a mapping); and it copies the evidence line
// into a comment, where a CR of the input ends the comment early.
func roundTrips(df *DeclFile, data []byte) bool {
	if bytes.IndexByte(data, '\r') >= 0 {
		return false
	}
	perms := append([]string{}, df.Permissions...)
	for _, s := range df.SDKs {
		perms = append(perms, s.Permissions...)
	}
	for _, p := range perms {
		if !plainName.MatchString(p) {
			return false
		}
	}
	return true
}

// yamlBombs are small inputs whose naive decoding costs far more than
// their size: aliases expanding exponentially (a "billion laughs", also
// through merge keys) and 10 000 levels of nesting, each placed where
// the decoder would have to follow it, and one input that crashed it.
// entry is a YAML mapping of one
// list item under key, with %s where the hostile value goes.
// (rules/fuzz_test.go and analyzer/audit have the same generator.)
func yamlBombs(key, entry string) map[string]string {
	const levels, width = 10, 10 // 10^10 "lol" once expanded
	var laughs, merges strings.Builder
	laughs.WriteString("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	merges.WriteString("m0: &m0 {a: lol, b: lol, c: lol}\n")
	for l := 1; l < levels; l++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", l-1), width), ", ")
		fmt.Fprintf(&laughs, "l%d: &l%d [%s]\n", l, l, refs)
		refs = strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d, ", l-1), width), ", ")
		fmt.Fprintf(&merges, "m%d: &m%d {<<: [%s]}\n", l, l, refs)
	}
	last := fmt.Sprintf("*l%d", levels-1)
	const depth = 10000
	return map[string]string{
		// Anchors first, so the alias is resolved while key is decoded.
		"alias-laughs":      laughs.String() + key + ":\n  - " + fmt.Sprintf(entry, last) + "\n",
		"alias-laughs-list": laughs.String() + key + ": " + last + "\n",
		"merge-keys":        merges.String() + key + ":\n  - {<<: *m" + fmt.Sprint(levels-1) + "}\n",
		"nested-flow-seq":   key + ":\n  - " + fmt.Sprintf(entry, strings.Repeat("[", depth)+strings.Repeat("]", depth)) + "\n",
		"nested-flow-map":   key + ":\n  - " + fmt.Sprintf(entry, strings.Repeat("{a: ", depth)+"b"+strings.Repeat("}", depth)) + "\n",
		"nested-block-seq":  key + ":\n" + strings.Repeat("- ", depth) + "x\n",
		// Not a bomb but a crash: go-yaml v1.19.2 dereferences nil on a
		// tagged empty value decoded into a slice (found by fuzzing).
		"tag-on-empty-list": key + ": !x\n",
	}
}

// checkBombs runs parse on every bomb and fails unless it returns an
// error within a couple of seconds having allocated at most 64 MiB.
func checkBombs(t *testing.T, bombs map[string]string, parse func([]byte) error) {
	t.Helper()
	for name, in := range bombs {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			done := make(chan error, 1)
			start := time.Now()
			go func() { done <- parse([]byte(in)) }()
			select {
			case err := <-done:
				runtime.ReadMemStats(&after)
				alloc := after.TotalAlloc - before.TotalAlloc
				t.Logf("%d bytes: %v, %d KiB allocated, error: %.120v", len(in), time.Since(start), alloc>>10, err)
				if alloc > 64<<20 {
					t.Errorf("%d bytes of YAML allocated %d MiB", len(in), alloc>>20)
				}
				if err == nil {
					t.Errorf("accepted")
				}
			case <-time.After(testenv.Hang(2 * time.Second)):
				// The parse goroutine cannot be stopped; it keeps
				// allocating until the test binary exits.
				runtime.ReadMemStats(&after)
				t.Fatalf("%d bytes of YAML still parsing after 2s, %d MiB allocated", len(in), (after.TotalAlloc-before.TotalAlloc)>>20)
			}
		})
	}
}

func TestYAMLBombs(t *testing.T) {
	lx := lexicon(t)
	// The schema line makes Lexicon.Load take these for declaration files.
	const head = "schema: sdkaudit-declaration/1\n"
	bombs := yamlBombs("sdks", "{name: x, purpose: %s}")
	for k, v := range bombs {
		bombs[k] = head + v
	}
	checkBombs(t, bombs, func(b []byte) error {
		_, err := ParseDeclFile("decl.yaml", b, lx.db)
		return err
	})
}
