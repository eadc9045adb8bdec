package audit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
	"github.com/sdkaudit/sdkaudit/rules"
)

func intp(n int) *int { return &n }

func input(t *testing.T, decl *policy.Declaration, sdks ...string) *Input {
	t.Helper()
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	app := &inventory.Inventory{File: "app.apk", Status: "complete", Manifest: &manifest.Manifest{
		Package: "com.example",
		MinSDK:  manifest.SDK{Effective: intp(23)},
		Permissions: []manifest.UsesPermission{
			{Name: "android.permission.CAMERA", Element: "uses-permission"},
			{Name: "android.permission.READ_PHONE_STATE", Element: "uses-permission"},
			{Name: "android.permission.WRITE_EXTERNAL_STORAGE", Element: "uses-permission", MaxSDKVersion: intp(22)},
			{Name: "android.permission.QUERY_ALL_PACKAGES", Element: "uses-permission"},
			{Name: "android.permission.INTERNET", Element: "uses-permission"},
		},
	}}
	var dets []detect.Detection
	for _, id := range sdks {
		s, ok := db.SDK(id)
		if !ok {
			t.Fatalf("no rule %s", id)
		}
		dets = append(dets, detect.Detection{ID: id, Name: s.Name.EN, Vendor: s.Vendor, Category: s.Category, Kind: s.Kind, Confidence: "high",
			Evidence: []detect.Evidence{{Kind: detect.KindDexPrefix, Signature: "x", Where: "classes.dex", Classes: 3}}})
	}
	if decl == nil {
		decl = &policy.Declaration{}
	}
	return &Input{App: app, SDKs: dets, Declaration: decl, Rules: db}
}

func kinds(r *Result) map[string]string {
	out := map[string]string{}
	for _, f := range r.Findings {
		out[f.Kind+" "+f.Subject.Key()] = f.Severity
	}
	return out
}

func TestUndeclaredBothWays(t *testing.T) {
	decl := &policy.Declaration{
		SDKs:        []policy.DeclaredSDK{{ID: "umeng-common", Vendor: "umeng", How: "name"}, {ID: "firebase-analytics", Vendor: "google", How: "name"}},
		Permissions: []policy.DeclaredPermission{{Name: "android.permission.CAMERA"}, {Name: "android.permission.READ_CALENDAR"}},
	}
	r := Run(input(t, decl, "getui-push", "umeng-analytics", "okhttp"))
	k := kinds(r)
	for key, sev := range map[string]string{
		"undeclared-sdk getui-push":                                     "high",
		"undeclared-permission android.permission.READ_PHONE_STATE":     "high",
		"undeclared-permission android.permission.QUERY_ALL_PACKAGES":   "medium",
		"stale-sdk-declaration firebase-analytics":                      "low",
		"stale-permission-declaration android.permission.READ_CALENDAR": "info",
	} {
		if k[key] != sev {
			t.Errorf("%s: severity %q, want %q (all: %v)", key, k[key], sev, k)
		}
	}
	for _, not := range []string{
		"undeclared-sdk okhttp",          // a plain library
		"undeclared-sdk umeng-analytics", // covered by its declared parent
		"undeclared-permission android.permission.CAMERA",
		"undeclared-permission android.permission.WRITE_EXTERNAL_STORAGE", // maxSdkVersion 22 < minSdk 23
		"undeclared-permission android.permission.INTERNET",               // not privacy relevant
	} {
		if _, ok := k[not]; ok {
			t.Errorf("unexpected finding %s", not)
		}
	}
	for i := 1; i < len(r.Findings); i++ {
		if SeverityRank(r.Findings[i-1].Severity) < SeverityRank(r.Findings[i].Severity) {
			t.Fatalf("findings not sorted by severity")
		}
	}
	for _, f := range r.Findings {
		if f.Kind == "undeclared-permission" && f.Subject.Permission == "android.permission.READ_PHONE_STATE" && !strings.Contains(strings.Join(f.AttributedTo, ","), "getui-push") {
			t.Errorf("READ_PHONE_STATE not attributed to getui-push: %v", f.AttributedTo)
		}
	}
}

func TestDataCategoryCoversPermission(t *testing.T) {
	decl := &policy.Declaration{DataCategories: []policy.DeclaredData{{ID: "imei"}}}
	k := kinds(Run(input(t, decl)))
	if _, ok := k["undeclared-permission android.permission.READ_PHONE_STATE"]; ok {
		t.Errorf("disclosing IMEI covers READ_PHONE_STATE's data: %v", k)
	}
}

func TestVendorMentionLowersSeverity(t *testing.T) {
	decl := &policy.Declaration{Vendors: []policy.DeclaredVendor{{ID: "huawei", SDKs: []string{}}}}
	k := kinds(Run(input(t, decl, "huawei-hms-core")))
	if k["undeclared-sdk huawei-hms-core"] != "medium" {
		t.Errorf("vendor-level mention should lower high to medium: %v", k)
	}
}

func TestWaivers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.yaml")
	os.WriteFile(path, []byte(`waivers:
  - rule: undeclared-sdk
    subject: getui-push
    reason: tracked in TICKET-1
    expires: "2099-01-01"
  - rule: SA2001
    subject: android.permission.READ_PHONE_STATE
    reason: old
    expires: "2001-01-01"
  - rule: SA1001
    subject: nothing-here
    reason: stale waiver
`), 0o644)
	ws, err := LoadWaivers(path)
	if err != nil {
		t.Fatal(err)
	}
	r := Run(input(t, nil, "getui-push"))
	r.ApplyWaivers(ws, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
	for _, f := range r.Findings {
		switch f.Subject.Key() {
		case "getui-push":
			if !f.Suppressed || f.SuppressedBy != "tracked in TICKET-1" {
				t.Errorf("getui-push not waived: %+v", f)
			}
		case "android.permission.READ_PHONE_STATE":
			if f.Suppressed {
				t.Errorf("expired waiver applied")
			}
		}
	}
	if len(r.Warnings) != 2 {
		t.Errorf("want an expired and an unused warning, got %v", r.Warnings)
	}
	if !r.FailsOn("high") {
		t.Errorf("READ_PHONE_STATE is still high")
	}
	if r.FailsOn("none") {
		t.Errorf("none never fails")
	}

	os.WriteFile(path, []byte("waivers:\n  - rule: SA1001\n    subject: x\n"), 0o644)
	if _, err := LoadWaivers(path); err == nil || !strings.Contains(err.Error(), "reason is required") {
		t.Errorf("missing reason: %v", err)
	}
	os.WriteFile(path, []byte("waivers:\n  - rule: SA1001\n    subjct: x\n    reason: r\n"), 0o644)
	if _, err := LoadWaivers(path); err == nil || !strings.Contains(err.Error(), "subjct") {
		t.Errorf("unknown key: %v", err)
	}
}

func TestFingerprintStable(t *testing.T) {
	a := Run(input(t, nil, "getui-push"))
	b := Run(input(t, nil, "getui-push"))
	if len(a.Findings) == 0 || a.Findings[0].Fingerprint != b.Findings[0].Fingerprint || a.Findings[0].Fingerprint == "" {
		t.Fatal("fingerprints differ between runs")
	}
}
