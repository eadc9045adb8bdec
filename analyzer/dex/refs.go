package dex

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// RefQuery names the references a code scan looks for. The ids are the
// caller's and come back in RefSite.IDs; one item may carry several (a
// string matching an exact value and a prefix).
type RefQuery struct {
	// Methods maps a class descriptor ("Landroid/telephony/TelephonyManager;")
	// to method names to ids. Any prototype matches.
	Methods map[string]map[string][]int32
	// Fields does the same for fields read with iget*/sget*.
	Fields map[string]map[string][]int32
	// Strings maps exact const-string values to ids.
	Strings map[string][]int32
	// StringPrefixes match const-string values that start with Prefix.
	StringPrefixes []StringPrefix
}

// StringPrefix is one prefix of a RefQuery.
type StringPrefix struct {
	Prefix string
	ID     int32
}

// RefSite is one method whose code references at least one queried item.
type RefSite struct {
	// Class is the defining class descriptor, Method the method's name and
	// Proto its descriptor ("(I)Ljava/lang/String;").
	Class  string
	Method string
	Proto  string
	// IDs are the query ids the method's code references, sorted, distinct.
	IDs []int32
	// ClassIdx is the defining class's type index and MethodIdx the
	// method's method_id index. Sites with equal indices share their
	// strings, so a caller deriving text from them (a dotted class name)
	// can compute it once per index instead of once per site.
	ClassIdx  uint32
	MethodIdx uint32
}

// CodeStats counts what a code scan walked.
type CodeStats struct {
	Classes      int   `json:"classes"`
	Methods      int   `json:"methods"`
	CodeItems    int   `json:"code_items"`
	CodeUnits    int64 `json:"code_units"`
	Instructions int64 `json:"instructions"`
	// Failed counts classes or methods whose code could not be decoded;
	// their references are missing from the result.
	Failed int `json:"failed"`
}

// match caches, per id-table entry, whether it matched the query: 0 not yet
// looked at, 1 no match, k+2 the ids in sets[k].
type matchCache struct {
	slot []uint32
	sets [][]int32
}

func (m *matchCache) add(i uint32, ids []int32) {
	if len(ids) == 0 {
		m.slot[i] = 1
		return
	}
	m.sets = append(m.sets, ids)
	m.slot[i] = uint32(len(m.sets) + 1)
}

func (m *matchCache) ids(i uint32) []int32 {
	if s := m.slot[i]; s >= 2 {
		return m.sets[s-2]
	}
	return nil
}

// codeBudget bounds the instructions one scan decodes. Code items could be
// shared by many methods, which a compiler never does at scale; without a
// cap a small file naming one large code item from every method would cost
// time quadratic in its size.
func (f *File) codeBudget() int64 {
	return int64(f.end) + 1<<16
}

// ScanRefs walks the code of every method of every class and reports the
// methods that reference a queried method (invoke-*, including
// invoke-polymorphic), field (iget*, sget*) or string (const-string,
// const-string/jumbo). Query matches are resolved once per id-table entry,
// so the cost per instruction is a table lookup.
//
// A class or method whose code cannot be decoded is skipped and counted in
// CodeStats.Failed; the sites found elsewhere are still returned, with the
// first such error. Sites come in class_def order, then method order.
func (f *File) ScanRefs(q *RefQuery) ([]RefSite, CodeStats, error) {
	return f.ScanRefsContext(context.Background(), q)
}

// ScanRefsContext is ScanRefs that stops when ctx is done, returning the
// sites found so far and ctx's error: a time budget must hold inside one
// large DEX file too.
func (f *File) ScanRefsContext(ctx context.Context, q *RefQuery) ([]RefSite, CodeStats, error) {
	return f.ScanRefsCalls(ctx, q, nil, "")
}

// ScanRefsCalls is ScanRefsContext that also adds, in the same walk over
// the instructions, every class's call summary (its supertypes, methods
// and what each method invokes, instantiates and initialises) to calls,
// naming the file name. A nil calls collects nothing.
func (f *File) ScanRefsCalls(ctx context.Context, q *RefQuery, calls *Calls, name string) ([]RefSite, CodeStats, error) {
	var st CodeStats
	if q == nil {
		return nil, st, nil
	}
	var fc *fileCalls
	if calls != nil {
		fc = newFileCalls(calls, f, name)
		defer fc.release()
	}
	methods, err := f.matchMembers(f.methods, methodIDSize, q.Methods, "method")
	if err != nil {
		return nil, st, err
	}
	fields, err := f.matchMembers(f.fields, fieldIDSize, q.Fields, "field")
	if err != nil {
		return nil, st, err
	}
	strs := matchCache{}
	wantStrings := len(q.Strings) > 0 || len(q.StringPrefixes) > 0
	if wantStrings {
		strs.slot = make([]uint32, f.strings.n)
	}
	var firstErr error
	fail := func(err error) {
		st.Failed++
		if firstErr == nil {
			firstErr = err
		}
	}
	budget := f.codeBudget()
	names := newSiteNames(f)
	var (
		sites   []RefSite
		list    []EncodedMethod
		hits    []int32
		insnBuf []byte
		strBuf  []byte
		dec     Decoder
	)
	for ci := uint32(0); ci < f.classes.n; ci++ {
		// A check every 64 classes costs nothing measurable and bounds
		// the overrun to a few milliseconds.
		if ci%64 == 0 {
			if err := ctx.Err(); err != nil {
				return sites, st, errors.Join(firstErr, err)
			}
		}
		co := f.classes.item(ci, classDefSize)
		dataOff, err := f.readU32(co+24, "class_def class_data_off")
		if err != nil {
			fail(err)
			continue
		}
		st.Classes++
		if list, err = f.appendClassData(list[:0], nil, dataOff); err != nil {
			fail(err)
			continue
		}
		classIdx := uint32(NoIndex)
		if fc != nil {
			fc.startClass(co)
		}
		for _, m := range list {
			st.Methods++
			if m.CodeOff == 0 {
				continue
			}
			code, err := f.code(m.CodeOff, &insnBuf)
			if err != nil {
				fail(err)
				continue
			}
			collect := fc != nil && fc.startMethod(m)
			st.CodeItems++
			if !f.takeCode(&budget, int64(code.InsnsUnits)) {
				return sites, st, errors.Join(firstErr, ferr(uint64(m.CodeOff), "code items decode beyond the budget (shared code items?)", ErrTooLarge))
			}
			st.CodeUnits += int64(code.InsnsUnits)
			hits = hits[:0]
			dec.Reset(code.Insns, code.InsnsOff)
			for dec.Next() {
				st.Instructions++
				in := &dec.cur
				if collect && callOps[in.Op] {
					fc.insn(in)
				}
				switch opTable[in.Op].ref {
				case RefMethod:
					if methods.slot != nil {
						hits = append(hits, methods.idsSafe(in.Index)...)
					}
				case RefField:
					// Only reads: a write to Build.SERIAL reads nothing.
					if fields.slot != nil && (in.Op >= OpIget && in.Op <= OpIgetShort || in.Op >= OpSget && in.Op <= OpSgetShort) {
						hits = append(hits, fields.idsSafe(in.Index)...)
					}
				case RefString:
					if wantStrings && in.Format != FPayload {
						ids, err := f.matchString(&strs, in.Index, q, &strBuf)
						if err != nil {
							fail(err)
							continue
						}
						hits = append(hits, ids...)
					}
				}
			}
			if err := dec.Err(); err != nil {
				fail(err)
			}
			if collect {
				fc.endMethod()
			}
			if len(hits) == 0 {
				continue
			}
			if classIdx == NoIndex {
				if classIdx, err = f.readU32(co, "class_def class_idx"); err != nil {
					fail(err)
					continue
				}
			}
			class, name, proto, err := names.site(classIdx, m.MethodIdx)
			if err != nil {
				if errors.Is(err, ErrTooLarge) {
					// The names no longer fit: every later site would
					// fail the same way.
					return sites, st, errors.Join(firstErr, err)
				}
				fail(err)
				continue
			}
			ids := slices.Clone(hits)
			slices.Sort(ids)
			sites = append(sites, RefSite{Class: class, Method: name, Proto: proto, IDs: slices.Compact(ids), ClassIdx: classIdx, MethodIdx: m.MethodIdx})
		}
		if fc != nil {
			if idx, err := f.readU32(co, "class_def class_idx"); err == nil {
				fc.endClass(idx)
			}
		}
	}
	return sites, st, firstErr
}

// idsSafe is ids for an index taken from an instruction: one beyond the
// table (a method the verifier would reject) matches nothing.
func (m *matchCache) idsSafe(i uint32) []int32 {
	if int(i) >= len(m.slot) {
		return nil
	}
	return m.ids(i)
}

// siteNames decodes the strings of reported sites once per distinct class,
// name and prototype. A crafted file can make thousands of methods share a
// megabyte-long name (or class); decoding it per site multiplied the
// file's size by its method count.
type siteNames struct {
	f     *File
	m     meter
	class map[uint32]string // type index -> descriptor
	name  map[uint32]string // string index -> method name
	proto map[uint32]string // proto index -> "(params)return"
}

func newSiteNames(f *File) *siteNames {
	return &siteNames{f: f, m: f.meter(), class: map[uint32]string{}, name: map[uint32]string{}, proto: map[uint32]string{}}
}

func (n *siteNames) site(classIdx, methodIdx uint32) (class, name, proto string, err error) {
	f := n.f
	class, ok := n.class[classIdx]
	if !ok {
		if class, err = f.TypeDescriptor(classIdx); err != nil {
			return "", "", "", err
		}
		if err = n.charge(class, "class descriptor"); err != nil {
			return "", "", "", err
		}
		n.class[classIdx] = class
	}
	if methodIdx >= f.methods.n {
		return "", "", "", indexErr(f.methods, methodIdx, "method")
	}
	var s [methodIDSize]byte
	b, err := f.bytesAt(f.methods.item(methodIdx, methodIDSize), methodIDSize, s[:], "method_id")
	if err != nil {
		return "", "", "", err
	}
	protoIdx, nameIdx := uint32(le16(b[2:])), le32(b[4:])
	if name, ok = n.name[nameIdx]; !ok {
		if name, err = f.String(nameIdx); err != nil {
			return "", "", "", err
		}
		if err = n.charge(name, "method name"); err != nil {
			return "", "", "", err
		}
		n.name[nameIdx] = name
	}
	if proto, ok = n.proto[protoIdx]; !ok {
		p, err := f.Proto(protoIdx)
		if err != nil {
			return "", "", "", err
		}
		proto = p.String()
		if err = n.charge(proto, "method prototype"); err != nil {
			return "", "", "", err
		}
		n.proto[protoIdx] = proto
	}
	return class, name, proto, nil
}

func (n *siteNames) charge(s, what string) error {
	if !n.m.take(len(s)) {
		return ferr(0, what+"s of the reported call sites expand beyond the output budget", ErrTooLarge)
	}
	return nil
}

// matchMembers resolves which method_ids or field_ids the query names. Type
// descriptors are compared first, so only members of wanted classes have
// their names decoded.
func (f *File) matchMembers(t table, size uint64, want map[string]map[string][]int32, what string) (matchCache, error) {
	var m matchCache
	if len(want) == 0 || t.n == 0 {
		return m, nil
	}
	byType := make(map[uint32]map[string][]int32)
	var buf []byte
	for ti := uint32(0); ti < f.types.n; ti++ {
		so, err := f.typeStringOff(ti)
		if err != nil {
			return m, err
		}
		raw, ascii, err := f.rawString(so, &buf)
		if err != nil {
			return m, err
		}
		// want[string(raw)] does not allocate; the conversion is only
		// needed for the rare non-ASCII descriptor.
		names, ok := want[string(raw)]
		if !ascii {
			names, ok = want[decodeMUTF8(raw, ascii)]
		}
		if ok {
			byType[ti] = names
		}
	}
	m.slot = make([]uint32, t.n)
	if len(byType) == 0 {
		return m, nil
	}
	var s [8]byte
	item := what + "_id"
	for i := uint32(0); i < t.n; i++ {
		b, err := f.bytesAt(t.item(i, size), 8, s[:], item)
		if err != nil {
			return m, err
		}
		names := byType[uint32(le16(b[0:]))]
		if names == nil {
			m.slot[i] = 1
			continue
		}
		so, err := f.stringDataOff(le32(b[4:]))
		if err != nil {
			return m, err
		}
		raw, ascii, err := f.rawString(so, &buf)
		if err != nil {
			return m, err
		}
		ids := names[string(raw)]
		if !ascii {
			ids = names[decodeMUTF8(raw, ascii)]
		}
		m.add(i, ids)
	}
	return m, nil
}

// matchString resolves string idx against the query once and caches it.
func (f *File) matchString(c *matchCache, idx uint32, q *RefQuery, buf *[]byte) ([]int32, error) {
	if idx >= uint32(len(c.slot)) {
		return nil, nil // invalid index: the verifier rejects the method
	}
	if c.slot[idx] != 0 {
		return c.ids(idx), nil
	}
	off, err := f.stringDataOff(idx)
	if err != nil {
		return nil, err
	}
	raw, ascii, err := f.rawString(off, buf)
	if err != nil {
		return nil, err
	}
	// Most strings match nothing, so compare the raw bytes and convert
	// only the rare non-ASCII one.
	var ids []int32
	if !ascii {
		raw = []byte(decodeMUTF8(raw, ascii))
	}
	ids = append(ids, q.Strings[string(raw)]...)
	for _, p := range q.StringPrefixes {
		if len(raw) >= len(p.Prefix) && string(raw[:len(p.Prefix)]) == p.Prefix {
			ids = append(ids, p.ID)
		}
	}
	c.add(idx, ids)
	return ids, nil
}

// String renders a site as "Lpkg/C;->name(I)V [ids]" for tests and
// debugging.
func (s RefSite) String() string {
	return fmt.Sprintf("%s->%s%s %v", s.Class, s.Method, s.Proto, s.IDs)
}
