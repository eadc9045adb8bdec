package dex

import "unicode/utf8"

// DEX strings are Modified UTF-8 (MUTF-8): UTF-8 restricted to one-, two-
// and three-byte forms, where U+0000 is written as C0 80 (so a raw 00 can
// terminate the string) and a supplementary character is written as its two
// UTF-16 surrogates, each encoded separately in three bytes.
//
// The decoder accepts what ART's verifier accepts and maps everything else
// to U+FFFD rather than failing: a single odd string (obfuscators like them)
// should not hide a whole file from an audit. Overlong forms other than
// C0 80 count as invalid, as they do in the verifier, so a crafted
// descriptor cannot spell "/" two ways. Four-byte UTF-8 sequences are not
// MUTF-8 and are invalid too.

const (
	surrHigh = 0xd800
	surrLow  = 0xdc00
	surrEnd  = 0xe000
)

// decodeUnit decodes one UTF-16 code unit from s (which is non-empty and
// starts with a byte >= 0x80). ok is false for an invalid sequence, in which
// case n is how many bytes to skip.
func decodeUnit(s []byte) (u rune, n int, ok bool) {
	c := s[0]
	switch {
	case c&0xe0 == 0xc0:
		if len(s) < 2 || s[1]&0xc0 != 0x80 {
			return 0, 1, false
		}
		u = rune(c&0x1f)<<6 | rune(s[1]&0x3f)
		if u != 0 && u < 0x80 {
			return 0, 2, false
		}
		return u, 2, true
	case c&0xf0 == 0xe0:
		if len(s) < 3 || s[1]&0xc0 != 0x80 || s[2]&0xc0 != 0x80 {
			return 0, 1, false
		}
		u = rune(c&0x0f)<<12 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f)
		if u < 0x800 {
			return 0, 3, false
		}
		return u, 3, true
	}
	return 0, 1, false
}

// appendMUTF8 appends the UTF-8 form of the MUTF-8 bytes s to dst. s must
// not contain the terminating NUL. The output is at most 3*len(s) bytes (the
// worst case is a lone invalid byte becoming U+FFFD), which is what lets
// callers budget for it.
func appendMUTF8(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			dst = append(dst, c)
			i++
			continue
		}
		u, n, ok := decodeUnit(s[i:])
		i += n
		if !ok {
			dst = utf8.AppendRune(dst, utf8.RuneError)
			continue
		}
		if u >= surrHigh && u < surrLow && i < len(s) && s[i] >= 0x80 {
			if lo, m, ok := decodeUnit(s[i:]); ok && lo >= surrLow && lo < surrEnd {
				i += m
				u = 0x10000 + (u-surrHigh)<<10 + (lo - surrLow)
			}
		}
		// A surrogate left unpaired here becomes U+FFFD in AppendRune.
		dst = utf8.AppendRune(dst, u)
	}
	return dst
}

// decodeMUTF8 converts MUTF-8 bytes to a Go string.
func decodeMUTF8(s []byte, ascii bool) string {
	if ascii {
		return string(s)
	}
	return string(appendMUTF8(make([]byte, 0, len(s)+len(s)/2), s))
}

// utf16Units iterates the UTF-16 code units MUTF-8 bytes stand for, so
// Validate can check sort order and utf16_size the way ART does (ART
// compares strings by code unit, under which C0 80 sorts first while its
// bytes would sort late). Invalid bytes yield themselves as units: the order
// among invalid strings only has to be consistent.
type utf16Units struct {
	s []byte
	i int
}

func (it *utf16Units) next() (rune, bool) {
	if it.i >= len(it.s) {
		return 0, false
	}
	c := it.s[it.i]
	if c < 0x80 {
		it.i++
		return rune(c), true
	}
	u, n, ok := decodeUnit(it.s[it.i:])
	if !ok {
		it.i++
		return rune(c), true
	}
	it.i += n
	return u, true
}

// compareMUTF8 orders two MUTF-8 strings by UTF-16 code unit.
func compareMUTF8(a, b []byte) int {
	x, y := utf16Units{s: a}, utf16Units{s: b}
	for {
		u, okA := x.next()
		v, okB := y.next()
		switch {
		case !okA && !okB:
			return 0
		case !okA:
			return -1
		case !okB:
			return 1
		case u != v:
			if u < v {
				return -1
			}
			return 1
		}
	}
}

// countUTF16 counts code units, for checking utf16_size.
func countUTF16(s []byte) int {
	it := utf16Units{s: s}
	n := 0
	for {
		if _, ok := it.next(); !ok {
			return n
		}
		n++
	}
}
