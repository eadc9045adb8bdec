package report

import (
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"
)

// A document is the human report as blocks, rendered to Markdown or to
// HTML, so both formats carry the same content and neither can drift.
// Text in a span is raw: each renderer escapes it for its own syntax, item
// by item, so a list of any length is written whole and never cut as one
// string.
type document struct {
	lang   string
	title  string
	blocks []block
}

type blockKind int

const (
	blockHeading blockKind = iota
	blockPara
	blockList
	blockQuote
	blockTable
)

type block struct {
	kind  blockKind
	level int    // heading level, 1 to 4
	id    string // heading anchor, for HTML
	spans []span // heading, paragraph or quote text
	items []cell // list items
	head  []string
	rows  [][]cell
}

// span is a run of text: plain, a code span (paths, class names, ids),
// bold, or a link to an http(s) address taken from the rules.
type span struct {
	text   string
	code   bool
	strong bool
	href   string
}

// cell is a table cell or list item: spans in order.
type cell []span

func txt(s string) span    { return span{text: s} }
func code(s string) span   { return span{text: s, code: true} }
func strong(s string) span { return span{text: s, strong: true} }

// link is a span linking to u when u is an absolute http(s) address, the
// address as text otherwise.
func link(label, u string) span {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return span{text: u}
	}
	if label == "" {
		label = u
	}
	return span{text: label, href: p.String()}
}

// joined is a cell of items separated by sep, each item a span of its
// own (escaped on its own by the renderer).
func joined(items []string, sep string, asCode bool) cell {
	var c cell
	for i, it := range items {
		if i > 0 {
			c = append(c, txt(sep))
		}
		c = append(c, span{text: it, code: asCode})
	}
	return c
}

func (d *document) h(level int, id string, spans ...span) {
	d.blocks = append(d.blocks, block{kind: blockHeading, level: level, id: id, spans: spans})
}

func (d *document) p(spans ...span) {
	d.blocks = append(d.blocks, block{kind: blockPara, spans: spans})
}

func (d *document) list(items ...cell) {
	if len(items) > 0 {
		d.blocks = append(d.blocks, block{kind: blockList, items: items})
	}
}

func (d *document) quote(lines ...cell) {
	if len(lines) > 0 {
		d.blocks = append(d.blocks, block{kind: blockQuote, items: lines})
	}
}

func (d *document) table(head []string, rows [][]cell) {
	d.blocks = append(d.blocks, block{kind: blockTable, head: head, rows: rows})
}

// Markdown

func (c cell) markdown(inTable bool) string {
	var b strings.Builder
	for _, s := range c {
		b.WriteString(s.markdown(inTable))
	}
	return b.String()
}

func (s span) markdown(inTable bool) string {
	switch {
	case s.href != "":
		// Parentheses and spaces would end the target early.
		target := strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(s.href)
		return "[" + md(s.text) + "](" + target + ")"
	case s.code:
		return mdCode(s.text)
	case s.strong:
		if t := md(s.text); t != "" {
			return "**" + t + "**"
		}
		return ""
	}
	return md(s.text)
}

func (d *document) writeMarkdown(w io.Writer) error {
	ew := &errWriter{w: w}
	for i, b := range d.blocks {
		if i > 0 {
			ew.printf("\n")
		}
		switch b.kind {
		case blockHeading:
			ew.printf("%s %s\n", strings.Repeat("#", b.level), cell(b.spans).markdown(false))
		case blockPara:
			ew.printf("%s\n", mdLead(cell(b.spans).markdown(false)))
		case blockList:
			for _, it := range b.items {
				ew.printf("- %s\n", mdLead(it.markdown(false)))
			}
		case blockQuote:
			for k, it := range b.items {
				if k > 0 {
					ew.printf(">\n")
				}
				ew.printf("> %s\n", mdLead(it.markdown(false)))
			}
		case blockTable:
			ew.printf("|")
			for _, h := range b.head {
				ew.printf(" %s |", md(h))
			}
			ew.printf("\n|%s\n", strings.Repeat("---|", len(b.head)))
			for _, r := range b.rows {
				ew.printf("|")
				for _, c := range r {
					ew.printf(" %s |", c.markdown(true))
				}
				ew.printf("\n")
			}
		}
	}
	return ew.err
}

// mdLead keeps escaped text that starts a line from opening a nested list,
// a numbered item or (by leading spaces) an indented code block.
func mdLead(e string) string {
	e = strings.TrimLeft(e, " ")
	if strings.HasPrefix(e, "-") || strings.HasPrefix(e, "+") {
		return "\\" + e
	}
	digits := 0
	for digits < len(e) && digits < 10 && e[digits] >= '0' && e[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(e) && (e[digits] == '.' || e[digits] == ')') {
		return e[:digits] + "\\" + e[digits:]
	}
	return e
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// HTML

func (c cell) html() string {
	var b strings.Builder
	for _, s := range c {
		t := html.EscapeString(Clean(s.text))
		switch {
		case s.href != "":
			fmt.Fprintf(&b, `<a href="%s">%s</a>`, html.EscapeString(s.href), t)
		case s.code:
			b.WriteString("<code>" + t + "</code>")
		case s.strong:
			b.WriteString("<strong>" + t + "</strong>")
		default:
			b.WriteString(t)
		}
	}
	return b.String()
}

// htmlStyle is the report's only styling: inline, so the file stands
// alone, with print rules so it prints as a paper deliverable.
const htmlStyle = `body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.6rem;border-bottom:2px solid #333;padding-bottom:.3rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.05rem}h4{font-size:1rem;margin-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #bbb;padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eee}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;background:#f3f3f3;padding:0 .2em;overflow-wrap:anywhere}
blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:4px solid #999;background:#fafafa}
.sev-high{color:#a00;font-weight:bold}.sev-medium{color:#a60}.sev-low{color:#555}
@media print{body{max-width:none;margin:0;font-size:10pt}a{color:inherit;text-decoration:none}a[href]::after{content:" (" attr(href) ")";font-size:.8em}h2,h3,h4{break-after:avoid}tr,blockquote{break-inside:avoid}thead{display:table-header-group}}`

// writeHTML writes the documents as one self-contained page: no script,
// no external style, font or image.
func writeHTML(w io.Writer, docs []*document) error {
	ew := &errWriter{w: w}
	lang, title := "en", "sdkaudit"
	if len(docs) > 0 {
		lang, title = docs[0].lang, docs[0].title
	}
	if lang == "zh" {
		lang = "zh-CN"
	}
	ew.printf("<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", lang)
	ew.printf("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
	ew.printf("<title>%s</title>\n<style>\n%s\n</style>\n</head>\n<body>\n", html.EscapeString(Clean(title)), htmlStyle)
	for i, d := range docs {
		if i > 0 {
			ew.printf("<hr>\n")
		}
		ew.printf("<article>\n")
		for _, b := range d.blocks {
			switch b.kind {
			case blockHeading:
				id := ""
				if b.id != "" {
					id = fmt.Sprintf(" id=\"%s\"", html.EscapeString(b.id))
				}
				ew.printf("<h%d%s>%s</h%d>\n", b.level, id, cell(b.spans).html(), b.level)
			case blockPara:
				ew.printf("<p>%s</p>\n", cell(b.spans).html())
			case blockList:
				ew.printf("<ul>\n")
				for _, it := range b.items {
					ew.printf("<li>%s</li>\n", it.html())
				}
				ew.printf("</ul>\n")
			case blockQuote:
				ew.printf("<blockquote>\n")
				for _, it := range b.items {
					ew.printf("<p>%s</p>\n", it.html())
				}
				ew.printf("</blockquote>\n")
			case blockTable:
				ew.printf("<table>\n<thead><tr>")
				for _, h := range b.head {
					ew.printf("<th>%s</th>", html.EscapeString(Clean(h)))
				}
				ew.printf("</tr></thead>\n<tbody>\n")
				for _, r := range b.rows {
					ew.printf("<tr>")
					for _, c := range r {
						ew.printf("<td>%s</td>", c.html())
					}
					ew.printf("</tr>\n")
				}
				ew.printf("</tbody>\n</table>\n")
			}
		}
		ew.printf("</article>\n")
	}
	ew.printf("</body>\n</html>\n")
	return ew.err
}
