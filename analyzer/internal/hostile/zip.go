package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"math/rand/v2"
)

// Entry is one zip entry. Stored entries are written uncompressed.
type Entry struct {
	Name   string
	Data   []byte
	Stored bool
	pre    *deflated
}

type deflated struct {
	data []byte
	crc  uint32
	size uint64
}

// Deflated compresses data once, at the fastest level, into an entry that
// can be copied under other names (Renamed) without compressing it again:
// sixteen copies of a 64 MB DEX then cost one compression.
func Deflated(name string, data []byte) Entry {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestSpeed)
	if err != nil {
		panic(err)
	}
	fw.Write(data)
	fw.Close()
	return Entry{Name: name, pre: &deflated{data: buf.Bytes(), crc: crc32.ChecksumIEEE(data), size: uint64(len(data))}}
}

// Renamed is e under another name.
func (e Entry) Renamed(name string) Entry {
	e.Name = name
	return e
}

// Zip writes the entries in order.
func Zip(entries ...Entry) []byte {
	var buf bytes.Buffer
	if err := WriteZip(&buf, entries...); err != nil {
		panic(err) // writing to memory cannot fail
	}
	return buf.Bytes()
}

// WriteZip writes the entries to w, for apps too large to build in memory.
func WriteZip(w io.Writer, entries ...Entry) error {
	zw := zip.NewWriter(w)
	for _, e := range entries {
		if e.pre != nil {
			fw, err := zw.CreateRaw(&zip.FileHeader{Name: e.Name, Method: zip.Deflate, CRC32: e.pre.crc, CompressedSize64: uint64(len(e.pre.data)), UncompressedSize64: e.pre.size})
			if err != nil {
				return err
			}
			if _, err := fw.Write(e.pre.data); err != nil {
				return err
			}
			continue
		}
		m := zip.Deflate
		if e.Stored {
			m = zip.Store
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: m})
		if err != nil {
			return err
		}
		if _, err := fw.Write(e.Data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Manifest returns a minimal <manifest package=pkg> with the given
// children under <application>.
func Manifest(pkg string, app ...*Element) *Element {
	return &Element{Name: "manifest",
		Attrs: []Attr{{Name: "package", Type: TypeString, Str: pkg}, {Name: "versionCode", ResID: AttrVersionCode, Android: true, Type: TypeIntDec, Data: 1}},
		Children: []*Element{
			{Name: "uses-sdk", Attrs: []Attr{{Name: "minSdkVersion", ResID: AttrMinSdk, Android: true, Type: TypeIntDec, Data: 21}}},
			{Name: "application", Children: app},
		}}
}

// Noise returns n bytes that deflate cannot shrink much, so a test can pad
// a file past a size without making a zip bomb the container refuses.
func Noise(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// WithDeclaredSize makes a Deflated entry declare size inflated bytes in
// the zip's headers, whatever its data holds: the lie a reader must not
// allocate for.
func WithDeclaredSize(e Entry, size uint64) Entry {
	if e.pre != nil {
		p := *e.pre
		p.size = size
		e.pre = &p
	}
	return e
}
