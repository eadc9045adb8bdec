package native

import (
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/internal/iosgen"
)

// FuzzMachO is the Mach-O reading path of an .ipa: thin and fat files,
// load commands, the class name pool and the class list's pointers, the
// code signature.
func FuzzMachO(f *testing.F) {
	thin := iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute, MinOS: 0x000f0000, Dylibs: []string{"@rpath/A.framework/A"},
		ClassNames: []string{"GeTuiSdk"}, ListedClasses: []string{"WXApi", "_TtC4Demo4View"}, EncryptionInfo: true, Entitlements: []byte("<plist><dict/></plist>")}
	f.Add(thin.Bytes())
	thin.Chained = true
	f.Add(thin.Bytes())
	f.Add(iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeDylib, Encrypted: true, ClassNames: []string{"A"}}.Bytes())
	f.Add(iosgen.Fat(iosgen.MachO{CPU: iosgen.CPUX86_64, Type: iosgen.TypeDylib}.Bytes(), iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeDylib, ListedClasses: []string{"B"}}.Bytes()))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadMachO(b, MachOLimits{MaxClasses: 1000, MaxNameBytes: 1 << 16})
		if err == nil && m == nil {
			t.Fatal("nil result without error")
		}
		if err != nil && !strings.HasPrefix(err.Error(), "native: ") {
			t.Fatalf("error without stage prefix: %v", err)
		}
		if err == nil && len(m.Classes) > 1000 {
			t.Fatalf("%d classes past the limit", len(m.Classes))
		}
	})
}
