package policy

import (
	"fmt"
	"sort"
	"strings"
)

// HiddenTextPrefix starts every warning about policy text a reader of the
// page does not see (Document.Hidden). Such text declares nothing; the
// warning names the file, the line, why the text is not rendered and what
// it would have declared, so a reviewer sees the attempt (or the tab a
// script would open) and can write a declaration file if the text really
// is shown to users.
const HiddenTextPrefix = "hidden-policy-text: "

// maxHiddenNotes bounds the warnings of one document; the rest are
// counted in one more.
const maxHiddenNotes = 50

// noteHidden keeps a document with hidden text for hiddenNotes, which
// runs once every document is read, so that what the visible text of any
// of them declares is not reported.
func (x *extractor) noteHidden(d *Document) {
	if len(d.Hidden) > 0 {
		x.hidden = append(x.hidden, d)
	}
}

// hiddenNotes adds a warning for each hidden block that would have
// declared something the visible text does not, and one for a document
// whose text is all hidden.
func (x *extractor) hiddenNotes() {
	for _, d := range x.hidden {
		if len(d.Blocks) == 0 {
			why := ""
			for _, b := range d.Hidden {
				if b.Hidden != "" {
					why = fmt.Sprintf(" (%s at line %d)", b.Hidden, b.Line)
					break
				}
			}
			x.decl.Warnings = append(x.decl.Warnings, fmt.Sprintf("%s%s: none of the text is rendered%s, so the policy declares nothing", HiddenTextPrefix, d.Name, why))
		}
		x.decl.Warnings = append(x.decl.Warnings, x.hiddenDeclares(d)...)
	}
}

// hiddenDeclares reads a document's hidden blocks, with their context, as
// a policy of their own and reports, by line, what they declare that the
// visible text does not.
func (x *extractor) hiddenDeclares(d *Document) []string {
	sub := newExtractor(x.lx)
	sub.document(&Document{Name: d.Name, Format: d.Format, Encoding: d.Encoding, Blocks: d.Hidden})
	why := map[int]string{}
	for _, b := range d.Hidden {
		if b.Hidden != "" && why[b.Line] == "" {
			why[b.Line] = b.Hidden
		}
	}
	byLine := map[int][]string{}
	add := func(what string, ev []Evidence) {
		seen := map[int]bool{}
		for _, e := range ev {
			if why[e.Line] != "" && !seen[e.Line] {
				seen[e.Line] = true
				byLine[e.Line] = append(byLine[e.Line], what)
			}
		}
	}
	for k, p := range sub.perms {
		if x.perms[k] == nil {
			add("permission "+p.Name, p.Evidence)
		}
	}
	for k, c := range sub.data {
		if x.data[k] == nil {
			add("data "+c.ID, c.Evidence)
		}
	}
	for k, s := range sub.sdks {
		if x.sdks[k] == nil {
			add("sdk "+s.ID, s.Evidence)
		}
	}
	for k, v := range sub.vends {
		if x.vends[k] == nil {
			add("vendor "+v.ID, v.Evidence)
		}
	}
	for k, u := range sub.unres {
		if x.unres[k] == nil {
			add("third party "+u.Name, u.Evidence)
		}
	}
	lines := make([]int, 0, len(byLine))
	for l := range byLine {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	var out []string
	for i, l := range lines {
		if i == maxHiddenNotes {
			out = append(out, fmt.Sprintf("%s%s: %d more hidden blocks would have declared something", HiddenTextPrefix, d.Name, len(lines)-i))
			break
		}
		items := byLine[l]
		sort.Strings(items)
		out = append(out, fmt.Sprintf("%s%s: line %d: text not rendered (%s) would have declared %s", HiddenTextPrefix, d.Name, l, why[l], strings.Join(items, ", ")))
	}
	return out
}
