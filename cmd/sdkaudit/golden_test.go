package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// volatileRe finds what changes with every rule edit but says nothing about
// the behaviour a golden pins: the rules' content hash, and the CycloneDX
// serial number derived from the whole document.
var volatileRe = regexp.MustCompile(`sha256:[0-9a-f]{12}|urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// redactVolatile replaces the volatile fields with fixed placeholders, so
// adding a rule rewrites only the goldens whose findings it changes.
func redactVolatile(s string) string {
	return volatileRe.ReplaceAllStringFunc(s, func(m string) string {
		if m[0] == 's' {
			return "sha256:<rules-hash>"
		}
		return "urn:uuid:<serial>"
	})
}

// compareGolden compares got, redacted, with the golden file at path;
// -update writes the redacted form.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	got = redactVolatile(got)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/sdkaudit -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from its golden (-want +got):\n%s", path, diff)
	}
}

func TestRedactVolatile(t *testing.T) {
	in := `"rules_version": "2026.12.07-2 (sha256:215a8f2b9557)", "serialNumber": "urn:uuid:aff5bb73-9b09-517a-880c-690957f60f7f", "sha256": "7869af78fbf74dc9373ac1339441f124e81223b60c50afd63afd849a080b6d71"`
	want := `"rules_version": "2026.12.07-2 (sha256:<rules-hash>)", "serialNumber": "urn:uuid:<serial>", "sha256": "7869af78fbf74dc9373ac1339441f124e81223b60c50afd63afd849a080b6d71"`
	if got := redactVolatile(in); got != want {
		t.Errorf("redactVolatile:\n got %s\nwant %s", got, want)
	}
}
