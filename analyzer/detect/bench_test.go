package detect

import (
	"fmt"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/rules"
)

// BenchmarkDetect150k matches 150 000 classes, spread over every rule's
// prefixes and a large app-private tree, against the embedded database.
func BenchmarkDetect150k(b *testing.B) {
	db, err := rules.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	var prefixes []string
	for _, s := range db.SDKs {
		prefixes = append(prefixes, s.Signatures.DexPrefixes...)
	}
	classes := make([]string, 0, 150_000)
	for i := 0; len(classes) < 150_000; i++ {
		if i%2 == 0 && len(prefixes) > 0 {
			p := prefixes[i%len(prefixes)]
			classes = append(classes, fmt.Sprintf("L%s/sub%d/C%d;", slash(p), i%17, i))
		} else {
			classes = append(classes, fmt.Sprintf("Lcom/example/app/feature%d/C%d;", i%500, i))
		}
	}
	inv := &inventory.Inventory{Manifest: &manifest.Manifest{Package: "com.example.app"}}
	inv.Dex.Files = []inventory.DexFile{{Name: "classes.dex", ClassList: classes}}
	ix := NewIndex(db)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := ix.Detect(inv); len(r.SDKs) == 0 {
			b.Fatal("nothing detected")
		}
	}
}

func slash(p string) string {
	out := []byte(p)
	for i, c := range out {
		if c == '.' {
			out[i] = '/'
		}
	}
	return string(out)
}
