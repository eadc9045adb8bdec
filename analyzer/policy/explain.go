package policy

import (
	"fmt"
	"strings"
)

// Explain renders the declaration for a reviewer: every item with each
// place it was read from, the words that matched and the reading that
// made them count (Evidence.Rule), then what the policy denies. Text from
// the policy is shown on one line with control characters escaped, so a
// crafted policy cannot rewrite the reviewer's terminal.
func Explain(d *Declaration) string {
	var b strings.Builder
	section := func(title string, n int) {
		fmt.Fprintf(&b, "%s (%d)\n", title, n)
	}
	evs := func(list []Evidence) {
		for _, e := range list {
			fmt.Fprintf(&b, "    %s:%d  matched %q  [%s]\n      %s\n", oneLine(e.File), e.Line, oneLine(e.Matched), ruleID(e.Rule), oneLine(e.Text))
		}
	}
	section("Permissions", len(d.Permissions))
	for _, p := range d.Permissions {
		fmt.Fprintf(&b, "  %s\n", p.Name)
		evs(p.Evidence)
	}
	section("Data categories", len(d.DataCategories))
	for _, c := range d.DataCategories {
		fmt.Fprintf(&b, "  %s\n", c.ID)
		evs(c.Evidence)
	}
	section("SDKs", len(d.SDKs))
	for _, s := range d.SDKs {
		fmt.Fprintf(&b, "  %s (%s, by %s)\n", s.ID, s.Vendor, s.How)
		if len(s.Data)+len(s.Permissions) > 0 {
			fmt.Fprintf(&b, "    its row discloses: %s\n", strings.Join(append(append([]string{}, s.Data...), s.Permissions...), ", "))
		}
		evs(s.Evidence)
	}
	section("Vendors named", len(d.Vendors))
	for _, v := range d.Vendors {
		what := "no SDK of theirs fits the context"
		if len(v.SDKs) > 0 {
			what = "narrowed to " + strings.Join(v.SDKs, ", ")
		}
		fmt.Fprintf(&b, "  %s: %s\n", v.ID, what)
		evs(v.Evidence)
	}
	section("Unresolved third parties", len(d.Unresolved))
	for _, u := range d.Unresolved {
		fmt.Fprintf(&b, "  %s\n", oneLine(u.Name))
		evs(u.Evidence)
	}
	section("Denials", len(d.Denials))
	for _, n := range d.Denials {
		fmt.Fprintf(&b, "  %s %s\n", n.Kind, n.ID)
		evs(n.Evidence)
	}
	for _, w := range d.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", oneLine(w))
	}
	return b.String()
}

// ruleID is the short name of a reading ("access-word").
func ruleID(rule string) string {
	if i := strings.IndexByte(rule, ':'); i > 0 {
		return rule[:i]
	}
	if rule == "" {
		return "?"
	}
	return rule
}

// oneLine escapes line breaks and other control characters.
func oneLine(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
