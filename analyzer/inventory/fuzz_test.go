package inventory

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/analyzer/dex"
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
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
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
