package audit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// FuzzWaivers feeds bytes to LoadWaivers as a --waivers file and applies
// what it accepts to a few findings. A bad file is an error naming the
// file; a good one never panics on use, each waiver warns at most once,
// and only a waiver that applies suppresses anything.
// The seeds (testdata/fuzz/FuzzWaivers) are the waiver files of the tests
// and the README.
func FuzzWaivers(f *testing.F) {
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "waivers.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ws, err := LoadWaivers(path)
		if d := time.Since(start); d > testenv.Hang(3*time.Second) {
			t.Fatalf("%d bytes took %v", len(data), d)
		}
		if err != nil {
			if ws != nil || !strings.HasPrefix(err.Error(), "audit: ") || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q with %d waivers", err, len(ws))
			}
			return
		}
		for _, w := range ws {
			if _, ok := CheckByID(w.Rule); !ok || strings.TrimSpace(w.Subject) == "" || strings.TrimSpace(w.Reason) == "" {
				t.Fatalf("accepted an invalid waiver %+v", w)
			}
		}
		r := &Result{Findings: []Finding{
			{Rule: "SA1001", Kind: "undeclared-sdk", Subject: Subject{SDK: &SDKRef{ID: "getui-push"}}},
			{Rule: "SA2001", Kind: "undeclared-permission", Subject: Subject{Permission: "android.permission.CAMERA"}},
		}}
		if len(ws) > 0 {
			r.Findings = append(r.Findings, Finding{Rule: "SA1001", Subject: Subject{ThirdParty: ws[0].Subject}})
		}
		r.ApplyWaivers(ws, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if len(r.Warnings) > len(ws) {
			t.Fatalf("%d warnings for %d waivers: %q", len(r.Warnings), len(ws), r.Warnings)
		}
		for _, f := range r.Findings {
			if f.Suppressed != waived(ws, f) || f.Suppressed == (f.SuppressedBy == "") {
				t.Fatalf("finding %s %s suppressed=%v by %q", f.Rule, f.Subject.Key(), f.Suppressed, f.SuppressedBy)
			}
		}
	})
}

// waived reports whether a waiver that has not expired names the finding.
func waived(ws []Waiver, f Finding) bool {
	for _, w := range ws {
		c, _ := CheckByID(w.Rule)
		if c.ID == f.Rule && w.Subject == f.Subject.Key() && (w.Expires == "" || w.Expires >= "2026-12-01") {
			return true
		}
	}
	return false
}

// yamlBombs are small inputs whose naive decoding costs far more than
// their size: aliases expanding exponentially (a "billion laughs", also
// through merge keys) and 10 000 levels of nesting, each placed where
// the decoder would have to follow it, and one input that crashed it.
// entry is a YAML mapping of one
// list item under key, with %s where the hostile value goes.
// (rules/fuzz_test.go and analyzer/policy have the same generator.)
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
	dir := t.TempDir()
	checkBombs(t, yamlBombs("waivers", "{rule: SA1001, reason: r, subject: %s}"), func(b []byte) error {
		path := filepath.Join(dir, "bomb.yaml")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		_, err := LoadWaivers(path)
		return err
	})
}

// A waiver file over the size cap is refused without being read whole.
func TestWaiversTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	big := "waivers:\n" + strings.Repeat("  - {rule: SA1001, subject: x, reason: r}\n", 30000)
	if err := os.WriteFile(path, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadWaivers(path); !errors.Is(err, safefile.ErrTooLarge) {
		t.Errorf("%d bytes: %v", len(big), err)
	}
}
