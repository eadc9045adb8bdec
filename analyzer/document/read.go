package document

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Limits bound what a document may cost. A policy is user input and may
// be a hostile or broken file, so every dimension that could make reading
// slow or memory-hungry has a ceiling; a zero field takes its default.
type Limits struct {
	// MaxBytes is the largest input accepted (default 32 MiB).
	MaxBytes int64
	// MaxNodes bounds the HTML elements, implied ones included (default
	// 500000).
	MaxNodes int
	// MaxDepth bounds HTML element nesting (default 256).
	MaxDepth int
	// MaxCells bounds the table cells of a whole document after rowspan
	// and colspan are expanded (default 200000).
	MaxCells int
	// Stdin is read, with the MaxBytes cap, for a document named "-".
	Stdin io.Reader
}

// Document is a policy reduced to the blocks an extractor reads, each
// carrying the line an auditor needs to find it in the original file.
type Document struct {
	Name     string // file name as given
	Format   string // "html", "markdown" or "text"
	Encoding string // "utf-8", "utf-16le", "utf-16be", "gb18030", ...
	Blocks   []Block
	// Hidden is set when part of the text is not rendered (hidden
	// attribute, display:none, white on white, a comment …; see
	// ReadDocument): the blocks holding such text as they would read with
	// it shown, each saying why in its Hidden field, and for context the
	// document's headings and the other rows of tables with hidden rows.
	// Blocks never holds that text, so it is not a disclosure; Hidden lets
	// the extractor tell a reviewer what it would have declared.
	Hidden []Block
}

// Block is one paragraph, heading, list item or table row.
type Block struct {
	// Line is the 1-based source line where the block's text starts.
	Line int
	// Text has markup removed, whitespace runs collapsed to one space and
	// is trimmed; for a table row it is the cells joined with " | ".
	Text string
	// Heading is 1-6 for headings (HTML h1-h6, Markdown #), else 0.
	Heading int
	// Table is 0 outside tables, else the 1-based index, within the
	// document, of the table the row belongs to.
	Table int
	// Cells holds a table row's cell texts with rowspan and colspan
	// expanded: a spanned cell's text is repeated in every row and column
	// it covers, so a column index means the same thing in every row.
	Cells []string
	// Header marks a table header row: see ReadDocument for the rule.
	Header bool
	// Hidden, in a block of Document.Hidden, says why some of its text
	// is not rendered ("display:none"); empty for context blocks.
	Hidden string
}

// The errors ReadDocument wraps, for callers that tell a wrong input from a
// broken one; the wrapping error names the file.
var (
	ErrEmpty   = errors.New("policy: document is empty")
	ErrBinary  = errors.New("policy: binary data, not a text document")
	ErrNotText = errors.New("policy: not a text document")
)

// Defaults of Limits.
const (
	rdDefaultMaxBytes = 32 << 20
	rdDefaultMaxNodes = 500000
	rdDefaultMaxDepth = 256
	rdDefaultMaxCells = 200000
)

// rdError names the file in front of the message so a user with several
// policy files knows which one failed, while errors.Is still finds the
// sentinel.
type rdError struct {
	name string
	msg  string // without the "policy: " prefix
	err  error
}

func (e *rdError) Error() string {
	if e.name == "" {
		return "policy: " + e.msg
	}
	return "policy: " + e.name + ": " + e.msg
}

func (e *rdError) Unwrap() error { return e.err }

func rdWrap(name string, sentinel error) error {
	return &rdError{name: name, msg: strings.TrimPrefix(sentinel.Error(), "policy: "), err: sentinel}
}

func rdErrorf(name, format string, args ...any) error {
	return &rdError{name: name, msg: fmt.Sprintf(format, args...)}
}

// ReadDocument turns the bytes of a policy into blocks.
//
// The format comes from the file extension (.html .htm .xhtml, .md
// .markdown, .txt), which the user chose, or failing that from the
// content. The encoding is taken from a byte-order mark, else UTF-8 if the
// bytes are valid UTF-8, else (HTML only) the declared charset, with GBK
// and GB2312 read as their superset GB18030, else GB18030 if the bytes
// look like GBK Chinese, else Windows-1252: Chinese policies are what this
// tool reads, and Windows-1252 at least decodes every byte.
//
// Text keeps its original characters: only zero-width characters are
// removed and NBSP and the ideographic space become spaces, because the
// extractor quotes blocks as evidence. A line break between two CJK
// characters is dropped rather than turned into a space, as CSS specifies,
// since Chinese names are often wrapped in the source.
//
// Exceeding a limit is an error rather than a silently shortened
// document, so a policy is never audited on part of its text.
//
// A table row is a header row when it is inside <thead>, when all its own
// cells are <th>, or when it is the first row of its table and every
// non-empty cell of it is entirely bold (<b>/<strong>, as Word exports
// header rows); in Markdown the row above the |---| line is the header; in
// plain text no row is. Tables of at most one cell, or whose cells hold
// headings, are page layout, not data, and are read as ordinary blocks;
// a table nested in a data table's cell is flattened into the cell's text.
//
// Text a reader of the page does not see is left out of Blocks and kept in
// Hidden: in HTML (and HTML inside Markdown), text under the hidden
// attribute, display:none, visibility:hidden, a font-size below 4px,
// opacity below 0.1, a zero-height or zero-width box with overflow hidden,
// a position or text-indent 1000px off-screen, clip or clip-path leaving
// nothing, transform:scale(0), content-visibility:hidden, a colour the
// same as its background, a closed <dialog>, a <template> or an HTML
// comment. Declarations come from style attributes, presentational
// attributes and <style> rules whose selector is one tag, class or id;
// they inherit as in CSS, and markup that implicitly closes an element
// ends its hiding as a browser would. aria-hidden alone hides nothing:
// it hides from screen readers, not from the eye. A document whose text
// is all hidden is returned with no Blocks, not as ErrEmpty, so the
// extractor can say so.
func ReadDocument(name string, data []byte, lim Limits) (*Document, error) {
	lim = lim.rdWithDefaults()
	if int64(len(data)) > lim.MaxBytes {
		return nil, rdErrorf(name, "%d bytes, larger than the %d-byte limit", len(data), lim.MaxBytes)
	}
	if kind := rdMagic(data); kind != "" {
		return nil, &rdError{name: name, msg: kind + " file, not a text document", err: ErrNotText}
	}
	format := rdFormatByExt(name)
	text, enc, format, err := rdDecode(data, format)
	if err != nil {
		if err == ErrBinary {
			return nil, rdWrap(name, ErrBinary)
		}
		return nil, rdErrorf(name, "%v", err)
	}
	text = rdSanitize(text)
	if strings.IndexFunc(text, func(r rune) bool { return !rdBlank(r) }) < 0 {
		return nil, rdWrap(name, ErrEmpty)
	}
	doc := &Document{Name: name, Format: format, Encoding: enc}
	switch format {
	case "html":
		doc.Blocks, doc.Hidden, err = rdReadHTML(text, lim)
	case "markdown":
		doc.Blocks, doc.Hidden, err = rdReadMarkdown(text, lim)
	default:
		doc.Blocks, err = rdReadText(text, lim)
	}
	if err != nil {
		return nil, rdErrorf(name, "%v", err)
	}
	if len(doc.Blocks) == 0 && len(doc.Hidden) == 0 {
		// Markup with no text outside scripts (a page that renders with
		// JavaScript, saved from a browser) cannot be audited either.
		return nil, rdWrap(name, ErrEmpty)
	}
	return doc, nil
}

func (l Limits) rdWithDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = rdDefaultMaxBytes
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = rdDefaultMaxNodes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = rdDefaultMaxDepth
	}
	if l.MaxCells <= 0 {
		l.MaxCells = rdDefaultMaxCells
	}
	return l
}

// rdFormatByExt trusts the extension the user gave over the content,
// which can mislead (a Markdown file may start with an HTML <div>).
func rdFormatByExt(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml", ".xht", ".shtml":
		return "html"
	case ".md", ".markdown", ".mdown", ".mkd":
		return "markdown"
	case ".txt", ".text":
		return "text"
	}
	return ""
}

var (
	// rdStrongHTML can only be HTML: a document element or a doctype.
	rdStrongHTML = regexp.MustCompile(`(?i)<(?:!doctype\s+html|html|head|body)[\s>/]`)
	// rdLeadTag is a document that starts with one of the common tags.
	rdLeadTag = regexp.MustCompile(`(?i)^\s*<(?:p|div|table|span|meta|h[1-6]|ul|ol|section|article|br|font|style|title|!--)[\s>/]`)
	// rdWeakHTML is a tag that Markdown also allows, so it decides only
	// when nothing says Markdown.
	rdWeakHTML   = regexp.MustCompile(`(?i)<(?:p|div|table)[\s>/]`)
	rdMDHeading  = regexp.MustCompile(`(?m)^ {0,3}#{1,6}[ \t]+\S`)
	rdMDDelim    = regexp.MustCompile(`^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	rdMDList     = regexp.MustCompile(`(?m)^[ \t]*[-*+][ \t]+\S`)
	rdMDEmphasis = regexp.MustCompile(`\*\*\S|__\S|\S\*\*|\[[^\]\n]+\]\([^)\s]+\)`)
)

// rdSniffFormat looks at the start of a document whose extension said
// nothing. It works on raw bytes: the tags and marks it looks for are ASCII
// in every encoding a policy comes in once UTF-16 is decoded.
func rdSniffFormat(data []byte) string {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	if rdStrongHTML.Match(head) || rdLeadTag.Match(head) {
		return "html"
	}
	sample := data
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	if rdMDHeading.Match(sample) || (rdMDList.Match(sample) && rdMDEmphasis.Match(sample)) {
		return "markdown"
	}
	for _, line := range bytes.Split(sample, []byte("\n")) {
		if bytes.IndexByte(line, '|') >= 0 && bytes.IndexByte(line, '-') >= 0 && rdMDDelim.Match(bytes.TrimRight(line, "\r")) {
			return "markdown"
		}
	}
	if rdWeakHTML.Match(head) {
		return "html"
	}
	return "text"
}

// rdSanitize makes line ends uniform, so one rule counts lines in every
// format, and drops control characters, which no policy means to contain
// (and which frees \x01 to mark a line break inside HTML markup).
func rdSanitize(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' {
			clean = false
			break
		}
	}
	if clean && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\r':
			b.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case c == '\f' || c == '\v':
			b.WriteByte(' ')
		case c < 0x20 && c != '\n' && c != '\t':
		default:
			b.WriteByte(c)
		}
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

// rdZeroWidth characters are invisible and split words for matching.
func rdZeroWidth(r rune) bool {
	return r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff'
}

// rdBlank is whitespace or invisible: text made only of it says nothing.
func rdBlank(r rune) bool {
	return unicode.IsSpace(r) || rdZeroWidth(r) || r == rdLineMark
}

// rdLineMark stands in the HTML reader's text for a source line break that
// is not whitespace (one inside a comment between two pieces of text), so
// line numbers stay right without adding a space.
const rdLineMark = '\x01'

// rdWide reports characters that CSS puts no space between when a line
// break separates them: wide East Asian characters other than Hangul,
// which uses spaces between words.
func rdWide(r rune) bool {
	if r < 0x1100 || unicode.Is(unicode.Hangul, r) {
		return false
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianHalfwidth:
		return true
	}
	return false
}

// rdCollapse is the one text normaliser of every format: zero-width
// and control characters removed, whitespace runs (NBSP and U+3000 included) made one
// space and trimmed, and a run of plain spaces with a line break between
// two CJK characters removed, because that break is source wrapping, not
// a word boundary (每日\n互动 is 每日互动).
func rdCollapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune // last rune written, 0 at the start
	inRun, runBreak, runHard := false, false, false
	for _, r := range s {
		switch {
		case rdZeroWidth(r) || r == rdLineMark:
			continue
		case unicode.IsControl(r) && !unicode.IsSpace(r):
			// The raw-text pass drops control bytes, but a character
			// reference (&#2;) decodes to one after it.
			continue
		case unicode.IsSpace(r):
			inRun = true
			if r == '\n' {
				runBreak = true
			} else if r != ' ' && r != '\t' {
				runHard = true
			}
			continue
		}
		if inRun && prev != 0 && !(runBreak && !runHard && rdWide(prev) && rdWide(r)) {
			b.WriteByte(' ')
		}
		inRun, runBreak, runHard = false, false, false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// rdBlockLine is the line of the first visible character of s, which
// starts on line; 0 if s has none.
func rdBlockLine(s []byte, line int) int {
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		switch {
		case r == '\n' || r == rdLineMark:
			line++
		case !rdBlank(r):
			return line
		}
		s = s[n:]
	}
	return 0
}
