package main

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hidingKinds are the ways the hostile policy below hides its lines, from
// its fifth line on, one after another, with the reason the warning gives;
// the demo policy's lines 5-12 and 14 declare something.
var hidingKinds = []struct{ open, close, why string }{
	{`<p hidden>`, `</p>`, "hidden attribute"},
	{`<p style="display:none">`, `</p>`, "display:none"},
	{`<div style="visibility:hidden"><p>`, `</p></div>`, "visibility:hidden"},
	{`<p style="font-size:0">`, `</p>`, "font-size too small to read"},
	{`<p style="opacity:0">`, `</p>`, "opacity:0"},
	{`<p style="color:#fff">`, `</p>`, "text colour same as its background"},
	{`<template><p>`, `</p></template>`, "inside <template>"},
	{`<!-- `, ` -->`, "HTML comment"},
	{`<p class="fold">`, `</p>`, "display:none"},
	{`<div style="height:0;overflow:hidden"><p>`, `</p></div>`, "zero height or width with overflow hidden"},
	{`<p style="position:absolute;left:-9999px">`, `</p>`, "positioned off-screen"},
	{`<p style="position:absolute;clip:rect(0 0 0 0)">`, `</p>`, "clipped away (clip or clip-path)"},
}

// hiddenPolicyPages writes the demo policy of maimai-like.apk as two HTML
// pages: one showing every line, and one showing only its first two
// lines (title and version) and hiding every other line, each a different
// way; and one with the first two lines alone.
func hiddenPolicyPages(t *testing.T, dir string) (visible, hidden, header string) {
	t.Helper()
	raw, err := os.ReadFile(policyFixture("maimai-like-policy.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	head := "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><style>.fold{display:none}</style></head><body>\n"
	var v, h, hd strings.Builder
	for _, b := range []*strings.Builder{&v, &h, &hd} {
		b.WriteString(head)
	}
	for i, l := range lines {
		p := "<p>" + html.EscapeString(l) + "</p>\n"
		v.WriteString(p)
		if i < 2 {
			h.WriteString(p)
			hd.WriteString(p)
			continue
		}
		k := hidingKinds[1]
		if i >= 4 {
			k = hidingKinds[(i-4)%len(hidingKinds)]
		}
		h.WriteString(k.open + html.EscapeString(l) + k.close + "\n")
	}
	for _, b := range []*strings.Builder{&v, &h, &hd} {
		b.WriteString("</body></html>\n")
	}
	return writeFile(t, dir, "visible.html", []byte(v.String())),
		writeFile(t, dir, "hidden.html", []byte(h.String())),
		writeFile(t, dir, "header.html", []byte(hd.String()))
}

// auditFindings runs audit --format json and returns its findings as
// "kind subject", sorted, with stderr.
func auditFindings(t *testing.T, app, policy string) ([]string, string) {
	t.Helper()
	out, stderr, code := runCLI(t, "audit", app, "--policy", policy, "--format", "json")
	if code != ExitFindings && code != ExitOK {
		t.Fatalf("audit %s: exit %d: %s", policy, code, stderr)
	}
	var doc struct {
		Findings []struct {
			Kind    string
			Subject struct {
				SDK        *struct{ ID string }
				Permission string
			}
		}
	}
	if err := json.Unmarshal(oneAudit(t, out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range doc.Findings {
		if f.Subject.SDK != nil {
			got = append(got, f.Kind+" "+f.Subject.SDK.ID)
		} else {
			got = append(got, f.Kind+" "+f.Subject.Permission)
		}
	}
	sort.Strings(got)
	return got, stderr
}

// TestAuditHiddenPolicyText audits the demo app against a policy whose
// disclosures are all in the page but hidden from its reader: the
// findings are those of a policy that discloses nothing, not those of the
// visible page, and each hidden disclosure is a warning.
func TestAuditHiddenPolicyText(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	visible, hidden, header := hiddenPolicyPages(t, t.TempDir())
	shown, _ := auditFindings(t, app, visible)
	got, stderr := auditFindings(t, app, hidden)
	bare, _ := auditFindings(t, app, header)
	t.Logf("findings: %d with the policy shown, %d with it hidden, %d with the title alone", len(shown), len(got), len(bare))
	if diff := cmp.Diff(bare, got); diff != "" {
		t.Errorf("hidden disclosures changed the findings (-title alone +hidden page):\n%s", diff)
	}
	if len(got) <= len(shown) {
		t.Errorf("hiding the disclosures did not add findings: %d shown, %d hidden", len(shown), len(got))
	}
	for _, want := range []string{"undeclared-sdk getui-push", "undeclared-sdk huawei-push", "undeclared-sdk talkingdata-app-analytics",
		"undeclared-permission android.permission.CAMERA", "undeclared-permission android.permission.RECORD_AUDIO"} {
		if !slicesContains(got, want) {
			t.Errorf("missing finding %s (suppressed by hidden text)", want)
		}
		if slicesContains(shown, want) {
			t.Errorf("finding %s also with the policy shown: the test page is wrong", want)
		}
	}
	// One warning per declaring line, 5-12 and 14, with its hiding kind
	// (the page has two lines of markup before the policy's first).
	warnings := strings.Count(stderr, "sdkaudit: warning: hidden-policy-text: "+hidden+": line ")
	for _, line := range []int{5, 6, 7, 8, 9, 10, 11, 12, 14} {
		k := hidingKinds[(line-5)%len(hidingKinds)]
		want := fmt.Sprintf("sdkaudit: warning: hidden-policy-text: %s: line %d: text not rendered (%s) would have declared ", hidden, line+2, k.why)
		if !strings.Contains(stderr, want) {
			t.Errorf("no warning %q:\n%s", want, stderr)
		}
	}
	if warnings != 9 {
		t.Errorf("%d hidden-policy-text warnings, want 9:\n%s", warnings, stderr)
	}

	// policy extract writes the same warnings and declares nothing hidden.
	out, stderr, code := runCLI(t, "policy", "extract", "--format", "json", hidden)
	if code != ExitOK {
		t.Fatalf("policy extract: exit %d: %s", code, stderr)
	}
	var decl struct {
		SDKs        []struct{ ID string } `json:"sdks"`
		Permissions []struct{ Name string }
		Warnings    []string
	}
	if err := json.Unmarshal([]byte(out), &decl); err != nil {
		t.Fatal(err)
	}
	if len(decl.SDKs) != 0 || len(decl.Permissions) != 0 {
		t.Errorf("hidden page declares %v, %v", decl.SDKs, decl.Permissions)
	}
	if n := strings.Count(stderr, "hidden-policy-text: "); n != warnings || n != countPrefix(decl.Warnings, "hidden-policy-text: ") {
		t.Errorf("policy extract: %d warnings on stderr, %d in the declaration, audit gave %d", n, countPrefix(decl.Warnings, "hidden-policy-text: "), warnings)
	}
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func countPrefix(list []string, prefix string) int {
	n := 0
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}
