package manifest

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	gen "github.com/sdkaudit/sdkaudit/analyzer/internal/hostile"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

func measureAlloc(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// parseAlloc parses doc and reports the bytes allocated doing so.
func parseAlloc(t *testing.T, doc []byte, res *Resources, lim Limits) (*Manifest, error, uint64) {
	t.Helper()
	var m *Manifest
	var err error
	alloc := measureAlloc(func() { m, err = Parse(doc, res, lim) })
	return m, err, alloc
}

func app(children ...*gen.Element) []byte {
	return gen.AXML(gen.Manifest("com.example.app", children...))
}

// Each reported manifest amplification is refused with ErrTooMuchText,
// having allocated a small multiple of the document instead of gigabytes.
func TestTextBudget(t *testing.T) {
	mega := strings.Repeat("x", 1<<20)
	semicolons := strings.Repeat(";", 1_000_000)
	many := func(n int, e func() *gen.Element) []*gen.Element {
		out := make([]*gen.Element, n)
		for i := range out {
			out[i] = e()
		}
		return out
	}
	for _, tc := range []struct {
		name string
		doc  []byte
	}{
		// 4 KB zipped, 4.8 GB before: ".A" expanded to package + name.
		{"1 MB package and 5,000 .A components", gen.AXML(gen.Manifest("p"+mega, many(5000, func() *gen.Element {
			return &gen.Element{Name: "activity", Attrs: []gen.Attr{gen.A("name", gen.AttrName, ".A")}}
		})...))},
		// 1.9 GB of JSON before.
		{"2,000 permissions sharing a 1 MB name", func() []byte {
			m := gen.Manifest("com.example.app")
			perm := gen.A("name", gen.AttrName, "android.permission."+mega)
			m.Children = append(m.Children, many(2000, func() *gen.Element {
				return &gen.Element{Name: "uses-permission", Attrs: []gen.Attr{perm}}
			})...)
			return gen.AXML(m)
		}()},
		// A million-entry slice per provider before.
		{"providers sharing authorities of 1,000,000 ';'", app(many(64, func() *gen.Element {
			return &gen.Element{Name: "provider", Attrs: []gen.Attr{gen.A("name", gen.AttrName, ".P"), gen.A("authorities", gen.AttrAuthorities, semicolons)}}
		})...)},
		{"meta-data owned by a 1 MB component 5,000 times", app(&gen.Element{Name: "service",
			Attrs: []gen.Attr{gen.A("name", gen.AttrName, "a."+mega)},
			Children: many(5000, func() *gen.Element {
				return &gen.Element{Name: "meta-data", Attrs: []gen.Attr{gen.A("name", gen.AttrName, "k")}}
			})})},
		{"permissions inside <application> noted 2,000 times", app(many(2000, func() *gen.Element {
			return &gen.Element{Name: "uses-permission", Attrs: []gen.Attr{gen.A("name", gen.AttrName, mega)}}
		})...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err, alloc := parseAlloc(t, tc.doc, nil, Limits{})
			if !errors.Is(err, ErrTooMuchText) {
				t.Fatalf("err %v, want ErrTooMuchText", err)
			}
			if limit := uint64(16*len(tc.doc)) + 64<<20; alloc > limit {
				t.Errorf("allocated %d bytes for a %d-byte document", alloc, len(tc.doc))
			}
		})
	}
}

// Reported failure: 3,000 attributes sharing one 1 MB name took 2.9 GB
// inside apkparser, which copies a name it rewrites once per attribute,
// before any callback could stop it; even unrewritten, its name filter
// walked every name once per attribute (15 s here). A walk over the chunks
// counts both first, and the document is refused.
func TestAttributeNameCostCountedFirst(t *testing.T) {
	doc := func(name string) []byte {
		attrs := make([]gen.Attr, 3000)
		for i := range attrs {
			attrs[i] = gen.Attr{Name: name, Type: gen.TypeIntDec, Data: 1}
		}
		return app(&gen.Element{Name: "meta-data", Attrs: attrs})
	}
	big := doc("a name with spaces " + strings.Repeat("x", 1<<20))
	start := time.Now()
	_, err, alloc := parseAlloc(t, big, nil, Limits{})
	if !errors.Is(err, ErrTooMuchText) || !strings.Contains(err.Error(), "walk") {
		t.Fatalf("1 MB names: %v", err)
	}
	if alloc > 64<<20 || time.Since(start) > testenv.Hang(30*time.Second) {
		t.Errorf("allocated %d bytes in %v", alloc, time.Since(start))
	}
	// 48 MB of copies fit the walk limit but not the text budget.
	if _, err := Parse(doc("a name "+strings.Repeat("x", 16<<10)), nil, Limits{}); !errors.Is(err, ErrTooMuchText) || !strings.Contains(err.Error(), "copy") {
		t.Errorf("16 KiB rewritten names: %v", err)
	}
	// The same names with nothing to rewrite are shared, not copied.
	if _, err := Parse(doc(strings.Repeat("x", 16<<10)), nil, Limits{}); err != nil {
		t.Errorf("16 KiB shared names: %v", err)
	}
	few := []gen.Attr{{Name: "tools:ignore", Type: gen.TypeIntDec}, {Name: "a-b.c", Type: gen.TypeIntDec}}
	if _, err := Parse(app(&gen.Element{Name: "meta-data", Attrs: few}), nil, Limits{}); err != nil {
		t.Errorf("ordinary rewritten names: %v", err)
	}
}

// One budget shared by several documents (an app's parts) bounds their
// total.
func TestTextBudgetShared(t *testing.T) {
	doc := app(&gen.Element{Name: "meta-data", Attrs: []gen.Attr{gen.A("name", gen.AttrName, strings.Repeat("k", 600<<10))}})
	shared := &localBudget{left: 1 << 20}
	if _, err := Parse(doc, nil, Limits{Text: shared}); err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(doc, nil, Limits{Text: shared}); !errors.Is(err, ErrTooMuchText) {
		t.Fatalf("second document: %v", err)
	}
}

// Reported failure: 2,000 icon attributes referring to a reference cycle
// in resources.arsc were each followed up to 1,024 steps over 256
// configurations inside apkparser, uninterruptibly (minutes). References
// are now resolved outside the decoder, one lookup each, only for the
// attributes the Manifest reads; icons are not among them.
func TestReferenceCycleNotFollowed(t *testing.T) {
	res, err := ParseResources(gen.RefCycle(256), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	icons := make([]gen.Attr, 2000)
	for i := range icons {
		icons[i] = gen.Attr{Name: "icon", ResID: gen.AttrIcon, Android: true, Type: gen.TypeReference, Data: 0x7f010000}
	}
	m := gen.Manifest("com.example.app", &gen.Element{Name: "meta-data", Attrs: []gen.Attr{
		gen.A("name", gen.AttrName, "cycle"),
		{Name: "value", ResID: gen.AttrValue, Android: true, Type: gen.TypeReference, Data: 0x7f010000},
	}})
	m.Children[1].Attrs = icons
	start := time.Now()
	got, err := Parse(gen.AXML(m), res, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > testenv.Hang(30*time.Second) {
		t.Fatalf("took %v", d) // a hang guard: it takes milliseconds
	}
	// One step, as apkparser resolves ordinary attributes: the entry is a
	// reference to itself.
	if v := got.MetaData[0].Value; v == nil || *v != (Value{Value: "@0x7f010000", Reference: "@0x7f010000"}) {
		t.Errorf("meta-data value %+v", v)
	}
}

// Resolution follows the attribute's type, not its text: a string that
// looks like a reference stays a string. And it is bounded: past
// MaxReferences distinct references the rest stay raw, with a note.
func TestReferencesResolvedByType(t *testing.T) {
	res, err := ParseResources(gen.ResTable([]gen.ResValue{{Type: gen.TypeString, Str: "huawei"}, {Type: gen.TypeString, Str: "xiaomi"}}, 2), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	md := func(name string, a gen.Attr) *gen.Element {
		a.Name, a.ResID, a.Android = "value", gen.AttrValue, true
		return &gen.Element{Name: "meta-data", Attrs: []gen.Attr{gen.A("name", gen.AttrName, name), a}}
	}
	doc := app(
		md("ref", gen.Attr{Type: gen.TypeReference, Data: 0x7f010000}),
		md("text", gen.Attr{Type: gen.TypeString, Str: "@7f010000"}),
		md("second", gen.Attr{Type: gen.TypeReference, Data: 0x7f010001}),
	)
	m, err := Parse(doc, res, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Value{{Value: "huawei", Reference: "@0x7f010000"}, {Value: "@0x7f010000", Reference: "@0x7f010000"}, {Value: "xiaomi", Reference: "@0x7f010001"}}
	for i, w := range want {
		if got := m.MetaData[i].Value; got == nil || *got != w {
			t.Errorf("meta-data %d: %+v, want %+v", i, got, w)
		}
	}
	m, err = Parse(doc, res, Limits{MaxReferences: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := *m.MetaData[2].Value; got.Value != "@0x7f010001" || len(m.Notes) != 1 || !strings.Contains(m.Notes[0], "left unresolved") {
		t.Errorf("past the cap: %+v, notes %q", got, m.Notes)
	}
}

// The same budget covers App Bundle manifests, which build the same
// Manifest: providers sharing long authority lists in a protobuf manifest.
func TestProtoTextBudget(t *testing.T) {
	auth := strings.Repeat(";", 1_000_000)
	var parts [][]byte
	parts = append(parts, pbAttr("package", 0, "org.example", nil))
	var app [][]byte
	for range 16 {
		app = append(app, pbChild(pbElem("provider", pbAttr("name", 0x01010003, ".P", nil), pbAttr("authorities", gen.AttrAuthorities, auth, nil))))
	}
	parts = append(parts, pbChild(pbElem("application", app...)))
	doc := pbElem("manifest", parts...)
	var err error
	alloc := measureAlloc(func() { _, err = ParseProto(doc, Limits{}) })
	if !errors.Is(err, ErrTooMuchText) {
		t.Fatalf("err %v", err)
	}
	if limit := uint64(4*len(doc)) + 64<<20; alloc > limit {
		t.Errorf("allocated %d bytes for a %d-byte document", alloc, len(doc))
	}
}
