package dex

import (
	"cmp"
	"errors"
	"fmt"
)

// maxFindings caps what Validate reports: past that the file is plainly
// broken and a longer list would only cost memory.
const maxFindings = 64

type findings struct {
	errs []error
}

func (fs *findings) add(off uint64, what string, err error) bool {
	if len(fs.errs) < maxFindings {
		fs.errs = append(fs.errs, ferr(off, what, err))
	}
	return len(fs.errs) < maxFindings
}

func (fs *findings) addErr(err error) bool {
	if len(fs.errs) < maxFindings {
		fs.errs = append(fs.errs, err)
	}
	return len(fs.errs) < maxFindings
}

func (fs *findings) full() bool { return len(fs.errs) >= maxFindings }

// Validate is an optional deep check of the rules Parse does not need to
// read a file: the map list agrees with the header and with itself, sections
// are aligned and in bounds, indices stored in the id tables and class
// definitions are in range, strings are terminated and their utf16_size is
// right, and the tables the format requires to be sorted and unique are.
// It reports up to 64 problems, each a *FormatError, joined with
// errors.Join; nil means none were found. It reads every id and every
// string, but allocates little (the map list, a bitmap over the type ids),
// and work budgets stop inputs that would make those reads quadratic.
func (f *File) Validate() error {
	var fs findings
	f.validateHeader(&fs)
	if !fs.full() {
		f.validateMap(&fs)
	}
	if !fs.full() {
		f.validateStrings(&fs)
	}
	if !fs.full() {
		f.validateTypes(&fs)
	}
	if !fs.full() {
		f.validateProtos(&fs)
	}
	if !fs.full() {
		f.validateFields(&fs)
	}
	if !fs.full() {
		f.validateMethods(&fs)
	}
	if !fs.full() {
		f.validateClassDefs(&fs)
	}
	if len(fs.errs) == maxFindings {
		fs.errs = append(fs.errs, errors.New("dex: validation stopped after too many problems"))
	}
	return errors.Join(fs.errs...)
}

// dataRange is where data items must live: the data section up to v040; the
// whole container from v041 on, where data_size/data_off are unused.
func (f *File) dataRange() (lo, hi uint64) {
	if f.version >= containerVersion {
		return 0, f.end
	}
	return uint64(f.hdr.DataOff), uint64(f.hdr.DataOff) + uint64(f.hdr.DataSize)
}

func (f *File) validateHeader(fs *findings) {
	h, b := f.hdr, f.base
	want := uint32(headerSize)
	if f.version >= containerVersion {
		want = headerSizeV41
	}
	if h.HeaderSize != want {
		fs.add(b+offHeaderSize, fmt.Sprintf("header_size %#x (want %#x)", h.HeaderSize, want), ErrInvalid)
	}
	sections := []struct {
		name      string
		field     uint64
		size, off uint32
	}{
		{"link", 0x2c, h.LinkSize, h.LinkOff},
		{"string_ids", 0x38, h.StringIDsSize, h.StringIDsOff},
		{"type_ids", 0x40, h.TypeIDsSize, h.TypeIDsOff},
		{"proto_ids", 0x48, h.ProtoIDsSize, h.ProtoIDsOff},
		{"field_ids", 0x50, h.FieldIDsSize, h.FieldIDsOff},
		{"method_ids", 0x58, h.MethodIDsSize, h.MethodIDsOff},
		{"class_defs", 0x60, h.ClassDefsSize, h.ClassDefsOff},
	}
	if f.version < containerVersion {
		sections = append(sections, struct {
			name      string
			field     uint64
			size, off uint32
		}{"data", 0x68, h.DataSize, h.DataOff})
	}
	for _, s := range sections {
		if s.size == 0 && s.off != 0 {
			fs.add(b+s.field, s.name+" offset set but size zero", ErrInvalid)
		}
		if s.off%4 != 0 {
			fs.add(b+s.field, s.name+" offset not 4-byte aligned", ErrInvalid)
		}
	}
	if h.LinkSize != 0 && !f.inRange(uint64(h.LinkOff), uint64(h.LinkSize)) {
		fs.add(b+0x2c, "link section", ErrOutOfBounds)
	}
	if f.version < containerVersion {
		lo, hi := f.dataRange()
		if !f.inRange(lo, hi-lo) {
			fs.add(b+0x68, "data section", ErrOutOfBounds)
		}
		if h.MapOff != 0 && (uint64(h.MapOff) < lo || uint64(h.MapOff) >= hi) {
			fs.add(b+offMapOff, "map_off outside the data section", ErrMap)
		}
	}
	if f.base == 0 && f.avail > f.end {
		fs.add(f.end, fmt.Sprintf("%d bytes after the declared end of the file", f.avail-f.end), ErrInvalid)
	}
	if h.MapOff%4 != 0 {
		fs.add(b+offMapOff, "map_off not 4-byte aligned", ErrInvalid)
	}
	if h.TypeIDsSize > 0xffff {
		fs.add(b+0x40, fmt.Sprintf("type_ids_size %d (at most 65535)", h.TypeIDsSize), ErrTooLarge)
	}
	if h.ProtoIDsSize > 0xffff {
		fs.add(b+0x48, fmt.Sprintf("proto_ids_size %d (at most 65535)", h.ProtoIDsSize), ErrTooLarge)
	}
}

func (f *File) validateMap(fs *findings) {
	items, err := f.MapList()
	if err != nil {
		fs.addErr(err)
		return
	}
	h := f.hdr
	mo := uint64(h.MapOff)
	ids := map[uint16]struct {
		size, off uint32
		name      string
	}{
		TypeStringIDItem: {h.StringIDsSize, h.StringIDsOff, "string_ids"},
		TypeTypeIDItem:   {h.TypeIDsSize, h.TypeIDsOff, "type_ids"},
		TypeProtoIDItem:  {h.ProtoIDsSize, h.ProtoIDsOff, "proto_ids"},
		TypeFieldIDItem:  {h.FieldIDsSize, h.FieldIDsOff, "field_ids"},
		TypeMethodIDItem: {h.MethodIDsSize, h.MethodIDsOff, "method_ids"},
		TypeClassDefItem: {h.ClassDefsSize, h.ClassDefsOff, "class_defs"},
	}
	seen := map[uint16]bool{}
	dlo, dhi := f.dataRange()
	var prevEnd uint64
	for i, it := range items {
		at := mo + 4 + uint64(i)*mapItemSize
		name := it.TypeName()
		if _, ok := mapTypeNames[it.Type]; !ok {
			if !fs.add(at, "map item of "+name+" type", ErrMap) {
				return
			}
		}
		if seen[it.Type] {
			if !fs.add(at, "second map item for "+name, ErrMap) {
				return
			}
		}
		seen[it.Type] = true
		off := uint64(it.Offset)
		if i > 0 && off < prevEnd {
			if !fs.add(at, name+" map item out of order or overlapping the previous one", ErrMap) {
				return
			}
		}
		if it.Size == 0 || off >= f.end {
			if !fs.add(at, fmt.Sprintf("%s map item (%d items at %#x)", name, it.Size, it.Offset), ErrOutOfBounds) {
				return
			}
		}
		end := off + 1
		if sz := fixedItemSize(it.Type); sz != 0 {
			end = off + uint64(it.Size)*sz
			if end > f.end {
				if !fs.add(at, name+" map item extends past the end", ErrOutOfBounds) {
					return
				}
			}
		}
		prevEnd = max(prevEnd, end)
		switch {
		case it.Type == TypeHeaderItem:
			if off != f.base || it.Size != 1 {
				fs.add(at, "header_item map item not the header", ErrMap)
			}
			prevEnd = max(prevEnd, off+uint64(h.HeaderSize))
		case it.Type == TypeMapList:
			if off != mo || it.Size != 1 {
				fs.add(at, "map_list map item not at map_off", ErrMap)
			}
			prevEnd = max(prevEnd, mo+4+uint64(len(items))*mapItemSize)
		case it.Type >= TypeMapList && (off < dlo || off >= dhi):
			if !fs.add(at, name+" outside the data section", ErrMap) {
				return
			}
		}
		if id, ok := ids[it.Type]; ok && (id.size != it.Size || id.off != it.Offset) {
			fs.add(at, fmt.Sprintf("%s map item (%d at %#x) disagrees with the header (%d at %#x)", id.name, it.Size, it.Offset, id.size, id.off), ErrMap)
		}
	}
	for t, id := range ids {
		if id.size != 0 && !seen[t] {
			fs.add(mo, id.name+" missing from the map", ErrMap)
		}
	}
	if !seen[TypeHeaderItem] {
		fs.add(mo, "header_item missing from the map", ErrMap)
	}
	if !seen[TypeMapList] {
		fs.add(mo, "map_list missing from the map", ErrMap)
	}
}

func (f *File) validateStrings(fs *findings) {
	dlo, dhi := f.dataRange()
	// String data of a real file is disjoint, so reading every string
	// reads each byte once. Ids pointing into one long string (every
	// suffix of it is a distinct, sorted string) would make that quadratic;
	// the budget turns it into a finding instead.
	budget := f.outputBudget()
	var prevBuf, curBuf []byte
	var prev []byte
	havePrev := false
	for i := range f.strings.n {
		at := f.strings.item(i, stringIDSize)
		off, err := f.stringDataOff(i)
		if err != nil {
			if !fs.addErr(err) {
				return
			}
			continue
		}
		if off < dlo || off >= dhi {
			if !fs.add(at, fmt.Sprintf("string %d data outside the data section", i), ErrOutOfBounds) {
				return
			}
		}
		n16, _, err := f.readULEB128(off, "string data utf16_size")
		if err != nil {
			if !fs.addErr(err) {
				return
			}
			havePrev = false
			continue
		}
		raw, _, err := f.rawString(off, &curBuf)
		if err != nil {
			if !fs.addErr(err) {
				return
			}
			havePrev = false
			continue
		}
		if budget -= len(raw); budget < 0 {
			fs.add(off, "string data overlapping (more string bytes than the file holds)", ErrTooLarge)
			return
		}
		if got := countUTF16(raw); uint32(got) != n16 {
			if !fs.add(off, fmt.Sprintf("string %d utf16_size %d, data has %d", i, n16, got), ErrInvalid) {
				return
			}
		}
		if havePrev && compareMUTF8(prev, raw) >= 0 {
			if !fs.add(at, fmt.Sprintf("string_ids %d and %d", i-1, i), ErrUnsorted) {
				return
			}
		}
		// Over a ReaderAt raw lives in curBuf; keep it and read the next
		// string into the other buffer.
		prev, havePrev = raw, true
		if f.pr != nil {
			prevBuf, curBuf = curBuf, prevBuf
		}
	}
}

func (f *File) validateTypes(fs *findings) {
	var prev uint32
	for i := range f.types.n {
		at := f.types.item(i, typeIDSize)
		s, err := f.readU32(at, "type_id")
		if err != nil {
			fs.addErr(err)
			return
		}
		if s >= f.strings.n {
			if !fs.add(at, fmt.Sprintf("type %d descriptor_idx %d", i, s), ErrIndex) {
				return
			}
		}
		if i > 0 && s <= prev {
			if !fs.add(at, fmt.Sprintf("type_ids %d and %d", i-1, i), ErrUnsorted) {
				return
			}
		}
		prev = s
	}
}

// typeListIdx reads the type indices of the type_list at off one at a time,
// so comparing two lists needs no allocation.
type typeListIdx struct {
	c cursor
	n uint32
}

func (f *File) openTypeList(off uint64) typeListIdx {
	if off == 0 {
		return typeListIdx{c: cursor{f: f}}
	}
	t := typeListIdx{c: cursor{f: f, off: off}}
	t.n = t.c.u32("type_list size")
	if !t.c.need(uint64(t.n), 2, "type_list") {
		t.n = 0
	} else if t.n > maxTypeList {
		t.c.err = ferr(off, fmt.Sprintf("type_list of %d entries", t.n), ErrTooLarge)
		t.n = 0
	}
	return t
}

func (t *typeListIdx) next() (uint16, bool) {
	if t.n == 0 || t.c.err != nil {
		return 0, false
	}
	t.n--
	v := t.c.u16("type_list entry")
	return v, t.c.err == nil
}

func (f *File) compareTypeLists(a, b uint64) (int, error) {
	x, y := f.openTypeList(a), f.openTypeList(b)
	for {
		u, okX := x.next()
		v, okY := y.next()
		if x.c.err != nil {
			return 0, x.c.err
		}
		if y.c.err != nil {
			return 0, y.c.err
		}
		switch {
		case !okX && !okY:
			return 0, nil
		case !okX:
			return -1, nil
		case !okY:
			return 1, nil
		case u != v:
			return cmp.Compare(u, v), nil
		}
	}
}

func (f *File) validateProtos(fs *findings) {
	var prevRet uint32
	var prevParams uint64
	// Protos share type lists, so entries read can exceed the bytes the
	// lists occupy, but real files stay within a small multiple of the
	// file size; many protos naming one huge list would be quadratic.
	work := int64(2*f.end) + 64<<10
	for i := range f.protos.n {
		at := f.protos.item(i, protoIDSize)
		c := cursor{f: f, off: at}
		shorty, ret, params := c.u32("proto_id"), c.u32("proto_id"), uint64(c.u32("proto_id"))
		if c.err != nil {
			fs.addErr(c.err)
			return
		}
		if shorty >= f.strings.n {
			if !fs.add(at, fmt.Sprintf("proto %d shorty_idx %d", i, shorty), ErrIndex) {
				return
			}
		}
		if ret >= f.types.n {
			if !fs.add(at+4, fmt.Sprintf("proto %d return_type_idx %d", i, ret), ErrIndex) {
				return
			}
		}
		l := f.openTypeList(params)
		if work -= 3 * int64(l.n); work < 0 {
			fs.add(at+8, "proto type lists read beyond the work budget (shared or overlapping lists)", ErrTooLarge)
			return
		}
		for {
			t, ok := l.next()
			if !ok {
				break
			}
			if uint32(t) >= f.types.n {
				if !fs.add(l.c.off-2, fmt.Sprintf("proto %d parameter type %d", i, t), ErrIndex) {
					return
				}
				break
			}
		}
		if l.c.err != nil {
			if !fs.addErr(l.c.err) {
				return
			}
			prevRet, prevParams = ret, 0
			continue
		}
		if i > 0 {
			order := cmp.Compare(prevRet, ret)
			if order == 0 {
				var err error
				if order, err = f.compareTypeLists(prevParams, params); err != nil {
					order = -1 // already reported for the earlier proto
				}
			}
			if order >= 0 {
				if !fs.add(at, fmt.Sprintf("proto_ids %d and %d", i-1, i), ErrUnsorted) {
					return
				}
			}
		}
		prevRet, prevParams = ret, params
	}
}

// memberKey is the sort key of a field_id or method_id: defining class, name,
// then type or proto.
type memberKey struct{ class, name, third uint32 }

func (a memberKey) compare(b memberKey) int {
	if c := cmp.Compare(a.class, b.class); c != 0 {
		return c
	}
	if c := cmp.Compare(a.name, b.name); c != 0 {
		return c
	}
	return cmp.Compare(a.third, b.third)
}

func (f *File) validateMembers(fs *findings, t table, what string, thirdLimit uint32, thirdName string) {
	var prev memberKey
	for i := range t.n {
		at := t.item(i, 8)
		c := cursor{f: f, off: at}
		k := memberKey{class: uint32(c.u16(what))}
		k.third = uint32(c.u16(what))
		k.name = c.u32(what)
		if c.err != nil {
			fs.addErr(c.err)
			return
		}
		if k.class >= f.types.n {
			if !fs.add(at, fmt.Sprintf("%s %d class_idx %d", what, i, k.class), ErrIndex) {
				return
			}
		}
		if k.third >= thirdLimit {
			if !fs.add(at+2, fmt.Sprintf("%s %d %s %d", what, i, thirdName, k.third), ErrIndex) {
				return
			}
		}
		if k.name >= f.strings.n {
			if !fs.add(at+4, fmt.Sprintf("%s %d name_idx %d", what, i, k.name), ErrIndex) {
				return
			}
		}
		if i > 0 && prev.compare(k) >= 0 {
			if !fs.add(at, fmt.Sprintf("%ss %d and %d", what, i-1, i), ErrUnsorted) {
				return
			}
		}
		prev = k
	}
}

func (f *File) validateFields(fs *findings) {
	f.validateMembers(fs, f.fields, "field_id", f.types.n, "type_idx")
}

func (f *File) validateMethods(fs *findings) {
	f.validateMembers(fs, f.methods, "method_id", f.protos.n, "proto_idx")
}

func (f *File) validateClassDefs(fs *findings) {
	// One bit per type id: bounded by the type_ids table, which Parse has
	// checked lies within the file.
	defined := make([]uint64, (uint64(f.types.n)+63)/64)
	for i := range f.classes.n {
		at := f.classes.item(i, classDefSize)
		c := cursor{f: f, off: at}
		var v [8]uint32
		for j := range v {
			v[j] = c.u32("class_def")
		}
		if c.err != nil {
			fs.addErr(c.err)
			return
		}
		cls, super, src := v[0], v[2], v[4]
		if cls >= f.types.n {
			if !fs.add(at, fmt.Sprintf("class_def %d class_idx %d", i, cls), ErrIndex) {
				return
			}
		} else {
			w, bit := cls/64, uint64(1)<<(cls%64)
			if defined[w]&bit != 0 {
				if !fs.add(at, fmt.Sprintf("class_def %d defines type %d again", i, cls), ErrInvalid) {
					return
				}
			}
			defined[w] |= bit
		}
		if super != NoIndex && super >= f.types.n {
			if !fs.add(at+8, fmt.Sprintf("class_def %d superclass_idx %d", i, super), ErrIndex) {
				return
			}
		}
		if src != NoIndex && src >= f.strings.n {
			if !fs.add(at+16, fmt.Sprintf("class_def %d source_file_idx %d", i, src), ErrIndex) {
				return
			}
		}
		for _, o := range [...]struct {
			field uint64
			name  string
		}{{12, "interfaces_off"}, {20, "annotations_off"}, {24, "class_data_off"}, {28, "static_values_off"}} {
			if off := uint64(v[o.field/4]); off != 0 && off >= f.end {
				if !fs.add(at+o.field, fmt.Sprintf("class_def %d %s %#x", i, o.name, off), ErrOutOfBounds) {
					return
				}
			}
		}
	}
}
