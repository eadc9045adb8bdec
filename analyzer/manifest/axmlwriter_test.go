package manifest

import (
	"encoding/binary"
	"unicode/utf16"
)

// This file writes binary XML the way aapt/aapt2 lay it out, so tests can
// produce shapes Debian's aapt cannot (a UTF-8 string pool as aapt2 writes
// it, stripped attribute names, truncation at every byte).

// Android attribute resource IDs (android.R.attr), the ones tests use.
var attrIDs = map[string]uint32{
	"name":             0x01010003,
	"versionCode":      0x0101021b,
	"versionName":      0x0101021c,
	"minSdkVersion":    0x0101020c,
	"targetSdkVersion": 0x01010270,
	"maxSdkVersion":    0x01010271,
	"exported":         0x01010010,
	"value":            0x01010024,
	"resource":         0x01010025,
	"protectionLevel":  0x01010009,
}

const (
	typeString = 0x03
	typeIntDec = 0x10
	typeIntHex = 0x11
	typeBool   = 0x12
	typeRef    = 0x01
)

type xattr struct {
	name    string
	android bool
	typ     uint8
	str     string
	data    uint32
}

type xelem struct {
	name     string
	attrs    []xattr
	children []*xelem
}

type axmlWriter struct {
	utf8   bool
	strip  bool // write empty strings for attribute names, as obfuscators do
	strs   []string
	index  map[string]int
	resIDs []uint32
	body   []byte
}

func (w *axmlWriter) str(s string) uint32 {
	if i, ok := w.index[s]; ok {
		return uint32(i)
	}
	w.index[s] = len(w.strs)
	w.strs = append(w.strs, s)
	return uint32(len(w.strs) - 1)
}

// buildAXML serialises root. Attribute names with resource IDs come first in
// the pool, as aapt requires for the resource map to line up.
func buildAXML(root *xelem, utf8 bool, strip bool) []byte {
	w := &axmlWriter{utf8: utf8, strip: strip, index: map[string]int{}}
	var collect func(e *xelem)
	seen := map[string]bool{}
	var withID []string
	collect = func(e *xelem) {
		for _, a := range e.attrs {
			if _, ok := attrIDs[a.name]; ok && a.android && !seen[a.name] {
				seen[a.name] = true
				withID = append(withID, a.name)
			}
		}
		for _, c := range e.children {
			collect(c)
		}
	}
	collect(root)
	for _, n := range withID {
		w.str(n)
		w.resIDs = append(w.resIDs, attrIDs[n])
	}
	if strip {
		// Keep the slots (the resource map is positional) but blank the
		// text, so only the IDs identify the attributes.
		for i := range withID {
			w.strs[i] = ""
		}
		w.index = map[string]int{}
		for i, s := range w.strs {
			if s != "" {
				w.index[s] = i
			}
		}
	}
	ns := w.str("android")
	uri := w.str(androidNS)
	w.chunk(0x0100, 16, func(b []byte) []byte { // namespace start
		b = le32(b, ns)
		return le32(b, uri)
	})
	w.elem(root, uri)
	w.chunk(0x0101, 16, func(b []byte) []byte {
		b = le32(b, ns)
		return le32(b, uri)
	})
	pool := w.pool()
	resmap := make([]byte, 0, 8+4*len(w.resIDs))
	resmap = le16(resmap, 0x0180)
	resmap = le16(resmap, 8)
	resmap = le32(resmap, uint32(8+4*len(w.resIDs)))
	for _, id := range w.resIDs {
		resmap = le32(resmap, id)
	}
	total := 8 + len(pool) + len(resmap) + len(w.body)
	out := make([]byte, 0, total)
	out = le16(out, 0x0003)
	out = le16(out, 8)
	out = le32(out, uint32(total))
	out = append(out, pool...)
	out = append(out, resmap...)
	return append(out, w.body...)
}

func (w *axmlWriter) nameIndex(a xattr) uint32 {
	if w.strip {
		if _, ok := attrIDs[a.name]; ok && a.android {
			for i, id := range w.resIDs {
				if id == attrIDs[a.name] {
					return uint32(i)
				}
			}
		}
	}
	return w.str(a.name)
}

func (w *axmlWriter) elem(e *xelem, uri uint32) {
	name := w.str(e.name)
	w.chunk(0x0102, 16, func(b []byte) []byte {
		b = le32(b, 0xffffffff) // namespace
		b = le32(b, name)
		b = le16(b, 20) // attribute start
		b = le16(b, 20) // attribute size
		b = le16(b, uint16(len(e.attrs)))
		b = le16(b, 0) // id index
		b = le16(b, 0) // class index
		b = le16(b, 0) // style index
		for _, a := range e.attrs {
			nsIdx := uint32(0xffffffff)
			if a.android {
				nsIdx = uri
			}
			b = le32(b, nsIdx)
			b = le32(b, w.nameIndex(a))
			raw := uint32(0xffffffff)
			data := a.data
			if a.typ == typeString {
				raw = w.str(a.str)
				data = raw
			}
			b = le32(b, raw)
			b = le16(b, 8)
			b = append(b, 0, a.typ)
			b = le32(b, data)
		}
		return b
	})
	for _, c := range e.children {
		w.elem(c, uri)
	}
	w.chunk(0x0103, 16, func(b []byte) []byte {
		b = le32(b, 0xffffffff)
		return le32(b, name)
	})
}

// chunk appends an XML node chunk: header, line number, comment, payload.
func (w *axmlWriter) chunk(typ uint16, hdr uint16, payload func([]byte) []byte) {
	body := payload(nil)
	b := le16(nil, typ)
	b = le16(b, hdr)
	b = le32(b, uint32(int(hdr)+len(body)))
	b = le32(b, 1)          // line
	b = le32(b, 0xffffffff) // comment
	w.body = append(w.body, b...)
	w.body = append(w.body, body...)
}

func (w *axmlWriter) pool() []byte {
	var data []byte
	offsets := make([]uint32, len(w.strs))
	for i, s := range w.strs {
		offsets[i] = uint32(len(data))
		if w.utf8 {
			n16 := len(utf16.Encode([]rune(s)))
			data = appendLen8(data, n16)
			data = appendLen8(data, len(s))
			data = append(data, s...)
			data = append(data, 0)
		} else {
			u := utf16.Encode([]rune(s))
			data = le16(data, uint16(len(u)))
			for _, c := range u {
				data = le16(data, c)
			}
			data = le16(data, 0)
		}
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	const hdr = 28
	flags := uint32(0)
	if w.utf8 {
		flags = 1 << 8
	}
	start := hdr + 4*len(w.strs)
	b := le16(nil, 0x0001)
	b = le16(b, hdr)
	b = le32(b, uint32(start+len(data)))
	b = le32(b, uint32(len(w.strs)))
	b = le32(b, 0) // styles
	b = le32(b, flags)
	b = le32(b, uint32(start))
	b = le32(b, 0)
	for _, o := range offsets {
		b = le32(b, o)
	}
	return append(b, data...)
}

func appendLen8(b []byte, n int) []byte {
	if n > 0x7f {
		return append(b, byte(0x80|(n>>8)), byte(n))
	}
	return append(b, byte(n))
}

func le16(b []byte, v uint16) []byte { return binary.LittleEndian.AppendUint16(b, v) }
func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
