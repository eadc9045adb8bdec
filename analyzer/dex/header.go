package dex

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Header is the header_item, decoded as stored. Offsets are from the start of
// the file, which for a v041 container means the start of the container.
type Header struct {
	Magic     [8]byte
	Checksum  uint32   // adler32 of everything after this field
	Signature [20]byte // SHA-1 of everything after this field
	FileSize  uint32   // v041: size of this entry (header to next header)

	HeaderSize uint32
	EndianTag  uint32

	LinkSize uint32
	LinkOff  uint32
	MapOff   uint32

	StringIDsSize uint32
	StringIDsOff  uint32
	TypeIDsSize   uint32
	TypeIDsOff    uint32
	ProtoIDsSize  uint32
	ProtoIDsOff   uint32
	FieldIDsSize  uint32
	FieldIDsOff   uint32
	MethodIDsSize uint32
	MethodIDsOff  uint32
	ClassDefsSize uint32
	ClassDefsOff  uint32
	DataSize      uint32 // unused from v041 on
	DataOff       uint32 // unused from v041 on

	// v041 only; zero for older versions.
	ContainerSize uint32
	HeaderOffset  uint32
}

const (
	headerSize    = 0x70 // v035..v040
	headerSizeV41 = 0x78 // adds container_size and header_offset

	endianConstant        = 0x12345678
	reverseEndianConstant = 0x78563412

	minVersion       = 35
	maxVersion       = 41
	containerVersion = 41

	// Header field offsets that error messages point at.
	offFileSize   = 0x20
	offHeaderSize = 0x24
	offEndianTag  = 0x28
	offMapOff     = 0x34
	offContainer  = 0x70
	offHeaderOff  = 0x74
)

// NoIndex marks an absent index (superclass of java.lang.Object, unknown
// source file) in uint-sized index fields.
const NoIndex = 0xffffffff

// Item sizes of the fixed-size id tables.
const (
	stringIDSize = 4
	typeIDSize   = 4
	protoIDSize  = 12
	fieldIDSize  = 8
	methodIDSize = 8
	classDefSize = 32
	mapItemSize  = 12
)

// parseMagic returns the version from "dex\n0NN\0".
func parseMagic(m []byte, base uint64) (int, error) {
	switch {
	case bytes.HasPrefix(m, []byte("cdex")):
		return 0, ferr(base, "compact dex magic (device-local format)", ErrNotDex)
	case bytes.HasPrefix(m, []byte("dey\n")):
		return 0, ferr(base, "optimised dex magic (device-local format)", ErrNotDex)
	case !bytes.HasPrefix(m, []byte("dex\n")) || m[7] != 0:
		return 0, ferr(base, "magic", ErrNotDex)
	}
	v := 0
	for _, c := range m[4:7] {
		if c < '0' || c > '9' {
			return 0, ferr(base+4, "magic version", ErrNotDex)
		}
		v = v*10 + int(c-'0')
	}
	if v < minVersion || v > maxVersion {
		return 0, ferr(base+4, fmt.Sprintf("version %03d", v), ErrVersion)
	}
	return v, nil
}

// decodeHeader decodes b, which holds headerSize bytes, or headerSizeV41 for
// v041.
func decodeHeader(b []byte, version int) Header {
	le := binary.LittleEndian
	var h Header
	copy(h.Magic[:], b[0:8])
	h.Checksum = le.Uint32(b[8:])
	copy(h.Signature[:], b[12:32])
	u := func(i int) uint32 { return le.Uint32(b[i:]) }
	h.FileSize = u(0x20)
	h.HeaderSize = u(0x24)
	h.EndianTag = u(0x28)
	h.LinkSize = u(0x2c)
	h.LinkOff = u(0x30)
	h.MapOff = u(0x34)
	h.StringIDsSize, h.StringIDsOff = u(0x38), u(0x3c)
	h.TypeIDsSize, h.TypeIDsOff = u(0x40), u(0x44)
	h.ProtoIDsSize, h.ProtoIDsOff = u(0x48), u(0x4c)
	h.FieldIDsSize, h.FieldIDsOff = u(0x50), u(0x54)
	h.MethodIDsSize, h.MethodIDsOff = u(0x58), u(0x5c)
	h.ClassDefsSize, h.ClassDefsOff = u(0x60), u(0x64)
	h.DataSize, h.DataOff = u(0x68), u(0x6c)
	if version >= containerVersion {
		h.ContainerSize = u(0x70)
		h.HeaderOffset = u(0x74)
	}
	return h
}
