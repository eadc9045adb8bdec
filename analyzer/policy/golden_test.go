package policy

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGoldenDeclarations keeps the full declaration of every team-written
// policy as a golden file (testdata/policies/*.declaration.json), so any
// change in what the reader extracts shows up in review.
func TestGoldenDeclarations(t *testing.T) {
	lx := lexicon(t)
	docs, _ := filepath.Glob(filepath.Join("testdata", "policies", "*"))
	n := 0
	for _, doc := range docs {
		if strings.HasSuffix(doc, ".yaml") || strings.HasSuffix(doc, ".json") || strings.HasSuffix(doc, ".md") && strings.HasPrefix(filepath.Base(doc), "README") {
			continue
		}
		n++
		d, err := lx.Load([]string{doc}, Limits{})
		if err != nil {
			t.Errorf("%s: %v", doc, err)
			continue
		}
		got, _ := json.MarshalIndent(d, "", "  ")
		golden := doc + ".declaration.json"
		if *update {
			os.WriteFile(golden, append(got, '\n'), 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (go test ./analyzer/policy -update)", err)
		}
		if diff := cmp.Diff(strings.TrimSpace(string(want)), strings.TrimSpace(string(got))); diff != "" {
			t.Errorf("%s: declaration changed (-want +got):\n%s", doc, diff)
		}
	}
	if n == 0 {
		t.Fatal("no policies")
	}
}
