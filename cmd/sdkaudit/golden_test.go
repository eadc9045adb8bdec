package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// redactGolden is what a golden under testdata/golden holds: the output
// with its volatile fields redacted, and in a SARIF log the driver's rule
// list too, which is the check registry rendered (analyzer/report's
// TestSARIFDriver holds each rule to its check), so adding a check
// rewrites only the goldens it raises findings in. The samples in
// docs/examples keep their rules: they show a reader the whole log.
func redactGolden(path, s string) string {
	s = redactVolatile(s)
	if strings.Contains(filepath.ToSlash(path), "testdata/golden/") && strings.Contains(s, sarifSchemaMark) {
		s = redactSARIFRules(s)
	}
	return s
}

// sarifSchemaMark is how a SARIF log from the sarif format starts.
const sarifSchemaMark = `"$schema": "https://docs.oasis-open.org/sarif/`

// sarifRulesPlaceholder stands for a run's rule list in a golden.
const sarifRulesPlaceholder = `"rules": "<the check registry, one rule per check>"`

// redactSARIFRules replaces the value of every "rules" key with the
// placeholder: the array from its bracket to the matching one, brackets
// inside strings skipped.
func redactSARIFRules(s string) string {
	const key = `"rules": [`
	var b strings.Builder
	for {
		i := strings.Index(s, key)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		depth, inString, escaped, end := 0, false, false, -1
		for j := i + len(key) - 1; j < len(s) && end < 0; j++ {
			c := s[j]
			switch {
			case escaped:
				escaped = false
			case inString && c == '\\':
				escaped = true
			case c == '"':
				inString = !inString
			case inString:
			case c == '[':
				depth++
			case c == ']':
				depth--
				if depth == 0 {
					end = j + 1
				}
			}
		}
		if end < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		b.WriteString(sarifRulesPlaceholder)
		s = s[end:]
	}
}

// compareGolden compares got, redacted, with the golden file at path;
// -update writes the redacted form.
func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	got = redactGolden(path, got)
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

func TestRedactSARIFRules(t *testing.T) {
	in := sarifSchemaMark + `x", "runs": [{"tool": {"driver": {"rules": [{"id": "SA1", "help": {"text": "a ] in [ text \" ]"}}, {"id": "SA2"}]}}, "results": [{"ruleId": "SA1"}]}]`
	want := sarifSchemaMark + `x", "runs": [{"tool": {"driver": {` + sarifRulesPlaceholder + `}}, "results": [{"ruleId": "SA1"}]}]`
	if got := redactGolden("testdata/golden/x.sarif", in); got != want {
		t.Errorf("redactGolden:\n got %s\nwant %s", got, want)
	}
	if got := redactGolden("docs/examples/x.sarif", in); got != in {
		t.Errorf("a sample lost its rules: %s", got)
	}
}
