package audit

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
		fmt.Fprintf(&b, "\n## %s %s\n\n%s\n\n%s\n\nIn `sdkaudit diff`: %s.\n", c.ID, c.Kind, c.Title+" — "+c.TitleZH, strings.Join(strings.Fields(c.Help()), " "), c.DiffText())
	}
	b.WriteString("\n## Retired ids\n\nThese ids named a check once and never name another.\n\n| id | was | why |\n|---|---|---|\n")
	for _, r := range RetiredIDs {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r.ID, r.Was, r.Why)
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

// registryProblems lists what is wrong with a registry: a duplicate id or
// kind, a check missing part of its record, a retired id or a kind that a
// retired id had given to another check.
func registryProblems(checks []Check, retired []RetiredID) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range checks {
		if seen[c.ID] || seen[string(c.Kind)] {
			out = append(out, fmt.Sprintf("duplicate check %s %s", c.ID, c.Kind))
		}
		seen[c.ID], seen[string(c.Kind)] = true, true
		if !idRe.MatchString(c.ID) || !kindRe.MatchString(string(c.Kind)) {
			out = append(out, fmt.Sprintf("check %s %s: id or kind malformed", c.ID, c.Kind))
		}
		if c.Doc == "" || c.Title == "" || c.TitleZH == "" || c.DefaultSeverity.Rank() == 0 || c.Run == nil {
			out = append(out, fmt.Sprintf("check %s is incomplete", c.ID))
		}
		// SA3001's doc ends with what to do; moving it out would change
		// the SARIF rule help reports already carry.
		if c.Fix == "" && c.ID != "SA3001" {
			out = append(out, fmt.Sprintf("check %s has no fix", c.ID))
		}
		if c.Diff != DiffWhenNewOrAdded && len(c.DiffKeys) > 0 {
			out = append(out, fmt.Sprintf("check %s: DiffKeys without DiffWhenNewOrAdded", c.ID))
		}
	}
	for _, r := range retired {
		if seen[r.ID] {
			out = append(out, fmt.Sprintf("retired id %s reused", r.ID))
		}
		if r.Why == "" || r.Was == "" {
			out = append(out, fmt.Sprintf("retired id %s: say what it was and why it was retired", r.ID))
		}
	}
	return out
}

var (
	idRe   = regexp.MustCompile(`^SA[0-9]{4}$`)
	kindRe = regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
)

func TestRegistry(t *testing.T) {
	for _, p := range registryProblems(Checks, RetiredIDs) {
		t.Error(p)
	}
}

// TestRegistryProblemsCanFail plants each kind of mistake, so the test
// above is known to catch them.
func TestRegistryProblemsCanFail(t *testing.T) {
	good := Checks[0]
	reused := good
	reused.ID = RetiredIDs[0].ID
	reused.Kind = "something-else"
	noFix := good
	noFix.ID, noFix.Kind, noFix.Fix = "SA9998", "no-fix", ""
	for name, checks := range map[string][]Check{
		"duplicate": {good, good},
		"retired":   {good, reused},
		"no fix":    {good, noFix},
	} {
		if len(registryProblems(checks, RetiredIDs)) == 0 {
			t.Errorf("%s: registryProblems found nothing", name)
		}
	}
	if len(registryProblems(Checks, []RetiredID{{ID: Checks[3].ID, Was: "x", Why: "y"}})) == 0 {
		t.Error("a live id listed as retired went unnoticed")
	}
}
