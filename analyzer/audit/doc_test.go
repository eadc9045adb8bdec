package audit

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite generated files")

// findingsDoc renders docs/findings.md from the Checks registry, so the
// documentation, `sdkaudit explain` and SARIF rule help never disagree.
func findingsDoc() string {
	var b strings.Builder
	b.WriteString("# Findings\n\n")
	b.WriteString("Every finding `sdkaudit audit` reports comes from one of these checks. Rule ids are stable and never\n")
	b.WriteString("reused; `sdkaudit explain ID` prints the same text. This file is generated from `analyzer/audit/checks.go`\n")
	b.WriteString("by `go test ./analyzer/audit -update`; a test fails when they differ.\n\n")
	b.WriteString("| id | kind | default severity | title |\n|---|---|---|---|\n")
	for _, c := range Checks {
		fmt.Fprintf(&b, "| %s | %s | %s | %s (%s) |\n", c.ID, c.Kind, c.DefaultSeverity, c.Title, c.TitleZH)
	}
	for _, c := range Checks {
		fmt.Fprintf(&b, "\n## %s %s\n\n%s\n\n%s\n", c.ID, c.Kind, c.Title+" — "+c.TitleZH, strings.Join(strings.Fields(c.Doc), " "))
	}
	return b.String()
}

func TestFindingsDocIsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "findings.md")
	got := findingsDoc()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/findings.md is stale; run go test ./analyzer/audit -update:\n%s", diff)
	}
}

func TestCheckIDsUniqueAndStable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Checks {
		if seen[c.ID] || seen[c.Kind] {
			t.Errorf("duplicate check %s %s", c.ID, c.Kind)
		}
		seen[c.ID], seen[c.Kind] = true, true
		if c.Doc == "" || c.Title == "" || c.TitleZH == "" || SeverityRank(c.DefaultSeverity) == 0 || c.Run == nil {
			t.Errorf("check %s is incomplete", c.ID)
		}
	}
	// Retired ids must never come back.
	for _, retired := range []string{} {
		if seen[retired] {
			t.Errorf("retired id %s reused", retired)
		}
	}
}
