package inventory

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/native"
	"github.com/sdkaudit/sdkaudit/internal/safefile"
)

// Status values.
const (
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
)

// Options tune one scan. The zero value is usable.
type Options struct {
	Container container.Limits
	Manifest  manifest.Limits
	DEX       dex.Limits
	MachO     native.MachOLimits
	// Code, when set, walks the instructions of every method and records
	// the methods that reference what it asks for (the dataaccess stage
	// builds it from the API rules). Nil reads the class lists only.
	Code *CodeQuery
	// Workers bounds the DEX files of one app read at once; 0 means
	// GOMAXPROCS.
	Workers int
	// Memory, when set, is the process-wide budget every DEX read waits
	// for (NewMemory(DefaultMemory) for the command line); nil reads
	// without waiting.
	Memory *Memory
	// NativeVersions, when set, picks the lib/<abi>/*.so files (by file
	// name) whose printable strings are searched for a version; the
	// detect stage passes the libraries its rules name. Nil reads none.
	NativeVersions func(name string) bool
	// DexStrings, when set, gives the exact strings to look up in each
	// DEX file's string table (the rules' dex_strings); DexFile.Strings
	// records those found.
	DexStrings func() []string

	// calls is the app's call summary when Code.Calls asks for one.
	calls *dex.Calls
}

// DefaultNames bounds the class and method names one app's DEX files may
// materialise (class lists and the names of reported call sites, 16 bytes
// of bookkeeping counted per class): about three times what the largest
// real apps (300 000 classes) need. Options.DEX.Names replaces it.
const DefaultNames = 64 << 20

// withAppBudgets gives one app's scan its own name and manifest-text
// budgets, shared by all its parts and DEX files, unless the caller set
// them.
func withAppBudgets(opts Options) Options {
	if opts.DEX.Names == nil {
		opts.DEX.Names = newByteBudget(DefaultNames)
	}
	if opts.Manifest.Text == nil {
		opts.Manifest.Text = newByteBudget(manifest.DefaultText)
	}
	if opts.Code != nil && opts.Code.Calls {
		opts.calls = dex.NewCalls(opts.Code.CallLimits)
	}
	return opts
}

// CodeQuery is a reference query with a name for each of its ids, so the
// inventory can record what was found without knowing the rules.
type CodeQuery struct {
	Refs *dex.RefQuery
	// Keys[id] names query id in CodeRef.Refs.
	Keys []string
	// Resolve, when set, supplies Refs and Keys the first time code is
	// scanned. A caller whose rules are still loading starts the scan at
	// once: the first DEX file inflates meanwhile. Resolve returning a nil
	// query reads class lists only.
	Resolve func() (*dex.RefQuery, []string)
	// Calls, when set, also records in the same walk over the
	// instructions each class's call summary (Inventory.Calls), which
	// the call graph stage reads; CallLimits bound it (zero: defaults).
	Calls      bool
	CallLimits dex.CallLimits

	once sync.Once
}

// query returns the reference query and its keys, resolving them once.
func (q *CodeQuery) query() (*dex.RefQuery, []string) {
	if q.Resolve != nil {
		q.once.Do(func() { q.Refs, q.Keys = q.Resolve() })
	}
	return q.Refs, q.Keys
}

// CodeRef is one method whose code references queried items.
type CodeRef struct {
	// Class is the dotted class name, Method the method's name with its
	// descriptor ("readImei()Ljava/lang/String;").
	Class  string
	Method string
	// Refs are the CodeQuery keys the method references, sorted.
	Refs []string
}

// Problem is something that stopped part of the analysis.
type Problem struct {
	Stage   string `json:"stage"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// String is the problem on one line: "stage path: message", or
// "stage: message" when it concerns no one file.
func (p Problem) String() string {
	if p.Path == "" {
		return p.Stage + ": " + p.Message
	}
	return p.Stage + " " + p.Path + ": " + p.Message
}

// StageDetect is the stage of the problems the detection adds: what keeps
// it from vouching for the whole app (a packer, code loaded at run time).
const StageDetect = "detect"

// Note is a non-fatal observation worth showing an auditor.
type Note struct {
	Stage   string `json:"stage"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// DexFile describes one root classes*.dex.
type DexFile struct {
	Name    string `json:"name"`
	Size    uint64 `json:"size"`
	Version int    `json:"version"`
	Classes int    `json:"classes"`
	// Loaded is false for a classesN.dex that Android skips because the
	// numbering has a gap before it.
	Loaded bool   `json:"loaded"`
	Error  string `json:"error,omitempty"`
	// ClassList holds this file's descriptors in class_def order, for
	// stages that attribute evidence to a file; reports use Dex.Classes.
	ClassList []string `json:"-"`
	// Code counts what the code scan walked; nil when it did not run.
	Code *dex.CodeStats `json:"code,omitempty"`
	// Constants are this file's version constants (see VersionString).
	Constants []VersionString `json:"-"`
	// Strings are the Options.DexStrings the file's string table holds.
	Strings []string `json:"-"`
	// CodeRefs are the methods that reference Options.Code's items.
	CodeRefs []CodeRef `json:"-"`
}

// Dex summarises the app's own code.
type Dex struct {
	Files           []DexFile `json:"files"`
	ClassesTotal    int       `json:"classes_total"`
	ClassesDistinct int       `json:"classes_distinct"`
	// Classes are the distinct class descriptors, sorted. Large: reports
	// include them only on request.
	Classes []string `json:"classes,omitempty"`
}

// CodeEntry is code shipped outside the root DEX files: DEX in assets,
// jars, nested APKs. Android does not load it by itself; an app or SDK that
// does so is hiding code from a scan of the root DEX files.
type CodeEntry struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	Size uint64 `json:"size"`
	// Dex lists the DEX files read from this entry: the entry itself for
	// kind dex, the archive's *.dex members otherwise (one level deep).
	Dex []DexFile `json:"dex"`
	// Error says why the entry's code could not be read.
	Error string `json:"error,omitempty"`
}

// Inventory is everything the binary says about the app.
type Inventory struct {
	File string `json:"file"`
	// Platform is android or ios.
	Platform string `json:"platform"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	*manifest.Manifest
	Dex          Dex          `json:"dex"`
	OtherCode    []CodeEntry  `json:"other_code"`
	NativeLibs   []native.ABI `json:"native_libs"`
	NativeOther  []native.Lib `json:"native_libs_elsewhere"`
	Entries      int          `json:"zip_entries"`
	Status       string       `json:"status"`
	Errors       []Problem    `json:"errors"`
	Notes        []Note       `json:"notes"`
	HasResources bool         `json:"has_resources"`
	// VersionFiles are the META-INF/<group>_<artifact>.version files that
	// Gradle-built libraries leave behind: the most reliable SDK versions.
	VersionFiles []VersionFile `json:"version_files"`
	// VersionStrings are versions the code states: version constants of
	// the DEX files' classes and version strings of SDK native libraries.
	// Which SDK each belongs to is for the detect stage to say.
	VersionStrings []VersionString `json:"version_strings,omitempty"`
	// Assets are the entry names under assets/, for asset signatures.
	Assets []string `json:"-"`
	// Format is how the app was packaged (container.Format*).
	Format string `json:"format"`
	// Parts lists the APKs or bundle modules the app was assembled from;
	// empty for a plain APK. For an iOS app: the app and its extensions.
	Parts []PartInfo `json:"parts,omitempty"`
	// IOS holds what only an iOS app has; nil for Android.
	IOS *IOS `json:"ios,omitempty"`
	// Calls is the call summary of every DEX file whose code was scanned,
	// when Options.Code asked for it; nil otherwise.
	Calls *dex.Calls `json:"-"`
}

// PartInfo is one part of a multi-APK app.
type PartInfo struct {
	// Path is where the part is in the file (an entry, a module folder or
	// a file of a split directory).
	Path   string `json:"path"`
	Module string `json:"module,omitempty"`
	// Split is the split name from the part's manifest, "" for the base.
	Split string `json:"split,omitempty"`
	// Kind is base, config (ABI, density, language) or feature.
	Kind    string `json:"kind"`
	Entries int    `json:"zip_entries"`
}

// VersionFile is one META-INF/*.version entry.
type VersionFile struct {
	Path     string `json:"path"`
	Group    string `json:"group"`
	Artifact string `json:"artifact"`
	Version  string `json:"version"`
}

// VersionString is a version the code states.
type VersionString struct {
	// Kind is VersionDexConstant or VersionNativeString.
	Kind string `json:"kind"`
	// Path is the DEX file or the library's path in the archive.
	Path string `json:"path"`
	// Class and Field name a DEX constant (dotted class name).
	Class string `json:"class,omitempty"`
	Field string `json:"field,omitempty"`
	// Lib is the library's file name for a native string.
	Lib     string `json:"lib,omitempty"`
	Version string `json:"version"`
}

// Kinds of VersionString.
const (
	// VersionDexConstant is the initial value of a static String field
	// named like a version constant (VersionConstantNames).
	VersionDexConstant = "dex-constant"
	// VersionNativeString is the one version-shaped string a library
	// holds.
	VersionNativeString = "native-string"
)

// VersionConstantNames are the static field names read as version
// constants: BuildConfig's VERSION_NAME, and the names SDKs give their own
// version constants (umeng SdkVersion.SDK_VERSION, FacebookSdkVersion.BUILD,
// AppsFlyer's AF_SDK_VERSION, Tinker's TINKER_VERSION).
var VersionConstantNames = []string{
	"AF_SDK_VERSION", "BUILD", "BUILD_VERSION", "HMS_SDK_VERSION_NAME", "LIBRARY_VERSION", "LIB_VERSION",
	"MSDK_VERSION", "PLUGIN_VERSION", "SDK_BUILD_VERSION", "SDK_VER", "SDK_VERSION", "SDK_VERSION_NAME",
	"SDK_VERSION_STRING", "TINKER_VERSION", "UMENG_VERSION", "VERSION", "VERSION_NAME", "VERSION_STRING",
	"sdkVersion",
}

// maxConstants bounds the version constants kept per DEX file.
const maxConstants = 512

// constantValueRe is what a version constant's value must look like to be
// kept: dotted numbers, optionally a v before and a suffix after
// (3.1.0.lite, 2.0.0-beta1).
var constantValueRe = regexp.MustCompile(`^v?[0-9]{1,4}(\.[0-9]{1,6}){1,3}([.+_-][0-9A-Za-z][0-9A-Za-z.+_-]{0,23})?$`)

// zeroVersionRe matches placeholders such as 0.0.0.
var zeroVersionRe = regexp.MustCompile(`^v?0(\.0)+$`)

// IsVersionValue reports whether s looks like a version and is not a
// placeholder.
func IsVersionValue(s string) bool {
	return len(s) <= 40 && constantValueRe.MatchString(s) && !zeroVersionRe.MatchString(s)
}

// versionRe bounds what we accept as a version string, so binary junk in a
// hostile file never reaches a report.
var versionRe = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.+_-]*$`)

// gmsPropertiesRe names the <artifact>.properties files Google Play
// services and Firebase libraries put at the root of the APK (before they
// moved to META-INF/*.version): "version=15.0.1".
var gmsPropertiesRe = regexp.MustCompile(`^(play-services-[a-z0-9-]+|firebase-[a-z0-9-]+)\.properties$`)

// readVersionFiles reads the small META-INF/*.version entries, and the
// root <artifact>.properties files of Play services and Firebase.
func readVersionFiles(a *container.Archive) []VersionFile {
	out := []VersionFile{}
	for _, e := range a.Entries {
		if m := gmsPropertiesRe.FindStringSubmatch(e.Name); m != nil && !e.Shadowed && e.UncompressedSize <= 1024 {
			group := "com.google.android.gms"
			if strings.HasPrefix(m[1], "firebase-") {
				group = "com.google.firebase"
			}
			b, err := a.Read(e)
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "version="); ok && len(v) <= 64 && versionRe.MatchString(v) {
					out = append(out, VersionFile{Path: e.Name, Group: group, Artifact: m[1], Version: v})
					break
				}
			}
			continue
		}
		if e.Shadowed || !strings.HasPrefix(e.Name, "META-INF/") || !strings.HasSuffix(e.Name, ".version") || e.UncompressedSize > 256 {
			continue
		}
		base := strings.TrimSuffix(strings.TrimPrefix(e.Name, "META-INF/"), ".version")
		group, artifact, ok := strings.Cut(base, "_")
		if !ok || strings.Contains(base, "/") {
			continue
		}
		b, err := a.Read(e)
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(b))
		if len(v) > 64 || !versionRe.MatchString(v) {
			continue
		}
		out = append(out, VersionFile{Path: e.Name, Group: group, Artifact: artifact, Version: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Error is a failure that leaves nothing to audit.
type Error struct {
	File string
	Err  error
}

func (e *Error) Error() string { return e.File + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// ErrNoManifest means the archive has no AndroidManifest.xml.
var ErrNoManifest = errors.New("inventory: no AndroidManifest.xml in the archive")

// ScanFile scans the file at name, or the split APK set in the directory
// name (see container.IsSplitDir).
func ScanFile(ctx context.Context, name string, opts Options) (*Inventory, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("inventory: %w", err)}
	}
	if st.IsDir() {
		if !container.IsSplitDir(name) {
			return nil, &Error{File: name, Err: errors.New("inventory: is a directory (a split APK set needs base.apk and split_*.apk)")}
		}
		app, err := container.OpenDir(name, opts.Container)
		if err != nil {
			return nil, &Error{File: name, Err: err}
		}
		inv := newInventory(name, 0)
		for _, p := range app.Parts {
			inv.Size += p.Size
		}
		return scanApp(ctx, inv, app, opts, &digest{fn: func() (string, error) { return hashDir(ctx, name, app) }})
	}
	// A named pipe would block the open and a device never ends: only a
	// regular file is opened.
	f, fst, err := safefile.Open(name)
	if err != nil {
		return nil, &Error{File: name, Err: fmt.Errorf("inventory: %w", err)}
	}
	defer f.Close()
	return Scan(ctx, f, fst.Size(), name, opts)
}

func newInventory(name string, size int64) *Inventory {
	return &Inventory{File: name, Platform: PlatformAndroid, Size: size, Status: StatusComplete, Errors: []Problem{}, Notes: []Note{}, OtherCode: []CodeEntry{}, NativeLibs: []native.ABI{}, NativeOther: []native.Lib{}, Parts: []PartInfo{}, VersionFiles: []VersionFile{}}
}

// Scan builds the inventory of the package in r (any format OpenApp
// recognises); name is used in messages and the report only.
func Scan(ctx context.Context, r io.ReaderAt, size int64, name string, opts Options) (*Inventory, error) {
	inv := newInventory(name, size)
	app, err := container.OpenApp(r, size, opts.Container)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	return scanApp(ctx, inv, app, opts, &digest{fn: func() (string, error) { return hashReaderAt(ctx, r, size) }})
}

// digest is the file's SHA-256, computed once. It is taken while the first
// part's DEX files inflate, on the goroutine that read the manifest: a
// separate goroutine would compete with the DEX workers for the cores and
// delay the inflate, which is what a scan waits for. Hashing reads the
// whole file, however large, so it stops when the scan's time runs out;
// err says why the sum is empty.
type digest struct {
	once sync.Once
	fn   func() (string, error)
	sum  string
	err  error
}

func (d *digest) get() string {
	d.once.Do(func() { d.sum, d.err = d.fn() })
	return d.sum
}

// partResult is what one part contributes before the base is known.
type partResult struct {
	info     PartInfo
	manifest *manifest.Manifest
	// notes are a nested part's container notes, reported once the base
	// is known.
	notes []container.Note
}

// scanApp reads every part in turn (one open at a time) and merges them:
// the base part's manifest is the app's, the other parts add code,
// native libraries, assets and their own manifest entries.
func scanApp(ctx context.Context, inv *Inventory, app *container.App, opts Options, sum *digest) (*Inventory, error) {
	opts = withAppBudgets(opts)
	inv.Calls = opts.calls
	if app.Format == container.FormatIPA {
		return scanIPA(ctx, inv, app, opts, sum)
	}
	inv.Format = app.Format
	for _, n := range app.Notes {
		inv.Notes = append(inv.Notes, Note{Stage: "container", Code: n.Code, Message: n.Message})
	}
	if app.Archive != nil && app.Format != container.FormatAPK {
		for _, n := range app.Archive.Notes {
			inv.Notes = append(inv.Notes, Note{Stage: "container", Code: n.Code, Message: n.Message})
		}
	}
	for _, n := range app.Problems {
		inv.Errors = append(inv.Errors, Problem{Stage: "container", Message: n.Message})
	}
	single := len(app.Parts) == 1
	var results []partResult
	var entries []native.Entry
	var timedOut error
	for i, part := range app.Parts {
		// One deadline and one inflate budget for the whole app: an app
		// set whose many split records share one APK's bytes stops here
		// instead of reading the same code again for each record.
		if i > 0 && (ctx.Err() != nil || app.BudgetExhausted()) {
			why := "the app's inflate budget was spent"
			if err := ctx.Err(); err != nil {
				why = fmt.Sprintf("time budget exhausted (%v)", err)
			}
			inv.Errors = append(inv.Errors, Problem{Stage: "container", Path: part.Path, Message: fmt.Sprintf("%s: %d of %d parts not read, from %s on", why, len(app.Parts)-i, len(app.Parts), part.Path)})
			break
		}
		a, release, err := part.OpenContext(ctx)
		if err != nil {
			if single {
				return nil, &Error{File: inv.File, Err: err}
			}
			inv.Errors = append(inv.Errors, Problem{Stage: "container", Path: part.Path, Message: err.Error()})
			continue
		}
		res, partEntries, err := scanPart(ctx, inv, a, part, opts, &timedOut, sum)
		release()
		if err != nil {
			if single {
				return nil, &Error{File: inv.File, Err: err}
			}
			inv.Errors = append(inv.Errors, Problem{Stage: "manifest", Path: part.Path, Message: err.Error()})
			continue
		}
		results = append(results, res)
		entries = append(entries, partEntries...)
	}
	if err := mergeParts(inv, results); err != nil {
		return nil, &Error{File: inv.File, Err: err}
	}
	if inv.Calls != nil {
		// Every DEX file is scanned: the per-file tables can go.
		inv.Calls.Done()
	}
	if timedOut != nil {
		inv.Errors = append(inv.Errors, Problem{Stage: "timeout", Message: fmt.Sprintf("time budget exhausted while reading code (%v): DEX files after this point were not read", timedOut)})
	}
	if len(inv.Dex.Files) == 0 && inv.Manifest.Application.HasCode != "false" {
		inv.Notes = append(inv.Notes, Note{Stage: "dex", Code: "no-dex", Message: "no classes.dex although the manifest does not say hasCode=false: the code may be loaded at run time"})
	}
	finishDex(inv)
	sort.Strings(inv.Assets)
	inv.Assets = slices.Compact(inv.Assets)
	sort.Slice(inv.VersionFiles, func(i, j int) bool { return inv.VersionFiles[i].Path < inv.VersionFiles[j].Path })
	inv.VersionFiles = slices.CompactFunc(inv.VersionFiles, func(a, b VersionFile) bool { return a == b })
	sort.Slice(inv.VersionStrings, func(i, j int) bool { return lessVersionString(inv.VersionStrings[i], inv.VersionStrings[j]) })
	inv.VersionStrings = slices.Compact(inv.VersionStrings)
	sort.SliceStable(inv.OtherCode, func(i, j int) bool { return inv.OtherCode[i].Path < inv.OtherCode[j].Path })
	libs, other := native.List(entries)
	if libs != nil {
		inv.NativeLibs = libs
	}
	if other != nil {
		inv.NativeOther = other
	}
	inv.SHA256 = sum.get()
	if ctxErr := ctx.Err(); sum.err != nil && ctxErr != nil && errors.Is(sum.err, ctxErr) {
		inv.Errors = append(inv.Errors, Problem{Stage: "timeout", Message: fmt.Sprintf("time budget exhausted while computing the file's SHA-256 (%v): sha256 is left empty", ctxErr)})
	}
	if len(inv.Errors) > 0 {
		inv.Status = StatusIncomplete
	}
	return inv, nil
}

// scanPart reads one part: its manifest, its code and its entry list. A
// manifest failure is returned; later failures are recorded in inv.
func scanPart(ctx context.Context, inv *Inventory, a *container.Archive, part *container.Part, opts Options, timedOut *error, sum *digest) (partResult, []native.Entry, error) {
	res := partResult{info: PartInfo{Path: part.Path, Module: part.Module, Entries: len(a.Entries)}}
	inv.Entries += len(a.Entries)
	if part.Path == "" {
		for _, n := range a.Notes {
			inv.Notes = append(inv.Notes, Note{Stage: "container", Code: n.Code, Message: n.Message})
		}
	} else {
		// A Janus prefix or odd entry names matter as much inside an app
		// set as in a plain APK.
		res.notes = a.Notes
	}
	if dups := duplicateNames(a); len(dups) > 0 {
		inv.Errors = append(inv.Errors, Problem{Stage: "container", Path: part.Path, Message: fmt.Sprintf("repeated entry names %s: Android refuses to install a file with duplicate entries, so which copy a device would load is undefined; every copy of the manifest and of the code was scanned", strings.Join(dups, ", "))})
	}
	// The root DEX files start inflating before the manifest is read:
	// inflating is most of a scan, and on a 2-core machine the manifest and
	// resources table are read in the time the DEX workers would otherwise
	// leave one core idle.
	var job *dexJob
	if *timedOut == nil {
		job = startRootDex(ctx, a, opts)
	}
	m, err := scanManifest(inv, a, part, opts)
	if err != nil {
		job.wait()
		return res, nil, err
	}
	res.manifest = m
	res.info.Split = m.Split
	// A part's own code is named after the part, so evidence says which
	// APK of the set it came from; the base keeps plain names.
	prefix := ""
	if part.Path != "" && m.Split != "" {
		prefix = part.Path + "!"
	}
	if job != nil {
		sum.get()
	}
	// Past the manifest there is something to report, so running out of
	// time makes the inventory incomplete instead of failing the file.
	if job != nil {
		if err := scanDex(ctx, inv, a, prefix, opts, job); err != nil {
			*timedOut = err
		}
	}
	entries := make([]native.Entry, 0, len(a.Entries))
	for _, e := range a.Entries {
		entries = append(entries, native.Entry{Name: e.Name, Size: e.UncompressedSize})
		if strings.HasPrefix(e.Name, "assets/") && !e.Shadowed {
			inv.Assets = append(inv.Assets, e.Name)
		}
	}
	inv.VersionFiles = append(inv.VersionFiles, readVersionFiles(a)...)
	if opts.NativeVersions != nil && ctx.Err() == nil {
		inv.VersionStrings = append(inv.VersionStrings, nativeVersions(ctx, a, opts.NativeVersions)...)
	}
	for _, n := range a.Inconsistencies() {
		inv.Errors = append(inv.Errors, Problem{Stage: "container", Path: part.Path, Message: n.Message})
	}
	for _, n := range a.ReadNotes() {
		msg := n.Message
		if part.Path != "" {
			msg = part.Path + ": " + msg
		}
		inv.Notes = append(inv.Notes, Note{Stage: "container", Code: n.Code, Message: msg})
	}
	return res, entries, nil
}

// duplicateNames lists, quoted and sorted, the entry names that more than
// one central directory record carries.
func duplicateNames(a *container.Archive) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range a.Entries {
		if e.Shadowed && !seen[e.Name] {
			seen[e.Name] = true
			out = append(out, strconv.Quote(e.Name))
		}
	}
	sort.Strings(out)
	return out
}

// mergeParts picks the base part (the one whose manifest names no split)
// and lays the splits' manifest entries over it.
func mergeParts(inv *Inventory, results []partResult) error {
	if len(results) == 0 {
		return errors.New("inventory: no part of the app could be read")
	}
	base := -1
	for i, r := range results {
		if r.manifest.Split == "" {
			base = i
			break
		}
	}
	if base < 0 {
		if len(results) > 1 {
			return fmt.Errorf("inventory: no base APK among %d parts (every manifest names a split)", len(results))
		}
		base = 0
	}
	inv.Manifest = results[base].manifest
	for i, r := range results {
		info := r.info
		switch {
		case i == base:
			info.Kind = "base"
		case r.manifest.IsFeatureSplit:
			info.Kind = "feature"
		default:
			info.Kind = "config"
		}
		if i != base {
			if r.manifest.Package != inv.Manifest.Package {
				inv.Errors = append(inv.Errors, Problem{Stage: "manifest", Path: info.Path, Message: fmt.Sprintf("split %q belongs to package %q, not %q", r.manifest.Split, r.manifest.Package, inv.Manifest.Package)})
			}
			mergeManifest(inv.Manifest, r.manifest)
		}
		if len(results) > 1 || info.Path != "" {
			inv.Parts = append(inv.Parts, info)
		}
		for _, n := range r.notes {
			msg := n.Message
			if i != base {
				msg = info.Path + ": " + msg
			}
			inv.Notes = append(inv.Notes, Note{Stage: "container", Code: n.Code, Message: msg})
		}
	}
	return nil
}

// mergeManifest adds what a split's manifest declares (feature modules
// bring components, permissions and meta-data) to the base's, as the
// package manager does when it installs them together.
func mergeManifest(base, split *manifest.Manifest) {
	have := map[string]bool{}
	for _, p := range base.Permissions {
		have[p.Element+"\x00"+p.Name] = true
	}
	for _, p := range split.Permissions {
		if !have[p.Element+"\x00"+p.Name] {
			base.Permissions = append(base.Permissions, p)
			have[p.Element+"\x00"+p.Name] = true
		}
	}
	base.DeclaredPermissions = append(base.DeclaredPermissions, split.DeclaredPermissions...)
	base.Components = append(base.Components, split.Components...)
	base.MetaData = append(base.MetaData, split.MetaData...)
	base.Features = append(base.Features, split.Features...)
	base.Libraries = append(base.Libraries, split.Libraries...)
	for _, n := range split.Notes {
		base.Notes = append(base.Notes, "split "+split.Split+": "+n)
	}
}

func scanManifest(inv *Inventory, a *container.Archive, part *container.Part, opts Options) (*manifest.Manifest, error) {
	me, ok := a.Lookup("AndroidManifest.xml")
	if !ok {
		return nil, ErrNoManifest
	}
	lim := opts.Manifest.WithDefaults()
	maxManifest := lim.MaxBinaryBytes
	if part.ProtoManifest {
		maxManifest = lim.MaxProtoBytes
	}
	if me.UncompressedSize > uint64(maxManifest) {
		// Refused before inflating, like an oversized DEX.
		return nil, fmt.Errorf("inventory: AndroidManifest.xml declares %d inflated bytes, limit %d", me.UncompressedSize, maxManifest)
	}
	raw, err := a.Read(me)
	if err != nil {
		return nil, err
	}
	if part.ProtoManifest {
		if _, ok := a.Lookup("resources.pb"); ok {
			inv.HasResources = true
		}
		m, err := manifest.ParseProto(raw, opts.Manifest)
		if err != nil {
			return nil, err
		}
		addManifestNotes(inv, m)
		return m, nil
	}
	var res *manifest.Resources
	if re, ok := a.Lookup("resources.arsc"); ok {
		inv.HasResources = true
		var arsc []byte
		if re.UncompressedSize > uint64(lim.MaxResourcesBytes) {
			err = fmt.Errorf("inventory: resources.arsc declares %d inflated bytes, limit %d", re.UncompressedSize, lim.MaxResourcesBytes)
		} else if arsc, err = a.Read(re); err == nil {
			res, err = manifest.ParseResources(arsc, opts.Manifest)
		}
		if err != nil {
			inv.Errors = append(inv.Errors, Problem{Stage: "resources", Path: part.Path + "resources.arsc", Message: err.Error() + " (resource references left unresolved)"})
		}
	}
	m, err := manifest.Parse(raw, res, opts.Manifest)
	if err != nil {
		return nil, err
	}
	// A second AndroidManifest.xml record is an evasion: what it asks for
	// is added, so a permission cannot hide in the copy we did not read.
	for _, e := range a.Entries {
		if !e.Shadowed || e.Name != "AndroidManifest.xml" {
			continue
		}
		problem := func(err error) {
			inv.Errors = append(inv.Errors, Problem{Stage: "manifest", Path: part.Path + "AndroidManifest.xml", Message: "duplicate record: " + err.Error()})
		}
		b, err := a.Read(e)
		if err != nil {
			problem(err)
			continue
		}
		dup, err := manifest.Parse(b, res, opts.Manifest)
		if err != nil {
			problem(err)
			continue
		}
		mergeManifest(m, dup)
	}
	addManifestNotes(inv, m)
	return m, nil
}

func addManifestNotes(inv *Inventory, m *manifest.Manifest) {
	for _, n := range m.Notes {
		inv.Notes = append(inv.Notes, Note{Stage: "manifest", Code: "manifest", Message: n})
	}
}

// rootDexIndex returns N for classesN.dex (1 for classes.dex), 0 otherwise.
func rootDexIndex(name string) int {
	if name == "classes.dex" {
		return 1
	}
	if !strings.HasPrefix(name, "classes") || !strings.HasSuffix(name, ".dex") {
		return 0
	}
	s := name[len("classes") : len(name)-len(".dex")]
	n, err := strconv.Atoi(s)
	if err != nil || n < 2 || strconv.Itoa(n) != s {
		return 0
	}
	return n
}

func scanDex(ctx context.Context, inv *Inventory, a *container.Archive, prefix string, opts Options, job *dexJob) error {
	var other []CodeEntry
	var otherEntry = map[string]*container.Entry{}
	copies := map[string]int{}
	for _, e := range a.Entries {
		lower := strings.ToLower(e.Name)
		if e.Shadowed {
			// A repeated classes.dex is a known way to show a scanner one
			// file and a device another: every copy is read.
			copies[e.Name]++
			if strings.HasSuffix(lower, ".dex") {
				c := CodeEntry{Path: fmt.Sprintf("%s (duplicate record %d)", e.Name, copies[e.Name]+1), Kind: "dex", Size: e.UncompressedSize}
				other = append(other, c)
				otherEntry[c.Path] = e
			}
			continue
		}
		if rootDexIndex(e.Name) > 0 {
			continue
		}
		if kind := codeKind(e.Name); kind != "" {
			other = append(other, CodeEntry{Path: e.Name, Kind: kind, Size: e.UncompressedSize})
		}
	}
	sort.Slice(other, func(i, j int) bool { return other[i].Path < other[j].Path })
	for i := range other {
		if err := ctx.Err(); err != nil {
			job.wait()
			return fmt.Errorf("inventory: %w", err)
		}
		if a.BudgetExhausted() {
			// Every further read would fail the same way: one reason,
			// and the entries still listed.
			inv.Errors = append(inv.Errors, Problem{Stage: "dex", Path: prefix + other[i].Path, Message: fmt.Sprintf("the app's inflate budget was spent: %d code entries from here on not read", len(other)-i)})
			for j := i; j < len(other); j++ {
				c := other[j]
				c.Path, c.Dex, c.Error = prefix+c.Path, []DexFile{}, "not read: the app's inflate budget was spent"
				inv.OtherCode = append(inv.OtherCode, c)
			}
			break
		}
		e := otherEntry[other[i].Path]
		if e == nil {
			e, _ = a.Lookup(other[i].Path)
		}
		deeper := readOtherCode(ctx, a, e, &other[i], opts)
		found := append([]CodeEntry{other[i]}, deeper...)
		for k := range found {
			c := &found[k]
			if prefix != "" {
				c.Path = prefix + c.Path
				for j := range c.Dex {
					c.Dex[j].Name = prefix + c.Dex[j].Name
				}
			}
			if c.Error != "" {
				inv.Errors = append(inv.Errors, Problem{Stage: "dex", Path: c.Path, Message: c.Error})
			}
			inv.OtherCode = append(inv.OtherCode, *c)
		}
	}
	job.wait()
	if inv.Dex.Files == nil {
		inv.Dex.Files = []DexFile{}
	}
	for i := range job.reads {
		r := &job.reads[i]
		for k := range r.files {
			df := r.files[k]
			df.Name = prefix + df.Name
			if err := r.errs[k]; err != nil {
				if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
					return fmt.Errorf("inventory: %w", ctxErr)
				}
				df.Error = err.Error()
				inv.Errors = append(inv.Errors, Problem{Stage: "dex", Path: df.Name, Message: err.Error()})
			}
			if r.codeErrs[k] != nil {
				inv.Errors = append(inv.Errors, Problem{Stage: "dex-code", Path: df.Name, Message: codeErrMessage(df.Code, r.codeErrs[k])})
			}
			inv.Dex.ClassesTotal += df.Classes
			inv.Dex.Files = append(inv.Dex.Files, df)
		}
	}
	return nil
}

// dexJob is the root DEX files of one part being read in the background.
// Its results are only read after wait.
type dexJob struct {
	wg    sync.WaitGroup
	reads []dexRead
}

// dexRead is what one DEX entry gave: one file, or one per part of a v041
// container (each with its own error, so a broken later part does not
// hide the classes of the parts before it).
type dexRead struct {
	files    []DexFile
	errs     []error
	codeErrs []error
}

func (r *dexRead) add(df DexFile, err, codeErr error) {
	r.files = append(r.files, df)
	r.errs = append(r.errs, err)
	r.codeErrs = append(r.codeErrs, codeErr)
}

// wait blocks until every worker is done; a nil job has nothing to wait
// for.
func (j *dexJob) wait() {
	if j != nil {
		j.wg.Wait()
	}
}

// startRootDex inflates and parses the classes*.dex files of a in
// parallel: inflating is most of a scan's time, and each file is
// independent. Each worker holds one file's bytes at a time, so memory
// stays at workers x largest DEX, and below Options.Memory across every
// scan of the process.
func startRootDex(ctx context.Context, a *container.Archive, opts Options) *dexJob {
	type root struct {
		n int
		e *container.Entry
	}
	var roots []root
	for _, e := range a.Entries {
		if n := rootDexIndex(e.Name); n > 0 && !e.Shadowed {
			roots = append(roots, root{n, e})
		}
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].n < roots[j].n })
	j := &dexJob{reads: make([]dexRead, len(roots))}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(roots))
	var next atomic.Int64
	for w := 0; w < workers; w++ {
		j.wg.Add(1)
		go func() {
			defer j.wg.Done()
			sc := scratch{mem: opts.Memory}
			defer sc.release()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(roots) {
					return
				}
				r := roots[i]
				df := DexFile{Name: r.e.Name, Size: r.e.UncompressedSize, Loaded: r.n == i+1}
				if err := ctx.Err(); err != nil {
					j.reads[i].add(df, err, nil)
					continue
				}
				j.reads[i] = readDex(ctx, a, r.e, opts, df, &sc)
			}
		}()
	}
	return j
}

// finishDex computes the distinct classes over every part's DEX files.
func finishDex(inv *Inventory) {
	if inv.Dex.Files == nil {
		inv.Dex.Files = []DexFile{}
	}
	distinct := map[string]struct{}{}
	for _, df := range inv.Dex.Files {
		for _, c := range df.ClassList {
			distinct[c] = struct{}{}
		}
	}
	for _, df := range inv.Dex.Files {
		inv.VersionStrings = append(inv.VersionStrings, df.Constants...)
	}
	inv.Dex.ClassesDistinct = len(distinct)
	inv.Dex.Classes = make([]string, 0, len(distinct))
	for c := range distinct {
		inv.Dex.Classes = append(inv.Dex.Classes, c)
	}
	sort.Strings(inv.Dex.Classes)
}

// codeKind says what kind of code an entry holds when it is shipped
// outside the root DEX files, "" when it holds none.
func codeKind(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".dex"), strings.HasSuffix(lower, ".odex"), strings.HasSuffix(lower, ".vdex"):
		return "dex"
	case strings.HasSuffix(lower, ".jar"):
		return "jar"
	case strings.HasSuffix(lower, ".apk"):
		return "apk"
	case strings.HasSuffix(lower, ".zip") && strings.HasPrefix(lower, "assets/"):
		return "zip"
	}
	return ""
}

// readOtherCode reads the classes of a DEX, JAR, APK or ZIP shipped inside
// the app. An archive's *.dex members are read into c; archives inside it
// are followed down to container.Limits.MaxDepth levels (an app can load
// code from an APK it extracts from an APK it extracted) and returned as
// entries of their own, named with "!" between the levels. An archive
// deeper than the limit is returned with an error, so the app is
// incomplete rather than silently missing that code. Every level shares
// the app's inflate budget.
func readOtherCode(ctx context.Context, a *container.Archive, e *container.Entry, c *CodeEntry, opts Options) []CodeEntry {
	c.Dex = []DexFile{}
	if e == nil {
		return nil
	}
	if c.Kind == "dex" {
		r := readDex(ctx, a, e, opts, DexFile{Name: c.Path, Size: e.UncompressedSize}, nil)
		c.Error = r.appendTo(&c.Dex, "")
		return nil
	}
	inner, release, err := a.OpenNested(ctx, e)
	if err != nil {
		if c.Kind == "zip" && errors.Is(err, container.ErrNotZip) {
			return nil // a .zip asset that is not an archive holds no code
		}
		c.Error = err.Error()
		return nil
	}
	defer release()
	var deeper []CodeEntry
	for _, ie := range inner.Entries {
		if ie.Shadowed {
			continue
		}
		kind := codeKind(ie.Name)
		if kind == "" {
			continue
		}
		if kind != "dex" {
			deeper = append(deeper, CodeEntry{Path: c.Path + "!" + ie.Name, Kind: kind, Size: ie.UncompressedSize})
			continue
		}
		if ctx.Err() != nil {
			return nil
		}
		r := readDex(ctx, inner, ie, opts, DexFile{Name: c.Path + "!" + ie.Name, Size: ie.UncompressedSize}, nil)
		if msg := r.appendTo(&c.Dex, ie.Name+": "); msg != "" {
			c.Error = msg
		}
	}
	var out []CodeEntry
	for i := range deeper {
		if ctx.Err() != nil || inner.BudgetExhausted() {
			// Listed with the reason, so the app is incomplete; the
			// scan's own timeout or budget reason says the rest.
			d := deeper[i]
			d.Dex, d.Error = []DexFile{}, fmt.Sprintf("not read (time or inflate budget spent): %d nested archives from here on", len(deeper)-i)
			return append(out, d)
		}
		d := &deeper[i]
		name := strings.TrimPrefix(d.Path, c.Path+"!")
		ie, _ := inner.Lookup(name)
		more := readOtherCode(ctx, inner, ie, d, opts)
		out = append(out, *d)
		out = append(out, more...)
	}
	return out
}

// appendTo adds the read's files to list and returns the message of its
// last failure (prefixed), as a CodeEntry reports one error.
func (r *dexRead) appendTo(list *[]DexFile, prefix string) string {
	msg := ""
	for k, df := range r.files {
		if err := r.errs[k]; err != nil {
			df.Error = err.Error()
			msg = prefix + err.Error()
		} else if r.codeErrs[k] != nil {
			msg = prefix + codeErrMessage(df.Code, r.codeErrs[k])
		}
		*list = append(*list, df)
	}
	return msg
}

// readDex reads one DEX entry: its classes and, when opts.Code is set, the
// methods referencing the queried items. A DEX container (version 041,
// several dex files in one entry, as current build tools write it) gives
// one DexFile per part, every part read, the first named after the entry
// and the others "NAME (part k)". The entry's bytes are dropped on return,
// so an app is never held in memory more than one DEX file at a time per
// worker; they are taken from opts.Memory first. A code-scan failure is a
// codeErr: the class list is still good.
func readDex(ctx context.Context, a *container.Archive, e *container.Entry, opts Options, df DexFile, sc *scratch) dexRead {
	var r dexRead
	if lim := dexLimit(opts.DEX); e.UncompressedSize > uint64(lim) {
		// Refused before inflating: holding it would already be the
		// damage.
		r.add(df, fmt.Errorf("inventory: %s declares %d inflated bytes, more than the %d a DEX file may have", e.Name, e.UncompressedSize, lim), nil)
		return r
	}
	if sc == nil {
		own := scratch{mem: opts.Memory}
		defer own.release()
		sc = &own
	}
	buf, err := sc.get(ctx, a.SizeHint(e)+1)
	if err != nil {
		r.add(df, err, nil)
		return r
	}
	b, err := a.ReadIntoContext(ctx, e, buf)
	sc.keep(b)
	if err != nil {
		r.add(df, err, nil)
		return r
	}
	parts, perr := dex.ParseAll(b, opts.DEX)
	for k, f := range parts {
		pf := df
		if len(parts) > 1 || perr != nil {
			if k > 0 {
				pf.Name = fmt.Sprintf("%s (part %d)", df.Name, k+1)
			}
			pf.Size = uint64(f.Header().FileSize)
		}
		codeErr, err := readDexPart(ctx, f, opts, &pf)
		r.add(pf, err, codeErr)
	}
	if perr != nil {
		pf := df
		if len(parts) > 0 {
			pf = DexFile{Name: fmt.Sprintf("%s (part %d)", df.Name, len(parts)+1), Loaded: df.Loaded}
			perr = fmt.Errorf("%w (a DEX container's parts are found one from the other: none after this one can be read)", perr)
		}
		r.add(pf, perr, nil)
	}
	return r
}

// lessVersionString orders version strings field by field, so the
// inventory is the same whatever order workers finished in.
func lessVersionString(a, b VersionString) bool {
	for _, c := range [][2]string{{a.Kind, b.Kind}, {a.Path, b.Path}, {a.Class, b.Class}, {a.Field, b.Field}, {a.Lib, b.Lib}, {a.Version, b.Version}} {
		if c[0] != c[1] {
			return c[0] < c[1]
		}
	}
	return false
}

// dexConstants reads f's version constants. They are a best-effort extra:
// a class whose static values are malformed is skipped without making the
// file incomplete, since its class list is already good.
func dexConstants(f *dex.File, path string) []VersionString {
	ss, _ := f.StaticStrings(VersionConstantNames, maxConstants)
	var out []VersionString
	for _, s := range ss {
		if !IsVersionValue(s.Value) {
			continue
		}
		out = append(out, VersionString{Kind: VersionDexConstant, Path: path, Class: DottedClass(s.Class), Field: s.Field, Version: s.Value})
	}
	return out
}

// dexLimit is the largest DEX file lim allows.
func dexLimit(lim dex.Limits) int64 {
	if lim.MaxFileSize > 0 {
		return lim.MaxFileSize
	}
	return dex.DefaultLimits.MaxFileSize
}

// readDexPart reads the classes (and code references) of one parsed dex.
func readDexPart(ctx context.Context, f *dex.File, opts Options, df *DexFile) (codeErr, err error) {
	df.Version = f.Version()
	classes, dups, err := f.ClassList()
	if err != nil {
		return nil, err
	}
	df.Classes, df.ClassList = len(classes)+dups, classes
	df.Constants = dexConstants(f, df.Name)
	if opts.DexStrings != nil {
		for _, s := range opts.DexStrings() {
			if f.HasString(s) {
				df.Strings = append(df.Strings, s)
			}
		}
	}
	if dups > 0 {
		// Android's verifier refuses a file defining a class twice; each
		// class is listed once, and the file is flagged.
		err = fmt.Errorf("inventory: %d class_defs define a class the file already defines (Android refuses such a file); each class is listed once", dups)
	}
	if opts.Code == nil {
		return nil, err
	}
	refs, keys := opts.Code.query()
	if refs == nil {
		return nil, err
	}
	sites, st, codeErr := f.ScanRefsCalls(ctx, refs, opts.calls, df.Name)
	df.Code = &st
	var nerr error
	df.CodeRefs, nerr = codeRefs(sites, keys, opts.DEX.Names)
	return errors.Join(codeErr, nerr), err
}

// codeRefs turns a file's sites into CodeRefs. Sites of one class or one
// method share their text (dex.ScanRefs decodes each once), and so does
// what is derived here: the dotted class and the method's name with its
// descriptor are built once per index and charged to names, so thousands
// of sites naming one long method cost its length once.
func codeRefs(sites []dex.RefSite, keys []string, names dex.Budget) ([]CodeRef, error) {
	if len(sites) == 0 {
		return nil, nil
	}
	classes := map[uint32]string{}
	methods := map[uint32]string{}
	// Charged before the copy is made.
	take := func(n int) bool { return names == nil || names.Take(int64(n)) }
	out := make([]CodeRef, 0, len(sites))
	for _, s := range sites {
		class, ok := classes[s.ClassIdx]
		if !ok {
			if !take(len(s.Class)) {
				return out, errNamesBudget
			}
			class = DottedClass(s.Class)
			classes[s.ClassIdx] = class
		}
		method, ok := methods[s.MethodIdx]
		if !ok {
			if !take(len(s.Method) + len(s.Proto)) {
				return out, errNamesBudget
			}
			method = s.Method + s.Proto
			methods[s.MethodIdx] = method
		}
		r := CodeRef{Class: class, Method: method, Refs: make([]string, 0, len(s.IDs))}
		for _, id := range s.IDs {
			if id >= 0 && int(id) < len(keys) {
				r.Refs = append(r.Refs, keys[id])
			}
		}
		sort.Strings(r.Refs)
		out = append(out, r)
	}
	return out, nil
}

// errNamesBudget stops the recording of call sites once the app's names
// no longer fit in its budget.
var errNamesBudget = errors.New("inventory: names of the reported call sites exceed the app's names budget")

// DottedClass turns "Lcom/foo/Bar$1;" into "com.foo.Bar$1"; other
// descriptors come back unchanged.
func DottedClass(desc string) string {
	if len(desc) >= 2 && desc[0] == 'L' && desc[len(desc)-1] == ';' {
		return strings.ReplaceAll(desc[1:len(desc)-1], "/", ".")
	}
	return desc
}

// codeErrMessage says how much of the code could not be read: the class
// list survives, but data-access evidence from those methods is missing.
func codeErrMessage(st *dex.CodeStats, err error) string {
	if st == nil {
		return "code scan: " + err.Error()
	}
	return fmt.Sprintf("code scan skipped %d of %d methods (%v): data access in them is not reported", st.Failed, st.Methods, err)
}

// hashDir identifies a split directory: sha256 over "file name, NUL, the
// file's sha256" lines in name order, so the same set of APKs always gives
// the same digest whatever the directory is called.
func hashDir(ctx context.Context, dir string, app *container.App) (string, error) {
	h := sha256.New()
	for _, p := range app.Parts {
		f, st, err := safefile.Open(filepath.Join(dir, p.Path))
		if err != nil {
			return "", err
		}
		sum, err := hashReaderAt(ctx, f, st.Size())
		f.Close()
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%s\n", p.Path, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashChunk is how much is hashed between two looks at the deadline.
const hashChunk = 1 << 20

// hashReaderAt hashes size bytes of r, stopping with ctx's error when it
// is done: a member of a split set can be a sparse file of many gigabytes.
func hashReaderAt(ctx context.Context, r io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	sr := io.NewSectionReader(r, 0, size)
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		_, err := io.CopyN(h, sr, hashChunk)
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
