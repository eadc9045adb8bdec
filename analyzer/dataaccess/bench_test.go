package dataaccess

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/callgraph"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
)

// BenchmarkCodeScan compares, on the largest corpus APKs, the class-list
// scan (what detection needs) with the full scan that walks every
// instruction for the API rules and attributes the hits. The issue's
// budget is full <= 2x classes-only. "full+reach" adds the call summary
// to the same instruction walk and the reachability analysis (issue 18:
// its extra cost <= 1.5x the code scan's); "reach-only" times the
// analysis of an inventory scanned once, without the scan.
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
		for _, mode := range []string{"classes-only", "full", "full+reach"} {
			b.Run(filepath.Base(f)+"/"+mode, func(b *testing.B) {
				b.SetBytes(size(f))
				b.ReportAllocs()
				opts := inventory.Options{}
				switch mode {
				case "full":
					opts.Code = ix.Query()
				case "full+reach":
					opts.Code = &inventory.CodeQuery{Refs: ix.query.Refs, Keys: ix.query.Keys, Calls: true}
				}
				for i := 0; i < b.N; i++ {
					inv, err := inventory.ScanFile(context.Background(), f, opts)
					if err != nil {
						b.Fatal(err)
					}
					if mode != "classes-only" {
						ix.Analyze(inv, Options{})
					}
				}
			})
		}
		b.Run(filepath.Base(f)+"/reach-only", func(b *testing.B) {
			inv, err := inventory.ScanFile(context.Background(), f, inventory.Options{Code: &inventory.CodeQuery{Refs: ix.query.Refs, Keys: ix.query.Keys, Calls: true}})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				callgraph.Analyze(inv, callgraph.Options{})
			}
		})
	}
}
