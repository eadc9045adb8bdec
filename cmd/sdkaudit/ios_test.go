package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func ipaFixture(name string) string { return filepath.Join("..", "..", "fixtures", "ipa", name) }

// checkGolden compares out with testdata/golden/name (-update rewrites it).
func checkGolden(t *testing.T, name, out string) {
	t.Helper()
	compareGolden(t, filepath.Join("testdata", "golden", name), out)
}

// The scan JSON of each generated .ipa, and its audit against the
// ShopLike policy in every format, are goldens; the JSON is validated
// against the schemas.
func TestIPAGoldens(t *testing.T) {
	schema := compileSchema(t)
	c := jsonschema.NewCompiler()
	auditSchema, err := c.Compile(filepath.Join("..", "..", "docs", "audit-report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	pol := policyFixture("shoplike-ios-policy.txt")
	for _, name := range []string{"shoplike", "newslike"} {
		app := ipaFixture(name + ".ipa")
		t.Run(name, func(t *testing.T) {
			out, stderr, code := runCLI(t, "scan", "--format", "json", "--classes", app)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			validate(t, schema, out)
			checkGolden(t, "ipa-"+name+".json", out)
			table, _, _ := runCLI(t, "scan", app)
			checkGolden(t, "ipa-"+name+".txt", table)
			for _, f := range []struct{ format, ext string }{{"table", "txt"}, {"markdown", "md"}, {"json", "json"}, {"sarif", "sarif"}, {"cyclonedx", "cdx.json"}} {
				out, stderr, code := runCLI(t, "audit", app, "--policy", pol, "--format", f.format, "--lang", "en")
				if code != ExitFindings {
					t.Fatalf("%s: exit %d: %s", f.format, code, stderr)
				}
				if f.format == "json" {
					inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
					if err != nil {
						t.Fatal(err)
					}
					if err := auditSchema.Validate(inst); err != nil {
						t.Fatalf("audit JSON does not match its schema: %v", err)
					}
				}
				checkGolden(t, "ipa-"+name+"-audit."+f.ext, out)
			}
		})
	}
}

// What the ShopLike audit must find, and must not.
func TestIPAAuditFindings(t *testing.T) {
	out, _, _ := runCLI(t, "audit", ipaFixture("shoplike.ipa"), "--policy", policyFixture("shoplike-ios-policy.txt"), "--format", "json")
	var doc struct {
		Findings []struct {
			Rule    string
			Subject struct {
				SDK                         *struct{ ID string }
				Permission, Data, Component string
			}
		}
		SDKs []struct{ ID string }
	}
	if err := json.Unmarshal(oneAudit(t, out), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range doc.Findings {
		s := f.Subject.Permission + f.Subject.Data + f.Subject.Component
		if f.Subject.SDK != nil {
			s = f.Subject.SDK.ID
		}
		got[f.Rule+" "+s] = true
	}
	for _, want := range []string{"SA1001 pangle-csj", "SA1001 sensors-analytics", "SA1005 bugly", "SA1005 gdt-ylh",
		"SA2003 NSContactsUsageDescription", "SA2003 NSMicrophoneUsageDescription", "SA1009 idfa",
		"SA1010 NSPrivacyCollectedDataTypeCrashData", "SA1011 Alamofire"} {
		if !got[want] {
			t.Errorf("missing finding %s", want)
		}
	}
	for _, not := range []string{"SA1001 getui-push", "SA1001 wechat-opensdk", "SA1001 facebook-core", "SA1001 google-admob", "SA1001 firebase-common",
		"SA2003 NSCameraUsageDescription", "SA2003 NSLocationWhenInUseUsageDescription", "SA2003 NSPhotoLibraryUsageDescription",
		"SA1010 NSPrivacyCollectedDataTypePhoneNumber", "SA1010 NSPrivacyCollectedDataTypePreciseLocation", "SA1011 FBSDKCoreKit",
		"SA1002 getui-push/imei", "SA2002 android.permission.READ_PHONE_STATE"} {
		if got[not] {
			t.Errorf("unexpected finding %s", not)
		}
	}
}

// A batch mixes APKs and IPAs: each is read as what it is, in argument
// order, the same whatever --jobs is.
func TestBatchMixesAPKAndIPA(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []struct{ src, dst string }{
		{fixture(t, "maimai-like.apk"), "a.apk"},
		{ipaFixture("shoplike.ipa"), "b.ipa"},
		{ipaFixture("newslike.ipa"), "c.bin"}, // found by content
	} {
		b, err := os.ReadFile(f.src)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f.dst), b, 0o644)
	}
	one, _, code := runCLI(t, "scan", "--format", "jsonl", "--jobs", "1", dir)
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	two, _, _ := runCLI(t, "scan", "--format", "jsonl", "--jobs", "2", dir)
	if one != two {
		t.Error("jsonl differs between --jobs 1 and 2")
	}
	var platforms []string
	for _, line := range strings.Split(strings.TrimSpace(one), "\n") {
		var app struct{ Platform, Format string }
		json.Unmarshal([]byte(line), &app)
		platforms = append(platforms, app.Platform+"/"+app.Format)
	}
	if diff := cmp.Diff([]string{"android/apk", "ios/ipa", "ios/ipa"}, platforms); diff != "" {
		t.Error(diff)
	}
	out, _, code := runCLI(t, "audit", "--format", "json", dir, "--policy", policyFixture("shoplike-ios-policy.txt"))
	if code != ExitFindings {
		t.Fatalf("audit exit %d", code)
	}
	var doc struct {
		Apps []struct {
			App struct{ Package string }
		}
	}
	json.Unmarshal([]byte(out), &doc)
	var pkgs []string
	for _, a := range doc.Apps {
		pkgs = append(pkgs, a.App.Package)
	}
	if !slices.Contains(pkgs, "com.example.shoplike") || len(pkgs) != 3 {
		t.Errorf("apps %v", pkgs)
	}
}

// diff between two iOS builds reports what the new one adds and keeps the
// findings about it.
func TestDiffIPA(t *testing.T) {
	out, _, code := runCLI(t, "diff", ipaFixture("shoplike.ipa"), ipaFixture("shoplike-5.3.ipa"), "--policy", policyFixture("shoplike-ios-policy.txt"), "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Changes struct {
			AddedSDKs        []string `json:"added_sdks"`
			AddedPermissions []string `json:"added_permissions"`
		}
		Findings []struct{ Rule string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(doc.Changes.AddedSDKs, []string{"appsflyer"}) || !cmp.Equal(doc.Changes.AddedPermissions, []string{"NSBluetoothAlwaysUsageDescription"}) {
		t.Errorf("changes %+v", doc.Changes)
	}
	var rules []string
	for _, f := range doc.Findings {
		rules = append(rules, f.Rule)
	}
	slices.Sort(rules)
	if diff := cmp.Diff([]string{"SA1001", "SA1009", "SA2003"}, rules); diff != "" {
		t.Error(diff)
	}
}
