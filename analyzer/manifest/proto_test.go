package manifest

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/sdkaudit/sdkaudit/analyzer/internal/aab"
)

func zipEntry(t testing.TB, z []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no %s in archive", name)
	return nil
}

type fixtureManifest struct {
	name        string
	axml, proto []byte
}

func fixtureManifests(t testing.TB) []fixtureManifest {
	t.Helper()
	apks, err := filepath.Glob("../../fixtures/apk/*.apk")
	if err != nil || len(apks) == 0 {
		t.Fatalf("no fixture APKs: %v", err)
	}
	var out []fixtureManifest
	for _, p := range apks {
		apk, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		bundle, err := aab.FromAPK(apk)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		fm := fixtureManifest{
			name:  filepath.Base(p),
			axml:  zipEntry(t, apk, "AndroidManifest.xml"),
			proto: zipEntry(t, bundle, "base/manifest/AndroidManifest.xml"),
		}
		out = append(out, fm)
	}
	return out
}

// The bundle carries no resources.pb, so the protobuf manifest is compared
// with the binary one decoded without resources.arsc: then nothing may
// differ. (With resources.arsc the binary path resolves references, and
// everything fed by one differs: Value text, plain string fields such as
// networkSecurityConfig or exported written as "@7f…", and the effective
// SDK levels and maxSdkVersion computed from resolved numbers.)
func TestParseProtoMatchesBinary(t *testing.T) {
	for _, fm := range fixtureManifests(t) {
		t.Run(fm.name, func(t *testing.T) {
			want, err := Parse(fm.axml, nil, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseProto(fm.proto, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseProto differs from Parse (-binary +proto):\n%s", diff)
			}
			if got.Package == "" || got.VersionCode == nil {
				t.Errorf("suspiciously empty manifest: %+v", got)
			}
		})
	}
}

func TestParseProtoTruncatedEverywhere(t *testing.T) {
	for _, fm := range fixtureManifests(t) {
		full := fm.proto
		for n := 0; n < len(full); n++ {
			// The whole document is one length-delimited field, so every
			// proper prefix is short of the length it declares.
			_, err := ParseProto(full[:n], Limits{})
			var me *Error
			if !errors.As(err, &me) || me.What != "proto xml" || !errors.Is(err, ErrTruncated) {
				t.Fatalf("%s prefix %d/%d: want a truncation error, got %v", fm.name, n, len(full), err)
			}
		}
	}
}

// Small builders for hand-made XmlNode messages.
func pbBytes(num protowire.Number, v []byte) []byte {
	b := protowire.AppendTag(nil, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func pbElem(name string, parts ...[]byte) []byte {
	el := pbBytes(3, []byte(name))
	for _, p := range parts {
		el = append(el, p...)
	}
	return pbBytes(1, el) // XmlNode{element}
}

func pbChild(node []byte) []byte { return pbBytes(5, node) }

func pbAttr(name string, resID uint32, value string, item []byte) []byte {
	a := pbBytes(2, []byte(name))
	if value != "" {
		a = append(a, pbBytes(3, []byte(value))...)
	}
	if resID != 0 {
		a = protowire.AppendTag(a, 5, protowire.VarintType)
		a = protowire.AppendVarint(a, uint64(resID))
	}
	if item != nil {
		a = append(a, pbBytes(6, item)...)
	}
	return pbBytes(4, a)
}

func pbPrim(num protowire.Number, v uint64) []byte {
	p := protowire.AppendTag(nil, num, protowire.VarintType)
	return pbBytes(7, protowire.AppendVarint(p, v))
}

func TestParseProtoValues(t *testing.T) {
	ref := pbBytes(1, protowire.AppendVarint(protowire.AppendTag(nil, 2, protowire.VarintType), 0x7f0a0001))
	doc := pbElem("manifest",
		pbAttr("package", 0, "org.example", nil),
		pbAttr("versionCode", 0x0101021b, "", pbPrim(6, negFive)),
		pbChild(pbElem("uses-sdk", pbAttr("minSdkVersion", 0x0101020c, "", pbPrim(7, 0x15)))),
		// Named by resource ID, whatever the string says.
		pbChild(pbElem("uses-permission", pbAttr("obfuscated", 0x01010003, "android.permission.CAMERA", nil))),
		pbChild(pbElem("permission",
			pbAttr("name", 0x01010003, "", pbBytes(2, pbBytes(1, []byte("org.example.P")))),
			pbAttr("protectionLevel", 0x01010009, "", pbPrim(7, 0x12)))),
		pbChild(pbElem("application",
			pbAttr("debuggable", 0x0101000f, "", pbPrim(8, 1)),
			pbAttr("allowBackup", 0x01010280, "", pbPrim(8, 0)),
			pbChild(pbElem("meta-data", pbAttr("name", 0x01010003, "K", nil), pbAttr("value", 0x01010024, "", ref))),
			pbChild(pbBytes(2, []byte("text nodes are ignored"))),
		)),
	)
	m, err := ParseProto(doc, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Package != "org.example" || m.VersionCode.Value != "-5" || m.MinSDK.Declared.Value != "21" {
		t.Errorf("package %q versionCode %v minSdk %v", m.Package, m.VersionCode, m.MinSDK.Declared)
	}
	if len(m.Permissions) != 1 || m.Permissions[0].Name != "android.permission.CAMERA" {
		t.Errorf("permissions %+v", m.Permissions)
	}
	if len(m.DeclaredPermissions) != 1 || m.DeclaredPermissions[0].ProtectionLevel != "signature|privileged" {
		t.Errorf("declared %+v", m.DeclaredPermissions)
	}
	if m.Application.Debuggable != "true" || m.Application.AllowBackup != "false" {
		t.Errorf("application %+v", m.Application)
	}
	if len(m.MetaData) != 1 || *m.MetaData[0].Value != (Value{Value: "@0x7f0a0001", Reference: "@0x7f0a0001"}) {
		t.Errorf("meta-data %+v", m.MetaData)
	}
}

// Repeated occurrences of a message field merge, as protobuf parsers do,
// and a later text member of the XmlNode oneof replaces an element.
func TestParseProtoMergeAndOneof(t *testing.T) {
	root := pbElem("manifest", pbAttr("package", 0, "a.b", nil))
	root = append(root, pbBytes(1, pbChild(pbElem("uses-permission", pbAttr("name", 0x01010003, "P1", nil))))...)
	hidden := append(pbElem("uses-permission", pbAttr("name", 0x01010003, "P2", nil)), pbBytes(2, []byte("t"))...)
	root = append(root, pbBytes(1, pbChild(hidden))...)
	m, err := ParseProto(root, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Package != "a.b" || len(m.Permissions) != 1 || m.Permissions[0].Name != "P1" {
		t.Errorf("got package %q permissions %+v", m.Package, m.Permissions)
	}
}

func TestParseProtoRejects(t *testing.T) {
	nest := func(depth int) []byte {
		n := pbElem("x")
		for i := 0; i < depth; i++ {
			n = pbElem("x", pbChild(n))
		}
		return pbElem("manifest", pbChild(n))
	}
	wide := func(n int) []byte {
		var kids []byte
		for i := 0; i < n; i++ {
			kids = append(kids, pbChild(pbElem("uses-permission"))...)
		}
		return pbElem("manifest", kids)
	}
	groups := func(depth int) []byte {
		var b []byte
		for i := 0; i < depth; i++ {
			b = protowire.AppendTag(b, 9, protowire.StartGroupType)
		}
		return pbElem("manifest", b)
	}
	lying := protowire.AppendVarint([]byte{0x0a}, 1<<62)
	wrongType := pbBytes(1, protowire.AppendVarint(protowire.AppendTag(nil, 3, protowire.VarintType), 7))
	binary := buildAXML(sampleManifest(), true, false)
	for _, tc := range []struct {
		name   string
		in     []byte
		lim    Limits
		want   error
		offset int // of a WireError, -1 when none is expected
	}{
		{"empty", nil, Limits{}, ErrTruncated, -1},
		{"text root", pbBytes(2, []byte("hello")), Limits{}, ErrTruncated, -1},
		{"wrong root", pbElem("resources"), Limits{}, ErrNoRoot, -1},
		{"plain text", []byte(`<manifest package="a"/>`), Limits{}, ErrPlainText, -1},
		{"lying length", lying, Limits{}, ErrTruncated, 1},
		{"length past parent", pbBytes(1, []byte{0x2a, 0x05}), Limits{}, ErrTruncated, 3},
		{"wrong wire type", wrongType, Limits{}, nil, 2},
		{"reserved wire type", []byte{0x0e}, Limits{}, nil, 0},
		{"field number zero", []byte{0x00}, Limits{}, nil, 0},
		{"binary xml", binary, Limits{}, nil, 0},
		{"unterminated varint", []byte{0x08, 0xff, 0xff}, Limits{}, ErrTruncated, 1},
		{"deep", nest(200), Limits{}, errTooDeep, -1},
		{"deep bomb", nest(3000), Limits{}, errTooDeep, -1},
		{"group bomb", groups(100000), Limits{}, errTooDeep, -1},
		{"too many elements", wide(300), Limits{MaxElements: 100}, errTooBig, -1},
		{"too large", wide(10), Limits{MaxProtoBytes: 16}, errTooLarge, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseProto(tc.in, tc.lim)
			if err == nil {
				t.Fatalf("want an error, got %+v", m)
			}
			var me *Error
			if !errors.As(err, &me) || me.What != "proto xml" {
				t.Fatalf("untyped error %v", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			var we *WireError
			if tc.offset >= 0 {
				if !errors.As(err, &we) || we.Offset != tc.offset {
					t.Fatalf("want a WireError at offset %d, got %v", tc.offset, err)
				}
			}
		})
	}
}

// negFive is int32 -5 as protobuf puts it on the wire, sign-extended.
var negFive = func() uint64 { v := int64(-5); return uint64(v) }()

func TestWriteProtoSeeds(t *testing.T) {
	if os.Getenv("SDKAUDIT_WRITE_SEEDS") == "" {
		t.Skip("set SDKAUDIT_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzParseProto")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzParseProto")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, fm := range fixtureManifests(t) {
		body := "go test fuzz v1\n[]byte(" + strconv.Quote(string(fm.proto)) + ")\n"
		name := "fixture-" + strings.TrimSuffix(fm.name, ".apk")
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
