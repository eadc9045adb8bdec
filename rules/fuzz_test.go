package rules

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// fuzzRuleFiles are the names a rule directory may hold; the fuzzer picks
// one, so each decoder (and the plain-text retired-ids and VERSION
// readers) sees the bytes.
var fuzzRuleFiles = []string{FileVendors, FilePermissions, FileDataCategories, FileAPIs, DirSDKs + "/fuzz.yaml", FileRetiredIDs, FileVersion}

// FuzzLoadRules feeds bytes to Load as one file of a --rules directory,
// then to Validate and to a merge over the built-in set, which is what
// `sdkaudit --rules DIR` does with it. Errors are expected; panics, slow
// inputs and non-deterministic results are not.
// The seeds (testdata/fuzz/FuzzLoadRules) are entries of rules/data.
func FuzzLoadRules(f *testing.F) {
	base, err := Embedded()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, kind byte, data []byte) {
		name := fuzzRuleFiles[int(kind)%len(fuzzRuleFiles)]
		fsys := fstest.MapFS{name: {Data: data}}
		start := time.Now()
		db, err := Load(fsys)
		if err != nil {
			if db != nil || !strings.HasPrefix(err.Error(), "rules: ") {
				t.Fatalf("error %q with rule set %v", err, db != nil)
			}
		} else {
			_ = Validate(db)
			if _, err := base.Merge(db); err != nil && !strings.HasPrefix(err.Error(), "rules: ") {
				t.Fatalf("merge error without the rules: prefix: %q", err)
			}
		}
		// Generous for a 2-core machine shared with other fuzzers: a
		// valid small file loads, validates and merges in milliseconds.
		if d := time.Since(start); d > testenv.Hang(3*time.Second) {
			t.Fatalf("%s: %d bytes took %v", name, len(data), d)
		}
		// Only success is compared, not the message: with several unknown
		// keys in one mapping go-yaml names one of them at random.
		again, err2 := Load(fsys)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(db, again) {
			t.Fatalf("second load differs: %v / %v", err, err2)
		}
	})
}

// yamlBombs are small inputs whose naive decoding costs far more than
// their size: aliases expanding exponentially (a "billion laughs", also
// through merge keys) and 10 000 levels of nesting, each placed where
// the decoder would have to follow it, and one input that crashed it.
// entry is a YAML mapping of one
// list item under key, with %s where the hostile value goes.
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

// checkBombs runs parse on every bomb and fails unless it returns within
// a couple of seconds having allocated at most 64 MiB in all.
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
	load := func(name string) func([]byte) error {
		return func(b []byte) error {
			_, err := Load(fstest.MapFS{name: {Data: b}})
			return err
		}
	}
	t.Run("sdks", func(t *testing.T) {
		checkBombs(t, yamlBombs("sdks", "{id: acme-push, vendor: acme, aliases: %s}"), load(DirSDKs+"/bomb.yaml"))
	})
	t.Run("vendors", func(t *testing.T) {
		checkBombs(t, yamlBombs("vendors", "{id: acme, brand: {en: %s}}"), load(FileVendors))
	})
	t.Run("apis", func(t *testing.T) {
		checkBombs(t, yamlBombs("apis", "{id: x, kind: method, note: %s}"), load(FileAPIs))
	})
}
