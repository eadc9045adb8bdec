package detect

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
	"github.com/sdkaudit/sdkaudit/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestCorpusDetections compares the detections on every corpus APK with a
// golden list that was reviewed by hand (testdata/corpus-detections.txt):
// one line per APK, "file: id/confidence ...", "error" for unreadable
// files. Refresh with -update and review the diff before committing.
func TestCorpusDetections(t *testing.T) {
	files := testenv.CorpusAPKs(t)
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(db)
	var b strings.Builder
	b.WriteString("# Hand-reviewed SDK detections on ../shared/corpus (go test ./analyzer/detect -update).\n")
	for _, f := range files {
		fmt.Fprintf(&b, "%s:", filepath.Base(f))
		inv, err := inventory.ScanFile(context.Background(), f, inventory.Options{DexStrings: ix.DexStrings, NativeVersions: ix.NamesNativeLib})
		if err != nil {
			b.WriteString(" error\n")
			continue
		}
		r := ix.Detect(inv)
		for _, d := range r.SDKs {
			fmt.Fprintf(&b, " %s/%s", d.ID, d.Confidence)
			if d.Via != "" {
				fmt.Fprintf(&b, "(via %s)", d.Via)
			}
		}
		if len(r.Incomplete) > 0 {
			b.WriteString(" [incomplete]")
		}
		b.WriteString("\n")
	}
	golden := filepath.Join("testdata", "corpus-detections.txt")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("corpus detections changed (-want +got); review and refresh with -update:\n%s", diff)
	}
}
