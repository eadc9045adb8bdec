package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

// corpusDir is the third-party corpus as one batch argument, so the
// directory walk is part of what is tested; it skips when absent.
func corpusDir(t *testing.T) (dir string, files []string) {
	t.Helper()
	files = corpusAPKs(t)
	return filepath.Dir(files[0]), files
}

// jsonlApps splits a JSONL scan into its lines and decodes each one's
// file and status.
func jsonlApps(t *testing.T, out string) (files, statuses []string) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for sc.Scan() {
		var app struct {
			File   string `json:"file"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(sc.Bytes(), &app); err != nil {
			t.Fatalf("line %d is not JSON: %v", len(files)+1, err)
		}
		files = append(files, app.File)
		statuses = append(statuses, app.Status)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return files, statuses
}

// TestCorpusBatchDeterministic scans and audits the whole corpus as one
// walked directory with different --jobs values. The output must not
// depend on scheduling, every file gets exactly one line (broken ones an
// error line, in walk order), no parser panics (a recovered panic says
// "internal error"), and the broken files make the exit code 2.
func TestCorpusBatchDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir, files := corpusDir(t)
	want := append([]string{}, files...)
	sort.Strings(want)

	var first string
	var okApps int
	for i, jobs := range []string{"1", "3", "1"} {
		stdout, stderr, code := runCLI(t, "scan", "--format", "jsonl", "--jobs", jobs, dir)
		if strings.Contains(stdout, "internal error") || strings.Contains(stderr, "internal error") {
			t.Fatalf("--jobs %s: a parser panicked:\n%s", jobs, stderr)
		}
		got, statuses := jsonlApps(t, stdout)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("--jobs %s: JSONL lines are not one per corpus file in walk order (-want +got):\n%s", jobs, diff)
		}
		broken := 0
		for _, s := range statuses {
			if s == "error" {
				broken++
			}
		}
		// The corpus holds files no tool can read (empty and truncated
		// zips, no manifest): each is one stderr line and exit 2.
		if broken == 0 {
			t.Fatalf("--jobs %s: no error line; the corpus has unreadable files", jobs)
		}
		if code != ExitInput {
			t.Errorf("--jobs %s: exit %d, want %d for a batch with %d unreadable files", jobs, code, ExitInput, broken)
		}
		if n := strings.Count(stderr, "\n"); n != broken {
			t.Errorf("--jobs %s: %d stderr lines for %d error lines:\n%s", jobs, n, broken, stderr)
		}
		if i == 0 {
			first, okApps = stdout, len(got)-broken
			continue
		}
		if stdout != first {
			t.Errorf("run %d (--jobs %s): output differs from the first run (--jobs 1)", i+1, jobs)
		}
	}

	pol := filepath.Join("..", "..", "fixtures", "policies", "maimai-like-policy.txt")
	var audit1 string
	for i, jobs := range []string{"1", "2"} {
		stdout, stderr, code := runCLI(t, "audit", "--format", "jsonl", "--policy", pol, "--jobs", jobs, dir)
		if strings.Contains(stdout, "internal error") || strings.Contains(stderr, "internal error") {
			t.Fatalf("audit --jobs %s: a stage panicked:\n%s", jobs, stderr)
		}
		if code != ExitInput {
			t.Errorf("audit --jobs %s: exit %d, want %d", jobs, code, ExitInput)
		}
		// An audit batch writes no line for a file it could not read.
		if n := strings.Count(stdout, "\n"); n != okApps {
			t.Errorf("audit --jobs %s: %d JSONL lines, want %d", jobs, n, okApps)
		}
		if i == 0 {
			audit1 = stdout
		} else if stdout != audit1 {
			t.Errorf("audit output differs between --jobs 1 and --jobs %s", jobs)
		}
	}
}

// everyFormatLimit bounds TestCorpusEveryFormat to the smallest readable
// corpus APKs, to keep it near a second: each is packed six ways, and the
// small files are where the odd zips (prefixed archives, strangely named
// entries, maximal comments) are. -every-format-all takes every readable
// corpus APK (about a minute).
const everyFormatLimit = 40

var everyFormatAll = flag.Bool("every-format-all", false, "TestCorpusEveryFormat: repackage every readable corpus APK, not only the smallest")

// TestCorpusEveryFormat packs corpus APKs the ways apps are shipped —
// a split directory, an .apks app set, an .xapk (stored and deflated), an
// .apkm, a plain zip of APKs — and checks each packaging gives the plain
// APK's inventory once what legitimately differs is set aside.
func TestCorpusEveryFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	files := corpusAPKs(t)
	sort.Slice(files, func(i, j int) bool {
		a, _ := os.Stat(files[i])
		b, _ := os.Stat(files[j])
		if a.Size() != b.Size() {
			return a.Size() < b.Size()
		}
		return files[i] < files[j]
	})
	tested := 0
	for _, src := range files {
		if tested == everyFormatLimit && !*everyFormatAll {
			break
		}
		plain, _, code := runCLI(t, "scan", "--format", "json", "--classes", src)
		if code != ExitOK {
			continue // unreadable: nothing to repackage
		}
		tested++
		want := normalisedApp(t, plain)
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		pkg, _ := want["package"].(string)
		name := strings.TrimSuffix(filepath.Base(src), ".apk")
		t.Run(name, func(t *testing.T) {
			for format, path := range wrapAPK(t, data, pkg) {
				stdout, stderr, code := runCLI(t, "scan", "--format", "json", "--classes", path)
				if code != ExitOK {
					t.Errorf("%s: exit %d: %s", format, code, stderr)
					continue
				}
				got := normalisedApp(t, stdout)
				wantFormat := strings.TrimSuffix(format, "-deflated")
				if f := got["detected_format"]; f != wantFormat {
					t.Errorf("%s: detected as %v", format, f)
				}
				delete(got, "detected_format")
				w := maps.Clone(want)
				delete(w, "detected_format")
				checkNotes(t, format, w, got)
				if diff := cmp.Diff(w, got); diff != "" {
					t.Errorf("%s: inventory differs from the plain APK's (-apk +%s):\n%s", format, format, diff)
				}
			}
		})
	}
	if tested == 0 {
		t.Fatal("no corpus APK scanned cleanly")
	}
}

// checkNotes compares the notes apart, and takes them out of both
// inventories: the wrapped inventory must have every note of the plain
// APK (the base part's container notes included: a Janus prefix, control
// characters in entry names, a 64 KB comment) and no new one.
func checkNotes(t *testing.T, format string, want, got map[string]any) {
	t.Helper()
	key := func(n any) string { b, _ := json.Marshal(n); return string(b) }
	seen := map[string]bool{}
	wn, _ := want["notes"].([]any)
	gn, _ := got["notes"].([]any)
	for _, n := range wn {
		seen[key(n)] = true
	}
	for _, n := range gn {
		if !seen[key(n)] {
			t.Errorf("%s: note not in the plain APK's inventory: %s", format, key(n))
		}
		delete(seen, key(n))
	}
	for _, n := range wn {
		if seen[key(n)] {
			t.Errorf("%s: note of the plain APK missing: %s", format, key(n))
		}
	}
	delete(want, "notes")
	delete(got, "notes")
}

// normalisedApp decodes a one-app scan report and drops what depends on
// the packaging rather than the app: the file's name, size and hash, the
// parts list, and the entry count (a config split adds its own entries).
// The format is kept aside as detected_format.
func normalisedApp(t *testing.T, stdout string) map[string]any {
	t.Helper()
	var doc struct {
		Apps []map[string]any `json:"apps"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil || len(doc.Apps) != 1 {
		t.Fatalf("bad scan JSON (%v)", err)
	}
	a := doc.Apps[0]
	a["detected_format"] = a["format"]
	for _, k := range []string{"file", "format", "size", "sha256", "parts", "zip_entries"} {
		delete(a, k)
	}
	return a
}

// wrapAPK writes apk in every multi-APK packaging into a temporary
// directory, with exactly what analyzer/container needs to recognise each
// (fixtures/build.sh makes the full-size versions). The APK is stored,
// so it is read in place; xapk-deflated takes the inflating path, as
// APKPure's own archives do.
func wrapAPK(t *testing.T, apk []byte, pkg string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	out := map[string]string{}

	// A split directory needs base.apk and at least one split_*.apk:
	// a config split of the same package with nothing but its manifest,
	// as bundletool makes for a screen density with no resources.
	split := filepath.Join(dir, "split-dir")
	if err := os.Mkdir(split, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, split, "base.apk", apk)
	writeFile(t, split, "split_config.xxhdpi.apk", zipOf(t, []zipItem{{"AndroidManifest.xml", configSplitManifest(pkg, "config.xxhdpi"), zip.Deflate}}))
	out["split-dir"] = split

	meta := func(name string, data []byte) zipItem { return zipItem{name, data, zip.Deflate} }
	stored := func(name string) zipItem { return zipItem{name, apk, zip.Store} }
	xapkManifest, _ := json.Marshal(map[string]any{
		"xapk_version": 2, "package_name": pkg, "name": pkg,
		"split_apks": []map[string]string{{"file": pkg + ".apk", "id": "base"}},
	})
	apkmInfo, _ := json.Marshal(map[string]any{"pname": pkg, "app_name": pkg})
	for format, items := range map[string][]zipItem{
		"apks":          {meta("toc.pb", tocPB(pkg)), stored("splits/base-master.apk")},
		"xapk":          {meta("manifest.json", xapkManifest), stored(pkg + ".apk")},
		"xapk-deflated": {meta("manifest.json", xapkManifest), {pkg + ".apk", apk, zip.Deflate}},
		"apkm":          {meta("info.json", apkmInfo), stored("base.apk")},
		"zip-of-apks":   {stored("base.apk")},
	} {
		ext := strings.TrimSuffix(format, "-deflated")
		if ext == "zip-of-apks" {
			ext = "zip"
		}
		out[format] = writeFile(t, dir, format+"."+ext, zipOf(t, items))
	}
	return out
}

type zipItem struct {
	name   string
	data   []byte
	method uint16
}

func zipOf(t *testing.T, items []zipItem) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, it := range items {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: it.name, Method: it.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(it.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tocPB is a minimal bundletool BuildApksResult: package_name (field 4).
// sdkaudit only checks that toc.pb exists; the bytes are kept plausible.
func tocPB(pkg string) []byte {
	b := []byte{4<<3 | 2}
	b = binary.AppendUvarint(b, uint64(len(pkg)))
	return append(b, pkg...)
}

// configSplitManifest is the binary XML of
// <manifest package=PKG split=SPLIT><application android:hasCode="false"/></manifest>,
// laid out as aapt writes it: string pool, resource map for the android:
// attribute, then the element tree.
func configSplitManifest(pkg, split string) []byte {
	const hasCodeID = 0x0101000c
	strs := []string{"hasCode", "android", "http://schemas.android.com/apk/res/android", "manifest", "package", pkg, "split", split, "application"}
	const (
		sHasCode = iota
		sAndroid
		sURI
		sManifest
		sPackage
		sPkg
		sSplit
		sSplitName
		sApplication
	)
	le16 := binary.LittleEndian.AppendUint16
	le32 := binary.LittleEndian.AppendUint32
	none := uint32(0xffffffff)
	var body []byte
	node := func(typ uint16, payload []byte) {
		body = le16(body, typ)
		body = le16(body, 16)
		body = le32(body, uint32(16+len(payload)))
		body = le32(body, 1)    // line
		body = le32(body, none) // comment
		body = append(body, payload...)
	}
	type attr struct {
		ns, name, raw uint32
		typ           byte
		data          uint32
	}
	start := func(name uint32, attrs ...attr) {
		p := le32(nil, none)
		p = le32(p, name)
		p = le16(p, 20)
		p = le16(p, 20)
		p = le16(p, uint16(len(attrs)))
		p = le16(p, 0)
		p = le16(p, 0)
		p = le16(p, 0)
		for _, a := range attrs {
			p = le32(p, a.ns)
			p = le32(p, a.name)
			p = le32(p, a.raw)
			p = le16(p, 8)
			p = append(p, 0, a.typ)
			p = le32(p, a.data)
		}
		node(0x0102, p)
	}
	end := func(name uint32) { node(0x0103, le32(le32(nil, none), name)) }
	nsNode := func(typ uint16) { node(typ, le32(le32(nil, sAndroid), sURI)) }

	nsNode(0x0100)
	start(sManifest,
		attr{none, sPackage, sPkg, 0x03, sPkg},
		attr{none, sSplit, sSplitName, 0x03, sSplitName})
	start(sApplication, attr{sURI, sHasCode, none, 0x12, 0})
	end(sApplication)
	end(sManifest)
	nsNode(0x0101)

	var data []byte
	var offsets []byte
	for _, s := range strs {
		offsets = le32(offsets, uint32(len(data)))
		u := utf16.Encode([]rune(s))
		data = le16(data, uint16(len(u)))
		for _, c := range u {
			data = le16(data, c)
		}
		data = le16(data, 0)
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	pool := le16(nil, 0x0001)
	pool = le16(pool, 28)
	pool = le32(pool, uint32(28+len(offsets)+len(data)))
	pool = le32(pool, uint32(len(strs)))
	pool = le32(pool, 0) // styles
	pool = le32(pool, 0) // flags: UTF-16
	pool = le32(pool, uint32(28+len(offsets)))
	pool = le32(pool, 0)
	pool = append(append(pool, offsets...), data...)

	resmap := le16(nil, 0x0180)
	resmap = le16(resmap, 8)
	resmap = le32(resmap, 12)
	resmap = le32(resmap, hasCodeID)

	out := le16(nil, 0x0003)
	out = le16(out, 8)
	out = le32(out, uint32(8+len(pool)+len(resmap)+len(body)))
	return append(append(append(out, pool...), resmap...), body...)
}
