package aab

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
)

// modTime is fixed so the same APK always gives byte-identical bundles.
var modTime = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)

// maxEntry bounds one inflated entry; fixtures are tiny and a bigger one
// means a test fed the wrong file.
const maxEntry = 256 << 20

// BundleConfig.pb: BundleConfig{bundletool: Bundletool{version: "1.15.6"}}.
// bundletool refuses a bundle without the file; the version is one that
// writes the layout produced here.
var bundleConfig = []byte{0x0a, 0x08, 0x12, 0x06, '1', '.', '1', '5', '.', '6'}

var moduleName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// FromAPK converts an APK into an Android App Bundle holding it as the base
// module.
func FromAPK(apk []byte) ([]byte, error) {
	mod, err := moduleEntries("base", apk)
	if err != nil {
		return nil, err
	}
	mod["BundleConfig.pb"] = bundleConfig
	return writeZip(mod)
}

// AddFeature returns aab with apk added as the dynamic feature module
// named module (its folder, e.g. "feature_pay/").
func AddFeature(aab []byte, module string, apk []byte) ([]byte, error) {
	return AddFeatures(aab, map[string][]byte{module: apk})
}

// AddFeatures returns aab with each APK of modules added as the dynamic
// feature module of that name. The bundle is read and written once,
// however many modules are added, so a test can build a bundle of
// thousands of modules.
func AddFeatures(aab []byte, modules map[string][]byte) ([]byte, error) {
	entries, err := readZip(aab)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for name := range entries {
		if dir, _, ok := strings.Cut(name, "/"); ok {
			have[dir] = true
		}
	}
	names := make([]string, 0, len(modules))
	for m := range modules {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, module := range names {
		if !moduleName.MatchString(module) || module == "base" || module == "BUNDLE-METADATA" {
			return nil, fmt.Errorf("aab: bad feature module name %q", module)
		}
		if have[module] {
			return nil, fmt.Errorf("aab: module %q already in the bundle", module)
		}
		mod, err := moduleEntries(module, modules[module])
		if err != nil {
			return nil, err
		}
		for name, data := range mod {
			entries[name] = data
		}
		have[module] = true
	}
	return writeZip(entries)
}

// moduleEntries lays an APK's files out as bundletool's module folders.
func moduleEntries(module string, apk []byte) (map[string][]byte, error) {
	files, err := readZip(apk)
	if err != nil {
		return nil, err
	}
	axml, ok := files["AndroidManifest.xml"]
	if !ok {
		return nil, errors.New("aab: APK has no AndroidManifest.xml")
	}
	root, err := decodeAXML(axml)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{module + "/manifest/AndroidManifest.xml": encodeNode(root)}
	for name, data := range files {
		if dst := place(name); dst != "" {
			out[module+"/"+dst] = data
		}
	}
	return out, nil
}

// place maps an APK path to its place inside a module folder, or "" for
// files a bundle does not carry: the binary manifest and resource table
// (a bundle has protobuf forms instead, and no resources.pb is written)
// and the APK signature, which bundletool makes anew for each split.
func place(name string) string {
	dir, file := path.Split(name)
	switch {
	case name == "AndroidManifest.xml" || name == "resources.arsc":
		return ""
	case dir == "META-INF/" && (file == "MANIFEST.MF" || hasAnySuffix(file, ".SF", ".RSA", ".DSA", ".EC")):
		return ""
	case dir == "" && strings.HasPrefix(file, "classes") && strings.HasSuffix(file, ".dex"):
		return "dex/" + file
	case strings.HasPrefix(name, "lib/") && strings.Count(name, "/") == 2:
		return name // lib/<abi>/<file>; a stray lib/x.so stays a root file
	case strings.HasPrefix(name, "assets/"), strings.HasPrefix(name, "res/"):
		return name
	}
	return "root/" + name
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

func readZip(b []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("aab: %w", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("aab: %s: %w", f.Name, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxEntry+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("aab: %s: %w", f.Name, err)
		}
		if len(data) > maxEntry {
			return nil, fmt.Errorf("aab: %s: larger than %d bytes", f.Name, maxEntry)
		}
		files[f.Name] = data
	}
	return files, nil
}

// writeZip writes entries sorted by name with fixed times, deflated.
func writeZip(entries map[string][]byte) ([]byte, error) {
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: modTime})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(entries[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
