package dex

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// insnRec is the part of an instruction both sides can state: where it
// starts, its name and the id it references.
type insnRec struct {
	off   uint32
	name  string
	index int64 // -1 when the instruction references nothing
	proto int64 // invoke-polymorphic's proto, else -1
}

// decodeAllMethods decodes every method of f with the package's own walker:
// code_item offset -> instructions.
func decodeAllMethods(t testing.TB, f *File) map[uint32][]insnRec {
	out := map[uint32][]insnRec{}
	for i := 0; i < f.NumClassDefs(); i++ {
		c, err := f.ClassDef(i)
		if err != nil {
			t.Fatalf("class_def %d: %v", i, err)
		}
		cd, err := f.ClassData(c)
		if err != nil {
			t.Fatalf("%s: class_data: %v", c.Descriptor, err)
		}
		for _, m := range cd.Methods {
			if m.CodeOff == 0 {
				continue
			}
			if _, done := out[m.CodeOff]; done {
				continue
			}
			code, err := f.Code(m.CodeOff)
			if err != nil {
				t.Fatalf("%s: code at %#x: %v", c.Descriptor, m.CodeOff, err)
			}
			var recs []insnRec
			d := NewDecoder(code.Insns, code.InsnsOff)
			for d.Next() {
				in := d.Instruction()
				r := insnRec{off: in.Offset, name: in.Name(), index: -1, proto: -1}
				if in.Ref() != RefNone {
					r.index = int64(in.Index)
				}
				if in.Format == F45cc || in.Format == F4rcc {
					r.proto = int64(in.Index2)
				}
				recs = append(recs, r)
			}
			if err := d.Err(); err != nil {
				t.Fatalf("%s: decode at %#x: %v", c.Descriptor, m.CodeOff, err)
			}
			out[m.CodeOff] = recs
		}
	}
	return out
}

var (
	ddMethod = regexp.MustCompile(`^[0-9a-f]{6}:\s+\|\[([0-9a-f]{6,8})\] `)
	ddInsn   = regexp.MustCompile(`^[0-9a-f]{6,8}: [0-9a-f. ]*\|([0-9a-f]{4,8}): (\S+)`)
	ddRef    = regexp.MustCompile(`(?:// (?:string|type|field|method|call_site|proto)|method_handle)@([0-9a-f]+)`)
	ddProto2 = regexp.MustCompile(`// method@[0-9a-f]+, proto@([0-9a-f]+)`)
)

// compareWithDexdump streams `dexdump -d` over path and checks every
// method's instructions (offsets, names and referenced ids) against ours.
// It returns the number of methods and invoke instructions compared.
func compareWithDexdump(t *testing.T, path string, ours map[uint32][]insnRec) (methods, invokes int, err error) {
	cmd := exec.Command("dexdump", "-d", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer func() { _ = cmd.Wait() }()
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var cur []insnRec
	var curOff uint32
	pos := 0
	seen := map[uint32]bool{}
	finish := func() {
		if cur != nil && pos != len(cur) {
			t.Errorf("%s: method at %#x: dexdump lists %d instructions, we decode %d", path, curOff, pos, len(cur))
		}
	}
	errs := 0
	for sc.Scan() {
		line := sc.Text()
		if m := ddMethod.FindStringSubmatch(line); m != nil {
			finish()
			off, _ := strconv.ParseUint(m[1], 16, 32)
			curOff, pos = uint32(off), 0
			var ok bool
			if cur, ok = ours[curOff]; !ok {
				t.Errorf("%s: dexdump has a method at %#x that we did not decode", path, off)
				cur = nil
			}
			if seen[curOff] {
				cur = nil // a shared code item is listed again; compared once
			}
			seen[curOff] = true
			methods++
			continue
		}
		m := ddInsn.FindStringSubmatch(line)
		if m == nil || cur == nil {
			continue
		}
		off, _ := strconv.ParseUint(m[1], 16, 32)
		want := insnRec{off: uint32(off), name: m[2], index: -1, proto: -1}
		if r := ddRef.FindStringSubmatch(line); r != nil {
			v, _ := strconv.ParseUint(r[1], 16, 32)
			want.index = int64(v)
		}
		if r := ddProto2.FindStringSubmatch(line); r != nil {
			v, _ := strconv.ParseUint(r[1], 16, 32)
			want.proto = int64(v)
		}
		if want.index < 0 && strings.HasPrefix(want.name, "const-string") {
			// The string has a line break in it, so dexdump's comment is on
			// a later line: compare where and what, not which string.
			want.index = cur[min(pos, len(cur)-1)].index
		}
		if strings.HasPrefix(want.name, "invoke-") {
			invokes++
		}
		if pos >= len(cur) {
			t.Errorf("%s: method at %#x: dexdump has more instructions than we decode (next %+v)", path, curOff, want)
			cur = nil
			continue
		}
		got := cur[pos]
		pos++
		if got != want && errs < 20 {
			errs++
			t.Errorf("%s: method at %#x: got %+v, dexdump %+v", path, curOff, got, want)
		}
	}
	finish()
	if err := sc.Err(); err != nil {
		return methods, invokes, err
	}
	for off := range ours {
		if !seen[off] {
			t.Errorf("%s: we decoded a method at %#x that dexdump does not list", path, off)
			break
		}
	}
	return methods, invokes, nil
}

// TestDecoderAgainstDexdump checks the instruction decoder against
// Debian's dexdump on every DEX file of the corpus and of our fixtures.
// Without dexdump it skips, and fails under CI (.ci/run installs it);
// without the corpus it compares the fixtures alone, except under CI.
func TestDecoderAgainstDexdump(t *testing.T) {
	testenv.Tool(t, "dexdump", "apt-get install dexdump")
	if testing.Short() {
		t.Skip("slow: runs dexdump over the corpus")
	}
	var apks []string
	if testenv.CI() || corpusPresent() {
		apks = append(apks, testenv.CorpusAPKs(t)...)
	}
	fx, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "apk", "*.apk"))
	apks = append(apks, fx...)
	sort.Strings(apks)
	tmp := t.TempDir()
	var files, methods, invokes int
	for _, apk := range apks {
		zr, err := zip.OpenReader(apk)
		if err != nil {
			continue // broken archives are the container tests' business
		}
		for _, zf := range zr.File {
			if !strings.HasSuffix(zf.Name, ".dex") || strings.Contains(zf.Name, "/") {
				continue
			}
			b, err := readZipFile(zf)
			if err != nil {
				continue
			}
			f, err := Parse(b, Limits{})
			if err != nil {
				continue
			}
			ours := decodeAllMethods(t, f)
			p := filepath.Join(tmp, fmt.Sprintf("%d.dex", files))
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(apk) + "!" + zf.Name
			m, inv, err := compareWithDexdump(t, p, ours)
			if err != nil {
				t.Errorf("%s: dexdump: %v", name, err)
			}
			files++
			methods += m
			invokes += inv
			os.Remove(p)
		}
		zr.Close()
	}
	if files == 0 {
		t.Fatal("no DEX files found, not even in the fixtures")
	}
	t.Logf("%d DEX files, %d methods, %d invoke instructions agree with dexdump", files, methods, invokes)
}

func readZipFile(zf *zip.File) ([]byte, error) {
	if zf.UncompressedSize64 > 256<<20 {
		return nil, fmt.Errorf("too large")
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// corpusPresent reports whether the corpus lies beside the clone.
func corpusPresent() bool {
	_, err := os.Stat(filepath.Join("..", "..", "..", "shared", "corpus", "apks"))
	return err == nil
}
