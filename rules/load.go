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
)

//go:embed data
var embeddedFiles embed.FS

// File and directory names of a rule set, relative to its root.
const (
	FileVendors        = "vendors.yaml"
	FilePermissions    = "permissions.yaml"
	FileDataCategories = "datacategories.yaml"
	FileAPIs           = "apis.yaml"
	FileRetiredIDs     = "retired-ids.txt"
	FileVersion        = "VERSION"
	DirSDKs            = "sdks"
)

// hashLen is how many hex digits of the content hash are kept.
const hashLen = 12

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
			name == FileAPIs || name == FileRetiredIDs || name == FileVersion:
			names = append(names, name)
		case isYAML(name):
			return nil, fmt.Errorf("rules: %s: unknown rule file (want %s, %s, %s, %s or %s/*.yaml)",
				name, FileVendors, FilePermissions, FileDataCategories, FileAPIs, DirSDKs)
		}
	}
	if len(names) == 0 {
		return nil, errors.New("rules: no rule files found (want " + FileVendors + ", " +
			FilePermissions + ", " + FileDataCategories + ", " + FileAPIs + ", " + DirSDKs + "/*.yaml, " +
			FileRetiredIDs + " or " + FileVersion + ")")
	}
	slices.Sort(names)
	files := make([]ruleFile, 0, len(names))
	for _, n := range names {
		// A --rules directory is user input: refuse a huge file before
		// reading it into memory.
		if st, err := fs.Stat(fsys, n); err == nil && st.Size() > MaxYAMLBytes {
			return nil, fmt.Errorf("rules: %s: %d bytes, more than the %d a rule file may have", n, st.Size(), MaxYAMLBytes)
		}
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("rules: %s: %w", n, err)
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
	db := &DB{Hash: contentHash(files)}
	var errs []error
	for _, f := range files {
		if err := db.loadFile(f); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	db.finish()
	return db, nil
}

func (db *DB) loadFile(f ruleFile) error {
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
		lines, err := decode(f, "vendors", &v)
		if err != nil {
			return err
		}
		for i := range v.Vendors {
			v.Vendors[i].Source = source(f.name, lines, i)
		}
		db.Vendors = append(db.Vendors, v.Vendors...)
	case f.name == FilePermissions:
		var v permissionsFile
		lines, err := decode(f, "permissions", &v)
		if err != nil {
			return err
		}
		for i := range v.Permissions {
			v.Permissions[i].Source = source(f.name, lines, i)
		}
		db.Permissions = append(db.Permissions, v.Permissions...)
	case f.name == FileDataCategories:
		var v dataCategoriesFile
		lines, err := decode(f, "data_categories", &v)
		if err != nil {
			return err
		}
		for i := range v.DataCategories {
			v.DataCategories[i].Source = source(f.name, lines, i)
		}
		db.DataCategories = append(db.DataCategories, v.DataCategories...)
	case f.name == FileAPIs:
		var v apisFile
		lines, err := decode(f, "apis", &v)
		if err != nil {
			return err
		}
		for i := range v.APIs {
			v.APIs[i].Source = source(f.name, lines, i)
		}
		db.APIs = append(db.APIs, v.APIs...)
	case strings.HasPrefix(f.name, DirSDKs+"/"):
		var v sdksFile
		lines, err := decode(f, "sdks", &v)
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
func decode(f ruleFile, key string, out any) ([]int, error) {
	if err := CheckYAML(f.name, f.data); err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	if err := yaml.UnmarshalWithOptions(f.data, out, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlError(f.name, err)
	}
	return itemLines(f.data, key), nil
}

// yamlError turns a go-yaml error into "rules: FILE:LINE:COL: message".
func yamlError(name string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg := strings.TrimSpace(ye.GetMessage())
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return fmt.Errorf("rules: %s:%d:%d: %s", name, tk.Position.Line, tk.Position.Column, msg)
		}
		return fmt.Errorf("rules: %s: %s", name, msg)
	}
	return fmt.Errorf("rules: %s: %w", name, err)
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
	return ids, errors.Join(errs...)
}
