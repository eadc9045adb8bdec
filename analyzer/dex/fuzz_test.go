package dex

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

func measureAlloc(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// seedFiles are the generated inputs the fuzzer starts from (also written to
// testdata/fuzz/FuzzParse by TestWriteFuzzSeeds).
func seedFiles() map[string][]byte {
	seeds := map[string][]byte{
		"empty-v035":  dexSpec{}.build().b,
		"sample-v035": sampleSpec(35).build().b,
		"sample-v039": sampleSpec(39).build().b,
		"sample-v041": sampleSpec(41).build().b,
		"mutf8-v038": dexSpec{Version: 38,
			RawStrings: [][]byte{{0xc0, 0x80}, {0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80}, {0xed, 0xa0, 0xbd}, {0xff, 0x80}},
			Classes:    []wClass{{Desc: "Lé/😀;"}},
		}.build().b,
	}
	a := dexSpec{Version: 41, Classes: []wClass{{Desc: "La/A;"}}}.build()
	b := dexSpec{Version: 41, Classes: []wClass{{Desc: "Lb/B;"}}}.buildAt(uint32(len(a.b)))
	c := append(slices.Clone(a.b), b.b...)
	for _, base := range []int{0, len(a.b)} {
		putU32(c[base+0x70:], uint32(len(c)))
		fixSums(c[base:])
	}
	seeds["container-v041"] = c
	// Containers as current build tools write them, and the shapes a
	// reader of them must survive: three parts, one broken after the
	// first, and header-only parts sharing the first part's data.
	three := containerOf([]string{"La/Main;"}, []string{"Lcom/igexin/sdk/PushManager;", "Lb/B;"}, []string{"Lc/C;"})
	seeds["container-v041-three-parts"] = three
	broken := slices.Clone(three)
	files, _ := ParseAll(three, Limits{})
	putU32(broken[files[2].Header().HeaderOffset+0x74:], 0)
	seeds["container-v041-broken-third-part"] = broken
	seeds["container-v041-shared-data"] = sharedContainer(6, 3, 8)
	return seeds
}

func putU32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

// TestWriteFuzzSeeds regenerates the committed seed corpus when asked to:
// DEX_WRITE_SEEDS=1 go test -run TestWriteFuzzSeeds ./analyzer/dex/
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("DEX_WRITE_SEEDS") == "" {
		t.Skip("set DEX_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzParse seeds")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzParse")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range seedFiles() {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(dir, "seed-"+name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzParse parses arbitrary bytes and calls every accessor. Beyond "no
// panic", it checks that errors are *FormatError, that memory stays
// bounded, and that Parse and Open agree on the class list.
func FuzzParse(f *testing.F) {
	for _, b := range seedFiles() {
		f.Add(b)
	}
	for _, h := range hostileInputs() {
		if h.lim == (Limits{}) {
			f.Add(h.b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var errs []error
		alloc := measureAlloc(func() { errs = exercise(b, Limits{}) })
		// Outputs may legitimately be a few times the input; the budget
		// allows 4x plus 64 KB per call, and exercise makes many calls.
		if limit := uint64(64*len(b)) + 16<<20; alloc > limit {
			t.Fatalf("allocated %d bytes for %d input bytes", alloc, len(b))
		}
		for _, err := range errs {
			for _, e := range flatten(err) {
				if !isFormatError(e) {
					t.Fatalf("not a *FormatError: %#v", e)
				}
			}
		}
		p, perr := Parse(b, Limits{})
		o, oerr := Open(bytes.NewReader(b), int64(len(b)), Limits{})
		if (perr == nil) != (oerr == nil) {
			t.Fatalf("Parse: %v; Open: %v", perr, oerr)
		}
		if perr != nil {
			return
		}
		pd, perr := p.ClassDescriptors()
		od, oerr := o.ClassDescriptors()
		if (perr == nil) != (oerr == nil) || !slices.Equal(pd, od) {
			t.Fatalf("ClassDescriptors differ: Parse %q, %v; Open %q, %v", pd, perr, od, oerr)
		}
		if (p.Validate() == nil) != (o.Validate() == nil) {
			t.Fatalf("Validate differs")
		}
	})
}
