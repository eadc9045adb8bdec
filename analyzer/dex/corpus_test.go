package dex

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// corpusDir is ../shared/corpus seen from the repository root (the corpus
// lies beside the clone); tests skip cleanly without it.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	return filepath.Dir(testenv.Shared(tb, "corpus", "expected"))
}

// rootDex matches the dex files Android loads from an APK's root.
var rootDex = regexp.MustCompile(`^classes[0-9]*\.dex$`)

// dexAnswer is the part of expected/*.json this package is checked against.
type dexAnswer struct {
	Expected struct {
		ClassDefsTotal  *int `json:"class_defs_total"`
		ClassesDistinct *int `json:"classes_distinct"`
	} `json:"expected"`
	Dex struct {
		RootDexFiles []string `json:"root_dex_files"`
		PerDex       []struct {
			Name             string `json:"name"`
			DexdumpClassDefs *int   `json:"dexdump_class_defs"`
		} `json:"per_dex"`
	} `json:"dex"`
}

type rootDexFile struct {
	name string
	data []byte
}

// readRootDex returns the root classes*.dex entries of an APK, or an error
// when the standard library cannot read the archive or an entry.
func readRootDex(path string) ([]rootDexFile, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var out []rootDexFile
	for _, zf := range zr.File {
		if !rootDex.MatchString(zf.Name) {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(rc, DefaultLimits.MaxFileSize+1))
		rc.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, rootDexFile{zf.Name, b})
	}
	return out, nil
}

func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	apks, err := filepath.Glob(filepath.Join(dir, "apks", "*.apk"))
	if err != nil || len(apks) == 0 {
		testenv.Missing(t, "no APKs in %s", dir)
	}
	agree, total, skipped := 0, 0, 0
	for _, apk := range apks {
		name := strings.TrimSuffix(filepath.Base(apk), ".apk")
		raw, err := os.ReadFile(filepath.Join(dir, "expected", name+".json"))
		if err != nil {
			t.Errorf("%s: no answer key: %v", name, err)
			continue
		}
		var key dexAnswer
		if err := json.Unmarshal(raw, &key); err != nil {
			t.Errorf("%s: answer key: %v", name, err)
			continue
		}
		dexes, err := readRootDex(apk)
		if err != nil {
			// Broken on purpose (truncated central directory, unknown
			// compression): the container package owns those.
			t.Logf("%s: skipped, stdlib zip: %v", name, err)
			skipped++
			continue
		}
		total++
		if ok := checkCorpusAPK(t, name, dexes, key); ok {
			agree++
		}
	}
	t.Logf("dex corpus: %d/%d agree (%d APKs skipped as unreadable zips)", agree, total, skipped)
	if agree != total {
		t.Errorf("dex corpus: %d of %d APKs disagree", total-agree, total)
	}
}

func checkCorpusAPK(t *testing.T, name string, dexes []rootDexFile, key dexAnswer) bool {
	t.Helper()
	ok := true
	fail := func(format string, args ...any) {
		t.Errorf(name+": "+format, args...)
		ok = false
	}
	counts := map[string]int{}
	var names []string
	distinct := map[string]struct{}{}
	sum := 0
	for _, d := range dexes {
		names = append(names, d.name)
		f, err := Parse(d.data, Limits{})
		if err != nil {
			fail("%s: Parse: %v", d.name, err)
			continue
		}
		descs, err := f.ClassDescriptors()
		if err != nil {
			fail("%s: ClassDescriptors: %v", d.name, err)
			continue
		}
		if len(descs) != f.NumClassDefs() {
			fail("%s: %d descriptors for %d class_defs", d.name, len(descs), f.NumClassDefs())
		}
		counts[d.name] = len(descs)
		sum += len(descs)
		for _, s := range descs {
			distinct[s] = struct{}{}
		}
		// The ReaderAt path must see the same file.
		g, err := Open(bytes.NewReader(d.data), int64(len(d.data)), Limits{})
		if err != nil {
			fail("%s: Open: %v", d.name, err)
		} else if od, err := g.ClassDescriptors(); err != nil || !slices.Equal(od, descs) {
			fail("%s: Open disagrees with Parse: %v", d.name, err)
		}
		// Real compiler output must pass the deep check; a finding here is
		// a bug in Validate until shown otherwise.
		if err := f.Validate(); err != nil {
			fail("%s (v%03d): Validate: %v", d.name, f.Version(), err)
		}
		for i := range min(f.NumMethods(), 200) {
			if _, err := f.Method(uint32(i)); err != nil {
				fail("%s: Method(%d): %v", d.name, i, err)
				break
			}
		}
	}
	sort.Strings(names)
	if len(key.Dex.PerDex) > 0 {
		var want []string
		for _, p := range key.Dex.PerDex {
			want = append(want, p.Name)
			if p.DexdumpClassDefs != nil && counts[p.Name] != *p.DexdumpClassDefs {
				fail("%s: %d class_defs, dexdump %d", p.Name, counts[p.Name], *p.DexdumpClassDefs)
			}
		}
		sort.Strings(want)
		if !slices.Equal(names, want) {
			fail("root dex %v, answer key %v", names, want)
		}
	}
	if e := key.Expected.ClassDefsTotal; e != nil && sum != *e {
		fail("class_defs_total %d, want %d", sum, *e)
	}
	if e := key.Expected.ClassesDistinct; e != nil && len(distinct) != *e {
		fail("classes_distinct %d, want %d", len(distinct), *e)
	}
	return ok
}

// largestCorpusDex returns the biggest root dex in the corpus.
func largestCorpusDex(b *testing.B) rootDexFile {
	dir := corpusDir(b)
	apks, _ := filepath.Glob(filepath.Join(dir, "apks", "*.apk"))
	var bestAPK, bestName string
	var bestSize uint64
	for _, apk := range apks {
		zr, err := zip.OpenReader(apk)
		if err != nil {
			continue
		}
		for _, zf := range zr.File {
			if rootDex.MatchString(zf.Name) && zf.UncompressedSize64 > bestSize {
				bestAPK, bestName, bestSize = apk, zf.Name, zf.UncompressedSize64
			}
		}
		zr.Close()
	}
	if bestAPK == "" {
		b.Skip("no dex in the corpus")
	}
	dexes, err := readRootDex(bestAPK)
	if err != nil {
		b.Skip(err)
	}
	for _, d := range dexes {
		if d.name == bestName {
			d.name = filepath.Base(bestAPK) + "!" + d.name
			return d
		}
	}
	b.Skip("largest dex vanished")
	return rootDexFile{}
}

func BenchmarkClassDescriptors(b *testing.B) {
	d := largestCorpusDex(b)
	f, err := Parse(d.data, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d bytes, %d classes", d.name, len(d.data), f.NumClassDefs())
	perClass := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(max(f.NumClassDefs(), 1)), "ns/class")
	}
	b.Run("Parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := Parse(d.data, Limits{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := f.ClassDescriptors(); err != nil {
				b.Fatal(err)
			}
		}
		perClass(b)
	})
	b.Run("Open", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := Open(bytes.NewReader(d.data), int64(len(d.data)), Limits{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := f.ClassDescriptors(); err != nil {
				b.Fatal(err)
			}
		}
		perClass(b)
	})
}
