package dex

import (
	"fmt"
)

// EncodedField is one field of a class_data_item.
type EncodedField struct {
	FieldIdx    uint32
	AccessFlags uint32
}

// EncodedMethod is one method of a class_data_item. CodeOff is 0 for
// abstract and native methods.
type EncodedMethod struct {
	MethodIdx   uint32
	AccessFlags uint32
	CodeOff     uint32
	// Virtual is true for the virtual_methods list, false for direct ones.
	Virtual bool
}

// ClassData is a decoded class_data_item.
type ClassData struct {
	StaticFields   []EncodedField
	InstanceFields []EncodedField
	// Methods holds the direct methods followed by the virtual ones.
	Methods []EncodedMethod
}

// Smallest encodings: an encoded_field is two ULEB128s, an encoded_method
// three, so a count claiming more than the remaining bytes allow is a lie
// and is refused before anything is allocated for it.
const (
	minEncodedField  = 2
	minEncodedMethod = 3
)

// ClassData decodes the class_data_item of c. A class without one (a
// marker interface) gives an empty ClassData.
func (f *File) ClassData(c ClassDef) (ClassData, error) {
	var cd ClassData
	var err error
	cd.Methods, err = f.appendClassData(nil, &cd, c.ClassDataOff)
	return cd, err
}

// appendClassData decodes the class_data_item at off, appending its methods
// to dst (so the scan can reuse one slice for every class) and, when cd is
// not nil, filling its field lists.
func (f *File) appendClassData(dst []EncodedMethod, cd *ClassData, off uint32) ([]EncodedMethod, error) {
	if off == 0 {
		return dst, nil
	}
	c := cursor{f: f, off: uint64(off)}
	sf := uint64(c.uleb("class_data static_fields_size"))
	inf := uint64(c.uleb("class_data instance_fields_size"))
	dm := uint64(c.uleb("class_data direct_methods_size"))
	vm := uint64(c.uleb("class_data virtual_methods_size"))
	if !c.need((sf+inf)*minEncodedField+(dm+vm)*minEncodedMethod, 1, "class_data lists") {
		return dst, c.err
	}
	for i, n := range [2]uint64{sf, inf} {
		var list []EncodedField
		if cd != nil && n > 0 {
			list = make([]EncodedField, 0, n)
		}
		var idx uint64
		for j := uint64(0); j < n; j++ {
			d := c.uleb("encoded_field field_idx_diff")
			fl := c.uleb("encoded_field access_flags")
			if c.err != nil {
				return dst, c.err
			}
			if idx = nextIndex(idx, uint64(d), j); idx >= uint64(f.fields.n) {
				return dst, ferr(c.off, fmt.Sprintf("encoded_field field index %d (of %d)", idx, f.fields.n), ErrIndex)
			}
			if cd != nil {
				list = append(list, EncodedField{FieldIdx: uint32(idx), AccessFlags: fl})
			}
		}
		if cd != nil {
			if i == 0 {
				cd.StaticFields = list
			} else {
				cd.InstanceFields = list
			}
		}
	}
	if dst == nil && dm+vm > 0 {
		dst = make([]EncodedMethod, 0, dm+vm)
	}
	for i, n := range [2]uint64{dm, vm} {
		var idx uint64
		for j := uint64(0); j < n; j++ {
			d := c.uleb("encoded_method method_idx_diff")
			fl := c.uleb("encoded_method access_flags")
			co := c.uleb("encoded_method code_off")
			if c.err != nil {
				return dst, c.err
			}
			if idx = nextIndex(idx, uint64(d), j); idx >= uint64(f.methods.n) {
				return dst, ferr(c.off, fmt.Sprintf("encoded_method method index %d (of %d)", idx, f.methods.n), ErrIndex)
			}
			dst = append(dst, EncodedMethod{MethodIdx: uint32(idx), AccessFlags: fl, CodeOff: co, Virtual: i == 1})
		}
	}
	return dst, nil
}

// nextIndex applies a list's index delta: the first entry holds the index
// itself, later ones the difference to the previous entry. uint64 keeps a
// hostile run of large deltas from wrapping back into range.
func nextIndex(prev, diff, pos uint64) uint64 {
	if pos == 0 {
		return diff
	}
	return prev + diff
}

// CodeItem is a decoded code_item header with its instructions.
type CodeItem struct {
	RegistersSize uint16
	InsSize       uint16
	OutsSize      uint16
	TriesSize     uint16
	DebugInfoOff  uint32
	// InsnsUnits is insns_size, in 16-bit code units.
	InsnsUnits uint32
	// InsnsOff is the file offset of the first instruction.
	InsnsOff int64
	// Insns holds 2*InsnsUnits bytes: a view of the input for Parse, a
	// copy for Open.
	Insns []byte
}

const codeItemHeader = 16

// Code reads the code_item at off (EncodedMethod.CodeOff).
func (f *File) Code(off uint32) (CodeItem, error) {
	var buf []byte
	return f.code(off, &buf)
}

// code is Code with a reusable instruction buffer for Open.
func (f *File) code(off uint32, buf *[]byte) (CodeItem, error) {
	var s [codeItemHeader]byte
	b, err := f.bytesAt(uint64(off), codeItemHeader, s[:], "code_item")
	if err != nil {
		return CodeItem{}, err
	}
	ci := CodeItem{
		RegistersSize: le16(b[0:]),
		InsSize:       le16(b[2:]),
		OutsSize:      le16(b[4:]),
		TriesSize:     le16(b[6:]),
		DebugInfoOff:  le32(b[8:]),
		InsnsUnits:    le32(b[12:]),
		InsnsOff:      int64(off) + codeItemHeader,
	}
	start, n := uint64(ci.InsnsOff), 2*uint64(ci.InsnsUnits)
	if !f.inRange(start, n) {
		return CodeItem{}, ferr(uint64(off)+12, fmt.Sprintf("code_item insns (%d code units)", ci.InsnsUnits), ErrOutOfBounds)
	}
	if f.pr == nil {
		ci.Insns = f.data[start : start+n : start+n]
		return ci, nil
	}
	if n > maxOpenCode {
		return CodeItem{}, ferr(uint64(off)+12, fmt.Sprintf("code_item of %d code units (limit %d when reading through Open)", ci.InsnsUnits, maxOpenCode/2), ErrTooLarge)
	}
	if uint64(cap(*buf)) < n {
		*buf = make([]byte, n)
	}
	ci.Insns = (*buf)[:n]
	if err := f.pr.readAt(ci.Insns, start); err != nil {
		return CodeItem{}, ferr(start, "code_item insns", fmt.Errorf("%w: %w", ErrTruncated, err))
	}
	return ci, nil
}

// maxOpenCode bounds one method's instruction bytes when reading through
// Open, which promises memory independent of the file's claims. No
// compiler emits a method near it (branch offsets and the register
// allocator keep methods far smaller).
const maxOpenCode = 16 << 20
