package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// go install builds carry no -ldflags stamp: the version and commit come
// from the module version and vcs.revision of the build info.
func TestStampFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}
	for _, tc := range []struct {
		v, c         string
		bi           *debug.BuildInfo
		wantV, wantC string
	}{
		{"", "", bi, "v1.2.3", "0123456789ab-dirty"},
		{"v9", "feedface", bi, "v9", "feedface"},
		{"", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev", ""},
		{"", "", nil, "dev", ""},
	} {
		if v, c := stampOf(tc.v, tc.c, tc.bi); v != tc.wantV || c != tc.wantC {
			t.Errorf("stampOf(%q, %q): %q %q, want %q %q", tc.v, tc.c, v, c, tc.wantV, tc.wantC)
		}
	}
}

// make build gives a static binary (no ELF interpreter, no shared
// libraries) that prints the version and commit it was stamped with.
func TestMakeBuildIsStaticAndStamped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make not installed")
	}
	bin := filepath.Join(t.TempDir(), "sdkaudit")
	build := exec.Command("make", "-s", "-C", filepath.Join("..", ".."), "build", "BIN="+bin, "VERSION=v0.0.0-test", "COMMIT=abc123def456")
	build.Env = append(os.Environ(), "CGO_ENABLED=1") // the Makefile must turn cgo off itself
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Skipf("not an ELF platform: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary asks for a dynamic loader: it is not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary links %v", libs)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "sdkaudit v0.0.0-test (commit abc123def456)" {
		t.Errorf("--version: %v %q", err, out)
	}
}
