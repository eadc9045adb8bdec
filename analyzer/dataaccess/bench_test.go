package dataaccess

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
)

// BenchmarkCodeScan compares, on the largest corpus APKs, the class-list
// scan (what detection needs) with the full scan that walks every
// instruction for the API rules and attributes the hits. The issue's
// budget is full <= 2x classes-only.
func BenchmarkCodeScan(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "apks")
	files, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	if len(files) == 0 {
		b.Skip("corpus not present")
	}
	size := func(p string) int64 {
		st, err := os.Stat(p)
		if err != nil {
			return 0
		}
		return st.Size()
	}
	sort.Slice(files, func(i, j int) bool { return size(files[i]) > size(files[j]) })
	files = files[:min(2, len(files))]
	ix := NewIndex(embedded(b))
	for _, f := range files {
		for _, mode := range []string{"classes-only", "full"} {
			b.Run(filepath.Base(f)+"/"+mode, func(b *testing.B) {
				b.SetBytes(size(f))
				b.ReportAllocs()
				opts := inventory.Options{}
				if mode == "full" {
					opts.Code = ix.Query()
				}
				for i := 0; i < b.N; i++ {
					inv, err := inventory.ScanFile(context.Background(), f, opts)
					if err != nil {
						b.Fatal(err)
					}
					if mode == "full" {
						ix.Analyze(inv, Options{})
					}
				}
			})
		}
	}
}
