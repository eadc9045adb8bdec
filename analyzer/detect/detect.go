package detect

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/native"
	"github.com/sdkaudit/sdkaudit/rules"
)

// Evidence kinds.
const (
	KindDexPrefix  = "dex-prefix"
	KindDexString  = "dex-string"
	KindComponent  = "component"
	KindMetaData   = "meta-data"
	KindNativeLib  = "native-lib"
	KindAsset      = "asset"
	KindPermission = "permission"
	// The iOS kinds: an embedded or linked framework or dylib, Objective-C
	// or Swift class names in a Mach-O file, an Info.plist key, and a
	// resource bundle or configuration file in the app bundle.
	KindIOSFramework = "ios-framework"
	KindIOSClass     = "ios-class"
	KindPlistKey     = "plist-key"
	KindIOSResource  = "ios-resource"
)

// Evidence is one observation that points at an SDK.
type Evidence struct {
	Kind string `json:"kind"`
	// Signature is the rule's pattern that matched.
	Signature string `json:"signature"`
	// Where says what in the app matched: a DEX file and class count, a
	// manifest element, a library path.
	Where string `json:"where"`
	// Classes counts matched classes for dex-prefix evidence.
	Classes int `json:"classes,omitempty"`
	// Trace is set when this observation alone does not show the SDK's
	// own code (see Detection.TraceReason).
	Trace bool `json:"trace,omitempty"`
}

// Detection is one SDK found in the app.
type Detection struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	NameZH     string `json:"name_zh,omitempty"`
	Vendor     string `json:"vendor"`
	Category   string `json:"category"`
	Kind       string `json:"kind"`
	Confidence string `json:"confidence"`
	// Via names the SDK that bundles this one when its only evidence is
	// code an adapter or bundle of that SDK carries.
	Via string `json:"via,omitempty"`
	// Version is the SDK version read from the app, with VersionSource
	// saying where: a META-INF or Play services version file (its path), a
	// version constant of the SDK's own classes ("classes.dex:
	// com.x.BuildConfig.VERSION_NAME"), or the one version string of the
	// SDK's native library ("lib/arm64-v8a/libx.so: string"); empty when
	// the app does not say.
	Version       string     `json:"version,omitempty"`
	VersionSource string     `json:"version_source,omitempty"`
	Evidence      []Evidence `json:"evidence"`
	// Permissions are the SDK's typical permissions that the app's
	// manifest requests.
	Permissions []string `json:"permissions,omitempty"`
	// TraceReason says, for an entry of Result.Traces, why its evidence
	// does not show the SDK itself.
	TraceReason string `json:"trace_reason,omitempty"`
}

// Index is the rule set compiled for matching. Build it once with NewIndex
// and reuse it across apps; it is read-only and safe for concurrent use.
type Index struct {
	sdks []rules.SDK
	// anchorClass maps a class descriptor (Lcom/x/Y;) to the SDKs it
	// anchors; anchorArtifact a "group:artifact" version file.
	anchorClass    map[string][]int
	anchorArtifact map[string][]int
	prefix         map[string][]int // slash-separated package path -> sdk indexes
	maxDepth       int
	exact          map[string][]int // component class name -> sdk indexes
	compPre        []pattern        // component prefixes and globs
	meta           map[string][]int
	libs           []pattern
	strs           map[string][]int // dex_strings entry -> sdk indexes
	assets         []pattern
	byID           map[string]int
	perms          []pattern
	// The iOS signatures: framework globs, exact class names, class
	// prefixes (without their '*'), Info.plist keys, resource globs.
	iosFrameworks []pattern
	iosClass      map[string][]int
	iosClassPre   []pattern
	plistKeys     map[string][]int
	iosResources  []pattern
}

type pattern struct {
	sdk  int
	glob string
}

// NewIndex compiles db's signatures.
func NewIndex(db *rules.DB) *Index {
	ix := &Index{sdks: db.SDKs, prefix: map[string][]int{}, exact: map[string][]int{}, meta: map[string][]int{},
		anchorClass: map[string][]int{}, anchorArtifact: map[string][]int{}, byID: map[string]int{}, strs: map[string][]int{}, iosClass: map[string][]int{}, plistKeys: map[string][]int{}}
	for i, s := range db.SDKs {
		ix.byID[s.ID] = i
		sig := s.Signatures
		for _, a := range sig.Anchors {
			if strings.Contains(a, ":") {
				ix.anchorArtifact[a] = append(ix.anchorArtifact[a], i)
			} else {
				d := descriptor(a)
				ix.anchorClass[d] = append(ix.anchorClass[d], i)
			}
		}
		for _, p := range sig.DexPrefixes {
			k := strings.ReplaceAll(strings.Trim(p, "."), ".", "/")
			ix.prefix[k] = append(ix.prefix[k], i)
			if d := strings.Count(k, "/") + 1; d > ix.maxDepth {
				ix.maxDepth = d
			}
		}
		for _, x := range sig.DexStrings {
			ix.strs[x] = append(ix.strs[x], i)
		}
		for _, c := range sig.Components {
			if strings.HasSuffix(c, ".") || strings.Contains(c, "*") {
				ix.compPre = append(ix.compPre, pattern{i, c})
			} else {
				ix.exact[c] = append(ix.exact[c], i)
			}
		}
		for _, m := range sig.MetaData {
			ix.meta[m] = append(ix.meta[m], i)
		}
		for _, l := range sig.NativeLibs {
			ix.libs = append(ix.libs, pattern{i, l})
		}
		for _, a := range sig.Assets {
			ix.assets = append(ix.assets, pattern{i, strings.TrimPrefix(a, "assets/")})
		}
		for _, p := range sig.Permissions {
			ix.perms = append(ix.perms, pattern{i, p})
		}
		for _, f := range sig.IOSFrameworks {
			ix.iosFrameworks = append(ix.iosFrameworks, pattern{i, f})
		}
		for _, c := range sig.IOSClasses {
			if p, ok := strings.CutSuffix(c, "*"); ok {
				ix.iosClassPre = append(ix.iosClassPre, pattern{i, p})
			} else {
				ix.iosClass[c] = append(ix.iosClass[c], i)
			}
		}
		for _, k := range sig.IOSPlistKeys {
			ix.plistKeys[k] = append(ix.plistKeys[k], i)
		}
		for _, r := range sig.IOSResources {
			ix.iosResources = append(ix.iosResources, pattern{i, r})
		}
	}
	return ix
}

// Result is what detection found in one app.
type Result struct {
	// SDKs are the detections, sorted by id: SDKs whose own code or
	// shrink-proof markers are in the app.
	SDKs []Detection
	// Traces are SDKs seen only through evidence that does not show them:
	// resource stubs, one exception or interface class, classes another
	// artefact ships under their packages, a manifest entry whose class is
	// not in the app, configuration meta-data, a permission. They are
	// never reported as present, and never raise undeclared-SDK findings.
	Traces []Detection
	// Incomplete lists why the detections cannot be taken as the whole
	// truth: a packer hides the real code, or the code is only loaded at
	// run time. (DEX that did not parse is already an inventory problem.)
	Incomplete []string
}

// Detect finds the SDKs in inv. It is a pure function of inv and the
// index.
func (ix *Index) Detect(inv *inventory.Inventory) Result {
	all, packers := ix.detect(inv)
	var r Result
	for _, d := range all {
		if d.TraceReason != "" {
			r.Traces = append(r.Traces, d)
		} else {
			r.SDKs = append(r.SDKs, d)
		}
	}
	r.Incomplete = incompleteness(inv, r.SDKs, packers)
	return r
}

// incompleteness explains what the visible code cannot show.
func incompleteness(inv *inventory.Inventory, sdks []Detection, packers map[string]bool) []string {
	var out []string
	for _, d := range sdks {
		if packers[d.ID] {
			out = append(out, fmt.Sprintf("packer %s detected: the app's real code is encrypted and its SDKs cannot be listed from the visible DEX", d.ID))
		}
	}
	// Without DEX, code named by the manifest can only come from elsewhere
	// at run time; a manifest that names no class needs none.
	if inv.Manifest != nil && len(inv.Dex.Files) == 0 && inv.Application.HasCode != "false" &&
		(inv.Application.Name != "" || len(inv.Components) > 0) {
		out = append(out, "the app has no classes.dex although it declares code: its code is loaded at run time")
	}
	return out
}

func (ix *Index) detect(inv *inventory.Inventory) ([]Detection, map[string]bool) {
	found := map[int]*Detection{}
	add := func(i int, ev Evidence) {
		d := found[i]
		if d == nil {
			s := ix.sdks[i]
			d = &Detection{ID: s.ID, Name: s.Name.EN, NameZH: s.Name.ZH, Vendor: s.Vendor, Category: s.Category, Kind: s.Kind}
			found[i] = d
		}
		d.Evidence = append(d.Evidence, ev)
	}
	seen := ix.matchDex(inv, add)
	ix.matchStrings(inv, add)
	ix.matchManifest(inv, add)
	ix.matchFiles(inv, add)
	ix.matchIOS(inv, add)

	codeRead := len(inv.Dex.Files) > 0
	for _, f := range inv.Dex.Files {
		codeRead = codeRead && f.Error == ""
	}
	if inv.IOS != nil {
		codeRead = iosCodeRead(inv.IOS)
	}
	for i := range found {
		codeRead = codeRead && !ix.sdks[i].Packer
	}
	artifacts := map[string]bool{}
	for _, v := range inv.VersionFiles {
		artifacts[v.Group+":"+v.Artifact] = true
	}
	// The monolithic com.google.android.gms:play-services of versions 9
	// and before bundles every module and leaves no version file: when its
	// unrelated modules are all there, each Play services artefact anchor
	// holds (the advertising-ID client is the bundle's own, not the copy
	// play-services-basement ships).
	if playServicesBundle(inv.Dex.Classes) {
		for a := range ix.anchorArtifact {
			if strings.HasPrefix(a, "com.google.android.gms:") {
				artifacts[a] = true
			}
		}
	}
	byID := map[string]*Detection{}
	codeVersions := ix.codeVersions(inv, found)
	for i, d := range found {
		ix.weigh(i, d, seen, artifacts, codeRead)
		d.Permissions = requested(inv, ix.sdks[i].Permissions)
		sortEvidence(d.Evidence)
		d.Confidence = confidence(d.Evidence)
		d.Version, d.VersionSource = version(inv.VersionFiles, ix.sdks[i].ID, ix.sdks[i].Signatures.DexPrefixes)
		if d.Version == "" {
			d.Version, d.VersionSource = codeVersions[i].version, codeVersions[i].source
		}
		if inv.IOS != nil {
			d.Version, d.VersionSource = iosVersion(inv.IOS, d.Evidence)
		}
		byID[d.ID] = d
	}
	// An SDK seen only through DEX code next to a detected adapter for it
	// (a push aggregator's vendor channel) is attributed to the adapter: the
	// vendor's own SDK may be no more than the adapter's stub.
	for i := range ix.sdks { // rule order, so the choice of Via is stable
		d := found[i]
		if d == nil {
			continue
		}
		if d.TraceReason != "" {
			continue
		}
		for _, target := range ix.sdks[i].AdapterFor {
			if t := byID[target]; t != nil && onlyDex(t.Evidence) && t.Via == "" {
				t.Via = d.ID
				t.Confidence = rules.ConfidenceLow
			}
		}
	}
	out := make([]Detection, 0, len(found))
	for _, d := range found {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	packers := map[string]bool{}
	for i, d := range found {
		if ix.sdks[i].Packer {
			packers[d.ID] = true
		}
	}
	return out, packers
}

// version picks the version file that belongs to an SDK: its Maven group is
// one of the SDK's prefixes or lies under one, or the prefix is the group
// plus the artifact's trailing words (com.google.android.gms.ads ←
// com.google.android.gms_play-services-ads). A file whose artifact is the
// SDK's own name (play-services-base for google-play-services-base)
// outranks files that only share a package (play-services-tasks). It
// answers only when all files of the best kind agree.
func version(files []inventory.VersionFile, id string, prefixes []string) (string, string) {
	var named []inventory.VersionFile
	for _, f := range files {
		// A one-word artifact (core) is too common a name to go by.
		if f.Artifact == id || strings.Contains(f.Artifact, "-") && strings.HasSuffix(id, "-"+f.Artifact) {
			named = append(named, f)
		}
	}
	var v, src string
	for _, f := range named {
		if v != "" && v != f.Version {
			v = ""
			break
		}
		if v == "" {
			v, src = f.Version, f.Path
		}
	}
	if v != "" {
		return v, src
	}
	return versionOf(files, prefixes)
}

// versionOf is version over one set of files.
func versionOf(files []inventory.VersionFile, prefixes []string) (string, string) {
	var v, src string
	for _, f := range files {
		words := strings.FieldsFunc(f.Artifact, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
		match := false
		for _, p := range prefixes {
			if f.Group == p || strings.HasPrefix(f.Group, p+".") {
				match = true
			}
			// The artifact's trailing words name the package under the
			// group: play-services-ads-identifier → gms.ads.identifier.
			for k := len(words) - 1; k >= 0 && !match; k-- {
				match = p == f.Group+"."+strings.Join(words[k:], ".")
			}
			if match {
				break
			}
		}
		if !match {
			continue
		}
		if v != "" && v != f.Version {
			return "", ""
		}
		if v == "" {
			v, src = f.Version, f.Path
		}
	}
	return v, src
}

// bundleModules are Play services modules that no other artefact pulls in
// and few apps use together; the monolithic artefact carries them all.
var bundleModules = []string{"appindexing", "appstate", "cast", "drive", "fitness", "games", "nearby", "panorama", "plus", "wallet", "wearable"}

// playServicesBundle reports whether the sorted class descriptors hold at
// least 8 of bundleModules' packages: the monolithic play-services
// artefact.
func playServicesBundle(classes []string) bool {
	n := 0
	for _, m := range bundleModules {
		p := "Lcom/google/android/gms/" + m + "/"
		if i := sort.SearchStrings(classes, p); i < len(classes) && strings.HasPrefix(classes[i], p) {
			n++
		}
	}
	return n >= 8
}

// versionPick is the version the code states for one SDK.
type versionPick struct{ version, source string }

// codeVersions reads the app's version constants and native version
// strings (inventory.VersionStrings) per SDK. A constant belongs to the SDK
// whose prefix owns its class's package, as classes do in matchDex, or,
// for a class in a package no prefix owns (com.facebook.FacebookSdkVersion),
// to the detected SDK whose family (it and its children) holds every
// detected SDK under that package; a native string to the SDKs whose
// native_libs name the library. Constants of the app's own package are
// the app's, not an SDK's. Constants
// an SDK names for itself (SDK_VERSION, AF_SDK_VERSION) outrank a plain
// VERSION, which outranks BuildConfig.VERSION_NAME (often a module's "1.0",
// which is not kept); native strings come last. Disagreeing values of the
// best rank give no version: a wrong one would answer "which apps ship X
// before 3.0" wrongly.
func (ix *Index) codeVersions(inv *inventory.Inventory, found map[int]*Detection) map[int]versionPick {
	type cand struct {
		rank         int
		value, where string
	}
	cands := map[int][]cand{}
	appPkg := inv.Package
	for _, vs := range inv.VersionStrings {
		switch vs.Kind {
		case inventory.VersionDexConstant:
			rank := constantRank(vs.Class, vs.Field, vs.Version)
			if rank == 0 {
				continue
			}
			i := strings.LastIndexByte(vs.Class, '.')
			if i <= 0 || appPkg != "" && (vs.Class[:i] == appPkg || strings.HasPrefix(vs.Class, appPkg+".")) {
				continue
			}
			pkg := strings.ReplaceAll(vs.Class[:i], ".", "/")
			owners := ix.owners(pkg)
			if owners == nil {
				owners = ix.familyUnder(pkg, found)
			}
			for _, s := range owners {
				cands[s] = append(cands[s], cand{rank, strings.TrimPrefix(vs.Version, "v"),
					fmt.Sprintf("%s: %s.%s = %q", vs.Path, vs.Class, vs.Field, vs.Version)})
			}
		case inventory.VersionNativeString:
			for _, p := range ix.libs {
				if ok, _ := path.Match(p.glob, vs.Lib); ok {
					cands[p.sdk] = append(cands[p.sdk], cand{4, vs.Version, fmt.Sprintf("%s: string %q", vs.Path, vs.Version)})
				}
			}
		}
	}
	out := map[int]versionPick{}
	for s, cs := range cands {
		best := cs[0].rank
		for _, c := range cs {
			best = min(best, c.rank)
		}
		var pick versionPick
		agree := true
		for _, c := range cs {
			if c.rank != best {
				continue
			}
			if pick.version != "" && !sameVersion(pick.version, c.value) {
				agree = false
				break
			}
			// Of two spellings of one version (2.9.1, 2.9.1.lite) the
			// fuller is kept.
			if pick.version == "" || len(c.value) > len(pick.version) ||
				len(c.value) == len(pick.version) && c.where < pick.source {
				pick = versionPick{c.value, c.where}
			}
		}
		if agree {
			out[s] = pick
		}
	}
	return out
}

// sameVersion reports whether a and b are one version, or one spells it
// with a suffix the other leaves off (2.9.1 and 2.9.1.lite).
func sameVersion(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return a == b || strings.HasPrefix(b, a) && (b[len(a)] == '.' || b[len(a)] == '-') &&
		(len(b) == len(a)+1 || b[len(a)+1] < '0' || b[len(a)+1] > '9')
}

// constantRank ranks a version constant of class.field: 1 for a name an
// SDK gives its own version, 2 for a plain VERSION (or BUILD in a
// *Version class), 3 for BuildConfig.VERSION_NAME; 0 to ignore it.
func constantRank(class, field, value string) int {
	simple := class[strings.LastIndexByte(class, '.')+1:]
	switch field {
	case "VERSION_NAME":
		if simple == "BuildConfig" {
			if value == "1.0" {
				return 0
			}
			return 3
		}
		return 2
	case "VERSION", "VERSION_STRING", "BUILD_VERSION":
		return 2
	case "BUILD":
		if strings.Contains(simple, "Version") {
			return 2
		}
		return 0
	}
	return 1
}

// familyUnder returns the detected SDK whose family holds every detected
// SDK with a prefix under the slash-separated package pkg, if there is one.
func (ix *Index) familyUnder(pkg string, found map[int]*Detection) []int {
	under := map[int]bool{}
	for p, sdks := range ix.prefix {
		if strings.HasPrefix(p, pkg+"/") {
			for _, s := range sdks {
				if found[s] != nil && found[s].TraceReason == "" {
					under[s] = true
				}
			}
		}
	}
	root := -1
	for s := range under {
		r := ix.root(s)
		if root >= 0 && r != root {
			return nil
		}
		root = r
	}
	if root < 0 || !under[root] {
		return nil
	}
	return []int{root}
}

// root follows parent links from SDK s to the top of its family.
func (ix *Index) root(s int) int {
	for n := 0; n < 16 && ix.sdks[s].Parent != ""; n++ {
		p, ok := ix.byID[ix.sdks[s].Parent]
		if !ok {
			break
		}
		s = p
	}
	return s
}

// owners returns the SDKs whose longest matching prefix covers the
// slash-separated package pkg.
func (ix *Index) owners(pkg string) []int {
	for p := pkg; ; {
		if sdks, ok := ix.prefix[p]; ok {
			return sdks
		}
		j := strings.LastIndexByte(p, '/')
		if j < 0 {
			return nil
		}
		p = p[:j]
	}
}

// DexStrings returns every rule's dex_strings, sorted, for the inventory to
// look up.
func (ix *Index) DexStrings() []string {
	out := make([]string, 0, len(ix.strs))
	for s := range ix.strs {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// matchStrings turns the dex_strings the inventory found into evidence:
// strings of an SDK's own code, which renaming leaves in place.
func (ix *Index) matchStrings(inv *inventory.Inventory, add func(int, Evidence)) {
	files := append([]inventory.DexFile{}, inv.Dex.Files...)
	for _, c := range inv.OtherCode {
		files = append(files, c.Dex...)
	}
	for _, f := range files {
		for _, s := range f.Strings {
			for _, i := range ix.strs[s] {
				add(i, Evidence{Kind: KindDexString, Signature: s, Where: f.Name})
			}
		}
	}
}

// NamesNativeLib reports whether some rule's native_libs names the
// library file name; the inventory reads such libraries for a version.
func (ix *Index) NamesNativeLib(name string) bool {
	for _, p := range ix.libs {
		if ok, _ := path.Match(p.glob, name); ok {
			return true
		}
	}
	return false
}

func onlyDex(ev []Evidence) bool {
	for _, e := range ev {
		if e.Kind != KindDexPrefix {
			return false
		}
	}
	return true
}

// launcherPackages returns the slash-separated packages of the app's
// launcher activities when they differ from the manifest package and sit
// under a short vendor root a rule claims (a JIGUANG demo's
// cn.jiguang.jmlinkdemo under jiguang-jcore's cn.jiguang): that code is the
// app's own. A package a rule names itself or holds a rule's prefix
// (com.unity3d.player, an engine's launcher) stays the SDK's.
func (ix *Index) launcherPackages(inv *inventory.Inventory) []string {
	if inv.Manifest == nil {
		return nil
	}
	var out []string
	for _, c := range inv.Components {
		if c.Type != "activity" && c.Type != "activity-alias" || !launcher(c) {
			continue
		}
		name := c.Name
		if c.Type == "activity-alias" && c.TargetActivity != "" {
			name = c.TargetActivity
		}
		i := strings.LastIndexByte(name, '.')
		if i <= 0 || strings.Count(name[:i], ".") < 2 {
			continue
		}
		pkg := strings.ReplaceAll(name[:i], ".", "/")
		if ix.owners(pkg) == nil || ix.prefixAtOrUnder(pkg) {
			continue
		}
		out = append(out, pkg)
	}
	return out
}

// launcher reports whether a component has a MAIN/LAUNCHER intent filter.
func launcher(c manifest.Component) bool {
	for _, f := range c.IntentFilters {
		if slices.Contains(f.Actions, "android.intent.action.MAIN") && slices.Contains(f.Categories, "android.intent.category.LAUNCHER") {
			return true
		}
	}
	return false
}

// prefixAtOrUnder reports whether some rule prefix is pkg or lies under it.
func (ix *Index) prefixAtOrUnder(pkg string) bool {
	for p := range ix.prefix {
		if p == pkg || strings.HasPrefix(p, pkg+"/") {
			return true
		}
	}
	return false
}

// underAny reports whether pkg is one of pkgs or lies under one.
func underAny(pkg string, pkgs []string) bool {
	for _, p := range pkgs {
		if pkg == p || strings.HasPrefix(pkg, p+"/") {
			return true
		}
	}
	return false
}

// matchDex groups each DEX file's classes by package and attributes each
// package to the longest matching rule prefix.
func (ix *Index) matchDex(inv *inventory.Inventory, add func(int, Evidence)) *codeSeen {
	seen := &codeSeen{anchors: map[int]bool{}, real: map[int]map[string]bool{}}
	appPkg := strings.ReplaceAll(inv.Package, ".", "/")
	ownPkgs := ix.launcherPackages(inv)
	type key struct {
		sdk    int
		prefix string
		file   string
	}
	counts := map[key]int{}
	files := append([]inventory.DexFile{}, inv.Dex.Files...)
	for _, c := range inv.OtherCode {
		files = append(files, c.Dex...)
	}
	for _, f := range files {
		pkgs := map[string]int{}
		for _, c := range f.ClassList {
			for _, s := range ix.anchorClass[c] {
				seen.anchors[s] = true
			}
			d := strings.TrimSuffix(strings.TrimPrefix(c, "L"), ";")
			if i := strings.LastIndexByte(d, '/'); i > 0 {
				pkgs[d[:i]]++
			}
		}
		owner := map[string][]int{} // package -> the SDKs its prefix names
		for pkg, n := range pkgs {
			if appPkg != "" && (pkg == appPkg || strings.HasPrefix(pkg, appPkg+"/")) || underAny(pkg, ownPkgs) {
				continue
			}
			for p := pkg; ; {
				if sdks, ok := ix.prefix[p]; ok {
					for _, s := range sdks {
						counts[key{s, p, f.Name}] += n
					}
					owner[pkg] = sdks
					break
				}
				j := strings.LastIndexByte(p, '/')
				if j < 0 {
					break
				}
				p = p[:j]
			}
		}
		// Only classes of packages some prefix names are weighed: the
		// rest of the app pays nothing for it.
		if len(owner) == 0 {
			continue
		}
		for _, c := range f.ClassList {
			d := strings.TrimSuffix(strings.TrimPrefix(c, "L"), ";")
			i := strings.LastIndexByte(d, '/')
			if i <= 0 {
				continue
			}
			sdks := owner[d[:i]]
			if len(sdks) == 0 {
				continue
			}
			top, ok := substantive(d[i+1:])
			if !ok {
				continue
			}
			for _, s := range sdks {
				if seen.real[s] == nil {
					seen.real[s] = map[string]bool{}
				}
				if len(seen.real[s]) < 8 {
					seen.real[s][d[:i]+"/"+top] = true
				}
			}
		}
	}
	for k, n := range counts {
		add(k.sdk, Evidence{Kind: KindDexPrefix, Signature: strings.ReplaceAll(k.prefix, "/", "."), Where: k.file, Classes: n})
	}
	return seen
}

func (ix *Index) matchManifest(inv *inventory.Inventory, add func(int, Evidence)) {
	if inv.Manifest == nil {
		return
	}
	classes := inv.Components
	if inv.Application.Name != "" {
		// A packer or SDK that replaces the Application class is as
		// telling as a component.
		classes = append([]manifest.Component{{Type: "application", Name: inv.Application.Name}}, classes...)
	}
	for _, c := range classes {
		for _, s := range ix.exact[c.Name] {
			add(s, Evidence{Kind: KindComponent, Signature: c.Name, Where: c.Type + " " + c.Name})
		}
		for _, p := range ix.compPre {
			if matchClass(p.glob, c.Name, inv.Package) {
				add(p.sdk, Evidence{Kind: KindComponent, Signature: p.glob, Where: c.Type + " " + c.Name})
			}
		}
	}
	for _, m := range inv.MetaData {
		for _, s := range ix.meta[m.Name] {
			add(s, Evidence{Kind: KindMetaData, Signature: m.Name, Where: "meta-data " + m.Name + " on " + m.Owner})
		}
	}
	var names []string
	for _, p := range inv.Permissions {
		names = append(names, p.Name)
	}
	for _, p := range inv.DeclaredPermissions {
		names = append(names, p.Name)
	}
	for _, p := range ix.perms {
		for _, n := range names {
			if matchPermission(p.glob, n, inv.Package) {
				add(p.sdk, Evidence{Kind: KindPermission, Signature: p.glob, Where: "permission " + n})
				break
			}
		}
	}
}

func (ix *Index) matchFiles(inv *inventory.Inventory, add func(int, Evidence)) {
	for _, abi := range inv.NativeLibs {
		for _, l := range abi.Libs {
			for _, p := range ix.libs {
				if ok, _ := path.Match(p.glob, l.Name); ok {
					add(p.sdk, Evidence{Kind: KindNativeLib, Signature: p.glob, Where: l.Path})
				}
			}
		}
	}
	for _, l := range inv.NativeOther {
		for _, p := range ix.libs {
			if ok, _ := path.Match(p.glob, l.Name); ok {
				add(p.sdk, Evidence{Kind: KindNativeLib, Signature: p.glob, Where: l.Path})
			}
		}
	}
	for _, a := range inv.Assets {
		rel := strings.TrimPrefix(a, "assets/")
		for _, p := range ix.assets {
			if ok, _ := path.Match(p.glob, rel); ok {
				add(p.sdk, Evidence{Kind: KindAsset, Signature: p.glob, Where: a})
			}
		}
	}
}

// matchClass matches a component pattern: "pkg." is a package prefix, "*"
// a wildcard that may span dots ("*.wxapi.WXEntryActivity").
func matchClass(glob, name, appPkg string) bool {
	if strings.HasSuffix(glob, ".") && !strings.Contains(glob, "*") {
		return strings.HasPrefix(name, glob)
	}
	return wildcard(glob, name)
}

// matchPermission matches a permission pattern; "*" may also stand for the
// app's own package.
func matchPermission(glob, name, appPkg string) bool {
	return wildcard(glob, name)
}

// wildcard matches '*' against any run of characters, dots included.
func wildcard(glob, s string) bool {
	parts := strings.Split(glob, "*")
	if len(parts) == 1 {
		return glob == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i := 1; i < len(parts)-1; i++ {
		j := strings.Index(s, parts[i])
		if j < 0 {
			return false
		}
		s = s[j+len(parts[i]):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

func requested(inv *inventory.Inventory, typical []string) []string {
	if inv.Manifest == nil {
		return nil
	}
	have := map[string]bool{}
	for _, p := range inv.Permissions {
		have[p.Name] = true
	}
	var out []string
	for _, p := range typical {
		if have[p] {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func sortEvidence(ev []Evidence) {
	sort.Slice(ev, func(i, j int) bool {
		a, b := ev[i], ev[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Signature != b.Signature {
			return a.Signature < b.Signature
		}
		return a.Where < b.Where
	})
}

// confidence fuses the evidence kinds.
func confidence(ev []Evidence) string {
	kinds := map[string]bool{}
	for _, e := range ev {
		kinds[e.Kind] = true
	}
	switch {
	case len(kinds) >= 2, kinds[KindComponent], kinds[KindMetaData], kinds[KindIOSFramework]:
		return rules.ConfidenceHigh
	case kinds[KindDexPrefix], kinds[KindDexString], kinds[KindIOSClass]:
		return rules.ConfidenceMedium
	}
	return rules.ConfidenceLow
}

// String is a one-line summary for logs and tables.
func (d Detection) String() string {
	return fmt.Sprintf("%s (%s, %s)", d.ID, d.Category, d.Confidence)
}

// codeSeen is what the class lists showed beyond the prefix counts.
type codeSeen struct {
	// anchors holds the SDKs one of whose anchor classes is present.
	anchors map[int]bool
	// real holds, per SDK index, up to eight distinct substantive
	// top-level classes under its prefixes: enough to tell one stub from
	// real code.
	real map[int]map[string]bool
}

func descriptor(class string) string {
	return "L" + strings.ReplaceAll(class, ".", "/") + ";"
}

// substantive returns a class's top-level name when it is more than a
// stub: not a resource class (R, R$id), BuildConfig, or an exception or
// error type, which other code carries to catch or throw.
func substantive(simple string) (string, bool) {
	top := simple
	if i := strings.IndexByte(top, '$'); i >= 0 {
		top = top[:i]
	}
	switch {
	case top == "R" || top == "BuildConfig" || top == "":
		return "", false
	case strings.HasSuffix(top, "Exception") || strings.HasSuffix(top, "Error"):
		return "", false
	}
	return top, true
}

// minRealClasses is how many distinct substantive classes a package
// prefix must hold to show the SDK's own code. One class is what a sibling
// SDK, an interface jar or a stub leaves behind; real SDKs, even shrunk,
// keep more (or keep a component, a registrar or a native library).
const minRealClasses = 1

// weigh marks each piece of evidence as a trace or not and sets the
// detection's TraceReason when no piece shows the SDK's own code.
//
// codeRead is false when the app's code cannot be fully seen (no DEX, a DEX
// that did not parse, a packer): then configuration meta-data is all that
// may show an SDK and counts.
func (ix *Index) weigh(i int, d *Detection, seen *codeSeen, artifacts map[string]bool, codeRead bool) {
	s := ix.sdks[i]
	anchored := seen.anchors[i]
	for _, a := range s.Signatures.Anchors {
		if artifacts[a] {
			anchored = true
		}
	}
	hasAnchors := len(s.Signatures.Anchors) > 0
	real := len(seen.real[i])
	any := false
	var why []string
	for k := range d.Evidence {
		e := &d.Evidence[k]
		switch e.Kind {
		case KindDexPrefix:
			switch {
			case hasAnchors && !anchored:
				e.Trace = true
				why = append(why, "classes under its packages, but none of its own entry classes or artefacts")
			case !hasAnchors && real < minRealClasses:
				e.Trace = true
				why = append(why, fmt.Sprintf("only %d class(es) of its own under its packages besides resource stubs and exception types", real))
			}
		case KindComponent:
			// A component whose class is not in the visible code still
			// counts: shrinkers keep manifest classes, and a packer hides
			// them, so the manifest is what survives.
			if hasAnchors && !anchored {
				// The app's own entry activity (WXEntryActivity) is
				// there whether it talks to the SDK or to a copy of
				// its protocol another SDK ships.
				e.Trace = true
				why = append(why, "a component, but none of its own entry classes or artefacts")
			}
		case KindMetaData:
			if codeRead && !strings.Contains(e.Signature, "Registrar") && !strings.Contains(e.Signature, "components:") {
				// An API key or app id says the app was configured for
				// the SDK, not that its code shipped.
				e.Trace = true
				why = append(why, "configuration meta-data only")
			}
		case KindPermission:
			e.Trace = true
			why = append(why, "a permission only")
		case KindIOSClass:
			// An exact class name is the SDK's own entry class; one class
			// under a prefix is what a stub or another SDK's adapter
			// leaves.
			if strings.HasSuffix(e.Signature, "*") && e.Classes < 2 {
				e.Trace = true
				why = append(why, "only one class under its class prefix")
			}
		case KindPlistKey:
			if codeRead {
				e.Trace = true
				why = append(why, "an Info.plist configuration key only")
			}
		case KindIOSResource:
			if codeRead && strings.HasSuffix(e.Signature, ".plist") {
				e.Trace = true
				why = append(why, "a configuration file only")
			}
		}
		if !e.Trace {
			any = true
		}
	}
	if hasAnchors && anchored {
		any = true
	}
	if !any {
		d.TraceReason = strings.Join(dedupe(why), "; ")
	}
}

func dedupe(list []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// iosCodeRead reports whether every Mach-O file of the app was read,
// none of them encrypted: only then can missing class evidence be taken
// to mean the SDK's code is not there.
func iosCodeRead(ios *inventory.IOS) bool {
	if len(ios.Binaries) == 0 {
		return false
	}
	for _, b := range ios.Binaries {
		if b.MachO == nil || b.Encrypted {
			return false
		}
	}
	return true
}

// frameworkName is the framework or dylib a linked install name names:
// "@rpath/GTSDK.framework/GTSDK" → GTSDK, "@rpath/libfoo.dylib" → foo.
func frameworkName(install string) string {
	parts := strings.Split(install, "/")
	for i := len(parts) - 2; i >= 0; i-- {
		if n, ok := strings.CutSuffix(parts[i], ".framework"); ok {
			return n
		}
	}
	base := parts[len(parts)-1]
	if n, ok := strings.CutSuffix(base, ".dylib"); ok {
		n = strings.TrimPrefix(n, "lib")
		if i := strings.IndexByte(n, '.'); i > 0 {
			n = n[:i]
		}
		return n
	}
	return ""
}

// matchIOS matches the iOS signatures: embedded frameworks and dylibs,
// the frameworks each binary links (system frameworks are not in the
// rules, so they never match), class names per binary, Info.plist keys
// and resources.
func (ix *Index) matchIOS(inv *inventory.Inventory, add func(int, Evidence)) {
	ios := inv.IOS
	if ios == nil {
		return
	}
	matchFW := func(name, where string) {
		for _, p := range ix.iosFrameworks {
			if ok, _ := path.Match(p.glob, name); ok {
				add(p.sdk, Evidence{Kind: KindIOSFramework, Signature: p.glob, Where: where})
			}
		}
	}
	embedded := map[string]bool{}
	for _, f := range ios.Frameworks {
		name := f.Name
		if f.Kind == "dylib" {
			name = strings.TrimPrefix(name, "lib")
		}
		embedded[name] = true
		matchFW(name, f.Path)
	}
	type key struct {
		sdk       int
		signature string
		where     string
	}
	for _, b := range ios.Binaries {
		if b.MachO == nil {
			continue
		}
		for _, l := range b.Libraries {
			// An embedded framework already counted; a linked one the
			// app does not embed is still evidence (a framework left
			// out of the archive, or stripped by a tool).
			if n := frameworkName(l); n != "" && !embedded[n] {
				matchFW(n, b.Path+" links "+l)
			}
		}
		// A Swift package linked statically leaves its module name in
		// its classes' runtime names: the framework it would otherwise
		// have been.
		for _, mod := range SwiftModules(b.MachO) {
			if !embedded[mod] {
				matchFW(mod, b.Path+" holds Swift module "+mod)
			}
		}
		counts := map[key]int{}
		for _, c := range b.MachO.Classes {
			for _, s := range ix.iosClass[c] {
				counts[key{s, c, b.Path}]++
			}
			for _, p := range ix.iosClassPre {
				if strings.HasPrefix(c, p.glob) {
					counts[key{p.sdk, p.glob + "*", b.Path}]++
				}
			}
		}
		for k, n := range counts {
			add(k.sdk, Evidence{Kind: KindIOSClass, Signature: k.signature, Where: k.where, Classes: n})
		}
	}
	for _, k := range ios.PlistKeys {
		for _, s := range ix.plistKeys[k] {
			add(s, Evidence{Kind: KindPlistKey, Signature: k, Where: "Info.plist " + k})
		}
	}
	for _, r := range ios.Resources {
		for _, p := range ix.iosResources {
			if ok, _ := path.Match(p.glob, r); ok {
				add(p.sdk, Evidence{Kind: KindIOSResource, Signature: p.glob, Where: r})
			}
		}
	}
}

// iosVersion is the version in the Info.plist of the framework an
// ios-framework evidence names, when exactly one version is found.
func iosVersion(ios *inventory.IOS, ev []Evidence) (string, string) {
	var v, src string
	for _, e := range ev {
		if e.Kind != KindIOSFramework {
			continue
		}
		for _, f := range ios.Frameworks {
			if f.Path != e.Where || f.Version == "" {
				continue
			}
			if v != "" && v != f.Version {
				return "", ""
			}
			v, src = f.Version, f.Path+"/Info.plist"
		}
	}
	return v, src
}

// SwiftModules are the distinct modules of the Swift classes a Mach-O
// file defines, sorted.
func SwiftModules(m *native.MachO) []string {
	var out []string
	for _, t := range m.SwiftTypes {
		if mod, _, ok := strings.Cut(t, "."); ok && mod != "" {
			out = append(out, mod)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}
