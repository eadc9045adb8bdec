package manifest

import "encoding/binary"

// xmlShape is what a walk over a binary XML document's chunks learns before
// apkparser decodes it: which attributes hold resource references (so they
// can be resolved later, one bounded lookup each, instead of inside
// apkparser) and how many bytes of attribute names apkparser will copy.
//
// apkparser names an attribute from the string pool when its resource ID
// is missing or unknown and rewrites the name through strings.Map, which
// copies it whenever a character changes. A document can point thousands
// of attributes at one megabyte-long name; the copies, one per attribute,
// are made before any callback could stop them, so they are counted here
// and the document refused when they would not fit.
//
// The walk follows apkparser's own reading of the chunks (the same skips
// and strides), so it sees the attributes apkparser sees; where apkparser
// would fail, the walk simply stops: the document is refused anyway.
type xmlShape struct {
	elements  int
	refs      []shapeRef
	nameCopy  int64
	nameScan  int64
	truncated bool
}

// maxNameScan bounds the attribute-name bytes apkparser may run its name
// filter over in one document (about a third of a second): the filter
// walks every rune of a name taken from the pool, once per attribute, even
// when it copies nothing, so 3 000 attributes sharing a 1 MB name took 15 s.
// Real manifests have short names, a few megabytes at the element limit.
const maxNameScan = 64 << 20

// shapeRef is one attribute of type reference: the element's position in
// document order, the attribute's position in it, and the resource ID.
type shapeRef struct {
	elem int
	attr int
	id   uint32
}

const (
	chunkStringPool = 0x0001
	chunkXMLMask    = 0x0100
	chunkStartTag   = 0x0102
	resTypeRef      = 0x01
)

func scanShape(b []byte) xmlShape {
	var sh xmlShape
	le := binary.LittleEndian
	if len(b) < 8 {
		return sh
	}
	hl, total := int(le.Uint16(b[2:])), int64(le.Uint32(b[4:]))
	if hl < 8 || total < int64(hl) || total > int64(len(b)) {
		return sh
	}
	var pool *stringPool
	dataLen := int(total) - hl
	for pos := 0; pos < dataLen; {
		if dataLen-pos < 8 {
			break
		}
		at := hl + pos
		id, chl, clen := le.Uint16(b[at:]), int(le.Uint16(b[at+2:])), int(le.Uint32(b[at+4:]))
		if chl < 8 || clen < chl || clen > dataLen-pos {
			break
		}
		chunk := b[at : at+clen]
		switch {
		case id == chunkStringPool:
			pool = newStringPool(chunk)
		case id&chunkXMLMask == 0:
		case id == chunkStartTag && chl <= clen:
			if !sh.startTag(chunk[chl:], pool) {
				sh.truncated = true
				return sh
			}
		}
		pos += clen
	}
	return sh
}

// startTag walks one element's attributes as apkparser reads them: 14
// bytes of fields, attrStart (when larger) to the first attribute, then
// attributes of max(attrSize, 20) bytes.
func (sh *xmlShape) startTag(t []byte, pool *stringPool) bool {
	le := binary.LittleEndian
	if len(t) < 14 {
		return false
	}
	start, size, count := int(le.Uint16(t[8:])), int(le.Uint16(t[10:])), int(le.Uint16(t[12:]))
	at, stride := max(start, 14), max(size, 20)
	for i := range count {
		o := at + i*stride
		if o+20 > len(t) {
			return false
		}
		a := t[o : o+20]
		scan, cp := pool.nameCost(le.Uint32(a[4:]))
		sh.nameScan += scan
		sh.nameCopy += cp
		if a[15] == resTypeRef {
			sh.refs = append(sh.refs, shapeRef{elem: sh.elements, attr: i, id: le.Uint32(a[16:])})
		}
	}
	sh.elements++
	return true
}

// stringPool reads string lengths and contents from a pool chunk without
// decoding it.
type stringPool struct {
	c     []byte
	count int
	utf8  bool
	data  int // offset of the string data in c
	cost  map[uint32][2]int64
}

func newStringPool(c []byte) *stringPool {
	le := binary.LittleEndian
	if len(c) < 28 {
		return nil
	}
	p := &stringPool{c: c, count: int(le.Uint32(c[8:])), utf8: le.Uint32(c[16:])&(1<<8) != 0, data: int(le.Uint32(c[20:])), cost: map[uint32][2]int64{}}
	if p.count > (len(c)-28)/4 {
		p.count = (len(c) - 28) / 4
	}
	return p
}

// nameCost is what string idx costs apkparser when it names an attribute:
// the bytes its name filter walks (the decoded length) and the bytes it
// allocates, the decoded length again when the string holds a character
// the filter changes (anything but ASCII letters, digits and '_', counted
// conservatively), else 0. Computed once per string.
func (p *stringPool) nameCost(idx uint32) (scan, copied int64) {
	if p == nil || int64(idx) >= int64(p.count) {
		return 0, 0
	}
	c, ok := p.cost[idx]
	if !ok {
		n, changes := p.measure(idx)
		c[0] = n
		if changes {
			c[1] = n
		}
		p.cost[idx] = c
	}
	return c[0], c[1]
}

// measure returns string idx's decoded length (an upper bound) and
// whether the name filter would change it.
func (p *stringPool) measure(idx uint32) (int64, bool) {
	le := binary.LittleEndian
	off := int64(p.data) + int64(le.Uint32(p.c[28+4*idx:]))
	if off < 0 || off >= int64(len(p.c)) {
		return 0, false
	}
	s := p.c[off:]
	var n int64
	changes := false
	if p.utf8 {
		// utf16 length then utf8 length, each one or two bytes.
		skip := 1
		if len(s) > 0 && s[0]&0x80 != 0 {
			skip = 2
		}
		if len(s) < skip+1 {
			return 0, false
		}
		s = s[skip:]
		n8, hdr := int64(s[0]), 1
		if s[0]&0x80 != 0 && len(s) > 1 {
			n8, hdr = int64(s[0]&0x7f)<<8|int64(s[1]), 2
		}
		s = s[hdr:]
		body := s[:min(int64(len(s)), n8)]
		for _, ch := range body {
			if !nameByte(ch) {
				changes = true
				break
			}
		}
		// Invalid bytes are replaced by a three-byte rune.
		n = 3 * int64(len(body))
	} else {
		if len(s) < 2 {
			return 0, false
		}
		units, hdr := int64(le.Uint16(s)), 2
		if units&0x8000 != 0 && len(s) >= 4 {
			units, hdr = (units&0x7fff)<<16|int64(le.Uint16(s[2:])), 4
		}
		s = s[hdr:]
		units = min(units, int64(len(s)/2))
		for i := range units {
			u := le.Uint16(s[2*i:])
			switch {
			case u < 0x80:
				n++
				if !nameByte(byte(u)) {
					changes = true
				}
			case u < 0x800:
				n += 2
				changes = true
			default:
				n += 3
				changes = true
			}
		}
	}
	return n, changes
}

// nameByte reports whether apkparser's attribute-name filter keeps c.
func nameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
