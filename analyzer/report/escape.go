package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Every string from an APK, a policy, a rule file or a waiver file is
// hostile until escaped: people read the table in a terminal, the Markdown
// in a pull request and the SARIF in a code-scanning viewer. Each output
// has its own escaper here, and no encoder prints such text without one.

// maxText bounds each piece of outside text a human-facing report prints,
// so that a 100 000-character meta-data value cannot bury the report.
const maxText = 512

// truncMarker ends text cut at maxText, so the cut is visible.
const truncMarker = "…[truncated]"

// unsafeRune reports runes that do more than show a character: C0 and C1
// controls and DEL (a terminal escape sequence starts with ESC, or with
// the C1 CSI on terminals that read 8-bit controls), the line and
// paragraph separators, and format characters, above all the bidi
// embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that
// make text display in another order than it reads. The zero-width joiner
// is kept: it only joins emoji and Indic clusters.
func unsafeRune(r rune) bool {
	switch {
	case r == '\u200d':
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f, r == '\u2028', r == '\u2029':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return r > 0x9f && unicode.Is(unicode.Cf, r)
}

// maxLine bounds one line of standard error, which holds the messages
// sdkaudit composes around outside text (file names, YAML keys, waiver
// subjects): room for several such pieces, but no screenful.
const maxLine = 2048

// Clean makes text taken from an APK safe for a terminal: unsafe runes
// (ANSI escapes included) and bytes that are not UTF-8 are shown escaped,
// and strings longer than maxText runes are cut with a marker.
func Clean(s string) string { return clean(s, maxText) }

// CleanLine is Clean for a whole message line on its way to standard
// error: escaped the same way, so a newline, an ESC or an OSC sequence in a
// file name or a waiver arrives as visible text on the same line, and cut
// at maxLine runes instead of maxText.
func CleanLine(s string) string { return clean(s, maxLine) }

func clean(s string, limit int) string {
	if plainASCII(s, limit) {
		return s
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		if n >= limit {
			b.WriteString(truncMarker)
			break
		}
		n++
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case unsafeRune(r) && r > 0xffff:
			fmt.Fprintf(&b, "\\U%08x", r)
		case unsafeRune(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// plainASCII is Clean's fast path: short printable ASCII needs nothing.
func plainASCII(s string, limit int) bool {
	if len(s) > limit {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// mdEscaper backslash-escapes what Markdown would read as syntax: the pipe
// that splits a table cell, emphasis, strikethrough, code, link brackets,
// headings, and the backslash itself (otherwise "\*" from an APK would
// arrive as an escaped backslash followed by live emphasis). HTML brackets
// and the ampersand become entities, so no tag or entity survives.
var mdEscaper = strings.NewReplacer(
	"\\", "\\\\", "|", "\\|", "*", "\\*", "_", "\\_", "~", "\\~", "`", "\\`",
	"[", "\\[", "]", "\\]", "#", "\\#", "<", "&lt;", ">", "&gt;", "&", "&amp;",
)

// md escapes text from the APK or the policy for Markdown inline content:
// a table cell or the rest of a line. Clean has already turned line breaks
// into visible escapes, so the text stays on its line.
func md(s string) string { return mdEscaper.Replace(Clean(s)) }

// mdItem is md for text that starts a line, such as a list item's: there a
// leading "-", "+" or "1." would open a nested list and leading spaces an
// indented code block.
func mdItem(s string) string {
	e := md(strings.TrimLeft(s, " "))
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

// mdCode shows a file path as a code span, which reads best, when the
// path can be one. A code span takes no backslash escapes, so text with a
// backtick, a pipe (which would still split a table cell), a backslash or
// HTML brackets (harmless in a span but raw in the source) is written as
// escaped text instead.
func mdCode(s string) string {
	c := Clean(s)
	if c == "" || strings.ContainsAny(c, "`|\\<>") {
		return mdEscaper.Replace(c)
	}
	return "`" + c + "`"
}

// sarifEscaper: SARIF 2.1.0 §3.11.6 reads "[text](target)" in a plain
// text message as an embedded link, so literal brackets, and the backslash
// that escapes them, are written escaped.
var sarifEscaper = strings.NewReplacer("\\", "\\\\", "[", "\\[", "]", "\\]")

// sarifMessage is a result or notification message built from outside
// text: cleaned and cut like the table's, with no embedded links.
func sarifMessage(s string) sarifText {
	return sarifText{Text: sarifEscaper.Replace(Clean(s))}
}

// cleanAll cleans each string of a list, keeping nil an empty list.
func cleanAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Clean(s)
	}
	return out
}

// writeJSON encodes v with encoding/json (HTML characters left as they
// are, so the text reads naturally) and then writes the runes unsafeRune
// names as \u escapes. The decoded text is unchanged, full length, but no
// bidi override, DEL or C1 control reaches a terminal or an editor raw
// from the file: encoding/json escapes C0 controls and U+2028/U+2029 only.
//
// encoding/json builds each value whole before writing it, so the escapes
// are written piece by piece (escapeWriter) rather than into a second copy
// of the document, and batch documents are written one app at a time
// (writeDocWithList).
func writeJSON(w io.Writer, v any, indent bool) error {
	enc, ew := newJSONEncoder(w, "", indent, false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return ew.err
}

// newJSONEncoder returns an encoder writing through an escapeWriter, with
// a prefix for every line after the first and, when trim is set, without
// the newline json.Encoder ends a value with. One encoder reused for many
// values reuses its indentation buffer.
func newJSONEncoder(w io.Writer, prefix string, indent, trim bool) (*json.Encoder, *escapeWriter) {
	ew := &escapeWriter{w: w}
	var out io.Writer = ew
	if trim {
		// json.Encoder hands over each value in one Write, so the last
		// byte of that call is the value's newline.
		out = &trimNewline{w: ew}
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent(prefix, "  ")
	}
	return enc, ew
}

// escapeWriter passes encoding/json output to w with escapeJSONRunes
// applied, a bounded piece at a time.
type escapeWriter struct {
	w   io.Writer
	err error
	buf []byte
}

const escapeChunk = 64 << 10

func (e *escapeWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 && e.err == nil {
		cut := min(len(b), escapeChunk)
		// Never split a UTF-8 sequence: back up over continuation bytes.
		for cut < len(b) && cut > 0 && b[cut]&0xc0 == 0x80 {
			cut--
		}
		if cut == 0 {
			cut = min(len(b), escapeChunk)
		}
		e.buf = appendEscapedJSON(e.buf[:0], b[:cut])
		_, e.err = e.w.Write(e.buf)
		b = b[cut:]
	}
	return n, e.err
}

// writeDocWithList writes doc as writeJSON(w, doc, true) would, where doc's
// top-level key holds an empty list and items are what it should hold:
// each item is encoded and written on its own, so a batch document costs
// the memory of its largest app, not of all of them. The key's
// "\n  \"key\": []" line is unique in the output, since strings carry
// newlines escaped and only top-level keys sit two spaces in.
func writeDocWithList[T any](w io.Writer, doc any, key string, items []T) error {
	var head bytes.Buffer
	if err := writeJSON(&head, doc, true); err != nil {
		return err
	}
	marker := []byte("\n  \"" + key + "\": []")
	i := bytes.Index(head.Bytes(), marker)
	if i < 0 || len(items) == 0 {
		_, err := w.Write(head.Bytes())
		return err
	}
	open := i + len(marker) - 1 // at the closing bracket
	if _, err := w.Write(head.Bytes()[:open]); err != nil {
		return err
	}
	enc, ew := newJSONEncoder(w, "    ", true, true)
	for k, it := range items {
		sep := ",\n    "
		if k == 0 {
			sep = "\n    "
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		if err := enc.Encode(it); err != nil {
			return err
		}
		if ew.err != nil {
			return ew.err
		}
	}
	if _, err := io.WriteString(w, "\n  "); err != nil {
		return err
	}
	_, err := w.Write(head.Bytes()[open:])
	return err
}

// trimNewline drops the newline json.Encoder ends a value with, which
// inside a list is not where the value's line ends.
type trimNewline struct{ w io.Writer }

func (t *trimNewline) Write(b []byte) (int, error) {
	n := len(b)
	if len(b) > 0 && b[len(b)-1] == '\n' {
		b = b[:len(b)-1]
	}
	_, err := t.w.Write(b)
	return n, err
}

// escapeJSONRunes rewrites unsafe runes in encoding/json output as \u
// escapes. Outside ASCII, encoding/json output only holds runes inside
// strings, where an escape is always valid and decodes to the same rune.
func escapeJSONRunes(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < 0x7f {
		i++
	}
	if i == len(b) {
		return b
	}
	return appendEscapedJSON(make([]byte, 0, len(b)+64), b)
}

// appendEscapedJSON appends b to dst with unsafe runes escaped.
func appendEscapedJSON(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		start := i
		for i < len(b) && b[i] < 0x7f {
			i++
		}
		dst = append(dst, b[start:i]...)
		if i == len(b) {
			break
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case !unsafeRune(r):
			dst = append(dst, b[i:i+size]...)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			dst = appendU(appendU(dst, r1), r2)
		default:
			dst = appendU(dst, r)
		}
		i += size
	}
	return dst
}

// appendU appends \uXXXX for a rune of the basic plane.
func appendU(dst []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}
