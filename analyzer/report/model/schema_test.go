package model

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
)

// The schemas in docs/ are tested against the model: every key a model
// type can write is a property of the schema at the same place, every
// property the schema lists is a key the model writes, and each key's JSON
// type agrees. The tests that validate real output against the schemas
// (cmd/sdkaudit) catch a wrong value; this one catches a key no fixture
// happens to produce, and a schema that documents a key nobody writes.

const docsDir = "../../../docs"

// schemaSet holds the published schemas by file name and by $id.
type schemaSet struct {
	byID map[string]map[string]any
}

func loadSchemas(t *testing.T) *schemaSet {
	t.Helper()
	s := &schemaSet{byID: map[string]map[string]any{}}
	for _, f := range []string{"scan-report.schema.json", "audit-report.schema.json", "diff-report.schema.json", "policy-extract.schema.json"} {
		data, err := os.ReadFile(filepath.Join(docsDir, f))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		s.byID[f] = doc
		s.byID[doc["$id"].(string)] = doc
	}
	return s
}

// node is a schema node with the document it belongs to, for local refs.
type node struct {
	doc  map[string]any
	m    map[string]any
	path string
}

func (s *schemaSet) at(file, pointer string) node {
	doc := s.byID[file]
	return s.resolve(node{doc: doc, m: doc, path: file}, pointer)
}

// resolve follows a JSON pointer ("/$defs/app") from the document root.
func (s *schemaSet) resolve(n node, pointer string) node {
	m := n.doc
	for _, part := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		if part == "" {
			continue
		}
		next, ok := m[part].(map[string]any)
		if !ok {
			panic(fmt.Sprintf("%s: no %s in %s", n.path, part, pointer))
		}
		m = next
	}
	return node{doc: n.doc, m: m, path: n.path + "#" + pointer}
}

// deref follows $ref, to this document or another by $id.
func (s *schemaSet) deref(n node) node {
	for {
		ref, ok := n.m["$ref"].(string)
		if !ok {
			return n
		}
		base, pointer, _ := strings.Cut(ref, "#")
		doc := n.doc
		if base != "" {
			doc = s.byID[base]
			if doc == nil {
				panic("unknown schema " + base)
			}
		}
		n = s.resolve(node{doc: doc, m: doc, path: base}, pointer)
	}
}

// properties merges what a node and its allOf/oneOf branches say about an
// object: its properties and whether other keys are refused.
func (s *schemaSet) properties(n node) (props map[string]node, closed, described bool) {
	n = s.deref(n)
	props = map[string]node{}
	if p, ok := n.m["properties"].(map[string]any); ok {
		described = true
		for k, v := range p {
			props[k] = node{doc: n.doc, m: v.(map[string]any), path: n.path + "/" + k}
		}
	}
	if ap, ok := n.m["additionalProperties"].(bool); ok && !ap {
		closed = true
	}
	for _, key := range []string{"allOf", "oneOf", "anyOf"} {
		branches, _ := n.m[key].([]any)
		for _, b := range branches {
			bp, bc, bd := s.properties(node{doc: n.doc, m: b.(map[string]any), path: n.path + "/" + key})
			for k, v := range bp {
				if _, ok := props[k]; !ok {
					props[k] = v
				}
			}
			closed = closed || bc
			described = described || bd
		}
	}
	return props, closed, described
}

// jsonKeys lists the keys a struct type writes, with their types, as
// encoding/json promotes embedded structs' fields: a shallower key hides a
// deeper one of the same name.
func jsonKeys(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	current := []reflect.Type{t}
	for len(current) > 0 {
		found := map[string]reflect.Type{}
		var next []reflect.Type
		for _, st := range current {
			for i := 0; i < st.NumField(); i++ {
				f := st.Field(i)
				tag := f.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				if f.Anonymous && name == "" {
					ft := f.Type
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					next = append(next, ft)
					continue
				}
				if !f.IsExported() {
					continue
				}
				if name == "" {
					name = f.Name
				}
				if _, hidden := out[name]; !hidden {
					found[name] = f.Type
				}
			}
		}
		for k, v := range found {
			out[k] = v
		}
		current = next
	}
	return out
}

// jsonType names the JSON type a Go type is written as.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return jsonType(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return "?"
}

// schemaTypes lists the JSON types a node allows, from type, const and
// enum; nil when it does not say.
func (s *schemaSet) schemaTypes(n node) []string {
	n = s.deref(n)
	var out []string
	switch v := n.m["type"].(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, x := range v {
			out = append(out, x.(string))
		}
	}
	values, _ := n.m["enum"].([]any)
	if c, ok := n.m["const"]; ok {
		values = append(values, c)
	}
	for _, v := range values {
		switch v.(type) {
		case string:
			out = append(out, "string")
		case bool:
			out = append(out, "boolean")
		case float64:
			out = append(out, "integer")
		case nil:
			out = append(out, "null")
		}
	}
	for _, key := range []string{"allOf", "oneOf", "anyOf"} {
		branches, _ := n.m[key].([]any)
		for _, b := range branches {
			out = append(out, s.schemaTypes(node{doc: n.doc, m: b.(map[string]any), path: n.path})...)
		}
	}
	if len(out) == 0 {
		if _, ok := n.m["properties"]; ok {
			out = append(out, "object")
		}
		if _, ok := n.m["items"]; ok {
			out = append(out, "array")
		}
	}
	return out
}

// loose are the places where a schema leaves an object open on purpose,
// and why.
var loose = map[string]string{
	"scan json.channel_groups[].common_findings[]":            "a scan has no findings",
	"scan json.channel_groups[].builds[].specific_findings[]": "a scan has no findings",
	"audit json.apps[].inventory":                             "the scan app's schema; checked as audit inventory",
	"audit jsonl.inventory":                                   "the scan app's schema; checked as audit inventory",
	"diff json.inventory":                                     "the scan app's schema; checked as audit inventory",
}

// compare walks a model type and its schema node together and reports
// every disagreement. extra lists keys the schema may hold that this model
// type does not write, by schema path suffix ("/$defs/app": the keys a
// jsonl line adds).
func (s *schemaSet) compare(t reflect.Type, n node, where string, extra map[string][]string, problems *[]string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	n = s.deref(n)
	if types := s.schemaTypes(n); len(types) > 0 && !slices.Contains(types, jsonType(t)) {
		*problems = append(*problems, fmt.Sprintf("%s: the model writes %s (%s), the schema says %v", where, jsonType(t), t, types))
		return
	}
	switch t.Kind() {
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return
		}
		if items, ok := n.m["items"].(map[string]any); ok {
			s.compare(t.Elem(), node{doc: n.doc, m: items, path: n.path + "/items"}, where+"[]", extra, problems)
		}
	case reflect.Struct:
		props, closed, described := s.properties(n)
		keys := jsonKeys(t)
		if !described {
			if loose[where] == "" {
				*problems = append(*problems, fmt.Sprintf("%s: the schema lists no properties for %s", where, t))
			}
			return
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			p, ok := props[k]
			if !ok {
				*problems = append(*problems, fmt.Sprintf("%s.%s: written by %s, not in the schema (closed: %v)", where, k, t, closed))
				continue
			}
			s.compare(keys[k], p, where+"."+k, extra, problems)
		}
		allowed := extra[t.Name()]
		for k := range props {
			if _, ok := keys[k]; !ok && !slices.Contains(allowed, k) {
				*problems = append(*problems, fmt.Sprintf("%s.%s: in the schema, never written by %s", where, k, t))
			}
		}
	}
}

// jsonlOnly: a scan's apps are ScanApp; a jsonl line adds the document's
// keys.
var jsonlOnly = map[string][]string{"ScanApp": {"schema_version", "tool", "rules_version"}}

func TestSchemasMatchModel(t *testing.T) {
	s := loadSchemas(t)
	for _, c := range []struct {
		name    string
		model   any
		file    string
		pointer string
	}{
		{"scan json", ScanDocument{}, "scan-report.schema.json", ""},
		{"scan jsonl", ScanLine{}, "scan-report.schema.json", "/$defs/app"},
		{"audit json", AuditBatch{}, "audit-report.schema.json", ""},
		{"audit jsonl", AuditDocument{}, "audit-report.schema.json", "/$defs/app"},
		{"diff json", AuditDocument{}, "diff-report.schema.json", ""},
		{"policy json", PolicyDocument{}, "policy-extract.schema.json", ""},
		// The audit schema describes its inventory as the scan app's.
		{"audit inventory", Inventory{}, "scan-report.schema.json", "/$defs/app"},
	} {
		var problems []string
		extra := jsonlOnly
		if c.name == "audit inventory" {
			extra = map[string][]string{"Inventory": {"schema_version", "tool", "rules_version", "sdks", "traces", "data_access"}}
		}
		s.compare(reflect.TypeOf(c.model), s.at(c.file, c.pointer), c.name, extra, &problems)
		for _, p := range problems {
			t.Error(p)
		}
	}
}

// TestSchemaCompareCanFail drops a key from a copy of the scan schema and
// adds one the model does not write: both must be reported.
func TestSchemaCompareCanFail(t *testing.T) {
	s := loadSchemas(t)
	data, _ := json.Marshal(s.byID["scan-report.schema.json"])
	var doc map[string]any
	_ = json.Unmarshal(data, &doc)
	props := doc["properties"].(map[string]any)
	delete(props, "rules_version")
	props["no_such_key"] = map[string]any{"type": "string"}
	s.byID["scan-report.schema.json"] = doc
	var problems []string
	s.compare(reflect.TypeOf(ScanDocument{}), s.at("scan-report.schema.json", ""), "scan json", jsonlOnly, &problems)
	if len(problems) != 2 {
		t.Errorf("want 2 problems, got %q", problems)
	}
}

// TestSchemaKnowsFindingValues holds the finding schema to the check
// registry: every kind and rule id fits the schema's pattern (so a new
// check needs no schema change), and the severities are the same.
func TestSchemaKnowsFindingValues(t *testing.T) {
	s := loadSchemas(t)
	f := s.at("audit-report.schema.json", "/$defs/finding/properties")
	kindRe := regexp.MustCompile(f.m["kind"].(map[string]any)["pattern"].(string))
	ruleRe := regexp.MustCompile(f.m["rule"].(map[string]any)["pattern"].(string))
	for _, c := range audit.Checks {
		if !kindRe.MatchString(string(c.Kind)) || !ruleRe.MatchString(c.ID) {
			t.Errorf("check %s %s does not fit the schema's patterns", c.ID, c.Kind)
		}
	}
	var want []any
	for _, sev := range audit.Severities {
		want = append(want, string(sev))
	}
	if got := f.m["severity"].(map[string]any)["enum"].([]any); !reflect.DeepEqual(got, want) {
		t.Errorf("schema severities %v, registry %v", got, want)
	}
}
