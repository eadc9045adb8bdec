package hostile

import (
	"encoding/binary"
	"fmt"
	"hash/adler32"
)

// Dex describes a DEX file table by table. Indices refer to the slices
// given, so several entries may name one string.
type Dex struct {
	// Version is 35 to 41; 0 means 35.
	Version int
	// Strings are stored as given (raw MUTF-8), in this order.
	Strings []string
	// Types are string indices (type_ids).
	Types []uint32
	// Protos have no parameters: shorty string index and return type index.
	Protos []Proto
	// Methods are method_ids.
	Methods []Member
	// Classes are class_defs, written in order, then RepeatClasses-1 more
	// times (the whole list again), so a test can claim millions of
	// class_defs without describing each.
	Classes       []Class
	RepeatClasses int
	// NoisyFlags fills each class_def's access_flags with random bits, so
	// millions of repeated rows do not deflate past the container's ratio
	// cap.
	NoisyFlags bool
	// Code holds the code items' instructions, in 16-bit units.
	Code [][]uint16
	// Pad appends this many unreferenced bytes to the data section, one in
	// 32 random so that a large file still deflates within the container's
	// ratio cap.
	Pad int
}

// Proto is a proto_id without parameters.
type Proto struct{ Shorty, Return uint32 }

// Member is a method_id (or field_id): class type, proto (or field type) and
// name string.
type Member struct {
	Class, Proto uint16
	Name         uint32
}

// Class is a class_def with its direct methods.
type Class struct {
	Type uint32
	// Methods are direct methods: method_id index (written as deltas, so
	// repeating an index writes a delta of 0) and the Code index, -1 for
	// none.
	Methods []Method
}

// Method is one encoded_method.
type Method struct {
	ID   uint32
	Code int
}

// Invoke returns invoke-virtual {v0}, method@idx followed by return-void.
func Invoke(idx uint16) []uint16 { return []uint16{0x106e, idx, 0x0000, 0x000e} }

// ConstString returns const-string v0, string@idx followed by return-void.
func ConstString(idx uint16) []uint16 { return []uint16{0x001a, idx, 0x000e} }

// Build lays the file out from offset 0.
func (d Dex) Build() []byte { return d.BuildAt(0) }

// BuildAt lays the file out as the part of a v041 container whose header
// is at base: every offset is from the container start. The returned
// bytes start at the header; container_size is set to base+len, which
// Container patches when it joins parts.
func (d Dex) BuildAt(base uint32) []byte {
	v := d.Version
	if v == 0 {
		v = 35
	}
	hs := uint32(0x70)
	if v >= 41 {
		hs = 0x78
	}
	repeat := max(d.RepeatClasses, 1)
	nClasses := uint32(len(d.Classes) * repeat)

	off := base + hs
	strIDs := off
	off += 4 * uint32(len(d.Strings))
	typeIDs := off
	off += 4 * uint32(len(d.Types))
	protoIDs := off
	off += 12 * uint32(len(d.Protos))
	methodIDs := off
	off += 8 * uint32(len(d.Methods))
	classDefs := off
	off += 32 * nClasses
	dataOff := off

	var data []byte
	pos := func() uint32 { return dataOff + uint32(len(data)) }
	align := func() {
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
	}
	strOff := make([]uint32, len(d.Strings))
	for i, s := range d.Strings {
		strOff[i] = pos()
		data = appendULEB(data, uint32(len(s)))
		data = append(data, s...)
		data = append(data, 0)
	}
	align()
	codeOff := make([]uint32, len(d.Code))
	for i, insns := range d.Code {
		align()
		codeOff[i] = pos()
		var h [16]byte
		binary.LittleEndian.PutUint16(h[0:], 1) // registers
		binary.LittleEndian.PutUint16(h[4:], 1) // outs
		binary.LittleEndian.PutUint32(h[12:], uint32(len(insns)))
		data = append(data, h[:]...)
		for _, u := range insns {
			data = binary.LittleEndian.AppendUint16(data, u)
		}
	}
	classData := make([]uint32, len(d.Classes))
	for i, c := range d.Classes {
		if len(c.Methods) == 0 {
			continue
		}
		classData[i] = pos()
		data = append(data, 0, 0)
		data = appendULEB(data, uint32(len(c.Methods)))
		data = append(data, 0)
		prev := uint32(0)
		for j, m := range c.Methods {
			diff := m.ID
			if j > 0 {
				diff = m.ID - prev
			}
			prev = m.ID
			co := uint32(0)
			if m.Code >= 0 && m.Code < len(codeOff) {
				co = codeOff[m.Code]
			}
			data = appendULEB(data, diff)
			data = appendULEB(data, 0x1) // public
			data = appendULEB(data, co)
		}
	}
	align()
	if d.Pad > 0 {
		pad := make([]byte, d.Pad)
		noise := Noise(d.Pad/32+8, uint64(d.Pad))
		for i := 0; i < d.Pad; i += 32 {
			pad[i] = noise[i/32]
		}
		data = append(data, pad...)
		align()
	}

	size := dataOff + uint32(len(data)) - base
	b := make([]byte, size)
	le := binary.LittleEndian
	at := func(o uint32) []byte { return b[o-base:] }
	copy(b, fmt.Sprintf("dex\n%03d\x00", v))
	le.PutUint32(b[0x20:], size)
	le.PutUint32(b[0x24:], hs)
	le.PutUint32(b[0x28:], 0x12345678)
	put := func(field int, n, o uint32) {
		if n == 0 {
			o = 0
		}
		le.PutUint32(b[field:], n)
		le.PutUint32(b[field+4:], o)
	}
	put(0x38, uint32(len(d.Strings)), strIDs)
	put(0x40, uint32(len(d.Types)), typeIDs)
	put(0x48, uint32(len(d.Protos)), protoIDs)
	put(0x58, uint32(len(d.Methods)), methodIDs)
	put(0x60, nClasses, classDefs)
	if v < 41 {
		put(0x68, uint32(len(data)), dataOff)
	} else {
		le.PutUint32(b[0x70:], base+size)
		le.PutUint32(b[0x74:], base)
	}
	for i, o := range strOff {
		le.PutUint32(at(strIDs+4*uint32(i)), o)
	}
	for i, s := range d.Types {
		le.PutUint32(at(typeIDs+4*uint32(i)), s)
	}
	for i, p := range d.Protos {
		o := at(protoIDs + 12*uint32(i))
		le.PutUint32(o, p.Shorty)
		le.PutUint32(o[4:], p.Return)
	}
	for i, m := range d.Methods {
		o := at(methodIDs + 8*uint32(i))
		le.PutUint16(o, m.Class)
		le.PutUint16(o[2:], m.Proto)
		le.PutUint32(o[4:], m.Name)
	}
	var noise []byte
	if d.NoisyFlags {
		noise = Noise(4*int(nClasses), uint64(nClasses))
	}
	for i := uint32(0); i < nClasses; i++ {
		c := d.Classes[int(i)%len(d.Classes)]
		o := at(classDefs + 32*i)
		flags := uint32(1)
		if noise != nil {
			flags = le.Uint32(noise[4*i:])
		}
		for j, val := range []uint32{c.Type, flags, 0xffffffff, 0, 0xffffffff, 0, classData[int(i)%len(d.Classes)], 0} {
			le.PutUint32(o[4*j:], val)
		}
	}
	copy(at(dataOff), data)
	FixChecksum(b)
	return b
}

// Container joins parts built with BuildAt (each at the offset where it
// lands) into one v041 container, patching every part's container_size.
func Container(parts ...[]byte) []byte {
	var c []byte
	var bases []int
	for _, p := range parts {
		bases = append(bases, len(c))
		c = append(c, p...)
	}
	for _, base := range bases {
		binary.LittleEndian.PutUint32(c[base+0x70:], uint32(len(c)))
		end := len(c)
		for _, b := range bases {
			if b > base {
				end = b
				break
			}
		}
		FixChecksum(c[base:end])
	}
	return c
}

// FixChecksum recomputes the adler32 checksum of one dex (the signature is
// left as is: no reader checks it).
func FixChecksum(b []byte) {
	if len(b) < 12 {
		return
	}
	n := min(int(binary.LittleEndian.Uint32(b[0x20:])), len(b))
	binary.LittleEndian.PutUint32(b[8:], adler32.Checksum(b[12:n]))
}

func appendULEB(b []byte, v uint32) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}
