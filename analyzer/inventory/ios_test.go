package inventory

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/internal/iosgen"
)

var updateIPA = flag.Bool("update-ipa", false, "rewrite fixtures/ipa from the generator in internal/iosgen")

var ipaFixtures = map[string]func() []byte{
	"shoplike.ipa":     iosgen.ShopLikeIPA,
	"newslike.ipa":     iosgen.NewsLikeIPA,
	"shoplike-5.3.ipa": iosgen.ShopLikeNextIPA,
}

// TestIPAFixturesCurrent holds the committed .ipa files equal to what the
// generator writes (-update-ipa rewrites them).
func TestIPAFixturesCurrent(t *testing.T) {
	for name, gen := range ipaFixtures {
		p := filepath.Join("..", "..", "fixtures", "ipa", name)
		b := gen()
		if *updateIPA {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, b) {
			t.Errorf("%s differs from the generator; run go test ./analyzer/inventory/ -run TestIPAFixturesCurrent -update-ipa", p)
		}
	}
}

func scanIPABytes(t *testing.T, b []byte) *Inventory {
	t.Helper()
	inv, err := Scan(context.Background(), bytes.NewReader(b), int64(len(b)), "app.ipa", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestScanIPA(t *testing.T) {
	inv := scanIPABytes(t, iosgen.ShopLikeIPA())
	if inv.Platform != PlatformIOS || inv.Format != "ipa" || inv.Package != "com.example.shoplike" || inv.VersionName.Value != "5.2.0" || inv.VersionCode.Value != "520" {
		t.Fatalf("platform %s format %s package %s version %v/%v", inv.Platform, inv.Format, inv.Package, inv.VersionName, inv.VersionCode)
	}
	if inv.Status != StatusComplete {
		t.Errorf("status %s: %v", inv.Status, inv.Errors)
	}
	ios := inv.IOS
	if ios.MinimumOS != "13.0" || ios.Executable != "ShopLike" || ios.Name != "购物样例" {
		t.Errorf("minimum OS %q executable %q name %q", ios.MinimumOS, ios.Executable, ios.Name)
	}
	var keys []string
	for _, p := range inv.Permissions {
		keys = append(keys, p.Name)
	}
	want := []string{"NSCameraUsageDescription", "NSContactsUsageDescription", "NSLocationWhenInUseUsageDescription", "NSMicrophoneUsageDescription", "NSPhotoLibraryUsageDescription", "NSUserTrackingUsageDescription"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("permissions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"alipay", "mqqapi", "weixin", "weixinULAPI"}, ios.QueriesSchemes); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"location", "remote-notification"}, ios.BackgroundModes); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]Entitlement{{"application-identifier", "ABCDE12345.com.example.shoplike"}, {"aps-environment", "production"}, {"com.apple.developer.associated-domains", "applinks:shop.example.com"}}, ios.Entitlements); diff != "" {
		t.Error(diff)
	}
	var fws []string
	for _, f := range ios.Frameworks {
		fws = append(fws, f.Name+"@"+f.Version+":"+f.PrivacyManifest)
	}
	if diff := cmp.Diff([]string{"Alamofire@5.8.0:", "BUAdSDK@5.9.0.6:", "FBSDKCoreKit@17.0.0:Payload/ShopLike.app/Frameworks/FBSDKCoreKit.framework/PrivacyInfo.xcprivacy"}, fws); diff != "" {
		t.Error(diff)
	}
	var owners []string
	for _, p := range ios.PrivacyManifests {
		owners = append(owners, p.Owner)
	}
	if diff := cmp.Diff([]string{"FBSDKCoreKit", "app"}, owners); diff != "" {
		t.Error(diff)
	}
	if len(ios.PrivacyManifests[0].CollectedData) != 3 || !ios.PrivacyManifests[0].Tracking {
		t.Errorf("facebook manifest: %+v", ios.PrivacyManifests[0])
	}
	if diff := cmp.Diff([]string{"AMap.bundle", "AMap3D.bundle", "GoogleService-Info.plist"}, ios.Resources); diff != "" {
		t.Error(diff)
	}
	bins := map[string]Binary{}
	for _, b := range ios.Binaries {
		bins[b.Path] = b
	}
	if len(bins) != 5 {
		t.Errorf("%d binaries", len(bins))
	}
	main := bins["Payload/ShopLike.app/ShopLike"]
	if main.MachO == nil || main.Classes != 19 || !strings.Contains(strings.Join(main.MachO.Classes, " "), "GeTuiSdk") {
		t.Errorf("main: %+v", main)
	}
	fb := bins["Payload/ShopLike.app/Frameworks/FBSDKCoreKit.framework/FBSDKCoreKit"]
	if fb.MachO == nil || !cmp.Equal(fb.Archs, []string{"x86_64", "arm64"}) || fb.Classes != 3 {
		t.Errorf("fat framework: %+v", fb)
	}
	if len(inv.Parts) != 2 || inv.Parts[1].Kind != "extension" || inv.Parts[1].Split != "com.example.shoplike.NotificationService" {
		t.Errorf("parts: %+v", inv.Parts)
	}
	// The inventory is stable.
	a, _ := json.Marshal(inv)
	b, _ := json.Marshal(scanIPABytes(t, iosgen.ShopLikeIPA()))
	if !bytes.Equal(a, b) {
		t.Error("two scans differ")
	}
}

func TestScanIPAEncrypted(t *testing.T) {
	inv := scanIPABytes(t, iosgen.NewsLikeIPA())
	if inv.Status != StatusIncomplete || len(inv.Errors) != 1 || !strings.Contains(inv.Errors[0].Message, "encrypted") || inv.Errors[0].Path != "Payload/NewsLike.app/NewsLike" {
		t.Fatalf("status %s errors %+v", inv.Status, inv.Errors)
	}
	var classes int
	for _, b := range inv.IOS.Binaries {
		if b.Path == "Payload/NewsLike.app/NewsLike" {
			if !b.Encrypted || b.Classes != 0 || len(b.Libraries) != 8 {
				t.Errorf("main: %+v", b)
			}
		}
		classes += b.Classes
	}
	if classes != 4 { // UMConfigure, MobClick, Bugly, BuglyConfig
		t.Errorf("%d classes from the frameworks", classes)
	}
	if len(inv.IOS.PrivacyManifests) != 2 || len(inv.IOS.Frameworks) != 2 {
		t.Errorf("manifests %d frameworks %d", len(inv.IOS.PrivacyManifests), len(inv.IOS.Frameworks))
	}
}

func TestScanIPABroken(t *testing.T) {
	root := "Payload/X.app/"
	info := iosgen.Plist(map[string]any{"CFBundleIdentifier": "com.example.x", "CFBundleExecutable": "X"}, true)
	cases := map[string]struct {
		files   []iosgen.File
		wantErr bool
		problem string
		note    string
	}{
		"bad info plist":     {files: []iosgen.File{{Name: root + "Info.plist", Data: []byte("bplist00garbage")}}, wantErr: true},
		"missing executable": {files: []iosgen.File{{Name: root + "Info.plist", Data: info}}, problem: "executable is missing"},
		"junk executable":    {files: []iosgen.File{{Name: root + "Info.plist", Data: info}, {Name: root + "X", Data: []byte("\xcf\xfa\xed\xfe not really")}}, problem: "Mach-O"},
		"bad privacy manifest": {files: []iosgen.File{{Name: root + "Info.plist", Data: info}, {Name: root + "X", Data: iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute}.Bytes()},
			{Name: root + "PrivacyInfo.xcprivacy", Data: []byte("<plist><dict><key>")}}, problem: "plist"},
		"two apps": {files: []iosgen.File{{Name: root + "Info.plist", Data: info}, {Name: root + "X", Data: iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute}.Bytes()},
			{Name: "Payload/Y.app/Info.plist", Data: info}, {Name: "Payload/Y.app/X", Data: []byte("junk")}}, note: "several-apps"},
		"duplicate executable": {files: []iosgen.File{{Name: root + "Info.plist", Data: info}, {Name: root + "X", Data: iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute}.Bytes()},
			{Name: root + "X", Data: iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute, ClassNames: []string{"Hidden"}}.Bytes()}}, problem: "repeated entry names"},
	}
	for name, c := range cases {
		b := iosgen.Zip(c.files)
		inv, err := Scan(context.Background(), bytes.NewReader(b), int64(len(b)), "x.ipa", Options{})
		if c.wantErr {
			if err == nil {
				t.Errorf("%s: no error", name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.note != "" {
			notes, _ := json.Marshal(inv.Notes)
			if inv.Status != StatusComplete || !strings.Contains(string(notes), c.note) {
				t.Errorf("%s: status %s notes %s errors %v", name, inv.Status, notes, inv.Errors)
			}
			continue
		}
		got, _ := json.Marshal(inv.Errors)
		if inv.Status != StatusIncomplete || !strings.Contains(string(got), c.problem) {
			t.Errorf("%s: status %s errors %s", name, inv.Status, got)
		}
	}
}

// A binary plist whose objects share one array many times over expands
// to far more nodes than its bytes; it is refused before it is decoded.
func TestScanIPAPlistBomb(t *testing.T) {
	b := iosgen.Zip([]iosgen.File{{Name: "Payload/X.app/Info.plist", Data: iosgen.PlistBomb(40)}})
	_, err := Scan(context.Background(), bytes.NewReader(b), int64(len(b)), "x.ipa", Options{})
	if err == nil || !strings.Contains(err.Error(), "expands beyond") {
		t.Fatalf("err %v", err)
	}
}
