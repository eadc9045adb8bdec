package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// cdxDecode parses a BOM back with the CycloneDX library.
func cdxDecode(t *testing.T, out []byte) *cdx.BOM {
	t.Helper()
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(out), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatalf("cyclonedx-go cannot decode the BOM: %v\n%s", err, out)
	}
	return &bom
}

func cdxProps(c cdx.Component) map[string]string {
	m := map[string]string{}
	if c.Properties != nil {
		for _, p := range *c.Properties {
			m[p.Name] = p.Value
		}
	}
	return m
}

func TestCycloneDXDecodes(t *testing.T) {
	r := sarifTestResult()
	out := sarifEncodeTwice(t, cyclonedxEncoder{}, r, AuditOptions{ToolVersion: "1.0.0-test"})
	bom := cdxDecode(t, out)
	if bom.BOMFormat != cdx.BOMFormat || bom.SpecVersion != cdx.SpecVersion1_6 || bom.Version != 1 {
		t.Errorf("header: %s %s %d", bom.BOMFormat, bom.SpecVersion, bom.Version)
	}
	if !regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(bom.SerialNumber) {
		t.Errorf("serial number %q is not a version-5 style urn:uuid", bom.SerialNumber)
	}
	// Another BOM of the same APK (other rules) has another serial number;
	// the same content always the same one (sarifEncodeTwice checks that).
	r2 := sarifTestResult()
	r2.RulesVersion += "-other"
	if other := cdxDecode(t, sarifEncodeTwice(t, cyclonedxEncoder{}, r2, AuditOptions{ToolVersion: "1.0.0-test"})); other.SerialNumber == bom.SerialNumber {
		t.Errorf("two different BOMs of one APK share the serial number %s", bom.SerialNumber)
	}
	if bytes.Contains(out, []byte(`"timestamp"`)) {
		t.Error("a timestamp makes the BOM differ between runs")
	}

	m := bom.Metadata
	if m == nil || m.Component == nil {
		t.Fatal("no metadata component")
	}
	app := *m.Component
	if app.Type != cdx.ComponentTypeApplication || app.Name != "com.example.shop" || app.Version != "5.2.0" || app.BOMRef != "app:com.example.shop" {
		t.Errorf("app: %+v", app)
	}
	if app.Hashes == nil || len(*app.Hashes) != 1 || (*app.Hashes)[0].Algorithm != cdx.HashAlgoSHA256 || (*app.Hashes)[0].Value != r.App.SHA256 {
		t.Errorf("app hashes: %+v", app.Hashes)
	}
	if m.Tools == nil || m.Tools.Components == nil || len(*m.Tools.Components) != 1 ||
		(*m.Tools.Components)[0].Name != "sdkaudit" || (*m.Tools.Components)[0].Version != "1.0.0-test" {
		t.Errorf("tools: %+v", m.Tools)
	}

	if bom.Components == nil || len(*bom.Components) != len(r.SDKs) {
		t.Fatalf("want a component per SDK, got %+v", bom.Components)
	}
	getui, core := (*bom.Components)[0], (*bom.Components)[1]
	if getui.BOMRef != "sdk:getui-push" || getui.Type != cdx.ComponentTypeLibrary || getui.Name != "Getui Push" || getui.Version != "" || getui.PackageURL != "pkg:generic/getui/getui-push" {
		t.Errorf("getui: %+v", getui)
	}
	// Evidence: how it was identified and where it occurs.
	if e := getui.Evidence; e == nil || e.Identity == nil || e.Identity.Identities == nil || len(*e.Identity.Identities) != 1 ||
		(*e.Identity.Identities)[0].Field != cdx.EvidenceIdentityFieldTypePURL || (*e.Identity.Identities)[0].Methods == nil ||
		len(*(*e.Identity.Identities)[0].Methods) == 0 || e.Occurrences == nil || len(*e.Occurrences) == 0 {
		t.Errorf("getui evidence: %+v", getui.Evidence)
	}
	if getui.Supplier == nil || getui.Supplier.Name != "每日互动股份有限公司" {
		t.Errorf("getui supplier: %+v", getui.Supplier)
	}
	want := map[string]string{
		"sdkaudit:id": "getui-push", "sdkaudit:vendor": "getui", "sdkaudit:category": "push", "sdkaudit:kind": "sdk",
		"sdkaudit:confidence": "high", "sdkaudit:declared": "false", "sdkaudit:data": "device-id,installed-apps",
	}
	if got := cdxProps(getui); !equalStringMaps(got, want) {
		t.Errorf("getui properties: %v, want %v", got, want)
	}
	if core.BOMRef != "sdk:androidx-core" || core.Version != "1.13.1" || core.PackageURL != "pkg:maven/androidx.core/core@1.13.1" {
		t.Errorf("androidx core: %+v", core)
	}
	if core.Supplier == nil || core.Supplier.Name != "google" {
		t.Errorf("androidx core supplier (no legal name: the vendor id): %+v", core.Supplier)
	}
	p := cdxProps(core)
	if p["sdkaudit:declared"] != "true" || p["sdkaudit:kind"] != "library" {
		t.Errorf("androidx core properties: %v", p)
	}
	if _, ok := p["sdkaudit:data"]; ok {
		t.Errorf("sdkaudit:data without data: %v", p)
	}
}

func equalStringMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestCycloneDXSchema validates the BOM against the official CycloneDX 1.6
// JSON schema, which cyclonedx-go's module ships (schema/); it is found
// through `go list -m` in the module cache, offline, and the test skips
// when that is not possible (fails under CI, whose .ci/run downloads the
// modules).
func TestCycloneDXSchema(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		testenv.Missing(t, "no go command to locate the cyclonedx-go module")
	}
	cmd := exec.Command(goTool, "list", "-m", "-f", "{{.Dir}}", "github.com/CycloneDX/cyclonedx-go")
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
	dirOut, err := cmd.Output()
	dir := strings.TrimSpace(string(dirOut))
	if err != nil || dir == "" {
		testenv.Missing(t, "cyclonedx-go module not found (go mod download): %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for url, file := range map[string]string{
		"http://cyclonedx.org/schema/bom-1.6.schema.json":  "bom-1.6.schema.json",
		"http://cyclonedx.org/schema/spdx.schema.json":     "spdx.schema.json",
		"http://cyclonedx.org/schema/jsf-0.82.schema.json": "jsf-0.82.schemax.json",
	} {
		f, err := os.Open(filepath.Join(dir, "schema", file))
		if err != nil {
			testenv.Missing(t, "CycloneDX schema not in the module: %v", err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	s, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	noHash := sarifTestResult()
	noHash.App.SHA256 = ""
	noHash.App.Manifest.Package = ""
	for name, out := range map[string][]byte{
		"sample":   sarifEncodeTwice(t, cyclonedxEncoder{}, sarifTestResult(), AuditOptions{ToolVersion: "1.0.0-test"}),
		"no hash":  sarifEncodeTwice(t, cyclonedxEncoder{}, noHash, AuditOptions{}),
		"mutation": bytes.Replace(sarifEncodeTwice(t, cyclonedxEncoder{}, sarifTestResult(), AuditOptions{}), []byte(`"type": "library"`), []byte(`"type": "sdk"`), 1),
	} {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		err = s.Validate(inst)
		if name == "mutation" {
			if err == nil {
				t.Error("the schema accepted a component type outside the enum")
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: BOM does not validate against CycloneDX 1.6: %v", name, err)
		}
	}
}

func TestCycloneDXWithoutHashOrPackage(t *testing.T) {
	r := sarifTestResult()
	r.App.SHA256 = ""
	r.App.Manifest.Package = ""
	bom := cdxDecode(t, sarifEncodeTwice(t, cyclonedxEncoder{}, r, AuditOptions{}))
	if bom.SerialNumber != "" {
		t.Errorf("serial number without a hash: %q", bom.SerialNumber)
	}
	if c := bom.Metadata.Component; c.Name != "release app.apk" || c.Hashes != nil {
		t.Errorf("app without package: %+v", c)
	}
}

func TestCycloneDXSerial(t *testing.T) {
	sha := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	if got := cdxSerial(sha); got != "urn:uuid:9f86d081-884c-5d65-8a2f-eaa0c55ad015" {
		t.Errorf("cdxSerial = %q", got)
	}
	if cdxSerial(strings.ToUpper(sha)) != cdxSerial(sha) {
		t.Error("upper-case hash gives another serial")
	}
	for _, bad := range []string{"", "abc", strings.Repeat("z", 64)} {
		if got := cdxSerial(bad); got != "" {
			t.Errorf("cdxSerial(%q) = %q, want none", bad, got)
		}
	}
}

func TestCycloneDXPURL(t *testing.T) {
	for _, tc := range []struct{ source, version, want string }{
		{"META-INF/androidx.core_core.version", "1.13.1", "pkg:maven/androidx.core/core@1.13.1"},
		{"META-INF/com.google.android.gms_play-services-ads-identifier.version", "18.0.1", "pkg:maven/com.google.android.gms/play-services-ads-identifier@18.0.1"},
		{"META-INF/androidx.compose.ui_ui-tooling_release.version", "1.6.0", "pkg:maven/androidx.compose.ui/ui-tooling_release@1.6.0"},
		{"META-INF/com.example_lib.version", "2.0.0+build.7", "pkg:maven/com.example/lib@2.0.0+build.7"},
		// Not Maven coordinates, or nothing to go on: no purl.
		{"META-INF/kotlinx_coroutines_core.version", "1.8.0", ""},
		{"META-INF/androidx.core_core.version", "", ""},
		{"", "1.0", ""},
		{"assets/sdk.version", "1.0", ""},
		{"META-INF/androidx.core_.version", "1.0", ""},
		{"META-INF/androidx.core.version", "1.0", ""},
	} {
		if got := cdxPURL(tc.source, tc.version); got != tc.want {
			t.Errorf("cdxPURL(%q, %q) = %q, want %q", tc.source, tc.version, got, tc.want)
		}
	}
}
