package audit

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
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
		out[string(f.Kind)+" "+f.Subject.Key()] = string(f.Severity)
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
		if r.Findings[i-1].Severity.Rank() < r.Findings[i].Severity.Rank() {
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

// A policy that names the vendor but not the product gets its own finding,
// one level lower, quoting where the vendor is named; never "not disclosed".
func TestVendorMentionIsItsOwnFinding(t *testing.T) {
	ev := []policy.Evidence{{File: "policy.txt", Line: 7, Text: "我们会与北京容联七陌科技有限公司共享您的手机号", Matched: "北京容联七陌科技有限公司"}}
	decl := &policy.Declaration{Vendors: []policy.DeclaredVendor{{ID: "huawei", SDKs: []string{}, Evidence: ev}}}
	r := Run(input(t, decl, "huawei-hms-core"))
	k := kinds(r)
	if k["sdk-vendor-only huawei-hms-core"] != "medium" {
		t.Errorf("vendor-level mention should be sdk-vendor-only at medium: %v", k)
	}
	if _, ok := k["undeclared-sdk huawei-hms-core"]; ok {
		t.Errorf("a vendor the policy names must not be reported as undisclosed: %v", k)
	}
	for _, f := range r.Findings {
		if f.Kind == "sdk-vendor-only" && (len(f.PolicyEvidence) == 0 || !strings.Contains(f.PolicyEvidence[0], "policy.txt:7")) {
			t.Errorf("the finding should quote where the vendor is named: %v", f.PolicyEvidence)
		}
	}
}

// An SDK of the vendor the policy defines as "we" is the operator's own
// code: an info finding that says so, never undeclared-sdk or
// sdk-vendor-only; a third party's SDK beside it is still undeclared.
func TestOperatorsOwnSDKIsFirstParty(t *testing.T) {
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "policy.txt")
	text := "QQ邮箱隐私保护指引\n本指引由深圳市腾讯计算机系统有限公司（以下简称“腾讯”或“我们”）制定。\n我们使用腾讯Bugly收集崩溃日志。\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	decl, err := policy.NewLexicon(db).Load([]string{path}, policy.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(decl.Operators) != 1 || decl.Operators[0].ID != "tencent" {
		t.Fatalf("operators %+v, want tencent", decl.Operators)
	}
	r := Run(input(t, decl, "tencent-x5", "getui-push"))
	k := kinds(r)
	if k["first-party-sdk tencent-x5"] != "info" {
		t.Errorf("the operator's own SDK should be first-party-sdk at info: %v", k)
	}
	for _, not := range []string{"undeclared-sdk tencent-x5", "sdk-vendor-only tencent-x5"} {
		if _, ok := k[not]; ok {
			t.Errorf("unexpected finding %s: %v", not, k)
		}
	}
	if k["undeclared-sdk getui-push"] != "high" {
		t.Errorf("a third party's SDK beside it is still undeclared: %v", k)
	}
	for _, f := range r.Findings {
		if f.Kind == KindFirstPartySDK && (len(f.PolicyEvidence) == 0 || !strings.Contains(f.PolicyEvidence[0], "以下简称")) {
			t.Errorf("the finding should quote the sentence that defines the operator: %v", f.PolicyEvidence)
		}
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

// access builds code evidence: owner -> category -> one call site.
func access(owners map[string]map[string]bool) *dataaccess.Result {
	res := &dataaccess.Result{Note: dataaccess.Disclaimer, Owners: []dataaccess.Owner{}}
	ids := make([]string, 0, len(owners))
	for id := range owners {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		o := dataaccess.Owner{ID: id, Kind: dataaccess.KindSDK}
		if id == dataaccess.OwnerApp {
			o.Kind = dataaccess.KindApp
		}
		if id == "androidx" {
			o.Kind = dataaccess.KindLibrary
		}
		cats := make([]string, 0, len(owners[id]))
		for c := range owners[id] {
			cats = append(cats, c)
		}
		slices.Sort(cats)
		for _, c := range cats {
			restricted := owners[id][c]
			o.Categories = append(o.Categories, dataaccess.Category{ID: c, SitesTotal: 1, Restricted: restricted,
				APIs:      []dataaccess.APIUse{{ID: "api-" + c, Restricted: restricted, Sites: 1}},
				CallSites: []dataaccess.Site{{Class: "x." + id + ".C", Method: "m()V", API: "api-" + c, Dex: "classes.dex"}}})
		}
		res.Owners = append(res.Owners, o)
	}
	return res
}

func TestUndeclaredDataAccess(t *testing.T) {
	decl := &policy.Declaration{
		Permissions:    []policy.DeclaredPermission{{Name: "android.permission.ACCESS_FINE_LOCATION"}},
		DataCategories: []policy.DeclaredData{{ID: "android-id"}},
	}
	in := input(t, decl, "getui-push")
	in.Access = access(map[string]map[string]bool{
		"app":        {"clipboard": false, "precise-location": false, "coarse-location": false},
		"getui-push": {"installed-apps": false, "android-id": false, "imei": true},
		"androidx":   {"running-apps": false},
	})
	r := Run(in)
	k := kinds(r)
	for key, sev := range map[string]string{
		"undeclared-data-access data/clipboard":      "medium",
		"undeclared-data-access data/installed-apps": "high",
		"undeclared-data-access data/imei":           "low", // restricted on every supported version
		"undeclared-data-access data/running-apps":   "low", // plain-library code only
	} {
		if k[key] != sev {
			t.Errorf("%s: severity %q, want %q (all: %v)", key, k[key], sev, k)
		}
	}
	for _, not := range []string{
		"undeclared-data-access data/android-id",       // declared as data
		"undeclared-data-access data/precise-location", // declared through its permission
		"undeclared-data-access data/coarse-location",  // through a permission of the same group
	} {
		if _, ok := k[not]; ok {
			t.Errorf("unexpected %s", not)
		}
	}
	for _, f := range r.Findings {
		if f.Kind != "undeclared-data-access" {
			continue
		}
		if f.Basis != "observed" || len(f.AppEvidence) == 0 || !strings.Contains(f.AppEvidence[0], "present in code") {
			t.Errorf("%s: basis %q evidence %v", f.Subject.Key(), f.Basis, f.AppEvidence)
		}
		if f.Subject.Data == "installed-apps" && !slices.Equal(f.AttributedTo, []string{"getui-push"}) {
			t.Errorf("installed-apps attributed to %v", f.AttributedTo)
		}
	}
	// Without code evidence the check stays silent.
	in.Access = nil
	for _, f := range Run(in).Findings {
		if f.Kind == "undeclared-data-access" {
			t.Errorf("finding without a code scan: %+v", f)
		}
	}
}

func TestSDKDataObservedAndTypical(t *testing.T) {
	decl := &policy.Declaration{SDKs: []policy.DeclaredSDK{{ID: "getui-push", Vendor: "getui", How: "name", PerSDKData: true, Data: []string{"android-id"}}}}
	in := input(t, decl, "getui-push")
	rule, _ := in.Rules.SDK("getui-push")
	typical := ""
	for _, c := range rule.Data {
		if c != "android-id" && c != "installed-apps" {
			typical = c
			break
		}
	}
	if typical == "" {
		t.Fatal("getui-push lists no other typical data")
	}
	basis := func(r *Result) map[string]string {
		out := map[string]string{}
		for _, f := range r.Findings {
			if f.Kind == "sdk-data-undeclared" {
				out[f.Subject.Data] = string(f.Basis) + "/" + string(f.Severity)
			}
		}
		return out
	}
	without := basis(Run(in))
	if without[typical] == "" || !strings.HasPrefix(without[typical], "typical/") {
		t.Errorf("no code scan: %s -> %q", typical, without[typical])
	}
	if _, ok := without["android-id"]; ok {
		t.Error("declared android-id reported")
	}
	in.Access = access(map[string]map[string]bool{"getui-push": {"installed-apps": false, "android-id": false}})
	with := basis(Run(in))
	if with["installed-apps"] != "observed/high" {
		t.Errorf("observed installed-apps: %q", with["installed-apps"])
	}
	// Typical data the code does not show stays typical, one level lower.
	if want := "typical/" + string(Severity(strings.TrimPrefix(without[typical], "typical/")).Lower()); with[typical] != want {
		t.Errorf("%s: %q, want %q", typical, with[typical], want)
	}
	st := Run(in).SDKs
	if len(st) != 1 || !slices.Equal(st[0].ObservedData, []string{"android-id", "installed-apps"}) || !slices.Contains(st[0].Data, "installed-apps") {
		t.Errorf("status: %+v", st)
	}
}

// The reference policy sends SMS verification codes, records calls with its
// service desk and speaks of the user's account on the platform; none of
// that discloses reading the device's SMS, call log or accounts, so an app
// that requests those permissions must be flagged for each.
func TestSeedPolicyFlagsSMSCallLogAccounts(t *testing.T) {
	path := testenv.Shared(t, "seed", "000_feac4a27d79445a3.txt")
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	decl, err := policy.NewLexicon(db).Load([]string{path}, policy.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	in := input(t, decl)
	for _, p := range []string{"android.permission.READ_SMS", "android.permission.READ_CALL_LOG", "android.permission.GET_ACCOUNTS"} {
		in.App.Manifest.Permissions = append(in.App.Manifest.Permissions, manifest.UsesPermission{Name: p, Element: "uses-permission"})
	}
	k := kinds(Run(in))
	for _, p := range []string{"android.permission.READ_SMS", "android.permission.READ_CALL_LOG", "android.permission.GET_ACCOUNTS"} {
		if k["undeclared-permission "+p] == "" {
			t.Errorf("%s not flagged against the reference policy (findings %v)", p, k)
		}
	}
}
