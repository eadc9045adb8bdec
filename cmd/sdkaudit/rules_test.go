package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/rules"
)

func TestVersionShowsRules(t *testing.T) {
	out, _, code := runCLI(t, "version")
	if code != ExitOK || !strings.Contains(out, "rules ") || !strings.Contains(out, "sha256:") {
		t.Fatalf("exit %d: %q", code, out)
	}
}

func TestRulesListAndShow(t *testing.T) {
	out, _, code := runCLI(t, "rules", "list", "--category", "push")
	if code != ExitOK || !strings.Contains(out, "getui-push") || strings.Contains(out, "okhttp") {
		t.Fatalf("list --category push: exit %d\n%s", code, out)
	}
	if _, stderr, code := runCLI(t, "rules", "list", "--category", "nonsense"); code != ExitInput || !strings.Contains(stderr, "unknown category") {
		t.Fatalf("bad category: exit %d %q", code, stderr)
	}
	out, _, code = runCLI(t, "rules", "show", "getui-push")
	if code != ExitOK || !strings.Contains(out, "每日互动") && !strings.Contains(out, "vendor: getui") {
		t.Fatalf("show: exit %d\n%s", code, out)
	}
	if _, stderr, code := runCLI(t, "rules", "show", "个推"); code != ExitInput || !strings.Contains(stderr, "getui-push") {
		t.Fatalf("show by alias should point at the id: exit %d %q", code, stderr)
	}
}

func TestRulesValidateAndExtend(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sdks"), 0o755)
	good := `sdks:
  - id: acme-tracker
    name: {en: Acme Tracker}
    vendor: getui
    category: analytics
    kind: sdk
    signatures:
      dex_prefixes: [org.sdkaudit.fixture.full.acme]
      meta_data: [com.example.tracker.API_KEY]
    confidence: medium
    note: Test rule extending the built-in set.
`
	writeFile(t, filepath.Join(dir, "sdks"), "local.yaml", []byte(good))
	if out, stderr, code := runCLI(t, "rules", "validate", dir); code != ExitOK {
		t.Fatalf("validate good dir: exit %d %s %s", code, out, stderr)
	}
	out, _, code := runCLI(t, "--rules", dir, "scan", "--format", "json", fixture(t, "full.apk"))
	if code != ExitOK || !strings.Contains(out, `"acme-tracker"`) {
		t.Fatalf("--rules did not extend detection: exit %d", code)
	}
	bad := strings.Replace(good, "dex_prefixes", "dex_prefix", 1)
	writeFile(t, filepath.Join(dir, "sdks"), "local.yaml", []byte(bad))
	_, stderr, code := runCLI(t, "rules", "validate", dir)
	if code != ExitInput || !strings.Contains(stderr, "local.yaml:") || !strings.Contains(stderr, "dex_prefix") {
		t.Fatalf("typo must name file and line: exit %d %q", code, stderr)
	}
}

func TestImportExodus(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "trackers.json", []byte(`{"trackers": {
 "1": {"id": 1, "name": "Fixture Geo", "code_signature": "org.sdkaudit.fixture.geo.|org.sdkaudit.fixture.geoloc.", "website": "https://geo.example", "categories": ["Location"]},
 "27": {"id": 27, "name": "Google Firebase Analytics", "code_signature": "com.google.firebase.analytics.", "categories": ["Analytics"]},
 "99": {"id": 99, "name": "Regex Only", "code_signature": "com\\.foo\\.(a|b)", "categories": []}
}}`))
	out := filepath.Join(dir, "rules")
	stdout, stderr, code := runCLI(t, "rules", "import-exodus", in, "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "1 trackers converted, 2 skipped") {
		t.Fatalf("unexpected summary %q", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, "sdks", "exodus.yaml"))
	if err != nil || !strings.Contains(string(b), "org.sdkaudit.fixture.geo") {
		t.Fatalf("exodus.yaml: %v\n%s", err, b)
	}
	if _, _, code := runCLI(t, "--rules", out, "rules", "show", "exodus-1"); code != ExitOK {
		t.Fatalf("imported rules not loadable: exit %d", code)
	}
	// --rules-replace uses the imported set alone; a complete set needs a
	// VERSION, and without one the error says so.
	if _, stderr, code := runCLI(t, "--rules", out, "--rules-replace", "rules", "list"); code != ExitInput || !strings.Contains(stderr, "VERSION") {
		t.Fatalf("replacement set without VERSION: exit %d %q", code, stderr)
	}
	writeFile(t, out, "VERSION", []byte("2026.11.28-1\n"))
	list, stderr, code := runCLI(t, "--rules", out, "--rules-replace", "rules", "list")
	if code != ExitOK || !strings.Contains(list, "exodus-1") || strings.Contains(list, "getui-push") || !strings.Contains(list, "1 rules") {
		t.Fatalf("--rules-replace: exit %d %s\n%s", code, stderr, list)
	}
	bad := writeFile(t, dir, "bad.json", []byte(`{"not": "trackers"}`))
	if _, _, code := runCLI(t, "rules", "import-exodus", bad, "-o", out); code != ExitInput {
		t.Fatalf("bad input: exit %d", code)
	}
}

// rules list --format json publishes every rule with all its signatures,
// so other signature databases can be matched against it; a mistyped
// --kind is an input error, not an empty list.
func TestRulesListJSON(t *testing.T) {
	out, stderr, code := runCLI(t, "rules", "list", "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		RulesVersion string `json:"rules_version"`
		SDKs         []struct {
			ID         string              `json:"id"`
			Signatures map[string][]string `json:"signatures"`
		} `json:"sdks"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.SDKs) != len(db.SDKs) || doc.RulesVersion == "" {
		t.Fatalf("%d rules listed, %d in the database", len(doc.SDKs), len(db.SDKs))
	}
	for i, s := range doc.SDKs {
		want := db.SDKs[i].Signatures
		if s.ID != db.SDKs[i].ID || len(s.Signatures["dex_prefixes"]) != len(want.DexPrefixes) || len(s.Signatures["components"]) != len(want.Components) || len(s.Signatures["anchors"]) != len(want.Anchors) {
			t.Errorf("%s: signatures not published whole: %v", s.ID, s.Signatures)
		}
	}
	if _, _, code := runCLI(t, "rules", "list", "--kind", "foo"); code != ExitInput {
		t.Errorf("--kind foo: exit %d, want %d", code, ExitInput)
	}
}
