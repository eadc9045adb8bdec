package inventory

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sdkaudit/sdkaudit/analyzer/container"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/native"
)

// Platforms an Inventory can describe.
const (
	PlatformAndroid = "android"
	PlatformIOS     = "ios"
)

// IOS is what an iOS app bundle says beyond the fields it shares with an
// Android app (bundle id as Package, versions, usage-description keys as
// Permissions).
type IOS struct {
	// Bundle is the app bundle's folder in the archive.
	Bundle     string `json:"bundle"`
	Executable string `json:"executable"`
	Name       string `json:"name,omitempty"`
	// MinimumOS is MinimumOSVersion from Info.plist.
	MinimumOS string `json:"minimum_os,omitempty"`
	// UsageDescriptions are the NS…UsageDescription keys of the app and
	// its extensions with their purpose strings, sorted by key then
	// bundle.
	UsageDescriptions []UsageDescription `json:"usage_descriptions"`
	// QueriesSchemes is LSApplicationQueriesSchemes: the other apps the
	// app may ask about (canOpenURL), sorted.
	QueriesSchemes []string `json:"queries_schemes"`
	// URLSchemes are the schemes of CFBundleURLTypes (SDK callbacks such
	// as wx…, fb…, tencent…), sorted.
	URLSchemes []string `json:"url_schemes"`
	// BackgroundModes is UIBackgroundModes, sorted.
	BackgroundModes []string `json:"background_modes"`
	// Entitlements are the main executable's signed entitlements, sorted
	// by key; empty when the signature carries none.
	Entitlements []Entitlement `json:"entitlements"`
	// PlistKeys are the top-level keys of the app's Info.plist, sorted,
	// for SDK signatures (FacebookAppID, GADApplicationIdentifier).
	PlistKeys []string `json:"plist_keys"`
	// Binaries are the Mach-O files read: the app's and its extensions'
	// executables, framework binaries and dylibs, by path.
	Binaries []Binary `json:"binaries"`
	// Frameworks are the embedded frameworks and dylibs, by path.
	Frameworks []Framework `json:"frameworks"`
	// PrivacyManifests are every PrivacyInfo.xcprivacy, by path.
	PrivacyManifests []PrivacyManifest `json:"privacy_manifests"`
	// Resources are the names of resource bundles (*.bundle) anywhere in
	// the app and of the property lists at a bundle's root other than
	// Info.plist (GoogleService-Info.plist), sorted and distinct.
	Resources []string `json:"resources"`
}

// UsageDescription is one usage-description key with its purpose string.
type UsageDescription struct {
	Key     string `json:"key"`
	Purpose string `json:"purpose"`
	// Bundle is "app" or the extension ("PlugIns/Share.appex") that asks.
	Bundle string `json:"bundle"`
}

// Entitlement is one signed entitlement, its value rendered as text.
type Entitlement struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Binary is one Mach-O file of the app.
type Binary struct {
	Path string `json:"path"`
	// Kind is executable, extension, framework or dylib.
	Kind string `json:"kind"`
	// Owner is "app", the extension's or the framework's name.
	Owner string `json:"owner"`
	Size  uint64 `json:"size"`
	*native.MachO
	// Classes counts the class names read.
	Classes int    `json:"classes"`
	Error   string `json:"error,omitempty"`
}

// Framework is one embedded framework or dylib.
type Framework struct {
	Name     string `json:"name"`
	Path     string `json:"path"`
	Kind     string `json:"kind"` // framework or dylib
	BundleID string `json:"bundle_id,omitempty"`
	Version  string `json:"version,omitempty"`
	// PrivacyManifest is the path of the framework's privacy manifest
	// (inside it, or in a resource bundle named after it), "" when it
	// ships none.
	PrivacyManifest string `json:"privacy_manifest,omitempty"`
}

// PrivacyManifest is one PrivacyInfo.xcprivacy.
type PrivacyManifest struct {
	Path string `json:"path"`
	// Owner is "app", an extension, or the framework or resource bundle
	// the manifest belongs to.
	Owner           string          `json:"owner"`
	Tracking        bool            `json:"tracking"`
	TrackingDomains []string        `json:"tracking_domains"`
	CollectedData   []CollectedData `json:"collected_data"`
	AccessedAPIs    []AccessedAPI   `json:"accessed_apis"`
}

// CollectedData is one NSPrivacyCollectedDataTypes entry.
type CollectedData struct {
	Type     string   `json:"type"`
	Linked   bool     `json:"linked"`
	Tracking bool     `json:"tracking"`
	Purposes []string `json:"purposes"`
}

// AccessedAPI is one NSPrivacyAccessedAPITypes entry: a required-reason
// API category and the reasons declared for it.
type AccessedAPI struct {
	Type    string   `json:"type"`
	Reasons []string `json:"reasons"`
}

// maxBundleDepth bounds how many bundles deep (app, extension, framework,
// resource bundle, ...) an entry is attributed: real apps stay within four.
const maxBundleDepth = 8

// ipaLayout is where things are in the archive, found in one pass over
// the entries.
type ipaLayout struct {
	root string
	// bundles are the app and its extensions (PlugIns/*.appex,
	// Extensions/*.appex, Watch/*.app), by folder.
	bundles map[string]bool
	// frameworks are *.framework folders, by folder.
	frameworks map[string]bool
	dylibs     []*container.Entry
	privacy    []*container.Entry
	resources  map[string]bool
	tooDeep    []string
}

func findLayout(a *container.Archive, root string) *ipaLayout {
	l := &ipaLayout{root: root, bundles: map[string]bool{root: true}, frameworks: map[string]bool{}, resources: map[string]bool{}}
	for _, e := range a.Entries {
		if e.Shadowed || !strings.HasPrefix(e.Name, root) {
			continue
		}
		rel := e.Name[len(root):]
		parts := strings.Split(rel, "/")
		depth := 0
		prefix := root
		owner := root // the innermost app or extension
		inFramework := false
		for _, p := range parts[:len(parts)-1] {
			dir := prefix + p + "/"
			switch {
			case strings.HasSuffix(p, ".appex") || strings.HasSuffix(p, ".app"):
				depth++
				if depth <= maxBundleDepth {
					l.bundles[dir] = true
				}
				owner = dir
			case strings.HasSuffix(p, ".framework"):
				depth++
				if depth <= maxBundleDepth {
					l.frameworks[dir] = true
				}
				inFramework = true
			case strings.HasSuffix(p, ".bundle"):
				depth++
				l.resources[p] = true
			}
			prefix = dir
		}
		if depth > maxBundleDepth {
			l.tooDeep = append(l.tooDeep, e.Name)
			continue
		}
		base := parts[len(parts)-1]
		switch {
		case base == "PrivacyInfo.xcprivacy":
			l.privacy = append(l.privacy, e)
		case strings.HasSuffix(base, ".dylib") && !inFramework && strings.HasSuffix(prefix, "/Frameworks/"):
			l.dylibs = append(l.dylibs, e)
		case strings.HasSuffix(base, ".plist") && base != "Info.plist" && prefix == owner:
			l.resources[base] = true
		}
	}
	return l
}

// usageKeyRe is the shape of a usage-description key.
var usageKeyRe = regexp.MustCompile(`^NS[A-Za-z]+UsageDescription$`)

// binJob is one Mach-O file to read.
type binJob struct {
	e     *container.Entry
	kind  string
	owner string
	res   Binary
}

// scanIPA builds the inventory of an iOS app archive: the app's
// Info.plist is its manifest; the executables of the app, its extensions
// and its frameworks are read for linked libraries and class names; every
// privacy manifest is read and attributed.
func scanIPA(ctx context.Context, inv *Inventory, app *container.App, opts Options, sum *digest) (*Inventory, error) {
	a := app.Archive
	inv.Platform = PlatformIOS
	inv.Format = app.Format
	inv.Entries = len(a.Entries)
	for _, n := range a.Notes {
		inv.Notes = append(inv.Notes, Note{Stage: "container", Code: n.Code, Message: n.Message})
	}
	if dups := duplicateNames(a); len(dups) > 0 {
		inv.Errors = append(inv.Errors, Problem{Stage: "container", Message: fmt.Sprintf("repeated entry names %s: which copy a device would install is undefined; the first was read", strings.Join(dups, ", "))})
	}
	root := container.IPARoot(a)
	if others := otherApps(a, root); len(others) > 0 {
		inv.Notes = append(inv.Notes, Note{Stage: "container", Code: "several-apps", Message: fmt.Sprintf("Payload holds %d more app bundles (%s); only %s was read, as the installer reads one", len(others), strings.Join(others, ", "), root)})
	}
	ios := &IOS{Bundle: root, UsageDescriptions: []UsageDescription{}, QueriesSchemes: []string{}, URLSchemes: []string{}, BackgroundModes: []string{},
		Entitlements: []Entitlement{}, PlistKeys: []string{}, Binaries: []Binary{}, Frameworks: []Framework{}, PrivacyManifests: []PrivacyManifest{}, Resources: []string{}}
	inv.IOS = ios
	info, err := readPlist(a, root+"Info.plist")
	if err != nil {
		return nil, &Error{File: inv.File, Err: fmt.Errorf("inventory: %sInfo.plist: %w", root, err)}
	}
	l := findLayout(a, root)
	if len(l.tooDeep) > 0 {
		inv.Errors = append(inv.Errors, Problem{Stage: "container", Path: l.tooDeep[0], Message: fmt.Sprintf("%d entries lie more than %d bundles deep and were not read", len(l.tooDeep), maxBundleDepth)})
	}
	m := &manifest.Manifest{Package: manifest.PlistString(info, "CFBundleIdentifier"), Permissions: []manifest.UsesPermission{}, DeclaredPermissions: []manifest.Permission{},
		Components: []manifest.Component{}, MetaData: []manifest.MetaData{}, Features: []manifest.Feature{}, Libraries: []manifest.Library{},
		Queries: manifest.Queries{Packages: []string{}, Intents: []manifest.IntentFilter{}, Providers: []string{}}}
	if v := manifest.PlistString(info, "CFBundleVersion"); v != "" {
		m.VersionCode = &manifest.Value{Value: v}
	}
	if v := manifest.PlistString(info, "CFBundleShortVersionString"); v != "" {
		m.VersionName = &manifest.Value{Value: v}
	}
	if v := manifest.PlistString(info, "MinimumOSVersion"); v != "" {
		m.MinSDK.Declared = &manifest.Value{Value: v}
		ios.MinimumOS = v
	}
	inv.Manifest = m
	if m.Package == "" {
		inv.Errors = append(inv.Errors, Problem{Stage: "manifest", Path: root + "Info.plist", Message: "no CFBundleIdentifier"})
	}
	ios.Name = cmpOr(manifest.PlistString(info, "CFBundleDisplayName"), manifest.PlistString(info, "CFBundleName"))
	ios.Executable = manifest.PlistString(info, "CFBundleExecutable")
	ios.PlistKeys = manifest.PlistKeys(info)
	ios.QueriesSchemes = sortedSet(manifest.PlistStrings(info, "LSApplicationQueriesSchemes"))
	ios.BackgroundModes = sortedSet(manifest.PlistStrings(info, "UIBackgroundModes"))
	var schemes []string
	for _, t := range manifest.PlistDicts(info, "CFBundleURLTypes") {
		schemes = append(schemes, manifest.PlistStrings(t, "CFBundleURLSchemes")...)
	}
	ios.URLSchemes = sortedSet(schemes)
	addUsage(ios, info, "app")

	// The app's and its extensions' executables; extensions are parts.
	var jobs []*binJob
	bundles := sortedKeys(l.bundles)
	for _, b := range bundles {
		bi := info
		owner := "app"
		kind := "executable"
		if b != root {
			owner = strings.TrimPrefix(b, root)
			owner = strings.TrimSuffix(owner, "/")
			kind = "extension"
			pi, err := readPlist(a, b+"Info.plist")
			if err != nil {
				inv.Errors = append(inv.Errors, Problem{Stage: "plist", Path: b + "Info.plist", Message: err.Error()})
				continue
			}
			bi = pi
			addUsage(ios, pi, owner)
			inv.Parts = append(inv.Parts, PartInfo{Path: b, Split: manifest.PlistString(pi, "CFBundleIdentifier"), Kind: "extension", Entries: countUnder(a, b)})
		}
		exe := manifest.PlistString(bi, "CFBundleExecutable")
		if exe == "" {
			exe = strings.TrimSuffix(path.Base(strings.TrimSuffix(b, "/")), path.Ext(strings.TrimSuffix(b, "/")))
		}
		e, ok := a.Lookup(b + exe)
		if !ok || strings.Contains(exe, "/") {
			inv.Errors = append(inv.Errors, Problem{Stage: "macho", Path: b + exe, Message: "the bundle's executable is missing: its code cannot be read"})
			continue
		}
		jobs = append(jobs, &binJob{e: e, kind: kind, owner: owner})
	}
	if len(inv.Parts) > 0 {
		inv.Parts = append([]PartInfo{{Path: root, Kind: "base", Entries: len(a.Entries)}}, inv.Parts...)
	}
	// Frameworks and dylibs.
	manifests := map[string]string{} // owner name -> manifest path
	for _, p := range l.privacy {
		manifests[privacyOwner(p.Name, root, l)] = p.Name
	}
	for _, f := range sortedKeys(l.frameworks) {
		name := strings.TrimSuffix(path.Base(strings.TrimSuffix(f, "/")), ".framework")
		fw := Framework{Name: name, Path: strings.TrimSuffix(f, "/"), Kind: "framework"}
		exe := name
		if fi, err := readPlist(a, f+"Info.plist"); err == nil {
			fw.BundleID = manifest.PlistString(fi, "CFBundleIdentifier")
			fw.Version = manifest.PlistString(fi, "CFBundleShortVersionString")
			if x := manifest.PlistString(fi, "CFBundleExecutable"); x != "" && !strings.Contains(x, "/") {
				exe = x
			}
		} else if !errors.Is(err, container.ErrNotFound) {
			inv.Errors = append(inv.Errors, Problem{Stage: "plist", Path: f + "Info.plist", Message: err.Error()})
		}
		fw.PrivacyManifest = frameworkManifest(name, manifests)
		ios.Frameworks = append(ios.Frameworks, fw)
		if e, ok := a.Lookup(f + exe); ok {
			jobs = append(jobs, &binJob{e: e, kind: "framework", owner: name})
		}
	}
	for _, e := range l.dylibs {
		name := strings.TrimSuffix(path.Base(e.Name), ".dylib")
		ios.Frameworks = append(ios.Frameworks, Framework{Name: name, Path: e.Name, Kind: "dylib", PrivacyManifest: frameworkManifest(strings.TrimPrefix(name, "lib"), manifests)})
		jobs = append(jobs, &binJob{e: e, kind: "dylib", owner: name})
	}
	sort.Slice(ios.Frameworks, func(i, j int) bool { return ios.Frameworks[i].Path < ios.Frameworks[j].Path })
	for _, p := range l.privacy {
		pm, err := readPrivacyManifest(a, p)
		if err != nil {
			inv.Errors = append(inv.Errors, Problem{Stage: "plist", Path: p.Name, Message: err.Error()})
			continue
		}
		pm.Owner = privacyOwner(p.Name, root, l)
		ios.PrivacyManifests = append(ios.PrivacyManifests, pm)
	}
	sort.Slice(ios.PrivacyManifests, func(i, j int) bool { return ios.PrivacyManifests[i].Path < ios.PrivacyManifests[j].Path })
	ios.Resources = sortedKeys(l.resources)

	// The binaries inflate on the workers while this goroutine hashes
	// the file, as the DEX files of an APK do.
	wait := readBinaries(ctx, a, jobs, opts)
	sum.get()
	wait()
	var timedOut error
	for _, j := range jobs {
		b := j.res
		if b.MachO != nil && j.kind == "executable" && b.Entitlements != nil {
			ios.Entitlements = entitlements(b.Entitlements)
		}
		switch {
		case b.Error != "":
			if ctxErr := ctx.Err(); ctxErr != nil && timedOut == nil {
				timedOut = ctxErr
			}
			inv.Errors = append(inv.Errors, Problem{Stage: "macho", Path: b.Path, Message: b.Error})
		case b.Encrypted:
			inv.Errors = append(inv.Errors, Problem{Stage: "macho", Path: b.Path, Message: "encrypted (LC_ENCRYPTION_INFO cryptid 1, the App Store's FairPlay): its class names cannot be read, so SDKs linked into it are seen only through frameworks, resource bundles and Info.plist; audit a decrypted build or the archive Xcode exports"})
		}
		ios.Binaries = append(ios.Binaries, b)
	}
	sort.Slice(ios.Binaries, func(i, j int) bool { return ios.Binaries[i].Path < ios.Binaries[j].Path })
	if timedOut != nil {
		inv.Errors = append(inv.Errors, Problem{Stage: "timeout", Message: fmt.Sprintf("time budget exhausted while reading binaries (%v)", timedOut)})
	}
	for _, u := range ios.UsageDescriptions {
		if !slices.ContainsFunc(m.Permissions, func(p manifest.UsesPermission) bool { return p.Name == u.Key }) {
			m.Permissions = append(m.Permissions, manifest.UsesPermission{Name: u.Key, Element: "usage-description"})
		}
	}
	for _, n := range a.Inconsistencies() {
		inv.Errors = append(inv.Errors, Problem{Stage: "container", Message: n.Message})
	}
	for _, n := range a.ReadNotes() {
		inv.Notes = append(inv.Notes, Note{Stage: "container", Code: n.Code, Message: n.Message})
	}
	inv.Dex.Files = []DexFile{}
	inv.Dex.Classes = []string{}
	inv.SHA256 = sum.get()
	if ctxErr := ctx.Err(); sum.err != nil && ctxErr != nil && errors.Is(sum.err, ctxErr) {
		inv.Errors = append(inv.Errors, Problem{Stage: "timeout", Message: fmt.Sprintf("time budget exhausted while computing the file's SHA-256 (%v): sha256 is left empty", ctxErr)})
	}
	if len(inv.Errors) > 0 {
		inv.Status = StatusIncomplete
	}
	return inv, nil
}

// readBinaries starts reading the Mach-O files in parallel, one file's
// bytes per worker at a time, each worker's buffer taken from
// Options.Memory; the returned function waits for them.
func readBinaries(ctx context.Context, a *container.Archive, jobs []*binJob, opts Options) func() {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(jobs))
	// Largest first, so one big executable does not start last.
	order := slices.Clone(jobs)
	sort.SliceStable(order, func(i, j int) bool { return order[i].e.UncompressedSize > order[j].e.UncompressedSize })
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := scratch{mem: opts.Memory}
			defer sc.release()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(order) {
					return
				}
				j := order[i]
				j.res = readBinary(ctx, a, j, opts, &sc)
			}
		}()
	}
	return wg.Wait
}

func readBinary(ctx context.Context, a *container.Archive, j *binJob, opts Options, sc *scratch) Binary {
	b := Binary{Path: j.e.Name, Kind: j.kind, Owner: j.owner, Size: j.e.UncompressedSize}
	if err := ctx.Err(); err != nil {
		b.Error = "not read: " + err.Error()
		return b
	}
	buf, err := sc.get(ctx, a.SizeHint(j.e)+1)
	if err != nil {
		b.Error = err.Error()
		return b
	}
	data, err := a.ReadIntoContext(ctx, j.e, buf)
	sc.keep(data)
	if err != nil {
		b.Error = err.Error()
		return b
	}
	m, err := native.ReadMachO(data, opts.MachO)
	if err != nil {
		b.Error = err.Error()
		return b
	}
	b.MachO = m
	b.Classes = len(m.Classes)
	return b
}

// readPlist reads and decodes one property list entry.
func readPlist(a *container.Archive, name string) (map[string]any, error) {
	e, ok := a.Lookup(name)
	if !ok {
		return nil, &container.Error{Entry: name, Offset: -1, Err: container.ErrNotFound}
	}
	if e.UncompressedSize > manifest.MaxPlistBytes {
		return nil, fmt.Errorf("%w: declares %d bytes, limit %d", manifest.ErrPlistTooLarge, e.UncompressedSize, manifest.MaxPlistBytes)
	}
	b, err := a.Read(e)
	if err != nil {
		return nil, err
	}
	return manifest.ParsePlist(b)
}

func readPrivacyManifest(a *container.Archive, e *container.Entry) (PrivacyManifest, error) {
	pm := PrivacyManifest{Path: e.Name, TrackingDomains: []string{}, CollectedData: []CollectedData{}, AccessedAPIs: []AccessedAPI{}}
	d, err := readPlist(a, e.Name)
	if err != nil {
		return pm, err
	}
	pm.Tracking = manifest.PlistBool(d, "NSPrivacyTracking")
	pm.TrackingDomains = sortedSet(manifest.PlistStrings(d, "NSPrivacyTrackingDomains"))
	for _, c := range manifest.PlistDicts(d, "NSPrivacyCollectedDataTypes") {
		t := manifest.PlistString(c, "NSPrivacyCollectedDataType")
		if t == "" {
			continue
		}
		pm.CollectedData = append(pm.CollectedData, CollectedData{Type: t, Linked: manifest.PlistBool(c, "NSPrivacyCollectedDataTypeLinked"),
			Tracking: manifest.PlistBool(c, "NSPrivacyCollectedDataTypeTracking"), Purposes: sortedSet(manifest.PlistStrings(c, "NSPrivacyCollectedDataTypePurposes"))})
	}
	sort.SliceStable(pm.CollectedData, func(i, j int) bool { return pm.CollectedData[i].Type < pm.CollectedData[j].Type })
	for _, c := range manifest.PlistDicts(d, "NSPrivacyAccessedAPITypes") {
		t := manifest.PlistString(c, "NSPrivacyAccessedAPIType")
		if t == "" {
			continue
		}
		pm.AccessedAPIs = append(pm.AccessedAPIs, AccessedAPI{Type: t, Reasons: sortedSet(manifest.PlistStrings(c, "NSPrivacyAccessedAPITypeReasons"))})
	}
	sort.SliceStable(pm.AccessedAPIs, func(i, j int) bool { return pm.AccessedAPIs[i].Type < pm.AccessedAPIs[j].Type })
	return pm, nil
}

// privacyOwner attributes a privacy manifest: the innermost framework it
// lies in, else the resource bundle at a bundle's root it lies in (how
// CocoaPods ships a static library's manifest: GoogleUtilities_Privacy.bundle),
// else the app or extension.
func privacyOwner(name, root string, l *ipaLayout) string {
	dir := path.Dir(name) + "/"
	for d := dir; len(d) > len(root); d = path.Dir(strings.TrimSuffix(d, "/")) + "/" {
		if l.frameworks[d] {
			return strings.TrimSuffix(path.Base(strings.TrimSuffix(d, "/")), ".framework")
		}
	}
	for d := dir; len(d) > len(root); d = path.Dir(strings.TrimSuffix(d, "/")) + "/" {
		if b := path.Base(strings.TrimSuffix(d, "/")); strings.HasSuffix(b, ".bundle") {
			b = strings.TrimSuffix(b, ".bundle")
			return strings.TrimSuffix(b, "_Privacy")
		}
		if l.bundles[d] && d != root {
			return strings.TrimSuffix(strings.TrimPrefix(d, root), "/")
		}
	}
	return "app"
}

// frameworkManifest is the manifest a framework ships: its own, or one in
// a resource bundle named after it.
func frameworkManifest(name string, manifests map[string]string) string {
	return manifests[name]
}

func addUsage(ios *IOS, info map[string]any, bundle string) {
	for _, k := range manifest.PlistKeys(info) {
		if !usageKeyRe.MatchString(k) {
			continue
		}
		ios.UsageDescriptions = append(ios.UsageDescriptions, UsageDescription{Key: k, Purpose: manifest.PlistString(info, k), Bundle: bundle})
	}
	sort.SliceStable(ios.UsageDescriptions, func(i, j int) bool {
		a, b := ios.UsageDescriptions[i], ios.UsageDescriptions[j]
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Bundle < b.Bundle
	})
}

func entitlements(xml []byte) []Entitlement {
	d, err := manifest.ParsePlist(xml)
	if err != nil {
		return []Entitlement{}
	}
	out := []Entitlement{}
	for _, k := range manifest.PlistKeys(d) {
		out = append(out, Entitlement{Key: k, Value: manifest.PlistScalar(d[k])})
	}
	return out
}

func countUnder(a *container.Archive, dir string) int {
	n := 0
	for _, e := range a.Entries {
		if strings.HasPrefix(e.Name, dir) {
			n++
		}
	}
	return n
}

func sortedSet(list []string) []string {
	out := slices.Clone(list)
	sort.Strings(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func cmpOr(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// otherApps lists the Payload/*.app folders besides root, sorted.
func otherApps(a *container.Archive, root string) []string {
	seen := map[string]bool{}
	for _, e := range a.Entries {
		rest, ok := strings.CutPrefix(e.Name, "Payload/")
		if !ok {
			continue
		}
		if dir, _, ok := strings.Cut(rest, "/"); ok && strings.HasSuffix(dir, ".app") && "Payload/"+dir+"/" != root {
			seen["Payload/"+dir+"/"] = true
		}
	}
	return sortedKeys(seen)
}
