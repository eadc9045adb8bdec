package inventory

import (
	"strings"
	"testing"
)

func TestSoleVersionString(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"\x00junk\x003.3.1\x00more\x003.3.1\x00", "3.3.1"},
		{"3.7.1\x00", "3.7.1"},
		{"\x002.6.1.301", "2.6.1.301"},
		{"\x003.3.1\x004.0.0\x00", ""},       // two versions: whose?
		{"\x001.2.11\x00", ""},               // zlib's
		{"\x001.2.11\x005.1.0\x00", "5.1.0"}, // zlib's is not a rival
		{"\x000.0.0\x00", ""},
		{"\x001.0\x00", ""},        // two parts: too common
		{"\x00v3.3.1\x00", ""},     // not dotted numbers alone
		{"\x003.3.1a\x00", ""},     // suffix
		{"\x00123456.1.1\x00", ""}, // run too long
		{"\x00" + strings.Repeat("1.", 12) + "1\x00", ""},
		{"", ""},
	} {
		got, ok := soleVersionString([]byte(tc.in))
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("soleVersionString(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func FuzzSoleVersionString(f *testing.F) {
	f.Add([]byte("\x003.3.1\x00"))
	f.Add([]byte("\x001.2.11\x005.1.0\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, ok := soleVersionString(b)
		if ok != (v != "") || len(v) > 20 {
			t.Fatalf("soleVersionString = %q, %v", v, ok)
		}
		if ok && !isDottedNumbers([]byte(v)) {
			t.Fatalf("%q is not dotted numbers", v)
		}
	})
}
