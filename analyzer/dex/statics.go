package dex

import (
	"bytes"
	"fmt"
)

// StaticString is the initial value of a static String field, read from its
// class's static_values: what javac and d8 leave of a `static final String`
// constant such as BuildConfig.VERSION_NAME or an SDK's version constant.
type StaticString struct {
	// Class is the defining class's descriptor (Lcom/x/BuildConfig;).
	Class string
	Field string
	Value string
}

// Bounds of StaticStrings: nested arrays and annotations in static values
// are skipped, never more than staticsMaxDepth deep, and a file whose
// class data keeps failing is given up after staticsMaxErrors classes.
const (
	staticsMaxDepth  = 8
	staticsMaxErrors = 16
)

// StaticStrings returns the initial values of static fields whose name is
// one of names and whose value is a string, at most max of them, in
// class_def order. names are looked up in the sorted string table first,
// so a file that defines none of them costs a few comparisons; otherwise
// every class with static values has its static field list read.
//
// A class whose class data or static values are malformed is skipped: the
// values are a best-effort reading, and the first such problem is returned
// alongside whatever was found.
func (f *File) StaticStrings(names []string, max int) ([]StaticString, error) {
	want := map[uint32]bool{}
	for _, n := range names {
		if i, ok := f.findString(n); ok {
			want[i] = true
		}
	}
	if len(want) == 0 || max <= 0 {
		return nil, nil
	}
	var out []StaticString
	var first error
	fails := 0
	fail := func(err error) bool {
		if first == nil {
			first = err
		}
		fails++
		return fails >= staticsMaxErrors
	}
	// The classes that define a field of a wanted name, from one pass over
	// field_ids: only those have their class data read.
	classes, err := f.classesWithFieldNamed(want)
	if err != nil || len(classes) == 0 {
		return nil, err
	}
	var hits []staticHit
	var s [classDefSize]byte
	for i := uint32(0); i < f.classes.n && len(out) < max; i++ {
		b, err := f.bytesAt(f.classes.item(i, classDefSize), classDefSize, s[:], "class_def")
		if err != nil {
			fail(err)
			break
		}
		dataOff, valuesOff := le32(b[24:]), le32(b[28:])
		if dataOff == 0 || valuesOff == 0 || !classes[le32(b[0:])] {
			continue
		}
		if hits, err = f.staticFieldsNamed(hits[:0], dataOff, want); err != nil {
			if fail(err) {
				break
			}
			continue
		}
		if len(hits) == 0 {
			continue
		}
		vals, err := f.staticStringValues(valuesOff, hits[len(hits)-1].pos)
		if err != nil {
			if fail(err) {
				break
			}
			continue
		}
		class, err := f.TypeDescriptor(le32(b[0:]))
		if err != nil {
			if fail(err) {
				break
			}
			continue
		}
		for _, h := range hits {
			idx, ok := vals[h.pos]
			if !ok {
				continue
			}
			name, err1 := f.fieldName(h.field)
			value, err2 := f.String(idx)
			if err1 != nil || err2 != nil {
				continue
			}
			out = append(out, StaticString{Class: class, Field: name, Value: value})
			if len(out) >= max {
				break
			}
		}
	}
	return out, first
}

// classesWithFieldNamed returns the type indexes of the classes that
// define (or reference) a field whose name is in want.
func (f *File) classesWithFieldNamed(want map[uint32]bool) (map[uint32]bool, error) {
	out := map[uint32]bool{}
	var s [fieldIDSize]byte
	for i := uint32(0); i < f.fields.n; i++ {
		b, err := f.bytesAt(f.fields.item(i, fieldIDSize), fieldIDSize, s[:], "field_id")
		if err != nil {
			return out, err
		}
		if want[le32(b[4:])] {
			out[uint32(le16(b[0:]))] = true
		}
	}
	return out, nil
}

// HasString reports whether the file's string table holds s exactly (an
// ASCII s; see findString).
func (f *File) HasString(s string) bool {
	_, ok := f.findString(s)
	return ok
}

// findString looks s up in the string table, which the format keeps sorted
// by UTF-16 code unit; for the ASCII names asked for here that is byte
// order. An unsorted (hostile) table only makes the lookup miss.
func (f *File) findString(s string) (uint32, bool) {
	key := []byte(s)
	var buf []byte
	lo, hi := uint32(0), f.strings.n
	for lo < hi {
		mid := lo + (hi-lo)/2
		off, err := f.stringDataOff(mid)
		if err != nil {
			return 0, false
		}
		raw, _, err := f.rawString(off, &buf)
		if err != nil {
			return 0, false
		}
		switch c := bytes.Compare(raw, key); {
		case c == 0:
			return mid, true
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}

// staticHit is a static field asked for: its position in the class's
// static field list (and so in static_values) and its field index.
type staticHit struct {
	pos   uint64
	field uint32
}

// staticFieldsNamed walks the static field list of the class_data_item at
// off and appends to dst each field whose name is in want.
func (f *File) staticFieldsNamed(dst []staticHit, off uint32, want map[uint32]bool) ([]staticHit, error) {
	c := cursor{f: f, off: uint64(off)}
	sf := uint64(c.uleb("class_data static_fields_size"))
	c.uleb("class_data instance_fields_size")
	c.uleb("class_data direct_methods_size")
	c.uleb("class_data virtual_methods_size")
	if !c.need(sf*minEncodedField, 1, "class_data static fields") {
		return dst, c.err
	}
	var idx uint64
	var s [fieldIDSize]byte
	for j := uint64(0); j < sf; j++ {
		d := c.uleb("encoded_field field_idx_diff")
		c.uleb("encoded_field access_flags")
		if c.err != nil {
			return dst, c.err
		}
		if idx = nextIndex(idx, uint64(d), j); idx >= uint64(f.fields.n) {
			return dst, ferr(c.off, fmt.Sprintf("encoded_field field index %d (of %d)", idx, f.fields.n), ErrIndex)
		}
		b, err := f.bytesAt(f.fields.item(uint32(idx), fieldIDSize), fieldIDSize, s[:], "field_id")
		if err != nil {
			return dst, err
		}
		if want[le32(b[4:])] {
			dst = append(dst, staticHit{j, uint32(idx)})
		}
	}
	return dst, nil
}

// fieldName returns the name of field idx without resolving its class and
// type.
func (f *File) fieldName(idx uint32) (string, error) {
	if idx >= f.fields.n {
		return "", indexErr(f.fields, idx, "field")
	}
	var s [fieldIDSize]byte
	b, err := f.bytesAt(f.fields.item(idx, fieldIDSize), fieldIDSize, s[:], "field_id")
	if err != nil {
		return "", err
	}
	return f.String(le32(b[4:]))
}

// staticStringValues reads the encoded_array_item at off up to position
// last and returns the string index of each string-valued element by
// position.
func (f *File) staticStringValues(off uint32, last uint64) (map[uint64]uint32, error) {
	c := cursor{f: f, off: uint64(off)}
	n := uint64(c.uleb("encoded_array size"))
	if !c.need(n, 1, "encoded_array values") {
		return nil, c.err
	}
	out := map[uint64]uint32{}
	for j := uint64(0); j < n && j <= last; j++ {
		typ, arg := c.valueHeader()
		if c.err != nil {
			return nil, c.err
		}
		if typ == valueString {
			v := c.uintN(int(arg) + 1)
			if c.err != nil {
				return nil, c.err
			}
			out[j] = uint32(v)
			continue
		}
		c.skipValueBody(typ, arg, 0)
		if c.err != nil {
			return nil, c.err
		}
	}
	return out, nil
}

// encoded_value types (dex format, "encoded_value encoding").
const (
	valueByte         = 0x00
	valueShort        = 0x02
	valueChar         = 0x03
	valueInt          = 0x04
	valueLong         = 0x06
	valueFloat        = 0x10
	valueDouble       = 0x11
	valueMethodType   = 0x15
	valueMethodHandle = 0x16
	valueString       = 0x17
	valueType         = 0x18
	valueField        = 0x19
	valueMethod       = 0x1a
	valueEnum         = 0x1b
	valueArray        = 0x1c
	valueAnnotation   = 0x1d
	valueNull         = 0x1e
	valueBoolean      = 0x1f
)

// valueHeader reads an encoded_value's first byte: its type and argument.
func (c *cursor) valueHeader() (typ, arg byte) {
	if c.err != nil {
		return 0, 0
	}
	var s [1]byte
	b, err := c.f.bytesAt(c.off, 1, s[:], "encoded_value")
	if err != nil {
		c.err = err
		return 0, 0
	}
	c.off++
	return b[0] & 0x1f, b[0] >> 5
}

// uintN reads an n-byte little-endian unsigned value, 1 <= n <= 8.
func (c *cursor) uintN(n int) uint64 {
	if c.err != nil {
		return 0
	}
	var s [8]byte
	b, err := c.f.bytesAt(c.off, n, s[:], "encoded_value")
	if err != nil {
		c.err = err
		return 0
	}
	c.off += uint64(n)
	var v uint64
	for i := n - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// skipValueBody steps over the rest of an encoded_value whose header was
// read, refusing unknown types and nesting deeper than staticsMaxDepth.
func (c *cursor) skipValueBody(typ, arg byte, depth int) {
	if c.err != nil {
		return
	}
	switch typ {
	case valueByte, valueShort, valueChar, valueInt, valueLong, valueFloat, valueDouble,
		valueMethodType, valueMethodHandle, valueString, valueType, valueField, valueMethod, valueEnum:
		n := uint64(arg) + 1
		if !c.f.inRange(c.off, n) {
			c.err = ferr(c.off, "encoded_value", ErrOutOfBounds)
			return
		}
		c.off += n
	case valueNull, valueBoolean:
	case valueArray, valueAnnotation:
		if depth >= staticsMaxDepth {
			c.err = ferr(c.off, "encoded_value nested too deep", ErrInvalid)
			return
		}
		if typ == valueAnnotation {
			c.uleb("encoded_annotation type_idx")
		}
		n := uint64(c.uleb("encoded_value element count"))
		if !c.need(n, 1, "encoded_value elements") {
			return
		}
		for j := uint64(0); j < n && c.err == nil; j++ {
			if typ == valueAnnotation {
				c.uleb("annotation_element name_idx")
			}
			t, a := c.valueHeader()
			c.skipValueBody(t, a, depth+1)
		}
	default:
		c.err = ferr(c.off, fmt.Sprintf("encoded_value type 0x%02x", typ), ErrInvalid)
	}
}
