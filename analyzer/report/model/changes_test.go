package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// changeEntry is one row of docs/json-schema-changes.md.
type changeEntry struct{ version, hash string }

// schemaChanges reads the changelog: per schema file, its rows in order.
func schemaChanges(text string) map[string][]changeEntry {
	out := map[string][]changeEntry{}
	file := ""
	row := regexp.MustCompile(`^\| *([0-9.]+) *\| *([0-9a-f]{16}) *\|`)
	for _, line := range strings.Split(text, "\n") {
		if f, ok := strings.CutPrefix(line, "## "); ok {
			file = strings.TrimSpace(f)
			continue
		}
		if m := row.FindStringSubmatch(line); m != nil && file != "" {
			out[file] = append(out[file], changeEntry{m[1], m[2]})
		}
	}
	return out
}

var idVersion = regexp.MustCompile(`-([0-9]+(?:\.[0-9]+)?)\.json$`)

// changeProblems compares the schema files with the changelog.
func changeProblems(schemas map[string][]byte, changes map[string][]changeEntry, modelVersions map[string]string) []string {
	var out []string
	for name, data := range schemas {
		sum := sha256.Sum256(data)
		hash := hex.EncodeToString(sum[:8])
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(data, &head); err != nil {
			out = append(out, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		m := idVersion.FindStringSubmatch(head.ID)
		if m == nil {
			out = append(out, fmt.Sprintf("%s: $id %q carries no version", name, head.ID))
			continue
		}
		rows := changes[name]
		if len(rows) == 0 {
			out = append(out, fmt.Sprintf("%s: no section in docs/json-schema-changes.md", name))
			continue
		}
		last := rows[len(rows)-1]
		if last.hash != hash {
			out = append(out, fmt.Sprintf("%s changed (sha256 %s) without an entry in docs/json-schema-changes.md: add a row saying what changed, and raise the version if a key disappeared or changed meaning", name, hash))
		}
		if last.version != m[1] {
			out = append(out, fmt.Sprintf("%s: the last entry says version %s, the $id %s", name, last.version, m[1]))
		}
		if v, ok := modelVersions[name]; ok && v != m[1] {
			out = append(out, fmt.Sprintf("%s: the model writes schema_version %s, the $id says %s", name, v, m[1]))
		}
	}
	for name := range changes {
		if _, ok := schemas[name]; !ok {
			out = append(out, fmt.Sprintf("docs/json-schema-changes.md has a section for %s, which is not a schema in docs/", name))
		}
	}
	return out
}

var modelVersions = map[string]string{
	"scan-report.schema.json":    ScanSchemaVersion,
	"audit-report.schema.json":   AuditSchemaVersion,
	"diff-report.schema.json":    DiffSchemaVersion,
	"policy-extract.schema.json": PolicySchemaVersion,
}

func readSchemaFiles(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(docsDir, "*.schema.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no schemas in %s: %v", docsDir, err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

func TestSchemaChangesRecorded(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(docsDir, "json-schema-changes.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range changeProblems(readSchemaFiles(t), schemaChanges(string(text)), modelVersions) {
		t.Error(p)
	}
}

// TestSchemaChangesCanFail edits a schema and the model's version in
// memory: both are caught.
func TestSchemaChangesCanFail(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(docsDir, "json-schema-changes.md"))
	if err != nil {
		t.Fatal(err)
	}
	schemas := readSchemaFiles(t)
	schemas["scan-report.schema.json"] = append(schemas["scan-report.schema.json"], ' ')
	if len(changeProblems(schemas, schemaChanges(string(text)), modelVersions)) != 1 {
		t.Error("an edited schema went unnoticed")
	}
	schemas = readSchemaFiles(t)
	bumped := map[string]string{"scan-report.schema.json": "2.0"}
	if len(changeProblems(schemas, schemaChanges(string(text)), bumped)) != 1 {
		t.Error("a model version the schema does not carry went unnoticed")
	}
}
