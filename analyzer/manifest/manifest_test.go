package manifest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sampleManifest() *xelem {
	perm := func(name string, extra ...xattr) *xelem {
		return &xelem{name: "uses-permission", attrs: append([]xattr{{name: "name", android: true, typ: typeString, str: name}}, extra...)}
	}
	return &xelem{name: "manifest", attrs: []xattr{
		{name: "versionCode", android: true, typ: typeIntDec, data: 7},
		{name: "versionName", android: true, typ: typeString, str: "7.0-测试"},
		{name: "package", typ: typeString, str: "org.example.app"},
	}, children: []*xelem{
		{name: "uses-sdk", attrs: []xattr{
			{name: "minSdkVersion", android: true, typ: typeIntDec, data: 21},
			{name: "targetSdkVersion", android: true, typ: typeIntHex, data: 0x21},
		}},
		perm("android.permission.INTERNET"),
		perm("android.permission.READ_PHONE_STATE", xattr{name: "maxSdkVersion", android: true, typ: typeIntDec, data: 28}),
		perm("android.permission.READ_PHONE_STATE"),
		{name: "uses-permission-sdk-23", attrs: []xattr{{name: "name", android: true, typ: typeString, str: "android.permission.CAMERA"}}},
		{name: "permission", attrs: []xattr{
			{name: "name", android: true, typ: typeString, str: "org.example.app.permission.C2D"},
			{name: "protectionLevel", android: true, typ: typeIntHex, data: 0x2},
		}},
		{name: "application", children: []*xelem{
			{name: "meta-data", attrs: []xattr{
				{name: "name", android: true, typ: typeString, str: "GETUI_APPID"},
				{name: "value", android: true, typ: typeRef, data: 0x7f0a0001},
			}},
			{name: "service", attrs: []xattr{
				{name: "name", android: true, typ: typeString, str: ".PushService"},
				{name: "exported", android: true, typ: typeBool, data: 0},
			}},
			{name: "uses-permission", attrs: []xattr{{name: "name", android: true, typ: typeString, str: "android.permission.MISPLACED"}}},
		}},
	}}
}

func intp(n int) *int { return &n }

func TestParseGenerated(t *testing.T) {
	want := func() *Manifest {
		return &Manifest{
			Package:     "org.example.app",
			VersionCode: &Value{Value: "7"},
			VersionName: &Value{Value: "7.0-测试"},
			MinSDK:      SDK{Declared: &Value{Value: "21"}, Effective: intp(21)},
			TargetSDK:   SDK{Declared: &Value{Value: "33"}, Effective: intp(33)},
			Permissions: []UsesPermission{
				{Name: "android.permission.INTERNET", Element: "uses-permission"},
				{Name: "android.permission.READ_PHONE_STATE", Element: "uses-permission", MaxSDKVersion: intp(28)},
				{Name: "android.permission.READ_PHONE_STATE", Element: "uses-permission"},
				{Name: "android.permission.CAMERA", Element: "uses-permission-sdk-23", SDK23: true},
			},
			DeclaredPermissions: []Permission{{Name: "org.example.app.permission.C2D", ProtectionLevel: "signature"}},
			Components:          []Component{{Type: "service", Name: "org.example.app.PushService", Exported: "false", MetaData: nil}},
			MetaData:            []MetaData{{Owner: "application", Name: "GETUI_APPID", Value: &Value{Value: "@0x7f0a0001", Reference: "@0x7f0a0001"}}},
			Features:            []Feature{},
			Libraries:           []Library{},
			Queries:             Queries{Packages: []string{}, Intents: []IntentFilter{}, Providers: []string{}},
			Notes:               []string{"<uses-permission android.permission.MISPLACED> inside <application> is ignored by Android"},
		}
	}
	for _, tc := range []struct {
		name        string
		utf8, strip bool
	}{
		{"utf16 pool (aapt)", false, false},
		{"utf8 pool (aapt2)", true, false},
		{"attribute names stripped", true, true},
		{"attribute names stripped utf16", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(buildAXML(sampleManifest(), tc.utf8, tc.strip), nil, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want(), got); diff != "" {
				t.Errorf("manifest mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// Every proper prefix of a manifest must fail with an error, never decode
// into a shorter "successful" document and never panic.
func TestTruncatedEverywhere(t *testing.T) {
	full := buildAXML(sampleManifest(), true, false)
	for n := 0; n < len(full); n++ {
		m, err := Parse(full[:n], nil, Limits{})
		if err == nil {
			t.Fatalf("prefix of %d/%d bytes decoded without error: %d permissions", n, len(full), len(m.Permissions))
		}
		if !strings.HasPrefix(err.Error(), "manifest: ") {
			t.Fatalf("prefix %d: error without stage prefix: %v", n, err)
		}
	}
}

func TestRejects(t *testing.T) {
	notManifest := buildAXML(&xelem{name: "resources"}, true, false)
	deep := &xelem{name: "manifest"}
	cur := deep
	for i := 0; i < 300; i++ {
		c := &xelem{name: "x"}
		cur.children = []*xelem{c}
		cur = c
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"plain text", []byte(`<?xml version="1.0"?><manifest package="a"/>`), ErrPlainText},
		{"wrong root", notManifest, ErrNoRoot},
		{"too deep", buildAXML(deep, true, false), errTooDeep},
		{"empty", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.in, nil, Limits{})
			if err == nil {
				t.Fatal("want an error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestProtection(t *testing.T) {
	for in, want := range map[string]string{
		"":      "normal",
		"0x1":   "dangerous",
		"0x2":   "signature",
		"0x12":  "signature|privileged",
		"0x42":  "signature|appop",
		"18":    "signature|privileged",
		"weird": "weird",
	} {
		if got := protection(in); got != want {
			t.Errorf("protection(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestQualify(t *testing.T) {
	for _, tc := range [][3]string{
		{"a.b", ".X", "a.b.X"},
		{"a.b", "X", "a.b.X"},
		{"a.b", "c.d.X", "c.d.X"},
		{"a.b", "", ""},
	} {
		if got := qualify(tc[0], tc[1]); got != tc[2] {
			t.Errorf("qualify(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
}
