package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

func runCLIIn(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = runWith(args, stdin, &o, &e)
	checkOutputSchema(t, args, o.String())
	return o.String(), e.String(), code
}

// "-" reads the app or a policy from standard input, with the caps files
// have.
func TestStdinInputs(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	apk, err := os.ReadFile(app)
	if err != nil {
		t.Fatal(err)
	}
	policy, err := os.ReadFile(pol)
	if err != nil {
		t.Fatal(err)
	}
	fromFile, _, _ := runCLI(t, "audit", app, "--policy", pol, "--format", "json", "--fail-on", "none")
	fromStdin, stderr, code := runCLIIn(t, bytes.NewReader(apk), "audit", "-", "--policy", pol, "--format", "json", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("audit -: exit %d: %s", code, stderr)
	}
	if strings.ReplaceAll(fromFile, app, "-") != fromStdin {
		t.Error("the app from standard input gives another report than the file")
	}
	policyIn, stderr, code := runCLIIn(t, bytes.NewReader(policy), "audit", app, "--policy", "-", "--format", "json", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("--policy -: exit %d: %s", code, stderr)
	}
	if strings.ReplaceAll(fromFile, pol, "-") != policyIn {
		t.Error("the policy from standard input gives another report than the file")
	}
	if out, stderr, code := runCLIIn(t, bytes.NewReader(policy), "policy", "extract", "-"); code != ExitOK || !strings.Contains(out, "permissions:") {
		t.Errorf("policy extract -: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runCLIIn(t, bytes.NewReader(apk), "scan", "--no-code", "-"); code != ExitOK {
		t.Errorf("scan -: exit %d: %s", code, stderr)
	}
	// The policy cap holds for standard input, counted while reading.
	huge := io.LimitReader(repeatByte('a'), 33<<20)
	if _, stderr, code := runCLIIn(t, huge, "policy", "extract", "-"); code != ExitInput || !strings.Contains(stderr, "standard input") {
		t.Errorf("a 33 MiB policy on standard input: exit %d: %q", code, stderr)
	}
	// Standard input can be read once.
	if _, stderr, code := runCLIIn(t, bytes.NewReader(apk), "audit", "-", "--policy", "-"); code != ExitInput || !strings.Contains(stderr, "only once") {
		t.Errorf("- twice: exit %d: %q", code, stderr)
	}
}

type repeatByte byte

func (r repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// --quiet leaves standard error to errors.
func TestQuiet(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	args := []string{"audit", app, "--policy", policyFixture("maimai-like-declaration.yaml"), "--waivers", policyFixture("waivers.yaml"), "--fail-on", "none"}
	_, stderr, _ := runCLI(t, args...)
	if !strings.Contains(stderr, "warning") {
		t.Fatalf("the fixture gives no warning to silence: %q", stderr)
	}
	if _, stderr, code := runCLI(t, append(args, "--quiet")...); code != ExitOK || stderr != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, _ := runCLI(t, "-q", "audit", "missing.apk", "--policy", policyFixture("maimai-like-policy.txt")); !strings.Contains(stderr, "missing.apk") {
		t.Errorf("-q silenced an error: %q", stderr)
	}
}

// Shell completion offers each command's formats, the languages, the
// thresholds and rule ids.
func TestCompletionValues(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		want, not []string
	}{
		{[]string{"__complete", "audit", "app.apk", "--format", ""}, []string{"sarif", "html", "cyclonedx"}, nil},
		{[]string{"__complete", "scan", "--format", ""}, []string{"json", "jsonl"}, []string{"sarif"}},
		{[]string{"__complete", "policy", "extract", "--format", ""}, []string{"yaml", "json"}, []string{"table"}},
		{[]string{"__complete", "audit", "--lang", ""}, []string{"en", "zh"}, nil},
		{[]string{"__complete", "diff", "--fail-on", ""}, []string{"high", "medium", "low", "none"}, nil},
		{[]string{"__complete", "rules", "list", "--kind", ""}, []string{"sdk", "library"}, nil},
		{[]string{"__complete", "rules", "show", "getui"}, []string{"getui-push", "telephony-get-device-id", "android.permission.READ_PHONE_STATE"}, nil},
		{[]string{"__complete", "explain", ""}, []string{"SA1001", "undeclared-sdk"}, nil},
	} {
		out, stderr, code := runCLI(t, tc.args...)
		if code != ExitOK {
			t.Errorf("%v: exit %d: %s", tc.args, code, stderr)
			continue
		}
		lines := strings.Split(out, "\n")
		has := func(s string) bool {
			for _, l := range lines {
				if l == s || strings.HasPrefix(l, s+"\t") {
					return true
				}
			}
			return false
		}
		for _, w := range tc.want {
			if !has(w) {
				t.Errorf("%v: no %q in %q", tc.args, w, out)
			}
		}
		for _, n := range tc.not {
			if has(n) {
				t.Errorf("%v: offers %q", tc.args, n)
			}
		}
	}
}

// rules show shows the data-access API ids reports cite.
func TestRulesShowAPI(t *testing.T) {
	out, stderr, code := runCLI(t, "rules", "show", "telephony-get-device-id")
	if code != ExitOK || !strings.Contains(out, "getDeviceId") {
		t.Errorf("rules show of an API id: exit %d: %s %s", code, out, stderr)
	}
}

// Table reports fit COLUMNS (or the terminal); the diff header lists
// changes in words, not as a Go slice.
func TestTablesHonourTerminalWidth(t *testing.T) {
	t.Setenv("COLUMNS", "80")
	app := fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	for _, args := range [][]string{
		{"audit", app, "--policy", pol, "--fail-on", "none"},
		{"audit", app, "--policy", pol, "--fail-on", "none", "--lang", "zh"},
		{"scan", app},
		{"diff", fixture(t, "full.apk"), app, "--policy", pol, "--fail-on", "none"},
	} {
		out, stderr, code := runCLI(t, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		for i, line := range strings.Split(out, "\n") {
			if w := runewidth.StringWidth(line); w > 80 {
				t.Errorf("%v: line %d is %d columns wide: %.120q", args[:1], i+1, w, line)
				break
			}
		}
		if args[0] == "diff" && strings.Contains(out, "+[") {
			t.Errorf("diff header is a Go slice: %.300s", out)
		}
	}
}

// A policy that defines its operator: `policy extract --format json` lists
// it under operators (valid against docs/policy-extract.schema.json), the
// declaration file keeps it under operators:, and `policy check` accepts it.
func TestPolicyExtractOperators(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "policy.txt")
	text := "本指引由深圳市腾讯计算机系统有限公司（以下简称“腾讯”或“我们”）制定。\n我们使用腾讯Bugly收集崩溃日志。\n"
	if err := os.WriteFile(pol, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI(t, "policy", "extract", "--format", "json", pol)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Operators []struct {
			ID   string   `json:"id"`
			SDKs []string `json:"sdks"`
		} `json:"operators"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Operators) != 1 || doc.Operators[0].ID != "tencent" || !slices.Contains(doc.Operators[0].SDKs, "bugly") {
		t.Fatalf("operators %+v, want tencent with bugly", doc.Operators)
	}
	decl, stderr, code := runCLI(t, "policy", "extract", pol)
	if code != ExitOK || !strings.Contains(decl, "operators:\n  - tencent") {
		t.Fatalf("exit %d, declaration file without operators:\n%s%s", code, decl, stderr)
	}
	file := filepath.Join(dir, "decl.yaml")
	if err := os.WriteFile(file, []byte(decl), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, "policy", "check", file); code != ExitOK {
		t.Fatalf("policy check of the extracted declaration: exit %d: %s", code, stderr)
	}
}
