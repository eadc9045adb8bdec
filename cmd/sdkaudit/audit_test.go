package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func policyFixture(name string) string {
	return filepath.Join("..", "..", "fixtures", "policies", name)
}

// Each format's sample under docs/examples is produced here and compared,
// so the samples in the documentation never go stale (-update refreshes).
func TestAuditExamples(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	for _, tc := range []struct{ format, file, lang string }{
		{"markdown", "audit.zh.md", "zh"},
		{"html", "audit.zh.html", "zh"},
		{"table", "audit-table.txt", ""},
		{"markdown", "audit.md", ""},
		{"html", "audit.html", ""},
		{"json", "audit.json", ""},
		{"sarif", "audit.sarif", ""},
		{"cyclonedx", "audit.cdx.json", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			lang := tc.lang
			if lang == "" {
				lang = "en"
			}
			out, stderr, code := runCLI(t, "audit", app, "--policy", pol, "--format", tc.format, "--lang", lang)
			if code != ExitFindings {
				t.Fatalf("exit %d, want %d (high findings stand): %s", code, ExitFindings, stderr)
			}
			again, _, _ := runCLI(t, "audit", app, "--policy", pol, "--format", tc.format, "--lang", lang)
			if out != again {
				t.Fatal("output differs between two runs")
			}
			compareGolden(t, filepath.Join("..", "..", "docs", "examples", tc.file), out)
		})
	}
}

func TestAuditMarkdownChinese(t *testing.T) {
	out, _, _ := runCLI(t, "audit", fixture(t, "maimai-like.apk"), "--policy", policyFixture("maimai-like-policy.txt"), "--format", "markdown", "--lang", "zh")
	for _, want := range []string{"# 隐私合规审计", "第三方SDK目录补充建议", "友盟", "穿山甲广告SDK `pangle-csj`"} {
		if !strings.Contains(out, want) {
			t.Errorf("Chinese Markdown lacks %q", want)
		}
	}
}

func TestAuditJSONSchemaAndContent(t *testing.T) {
	out, _, _ := runCLI(t, "audit", fixture(t, "maimai-like.apk"), "--policy", policyFixture("maimai-like-policy.txt"), "--format", "json")
	c := jsonschema.NewCompiler()
	s, err := c.Compile(filepath.Join("..", "..", "docs", "audit-report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("audit JSON does not match its schema: %v", err)
	}
	var doc struct {
		Findings []struct {
			Kind    string
			Subject struct {
				SDK        *struct{ ID string }
				Permission string
			}
		}
	}
	json.Unmarshal(oneAudit(t, out), &doc)
	got := map[string]bool{}
	for _, f := range doc.Findings {
		if f.Subject.SDK != nil {
			got[f.Kind+" "+f.Subject.SDK.ID] = true
		} else {
			got[f.Kind+" "+f.Subject.Permission] = true
		}
	}
	// The demo policy leaves out exactly these (see fixtures/src/maimai-like/EXPECTED-SDKS.md).
	for _, want := range []string{"undeclared-sdk umeng-analytics", "undeclared-sdk bugly", "undeclared-sdk gdt-ylh", "undeclared-sdk pangle-csj",
		"undeclared-permission android.permission.READ_CALENDAR", "undeclared-permission android.permission.QUERY_ALL_PACKAGES"} {
		if !got[want] {
			t.Errorf("missing finding %s", want)
		}
	}
	for _, not := range []string{"undeclared-sdk getui-push", "undeclared-sdk huawei-push", "undeclared-sdk okhttp", "undeclared-sdk gson",
		"undeclared-sdk talkingdata-app-analytics", "undeclared-permission android.permission.CAMERA", "undeclared-permission android.permission.RECORD_AUDIO"} {
		if got[not] {
			t.Errorf("unexpected finding %s", not)
		}
	}
}

func TestAuditExitCodes(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"audit", app, "--policy", pol, "--fail-on", "none"}, ExitOK},
		{[]string{"audit", app, "--policy", pol}, ExitFindings},
		{[]string{"audit", app, "--policy", pol, "--fail-on", "low"}, ExitFindings},
		{[]string{"audit", app}, ExitInput},
		{[]string{"audit", app, "--policy", pol, "--fail-on", "severe"}, ExitInput},
		{[]string{"audit", app, "--policy", filepath.Join(dir, "missing.txt")}, ExitInput},
		{[]string{"audit", filepath.Join(dir, "missing.apk"), "--policy", pol}, ExitInput},
		{[]string{"audit", app, "--policy", pol, "--waivers", writeFile(t, dir, "bad.yaml", []byte("waivers:\n  - rule: SA1001\n"))}, ExitInput},
		{[]string{"audit", brokenDexAPK(t, dir), "--policy", pol, "--fail-on", "none", "--fail-on-incomplete"}, ExitIncomplete},
	} {
		_, stderr, code := runCLI(t, tc.args...)
		if code != tc.want {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args[1:], code, tc.want, stderr)
		}
	}
}

func TestAuditDeclarationAndWaivers(t *testing.T) {
	out, stderr, code := runCLI(t, "audit", fixture(t, "maimai-like.apk"), "--policy", policyFixture("maimai-like-declaration.yaml"),
		"--waivers", policyFixture("waivers.yaml"), "--format", "json", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "expired on 2020-01-01") || !strings.Contains(stderr, "matches no finding") {
		t.Errorf("waiver warnings missing: %q", stderr)
	}
	var doc struct {
		Findings []struct {
			Kind         string
			SuppressedBy string `json:"suppressed_by"`
			Suppressed   bool
			Subject      struct{ SDK *struct{ ID string } }
		}
	}
	json.Unmarshal(oneAudit(t, out), &doc)
	waived := 0
	for _, f := range doc.Findings {
		if f.Suppressed {
			waived++
			if f.Subject.SDK == nil || f.Subject.SDK.ID != "pangle-csj" {
				t.Errorf("wrong finding waived: %+v", f)
			}
		}
	}
	if waived != 1 {
		t.Errorf("want 1 waived finding, got %d", waived)
	}
	if !strings.Contains(out, `"stale-sdk-declaration"`) || !strings.Contains(out, `"sdk-data-undeclared"`) {
		t.Errorf("declaration-based findings missing")
	}
}

// brokenDexAPK copies minimal.apk with an unparseable classes.dex.
func brokenDexAPK(t *testing.T, dir string) string {
	src, err := zip.OpenReader(fixture(t, "minimal.apk"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range src.File {
		fw, _ := w.Create(f.Name)
		if f.Name == "classes.dex" {
			fw.Write([]byte("dex\n035\x00 this is not a dex file"))
			continue
		}
		rc, _ := f.Open()
		io.Copy(fw, rc)
		rc.Close()
	}
	w.Close()
	return writeFile(t, dir, "broken-dex.apk", buf.Bytes())
}

func TestExplain(t *testing.T) {
	out, _, code := runCLI(t, "explain", "SA1001")
	if code != ExitOK || !strings.Contains(out, "undeclared-sdk") || !strings.Contains(out, "PIPL") {
		t.Fatalf("explain: %d %s", code, out)
	}
	out, _, _ = runCLI(t, "explain")
	if strings.Count(out, "\n") < 7 {
		t.Fatalf("explain list: %s", out)
	}
	if _, _, code := runCLI(t, "explain", "SA9999"); code != ExitInput {
		t.Fatalf("unknown rule: %d", code)
	}
}

// A diff on one jsonl line is the diff document, with its version: the
// line is validated against docs/diff-report.schema.json (runCLI).
func TestDiffJSONL(t *testing.T) {
	out, stderr, code := runCLI(t, "diff", fixture(t, "minimal.apk"), fixture(t, "maimai-like.apk"), "--format", "jsonl", "--fail-on", "none")
	if code != ExitOK || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"schema_version":"1.0"`) {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
}

func TestDiff(t *testing.T) {
	old, cur := fixture(t, "full.apk"), fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	out, stderr, code := runCLI(t, "diff", old, cur, "--policy", pol, "--format", "json")
	if code != ExitFindings {
		t.Fatalf("a new undeclared SDK must fail the gate: exit %d %s", code, stderr)
	}
	var doc struct {
		Changes struct {
			AddedSDKs       []string `json:"added_sdks"`
			RemovedSDKs     []string `json:"removed_sdks"`
			AddedDataAccess []string `json:"added_data_access"`
		}
		Findings []struct{ Kind string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// full.apk's Play services entry is only its version meta-data, a
	// trace since evidence is weighed: it is neither added nor removed.
	if !containsStr(doc.Changes.AddedSDKs, "umeng-analytics") || containsStr(doc.Changes.RemovedSDKs, "google-play-services-base") || containsStr(doc.Changes.AddedSDKs, "google-play-services-base") {
		t.Errorf("changes: %+v", doc.Changes)
	}
	// New data the code reads is a regression too (SA1004), with the same
	// rules as audit: the clipboard read is new in maimai-like.
	if !containsStr(doc.Changes.AddedDataAccess, "clipboard") {
		t.Errorf("added data access: %v", doc.Changes.AddedDataAccess)
	}
	dataFinding := false
	for _, f := range doc.Findings {
		dataFinding = dataFinding || f.Kind == "undeclared-data-access"
	}
	if !dataFinding {
		t.Errorf("diff lists no new undeclared data access: %+v", doc.Findings)
	}
	// The same build twice adds nothing: the gate passes.
	if _, stderr, code := runCLI(t, "diff", cur, cur, "--policy", pol); code != ExitOK {
		t.Errorf("identical builds: exit %d %s", code, stderr)
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs(policyFixture("maimai-like-policy.txt"))
	cfg := writeFile(t, dir, "ci.yaml", []byte("policy: ["+abs+"]\nfail_on: none\nformat: json\n"))
	out, stderr, code := runCLI(t, "--config", cfg, "audit", fixture(t, "maimai-like.apk"))
	if code != ExitOK || !strings.HasPrefix(out, "{") {
		t.Fatalf("config not applied: exit %d %s", code, stderr)
	}
	// The command line wins over the file.
	if _, _, code := runCLI(t, "--config", cfg, "audit", fixture(t, "maimai-like.apk"), "--fail-on", "high"); code != ExitFindings {
		t.Fatalf("flag did not override config: exit %d", code)
	}
	bad := writeFile(t, dir, "bad.yaml", []byte("fail_onn: high\n"))
	if _, stderr, code := runCLI(t, "--config", bad, "audit", fixture(t, "maimai-like.apk")); code != ExitInput || !strings.Contains(stderr, "fail_onn") {
		t.Fatalf("typo in config: exit %d %q", code, stderr)
	}
}

// diff reports exactly the findings of auditing NEW that auditing OLD
// against the same policy does not give, every kind, with the same rules
// as audit: here, going back from maimai-like to full, the SDKs the
// policy declares and the older build lacks (stale declarations) as well.
func TestDiffEveryKindAuditWouldAdd(t *testing.T) {
	a, b := fixture(t, "full.apk"), fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	keys := func(out string, diff bool) map[string]bool {
		var doc struct {
			Findings []struct {
				Rule    string
				Subject map[string]any
			}
		}
		raw := []byte(out)
		if !diff {
			raw = oneAudit(t, out)
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, f := range doc.Findings {
			s, _ := json.Marshal(f.Subject)
			m[f.Rule+" "+string(s)] = true
		}
		return m
	}
	for _, pair := range [][2]string{{a, b}, {b, a}} {
		oldOut, _, _ := runCLI(t, "audit", pair[0], "--policy", pol, "--format", "json", "--fail-on", "none")
		newOut, _, _ := runCLI(t, "audit", pair[1], "--policy", pol, "--format", "json", "--fail-on", "none")
		diffOut, _, _ := runCLI(t, "diff", pair[0], pair[1], "--policy", pol, "--format", "json", "--fail-on", "none")
		old, cur, got := keys(oldOut, false), keys(newOut, false), keys(diffOut, true)
		want := map[string]bool{}
		for k := range cur {
			if !old[k] {
				want[k] = true
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("diff %s %s: findings differ from audit(new) - audit(old) (-want +got):\n%s", filepath.Base(pair[0]), filepath.Base(pair[1]), diff)
		}
		if len(want) == 0 {
			t.Errorf("diff %s %s: the fixture pair adds nothing to check", pair[0], pair[1])
		}
	}
	// Going back to full.apk makes the policy's rows for SDKs it lacks stale.
	out, _, _ := runCLI(t, "diff", b, a, "--policy", pol, "--format", "json", "--fail-on", "none")
	if !strings.Contains(out, `"stale-sdk-declaration"`) {
		t.Error("diff leaves out the stale declarations the new build makes")
	}
}
