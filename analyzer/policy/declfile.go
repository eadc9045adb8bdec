package policy

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"github.com/sdkaudit/sdkaudit/rules"
)

// DeclarationSchema is the value of the schema key of a declaration file.
const DeclarationSchema = "sdkaudit-declaration/1"

// DeclFile is the reviewed YAML declaration a pipeline keeps in its
// repository (docs/policy-declaration.md).
type DeclFile struct {
	Schema         string    `yaml:"schema"`
	App            string    `yaml:"app,omitempty"`
	VersionScope   string    `yaml:"version_scope,omitempty"`
	Permissions    []string  `yaml:"permissions,omitempty"`
	DataCategories []string  `yaml:"data_categories,omitempty"`
	SDKs           []DeclSDK `yaml:"sdks,omitempty"`
	Vendors        []string  `yaml:"vendors,omitempty"`
	// Operators are the vendors the app's operator belongs to: their SDKs
	// in the app are first-party (SA1012), not undeclared third parties.
	Operators []string `yaml:"operators,omitempty"`
}

// DeclSDK is one SDK of a declaration file: a rule id, or a free name with
// its vendor when no rule knows it.
type DeclSDK struct {
	ID          string   `yaml:"id,omitempty"`
	Name        string   `yaml:"name,omitempty"`
	Vendor      string   `yaml:"vendor,omitempty"`
	Purpose     string   `yaml:"purpose,omitempty"`
	Data        []string `yaml:"data,omitempty"`
	Permissions []string `yaml:"permissions,omitempty"`
	Source      string   `yaml:"source,omitempty"`
}

// IsDeclarationFile reports whether data looks like a declaration file
// rather than a policy document.
func IsDeclarationFile(data []byte) bool {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	return bytes.Contains(head, []byte("schema: "+DeclarationSchema)) || bytes.Contains(head, []byte(`schema: "`+DeclarationSchema+`"`))
}

// ParseDeclFile decodes and checks a declaration file against db. Every
// problem is reported with the file, line and column; unknown keys are
// errors so a typo cannot silently drop a declaration.
func ParseDeclFile(file string, data []byte, db *rules.DB) (*DeclFile, error) {
	if err := rules.CheckYAML(file, data); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	var df DeclFile
	if err := yaml.UnmarshalWithOptions(data, &df, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("policy: %w", rules.YAMLError(file, err))
	}
	ast, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, fmt.Errorf("policy: %s: %w", file, err)
	}
	line := func(path string) int {
		p, err := yaml.PathString(path)
		if err != nil {
			return 0
		}
		n, err := p.FilterFile(ast)
		if err != nil || n == nil || n.GetToken() == nil {
			return 0
		}
		return n.GetToken().Position.Line
	}
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("policy: %s:%d: %s", file, line(path), fmt.Sprintf(format, args...)))
	}
	if df.Schema != DeclarationSchema {
		bad("$.schema", "schema is %q, want %q", df.Schema, DeclarationSchema)
	}
	checkPerm := func(path, p string) {
		if _, ok := db.Permission(p); !ok && !strings.Contains(p, ".") {
			bad(path, "unknown permission %q (write the full name, e.g. android.permission.CAMERA)", p)
		}
	}
	checkData := func(path, d string) {
		if _, ok := db.DataCategory(d); !ok {
			bad(path, "unknown data category %q (see sdkaudit rules show or docs/rules.md)", d)
		}
	}
	for i, p := range df.Permissions {
		checkPerm(fmt.Sprintf("$.permissions[%d]", i), p)
	}
	for i, d := range df.DataCategories {
		checkData(fmt.Sprintf("$.data_categories[%d]", i), d)
	}
	for i, v := range df.Vendors {
		if _, ok := db.Vendor(v); !ok && len(db.VendorsByName(v)) == 0 {
			bad(fmt.Sprintf("$.vendors[%d]", i), "unknown vendor %q", v)
		}
	}
	for i, v := range df.Operators {
		if _, ok := db.Vendor(v); !ok && len(db.VendorsByName(v)) == 0 {
			bad(fmt.Sprintf("$.operators[%d]", i), "unknown vendor %q", v)
		}
	}
	for i, s := range df.SDKs {
		path := fmt.Sprintf("$.sdks[%d]", i)
		switch {
		case s.ID != "":
			if _, ok := db.SDK(s.ID); !ok {
				hint := ""
				if hits := db.SDKsByName(s.ID); len(hits) > 0 {
					hint = fmt.Sprintf(" (did you mean %s?)", hits[0].ID)
				}
				bad(path+".id", "unknown SDK id %q%s", s.ID, hint)
			}
		case s.Name == "":
			bad(path, "an SDK needs an id (a rule id) or a name")
		}
		for j, d := range s.Data {
			checkData(fmt.Sprintf("%s.data[%d]", path, j), d)
		}
		for j, p := range s.Permissions {
			checkPerm(fmt.Sprintf("%s.permissions[%d]", path, j), p)
		}
	}
	if len(errs) > 0 {
		return nil, rules.Summarize(errs)
	}
	return &df, nil
}

// Declaration converts a checked declaration file; the evidence of every
// item is its line in the file.
func (df *DeclFile) Declaration(file string, data []byte, lx *Lexicon) *Declaration {
	x := newExtractor(lx)
	x.declFile(df, file, data)
	return x.finish()
}

func (x *extractor) declFile(df *DeclFile, file string, data []byte) {
	lx := x.lx
	if x.decl.VersionScope == "" {
		x.decl.VersionScope = df.VersionScope
	}
	x.decl.Sources = append(x.decl.Sources, Source{File: file, Format: "declaration", Encoding: "utf-8", Blocks: 0})
	lines := strings.Split(string(data), "\n")
	// lineOf finds the first line at or after from that mentions s, which
	// is where a reviewer would look for the item.
	lineOf := func(s string) int {
		for i, l := range lines {
			if strings.Contains(l, s) {
				return i + 1
			}
		}
		return 0
	}
	ev := func(s string) Evidence {
		n := lineOf(s)
		text := ""
		if n > 0 {
			text = strings.TrimSpace(lines[n-1])
		}
		return Evidence{File: file, Line: n, Text: text, Matched: s, Rule: RuleDeclaration}
	}
	for _, p := range df.Permissions {
		x.addPermission(p, ev(p))
	}
	for _, d := range df.DataCategories {
		x.addData(d, ev(d))
	}
	for _, v := range df.Vendors {
		id := v
		if _, ok := lx.db.Vendor(v); !ok {
			if hits := lx.db.VendorsByName(v); len(hits) > 0 {
				id = hits[0].ID
			}
		}
		if x.vends[id] == nil {
			x.vends[id] = &DeclaredVendor{ID: id, SDKs: []string{}, Evidence: []Evidence{ev(v)}}
		}
	}
	for _, v := range df.Operators {
		id := v
		if _, ok := lx.db.Vendor(v); !ok {
			if hits := lx.db.VendorsByName(v); len(hits) > 0 {
				id = hits[0].ID
			}
		}
		x.recordOperator(id, ev(v), "")
	}
	for _, s := range df.SDKs {
		if s.ID == "" {
			x.unres[s.Name] = &ThirdParty{Name: s.Name, Evidence: []Evidence{ev(s.Name)}}
			continue
		}
		d := x.addSDK(s.ID, "declaration", ev(s.ID))
		d.Purpose = s.Purpose
		d.Data = append([]string{}, s.Data...)
		d.Permissions = append([]string{}, s.Permissions...)
		d.PerSDKData = len(s.Data) > 0
		for _, c := range s.Data {
			x.addData(c, ev(s.ID))
		}
		for _, p := range s.Permissions {
			x.addPermission(p, ev(s.ID))
		}
	}
}

// WriteDeclFile renders a declaration as a declaration file for a person
// to review: one item per line, with where it was found as a comment.
func WriteDeclFile(d *Declaration, app string) []byte {
	var b strings.Builder
	b.WriteString("# Policy declaration extracted by `sdkaudit policy extract`. Review every line:\n")
	b.WriteString("# delete what the policy does not really disclose, add what the reader missed,\n")
	b.WriteString("# then check it with `sdkaudit policy check FILE` and pass it with --policy.\n")
	for _, s := range d.Sources {
		fmt.Fprintf(&b, "# source: %s (%s, %s)\n", commentText(s.File), s.Format, s.Encoding)
	}
	fmt.Fprintf(&b, "schema: %s\n", DeclarationSchema)
	if app != "" {
		fmt.Fprintf(&b, "app: %s\n", yamlScalar(app))
	}
	if d.VersionScope != "" {
		fmt.Fprintf(&b, "version_scope: %s\n", yamlScalar(d.VersionScope))
	}
	comment := func(ev []Evidence) string {
		if len(ev) == 0 {
			return ""
		}
		e := ev[0]
		// Any line break would end the comment and turn the rest of the
		// evidence into YAML.
		return fmt.Sprintf("  # %s:%d %s", commentText(e.File), e.Line, commentText(clip(e.Text, 60)))
	}
	b.WriteString("permissions:\n")
	for _, p := range d.Permissions {
		fmt.Fprintf(&b, "  - %s%s\n", yamlScalar(p.Name), comment(p.Evidence))
	}
	b.WriteString("data_categories:\n")
	for _, c := range d.DataCategories {
		fmt.Fprintf(&b, "  - %s%s\n", c.ID, comment(c.Evidence))
	}
	b.WriteString("sdks:\n")
	for _, s := range d.SDKs {
		fmt.Fprintf(&b, "  - id: %s%s\n", s.ID, comment(s.Evidence))
		if s.Purpose != "" {
			fmt.Fprintf(&b, "    purpose: %s\n", yamlScalar(s.Purpose))
		}
		if len(s.Data) > 0 {
			fmt.Fprintf(&b, "    data: [%s]\n", strings.Join(s.Data, ", "))
		}
		if len(s.Permissions) > 0 {
			fmt.Fprintf(&b, "    permissions: [%s]\n", strings.Join(s.Permissions, ", "))
		}
	}
	for _, u := range d.Unresolved {
		fmt.Fprintf(&b, "  - name: %s%s\n", yamlScalar(u.Name), comment(u.Evidence))
	}
	b.WriteString("vendors:\n")
	for _, v := range d.Vendors {
		note := ""
		if len(v.SDKs) == 0 {
			note = " (named without a product the reader could pin down)"
		}
		fmt.Fprintf(&b, "  - %s%s%s\n", v.ID, comment(v.Evidence), note)
	}
	if len(d.Operators) > 0 {
		b.WriteString("operators:\n")
		for _, v := range d.Operators {
			fmt.Fprintf(&b, "  - %s%s\n", v.ID, comment(v.Evidence))
		}
	}
	if len(d.Denials) > 0 {
		b.WriteString("# The policy says it does not collect or use:\n")
		for _, n := range d.Denials {
			fmt.Fprintf(&b, "#   %s %s%s\n", n.Kind, n.ID, comment(n.Evidence))
		}
	}
	return []byte(b.String())
}

// yamlScalar quotes a string when YAML would otherwise misread it.
func yamlScalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSpace(string(b))
}

// commentText makes s safe inside a YAML comment: line breaks of every
// kind YAML knows become spaces.
func commentText(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			return ' '
		}
		return r
	}, s)
}
