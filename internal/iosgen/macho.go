// Package iosgen writes iOS test inputs without Apple's tools: Mach-O
// files in the real format (64-bit headers, segments and sections, dylib,
// build-version, encryption and code-signature load commands, Objective-C
// class lists with chained-fixup pointers), fat files, property lists and
// .ipa archives. Tests and the fixture generator use it; nothing else
// imports it.
package iosgen

import (
	"bytes"
	"encoding/binary"
)

// CPU types and subtypes the writer knows.
const (
	CPUArm64  = 0x0100000c
	CPUX86_64 = 0x01000007
)

// Mach-O file types.
const (
	TypeExecute = 2
	TypeDylib   = 6
)

// MachO describes one thin 64-bit little-endian Mach-O file.
type MachO struct {
	CPU      uint32
	Type     uint32
	MinOS    uint32 // 0x000f0000 is 15.0
	Dylibs   []string
	WeakLibs []string
	// ClassNames go into __TEXT,__objc_classname.
	ClassNames []string
	// ListedClasses get class_t and class_ro_t records in __DATA and an
	// entry in __objc_classlist, their names in __objc_classname too.
	ListedClasses []string
	// Chained writes the class list's pointers as chained-fixup rebases
	// (offsets from the image base, with a next field), as iOS 15+ link.
	Chained bool
	// Encrypted adds LC_ENCRYPTION_INFO_64 with cryptid 1 over __TEXT's
	// sections and scrambles their bytes, as FairPlay leaves them.
	// EncryptionInfo without Encrypted writes cryptid 0.
	Encrypted      bool
	EncryptionInfo bool
	// Entitlements, when set, is embedded in an LC_CODE_SIGNATURE
	// SuperBlob.
	Entitlements []byte
	// TextSize pads __text to this many bytes of instruction-like data
	// (compressing about as well as real arm64 code), for benchmarks.
	TextSize int
}

// code is n bytes of arm64-like instructions: words drawn from a small
// table by a fixed generator, so they compress about 2:1 like real code.
func code(n int) []byte {
	table := make([]uint32, 512)
	x := uint32(2463534242)
	next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
	for i := range table {
		table[i] = next()
	}
	b := make([]byte, n&^3)
	for i := 0; i+4 <= len(b); i += 4 {
		w := table[next()%uint32(len(table))] ^ (next() & 0x1f)
		binary.LittleEndian.PutUint32(b[i:], w)
	}
	return b
}

const base = 0x100000000

type section struct {
	name, seg string
	data      []byte
	off       uint64
}

// Bytes lays the file out: header, load commands, __TEXT sections, then
// __DATA sections, then the code signature.
func (m MachO) Bytes() []byte {
	names := append(append([]string{}, m.ClassNames...), m.ListedClasses...)
	var pool bytes.Buffer
	nameOff := map[string]uint64{}
	for _, n := range names {
		if _, ok := nameOff[n]; ok {
			continue
		}
		nameOff[n] = uint64(pool.Len())
		pool.WriteString(n)
		pool.WriteByte(0)
	}
	textData := []byte{0x1f, 0x20, 0x03, 0xd5, 0xc0, 0x03, 0x5f, 0xd6}
	if m.TextSize > len(textData) {
		textData = code(m.TextSize)
	}
	text := []*section{
		{name: "__text", seg: "__TEXT", data: textData},
		{name: "__objc_classname", seg: "__TEXT", data: pool.Bytes()},
	}
	nClasses := len(m.ListedClasses)
	data := []*section{
		{name: "__objc_classlist", seg: "__DATA", data: make([]byte, 8*nClasses)},
		{name: "__objc_data", seg: "__DATA", data: make([]byte, 40*nClasses)},
		{name: "__objc_const", seg: "__DATA", data: make([]byte, 48*nClasses)},
	}
	var cmds [][]byte
	le := binary.LittleEndian
	// Sizes of the commands first, so offsets are known.
	nsText, nsData := len(text), len(data)
	segSize := func(n int) int { return 72 + 80*n }
	lcSize := segSize(nsText) + segSize(nsData)
	dylibCmd := func(cmd uint32, name string) []byte {
		size := (24 + len(name) + 1 + 7) &^ 7
		b := make([]byte, size)
		le.PutUint32(b, cmd)
		le.PutUint32(b[4:], uint32(size))
		le.PutUint32(b[8:], 24)
		le.PutUint32(b[16:], 0x10000)
		le.PutUint32(b[20:], 0x10000)
		copy(b[24:], name)
		return b
	}
	for _, d := range m.Dylibs {
		cmds = append(cmds, dylibCmd(0xc, d))
	}
	for _, d := range m.WeakLibs {
		cmds = append(cmds, dylibCmd(0x18|0x80000000, d))
	}
	if m.MinOS != 0 {
		b := make([]byte, 24)
		le.PutUint32(b, 0x32)
		le.PutUint32(b[4:], 24)
		le.PutUint32(b[8:], 2) // iOS
		le.PutUint32(b[12:], m.MinOS)
		le.PutUint32(b[16:], 0x00110000)
		cmds = append(cmds, b)
	}
	var enc []byte
	if m.Encrypted || m.EncryptionInfo {
		enc = make([]byte, 24)
		le.PutUint32(enc, 0x2c)
		le.PutUint32(enc[4:], 24)
		cmds = append(cmds, enc)
	}
	var sig []byte
	if m.Entitlements != nil {
		sig = make([]byte, 16)
		le.PutUint32(sig, 0x1d)
		le.PutUint32(sig[4:], 16)
		cmds = append(cmds, sig)
	}
	for _, c := range cmds {
		lcSize += len(c)
	}
	hdr := 32
	off := uint64(hdr + lcSize)
	align := func(o uint64) uint64 { return (o + 7) &^ 7 }
	for _, s := range text {
		off = align(off)
		s.off = off
		off += uint64(len(s.data))
	}
	textEnd := align(off)
	off = textEnd
	for _, s := range data {
		s.off = off
		off += uint64(len(s.data))
	}
	dataEnd := off
	addr := func(fileOff uint64) uint64 { return base + fileOff }
	ptr := func(fileOff uint64) uint64 {
		if m.Chained {
			// DYLD_CHAINED_PTR_64_OFFSET rebase: target in the low 36
			// bits, next (stride 4) at bit 51.
			return fileOff | 1<<51
		}
		return addr(fileOff)
	}
	classname := text[1]
	list, objc, cnst := data[0], data[1], data[2]
	for i, n := range m.ListedClasses {
		cls := objc.off + uint64(40*i)
		ro := cnst.off + uint64(48*i)
		le.PutUint64(list.data[8*i:], ptr(cls))
		// class_t: isa, superclass, cache, vtable, data (flag bits low).
		le.PutUint64(objc.data[40*i+32:], ptr(ro)|1)
		// class_ro_t: flags, instanceStart, instanceSize, reserved,
		// ivarLayout, name.
		le.PutUint64(cnst.data[48*i+24:], ptr(classname.off+nameOff[n]))
	}
	if enc != nil {
		le.PutUint32(enc[8:], uint32(text[0].off))
		le.PutUint32(enc[12:], uint32(textEnd-text[0].off))
		if m.Encrypted {
			le.PutUint32(enc[16:], 1)
			for _, s := range text {
				for k := range s.data {
					s.data[k] = s.data[k]*7 + 0x5b
				}
			}
		}
	}
	var blob []byte
	if sig != nil {
		blob = codeSignature(m.Entitlements)
		le.PutUint32(sig[8:], uint32(dataEnd))
		le.PutUint32(sig[12:], uint32(len(blob)))
	}
	var out bytes.Buffer
	h := make([]byte, hdr)
	le.PutUint32(h, 0xfeedfacf)
	le.PutUint32(h[4:], m.CPU)
	le.PutUint32(h[12:], m.Type)
	le.PutUint32(h[16:], uint32(2+len(cmds)))
	le.PutUint32(h[20:], uint32(lcSize))
	le.PutUint32(h[24:], 0x00200085)
	out.Write(h)
	segCmd := func(name string, secs []*section, fileOff, fileEnd uint64) {
		b := make([]byte, segSize(len(secs)))
		le.PutUint32(b, 0x19)
		le.PutUint32(b[4:], uint32(len(b)))
		copy(b[8:24], name)
		le.PutUint64(b[24:], addr(fileOff))
		le.PutUint64(b[32:], fileEnd-fileOff)
		le.PutUint64(b[40:], fileOff)
		le.PutUint64(b[48:], fileEnd-fileOff)
		le.PutUint32(b[56:], 5)
		le.PutUint32(b[60:], 5)
		le.PutUint32(b[64:], uint32(len(secs)))
		for i, s := range secs {
			sb := b[72+80*i:]
			copy(sb[0:16], s.name)
			copy(sb[16:32], s.seg)
			le.PutUint64(sb[32:], addr(s.off))
			le.PutUint64(sb[40:], uint64(len(s.data)))
			le.PutUint32(sb[48:], uint32(s.off))
			le.PutUint32(sb[52:], 3)
		}
		out.Write(b)
	}
	segCmd("__TEXT", text, 0, textEnd)
	segCmd("__DATA", data, textEnd, max(dataEnd, textEnd+8))
	for _, c := range cmds {
		out.Write(c)
	}
	for _, s := range append(text, data...) {
		for uint64(out.Len()) < s.off {
			out.WriteByte(0)
		}
		out.Write(s.data)
	}
	for uint64(out.Len()) < max(dataEnd, textEnd+8) {
		out.WriteByte(0)
	}
	if blob != nil {
		// The signature's offset was set to dataEnd; pad to it.
		b := out.Bytes()[:dataEnd]
		res := append(bytes.Clone(b), blob...)
		return res
	}
	return out.Bytes()
}

// codeSignature is a SuperBlob holding one entitlements blob.
func codeSignature(ent []byte) []byte {
	be := binary.BigEndian
	blob := make([]byte, 8+len(ent))
	be.PutUint32(blob, 0xfade7171)
	be.PutUint32(blob[4:], uint32(len(blob)))
	copy(blob[8:], ent)
	sb := make([]byte, 20)
	be.PutUint32(sb, 0xfade0cc0)
	be.PutUint32(sb[4:], uint32(20+len(blob)))
	be.PutUint32(sb[8:], 1)
	be.PutUint32(sb[12:], 5) // CSSLOT_ENTITLEMENTS
	be.PutUint32(sb[16:], 20)
	return append(sb, blob...)
}

// Fat joins thin files into a universal binary, each slice aligned to
// 4 KiB, as lipo lays them out.
func Fat(slices ...[]byte) []byte {
	be := binary.BigEndian
	const align = 1 << 12
	hdr := make([]byte, 8+20*len(slices))
	be.PutUint32(hdr, 0xcafebabe)
	be.PutUint32(hdr[4:], uint32(len(slices)))
	off := uint32(align)
	var body bytes.Buffer
	for i, s := range slices {
		e := hdr[8+20*i:]
		be.PutUint32(e, binary.LittleEndian.Uint32(s[4:]))
		be.PutUint32(e[4:], binary.LittleEndian.Uint32(s[8:]))
		be.PutUint32(e[8:], off)
		be.PutUint32(e[12:], uint32(len(s)))
		be.PutUint32(e[16:], 12)
		for uint32(body.Len())+align < off {
			body.WriteByte(0)
		}
		body.Write(s)
		off += (uint32(len(s)) + align - 1) &^ (align - 1)
	}
	out := make([]byte, align)
	copy(out, hdr)
	return append(out, body.Bytes()...)
}
