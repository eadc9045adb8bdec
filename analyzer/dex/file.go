package dex

import (
	"fmt"
	"hash/adler32"
	"io"
	"math"
	"strings"
)

// Limits bound what a file can make us allocate. A zero field means the
// DefaultLimits value.
type Limits struct {
	// MaxFileSize bounds file_size (container_size for v041).
	MaxFileSize int64
	// MaxStringLen bounds the MUTF-8 byte length of one string.
	MaxStringLen int
	// Names, when set, is charged for every class descriptor ClassList
	// returns and every name ScanRefs materialises, across all the files
	// that share it: one app's DEX files together cannot then hold more
	// names in memory than it allows, however the files repeat them.
	Names Budget
}

// DefaultLimits fit the largest real DEX files (tens of MB; the format caps
// method references at 64K per file) with a wide margin. A scan holds a
// DEX in memory with per-id tables of up to its size again, so 256 MiB
// keeps one file, however crafted, within half a gigabyte.
var DefaultLimits = Limits{
	MaxFileSize:  256 << 20,
	MaxStringLen: 1 << 20,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxFileSize > 0 {
		d.MaxFileSize = l.MaxFileSize
	}
	if l.MaxStringLen > 0 {
		d.MaxStringLen = l.MaxStringLen
	}
	d.Names = l.Names
	return d
}

// table is an id section whose bounds Parse has checked: every item
// off+i*size, i < n, lies within the file.
type table struct {
	off uint64
	n   uint32
}

func (t table) item(i uint32, size uint64) uint64 { return t.off + uint64(i)*size }

// File is one parsed DEX file (one entry of a v041 container). It keeps the
// input and decodes on demand. A File is safe for concurrent use.
type File struct {
	data []byte      // Parse: the input, cut to the file's extent
	pr   *pageReader // Open: nil for Parse

	lim     Limits
	hdr     Header
	version int
	base    uint64 // offset of this entry's header (v041 containers)
	end     uint64 // every offset must be below this
	avail   uint64 // bytes the input holds, end or more
	// share is set for the entries of a v041 container read by ParseAll,
	// which draw their output and decode budgets from one pool.
	share *share

	strings, types, protos, fields, methods, classes table
}

// Parse reads a DEX file held in memory. It checks the header and the bounds
// of every id table, then returns; strings and items are decoded only when
// asked for, directly from b, which must not be modified afterwards. For a
// v041 container Parse returns the first entry; see ParseAll.
func Parse(b []byte, lim Limits) (*File, error) {
	return newFile(b, nil, uint64(len(b)), 0, lim)
}

// ParseAll parses every entry of a v041 container (one File per dex
// entry), walking from one header to the next by file_size as Android's
// libdexfile does. For older versions it returns the single File Parse
// would. When an entry fails, the entries before it are returned with the
// error: each later header is found only through the one before, so the
// walk cannot go on, but what was read stays usable.
//
// The entries of a container draw from one output budget and one decode
// budget sized by the container, since they may all point at the same
// tables and code.
func ParseAll(b []byte, lim Limits) ([]*File, error) {
	first, err := Parse(b, lim)
	if err != nil {
		return nil, err
	}
	files := []*File{first}
	if first.version < containerVersion {
		return files, nil
	}
	container := first.end
	sh := newShare(container)
	first.share = sh
	for next := first.base + uint64(first.hdr.FileSize); next < container; {
		f, err := newFile(b[:container], nil, container, next, lim)
		if err != nil {
			return files, err
		}
		if f.version < containerVersion {
			return files, ferr(next, fmt.Sprintf("version %03d entry inside a v041 container", f.version), ErrInvalid)
		}
		if f.end != container {
			return files, ferr(next+offContainer, fmt.Sprintf("container_size %#x of a later entry (the first says %#x)", f.end, container), ErrInvalid)
		}
		f.share = sh
		files = append(files, f)
		// file_size >= header size, so this always advances.
		next += uint64(f.hdr.FileSize)
	}
	return files, nil
}

// Open reads a DEX file through r, which holds size bytes. Only the header is
// read up front; later reads go through a fixed-size page cache, so memory
// stays bounded however large the file or its claims. Parse is much faster
// when the bytes are already in memory.
func Open(r io.ReaderAt, size int64, lim Limits) (*File, error) {
	if r == nil {
		return nil, ferr(0, "reader", ErrInvalid)
	}
	if size < 0 {
		return nil, ferr(0, fmt.Sprintf("size %d", size), ErrInvalid)
	}
	pr := &pageReader{r: r, end: uint64(size)}
	f, err := newFile(nil, pr, uint64(size), 0, lim)
	if err != nil {
		return nil, err
	}
	pr.end = f.end
	return f, nil
}

// newFile parses the header at base; avail is how many bytes the source has.
func newFile(data []byte, pr *pageReader, avail, base uint64, lim Limits) (*File, error) {
	f := &File{data: data, pr: pr, lim: lim.withDefaults(), base: base, end: avail, avail: avail}
	if base > avail {
		return nil, ferr(base, "header", ErrOutOfBounds)
	}
	var hb [headerSizeV41]byte
	if avail-base < 8 {
		n := avail - base
		m, err := f.bytesAt(base, int(n), hb[:], "magic")
		if err != nil {
			return nil, err
		}
		if k := min(n, 4); string(m[:k]) != "dex\n"[:k] {
			return nil, ferr(base, "magic", ErrNotDex)
		}
		return nil, ferr(base, "magic", ErrTruncated)
	}
	m, err := f.bytesAt(base, 8, hb[:], "magic")
	if err != nil {
		return nil, err
	}
	if f.version, err = parseMagic(m, base); err != nil {
		return nil, err
	}
	need := uint64(headerSize)
	if f.version >= containerVersion {
		need = headerSizeV41
	}
	if avail-base < need {
		return nil, ferr(base, fmt.Sprintf("header (%d of %d bytes)", avail-base, need), ErrTruncated)
	}
	b, err := f.bytesAt(base, int(need), hb[:], "header")
	if err != nil {
		return nil, err
	}
	h := decodeHeader(b, f.version)
	f.hdr = h

	switch h.EndianTag {
	case endianConstant:
	case reverseEndianConstant:
		return nil, ferr(base+offEndianTag, "reverse endian tag (big-endian file)", ErrByteOrder)
	default:
		return nil, ferr(base+offEndianTag, fmt.Sprintf("endian tag %#x", h.EndianTag), ErrByteOrder)
	}
	if uint64(h.HeaderSize) < need {
		return nil, ferr(base+offHeaderSize, fmt.Sprintf("header_size %#x (want at least %#x)", h.HeaderSize, need), ErrInvalid)
	}
	if f.version >= containerVersion && h.HeaderSize != headerSizeV41 {
		// libdexfile requires the exact size for the container layout: a
		// v041 header of 0x70 bytes (an older tool's) would put
		// container_size and header_offset inside the string_ids table.
		return nil, ferr(base+offHeaderSize, fmt.Sprintf("header_size %#x of a v041 entry (want %#x)", h.HeaderSize, headerSizeV41), ErrInvalid)
	}
	if h.FileSize < h.HeaderSize {
		return nil, ferr(base+offFileSize, fmt.Sprintf("file_size %#x smaller than header_size %#x", h.FileSize, h.HeaderSize), ErrInvalid)
	}

	// extent is the range offsets may point into: the file, or for v041 the
	// whole container, since entries share their data.
	extent := uint64(h.FileSize)
	if f.version >= containerVersion {
		if uint64(h.HeaderOffset) != base {
			return nil, ferr(base+offHeaderOff, fmt.Sprintf("header_offset %#x for a header at %#x", h.HeaderOffset, base), ErrInvalid)
		}
		extent = uint64(h.ContainerSize)
		if extent <= base {
			return nil, ferr(base+offContainer, fmt.Sprintf("container_size %#x not beyond header_offset %#x", h.ContainerSize, h.HeaderOffset), ErrInvalid)
		}
		if base+uint64(h.FileSize) > extent {
			return nil, ferr(base+offFileSize, fmt.Sprintf("file_size %#x beyond container_size %#x", h.FileSize, h.ContainerSize), ErrInvalid)
		}
	} else if base != 0 {
		return nil, ferr(base, fmt.Sprintf("version %03d entry inside a container", f.version), ErrInvalid)
	}
	if extent > uint64(f.lim.MaxFileSize) {
		return nil, ferr(base+offFileSize, fmt.Sprintf("size %d (limit %d)", extent, f.lim.MaxFileSize), ErrTooLarge)
	}
	if extent > avail {
		return nil, ferr(base+offFileSize, fmt.Sprintf("declared size %#x but %#x bytes present", extent, avail), ErrTruncated)
	}
	f.end = extent
	if data != nil {
		f.data = data[:extent:extent]
	}

	hdrEnd := base + uint64(h.HeaderSize)
	specs := [...]struct {
		name  string
		field uint64
		n     uint32
		off   uint32
		size  uint64
		dst   *table
	}{
		{"string_ids", 0x38, h.StringIDsSize, h.StringIDsOff, stringIDSize, &f.strings},
		{"type_ids", 0x40, h.TypeIDsSize, h.TypeIDsOff, typeIDSize, &f.types},
		{"proto_ids", 0x48, h.ProtoIDsSize, h.ProtoIDsOff, protoIDSize, &f.protos},
		{"field_ids", 0x50, h.FieldIDsSize, h.FieldIDsOff, fieldIDSize, &f.fields},
		{"method_ids", 0x58, h.MethodIDsSize, h.MethodIDsOff, methodIDSize, &f.methods},
		{"class_defs", 0x60, h.ClassDefsSize, h.ClassDefsOff, classDefSize, &f.classes},
	}
	for i, s := range specs {
		if s.n == 0 {
			continue
		}
		off, size := uint64(s.off), uint64(s.n)*s.size // cannot overflow 64 bits
		if off > extent || size > extent-off {
			return nil, ferr(base+s.field, fmt.Sprintf("%s table (%d items at %#x)", s.name, s.n, s.off), ErrOutOfBounds)
		}
		if off < hdrEnd && off+size > base {
			return nil, ferr(base+s.field, s.name+" table overlapping the header", ErrOverlap)
		}
		for _, o := range specs[:i] {
			if o.n == 0 {
				continue
			}
			oo, os := uint64(o.off), uint64(o.n)*o.size
			if off < oo+os && oo < off+size {
				return nil, ferr(base+s.field, s.name+" table overlapping "+o.name, ErrOverlap)
			}
		}
		*s.dst = table{off: off, n: s.n}
	}
	return f, nil
}

// Version is the format version from the magic, 35 through 41.
func (f *File) Version() int { return f.version }

// Header returns the decoded header_item.
func (f *File) Header() Header { return f.hdr }

func (f *File) NumStrings() int   { return int(f.strings.n) }
func (f *File) NumTypes() int     { return int(f.types.n) }
func (f *File) NumProtos() int    { return int(f.protos.n) }
func (f *File) NumFields() int    { return int(f.fields.n) }
func (f *File) NumMethods() int   { return int(f.methods.n) }
func (f *File) NumClassDefs() int { return int(f.classes.n) }

// outputBudget bounds the bytes of strings one call may return. MUTF-8
// expands at most threefold, so a file whose items each name a distinct
// string stays far below it; only items sharing one long string (which no
// compiler emits) could reach it, and that is exactly the amplification a
// crafted file would use.
func (f *File) outputBudget() int {
	return int(min(4*f.end+64<<10, uint64(math.MaxInt)))
}

// maxTypeList caps a type_list's length: its entries are parameters (at most
// 65535 registers) or interfaces (at most 65535 in a class file), so a
// longer list is hostile, and the cap keeps one list's []string small.
const maxTypeList = 0xffff

func indexErr(t table, idx uint32, what string) error {
	return ferr(t.off, fmt.Sprintf("%s index %d (of %d)", what, idx, t.n), ErrIndex)
}

// stringDataOff returns the string_data_off of string idx.
func (f *File) stringDataOff(idx uint32) (uint64, error) {
	if idx >= f.strings.n {
		return 0, indexErr(f.strings, idx, "string")
	}
	off, err := f.readU32(f.strings.item(idx, stringIDSize), "string_id")
	return uint64(off), err
}

// typeStringOff returns the string_data_off of type idx's descriptor.
func (f *File) typeStringOff(idx uint32) (uint64, error) {
	if idx >= f.types.n {
		return 0, indexErr(f.types, idx, "type")
	}
	s, err := f.readU32(f.types.item(idx, typeIDSize), "type_id")
	if err != nil {
		return 0, err
	}
	return f.stringDataOff(s)
}

func (f *File) decodeAt(off uint64) (string, error) {
	var buf []byte
	raw, ascii, err := f.rawString(off, &buf)
	if err != nil {
		return "", err
	}
	return decodeMUTF8(raw, ascii), nil
}

// String returns string idx converted from MUTF-8 to UTF-8. Malformed bytes
// become U+FFFD rather than an error.
func (f *File) String(idx uint32) (string, error) {
	off, err := f.stringDataOff(idx)
	if err != nil {
		return "", err
	}
	return f.decodeAt(off)
}

// TypeDescriptor returns the descriptor of type idx, e.g. "Lcom/foo/Bar;",
// "I" or "[Ljava/lang/String;".
func (f *File) TypeDescriptor(idx uint32) (string, error) {
	off, err := f.typeStringOff(idx)
	if err != nil {
		return "", err
	}
	return f.decodeAt(off)
}

// Proto is a method prototype.
type Proto struct {
	Shorty     string
	ReturnType string
	Params     []string
}

// String renders the prototype as a JVM method descriptor: "(ILjava/lang/String;)V".
func (p Proto) String() string {
	return "(" + strings.Join(p.Params, "") + ")" + p.ReturnType
}

// Proto returns prototype idx.
func (f *File) Proto(idx uint32) (Proto, error) {
	if idx >= f.protos.n {
		return Proto{}, indexErr(f.protos, idx, "proto")
	}
	var s [protoIDSize]byte
	off := f.protos.item(idx, protoIDSize)
	b, err := f.bytesAt(off, protoIDSize, s[:], "proto_id")
	if err != nil {
		return Proto{}, err
	}
	var p Proto
	if p.Shorty, err = f.String(le32(b[0:])); err != nil {
		return Proto{}, err
	}
	if p.ReturnType, err = f.TypeDescriptor(le32(b[4:])); err != nil {
		return Proto{}, err
	}
	if p.Params, err = f.typeList(uint64(le32(b[8:])), "proto parameters"); err != nil {
		return Proto{}, err
	}
	return p, nil
}

// typeList resolves a type_list (proto parameters, class interfaces). Offset
// 0 means an empty list.
func (f *File) typeList(off uint64, what string) ([]string, error) {
	if off == 0 {
		return nil, nil
	}
	c := cursor{f: f, off: off}
	n := c.u32(what + " type_list size")
	if !c.need(uint64(n), 2, what+" type_list") {
		return nil, c.err
	}
	if n == 0 {
		return nil, nil
	}
	if n > maxTypeList {
		return nil, ferr(off, fmt.Sprintf("%s type_list of %d entries", what, n), ErrTooLarge)
	}
	out := make([]string, n)
	budget := f.outputBudget()
	var buf []byte
	for i := range out {
		t := c.u16(what + " type_list entry")
		if c.err != nil {
			return nil, c.err
		}
		so, err := f.typeStringOff(uint32(t))
		if err != nil {
			return nil, err
		}
		raw, ascii, err := f.rawString(so, &buf)
		if err != nil {
			return nil, err
		}
		if budget -= 3 * len(raw); budget < 0 {
			return nil, ferr(off, what+" type_list expands beyond the output budget", ErrTooLarge)
		}
		out[i] = decodeMUTF8(raw, ascii)
	}
	return out, nil
}

// FieldRef is a field_id_item, resolved.
type FieldRef struct {
	ClassIdx uint16
	TypeIdx  uint16
	NameIdx  uint32
	Class    string // defining class descriptor
	Type     string // field type descriptor
	Name     string
}

// Field returns field reference idx.
func (f *File) Field(idx uint32) (FieldRef, error) {
	if idx >= f.fields.n {
		return FieldRef{}, indexErr(f.fields, idx, "field")
	}
	var s [fieldIDSize]byte
	b, err := f.bytesAt(f.fields.item(idx, fieldIDSize), fieldIDSize, s[:], "field_id")
	if err != nil {
		return FieldRef{}, err
	}
	r := FieldRef{ClassIdx: le16(b[0:]), TypeIdx: le16(b[2:]), NameIdx: le32(b[4:])}
	if r.Class, err = f.TypeDescriptor(uint32(r.ClassIdx)); err != nil {
		return FieldRef{}, err
	}
	if r.Type, err = f.TypeDescriptor(uint32(r.TypeIdx)); err != nil {
		return FieldRef{}, err
	}
	if r.Name, err = f.String(r.NameIdx); err != nil {
		return FieldRef{}, err
	}
	return r, nil
}

// MethodRef is a method_id_item, resolved.
type MethodRef struct {
	ClassIdx uint16
	ProtoIdx uint16
	NameIdx  uint32
	Class    string // defining class descriptor
	Name     string
	Proto    Proto
}

// Method returns method reference idx.
func (f *File) Method(idx uint32) (MethodRef, error) {
	if idx >= f.methods.n {
		return MethodRef{}, indexErr(f.methods, idx, "method")
	}
	var s [methodIDSize]byte
	b, err := f.bytesAt(f.methods.item(idx, methodIDSize), methodIDSize, s[:], "method_id")
	if err != nil {
		return MethodRef{}, err
	}
	r := MethodRef{ClassIdx: le16(b[0:]), ProtoIdx: le16(b[2:]), NameIdx: le32(b[4:])}
	if r.Class, err = f.TypeDescriptor(uint32(r.ClassIdx)); err != nil {
		return MethodRef{}, err
	}
	if r.Name, err = f.String(r.NameIdx); err != nil {
		return MethodRef{}, err
	}
	if r.Proto, err = f.Proto(uint32(r.ProtoIdx)); err != nil {
		return MethodRef{}, err
	}
	return r, nil
}

// ClassDef is a class_def_item with its class descriptor resolved. Index
// fields hold NoIndex where the format allows absence; offsets are 0 when
// absent.
type ClassDef struct {
	ClassIdx        uint32
	AccessFlags     uint32
	SuperclassIdx   uint32
	InterfacesOff   uint32
	SourceFileIdx   uint32
	AnnotationsOff  uint32
	ClassDataOff    uint32
	StaticValuesOff uint32

	Descriptor string
}

// ClassDef returns class definition i, 0 <= i < NumClassDefs().
func (f *File) ClassDef(i int) (ClassDef, error) {
	if i < 0 || uint64(i) >= uint64(f.classes.n) {
		return ClassDef{}, ferr(f.classes.off, fmt.Sprintf("class_def index %d (of %d)", i, f.classes.n), ErrIndex)
	}
	var s [classDefSize]byte
	b, err := f.bytesAt(f.classes.item(uint32(i), classDefSize), classDefSize, s[:], "class_def")
	if err != nil {
		return ClassDef{}, err
	}
	c := ClassDef{
		ClassIdx:        le32(b[0:]),
		AccessFlags:     le32(b[4:]),
		SuperclassIdx:   le32(b[8:]),
		InterfacesOff:   le32(b[12:]),
		SourceFileIdx:   le32(b[16:]),
		AnnotationsOff:  le32(b[20:]),
		ClassDataOff:    le32(b[24:]),
		StaticValuesOff: le32(b[28:]),
	}
	if c.Descriptor, err = f.TypeDescriptor(c.ClassIdx); err != nil {
		return ClassDef{}, err
	}
	return c, nil
}

// Interfaces resolves a class's interfaces list (ClassDef.InterfacesOff).
func (f *File) Interfaces(c ClassDef) ([]string, error) {
	return f.typeList(uint64(c.InterfacesOff), "interfaces")
}

// ClassDescriptors returns the descriptor of every class_def, in class_def
// order. It decodes straight from the input into one buffer and slices
// every result out of a single string: a handful of allocations however
// many classes there are. The results therefore share memory; keeping any
// one keeps them all. A class_def that names an earlier one's type is
// listed again; ClassList, the scan's hot path, lists each class once.
func (f *File) ClassDescriptors() ([]string, error) {
	out, _, err := f.classList(false)
	return out, err
}

// ClassList returns the descriptor of each class the file defines, in
// class_def order, once: a class_def naming the same descriptor string as
// an earlier one is not listed again but counted in dups. Android's
// verifier refuses a file that defines a class twice, and without the
// dedup a small file repeating one class_def millions of times would cost
// 16 bytes of result per repeat (and a copy of the descriptor per repeat
// for ClassDescriptors). The descriptors share one string, as in
// ClassDescriptors, and are charged to Limits.Names.
func (f *File) ClassList() (classes []string, dups int, err error) {
	return f.classList(true)
}

func (f *File) classList(dedup bool) ([]string, int, error) {
	n := int(f.classes.n)
	if n == 0 {
		return []string{}, 0, nil
	}
	m := f.meter()
	var seen []uint64 // one bit per string index
	if dedup {
		seen = make([]uint64, (uint64(f.strings.n)+63)/64)
	}
	dups := 0
	ends := make([]int, 0, min(f.classes.n, f.types.n))
	var sb strings.Builder
	// Real descriptors average 40-60 bytes; the hint is capped by the file
	// size and the type count, so a lying or repetitive class list cannot
	// inflate it.
	sb.Grow(int(min(uint64(min(f.classes.n, f.types.n))*64, f.end)))
	var scratch, conv []byte
	for i := range n {
		co := f.classes.item(uint32(i), classDefSize)
		var si uint32
		var so uint64
		var err error
		if f.pr == nil {
			si, so, err = f.classStringMem(co)
		} else {
			var t uint32
			if t, err = f.readU32(co, "class_def"); err == nil {
				si, so, err = f.typeString(t)
			}
		}
		if err != nil {
			return nil, 0, err
		}
		if dedup {
			if seen[si/64]&(1<<(si%64)) != 0 {
				dups++
				continue
			}
			seen[si/64] |= 1 << (si % 64)
		}
		raw, ascii, err := f.rawString(so, &scratch)
		if err != nil {
			return nil, 0, err
		}
		if !ascii {
			conv = appendMUTF8(conv[:0], raw)
			raw = conv
		}
		if !m.take(len(raw)) || !m.overhead(16) {
			return nil, 0, ferr(co, "class descriptors expand beyond the output budget", ErrTooLarge)
		}
		sb.Write(raw)
		ends = append(ends, sb.Len())
	}
	all := sb.String()
	out := make([]string, len(ends))
	start := 0
	for i, e := range ends {
		out[i] = all[start:e]
		start = e
	}
	return out, dups, nil
}

// classStringMem returns the string index and string_data_off of the
// descriptor of the class_def at co, for in-memory files, without the
// per-read mode switch and error plumbing: the tables were bounds-checked
// by Parse, so only the indices need checking.
func (f *File) classStringMem(co uint64) (uint32, uint64, error) {
	d := f.data
	t := le32(d[co:])
	if t >= f.types.n {
		return 0, 0, indexErr(f.types, t, "type")
	}
	s := le32(d[f.types.off+uint64(t)*typeIDSize:])
	if s >= f.strings.n {
		return 0, 0, indexErr(f.strings, s, "string")
	}
	return s, uint64(le32(d[f.strings.off+uint64(s)*stringIDSize:])), nil
}

// typeString returns the string index and string_data_off of type idx's
// descriptor.
func (f *File) typeString(idx uint32) (uint32, uint64, error) {
	if idx >= f.types.n {
		return 0, 0, indexErr(f.types, idx, "type")
	}
	s, err := f.readU32(f.types.item(idx, typeIDSize), "type_id")
	if err != nil {
		return 0, 0, err
	}
	off, err := f.stringDataOff(s)
	return s, off, err
}

// VerifyChecksum reports whether the header's adler32 checksum matches the
// bytes after it. Android does not check it for installed apps, and neither
// does Parse; a mismatch only hints at tampering or damage.
func (f *File) VerifyChecksum() bool {
	start, end := f.base+12, f.base+uint64(f.hdr.FileSize)
	if f.pr == nil {
		return adler32.Checksum(f.data[start:end]) == f.hdr.Checksum
	}
	h := adler32.New()
	sr := io.NewSectionReader(f.pr.r, int64(start), int64(end-start))
	if n, err := io.CopyBuffer(h, sr, make([]byte, 32<<10)); err != nil || uint64(n) != end-start {
		return false
	}
	return h.Sum32() == f.hdr.Checksum
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
