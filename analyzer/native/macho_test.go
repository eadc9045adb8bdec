package native

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sdkaudit/sdkaudit/internal/iosgen"
)

func TestReadMachOThin(t *testing.T) {
	for _, chained := range []bool{false, true} {
		b := iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute, MinOS: 0x000f0000,
			Dylibs:        []string{"/System/Library/Frameworks/UIKit.framework/UIKit", "@rpath/GTSDK.framework/GTSDK"},
			WeakLibs:      []string{"/System/Library/Frameworks/AppTrackingTransparency.framework/AppTrackingTransparency"},
			ClassNames:    []string{"GeTuiSdk", "UMConfigure"},
			ListedClasses: []string{"WXApi", "_TtC4Demo14ViewController"},
			Chained:       chained, EncryptionInfo: true,
			Entitlements: []byte(`<?xml version="1.0"?><plist version="1.0"><dict><key>aps-environment</key><string>production</string></dict></plist>`),
		}.Bytes()
		m, err := ReadMachO(b, MachOLimits{})
		if err != nil {
			t.Fatal(err)
		}
		want := &MachO{Archs: []string{"arm64"}, Slice: "arm64", Type: "execute", MinOS: "15.0",
			Libraries:  []string{"/System/Library/Frameworks/UIKit.framework/UIKit", "@rpath/GTSDK.framework/GTSDK", "/System/Library/Frameworks/AppTrackingTransparency.framework/AppTrackingTransparency"},
			Classes:    []string{"GeTuiSdk", "UMConfigure", "WXApi", "_TtC4Demo14ViewController"},
			SwiftTypes: []string{"Demo.ViewController"},
		}
		if diff := cmp.Diff(want, m, cmpopts.IgnoreFields(MachO{}, "Entitlements")); diff != "" {
			t.Errorf("chained=%v (-want +got):\n%s", chained, diff)
		}
		if len(m.Entitlements) == 0 {
			t.Error("no entitlements read")
		}
	}
}

func TestReadMachOClassListOnly(t *testing.T) {
	// A class the list points at is found even when __objc_classname is
	// not where the name lives.
	b := iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeDylib, ListedClasses: []string{"FBSDKApplicationDelegate"}, Chained: true}.Bytes()
	m, err := ReadMachO(b, MachOLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"FBSDKApplicationDelegate"}, m.Classes); diff != "" {
		t.Error(diff)
	}
}

func TestReadMachOEncrypted(t *testing.T) {
	b := iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute, Encrypted: true,
		Dylibs: []string{"@rpath/Bugly.framework/Bugly"}, ClassNames: []string{"Bugly"}, ListedClasses: []string{"BuglyConfig"}}.Bytes()
	m, err := ReadMachO(b, MachOLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Encrypted || len(m.Classes) != 0 || len(m.Libraries) != 1 {
		t.Errorf("encrypted=%v classes=%v libs=%v", m.Encrypted, m.Classes, m.Libraries)
	}
}

func TestReadMachOFat(t *testing.T) {
	x86 := iosgen.MachO{CPU: iosgen.CPUX86_64, Type: iosgen.TypeDylib, ClassNames: []string{"SimulatorOnly"}}.Bytes()
	arm := iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeDylib, ClassNames: []string{"DeviceClass"}}.Bytes()
	m, err := ReadMachO(iosgen.Fat(x86, arm), MachOLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"x86_64", "arm64"}, m.Archs); diff != "" {
		t.Error(diff)
	}
	if m.Slice != "arm64" || !cmp.Equal(m.Classes, []string{"DeviceClass"}) {
		t.Errorf("slice %s classes %v", m.Slice, m.Classes)
	}
}

func TestReadMachOBad(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":     nil,
		"elf":       []byte("\x7fELF\x02\x01\x01\x00\x00\x00"),
		"truncated": iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute, ClassNames: []string{"A"}}.Bytes()[:40],
		"fat-out":   {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 1, 1, 0, 0, 12, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 12},
	} {
		if _, err := ReadMachO(b, MachOLimits{}); err == nil {
			t.Errorf("%s: no error", name)
		} else if !errors.Is(err, ErrNotMachO) && !errors.Is(err, ErrBadMachO) && !errors.Is(err, ErrNoSlice) {
			t.Errorf("%s: untyped error %v", name, err)
		}
	}
}

func TestDemangleSwiftClass(t *testing.T) {
	for in, want := range map[string]string{
		"_TtC4Demo14ViewController": "Demo.ViewController",
		"_TtCC4Demo5Outer5Inner":    "Demo.Outer.Inner",
		"_TtC4Demo":                 "",
		"_TtC99Demo":                "",
		"NSObject":                  "",
	} {
		got, _ := DemangleSwiftClass(in)
		if got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}
