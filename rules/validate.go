package rules

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

var (
	kebabRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// A dotted Java package prefix: identifiers joined by dots.
	dexPrefixRe = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$`)
	// A component class name or pattern: identifier characters, dots and
	// '*' wildcards, optionally ending in '.' for a package prefix.
	componentRe = regexp.MustCompile(`^[A-Za-z0-9_$.*]+$`)
	dexStringRe = regexp.MustCompile(`^[\x20-\x7e]{8,200}$`)
	nativeLibRe = regexp.MustCompile(`^[A-Za-z0-9_.*+\-]+\.so$`)
	metaDataRe  = regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`)
	assetRe     = regexp.MustCompile(`^[A-Za-z0-9_.*/\-]+$`)
	permNameRe  = regexp.MustCompile(`^[A-Za-z0-9_.*]+$`)
	countryRe   = regexp.MustCompile(`^[A-Z]{2}$`)
	groupRe     = regexp.MustCompile(`^[A-Z][A-Z_]*$`)
	// An API rule's method or field reference: a class descriptor
	// (Lpkg/Class; with '$' for inner classes), "->" and a member name,
	// without a prototype. <init> is the constructor.
	apiRefRe = regexp.MustCompile(`^L[A-Za-z_$][A-Za-z0-9_$]*(/[A-Za-z_$][A-Za-z0-9_$]*)*;->([A-Za-z_$][A-Za-z0-9_$]*|<init>)$`)
	// VERSION: 2026.11.28-1 or 1.0.0+20261128.
	versionRe = regexp.MustCompile(`^(\d{4}\.\d{2}\.\d{2}-\d+|\d+\.\d+\.\d+\+\d{8})$`)
)

// umbrellaRoots are package roots that several unrelated SDKs share. A DEX
// prefix equal to one of them would attribute every SDK under it to one
// entry, so it is refused unless the entry sets allow_root_prefix.
var umbrellaRoots = map[string]bool{
	"com": true, "org": true, "net": true, "io": true, "cn": true, "me": true,
	"android": true, "androidx.core": true, "java": true, "javax": true, "dalvik": true,
	"com.android": true, "com.google": true, "com.google.android": true,
	"com.google.android.gms": true, "com.google.firebase": true,
	"com.tencent": true, "com.huawei": true, "com.huawei.hms": true, "com.baidu": true,
	"com.alibaba": true, "com.alipay": true, "com.taobao": true, "com.aliyun": true,
	"com.facebook": true, "com.bytedance": true, "com.ss": true, "com.ss.android": true,
	"com.xiaomi": true, "com.miui": true, "com.heytap": true, "com.oppo": true,
	"com.coloros": true, "com.vivo": true, "com.meizu": true, "com.hihonor": true,
	"com.netease": true, "com.sina": true, "com.qq": true, "com.umeng": true,
	"com.mob": true, "com.sdk": true, "com.amazon": true, "com.amazonaws": true,
	"com.microsoft": true, "com.samsung": true, "com.kwai": true, "com.jd": true,
	"com.qiniu": true, "cn.com": true, "com.cmic": true, "com.unicom": true,
	"com.squareup": true, "com.github": true, "org.apache": true, "io.agora": true,
}

var (
	sensitiveValues   = []string{"yes", "no", "conditional"}
	sensitivityValues = []string{SensitivitySensitive, SensitivityPersonal, SensitivityDevice}
	kindValues        = []string{KindSDK, KindLibrary}
	apiKindValues     = []string{APIMethod, APIField, APIString}
	confidenceValues  = []string{ConfidenceHigh, ConfidenceMedium, ConfidenceLow}
	protectionFlags   = []string{
		"dangerous", "normal", "signature", "privileged", "appop", "development",
		"preinstalled", "setup", "installer", "pre23", "instant", "runtime",
		"role", "internal", "knownSigner", "module", "recents", "vendorPrivileged",
		"vendor",
	}
)

// Validate checks a complete rule set and returns every problem found, in
// a stable order. It checks that ids are unique, kebab-case and not
// retired; that every vendor, parent, adapter, data category and
// permission referred to exists; that categories, kinds, confidence and
// sensitivity values come from their closed lists; that names and terms
// are trimmed and NFKC-normalised; that signatures are well formed, that
// no two SDKs claim the same DEX prefix and that no DEX prefix is a vendor
// root other SDKs live under (unless allow_root_prefix is set); that API
// rules have a known kind, a well-formed reference that no other rule
// repeats, existing data categories and permissions and plausible API
// levels; and that VERSION is date-stamped.
func Validate(db *DB) []error {
	v := &validator{db: db, retired: make(map[string]bool)}
	for _, id := range db.RetiredIDs {
		v.retired[id] = true
	}
	v.version()
	v.dataCategories()
	v.permissions()
	v.vendors()
	v.sdks()
	v.prefixes()
	v.apis()
	v.ios()
	return v.errs
}

// iosFrameworkRe bounds framework, class, plist-key and resource
// signatures: a name, optionally with '*' wildcards.
var iosNameRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.+*-]*$`)

// ios checks ios.yaml: unique keys, existing permissions, data
// categories and SDK ids.
func (v *validator) ios() {
	seen := map[string]bool{}
	for _, u := range v.db.UsageKeys {
		what := fmt.Sprintf("usage key %q", u.Key)
		if !strings.HasPrefix(u.Key, "NS") || !strings.HasSuffix(u.Key, "UsageDescription") {
			v.add(u.Source, what, "want an NS…UsageDescription key")
		}
		if seen[u.Key] {
			v.add(u.Source, what, "listed twice")
		}
		seen[u.Key] = true
		v.text(u.Source, what, "name", u.Name, true)
		v.dataRefs(u.Source, what, u.Data)
		if len(u.Data) == 0 {
			v.add(u.Source, what, "no data categories")
		}
		for _, p := range u.Permissions {
			if _, ok := v.db.Permission(p); !ok {
				v.add(u.Source, what, "permission %q not found", p)
			}
		}
		if strings.TrimSpace(u.Note) == "" {
			v.add(u.Source, what, "note is empty")
		}
	}
	seen = map[string]bool{}
	for _, t := range v.db.PrivacyDataTypes {
		what := fmt.Sprintf("privacy data type %q", t.Type)
		if !strings.HasPrefix(t.Type, "NSPrivacyCollectedDataType") {
			v.add(t.Source, what, "want an NSPrivacyCollectedDataType… value")
		}
		if seen[t.Type] {
			v.add(t.Source, what, "listed twice")
		}
		seen[t.Type] = true
		v.dataRefs(t.Source, what, t.Data)
		if len(t.Data) == 0 {
			v.add(t.Source, what, "no data categories")
		}
	}
	seen = map[string]bool{}
	for _, m := range v.db.ManifestSDKs {
		what := fmt.Sprintf("privacy-manifest SDK %q", m.Name)
		if seen[m.Name] {
			v.add(m.Source, what, "listed twice")
		}
		seen[m.Name] = true
		if len(m.Frameworks) == 0 {
			v.add(m.Source, what, "no frameworks")
		}
		for _, f := range m.Frameworks {
			if !iosNameRe.MatchString(f) {
				v.add(m.Source, what, "framework %q is malformed", f)
			}
		}
		if m.SDK != "" {
			if _, ok := v.db.SDK(m.SDK); !ok {
				v.add(m.Source, what, "sdk %q not found", m.SDK)
			}
		}
	}
}

type validator struct {
	db      *DB
	retired map[string]bool
	errs    []error
}

func (v *validator) add(src, what, format string, args ...any) {
	loc := src
	if loc == "" {
		loc = "(merged)"
	}
	v.errs = append(v.errs, fmt.Errorf("rules: %s: %s: %s", loc, what, fmt.Sprintf(format, args...)))
}

func (v *validator) version() {
	switch {
	case v.db.Version == "":
		v.errs = append(v.errs, fmt.Errorf("rules: %s: missing or empty", FileVersion))
	case !versionRe.MatchString(baseVersion(v.db.Version)):
		v.errs = append(v.errs, fmt.Errorf("rules: %s: %q is not YYYY.MM.DD-N or X.Y.Z+YYYYMMDD", FileVersion, v.db.Version))
	}
}

// baseVersion strips what Merge appended ("+<other version>") so that a
// merged set still validates its base version.
func baseVersion(s string) string {
	if i := strings.Index(s, "+"); i >= 0 {
		// X.Y.Z+YYYYMMDD keeps its own '+'; a merge suffix follows it.
		if versionRe.MatchString(s[:i]) {
			return s[:i]
		}
		if j := strings.Index(s[i+1:], "+"); j >= 0 {
			return s[:i+1+j]
		}
	}
	return s
}

// cleanName reports what is wrong with a name or term, or "".
func cleanName(s string) string {
	switch {
	case s == "":
		return "empty"
	case strings.TrimSpace(s) != s:
		return "has leading or trailing white space"
	case strings.ContainsAny(s, "\n\r\t"):
		return "contains a line break or tab"
	case strings.Contains(s, "  "):
		return "contains a double space"
	case norm.NFKC.String(s) != s:
		return fmt.Sprintf("is not NFKC-normalised (want %q)", norm.NFKC.String(s))
	}
	return ""
}

func (v *validator) names(src, what, field string, names []string) {
	seen := make(map[string]bool)
	for _, n := range names {
		if p := cleanName(n); p != "" {
			v.add(src, what, "%s %q %s", field, n, p)
		}
		k := NormalizeName(n)
		if seen[k] && k != "" {
			v.add(src, what, "%s %q is listed twice", field, n)
		}
		seen[k] = true
	}
}

func (v *validator) text(src, what, field string, t Text, needBoth bool) {
	if t.EN == "" && t.ZH == "" {
		v.add(src, what, "%s needs en or zh", field)
		return
	}
	if needBoth && (t.EN == "" || t.ZH == "") {
		v.add(src, what, "%s needs both en and zh", field)
	}
	for _, s := range []string{t.EN, t.ZH} {
		if s != "" {
			if p := cleanName(s); p != "" {
				v.add(src, what, "%s %q %s", field, s, p)
			}
		}
	}
}

func (v *validator) terms(src, what string, t Terms) {
	if len(t.ZH) == 0 || len(t.EN) == 0 {
		v.add(src, what, "terms need at least one zh and one en term")
	}
	v.names(src, what, "zh term", t.ZH)
	v.names(src, what, "en term", t.EN)
}

func (v *validator) id(src, what, id string) {
	switch {
	case id == "":
		v.add(src, what, "missing id")
	case !isKebab(id):
		v.add(src, what, "id %q is not kebab-case", id)
	case v.retired[id]:
		v.add(src, what, "id %q is retired (%s) and must not be reused", id, FileRetiredIDs)
	}
}

func isKebab(s string) bool { return kebabRe.MatchString(s) }

func (v *validator) dataCategories() {
	seen := make(map[string]string)
	for _, c := range v.db.DataCategories {
		what := fmt.Sprintf("data category %q", c.ID)
		v.id(c.Source, what, c.ID)
		if prev, dup := seen[c.ID]; dup {
			v.add(c.Source, what, "duplicate id (first at %s)", prev)
		}
		seen[c.ID] = c.Source
		v.text(c.Source, what, "name", c.Name, true)
		v.terms(c.Source, what, c.Terms)
		if !slices.Contains(sensitivityValues, c.Sensitivity) {
			v.add(c.Source, what, "sensitivity %q is not one of %v", c.Sensitivity, sensitivityValues)
		}
		if c.PIPLSensitive && c.Sensitivity != SensitivitySensitive {
			v.add(c.Source, what, "pipl_sensitive is true but sensitivity is %q", c.Sensitivity)
		}
		if c.PlayDataSafety == "" {
			v.add(c.Source, what, "missing play_data_safety")
		}
		if strings.TrimSpace(c.Note) == "" {
			v.add(c.Source, what, "missing note")
		}
	}
}

func (v *validator) dataRefs(src, what string, ids []string) {
	seen := make(map[string]bool)
	for _, id := range ids {
		if _, ok := v.db.DataCategory(id); !ok {
			v.add(src, what, "data category %q not found", id)
		}
		if seen[id] {
			v.add(src, what, "data category %q listed twice", id)
		}
		seen[id] = true
	}
}

func (v *validator) permissions() {
	seen := make(map[string]string)
	for _, p := range v.db.Permissions {
		what := fmt.Sprintf("permission %q", p.Name)
		if !permNameRe.MatchString(p.Name) || strings.Contains(p.Name, "*") || !strings.Contains(p.Name, ".") {
			v.add(p.Source, what, "name is not a full dotted permission name")
		}
		if prev, dup := seen[p.Name]; dup {
			v.add(p.Source, what, "duplicate name (first at %s)", prev)
		}
		seen[p.Name] = p.Source
		if p.ProtectionLevel == "" {
			v.add(p.Source, what, "missing protection_level")
		}
		for _, f := range strings.Split(p.ProtectionLevel, "|") {
			if !slices.Contains(protectionFlags, f) {
				v.add(p.Source, what, "protection_level flag %q is unknown", f)
			}
		}
		if p.AddedAPI < 0 || p.AddedAPI > 99 {
			v.add(p.Source, what, "added_api %d out of range", p.AddedAPI)
		}
		if p.Group != "" && !groupRe.MatchString(p.Group) {
			v.add(p.Source, what, "group %q is not an upper-case group name", p.Group)
		}
		v.terms(p.Source, what, p.Terms)
		v.dataRefs(p.Source, what, p.Data)
		if !slices.Contains(sensitiveValues, p.Sensitive.PIPL) {
			v.add(p.Source, what, "sensitive.pipl %q is not one of %v", p.Sensitive.PIPL, sensitiveValues)
		}
		if !slices.Contains(sensitiveValues, p.Sensitive.GBT35273) {
			v.add(p.Source, what, "sensitive.gbt35273 %q is not one of %v", p.Sensitive.GBT35273, sensitiveValues)
		}
		if p.PrivacyRelevant && len(p.Data) == 0 {
			v.add(p.Source, what, "privacy_relevant but no data categories")
		}
		if strings.TrimSpace(p.Note) == "" {
			v.add(p.Source, what, "missing note")
		}
	}
}

func (v *validator) vendors() {
	seen := make(map[string]string)
	owner := make(map[string]string) // normalised name -> vendor id
	for _, ven := range v.db.Vendors {
		what := fmt.Sprintf("vendor %q", ven.ID)
		v.id(ven.Source, what, ven.ID)
		if prev, dup := seen[ven.ID]; dup {
			v.add(ven.Source, what, "duplicate id (first at %s)", prev)
		}
		seen[ven.ID] = ven.Source
		v.text(ven.Source, what, "brand", ven.Brand, false)
		v.names(ven.Source, what, "alias", ven.Aliases)
		v.names(ven.Source, what, "legal name", ven.LegalNames)
		if ven.Group != "" {
			if g, ok := v.db.Vendor(ven.Group); !ok {
				v.add(ven.Source, what, "group %q is not a vendor id", ven.Group)
			} else if g.Group != "" || ven.Group == ven.ID {
				v.add(ven.Source, what, "group %q must be a top-level vendor", ven.Group)
			}
		}
		if ven.Country != "" && !countryRe.MatchString(ven.Country) {
			v.add(ven.Source, what, "country %q is not an ISO 3166-1 alpha-2 code", ven.Country)
		}
		if strings.TrimSpace(ven.Note) == "" {
			v.add(ven.Source, what, "missing note")
		}
		v.link(ven.Source, what, "privacy_url", ven.PrivacyURL, ven.PrivacyURLSource)
		v.noLink(ven.Source, what, "privacy_url", ven.PrivacyURL, ven.PrivacyURLNone)
		all := append([]string{ven.Brand.EN, ven.Brand.ZH}, ven.Aliases...)
		mine := make(map[string]bool)
		for _, n := range append(all, ven.LegalNames...) {
			k := NormalizeName(n)
			if k == "" || mine[k] {
				continue
			}
			mine[k] = true
			if o, ok := owner[k]; ok && o != ven.ID {
				v.add(ven.Source, what, "name %q is also a name of vendor %q", n, o)
			}
			owner[k] = ven.ID
		}
	}
}

// link checks a link a report prints: an absolute http(s) address, with
// where it was found recorded beside it.
func (v *validator) link(src, what, field, u, source string) {
	if u == "" {
		if source != "" {
			v.add(src, what, "%s_source without %s", field, field)
		}
		return
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || strings.ContainsAny(u, " \t\n") {
		v.add(src, what, "%s %q is not an absolute http(s) address", field, u)
	}
	if strings.TrimSpace(source) == "" {
		v.add(src, what, "%s without %s_source (where the link was found)", field, field)
	}
}

// minNoLinkWords is the fewest words a reason for a missing link may have:
// enough to say what was searched, not a bare "none" or "n/a".
const minNoLinkWords = 4

// noLink checks the reason recorded for a link that could not be found:
// a sentence, never beside the link itself.
func (v *validator) noLink(src, what, field, u, reason string) {
	if reason == "" {
		return
	}
	if u != "" {
		v.add(src, what, "%s_none beside %s: a link and a reason for its absence contradict", field, field)
	}
	if len(strings.Fields(reason)) < minNoLinkWords {
		v.add(src, what, "%s_none %q does not say why (want at least %d words: what was searched, or why no policy exists)", field, reason, minNoLinkWords)
	}
	if strings.Contains(reason, "://") {
		v.add(src, what, "%s_none holds an address; a found link belongs in %s", field, field)
	}
}

func (v *validator) sdks() {
	seen := make(map[string]string)
	for _, s := range v.db.SDKs {
		what := fmt.Sprintf("sdk %q", s.ID)
		v.id(s.Source, what, s.ID)
		if prev, dup := seen[s.ID]; dup {
			v.add(s.Source, what, "duplicate id (first at %s)", prev)
		}
		seen[s.ID] = s.Source
		v.text(s.Source, what, "name", s.Name, false)
		v.names(s.Source, what, "alias", s.Aliases)
		v.names(s.Source, what, "shared alias", s.SharedAliases)
		for _, a := range s.SharedAliases {
			if slices.Contains(s.Aliases, a) {
				v.add(s.Source, what, "%q is both an alias and a shared alias", a)
			}
		}
		if s.Vendor == "" {
			v.add(s.Source, what, "missing vendor")
		} else if _, ok := v.db.Vendor(s.Vendor); !ok {
			v.add(s.Source, what, "vendor %q not found", s.Vendor)
		}
		if !ValidCategory(s.Category) {
			v.add(s.Source, what, "category %q is not one of %v", s.Category, categories)
		}
		if !slices.Contains(kindValues, s.Kind) {
			v.add(s.Source, what, "kind %q is not one of %v", s.Kind, kindValues)
		}
		if !slices.Contains(confidenceValues, s.Confidence) {
			v.add(s.Source, what, "confidence %q is not one of %v", s.Confidence, confidenceValues)
		}
		if strings.TrimSpace(s.Note) == "" {
			v.add(s.Source, what, "missing note")
		}
		v.link(s.Source, what, "policy_url", s.PolicyURL, s.PolicyURLSource)
		v.link(s.Source, what, "guide_url", s.GuideURL, s.GuideURLSource)
		v.noLink(s.Source, what, "policy_url", s.PolicyURL, s.PolicyURLNone)
		if s.PolicyURLNone != "" {
			if ven, ok := v.db.Vendor(s.Vendor); ok && ven.PrivacyURL != "" {
				v.add(s.Source, what, "policy_url_none while vendor %q has a privacy_url (draft rows show that link)", s.Vendor)
			}
		}
		if s.Parent != "" {
			if s.Parent == s.ID {
				v.add(s.Source, what, "parent is itself")
			} else if _, ok := v.db.SDK(s.Parent); !ok {
				v.add(s.Source, what, "parent %q not found", s.Parent)
			} else if v.cycle(s.ID) {
				v.add(s.Source, what, "parent chain loops back to itself")
			}
		}
		for _, a := range s.AdapterFor {
			if a == s.ID {
				v.add(s.Source, what, "adapter_for names itself")
			} else if _, ok := v.db.SDK(a); !ok {
				v.add(s.Source, what, "adapter_for %q not found", a)
			}
		}
		if len(s.AdapterFor) > 0 && s.Parent == "" {
			v.add(s.Source, what, "an adapter needs a parent (the SDK that ships it)")
		}
		v.dataRefs(s.Source, what, s.Data)
		pseen := make(map[string]bool)
		for _, p := range s.Permissions {
			if _, ok := v.db.Permission(p); !ok {
				v.add(s.Source, what, "permission %q not found in %s", p, FilePermissions)
			}
			if pseen[p] {
				v.add(s.Source, what, "permission %q listed twice", p)
			}
			pseen[p] = true
		}
		v.signatures(s)
	}
}

// cycle reports whether following parents from id returns to id.
func (v *validator) cycle(id string) bool {
	seen := map[string]bool{id: true}
	cur := id
	for {
		s, ok := v.db.SDK(cur)
		if !ok || s.Parent == "" {
			return false
		}
		if seen[s.Parent] {
			return true
		}
		seen[s.Parent] = true
		cur = s.Parent
	}
}

func (v *validator) signatures(s SDK) {
	what := fmt.Sprintf("sdk %q", s.ID)
	sig := s.Signatures
	check := func(field string, list []string, re *regexp.Regexp) {
		seen := make(map[string]bool)
		for _, x := range list {
			if !re.MatchString(x) {
				v.add(s.Source, what, "signatures.%s entry %q is malformed", field, x)
			}
			if seen[x] {
				v.add(s.Source, what, "signatures.%s entry %q listed twice", field, x)
			}
			seen[x] = true
		}
	}
	check("dex_prefixes", sig.DexPrefixes, dexPrefixRe)
	check("dex_strings", sig.DexStrings, dexStringRe)
	check("components", sig.Components, componentRe)
	check("native_libs", sig.NativeLibs, nativeLibRe)
	check("meta_data", sig.MetaData, metaDataRe)
	check("assets", sig.Assets, assetRe)
	check("permissions", sig.Permissions, permNameRe)
	check("anchors", sig.Anchors, anchorRe)
	check("ios_frameworks", sig.IOSFrameworks, iosNameRe)
	check("ios_classes", sig.IOSClasses, iosNameRe)
	check("ios_plist_keys", sig.IOSPlistKeys, iosNameRe)
	check("ios_resources", sig.IOSResources, iosNameRe)
	for _, c := range sig.IOSClasses {
		// A short prefix would claim other vendors' classes.
		if p, ok := strings.CutSuffix(c, "*"); ok && (len(p) < 4 || strings.Contains(p, "*")) {
			v.add(s.Source, what, "signatures.ios_classes prefix %q is too short (4 characters at least) or has an inner '*'", c)
		}
	}
	for _, c := range sig.Components {
		if strings.Contains(c, "..") || (strings.HasPrefix(c, ".") && !strings.HasPrefix(c, "*")) {
			v.add(s.Source, what, "signatures.components entry %q is malformed", c)
		}
	}
	for _, p := range sig.DexPrefixes {
		if umbrellaRoots[p] && !s.AllowRootPrefix {
			v.add(s.Source, what, "dex prefix %q is a vendor root shared by other SDKs; use a narrower prefix or set allow_root_prefix with a note", p)
		}
	}
}

// prefixes checks DEX prefixes across SDKs: no prefix is claimed twice,
// and a short prefix (two components or fewer) must not have another
// SDK's prefix under it unless that SDK is its descendant (a module of it)
// or the owner sets allow_root_prefix.
func (v *validator) prefixes() {
	owner := make(map[string]string)
	type claim struct{ prefix, sdk string }
	var all []claim
	for _, s := range v.db.SDKs {
		for _, p := range s.Signatures.DexPrefixes {
			if o, ok := owner[p]; ok && o != s.ID {
				v.add(s.Source, fmt.Sprintf("sdk %q", s.ID), "dex prefix %q is also claimed by sdk %q", p, o)
				continue
			}
			owner[p] = s.ID
			all = append(all, claim{p, s.ID})
		}
	}
	for _, root := range all {
		if strings.Count(root.prefix, ".") > 1 {
			continue
		}
		rs, _ := v.db.SDK(root.sdk)
		if rs.AllowRootPrefix {
			continue
		}
		for _, c := range all {
			if c.sdk == root.sdk || !strings.HasPrefix(c.prefix, root.prefix+".") {
				continue
			}
			if v.descends(c.sdk, root.sdk) {
				continue
			}
			v.add(rs.Source, fmt.Sprintf("sdk %q", root.sdk),
				"dex prefix %q would also catch sdk %q (%s); use a narrower prefix, make %q a child, or set allow_root_prefix",
				root.prefix, c.sdk, c.prefix, c.sdk)
		}
	}
}

// descends reports whether sdk id has ancestor as a parent, grandparent...
func (v *validator) descends(id, ancestor string) bool {
	seen := make(map[string]bool)
	for cur := id; cur != "" && !seen[cur]; {
		seen[cur] = true
		s, ok := v.db.SDK(cur)
		if !ok {
			return false
		}
		if s.Parent == ancestor {
			return true
		}
		cur = s.Parent
	}
	return false
}

// maxAPILevel bounds added_api and works_until_api of API rules.
const maxAPILevel = 40

func (v *validator) apis() {
	seen := make(map[string]string)
	refs := make(map[string]string) // kind, ref and with_string -> id
	for _, a := range v.db.APIs {
		what := fmt.Sprintf("api %q", a.ID)
		v.id(a.Source, what, a.ID)
		if prev, dup := seen[a.ID]; dup {
			v.add(a.Source, what, "duplicate id (first at %s)", prev)
		}
		seen[a.ID] = a.Source
		switch a.Kind {
		case APIMethod, APIField:
			v.apiMember(a, what)
		case APIString:
			switch {
			case a.Ref == "":
				v.add(a.Source, what, "missing ref")
			case a.Ref == "*":
				v.add(a.Source, what, "ref %q is only a wildcard and would match every string", a.Ref)
			case strings.Contains(strings.TrimSuffix(a.Ref, "*"), "*"):
				v.add(a.Source, what, "ref %q has '*' before the end (only a trailing '*' is allowed)", a.Ref)
			}
			if a.WithString != "" {
				v.add(a.Source, what, "with_string is only for kind %s or %s", APIMethod, APIField)
			}
		default:
			v.add(a.Source, what, "kind %q is not one of %v", a.Kind, apiKindValues)
		}
		if a.WithString != "" && (strings.TrimSpace(a.WithString) != a.WithString || strings.Contains(a.WithString, "*")) {
			v.add(a.Source, what, "with_string %q must be an exact, trimmed string without '*'", a.WithString)
		}
		if a.Kind != "" && a.Ref != "" {
			key := a.Kind + "\x00" + a.Ref + "\x00" + a.WithString
			if prev, dup := refs[key]; dup {
				v.add(a.Source, what, "%s %q (with_string %q) is also api %q", a.Kind, a.Ref, a.WithString, prev)
			} else {
				refs[key] = a.ID
			}
		}
		if len(a.Data) == 0 {
			v.add(a.Source, what, "no data categories")
		}
		v.dataRefs(a.Source, what, a.Data)
		if a.Permission != "" {
			pseen := make(map[string]bool)
			for _, p := range strings.Split(a.Permission, "|") {
				switch {
				case p == "":
					v.add(a.Source, what, "permission %q has an empty alternative", a.Permission)
				case pseen[p]:
					v.add(a.Source, what, "permission %q listed twice", p)
				default:
					if _, ok := v.db.Permission(p); !ok {
						v.add(a.Source, what, "permission %q not found in %s", p, FilePermissions)
					}
				}
				pseen[p] = true
			}
		}
		if a.AddedAPI < 0 || a.AddedAPI > maxAPILevel {
			v.add(a.Source, what, "added_api %d out of range 0..%d", a.AddedAPI, maxAPILevel)
		}
		switch {
		case a.WorksUntilAPI < 0 || a.WorksUntilAPI > maxAPILevel:
			v.add(a.Source, what, "works_until_api %d out of range 0..%d", a.WorksUntilAPI, maxAPILevel)
		case a.WorksUntilAPI != 0 && a.WorksUntilAPI < a.AddedAPI:
			v.add(a.Source, what, "works_until_api %d is before added_api %d", a.WorksUntilAPI, a.AddedAPI)
		}
		if strings.TrimSpace(a.Note) == "" {
			v.add(a.Source, what, "missing note")
		}
	}
}

// apiMember checks the ref of a method or field rule.
func (v *validator) apiMember(a API, what string) {
	r := a.Ref
	switch {
	case r == "":
		v.add(a.Source, what, "missing ref")
	case strings.ContainsFunc(r, unicode.IsSpace):
		v.add(a.Source, what, "ref %q contains white space", r)
	case strings.Contains(r, "("):
		v.add(a.Source, what, "ref %q has a prototype; give Lpkg/Class;->name only (any prototype matches)", r)
	case !strings.Contains(r, ";->"):
		v.add(a.Source, what, "ref %q is not Lpkg/Class;->name", r)
	case strings.HasSuffix(r, ";->"):
		v.add(a.Source, what, "ref %q has no member name", r)
	case !apiRefRe.MatchString(r):
		v.add(a.Source, what, "ref %q is not Lpkg/Class;->name (class descriptor L...; then a member name)", r)
	case a.Kind == APIField && strings.HasSuffix(r, "-><init>"):
		v.add(a.Source, what, "ref %q names a constructor but kind is %s", r, APIField)
	}
}

// anchorRe is a Java class name or a Maven group:artifact.
var anchorRe = regexp.MustCompile(`^(?:[A-Za-z_][A-Za-z0-9_]*\.)+[A-Za-z_$][A-Za-z0-9_$]*$|^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$`)
