package inventory

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	gen "github.com/sdkaudit/sdkaudit/analyzer/internal/hostile"
)

// FuzzScan drives the whole pipeline (zip, manifest, resources, DEX) over
// arbitrary bytes. Seeds are the committed fixtures; the corpus is not
// copied into the seed set because its licences are not ours.
func FuzzScan(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "apk", "*.apk"))
	// Every packaging format, so the fuzzer starts from app sets and
	// bundles as well as plain APKs.
	for _, ext := range []string{"aab", "apks", "xapk", "apkm", "zip"} {
		m, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "apk", "formats", "*."+ext))
		files = append(files, m...)
	}
	// And the iOS path: Info.plist, Mach-O files, privacy manifests.
	ipas, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "ipa", "*.ipa"))
	files = append(files, ipas...)
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	// Generated shapes: a v041 DEX container with an SDK in its second
	// part, and small versions of the amplification shapes (a shared long
	// method name behind many call sites, class_defs repeating one type).
	first := gen.Dex{Version: 41, Strings: []string{"La/Main;"}, Types: []uint32{0}, Classes: []gen.Class{{Type: 0}}}.Build()
	second := gen.Dex{Version: 41, Strings: []string{"Lcom/igexin/sdk/PushManager;"}, Types: []uint32{0}, Classes: []gen.Class{{Type: 0}}}.BuildAt(uint32(len(first)))
	for _, d := range [][]byte{
		gen.Container(first, second),
		gen.Dex{Strings: []string{"Ljava/lang/Object;", "La/A;", "V", "<init>", "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"}, Types: []uint32{0, 1, 2},
			Protos: []gen.Proto{{Shorty: 2, Return: 2}}, Methods: []gen.Member{{Class: 0, Proto: 0, Name: 3}, {Class: 1, Proto: 0, Name: 4}},
			Code: [][]uint16{gen.Invoke(0)}, Classes: []gen.Class{{Type: 1, Methods: []gen.Method{{ID: 1}, {ID: 1}, {ID: 1}}}}}.Build(),
		gen.Dex{Strings: []string{"La/B;"}, Types: []uint32{0}, Classes: []gen.Class{{Type: 0}}, RepeatClasses: 8}.Build(),
	} {
		f.Add(gen.Zip(gen.Entry{Name: "AndroidManifest.xml", Data: gen.AXML(gen.Manifest("a.b"))}, gen.Entry{Name: "classes.dex", Data: d}))
	}
	// The code query makes every DEX file's instructions part of the
	// fuzzed pipeline, as in a real scan.
	opts := Options{Container: container.Limits{MaxEntrySize: 4 << 20, MaxTotalSize: 16 << 20}, Code: &CodeQuery{
		Refs: &dex.RefQuery{
			Methods:        map[string]map[string][]int32{"Ljava/lang/Object;": {"<init>": {0}}},
			Strings:        map[string][]int32{"android_id": {1}},
			StringPrefixes: []dex.StringPrefix{{Prefix: "content://", ID: 2}},
		},
		Keys: []string{"method:Ljava/lang/Object;-><init>", "string:android_id", "string:content://*"},
	}}
	f.Fuzz(func(t *testing.T, b []byte) {
		inv, err := Scan(context.Background(), bytes.NewReader(b), int64(len(b)), "fuzz.apk", opts)
		if err == nil && (inv == nil || inv.Manifest == nil) {
			t.Fatal("success without a manifest")
		}
	})
}
