package dex

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"
	"unsafe"

	gen "github.com/sdkaudit/sdkaudit/analyzer/internal/hostile"
)

// longNameDex is a file whose one method, named by a string of nameLen
// bytes, is defined sites times (method index deltas of 0), every copy
// calling TelephonyManager.getDeviceId: one long string behind thousands of
// reported call sites.
func longNameDex(nameLen, sites int) []byte {
	d := gen.Dex{
		Strings: []string{"Landroid/telephony/TelephonyManager;", "Lcom/evil/A;", "V", "getDeviceId", strings.Repeat("n", nameLen)},
		Types:   []uint32{0, 1, 2},
		Protos:  []gen.Proto{{Shorty: 2, Return: 2}},
		Methods: []gen.Member{{Class: 0, Proto: 0, Name: 3}, {Class: 1, Proto: 0, Name: 4}},
		Code:    [][]uint16{gen.Invoke(0)},
	}
	ms := make([]gen.Method, sites)
	for i := range ms {
		ms[i] = gen.Method{ID: 1, Code: 0}
	}
	d.Classes = []gen.Class{{Type: 1, Methods: ms}}
	return d.Build()
}

var deviceIDQuery = &RefQuery{Methods: map[string]map[string][]int32{"Landroid/telephony/TelephonyManager;": {"getDeviceId": {7}}}}

type countingBudget struct{ left, taken int64 }

func (b *countingBudget) Take(n int64) bool {
	if n > b.left {
		return false
	}
	b.left -= n
	b.taken += n
	return true
}

// Reported failure: a 2 KB DEX whose one 1 MB method name is referenced by
// 20,000 call sites took 10 GB and panicked, the name decoded once per
// site. Now every site shares one decoded copy.
func TestScanRefsDecodesEachNameOnce(t *testing.T) {
	const nameLen, sites = 1 << 20, 2000
	b := longNameDex(nameLen, sites)
	f, err := Parse(b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []RefSite
	alloc := measureAlloc(func() {
		got, _, err = f.ScanRefs(deviceIDQuery)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != sites {
		t.Fatalf("%d sites, want %d", len(got), sites)
	}
	first := unsafe.StringData(got[0].Method)
	for _, s := range got {
		if unsafe.StringData(s.Method) != first || s.MethodIdx != 1 || s.ClassIdx != 1 || !slices.Equal(s.IDs, []int32{7}) {
			t.Fatalf("site not shared: %+v", s.MethodIdx)
		}
	}
	// One copy of the name, not one per site (which was 2 GB here).
	if limit := uint64(8 * nameLen); alloc > limit {
		t.Errorf("ScanRefs allocated %d bytes; one decoded name is %d", alloc, nameLen)
	}
}

// The names a scan materialises are charged to Limits.Names, shared by an
// app's files: past it the scan stops with ErrTooLarge instead of growing.
func TestScanRefsChargesNamesBudget(t *testing.T) {
	b := longNameDex(64<<10, 10)
	small := &countingBudget{left: 32 << 10}
	f, err := Parse(b, Limits{Names: small})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.ScanRefs(deviceIDQuery); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("names past the budget: %v", err)
	}
	enough := &countingBudget{left: 1 << 20}
	f, _ = Parse(b, Limits{Names: enough})
	sites, _, err := f.ScanRefs(deviceIDQuery)
	if err != nil || len(sites) != 10 {
		t.Fatalf("%d sites, %v", len(sites), err)
	}
	if enough.taken < 64<<10 || enough.taken > 80<<10 {
		t.Errorf("charged %d bytes for one 64 KiB name", enough.taken)
	}
}

// Reported failure (per file): 2,000,000 class_defs naming one type made a
// 64 MB file hold a descriptor slice and copy per class_def. ClassList
// lists each class once and counts the repeats.
func TestClassListListsEachClassOnce(t *testing.T) {
	const n = 200_000
	d := gen.Dex{Strings: []string{"Lcom/umeng/analytics/MobclickAgent;", "La/B;"}, Types: []uint32{0, 1},
		Classes: []gen.Class{{Type: 0}, {Type: 1}}, RepeatClasses: n / 2}
	b := d.Build()
	for _, mode := range []struct {
		name  string
		open  func() (*File, error)
		limit uint64
	}{
		{"Parse", func() (*File, error) { return Parse(b, Limits{}) }, 64 << 10},
		// Open's page cache is 128 KiB.
		{"Open", func() (*File, error) { return Open(bytes.NewReader(b), int64(len(b)), Limits{}) }, 256 << 10},
	} {
		name := mode.name
		f, err := mode.open()
		if err != nil {
			t.Fatal(err)
		}
		var classes []string
		var dups int
		alloc := measureAlloc(func() { classes, dups, err = f.ClassList() })
		if err != nil || !slices.Equal(classes, []string{"Lcom/umeng/analytics/MobclickAgent;", "La/B;"}) || dups != n-2 {
			t.Fatalf("%s: %q, %d repeats, %v", name, classes, dups, err)
		}
		// A bit per string for the seen set; nothing per class_def.
		if alloc > mode.limit {
			t.Errorf("%s: ClassList allocated %d bytes for %d class_defs naming 2 classes", name, alloc, n)
		}
	}
}

// The names budget is charged for class lists too (16 bytes of slice per
// class on top of the descriptor).
func TestClassListChargesNamesBudget(t *testing.T) {
	d := gen.Dex{Strings: []string{"La;", "Lb;", "Lc;"}, Types: []uint32{0, 1, 2}, Classes: []gen.Class{{Type: 0}, {Type: 1}, {Type: 2}}}
	bud := &countingBudget{left: 1 << 20}
	f, err := Parse(d.Build(), Limits{Names: bud})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.ClassList(); err != nil || bud.taken != 3*(3+16) {
		t.Fatalf("charged %d, %v", bud.taken, err)
	}
	f, _ = Parse(d.Build(), Limits{Names: &countingBudget{left: 40}})
	if _, _, err := f.ClassList(); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("past the budget: %v", err)
	}
}

// containerOf builds a v041 container of one part per class list.
func containerOf(classLists ...[]string) []byte {
	var parts [][]byte
	base := uint32(0)
	for _, list := range classLists {
		d := gen.Dex{Version: 41}
		for i, c := range list {
			d.Strings = append(d.Strings, c)
			d.Types = append(d.Types, uint32(i))
			d.Classes = append(d.Classes, gen.Class{Type: uint32(i)})
		}
		p := d.BuildAt(base)
		parts = append(parts, p)
		base += uint32(len(p))
	}
	return gen.Container(parts...)
}

// Evasion: a classes.dex in the container format was read as its first
// part, so an SDK in a later part vanished. ParseAll walks every part by
// file_size, as libdexfile does, and a broken part ends the walk with the
// parts before it kept.
func TestContainerEveryPart(t *testing.T) {
	c := containerOf([]string{"Lcom/example/Main;"}, []string{"Lcom/igexin/sdk/PushManager;", "Lcom/igexin/sdk/PushService;"}, []string{"Lcom/umeng/A;"})
	files, err := ParseAll(c, Limits{})
	if err != nil || len(files) != 3 {
		t.Fatalf("%d parts, %v", len(files), err)
	}
	var all []string
	for _, f := range files {
		cl, _, err := f.ClassList()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cl...)
	}
	if want := []string{"Lcom/example/Main;", "Lcom/igexin/sdk/PushManager;", "Lcom/igexin/sdk/PushService;", "Lcom/umeng/A;"}; !slices.Equal(all, want) {
		t.Fatalf("classes %q", all)
	}

	second := int(files[1].Header().HeaderOffset)
	third := int(files[2].Header().HeaderOffset)
	for _, tc := range []struct {
		name  string
		edit  func(b []byte)
		parts int
		err   error
	}{
		{"later header_offset wrong", func(b []byte) { binary.LittleEndian.PutUint32(b[third+0x74:], 0) }, 2, ErrInvalid},
		{"later part of an older version", func(b []byte) { copy(b[third:], "dex\n039\x00") }, 2, ErrInvalid},
		{"later container_size differs", func(b []byte) {
			binary.LittleEndian.PutUint32(b[second+0x70:], uint32(len(b)-4))
		}, 1, ErrInvalid},
		{"v041 header_size 0x70", func(b []byte) { binary.LittleEndian.PutUint32(b[second+0x24:], 0x70) }, 1, ErrInvalid},
		{"later magic garbage", func(b []byte) { copy(b[second:], "zzzz") }, 1, ErrNotDex},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := slices.Clone(c)
			tc.edit(b)
			files, err := ParseAll(b, Limits{})
			if !errors.Is(err, tc.err) || len(files) != tc.parts {
				t.Fatalf("%d parts, %v; want %d parts and %v", len(files), err, tc.parts, tc.err)
			}
		})
	}
	// container_size not past header_offset: the first header is refused.
	b := slices.Clone(c)
	binary.LittleEndian.PutUint32(b[0x70:], 0)
	if _, err := Parse(b, Limits{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("container_size 0: %v", err)
	}
}

// sharedContainer is one real v041 part (code of units code units behind
// every one of its methods) followed by n header-only parts whose tables
// all point into the first part's: legal offsets, since a container's
// parts may share data, but n times the work and output of one file.
func sharedContainer(n, methods, units int) []byte {
	insns := make([]uint16, units)
	insns[units-1] = 0x000e
	d := gen.Dex{Version: 41,
		Strings: []string{"Lcom/evil/A;", "V", "m"},
		Types:   []uint32{0, 1},
		Protos:  []gen.Proto{{Shorty: 1, Return: 1}},
		Methods: []gen.Member{{Class: 0, Proto: 0, Name: 2}},
		Code:    [][]uint16{insns},
	}
	ms := make([]gen.Method, methods)
	for i := range ms {
		ms[i] = gen.Method{ID: 0, Code: 0}
	}
	d.Classes = []gen.Class{{Type: 0, Methods: ms}}
	first := d.Build()
	c := slices.Clone(first)
	for i := 0; i < n; i++ {
		h := slices.Clone(first[:0x78])
		binary.LittleEndian.PutUint32(h[0x20:], 0x78)           // file_size
		binary.LittleEndian.PutUint32(h[0x74:], uint32(len(c))) // header_offset
		c = append(c, h...)
	}
	for base := 0; base < len(c); {
		binary.LittleEndian.PutUint32(c[base+0x70:], uint32(len(c)))
		base += int(binary.LittleEndian.Uint32(c[base+0x20:]))
	}
	return c
}

// The parts of a container draw from one decode budget and one output
// budget: a thousand headers over one data section cannot make a scan
// decode its code a thousand times.
func TestContainerPartsShareBudgets(t *testing.T) {
	const parts = 1000
	c := sharedContainer(parts, 64, 2000)
	files, err := ParseAll(c, Limits{})
	if err != nil || len(files) != parts+1 {
		t.Fatalf("%d parts, %v", len(files), err)
	}
	var units int64
	var tooLarge int
	for _, f := range files {
		_, st, err := f.ScanRefs(deviceIDQuery)
		units += st.CodeUnits
		if errors.Is(err, ErrTooLarge) {
			tooLarge++
		}
	}
	if limit := int64(len(c)) + 1<<16; units > limit {
		t.Errorf("decoded %d code units over the parts of a %d-byte container (budget %d)", units, len(c), limit)
	}
	if tooLarge < parts/2 {
		t.Errorf("only %d of %d parts stopped at the shared budget", tooLarge, parts+1)
	}
}
