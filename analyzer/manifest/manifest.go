package manifest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/avast/apkparser"
)

// Value is an attribute value as the app declares it. When the manifest
// refers to a resource, Value holds the resolved value and Reference the raw
// reference (e.g. "@0x7f040001"); an unresolvable reference leaves Value
// equal to Reference.
type Value struct {
	Value     string `json:"value"`
	Reference string `json:"reference,omitempty"`
}

// UsesPermission is one <uses-permission>, <uses-permission-sdk-23> or
// <uses-permission-sdk-m> element.
type UsesPermission struct {
	Name          string `json:"name"`
	MaxSDKVersion *int   `json:"max_sdk_version"`
	// SDK23 marks the permission as requested only on API 23 and above.
	SDK23   bool   `json:"sdk23"`
	Element string `json:"element"`
	// UsesPermissionFlags carries e.g. "neverForLocation" (0x10000).
	UsesPermissionFlags string `json:"uses_permission_flags,omitempty"`
}

// Permission is a permission the app itself defines.
type Permission struct {
	Name            string `json:"name"`
	ProtectionLevel string `json:"protection_level"`
	Group           string `json:"group,omitempty"`
}

// MetaData is one <meta-data> element.
type MetaData struct {
	// Owner is "application" or the fully qualified component name.
	Owner    string `json:"owner"`
	Name     string `json:"name"`
	Value    *Value `json:"value,omitempty"`
	Resource *Value `json:"resource,omitempty"`
}

// IntentFilter is a summary of one <intent-filter>.
type IntentFilter struct {
	Actions    []string `json:"actions,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Schemes    []string `json:"schemes,omitempty"`
	Hosts      []string `json:"hosts,omitempty"`
}

// Component is an activity, activity-alias, service, receiver or provider.
type Component struct {
	Type string `json:"type"`
	Name string `json:"name"`
	// Exported is "absent", "true" or "false": Android's default depends on
	// the target SDK and intent filters, so the declaration is kept as is.
	Exported       string         `json:"exported"`
	Enabled        string         `json:"enabled,omitempty"`
	Process        string         `json:"process,omitempty"`
	Permission     string         `json:"permission,omitempty"`
	Authorities    []string       `json:"authorities,omitempty"`
	TargetActivity string         `json:"target_activity,omitempty"`
	IntentFilters  []IntentFilter `json:"intent_filters,omitempty"`
	MetaData       []MetaData     `json:"-"`
}

// Feature is a <uses-feature>.
type Feature struct {
	Name        string `json:"name,omitempty"`
	Required    bool   `json:"required"`
	GLESVersion string `json:"gl_es_version,omitempty"`
}

// Library is a <uses-library> or <uses-native-library>.
type Library struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Native   bool   `json:"native,omitempty"`
}

// Queries is the <queries> element (package visibility, API 30+).
type Queries struct {
	Packages  []string       `json:"packages"`
	Intents   []IntentFilter `json:"intents"`
	Providers []string       `json:"providers"`
}

// Application holds the <application> attributes an auditor asks about.
type Application struct {
	Name                  string `json:"name,omitempty"`
	Debuggable            string `json:"debuggable,omitempty"`
	AllowBackup           string `json:"allow_backup,omitempty"`
	UsesCleartextTraffic  string `json:"uses_cleartext_traffic,omitempty"`
	NetworkSecurityConfig string `json:"network_security_config,omitempty"`
	HasCode               string `json:"has_code,omitempty"`
}

// SDK is one of the <uses-sdk> levels.
type SDK struct {
	// Declared is the attribute as written (resolved), nil when absent.
	Declared *Value `json:"declared"`
	// Effective applies Android's defaults; nil when the level is a
	// pre-release codename or cannot be determined.
	Effective *int `json:"effective"`
}

// Manifest is the decoded AndroidManifest.xml.
type Manifest struct {
	Package     string `json:"package"`
	VersionCode *Value `json:"version_code"`
	VersionName *Value `json:"version_name"`
	// VersionCodeMajor is the upper 32 bits of the long version code
	// (API 28+); LongVersionCode combines both when they are numeric.
	VersionCodeMajor *Value `json:"version_code_major,omitempty"`
	LongVersionCode  *int64 `json:"long_version_code,omitempty"`
	SharedUserID     string `json:"shared_user_id,omitempty"`
	// Split names a split APK ("config.arm64_v8a", a feature module); it
	// is empty for the base APK. IsFeatureSplit marks dynamic features.
	Split               string           `json:"split,omitempty"`
	IsFeatureSplit      bool             `json:"is_feature_split,omitempty"`
	MinSDK              SDK              `json:"min_sdk"`
	TargetSDK           SDK              `json:"target_sdk"`
	MaxSDK              SDK              `json:"max_sdk"`
	Permissions         []UsesPermission `json:"permissions"`
	DeclaredPermissions []Permission     `json:"declared_permissions"`
	Application         Application      `json:"application"`
	Components          []Component      `json:"components"`
	MetaData            []MetaData       `json:"meta_data"`
	Features            []Feature        `json:"uses_features"`
	Libraries           []Library        `json:"uses_libraries"`
	Queries             Queries          `json:"queries"`
	// Notes are non-fatal oddities, e.g. permissions declared in a place
	// Android ignores.
	Notes []string `json:"notes,omitempty"`
}

// Limits bound the decoded document.
type Limits struct {
	MaxElements int // default 200000
	MaxDepth    int // default 128
	// MaxStringTableBytes bounds the decoded strings of one string pool.
	MaxStringTableBytes int64 // default 32 MiB
	// MaxProtoBytes bounds the input of ParseProto. Binary manifests come
	// with a size in their header; a protobuf has none to check.
	MaxProtoBytes int64 // default 16 MiB
	// MaxBinaryBytes bounds a binary manifest and MaxResourcesBytes a
	// resources.arsc: apkparser copies a resource table's package whole,
	// and callers hold the inflated bytes, so a size no real app comes near
	// is refused before it is read.
	MaxBinaryBytes    int64 // default 32 MiB
	MaxResourcesBytes int64 // default 64 MiB
	// Text is charged for the text a decoded Manifest holds, counted per
	// occurrence (a name shared by 2 000 elements counts 2 000 times, as
	// every report writes it that often), for the copies a qualified
	// component name or a split authority list needs, and for the
	// attribute names the binary XML decoder copies. Several documents
	// (one app's parts) may share it; nil gives each document
	// DefaultText.
	Text Budget
	// MaxReferences bounds the distinct resource references one document
	// resolves through resources.arsc; past it, references stay raw and a
	// note says so. Default 4096.
	MaxReferences int
}

// Budget is a count of bytes several documents draw from: Take reports
// whether n more fit (and takes them if so).
type Budget interface {
	Take(n int64) bool
}

// DefaultText is the text budget of a document when Limits.Text is nil:
// some thirty times the text of the largest real manifests.
const DefaultText = 32 << 20

// ErrTooMuchText means a document's text does not fit its budget: a small
// manifest repeating long strings (a megabyte package name behind
// thousands of ".Name" components, thousands of elements sharing one long
// name) would otherwise cost gigabytes in memory and in every report.
var ErrTooMuchText = errors.New("text budget exceeded")

type localBudget struct{ left int64 }

func (b *localBudget) Take(n int64) bool {
	if n > b.left {
		return false
	}
	b.left -= n
	return true
}

// WithDefaults returns l with every unset field at its default, for a
// caller that checks sizes before reading (a nil Text stays nil: each
// document then gets its own budget).
func (l Limits) WithDefaults() Limits {
	text := l.Text
	l = l.withDefaults()
	l.Text = text
	return l
}

func (l Limits) withDefaults() Limits {
	if l.MaxElements <= 0 {
		l.MaxElements = 200_000
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = 128
	}
	if l.MaxStringTableBytes <= 0 {
		l.MaxStringTableBytes = 32 << 20
	}
	if l.MaxProtoBytes <= 0 {
		l.MaxProtoBytes = 16 << 20
	}
	if l.MaxBinaryBytes <= 0 {
		l.MaxBinaryBytes = 32 << 20
	}
	if l.MaxResourcesBytes <= 0 {
		l.MaxResourcesBytes = 64 << 20
	}
	if l.Text == nil {
		l.Text = &localBudget{left: DefaultText}
	}
	if l.MaxReferences <= 0 {
		l.MaxReferences = 4096
	}
	return l
}

// Sentinel errors.
var (
	ErrTruncated = errors.New("manifest truncated")
	ErrPlainText = errors.New("manifest is plain-text XML, not binary")
	ErrNoRoot    = errors.New("root element is not <manifest>")
)

// Error wraps a decoding failure with the stage name.
type Error struct {
	What string
	Err  error
}

func (e *Error) Error() string { return "manifest: " + e.What + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Resources is a decoded resources.arsc, reusable across documents.
type Resources struct{ t *apkparser.ResourceTable }

// ParseResources decodes resources.arsc. The table is optional for manifest
// decoding, so callers record the error and continue without it.
func ParseResources(arsc []byte, lim Limits) (res *Resources, err error) {
	lim = lim.withDefaults()
	if int64(len(arsc)) > lim.MaxResourcesBytes {
		return nil, &Error{What: "resources.arsc", Err: fmt.Errorf("%w: %d bytes, limit %d", errTooLarge, len(arsc), lim.MaxResourcesBytes)}
	}
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, &Error{What: "resources.arsc", Err: fmt.Errorf("decoder panicked: %v", p)}
		}
	}()
	t, err := apkparser.ParseResourceTableWithConfig(bytes.NewReader(arsc), &apkparser.ParseConfig{MaxStringTableBytes: lim.MaxStringTableBytes})
	if err != nil {
		return nil, &Error{What: "resources.arsc", Err: err}
	}
	return &Resources{t: t}, nil
}

// Parse decodes a binary manifest. res may be nil.
//
// The document is decoded once, without the resource table; the
// attributes that hold references are found by a walk over the chunks
// (scanShape) and resolved afterwards, only those the Manifest uses, each
// distinct reference once, with a single lookup (the first configuration,
// as apkparser resolves them). apkparser's own resolution follows icon
// references up to 1 024 steps over 256 configurations each, inside the
// decoder where nothing can stop it; a resources.arsc whose icon refers to
// itself made every icon attribute cost seconds.
func Parse(axml []byte, res *Resources, lim Limits) (*Manifest, error) {
	lim = lim.withDefaults()
	if int64(len(axml)) > lim.MaxBinaryBytes {
		return nil, &Error{What: "binary xml", Err: fmt.Errorf("%w: %d bytes, limit %d", errTooLarge, len(axml), lim.MaxBinaryBytes)}
	}
	sh := scanShape(axml)
	if sh.nameScan > maxNameScan {
		return nil, &Error{What: "binary xml", Err: fmt.Errorf("%w: the decoder would walk %d bytes of attribute names, limit %d (a long string naming many attributes)", ErrTooMuchText, sh.nameScan, maxNameScan)}
	}
	if !lim.Text.Take(sh.nameCopy) {
		return nil, &Error{What: "binary xml", Err: fmt.Errorf("%w: the decoder would copy %d bytes of attribute names (a long string naming many attributes)", ErrTooMuchText, sh.nameCopy)}
	}
	root, nodes, err := decode(axml, lim)
	if err != nil {
		return nil, err
	}
	c := &buildCtx{text: lim.Text}
	if res != nil {
		c.res = &resolver{t: res.t, max: lim.MaxReferences, cache: map[uint32]resolved{}}
	}
	if len(nodes) == sh.elements {
		for _, r := range sh.refs {
			n := nodes[r.elem]
			if r.attr < len(n.attrs) && n.attrs[r.attr].Value == fmt.Sprintf("@%x", r.id) {
				n.refs = append(n.refs, attrRef{attr: r.attr, id: r.id})
			}
		}
	} else if res != nil {
		c.notes = append(c.notes, "resource references left unresolved: the document's chunks read differently in two passes")
	}
	return build(root, c)
}

func decode(axml []byte, lim Limits) (root *node, nodes []*node, err error) {
	defer func() {
		if p := recover(); p != nil {
			root, nodes, err = nil, nil, &Error{What: "binary xml", Err: fmt.Errorf("decoder panicked: %v", p)}
		}
	}()
	// Android's ResXMLTree refuses a document whose header claims more
	// bytes than there are; apkparser would quietly decode the prefix.
	if trimmed := bytes.TrimLeft(axml, "\xef\xbb\xbf \t\r\n"); bytes.HasPrefix(trimmed, []byte("<")) {
		return nil, nil, &Error{What: "binary xml", Err: ErrPlainText}
	}
	if len(axml) >= 8 {
		if claimed := binary.LittleEndian.Uint32(axml[4:]); int64(claimed) > int64(len(axml)) {
			return nil, nil, &Error{What: "binary xml", Err: fmt.Errorf("%w: header declares %d bytes, file has %d", ErrTruncated, claimed, len(axml))}
		}
	}
	b := &treeBuilder{maxElems: lim.MaxElements, maxDepth: lim.MaxDepth}
	perr := apkparser.ParseXmlWithConfig(bytes.NewReader(axml), b, nil, &apkparser.ParseConfig{MaxStringTableBytes: lim.MaxStringTableBytes})
	switch {
	case b.err != nil:
		return nil, nil, &Error{What: "binary xml", Err: b.err}
	case errors.Is(perr, apkparser.ErrPlainTextManifest):
		return nil, nil, &Error{What: "binary xml", Err: ErrPlainText}
	case perr != nil && b.root == nil:
		return nil, nil, &Error{What: "binary xml", Err: perr}
	case perr != nil:
		// Android stops reading at the first malformed chunk too, but the
		// elements after it are lost: the result is not trustworthy.
		return nil, nil, &Error{What: "binary xml", Err: fmt.Errorf("%w after %d elements: %v", ErrTruncated, b.elements, perr)}
	case b.root == nil:
		return nil, nil, &Error{What: "binary xml", Err: fmt.Errorf("%w: no elements decoded from %d bytes", ErrTruncated, len(axml))}
	case len(b.stack) != 0:
		return nil, nil, &Error{What: "binary xml", Err: fmt.Errorf("%w: %d elements still open at end of data (innermost <%s>)", ErrTruncated, len(b.stack), b.stack[len(b.stack)-1].name)}
	case b.root.name != "manifest":
		return nil, nil, &Error{What: "binary xml", Err: fmt.Errorf("%w: found <%s>", ErrNoRoot, b.root.name)}
	}
	return b.root, b.nodes, nil
}

// resolver resolves resource references through resources.arsc, each
// distinct one once and at most max of them.
type resolver struct {
	t       *apkparser.ResourceTable
	max     int
	cache   map[uint32]resolved
	skipped bool
}

type resolved struct {
	value string
	ok    bool
}

// resolve returns what apkparser would have put in the attribute: the
// entry's value in its first configuration, one step (a reference to a
// reference stays a reference).
func (r *resolver) resolve(id uint32) (string, bool) {
	if v, ok := r.cache[id]; ok {
		return v.value, v.ok
	}
	if len(r.cache) >= r.max {
		r.skipped = true
		return "", false
	}
	v := r.lookup(id)
	r.cache[id] = v
	return v.value, v.ok
}

func (r *resolver) lookup(id uint32) (v resolved) {
	defer func() {
		if p := recover(); p != nil {
			v = resolved{}
		}
	}()
	e, err := r.t.GetResourceEntry(id)
	if err != nil {
		return resolved{}
	}
	s, err := e.GetValue().String()
	return resolved{value: s, ok: err == nil}
}

// buildCtx is what building a Manifest from a tree shares: the resolver,
// the text budget and the first budget failure.
type buildCtx struct {
	res   *resolver
	text  Budget
	err   error
	notes []string
}

// charge takes n bytes of text from the budget; after the first failure
// every string reads as empty, so a hostile document costs no more work,
// and build returns the error.
func (c *buildCtx) charge(n int) bool {
	if c.err != nil {
		return false
	}
	if !c.text.Take(int64(n)) {
		c.err = &Error{What: "decoded text", Err: fmt.Errorf("%w: %d more bytes did not fit (a small document repeating long strings)", ErrTooMuchText, n)}
		return false
	}
	return true
}

// pair is a node with the context it is read in.
type pair struct {
	n *node
	c *buildCtx
}

func (p pair) children() []pair {
	out := make([]pair, len(p.n.children))
	for i, c := range p.n.children {
		out[i] = pair{c, p.c}
	}
	return out
}

func (p pair) has(local string) bool { return p.n.attrIndex(local) >= 0 }

// get returns attribute i's value with its reference resolved, and the
// raw value as the document has it.
func (p pair) get(i int) (val, raw string) {
	raw = p.n.attrs[i].Value
	if p.c.res != nil {
		for _, r := range p.n.refs {
			if r.attr == i {
				if v, ok := p.c.res.resolve(r.id); ok {
					return v, raw
				}
				break
			}
		}
	}
	return raw, raw
}

func (p pair) str(local string) string {
	i := p.n.attrIndex(local)
	if i < 0 {
		return ""
	}
	v, _ := p.get(i)
	if !p.c.charge(len(v)) {
		return ""
	}
	return v
}

// value returns the attribute with its raw reference, or nil when absent.
func (p pair) value(local string) *Value {
	i := p.n.attrIndex(local)
	if i < 0 {
		return nil
	}
	val, raw := p.get(i)
	v := &Value{Value: val}
	if isRef(raw) {
		v.Reference = normRef(raw)
	}
	if isRef(v.Value) {
		v.Value = normRef(v.Value)
	}
	if !p.c.charge(len(v.Value) + len(v.Reference)) {
		return &Value{}
	}
	return v
}

// qualify is qualify with the copy charged first.
func (c *buildCtx) qualify(pkg, name string) string {
	if strings.HasPrefix(name, ".") || name != "" && !strings.Contains(name, ".") {
		if !c.charge(len(pkg) + 1) {
			return ""
		}
	}
	return qualify(pkg, name)
}

// split is strings.Split(s, ";") with its result charged first: a
// provider's authorities of a million semicolons would otherwise be a
// million-entry slice per provider sharing them.
func (c *buildCtx) split(s string) []string {
	if !c.charge(16 * (strings.Count(s, ";") + 1)) {
		return nil
	}
	return strings.Split(s, ";")
}

// note adds a note whose text is charged first.
func (c *buildCtx) note(format string, args ...any) string {
	n := len(format)
	for _, a := range args {
		if s, ok := a.(string); ok {
			n += len(s)
		}
	}
	if !c.charge(n) {
		return ""
	}
	return fmt.Sprintf(format, args...)
}

func isRef(s string) bool {
	if len(s) < 2 || s[0] != '@' {
		return false
	}
	_, err := strconv.ParseUint(s[1:], 16, 32)
	return err == nil
}

func normRef(s string) string {
	n, _ := strconv.ParseUint(s[1:], 16, 32)
	return fmt.Sprintf("@0x%08x", n)
}

// number normalises integer attributes written as hex to decimal, the way
// aapt prints them.
func number(v *Value) *Value {
	if v == nil {
		return nil
	}
	if strings.HasPrefix(v.Value, "0x") {
		if n, err := strconv.ParseInt(v.Value, 0, 64); err == nil {
			v.Value = strconv.FormatInt(int64(int32(n)), 10)
		}
	}
	return v
}

func build(root *node, c *buildCtx) (*Manifest, error) {
	m := &Manifest{}
	top := pair{root, c}
	m.Package = top.str("package")
	m.VersionCode = number(top.value("versionCode"))
	m.VersionName = top.value("versionName")
	m.VersionCodeMajor = number(top.value("versionCodeMajor"))
	if m.VersionCodeMajor != nil && m.VersionCode != nil {
		major, err1 := strconv.ParseInt(m.VersionCodeMajor.Value, 10, 64)
		minor, err2 := strconv.ParseInt(m.VersionCode.Value, 10, 64)
		if err1 == nil && err2 == nil {
			long := int64(uint32(major))<<32 | int64(uint32(minor))
			m.LongVersionCode = &long
		}
	}
	m.SharedUserID = top.str("sharedUserId")
	m.Split = top.str("split")
	m.IsFeatureSplit = top.str("isFeatureSplit") == "true"
	m.Permissions = []UsesPermission{}
	m.DeclaredPermissions = []Permission{}
	m.Components = []Component{}
	m.MetaData = []MetaData{}
	m.Features = []Feature{}
	m.Libraries = []Library{}
	m.Queries = Queries{Packages: []string{}, Intents: []IntentFilter{}, Providers: []string{}}
	seenSDK, seenApp := false, false
	for _, c := range top.children() {
		switch c.n.name {
		case "uses-sdk":
			if seenSDK {
				m.Notes = append(m.Notes, "more than one <uses-sdk>: the first is used")
				continue
			}
			seenSDK = true
			m.MinSDK.Declared = number(c.value("minSdkVersion"))
			m.TargetSDK.Declared = number(c.value("targetSdkVersion"))
			m.MaxSDK.Declared = number(c.value("maxSdkVersion"))
		case "uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m":
			p := UsesPermission{Name: c.str("name"), Element: c.n.name, SDK23: c.n.name != "uses-permission"}
			if v := number(c.value("maxSdkVersion")); v != nil {
				if n, err := strconv.Atoi(v.Value); err == nil {
					p.MaxSDKVersion = &n
				}
			}
			p.UsesPermissionFlags = c.str("usesPermissionFlags")
			m.Permissions = append(m.Permissions, p)
		case "permission":
			m.DeclaredPermissions = append(m.DeclaredPermissions, Permission{Name: c.str("name"), ProtectionLevel: protection(c.str("protectionLevel")), Group: c.str("permissionGroup")})
		case "uses-feature":
			m.Features = append(m.Features, Feature{Name: c.str("name"), Required: c.str("required") != "false", GLESVersion: c.str("glEsVersion")})
		case "queries":
			for _, q := range c.children() {
				switch q.n.name {
				case "package":
					m.Queries.Packages = append(m.Queries.Packages, q.str("name"))
				case "intent":
					m.Queries.Intents = append(m.Queries.Intents, intentFilter(q))
				case "provider":
					m.Queries.Providers = append(m.Queries.Providers, q.str("authorities"))
				}
			}
		case "application":
			if seenApp {
				m.Notes = append(m.Notes, "more than one <application>: the first is used")
				continue
			}
			seenApp = true
			buildApplication(m, c)
		}
	}
	for _, c := range top.children() {
		if c.n.name == "application" {
			for _, cc := range c.children() {
				if strings.HasPrefix(cc.n.name, "uses-permission") {
					m.Notes = append(m.Notes, top.c.note("<%s %s> inside <application> is ignored by Android", cc.n.name, cc.str("name")))
				}
			}
		}
	}
	m.MinSDK.Effective = effective(m.MinSDK.Declared, 1)
	if m.MinSDK.Effective != nil {
		m.TargetSDK.Effective = effective(m.TargetSDK.Declared, *m.MinSDK.Effective)
	} else if m.TargetSDK.Declared != nil {
		m.TargetSDK.Effective = effective(m.TargetSDK.Declared, 0)
	}
	if m.MaxSDK.Declared != nil {
		m.MaxSDK.Effective = effective(m.MaxSDK.Declared, 0)
	}
	if c.res != nil && c.res.skipped {
		m.Notes = append(m.Notes, fmt.Sprintf("more than %d distinct resource references: the others are left unresolved", c.res.max))
	}
	m.Notes = append(m.Notes, c.notes...)
	if c.err != nil {
		return nil, c.err
	}
	return m, nil
}

// effective returns the numeric level, the default when absent, and nil for
// a codename (preview SDKs are named, not numbered).
func effective(v *Value, def int) *int {
	if v == nil {
		if def <= 0 {
			return nil
		}
		return &def
	}
	n, err := strconv.Atoi(v.Value)
	if err != nil {
		return nil
	}
	return &n
}

func buildApplication(m *Manifest, app pair) {
	m.Application = Application{
		Name:                  app.c.qualify(m.Package, app.str("name")),
		Debuggable:            app.str("debuggable"),
		AllowBackup:           app.str("allowBackup"),
		UsesCleartextTraffic:  app.str("usesCleartextTraffic"),
		NetworkSecurityConfig: app.str("networkSecurityConfig"),
		HasCode:               app.str("hasCode"),
	}
	for _, c := range app.children() {
		switch c.n.name {
		case "meta-data":
			m.MetaData = append(m.MetaData, metaData("application", c))
		case "uses-library":
			m.Libraries = append(m.Libraries, Library{Name: c.str("name"), Required: c.str("required") != "false"})
		case "uses-native-library":
			m.Libraries = append(m.Libraries, Library{Name: c.str("name"), Required: c.str("required") != "false", Native: true})
		case "activity", "activity-alias", "service", "receiver", "provider":
			comp := Component{
				Type:           c.n.name,
				Name:           c.c.qualify(m.Package, c.str("name")),
				Exported:       "absent",
				Enabled:        c.str("enabled"),
				Process:        c.str("process"),
				Permission:     c.str("permission"),
				TargetActivity: c.c.qualify(m.Package, c.str("targetActivity")),
			}
			if c.has("exported") {
				comp.Exported = c.str("exported")
			}
			if a := c.str("authorities"); a != "" {
				comp.Authorities = c.c.split(a)
			}
			for _, cc := range c.children() {
				switch cc.n.name {
				case "meta-data":
					md := metaData(comp.Name, cc)
					comp.MetaData = append(comp.MetaData, md)
					m.MetaData = append(m.MetaData, md)
				case "intent-filter":
					comp.IntentFilters = append(comp.IntentFilters, intentFilter(cc))
				}
			}
			m.Components = append(m.Components, comp)
		}
	}
}

func metaData(owner string, c pair) MetaData {
	// The owner is shared, but every report writes it once per entry.
	c.c.charge(len(owner))
	return MetaData{Owner: owner, Name: c.str("name"), Value: c.value("value"), Resource: c.value("resource")}
}

func intentFilter(p pair) IntentFilter {
	var f IntentFilter
	for _, c := range p.children() {
		switch c.n.name {
		case "action":
			f.Actions = append(f.Actions, c.str("name"))
		case "category":
			f.Categories = append(f.Categories, c.str("name"))
		case "data":
			if s := c.str("scheme"); s != "" {
				f.Schemes = append(f.Schemes, s)
			}
			if h := c.str("host"); h != "" {
				f.Hosts = append(f.Hosts, h)
			}
		}
	}
	return f
}

// qualify expands a component class name the way PackageParser does.
func qualify(pkg, name string) string {
	switch {
	case name == "":
		return ""
	case strings.HasPrefix(name, "."):
		return pkg + name
	case !strings.Contains(name, "."):
		return pkg + "." + name
	}
	return name
}

// protectionLevel flag names, from android.R.attr.protectionLevel.
var protectionBase = []string{"normal", "dangerous", "signature", "signatureOrSystem", "internal"}

var protectionFlags = []struct {
	bit  int64
	name string
}{
	{0x10, "privileged"}, {0x20, "development"}, {0x40, "appop"}, {0x80, "pre23"},
	{0x100, "installer"}, {0x200, "verifier"}, {0x400, "preinstalled"}, {0x800, "setup"},
	{0x1000, "instant"}, {0x2000, "runtime"}, {0x4000, "oem"}, {0x8000, "vendorPrivileged"},
	{0x10000, "textClassifier"}, {0x20000, "wellbeing"}, {0x40000, "documenter"},
	{0x80000, "configurator"}, {0x100000, "incidentReportApprover"}, {0x200000, "appPredictor"},
	{0x400000, "companion"}, {0x800000, "retailDemo"}, {0x1000000, "recents"}, {0x2000000, "role"},
	{0x4000000, "knownSigner"},
}

// protection turns the integer protectionLevel into Android's flag syntax.
func protection(s string) string {
	if s == "" {
		return "normal"
	}
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		return s
	}
	base := n & 0xf
	var parts []string
	if int(base) < len(protectionBase) {
		parts = append(parts, protectionBase[base])
	} else {
		parts = append(parts, fmt.Sprintf("0x%x", base))
	}
	for _, f := range protectionFlags {
		if n&f.bit != 0 {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, "|")
}
