package inventory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	gen "github.com/sdkaudit/sdkaudit/analyzer/internal/hostile"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// These tests rebuild each reported amplification at full size (a few KB
// to a few MB of zip that took gigabytes) and scan it end to end, asserting
// how far the process's memory rose (gen.Peak). The bounds are generous:
// each case took well over 1 GiB before.

const peakBound = 256 << 20

func plainManifest() []byte { return gen.AXML(gen.Manifest("com.example.app")) }

func scanZip(t *testing.T, z []byte, opts Options) (*Inventory, error, int64) {
	t.Helper()
	var inv *Inventory
	var err error
	rise, how := gen.Peak(func() {
		inv, err = Scan(context.Background(), bytes.NewReader(z), int64(len(z)), "amplify.apk", opts)
	})
	t.Logf("%s rose %d MiB", how, rise>>20)
	return inv, err, rise
}

func deviceIDOptions() Options {
	q := &dex.RefQuery{Methods: map[string]map[string][]int32{"Landroid/telephony/TelephonyManager;": {"getDeviceId": {0}}}}
	return Options{Code: &CodeQuery{Refs: q, Keys: []string{"device-id"}}}
}

// A 2 KB DEX (zipped) whose one 1 MB method name is behind 20,000 call
// sites: 10 GB and a panic before (the name decoded per site, then
// concatenated per site).
func TestAmplifiedCallSiteNames(t *testing.T) {
	d := gen.Dex{
		Strings: []string{"Landroid/telephony/TelephonyManager;", "Lcom/evil/A;", "V", "getDeviceId", strings.Repeat("m", 1<<20)},
		Types:   []uint32{0, 1, 2},
		Protos:  []gen.Proto{{Shorty: 2, Return: 2}},
		Methods: []gen.Member{{Class: 0, Proto: 0, Name: 3}, {Class: 1, Proto: 0, Name: 4}},
		Code:    [][]uint16{gen.Invoke(0)},
	}
	ms := make([]gen.Method, 20_000)
	for i := range ms {
		ms[i] = gen.Method{ID: 1, Code: 0}
	}
	d.Classes = []gen.Class{{Type: 1, Methods: ms}}
	z := gen.Zip(gen.Entry{Name: "AndroidManifest.xml", Data: plainManifest()}, gen.Entry{Name: "classes.dex", Data: d.Build()})
	inv, err, rise := scanZip(t, z, deviceIDOptions())
	if err != nil {
		t.Fatal(err)
	}
	refs := inv.Dex.Files[0].CodeRefs
	if len(refs) != 20_000 || inv.Status != StatusComplete {
		t.Fatalf("%d call sites, status %s %+v", len(refs), inv.Status, inv.Errors)
	}
	for _, r := range refs {
		if unsafe.StringData(r.Method) != unsafe.StringData(refs[0].Method) || r.Refs[0] != "device-id" {
			t.Fatal("call sites do not share their method's text")
		}
	}
	if rise > peakBound {
		t.Errorf("memory rose %d MiB", rise>>20)
	}
}

// Manifests of a few KB zipped that took gigabytes: each is now a one-line
// error naming the budget.
func TestAmplifiedManifests(t *testing.T) {
	mega := strings.Repeat("x", 1<<20)
	rep := func(n int, e *gen.Element) []*gen.Element {
		out := make([]*gen.Element, n)
		for i := range out {
			out[i] = e
		}
		return out
	}
	withRoot := func(m *gen.Element, extra ...*gen.Element) *gen.Element {
		m.Children = append(m.Children, extra...)
		return m
	}
	attrs := make([]gen.Attr, 3000)
	shared := "a b " + mega
	for i := range attrs {
		attrs[i] = gen.Attr{Name: shared, Type: gen.TypeIntDec}
	}
	for _, tc := range []struct {
		name string
		doc  *gen.Element
	}{
		{"1 MB package, 5,000 .A components (4.8 GB)", gen.Manifest("p"+mega, rep(5000, &gen.Element{Name: "activity", Attrs: []gen.Attr{gen.A("name", gen.AttrName, ".A")}})...)},
		{"3,000 attributes sharing a 1 MB name (2.9 GB)", gen.Manifest("com.example.app", &gen.Element{Name: "meta-data", Attrs: attrs})},
		{"2,000 permissions sharing a 1 MB name (1.9 GB of JSON)", withRoot(gen.Manifest("com.example.app"), rep(2000, &gen.Element{Name: "uses-permission", Attrs: []gen.Attr{gen.A("name", gen.AttrName, mega)}})...)},
		{"authorities of 1,000,000 ';' in 100 providers", gen.Manifest("com.example.app", rep(100, &gen.Element{Name: "provider", Attrs: []gen.Attr{gen.A("authorities", gen.AttrAuthorities, strings.Repeat(";", 1_000_000))}})...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := gen.Zip(gen.Entry{Name: "AndroidManifest.xml", Data: gen.AXML(tc.doc)})
			t.Logf("%d-byte zip", len(z))
			_, err, rise := scanZip(t, z, Options{})
			var ie *Error
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), "text budget exceeded") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err %v", err)
			}
			if rise > peakBound {
				t.Errorf("memory rose %d MiB", rise>>20)
			}
		})
	}
}

// 2,000 icon attributes into a reference cycle of resources.arsc: each was
// followed up to 1,024 steps over 256 configurations inside apkparser,
// uninterruptibly (about 400 s).
func TestAmplifiedIconCycle(t *testing.T) {
	icons := make([]gen.Attr, 2000)
	for i := range icons {
		icons[i] = gen.Attr{Name: "icon", ResID: gen.AttrIcon, Android: true, Type: gen.TypeReference, Data: 0x7f010000}
	}
	m := gen.Manifest("com.example.app")
	m.Children[1].Attrs = icons
	z := gen.Zip(gen.Entry{Name: "AndroidManifest.xml", Data: gen.AXML(m)}, gen.Entry{Name: "resources.arsc", Data: gen.RefCycle(256)})
	start := time.Now()
	inv, err, rise := scanZip(t, z, Options{})
	if err != nil || inv.Package != "com.example.app" {
		t.Fatal(err)
	}
	if d := time.Since(start); d > testenv.Hang(60*time.Second) {
		t.Errorf("took %v", d) // hang guard; it takes milliseconds
	}
	if rise > peakBound {
		t.Errorf("memory rose %d MiB", rise>>20)
	}
}

// 16 DEX files of 1,000,000 class_defs naming one type: every class list
// held to the end, a descriptor and a slice entry per class_def (1.3 GB
// here; the reported 2,000,000 took 7 GB). Each file now lists its class
// once, is flagged, and is released after reading.
func TestAmplifiedClassDefs(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates 512 MB")
	}
	d := gen.Dex{Strings: []string{"Lcom/umeng/analytics/MobclickAgentPaddingPadding;"}, Types: []uint32{0}, Classes: []gen.Class{{Type: 0}}, RepeatClasses: 1_000_000, NoisyFlags: true}
	entries := []gen.Entry{{Name: "AndroidManifest.xml", Data: plainManifest()}}
	one := gen.Deflated("classes.dex", d.Build())
	for i := 1; i <= 16; i++ {
		name := "classes.dex"
		if i > 1 {
			name = fmt.Sprintf("classes%d.dex", i)
		}
		entries = append(entries, one.Renamed(name))
	}
	path := filepath.Join(t.TempDir(), "classdefs.apk")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.WriteZip(f, entries...); err != nil {
		t.Fatal(err)
	}
	f.Close()
	one, entries = gen.Entry{}, nil
	var inv *Inventory
	rise, how := gen.Peak(func() { inv, err = ScanFile(context.Background(), path, Options{}) })
	t.Logf("%s rose %d MiB", how, rise>>20)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Dex.Files) != 16 || inv.Dex.ClassesTotal != 16_000_000 || inv.Dex.ClassesDistinct != 1 {
		t.Fatalf("%d files, %d class_defs, %d distinct", len(inv.Dex.Files), inv.Dex.ClassesTotal, inv.Dex.ClassesDistinct)
	}
	for _, df := range inv.Dex.Files {
		if len(df.ClassList) != 1 || !strings.Contains(df.Error, "already defines") {
			t.Fatalf("%s: %d listed, error %q", df.Name, len(df.ClassList), df.Error)
		}
	}
	if inv.Status != StatusIncomplete {
		t.Errorf("status %s", inv.Status)
	}
	if rise > 512<<20 {
		t.Errorf("memory rose %d MiB", rise>>20)
	}
}

// Evasion: classes.dex in the DEX container format (v041) was read as its
// first part, so an SDK in the second vanished. Every part is read now,
// with its own error.
func TestDexContainerEveryPart(t *testing.T) {
	part := func(base uint32, classes ...string) []byte {
		d := gen.Dex{Version: 41}
		for i, c := range classes {
			d.Strings = append(d.Strings, c)
			d.Types = append(d.Types, uint32(i))
			d.Classes = append(d.Classes, gen.Class{Type: uint32(i)})
		}
		return d.BuildAt(base)
	}
	a := part(0, "Lcom/example/app/Main;")
	b := part(uint32(len(a)), "Lcom/igexin/sdk/PushManager;", "Lcom/igexin/sdk/PushService;")
	c := part(uint32(len(a)+len(b)), "Lcom/umeng/analytics/MobclickAgent;")
	container := gen.Container(a, b, c)
	inv := scanBytes(t, gen.Zip(gen.Entry{Name: "AndroidManifest.xml", Data: plainManifest()}, gen.Entry{Name: "classes.dex", Data: container}))
	var names []string
	for _, df := range inv.Dex.Files {
		names = append(names, fmt.Sprintf("%s:%d:%d", df.Name, df.Classes, df.Version))
	}
	if got := strings.Join(names, " "); got != "classes.dex:1:41 classes.dex (part 2):2:41 classes.dex (part 3):1:41" {
		t.Fatalf("files %s", got)
	}
	if inv.Dex.ClassesTotal != 4 || inv.Status != StatusComplete || !strings.Contains(strings.Join(classSet(inv), " "), "Lcom/igexin/sdk/PushManager;") {
		t.Fatalf("classes %q, status %s", classSet(inv), inv.Status)
	}

	// A broken third part: the first two are kept, the third named with
	// its error.
	broken := bytes.Clone(container)
	copy(broken[len(a)+len(b):], "dex\n039\x00")
	inv = scanBytes(t, gen.Zip(gen.Entry{Name: "AndroidManifest.xml", Data: plainManifest()}, gen.Entry{Name: "classes.dex", Data: broken}))
	if len(inv.Dex.Files) != 3 || inv.Dex.ClassesTotal != 3 || inv.Dex.Files[2].Error == "" || len(inv.Errors) != 1 || inv.Errors[0].Path != "classes.dex (part 3)" {
		t.Fatalf("broken part: %+v, errors %+v", inv.Dex.Files, inv.Errors)
	}
}

// padDex is a DEX of about size bytes, mostly unreferenced padding.
func padDex(size int) []byte {
	return gen.Dex{Strings: []string{"LA;"}, Types: []uint32{0}, Classes: []gen.Class{{Type: 0}}, Pad: size}.Build()
}

// writeApps writes n apps of two DEX files each to dir.
func writeApps(t *testing.T, dir string, n int, dexFile gen.Entry) []string {
	t.Helper()
	var paths []string
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("app%d.apk", i))
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := gen.WriteZip(f, gen.Entry{Name: "AndroidManifest.xml", Data: plainManifest()}, dexFile.Renamed("classes.dex"), dexFile.Renamed("classes2.dex")); err != nil {
			t.Fatal(err)
		}
		f.Close()
		paths = append(paths, p)
	}
	return paths
}

// scanAll scans the apps at once, as --jobs does, each with two DEX
// workers, sharing mem.
func scanConcurrently(t *testing.T, paths []string, mem *Memory) ([]*Inventory, int64) {
	t.Helper()
	invs := make([]*Inventory, len(paths))
	errs := make([]error, len(paths))
	rise, how := gen.Peak(func() {
		var wg sync.WaitGroup
		for i, p := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				invs[i], errs[i] = ScanFile(context.Background(), p, Options{Workers: 2, Memory: mem})
			}()
		}
		wg.Wait()
	})
	t.Logf("%s rose %d MiB (budget peak %d MiB)", how, rise>>20, mem.Peak()>>20)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return invs, rise
}

// Two apps of two DEX files each, scanned at once, held all four files
// (two apps of two 1 GiB files: 3.7 GB). The process's memory budget
// serialises them; here at 60 MB a file with a budget fitting one.
func TestMemoryBudgetAcrossApps(t *testing.T) {
	const size = 60 << 20
	paths := writeApps(t, t.TempDir(), 2, gen.Deflated("classes.dex", padDex(size)))
	mem := NewMemory(dexWeight(size + 1<<20))
	invs, rise := scanConcurrently(t, paths, mem)
	for _, inv := range invs {
		if inv.Status != StatusComplete || len(inv.Dex.Files) != 2 {
			t.Fatalf("status %s, %d files, %+v", inv.Status, len(inv.Dex.Files), inv.Errors)
		}
	}
	if mem.Peak() > dexWeight(size+1<<20) {
		t.Errorf("budget peak %d", mem.Peak())
	}
	// All four at once would be 240 MB.
	if rise > 160<<20 {
		t.Errorf("memory rose %d MiB", rise>>20)
	}
}

// The reported shape itself: DEX entries declaring 1 GiB are refused
// before anything is inflated (a DEX may have 256 MiB), and files just
// under the limit, four at once, stay within the default budget.
func TestMemoryBudgetLargeDex(t *testing.T) {
	// An entry that declares 1 GiB (its data is small: the declaration is
	// what the reader must not act on).
	huge := gen.Deflated("classes.dex", padDex(1<<20))
	huge = gen.WithDeclaredSize(huge, 1<<30)
	paths := writeApps(t, t.TempDir(), 2, huge)
	invs, rise := scanConcurrently(t, paths, NewMemory(DefaultMemory))
	for _, inv := range invs {
		if inv.Status != StatusIncomplete || !hasProblem(inv, "dex", "more than the 268435456") {
			t.Fatalf("status %s, errors %+v", inv.Status, inv.Errors)
		}
	}
	if rise > 64<<20 {
		t.Errorf("memory rose %d MiB refusing them", rise>>20)
	}

	if testing.Short() {
		t.Skip("inflates 1 GB")
	}
	const size = 250 << 20
	paths = writeApps(t, t.TempDir(), 2, gen.Deflated("classes.dex", padDex(size)))
	invs, rise = scanConcurrently(t, paths, NewMemory(DefaultMemory))
	for _, inv := range invs {
		if inv.Status != StatusComplete {
			t.Fatalf("status %s, errors %+v", inv.Status, inv.Errors)
		}
	}
	// Four 250 MB files at once would be a gigabyte.
	if rise > 640<<20 {
		t.Errorf("memory rose %d MiB", rise>>20)
	}
}
