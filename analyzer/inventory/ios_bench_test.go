package inventory

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/internal/iosgen"
)

// largeIPA is a generated app of about the size of a large real one: a
// 120 MB executable with 60 000 classes, 24 frameworks of 4 MB and 1 000
// resource files.
var largeIPA = sync.OnceValue(func() []byte {
	root := "Payload/Big.app/"
	classes := make([]string, 60000)
	for i := range classes {
		classes[i] = fmt.Sprintf("BGViewController%05dCell", i)
	}
	files := []iosgen.File{
		{Name: root + "Info.plist", Data: iosgen.Plist(map[string]any{"CFBundleIdentifier": "com.example.big", "CFBundleExecutable": "Big", "NSCameraUsageDescription": "scan"}, true)},
		{Name: root + "Big", Data: iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute, TextSize: 120 << 20, ClassNames: append(classes, "GeTuiSdk", "UMConfigure"), ListedClasses: classes[:20000], Chained: true}.Bytes()},
	}
	for i := 0; i < 24; i++ {
		f := iosgen.Framework{Name: fmt.Sprintf("Kit%02d", i), Version: "1.0", Binary: iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeDylib, TextSize: 4 << 20, ClassNames: classes[i*100 : i*100+100]}.Bytes()}
		files = append(files, f.Files(root+"Frameworks/")...)
	}
	for i := 0; i < 1000; i++ {
		files = append(files, iosgen.File{Name: fmt.Sprintf("%sAssets/img%04d.png", root, i), Data: bytes.Repeat([]byte{byte(i)}, 8<<10)})
	}
	return iosgen.Zip(files)
})

// BenchmarkScanIPA compares a whole scan of a large .ipa with its inflate
// floor: reading every entry's bytes once and dropping them.
func BenchmarkScanIPA(b *testing.B) {
	ipa := largeIPA()
	b.Run("scan", func(b *testing.B) {
		b.SetBytes(int64(len(ipa)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			inv, err := Scan(context.Background(), bytes.NewReader(ipa), int64(len(ipa)), "big.ipa", Options{})
			if err != nil || inv.Status != StatusComplete {
				b.Fatal(err, inv.Errors)
			}
		}
	})
	b.Run("inflate-floor", func(b *testing.B) {
		b.SetBytes(int64(len(ipa)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			a, err := container.Open(bytes.NewReader(ipa), int64(len(ipa)), container.Limits{})
			if err != nil {
				b.Fatal(err)
			}
			for _, e := range a.Entries {
				rc, err := a.Open(e)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, rc)
				rc.Close()
			}
		}
	})
}

// TestWriteLargeIPA writes the benchmark's large app to
// $SDKAUDIT_WRITE_LARGE_IPA, for timing the command line against unzip
// (docs/benchmarks.md).
func TestWriteLargeIPA(t *testing.T) {
	p := os.Getenv("SDKAUDIT_WRITE_LARGE_IPA")
	if p == "" {
		t.Skip("set SDKAUDIT_WRITE_LARGE_IPA to a file name")
	}
	if err := os.WriteFile(p, largeIPA(), 0o644); err != nil {
		t.Fatal(err)
	}
}
