package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"a\x1b[31mred":           "a\\u001b[31mred",
		"line\nbreak":            "line\\u000abreak",
		"zero\u200bwidth":        "zero\\u200bwidth",
		"中文 ok":                  "中文 ok",
		strings.Repeat("x", 600): strings.Repeat("x", 512) + "…[truncated]",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func hostileInventory() *inventory.Inventory {
	return &inventory.Inventory{
		File:   "evil.apk",
		Status: inventory.StatusComplete,
		Manifest: &manifest.Manifest{
			Package:     "com.evil\x1b]0;pwned\x07",
			VersionName: &manifest.Value{Value: "1\r\n"},
			Permissions: []manifest.UsesPermission{{Name: "android.permission.CAMERA\x1b[2J", Element: "uses-permission"}},
			MetaData:    []manifest.MetaData{{Owner: "application", Name: "k", Value: &manifest.Value{Value: "<script>\x1b[0m"}}},
		},
	}
}

func TestTableEscapesAppText(t *testing.T) {
	var b bytes.Buffer
	if err := (tableEncoder{}).Encode(&b, []ScanResult{{File: "evil.apk", Inventory: hostileInventory()}, {File: "bad\x1b.apk", Err: errors.New("bad\x1b.apk: container: broken")}}, ScanOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07\r") {
		t.Fatalf("control characters reached the terminal:\n%q", b.String())
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := ScanEncoder("yaml"); err == nil || !strings.HasPrefix(err.Error(), "report: ") {
		t.Fatalf("got %v", err)
	}
	for _, e := range ScanEncoders {
		if got, err := ScanEncoder(e.Name()); err != nil || got.Name() != e.Name() {
			t.Fatalf("lookup %s: %v", e.Name(), err)
		}
	}
}
