package container

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
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
	// MaxParts bounds the APKs of an app set and the modules of a bundle
	// that are read; past it the rest are reported, not read.
	MaxParts int
	// MaxDepth is how many archives deep code inside an APK is followed
	// (an APK in assets/ is depth 1, an APK inside that one depth 2).
	MaxDepth int
	// MaxNestedMemory bounds the inflated bytes of compressed nested
	// archives held in memory at once (a stored one is read in place and
	// costs nothing here).
	MaxNestedMemory int64
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
	// Bundletool's app sets for the largest apps (many features times
	// many languages) stay in the hundreds of splits.
	MaxParts: 4096,
	// Android loads code from an APK nested in an APK that is itself
	// nested (DexClassLoader over an extracted file, which may do the
	// same again); three levels covers every packer seen, and deeper
	// archives are reported rather than silently dropped.
	MaxDepth:        3,
	MaxNestedMemory: 512 << 20,
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
	if l.MaxParts > 0 {
		d.MaxParts = l.MaxParts
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxNestedMemory > 0 {
		d.MaxNestedMemory = l.MaxNestedMemory
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
	ErrDataBounds      = errors.New("entry data runs past the start of the central directory")
	ErrTooDeep         = errors.New("archive nested deeper than the limit")
	ErrNestedTooLarge  = errors.New("nested archive too large to hold in memory")
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

// budget is what one app may cost, shared by every archive read for it:
// the file, the parts of an app set, bundle modules, and archives nested
// in them. Without the sharing, an app set whose thousand split records
// all point at one stored APK would inflate that APK's DEX a thousand
// times, each within its own limit.
type budget struct {
	lim Limits
	// used is bytes inflated plus recordCost for each directory record
	// parsed: opening the same stored archive again costs its directory
	// again.
	used atomic.Int64
	// held is the inflated bytes of nested archives held in memory now.
	held atomic.Int64
}

// recordCost is what one central directory record is charged against
// the inflate budget: parsing a record costs about as long as inflating
// a kilobyte, so re-reading one large directory many times runs out of
// budget as soon as inflating the same amount would.
const recordCost = 1 << 10

func newBudget(lim Limits) *budget { return &budget{lim: lim} }

// charge adds n to what was spent and reports the total.
func (b *budget) charge(n int64) int64 { return b.used.Add(n) }

func (b *budget) exhausted() bool { return b.used.Load() >= b.lim.MaxTotalSize }

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
	// budget is shared by every archive read for one app.
	budget *budget
	// dataEnd is where the central directory starts: no entry's data may
	// run past it (Android refuses such an entry).
	dataEnd int64
	// depth is how deep this archive is nested inside an APK of the app.
	depth int

	mu           sync.Mutex
	inconsistent []Note
	readNotes    []Note
}

// Open reads the central directory of the zip in r. It does not inflate
// anything. The archive has a budget of its own; archives opened from it
// (OpenNested, the parts of an App) share it.
func Open(r io.ReaderAt, size int64, lim Limits) (*Archive, error) {
	lim = lim.withDefaults()
	return openArchive(r, size, lim, newBudget(lim), 0)
}

func openArchive(r io.ReaderAt, size int64, lim Limits, b *budget, depth int) (a *Archive, err error) {
	if size < 22 {
		return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: file is %d bytes, smaller than an end record", ErrNotZip, size)}
	}
	// archive/zip reads directory records until one fails to parse,
	// whatever the end record says, and keeps them all: the records are
	// counted here first, without keeping them, so a directory of
	// millions is refused after reading at most MaxEntries of them.
	dir, ok := readDirectory(r, size, lim.MaxEntries)
	if !ok {
		if _, found := findEnd(r, size); !found {
			return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: no end of central directory record", ErrNotZip)}
		}
		return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: the end of central directory record points outside the file", ErrTruncated)}
	}
	if dir.declared > uint64(lim.MaxEntries) {
		return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: end record declares %d, limit %d", ErrTooManyEntries, dir.declared, lim.MaxEntries)}
	}
	if dir.records > lim.MaxEntries {
		return nil, &Error{Offset: dir.start, Err: fmt.Errorf("%w: the central directory holds more than %d records (its end record declares %d)", ErrTooManyEntries, lim.MaxEntries, dir.declared)}
	}
	if total := b.charge(int64(dir.records) * recordCost); total > lim.MaxTotalSize {
		return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: %d bytes inflated or directory bytes charged in all, limit %d", ErrTotalTooLarge, total, lim.MaxTotalSize)}
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
			return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: %v", ErrTruncated, err)}
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: %v", ErrTruncated, err)}
		}
		// archive/zip returns ErrInsecurePath alongside a usable reader.
		if zr == nil || !errors.Is(err, zip.ErrInsecurePath) {
			return nil, &Error{Offset: -1, Err: err}
		}
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: %d entries, limit %d", ErrTooManyEntries, len(zr.File), lim.MaxEntries)}
	}
	if len(zr.File) == 0 {
		return nil, &Error{Offset: -1, Err: ErrEmpty}
	}
	a = &Archive{Size: size, r: r, zr: zr, lim: lim, Comment: zr.Comment, byName: make(map[string]*Entry, len(zr.File)), budget: b, dataEnd: dir.start, depth: depth}
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
	if uint64(len(a.Entries)) != dir.declared {
		// Android reads exactly the declared count; archive/zip reads on
		// to the first record that does not parse.
		a.Notes = append(a.Notes, Note{Code: "directory-count-mismatch", Message: fmt.Sprintf("the end record declares %d central directory records but %d follow; Android reads only the first %d, all %d were read here", dir.declared, len(a.Entries), dir.declared, len(a.Entries))})
	}
	first, unlisted := unlistedFirst(r, a)
	if unlisted.name != "" && unlisted.truncation(dir, a) {
		return nil, &Error{Offset: 0, Err: fmt.Errorf("%w: the file ends inside its first entry %q (the outer archive's directory is missing, so what was found is the directory of the archive stored in it)", ErrTruncated, printable(unlisted.name))}
	}
	if unlisted.name != "" && unlisted.covers > 0 {
		a.Notes = append(a.Notes, Note{Code: "unlisted-first-entry", Message: fmt.Sprintf("the first local header (%q, stored, %d bytes from offset %d) is not in the central directory, and its data spans %d listed entries: a reader that walks local headers sees only that entry; Android, like this scan, reads what the directory lists", printable(unlisted.name), unlisted.hi-unlisted.lo, unlisted.lo, unlisted.covers)})
	}
	if n, pair := dir.overlaps(); n > 0 && pair[0] < len(a.Entries) && pair[1] < len(a.Entries) {
		a.Notes = append(a.Notes, Note{Code: "overlapping-entries", Message: fmt.Sprintf("%d entries share bytes with another entry's local header or data (first: %q and %q): a shape built to multiply inflate work; every read of the shared bytes is charged to the app's inflate budget", n, printable(a.Entries[pair[0]].Name), printable(a.Entries[pair[1]].Name))})
	}
	if !first {
		if p := prefixLength(r, a.Entries); p > 0 {
			a.PrefixBytes = p
			a.PrefixMagic = sniffPrefix(r, p)
			msg := fmt.Sprintf("%d bytes precede the zip", p)
			if a.PrefixMagic != "" {
				msg += " (" + a.PrefixMagic + ")"
			}
			a.Notes = append(a.Notes, Note{Code: "prefixed-zip", Message: msg})
		}
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

// Depth is how deep the archive is nested inside one of the app's APKs:
// 0 for the APKs themselves, 1 for an archive inside one, and so on.
func (a *Archive) Depth() int { return a.depth }

// Limits are the limits the archive was opened with, defaults applied.
func (a *Archive) Limits() Limits { return a.lim }

// BudgetExhausted reports whether the app this archive belongs to has
// spent its inflate budget: any further read will fail.
func (a *Archive) BudgetExhausted() bool { return a.budget.exhausted() }

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
	// The compressed data cannot be longer than what precedes the
	// directory, whatever the record claims.
	if maxHint := (min(e.CompressedSize, uint64(max(a.dataEnd, 0))) + 1) * uint64(a.lim.MaxRatio); hint > maxHint {
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
// crossed. The data is read by this package rather than archive/zip, so
// the ratio is taken on the compressed bytes really consumed (a record
// claiming gigabytes of compressed data for a one-megabyte stream cannot
// hide a bomb), the data is held to end before the central directory as
// Android holds it, and a data descriptor is compared with the directory
// as Android compares it.
func (a *Archive) Open(e *Entry) (io.ReadCloser, error) {
	if e.UncompressedSize > uint64(a.lim.MaxEntrySize) {
		return nil, &Error{Entry: e.Name, Offset: e.DataOffset(), Err: fmt.Errorf("%w: declares %d bytes, limit %d", ErrEntryTooLarge, e.UncompressedSize, a.lim.MaxEntrySize)}
	}
	if e.Method != zip.Store && e.Method != zip.Deflate {
		return nil, &Error{Entry: e.Name, Offset: e.DataOffset(), Err: fmt.Errorf("%w %d", ErrUnsupportedComp, e.Method)}
	}
	a.checkLocal(e)
	off := e.DataOffset()
	if off < 0 {
		return nil, &Error{Entry: e.Name, Offset: -1, Err: fmt.Errorf("%w: local header unreadable", ErrTruncated)}
	}
	if err := a.checkBounds(e, off); err != nil {
		return nil, err
	}
	cr := &countingReader{r: io.NewSectionReader(a.r, off, int64(e.CompressedSize))}
	br := &boundedReader{e: e, a: a, off: off, compressed: cr, crc: crc32.NewIEEE()}
	switch e.Method {
	case zip.Store:
		br.rc = io.NopCloser(cr)
	default:
		// A buffered source turns the inflater's many small reads into
		// few large preads; flate uses a reader that is already an
		// io.ByteReader as it is.
		size := int(min(e.CompressedSize+16, 64<<10))
		br.rc = flate.NewReader(bufio.NewReaderSize(cr, size))
	}
	return br, nil
}

// checkLocal compares e's local header with its directory record, once.
func (a *Archive) checkLocal(e *Entry) {
	e.lhOnce.Do(func() {
		if why := checkLocalHeader(a.r, e); why != "" {
			a.inconsistency(Note{Code: "local-header-mismatch", Message: fmt.Sprintf("entry %q: %s; Android refuses to open such a file, so what a device would load is undefined (the central directory's record was read)", printable(e.Name), why)})
		}
	})
}

// checkBounds holds e's data to end before the central directory, as
// libziparchive does before it hands out an entry: a compressed size
// that runs past it is a lie about the data, and the ratio must not be
// computed on it.
func (a *Archive) checkBounds(e *Entry, off int64) error {
	room := uint64(max(a.dataEnd-off, 0))
	if e.CompressedSize > room || e.Method == zip.Store && e.UncompressedSize > room {
		return &Error{Entry: e.Name, Offset: off, Err: fmt.Errorf("%w: declares %d compressed bytes from offset %d, the directory starts at %d (Android refuses to open this entry)", ErrDataBounds, e.CompressedSize, off, a.dataEnd)}
	}
	return nil
}

func (a *Archive) inconsistency(n Note) {
	a.mu.Lock()
	a.inconsistent = append(a.inconsistent, n)
	a.mu.Unlock()
}

func (a *Archive) readNote(n Note) {
	a.mu.Lock()
	a.readNotes = append(a.readNotes, n)
	a.mu.Unlock()
}

// Inconsistencies lists the entries opened so far whose local header or
// data descriptor contradicts the central directory, sorted by message.
// Android refuses to read such an entry, so what a device would load is
// undefined.
func (a *Archive) Inconsistencies() []Note {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Clone(a.inconsistent)
	sort.Slice(out, func(i, j int) bool { return out[i].Message < out[j].Message })
	return out
}

// ReadNotes lists what reading entries showed that Android tolerates (a
// CRC that does not match the data: Android does not check it), sorted
// by message.
func (a *Archive) ReadNotes() []Note {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Clone(a.readNotes)
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

// countingReader counts the compressed bytes taken from the file.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type boundedReader struct {
	rc         io.ReadCloser
	e          *Entry
	a          *Archive
	off        int64
	compressed *countingReader
	crc        hash.Hash32
	n          int64
	err        error
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.rc.Read(p)
	b.n += int64(n)
	b.crc.Write(p[:n])
	lim := b.a.lim
	if b.n > lim.MaxEntrySize {
		return n, b.fail(fmt.Errorf("%w: more than %d bytes inflated", ErrEntryTooLarge, lim.MaxEntrySize))
	}
	if b.n > int64(min(b.e.UncompressedSize, math.MaxInt64)) {
		return n, b.fail(fmt.Errorf("%w: more than the %d bytes the directory declares", ErrSizeMismatch, b.e.UncompressedSize))
	}
	// The compressed bytes consumed so far, not the declared size: the
	// inflater's read-ahead makes this a slight overcount, never an
	// undercount.
	if b.n > lim.RatioFloor && b.n/(b.compressed.n+1) > lim.MaxRatio {
		return n, b.fail(fmt.Errorf("%w: %d bytes from %d compressed", ErrRatio, b.n, b.compressed.n))
	}
	if total := b.a.budget.charge(int64(n)); total > lim.MaxTotalSize {
		return n, b.fail(fmt.Errorf("%w: %d bytes inflated in all", ErrTotalTooLarge, total))
	}
	switch {
	case err == io.EOF:
		if b.n != int64(b.e.UncompressedSize) {
			return n, b.fail(fmt.Errorf("%w: %d bytes inflated, the directory declares %d", ErrSizeMismatch, b.n, b.e.UncompressedSize))
		}
		b.finish()
		return n, io.EOF
	case err == io.ErrUnexpectedEOF:
		return n, b.fail(fmt.Errorf("%w: compressed data ends after %d bytes: %v", ErrSizeMismatch, b.compressed.n, err))
	case err != nil:
		return n, b.fail(err)
	}
	return n, nil
}

// finish checks what follows a whole entry: the CRC, which Android does
// not verify (libziparchive has CRC checks compiled out), so a mismatch
// is noted and the data kept; and the data descriptor, which Android
// does compare with the directory and refuses to extract the entry on a
// mismatch.
func (b *boundedReader) finish() {
	e, f := b.e, b.e.f
	if f == nil {
		return
	}
	if sum := b.crc.Sum32(); sum != f.CRC32 {
		b.a.readNote(Note{Code: "crc-mismatch", Message: fmt.Sprintf("entry %q: data CRC %08x, central directory %08x; Android does not check it, and the data was read as stored", printable(e.Name), sum, f.CRC32)})
	}
	if f.Flags&0x8 == 0 {
		return
	}
	if why := b.descriptor(); why != "" {
		b.a.inconsistency(Note{Code: "data-descriptor-mismatch", Message: fmt.Sprintf("entry %q: %s; Android refuses to extract such an entry, so what a device would load is undefined (the central directory's record was read)", printable(e.Name), why)})
	}
}

// descriptor compares the data descriptor after e's data with the
// directory the way libziparchive does: an optional signature, the CRC,
// then both sizes, 64-bit when either size in the directory needs it.
func (b *boundedReader) descriptor() string {
	e, f := b.e, b.e.f
	at := b.off + int64(e.CompressedSize)
	if e.Method == zip.Store {
		at = b.off + int64(e.UncompressedSize)
	}
	buf := make([]byte, 24)
	n, _ := b.a.r.ReadAt(buf, at)
	d := buf[:n]
	if len(d) >= 4 && string(d[:4]) == "PK\x07\x08" {
		d = d[4:]
	}
	wide := e.CompressedSize >= math.MaxUint32 || e.UncompressedSize >= math.MaxUint32
	need := 12
	if wide {
		need = 20
	}
	if len(d) < need {
		return "data descriptor missing at the end of the file"
	}
	crc := binary.LittleEndian.Uint32(d)
	var csize, usize uint64
	if wide {
		csize, usize = binary.LittleEndian.Uint64(d[4:]), binary.LittleEndian.Uint64(d[12:])
	} else {
		csize, usize = uint64(binary.LittleEndian.Uint32(d[4:])), uint64(binary.LittleEndian.Uint32(d[8:]))
	}
	if crc != f.CRC32 || csize != e.CompressedSize || usize != e.UncompressedSize {
		return fmt.Sprintf("data descriptor says CRC %08x and sizes %d/%d, the central directory %08x and %d/%d", crc, csize, usize, f.CRC32, e.CompressedSize, e.UncompressedSize)
	}
	return ""
}

func (b *boundedReader) fail(err error) error {
	b.err = &Error{Entry: b.e.Name, Offset: b.off, Err: err}
	return b.err
}

func (b *boundedReader) Close() error { return b.rc.Close() }

// findEnd scans backwards for the end of central directory signature.
func findEnd(r io.ReaderAt, size int64) (int64, bool) {
	const maxBack = 0xffff + 22
	n := min(int64(maxBack), size)
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return -1, false
	}
	for i := len(buf) - 22; i >= 0; i-- {
		if buf[i] == 'P' && buf[i+1] == 'K' && buf[i+2] == 5 && buf[i+3] == 6 {
			return size - n + int64(i), true
		}
	}
	return -1, false
}

// firstLocal describes a local header at offset 0 that the directory
// does not list.
type firstLocal struct {
	name   string
	lo, hi int64 // its data, as its header declares it
	covers int   // listed entries whose local header lies in [lo, hi)
}

// unlistedFirst reports whether the file starts with a local header and,
// when that header is one the directory does not list, stored and with
// data, what it spans. zipflinger's unreferenced padding records have no
// data and are not reported.
func unlistedFirst(r io.ReaderAt, a *Archive) (bool, firstLocal) {
	h := make([]byte, 30)
	if _, err := r.ReadAt(h, 0); err != nil || string(h[:4]) != "PK\x03\x04" {
		return false, firstLocal{}
	}
	flags := binary.LittleEndian.Uint16(h[6:])
	method := binary.LittleEndian.Uint16(h[8:])
	csize := int64(binary.LittleEndian.Uint32(h[18:]))
	n := int64(binary.LittleEndian.Uint16(h[26:]))
	m := int64(binary.LittleEndian.Uint16(h[28:]))
	if method != zip.Store || n == 0 {
		return true, firstLocal{}
	}
	if flags&0x8 != 0 || csize == 0xffffffff {
		// The size follows the data (or sits in a zip64 extra): only the
		// start of the data is known.
		csize = math.MaxInt64 / 2
	}
	if csize == 0 {
		return true, firstLocal{}
	}
	name := make([]byte, n)
	if _, err := r.ReadAt(name, 30); err != nil {
		return true, firstLocal{}
	}
	if e, listed := a.byName[string(name)]; listed && e.DataOffset() == 30+n+m {
		return true, firstLocal{}
	}
	fl := firstLocal{name: string(name), lo: 30 + n + m, hi: 30 + n + m + csize}
	for _, e := range a.Entries {
		if off := e.DataOffset(); off >= fl.lo && off < fl.hi {
			fl.covers++
		}
	}
	return true, fl
}

// truncation recognises a cut-off archive of archives (an .apks or .xapk
// whose download stopped inside its first, stored APK): archive/zip then
// finds the stored APK's own end record and reads it as if it were the
// file. The tell is that every entry found lies in the first entry's
// data and that the directory's offsets count from inside that data (the
// stored APK's own start), not from the start of the file. An APK whose
// unlisted first entry merely spans the real entries has offsets that
// count from the start of the file: it is whole, and only noted.
func (fl firstLocal) truncation(dir *directory, a *Archive) bool {
	if fl.covers != len(a.Entries) || dir.base < fl.lo || dir.base >= fl.hi {
		return false
	}
	sig := make([]byte, 4)
	_, err := a.r.ReadAt(sig, fl.lo)
	return err == nil && string(sig) == "PK\x03\x04"
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
