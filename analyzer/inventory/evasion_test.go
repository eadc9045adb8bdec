package inventory

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fixtureEntry reads one entry of a committed fixture APK.
func fixtureEntry(t *testing.T, apk, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join("..", "..", "fixtures", "apk", apk))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if _, err := b.ReadFrom(rc); err != nil {
				t.Fatal(err)
			}
			rc.Close()
			return b.Bytes()
		}
	}
	t.Fatalf("%s has no %s", apk, name)
	return nil
}

type rawEntry struct {
	name string
	data []byte
}

// writeZip stores the entries in order; archive/zip writes repeated
// names as asked, which is what an evasive build does.
func writeZip(t *testing.T, entries []rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(e.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func scanBytes(t *testing.T, b []byte) *Inventory {
	t.Helper()
	inv, err := Scan(context.Background(), bytes.NewReader(b), int64(len(b)), "evasive.apk", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func classSet(inv *Inventory) []string {
	var out []string
	for _, d := range inv.Dex.Files {
		out = append(out, d.ClassList...)
	}
	for _, c := range inv.OtherCode {
		for _, d := range c.Dex {
			out = append(out, d.ClassList...)
		}
	}
	return out
}

func hasProblem(inv *Inventory, stage, substr string) bool {
	for _, p := range inv.Errors {
		if p.Stage == stage && strings.Contains(p.Message, substr) {
			return true
		}
	}
	return false
}

// Android refuses an archive with repeated entry names, so no copy is
// "the" one; every copy is read and the ambiguity makes the scan
// incomplete, so a release gate cannot pass on whichever copy we chose.
func TestDuplicateEntriesAreAllRead(t *testing.T) {
	manifest := fixtureEntry(t, "sdkref.apk", "AndroidManifest.xml")
	own := fixtureEntry(t, "sdkref.apk", "classes.dex")
	hidden := fixtureEntry(t, "dataaccess.apk", "classes.dex")
	t.Run("classes.dex", func(t *testing.T) {
		inv := scanBytes(t, writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", own}, {"classes.dex", hidden}}))
		if inv.Status != StatusIncomplete || !hasProblem(inv, "container", `"classes.dex"`) {
			t.Fatalf("status %s, errors %+v", inv.Status, inv.Errors)
		}
		want := scanBytes(t, writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", hidden}}))
		got := classSet(inv)
		for _, c := range want.Dex.Files[0].ClassList {
			if !slices.Contains(got, c) {
				t.Fatalf("class %s of the second copy not read; other code %+v", c, inv.OtherCode)
			}
		}
		if len(inv.OtherCode) != 1 || inv.OtherCode[0].Path != "classes.dex (duplicate record 2)" {
			t.Fatalf("other code %+v", inv.OtherCode)
		}
	})
	t.Run("AndroidManifest.xml", func(t *testing.T) {
		second := fixtureEntry(t, "full.apk", "AndroidManifest.xml")
		inv := scanBytes(t, writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"AndroidManifest.xml", second}, {"classes.dex", own}}))
		if inv.Status != StatusIncomplete || !hasProblem(inv, "container", `"AndroidManifest.xml"`) {
			t.Fatalf("status %s, errors %+v", inv.Status, inv.Errors)
		}
		alone := scanBytes(t, writeZip(t, []rawEntry{{"AndroidManifest.xml", second}, {"classes.dex", own}}))
		have := map[string]bool{}
		for _, p := range inv.Manifest.Permissions {
			have[p.Name] = true
		}
		for _, p := range alone.Manifest.Permissions {
			if !have[p.Name] {
				t.Errorf("permission %s of the second manifest is missing", p.Name)
			}
		}
		if inv.Package != scanBytes(t, writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", own}})).Package {
			t.Errorf("the first manifest no longer names the app: %q", inv.Package)
		}
	})
}

// patchLocalName rewrites the name in the local header of the entry
// called name (same length), leaving the central directory alone: archive/zip
// and a device then disagree on what the entry is called.
func patchLocalName(t *testing.T, b []byte, name, to string) []byte {
	t.Helper()
	out := slices.Clone(b)
	for i := 0; i+30 < len(out); i++ {
		if string(out[i:i+4]) != "PK\x03\x04" {
			continue
		}
		n := int(binary.LittleEndian.Uint16(out[i+26:]))
		if n == len(name) && string(out[i+30:i+30+n]) == name {
			copy(out[i+30:], to)
			return out
		}
	}
	t.Fatalf("no local header for %s", name)
	return nil
}

// dropCentral removes name's central directory record, so its local
// header and data stay in the file but the directory does not list them.
func dropCentral(t *testing.T, b []byte, name string) []byte {
	t.Helper()
	eocd := len(b) - 22
	if string(b[eocd:eocd+4]) != "PK\x05\x06" {
		t.Fatal("archive has a comment; the test writes none")
	}
	cdOff := int(binary.LittleEndian.Uint32(b[eocd+16:]))
	cdSize := int(binary.LittleEndian.Uint32(b[eocd+12:]))
	var cd []byte
	count := 0
	for p := cdOff; p < cdOff+cdSize; {
		n := int(binary.LittleEndian.Uint16(b[p+28:]))
		m := int(binary.LittleEndian.Uint16(b[p+30:]))
		k := int(binary.LittleEndian.Uint16(b[p+32:]))
		rec := b[p : p+46+n+m+k]
		if string(rec[46:46+n]) != name {
			cd = append(cd, rec...)
			count++
		}
		p += len(rec)
	}
	out := append(slices.Clone(b[:cdOff]), cd...)
	end := slices.Clone(b[eocd:])
	binary.LittleEndian.PutUint16(end[8:], uint16(count))
	binary.LittleEndian.PutUint16(end[10:], uint16(count))
	binary.LittleEndian.PutUint32(end[12:], uint32(len(cd)))
	return append(out, end...)
}

func TestLocalHeaderAndDirectoryDisagree(t *testing.T) {
	manifest := fixtureEntry(t, "sdkref.apk", "AndroidManifest.xml")
	own := fixtureEntry(t, "sdkref.apk", "classes.dex")
	hidden := fixtureEntry(t, "dataaccess.apk", "classes.dex")
	t.Run("renamed in the local header", func(t *testing.T) {
		b := patchLocalName(t, writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", own}}), "classes.dex", "classes.dey")
		inv := scanBytes(t, b)
		if inv.Status != StatusIncomplete || !hasProblem(inv, "container", `local header names "classes.dey"`) {
			t.Fatalf("status %s, errors %+v", inv.Status, inv.Errors)
		}
		if len(inv.Dex.Files) != 1 || inv.Dex.Files[0].Classes == 0 {
			t.Fatalf("the directory's record should still be read: %+v", inv.Dex.Files)
		}
	})
	t.Run("local entry missing from the directory", func(t *testing.T) {
		// Android loads only what the central directory lists; a DEX that
		// only a stream reader would find is not the app's code, and is
		// not reported as such.
		b := dropCentral(t, writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", own}, {"classes2.dex", hidden}}), "classes2.dex")
		inv := scanBytes(t, b)
		if len(inv.Dex.Files) != 1 || inv.Dex.Files[0].Name != "classes.dex" {
			t.Fatalf("dex files %+v", inv.Dex.Files)
		}
		if inv.Status != StatusComplete {
			t.Fatalf("status %s, errors %+v", inv.Status, inv.Errors)
		}
	})
	t.Run("agreeing headers raise nothing", func(t *testing.T) {
		inv := scanBytes(t, writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", own}}))
		if inv.Status != StatusComplete {
			t.Fatalf("status %s, errors %+v", inv.Status, inv.Errors)
		}
	})
}
