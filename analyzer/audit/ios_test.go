package audit

import (
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/native"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
	"github.com/sdkaudit/sdkaudit/rules"
)

// iosInput is an iOS app with the camera, microphone and tracking keys,
// a framework privacy manifest, Alamofire without one, and Getui linked
// statically, audited against decl.
func iosInput(t *testing.T, decl *policy.Declaration) *Input {
	t.Helper()
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ios := &inventory.IOS{
		UsageDescriptions: []inventory.UsageDescription{
			{Key: "NSCameraUsageDescription", Purpose: "scan", Bundle: "app"},
			{Key: "NSMicrophoneUsageDescription", Purpose: "voice", Bundle: "app"},
			{Key: "NSUserTrackingUsageDescription", Purpose: "ads", Bundle: "app"},
		},
		Frameworks: []inventory.Framework{
			{Name: "Alamofire", Path: "Payload/A.app/Frameworks/Alamofire.framework", Kind: "framework"},
			{Name: "FBSDKCoreKit", Path: "Payload/A.app/Frameworks/FBSDKCoreKit.framework", Kind: "framework", PrivacyManifest: "Payload/A.app/Frameworks/FBSDKCoreKit.framework/PrivacyInfo.xcprivacy"},
		},
		PrivacyManifests: []inventory.PrivacyManifest{{Path: "Payload/A.app/Frameworks/FBSDKCoreKit.framework/PrivacyInfo.xcprivacy", Owner: "FBSDKCoreKit",
			CollectedData: []inventory.CollectedData{{Type: "NSPrivacyCollectedDataTypeEmailAddress", Linked: true}, {Type: "NSPrivacyCollectedDataTypeOtherDataTypes"}}},
			{Path: "Payload/A.app/Kingfisher_Kingfisher.bundle/PrivacyInfo.xcprivacy", Owner: "Kingfisher_Kingfisher"}},
		Binaries: []inventory.Binary{{Path: "Payload/A.app/A", MachO: &native.MachO{Classes: []string{"GeTuiSdk"},
			// Two Swift packages linked statically: Kingfisher ships its
			// manifest in its resource bundle, SnapKit does not.
			SwiftTypes: []string{"A.AppDelegate", "Kingfisher.ImageCache", "SnapKit.Constraint"}}}},
	}
	app := &inventory.Inventory{Platform: inventory.PlatformIOS, Manifest: &manifest.Manifest{Package: "com.example.a"}, IOS: ios}
	for _, u := range ios.UsageDescriptions {
		app.Permissions = append(app.Permissions, manifest.UsesPermission{Name: u.Key, Element: "usage-description"})
	}
	r := detect.NewIndex(db).Detect(app)
	if decl == nil {
		decl = &policy.Declaration{}
	}
	return &Input{App: app, SDKs: r.SDKs, Declaration: decl, Rules: db}
}

func ruleSubjects(res *Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.Rule+" "+f.Subject.Key())
	}
	sort.Strings(out)
	return out
}

func TestIOSChecks(t *testing.T) {
	got := ruleSubjects(Run(iosInput(t, nil)))
	want := []string{
		"SA1001 facebook-core", "SA1001 getui-push",
		"SA1009 data/idfa",
		"SA1010 data/NSPrivacyCollectedDataTypeEmailAddress",
		"SA1011 component/Alamofire", "SA1011 component/SnapKit",
		"SA2003 NSCameraUsageDescription", "SA2003 NSMicrophoneUsageDescription",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestIOSChecksDisclosed(t *testing.T) {
	// The Android permission a policy names for the camera, the group
	// of the microphone's, an email address and the IDFA disclose them;
	// the Android-only READ_PHONE_STATE is not stale for an iOS build,
	// READ_CONTACTS (which an iOS key stands for) is.
	decl := &policy.Declaration{
		Permissions:    []policy.DeclaredPermission{{Name: "android.permission.CAMERA"}, {Name: "android.permission.RECORD_AUDIO"}, {Name: "android.permission.READ_PHONE_STATE"}, {Name: "android.permission.READ_CONTACTS"}},
		DataCategories: []policy.DeclaredData{{ID: "email"}, {ID: "idfa"}},
		SDKs:           []policy.DeclaredSDK{{ID: "getui-push", Vendor: "getui", How: "name", PerSDKData: true, Data: []string{"device-info"}}, {ID: "facebook-core", Vendor: "meta", How: "name"}},
	}
	got := ruleSubjects(Run(iosInput(t, decl)))
	for _, not := range []string{"SA2003 NSCameraUsageDescription", "SA2003 NSMicrophoneUsageDescription", "SA1009 data/idfa",
		"SA1010 data/NSPrivacyCollectedDataTypeEmailAddress", "SA2002 android.permission.READ_PHONE_STATE", "SA1002 getui-push/imei", "SA1002 getui-push/installed-apps"} {
		if slices.Contains(got, not) {
			t.Errorf("unexpected %s in %v", not, got)
		}
	}
	for _, want := range []string{"SA2002 android.permission.READ_CONTACTS", "SA1011 component/Alamofire"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %s in %v", want, got)
		}
	}
}
