package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPolicyExtractAndCheck(t *testing.T) {
	dir := t.TempDir()
	doc := writeFile(t, dir, "policy.txt", []byte("为适配消息推送功能，我们会与每日互动股份有限公司共享设备标识符。\n视频通话时我们会申请摄像头、麦克风权限。\n"))
	out := filepath.Join(dir, "decl.yaml")
	if _, stderr, code := runCLI(t, "policy", "extract", doc, "-o", out, "--app", "com.example"); code != ExitOK {
		t.Fatalf("extract: exit %d %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	for _, want := range []string{"schema: sdkaudit-declaration/1", "- id: getui-push", "android.permission.CAMERA", "# " + doc + ":2"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("declaration lacks %q:\n%s", want, b)
		}
	}
	if stdout, stderr, code := runCLI(t, "policy", "check", out); code != ExitOK || !strings.Contains(stdout, "valid") {
		t.Fatalf("check: exit %d %s %s", code, stdout, stderr)
	}
	// A declaration file is accepted wherever a policy is.
	stdout, _, code := runCLI(t, "policy", "extract", "--format", "json", out)
	if code != ExitOK {
		t.Fatalf("extract from a declaration: exit %d", code)
	}
	var decl struct {
		SDKs []struct{ ID, How string }
	}
	if err := json.Unmarshal([]byte(stdout), &decl); err != nil || len(decl.SDKs) == 0 || decl.SDKs[0].How != "declaration" {
		t.Fatalf("json: %v %+v", err, decl)
	}
	bad := writeFile(t, dir, "bad.yaml", []byte("schema: sdkaudit-declaration/1\nsdks:\n  - id: not-a-rule\n"))
	_, stderr, code := runCLI(t, "policy", "check", bad)
	if code != ExitInput || !strings.Contains(stderr, "bad.yaml:3") {
		t.Fatalf("bad declaration: exit %d %q", code, stderr)
	}
}

func TestPolicyBadDocuments(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"empty.txt":  nil,
		"image.html": []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
		"doc.pdf":    []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
	} {
		f := writeFile(t, dir, name, data)
		_, stderr, code := runCLI(t, "policy", "extract", f)
		if code != ExitInput || !strings.Contains(stderr, name) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr)
		}
	}
	f := writeFile(t, dir, "nothing.txt", []byte("Lorem ipsum dolor sit amet.\n"))
	_, stderr, code := runCLI(t, "policy", "extract", f)
	if code != ExitOK || !strings.Contains(stderr, "warning: nothing was recognised") {
		t.Errorf("nothing recognised: exit %d %q", code, stderr)
	}
}

// policy extract --explain prints each item with where it came from and
// the reading that made it count, instead of the declaration.
func TestPolicyExtractExplain(t *testing.T) {
	out, stderr, code := runCLI(t, "policy", "extract", "--explain", policyFixture("maimai-like-policy.txt"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Permissions (", "SDKs (", "Denials (", "[access-word]", "maimai-like-policy.txt:"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q", want)
		}
	}
	if strings.Contains(out, "schema:") {
		t.Error("explain printed the declaration file")
	}
}
