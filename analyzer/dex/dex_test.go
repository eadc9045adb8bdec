package dex

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// both runs fn over Parse and over Open of the same bytes, so every test of
// behaviour covers the slice and the ReaderAt paths alike.
func both(t *testing.T, b []byte, lim Limits, fn func(t *testing.T, f *File)) {
	t.Helper()
	f, err := Parse(b, lim)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	t.Run("Parse", func(t *testing.T) { fn(t, f) })
	g, err := Open(bytes.NewReader(b), int64(len(b)), lim)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Run("Open", func(t *testing.T) { fn(t, g) })
}

func TestRoundTrip(t *testing.T) {
	for v := 35; v <= 41; v++ {
		t.Run(fmt.Sprintf("v%03d", v), func(t *testing.T) {
			d := sampleSpec(v).build()
			both(t, d.b, Limits{}, func(t *testing.T, f *File) {
				checkSample(t, f, d, v)
			})
		})
	}
}

func checkSample(t *testing.T, f *File, d *builtDex, v int) {
	t.Helper()
	if f.Version() != v {
		t.Errorf("Version = %d, want %d", f.Version(), v)
	}
	h := f.Header()
	if h.FileSize != uint32(len(d.b)) || h.EndianTag != endianConstant {
		t.Errorf("header: %+v", h)
	}
	if v >= 41 && (h.HeaderSize != 0x78 || h.ContainerSize != uint32(len(d.b)) || h.HeaderOffset != 0) {
		t.Errorf("v041 header fields: size %#x container %#x offset %#x", h.HeaderSize, h.ContainerSize, h.HeaderOffset)
	}
	if f.NumStrings() != len(d.strings) || f.NumTypes() != len(d.types) {
		t.Fatalf("counts: %d strings, %d types; want %d, %d", f.NumStrings(), f.NumTypes(), len(d.strings), len(d.types))
	}
	if f.NumProtos() != 3 || f.NumFields() != 3 || f.NumMethods() != 5 || f.NumClassDefs() != 4 {
		t.Errorf("counts: protos %d fields %d methods %d classes %d", f.NumProtos(), f.NumFields(), f.NumMethods(), f.NumClassDefs())
	}
	// Every string decodes to what the writer encoded.
	for i, raw := range d.strings {
		got, err := f.String(uint32(i))
		if err != nil {
			t.Fatalf("String(%d): %v", i, err)
		}
		if want := string(utf16.Decode(utf16Of(raw))); got != want {
			t.Errorf("String(%d) = %q, want %q", i, got, want)
		}
	}
	want := []string{"Lcom/example/Base;", "Lcom/example/Main;", "Lcom/example/ünï$Cödé;", "Lcom/example/Emoji😀;"}
	got, err := f.ClassDescriptors()
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ClassDescriptors = %q, %v; want %q", got, err, want)
	}
	c, err := f.ClassDef(1)
	if err != nil {
		t.Fatal(err)
	}
	if c.Descriptor != "Lcom/example/Main;" || c.AccessFlags != 0x11 {
		t.Errorf("ClassDef(1) = %+v", c)
	}
	if s, _ := f.TypeDescriptor(c.SuperclassIdx); s != "Lcom/example/Base;" {
		t.Errorf("superclass %q", s)
	}
	if s, _ := f.String(c.SourceFileIdx); s != "Main.java" {
		t.Errorf("source file %q", s)
	}
	if ifs, err := f.Interfaces(c); err != nil || !slices.Equal(ifs, []string{"Ljava/lang/Runnable;", "Ljava/io/Serializable;"}) {
		t.Errorf("Interfaces = %q, %v", ifs, err)
	}
	if c3, _ := f.ClassDef(3); c3.SourceFileIdx != NoIndex || c3.InterfacesOff != 0 {
		t.Errorf("ClassDef(3) = %+v", c3)
	}
	var fields []string
	for i := range f.NumFields() {
		r, err := f.Field(uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		fields = append(fields, r.Class+"->"+r.Name+":"+r.Type)
	}
	wantFields := []string{"Lcom/example/Base;->values:[J", "Lcom/example/Main;->count:I", "Lcom/example/Main;->name:Ljava/lang/String;"}
	if !slices.Equal(fields, wantFields) {
		t.Errorf("fields = %q", fields)
	}
	var methods []string
	for i := range f.NumMethods() {
		m, err := f.Method(uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		methods = append(methods, m.Class+"->"+m.Name+m.Proto.String()+" "+m.Proto.Shorty)
	}
	wantMethods := []string{
		"Lcom/example/Base;->compute(ILjava/lang/String;[J)I IILL",
		"Lcom/example/Base;->wide(DZ)J JDZ",
		"Lcom/example/Main;-><init>()V V",
		"Lcom/example/Main;->compute(ILjava/lang/String;[J)I IILL",
		"Lcom/example/Main;->run()V V",
	}
	if !slices.Equal(methods, wantMethods) {
		t.Errorf("methods = %q", methods)
	}
	items, err := f.MapList()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range items {
		names = append(names, it.TypeName())
	}
	if strings.Join(names, " ") != "header_item string_id_item type_id_item proto_id_item field_id_item method_id_item class_def_item type_list string_data_item map_list" {
		t.Errorf("map = %v", names)
	}
	if err := f.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if !f.VerifyChecksum() {
		t.Error("VerifyChecksum = false on a fresh file")
	}
}

// utf16Of decodes writer-produced (valid) MUTF-8 to UTF-16 independently of
// the package's decoder.
func utf16Of(raw string) []uint16 {
	var u []uint16
	b := []byte(raw)
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c < 0x80:
			u = append(u, uint16(c))
			i++
		case c < 0xe0:
			u = append(u, uint16(c&0x1f)<<6|uint16(b[i+1]&0x3f))
			i += 2
		default:
			u = append(u, uint16(c&0x0f)<<12|uint16(b[i+1]&0x3f)<<6|uint16(b[i+2]&0x3f))
			i += 3
		}
	}
	return u
}

func TestVerifyChecksumDetectsDamage(t *testing.T) {
	d := sampleSpec(35).build()
	d.b[len(d.b)-1] ^= 0xff
	both(t, d.b, Limits{}, func(t *testing.T, f *File) {
		if f.VerifyChecksum() {
			t.Error("VerifyChecksum = true after flipping a byte")
		}
	})
}

func TestMUTF8(t *testing.T) {
	const fffd = "\uFFFD"
	cases := []struct {
		name string
		raw  []byte
		want string
	}{
		{"empty", nil, ""},
		{"ascii", []byte("Lcom/foo/Bar;"), "Lcom/foo/Bar;"},
		{"nul C0 80", []byte{'a', 0xc0, 0x80, 'b'}, "a\x00b"},
		{"two-byte", []byte{0xc3, 0xa9}, "é"},
		{"three-byte", []byte{0xe4, 0xb8, 0xad}, "中"},
		{"surrogate pair", encodeMUTF8("😀"), "😀"},
		{"two pairs", encodeMUTF8("𝄞😀x"), "𝄞😀x"},
		{"lone high surrogate", []byte{0xed, 0xa0, 0xbd, 'x'}, fffd + "x"},
		{"lone high at end", []byte{0xed, 0xa0, 0xbd}, fffd},
		{"lone low surrogate", []byte{0xed, 0xb8, 0x80}, fffd},
		{"low then high", []byte{0xed, 0xb8, 0x80, 0xed, 0xa0, 0xbd}, fffd + fffd},
		{"high high low", []byte{0xed, 0xa0, 0xbd, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80}, fffd + "😀"},
		{"lone continuation", []byte{0x80, 'a'}, fffd + "a"},
		{"overlong slash", []byte{0xc0, 0xaf}, fffd},
		{"overlong 3-byte", []byte{0xe0, 0x81, 0x81}, fffd},
		{"four-byte utf-8", []byte{0xf0, 0x9f, 0x98, 0x80}, fffd + fffd + fffd + fffd},
		{"truncated 2-byte", []byte{'a', 0xc3}, "a" + fffd},
		{"truncated 3-byte", []byte{0xe4, 0xb8}, fffd + fffd},
		{"bad continuation", []byte{0xc3, 'A'}, fffd + "A"},
		{"ff byte", []byte{0xff}, fffd},
	}
	for _, c := range cases {
		got := decodeMUTF8(c.raw, isASCII(c.raw))
		if got != c.want {
			t.Errorf("%s: decode(% x) = %q, want %q", c.name, c.raw, got, c.want)
		}
		if n := len(appendMUTF8(nil, c.raw)); n > 3*len(c.raw) {
			t.Errorf("%s: %d output bytes for %d input bytes", c.name, n, len(c.raw))
		}
	}

	// The same strings through a file, as String and as class descriptors.
	var spec dexSpec
	for _, c := range cases {
		spec.RawStrings = append(spec.RawStrings, c.raw)
	}
	spec.Classes = []wClass{{Desc: "L中/é\x00😀;"}}
	d := spec.build()
	both(t, d.b, Limits{}, func(t *testing.T, f *File) {
		for _, c := range cases {
			got, err := f.String(d.stringIdx(string(c.raw)))
			if err != nil || got != c.want {
				t.Errorf("%s: String = %q, %v; want %q", c.name, got, err, c.want)
			}
		}
		ds, err := f.ClassDescriptors()
		if err != nil || len(ds) != 1 || ds[0] != "L中/é\x00😀;" {
			t.Errorf("ClassDescriptors = %q, %v", ds, err)
		}
		// Invalid strings are reported only as utf16_size mismatches by
		// Validate, never as a failure to read.
		if err := f.Validate(); err != nil {
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				if !errors.Is(e, ErrInvalid) || !strings.Contains(e.Error(), "utf16_size") {
					t.Errorf("Validate: %v", e)
				}
			}
		}
	})
}

// TestCompareMUTF8 checks the sort order Validate applies against UTF-16
// code unit order computed independently.
func TestCompareMUTF8(t *testing.T) {
	alphabet := []rune{0, 'a', 'z', 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xffff, 0x10000, 0x1f600, 0x10ffff}
	rng := rand.New(rand.NewPCG(1, 2))
	gen := func() string {
		r := make([]rune, rng.IntN(4))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	for range 5000 {
		a, b := gen(), gen()
		want := slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
		if got := compareMUTF8(encodeMUTF8(a), encodeMUTF8(b)); got != want {
			t.Fatalf("compare(%q, %q) = %d, want %d", a, b, got, want)
		}
		if n := countUTF16(encodeMUTF8(a)); n != len(utf16.Encode([]rune(a))) {
			t.Fatalf("countUTF16(%q) = %d", a, n)
		}
	}
}

func TestLEB128(t *testing.T) {
	// Vectors from the format description.
	cases := []struct {
		b    []byte
		u    uint32
		s    int32
		p1   int32
		size int
	}{
		{[]byte{0x00}, 0, 0, -1, 1},
		{[]byte{0x01}, 1, 1, 0, 1},
		{[]byte{0x7f}, 127, -1, 126, 1},
		{[]byte{0x80, 0x7f}, 16256, -128, 16255, 2},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 0xffffffff, -1, -2, 5},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x08}, 0x80000000, -0x80000000, 0x7fffffff, 5},
	}
	for _, c := range cases {
		u, n, ok := decodeULEB128(c.b)
		s, m, ok2 := decodeSLEB128(c.b)
		if !ok || !ok2 || u != c.u || s != c.s || n != c.size || m != c.size {
			t.Errorf("% x: uleb %d/%d/%v sleb %d/%d/%v", c.b, u, n, ok, s, m, ok2)
		}
	}
	for _, b := range [][]byte{{}, {0x80}, {0x80, 0x80, 0x80, 0x80, 0x80}, {0xff, 0xff, 0xff, 0xff, 0xff, 0x01}} {
		if _, _, ok := decodeULEB128(b); ok {
			t.Errorf("uleb % x accepted", b)
		}
		if _, _, ok := decodeSLEB128(b); ok {
			t.Errorf("sleb % x accepted", b)
		}
	}

	// Through the file readers, at the very end of a file.
	d := sampleSpec(35).build()
	b := append(slices.Clip(d.b), 0x80, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x80)
	binary.LittleEndian.PutUint32(b[0x20:], uint32(len(b)))
	both(t, b, Limits{}, func(t *testing.T, f *File) {
		at := uint64(len(d.b))
		if v, next, err := f.readULEB128(at, "test"); err != nil || v != 16256 || next != at+2 {
			t.Errorf("readULEB128 = %d, %d, %v", v, next, err)
		}
		if v, _, err := f.readSLEB128(at, "test"); err != nil || v != -128 {
			t.Errorf("readSLEB128 = %d, %v", v, err)
		}
		if v, _, err := f.readULEB128p1(at, "test"); err != nil || v != 16255 {
			t.Errorf("readULEB128p1 = %d, %v", v, err)
		}
		for _, o := range []uint64{at + 2, at + 4, uint64(len(b)), uint64(len(b)) + 10} {
			if _, _, err := f.readULEB128(o, "test"); !isFormatError(err) {
				t.Errorf("readULEB128 at %#x: %v", o, err)
			}
		}
		c := cursor{f: f, off: at}
		if c.uleb("a"); c.err != nil || c.off != at+2 {
			t.Errorf("cursor: %v at %#x", c.err, c.off)
		}
		c.uleb("b")
		if !isFormatError(c.err) || c.off != at+2 || c.u32("c") != 0 || c.u16("d") != 0 || c.sleb("e") != 0 {
			t.Errorf("cursor did not stick: %v at %#x", c.err, c.off)
		}
		c = cursor{f: f, off: at}
		if v := c.sleb("f"); v != -128 || c.u16("g") != 0x8080 || c.err != nil {
			t.Errorf("cursor sleb/u16: %d, %v", v, c.err)
		}
	})
}

func isFormatError(err error) bool {
	var fe *FormatError
	return errors.As(err, &fe)
}

func TestErrorFormat(t *testing.T) {
	_, err := Parse([]byte("PK\x03\x04 not a dex file at all, but long enough for a header"), Limits{})
	var fe *FormatError
	if !errors.As(err, &fe) || !errors.Is(err, ErrNotDex) {
		t.Fatalf("err = %v", err)
	}
	if got := err.Error(); got != "dex: magic at offset 0x0: not a dex file" {
		t.Errorf("Error() = %q", got)
	}
	if !regexp.MustCompile(`^dex: `).MatchString(ErrTruncated.Error()) {
		t.Error("sentinels should be prefixed")
	}
}

func TestContainerV41(t *testing.T) {
	a := dexSpec{Version: 41, Classes: []wClass{{Desc: "La/A;", Super: "Ljava/lang/Object;"}}}.build()
	b := dexSpec{Version: 41, Strings: []string{"x"}, Classes: []wClass{{Desc: "Lb/B;"}, {Desc: "Lb/C;"}}}.buildAt(uint32(len(a.b)))
	c := append(slices.Clone(a.b), b.b...)
	for _, base := range []int{0, len(a.b)} {
		binary.LittleEndian.PutUint32(c[base+0x70:], uint32(len(c)))
		fixSums(c[base:])
	}
	files, err := ParseAll(c, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("%d entries", len(files))
	}
	for i, want := range [][]string{{"La/A;"}, {"Lb/B;", "Lb/C;"}} {
		got, err := files[i].ClassDescriptors()
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("entry %d: %q, %v", i, got, err)
		}
		if err := files[i].Validate(); err != nil {
			t.Errorf("entry %d: Validate: %v", i, err)
		}
	}
	if h := files[1].Header(); h.HeaderOffset != uint32(len(a.b)) || h.ContainerSize != uint32(len(c)) {
		t.Errorf("entry 1 header: %+v", h)
	}
	f, err := Parse(c, Limits{})
	if err != nil || f.NumClassDefs() != 1 {
		t.Errorf("Parse: %v", err)
	}

	// header_offset that does not match where the header is.
	bad := slices.Clone(c)
	binary.LittleEndian.PutUint32(bad[len(a.b)+0x74:], 0)
	if _, err := ParseAll(bad, Limits{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("wrong header_offset: %v", err)
	}
	// container_size past the end.
	bad = slices.Clone(c)
	binary.LittleEndian.PutUint32(bad[0x70:], uint32(len(c)+1))
	if _, err := Parse(bad, Limits{}); !errors.Is(err, ErrTruncated) {
		t.Errorf("long container: %v", err)
	}
	// A later entry that is not v041.
	bad = slices.Clone(c)
	copy(bad[len(a.b):], "dex\n039\x00")
	if _, err := ParseAll(bad, Limits{}); !isFormatError(err) {
		t.Errorf("mixed versions: %v", err)
	}
}

// exercise parses b both ways and calls every accessor over a bounded range
// of indices. It returns every error seen; a panic fails the test.
func exercise(b []byte, lim Limits) []error {
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	run := func(f *File, err error) {
		note(err)
		if err != nil {
			return
		}
		const bound = 64
		for i := range min(f.NumStrings(), bound) {
			_, err := f.String(uint32(i))
			note(err)
		}
		for i := range min(f.NumTypes(), bound) {
			_, err := f.TypeDescriptor(uint32(i))
			note(err)
		}
		for i := range min(f.NumProtos(), bound) {
			_, err := f.Proto(uint32(i))
			note(err)
		}
		for i := range min(f.NumFields(), bound) {
			_, err := f.Field(uint32(i))
			note(err)
		}
		for i := range min(f.NumMethods(), bound) {
			_, err := f.Method(uint32(i))
			note(err)
		}
		for i := range min(f.NumClassDefs(), bound) {
			c, err := f.ClassDef(i)
			note(err)
			if err == nil {
				_, err = f.Interfaces(c)
				note(err)
			}
		}
		// Out-of-range requests from the caller.
		_, err = f.String(uint32(f.NumStrings()))
		note(err)
		_, err = f.ClassDef(-1)
		note(err)
		_, err = f.ClassDescriptors()
		note(err)
		_, _, err = f.ClassList()
		note(err)
		_, err = f.MapList()
		note(err)
		note(f.Validate())
		f.VerifyChecksum()
	}
	run(Parse(b, lim))
	run(Open(bytes.NewReader(b), int64(len(b)), lim))
	// Every part of a container, also those before a broken one; at most
	// 16, since a container may hold thousands of header-only parts and
	// the accessors' own budgets are per call.
	fs, err := ParseAll(b, lim)
	note(err)
	for i, f := range fs {
		if i > 0 && i <= 16 {
			run(f, nil)
		}
	}
	return errs
}

// hostile is one crafted input: a mutation of a valid file.
type hostile struct {
	name string
	b    []byte
	lim  Limits
	want error // sentinel some reported error must match; nil = any
}

func hostileInputs() []hostile {
	le := binary.LittleEndian
	base := sampleSpec(35).build()
	mut := func(fn func(b []byte) []byte) []byte {
		b := fn(slices.Clone(base.b))
		fixSums(b)
		return b
	}
	set := func(at int, v uint32) []byte {
		return mut(func(b []byte) []byte { le.PutUint32(b[at:], v); return b })
	}
	// grow appends tail to the file and fixes file_size, so crafted data
	// lives where every bounds check must still hold.
	grow := func(tail []byte, fn func(b []byte, at uint32) []byte) []byte {
		return mut(func(b []byte) []byte {
			at := uint32(len(b))
			b = append(b, tail...)
			le.PutUint32(b[0x20:], uint32(len(b)))
			return fn(b, at)
		})
	}
	h := base.b
	strIDs := int(le.Uint32(h[0x3c:]))
	typeIDs := int(le.Uint32(h[0x44:]))
	protoIDs := int(le.Uint32(h[0x4c:]))
	fieldIDs := int(le.Uint32(h[0x54:]))
	methodIDs := int(le.Uint32(h[0x5c:]))
	classDefs := int(le.Uint32(h[0x64:]))
	size := uint32(len(h))

	var hs []hostile
	add := func(name string, b []byte, want error) { hs = append(hs, hostile{name: name, b: b, want: want}) }

	add("empty", nil, ErrTruncated)
	add("dex prefix only", []byte("dex\n03"), ErrTruncated)
	add("truncated header", h[:0x50], ErrTruncated)
	add("truncated v041 header", dexSpec{Version: 41}.build().b[:0x74], ErrTruncated)
	add("zip magic", append([]byte("PK\x03\x04"), h[4:]...), ErrNotDex)
	add("cdex", append([]byte("cdex001\x00"), h[8:]...), ErrNotDex)
	add("odex", append([]byte("dey\n036\x00"), h[8:]...), ErrNotDex)
	add("version 034", append([]byte("dex\n034\x00"), h[8:]...), ErrVersion)
	add("version 042", append([]byte("dex\n042\x00"), h[8:]...), ErrVersion)
	add("version letters", append([]byte("dex\n0a5\x00"), h[8:]...), ErrNotDex)
	add("big endian", set(0x28, reverseEndianConstant), ErrByteOrder)
	add("garbage endian", set(0x28, 0), ErrByteOrder)
	add("header_size small", set(0x24, 0x6c), ErrInvalid)
	add("header_size past file", set(0x24, size+4), ErrInvalid)
	add("file_size past end", set(0x20, size+1), ErrTruncated)
	add("file_size 4G", set(0x20, 0xffffffff), nil)
	add("file_size tiny", set(0x20, 0x10), ErrInvalid)
	hs = append(hs, hostile{"file_size over limit", base.b, Limits{MaxFileSize: 0x100}, ErrTooLarge})
	add("map_off past end", set(0x34, size+100), ErrOutOfBounds)
	add("map_off zero", set(0x34, 0), ErrMap)
	add("map size huge", mut(func(b []byte) []byte { le.PutUint32(b[le.Uint32(b[0x34:]):], 0xffffffff); return b }), ErrOutOfBounds)

	tables := []struct {
		name  string
		field int
	}{{"string_ids", 0x38}, {"type_ids", 0x40}, {"proto_ids", 0x48}, {"field_ids", 0x50}, {"method_ids", 0x58}, {"class_defs", 0x60}}
	for _, tb := range tables {
		add(tb.name+" count 0xFFFFFFFF", set(tb.field, 0xffffffff), ErrOutOfBounds)
		add(tb.name+" count 0x80000000", set(tb.field, 0x80000000), ErrOutOfBounds)
		add(tb.name+" offset past end", set(tb.field+4, size+8), ErrOutOfBounds)
		add(tb.name+" offset wraps", set(tb.field+4, 0xfffffff0), ErrOutOfBounds)
		add(tb.name+" over header", set(tb.field+4, 0x10), ErrOverlap)
	}
	add("type_ids on string_ids", set(0x44, uint32(strIDs)), ErrOverlap)
	add("class_defs into method_ids", set(0x64, uint32(methodIDs+4)), ErrOverlap)

	add("string at EOF", set(strIDs, size), ErrOutOfBounds)
	add("string past EOF", set(strIDs, 0xfffffff0), ErrOutOfBounds)
	add("string unterminated at EOF", grow([]byte{0x03, 'a', 'b', 'c'}, func(b []byte, at uint32) []byte {
		le.PutUint32(b[strIDs:], at)
		return b
	}), ErrString)
	add("uleb128 never terminates", grow(bytes.Repeat([]byte{0x80}, 16), func(b []byte, at uint32) []byte {
		for i := range 4 {
			le.PutUint32(b[strIDs+4*i:], at)
		}
		return b
	}), ErrLEB128)
	add("uleb128 cut by EOF", grow([]byte{0x80, 0x80}, func(b []byte, at uint32) []byte {
		le.PutUint32(b[strIDs:], at)
		return b
	}), ErrLEB128)
	hs = append(hs, hostile{"string over MaxStringLen", base.b, Limits{MaxStringLen: 4}, ErrTooLarge})

	add("type descriptor_idx huge", set(typeIDs, 0xffffffff), ErrIndex)
	add("class_idx huge", set(classDefs, 0xfffffff0), ErrIndex)
	add("superclass_idx huge", set(classDefs+8, 0x7fffffff), ErrIndex)
	add("interfaces_off past end", set(classDefs+32+12, size+64), ErrOutOfBounds)
	add("interfaces count huge", mut(func(b []byte) []byte {
		le.PutUint32(b[le.Uint32(b[classDefs+32+12:]):], 0xffffffff)
		return b
	}), ErrOutOfBounds)
	add("proto shorty huge", set(protoIDs, 0xffffffff), ErrIndex)
	add("proto params count huge", mut(func(b []byte) []byte {
		for i := range 3 {
			if o := le.Uint32(b[protoIDs+12*i+8:]); o != 0 {
				le.PutUint32(b[o:], 0xffffffff)
			}
		}
		return b
	}), ErrOutOfBounds)
	add("proto params off past end", set(protoIDs+8, 0xfffffffc), ErrOutOfBounds)
	add("field class_idx huge", mut(func(b []byte) []byte { le.PutUint16(b[fieldIDs:], 0xffff); return b }), ErrIndex)
	add("method proto_idx huge", mut(func(b []byte) []byte { le.PutUint16(b[methodIDs+2:], 0xffff); return b }), ErrIndex)
	add("method name huge", set(methodIDs+4, 0xffffffff), ErrIndex)
	add("unsorted type_ids", mut(func(b []byte) []byte {
		x, y := le.Uint32(b[typeIDs:]), le.Uint32(b[typeIDs+4:])
		le.PutUint32(b[typeIDs:], y)
		le.PutUint32(b[typeIDs+4:], x)
		return b
	}), ErrUnsorted)
	add("map disagrees", mut(func(b []byte) []byte {
		mo := le.Uint32(b[0x34:])
		le.PutUint32(b[mo+4+12+4:], 1) // string_id_item count
		return b
	}), ErrMap)
	add("unaligned class_defs", grow(make([]byte, 64), func(b []byte, at uint32) []byte {
		copy(b[at+1:], b[classDefs:classDefs+32])
		le.PutUint32(b[0x60:], 1)
		le.PutUint32(b[0x64:], at+1)
		return b
	}), ErrInvalid)
	return hs
}

func TestHostile(t *testing.T) {
	var worst uint64
	var worstName string
	defer func() { t.Logf("most allocated by one hostile input: %d bytes (%s)", worst, worstName) }()
	for _, h := range hostileInputs() {
		t.Run(h.name, func(t *testing.T) {
			var errs []error
			alloc := measureAlloc(func() { errs = exercise(h.b, h.lim) })
			if alloc > worst {
				worst, worstName = alloc, h.name
			}
			if len(errs) == 0 {
				t.Fatal("no error reported")
			}
			matched := h.want == nil
			for _, err := range errs {
				for _, e := range flatten(err) {
					if !isFormatError(e) {
						t.Errorf("not a *FormatError: %#v", e)
					}
					if h.want != nil && errors.Is(e, h.want) {
						matched = true
					}
				}
			}
			if !matched {
				t.Errorf("no error matches %v; got %v", h.want, errs)
			}
			if alloc > 16<<20 {
				t.Errorf("allocated %d bytes", alloc)
			}
		})
	}
}

// flatten splits Validate's joined errors; its final "stopped" note is the
// one error that is not a *FormatError by design.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			if !strings.Contains(e.Error(), "validation stopped") {
				out = append(out, e)
			}
		}
		return out
	}
	return []error{err}
}

// TestAmplification: many class_defs naming one long string must not turn a
// small file into a huge result; the output budget stops it.
func TestAmplification(t *testing.T) {
	long := strings.Repeat("x", 256<<10)
	d := dexSpec{Classes: []wClass{{Desc: "L" + long + ";"}}}.build()
	le := binary.LittleEndian
	classDefs := le.Uint32(d.b[0x64:])
	// Append 16k copies of the class_def (512 KB) and point the table at
	// them: 16k * 256 KB would be 4 GB of descriptors.
	const n = 16 << 10
	b := slices.Clone(d.b)
	at := uint32(len(b))
	for range n {
		b = append(b, d.b[classDefs:classDefs+32]...)
	}
	le.PutUint32(b[0x20:], uint32(len(b)))
	le.PutUint32(b[0x60:], n)
	le.PutUint32(b[0x64:], at)
	fixSums(b)
	for _, open := range []bool{false, true} {
		var err error
		alloc := measureAlloc(func() {
			var f *File
			if open {
				f, err = Open(bytes.NewReader(b), int64(len(b)), Limits{})
			} else {
				f, err = Parse(b, Limits{})
			}
			if err == nil {
				_, err = f.ClassDescriptors()
			}
		})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("open=%v: err = %v", open, err)
		}
		if alloc > 16<<20 {
			t.Errorf("open=%v: allocated %d bytes", open, alloc)
		}
	}
}

// TestTruncationSweep cuts a valid file at every length, with file_size
// left lying and with file_size patched to match.
func TestTruncationSweep(t *testing.T) {
	for _, v := range []int{35, 41} {
		d := sampleSpec(v).build()
		for n := range len(d.b) {
			cut := slices.Clone(d.b[:n])
			if errs := exercise(cut, Limits{}); len(errs) == 0 {
				t.Fatalf("v%d cut at %d: no error", v, n)
			}
			if n >= 0x78 {
				binary.LittleEndian.PutUint32(cut[0x20:], uint32(n))
				if v >= 41 {
					binary.LittleEndian.PutUint32(cut[0x70:], uint32(n))
				}
				for _, err := range exercise(cut, Limits{}) {
					for _, e := range flatten(err) {
						if !isFormatError(e) {
							t.Fatalf("v%d cut at %d: %#v", v, n, e)
						}
					}
				}
			}
		}
	}
}

// TestRandomCorruption flips bytes of valid files at random: nothing may
// panic and every error must be a *FormatError.
func TestRandomCorruption(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, v := range []int{35, 39, 41} {
		d := sampleSpec(v).build()
		for range 2000 {
			b := slices.Clone(d.b)
			for range 1 + rng.IntN(4) {
				i := rng.IntN(len(b))
				if rng.IntN(2) == 0 {
					b[i] = byte(rng.Uint32())
				} else {
					b[i] ^= 1 << rng.IntN(8)
				}
			}
			for _, err := range exercise(b, Limits{}) {
				for _, e := range flatten(err) {
					if !isFormatError(e) {
						t.Fatalf("%#v", e)
					}
				}
			}
		}
	}
}

// failingReader fails every read past a point, like a file that shrank
// under us or a zip entry whose declared size lies.
type failingReader struct {
	r    io.ReaderAt
	stop int64
}

func (f failingReader) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.stop {
		return 0, errors.New("device error")
	}
	return f.r.ReadAt(p, off)
}

func TestOpenReadErrors(t *testing.T) {
	spec := sampleSpec(35)
	for i := range 300 {
		spec.Classes = append(spec.Classes, wClass{Desc: fmt.Sprintf("Lgen/C%d;", i)})
	}
	d := spec.build()
	f, err := Open(failingReader{bytes.NewReader(d.b), pageSize}, int64(len(d.b)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.ClassDescriptors()
	if !isFormatError(err) || !errors.Is(err, ErrTruncated) {
		t.Errorf("ClassDescriptors over a failing reader: %v", err)
	}
	if f.VerifyChecksum() {
		t.Error("VerifyChecksum over a failing reader")
	}
	if _, err := Open(bytes.NewReader(d.b), int64(len(d.b))+100, Limits{}); err != nil {
		t.Errorf("Open with an overstated size: %v", err)
	}
	small := sampleSpec(35).build().b
	if g, err := Open(bytes.NewReader(small), int64(len(small))+100, Limits{}); err != nil {
		t.Errorf("Open with an overstated size, one page: %v", err)
	} else if _, err := g.ClassDescriptors(); err != nil {
		t.Errorf("ClassDescriptors: %v", err)
	}
	g, err := Open(bytes.NewReader(d.b[:pageSize]), int64(len(d.b)), Limits{})
	if err != nil {
		t.Fatal(err) // the header is readable; the lie shows up later
	}
	if _, err := g.ClassDescriptors(); !errors.Is(err, ErrTruncated) {
		t.Errorf("short reader: %v", err)
	}
	for _, sz := range []int64{-1, 0, 7} {
		if _, err := Open(bytes.NewReader(d.b), sz, Limits{}); !isFormatError(err) {
			t.Errorf("Open size %d: %v", sz, err)
		}
	}
	if _, err := Open(nil, 100, Limits{}); !isFormatError(err) {
		t.Errorf("Open(nil): %v", err)
	}
}

func TestConcurrentOpen(t *testing.T) {
	d := sampleSpec(38).build()
	f, err := Open(bytes.NewReader(d.b), int64(len(d.b)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := f.ClassDescriptors()
	done := make(chan error)
	for range 4 {
		go func() {
			for range 50 {
				got, err := f.ClassDescriptors()
				if err == nil && !slices.Equal(got, want) {
					err = fmt.Errorf("got %q", got)
				}
				if err == nil {
					err = f.Validate()
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestValidateWorkBounded: inputs whose naive validation is quadratic (ids
// pointing at every suffix of one long string, protos all naming one huge
// type list) must be cut short, not run for minutes.
func TestValidateWorkBounded(t *testing.T) {
	const n = 0xffff
	le := binary.LittleEndian
	u32 := func(vs ...uint32) []byte {
		var o []byte
		for _, v := range vs {
			o = le.AppendUint32(o, v)
		}
		return o
	}
	// appendTable points the header's table at field to count new items
	// appended to b.
	appendTable := func(b []byte, field int, count uint32, item func(i uint32) []byte) []byte {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		le.PutUint32(b[field:], count)
		le.PutUint32(b[field+4:], uint32(len(b)))
		for i := range count {
			b = append(b, item(i)...)
		}
		return b
	}
	finish := func(b []byte) []byte {
		le.PutUint32(b[0x20:], uint32(len(b)))
		le.PutUint32(b[0x68:], uint32(len(b))-le.Uint32(b[0x6c:]))
		fixSums(b)
		return b
	}
	validate := func(name string, b []byte, want error) {
		f, err := Parse(b, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		err = f.Validate()
		if el := time.Since(start); el > testenv.Hang(5*time.Second) {
			t.Errorf("%s: Validate took %v", name, el)
		}
		found := false
		for _, e := range flatten(err) {
			found = found || errors.Is(e, want)
		}
		if !found {
			t.Errorf("%s: no %v in %v", name, want, err)
		}
	}

	// String i is the suffix of one run of 'a's holding i of them: sorted,
	// distinct and overlapping.
	d := dexSpec{RawStrings: [][]byte{bytes.Repeat([]byte{'a'}, n+1)}}.build()
	b := slices.Clone(d.b)
	first := le.Uint32(b[le.Uint32(b[0x3c:]):]) + 3 // past the 3-byte utf16_size
	b = appendTable(b, 0x38, n, func(i uint32) []byte { return u32(first + n - i) })
	validate("overlapping strings", finish(b), ErrInvalid)

	// n distinct types, n protos with distinct return types, all naming one
	// n-entry parameter list.
	var spec dexSpec
	for i := range n {
		spec.Strings = append(spec.Strings, fmt.Sprintf("%05d", i))
	}
	b = slices.Clone(spec.build().b)
	b = appendTable(b, 0x40, n, func(i uint32) []byte { return u32(i) })
	list := uint32(len(b))
	b = append(b, u32(n)...)
	b = append(b, make([]byte, 2*n)...)
	b = appendTable(b, 0x48, n, func(i uint32) []byte { return u32(0, i, list) })
	validate("shared type list", finish(b), ErrTooLarge)

	// A list one entry longer than any real one is refused before its
	// []string is allocated.
	le.PutUint32(b[list:], n+1)
	b = finish(append(b, 0, 0))
	f, err := Parse(b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Proto(0); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Proto with a %d-entry list: %v", n+1, err)
	}
}
