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
	// Read): the blocks holding such text as they would read with
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
	// Header marks a table header row: see Read for the rule.
	Header bool
	// Hidden, in a block of Document.Hidden, says why some of its text
	// is not rendered ("display:none"); empty for context blocks.
	Hidden string
}

// The errors Read wraps, for callers that tell a wrong input from a
// broken one; the wrapping error names the file.
var (
	ErrEmpty   = errors.New("document: document is empty")
	ErrBinary  = errors.New("document: binary data, not a text document")
	ErrNotText = errors.New("document: not a text document")
)

// Defaults of Limits.
const (
	defaultMaxBytes = 32 << 20
	defaultMaxNodes = 500000
	defaultMaxDepth = 256
	defaultMaxCells = 200000
)

// readError names the file in front of the message so a user with several
// policy files knows which one failed, while errors.Is still finds the
// sentinel.
type readError struct {
	name string
	msg  string // without the "document: " prefix
	err  error
}

func (e *readError) Error() string {
	if e.name == "" {
		return "document: " + e.msg
	}
	return "document: " + e.name + ": " + e.msg
}

func (e *readError) Unwrap() error { return e.err }

func wrapSentinel(name string, sentinel error) error {
	return &readError{name: name, msg: strings.TrimPrefix(sentinel.Error(), "document: "), err: sentinel}
}

func readErrorf(name, format string, args ...any) error {
	return &readError{name: name, msg: fmt.Sprintf(format, args...)}
}

// Read turns the bytes of a policy into blocks.
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
func Read(name string, data []byte, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxBytes {
		return nil, readErrorf(name, "%d bytes, larger than the %d-byte limit", len(data), lim.MaxBytes)
	}
	if kind := magicKind(data); kind != "" {
		return nil, &readError{name: name, msg: kind + " file, not a text document", err: ErrNotText}
	}
	format := formatByExt(name)
	text, enc, format, err := decode(data, format)
	if err != nil {
		if err == ErrBinary {
			return nil, wrapSentinel(name, ErrBinary)
		}
		return nil, readErrorf(name, "%v", err)
	}
	text = sanitize(text)
	if strings.IndexFunc(text, func(r rune) bool { return !isBlank(r) }) < 0 {
		return nil, wrapSentinel(name, ErrEmpty)
	}
	doc := &Document{Name: name, Format: format, Encoding: enc}
	switch format {
	case "html":
		doc.Blocks, doc.Hidden, err = readHTML(text, lim)
	case "markdown":
		doc.Blocks, doc.Hidden, err = markdownReader(text, lim)
	default:
		doc.Blocks, err = readText(text, lim)
	}
	if err != nil {
		return nil, readErrorf(name, "%v", err)
	}
	if len(doc.Blocks) == 0 && len(doc.Hidden) == 0 {
		// Markup with no text outside scripts (a page that renders with
		// JavaScript, saved from a browser) cannot be audited either.
		return nil, wrapSentinel(name, ErrEmpty)
	}
	return doc, nil
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = defaultMaxBytes
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = defaultMaxNodes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = defaultMaxDepth
	}
	if l.MaxCells <= 0 {
		l.MaxCells = defaultMaxCells
	}
	return l
}

// formatByExt trusts the extension the user gave over the content,
// which can mislead (a Markdown file may start with an HTML <div>).
func formatByExt(name string) string {
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
	// strongHTML can only be HTML: a document element or a doctype.
	strongHTML = regexp.MustCompile(`(?i)<(?:!doctype\s+html|html|head|body)[\s>/]`)
	// leadTag is a document that starts with one of the common tags.
	leadTag = regexp.MustCompile(`(?i)^\s*<(?:p|div|table|span|meta|h[1-6]|ul|ol|section|article|br|font|style|title|!--)[\s>/]`)
	// weakHTML is a tag that Markdown also allows, so it decides only
	// when nothing says Markdown.
	weakHTML   = regexp.MustCompile(`(?i)<(?:p|div|table)[\s>/]`)
	mdHeading  = regexp.MustCompile(`(?m)^ {0,3}#{1,6}[ \t]+\S`)
	mdDelim    = regexp.MustCompile(`^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	mdList     = regexp.MustCompile(`(?m)^[ \t]*[-*+][ \t]+\S`)
	mdEmphasis = regexp.MustCompile(`\*\*\S|__\S|\S\*\*|\[[^\]\n]+\]\([^)\s]+\)`)
)

// sniffFormat looks at the start of a document whose extension said
// nothing. It works on raw bytes: the tags and marks it looks for are ASCII
// in every encoding a policy comes in once UTF-16 is decoded.
func sniffFormat(data []byte) string {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	if strongHTML.Match(head) || leadTag.Match(head) {
		return "html"
	}
	sample := data
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	if mdHeading.Match(sample) || (mdList.Match(sample) && mdEmphasis.Match(sample)) {
		return "markdown"
	}
	for _, line := range bytes.Split(sample, []byte("\n")) {
		if bytes.IndexByte(line, '|') >= 0 && bytes.IndexByte(line, '-') >= 0 && mdDelim.Match(bytes.TrimRight(line, "\r")) {
			return "markdown"
		}
	}
	if weakHTML.Match(head) {
		return "html"
	}
	return "text"
}

// sanitize makes line ends uniform, so one rule counts lines in every
// format, and drops control characters, which no policy means to contain
// (and which frees \x01 to mark a line break inside HTML markup).
func sanitize(s string) string {
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

// isZeroWidth characters are invisible and split words for matching.
func isZeroWidth(r rune) bool {
	return r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff'
}

// isBlank is whitespace or invisible: text made only of it says nothing.
func isBlank(r rune) bool {
	return unicode.IsSpace(r) || isZeroWidth(r) || r == lineMark
}

// lineMark stands in the HTML reader's text for a source line break that
// is not whitespace (one inside a comment between two pieces of text), so
// line numbers stay right without adding a space.
const lineMark = '\x01'

// isWide reports characters that CSS puts no space between when a line
// break separates them: wide East Asian characters other than Hangul,
// which uses spaces between words.
func isWide(r rune) bool {
	if r < 0x1100 || unicode.Is(unicode.Hangul, r) {
		return false
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianHalfwidth:
		return true
	}
	return false
}

// collapseSpace is the one text normaliser of every format: zero-width
// and control characters removed, whitespace runs (NBSP and U+3000 included) made one
// space and trimmed, and a run of plain spaces with a line break between
// two CJK characters removed, because that break is source wrapping, not
// a word boundary (每日\n互动 is 每日互动).
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune // last rune written, 0 at the start
	inRun, runBreak, runHard := false, false, false
	for _, r := range s {
		switch {
		case isZeroWidth(r) || r == lineMark:
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
		if inRun && prev != 0 && !(runBreak && !runHard && isWide(prev) && isWide(r)) {
			b.WriteByte(' ')
		}
		inRun, runBreak, runHard = false, false, false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// blockLine is the line of the first visible character of s, which
// starts on line; 0 if s has none.
func blockLine(s []byte, line int) int {
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		switch {
		case r == '\n' || r == lineMark:
			line++
		case !isBlank(r):
			return line
		}
		s = s[n:]
	}
	return 0
}
