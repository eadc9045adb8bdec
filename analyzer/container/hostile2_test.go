package container

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// rawZip writes zips byte by byte, so a test can make the directory say
// what the data does not: records pointing at shared data, lying sizes,
// more records than the end record declares.
type rawZip struct {
	buf  bytes.Buffer
	recs []rawRec
}

type rawRec struct {
	name         string
	method       uint16
	flags        uint16
	crc          uint32
	csize, usize uint32
	lho          uint32
}

// local writes a local header and data (already compressed as method
// says) and returns the record that lists it.
func (z *rawZip) local(name string, method uint16, plain, stored []byte) rawRec {
	r := rawRec{name: name, method: method, crc: crc32.ChecksumIEEE(plain), csize: uint32(len(stored)), usize: uint32(len(plain)), lho: uint32(z.buf.Len())}
	h := make([]byte, 30)
	copy(h, "PK\x03\x04")
	binary.LittleEndian.PutUint16(h[4:], 20)
	binary.LittleEndian.PutUint16(h[8:], method)
	binary.LittleEndian.PutUint32(h[14:], r.crc)
	binary.LittleEndian.PutUint32(h[18:], r.csize)
	binary.LittleEndian.PutUint32(h[22:], r.usize)
	binary.LittleEndian.PutUint16(h[26:], uint16(len(name)))
	z.buf.Write(h)
	z.buf.WriteString(name)
	z.buf.Write(stored)
	return r
}

// file writes and lists one entry.
func (z *rawZip) file(name string, method uint16, plain []byte) rawRec {
	stored := plain
	if method == zip.Deflate {
		stored = deflateBytes(plain)
	}
	r := z.local(name, method, plain, stored)
	z.recs = append(z.recs, r)
	return r
}

func centralRecord(r rawRec) []byte {
	h := make([]byte, 46)
	copy(h, "PK\x01\x02")
	binary.LittleEndian.PutUint16(h[4:], 20)
	binary.LittleEndian.PutUint16(h[6:], 20)
	binary.LittleEndian.PutUint16(h[8:], r.flags)
	binary.LittleEndian.PutUint16(h[10:], r.method)
	binary.LittleEndian.PutUint32(h[16:], r.crc)
	binary.LittleEndian.PutUint32(h[20:], r.csize)
	binary.LittleEndian.PutUint32(h[24:], r.usize)
	binary.LittleEndian.PutUint16(h[28:], uint16(len(r.name)))
	binary.LittleEndian.PutUint32(h[42:], r.lho)
	return append(h, r.name...)
}

// finish writes the directory, extra copies of the record filler after
// the listed ones, and an end record declaring declared records (-1: as
// many as were listed).
func (z *rawZip) finish(declared int, filler *rawRec, extra int) []byte {
	start := z.buf.Len()
	for _, r := range z.recs {
		z.buf.Write(centralRecord(r))
	}
	if filler != nil {
		rec := centralRecord(*filler)
		for range extra {
			z.buf.Write(rec)
		}
	}
	if declared < 0 {
		declared = len(z.recs)
	}
	end := make([]byte, 22)
	copy(end, "PK\x05\x06")
	binary.LittleEndian.PutUint16(end[8:], uint16(declared))
	binary.LittleEndian.PutUint16(end[10:], uint16(declared))
	binary.LittleEndian.PutUint32(end[12:], uint32(z.buf.Len()-start))
	binary.LittleEndian.PutUint32(end[16:], uint32(start))
	z.buf.Write(end)
	return z.buf.Bytes()
}

func deflateBytes(b []byte) []byte {
	var c bytes.Buffer
	w, _ := flate.NewWriter(&c, flate.BestCompression)
	w.Write(b)
	w.Close()
	return c.Bytes()
}

func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A directory of many records behind an end record that declares two:
// archive/zip would read and keep every record before any count check of
// ours. The records are counted first, so Open refuses after reading
// MaxEntries of them and allocates next to nothing.
func TestDirectoryBeyondItsEndRecord(t *testing.T) {
	build := func(extra int, zip64 bool) []byte {
		var z rawZip
		z.file("AndroidManifest.xml", zip.Deflate, []byte("manifest"))
		z.file("classes.dex", zip.Deflate, []byte("dex\n035\x00"))
		filler := rawRec{name: "x"}
		b := z.finish(2, &filler, extra)
		if !zip64 {
			return b
		}
		// The same directory, its end record pointing to a zip64 end
		// record that declares two.
		end := b[len(b)-22:]
		dirSize, dirOff := binary.LittleEndian.Uint32(end[12:]), binary.LittleEndian.Uint32(end[16:])
		out := append([]byte{}, b[:len(b)-22]...)
		z64 := make([]byte, 56)
		copy(z64, "PK\x06\x06")
		binary.LittleEndian.PutUint64(z64[4:], 44)
		binary.LittleEndian.PutUint64(z64[24:], 2)
		binary.LittleEndian.PutUint64(z64[32:], 2)
		binary.LittleEndian.PutUint64(z64[40:], uint64(dirSize))
		binary.LittleEndian.PutUint64(z64[48:], uint64(dirOff))
		loc := make([]byte, 20)
		copy(loc, "PK\x06\x07")
		binary.LittleEndian.PutUint64(loc[8:], uint64(len(out)))
		binary.LittleEndian.PutUint32(loc[16:], 1)
		out = append(append(out, z64...), loc...)
		e := append([]byte{}, end...)
		binary.LittleEndian.PutUint16(e[8:], 0xffff)
		binary.LittleEndian.PutUint16(e[10:], 0xffff)
		binary.LittleEndian.PutUint32(e[12:], 0xffffffff)
		binary.LittleEndian.PutUint32(e[16:], 0xffffffff)
		return append(out, e...)
	}
	for _, zip64 := range []bool{false, true} {
		t.Run(fmt.Sprintf("zip64=%v", zip64), func(t *testing.T) {
			// 300 000 extra records (14 MB): archive/zip alone keeps
			// every one of them, some 70 MB.
			b := build(300_000, zip64)
			var err error
			got := allocated(func() { _, err = Open(bytes.NewReader(b), int64(len(b)), Limits{}) })
			if !errors.Is(err, ErrTooManyEntries) || !strings.Contains(err.Error(), "declares 2") {
				t.Fatalf("want too many entries naming the declared 2, got %v", err)
			}
			if got > 16<<20 {
				t.Errorf("Open allocated %d MB refusing the directory; the records must be counted, not kept", got>>20)
			}
			zipAlone := allocated(func() { zip.NewReader(bytes.NewReader(b), int64(len(b))) })
			t.Logf("Open allocated %d MB; archive/zip alone on the same file %d MB", got>>20, zipAlone>>20)
			if zipAlone < 4*got {
				t.Logf("archive/zip alone allocated %d MB (the shape is not the costly one?)", zipAlone>>20)
			}
		})
	}
	t.Run("under the limit is read and noted", func(t *testing.T) {
		// archive/zip accepts a count that is right modulo 65536; Android
		// reads only the declared records.
		b := build(65536, false)
		a, err := open(t, b, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if !hasNote(a.Notes, "directory-count-mismatch", "declares 2") {
			t.Fatalf("notes %v", a.Notes)
		}
		if _, err := open(t, b, Limits{MaxEntries: 65537}); !errors.Is(err, ErrTooManyEntries) {
			t.Fatalf("65538 records, limit 65537: %v", err)
		}
	})
}

func hasNote(notes []Note, code, substr string) bool {
	for _, n := range notes {
		if n.Code == code && strings.Contains(n.Message, substr) {
			return true
		}
	}
	return false
}

// compressible is n bytes that deflate at about 250:1: under the ratio
// cap, so only the budget stops a file that reads them many times.
func compressible(n int) []byte {
	b := make([]byte, n)
	copy(b, "dex\n035\x00")
	x := uint32(1)
	for i := 64; i < n; i += 600 {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

// sharedAppSet is an app set whose records all point at one stored APK.
func sharedAppSet(t testing.TB, records int, dex []byte) []byte {
	inner := makeZip(t, []file{{name: "AndroidManifest.xml", data: []byte("m"), method: zip.Deflate}, {name: "classes.dex", data: dex, method: zip.Deflate}}, "")
	var z rawZip
	z.file("toc.pb", zip.Store, nil)
	apk := z.local("splits/base-master.apk", zip.Store, inner, inner)
	for i := range records {
		r := apk
		if i > 0 {
			r.name = fmt.Sprintf("splits/base-%04d.apk", i)
		}
		z.recs = append(z.recs, r)
	}
	return z.finish(-1, nil, 0)
}

// Split records that all point at one stored APK: each part is the same
// bytes, and reading its DEX once per record multiplied the work without
// bound (each part had a budget of its own). One budget covers them all,
// and the shared bytes are noted.
func TestSharedBytesSpendOneBudget(t *testing.T) {
	dex := compressible(4 << 20)
	b := sharedAppSet(t, 1000, dex)
	lim := Limits{MaxTotalSize: 32 << 20}
	app, err := OpenApp(bytes.NewReader(b), int64(len(b)), lim)
	if err != nil {
		t.Fatal(err)
	}
	if len(app.Parts) != 1000 || !hasNote(app.Archive.Notes, "overlapping-entries", "999 entries") {
		t.Fatalf("%d parts, notes %v", len(app.Parts), app.Archive.Notes)
	}
	read := 0
	var last error
	for _, p := range app.Parts {
		if app.BudgetExhausted() {
			break
		}
		a, release, err := p.Open()
		if err == nil {
			_, err = a.ReadFile("classes.dex")
			release()
		}
		if err != nil {
			last = err
			continue
		}
		read++
	}
	if read == 0 || read > 8 || !errors.Is(last, ErrTotalTooLarge) || !app.BudgetExhausted() {
		t.Fatalf("read the shared DEX %d times (4 MiB each, budget 32 MiB), last error %v", read, last)
	}
	t.Run("nested in assets", func(t *testing.T) {
		inner := makeZip(t, []file{{name: "classes.dex", data: dex, method: zip.Deflate}}, "")
		var z rawZip
		z.file("AndroidManifest.xml", zip.Deflate, []byte("m"))
		r := z.local("assets/p0.apk", zip.Store, inner, inner)
		for i := range 1000 {
			r.name = fmt.Sprintf("assets/p%d.apk", i)
			z.recs = append(z.recs, r)
		}
		b := z.finish(-1, nil, 0)
		a, err := open(t, b, lim)
		if err != nil {
			t.Fatal(err)
		}
		read := 0
		for _, e := range a.Entries[1:] {
			inner, release, err := a.OpenNested(context.Background(), e)
			if err == nil {
				_, err = inner.ReadFile("classes.dex")
				release()
			}
			if err == nil {
				read++
			}
		}
		if read > 8 || !a.BudgetExhausted() {
			t.Fatalf("read the shared nested DEX %d times", read)
		}
	})
}

// A record that claims far more compressed bytes than the file holds made
// the ratio look harmless. The data must end before the directory, as
// Android requires; and the ratio is taken on what the inflater really
// consumed, so a claim that stays inside the file does not help either.
func TestCompressedSizeLies(t *testing.T) {
	zeros := make([]byte, 64<<20)
	stream := deflateBytes(zeros) // about 64 KB: 1000:1
	build := func(claim func(real int) uint32, padding int) []byte {
		var z rawZip
		z.file("AndroidManifest.xml", zip.Deflate, []byte("m"))
		r := z.local("classes.dex", zip.Deflate, zeros, stream)
		z.file("assets/padding.bin", zip.Store, make([]byte, padding))
		r.csize = claim(len(stream))
		z.recs = append(z.recs, r)
		return z.finish(-1, nil, 0)
	}
	t.Run("past the file", func(t *testing.T) {
		b := build(func(int) uint32 { return 0x80000000 }, 0)
		a, err := open(t, b, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.ReadFile("classes.dex")
		if !errors.Is(err, ErrDataBounds) {
			t.Fatalf("want ErrDataBounds, got %v", err)
		}
		if h := a.SizeHint(a.Entries[2]); h > 2*len(b)*400 {
			t.Errorf("size hint %d trusts the lying compressed size", h)
		}
	})
	t.Run("inside the file", func(t *testing.T) {
		// The claim runs to the directory over 1 MB of other entries:
		// 64 MiB from 1 MB would pass a ratio taken on the claim.
		b := build(func(real int) uint32 { return uint32(real + 30 + len("assets/padding.bin") + 1<<20) }, 1<<20)
		a, err := open(t, b, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		e, _ := a.Lookup("classes.dex")
		if e.CompressedSize < 1<<20 {
			t.Fatalf("claim %d", e.CompressedSize)
		}
		_, err = a.ReadFile("classes.dex")
		if !errors.Is(err, ErrRatio) {
			t.Fatalf("want ErrRatio on the consumed bytes, got %v", err)
		}
	})
}

// An app bundle of 120 000 modules: the module views were built by
// scanning every entry once per module (quadratic: the scan was still
// running when abandoned). Entries are grouped in one pass and MaxParts
// modules kept, the rest reported.
func TestBundleModuleCount(t *testing.T) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := range 120_000 {
		m := "base"
		if i > 0 {
			m = fmt.Sprintf("f%06d", i)
		}
		fw, err := w.CreateHeader(&zip.FileHeader{Name: m + "/manifest/AndroidManifest.xml", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte{0x0a, 0})
	}
	w.Close()
	b := buf.Bytes()
	start := time.Now()
	app, err := OpenApp(bytes.NewReader(b), int64(len(b)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range app.Parts {
		a, release, err := p.Open()
		if err != nil || len(a.Entries) != 1 {
			t.Fatalf("%s: %v", p.Path, err)
		}
		release()
	}
	if took := time.Since(start); took > testenv.Hang(60*time.Second) {
		t.Fatalf("took %v", took)
	}
	if len(app.Parts) != DefaultLimits.MaxParts || app.Parts[0].Module != "base" || len(app.Problems) != 1 || !strings.Contains(app.Problems[0].Message, "120000 modules") {
		t.Fatalf("%d parts, first %q, problems %v", len(app.Parts), app.Parts[0].Module, app.Problems)
	}
}

// archive/zip's writer follows every entry with a data descriptor; a
// descriptor that disagrees with the directory makes Android refuse the
// entry, so it is an inconsistency. A CRC that does not match the data is
// not checked by Android: the data is read and the mismatch noted.
func TestDataDescriptorAndCRC(t *testing.T) {
	data := bytes.Repeat([]byte("classes "), 1000)
	z := makeZip(t, []file{{name: "AndroidManifest.xml", data: []byte("m"), method: zip.Deflate}, {name: "classes.dex", data: data, method: zip.Deflate}}, "")
	desc := bytes.LastIndex(z, []byte("PK\x07\x08"))
	if desc < 0 {
		t.Fatal("archive/zip wrote no data descriptor")
	}
	t.Run("sizes disagree", func(t *testing.T) {
		b := append([]byte{}, z...)
		binary.LittleEndian.PutUint32(b[desc+12:], uint32(len(data)+1))
		a, err := open(t, b, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.ReadFile("classes.dex")
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("the directory's record must still be read: %v", err)
		}
		if n := a.Inconsistencies(); len(n) != 1 || n[0].Code != "data-descriptor-mismatch" {
			t.Fatalf("inconsistencies %v", n)
		}
	})
	t.Run("CRC disagrees with the data", func(t *testing.T) {
		b := append([]byte{}, z...)
		binary.LittleEndian.PutUint32(b[desc+4:], 0x12345678)
		cd := bytes.LastIndex(b, []byte("PK\x01\x02"))
		binary.LittleEndian.PutUint32(b[cd+16:], 0x12345678)
		a, err := open(t, b, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.ReadFile("classes.dex")
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("Android loads it: %v", err)
		}
		if len(a.Inconsistencies()) != 0 || len(a.ReadNotes()) != 1 || a.ReadNotes()[0].Code != "crc-mismatch" {
			t.Fatalf("inconsistencies %v, notes %v", a.Inconsistencies(), a.ReadNotes())
		}
	})
}

// An APK that opens with a stored local header the directory does not
// list, whose data spans every real entry: a stream reader sees one
// opaque entry, Android reads the directory. The directory's offsets
// count from the start of the file, so it is not a truncated app set.
func TestUnlistedFirstEntrySpanningTheFile(t *testing.T) {
	inner := []file{{name: "AndroidManifest.xml", data: []byte("manifest"), method: zip.Deflate}, {name: "classes.dex", data: bytes.Repeat([]byte("dex\n035\x00"), 100), method: zip.Deflate}}
	var z rawZip
	// The span's size is patched once the entries are written.
	z.local("cover.bin", zip.Store, nil, nil)
	for _, f := range inner {
		z.file(f.name, f.method, f.data)
	}
	body := z.buf.Len() - 30 - len("cover.bin")
	b := z.finish(-1, nil, 0)
	binary.LittleEndian.PutUint32(b[18:], uint32(body))
	binary.LittleEndian.PutUint32(b[22:], uint32(body))
	a, err := open(t, b, Limits{})
	if err != nil {
		t.Fatalf("a whole APK called broken: %v", err)
	}
	for _, f := range inner {
		if got, err := a.ReadFile(f.name); err != nil || !bytes.Equal(got, f.data) {
			t.Fatalf("%s: %v", f.name, err)
		}
	}
	if !hasNote(a.Notes, "unlisted-first-entry", "spans 2 listed entries") || a.PrefixBytes != 0 {
		t.Fatalf("notes %v prefix %d", a.Notes, a.PrefixBytes)
	}
}

// Nesting is followed to MaxDepth and refused past it with ErrTooDeep,
// never silently.
func TestNestedDepth(t *testing.T) {
	level := makeZip(t, []file{{name: "classes.dex", data: []byte("dex\n035\x00"), method: zip.Deflate}}, "")
	for range 4 {
		level = makeZip(t, []file{{name: "classes.dex", data: []byte("dex\n035\x00")}, {name: "assets/inner.apk", data: level, method: zip.Deflate}}, "")
	}
	a, err := open(t, level, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for {
		e, ok := a.Lookup("assets/inner.apk")
		if !ok {
			t.Fatalf("depth %d has no nested APK", depth)
		}
		inner, release, err := a.OpenNested(context.Background(), e)
		if err != nil {
			if !errors.Is(err, ErrTooDeep) || depth != DefaultLimits.MaxDepth {
				t.Fatalf("at depth %d: %v", depth, err)
			}
			break
		}
		defer release()
		if _, err := inner.ReadFile("classes.dex"); err != nil {
			t.Fatal(err)
		}
		a, depth = inner, inner.Depth()
	}
	t.Run("held memory", func(t *testing.T) {
		big := makeZip(t, []file{{name: "assets/big.apk", data: makeZip(t, []file{{name: "x", data: make([]byte, 2<<20)}}, ""), method: zip.Deflate}}, "")
		a, err := open(t, big, Limits{MaxNestedMemory: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.OpenNested(context.Background(), a.Entries[0]); !errors.Is(err, ErrNestedTooLarge) {
			t.Fatalf("want ErrNestedTooLarge, got %v", err)
		}
	})
}

// newShapes are the hostile shapes above at fuzzing size.
func newShapes(t testing.TB) [][]byte {
	var out [][]byte
	var z rawZip
	z.file("AndroidManifest.xml", zip.Deflate, []byte("m"))
	filler := rawRec{name: "x"}
	out = append(out, z.finish(1, &filler, 40))
	out = append(out, sharedAppSet(t, 5, compressible(4096)))
	var y rawZip
	y.file("AndroidManifest.xml", zip.Deflate, []byte("m"))
	r := y.local("classes.dex", zip.Deflate, make([]byte, 4096), deflateBytes(make([]byte, 4096)))
	r.csize = 0x80000000
	y.recs = append(y.recs, r)
	out = append(out, y.finish(-1, nil, 0))
	nested := makeZip(t, []file{{name: "classes.dex", data: []byte("dex\n035\x00")}}, "")
	for range 4 {
		nested = makeZip(t, []file{{name: "assets/inner.apk", data: nested}}, "")
	}
	out = append(out, nested)
	return out
}

func readAll(rc io.ReadCloser) {
	io.Copy(io.Discard, rc)
	rc.Close()
}
