package aab

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// This is a deliberately small binary-XML reader of its own: the builder
// must not depend on the decoder it produces fixtures for, and apkparser's
// token stream has already turned typed values into text and dropped the
// resource map that the protobuf needs.

const (
	chunkStringPool = 0x0001
	chunkXML        = 0x0003
	chunkNSStart    = 0x0100
	chunkElemStart  = 0x0102
	chunkElemEnd    = 0x0103
	chunkText       = 0x0104
	chunkResMap     = 0x0180
)

// Res_value data types (ResourceTypes.h).
const (
	typeNull      = 0x00
	typeRef       = 0x01
	typeAttr      = 0x02
	typeString    = 0x03
	typeFloat     = 0x04
	typeDimension = 0x05
	typeFraction  = 0x06
	typeDynRef    = 0x07
	typeDynAttr   = 0x08
	typeIntDec    = 0x10
	typeIntHex    = 0x11
	typeBool      = 0x12
	typeARGB8     = 0x1c
	typeRGB8      = 0x1d
	typeARGB4     = 0x1e
	typeRGB4      = 0x1f
)

const noIndex = 0xffffffff

type xmlNS struct{ prefix, uri string }

type xmlAttr struct {
	ns, name, raw string
	hasRaw        bool
	resID         uint32
	typ           uint8
	data          uint32
}

type xmlNode struct {
	text     string
	isText   bool
	ns, name string
	nsDecls  []xmlNS
	attrs    []xmlAttr
	children []*xmlNode
}

var errShort = errors.New("aab: binary manifest truncated")

type axmlReader struct {
	b       []byte
	strs    []string
	resIDs  []uint32
	pending []xmlNS
}

func (r *axmlReader) u16(off int) (uint16, error) {
	if off < 0 || off+2 > len(r.b) {
		return 0, errShort
	}
	return binary.LittleEndian.Uint16(r.b[off:]), nil
}

func (r *axmlReader) u32(off int) (uint32, error) {
	if off < 0 || off+4 > len(r.b) {
		return 0, errShort
	}
	return binary.LittleEndian.Uint32(r.b[off:]), nil
}

func (r *axmlReader) str(i uint32) string {
	if i == noIndex || int64(i) >= int64(len(r.strs)) {
		return ""
	}
	return r.strs[i]
}

// decodeAXML reads a binary AndroidManifest.xml into a tree.
func decodeAXML(b []byte) (*xmlNode, error) {
	r := &axmlReader{b: b}
	typ, err := r.u16(0)
	if err != nil {
		return nil, err
	}
	if typ != chunkXML {
		return nil, fmt.Errorf("aab: not binary XML (chunk type 0x%04x)", typ)
	}
	hdr, _ := r.u16(2)
	size, err := r.u32(4)
	if err != nil {
		return nil, err
	}
	if int64(size) > int64(len(b)) {
		return nil, errShort
	}
	root := &xmlNode{}
	stack := []*xmlNode{root}
	for off := int(hdr); off < int(size); {
		ctyp, err := r.u16(off)
		if err != nil {
			return nil, err
		}
		chdr, _ := r.u16(off + 2)
		csize, err := r.u32(off + 4)
		if err != nil {
			return nil, err
		}
		if csize < 8 || int64(off)+int64(csize) > int64(size) {
			return nil, fmt.Errorf("aab: bad chunk size %d at %d", csize, off)
		}
		end := off + int(csize)
		switch ctyp {
		case chunkStringPool:
			if err := r.pool(off, int(chdr)); err != nil {
				return nil, err
			}
		case chunkResMap:
			for p := off + int(chdr); p+4 <= end; p += 4 {
				id, _ := r.u32(p)
				r.resIDs = append(r.resIDs, id)
			}
		case chunkNSStart:
			p, _ := r.u32(off + int(chdr))
			u, _ := r.u32(off + int(chdr) + 4)
			r.pending = append(r.pending, xmlNS{r.str(p), r.str(u)})
		case chunkElemStart:
			n, err := r.element(off + int(chdr))
			if err != nil {
				return nil, err
			}
			parent := stack[len(stack)-1]
			parent.children = append(parent.children, n)
			stack = append(stack, n)
		case chunkElemEnd:
			if len(stack) == 1 {
				return nil, errors.New("aab: unbalanced end element")
			}
			stack = stack[:len(stack)-1]
		case chunkText:
			i, err := r.u32(off + int(chdr))
			if err != nil {
				return nil, err
			}
			parent := stack[len(stack)-1]
			parent.children = append(parent.children, &xmlNode{isText: true, text: r.str(i)})
		}
		off = end
	}
	if len(stack) != 1 || len(root.children) == 0 {
		return nil, errShort
	}
	for _, c := range root.children {
		if !c.isText {
			return c, nil
		}
	}
	return nil, errShort
}

func (r *axmlReader) pool(off, hdr int) error {
	count, err := r.u32(off + 8)
	if err != nil {
		return err
	}
	flags, _ := r.u32(off + 16)
	start, err := r.u32(off + 20)
	if err != nil {
		return err
	}
	isUTF8 := flags&0x100 != 0
	r.strs = make([]string, 0, min(int(count), len(r.b)/4))
	for i := 0; i < int(count); i++ {
		so, err := r.u32(off + hdr + 4*i)
		if err != nil {
			return err
		}
		p := off + int(start) + int(so)
		var s string
		if isUTF8 {
			s, err = r.utf8At(p)
		} else {
			s, err = r.utf16At(p)
		}
		if err != nil {
			return err
		}
		r.strs = append(r.strs, s)
	}
	return nil
}

func (r *axmlReader) utf8At(p int) (string, error) {
	// Two lengths, each one or two bytes: UTF-16 units, then bytes.
	for k := 0; k < 2; k++ {
		if p >= len(r.b) {
			return "", errShort
		}
		n := int(r.b[p])
		p++
		if n&0x80 != 0 {
			if p >= len(r.b) {
				return "", errShort
			}
			n = (n&0x7f)<<8 | int(r.b[p])
			p++
		}
		if k == 1 {
			if p+n > len(r.b) {
				return "", errShort
			}
			return string(r.b[p : p+n]), nil
		}
	}
	panic("unreachable")
}

func (r *axmlReader) utf16At(p int) (string, error) {
	n16, err := r.u16(p)
	if err != nil {
		return "", err
	}
	n := int(n16)
	p += 2
	if n&0x8000 != 0 {
		lo, err := r.u16(p)
		if err != nil {
			return "", err
		}
		n = (n&0x7fff)<<16 | int(lo)
		p += 2
	}
	if p+2*n > len(r.b) {
		return "", errShort
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(r.b[p+2*i:])
	}
	return string(utf16.Decode(u)), nil
}

// element reads a ResXMLTree_attrExt at off.
func (r *axmlReader) element(off int) (*xmlNode, error) {
	ns, err := r.u32(off)
	if err != nil {
		return nil, err
	}
	name, _ := r.u32(off + 4)
	attrStart, _ := r.u16(off + 8)
	attrSize, _ := r.u16(off + 10)
	attrCount, err := r.u16(off + 12)
	if err != nil {
		return nil, err
	}
	n := &xmlNode{ns: r.str(ns), name: r.str(name), nsDecls: r.pending}
	r.pending = nil
	for i := 0; i < int(attrCount); i++ {
		p := off + int(attrStart) + i*int(attrSize)
		ans, err := r.u32(p)
		if err != nil {
			return nil, err
		}
		aname, _ := r.u32(p + 4)
		raw, _ := r.u32(p + 8)
		typ := uint8(0)
		if p+15 < len(r.b) {
			typ = r.b[p+15]
		}
		data, err := r.u32(p + 16)
		if err != nil {
			return nil, err
		}
		a := xmlAttr{ns: r.str(ans), name: r.str(aname), typ: typ, data: data}
		if raw != noIndex {
			a.raw, a.hasRaw = r.str(raw), true
		}
		if int64(aname) < int64(len(r.resIDs)) {
			a.resID = r.resIDs[aname]
		}
		n.attrs = append(n.attrs, a)
	}
	return n, nil
}
