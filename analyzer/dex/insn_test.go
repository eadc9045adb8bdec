package dex

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// units packs 16-bit code units little endian, as they sit in a file.
func units(us ...uint16) []byte {
	b := make([]byte, 0, 2*len(us))
	for _, u := range us {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

type decoded struct {
	Name          string
	Offset, Units uint32
	Index, Index2 uint32
	Ref           string
}

func decodeAll(b []byte) ([]decoded, error) {
	var out []decoded
	d := NewDecoder(b, 0x100)
	for d.Next() {
		in := d.Instruction()
		out = append(out, decoded{in.Name(), in.Offset, in.Units, in.Index, in.Index2, in.Ref().String()})
	}
	return out, d.Err()
}

func TestDecoderFormats(t *testing.T) {
	code := units(
		0x0000,         // nop
		0x011a, 0x0005, // const-string v1, string@5
		0x021b, 0x5678, 0x0001, // const-string/jumbo v2, string@0x15678
		0x106e, 0x0007, 0x0001, // invoke-virtual {v1}, method@7
		0x0274, 0x0009, 0x0003, // invoke-virtual/range {v3, v4}, method@9
		0x20fa, 0x000b, 0x0021, 0x000c, // invoke-polymorphic {v1, v2}, method@b, proto@c
		0x01fb, 0x000d, 0x0004, 0x000e, // invoke-polymorphic/range {v4}, method@d, proto@e
		0x00fc, 0x0003, 0x0000, // invoke-custom {}, call_site@3
		0x0060, 0x0004, // sget v0, field@4
		0x1052, 0x0006, // iget v0, v1, field@6
		0x0018, 0, 0, 0, 0, // const-wide v0, 0
		0x003e,                 // unused-3e
		0x002b, 0x0008, 0x0000, // packed-switch v0, +8 (to the payload below)
		0x000e,                           // return-void
		0x0100, 0x0002, 0, 0, 1, 0, 2, 0, // packed-switch-data, 2 targets
		0x0200, 0x0001, 1, 0, 3, 0, // sparse-switch-data, 1 entry
		0x0300, 0x0001, 0x0003, 0x0000, 0x0201, 0x0003, // array-data: 3 bytes, padded
		0x0300, 0x0008, 0x0001, 0x0000, 1, 2, 3, 4, // array-data: one 8-byte element
	)
	got, err := decodeAll(code)
	if err != nil {
		t.Fatal(err)
	}
	want := []decoded{
		{"nop", 0, 1, 0, 0, "none"},
		{"const-string", 1, 2, 5, 0, "string"},
		{"const-string/jumbo", 3, 3, 0x15678, 0, "string"},
		{"invoke-virtual", 6, 3, 7, 0, "method"},
		{"invoke-virtual/range", 9, 3, 9, 0, "method"},
		{"invoke-polymorphic", 12, 4, 0xb, 0xc, "method"},
		{"invoke-polymorphic/range", 16, 4, 0xd, 0xe, "method"},
		{"invoke-custom", 20, 3, 3, 0, "call_site"},
		{"sget", 23, 2, 4, 0, "field"},
		{"iget", 25, 2, 6, 0, "field"},
		{"const-wide", 27, 5, 0, 0, "none"},
		{"unused-3e", 32, 1, 0, 0, "none"},
		{"packed-switch", 33, 3, 0, 0, "none"},
		{"return-void", 36, 1, 0, 0, "none"},
		{"packed-switch-data", 37, 8, 0, 0, "none"},
		{"sparse-switch-data", 45, 6, 0, 0, "none"},
		{"array-data", 51, 6, 0, 0, "none"},
		{"array-data", 57, 8, 0, 0, "none"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}

func TestDecoderTruncation(t *testing.T) {
	cases := map[string][]byte{
		"invoke missing its index":    units(0x106e),
		"invoke missing its register": units(0x106e, 0x0001),
		"jumbo string cut":            units(0x001b, 0x0001),
		"polymorphic without proto":   units(0x20fa, 0x0001, 0x0021),
		"const-wide cut":              units(0x0018, 0, 0),
		"packed payload header cut":   units(0x0100),
		"packed payload lying size":   units(0x0100, 0xffff, 0, 0),
		"sparse payload lying size":   units(0x0200, 0x0002, 0, 0),
		"array payload header cut":    units(0x0300, 0x0001, 0x0010),
		"array payload lying size":    units(0x0300, 0xffff, 0xffff, 0xffff),
	}
	for name, code := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := decodeAll(code)
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, ErrTruncated) {
				t.Fatalf("err = %v, want a truncation FormatError", err)
			}
			if fe.Offset < 0x100 || fe.Offset >= 0x100+int64(len(code)) {
				t.Errorf("offset %#x outside the code at 0x100", fe.Offset)
			}
		})
	}
	// An odd trailing byte is not a code unit and is ignored.
	if got, err := decodeAll([]byte{0x0e, 0x00, 0x0e}); err != nil || len(got) != 1 {
		t.Errorf("odd length: %v %v", got, err)
	}
}

// Every opcode decodes to a named instruction of its format's width, and
// the format names the width in their first digit.
func TestOpTable(t *testing.T) {
	named := map[string]bool{}
	for op := 0; op < 256; op++ {
		info := opTable[op]
		if info.name == "" {
			t.Errorf("opcode %#02x has no name", op)
		}
		if !strings.HasPrefix(info.name, "unused-") {
			if named[info.name] {
				t.Errorf("name %s used twice", info.name)
			}
			named[info.name] = true
		}
		if w := int(info.format.String()[0] - '0'); w != int(formatUnits[info.format]) {
			t.Errorf("%s: format %s has width %d", info.name, info.format, formatUnits[info.format])
		}
	}
	if n := len(named); n != 224 {
		t.Errorf("%d defined opcodes, want 224 (32 are unused)", n)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(units(0x011a, 0x0005, 0x106e, 0x0007, 0x0001, 0x000e))
	f.Add(units(0x0100, 0x0002, 0, 0, 1, 0, 2, 0))
	f.Add(units(0x0300, 0x0008, 0x0001, 0x0000, 1, 2, 3, 4))
	f.Add(units(0x20fa, 0x000b, 0x0021, 0x000c))
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewDecoder(b, 0)
		var end uint32
		for d.Next() {
			in := d.Instruction()
			if in.Offset != end || in.Units == 0 {
				t.Fatalf("instruction %+v after offset %d", in, end)
			}
			end = in.Offset + in.Units
		}
		if uint64(end)*2 > uint64(len(b)) {
			t.Fatalf("decoded past the input: %d units of %d bytes", end, len(b))
		}
		if err := d.Err(); err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FormatError", err)
			}
		} else if end != uint32(len(b)/2) {
			t.Fatalf("clean end at %d of %d units", end, len(b)/2)
		}
	})
}

// fixtureDex reads a root DEX file of a fixture APK.
func fixtureDex(t testing.TB, apk, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join("..", "..", "fixtures", "apk", apk))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name == name {
			b, err := readZipFile(zf)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("%s has no %s", apk, name)
	return nil
}

func TestScanRefsParseAndOpenAgree(t *testing.T) {
	b := fixtureDex(t, "dataaccess.apk", "classes.dex")
	q := &RefQuery{
		Methods:        map[string]map[string][]int32{"Ljava/lang/Object;": {"<init>": {1}}},
		Strings:        map[string][]int32{},
		StringPrefixes: []StringPrefix{{Prefix: "", ID: 2}},
	}
	pf, err := Parse(b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	s1, st1, err := pf.ScanRefs(q)
	if err != nil {
		t.Fatal(err)
	}
	of, err := Open(strings.NewReader(string(b)), int64(len(b)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	s2, st2, err := of.ScanRefs(q)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s1, s2); diff != "" {
		t.Errorf("Parse vs Open sites (-parse +open):\n%s", diff)
	}
	if st1 != st2 {
		t.Errorf("stats differ: %+v vs %+v", st1, st2)
	}
	if len(s1) == 0 || st1.Instructions == 0 {
		t.Errorf("nothing found: %+v", st1)
	}
}

// The code scan's allocations are bounded by the file, whatever its code
// items claim: a code item named by every method of a class costs the
// budget, not quadratic time.
func TestScanRefsBudget(t *testing.T) {
	for _, name := range fixtureDexNames(t) {
		b := fixtureDex(t, name[0], name[1])
		f, err := Parse(b, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		var err2 error
		alloc := measureAlloc(func() { _, _, err2 = f.ScanRefs(&RefQuery{StringPrefixes: []StringPrefix{{"", 1}}}) })
		if err2 != nil {
			t.Errorf("%s: %v", name, err2)
		}
		if limit := uint64(64*len(b)) + 1<<20; alloc > limit {
			t.Errorf("%s: scan allocated %d bytes for a %d-byte file", name, alloc, len(b))
		}
	}
	runtime.GC()
}

func fixtureDexNames(t testing.TB) [][2]string {
	var out [][2]string
	apks, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "apk", "*.apk"))
	for _, a := range apks {
		zr, err := zip.OpenReader(a)
		if err != nil {
			continue
		}
		for _, zf := range zr.File {
			if strings.HasPrefix(zf.Name, "classes") && strings.HasSuffix(zf.Name, ".dex") {
				out = append(out, [2]string{filepath.Base(a), zf.Name})
			}
		}
		zr.Close()
	}
	if len(out) == 0 {
		t.Skip("no fixture DEX files")
	}
	return out
}

// TestWriteScanSeeds writes the fixture DEX files as FuzzScanRefs seeds:
// DEX_WRITE_SEEDS=1 go test -run TestWriteScanSeeds ./analyzer/dex/
func TestWriteScanSeeds(t *testing.T) {
	if os.Getenv("DEX_WRITE_SEEDS") == "" {
		t.Skip("set DEX_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzScanRefs seeds")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzScanRefs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range fixtureDexNames(t) {
		if n[0] != "dataaccess.apk" && n[0] != "minimal.apk" {
			continue
		}
		b := fixtureDex(t, n[0], n[1])
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		name := "seed-" + strings.TrimSuffix(n[0], ".apk") + "-" + strings.TrimSuffix(n[1], ".dex")
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzScanRefs runs the code scan over arbitrary files: no panic, typed
// errors, bounded memory, and Parse and Open agree.
func FuzzScanRefs(f *testing.F) {
	for _, b := range seedFiles() {
		f.Add(b)
	}
	q := &RefQuery{
		Methods:        map[string]map[string][]int32{"La/A;": {"m": {1}}, "Ljava/lang/Object;": {"<init>": {2}}},
		Fields:         map[string]map[string][]int32{"Landroid/os/Build;": {"SERIAL": {3}}},
		Strings:        map[string][]int32{"android_id": {4}},
		StringPrefixes: []StringPrefix{{"content://", 5}},
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pf, err := Parse(b, Limits{})
		if err != nil {
			return
		}
		var s1 []RefSite
		var err1 error
		alloc := measureAlloc(func() { s1, _, err1 = pf.ScanRefs(q) })
		if limit := uint64(64*len(b)) + 4<<20; alloc > limit {
			t.Fatalf("scan allocated %d bytes for %d input bytes", alloc, len(b))
		}
		if err1 != nil {
			var fe *FormatError
			if !errors.As(err1, &fe) {
				t.Fatalf("error %T is not a *FormatError: %v", err1, err1)
			}
		}
		of, err := Open(strings.NewReader(string(b)), int64(len(b)), Limits{})
		if err != nil {
			t.Fatalf("Parse accepted but Open refused: %v", err)
		}
		s2, _, err2 := of.ScanRefs(q)
		if (err1 == nil) != (err2 == nil) || !cmp.Equal(s1, s2) {
			t.Fatalf("Parse and Open disagree: %v / %v", err1, err2)
		}
	})
}

// A done context stops the reference scan before the first class, with
// the context's error: the per-app time budget holds inside one file.
func TestScanRefsContextStops(t *testing.T) {
	names := fixtureDexNames(t)
	if len(names) == 0 {
		t.Skip("no fixture DEX")
	}
	f, err := Parse(fixtureDex(t, names[0][0], names[0][1]), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sites, st, err := f.ScanRefsContext(ctx, &RefQuery{StringPrefixes: []StringPrefix{{"", 1}}})
	if !errors.Is(err, context.Canceled) || len(sites) != 0 || st.Classes != 0 {
		t.Fatalf("sites %d, classes %d, err %v", len(sites), st.Classes, err)
	}
}

// FuzzScanCalls runs the code scan with a call summary over arbitrary
// files: no panic, memory bounded by the input, every reference in range,
// and Parse and Open summarise alike.
func FuzzScanCalls(f *testing.F) {
	for _, b := range seedFiles() {
		f.Add(b)
	}
	q := &RefQuery{Strings: map[string][]int32{"android_id": {1}}}
	f.Fuzz(func(t *testing.T, b []byte) {
		pf, err := Parse(b, Limits{})
		if err != nil {
			return
		}
		c1 := NewCalls(CallLimits{})
		alloc := measureAlloc(func() { _, _, _ = pf.ScanRefsCalls(context.Background(), q, c1, "classes.dex") })
		if limit := uint64(96*len(b)) + 4<<20; alloc > limit {
			t.Fatalf("scan allocated %d bytes for %d input bytes", alloc, len(b))
		}
		nt := uint32(c1.NumTypes())
		for tid := range nt {
			cl := c1.Class(tid)
			if cl == nil {
				continue
			}
			if cl.Super != NoIndex && cl.Super >= nt {
				t.Fatalf("class type %d super %d out of range", tid, cl.Super)
			}
			inRange := func(k MethodKey) bool {
				return k.Class < nt && int(k.Name) < c1.NumNames() && int(k.Proto) < c1.NumProtos()
			}
			for i, m := range c1.Methods(cl) {
				if !inRange(m.Key(tid)) || int(m.End()) > len(c1.Refs(cl)) {
					t.Fatalf("method %d: key %v end %d out of range", i, m.Key(tid), m.End())
				}
				for _, r := range c1.MethodRefs(cl, i) {
					if k := r.Kind(); k <= CallSuper && !inRange(r.Method()) || k > CallSuper && r.Type() >= nt {
						t.Fatalf("ref %x of kind %d out of range", uint64(r), r.Kind())
					}
				}
			}
		}
		of, err := Open(strings.NewReader(string(b)), int64(len(b)), Limits{})
		if err != nil {
			t.Fatalf("Parse accepted but Open refused: %v", err)
		}
		c2 := NewCalls(CallLimits{})
		_, _, _ = of.ScanRefsCalls(context.Background(), q, c2, "classes.dex")
		if !sameCalls(c1, c2) {
			t.Fatal("Parse and Open summarise differently")
		}
	})
}

func TestClassLike(t *testing.T) {
	for s, want := range map[string]bool{
		"com.foo.Bar": true, "com.foo.Bar$1": true, "a.b": true, "android_id": false, "content://sms": false,
		"com.foo.": false, ".com.foo": false, "com..foo": false, "com.foo Bar": false, "x": false,
	} {
		if got := classLike([]byte(s)); got != want {
			t.Errorf("classLike(%q) = %v, want %v", s, got, want)
		}
	}
}

// sameCalls compares two summaries by content: the same strings under the
// same ids and the same classes.
func sameCalls(a, b *Calls) bool {
	if !cmp.Equal(a.types.text, b.types.text) || !cmp.Equal(a.types.ends, b.types.ends) ||
		!cmp.Equal(a.names.text, b.names.text) || !cmp.Equal(a.names.ends, b.names.ends) ||
		!cmp.Equal(a.protos.text, b.protos.text) || !cmp.Equal(a.protos.ends, b.protos.ends) ||
		!cmp.Equal(a.named, b.named) || a.Truncated != b.Truncated || len(a.classes) != len(b.classes) {
		return false
	}
	for tid := range uint32(len(a.classes)) {
		x, y := a.Class(tid), b.Class(tid)
		if (x == nil) != (y == nil) {
			return false
		}
		if x == nil {
			continue
		}
		if x.Super != y.Super || a.File(x) != b.File(y) || !cmp.Equal(a.Interfaces(x), b.Interfaces(y)) ||
			!cmp.Equal(a.Methods(x), b.Methods(y), cmp.AllowUnexported(CallMethod{})) || !cmp.Equal(a.Refs(x), b.Refs(y)) {
			return false
		}
	}
	return true
}
