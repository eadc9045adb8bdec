package inventory

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// largestCorpus returns the n largest corpus APKs, skipping when absent.
func largestCorpus(b *testing.B, n int) []string {
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
	if len(files) > n {
		files = files[:n]
	}
	return files
}

// BenchmarkScan measures the whole container+manifest+dex pipeline on the
// largest corpus APKs, one sub-benchmark each.
func BenchmarkScan(b *testing.B) {
	for _, f := range largestCorpus(b, 4) {
		st, _ := os.Stat(f)
		b.Run(filepath.Base(f), func(b *testing.B) {
			b.SetBytes(st.Size())
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := ScanFile(context.Background(), f, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
