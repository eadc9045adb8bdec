package manifest

import (
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/internal/iosgen"
)

// FuzzPlist is the property-list reading path of an .ipa: Info.plist,
// privacy manifests and entitlements, XML or binary.
func FuzzPlist(f *testing.F) {
	info := map[string]any{"CFBundleIdentifier": "com.example.a", "CFBundleVersion": "1", "NSCameraUsageDescription": "scan",
		"LSApplicationQueriesSchemes": []string{"weixin"}, "CFBundleURLTypes": []any{map[string]any{"CFBundleURLSchemes": []string{"wx1"}}}}
	f.Add(iosgen.Plist(info, true))
	f.Add(iosgen.Plist(info, false))
	f.Add(iosgen.PrivacyInfo(true, []string{"t.example.com"}, []iosgen.Collected{{Type: "NSPrivacyCollectedDataTypeDeviceID", Tracking: true, Purposes: []string{"NSPrivacyCollectedDataTypePurposeAnalytics"}}},
		map[string][]string{"NSPrivacyAccessedAPICategoryUserDefaults": {"CA92.1"}}))
	f.Add(bplist([]byte{0x51, 'k'}, []byte{0xa1, 1}, []byte{0xd1, 0, 1}))
	f.Add([]byte(`{ CFBundleIdentifier = "com.example.a"; }`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParsePlist(b)
		if err == nil && m == nil {
			t.Fatal("nil dictionary without error")
		}
		if err != nil && !strings.HasPrefix(err.Error(), "manifest: ") {
			t.Fatalf("error without stage prefix: %v", err)
		}
		if err == nil {
			for _, k := range PlistKeys(m) {
				_ = PlistScalar(m[k])
				_ = PlistStrings(m, k)
				_ = PlistDicts(m, k)
			}
		}
	})
}
