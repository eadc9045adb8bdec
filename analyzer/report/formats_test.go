package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
)

func sampleResult() *audit.Result {
	app := &inventory.Inventory{File: "build/app.apk", SHA256: strings.Repeat("ab", 32), Status: "complete",
		Manifest: &manifest.Manifest{Package: "com.example", VersionName: &manifest.Value{Value: "1.2"}, VersionCode: &manifest.Value{Value: "12"}}}
	return &audit.Result{
		App: app, Declaration: &policy.Declaration{}, RulesVersion: "2026.11.28-1 (sha256:000000000000)",
		Findings: []audit.Finding{
			{Rule: "SA1001", Kind: "undeclared-sdk", Severity: "high", Subject: audit.Subject{SDK: &audit.SDKRef{ID: "bugly", Name: "Tencent Bugly", Vendor: "tencent"}},
				Message: "Bugly | *undeclared* <b>", MessageZH: "未披露", Fingerprint: "0123456789abcdef", AppEvidence: []string{"dex"}, PolicyEvidence: []string{}},
			{Rule: "SA2001", Kind: "undeclared-permission", Severity: "medium", Subject: audit.Subject{Permission: "android.permission.QUERY_ALL_PACKAGES"},
				Message: "QAP", Fingerprint: "1123456789abcdef", AppEvidence: []string{}, PolicyEvidence: []string{}},
			{Rule: "SA1001", Kind: "undeclared-sdk", Severity: "high", Subject: audit.Subject{SDK: &audit.SDKRef{ID: "pangle-csj", Name: "Pangle", Vendor: "ocean-engine"}},
				Message: "Pangle", Fingerprint: "2123456789abcdef", Suppressed: true, SuppressedBy: "disabled in this build", AppEvidence: []string{}, PolicyEvidence: []string{}},
		},
		SDKs: []audit.SDKStatus{
			{Detection: detect.Detection{ID: "bugly", Name: "Tencent Bugly", Vendor: "tencent", Category: "crash", Kind: "sdk", Confidence: "high"}, VendorNames: []string{"深圳市腾讯计算机系统有限公司"}, Data: []string{"android-id"}},
			{Detection: detect.Detection{ID: "androidx", Name: "AndroidX", Vendor: "google", Category: "ui", Kind: "library", Confidence: "medium", Version: "1.9.0", VersionSource: "META-INF/androidx.core_core.version"}, Declared: false},
		},
		Incomplete: []string{}, Warnings: []string{},
	}
}

func encode(t *testing.T, e AuditEncoder, r *audit.Result) string {
	t.Helper()
	var a, b bytes.Buffer
	if err := e.Encode(&a, r, AuditOptions{ToolVersion: "test", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	e.Encode(&b, r, AuditOptions{ToolVersion: "test", Lang: "en"})
	if a.String() != b.String() {
		t.Fatalf("%s output differs between two encodes", e.Name())
	}
	return a.String()
}

func TestSARIFValidates(t *testing.T) {
	out := encode(t, sarifEncoder{}, sampleResult())
	rep, err := sarif.FromBytes([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Validate(); err != nil {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v", err)
	}
	var raw struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []struct {
				RuleID              string
				Level               string
				PartialFingerprints map[string]string
				Suppressions        []struct{ Justification string }
			}
		}
	}
	json.Unmarshal([]byte(out), &raw)
	run := raw.Runs[0]
	if len(run.Tool.Driver.Rules) != len(audit.Checks) {
		t.Errorf("want a rule per check, got %d", len(run.Tool.Driver.Rules))
	}
	if run.Results[0].Level != "error" || run.Results[1].Level != "warning" {
		t.Errorf("levels: %+v", run.Results)
	}
	if run.Results[0].PartialFingerprints["sdkaudit/v1"] != "0123456789abcdef" {
		t.Errorf("fingerprint lost")
	}
	if len(run.Results[2].Suppressions) != 1 || run.Results[2].Suppressions[0].Justification != "disabled in this build" {
		t.Errorf("suppression lost: %+v", run.Results[2])
	}
}

func TestCycloneDX(t *testing.T) {
	out := encode(t, cyclonedxEncoder{}, sampleResult())
	var bom struct {
		BOMFormat, SpecVersion, SerialNumber string
		Metadata                             struct{ Component struct{ Name string } }
		Components                           []struct {
			Name, Version, PURL string
			Properties          []struct{ Name, Value string }
		}
	}
	if err := json.Unmarshal([]byte(out), &bom); err != nil {
		t.Fatal(err)
	}
	if bom.BOMFormat != "CycloneDX" || bom.SpecVersion != "1.6" || bom.Metadata.Component.Name != "com.example" || !strings.HasPrefix(bom.SerialNumber, "urn:uuid:") {
		t.Fatalf("header: %+v", bom)
	}
	if len(bom.Components) != 2 || bom.Components[1].PURL != "pkg:maven/androidx.core/core@1.9.0" {
		t.Fatalf("components: %+v", bom.Components)
	}
	found := false
	for _, p := range bom.Components[0].Properties {
		found = found || (p.Name == "sdkaudit:declared" && p.Value == "false")
	}
	if !found {
		t.Errorf("sdkaudit:declared missing")
	}
}

func TestMarkdownEscapesPolicyAndAppText(t *testing.T) {
	out := encode(t, markdownEncoder{}, sampleResult())
	if strings.Contains(out, "<b>") || strings.Contains(out, "| *undeclared*") {
		t.Errorf("unescaped text from the app reached the Markdown:\n%s", out)
	}
	if !strings.Contains(out, "Draft rows") || !strings.Contains(out, "深圳市腾讯计算机系统有限公司") {
		t.Errorf("draft SDK row missing:\n%s", out)
	}
}

// A Chinese table report says its summary, severities and headers in
// Chinese too.
func TestAuditTableChinese(t *testing.T) {
	var buf bytes.Buffer
	if err := (auditTableEncoder{}).Encode(&buf, sarifTestResult(), AuditOptions{Lang: "zh"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"发现：", "规则", "说明"} {
		if !strings.Contains(out, want) {
			t.Errorf("Chinese table lacks %q:\n%s", want, out)
		}
	}
	for _, not := range []string{"findings:", "\nHIGH\n", "message"} {
		if strings.Contains(out, not) {
			t.Errorf("Chinese table still says %q", not)
		}
	}
}
