package exodus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/rules"
)

func TestPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"com.databerries.":      "com.databerries",
		`com\.facebook\.ads\.`:  "com.facebook.ads",
		"^io.acme":              "io.acme",
		"com/foo/bar":           "com.foo.bar",
		`com\.foo\.(bar|baz)`:   "",
		"single":                "",
		"com.foo.*":             "",
		" com.spaces.trimmed. ": "com.spaces.trimmed",
	} {
		got, ok := prefix(in)
		if (want == "") == ok || got != want {
			t.Errorf("prefix(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestConvertRoundTrip(t *testing.T) {
	base, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	in := []byte(`{"trackers": {
		"10": {"id": 10, "name": "Acme", "code_signature": "io.acme.track.|io.acme.track.", "categories": ["Profiling"]},
		"2": {"id": 2, "name": "Twice Claimed", "code_signature": "io.acme.track.", "categories": []},
		"3": {"id": 3, "name": "Getui", "code_signature": "com.igexin.", "categories": ["Analytics"]}}}`)
	res, err := Convert(in, base)
	if err != nil {
		t.Fatal(err)
	}
	// Numeric order: 2 claims the prefix first, 10 then has nothing left.
	if res.Converted != 1 || res.SDKs[0].ID != "exodus-2" || len(res.Skipped) != 2 {
		t.Fatalf("converted %d %+v skipped %v", res.Converted, res.SDKs, res.Skipped)
	}
	if !strings.Contains(strings.Join(res.Skipped, ";"), "covered by built-in rule getui-push") {
		t.Errorf("skip reasons: %v", res.Skipped)
	}
	dir := t.TempDir()
	if err := res.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	extra, err := rules.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := base.Merge(extra); err != nil {
		t.Fatalf("imported rules do not merge: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sdks", "exodus.yaml")); err != nil {
		t.Fatal(err)
	}
}

func TestConvertRejects(t *testing.T) {
	base, _ := rules.Embedded()
	for _, in := range []string{``, `[]`, `{"trackers": {}}`, `{"trackers": 5}`} {
		if _, err := Convert([]byte(in), base); err == nil || !strings.HasPrefix(err.Error(), "exodus: ") {
			t.Errorf("Convert(%q) = %v", in, err)
		}
	}
}
