package rules

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// DB is a loaded rule set. Lists are sorted by id (permissions by name).
// Look entries up with the methods rather than by scanning; they use
// indexes built when the DB was loaded or merged, so change the lists only
// through [DB.Merge].
type DB struct {
	SDKs           []SDK
	Vendors        []Vendor
	Permissions    []Permission
	DataCategories []DataCategory
	// APIs are the code-level data-access rules, sorted by id.
	APIs []API
	// UsageKeys, PrivacyDataTypes and ManifestSDKs are the iOS mappings
	// of ios.yaml, sorted by key, type and name.
	UsageKeys        []UsageKey
	PrivacyDataTypes []PrivacyDataType
	ManifestSDKs     []ManifestSDK
	// RetiredIDs are ids that must never be used again, sorted.
	RetiredIDs []string
	// Version is the content of the VERSION file (2026.11.28-1).
	Version string
	// Hash is the first 12 hex digits of the content hash of the files.
	Hash string

	sdkIdx    map[string]int
	vendorIdx map[string]int
	permIdx   map[string]int
	catIdx    map[string]int
	apiIdx    map[string]int
	usageIdx  map[string]int
	ptypeIdx  map[string]int
	// vendorNames and sdkNames map a normalised name to entry indexes.
	vendorNames map[string][]int
	sdkNames    map[string][]int
	children    map[string][]int // vendor id -> sdk indexes
	dexPrefix   map[string]int   // dex prefix -> sdk index
	// dexDepth is the most package components any dex prefix has.
	dexDepth int
}

// finish sorts the lists and builds the indexes.
func (db *DB) finish() {
	slices.SortStableFunc(db.SDKs, func(a, b SDK) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(db.Vendors, func(a, b Vendor) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(db.Permissions, func(a, b Permission) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortStableFunc(db.DataCategories, func(a, b DataCategory) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(db.APIs, func(a, b API) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(db.UsageKeys, func(a, b UsageKey) int { return cmp.Compare(a.Key, b.Key) })
	slices.SortStableFunc(db.PrivacyDataTypes, func(a, b PrivacyDataType) int { return cmp.Compare(a.Type, b.Type) })
	slices.SortStableFunc(db.ManifestSDKs, func(a, b ManifestSDK) int { return cmp.Compare(a.Name, b.Name) })
	slices.Sort(db.RetiredIDs)
	db.RetiredIDs = slices.Compact(db.RetiredIDs)
	db.usageIdx = make(map[string]int, len(db.UsageKeys))
	for i, u := range db.UsageKeys {
		if _, dup := db.usageIdx[u.Key]; !dup {
			db.usageIdx[u.Key] = i
		}
	}
	db.ptypeIdx = make(map[string]int, len(db.PrivacyDataTypes))
	for i, t := range db.PrivacyDataTypes {
		if _, dup := db.ptypeIdx[t.Type]; !dup {
			db.ptypeIdx[t.Type] = i
		}
	}

	db.sdkIdx = make(map[string]int, len(db.SDKs))
	db.sdkNames = make(map[string][]int)
	db.children = make(map[string][]int)
	db.dexPrefix = make(map[string]int)
	for i, s := range db.SDKs {
		for _, p := range s.Signatures.DexPrefixes {
			if _, dup := db.dexPrefix[p]; !dup {
				db.dexPrefix[p] = i
			}
			db.dexDepth = max(db.dexDepth, strings.Count(p, ".")+1)
		}
		if _, dup := db.sdkIdx[s.ID]; !dup {
			db.sdkIdx[s.ID] = i
		}
		db.children[s.Vendor] = append(db.children[s.Vendor], i)
		for _, n := range append(append([]string{s.ID, s.Name.EN, s.Name.ZH}, s.Aliases...), s.SharedAliases...) {
			addName(db.sdkNames, n, i)
		}
	}
	db.vendorIdx = make(map[string]int, len(db.Vendors))
	db.vendorNames = make(map[string][]int)
	for i, v := range db.Vendors {
		if _, dup := db.vendorIdx[v.ID]; !dup {
			db.vendorIdx[v.ID] = i
		}
		names := append([]string{v.ID, v.Brand.EN, v.Brand.ZH}, v.Aliases...)
		for _, n := range append(names, v.LegalNames...) {
			addName(db.vendorNames, n, i)
		}
	}
	db.permIdx = make(map[string]int, len(db.Permissions))
	for i, p := range db.Permissions {
		if _, dup := db.permIdx[p.Name]; !dup {
			db.permIdx[p.Name] = i
		}
	}
	db.catIdx = make(map[string]int, len(db.DataCategories))
	for i, c := range db.DataCategories {
		if _, dup := db.catIdx[c.ID]; !dup {
			db.catIdx[c.ID] = i
		}
	}
	db.apiIdx = make(map[string]int, len(db.APIs))
	for i, a := range db.APIs {
		if _, dup := db.apiIdx[a.ID]; !dup {
			db.apiIdx[a.ID] = i
		}
	}
}

func addName(m map[string][]int, name string, i int) {
	k := NormalizeName(name)
	if k == "" {
		return
	}
	if idx := m[k]; len(idx) > 0 && idx[len(idx)-1] == i {
		return
	}
	m[k] = append(m[k], i)
}

// NormalizeName is the key names are compared by: NFKC (full-width forms
// and （） become ASCII), lower case, and with white space and the
// separators "·-_" removed. "ＧｅＴｕｉ", "Ge Tui" and "getui" are equal.
func NormalizeName(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '·' || r == '-' || r == '_' || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
}

// UsageKey returns the iOS usage-description key's mapping.
func (db *DB) UsageKey(key string) (*UsageKey, bool) {
	if i, ok := db.usageIdx[key]; ok {
		return &db.UsageKeys[i], true
	}
	return nil, false
}

// PrivacyDataType returns the mapping of a privacy-manifest data type.
func (db *DB) PrivacyDataType(t string) (*PrivacyDataType, bool) {
	if i, ok := db.ptypeIdx[t]; ok {
		return &db.PrivacyDataTypes[i], true
	}
	return nil, false
}

// SDK returns the SDK with the given id.
func (db *DB) SDK(id string) (*SDK, bool) {
	if i, ok := db.sdkIdx[id]; ok {
		return &db.SDKs[i], true
	}
	return nil, false
}

// Vendor returns the vendor with the given id.
func (db *DB) Vendor(id string) (*Vendor, bool) {
	if i, ok := db.vendorIdx[id]; ok {
		return &db.Vendors[i], true
	}
	return nil, false
}

// Permission returns the permission with the given full name.
func (db *DB) Permission(name string) (*Permission, bool) {
	if i, ok := db.permIdx[name]; ok {
		return &db.Permissions[i], true
	}
	return nil, false
}

// DataCategory returns the data category with the given id.
func (db *DB) DataCategory(id string) (*DataCategory, bool) {
	if i, ok := db.catIdx[id]; ok {
		return &db.DataCategories[i], true
	}
	return nil, false
}

// API returns the API rule with the given id.
func (db *DB) API(id string) (*API, bool) {
	if i, ok := db.apiIdx[id]; ok {
		return &db.APIs[i], true
	}
	return nil, false
}

// SDKByDexClass returns the SDK whose DEX prefix is the longest one that
// contains the dotted class or package name (com.igexin.sdk.PushManager ->
// getui-push; com.google.android.gms.ads.identifier.AdvertisingIdClient ->
// google-ads-identifier rather than google-admob). Prefixes match on
// package boundaries only.
func (db *DB) SDKByDexClass(class string) (*SDK, bool) {
	// No prefix is deeper than dexDepth components, so only that many
	// leading components are looked up: a class name of a million dots
	// costs what a short one does.
	name := class
	for i, dots := 0, 0; i < len(name); i++ {
		if name[i] == '.' {
			if dots++; dots == db.dexDepth {
				name = name[:i]
				break
			}
		}
	}
	for name != "" {
		if i, ok := db.dexPrefix[name]; ok {
			return &db.SDKs[i], true
		}
		dot := strings.LastIndexByte(name, '.')
		if dot < 0 {
			break
		}
		name = name[:dot]
	}
	return nil, false
}

// VendorsByName returns the vendors whose id, brand, alias or legal name
// equals name after [NormalizeName], in id order. More than one result
// means the name is ambiguous.
func (db *DB) VendorsByName(name string) []*Vendor {
	var out []*Vendor
	for _, i := range db.vendorNames[NormalizeName(name)] {
		out = append(out, &db.Vendors[i])
	}
	return out
}

// SDKsByName returns the SDKs whose id, name or alias equals name after
// [NormalizeName], in id order.
func (db *DB) SDKsByName(name string) []*SDK {
	var out []*SDK
	for _, i := range db.sdkNames[NormalizeName(name)] {
		out = append(out, &db.SDKs[i])
	}
	return out
}

// SDKsByVendor returns the SDKs of a vendor id, in id order.
func (db *DB) SDKsByVendor(vendorID string) []*SDK {
	var out []*SDK
	for _, i := range db.children[vendorID] {
		out = append(out, &db.SDKs[i])
	}
	return out
}

// Merge returns a new DB with other laid over db: entries of other replace
// entries of db with the same id (permissions: name) and the rest are
// added; retired ids are united. db and other are not changed. The result
// is validated; the error joins every problem found.
//
// The merged Version is db's, followed by "+" and other's when other has
// one; the Hash covers both hashes.
func (db *DB) Merge(other *DB) (*DB, error) {
	if other == nil {
		return nil, errors.New("rules: merge: nil rule set")
	}
	out := &DB{
		SDKs:             mergeBy(db.SDKs, other.SDKs, func(s SDK) string { return s.ID }),
		Vendors:          mergeBy(db.Vendors, other.Vendors, func(v Vendor) string { return v.ID }),
		Permissions:      mergeBy(db.Permissions, other.Permissions, func(p Permission) string { return p.Name }),
		DataCategories:   mergeBy(db.DataCategories, other.DataCategories, func(c DataCategory) string { return c.ID }),
		APIs:             mergeBy(db.APIs, other.APIs, func(a API) string { return a.ID }),
		UsageKeys:        mergeBy(db.UsageKeys, other.UsageKeys, func(u UsageKey) string { return u.Key }),
		PrivacyDataTypes: mergeBy(db.PrivacyDataTypes, other.PrivacyDataTypes, func(t PrivacyDataType) string { return t.Type }),
		ManifestSDKs:     mergeBy(db.ManifestSDKs, other.ManifestSDKs, func(m ManifestSDK) string { return m.Name }),
		RetiredIDs:       append(slices.Clone(db.RetiredIDs), other.RetiredIDs...),
		Version:          db.Version,
	}
	if other.Version != "" {
		out.Version += "+" + other.Version
	}
	sum := sha256.Sum256([]byte(db.Hash + "\n" + other.Hash))
	out.Hash = hex.EncodeToString(sum[:])[:hashLen]
	out.finish()
	if errs := Validate(out); len(errs) > 0 {
		return nil, Summarize(errs)
	}
	return out, nil
}

// mergeBy returns base with each item of over replacing the base item of
// the same key, or appended when base has none. Duplicate keys within over
// are kept so that Validate reports them.
func mergeBy[T any](base, over []T, key func(T) string) []T {
	out := slices.Clone(base)
	pos := make(map[string]int, len(out))
	for i, x := range out {
		pos[key(x)] = i
	}
	replaced := make(map[string]bool)
	for _, x := range over {
		k := key(x)
		if i, ok := pos[k]; ok && !replaced[k] {
			out[i] = x
			replaced[k] = true
			continue
		}
		out = append(out, x)
	}
	return out
}
