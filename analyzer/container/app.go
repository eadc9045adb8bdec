package container

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

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
	// FormatIPA is an iOS app archive: Payload/<App>.app/ with its
	// Info.plist, executable, frameworks and extensions.
	FormatIPA = "ipa"
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

	open func(ctx context.Context) (*Archive, func(), error)
}

// Open returns the part's archive laid out like an APK (a bundle module's
// manifest/, dex/ and root/ folders mapped to the APK's places) and a
// function that releases it. Call release before opening the next part:
// a compressed nested APK is inflated into memory for as long as it is
// open.
func (p *Part) Open() (a *Archive, release func(), err error) { return p.open(context.Background()) }

// OpenContext is Open that stops inflating a compressed part when ctx is
// done.
func (p *Part) OpenContext(ctx context.Context) (a *Archive, release func(), err error) {
	return p.open(ctx)
}

// App is a package file (or directory) and the parts it is made of.
type App struct {
	Format string
	// Parts are in a stable order: for bundles the base module first, for
	// archives of APKs by entry name.
	Parts []*Part
	// Notes describe what was skipped or looked odd (alternative
	// standalone APKs, OBB files, unreadable metadata).
	Notes []Note
	// Problems are what leaves the app partly read before any part is
	// opened (more parts or modules than the limit).
	Problems []Note
	// Archive is the outer zip; nil for a split directory.
	Archive *Archive

	budget *budget
}

// BudgetExhausted reports whether the app has spent its inflate budget
// (shared by all its parts and the archives nested in them): opening
// more parts would only fail.
func (app *App) BudgetExhausted() bool { return app.budget.exhausted() }

// OpenApp opens the file in r and works out its format from its entries.
// A zip that is none of the app formats is returned as FormatAPK, so the
// manifest stage reports what is missing.
func OpenApp(r io.ReaderAt, size int64, lim Limits) (*App, error) {
	a, err := Open(r, size, lim)
	if err != nil {
		return nil, err
	}
	lim = a.lim
	app := &App{Archive: a, budget: a.budget}
	apks := topLevelAPKs(a)
	switch {
	case has(a, "AndroidManifest.xml"):
		app.Format = FormatAPK
	case has(a, "base/manifest/AndroidManifest.xml"):
		app.Format = FormatAAB
		app.Parts = bundleModules(app, a)
		return app, nil
	case has(a, "toc.pb") && len(entriesUnder(a, "splits/", ".apk")) > 0:
		app.Format = FormatAPKS
		app.Parts = nestedParts(app, a, entriesUnder(a, "splits/", ".apk"), lim)
		if n := len(entriesUnder(a, "standalones/", ".apk")); n > 0 {
			app.Notes = append(app.Notes, Note{Code: "standalone-apks-skipped", Message: fmt.Sprintf("%d standalone APKs (alternatives for old devices) were not scanned; the splits were", n)})
		}
		return app, nil
	case has(a, "toc.pb") && has(a, "universal.apk"):
		app.Format = FormatAPKS
		app.Parts = nestedParts(app, a, []*Entry{mustLookup(a, "universal.apk")}, lim)
		return app, nil
	case has(a, "toc.pb") && len(entriesUnder(a, "standalones/", ".apk")) > 0:
		app.Format = FormatAPKS
		st := entriesUnder(a, "standalones/", ".apk")
		app.Parts = nestedParts(app, a, st[:1], lim)
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
		app.Parts = nestedParts(app, a, apks, lim)
		if obb := entriesUnder(a, "Android/obb/", ""); len(obb) > 0 {
			app.Notes = append(app.Notes, Note{Code: "obb-files", Message: fmt.Sprintf("%d OBB expansion files (data, not code) were not scanned", len(obb))})
		}
		return app, nil
	case IPARoot(a) != "":
		app.Format = FormatIPA
	default:
		app.Format = FormatAPK
	}
	app.Parts = []*Part{{Size: size, open: func(context.Context) (*Archive, func(), error) { return a, func() {}, nil }}}
	return app, nil
}

// IPARoot returns the app bundle folder of an iOS app archive
// ("Payload/Demo.app/"): the first, by name, of the Payload/*.app folders
// that hold an Info.plist. It returns "" when there is none.
func IPARoot(a *Archive) string {
	root := ""
	for _, e := range a.Entries {
		rest, ok := strings.CutPrefix(e.Name, "Payload/")
		if !ok || e.Shadowed {
			continue
		}
		dir, file, ok := strings.Cut(rest, "/")
		if !ok || file != "Info.plist" || !strings.HasSuffix(dir, ".app") || len(dir) == len(".app") {
			continue
		}
		if r := "Payload/" + dir + "/"; root == "" || r < root {
			root = r
		}
	}
	return root
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
	lim = lim.withDefaults()
	// One budget for the whole set, as for an app set in one file.
	app := &App{Format: FormatSplitDir, budget: newBudget(lim)}
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		file := f
		app.Parts = append(app.Parts, &Part{Path: filepath.Base(f), Size: st.Size(), open: func(context.Context) (*Archive, func(), error) {
			// Only a regular file is opened: the member may have been
			// swapped for a named pipe since the stat above.
			fh, fst, err := safefile.Open(file)
			if err != nil {
				return nil, nil, &Error{Offset: -1, Err: err}
			}
			a, err := openArchive(fh, fst.Size(), lim, app.budget, 0)
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
	app.Parts = capParts(app, app.Parts, lim, "APK files")
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
// Every part shares the outer archive's budget.
func nestedParts(app *App, a *Archive, entries []*Entry, lim Limits) []*Part {
	parts := make([]*Part, 0, len(entries))
	for _, e := range entries {
		parts = append(parts, &Part{Path: e.Name, Size: int64(e.UncompressedSize), open: func(ctx context.Context) (*Archive, func(), error) {
			return a.openEntry(ctx, e, 0)
		}})
	}
	return capParts(app, parts, lim, "APKs")
}

// capParts keeps the first MaxParts parts and says how many were left.
func capParts(app *App, parts []*Part, lim Limits, what string) []*Part {
	if len(parts) <= lim.MaxParts {
		return parts
	}
	app.Problems = append(app.Problems, Note{Code: "too-many-parts", Message: fmt.Sprintf("the app is made of %d %s; only the first %d were read (limit), %s to %s were not", len(parts), what, lim.MaxParts, printable(parts[lim.MaxParts].Path), printable(parts[len(parts)-1].Path))})
	return parts[:lim.MaxParts]
}

// OpenNested opens the archive stored in e (an APK, JAR or ZIP shipped
// inside this one) one level deeper. It shares this archive's budget, so
// no number of nested copies of the same bytes can multiply the work;
// past Limits.MaxDepth it returns ErrTooDeep without reading anything.
func (a *Archive) OpenNested(ctx context.Context, e *Entry) (*Archive, func(), error) {
	if a.depth+1 > a.lim.MaxDepth {
		return nil, nil, &Error{Entry: e.Name, Offset: -1, Err: fmt.Errorf("%w: %d levels (limit %d), not read", ErrTooDeep, a.depth+1, a.lim.MaxDepth)}
	}
	return a.openEntry(ctx, e, a.depth+1)
}

// openEntry opens the archive stored in e at the given depth: in place
// when stored, inflated into memory (counted against MaxNestedMemory
// while it is held) when compressed.
func (a *Archive) openEntry(ctx context.Context, e *Entry, depth int) (*Archive, func(), error) {
	if e.Method == zip.Store && e.DataOffset() >= 0 && e.CompressedSize == e.UncompressedSize {
		a.checkLocal(e)
		if err := a.checkBounds(e, e.DataOffset()); err != nil {
			return nil, nil, err
		}
		sr := io.NewSectionReader(a.r, e.DataOffset(), int64(e.CompressedSize))
		inner, err := openArchive(sr, sr.Size(), a.lim, a.budget, depth)
		if err != nil {
			return nil, nil, wrapNested(e.Name, err)
		}
		return inner, func() {}, nil
	}
	// The bounded reader fails past the declared size, so reserving it
	// bounds what is held.
	want := int64(min(e.UncompressedSize, math.MaxInt64/2))
	if held := a.budget.held.Add(want); held > a.lim.MaxNestedMemory {
		a.budget.held.Add(-want)
		return nil, nil, &Error{Entry: e.Name, Offset: -1, Err: fmt.Errorf("%w: %d bytes to inflate, %d may be held at once", ErrNestedTooLarge, e.UncompressedSize, a.lim.MaxNestedMemory)}
	}
	b, err := a.ReadIntoContext(ctx, e, nil)
	if err != nil {
		a.budget.held.Add(-want)
		return nil, nil, err
	}
	inner, err := openArchive(bytes.NewReader(b), int64(len(b)), a.lim, a.budget, depth)
	if err != nil {
		a.budget.held.Add(-want)
		return nil, nil, wrapNested(e.Name, err)
	}
	var once sync.Once
	return inner, func() { once.Do(func() { a.budget.held.Add(-want); b = nil }) }, nil
}

func wrapNested(name string, err error) error {
	return &Error{Entry: name, Offset: -1, Err: fmt.Errorf("nested APK: %w", err)}
}

// bundleModules finds the modules of an app bundle: folders holding
// manifest/AndroidManifest.xml, the base module first. The entries are
// grouped by module in one pass (a view per module built by scanning
// every entry would be quadratic in a bundle of many modules), and at
// most MaxParts modules are kept.
func bundleModules(app *App, a *Archive) []*Part {
	byModule := map[string][]*Entry{}
	var names []string
	for _, e := range a.Entries {
		dir, rest, ok := strings.Cut(e.Name, "/")
		if !ok || rest == "" {
			continue
		}
		if rest == "manifest/AndroidManifest.xml" && !e.Shadowed {
			names = append(names, dir)
		}
		byModule[dir] = append(byModule[dir], e)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "base") != (names[j] == "base") {
			return names[i] == "base"
		}
		return names[i] < names[j]
	})
	parts := make([]*Part, 0, len(names))
	for _, m := range names {
		entries := byModule[m]
		var size int64
		for _, e := range entries {
			size += int64(e.CompressedSize)
		}
		parts = append(parts, &Part{Path: m + "/", Module: m, ProtoManifest: true, Size: size, open: func(context.Context) (*Archive, func(), error) {
			return moduleView(a, m, entries), func() {}, nil
		}})
	}
	return capParts(app, parts, a.lim, "modules")
}

// moduleView presents a bundle module as an APK: manifest/ and dex/ and
// root/ move to the root, lib/, assets/ and res/ keep their names. Entries
// of the module that an APK has no place for (assets.pb, native.pb) keep
// their module-relative name. The view shares the outer file and its
// budget.
func moduleView(a *Archive, module string, entries []*Entry) *Archive {
	prefix := module + "/"
	v := &Archive{Size: a.Size, r: a.r, zr: a.zr, lim: a.lim, budget: a.budget, dataEnd: a.dataEnd, byName: map[string]*Entry{}}
	for _, e := range entries {
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
