package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// Text from the user's own files reaches the reports too: a waiver's
// reason and subject and the policy's file name. End to end, none of it
// may act on a terminal, break a Markdown table or open a SARIF link, and
// JSON keeps it exactly.
func TestAuditReportsEscapeHostileInputs(t *testing.T) {
	dir := t.TempDir()
	pol, err := os.ReadFile(policyFixture("maimai-like-policy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	polName := writeFile(t, dir, "policy |`x`<b>\x1b[31m\u202e\n| row |.txt", pol)
	const reason = "\x1b[31m| waived | <script>alert(1)</script> [x](http://evil) \u202e\n| row |"
	waivers := writeFile(t, dir, "waivers.yaml", []byte(`waivers:
  - rule: undeclared-sdk
    subject: bugly
    reason: "\e[31m| waived | <script>alert(1)</script> [x](http://evil) \u202e\n| row |"
  - rule: undeclared-sdk
    subject: "- \e[2J<b>nothing</b>|"
    reason: matches no finding
`))
	run := func(format string) string {
		t.Helper()
		out, stderr, code := runCLI(t, "audit", fixture(t, "maimai-like.apk"), "--policy", polName, "--waivers", waivers, "--format", format, "--fail-on", "none")
		if code != ExitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		return out
	}
	for _, format := range []string{"table", "markdown", "sarif"} {
		out := run(format)
		if i := strings.IndexFunc(out, func(r rune) bool { return r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e)) }); i >= 0 {
			r, _ := utf8.DecodeRuneInString(out[i:])
			t.Errorf("%s: raw %U at byte %d", format, r, i)
		}
		if !strings.Contains(out, "waived") {
			t.Errorf("%s: the waiver reason is missing", format)
		}
		if format == "markdown" {
			if strings.Contains(out, "<") {
				t.Errorf("markdown: raw HTML")
			}
			checkMarkdownColumns(t, out)
		}
		if format == "sarif" {
			var log struct {
				Runs []struct {
					Results []struct {
						Message      struct{ Text string }
						Suppressions []struct{ Justification string }
					}
				}
			}
			if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 {
				t.Fatalf("sarif: %v", err)
			}
			for _, r := range log.Runs[0].Results {
				for _, s := range r.Suppressions {
					if strings.Contains(s.Justification, "waived") && !strings.Contains(s.Justification, `\u001b`) {
						t.Errorf("sarif: justification not escaped: %q", s.Justification)
					}
				}
			}
		}
	}
	var doc struct {
		Findings []struct {
			SuppressedBy string `json:"suppressed_by"`
		}
		Policy struct{ Sources []string }
	}
	if err := json.Unmarshal(oneAudit(t, run("json")), &doc); err != nil {
		t.Fatal(err)
	}
	kept := false
	for _, f := range doc.Findings {
		kept = kept || f.SuppressedBy == reason
	}
	if !kept || len(doc.Policy.Sources) != 1 || filepath.Base(doc.Policy.Sources[0]) != filepath.Base(polName) {
		t.Errorf("JSON does not keep the text exactly: sources %q", doc.Policy.Sources)
	}
}

// checkMarkdownColumns: every row of a Markdown table has as many
// unescaped pipes as the table's header row.
func checkMarkdownColumns(t *testing.T, out string) {
	t.Helper()
	want := -1
	for i, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			if line != "" && want >= 0 {
				t.Errorf("markdown: line %d continues a table without a pipe: %q", i+1, line)
			}
			want = -1
			continue
		}
		n := 0
		for j := 0; j < len(line); j++ {
			switch line[j] {
			case '\\':
				j++
			case '|':
				n++
			}
		}
		if want < 0 {
			want = n
		} else if n != want {
			t.Errorf("markdown: line %d has %d pipes, want %d: %q", i+1, n, want, line)
		}
	}
}
