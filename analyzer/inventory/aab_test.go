package inventory

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/analyzer/internal/aab"
)

var updateAAB = flag.Bool("update-aab", false, "rewrite fixtures/apk/formats/maimai.aab")

// buildAAB assembles maimai.aab from the split fixtures, since Debian has
// no bundletool: the base module is base.apk with the config split's
// native libraries (a bundle keeps every ABI in its base module), and the
// feature split becomes the "chat" module.
func buildAAB(t *testing.T) []byte {
	t.Helper()
	dir := filepath.Join("..", "..", "fixtures", "apk", "formats", "maimai-split")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	base, err := mergeZips(read("base.apk"), read("split_config.arm64_v8a.apk"), "lib/")
	if err != nil {
		t.Fatal(err)
	}
	b, err := aab.FromAPK(base)
	if err != nil {
		t.Fatal(err)
	}
	if b, err = aab.AddFeature(b, "chat", read("split_chat.apk")); err != nil {
		t.Fatal(err)
	}
	return b
}

// mergeZips returns a with the entries of b under prefix added, with fixed
// timestamps so the result is reproducible.
func mergeZips(a, b []byte, prefix string) ([]byte, error) {
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	copyFrom := func(data []byte, keep func(string) bool) error {
		r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return err
		}
		for _, f := range r.File {
			if !keep(f.Name) {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return err
			}
			body, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return err
			}
			fw, err := w.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				return err
			}
			if _, err := fw.Write(body); err != nil {
				return err
			}
		}
		return nil
	}
	if err := copyFrom(a, func(n string) bool { return !strings.HasPrefix(n, "META-INF/") }); err != nil {
		return nil, err
	}
	if err := copyFrom(b, func(n string) bool { return strings.HasPrefix(n, prefix) }); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// TestAABFixtureCurrent keeps the committed maimai.aab equal to what the
// builder makes from the split fixtures; -update rewrites it.
func TestAABFixtureCurrent(t *testing.T) {
	got := buildAAB(t)
	path := filepath.Join("..", "..", "fixtures", "apk", "formats", "maimai.aab")
	if *updateAAB {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./analyzer/inventory -run TestAABFixtureCurrent -update-aab)", err)
	}
	if !bytes.Equal(want, got) {
		t.Error("fixtures/apk/formats/maimai.aab is stale or the builder is not deterministic (run with -update-aab)")
	}
}

// TestAABModules: the bundle's modules are found, the base first, and the
// protobuf manifests merge like split APKs.
func TestAABModules(t *testing.T) {
	path := filepath.Join("..", "..", "fixtures", "apk", "formats", "maimai.aab")
	inv, err := ScanFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Format != container.FormatAAB || len(inv.Parts) != 2 || inv.Parts[0].Module != "base" || inv.Parts[1].Kind != "feature" {
		t.Errorf("format %s parts %+v", inv.Format, inv.Parts)
	}
	if inv.Status != StatusComplete {
		t.Errorf("status %s: %+v", inv.Status, inv.Errors)
	}
}

// TestAABBuiltByBundletool scans a bundle that Android's own tools built
// (fixtures/aab/bundletool): four modules, the base first, its DEX read,
// and nothing left unread.
func TestAABBuiltByBundletool(t *testing.T) {
	path := filepath.Join("..", "..", "fixtures", "aab", "bundletool", "install-time-permanent-modules.aab")
	inv, err := ScanFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != StatusComplete || len(inv.Errors) > 0 {
		t.Errorf("status %s: %+v", inv.Status, inv.Errors)
	}
	var modules []string
	for _, p := range inv.Parts {
		modules = append(modules, p.Module+":"+p.Kind)
	}
	if got, want := strings.Join(modules, " "), "base:base assets:feature initialInstall:feature java:feature"; got != want {
		t.Errorf("modules %q, want %q", got, want)
	}
	if inv.Format != container.FormatAAB || inv.Manifest.Package != "com.google.android.samples.dynamicfeatures.ondemand" {
		t.Errorf("format %s package %q", inv.Format, inv.Manifest.Package)
	}
	if len(inv.Dex.Files) == 0 || inv.Dex.Files[0].Classes != 1296 {
		t.Errorf("DEX files %+v, want classes.dex with 1296 classes", inv.Dex.Files)
	}
}
