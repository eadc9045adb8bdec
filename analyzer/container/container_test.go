package container

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"testing"
)

type file struct {
	name   string
	data   []byte
	method uint16
}

func makeZip(t testing.TB, files []file, comment string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range files {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: f.name, Method: f.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if comment != "" {
		if err := w.SetComment(comment); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func open(t testing.TB, b []byte, lim Limits) (*Archive, error) {
	t.Helper()
	return Open(bytes.NewReader(b), int64(len(b)), lim)
}

func basic() []file {
	return []file{
		{name: "AndroidManifest.xml", data: []byte("manifest bytes"), method: zip.Deflate},
		{name: "classes.dex", data: bytes.Repeat([]byte("dex\n035\x00"), 100), method: zip.Deflate},
		{name: "res/raw/stored.bin", data: []byte("stored"), method: zip.Store},
	}
}

func TestOpenAndRead(t *testing.T) {
	a, err := open(t, makeZip(t, basic(), ""), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Entries) != 3 || len(a.Notes) != 0 || a.PrefixBytes != 0 {
		t.Fatalf("entries=%d notes=%v prefix=%d", len(a.Entries), a.Notes, a.PrefixBytes)
	}
	for _, f := range basic() {
		got, err := a.ReadFile(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.data) {
			t.Errorf("%s: content differs", f.name)
		}
	}
	if _, err := a.ReadFile("missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing entry: %v", err)
	}
}

func TestAndroidQuirksAccepted(t *testing.T) {
	z := makeZip(t, basic(), "")
	t.Run("janus dex prefix", func(t *testing.T) {
		prefix := append([]byte("dex\n035\x00"), make([]byte, 1000)...)
		a, err := open(t, append(prefix, z...), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if a.PrefixBytes != int64(len(prefix)) || !strings.Contains(a.PrefixMagic, "Janus") {
			t.Fatalf("prefix=%d magic=%q", a.PrefixBytes, a.PrefixMagic)
		}
		if got, err := a.ReadFile("AndroidManifest.xml"); err != nil || string(got) != "manifest bytes" {
			t.Fatalf("read through prefix: %q %v", got, err)
		}
	})
	t.Run("garbage between directory and end record", func(t *testing.T) {
		end := bytes.LastIndex(z, []byte("PK\x05\x06"))
		bad := append(append(append([]byte{}, z[:end]...), []byte("GARBAGEGARBAGE")...), z[end:]...)
		a, err := open(t, bad, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ReadFile("classes.dex"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("control characters in names and a 64 KiB comment", func(t *testing.T) {
		files := append(basic(), file{name: "test.txt\x00", data: []byte("x")}, file{name: "a\r\nb", data: []byte("y")})
		a, err := open(t, makeZip(t, files, strings.Repeat("c", 0xffff)), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		codes := map[string]int{}
		for _, n := range a.Notes {
			codes[n.Code]++
		}
		if codes["control-chars-in-name"] != 2 || codes["zip-comment"] != 1 {
			t.Fatalf("notes: %v", a.Notes)
		}
	})
	t.Run("unknown method on an entry nobody needs", func(t *testing.T) {
		files := append(basic(), file{name: "assets/weird.bin", data: []byte("zzz"), method: 99})
		a, err := open(t, makeZipRaw(t, files), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ReadFile("AndroidManifest.xml"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.ReadFile("assets/weird.bin"); !errors.Is(err, ErrUnsupportedComp) {
			t.Fatalf("want unsupported compression, got %v", err)
		}
	})
	t.Run("duplicate names keep the first", func(t *testing.T) {
		files := append(basic(), file{name: "AndroidManifest.xml", data: []byte("second")})
		a, err := open(t, makeZip(t, files, ""), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := a.ReadFile("AndroidManifest.xml")
		if string(got) != "manifest bytes" || len(a.Notes) != 1 || a.Notes[0].Code != "duplicate-entries" {
			t.Fatalf("got %q notes %v", got, a.Notes)
		}
	})
}

// makeZipRaw writes entries whose method archive/zip cannot compress, by
// storing the bytes raw under the declared method.
func makeZipRaw(t testing.TB, files []file) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range files {
		data := f.data
		if f.method == zip.Deflate {
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.BestCompression)
			fw.Write(f.data)
			fw.Close()
			data = c.Bytes()
		}
		h := &zip.FileHeader{Name: f.name, Method: f.method, CRC32: crc32.ChecksumIEEE(f.data), CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(f.data))}
		fw, err := w.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	return buf.Bytes()
}

func TestHostile(t *testing.T) {
	z := makeZip(t, basic(), "")
	zeros := make([]byte, 64<<20)
	bomb := makeZip(t, []file{{name: "AndroidManifest.xml", data: []byte("m")}, {name: "classes.dex", data: zeros, method: zip.Deflate}}, "")
	for _, tc := range []struct {
		name  string
		in    []byte
		lim   Limits
		entry string // read this entry after opening, "" to expect Open to fail
		want  error
	}{
		{"empty file", nil, Limits{}, "", ErrNotZip},
		{"not a zip", bytes.Repeat([]byte("hello"), 100), Limits{}, "", ErrNotZip},
		{"empty zip", makeZip(t, nil, ""), Limits{}, "", ErrEmpty},
		{"truncated directory", z[:len(z)-30], Limits{}, "", nil},
		{"too many entries", z, Limits{MaxEntries: 2}, "", ErrTooManyEntries},
		{"entry larger than the limit", bomb, Limits{MaxEntrySize: 1 << 20}, "classes.dex", ErrEntryTooLarge},
		{"compression ratio", bomb, Limits{RatioFloor: 1 << 20, MaxRatio: 50}, "classes.dex", ErrRatio},
		{"total inflated size", bomb, Limits{MaxTotalSize: 8 << 20}, "classes.dex", ErrTotalTooLarge},
		{"lying uncompressed size", lieAboutSize(t, z, "classes.dex", 10), Limits{}, "classes.dex", ErrSizeMismatch},
		{"lying huge size", lieAboutSize(t, z, "classes.dex", 1<<40), Limits{}, "classes.dex", ErrEntryTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := open(t, tc.in, tc.lim)
			if tc.entry != "" {
				if err != nil {
					t.Fatalf("open: %v", err)
				}
				_, err = a.ReadFile(tc.entry)
			}
			if err == nil {
				t.Fatal("want an error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			var ce *Error
			if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "container: ") {
				t.Fatalf("error %v is not a *container.Error", err)
			}
		})
	}
}

// lieAboutSize rewrites the uncompressed size of name in both the local
// header and the central directory.
func lieAboutSize(t testing.TB, z []byte, name string, size uint64) []byte {
	out := append([]byte{}, z...)
	patched := 0
	for i := 0; i+46 < len(out); i++ {
		switch {
		case bytes.Equal(out[i:i+4], []byte("PK\x03\x04")):
			n := int(binary.LittleEndian.Uint16(out[i+26:]))
			if i+30+n <= len(out) && string(out[i+30:i+30+n]) == name {
				binary.LittleEndian.PutUint32(out[i+22:], uint32(min(size, 0xfffffffe)))
				patched++
			}
		case bytes.Equal(out[i:i+4], []byte("PK\x01\x02")):
			n := int(binary.LittleEndian.Uint16(out[i+28:]))
			if i+46+n <= len(out) && string(out[i+46:i+46+n]) == name {
				binary.LittleEndian.PutUint32(out[i+24:], uint32(min(size, 0xfffffffe)))
				patched++
			}
		}
	}
	if patched == 0 {
		t.Fatalf("%s not found", name)
	}
	return out
}

func FuzzOpen(f *testing.F) {
	f.Add(makeZip(f, basic(), ""))
	f.Add(makeZipRaw(f, append(basic(), file{name: "x", data: []byte("y"), method: 12})))
	for _, b := range newShapes(f) {
		f.Add(b)
	}
	lim := Limits{MaxEntrySize: 1 << 20, MaxTotalSize: 4 << 20, MaxEntries: 4096, MaxParts: 64}
	f.Fuzz(func(t *testing.T, b []byte) {
		app, err := OpenApp(bytes.NewReader(b), int64(len(b)), lim)
		if err != nil {
			return
		}
		for _, p := range app.Parts {
			a, release, err := p.Open()
			if err != nil {
				continue
			}
			readEvery(a, 0)
			release()
		}
	})
}

// readEvery reads every entry of a, and of the archives nested in it.
func readEvery(a *Archive, depth int) {
	for _, e := range a.Entries {
		if strings.HasSuffix(e.Name, ".apk") && depth < 4 {
			if inner, release, err := a.OpenNested(context.Background(), e); err == nil {
				readEvery(inner, depth+1)
				release()
			}
		}
		if rc, err := a.Open(e); err == nil {
			readAll(rc)
		}
	}
}

func TestReadIntoContextStops(t *testing.T) {
	a, err := open(t, makeZip(t, basic(), ""), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := a.Lookup("classes.dex")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.ReadIntoContext(ctx, e, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

// An app set cut off inside its first stored APK must not read as that
// APK: the outer directory is gone, and with it every other part.
func TestTruncatedAppSet(t *testing.T) {
	inner := makeZip(t, basic(), "")
	var outer bytes.Buffer
	w := zip.NewWriter(&outer)
	for _, name := range []string{"splits/base-master.apk", "splits/base-arm64_v8a.apk"} {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(inner)
	}
	w.Close()
	full := outer.Bytes()
	if _, err := OpenApp(bytes.NewReader(full), int64(len(full)), Limits{}); err != nil {
		t.Fatalf("whole app set: %v", err)
	}
	// Cut just after the first stored APK: its own end record is now the
	// last one in the file.
	first := 30 + len("splits/base-master.apk") + len(inner)
	for _, end := range []int{first + 1, first + 16 + 30 + 10} {
		cut := full[:end]
		_, err := OpenApp(bytes.NewReader(cut), int64(len(cut)), Limits{})
		if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "splits/base-master.apk") {
			t.Fatalf("cut at %d: want ErrTruncated naming the stored APK, got %v", end, err)
		}
	}
}
