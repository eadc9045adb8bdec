package container

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
)

// Limits caps what one archive may cost. The zero value of a field means the
// default from DefaultLimits.
type Limits struct {
	// MaxEntries bounds the number of central directory records.
	MaxEntries int
	// MaxEntrySize bounds the inflated size of any one entry we read.
	MaxEntrySize int64
	// MaxTotalSize bounds the inflated bytes read from the archive overall.
	MaxTotalSize int64
	// MaxRatio bounds inflated/compressed for an entry once it has inflated
	// more than RatioFloor bytes; real DEX and XML stay far below it.
	MaxRatio int64
	// RatioFloor is the inflated size below which the ratio is not checked,
	// because tiny highly repetitive files are legitimately extreme.
	RatioFloor int64
}

// DefaultLimits are generous enough for the largest real apps (hundreds of
// MB, dozens of DEX files) and small enough that a hostile file cannot make a
// CI runner swap.
var DefaultLimits = Limits{
	MaxEntries:   250_000,
	MaxEntrySize: 1 << 30,
	MaxTotalSize: 4 << 30,
	MaxRatio:     400,
	RatioFloor:   8 << 20,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.MaxEntrySize > 0 {
		d.MaxEntrySize = l.MaxEntrySize
	}
	if l.MaxTotalSize > 0 {
		d.MaxTotalSize = l.MaxTotalSize
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	if l.RatioFloor > 0 {
		d.RatioFloor = l.RatioFloor
	}
	return d
}

// Sentinel errors, matched with errors.Is.
var (
	ErrNotZip          = errors.New("not a zip archive")
	ErrEmpty           = errors.New("archive has no entries")
	ErrTruncated       = errors.New("central directory truncated or corrupt")
	ErrTooManyEntries  = errors.New("too many entries")
	ErrEntryTooLarge   = errors.New("entry exceeds the size limit")
	ErrTotalTooLarge   = errors.New("archive exceeds the total inflated size limit")
	ErrRatio           = errors.New("compression ratio exceeds the limit (zip bomb?)")
	ErrSizeMismatch    = errors.New("inflated size differs from the declared size")
	ErrUnsupportedComp = errors.New("unsupported compression method")
	ErrNotFound        = errors.New("entry not found")
)

// Error describes a failure tied to a place in the archive.
type Error struct {
	Entry  string // empty for archive-level errors
	Offset int64  // byte offset in the file, -1 when unknown
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("container: ")
	if e.Entry != "" {
		fmt.Fprintf(&b, "entry \"%s\"", printable(e.Entry))
		if e.Offset >= 0 {
			fmt.Fprintf(&b, " at offset %d", e.Offset)
		}
		b.WriteString(": ")
	} else if e.Offset >= 0 {
		fmt.Fprintf(&b, "at offset %d: ", e.Offset)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Note is a non-fatal observation about the archive's shape.
type Note struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Entry is one central directory record.
type Entry struct {
	Name             string
	Method           uint16
	CompressedSize   uint64
	UncompressedSize uint64
	// Shadowed is set on every record whose name repeats an earlier one.
	Shadowed bool
	f        *zip.File

	// The data offset costs a read of the local header; an app has
	// thousands of entries and only a few are ever opened.
	offOnce sync.Once
	off     int64
	// The local header is compared with the directory once, on first open.
	lhOnce sync.Once
}

// DataOffset is where the entry's data starts in the file (after its
// local header), -1 when the local header is unreadable.
func (e *Entry) DataOffset() int64 {
	e.offOnce.Do(func() {
		e.off = -1
		if e.f != nil {
			if off, err := e.f.DataOffset(); err == nil {
				e.off = off
			}
		}
	})
	return e.off
}

// Archive is an opened zip with its entries in central directory order.
type Archive struct {
	Size    int64
	Entries []*Entry
	// PrefixBytes is the count of bytes before the first local header that
	// do not belong to the zip; PrefixMagic describes what they look like.
	PrefixBytes int64
	PrefixMagic string
	Comment     string
	Notes       []Note

	r      io.ReaderAt
	zr     *zip.Reader
	byName map[string]*Entry
	lim    Limits
	// read counts inflated bytes; views of one archive (bundle modules)
	// share it, so the total limit covers the whole file.
	read *atomic.Int64

	mu           sync.Mutex
	inconsistent []Note
}

// Open reads the central directory of the zip in r. It does not inflate
// anything.
func Open(r io.ReaderAt, size int64, lim Limits) (a *Archive, err error) {
	lim = lim.withDefaults()
	if size < 22 {
		return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: file is %d bytes, smaller than an end record", ErrNotZip, size)}
	}
	// archive/zip trusts the end record's count for the capacity only when
	// the file could hold that many records, but its loop still runs to the
	// count; we check the count ourselves first so a lying record cannot make
	// it spin or allocate.
	if n, ok := endRecordCount(r, size); ok && n > uint64(lim.MaxEntries) {
		return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: end record declares %d, limit %d", ErrTooManyEntries, n, lim.MaxEntries)}
	}
	defer func() {
		// archive/zip is well tested, but a panic on a hostile file must
		// still come out as an error naming the stage.
		if p := recover(); p != nil {
			a, err = nil, &Error{Offset: -1, Err: fmt.Errorf("%w: zip reader panicked: %v", ErrTruncated, p)}
		}
	}()
	zr, err := zip.NewReader(r, size)
	if err != nil {
		switch {
		case errors.Is(err, zip.ErrFormat):
			if !hasEndRecord(r, size) {
				return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: no end of central directory record", ErrNotZip)}
			}
			return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: %v", ErrTruncated, err)}
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: %v", ErrTruncated, err)}
		}
		// archive/zip returns ErrInsecurePath alongside a usable reader.
		if zr == nil || !errors.Is(err, zip.ErrInsecurePath) {
			return nil, &Error{Offset: -1, Err: err}
		}
	}
	// A buffered source turns the inflater's many small reads into few
	// large preads; flate uses a reader that is already an io.ByteReader
	// as it is.
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(bufio.NewReaderSize(r, 64<<10)) })
	if len(zr.File) > lim.MaxEntries {
		return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: %d entries, limit %d", ErrTooManyEntries, len(zr.File), lim.MaxEntries)}
	}
	if len(zr.File) == 0 {
		return nil, &Error{Offset: -1, Err: ErrEmpty}
	}
	a = &Archive{Size: size, r: r, zr: zr, lim: lim, Comment: zr.Comment, byName: make(map[string]*Entry, len(zr.File)), read: new(atomic.Int64)}
	dups := map[string]int{}
	for _, f := range zr.File {
		e := &Entry{Name: f.Name, Method: f.Method, CompressedSize: f.CompressedSize64, UncompressedSize: f.UncompressedSize64, f: f}
		if _, seen := a.byName[f.Name]; seen {
			// Android's installer refuses archives with repeated names;
			// we keep the first, as most extractors do, and say so.
			e.Shadowed = true
			dups[f.Name]++
		} else {
			a.byName[f.Name] = e
		}
		a.Entries = append(a.Entries, e)
	}
	if len(dups) > 0 {
		names := make([]string, 0, len(dups))
		for n := range dups {
			names = append(names, printable(n))
		}
		sort.Strings(names)
		a.Notes = append(a.Notes, Note{Code: "duplicate-entries", Message: fmt.Sprintf("repeated entry names (the first is used; Android refuses to install such a file): %s", strings.Join(names, ", "))})
	}
	if name, ok := truncatedOuter(r, a); ok {
		return nil, &Error{Offset: 0, Err: fmt.Errorf("%w: the file ends inside its first entry %q (the outer archive's directory is missing, so what was found is the directory of the archive stored in it)", ErrTruncated, printable(name))}
	}
	if p := prefixLength(r, a.Entries); p > 0 {
		a.PrefixBytes = p
		a.PrefixMagic = sniffPrefix(r, p)
		msg := fmt.Sprintf("%d bytes precede the zip", p)
		if a.PrefixMagic != "" {
			msg += " (" + a.PrefixMagic + ")"
		}
		a.Notes = append(a.Notes, Note{Code: "prefixed-zip", Message: msg})
	}
	if len(zr.Comment) > 0 {
		a.Notes = append(a.Notes, Note{Code: "zip-comment", Message: fmt.Sprintf("archive comment of %d bytes", len(zr.Comment))})
	}
	for _, e := range a.Entries {
		if strings.ContainsAny(e.Name, "\x00\r\n") {
			a.Notes = append(a.Notes, Note{Code: "control-chars-in-name", Message: fmt.Sprintf("entry name with control characters: %q", e.Name)})
		}
	}
	return a, nil
}

// Lookup returns the entry Android would use for name.
func (a *Archive) Lookup(name string) (*Entry, bool) {
	e, ok := a.byName[name]
	return e, ok
}

// ReadFile inflates the named entry into memory, bounded by the limits.
func (a *Archive) ReadFile(name string) ([]byte, error) {
	e, ok := a.Lookup(name)
	if !ok {
		return nil, &Error{Entry: name, Offset: -1, Err: ErrNotFound}
	}
	return a.Read(e)
}

// Read inflates e into memory, bounded by the limits. The declared size is
// only a hint for the buffer: the bounds are enforced on the bytes actually
// produced.
func (a *Archive) Read(e *Entry) ([]byte, error) {
	return a.ReadInto(e, nil)
}

// SizeHint is how many bytes to set aside for e's inflated data: its
// declared size, unless that is beyond the entry limit or more than the
// compressed data could expand to (a lying header must not make a caller
// allocate).
func (a *Archive) SizeHint(e *Entry) int {
	hint := e.UncompressedSize
	if hint > uint64(a.lim.MaxEntrySize) {
		hint = 0
	}
	if maxHint := (e.CompressedSize + 1) * uint64(a.lim.MaxRatio); hint > maxHint {
		hint = maxHint
	}
	return int(hint)
}

// ReadInto is Read into buf's storage when it has room (from buf[:0]); it
// allocates otherwise. Callers scanning many entries reuse one buffer.
func (a *Archive) ReadInto(e *Entry, buf []byte) ([]byte, error) {
	return a.ReadIntoContext(context.Background(), e, buf)
}

// ReadIntoContext is ReadInto that gives up when ctx is done: inflating
// one large entry can take a second, and a time budget must hold inside
// it.
func (a *Archive) ReadIntoContext(ctx context.Context, e *Entry, buf []byte) ([]byte, error) {
	rc, err := a.Open(e)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// One spare byte, so the read that finds the end of an exact-size
	// entry has room and never makes the buffer grow.
	if want := a.SizeHint(e) + 1; cap(buf) < want {
		buf = make([]byte, 0, want)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			// The entry is longer than it said; the limits in rc still
			// bound how far this goes.
			buf = append(buf, 0)[:len(buf)]
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := rc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Open returns a reader over e's inflated bytes that fails once a limit is
// crossed.
func (a *Archive) Open(e *Entry) (io.ReadCloser, error) {
	if e.UncompressedSize > uint64(a.lim.MaxEntrySize) {
		return nil, &Error{Entry: e.Name, Offset: e.DataOffset(), Err: fmt.Errorf("%w: declares %d bytes, limit %d", ErrEntryTooLarge, e.UncompressedSize, a.lim.MaxEntrySize)}
	}
	if e.Method != zip.Store && e.Method != zip.Deflate {
		return nil, &Error{Entry: e.Name, Offset: e.DataOffset(), Err: fmt.Errorf("%w %d", ErrUnsupportedComp, e.Method)}
	}
	e.lhOnce.Do(func() {
		if why := checkLocalHeader(a.r, e); why != "" {
			a.mu.Lock()
			a.inconsistent = append(a.inconsistent, Note{Code: "local-header-mismatch", Message: fmt.Sprintf("entry %q: %s; Android refuses to open such a file, so what a device would load is undefined (the central directory's record was read)", printable(e.Name), why)})
			a.mu.Unlock()
		}
	})
	rc, err := e.f.Open()
	if err != nil {
		return nil, &Error{Entry: e.Name, Offset: e.DataOffset(), Err: err}
	}
	return &boundedReader{rc: rc, e: e, a: a}, nil
}

// Inconsistencies lists the entries opened so far whose local header
// contradicts the central directory, sorted by entry name.
func (a *Archive) Inconsistencies() []Note {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Clone(a.inconsistent)
	sort.Slice(out, func(i, j int) bool { return out[i].Message < out[j].Message })
	return out
}

// checkLocalHeader compares e's local file header with its central
// directory record the way Android's libziparchive does before it hands
// out an entry: the same name bytes, the same method, and, unless a data
// descriptor follows the data, the same CRC and sizes. archive/zip reads
// only the directory, so without this a file could show one name to us
// and another to the device. It returns "" when they agree.
func checkLocalHeader(r io.ReaderAt, e *Entry) string {
	off := e.DataOffset()
	if off < 0 {
		return "local header unreadable"
	}
	name := e.f.Name
	// The local header is 30 bytes, the name, then an extra field of
	// unknown length (zipalign pads it) right before the data. Search
	// back from the data for a header whose lengths lead exactly to it;
	// try the common short extras first. Data of the entry before can
	// look like a header by chance, so a candidate that disagrees only
	// decides when no other candidate agrees.
	first := ""
	for _, window := range []int64{1024, 0xffff} {
		lo := off - 30 - int64(len(name)) - window
		if lo < 0 {
			lo = 0
		}
		n := off - lo
		if n < 30 {
			return "local header missing"
		}
		buf := make([]byte, n)
		if _, err := r.ReadAt(buf, lo); err != nil {
			return "local header unreadable"
		}
		for extra := 0; extra <= int(window); extra++ {
			p := int(n) - 30 - len(name) - extra
			if p < 0 {
				break
			}
			h := buf[p:]
			if string(h[:4]) != "PK\x03\x04" || int(binary.LittleEndian.Uint16(h[28:])) != extra {
				continue
			}
			if int(binary.LittleEndian.Uint16(h[26:])) != len(name) {
				continue
			}
			why := compareLocal(h, e)
			if why == "" {
				return ""
			}
			if first == "" {
				first = why
			}
		}
		if first != "" {
			return first
		}
	}
	return "local header does not name this entry (its name differs in length from the central directory's)"
}

// compareLocal checks a local header h (30 fixed bytes, then the name)
// against e's directory record.
func compareLocal(h []byte, e *Entry) string {
	name := h[30 : 30+len(e.f.Name)]
	if string(name) != e.f.Name {
		return fmt.Sprintf("local header names %q", printable(string(name)))
	}
	if m := binary.LittleEndian.Uint16(h[8:]); m != e.f.Method {
		return fmt.Sprintf("local header says compression method %d, the central directory %d", m, e.f.Method)
	}
	flags := binary.LittleEndian.Uint16(h[6:])
	if flags&0x8 != 0 {
		return "" // sizes and CRC follow the data
	}
	crc := binary.LittleEndian.Uint32(h[14:])
	csize := binary.LittleEndian.Uint32(h[18:])
	usize := binary.LittleEndian.Uint32(h[22:])
	if crc != e.f.CRC32 {
		return fmt.Sprintf("local header CRC %08x, central directory %08x", crc, e.f.CRC32)
	}
	// Zip64 entries keep their real sizes in the extra field.
	if csize != 0xffffffff && uint64(csize) != e.f.CompressedSize64 || usize != 0xffffffff && uint64(usize) != e.f.UncompressedSize64 {
		return fmt.Sprintf("local header sizes %d/%d, central directory %d/%d", csize, usize, e.f.CompressedSize64, e.f.UncompressedSize64)
	}
	return ""
}

type boundedReader struct {
	rc io.ReadCloser
	e  *Entry
	a  *Archive
	n  int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.n += int64(n)
	lim := b.a.lim
	if b.n > lim.MaxEntrySize {
		return n, b.fail(fmt.Errorf("%w: more than %d bytes inflated", ErrEntryTooLarge, lim.MaxEntrySize))
	}
	if b.n > lim.RatioFloor && b.n/int64(b.e.CompressedSize+1) > lim.MaxRatio {
		return n, b.fail(fmt.Errorf("%w: %d bytes from %d compressed", ErrRatio, b.n, b.e.CompressedSize))
	}
	if total := b.a.read.Add(int64(n)); total > lim.MaxTotalSize {
		return n, b.fail(fmt.Errorf("%w: %d bytes inflated in all", ErrTotalTooLarge, total))
	}
	if err != nil && err != io.EOF {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
			// archive/zip reports a size or CRC that does not match the
			// directory this way; keep the cause visible.
			return n, b.fail(fmt.Errorf("%w: %v", ErrSizeMismatch, err))
		}
		return n, b.fail(err)
	}
	return n, err
}

func (b *boundedReader) fail(err error) error {
	return &Error{Entry: b.e.Name, Offset: b.e.DataOffset(), Err: err}
}

func (b *boundedReader) Close() error { return b.rc.Close() }

// endRecordCount reads the entry count from the classic end record, when one
// can be found in the last 64 KiB + 22 bytes.
func endRecordCount(r io.ReaderAt, size int64) (uint64, bool) {
	off, buf := findEnd(r, size)
	if off < 0 {
		return 0, false
	}
	n := uint64(buf[10]) | uint64(buf[11])<<8
	if n == 0xffff {
		// ZIP64: archive/zip reads the 64-bit count itself; the capacity
		// guard there and our len check afterwards bound it.
		return 0, false
	}
	return n, true
}

func hasEndRecord(r io.ReaderAt, size int64) bool {
	off, _ := findEnd(r, size)
	return off >= 0
}

// findEnd scans backwards for the end of central directory signature.
func findEnd(r io.ReaderAt, size int64) (int64, []byte) {
	const maxBack = 0xffff + 22
	n := int64(maxBack)
	if n > size {
		n = size
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return -1, nil
	}
	for i := len(buf) - 22; i >= 0; i-- {
		if buf[i] == 'P' && buf[i+1] == 'K' && buf[i+2] == 5 && buf[i+3] == 6 {
			return size - n + int64(i), buf[i : i+22]
		}
	}
	return -1, nil
}

// truncatedOuter recognises a cut-off archive of archives (an .apks or
// .xapk whose download stopped inside its first, stored APK): archive/zip
// then finds the stored APK's own end record and reads it as if it were
// the file. The tell is a local header at offset 0 that the directory does
// not list, stored, whose data holds every entry the directory lists.
// zipflinger's unreferenced padding records have no data, so they do not
// match.
func truncatedOuter(r io.ReaderAt, a *Archive) (string, bool) {
	h := make([]byte, 30)
	if _, err := r.ReadAt(h, 0); err != nil || string(h[:4]) != "PK\x03\x04" {
		return "", false
	}
	flags := binary.LittleEndian.Uint16(h[6:])
	method := binary.LittleEndian.Uint16(h[8:])
	csize := int64(binary.LittleEndian.Uint32(h[18:]))
	n := int64(binary.LittleEndian.Uint16(h[26:]))
	m := int64(binary.LittleEndian.Uint16(h[28:]))
	if method != zip.Store || n == 0 {
		return "", false
	}
	if flags&0x8 != 0 || csize == 0xffffffff {
		// The size follows the data (or sits in a zip64 extra): only the
		// start of the data is known.
		csize = math.MaxInt64 / 2
	}
	if csize == 0 {
		return "", false
	}
	name := make([]byte, n)
	if _, err := r.ReadAt(name, 30); err != nil {
		return "", false
	}
	if _, listed := a.byName[string(name)]; listed {
		return "", false
	}
	// The first entry's data is itself a zip, and every entry found lies
	// inside it: the directory read is the stored archive's, not the
	// file's.
	lo, hi := 30+n+m, 30+n+m+csize
	sig := make([]byte, 4)
	if _, err := r.ReadAt(sig, lo); err != nil || string(sig) != "PK\x03\x04" {
		return "", false
	}
	for _, e := range a.Entries {
		if off := e.DataOffset(); off < lo || off >= hi {
			return "", false
		}
	}
	return string(name), true
}

// prefixLength is the count of bytes before the zip's first local header.
// A file that opens with a local header has none, whatever comes after:
// build tools may put unreferenced padding records first (zipflinger's
// virtual entries). Otherwise the entry with the lowest data offset tells
// where the zip begins.
func prefixLength(r io.ReaderAt, entries []*Entry) int64 {
	sig := make([]byte, 4)
	if _, err := r.ReadAt(sig, 0); err == nil && string(sig) == "PK\x03\x04" {
		return 0
	}
	var first *Entry
	for _, e := range entries {
		if off := e.DataOffset(); off >= 0 && (first == nil || off < first.DataOffset()) {
			first = e
		}
	}
	return localHeaderStart(r, first)
}

// localHeaderStart finds where the local header of e begins. The central
// directory's extra field can differ from the local one (zipalign pads the
// local copy), so we search back from the data for a header whose lengths
// lead exactly to it.
func localHeaderStart(r io.ReaderAt, e *Entry) int64 {
	if e == nil || e.DataOffset() < 30 {
		return 0
	}
	const window = 30 + 0xffff + 0xffff
	off := e.DataOffset()
	lo := off - window
	if lo < 0 {
		lo = 0
	}
	buf := make([]byte, off-lo)
	if _, err := r.ReadAt(buf, lo); err != nil {
		return 0
	}
	for i := len(buf) - 30; i >= 0; i-- {
		if buf[i] != 'P' || buf[i+1] != 'K' || buf[i+2] != 3 || buf[i+3] != 4 {
			continue
		}
		n := int(buf[i+26]) | int(buf[i+27])<<8
		m := int(buf[i+28]) | int(buf[i+29])<<8
		if lo+int64(i+30+n+m) == off {
			return lo + int64(i)
		}
	}
	return 0
}

func sniffPrefix(r io.ReaderAt, n int64) string {
	head := make([]byte, 8)
	if n < 8 {
		return ""
	}
	if _, err := r.ReadAt(head, 0); err != nil {
		return ""
	}
	switch {
	case bytes.HasPrefix(head, []byte("dex\n")):
		return "DEX file prepended: the Janus pattern (CVE-2017-13156)"
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "ELF binary prepended"
	case bytes.HasPrefix(head, []byte("MZ")):
		return "PE executable prepended"
	}
	return ""
}

// printable keeps names with control characters readable in one-line
// messages.
func printable(s string) string {
	q := fmt.Sprintf("%q", s)
	return q[1 : len(q)-1]
}
