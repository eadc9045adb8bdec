package inventory

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/analyzer/internal/aab"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// storedZip writes the entries uncompressed, as a nested APK usually is.
func storedZip(t *testing.T, entries []rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
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

// nestedAPK is an APK whose code hides depth levels down:
// assets/l1.apk holds assets/l2.apk, and so on; the last holds the DEX.
func nestedAPK(t *testing.T, depth int, manifest, own, hidden []byte) []byte {
	level := writeZip(t, []rawEntry{{"classes.dex", hidden}})
	for i := depth; i > 1; i-- {
		level = storedZip(t, []rawEntry{{fmt.Sprintf("assets/l%d.apk", i), level}})
	}
	return writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", own}, {"assets/l1.apk", level}})
}

// An app can load code from an APK it extracted from an APK it
// extracted. Three levels are read; a fourth is reported, so the app is
// incomplete instead of silently missing that code.
func TestNestedCodeReadToTheLimit(t *testing.T) {
	manifest := fixtureEntry(t, "sdkref.apk", "AndroidManifest.xml")
	own := fixtureEntry(t, "sdkref.apk", "classes.dex")
	hidden := fixtureEntry(t, "dataaccess.apk", "classes.dex")
	want := scanBytes(t, writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", hidden}})).Dex.Files[0].ClassList
	t.Run("three levels are read", func(t *testing.T) {
		inv := scanBytes(t, nestedAPK(t, 3, manifest, own, hidden))
		got := classSet(inv)
		for _, c := range want {
			if !slices.Contains(got, c) {
				t.Fatalf("class %s three levels down was not read; other code %+v", c, inv.OtherCode)
			}
		}
		if inv.Status != StatusComplete {
			t.Fatalf("status %s, errors %+v", inv.Status, inv.Errors)
		}
		var paths []string
		for _, c := range inv.OtherCode {
			paths = append(paths, c.Path)
		}
		if !slices.Contains(paths, "assets/l1.apk!assets/l2.apk!assets/l3.apk") {
			t.Fatalf("other code %v", paths)
		}
	})
	t.Run("a fourth is reported", func(t *testing.T) {
		inv := scanBytes(t, nestedAPK(t, 4, manifest, own, hidden))
		if inv.Status != StatusIncomplete || !hasProblem(inv, "dex", "nested deeper than the limit") {
			t.Fatalf("status %s, errors %+v", inv.Status, inv.Errors)
		}
		found := false
		for _, p := range inv.Errors {
			found = found || p.Path == "assets/l1.apk!assets/l2.apk!assets/l3.apk!assets/l4.apk"
		}
		if !found {
			t.Fatalf("the unread archive is not named: %+v", inv.Errors)
		}
	})
}

// bigCode is n bytes that deflate at about 250:1 (under the ratio cap)
// and are not a DEX file: only the inflate work matters here.
func bigCode(n int) []byte {
	b := make([]byte, n)
	x := uint32(1)
	for i := 0; i < n; i += 600 {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

// sharedRecords writes head entries, then one stored entry (data) listed
// by records central directory records named name(i).
func sharedRecords(head []rawEntry, data []byte, records int, name func(int) string) []byte {
	var buf bytes.Buffer
	var cd []byte
	local := func(n string, d []byte) uint32 {
		off := uint32(buf.Len())
		h := make([]byte, 30)
		copy(h, "PK\x03\x04")
		binary.LittleEndian.PutUint16(h[4:], 20)
		binary.LittleEndian.PutUint32(h[14:], crc32.ChecksumIEEE(d))
		binary.LittleEndian.PutUint32(h[18:], uint32(len(d)))
		binary.LittleEndian.PutUint32(h[22:], uint32(len(d)))
		binary.LittleEndian.PutUint16(h[26:], uint16(len(n)))
		buf.Write(h)
		buf.WriteString(n)
		buf.Write(d)
		return off
	}
	record := func(n string, d []byte, off uint32) {
		h := make([]byte, 46)
		copy(h, "PK\x01\x02")
		binary.LittleEndian.PutUint16(h[4:], 20)
		binary.LittleEndian.PutUint16(h[6:], 20)
		binary.LittleEndian.PutUint32(h[16:], crc32.ChecksumIEEE(d))
		binary.LittleEndian.PutUint32(h[20:], uint32(len(d)))
		binary.LittleEndian.PutUint32(h[24:], uint32(len(d)))
		binary.LittleEndian.PutUint16(h[28:], uint16(len(n)))
		binary.LittleEndian.PutUint32(h[42:], off)
		cd = append(append(cd, h...), n...)
	}
	for _, e := range head {
		record(e.name, e.data, local(e.name, e.data))
	}
	off := local(name(0), data)
	for i := range records {
		record(name(i), data, off)
	}
	start := buf.Len()
	buf.Write(cd)
	end := make([]byte, 22)
	copy(end, "PK\x05\x06")
	binary.LittleEndian.PutUint16(end[8:], uint16(len(head)+records))
	binary.LittleEndian.PutUint16(end[10:], uint16(len(head)+records))
	binary.LittleEndian.PutUint32(end[12:], uint32(len(cd)))
	binary.LittleEndian.PutUint32(end[16:], uint32(start))
	buf.Write(end)
	return buf.Bytes()
}

func hasNoteCode(inv *Inventory, code string) bool {
	for _, n := range inv.Notes {
		if n.Code == code {
			return true
		}
	}
	return false
}

// Many records pointing at one stored APK whose DEX is costly to inflate:
// every part (or nested APK) was read with a budget of its own, and the
// loop over parts did not look at the deadline. One budget and one
// deadline now cover the app; what was not read is said once.
func TestSharedBytesOneBudgetPerApp(t *testing.T) {
	manifest := fixtureEntry(t, "sdkref.apk", "AndroidManifest.xml")
	code := bigCode(4 << 20)
	inner := writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", code}})
	opts := Options{Container: container.Limits{MaxTotalSize: 32 << 20}}
	scan := func(ctx context.Context, b []byte) *Inventory {
		t.Helper()
		inv, err := Scan(ctx, bytes.NewReader(b), int64(len(b)), "shared", opts)
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	appSet := sharedRecords([]rawEntry{{"toc.pb", nil}}, inner, 1000, func(i int) string { return fmt.Sprintf("splits/s%04d.apk", i) })
	t.Run("app set", func(t *testing.T) {
		inv := scan(context.Background(), appSet)
		if len(inv.Parts) > 9 || !hasProblem(inv, "container", "inflate budget was spent") || !hasNoteCode(inv, "overlapping-entries") {
			t.Fatalf("%d parts read; errors %+v", len(inv.Parts), inv.Errors)
		}
		if len(inv.Errors) > 12 {
			t.Fatalf("%d problems: what was not read must be said once, not per part", len(inv.Errors))
		}
	})
	t.Run("app set past its deadline", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		start := time.Now()
		inv := scan(ctx, appSet)
		if took := time.Since(start); took > testenv.Hang(60*time.Second) {
			t.Fatalf("took %v", took)
		}
		if len(inv.Parts) != 1 || !hasProblem(inv, "container", "999 of 1000 parts not read") {
			t.Fatalf("%d parts; errors %+v", len(inv.Parts), inv.Errors)
		}
	})
	t.Run("nested in assets", func(t *testing.T) {
		own := fixtureEntry(t, "sdkref.apk", "classes.dex")
		nested := storedZip(t, []rawEntry{{"classes.dex", code}})
		b := sharedRecords([]rawEntry{{"AndroidManifest.xml", manifest}, {"classes.dex", own}}, nested, 1000, func(i int) string { return fmt.Sprintf("assets/p%04d.apk", i) })
		inv := scan(context.Background(), b)
		if !hasProblem(inv, "dex", "inflate budget was spent") || len(inv.OtherCode) != 1000 {
			t.Fatalf("%d other code entries; errors %+v", len(inv.OtherCode), inv.Errors)
		}
		// A few per copy read within the budget (the DEX, the local
		// header each record shares), then one for the rest.
		if len(inv.Errors) > 24 {
			t.Fatalf("%d problems: %+v", len(inv.Errors), inv.Errors)
		}
	})
}

// A bundle with more modules than MaxParts: the first are read, base
// first, and the rest named in one reason.
func TestBundleModulesCapped(t *testing.T) {
	manifest := fixtureEntry(t, "sdkref.apk", "AndroidManifest.xml")
	apk := writeZip(t, []rawEntry{{"AndroidManifest.xml", manifest}})
	b, err := aab.FromAPK(apk)
	if err != nil {
		t.Fatal(err)
	}
	mods := map[string][]byte{}
	for i := range 30 {
		mods[fmt.Sprintf("feature%02d", i)] = apk
	}
	if b, err = aab.AddFeatures(b, mods); err != nil {
		t.Fatal(err)
	}
	inv, err := Scan(context.Background(), bytes.NewReader(b), int64(len(b)), "many.aab", Options{Container: container.Limits{MaxParts: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Parts) != 20 || inv.Parts[0].Module != "base" || inv.Status != StatusIncomplete || !hasProblem(inv, "container", "31 modules") {
		t.Fatalf("%d parts, errors %+v", len(inv.Parts), inv.Errors)
	}
	if !strings.Contains(inv.Errors[0].Message, "feature19/ to feature29/") {
		t.Fatalf("the modules not read are not named: %q", inv.Errors[0].Message)
	}
}
