package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Every JSON output of a test that goes through runCLI is validated
// against the schema published for its command in docs/, so no test can
// produce a shape the schemas do not describe.

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

// outputSchemas compiles the published schemas: per command the whole
// document ("scan json") and the line of --format jsonl ("scan jsonl").
func outputSchemas() (map[string]*jsonschema.Schema, error) {
	schemasOnce.Do(func() {
		dir := filepath.Join("..", "..", "docs")
		c := jsonschema.NewCompiler()
		// The diff schema refers to the audit schema by its $id.
		f, err := os.Open(filepath.Join(dir, "audit-report.schema.json"))
		if err != nil {
			schemasErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			schemasErr = err
			return
		}
		if err := c.AddResource("https://sdkaudit.invalid/schemas/audit-report-2.0.json", doc); err != nil {
			schemasErr = err
			return
		}
		schemas = map[string]*jsonschema.Schema{}
		for key, loc := range map[string]string{
			"scan json":   "scan-report.schema.json",
			"scan jsonl":  "scan-report.schema.json#/$defs/app",
			"audit json":  "https://sdkaudit.invalid/schemas/audit-report-2.0.json",
			"audit jsonl": "https://sdkaudit.invalid/schemas/audit-report-2.0.json#/$defs/app",
			"diff json":   "diff-report.schema.json",
			"diff jsonl":  "diff-report.schema.json",
			"policy json": "policy-extract.schema.json",
		} {
			if !strings.HasPrefix(loc, "https:") {
				loc = filepath.Join(dir, loc)
			}
			s, err := c.Compile(loc)
			if err != nil {
				schemasErr = err
				return
			}
			schemas[key] = s
		}
	})
	return schemas, schemasErr
}

// schemaKey names the schema for a command line, or "" when its output
// is not JSON with a published schema.
func schemaKey(args []string) string {
	cmd, format := "", ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--format" && i+1 < len(args):
			format = args[i+1]
			i++
		case strings.HasPrefix(a, "--format="):
			format = strings.TrimPrefix(a, "--format=")
		case cmd == "" && (a == "scan" || a == "audit" || a == "diff"):
			cmd = a
		case cmd == "" && a == "extract":
			cmd = "policy"
		case a == "--explain":
			return ""
		}
	}
	if cmd == "" || (format != "json" && format != "jsonl") || (cmd == "policy" && format != "json") {
		return ""
	}
	return cmd + " " + format
}

// checkOutputSchema validates a command's standard output against its
// published schema.
func checkOutputSchema(t *testing.T, args []string, stdout string) {
	t.Helper()
	key := schemaKey(args)
	if key == "" || strings.TrimSpace(stdout) == "" {
		return
	}
	ss, err := outputSchemas()
	if err != nil {
		t.Fatalf("schemas in docs/ do not compile: %v", err)
	}
	docs := []string{stdout}
	if strings.HasSuffix(key, "jsonl") {
		docs = nil
		sc := bufio.NewScanner(strings.NewReader(stdout))
		sc.Buffer(nil, 1<<30)
		for sc.Scan() {
			docs = append(docs, sc.Text())
		}
	}
	for _, d := range docs {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(d))
		if err != nil {
			t.Fatalf("%s output is not JSON: %v", key, err)
		}
		if err := ss[key].Validate(inst); err != nil {
			t.Fatalf("%s output does not match its schema in docs/: %v", key, err)
		}
	}
}

func TestSchemaKey(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--format", "json", "a.apk"}, "scan json"},
		{[]string{"audit", "a.apk", "--format=jsonl"}, "audit jsonl"},
		{[]string{"diff", "a", "b", "--format", "json"}, "diff json"},
		{[]string{"policy", "extract", "--format", "json", "p.txt"}, "policy json"},
		{[]string{"policy", "extract", "p.txt"}, ""},
		{[]string{"audit", "a.apk", "--format", "sarif"}, ""},
	} {
		if got := schemaKey(tc.args); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.args, got, tc.want)
		}
	}
}

// oneAudit returns the only app of an audit JSON document.
func oneAudit(t *testing.T, out string) []byte {
	t.Helper()
	var doc struct {
		Apps []json.RawMessage `json:"apps"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Apps) != 1 {
		t.Fatalf("want an audit document of one app: %v: %.200s", err, out)
	}
	return doc.Apps[0]
}

// A directory holding one app gives the report the app gives when named
// as a file, in every format; the JSON is one shape (a list of apps)
// whatever the number of inputs.
func TestAuditOneShapeWhateverTheInputs(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	dir := t.TempDir()
	data, err := os.ReadFile(app)
	if err != nil {
		t.Fatal(err)
	}
	copied := writeFile(t, dir, "maimai-like.apk", data)
	for _, format := range []string{"json", "cyclonedx", "sarif", "table", "markdown"} {
		asFile, stderr, code := runCLI(t, "audit", copied, "--policy", pol, "--format", format, "--fail-on", "none")
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		asDir, stderr, code := runCLI(t, "audit", dir, "--policy", pol, "--format", format, "--fail-on", "none")
		if code != ExitOK {
			t.Fatalf("%s of a directory: exit %d: %s", format, code, stderr)
		}
		if asFile != asDir {
			t.Errorf("%s: a directory of one app and the app as a file give different reports", format)
		}
	}
	single, _, _ := runCLI(t, "audit", app, "--policy", pol, "--format", "json", "--fail-on", "none")
	two, _, _ := runCLI(t, "audit", app, copied, "--policy", pol, "--format", "json", "--fail-on", "none")
	var a, b map[string]json.RawMessage
	if err := json.Unmarshal([]byte(single), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(two), &b); err != nil {
		t.Fatal(err)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			t.Errorf("one app's JSON lacks the key %q of two apps' JSON", k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			t.Errorf("two apps' JSON lacks the key %q of one app's JSON", k)
		}
	}
}
