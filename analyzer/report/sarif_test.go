package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
)

// sarifTestResult is a small audit by hand: one app, two SDKs, three
// findings of which the last is waived. cyclonedx_test.go uses it too.
func sarifTestResult() *audit.Result {
	app := &inventory.Inventory{
		File: "out/release app.apk", SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Size: 4096, Status: "complete",
		Manifest: &manifest.Manifest{Package: "com.example.shop", VersionName: &manifest.Value{Value: "5.2.0"}, VersionCode: &manifest.Value{Value: "520"}},
	}
	return &audit.Result{
		App: app, Declaration: &policy.Declaration{}, RulesVersion: "2026.11.28-1 (sha256:0123456789ab)",
		Findings: []audit.Finding{
			{
				Rule: "SA1001", Kind: "undeclared-sdk", Severity: audit.SeverityHigh,
				Subject: audit.Subject{SDK: &audit.SDKRef{ID: "getui-push", Name: "Getui Push", Vendor: "getui", Category: "push"}},
				Message: "Getui Push is embedded but not disclosed", MessageZH: "个推推送SDK未在隐私政策中披露",
				AppEvidence: []string{"dex: com/igexin/"}, PolicyEvidence: []string{},
				Fix: "Add a row for Getui Push", FixZH: "在SDK清单中补充个推",
				Fingerprint: "a1b2c3d4e5f60718",
			},
			{
				Rule: "SA2001", Kind: "undeclared-permission", Severity: audit.SeverityMedium,
				Subject: audit.Subject{Permission: "android.permission.QUERY_ALL_PACKAGES"},
				Message: "QUERY_ALL_PACKAGES is requested but not disclosed", MessageZH: "申请了QUERY_ALL_PACKAGES但未说明",
				AppEvidence: []string{"manifest: uses-permission"}, PolicyEvidence: nil,
				AttributedTo: []string{"getui-push", "app"},
				Fix:          "Disclose the app list access", Fingerprint: "b1b2c3d4e5f60718",
			},
			{
				Rule: "SA1003", Kind: "stale-sdk-declaration", Severity: audit.SeverityLow,
				Subject: audit.Subject{SDK: &audit.SDKRef{ID: "umeng-analytics", Name: "Umeng Analytics", Vendor: "umeng"}},
				Message: "Umeng Analytics is declared but not found", MessageZH: "政策声明了友盟统计但应用中未发现",
				AppEvidence: []string{}, PolicyEvidence: []string{"policy.html: SDK table row 3"},
				Fingerprint: "c1b2c3d4e5f60718", Suppressed: true, SuppressedBy: "iOS build only",
			},
		},
		SDKs: []audit.SDKStatus{
			{
				Detection: detect.Detection{ID: "getui-push", Name: "Getui Push", Vendor: "getui", Category: "push", Kind: "sdk", Confidence: "high",
					Evidence: []detect.Evidence{{Kind: "dex-prefix", Signature: "com.igexin", Where: "classes2.dex", Classes: 40}, {Kind: "component", Signature: "com.igexin.sdk.PushService", Where: "service com.igexin.sdk.PushService"}}},
				Declared: false, VendorNames: []string{"每日互动股份有限公司"}, Data: []string{"device-id", "installed-apps"},
			},
			{
				Detection: detect.Detection{ID: "androidx-core", Name: "AndroidX Core", Vendor: "google", Category: "framework", Kind: "library", Confidence: "high",
					Version: "1.13.1", VersionSource: "META-INF/androidx.core_core.version", Evidence: []detect.Evidence{}},
				Declared: true, DeclaredHow: "name",
			},
		},
		Incomplete: []string{}, Warnings: []string{},
	}
}

// sarifEncodeTwice encodes r twice and fails unless the bytes agree.
func sarifEncodeTwice(t *testing.T, e AuditEncoder, r *audit.Result, opts AuditOptions) []byte {
	t.Helper()
	var a, b bytes.Buffer
	if err := e.Encode(&a, r, opts); err != nil {
		t.Fatalf("%s: %v", e.Name(), err)
	}
	if err := e.Encode(&b, r, opts); err != nil {
		t.Fatalf("%s: %v", e.Name(), err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("%s output differs between two encodes", e.Name())
	}
	return a.Bytes()
}

// sarifSchema compiles the OASIS SARIF 2.1.0 schema (errata01, the text
// go-sarif embeds) from testdata, with format assertions on, so the bytes
// we write are validated as written. go-sarif's own Validate checks the
// log after decoding it into its structs, which drops unknown keys.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(sarifSchemaURI, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(sarifSchemaURI)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sarifValidate(t *testing.T, s *jsonschema.Schema, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate against the 2.1.0 schema: %v\n%s", err, out)
	}
	rep, err := sarif.FromBytes(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := rep.Validate(); err != nil {
		t.Fatalf("go-sarif: %v", err)
	}
}

func TestSARIFMatchesOASISSchema(t *testing.T) {
	s := sarifSchema(t)
	odd := sarifTestResult()
	odd.App.File = `C:\builds\app 1.apk`
	odd.App.SHA256 = ""
	odd.Warnings = []string{"waiver SA1003/umeng-analytics expired on 2026-01-01"}
	odd.Findings = append(odd.Findings,
		audit.Finding{Rule: "SA9999", Kind: "future-check", Severity: audit.SeverityInfo, Message: "from a newer rule set"},
		audit.Finding{Rule: "SA3001", Kind: "unresolved-third-party", Severity: audit.SeverityInfo, Subject: audit.Subject{ThirdParty: "某某科技"}, Message: "unknown"},
	)
	for name, tc := range map[string]struct {
		r    *audit.Result
		lang string
	}{
		"en": {sarifTestResult(), "en"}, "zh": {sarifTestResult(), "zh"}, "odd inputs": {odd, "en"},
		"no findings": {&audit.Result{App: sarifTestResult().App, Findings: []audit.Finding{}}, "en"},
	} {
		t.Run(name, func(t *testing.T) {
			sarifValidate(t, s, sarifEncodeTwice(t, sarifEncoder{}, tc.r, AuditOptions{ToolVersion: "1.0.0-test", Lang: tc.lang}))
		})
	}
}

// The schema check must be able to fail: on a key SARIF does not define
// (which go-sarif's round trip would silently drop), a level outside the
// enum, and a Windows path for a URI. (The validator's uri-reference check
// is lenient, spaces pass it, so TestSARIFURI covers escaping.)
func TestSARIFSchemaRejectsMistakes(t *testing.T) {
	s := sarifSchema(t)
	out := sarifEncodeTwice(t, sarifEncoder{}, sarifTestResult(), AuditOptions{ToolVersion: "1.0.0-test"})
	for _, m := range []struct{ from, to string }{
		{`"partialFingerprints"`, `"partialFingerprint"`},
		{`"level": "error"`, `"level": "critical"`},
		{`"uri": "out/release%20app.apk"`, `"uri": "out\\release%20app.apk"`},
	} {
		bad := bytes.Replace(out, []byte(m.from), []byte(m.to), 1)
		if bytes.Equal(bad, out) {
			t.Fatalf("%s not in the output", m.from)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if s.Validate(inst) == nil {
			t.Errorf("schema accepted %s", m.to)
		}
	}
}

// sarifDoc is the part of the log the tests read back.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, Version, Language, InformationURI string
				Rules                                   []struct {
					ID, Name                                string
					ShortDescription, FullDescription, Help struct{ Text string }
					DefaultConfiguration                    struct{ Level string }
					HelpURI                                 string
					Properties                              struct {
						Tags             []string
						TitleZH          string `json:"title_zh"`
						SecuritySeverity string `json:"security-severity"`
					}
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful            bool
			ToolConfigurationNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
		}
		Language  string
		Artifacts []struct {
			Location struct{ URI string }
			Hashes   map[string]string
		}
		Results []struct {
			RuleID    string
			RuleIndex *int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				LogicalLocations []struct{ Name, FullyQualifiedName, Kind string }
			}
			PartialFingerprints map[string]string
			Suppressions        []struct{ Kind, Status, Justification string }
			Properties          map[string]any
		}
		Properties map[string]string
	}
}

func sarifDecode(t *testing.T, out []byte) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("want one run, got %d", len(doc.Runs))
	}
	return doc
}

func TestSARIFRules(t *testing.T) {
	doc := sarifDecode(t, sarifEncodeTwice(t, sarifEncoder{}, sarifTestResult(), AuditOptions{ToolVersion: "1.0.0-test"}))
	if doc.Version != "2.1.0" || doc.Schema != sarifSchemaURI {
		t.Errorf("header: %q %q", doc.Version, doc.Schema)
	}
	d := doc.Runs[0].Tool.Driver
	if d.Name != "sdkaudit" || d.Version != "1.0.0-test" || d.InformationURI != "" {
		t.Errorf("driver: %+v", d)
	}
	if len(d.Rules) != len(audit.Checks) {
		t.Fatalf("want a rule per check (%d), got %d", len(audit.Checks), len(d.Rules))
	}
	want := map[audit.Severity]string{audit.SeverityHigh: "error", audit.SeverityMedium: "warning", audit.SeverityLow: "note", audit.SeverityInfo: "note"}
	for i, c := range audit.Checks {
		r := d.Rules[i]
		if r.ID != c.ID || r.Name != string(c.Kind) || r.ShortDescription.Text != c.Title {
			t.Errorf("rule %d: %s/%s/%q, want %s/%s/%q", i, r.ID, r.Name, r.ShortDescription.Text, c.ID, c.Kind, c.Title)
		}
		if r.DefaultConfiguration.Level != want[c.DefaultSeverity] {
			t.Errorf("%s: level %q for default severity %s", c.ID, r.DefaultConfiguration.Level, c.DefaultSeverity)
		}
		// The help is the explain text, with the source's line breaks folded.
		if r.Help.Text != strings.Join(strings.Fields(c.Help()), " ") || r.FullDescription.Text != r.Help.Text {
			t.Errorf("%s: help is not the check's Help()", c.ID)
		}
		// The goldens leave the rule list out (it is the registry): the
		// rest of each rule is held here.
		if !slices.Equal(r.Properties.Tags, []string{"privacy", string(c.Kind)}) || r.Properties.TitleZH != c.TitleZH || r.Properties.SecuritySeverity != securitySeverity(c.DefaultSeverity) || r.HelpURI != "" {
			t.Errorf("%s: properties %+v, helpUri %q", c.ID, r.Properties, r.HelpURI)
		}
	}
	linked := sarifDecode(t, sarifEncodeTwice(t, sarifEncoder{}, sarifTestResult(), AuditOptions{DocsBase: "https://example.invalid/findings.md"}))
	if u := linked.Runs[0].Tool.Driver.Rules[0].HelpURI; u != "https://example.invalid/findings.md#sa1001-undeclared-sdk" {
		t.Errorf("helpUri %q", u)
	}
	if p := doc.Runs[0].Properties; p["rules_version"] != "2026.11.28-1 (sha256:0123456789ab)" {
		t.Errorf("run properties: %v", p)
	}
}

func TestSARIFResults(t *testing.T) {
	r := sarifTestResult()
	doc := sarifDecode(t, sarifEncodeTwice(t, sarifEncoder{}, r, AuditOptions{ToolVersion: "1.0.0-test"}))
	run := doc.Runs[0]
	if len(run.Artifacts) != 1 || run.Artifacts[0].Location.URI != "out/release%20app.apk" || run.Artifacts[0].Hashes["sha-256"] != r.App.SHA256 {
		t.Errorf("artifacts: %+v", run.Artifacts)
	}
	if len(run.Invocations) != 0 {
		t.Errorf("invocations without warnings: %+v", run.Invocations)
	}
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("want a result per finding, got %d", len(run.Results))
	}
	rules := run.Tool.Driver.Rules
	for i, f := range r.Findings {
		res := run.Results[i]
		if res.RuleID != f.Rule || res.RuleIndex == nil || rules[*res.RuleIndex].ID != f.Rule {
			t.Errorf("result %d: ruleId %s, ruleIndex %v", i, res.RuleID, res.RuleIndex)
		}
		if res.Message.Text != f.Message {
			t.Errorf("result %d: message %q", i, res.Message.Text)
		}
		if res.PartialFingerprints["sdkaudit/v1"] != f.Fingerprint {
			t.Errorf("result %d: fingerprint %v", i, res.PartialFingerprints)
		}
		if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "out/release%20app.apk" {
			t.Errorf("result %d: locations %+v", i, res.Locations)
		}
		if res.Properties["severity"] != string(f.Severity) || res.Properties["kind"] != string(f.Kind) || res.Properties["subject"] != f.Subject.Key() {
			t.Errorf("result %d: properties %v", i, res.Properties)
		}
		for _, key := range []string{"appEvidence", "policyEvidence"} {
			if _, ok := res.Properties[key].([]any); !ok {
				t.Errorf("result %d: %s is %v, want a list", i, key, res.Properties[key])
			}
		}
	}
	if got := []string{run.Results[0].Level, run.Results[1].Level, run.Results[2].Level}; strings.Join(got, ",") != "error,warning,note" {
		t.Errorf("levels %v, want error,warning,note", got)
	}
	if l := run.Results[0].Locations[0].LogicalLocations; len(l) != 1 || l[0].Kind != "module" || l[0].FullyQualifiedName != "sdk:getui-push" || l[0].Name != "Getui Push" {
		t.Errorf("SDK logical location: %+v", l)
	}
	if l := run.Results[1].Locations[0].LogicalLocations; len(l) != 1 || l[0].Kind != "resource" || l[0].Name != "android.permission.QUERY_ALL_PACKAGES" {
		t.Errorf("permission logical location: %+v", l)
	}
	if a, _ := run.Results[1].Properties["attributedTo"].([]any); len(a) != 2 || a[0] != "getui-push" {
		t.Errorf("attributedTo: %v", run.Results[1].Properties["attributedTo"])
	}
	if run.Results[0].Properties["fix"] != "Add a row for Getui Push" {
		t.Errorf("fix: %v", run.Results[0].Properties["fix"])
	}
	for i := 0; i < 2; i++ {
		if len(run.Results[i].Suppressions) != 0 {
			t.Errorf("result %d suppressed: %+v", i, run.Results[i].Suppressions)
		}
	}
	if s := run.Results[2].Suppressions; len(s) != 1 || s[0].Kind != "external" || s[0].Justification != "iOS build only" {
		t.Errorf("suppression: %+v", s)
	}
}

func TestSARIFChinese(t *testing.T) {
	r := sarifTestResult()
	doc := sarifDecode(t, sarifEncodeTwice(t, sarifEncoder{}, r, AuditOptions{ToolVersion: "1.0.0-test", Lang: "zh"}))
	run := doc.Runs[0]
	if run.Language != "zh-CN" || run.Tool.Driver.Language != "en-US" {
		t.Errorf("languages: run %q, driver %q (rule texts stay English)", run.Language, run.Tool.Driver.Language)
	}
	for i, f := range r.Findings {
		if run.Results[i].Message.Text != f.MessageZH {
			t.Errorf("result %d: %q, want %q", i, run.Results[i].Message.Text, f.MessageZH)
		}
	}
	// No Chinese fix: the English one stands in.
	if run.Results[1].Properties["fix"] != "Disclose the app list access" || run.Results[0].Properties["fix"] != "在SDK清单中补充个推" {
		t.Errorf("fix: %v / %v", run.Results[0].Properties["fix"], run.Results[1].Properties["fix"])
	}
}

func TestSARIFEdges(t *testing.T) {
	r := sarifTestResult()
	r.Warnings = []string{"waiver SA1003/umeng-analytics expired on 2026-01-01"}
	r.Findings = append(r.Findings, audit.Finding{Rule: "SA9999", Kind: "future-check", Severity: "info", Message: "from a newer rule set"})
	doc := sarifDecode(t, sarifEncodeTwice(t, sarifEncoder{}, r, AuditOptions{}))
	run := doc.Runs[0]
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful || len(run.Invocations[0].ToolConfigurationNotifications) != 1 ||
		run.Invocations[0].ToolConfigurationNotifications[0].Message.Text != r.Warnings[0] {
		t.Errorf("warnings: %+v", run.Invocations)
	}
	last := run.Results[len(run.Results)-1]
	if last.RuleID != "SA9999" || last.RuleIndex != nil || last.PartialFingerprints != nil || last.Locations[0].LogicalLocations != nil {
		t.Errorf("a finding of an unknown rule: %+v", last)
	}
}

func TestSARIFURI(t *testing.T) {
	for in, want := range map[string]string{
		"app.apk":                            "app.apk",
		"../../fixtures/apk/maimai-like.apk": "../../fixtures/apk/maimai-like.apk",
		"/srv/builds/app.apk":                "/srv/builds/app.apk",
		`build\outputs\app.apk`:              "build/outputs/app.apk",
		`C:\builds\app.apk`:                  "file:///C:/builds/app.apk",
		"out/release app#1?.apk":             "out/release%20app%231%3F.apk",
		"应用.apk":                             "%E5%BA%94%E7%94%A8.apk",
		"v1:2.apk":                           "./v1:2.apk",
	} {
		if got := sarifURI(in); got != want {
			t.Errorf("sarifURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// Each run of a batch log has its own automation id, and every rule a
// security-severity, as code scanning services require to take the log.
func TestSARIFAutomationAndSeverity(t *testing.T) {
	a, b := sarifTestResult(), sarifTestResult()
	b.App.Package = "com.example.other"
	var buf bytes.Buffer
	if err := (sarifEncoder{}).EncodeBatch(&buf, []*audit.Result{a, b}, AuditOptions{ToolVersion: "1.0.0-test"}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			AutomationDetails struct {
				ID string `json:"id"`
			} `json:"automationDetails"`
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string         `json:"id"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 2 || log.Runs[0].AutomationDetails.ID == "" || log.Runs[0].AutomationDetails.ID == log.Runs[1].AutomationDetails.ID {
		t.Fatalf("automation ids: %+v", log.Runs)
	}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if _, ok := r.Properties["security-severity"]; !ok {
			t.Errorf("rule %s has no security-severity", r.ID)
		}
	}
}
