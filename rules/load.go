package rules

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/sdkaudit/sdkaudit/internal/safefile"
)

//go:embed data
var embeddedFiles embed.FS

// File and directory names of a rule set, relative to its root.
const (
	FileVendors        = "vendors.yaml"
	FilePermissions    = "permissions.yaml"
	FileDataCategories = "datacategories.yaml"
	FileAPIs           = "apis.yaml"
	FileIOS            = "ios.yaml"
	FileRetiredIDs     = "retired-ids.txt"
	FileVersion        = "VERSION"
	DirSDKs            = "sdks"
)

// hashLen is how many hex digits of the content hash are kept.
const hashLen = 12

// Bounds on a rule set read with [Load]: a --rules directory is user
// input, and without them a directory of a million one-line rules took
// 100 s and 5.9 GB. The built-in set has 24 files, 400 KB, 43 000 YAML
// tokens and about 1 300 entries; decoding costs go-yaml 5 to 20 µs a
// token, the most for many small entries.
const (
	// MaxRuleFiles bounds the files of a rule set.
	MaxRuleFiles = 1000
	// MaxRuleSetBytes bounds the bytes of all its files together; each
	// file is also bounded by MaxYAMLBytes.
	MaxRuleSetBytes = 8 << 20
	// MaxRuleSetTokens bounds the YAML tokens of all its files together;
	// each file is also bounded by MaxYAMLTokens.
	MaxRuleSetTokens = 500_000
	// MaxRules bounds the entries of a rule set: SDKs, vendors,
	// permissions, data categories, APIs and retired ids together.
	MaxRules = 20_000
)

// The top-level shape of each YAML file. Each file holds one key.
type (
	vendorsFile struct {
		Vendors []Vendor `yaml:"vendors"`
	}
	sdksFile struct {
		SDKs []SDK `yaml:"sdks"`
	}
	permissionsFile struct {
		Permissions []Permission `yaml:"permissions"`
	}
	dataCategoriesFile struct {
		DataCategories []DataCategory `yaml:"data_categories"`
	}
	apisFile struct {
		APIs []API `yaml:"apis"`
	}
	iosFile struct {
		UsageKeys        []UsageKey        `yaml:"usage_keys"`
		PrivacyDataTypes []PrivacyDataType `yaml:"privacy_data_types"`
		ManifestSDKs     []ManifestSDK     `yaml:"privacy_manifest_sdks"`
	}
)

// embeddedDB caches the validated embedded set; it is the package's only
// global state.
var embeddedDB = sync.OnceValues(func() (*DB, error) {
	sub, err := fs.Sub(embeddedFiles, "data")
	if err != nil {
		return nil, fmt.Errorf("rules: embedded data: %w", err)
	}
	return loadEmbedded(snapshotData, sub)
})

// loadEmbedded returns the rule set in fsys from snapshot when that is a
// snapshot of exactly those files, and from the YAML otherwise. The
// snapshot was validated when it was generated and TestSnapshotCurrent
// holds it equal to the YAML, so it is not validated again. Any snapshot
// error (stale, corrupt) only means the slow path.
func loadEmbedded(snapshot []byte, fsys fs.FS) (*DB, error) {
	if db, err := loadSnapshot(snapshot, fsys); err == nil {
		return db, nil
	}
	return loadYAML(fsys)
}

// loadYAML loads and validates the rule set in fsys.
func loadYAML(fsys fs.FS) (*DB, error) {
	db, err := Load(fsys)
	if err != nil {
		return nil, err
	}
	if errs := Validate(db); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return db, nil
}

// Embedded returns the validated built-in rule set. The result is shared
// by all callers and must be treated as read-only; use [DB.Merge] to build
// a changed copy.
func Embedded() (*DB, error) {
	return embeddedDB()
}

// EmbeddedFS returns the embedded rule files, rooted like a --rules DIR.
func EmbeddedFS() fs.FS {
	sub, err := fs.Sub(embeddedFiles, "data")
	if err != nil {
		panic(err) // "data" is a valid path; fs.Sub cannot fail on it
	}
	return sub
}

// Version describes the embedded rule set as "<VERSION> (sha256:<hash>)",
// e.g. "2026.11.28-1 (sha256:abcdef123456)". The hash covers the sorted
// names and contents of the rule files.
func Version() string {
	if db, err := Embedded(); err == nil {
		return db.VersionString()
	}
	// An invalid embedded set still has a version and a hash; tests catch
	// the invalidity.
	v, h, err := versionAndHash(EmbeddedFS())
	if err != nil {
		return "unknown"
	}
	return formatVersion(v, h)
}

// VersionString describes db as "<Version> (sha256:<Hash>)".
func (db *DB) VersionString() string {
	return formatVersion(db.Version, db.Hash)
}

func formatVersion(v, h string) string {
	if v == "" {
		v = "unversioned"
	}
	return fmt.Sprintf("%s (sha256:%s)", v, h)
}

// ruleFile is one file of a rule set as read from its fs.FS.
type ruleFile struct {
	name string // slash path relative to the root
	data []byte
}

// readRuleFiles lists and reads the files that make up a rule set in fsys,
// sorted by name. Unknown YAML files are an error (a misspelt vendor.yaml
// would otherwise be skipped silently); other files are ignored.
func readRuleFiles(fsys fs.FS) ([]ruleFile, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("rules: read rule directory: %w", err)
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() && name == DirSDKs:
			sub, err := fs.ReadDir(fsys, DirSDKs)
			if err != nil {
				return nil, fmt.Errorf("rules: read %s: %w", DirSDKs, err)
			}
			for _, s := range sub {
				if s.IsDir() {
					continue
				}
				if isYAML(s.Name()) {
					names = append(names, path.Join(DirSDKs, s.Name()))
				}
			}
		case e.IsDir():
			// Other directories are not part of a rule set.
		case name == FileVendors || name == FilePermissions || name == FileDataCategories ||
			name == FileAPIs || name == FileIOS || name == FileRetiredIDs || name == FileVersion:
			names = append(names, name)
		case isYAML(name):
			return nil, fmt.Errorf("rules: %s: unknown rule file (want %s, %s, %s, %s, %s or %s/*.yaml)",
				name, FileVendors, FilePermissions, FileDataCategories, FileAPIs, FileIOS, DirSDKs)
		}
	}
	if len(names) == 0 {
		return nil, errors.New("rules: no rule files found (want " + FileVendors + ", " +
			FilePermissions + ", " + FileDataCategories + ", " + FileAPIs + ", " + DirSDKs + "/*.yaml, " +
			FileRetiredIDs + " or " + FileVersion + ")")
	}
	if len(names) > MaxRuleFiles {
		return nil, fmt.Errorf("rules: %d rule files, more than the %d a rule set may have", len(names), MaxRuleFiles)
	}
	slices.Sort(names)
	files := make([]ruleFile, 0, len(names))
	total := 0
	for _, n := range names {
		// A --rules directory is user input: a named pipe, a device or a
		// huge file is refused before it is read into memory.
		data, err := safefile.ReadFS(fsys, n, MaxYAMLBytes)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		if total += len(data); total > MaxRuleSetBytes {
			return nil, fmt.Errorf("rules: %s: the rule files hold more than the %d bytes a rule set may have", n, MaxRuleSetBytes)
		}
		files = append(files, ruleFile{name: n, data: data})
	}
	return files, nil
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// contentHash is the first hashLen hex digits of sha256 over the files'
// names and contents in name order. Lengths are written before each part
// so that moving bytes between a name and a content changes the hash.
func contentHash(files []ruleFile) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%d:%s\n%d:", len(f.name), f.name, len(f.data))
		h.Write(f.data)
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))[:hashLen]
}

func versionAndHash(fsys fs.FS) (version, hash string, err error) {
	files, err := readRuleFiles(fsys)
	if err != nil {
		return "", "", err
	}
	for _, f := range files {
		if f.name == FileVersion {
			version = strings.TrimSpace(string(f.data))
		}
	}
	return version, contentHash(files), nil
}

// Load reads a rule set laid out like rules/data from fsys: vendors.yaml,
// permissions.yaml, datacategories.yaml, apis.yaml, sdks/*.yaml,
// retired-ids.txt and VERSION. Any of them may be missing, so a directory holding only
// sdks/extra.yaml is a valid partial set to [DB.Merge] over [Embedded].
//
// Load checks syntax and field names (an unknown key is an error naming
// file, line and column) and sorts every list by id; it does not check
// cross-references — call [Validate] on a complete set.
func Load(fsys fs.FS) (*DB, error) {
	files, err := readRuleFiles(fsys)
	if err != nil {
		return nil, err
	}
	ld := &loader{db: &DB{Hash: contentHash(files)}, tokensLeft: MaxRuleSetTokens}
	var errs []error
	for _, f := range files {
		if err := ld.loadFile(f); err != nil {
			if errors.Is(err, errBudget) {
				return nil, err
			}
			errs = append(errs, err)
		}
		if n := ld.db.entries(); n > MaxRules {
			return nil, fmt.Errorf("rules: %s: %w: more than the %d entries a rule set may have", f.name, errBudget, MaxRules)
		}
	}
	if len(errs) > 0 {
		return nil, Summarize(errs)
	}
	ld.db.finish()
	return ld.db, nil
}

// errBudget marks a rule set too large to read further.
var errBudget = errors.New("rule set too large")

// loader is one Load: the set read so far and what it may still cost.
type loader struct {
	db         *DB
	tokensLeft int
}

// entries counts the entries MaxRules bounds.
func (db *DB) entries() int {
	return len(db.SDKs) + len(db.Vendors) + len(db.Permissions) + len(db.DataCategories) + len(db.APIs) + len(db.RetiredIDs) +
		len(db.UsageKeys) + len(db.PrivacyDataTypes) + len(db.ManifestSDKs)
}

func (ld *loader) loadFile(f ruleFile) error {
	db := ld.db
	switch {
	case f.name == FileVersion:
		db.Version = strings.TrimSpace(string(f.data))
		if strings.ContainsAny(db.Version, "\n\r\t ") {
			return fmt.Errorf("rules: %s: want a single version token, got %q", f.name, db.Version)
		}
		return nil
	case f.name == FileRetiredIDs:
		ids, err := parseRetired(f.name, f.data)
		db.RetiredIDs = append(db.RetiredIDs, ids...)
		return err
	case f.name == FileVendors:
		var v vendorsFile
		lines, err := ld.decode(f, "vendors", &v)
		if err != nil {
			return err
		}
		for i := range v.Vendors {
			v.Vendors[i].Source = source(f.name, lines, i)
		}
		db.Vendors = append(db.Vendors, v.Vendors...)
	case f.name == FilePermissions:
		var v permissionsFile
		lines, err := ld.decode(f, "permissions", &v)
		if err != nil {
			return err
		}
		for i := range v.Permissions {
			v.Permissions[i].Source = source(f.name, lines, i)
		}
		db.Permissions = append(db.Permissions, v.Permissions...)
	case f.name == FileDataCategories:
		var v dataCategoriesFile
		lines, err := ld.decode(f, "data_categories", &v)
		if err != nil {
			return err
		}
		for i := range v.DataCategories {
			v.DataCategories[i].Source = source(f.name, lines, i)
		}
		db.DataCategories = append(db.DataCategories, v.DataCategories...)
	case f.name == FileAPIs:
		var v apisFile
		lines, err := ld.decode(f, "apis", &v)
		if err != nil {
			return err
		}
		for i := range v.APIs {
			v.APIs[i].Source = source(f.name, lines, i)
		}
		db.APIs = append(db.APIs, v.APIs...)
	case f.name == FileIOS:
		// One file, three lists: the item lines are looked up per list.
		var v iosFile
		if _, err := ld.decode(f, "usage_keys", &v); err != nil {
			return err
		}
		lines := itemLines(f.data, "usage_keys")
		for i := range v.UsageKeys {
			v.UsageKeys[i].Source = source(f.name, lines, i)
		}
		lines = itemLines(f.data, "privacy_data_types")
		for i := range v.PrivacyDataTypes {
			v.PrivacyDataTypes[i].Source = source(f.name, lines, i)
		}
		lines = itemLines(f.data, "privacy_manifest_sdks")
		for i := range v.ManifestSDKs {
			v.ManifestSDKs[i].Source = source(f.name, lines, i)
		}
		db.UsageKeys = append(db.UsageKeys, v.UsageKeys...)
		db.PrivacyDataTypes = append(db.PrivacyDataTypes, v.PrivacyDataTypes...)
		db.ManifestSDKs = append(db.ManifestSDKs, v.ManifestSDKs...)
	case strings.HasPrefix(f.name, DirSDKs+"/"):
		var v sdksFile
		lines, err := ld.decode(f, "sdks", &v)
		if err != nil {
			return err
		}
		for i := range v.SDKs {
			v.SDKs[i].Source = source(f.name, lines, i)
		}
		db.SDKs = append(db.SDKs, v.SDKs...)
	}
	return nil
}

func source(name string, lines []int, i int) string {
	if i < len(lines) && lines[i] > 0 {
		return fmt.Sprintf("%s:%d", name, lines[i])
	}
	return name
}

// decode strictly decodes f into out and returns the line of each item of
// the sequence under key, for error messages that point at an entry.
// The YAML guard runs first, and the file's tokens are charged to the
// set's budget before go-yaml decodes it.
func (ld *loader) decode(f ruleFile, key string, out any) ([]int, error) {
	n, err := checkYAML(f.name, f.data)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	if ld.tokensLeft -= n; ld.tokensLeft < 0 {
		return nil, fmt.Errorf("rules: %s: %w: the rule files hold more than the %d YAML tokens a rule set may have", f.name, errBudget, MaxRuleSetTokens)
	}
	if err := yaml.UnmarshalWithOptions(f.data, out, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("rules: %w", YAMLError(f.name, err))
	}
	return itemLines(f.data, key), nil
}

// itemLines returns the 1-based line of each item in the top-level
// sequence under key, or nil if the file has no such sequence.
func itemLines(data []byte, key string) []int {
	file, err := parser.ParseBytes(data, 0)
	if err != nil || len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return nil
	}
	var values []*ast.MappingValueNode
	switch body := file.Docs[0].Body.(type) {
	case *ast.MappingNode:
		values = body.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{body}
	}
	for _, mv := range values {
		if mv.Key == nil || mv.Key.String() != key {
			continue
		}
		seq, ok := mv.Value.(*ast.SequenceNode)
		if !ok {
			return nil
		}
		lines := make([]int, len(seq.Values))
		for i, item := range seq.Values {
			lines[i] = firstLine(item)
		}
		return lines
	}
	return nil
}

// firstLine is the line of the first key of a mapping item, or of the item
// itself.
func firstLine(n ast.Node) int {
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 && m.Values[0].Key != nil {
		n = m.Values[0].Key
	}
	if mv, ok := n.(*ast.MappingValueNode); ok && mv.Key != nil {
		n = mv.Key
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// parseRetired reads retired-ids.txt: one id per line; '#' starts a
// comment; blank lines are ignored.
func parseRetired(name string, data []byte) ([]string, error) {
	var ids []string
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !isKebab(line) {
			errs = append(errs, fmt.Errorf("rules: %s:%d: retired id %q is not kebab-case", name, n, line))
			continue
		}
		ids = append(ids, line)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("rules: %s: %w", name, err))
	}
	return ids, Summarize(errs)
}
