package dex

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
)

// CallRef is one reference a method's code makes that a call graph needs:
// a kind in the top three bits, then a packed MethodKey for the invoke
// kinds or a type id for the others. Carrying the key itself, rather than
// an id in an app-wide table of methods, keeps the scan from interning
// every method the code names: the graph resolves only what it reaches.
type CallRef uint64

// Kinds of CallRef.
const (
	// CallStatic is invoke-static: an exact target, and it initialises
	// the method's class.
	CallStatic = iota
	// CallDirect is invoke-direct (constructors, private methods).
	CallDirect
	// CallVirtual is invoke-virtual or invoke-interface: dispatched on
	// the receiver's class.
	CallVirtual
	// CallSuper is invoke-super: resolved from the named class upwards.
	CallSuper
	// CallNew is new-instance of a type.
	CallNew
	// CallStaticField is a static field read or write: it initialises the
	// field's class.
	CallStaticField
	// CallConstClass is const-class, or a const-string spelling a class
	// name (an Intent naming a service, an initializer's dependencies).
	CallConstClass
	// CallInstance is sget-object of a field whose type is its own class
	// (a singleton's INSTANCE, as compilers emit stateless lambdas): the
	// code obtains an instance of that type.
	CallInstance
)

// Bit widths of a packed MethodKey: 2^21 types and names and 2^19
// prototypes per app. No app comes near them; one that does is
// summarised up to them and marked Truncated.
const (
	keyTypeBits  = 21
	keyNameBits  = 21
	keyProtoBits = 19
	maxKeyTypes  = 1 << keyTypeBits
	maxKeyNames  = 1 << keyNameBits
	maxKeyProtos = 1 << keyProtoBits
	kindShift    = keyTypeBits + keyNameBits + keyProtoBits
)

// Kind is the reference's kind (Call*).
func (r CallRef) Kind() int { return int(r >> kindShift) }

// Method is the invoked method of a CallStatic, CallDirect, CallVirtual or
// CallSuper reference.
func (r CallRef) Method() MethodKey { return UnpackMethodKey(uint64(r) & (1<<kindShift - 1)) }

// Type is the type id of the other kinds.
func (r CallRef) Type() uint32 { return uint32(uint64(r) & (1<<kindShift - 1)) }

func newCallRef(kind int, payload uint64) CallRef { return CallRef(uint64(kind)<<kindShift | payload) }

// MethodKey names a method by the ids of its class, name and prototype.
type MethodKey struct{ Class, Name, Proto uint32 }

// Pack folds the key into one integer (a map key several times faster
// than the struct).
func (k MethodKey) Pack() uint64 {
	return uint64(k.Class)<<(keyNameBits+keyProtoBits) | uint64(k.Name)<<keyProtoBits | uint64(k.Proto)
}

// UnpackMethodKey is the inverse of Pack.
func UnpackMethodKey(v uint64) MethodKey {
	return MethodKey{
		Class: uint32(v >> (keyNameBits + keyProtoBits) & (maxKeyTypes - 1)),
		Name:  uint32(v >> keyProtoBits & (maxKeyNames - 1)),
		Proto: uint32(v & (maxKeyProtos - 1)),
	}
}

// CallMethod is one method with code of a CallClass: 12 bytes, as a large
// app has hundreds of thousands.
type CallMethod struct {
	Name, Proto uint32
	// end is where this method's references end in its class's Refs
	// (they start where the previous method's end), with methodVirtual
	// set for the class_data's virtual_methods list.
	end uint32
}

// methodVirtual marks a CallMethod from the virtual_methods list in its
// end (references per class stay far below 2^31).
const methodVirtual = 1 << 31

// Virtual reports whether the method is dispatched (not static, private
// or a constructor).
func (m CallMethod) Virtual() bool { return m.end&methodVirtual != 0 }

// End is where the method's references end in its class's Refs.
func (m CallMethod) End() uint32 { return m.end &^ methodVirtual }

// Key is the method's key in its class.
func (m CallMethod) Key(class uint32) MethodKey {
	return MethodKey{Class: class, Name: m.Name, Proto: m.Proto}
}

// CallClass is one class definition as a call graph sees it: its
// superclass and where its interfaces, methods and references lie in the
// summary's chunks (read them with Calls.Interfaces, Methods and
// MethodRefs). No pointers, 36 bytes: a large app has tens of thousands.
type CallClass struct {
	Super                              uint32 // type id; NoIndex for none
	file, chunk                        uint32
	iOff, iLen, mOff, mLen, rOff, rLen uint32
}

// callChunk holds the interfaces, methods and references of a run of
// classes. Its arrays are filled up to their capacity and never
// reallocated, so a class's pieces stay where they were put.
type callChunk struct {
	ifaces  []uint32
	methods []CallMethod
	refs    []CallRef
}

// Chunk capacities: a class whose pieces do not fit a fresh chunk gets
// one of its own size.
const (
	chunkIfaces  = 1 << 10
	chunkMethods = 1 << 12
	chunkRefs    = 1 << 13
)

// Interfaces are cl's direct interfaces (type ids).
func (c *Calls) Interfaces(cl *CallClass) []uint32 {
	return c.chunks[cl.chunk].ifaces[cl.iOff : cl.iOff+cl.iLen : cl.iOff+cl.iLen]
}

// Methods are cl's methods with code.
func (c *Calls) Methods(cl *CallClass) []CallMethod {
	return c.chunks[cl.chunk].methods[cl.mOff : cl.mOff+cl.mLen : cl.mOff+cl.mLen]
}

// Refs are the references of all of cl's methods, in method order.
func (c *Calls) Refs(cl *CallClass) []CallRef {
	return c.chunks[cl.chunk].refs[cl.rOff : cl.rOff+cl.rLen : cl.rOff+cl.rLen]
}

// MethodRefs returns the references of Methods(cl)[i] in code order.
func (c *Calls) MethodRefs(cl *CallClass, i int) []CallRef {
	ms, refs := c.Methods(cl), c.Refs(cl)
	start := uint32(0)
	if i > 0 {
		start = ms[i-1].End()
	}
	return refs[start:ms[i].End()]
}

// File is the DEX file that defined cl (the first by load order when
// several do).
func (c *Calls) File(cl *CallClass) string { return c.files[cl.file] }

// CallLimits bound what a Calls collects for one app. Zero fields take
// the DefaultCallLimits values.
type CallLimits struct {
	// Refs bounds the references kept over all methods (8 bytes each).
	Refs int
	// Methods bounds the methods with code kept over all classes.
	Methods int
	// Text bounds the bytes of interned names, descriptors and prototypes.
	Text int
}

// DefaultCallLimits fit an app of 300 000 classes: some 3 million methods
// and twelve million references (96 MiB) at most.
var DefaultCallLimits = CallLimits{Refs: 12 << 20, Methods: 3 << 20, Text: 64 << 20}

// Calls is the call summary of one app's DEX files, filled by
// ScanRefsCalls while each file is in memory (the bytes are dropped after)
// and read by a call graph afterwards. Type descriptors and method names
// are interned once for the app, prototypes as the sequence of their type
// ids. It is safe for concurrent use while files are scanned; read it only
// once they all are.
//
// Ids are assigned in the order files happen to be scanned, so they are
// not stable across runs: a reader that needs a deterministic order must
// derive it from the strings or the code order, never from ids.
type Calls struct {
	mu      sync.Mutex
	lim     CallLimits
	text    int
	refs    int
	methods int
	types   strTable // type id -> descriptor
	names   strTable // name id -> method name
	// protos are prototypes as little-endian type ids: the return type,
	// then the parameters.
	protos strTable
	// classes are the defined classes by type id (nil for a type no file
	// defines).
	classes []*CallClass
	chunks  []*callChunk
	files   []string
	// named are the types whose dotted name some const-string spells:
	// candidates for reflection.
	named map[uint32]bool
	// Truncated says a limit was reached: later code is missing.
	Truncated bool
	// spare are per-file tables a finished file left for the next one.
	spare []*fileCalls
}

// NewCalls returns an empty summary bounded by lim.
func NewCalls(lim CallLimits) *Calls {
	d := DefaultCallLimits
	lim.Refs = cmp.Or(lim.Refs, d.Refs)
	lim.Methods = cmp.Or(lim.Methods, d.Methods)
	lim.Text = cmp.Or(lim.Text, d.Text)
	return &Calls{lim: lim, named: map[uint32]bool{}, types: newStrTable(), names: newStrTable(), protos: newStrTable()}
}

// Done says no more files will be scanned into c: it drops the tables
// kept for reuse by the next file.
func (c *Calls) Done() {
	c.mu.Lock()
	c.spare = nil
	c.mu.Unlock()
}

// NumTypes is the number of type ids: every id is below it.
func (c *Calls) NumTypes() int { return c.types.size() }

// NumNames is the number of method name ids.
func (c *Calls) NumNames() int { return c.names.size() }

// NumProtos is the number of prototype ids.
func (c *Calls) NumProtos() int { return c.protos.size() }

// Class is the definition of type id, nil when no file defines it.
func (c *Calls) Class(id uint32) *CallClass {
	if int(id) < len(c.classes) {
		return c.classes[id]
	}
	return nil
}

// Named reports whether a const-string spells type id's dotted name.
func (c *Calls) Named(id uint32) bool { return c.named[id] }

// TypeID returns the id of descriptor, if any code named it.
func (c *Calls) TypeID(desc string) (uint32, bool) { return c.types.lookup([]byte(desc)) }

// NameID returns the id of a method name, if any code named it.
func (c *Calls) NameID(name string) (uint32, bool) { return c.names.lookup([]byte(name)) }

// ProtoID returns the id of a prototype given as "(params)return", if any
// code named it.
func (c *Calls) ProtoID(proto string) (uint32, bool) {
	if len(proto) < 3 || proto[0] != '(' {
		return 0, false
	}
	var pb [16]uint32
	params := pb[:0]
	p := proto[1:]
	for len(p) > 0 && p[0] != ')' {
		n := descriptorLen(p)
		if n == 0 {
			return 0, false
		}
		id, ok := c.TypeID(p[:n])
		if !ok {
			return 0, false
		}
		params = append(params, id)
		p = p[n:]
	}
	if len(p) < 2 || descriptorLen(p[1:]) != len(p)-1 {
		return 0, false
	}
	ret, ok := c.TypeID(p[1:])
	if !ok {
		return 0, false
	}
	var kb [64]byte
	key := binary.LittleEndian.AppendUint32(kb[:0], ret)
	for _, id := range params {
		key = binary.LittleEndian.AppendUint32(key, id)
	}
	return c.protos.lookup(key)
}

// descriptorLen is the length of the type descriptor s starts with, 0
// when it starts with none.
func descriptorLen(s string) int {
	i := 0
	for i < len(s) && s[i] == '[' {
		i++
	}
	switch {
	case i >= len(s):
		return 0
	case s[i] == 'L':
		j := strings.IndexByte(s[i:], ';')
		if j < 0 {
			return 0
		}
		return i + j + 1
	case strings.IndexByte("VZBSCIJFD", s[i]) >= 0:
		return i + 1
	}
	return 0
}

// Type is type id's descriptor.
func (c *Calls) Type(id uint32) string { return string(c.types.at(id)) }

// CompareTypes orders two type ids by their descriptors.
func (c *Calls) CompareTypes(a, b uint32) int { return bytes.Compare(c.types.at(a), c.types.at(b)) }

// NameBytes is method name id's text, not to be modified.
func (c *Calls) NameBytes(id uint32) []byte { return c.names.at(id) }

// Name is method name id's text.
func (c *Calls) Name(id uint32) string { return string(c.names.at(id)) }

// Proto renders prototype id as "(params)return".
func (c *Calls) Proto(id uint32) string {
	key := c.protos.at(id)
	if len(key) < 4 {
		return ""
	}
	out := []byte{'('}
	for i := 4; i+4 <= len(key); i += 4 {
		out = append(out, c.types.at(binary.LittleEndian.Uint32(key[i:]))...)
	}
	out = append(out, ')')
	out = append(out, c.types.at(binary.LittleEndian.Uint32(key))...)
	return string(out)
}

// MethodString renders a method key as its class descriptor, name and
// prototype.
func (c *Calls) MethodString(k MethodKey) (class, name, proto string) {
	return c.Type(k.Class), c.Name(k.Name), c.Proto(k.Proto)
}

// intern returns b's id in t, adding it when it fits; ok is false once a
// limit is reached. Callers hold c.mu.
func (c *Calls) intern(t *strTable, b []byte, limit int) (uint32, bool) {
	if id, ok := t.lookup(b); ok {
		return id, true
	}
	if c.text+len(b) > c.lim.Text || t.size() >= limit {
		c.Truncated = true
		return 0, false
	}
	c.text += len(b)
	id, _ := t.add(b)
	return id, true
}

// fileOrder ranks DEX file names as Android loads them: classes.dex,
// classes2.dex, … then everything else by name.
func fileOrder(name string) (int, string) {
	if n, ok := strings.CutPrefix(name, "classes"); ok {
		if n, ok = strings.CutSuffix(n, ".dex"); ok {
			if n == "" {
				return 1, ""
			}
			if v, err := strconv.Atoi(n); err == nil && v > 1 {
				return v, ""
			}
		}
	}
	return 1 << 30, name
}

func earlierFile(a, b string) bool {
	ra, sa := fileOrder(a)
	rb, sb := fileOrder(b)
	return ra < rb || ra == rb && sa < sb
}

// addClass records a class definition; the one from the file Android
// loads first wins.
func (c *Calls) addClass(typeID uint32, cl *CallClass) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.Class(typeID); old != nil {
		if !earlierFile(c.files[cl.file], c.files[old.file]) {
			return
		}
		c.refs -= int(old.rLen)
		c.methods -= int(old.mLen)
	}
	if c.refs+int(cl.rLen) > c.lim.Refs || c.methods+int(cl.mLen) > c.lim.Methods {
		c.Truncated = true
		return
	}
	c.refs += int(cl.rLen)
	c.methods += int(cl.mLen)
	if int(typeID) >= len(c.classes) {
		c.classes = append(c.classes, make([]*CallClass, int(typeID)+1-len(c.classes))...)
	}
	c.classes[typeID] = cl
}

// fileCalls collects one file's contribution, caching the translation of
// its local indices to the app's ids.
type fileCalls struct {
	c       *Calls
	f       *File
	name    string
	types   []uint32 // local type idx -> id+1; 0 unresolved
	boot    []uint8  // local type idx: 1 an app may define it, 2 a boot class (java.*, android.*)
	keep    []uint8  // local string idx as a method name: 1 dropped on boot classes, 2 kept
	strType []uint32 // local string idx: 0 not looked at, 1 no class name, else type id + 2
	protos  []uint32
	names   []uint32 // string idx -> name id + 1
	meths   []uint64 // local method idx -> packed key + 1
	fclass  []uint32 // local field idx -> class type id+1
	flocal  []uint32 // local field idx -> local type idx of its class
	finst   []uint8  // local field idx: 1 not a singleton field, 2 one
	mSeen   []uint32 // per method generation, deduplicating refs
	tSeen   [4][]uint32
	gen     uint32
	buf     []byte
	pbuf    []byte
	dbuf    []byte
	cur     curClass
	file    uint32 // index of name in Calls.files
	bad     bool   // this class's data cannot be summarised
	// curLocal is the current class's local type index.
	curLocal uint32

	// The class slab and the chunk outlive the file: the classes and
	// pieces put there are the summary. A later file goes on filling
	// their free ends.
	classSlab []CallClass
	chunk     uint32
	ch        *callChunk // Calls.chunks[chunk]; nil before the first
}

// curClass collects the class being scanned.
type curClass struct {
	super   uint32
	ifaces  []uint32
	methods []CallMethod
	refs    []CallRef
}

// zeroed returns s resized to n zero elements, reusing its array when it
// is large enough.
func zeroed[T any](s []T, n uint32) []T {
	if uint64(cap(s)) >= uint64(n) {
		s = s[:n]
		clear(s)
		return s
	}
	return make([]T, n)
}

// newFileCalls starts f's contribution, reusing the tables of a file
// that finished: the tables of all files are the same kind and a worker
// scans one file after another.
func newFileCalls(c *Calls, f *File, name string) *fileCalls {
	c.mu.Lock()
	var fc *fileCalls
	if n := len(c.spare); n > 0 {
		fc, c.spare = c.spare[n-1], c.spare[:n-1]
	} else {
		fc = &fileCalls{}
	}
	if c.types.size() == 0 {
		// The first file sizes the tables (the main classes.dex is the
		// largest as a rule): growing them copies.
		c.types.reserve(int(f.types.n), 32)
		c.names.reserve(int(f.methods.n/2), 12)
		c.protos.reserve(int(f.protos.n), 12)
	}
	fc.file = uint32(len(c.files))
	c.files = append(c.files, name)
	c.mu.Unlock()
	fc.c, fc.f, fc.name = c, f, name
	fc.types, fc.boot = zeroed(fc.types, f.types.n), zeroed(fc.boot, f.types.n)
	fc.keep, fc.strType, fc.names = zeroed(fc.keep, f.strings.n), zeroed(fc.strType, f.strings.n), zeroed(fc.names, f.strings.n)
	fc.protos = zeroed(fc.protos, f.protos.n)
	fc.meths, fc.mSeen = zeroed(fc.meths, f.methods.n), zeroed(fc.mSeen, f.methods.n)
	fc.fclass, fc.flocal, fc.finst = zeroed(fc.fclass, f.fields.n), zeroed(fc.flocal, f.fields.n), zeroed(fc.finst, f.fields.n)
	for i := range fc.tSeen {
		fc.tSeen[i] = zeroed(fc.tSeen[i], f.types.n)
	}
	fc.gen = 0
	return fc
}

// release hands the tables to the next file.
func (fc *fileCalls) release() {
	c := fc.c
	fc.c, fc.f = nil, nil
	c.mu.Lock()
	c.spare = append(c.spare, fc)
	c.mu.Unlock()
}

func (fc *fileCalls) typeID(idx uint32) (uint32, bool) {
	if idx >= uint32(len(fc.types)) {
		return 0, false
	}
	if v := fc.types[idx]; v != 0 {
		return v - 1, true
	}
	so, err := fc.f.typeStringOff(idx)
	if err != nil {
		return 0, false
	}
	raw, ascii, err := fc.f.rawString(so, &fc.buf)
	if err != nil {
		return 0, false
	}
	id, ok := fc.internRaw(&fc.c.types, raw, ascii, maxKeyTypes)
	if !ok {
		return 0, false
	}
	fc.types[idx] = id + 1
	return id, true
}

// internRaw interns a string given as its MUTF-8 bytes (decoded to UTF-8
// first unless ascii).
func (fc *fileCalls) internRaw(t *strTable, raw []byte, ascii bool, limit int) (uint32, bool) {
	if !ascii {
		fc.dbuf = appendMUTF8(fc.dbuf[:0], raw)
		raw = fc.dbuf
	}
	c := fc.c
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.intern(t, raw, limit)
}

// protoKey renders prototype idx as its return and parameter type ids
// (little-endian) into a scratch buffer.
func (fc *fileCalls) protoKey(idx uint32) ([]byte, bool) {
	f := fc.f
	var s [protoIDSize]byte
	b, err := f.bytesAt(f.protos.item(idx, protoIDSize), protoIDSize, s[:], "proto_id")
	if err != nil {
		return nil, false
	}
	ret, params := le32(b[4:]), le32(b[8:])
	id, ok := fc.typeID(ret)
	if !ok {
		return nil, false
	}
	out := binary.LittleEndian.AppendUint32(fc.pbuf[:0], id)
	if params != 0 {
		c := cursor{f: f, off: uint64(params)}
		n := c.u32("proto parameters type_list size")
		if c.err != nil || !c.need(uint64(n), 2, "proto parameters type_list") || n > maxTypeList {
			return nil, false
		}
		for range n {
			t := c.u16("proto parameters type_list entry")
			if c.err != nil {
				return nil, false
			}
			id, ok := fc.typeID(uint32(t))
			if !ok {
				return nil, false
			}
			out = binary.LittleEndian.AppendUint32(out, id)
		}
	}
	fc.pbuf = out
	return out, true
}

func (fc *fileCalls) methodKey(idx uint32) (uint64, bool) {
	if idx >= uint32(len(fc.meths)) {
		return 0, false
	}
	if v := fc.meths[idx]; v != 0 && v != skippedCall {
		return v - 1, true
	}
	f := fc.f
	var s [methodIDSize]byte
	b, err := f.bytesAt(f.methods.item(idx, methodIDSize), methodIDSize, s[:], "method_id")
	if err != nil {
		return 0, false
	}
	classIdx, protoIdx, nameIdx := uint32(le16(b[0:])), uint32(le16(b[2:])), le32(b[4:])
	class, ok := fc.typeID(classIdx)
	if !ok || protoIdx >= uint32(len(fc.protos)) {
		return 0, false
	}
	if nameIdx >= uint32(len(fc.names)) {
		return 0, false
	}
	name := fc.names[nameIdx]
	if name == 0 {
		so, err := f.stringDataOff(nameIdx)
		if err != nil {
			return 0, false
		}
		raw, ascii, err := f.rawString(so, &fc.buf)
		if err != nil {
			return 0, false
		}
		id, ok := fc.internRaw(&fc.c.names, raw, ascii, maxKeyNames)
		if !ok {
			return 0, false
		}
		name = id + 1
		fc.names[nameIdx] = name
	}
	proto := fc.protos[protoIdx]
	if proto == 0 {
		key, ok := fc.protoKey(protoIdx)
		if !ok {
			return 0, false
		}
		id, ok := fc.internRaw(&fc.c.protos, key, true, maxKeyProtos)
		if !ok {
			return 0, false
		}
		proto = id + 1
		fc.protos[protoIdx] = proto
	}
	key := MethodKey{Class: class, Name: name - 1, Proto: proto - 1}.Pack()
	fc.meths[idx] = key + 1
	return key, true
}

// field resolves a field's class (its app type id and local type index)
// and whether the field holds an instance of that class.
func (fc *fileCalls) field(idx uint32) (class, local uint32, inst, ok bool) {
	if idx >= uint32(len(fc.fclass)) {
		return 0, 0, false, false
	}
	if v := fc.fclass[idx]; v != 0 {
		return v - 1, fc.flocal[idx], fc.finst[idx] == 2, true
	}
	f := fc.f
	var s [fieldIDSize]byte
	b, err := f.bytesAt(f.fields.item(idx, fieldIDSize), fieldIDSize, s[:], "field_id")
	if err != nil {
		return 0, 0, false, false
	}
	classIdx, typeIdx := uint32(le16(b[0:])), uint32(le16(b[2:]))
	class, ok = fc.typeID(classIdx)
	if !ok {
		return 0, 0, false, false
	}
	fc.fclass[idx], fc.flocal[idx] = class+1, classIdx
	fc.finst[idx] = 1
	if classIdx == typeIdx {
		fc.finst[idx] = 2
	}
	return class, classIdx, classIdx == typeIdx, true
}

// startClass begins the summary of class_def co.
func (fc *fileCalls) startClass(co uint64) {
	fc.cur = curClass{super: NoIndex, ifaces: fc.cur.ifaces[:0], methods: fc.cur.methods[:0], refs: fc.cur.refs[:0]}
	fc.bad = false
	f := fc.f
	var s [classDefSize]byte
	b, err := f.bytesAt(co, classDefSize, s[:], "class_def")
	if err != nil {
		fc.bad = true
		return
	}
	fc.curLocal = le32(b[0:])
	// A class an earlier file (in Android's load order) defines is never
	// loaded from this one: skip its code. Apps with DEX files repeated
	// (or a class in every split) would otherwise pay for it again.
	if id, ok := fc.typeID(le32(b[0:])); ok {
		fc.c.mu.Lock()
		old := fc.c.Class(id)
		dup := old != nil && !earlierFile(fc.name, fc.c.files[old.file])
		fc.c.mu.Unlock()
		if dup {
			fc.bad = true
			return
		}
	}
	if sup := le32(b[8:]); sup != NoIndex {
		if id, ok := fc.typeID(sup); ok {
			fc.cur.super = id
		}
	}
	if off := le32(b[12:]); off != 0 {
		c := cursor{f: f, off: uint64(off)}
		n := c.u32("interfaces type_list size")
		if c.err != nil || !c.need(uint64(n), 2, "interfaces type_list") || n > maxTypeList {
			return
		}
		for range n {
			t := c.u16("interfaces type_list entry")
			if c.err != nil {
				return
			}
			if id, ok := fc.typeID(uint32(t)); ok {
				fc.cur.ifaces = append(fc.cur.ifaces, id)
			}
		}
	}
}

// startMethod begins a method with code.
func (fc *fileCalls) startMethod(m EncodedMethod) bool {
	if fc.bad {
		return false
	}
	key, ok := fc.methodKey(m.MethodIdx)
	if !ok {
		return false
	}
	fc.gen++
	if fc.gen == 0 { // wrapped: forget every stamp
		clear(fc.mSeen)
		for i := range fc.tSeen {
			clear(fc.tSeen[i])
		}
		fc.gen = 1
	}
	k := UnpackMethodKey(key)
	end := uint32(len(fc.cur.refs))
	if m.Virtual {
		end |= methodVirtual
	}
	fc.cur.methods = append(fc.cur.methods, CallMethod{Name: k.Name, Proto: k.Proto, end: end})
	return true
}

// bootPrefixes are packages of the boot class path, which an app cannot
// define (the platform's copy always wins). Android's own support library
// (android.support) and androidx ship inside apps and are not among them.
var bootPrefixes = []string{"Ljava/", "Ljavax/", "Ldalvik/", "Lsun/", "Llibcore/", "Lorg/json/", "Lorg/w3c/", "Lorg/xml/"}

// keptBootNames are the framework methods the graph still needs to see
// called: those that start a service.
var keptBootNames = []string{"startService", "startForegroundService", "bindService", "enqueueWork", "startServiceAsUser"}

// bootType reports whether local type idx is a boot class.
func (fc *fileCalls) bootType(idx uint32) bool {
	if idx >= uint32(len(fc.boot)) {
		return false
	}
	if v := fc.boot[idx]; v != 0 {
		return v == 2
	}
	fc.boot[idx] = 1
	so, err := fc.f.typeStringOff(idx)
	if err != nil {
		return false
	}
	raw, _, err := fc.f.rawString(so, &fc.buf)
	if err != nil {
		return false
	}
	boot := len(raw) > 9 && string(raw[:9]) == "Landroid/" && (len(raw) < 17 || string(raw[:17]) != "Landroid/support/")
	for _, p := range bootPrefixes {
		boot = boot || len(raw) > len(p) && string(raw[:len(p)]) == p
	}
	if boot {
		fc.boot[idx] = 2
	}
	return boot
}

// skipBootCall reports whether a call of method idx can be left out of
// the summary: a boot class's method reaches no app code (hand-offs are
// followed where the object is made), unless it starts a service.
func (fc *fileCalls) skipBootCall(idx uint32) bool {
	f := fc.f
	var s [methodIDSize]byte
	b, err := f.bytesAt(f.methods.item(idx, methodIDSize), methodIDSize, s[:], "method_id")
	if err != nil || !fc.bootType(uint32(le16(b[0:]))) {
		return false
	}
	name := le32(b[4:])
	if name >= uint32(len(fc.keep)) {
		return true
	}
	if v := fc.keep[name]; v != 0 {
		return v == 1
	}
	fc.keep[name] = 1
	so, err := f.stringDataOff(name)
	if err != nil {
		return true
	}
	raw, _, err := f.rawString(so, &fc.buf)
	if err != nil {
		return true
	}
	for _, k := range keptBootNames {
		if string(raw) == k {
			fc.keep[name] = 2
			return false
		}
	}
	return true
}

// skippedCall marks, in fileCalls.meths, a method id whose calls are left
// out (no packed key reaches it: kind bits are zero there).
const skippedCall = ^uint64(0)

// callOps are the opcodes insn looks at: invokes, const-string,
// new-instance, const-class and static field access. The code walk checks
// this table before calling insn, as most instructions are none of them.
var callOps = func() (t [256]bool) {
	for op := range t {
		o := Opcode(op)
		t[op] = opTable[o].ref == RefMethod && o < OpInvokePolymorphic || o == OpConstString || o == OpConstStringJumbo ||
			o == 0x22 || o == 0x1c || o >= OpSget && o <= 0x6d
	}
	return t
}()

// insn records what in references, once per method.
func (fc *fileCalls) insn(in *Instruction) {
	switch op := in.Op; {
	case opTable[op].ref == RefMethod && op < OpInvokePolymorphic:
		if in.Index >= uint32(len(fc.mSeen)) || fc.mSeen[in.Index] == fc.gen {
			return
		}
		fc.mSeen[in.Index] = fc.gen
		if fc.meths[in.Index] == skippedCall {
			return
		}
		if fc.meths[in.Index] == 0 && fc.skipBootCall(in.Index) {
			fc.meths[in.Index] = skippedCall
			return
		}
		key, ok := fc.methodKey(in.Index)
		if !ok {
			return
		}
		k := op - OpInvokeVirtual
		if op >= OpInvokeVirtualRange {
			k = op - OpInvokeVirtualRange
		}
		kind := [...]int{CallVirtual, CallSuper, CallDirect, CallStatic, CallVirtual}[min(k, 4)]
		fc.ref(kind, key)
	case op == OpConstString || op == OpConstStringJumbo:
		fc.namedClass(in.Index)
	case op == 0x22 || op == 0x1c: // new-instance, const-class
		kind, slot := CallNew, 0
		if op == 0x1c {
			kind, slot = CallConstClass, 1
		}
		if in.Index >= uint32(len(fc.tSeen[slot])) || fc.tSeen[slot][in.Index] == fc.gen {
			return
		}
		fc.tSeen[slot][in.Index] = fc.gen
		if id, ok := fc.typeID(in.Index); ok {
			fc.ref(kind, uint64(id))
		}
	case op >= OpSget && op <= 0x6d: // sget*, sput*
		class, local, inst, ok := fc.field(in.Index)
		if !ok || local == fc.curLocal {
			// The class's own statics: it is initialised already
			// when its code runs.
			return
		}
		kind, slot := CallStaticField, 2
		if inst && op == OpSget+2 { // sget-object of a singleton field
			kind, slot = CallInstance, 3
		}
		// Stamped by the field's class, which is what the graph needs.
		if fc.tSeen[slot][local] == fc.gen {
			return
		}
		fc.tSeen[slot][local] = fc.gen
		fc.ref(kind, uint64(class))
	}
}

// namedClass handles a const-string that spells a class name
// ("com.foo.Bar", "com.foo.Bar$1"): code can reach that class by
// reflection, so a graph must not call it unreachable (Calls.Named), and
// the method names it as const-class would (an Intent's setClassName).
// Each string is decoded once per file.
func (fc *fileCalls) namedClass(idx uint32) {
	if idx >= uint32(len(fc.strType)) {
		return
	}
	switch v := fc.strType[idx]; v {
	case 0:
	case 1:
		return
	default:
		fc.ref(CallConstClass, uint64(v-2))
		return
	}
	fc.strType[idx] = 1
	so, err := fc.f.stringDataOff(idx)
	if err != nil {
		return
	}
	// The utf16_size says when a string is too short or too long for a
	// class name: most are rejected without reading them. (A lying size
	// only hides a string from this guess.)
	var size uint32
	if f := fc.f; f.pr == nil && so < f.end && f.data[so] < 0x80 {
		size = uint32(f.data[so])
	} else if size, _, err = f.readULEB128(so, "string data"); err != nil {
		return
	}
	if size < 3 || size > 256 {
		return
	}
	raw, ascii, err := fc.f.rawString(so, &fc.buf)
	if err != nil || !ascii || !classLike(raw) {
		return
	}
	d := append(fc.pbuf[:0], 'L')
	for _, b := range raw {
		if b == '.' {
			b = '/'
		}
		d = append(d, b)
	}
	d = append(d, ';')
	fc.pbuf = d
	id, ok := fc.internRaw(&fc.c.types, d, true, maxKeyTypes)
	if !ok {
		return
	}
	fc.c.mu.Lock()
	fc.c.named[id] = true
	fc.c.mu.Unlock()
	fc.strType[idx] = id + 2
	fc.ref(CallConstClass, uint64(id))
}

// classLike reports whether s could be a dotted class name with a
// package: identifier characters, '.' and '$', at least one dot, neither
// first nor last nor doubled.
func classLike(s []byte) bool {
	if len(s) < 3 || len(s) > 256 || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	dot := false
	for i, b := range s {
		switch {
		case b == '.':
			if s[i-1] == '.' {
				return false
			}
			dot = true
		case b == '$' || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
		default:
			return false
		}
	}
	return dot
}

func (fc *fileCalls) ref(kind int, payload uint64) {
	fc.cur.refs = append(fc.cur.refs, newCallRef(kind, payload))
}

// endMethod closes the current method's reference list.
func (fc *fileCalls) endMethod() {
	if n := len(fc.cur.methods); n > 0 {
		m := &fc.cur.methods[n-1]
		m.end = m.end&methodVirtual | uint32(len(fc.cur.refs))
	}
}

// endClass hands the class to the app's summary.
func (fc *fileCalls) endClass(classIdx uint32) {
	if fc.bad {
		return
	}
	id, ok := fc.typeID(classIdx)
	if !ok {
		return
	}
	cur := &fc.cur
	ch := fc.ch
	if ch == nil || !fits(ch.ifaces, cur.ifaces) || !fits(ch.methods, cur.methods) || !fits(ch.refs, cur.refs) {
		ch = &callChunk{ifaces: make([]uint32, 0, max(chunkIfaces, len(cur.ifaces))),
			methods: make([]CallMethod, 0, max(chunkMethods, len(cur.methods))), refs: make([]CallRef, 0, max(chunkRefs, len(cur.refs)))}
		fc.c.mu.Lock()
		fc.chunk, fc.ch = uint32(len(fc.c.chunks)), ch
		fc.c.chunks = append(fc.c.chunks, ch)
		fc.c.mu.Unlock()
	}
	if len(fc.classSlab) == cap(fc.classSlab) {
		fc.classSlab = make([]CallClass, 0, 256)
	}
	fc.classSlab = append(fc.classSlab, CallClass{Super: cur.super, file: fc.file, chunk: fc.chunk,
		iOff: uint32(len(ch.ifaces)), iLen: uint32(len(cur.ifaces)), mOff: uint32(len(ch.methods)), mLen: uint32(len(cur.methods)),
		rOff: uint32(len(ch.refs)), rLen: uint32(len(cur.refs))})
	ch.ifaces = append(ch.ifaces, cur.ifaces...)
	ch.methods = append(ch.methods, cur.methods...)
	ch.refs = append(ch.refs, cur.refs...)
	fc.c.addClass(id, &fc.classSlab[len(fc.classSlab)-1])
	cur.ifaces, cur.methods, cur.refs = cur.ifaces[:0], cur.methods[:0], cur.refs[:0]
}

// fits reports whether src fits the free end of dst's array.
func fits[T any](dst, src []T) bool { return cap(dst)-len(dst) >= len(src) }
