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
func writeJSON(w io.Writer, v any, indent bool) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeJSONRunes(buf.Bytes()))
	return err
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
	out := make([]byte, 0, len(b)+64)
	out = append(out, b[:i]...)
	for i < len(b) {
		if b[i] < 0x7f {
			out = append(out, b[i])
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case !unsafeRune(r):
			out = append(out, b[i:i+size]...)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
		default:
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
	}
	return out
}
