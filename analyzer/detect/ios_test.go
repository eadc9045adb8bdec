package detect

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/native"
	"github.com/sdkaudit/sdkaudit/rules"
)

// iosInventoryFor is an iOS app holding every iOS marker of s.
func iosInventoryFor(s rules.SDK) *inventory.Inventory {
	sig := s.Signatures
	ios := &inventory.IOS{Bundle: "Payload/T.app/"}
	m := &native.MachO{Archs: []string{"arm64"}}
	for _, f := range sig.IOSFrameworks {
		name := strings.ReplaceAll(f, "*", "X")
		ios.Frameworks = append(ios.Frameworks, inventory.Framework{Name: name, Kind: "framework", Path: "Payload/T.app/Frameworks/" + name + ".framework"})
	}
	for _, c := range sig.IOSClasses {
		if p, ok := strings.CutSuffix(c, "*"); ok {
			m.Classes = append(m.Classes, p+"Alpha", p+"Beta")
		} else {
			m.Classes = append(m.Classes, c)
		}
	}
	ios.Binaries = []inventory.Binary{{Path: "Payload/T.app/T", Kind: "executable", Owner: "app", MachO: m}}
	ios.PlistKeys = sig.IOSPlistKeys
	for _, r := range sig.IOSResources {
		ios.Resources = append(ios.Resources, strings.ReplaceAll(r, "*", "X"))
	}
	return &inventory.Inventory{Platform: inventory.PlatformIOS, Manifest: &manifest.Manifest{Package: "com.example.t"}, IOS: ios}
}

func TestEveryIOSRuleDetectsItself(t *testing.T) {
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(db)
	tested := 0
	for _, s := range db.SDKs {
		if s.Signatures.IOSEmpty() {
			continue
		}
		tested++
		var ids, strangers []string
		found := false
		for _, d := range ix.Detect(iosInventoryFor(s)).SDKs {
			ids = append(ids, d.ID)
			if d.ID == s.ID {
				found = true
			} else if !related(db, d.ID, s.ID) {
				strangers = append(strangers, d.ID)
			}
		}
		if !found {
			t.Errorf("%s (%s): its own iOS markers are not detected; got %v", s.ID, s.Source, ids)
		}
		if len(strangers) > 0 {
			sort.Strings(strangers)
			t.Errorf("%s (%s): its iOS markers also detect unrelated %v", s.ID, s.Source, strangers)
		}
	}
	if tested < 60 {
		t.Errorf("only %d SDK rules with iOS signatures", tested)
	}
}

func TestIOSEvidenceWeighing(t *testing.T) {
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(db)
	inv := &inventory.Inventory{Platform: inventory.PlatformIOS, Manifest: &manifest.Manifest{Package: "com.example.t"}, IOS: &inventory.IOS{
		PlistKeys: []string{"GADApplicationIdentifier"},
		Resources: []string{"GoogleService-Info.plist", "AMap.bundle"},
		Binaries: []inventory.Binary{
			{Path: "Payload/T.app/T", MachO: &native.MachO{Classes: []string{"GeTuiSdk"}, Libraries: []string{"@rpath/Bugly.framework/Bugly", "/System/Library/Frameworks/UIKit.framework/UIKit"}}},
		},
	}}
	r := ix.Detect(inv)
	var sdks, traces []string
	for _, d := range r.SDKs {
		sdks = append(sdks, d.ID+":"+d.Confidence)
	}
	for _, d := range r.Traces {
		traces = append(traces, d.ID)
	}
	// A linked framework the app does not embed still counts; a
	// configuration key or file alone is a trace while code is readable.
	if diff := cmp.Diff([]string{"amap-map:low", "bugly:high", "getui-push:medium"}, sdks); diff != "" {
		t.Errorf("sdks (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"firebase-common", "google-admob"}, traces); diff != "" {
		t.Errorf("traces (-want +got):\n%s", diff)
	}
	// With the executable encrypted, configuration is all there is, and
	// it counts.
	inv.IOS.Binaries[0].MachO.Encrypted = true
	r = ix.Detect(inv)
	sdks = nil
	for _, d := range r.SDKs {
		sdks = append(sdks, d.ID)
	}
	if !contains(sdks, "google-admob") || !contains(sdks, "firebase-common") {
		t.Errorf("encrypted: %v", sdks)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFrameworkName(t *testing.T) {
	for in, want := range map[string]string{
		"@rpath/GTSDK.framework/GTSDK":                          "GTSDK",
		"@rpath/FBSDKCoreKit.framework/Versions/A/FBSDKCoreKit": "FBSDKCoreKit",
		"@rpath/libswiftCore.dylib":                             "swiftCore",
		"/usr/lib/libz.1.dylib":                                 "z",
		"/usr/lib/something":                                    "",
	} {
		if got := frameworkName(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}
