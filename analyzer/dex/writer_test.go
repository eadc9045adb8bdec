package dex

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"slices"
	"sort"
	"strings"
)

// This file is a minimal DEX writer for tests: it lays out a valid file
// (sorted, aligned, with a map list, checksum and signature) from a
// description, so tests can round-trip content and then corrupt precise
// fields. It writes no class_data or code: this package does not read them
// yet.

type wClass struct {
	Desc, Super, Source string
	Access              uint32
	Interfaces          []string
}

type wField struct{ Class, Type, Name string }

type wMethod struct {
	Class, Name, Ret string
	Params           []string
}

type dexSpec struct {
	Version    int      // 35..41; 0 means 35
	Strings    []string // extra strings, as Go strings (encoded to MUTF-8)
	RawStrings [][]byte // extra strings given as raw MUTF-8 (may be invalid)
	Classes    []wClass
	Fields     []wField
	Methods    []wMethod
}

// builtDex is the file plus what tests need to find things in it.
type builtDex struct {
	b       []byte
	strings []string // raw MUTF-8 of each string index, in order
	types   []string // descriptor (raw MUTF-8) of each type index
}

func (d *builtDex) stringIdx(raw string) uint32 {
	i := slices.Index(d.strings, raw)
	if i < 0 {
		panic("no string " + raw)
	}
	return uint32(i)
}

// encodeMUTF8 is the writer's own encoder, independent of the decoder under
// test: NUL as C0 80, supplementary characters as surrogate pairs.
func encodeMUTF8(s string) []byte {
	var out []byte
	put := func(u rune) {
		switch {
		case u != 0 && u < 0x80:
			out = append(out, byte(u))
		case u < 0x800:
			out = append(out, 0xc0|byte(u>>6), 0x80|byte(u&0x3f))
		default:
			out = append(out, 0xe0|byte(u>>12), 0x80|byte(u>>6&0x3f), 0x80|byte(u&0x3f))
		}
	}
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			put(0xd800 + r>>10)
			put(0xdc00 + r&0x3ff)
			continue
		}
		put(r)
	}
	return out
}

func appendULEB(b []byte, v uint32) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func shortyChar(desc string) byte {
	if desc[0] == '[' {
		return 'L'
	}
	return desc[0]
}

func (s dexSpec) build() *builtDex { return s.buildAt(0) }

// buildAt lays the file out as if it started at base within a v041
// container: every offset, header_offset included, is shifted by base.
func (s dexSpec) buildAt(base uint32) *builtDex {
	version := s.Version
	if version == 0 {
		version = 35
	}
	hs := uint32(0x70)
	if version >= 41 {
		hs = 0x78
	}

	// Strings, by raw MUTF-8.
	set := map[string]bool{}
	addStr := func(raw string) { set[raw] = true }
	addGo := func(str string) { addStr(string(encodeMUTF8(str))) }
	typeSet := map[string]bool{}
	addType := func(d string) { addGo(d); typeSet[string(encodeMUTF8(d))] = true }
	for _, x := range s.Strings {
		addGo(x)
	}
	for _, x := range s.RawStrings {
		addStr(string(x))
	}
	for _, c := range s.Classes {
		addType(c.Desc)
		if c.Super != "" {
			addType(c.Super)
		}
		if c.Source != "" {
			addGo(c.Source)
		}
		for _, i := range c.Interfaces {
			addType(i)
		}
	}
	type wProto struct {
		shorty, ret string
		params      []string
	}
	protoOf := func(m wMethod) wProto {
		sh := []byte{shortyChar(m.Ret)}
		for _, p := range m.Params {
			sh = append(sh, shortyChar(p))
		}
		return wProto{string(sh), m.Ret, m.Params}
	}
	for _, f := range s.Fields {
		addType(f.Class)
		addType(f.Type)
		addGo(f.Name)
	}
	for _, m := range s.Methods {
		addType(m.Class)
		addType(m.Ret)
		for _, p := range m.Params {
			addType(p)
		}
		addGo(m.Name)
		addGo(protoOf(m).shorty)
	}
	strs := make([]string, 0, len(set))
	for k := range set {
		strs = append(strs, k)
	}
	sort.Slice(strs, func(i, j int) bool { return compareMUTF8([]byte(strs[i]), []byte(strs[j])) < 0 })
	sidx := map[string]uint32{}
	for i, k := range strs {
		sidx[k] = uint32(i)
	}
	sOf := func(goStr string) uint32 { return sidx[string(encodeMUTF8(goStr))] }

	types := make([]string, 0, len(typeSet))
	for k := range typeSet {
		types = append(types, k)
	}
	sort.Slice(types, func(i, j int) bool { return sidx[types[i]] < sidx[types[j]] })
	tidx := map[string]uint32{}
	for i, k := range types {
		tidx[k] = uint32(i)
	}
	tOf := func(d string) uint32 { return tidx[string(encodeMUTF8(d))] }

	// Protos, unique, sorted by return type then parameter list.
	type protoRow struct {
		shorty, ret uint32
		params      []uint16
	}
	protoKey := func(p wProto) string { return p.ret + "(" + strings.Join(p.params, ",") }
	protoSet := map[string]protoRow{}
	for _, m := range s.Methods {
		p := protoOf(m)
		row := protoRow{shorty: sOf(p.shorty), ret: tOf(p.ret)}
		for _, x := range p.params {
			row.params = append(row.params, uint16(tOf(x)))
		}
		protoSet[protoKey(p)] = row
	}
	var protos []protoRow
	protoIndex := map[string]uint32{}
	for _, r := range protoSet {
		protos = append(protos, r)
	}
	sort.Slice(protos, func(i, j int) bool {
		if protos[i].ret != protos[j].ret {
			return protos[i].ret < protos[j].ret
		}
		return slices.Compare(protos[i].params, protos[j].params) < 0
	})
	for k, r := range protoSet {
		for i, p := range protos {
			if p.ret == r.ret && slices.Equal(p.params, r.params) {
				protoIndex[k] = uint32(i)
			}
		}
	}

	type member struct {
		class, a uint16
		name     uint32
	} // a = type or proto
	var fields, methods []member
	for _, f := range s.Fields {
		fields = append(fields, member{uint16(tOf(f.Class)), uint16(tOf(f.Type)), sOf(f.Name)})
	}
	for _, m := range s.Methods {
		methods = append(methods, member{uint16(tOf(m.Class)), uint16(protoIndex[protoKey(protoOf(m))]), sOf(m.Name)})
	}
	less := func(ms []member) func(i, j int) bool {
		return func(i, j int) bool {
			a, b := ms[i], ms[j]
			if a.class != b.class {
				return a.class < b.class
			}
			if a.name != b.name {
				return a.name < b.name
			}
			return a.a < b.a
		}
	}
	sort.Slice(fields, less(fields))
	sort.Slice(methods, less(methods))

	// Layout.
	off := base + hs
	strIDs := off
	off += 4 * uint32(len(strs))
	typeIDs := off
	off += 4 * uint32(len(types))
	protoIDs := off
	off += 12 * uint32(len(protos))
	fieldIDs := off
	off += 8 * uint32(len(fields))
	methodIDs := off
	off += 8 * uint32(len(methods))
	classDefs := off
	off += 32 * uint32(len(s.Classes))
	dataOff := off

	data := []byte{}
	pos := func() uint32 { return dataOff + uint32(len(data)) }
	align := func() {
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
	}
	typeLists := map[string]uint32{}
	var typeListCount uint32
	var firstTypeList uint32
	typeList := func(idx []uint16) uint32 {
		if len(idx) == 0 {
			return 0
		}
		key := fmt.Sprint(idx)
		if o, ok := typeLists[key]; ok {
			return o
		}
		align()
		o := pos()
		if typeListCount == 0 {
			firstTypeList = o
		}
		typeListCount++
		data = binary.LittleEndian.AppendUint32(data, uint32(len(idx)))
		for _, t := range idx {
			data = binary.LittleEndian.AppendUint16(data, t)
		}
		typeLists[key] = o
		return o
	}
	protoParams := make([]uint32, len(protos))
	for i, p := range protos {
		protoParams[i] = typeList(p.params)
	}
	classIfaces := make([]uint32, len(s.Classes))
	for i, c := range s.Classes {
		var idx []uint16
		for _, x := range c.Interfaces {
			idx = append(idx, uint16(tOf(x)))
		}
		classIfaces[i] = typeList(idx)
	}
	strData := make([]uint32, len(strs))
	firstString := pos()
	for i, k := range strs {
		strData[i] = pos()
		data = appendULEB(data, uint32(countUTF16([]byte(k))))
		data = append(data, k...)
		data = append(data, 0)
	}
	align()
	mapOff := pos()
	type mi struct {
		t         uint16
		size, off uint32
	}
	items := []mi{{TypeHeaderItem, 1, base}}
	addItem := func(t uint16, n, o uint32) {
		if n > 0 {
			items = append(items, mi{t, n, o})
		}
	}
	addItem(TypeStringIDItem, uint32(len(strs)), strIDs)
	addItem(TypeTypeIDItem, uint32(len(types)), typeIDs)
	addItem(TypeProtoIDItem, uint32(len(protos)), protoIDs)
	addItem(TypeFieldIDItem, uint32(len(fields)), fieldIDs)
	addItem(TypeMethodIDItem, uint32(len(methods)), methodIDs)
	addItem(TypeClassDefItem, uint32(len(s.Classes)), classDefs)
	addItem(TypeTypeList, typeListCount, firstTypeList)
	addItem(TypeStringDataItem, uint32(len(strs)), firstString)
	items = append(items, mi{TypeMapList, 1, mapOff})
	data = binary.LittleEndian.AppendUint32(data, uint32(len(items)))
	for _, it := range items {
		data = binary.LittleEndian.AppendUint16(data, it.t)
		data = binary.LittleEndian.AppendUint16(data, 0)
		data = binary.LittleEndian.AppendUint32(data, it.size)
		data = binary.LittleEndian.AppendUint32(data, it.off)
	}
	align()

	fileSize := dataOff + uint32(len(data)) - base
	b := make([]byte, fileSize)
	le := binary.LittleEndian
	at := func(o uint32) []byte { return b[o-base:] }
	copy(b, fmt.Sprintf("dex\n%03d\x00", version))
	le.PutUint32(b[0x20:], fileSize)
	le.PutUint32(b[0x24:], hs)
	le.PutUint32(b[0x28:], endianConstant)
	le.PutUint32(b[0x34:], mapOff)
	put := func(field int, n, o uint32) {
		if n == 0 {
			o = 0
		}
		le.PutUint32(b[field:], n)
		le.PutUint32(b[field+4:], o)
	}
	put(0x38, uint32(len(strs)), strIDs)
	put(0x40, uint32(len(types)), typeIDs)
	put(0x48, uint32(len(protos)), protoIDs)
	put(0x50, uint32(len(fields)), fieldIDs)
	put(0x58, uint32(len(methods)), methodIDs)
	put(0x60, uint32(len(s.Classes)), classDefs)
	if version < 41 {
		put(0x68, uint32(len(data)), dataOff)
	} else {
		le.PutUint32(b[0x70:], base+fileSize) // container_size; callers joining entries patch it
		le.PutUint32(b[0x74:], base)
	}
	for i, o := range strData {
		le.PutUint32(at(strIDs+4*uint32(i)), o)
	}
	for i, k := range types {
		le.PutUint32(at(typeIDs+4*uint32(i)), sidx[k])
	}
	for i, p := range protos {
		o := at(protoIDs + 12*uint32(i))
		le.PutUint32(o, p.shorty)
		le.PutUint32(o[4:], p.ret)
		le.PutUint32(o[8:], protoParams[i])
	}
	for i, m := range fields {
		o := at(fieldIDs + 8*uint32(i))
		le.PutUint16(o, m.class)
		le.PutUint16(o[2:], m.a)
		le.PutUint32(o[4:], m.name)
	}
	for i, m := range methods {
		o := at(methodIDs + 8*uint32(i))
		le.PutUint16(o, m.class)
		le.PutUint16(o[2:], m.a)
		le.PutUint32(o[4:], m.name)
	}
	for i, c := range s.Classes {
		o := at(classDefs + 32*uint32(i))
		super, src := uint32(NoIndex), uint32(NoIndex)
		if c.Super != "" {
			super = tOf(c.Super)
		}
		if c.Source != "" {
			src = sOf(c.Source)
		}
		for j, v := range []uint32{tOf(c.Desc), c.Access, super, classIfaces[i], src, 0, 0, 0} {
			le.PutUint32(o[4*j:], v)
		}
	}
	copy(at(dataOff), data)
	fixSums(b)
	return &builtDex{b: b, strings: strs, types: types}
}

// fixSums recomputes signature and checksum after a test edits the file.
func fixSums(b []byte) {
	sig := sha1.Sum(b[32:])
	copy(b[12:32], sig[:])
	binary.LittleEndian.PutUint32(b[8:], adler32.Checksum(b[12:]))
}

// sampleSpec is a small but complete app: inheritance, interfaces, fields,
// methods with and without parameters, and non-ASCII names.
func sampleSpec(version int) dexSpec {
	return dexSpec{
		Version: version,
		Strings: []string{"hello", "", "naïve", "emoji 😀", "nul\x00inside"},
		Classes: []wClass{
			{Desc: "Lcom/example/Base;", Super: "Ljava/lang/Object;", Source: "Base.java", Access: 1},
			{Desc: "Lcom/example/Main;", Super: "Lcom/example/Base;", Source: "Main.java", Access: 0x11,
				Interfaces: []string{"Ljava/lang/Runnable;", "Ljava/io/Serializable;"}},
			{Desc: "Lcom/example/ünï$Cödé;", Super: "Ljava/lang/Object;"},
			{Desc: "Lcom/example/Emoji😀;", Super: "Ljava/lang/Object;"},
		},
		Fields: []wField{
			{"Lcom/example/Main;", "I", "count"},
			{"Lcom/example/Main;", "Ljava/lang/String;", "name"},
			{"Lcom/example/Base;", "[J", "values"},
		},
		Methods: []wMethod{
			{"Lcom/example/Main;", "run", "V", nil},
			{"Lcom/example/Main;", "<init>", "V", nil},
			{"Lcom/example/Base;", "compute", "I", []string{"I", "Ljava/lang/String;", "[J"}},
			{"Lcom/example/Main;", "compute", "I", []string{"I", "Ljava/lang/String;", "[J"}},
			{"Lcom/example/Base;", "wide", "J", []string{"D", "Z"}},
		},
	}
}
