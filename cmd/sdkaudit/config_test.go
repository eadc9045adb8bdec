package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's config (format: sarif, output: sdkaudit.sarif) is for
// audit: scan and policy extract run as without it and never touch the
// SARIF file; each command's own section sets its format and output.
func TestConfigPerCommand(t *testing.T) {
	app, _ := filepath.Abs(fixture(t, "maimai-like.apk"))
	pol, _ := filepath.Abs(policyFixture("maimai-like-policy.txt"))
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, dir, ".sdkaudit.yaml", []byte("policy: ["+pol+"]\nfail_on: none\nformat: sarif\noutput: sdkaudit.sarif\nlang: zh\n"))

	out, stderr, code := runCLI(t, "scan", "--no-code", app)
	if code != ExitOK || !strings.Contains(out, "com.") {
		t.Fatalf("scan under the README config: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat("sdkaudit.sarif"); err == nil {
		t.Fatal("scan wrote the audit's output file")
	}
	out, stderr, code = runCLI(t, "policy", "extract", pol)
	if code != ExitOK || !strings.Contains(out, "permissions:") {
		t.Fatalf("policy extract under the README config: exit %d: %s%s", code, stderr, out)
	}
	if _, _, code = runCLI(t, "audit", app); code != ExitOK {
		t.Fatalf("audit: exit %d", code)
	}
	sarif, err := os.ReadFile("sdkaudit.sarif")
	if err != nil || !strings.Contains(string(sarif), `"version": "2.1.0"`) {
		t.Fatalf("audit did not write SARIF to the configured file: %v", err)
	}
	// diff takes format and output from its own section only.
	out, _, code = runCLI(t, "diff", app, app)
	if code != ExitOK || !strings.Contains(out, "发现") {
		t.Fatalf("diff: exit %d, want a Chinese table on stdout: %.300s", code, out)
	}

	// Sections: each command's format and output.
	writeFile(t, dir, ".sdkaudit.yaml", []byte("fail_on: none\npolicy: ["+pol+"]\nscan: {format: json, output: inventory.json}\npolicy_extract: {format: json}\ndiff: {format: markdown}\n"))
	if _, stderr, code := runCLI(t, "scan", "--no-code", app); code != ExitOK {
		t.Fatalf("scan with its section: exit %d: %s", code, stderr)
	}
	if data, err := os.ReadFile("inventory.json"); err != nil || !strings.HasPrefix(string(data), "{") {
		t.Fatalf("scan section not applied: %v", err)
	}
	if out, _, _ := runCLI(t, "policy", "extract", pol); !strings.HasPrefix(out, "{") {
		t.Errorf("policy_extract section not applied: %.100s", out)
	}
	if out, _, _ := runCLI(t, "diff", app, app); !strings.HasPrefix(out, "# ") {
		t.Errorf("diff section not applied: %.100s", out)
	}
	// A flag on the command line wins over the section.
	if out, _, _ := runCLI(t, "policy", "extract", "--format", "yaml", pol); strings.HasPrefix(out, "{") {
		t.Error("the command line did not win over the section")
	}
	// A key a command does not have is a mistake worth naming.
	writeFile(t, dir, ".sdkaudit.yaml", []byte("scan: {lang: zh}\n"))
	if _, stderr, code := runCLI(t, "scan", app); code != ExitInput || !strings.Contains(stderr, "scan has no --lang") {
		t.Errorf("scan section with lang: exit %d %q", code, stderr)
	}
}
