package container

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sdkaudit/sdkaudit/internal/safefile"
)

// Formats an app can come in. The format is decided by what the archive
// holds, never by the file's extension.
const (
	// FormatAPK is a single APK (AndroidManifest.xml at the root).
	FormatAPK = "apk"
	// FormatAPKS is bundletool's app set: toc.pb and splits/*.apk.
	FormatAPKS = "apks"
	// FormatXAPK is APKPure's archive: manifest.json and the APKs.
	FormatXAPK = "xapk"
	// FormatAPKM is APKMirror's archive: info.json and the APKs.
	FormatAPKM = "apkm"
	// FormatZipOfAPKs is any other zip of APKs (split APKs zipped up).
	FormatZipOfAPKs = "zip-of-apks"
	// FormatAAB is an Android App Bundle: modules with protobuf manifests.
	FormatAAB = "aab"
	// FormatSplitDir is a directory of split APKs (base.apk, split_*.apk).
	FormatSplitDir = "split-dir"
)

// Part is one APK of an app, or one module of a bundle. Parts are opened
// one at a time, so an app made of many APKs is never held in memory at
// once.
type Part struct {
	// Path is where the part is: an entry of the outer archive, a file of
	// a split directory, a bundle module's folder, or "" for a plain APK.
	Path string
	// Module is a bundle module's name (base, or a feature), "" otherwise.
	Module string
	// ProtoManifest is true when the manifest is aapt2's protobuf XML
	// (bundle modules) rather than binary XML.
	ProtoManifest bool
	// Size is the part's size in bytes as stored.
	Size int64

	open func() (*Archive, func(), error)
}

// Open returns the part's archive laid out like an APK (a bundle module's
// manifest/, dex/ and root/ folders mapped to the APK's places) and a
// function that releases it. Call release before opening the next part:
// a compressed nested APK is inflated into memory for as long as it is
// open.
func (p *Part) Open() (a *Archive, release func(), err error) { return p.open() }

// App is a package file (or directory) and the parts it is made of.
type App struct {
	Format string
	// Parts are in a stable order: for bundles the base module first, for
	// archives of APKs by entry name.
	Parts []*Part
	// Notes describe what was skipped or looked odd (alternative
	// standalone APKs, OBB files, unreadable metadata).
	Notes []Note
	// Archive is the outer zip; nil for a split directory.
	Archive *Archive
}

// OpenApp opens the file in r and works out its format from its entries.
// A zip that is none of the app formats is returned as FormatAPK, so the
// manifest stage reports what is missing.
func OpenApp(r io.ReaderAt, size int64, lim Limits) (*App, error) {
	a, err := Open(r, size, lim)
	if err != nil {
		return nil, err
	}
	app := &App{Archive: a}
	apks := topLevelAPKs(a)
	switch {
	case has(a, "AndroidManifest.xml"):
		app.Format = FormatAPK
	case has(a, "base/manifest/AndroidManifest.xml"):
		app.Format = FormatAAB
		app.Parts = bundleModules(a)
		return app, nil
	case has(a, "toc.pb") && len(entriesUnder(a, "splits/", ".apk")) > 0:
		app.Format = FormatAPKS
		app.Parts = nestedParts(a, entriesUnder(a, "splits/", ".apk"), lim)
		if n := len(entriesUnder(a, "standalones/", ".apk")); n > 0 {
			app.Notes = append(app.Notes, Note{Code: "standalone-apks-skipped", Message: fmt.Sprintf("%d standalone APKs (alternatives for old devices) were not scanned; the splits were", n)})
		}
		return app, nil
	case has(a, "toc.pb") && has(a, "universal.apk"):
		app.Format = FormatAPKS
		app.Parts = nestedParts(a, []*Entry{mustLookup(a, "universal.apk")}, lim)
		return app, nil
	case has(a, "toc.pb") && len(entriesUnder(a, "standalones/", ".apk")) > 0:
		app.Format = FormatAPKS
		st := entriesUnder(a, "standalones/", ".apk")
		app.Parts = nestedParts(a, st[:1], lim)
		if len(st) > 1 {
			app.Notes = append(app.Notes, Note{Code: "standalone-apks-skipped", Message: fmt.Sprintf("app set of %d alternative standalone APKs: %s was scanned", len(st), st[0].Name)})
		}
		return app, nil
	case len(apks) > 0:
		switch {
		case has(a, "manifest.json"):
			app.Format = FormatXAPK
		case has(a, "info.json"):
			app.Format = FormatAPKM
		default:
			app.Format = FormatZipOfAPKs
		}
		app.Parts = nestedParts(a, apks, lim)
		if obb := entriesUnder(a, "Android/obb/", ""); len(obb) > 0 {
			app.Notes = append(app.Notes, Note{Code: "obb-files", Message: fmt.Sprintf("%d OBB expansion files (data, not code) were not scanned", len(obb))})
		}
		return app, nil
	default:
		app.Format = FormatAPK
	}
	app.Parts = []*Part{{Size: size, open: func() (*Archive, func(), error) { return a, func() {}, nil }}}
	return app, nil
}

// IsSplitDir reports whether dir holds a split APK set the way adb and
// the package manager name one: base.apk beside split_*.apk files. Other
// directories are folders of separate apps.
func IsSplitDir(dir string) bool {
	if st, err := os.Stat(filepath.Join(dir, "base.apk")); err != nil || !st.Mode().IsRegular() {
		return false
	}
	m, _ := filepath.Glob(filepath.Join(dir, "split_*.apk"))
	return len(m) > 0
}

// OpenDir opens a directory of split APKs: every *.apk in it (not in
// subdirectories) is a part.
func OpenDir(dir string, lim Limits) (*App, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.apk"))
	if err != nil {
		return nil, &Error{Offset: -1, Err: err}
	}
	sort.Strings(files)
	app := &App{Format: FormatSplitDir}
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		file := f
		app.Parts = append(app.Parts, &Part{Path: filepath.Base(f), Size: st.Size(), open: func() (*Archive, func(), error) {
			// Only a regular file is opened: the member may have been
			// swapped for a named pipe since the stat above.
			fh, fst, err := safefile.Open(file)
			if err != nil {
				return nil, nil, &Error{Offset: -1, Err: err}
			}
			a, err := Open(fh, fst.Size(), lim)
			if err != nil {
				fh.Close()
				return nil, nil, err
			}
			return a, func() { fh.Close() }, nil
		}})
	}
	if len(app.Parts) == 0 {
		return nil, &Error{Offset: -1, Err: fmt.Errorf("%w: no *.apk files in the directory", ErrEmpty)}
	}
	return app, nil
}

func has(a *Archive, name string) bool {
	e, ok := a.Lookup(name)
	return ok && !e.Shadowed
}

func mustLookup(a *Archive, name string) *Entry {
	e, _ := a.Lookup(name)
	return e
}

// topLevelAPKs are the *.apk entries at the archive's root.
func topLevelAPKs(a *Archive) []*Entry {
	var out []*Entry
	for _, e := range a.Entries {
		if !e.Shadowed && !strings.Contains(e.Name, "/") && strings.HasSuffix(strings.ToLower(e.Name), ".apk") {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// entriesUnder are the entries directly or deeper under dir with the
// suffix (any when empty), sorted by name.
func entriesUnder(a *Archive, dir, suffix string) []*Entry {
	var out []*Entry
	for _, e := range a.Entries {
		if !e.Shadowed && strings.HasPrefix(e.Name, dir) && strings.HasSuffix(strings.ToLower(e.Name), suffix) && len(e.Name) > len(dir) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// nestedParts makes a part of each APK entry. A stored entry is read in
// place through a section of the outer file; a compressed one is inflated
// (within the limits) when the part is opened and dropped on release.
func nestedParts(a *Archive, entries []*Entry, lim Limits) []*Part {
	parts := make([]*Part, 0, len(entries))
	for _, e := range entries {
		e := e
		parts = append(parts, &Part{Path: e.Name, Size: int64(e.UncompressedSize), open: func() (*Archive, func(), error) {
			if e.Method == zip.Store && e.DataOffset() >= 0 && e.CompressedSize == e.UncompressedSize {
				sr := io.NewSectionReader(a.r, e.DataOffset(), int64(e.CompressedSize))
				inner, err := Open(sr, sr.Size(), lim)
				if err != nil {
					return nil, nil, wrapNested(e.Name, err)
				}
				return inner, func() {}, nil
			}
			b, err := a.Read(e)
			if err != nil {
				return nil, nil, err
			}
			inner, err := Open(bytes.NewReader(b), int64(len(b)), lim)
			if err != nil {
				return nil, nil, wrapNested(e.Name, err)
			}
			return inner, func() { b = nil }, nil
		}})
	}
	return parts
}

func wrapNested(name string, err error) error {
	return &Error{Entry: name, Offset: -1, Err: fmt.Errorf("nested APK: %w", err)}
}

// bundleModules finds the modules of an app bundle: folders holding
// manifest/AndroidManifest.xml, the base module first.
func bundleModules(a *Archive) []*Part {
	var names []string
	for _, e := range a.Entries {
		dir, rest, ok := strings.Cut(e.Name, "/")
		if ok && rest == "manifest/AndroidManifest.xml" && !e.Shadowed {
			names = append(names, dir)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "base") != (names[j] == "base") {
			return names[i] == "base"
		}
		return names[i] < names[j]
	})
	parts := make([]*Part, 0, len(names))
	for _, m := range names {
		m := m
		view := moduleView(a, m)
		var size int64
		for _, e := range view.Entries {
			size += int64(e.CompressedSize)
		}
		parts = append(parts, &Part{Path: m + "/", Module: m, ProtoManifest: true, Size: size, open: func() (*Archive, func(), error) {
			return view, func() {}, nil
		}})
	}
	return parts
}

// moduleView presents a bundle module as an APK: manifest/ and dex/ and
// root/ move to the root, lib/, assets/ and res/ keep their names. Entries
// of the module that an APK has no place for (assets.pb, native.pb) keep
// their module-relative name. The view shares the outer file and its
// inflation budget.
func moduleView(a *Archive, module string) *Archive {
	prefix := module + "/"
	v := &Archive{Size: a.Size, r: a.r, zr: a.zr, lim: a.lim, read: a.read, byName: map[string]*Entry{}}
	for _, e := range a.Entries {
		rest, ok := strings.CutPrefix(e.Name, prefix)
		if !ok || rest == "" {
			continue
		}
		name := rest
		switch {
		case rest == "manifest/AndroidManifest.xml":
			name = "AndroidManifest.xml"
		case strings.HasPrefix(rest, "dex/"):
			name = path.Base(rest)
		case strings.HasPrefix(rest, "root/"):
			name = strings.TrimPrefix(rest, "root/")
		}
		ne := &Entry{Name: name, Method: e.Method, CompressedSize: e.CompressedSize, UncompressedSize: e.UncompressedSize, Shadowed: e.Shadowed, f: e.f}
		if _, seen := v.byName[name]; seen {
			ne.Shadowed = true
		} else {
			v.byName[name] = ne
		}
		v.Entries = append(v.Entries, ne)
	}
	return v
}
