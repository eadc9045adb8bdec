package hostile

import (
	"encoding/binary"
	"unicode/utf16"
)

// AndroidNS is the android: namespace URI.
const AndroidNS = "http://schemas.android.com/apk/res/android"

// Attribute value types (Res_value.dataType).
const (
	TypeReference = 0x01
	TypeString    = 0x03
	TypeIntDec    = 0x10
	TypeBool      = 0x12
)

// Element is one binary XML element.
type Element struct {
	Name     string
	Attrs    []Attr
	Children []*Element
}

// Attr is one attribute. ResID 0 means the attribute is named by its
// string only (as a packer that strips the resource map leaves it).
type Attr struct {
	Name    string
	ResID   uint32
	Android bool
	Type    uint8
	Str     string // value of a TypeString attribute
	Data    uint32 // value of other types
}

// Well-known android.R.attr resource IDs.
var (
	AttrName        = uint32(0x01010003)
	AttrIcon        = uint32(0x01010002)
	AttrAuthorities = uint32(0x01010018)
	AttrValue       = uint32(0x01010024)
	AttrVersionCode = uint32(0x0101021b)
	AttrMinSdk      = uint32(0x0101020c)
)

// A is an android: attribute with a resource ID and a string value.
func A(name string, id uint32, value string) Attr {
	return Attr{Name: name, ResID: id, Android: true, Type: TypeString, Str: value}
}

// AXML serialises root as aapt does: one string pool in which every
// distinct string is stored once, so attributes and elements may share a
// string however long, then the resource map, then the element chunks.
func AXML(root *Element) []byte {
	w := &axml{index: map[string]uint32{}}
	// Attribute names with resource IDs first, as the resource map is
	// positional.
	var walk func(e *Element)
	ids := map[string]bool{}
	walk = func(e *Element) {
		for _, a := range e.Attrs {
			if a.ResID != 0 && !ids[a.Name] {
				ids[a.Name] = true
				w.str(a.Name)
				w.resIDs = append(w.resIDs, a.ResID)
			}
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(root)
	uri := w.str(AndroidNS)
	prefix := w.str("android")
	w.chunk(0x0100, func(b []byte) []byte { return le32(le32(b, prefix), uri) })
	w.elem(root, uri)
	w.chunk(0x0101, func(b []byte) []byte { return le32(le32(b, prefix), uri) })
	pool := w.pool()
	resmap := le32(le16(le16(nil, 0x0180), 8), uint32(8+4*len(w.resIDs)))
	for _, id := range w.resIDs {
		resmap = le32(resmap, id)
	}
	total := 8 + len(pool) + len(resmap) + len(w.body)
	out := le32(le16(le16(make([]byte, 0, total), 0x0003), 8), uint32(total))
	out = append(out, pool...)
	out = append(out, resmap...)
	return append(out, w.body...)
}

type axml struct {
	strs   []string
	index  map[string]uint32
	resIDs []uint32
	body   []byte
}

func (w *axml) str(s string) uint32 {
	if i, ok := w.index[s]; ok {
		return i
	}
	w.index[s] = uint32(len(w.strs))
	w.strs = append(w.strs, s)
	return uint32(len(w.strs) - 1)
}

func (w *axml) nameIndex(a Attr) uint32 {
	if a.ResID != 0 {
		for i, id := range w.resIDs {
			if id == a.ResID && w.strs[i] == a.Name {
				return uint32(i)
			}
		}
	}
	return w.str(a.Name)
}

func (w *axml) elem(e *Element, uri uint32) {
	name := w.str(e.Name)
	w.chunk(0x0102, func(b []byte) []byte {
		b = le32(b, 0xffffffff)
		b = le32(b, name)
		b = le16(b, 20)
		b = le16(b, 20)
		b = le16(b, uint16(len(e.Attrs)))
		b = le16(le16(le16(b, 0), 0), 0)
		for _, a := range e.Attrs {
			ns := uint32(0xffffffff)
			if a.Android {
				ns = uri
			}
			raw, data := uint32(0xffffffff), a.Data
			if a.Type == TypeString {
				raw = w.str(a.Str)
				data = raw
			}
			b = le32(le32(le32(b, ns), w.nameIndex(a)), raw)
			b = le16(b, 8)
			b = append(b, 0, a.Type)
			b = le32(b, data)
		}
		return b
	})
	for _, c := range e.Children {
		w.elem(c, uri)
	}
	w.chunk(0x0103, func(b []byte) []byte { return le32(le32(b, 0xffffffff), name) })
}

func (w *axml) chunk(typ uint16, payload func([]byte) []byte) {
	body := payload(nil)
	b := le32(le16(le16(nil, typ), 16), uint32(16+len(body)))
	b = le32(le32(b, 1), 0xffffffff) // line, comment
	w.body = append(w.body, b...)
	w.body = append(w.body, body...)
}

// pool writes a UTF-16 string pool, the form that can hold strings longer
// than 32 767 units (a UTF-8 pool cannot say such a length).
func (w *axml) pool() []byte {
	var data []byte
	offsets := make([]uint32, len(w.strs))
	for i, s := range w.strs {
		offsets[i] = uint32(len(data))
		u := utf16.Encode([]rune(s))
		if n := len(u); n > 0x7fff {
			data = le16(data, uint16(0x8000|n>>16))
			data = le16(data, uint16(n))
		} else {
			data = le16(data, uint16(n))
		}
		for _, c := range u {
			data = le16(data, c)
		}
		data = le16(data, 0)
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	const hdr = 28
	start := hdr + 4*len(w.strs)
	b := le32(le16(le16(nil, 0x0001), hdr), uint32(start+len(data)))
	b = le32(b, uint32(len(w.strs)))
	b = le32(b, 0)
	b = le32(b, 0) // UTF-16
	b = le32(b, uint32(start))
	b = le32(b, 0)
	for _, o := range offsets {
		b = le32(b, o)
	}
	return append(b, data...)
}

func le16(b []byte, v uint16) []byte { return binary.LittleEndian.AppendUint16(b, v) }
func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
