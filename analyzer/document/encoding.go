package document

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// magicKind names the file types users hand over instead of a policy's text
// (the PDF or Word file the company published, a screenshot), so the error
// can say what to do instead of showing mojibake.
func magicKind(data []byte) string {
	has := func(p string) bool { return bytes.HasPrefix(data, []byte(p)) }
	switch {
	case has("%PDF"):
		return "PDF"
	case has("\x89PNG\r\n\x1a\n"):
		return "PNG"
	case has("\xff\xd8\xff"):
		return "JPEG"
	case has("GIF87a"), has("GIF89a"):
		return "GIF"
	case has("RIFF") && len(data) >= 12 && string(data[8:12]) == "WEBP":
		return "WebP"
	case has("PK\x03\x04"), has("PK\x05\x06"):
		switch {
		case bytes.Contains(data, []byte("word/document.xml")):
			return "DOCX"
		case bytes.Contains(data, []byte("xl/workbook")):
			return "XLSX"
		case bytes.Contains(data, []byte("ppt/presentation")):
			return "PPTX"
		}
		return "ZIP"
	case has("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
		return "Microsoft Office (DOC/XLS)"
	case has("{\\rtf"):
		return "RTF"
	case has("\x1f\x8b"):
		return "gzip"
	}
	return ""
}

// decode turns the bytes into UTF-8 text and settles the format, which
// decides how an undeclared encoding is found. The error is ErrBinary or
// a decoder failure.
func decode(data []byte, format string) (text, enc, fmtName string, err error) {
	sniff := func(b []byte) string {
		if format != "" {
			return format
		}
		return sniffFormat(b)
	}
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		body := data[3:]
		return string(body), "utf-8", sniff(body), nil
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		return fromUTF16(data[2:], true, sniff)
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		return fromUTF16(data[2:], false, sniff)
	}
	if le, ok := guessUTF16(data); ok {
		return fromUTF16(data, le, sniff)
	}
	if looksBinary(data) {
		return "", "", "", ErrBinary
	}
	format = sniff(data)
	if utf8.Valid(data) {
		return string(data), "utf-8", format, nil
	}
	if format == "html" {
		if e, name := charset.Lookup(metaCharset(data)); e != nil {
			switch name {
			case "gbk", "gb18030":
				// GB2312 and GBK pages often use characters only GB18030
				// has; it is a superset, so decoding as it loses nothing.
				return decodeGB18030(data), "gb18030", format, nil
			case "utf-8", "utf-16le", "utf-16be", "replacement", "x-user-defined":
				// A UTF declaration on bytes that are not UTF is wrong
				// (often a GBK page with a template's meta tag): guess.
			default:
				out, derr := e.NewDecoder().Bytes(data)
				if derr != nil {
					return "", "", "", derr
				}
				return string(out), name, format, nil
			}
		}
	}
	if looksGB(data) {
		return decodeGB18030(data), "gb18030", format, nil
	}
	out, derr := charmap.Windows1252.NewDecoder().Bytes(data)
	if derr != nil {
		return "", "", "", derr
	}
	return string(out), "windows-1252", format, nil
}

func fromUTF16(b []byte, le bool, sniff func([]byte) string) (text, enc, format string, err error) {
	text = decodeUTF16(b, le)
	if looksBinary([]byte(text[:min(len(text), 64<<10)])) {
		return "", "", "", ErrBinary
	}
	enc = "utf-16be"
	if le {
		enc = "utf-16le"
	}
	return text, enc, sniff([]byte(text[:min(len(text), 64<<10)])), nil
}

// decodeUTF16 decodes UTF-16 whose byte-order mark, if any, is already
// gone, with U+FFFD for broken surrogates and an odd trailing byte, as a
// text editor shows them.
func decodeUTF16(b []byte, le bool) string {
	order := unicode.BigEndian
	if le {
		order = unicode.LittleEndian
	}
	// The decoder writes U+FFFD for whatever it cannot decode and never
	// fails on its own input, so the error is not one a caller can act on.
	out, _ := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder().Bytes(b)
	return string(out)
}

// guessUTF16 spots UTF-16 saved without a byte-order mark (Windows
// Notepad's "Unicode" can be): mostly-ASCII text then has a NUL in every
// other byte, on one side only.
func guessUTF16(data []byte) (le, ok bool) {
	n := min(len(data), 4096) &^ 1
	if n < 4 {
		return false, false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*3 && even*50 <= pairs:
		return true, true
	case even*10 >= pairs*3 && odd*50 <= pairs:
		return false, true
	}
	return false, false
}

// looksBinary reports data with many NULs or control characters, which no
// text encoding a policy uses produces.
func looksBinary(data []byte) bool {
	sample := data[:min(len(data), 64<<10)]
	nul, ctrl := 0, 0
	for _, c := range sample {
		switch {
		case c == 0:
			nul++
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b:
			ctrl++
		}
	}
	return nul*64 > len(sample) || (nul+ctrl)*10 > len(sample)
}

// looksGB tells GBK/GB18030 Chinese from Latin-1 text: Chinese is pairs
// of high bytes (GB2312's characters are all 0xA1-0xFE twice), Latin-1
// has single accented letters between ASCII.
func looksGB(data []byte) bool {
	pairs, single := 0, 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < 0x81 || c == 0xff {
			if c >= 0x80 {
				single++
			}
			continue
		}
		if i+1 < len(data) && data[i+1] >= 0x40 && data[i+1] != 0x7f && data[i+1] != 0xff {
			if data[i+1] >= 0xa1 {
				pairs++
			}
			i++
			continue
		}
		single++
	}
	return pairs > 0 && pairs >= 2*single
}

func decodeGB18030(data []byte) string {
	// The GB18030 decoder substitutes U+FFFD for invalid bytes and never
	// fails on them.
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

var xmlEncoding = regexp.MustCompile(`(?i)^<\?xml[^>]*\bencoding\s*=\s*["']?([A-Za-z0-9._:-]+)`)

// metaCharset finds the charset an HTML page declares. It reads further
// than the 1024 bytes browsers do, because Word's exported <html> element
// carries a dozen namespace declarations before the meta tag.
func metaCharset(data []byte) string {
	data = data[:min(len(data), 64<<10)]
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.CommentToken:
			if m := xmlEncoding.FindSubmatch(z.Raw()); m != nil {
				return string(m[1])
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "meta" || !hasAttr {
				continue
			}
			var cs, equiv, content string
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "charset":
					cs = string(v)
				case "http-equiv":
					equiv = string(v)
				case "content":
					content = string(v)
				}
			}
			if strings.TrimSpace(cs) != "" {
				return cs
			}
			if strings.EqualFold(strings.TrimSpace(equiv), "content-type") {
				if cs := contentCharset(content); cs != "" {
					return cs
				}
			}
		}
	}
}

// contentCharset extracts the charset of a Content-Type value the way
// browsers do, tolerating the quotes and spaces found in real pages.
func contentCharset(content string) string {
	// ASCII lower case keeps byte offsets the same in both strings, which
	// strings.ToLower does not for invalid UTF-8.
	lower := []byte(content)
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + 'a' - 'A'
		}
	}
	for from := 0; ; {
		i := bytes.Index(lower[from:], []byte("charset"))
		if i < 0 {
			return ""
		}
		rest := strings.TrimLeft(content[from+i+len("charset"):], " \t\n")
		from += i + len("charset")
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\n")
		if rest == "" {
			return ""
		}
		if q := rest[0]; q == '"' || q == '\'' {
			if j := strings.IndexByte(rest[1:], q); j >= 0 {
				return rest[1 : 1+j]
			}
			return ""
		}
		if j := strings.IndexAny(rest, " \t\n;"); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
}
