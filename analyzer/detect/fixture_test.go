package detect

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/rules"
)

// answerRow matches a row of an EXPECTED-SDKS.md table: "| n | `id` | ... | conf |".
var answerRow = regexp.MustCompile("(?m)^\\| \\d+ \\| `([a-z0-9-]+)` \\|.*\\| (high|medium|low)(?: \\(via\\))? \\|$")

// traceRow matches a row whose confidence column says "trace".
var traceRow = regexp.MustCompile("(?m)^\\| \\d+ \\| `([a-z0-9-]+)` \\|.*\\| trace \\|$")

// The fixture shaped like the reference policy's app carries 36 SDKs
// through every evidence kind; its hand-written answer key lists the ids
// and confidences the detector must report, and nothing else.
func TestReferencePolicyFixture(t *testing.T) {
	key, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "src", "maimai-like", "EXPECTED-SDKS.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, m := range answerRow.FindAllStringSubmatch(string(key), -1) {
		want[m[1]] = m[2]
	}
	if len(want) < 30 {
		t.Fatalf("answer key parsed to only %d rows", len(want))
	}
	inv, err := inventory.ScanFile(context.Background(), filepath.Join("..", "..", "fixtures", "apk", "maimai-like.apk"), inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	r := NewIndex(db).Detect(inv)
	got := map[string]string{}
	kinds := map[string]bool{}
	for _, d := range r.SDKs {
		got[d.ID] = d.Confidence
		for _, e := range d.Evidence {
			kinds[e.Kind] = true
		}
		if d.Via != "" && d.ID != "meizu-push" {
			t.Errorf("%s unexpectedly attributed via %s", d.ID, d.Via)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("detections differ from EXPECTED-SDKS.md (-want +got):\n%s", diff)
	}
	wantTraces := map[string]bool{}
	for _, m := range traceRow.FindAllStringSubmatch(string(key), -1) {
		wantTraces[m[1]] = true
	}
	gotTraces := map[string]bool{}
	for _, d := range r.Traces {
		gotTraces[d.ID] = true
	}
	if diff := cmp.Diff(wantTraces, gotTraces); diff != "" {
		t.Errorf("traces differ from EXPECTED-SDKS.md (-want +got):\n%s", diff)
	}
	for _, k := range []string{KindDexPrefix, KindComponent, KindMetaData, KindNativeLib, KindAsset, KindPermission} {
		if !kinds[k] {
			t.Errorf("no detection used evidence kind %s", k)
		}
	}
	if len(r.Incomplete) != 0 {
		t.Errorf("unexpected incompleteness: %v", r.Incomplete)
	}
}
