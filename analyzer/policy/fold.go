package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// punctFold maps the CJK punctuation NFKC leaves alone onto the ASCII marks
// the segmenter and matchers look for.
var punctFold = strings.NewReplacer(
	"，", ",", "；", ";", "：", ":", "。", ".", "！", "!", "？", "?",
	"「", "\"", "」", "\"", "『", "\"", "』", "\"", "“", "\"", "”", "\"", "‘", "'", "’", "'",
	"【", "[", "】", "]", "〔", "(", "〕", ")", "《", "<", "》", ">", "〈", "<", "〉", ">",
	"～", "~", "—", "-", "–", "-", "·", "·",
)

// fold is the matching form of a piece of text: Traditional characters to
// Simplified, NFKC (full-width letters, digits and brackets to ASCII), CJK
// punctuation to ASCII, invisible characters removed, lower case, runs of
// spaces collapsed.
func fold(s string) string {
	s = toSimplified(s)
	s = norm.NFKC.String(s)
	s = punctFold.Replace(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad':
			continue
		case unicode.IsSpace(r):
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	out := strings.TrimSpace(b.String())
	if strings.Contains(out, "-sdk") {
		// "webtrends-SDK" is the Webtrends SDK: the hyphen joins a name
		// to the word SDK as a space does.
		out = strings.ReplaceAll(out, "-sdk", " sdk")
	}
	return out
}

// compact removes the spaces and joiners that names are written with or
// without (个推 SDK, Getui-Push), for matching names that contain Han.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '_' || r == '·' {
			return -1
		}
		return r
	}, s)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// isWordByte reports whether c continues an ASCII word.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// indexWord finds needle in hay at ASCII word boundaries, from offset.
func indexWord(hay, needle string, from int) int {
	for from <= len(hay)-len(needle) {
		i := strings.Index(hay[from:], needle)
		if i < 0 {
			return -1
		}
		i += from
		before := i == 0 || !isWordByte(hay[i-1])
		after := i+len(needle) == len(hay) || !isWordByte(hay[i+len(needle)]) || glued(hay[i+len(needle):])
		if before && after {
			return i
		}
		from = i + 1
	}
	return -1
}

// glued reports whether rest starts with "sdk" written onto the word
// before it (BuglySDK, ShareSDK's vendor MobSDK): the name ends there.
func glued(rest string) bool {
	return strings.HasPrefix(rest, "sdk") && (len(rest) == 3 || !isWordByte(rest[3]))
}

// indexTerm is indexWord that also accepts an English plural ("call
// logs" for "call log"), returning the match length.
func indexTerm(hay, needle string, from int) (int, int) {
	for from <= len(hay)-len(needle) {
		i := strings.Index(hay[from:], needle)
		if i < 0 {
			return -1, 0
		}
		i += from
		end := i + len(needle)
		before := i == 0 || !isWordByte(hay[i-1])
		if before {
			if end == len(hay) || !isWordByte(hay[end]) {
				return i, len(needle)
			}
			if hay[end] == 's' && (end+1 == len(hay) || !isWordByte(hay[end+1])) {
				return i, len(needle) + 1
			}
		}
		from = i + 1
	}
	return -1, 0
}

// clip shortens evidence text to a readable length at a rune boundary.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	// Walk n characters only: evidence is clipped once per match, and a
	// hostile sentence can be long.
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(s) {
			return s
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	if i >= len(s) {
		return s
	}
	return s[:i] + "…"
}
