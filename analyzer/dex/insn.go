package dex

import (
	"fmt"
)

// Format is a Dalvik instruction format (the "21c" of const-string): its
// first digit is the width in 16-bit code units.
type Format uint8

// Instruction formats, named as in the Dalvik bytecode reference.
const (
	F10x Format = iota
	F12x
	F11n
	F11x
	F10t
	F20t
	F22x
	F21t
	F21s
	F21h
	F21c
	F23x
	F22b
	F22t
	F22s
	F22c
	F30t
	F32x
	F31i
	F31t
	F31c
	F35c
	F3rc
	F45cc
	F4rcc
	F51l
	// FPayload marks the three data pseudo-instructions that share opcode
	// 0x00 with nop; their width comes from their own size fields.
	FPayload
)

var formatNames = [...]string{
	F10x: "10x", F12x: "12x", F11n: "11n", F11x: "11x", F10t: "10t", F20t: "20t", F22x: "22x",
	F21t: "21t", F21s: "21s", F21h: "21h", F21c: "21c", F23x: "23x", F22b: "22b", F22t: "22t",
	F22s: "22s", F22c: "22c", F30t: "30t", F32x: "32x", F31i: "31i", F31t: "31t", F31c: "31c",
	F35c: "35c", F3rc: "3rc", F45cc: "45cc", F4rcc: "4rcc", F51l: "51l", FPayload: "payload",
}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("format(%d)", f)
}

// formatUnits is each fixed format's width in code units.
var formatUnits = [...]uint8{
	F10x: 1, F12x: 1, F11n: 1, F11x: 1, F10t: 1, F20t: 2, F22x: 2, F21t: 2, F21s: 2, F21h: 2,
	F21c: 2, F23x: 2, F22b: 2, F22t: 2, F22s: 2, F22c: 2, F30t: 3, F32x: 3, F31i: 3, F31t: 3,
	F31c: 3, F35c: 3, F3rc: 3, F45cc: 4, F4rcc: 4, F51l: 5,
}

// RefKind says which id table an instruction's index points into.
type RefKind uint8

// Reference kinds.
const (
	RefNone RefKind = iota
	RefString
	RefType
	RefField
	RefMethod
	RefCallSite
	RefMethodHandle
	RefProto
)

var refNames = [...]string{"none", "string", "type", "field", "method", "call_site", "method_handle", "proto"}

func (k RefKind) String() string {
	if int(k) < len(refNames) {
		return refNames[k]
	}
	return fmt.Sprintf("ref(%d)", k)
}

// Opcode is the low byte of an instruction's first code unit.
type Opcode uint8

// Opcodes the code scan treats specially. The full table is in opTable.
const (
	OpNop                    Opcode = 0x00
	OpConstString            Opcode = 0x1a
	OpConstStringJumbo       Opcode = 0x1b
	OpIget                   Opcode = 0x52
	OpIgetShort              Opcode = 0x58
	OpSget                   Opcode = 0x60
	OpSgetShort              Opcode = 0x66
	OpInvokeVirtual          Opcode = 0x6e
	OpInvokeInterface        Opcode = 0x72
	OpInvokeVirtualRange     Opcode = 0x74
	OpInvokeInterfaceRange   Opcode = 0x78
	OpInvokePolymorphic      Opcode = 0xfa
	OpInvokePolymorphicRange Opcode = 0xfb
	OpInvokeCustom           Opcode = 0xfc
	OpInvokeCustomRange      Opcode = 0xfd
)

type opInfo struct {
	name   string
	format Format
	ref    RefKind
}

// opTable describes all 256 opcodes. Opcodes no Android release defines
// decode as one-unit "unused-XX" instructions, as dexdump shows them: the
// verifier rejects such a method, but a scanner must still step over it.
var opTable = buildOpTable()

func buildOpTable() (t [256]opInfo) {
	for i := range t {
		t[i] = opInfo{fmt.Sprintf("unused-%02x", i), F10x, RefNone}
	}
	set := func(op int, name string, f Format, r RefKind) { t[op] = opInfo{name, f, r} }
	set(0x00, "nop", F10x, RefNone)
	set(0x01, "move", F12x, RefNone)
	set(0x02, "move/from16", F22x, RefNone)
	set(0x03, "move/16", F32x, RefNone)
	set(0x04, "move-wide", F12x, RefNone)
	set(0x05, "move-wide/from16", F22x, RefNone)
	set(0x06, "move-wide/16", F32x, RefNone)
	set(0x07, "move-object", F12x, RefNone)
	set(0x08, "move-object/from16", F22x, RefNone)
	set(0x09, "move-object/16", F32x, RefNone)
	set(0x0a, "move-result", F11x, RefNone)
	set(0x0b, "move-result-wide", F11x, RefNone)
	set(0x0c, "move-result-object", F11x, RefNone)
	set(0x0d, "move-exception", F11x, RefNone)
	set(0x0e, "return-void", F10x, RefNone)
	set(0x0f, "return", F11x, RefNone)
	set(0x10, "return-wide", F11x, RefNone)
	set(0x11, "return-object", F11x, RefNone)
	set(0x12, "const/4", F11n, RefNone)
	set(0x13, "const/16", F21s, RefNone)
	set(0x14, "const", F31i, RefNone)
	set(0x15, "const/high16", F21h, RefNone)
	set(0x16, "const-wide/16", F21s, RefNone)
	set(0x17, "const-wide/32", F31i, RefNone)
	set(0x18, "const-wide", F51l, RefNone)
	set(0x19, "const-wide/high16", F21h, RefNone)
	set(0x1a, "const-string", F21c, RefString)
	set(0x1b, "const-string/jumbo", F31c, RefString)
	set(0x1c, "const-class", F21c, RefType)
	set(0x1d, "monitor-enter", F11x, RefNone)
	set(0x1e, "monitor-exit", F11x, RefNone)
	set(0x1f, "check-cast", F21c, RefType)
	set(0x20, "instance-of", F22c, RefType)
	set(0x21, "array-length", F12x, RefNone)
	set(0x22, "new-instance", F21c, RefType)
	set(0x23, "new-array", F22c, RefType)
	set(0x24, "filled-new-array", F35c, RefType)
	set(0x25, "filled-new-array/range", F3rc, RefType)
	set(0x26, "fill-array-data", F31t, RefNone)
	set(0x27, "throw", F11x, RefNone)
	set(0x28, "goto", F10t, RefNone)
	set(0x29, "goto/16", F20t, RefNone)
	set(0x2a, "goto/32", F30t, RefNone)
	set(0x2b, "packed-switch", F31t, RefNone)
	set(0x2c, "sparse-switch", F31t, RefNone)
	for i, n := range []string{"cmpl-float", "cmpg-float", "cmpl-double", "cmpg-double", "cmp-long"} {
		set(0x2d+i, n, F23x, RefNone)
	}
	for i, n := range []string{"eq", "ne", "lt", "ge", "gt", "le"} {
		set(0x32+i, "if-"+n, F22t, RefNone)
		set(0x38+i, "if-"+n+"z", F21t, RefNone)
	}
	kinds := []string{"", "-wide", "-object", "-boolean", "-byte", "-char", "-short"}
	for i, k := range kinds {
		set(0x44+i, "aget"+k, F23x, RefNone)
		set(0x4b+i, "aput"+k, F23x, RefNone)
		set(0x52+i, "iget"+k, F22c, RefField)
		set(0x59+i, "iput"+k, F22c, RefField)
		set(0x60+i, "sget"+k, F21c, RefField)
		set(0x67+i, "sput"+k, F21c, RefField)
	}
	for i, k := range []string{"virtual", "super", "direct", "static", "interface"} {
		set(0x6e+i, "invoke-"+k, F35c, RefMethod)
		set(0x74+i, "invoke-"+k+"/range", F3rc, RefMethod)
	}
	unops := []string{"neg-int", "not-int", "neg-long", "not-long", "neg-float", "neg-double",
		"int-to-long", "int-to-float", "int-to-double", "long-to-int", "long-to-float",
		"long-to-double", "float-to-int", "float-to-long", "float-to-double", "double-to-int",
		"double-to-long", "double-to-float", "int-to-byte", "int-to-char", "int-to-short"}
	for i, n := range unops {
		set(0x7b+i, n, F12x, RefNone)
	}
	binops := []string{"add-int", "sub-int", "mul-int", "div-int", "rem-int", "and-int", "or-int",
		"xor-int", "shl-int", "shr-int", "ushr-int", "add-long", "sub-long", "mul-long", "div-long",
		"rem-long", "and-long", "or-long", "xor-long", "shl-long", "shr-long", "ushr-long",
		"add-float", "sub-float", "mul-float", "div-float", "rem-float", "add-double",
		"sub-double", "mul-double", "div-double", "rem-double"}
	for i, n := range binops {
		set(0x90+i, n, F23x, RefNone)
		set(0xb0+i, n+"/2addr", F12x, RefNone)
	}
	lit16 := []string{"add-int", "rsub-int", "mul-int", "div-int", "rem-int", "and-int", "or-int", "xor-int"}
	for i, n := range lit16 {
		set(0xd0+i, n+"/lit16", F22s, RefNone)
	}
	lit8 := append(append([]string{}, lit16...), "shl-int", "shr-int", "ushr-int")
	for i, n := range lit8 {
		set(0xd8+i, n+"/lit8", F22b, RefNone)
	}
	// dexdump spells the lit16 reverse subtraction without a suffix.
	set(0xd1, "rsub-int", F22s, RefNone)
	set(0xfa, "invoke-polymorphic", F45cc, RefMethod)
	set(0xfb, "invoke-polymorphic/range", F4rcc, RefMethod)
	set(0xfc, "invoke-custom", F35c, RefCallSite)
	set(0xfd, "invoke-custom/range", F3rc, RefCallSite)
	set(0xfe, "const-method-handle", F21c, RefMethodHandle)
	set(0xff, "const-method-type", F21c, RefProto)
	return t
}

// Name is the opcode's mnemonic as dexdump prints it.
func (o Opcode) Name() string { return opTable[o].name }

// Format is the opcode's instruction format.
func (o Opcode) Format() Format { return opTable[o].format }

// Ref is the id table the opcode's index refers to.
func (o Opcode) Ref() RefKind { return opTable[o].ref }

// IsInvoke reports whether the opcode calls a method through a method_id
// (invoke-kind, invoke-kind/range, invoke-polymorphic[/range]).
func (o Opcode) IsInvoke() bool { return opTable[o].ref == RefMethod }

// Payload kinds, the high byte of a payload's first code unit.
const (
	PayloadNone          = 0
	PayloadPackedSwitch  = 1
	PayloadSparseSwitch  = 2
	PayloadFillArrayData = 3
)

// Instruction is one decoded instruction.
type Instruction struct {
	Op Opcode
	// Format is Op's format, or FPayload for a data pseudo-instruction.
	Format Format
	// Payload is one of the Payload* kinds for a pseudo-instruction.
	Payload uint8
	// Offset is the position in code units from the start of the method's
	// instructions; Units is the width in code units.
	Offset, Units uint32
	// Index is the id the instruction references (string, type, field,
	// method, call site, method handle or proto, per Ref()); Index2 is the
	// proto of invoke-polymorphic. Both are 0 for formats without one.
	Index, Index2 uint32
}

// Ref is the id table Index points into (RefNone for payloads).
func (in Instruction) Ref() RefKind {
	if in.Format == FPayload {
		return RefNone
	}
	return opTable[in.Op].ref
}

// Name is the mnemonic, or for pseudo-instructions the name dexdump gives
// the payload.
func (in Instruction) Name() string {
	switch in.Payload {
	case PayloadPackedSwitch:
		return "packed-switch-data"
	case PayloadSparseSwitch:
		return "sparse-switch-data"
	case PayloadFillArrayData:
		return "array-data"
	}
	return in.Op.Name()
}

// Decoder steps through a method's instructions. Every width is checked
// against the code units present, so a truncated or lying instruction ends
// the walk with an error instead of reading past the method.
//
//	d := dex.NewDecoder(code.Insns, code.InsnsOff)
//	for d.Next() {
//		in := d.Instruction()
//		...
//	}
//	if err := d.Err(); err != nil { ... }
type Decoder struct {
	insns []byte // 2 bytes per code unit, little endian
	base  uint64 // file offset of insns, for errors
	pc    uint32 // next code unit
	n     uint32 // code units
	cur   Instruction
	err   error
}

// NewDecoder decodes insns, the bytes of a code_item's instructions (an
// odd trailing byte is ignored); fileOff is where they start in the file
// and only locates errors.
func NewDecoder(insns []byte, fileOff int64) *Decoder {
	d := &Decoder{}
	d.Reset(insns, fileOff)
	return d
}

// Reset makes d decode insns from the start, so one Decoder can serve
// every method of a file without allocating.
func (d *Decoder) Reset(insns []byte, fileOff int64) {
	n := uint32(min(uint64(len(insns))/2, uint64(^uint32(0))))
	*d = Decoder{insns: insns[:2*n], base: uint64(fileOff), n: n}
}

// Next decodes the next instruction and reports whether there was one.
func (d *Decoder) Next() bool {
	if d.err != nil || d.pc >= d.n {
		return false
	}
	b := d.insns[2*d.pc:]
	op := Opcode(b[0])
	info := &opTable[op]
	in := Instruction{Op: op, Format: info.format, Offset: d.pc}
	rest := uint64(d.n - d.pc)
	var units uint64
	if op == OpNop && b[1] >= PayloadPackedSwitch && b[1] <= PayloadFillArrayData {
		in.Format, in.Payload = FPayload, b[1]
		var ok bool
		if units, ok = payloadUnits(b, rest); !ok {
			d.err = ferr(d.base+2*uint64(d.pc), in.Name()+" header", ErrTruncated)
			return false
		}
	} else {
		units = uint64(formatUnits[info.format])
	}
	if units > rest {
		d.err = ferr(d.base+2*uint64(d.pc), fmt.Sprintf("%s (%d code units, %d left in the method)", in.Name(), units, rest), ErrTruncated)
		return false
	}
	in.Units = uint32(units)
	switch info.format {
	case F21c, F22c, F35c, F3rc:
		in.Index = uint32(le16(b[2:]))
	case F31c:
		in.Index = uint32(le16(b[2:])) | uint32(le16(b[4:]))<<16
	case F45cc, F4rcc:
		in.Index = uint32(le16(b[2:]))
		in.Index2 = uint32(le16(b[6:]))
	}
	if in.Format == FPayload {
		in.Index = 0
	}
	d.cur = in
	d.pc += uint32(units)
	return true
}

// payloadUnits computes a payload's width from its header; b starts at
// the payload and rest is how many code units remain. ok is false when the
// header itself is cut short.
func payloadUnits(b []byte, rest uint64) (uint64, bool) {
	switch b[1] {
	case PayloadPackedSwitch:
		if rest < 2 {
			return 0, false
		}
		return 4 + 2*uint64(le16(b[2:])), true
	case PayloadSparseSwitch:
		if rest < 2 {
			return 0, false
		}
		return 2 + 4*uint64(le16(b[2:])), true
	default: // fill-array-data
		if rest < 4 {
			return 0, false
		}
		width, size := uint64(le16(b[2:])), uint64(le32(b[4:]))
		return 4 + (width*size+1)/2, true
	}
}

// Instruction returns the instruction Next decoded.
func (d *Decoder) Instruction() Instruction { return d.cur }

// Err returns the error that stopped decoding, nil at a clean end.
func (d *Decoder) Err() error { return d.err }
