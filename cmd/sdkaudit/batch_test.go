package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/report/model"
)

// batchDir fills a directory tree with n files: copies of the fixtures in
// every format, and broken files (empty, truncated, text, a zip without a
// manifest) in between, plus files a walk must ignore.
func batchDir(t *testing.T, n int) (dir string, broken int) {
	t.Helper()
	dir = t.TempDir()
	srcs, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "apk", "*.apk"))
	fx, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "apk", "formats", "*.*"))
	for _, f := range fx {
		if !strings.HasSuffix(f, ".txt") && !strings.HasSuffix(f, ".md") {
			srcs = append(srcs, f)
		}
	}
	var blobs [][]byte
	for _, s := range srcs {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		blobs = append(blobs, b)
	}
	for i := 0; i < n; i++ {
		sub := filepath.Join(dir, fmt.Sprintf("store%d", i%7))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		var data []byte
		switch i % 10 {
		case 3:
			data = nil
		case 6:
			// The first kilobyte: cut before any nested APK's own end
			// record could make the rest look like a prefixed zip.
			data = blobs[i%len(blobs)][:1024]
		case 9:
			data = []byte("not an apk at all")
		default:
			data = blobs[i%len(blobs)]
		}
		if i%10 == 3 || i%10 == 6 || i%10 == 9 {
			broken++
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("app%03d.apk", i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "README.txt"), []byte("not an app"), 0o644)
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, ".git", "x.apk"), []byte("hidden"), 0o644)
	return dir, broken
}

// TestBatch200 scans 200 files, a fifth of them broken, walking a
// directory: one JSONL line per file, one stderr line per broken file,
// exit 2, and the same output for --jobs 1 and 2.
func TestBatch200(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir, broken := batchDir(t, 200)
	out1, err1, code := runCLI(t, "scan", "--format", "jsonl", "--no-code", "--jobs", "2", dir)
	if code != ExitInput {
		t.Errorf("exit %d, want %d", code, ExitInput)
	}
	lines := 0
	failed := 0
	sc := bufio.NewScanner(strings.NewReader(out1))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var app struct {
			File   string `json:"file"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(sc.Bytes(), &app); err != nil {
			t.Fatalf("line %d: %v", lines+1, err)
		}
		if app.Status == "error" {
			failed++
		}
		lines++
	}
	if lines != 200 {
		t.Errorf("%d JSONL lines, want 200", lines)
	}
	if failed != broken {
		t.Errorf("%d failed apps, want %d", failed, broken)
	}
	if n := strings.Count(err1, "\n"); n != broken {
		t.Errorf("%d stderr lines, want %d:\n%s", n, broken, err1)
	}
	out2, _, _ := runCLI(t, "scan", "--format", "jsonl", "--no-code", "--jobs", "1", dir)
	if out1 != out2 {
		t.Error("output differs between --jobs 1 and --jobs 2")
	}
}

func TestAuditBatch(t *testing.T) {
	dir, broken := batchDir(t, 20)
	pol := filepath.Join("..", "..", "fixtures", "policies", "maimai-like-policy.txt")
	stdout, stderr, code := runCLI(t, "audit", dir, "--policy", pol, "--format", "json", "--fail-on", "none")
	if code != ExitInput {
		t.Errorf("exit %d (stderr %s)", code, stderr)
	}
	var doc struct {
		Apps          []json.RawMessage    `json:"apps"`
		ChannelGroups []model.ChannelGroup `json:"channel_groups"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Apps) != 20-broken {
		t.Errorf("%d apps, want %d", len(doc.Apps), 20-broken)
	}
	if len(doc.ChannelGroups) == 0 {
		t.Error("copies of one app were not grouped")
	}
	for _, g := range doc.ChannelGroups {
		if len(g.Builds) < 2 {
			t.Errorf("group of %d builds", len(g.Builds))
		}
	}
	// One app per line, and a format that cannot hold several apps is
	// refused up front.
	jl, _, _ := runCLI(t, "audit", dir, "--policy", pol, "--format", "jsonl", "--fail-on", "none")
	if n := strings.Count(jl, "\n"); n != 20-broken {
		t.Errorf("%d JSONL lines", n)
	}
	if _, e, c := runCLI(t, "audit", dir, "--policy", pol, "--format", "cyclonedx"); c != ExitInput || !strings.Contains(e, "one app") {
		t.Errorf("cyclonedx batch: exit %d, %s", c, e)
	}
	table, _, _ := runCLI(t, "audit", dir, "--policy", pol, "--fail-on", "none")
	if !strings.Contains(table, "== channel builds of") || !strings.Contains(table, "20 files:") {
		t.Errorf("table lacks the channel section or the summary:\n%s", table[max(0, len(table)-2000):])
	}
}

func TestGroupChannels(t *testing.T) {
	f := func(fp string) audit.Finding { return audit.Finding{Fingerprint: fp, Rule: "SA1001"} }
	ms := []audit.Member{
		{File: "a.apk", Package: "p", VersionCode: "1", SDKs: []string{"x", "y"}, Permissions: []string{"P1"}, MetaData: map[string]string{"UMENG_CHANNEL": "huawei", "K": "v"}, Findings: []audit.Finding{f("1"), f("2")}},
		{File: "b.apk", Package: "p", VersionCode: "1", SDKs: []string{"x", "y", "z"}, Permissions: []string{"P1", "P2"}, MetaData: map[string]string{"UMENG_CHANNEL": "xiaomi", "K": "v"}, Findings: []audit.Finding{f("1"), f("3")}},
		{File: "c.apk", Package: "p", VersionCode: "2", MetaData: map[string]string{}},
	}
	gs := audit.GroupChannels(ms)
	if len(gs) != 1 {
		t.Fatalf("%d groups", len(gs))
	}
	g := gs[0]
	if strings.Join(g.ChannelKeys, ",") != "UMENG_CHANNEL" || len(g.CommonFindings) != 1 || g.CommonFindings[0].Fingerprint != "1" {
		t.Errorf("group %+v", g)
	}
	b := g.Builds[1]
	if strings.Join(b.ExtraSDKs, ",") != "z" || strings.Join(b.ExtraPermissions, ",") != "P2" || b.Channel["UMENG_CHANNEL"] != "xiaomi" || len(b.SpecificFindings) != 1 {
		t.Errorf("build %+v", b)
	}
}

// TestChannelBuilds: the three store builds of maimai-like form one group
// whose channel key is UMENG_CHANNEL; the Xiaomi build's own SDK and
// permission are called out; the group is golden.
func TestChannelBuilds(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "apk", "channels", "*.apk"))
	if len(files) != 3 {
		t.Fatalf("want 3 channel fixtures, got %d (run make fixtures)", len(files))
	}
	pol := filepath.Join("..", "..", "fixtures", "policies", "maimai-like-policy.txt")
	stdout, stderr, code := runCLI(t, append([]string{"audit", "--policy", pol, "--format", "json", "--fail-on", "none"}, files...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		ChannelGroups []model.ChannelGroup `json:"channel_groups"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.ChannelGroups) != 1 {
		t.Fatalf("%d groups", len(doc.ChannelGroups))
	}
	g := doc.ChannelGroups[0]
	if strings.Join(g.ChannelKeys, ",") != "UMENG_CHANNEL" {
		t.Errorf("channel keys %v", g.ChannelKeys)
	}
	for _, b := range g.Builds {
		xiaomi := strings.Contains(b.File, "xiaomi")
		if got := strings.Join(b.ExtraSDKs, ","); xiaomi != (got == "xiaomi-mimo-ads") || !xiaomi && got != "" {
			t.Errorf("%s: extra SDKs %q", b.File, got)
		}
		if got := strings.Join(b.ExtraPermissions, ","); xiaomi != (got == "android.permission.REQUEST_INSTALL_PACKAGES") {
			t.Errorf("%s: extra permissions %q", b.File, got)
		}
	}
	got, _ := json.MarshalIndent(g, "", "  ")
	compareGolden(t, filepath.Join("testdata", "golden", "channel-group.json"), string(got)+"\n")
}
