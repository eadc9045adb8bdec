package dex

import (
	"cmp"
	"strconv"
	"strings"
	"sync"
)

// CallRef is one reference a method's code makes that a call graph needs:
// a kind in the top three bits and a Calls id (a method or a type) below.
type CallRef uint32

// Kinds of CallRef.
const (
	// CallStatic is invoke-static of a method id: an exact target, and it
	// initialises the method's class.
	CallStatic = iota
	// CallDirect is invoke-direct (constructors, private methods).
	CallDirect
	// CallVirtual is invoke-virtual or invoke-interface: dispatched on
	// the receiver's class.
	CallVirtual
	// CallSuper is invoke-super: resolved from the named class upwards.
	CallSuper
	// CallNew is new-instance of a type id.
	CallNew
	// CallStaticField is a static field read or write: it initialises the
	// field's class (a type id).
	CallStaticField
	// CallConstClass is const-class of a type id (an Intent naming a
	// service, an initializer's dependencies).
	CallConstClass
	// CallInstance is sget-object of a field whose type is its own class
	// (a singleton's INSTANCE, as compilers emit stateless lambdas): the
	// code obtains an instance of that type id.
	CallInstance
)

const callIDBits = 29

// MaxCallID is the largest id a CallRef can carry.
const MaxCallID = 1<<callIDBits - 1

// Kind is the reference's kind (Call*).
func (r CallRef) Kind() int { return int(r >> callIDBits) }

// ID is the method or type id.
func (r CallRef) ID() uint32 { return uint32(r) & MaxCallID }

func newCallRef(kind int, id uint32) CallRef { return CallRef(uint32(kind)<<callIDBits | id) }

// MethodKey names a method by the ids of its class, name and prototype.
type MethodKey struct{ Class, Name, Proto uint32 }

// CallMethod is one method with code of a CallClass.
type CallMethod struct {
	ID    uint32 // Calls.Methods index
	Flags uint32 // access flags
	// Virtual is true for the class_data's virtual_methods list.
	Virtual bool
	// End is where this method's references end in CallClass.Refs; they
	// start where the previous method's end.
	End uint32
}

// CallClass is one class definition as a call graph sees it.
type CallClass struct {
	Super      uint32 // type id; NoIndex for none
	Interfaces []uint32
	Methods    []CallMethod
	Refs       []CallRef
	// File is the DEX file that defined it (the first by load order
	// when several do).
	File string
}

// MethodRefs returns the references of c.Methods[i] in code order.
func (c *CallClass) MethodRefs(i int) []CallRef {
	start := uint32(0)
	if i > 0 {
		start = c.Methods[i-1].End
	}
	return c.Refs[start:c.Methods[i].End]
}

// CallLimits bound what a Calls collects for one app. Zero fields take
// the DefaultCallLimits values.
type CallLimits struct {
	// Refs bounds the references kept over all methods (4 bytes each).
	Refs int
	// Methods bounds the distinct method keys.
	Methods int
	// Text bounds the bytes of interned names, descriptors and prototypes.
	Text int
}

// DefaultCallLimits fit an app of 300 000 classes: some 3 million methods
// and twelve million references (48 MiB) at most.
var DefaultCallLimits = CallLimits{Refs: 12 << 20, Methods: 3 << 20, Text: 64 << 20}

// Calls is the call summary of one app's DEX files, filled by
// ScanRefsCalls while each file is in memory (the bytes are dropped after)
// and read by a call graph afterwards. Names, types and prototypes are
// interned once for the app. It is safe for concurrent use while files are
// scanned; read it only once they all are.
//
// Ids are assigned in the order files happen to be scanned, so they are
// not stable across runs: a reader that needs a deterministic order must
// derive it from the strings or the code order, never from ids.
type Calls struct {
	mu     sync.Mutex
	lim    CallLimits
	text   int
	refs   int
	Types  []string // type id -> descriptor
	Names  []string // name id -> method name
	Protos []string // proto id -> "(params)return"
	// Methods are the method keys, by method id.
	Methods []MethodKey
	// Classes are the defined classes by type id.
	Classes map[uint32]*CallClass
	// Truncated says a limit was reached: later code is missing.
	Truncated bool

	typeIDs   map[string]uint32
	nameIDs   map[string]uint32
	protoIDs  map[string]uint32
	methodIDs map[MethodKey]uint32
}

// NewCalls returns an empty summary bounded by lim.
func NewCalls(lim CallLimits) *Calls {
	d := DefaultCallLimits
	lim.Refs = cmp.Or(lim.Refs, d.Refs)
	lim.Methods = cmp.Or(lim.Methods, d.Methods)
	lim.Text = cmp.Or(lim.Text, d.Text)
	return &Calls{lim: lim, Classes: map[uint32]*CallClass{}, typeIDs: map[string]uint32{}, nameIDs: map[string]uint32{}, protoIDs: map[string]uint32{}, methodIDs: map[MethodKey]uint32{}}
}

// TypeID returns the id of descriptor, if any code named it.
func (c *Calls) TypeID(desc string) (uint32, bool) {
	id, ok := c.typeIDs[desc]
	return id, ok
}

// NameID returns the id of a method name, if any code named it.
func (c *Calls) NameID(name string) (uint32, bool) {
	id, ok := c.nameIDs[name]
	return id, ok
}

// ProtoID returns the id of a prototype, if any code named it.
func (c *Calls) ProtoID(proto string) (uint32, bool) {
	id, ok := c.protoIDs[proto]
	return id, ok
}

// MethodID returns the id of a method key, if any code named it.
func (c *Calls) MethodID(k MethodKey) (uint32, bool) {
	id, ok := c.methodIDs[k]
	return id, ok
}

// MethodString renders method id as "Lpkg/C;", "name", "(I)V".
func (c *Calls) MethodString(id uint32) (class, name, proto string) {
	k := c.Methods[id]
	return c.Types[k.Class], c.Names[k.Name], c.Protos[k.Proto]
}

// intern returns s's id in ids/list, adding it when it fits; ok is false
// once the text limit is reached. Callers hold c.mu.
func (c *Calls) intern(ids map[string]uint32, list *[]string, s string) (uint32, bool) {
	if id, ok := ids[s]; ok {
		return id, true
	}
	if c.text+len(s) > c.lim.Text || len(*list) > MaxCallID {
		c.Truncated = true
		return 0, false
	}
	c.text += len(s)
	id := uint32(len(*list))
	*list = append(*list, s)
	ids[s] = id
	return id, true
}

func (c *Calls) method(k MethodKey) (uint32, bool) {
	if id, ok := c.methodIDs[k]; ok {
		return id, true
	}
	if len(c.Methods) >= c.lim.Methods {
		c.Truncated = true
		return 0, false
	}
	id := uint32(len(c.Methods))
	c.Methods = append(c.Methods, k)
	c.methodIDs[k] = id
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
	if old, ok := c.Classes[typeID]; ok {
		if !earlierFile(cl.File, old.File) {
			return
		}
		c.refs -= len(old.Refs)
	}
	if c.refs+len(cl.Refs) > c.lim.Refs {
		c.Truncated = true
		return
	}
	c.refs += len(cl.Refs)
	c.Classes[typeID] = cl
}

// fileCalls collects one file's contribution, caching the translation of
// its local indices to the app's ids.
type fileCalls struct {
	c      *Calls
	f      *File
	name   string
	types  []uint32 // local type idx -> id+1; 0 unresolved
	protos []uint32
	names  map[uint32]uint32 // string idx -> name id
	meths  []uint32          // local method idx -> id+1
	fclass []uint32          // local field idx -> class type id+1
	flocal []uint32          // local field idx -> local type idx of its class
	finst  []uint8           // local field idx: 1 not a singleton field, 2 one
	mSeen  []uint32          // per method generation, deduplicating refs
	tSeen  [4][]uint32
	gen    uint32
	buf    []byte
	cur    CallClass
	bad    bool // this class's data cannot be summarised
}

func newFileCalls(c *Calls, f *File, name string) *fileCalls {
	fc := &fileCalls{c: c, f: f, name: name,
		types: make([]uint32, f.types.n), protos: make([]uint32, f.protos.n), names: map[uint32]uint32{},
		meths: make([]uint32, f.methods.n), fclass: make([]uint32, f.fields.n), flocal: make([]uint32, f.fields.n), finst: make([]uint8, f.fields.n),
		mSeen: make([]uint32, f.methods.n)}
	for i := range fc.tSeen {
		fc.tSeen[i] = make([]uint32, f.types.n)
	}
	return fc
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
	fc.c.mu.Lock()
	id, ok := fc.c.typeIDs[string(raw)]
	if !ok || !ascii {
		id, ok = fc.c.intern(fc.c.typeIDs, &fc.c.Types, decodeMUTF8(raw, ascii))
	}
	fc.c.mu.Unlock()
	if !ok {
		return 0, false
	}
	fc.types[idx] = id + 1
	return id, true
}

func (fc *fileCalls) methodID(idx uint32) (uint32, bool) {
	if idx >= uint32(len(fc.meths)) {
		return 0, false
	}
	if v := fc.meths[idx]; v != 0 {
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
	name, ok := fc.names[nameIdx]
	if !ok {
		str, err := f.String(nameIdx)
		if err != nil {
			return 0, false
		}
		fc.c.mu.Lock()
		name, ok = fc.c.intern(fc.c.nameIDs, &fc.c.Names, str)
		fc.c.mu.Unlock()
		if !ok {
			return 0, false
		}
		fc.names[nameIdx] = name
	}
	proto := fc.protos[protoIdx]
	if proto == 0 {
		p, err := f.Proto(protoIdx)
		if err != nil {
			return 0, false
		}
		fc.c.mu.Lock()
		id, ok := fc.c.intern(fc.c.protoIDs, &fc.c.Protos, p.String())
		fc.c.mu.Unlock()
		if !ok {
			return 0, false
		}
		proto = id + 1
		fc.protos[protoIdx] = proto
	}
	fc.c.mu.Lock()
	id, ok := fc.c.method(MethodKey{Class: class, Name: name, Proto: proto - 1})
	fc.c.mu.Unlock()
	if !ok {
		return 0, false
	}
	fc.meths[idx] = id + 1
	return id, true
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
	fc.cur = CallClass{Super: NoIndex, File: fc.name}
	fc.bad = false
	f := fc.f
	var s [classDefSize]byte
	b, err := f.bytesAt(co, classDefSize, s[:], "class_def")
	if err != nil {
		fc.bad = true
		return
	}
	if sup := le32(b[8:]); sup != NoIndex {
		if id, ok := fc.typeID(sup); ok {
			fc.cur.Super = id
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
				fc.cur.Interfaces = append(fc.cur.Interfaces, id)
			}
		}
	}
}

// startMethod begins a method with code.
func (fc *fileCalls) startMethod(m EncodedMethod) bool {
	id, ok := fc.methodID(m.MethodIdx)
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
	fc.cur.Methods = append(fc.cur.Methods, CallMethod{ID: id, Flags: m.AccessFlags, Virtual: m.Virtual, End: uint32(len(fc.cur.Refs))})
	return true
}

// insn records what in references, once per method.
func (fc *fileCalls) insn(in *Instruction) {
	switch op := in.Op; {
	case opTable[op].ref == RefMethod && op < OpInvokePolymorphic:
		if in.Index >= uint32(len(fc.mSeen)) || fc.mSeen[in.Index] == fc.gen {
			return
		}
		fc.mSeen[in.Index] = fc.gen
		id, ok := fc.methodID(in.Index)
		if !ok {
			return
		}
		k := op - OpInvokeVirtual
		if op >= OpInvokeVirtualRange {
			k = op - OpInvokeVirtualRange
		}
		kind := [...]int{CallVirtual, CallSuper, CallDirect, CallStatic, CallVirtual}[min(k, 4)]
		fc.ref(kind, id)
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
			fc.ref(kind, id)
		}
	case op >= OpSget && op <= 0x6d: // sget*, sput*
		class, local, inst, ok := fc.field(in.Index)
		if !ok {
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
		fc.ref(kind, class)
	}
}

func (fc *fileCalls) ref(kind int, id uint32) {
	fc.cur.Refs = append(fc.cur.Refs, newCallRef(kind, id))
}

// endMethod closes the current method's reference list.
func (fc *fileCalls) endMethod() {
	if n := len(fc.cur.Methods); n > 0 {
		fc.cur.Methods[n-1].End = uint32(len(fc.cur.Refs))
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
	cl := fc.cur
	cl.Methods = append([]CallMethod(nil), fc.cur.Methods...)
	cl.Refs = append([]CallRef(nil), fc.cur.Refs...)
	cl.Interfaces = append([]uint32(nil), fc.cur.Interfaces...)
	fc.c.addClass(id, &cl)
	fc.cur.Methods, fc.cur.Refs = fc.cur.Methods[:0], fc.cur.Refs[:0]
}
