package aab

import (
	"archive/zip"
	"bytes"
	"os"
	"slices"
	"testing"
)

func entries(t *testing.T, z []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		if !f.Modified.Equal(modTime) {
			t.Errorf("%s: time %v, want the fixed %v", f.Name, f.Modified, modTime)
		}
		names = append(names, f.Name)
	}
	return names
}

func TestFromAPKLayout(t *testing.T) {
	apk, err := os.ReadFile("../../../fixtures/apk/full.apk")
	if err != nil {
		t.Fatal(err)
	}
	a, err := FromAPK(apk)
	if err != nil {
		t.Fatal(err)
	}
	b, err := FromAPK(apk)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two conversions of the same APK differ")
	}
	want := []string{
		"BundleConfig.pb",
		"base/assets/config/sdk.json",
		"base/assets/extra.dex",
		"base/assets/payload.jar",
		"base/assets/plugin.apk",
		"base/dex/classes.dex",
		"base/dex/classes2.dex",
		"base/lib/arm64-v8a/libbar.so",
		"base/lib/arm64-v8a/libfoo.so",
		"base/lib/armeabi-v7a/libfoo.so",
		"base/manifest/AndroidManifest.xml",
	}
	got := slices.DeleteFunc(entries(t, a), func(s string) bool { return len(s) > 9 && s[:9] == "base/res/" })
	if !slices.Equal(got, want) {
		t.Errorf("entries\n got %q\nwant %q", got, want)
	}
}

func TestPlace(t *testing.T) {
	for in, want := range map[string]string{
		"AndroidManifest.xml":            "",
		"resources.arsc":                 "",
		"META-INF/CERT.RSA":              "",
		"META-INF/MANIFEST.MF":           "",
		"META-INF/androidx.core.version": "root/META-INF/androidx.core.version",
		"classes3.dex":                   "dex/classes3.dex",
		"lib/x86_64/libq.so":             "lib/x86_64/libq.so",
		"lib/libstray.so":                "root/lib/libstray.so",
		"assets/a/b.bin":                 "assets/a/b.bin",
		"res/xml/c.xml":                  "res/xml/c.xml",
		"kotlin/kotlin.kotlin_builtins":  "root/kotlin/kotlin.kotlin_builtins",
		"sub/classes.dex":                "root/sub/classes.dex",
	} {
		if got := place(in); got != want {
			t.Errorf("place(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAddFeature(t *testing.T) {
	base, err := os.ReadFile("../../../fixtures/apk/minimal.apk")
	if err != nil {
		t.Fatal(err)
	}
	plugin, err := os.ReadFile("../../../fixtures/apk/plugin.apk")
	if err != nil {
		t.Fatal(err)
	}
	a, err := FromAPK(base)
	if err != nil {
		t.Fatal(err)
	}
	f, err := AddFeature(a, "pay", plugin)
	if err != nil {
		t.Fatal(err)
	}
	names := entries(t, f)
	for _, n := range []string{"BundleConfig.pb", "base/manifest/AndroidManifest.xml", "base/dex/classes.dex", "pay/manifest/AndroidManifest.xml", "pay/dex/classes.dex"} {
		if !slices.Contains(names, n) {
			t.Errorf("missing %s in %q", n, names)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("entries not sorted: %q", names)
	}
	for _, bad := range []string{"base", "pay", "", "a/b", "../x"} {
		if _, err := AddFeature(f, bad, plugin); err == nil {
			t.Errorf("AddFeature(%q) accepted", bad)
		}
	}
}
