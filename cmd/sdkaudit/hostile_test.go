package main

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/iosgen"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// hostileBudget is what any one command may take on any one hostile file
// on the 2-core development machine; testenv.Hang stretches it under the
// race detector.
const hostileBudget = 60 * time.Second

func hzip(t *testing.T, entries ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := 0; i < len(entries); i += 2 {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: entries[i].(string), Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(entries[i+1].([]byte))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fixtureBytes(t *testing.T, apk, entry string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(fixture(t, apk))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == entry {
			rc, _ := f.Open()
			var b bytes.Buffer
			b.ReadFrom(rc)
			rc.Close()
			return b.Bytes()
		}
	}
	t.Fatalf("%s: no %s", apk, entry)
	return nil
}

// hostileDex is a DEX header whose tables claim four billion entries.
func hostileDex() []byte {
	b := make([]byte, 0x70)
	copy(b, "dex\n035\x00")
	binary.LittleEndian.PutUint32(b[32:], 0x70)
	binary.LittleEndian.PutUint32(b[36:], 0x70)
	binary.LittleEndian.PutUint32(b[40:], 0x12345678)
	for off := 56; off < 0x70; off += 8 {
		binary.LittleEndian.PutUint32(b[off:], 0xffffffff)
		binary.LittleEndian.PutUint32(b[off+4:], 0x70)
	}
	return b
}

// hostileApps writes crafted apps into dir: each is something a packer, a
// broken build or an attacker produces.
func hostileApps(t *testing.T, dir string) []string {
	manifest := fixtureBytes(t, "maimai-like.apk", "AndroidManifest.xml")
	dex := fixtureBytes(t, "maimai-like.apk", "classes.dex")
	other := fixtureBytes(t, "dataaccess.apk", "classes.dex")
	apps := map[string][]byte{
		"bomb.apk":             hzip(t, "AndroidManifest.xml", manifest, "classes.dex", make([]byte, 64<<20)),
		"hostile-dex.apk":      hzip(t, "AndroidManifest.xml", manifest, "classes.dex", hostileDex()),
		"garbage-manifest.apk": hzip(t, "AndroidManifest.xml", bytes.Repeat([]byte{3, 0, 8, 0, 0xff, 0xff, 0xff, 0x7f}, 4096), "classes.dex", dex),
		"duplicate-dex.apk":    hzip(t, "AndroidManifest.xml", manifest, "classes.dex", dex, "classes.dex", other),
		"path-tricks.apk":      hzip(t, "AndroidManifest.xml", manifest, "../../../../tmp/sdkaudit-escape", []byte("x"), "/etc/sdkaudit-escape", []byte("y"), "lib/arm64-v8a/../../../x.so", []byte("z"), "classes.dex", dex),
		"not-a-zip.apk":        bytes.Repeat([]byte("PK\x05\x06"), 1000),
		"empty.apk":            nil,
	}
	inner := hzip(t, "AndroidManifest.xml", manifest, "classes.dex", dex)
	nested := inner
	for i := 0; i < 4; i++ {
		nested = hzip(t, "AndroidManifest.xml", manifest, "assets/inner.apk", nested)
	}
	apps["nested.apk"] = nested
	// iOS: an Info.plist whose shared objects expand to 2^40 nodes, a
	// deflate bomb and junk as executables, bundles nested past the limit.
	info := iosgen.Plist(map[string]any{"CFBundleIdentifier": "com.example.h", "CFBundleExecutable": "H"}, true)
	apps["plist-bomb.ipa"] = iosgen.Zip([]iosgen.File{{Name: "Payload/H.app/Info.plist", Data: iosgen.PlistBomb(40)}})
	apps["macho-bomb.ipa"] = iosgen.Zip([]iosgen.File{{Name: "Payload/H.app/Info.plist", Data: info}, {Name: "Payload/H.app/H", Data: make([]byte, 64<<20)}})
	apps["junk-macho.ipa"] = iosgen.Zip([]iosgen.File{{Name: "Payload/H.app/Info.plist", Data: info}, {Name: "Payload/H.app/H", Data: bytes.Repeat([]byte("\xcf\xfa\xed\xfe\xff\xff\xff\x7f"), 4096)}})
	deep := "Payload/H.app/" + strings.Repeat("A.bundle/", 12) + "x.png"
	apps["deep-bundles.ipa"] = iosgen.Zip([]iosgen.File{{Name: "Payload/H.app/Info.plist", Data: info},
		{Name: "Payload/H.app/H", Data: iosgen.MachO{CPU: iosgen.CPUArm64, Type: iosgen.TypeExecute}.Bytes()}, {Name: deep, Data: []byte("x")}})
	set := hzip(t, "toc.pb", []byte{}, "splits/base-master.apk", inner, "splits/base-arm64_v8a.apk", inner)
	apps["truncated.apks"] = set[:len(set)/2]
	var names []string
	for n, b := range apps {
		names = append(names, writeFile(t, dir, n, b))
	}
	return names
}

func hostilePolicies(t *testing.T, dir string) []string {
	deep := strings.Repeat("<div>", 200000) + "个推 SDK 读取设备识别码" + strings.Repeat("</div>", 200000)
	wide := "<table><tr>" + strings.Repeat(`<td colspan="100000" rowspan="100000">x</td>`, 20000) + "</tr></table>"
	line := strings.Repeat("每日互动股份有限公司", 300000)
	return []string{
		writeFile(t, dir, "deep.html", []byte("<html><body>"+deep+"</body></html>")),
		writeFile(t, dir, "wide.html", []byte("<html><body>"+wide+"</body></html>")),
		writeFile(t, dir, "one-line.txt", []byte(line)),
		writeFile(t, dir, "binary.txt", append([]byte("%PDF-1.7\n"), make([]byte, 4096)...)),
		writeFile(t, dir, "utf16-garbage.txt", append([]byte{0xff, 0xfe}, bytes.Repeat([]byte{0x00, 0xd8}, 5000)...)),
		writeFile(t, dir, "md-bomb.md", []byte(strings.Repeat("> ", 100000)+"|a|b|\n|-|-|\n"+strings.Repeat("|x|y|\n", 100000))),
	}
}

// Every command on every hostile file ends inside its budget with a clear
// outcome: a one-line error naming the file (exit 2), an incomplete result,
// or a normal report; never a panic, a hang or a file written outside -o.
func TestHostileFilesEveryCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := t.TempDir()
	work := t.TempDir()
	apps := hostileApps(t, dir)
	pols := hostilePolicies(t, dir)
	goodApp := fixture(t, "maimai-like.apk")
	goodPolicy := filepath.Join("..", "..", "fixtures", "policies", "maimai-like-policy.txt")
	out := filepath.Join(work, "report.out")
	var runs [][]string
	for _, a := range apps {
		runs = append(runs,
			[]string{"scan", "--format", "json", "--timeout", "30s", a},
			[]string{"scan", "--format", "table", a},
			[]string{"audit", "--format", "sarif", "--policy", goodPolicy, "-o", out, a},
			[]string{"audit", "--format", "markdown", "--policy", goodPolicy, a},
			[]string{"diff", goodApp, a, "--policy", goodPolicy, "--format", "json"},
		)
	}
	for _, p := range pols {
		runs = append(runs,
			[]string{"policy", "extract", "--format", "json", p},
			[]string{"audit", "--format", "json", "--policy", p, goodApp},
		)
	}
	runs = append(runs, []string{"scan", "--format", "jsonl", "--jobs", "2", dir})
	before := listTree(t, os.TempDir())
	for _, args := range runs {
		start := time.Now()
		stdout, stderr, code := runCLI(t, args...)
		took := time.Since(start)
		name := strings.Join(args, " ")
		t.Logf("%-6v exit %d  %s  %s", took.Round(time.Millisecond), code, name, firstLine(stderr))
		if took > testenv.Hang(hostileBudget) {
			t.Errorf("%s: took %v, over the hang guard of %v", name, took, testenv.Hang(hostileBudget))
		}
		if strings.Contains(stderr, "internal error") || strings.Contains(stdout, "internal error") || strings.Contains(stderr, "panic") {
			t.Errorf("%s: a parser panicked: %s", name, stderr)
		}
		if want, ok := wantStatus[filepath.Base(args[len(args)-1])]; ok && args[0] == "scan" && args[2] == "json" {
			if got := scanStatus(t, stdout); got != want {
				t.Errorf("%s: status %q, want %q", name, got, want)
			}
		}
		switch code {
		case ExitOK, ExitFindings, ExitIncomplete:
			if args[1] == "--format" && args[2] == "json" && !json.Valid([]byte(stdout)) {
				t.Errorf("%s: exit %d but the output is not JSON", name, code)
			}
		case ExitInput:
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if args[0] != "scan" || args[len(args)-1] != dir {
				if len(lines) != 1 || !strings.HasPrefix(lines[0], "sdkaudit: ") {
					t.Errorf("%s: want one error line, got %q", name, stderr)
				}
			}
		default:
			t.Errorf("%s: exit %d", name, code)
		}
	}
	if after := listTree(t, os.TempDir()); after != before {
		t.Errorf("files appeared in %s while scanning", os.TempDir())
	}
	entries, _ := os.ReadDir(work)
	for _, e := range entries {
		if e.Name() != "report.out" {
			t.Errorf("unexpected file %s beside -o", e.Name())
		}
	}
	for _, p := range []string{"/tmp/sdkaudit-escape", "/etc/sdkaudit-escape"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
}

// wantStatus is what a scan must say about the apps a gate must not pass
// as fully read ("error": it could not be read at all).
var wantStatus = map[string]string{
	"bomb.apk":             "incomplete",
	"hostile-dex.apk":      "incomplete",
	"duplicate-dex.apk":    "incomplete",
	"nested.apk":           "incomplete", // its DEX is four archives deep, one past the limit
	"garbage-manifest.apk": "error",
	"not-a-zip.apk":        "error",
	"empty.apk":            "error",
	"truncated.apks":       "error",
	"plist-bomb.ipa":       "error",
	"macho-bomb.ipa":       "incomplete",
	"junk-macho.ipa":       "incomplete",
	"deep-bundles.ipa":     "incomplete",
}

func scanStatus(t *testing.T, out string) string {
	var doc struct {
		Apps []struct {
			Status string `json:"status"`
		} `json:"apps"`
	}
	if json.Unmarshal([]byte(out), &doc) != nil || len(doc.Apps) != 1 {
		return ""
	}
	return doc.Apps[0].Status
}

// listTree names the entries directly under dir whose names could come
// from an app, so a test sees whether a scan wrote any.
func listTree(t *testing.T, dir string) string {
	entries, _ := os.ReadDir(dir)
	var b strings.Builder
	for _, e := range entries {
		if strings.Contains(e.Name(), "sdkaudit-escape") || strings.HasSuffix(e.Name(), ".so") {
			b.WriteString(e.Name() + "\n")
		}
	}
	return b.String()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 160 {
		s = s[:160]
	}
	return s
}
