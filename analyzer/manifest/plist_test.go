package manifest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/internal/iosgen"
)

func TestParsePlistBothFormats(t *testing.T) {
	v := map[string]any{"CFBundleIdentifier": "com.example.a", "UIBackgroundModes": []string{"audio", "location"}, "Flag": true,
		"CFBundleURLTypes": []any{map[string]any{"CFBundleURLSchemes": []string{"wx1"}}}}
	for _, binary := range []bool{false, true} {
		m, err := ParsePlist(iosgen.Plist(v, binary))
		if err != nil {
			t.Fatal(err)
		}
		if PlistString(m, "CFBundleIdentifier") != "com.example.a" || !PlistBool(m, "Flag") ||
			!cmp.Equal(PlistStrings(m, "UIBackgroundModes"), []string{"audio", "location"}) ||
			len(PlistDicts(m, "CFBundleURLTypes")) != 1 {
			t.Errorf("binary=%v: %v", binary, m)
		}
	}
}

// bplist builds a bplist00 from encoded objects (refs and offsets one
// byte wide), the top object last.
func bplist(objs ...[]byte) []byte {
	b := []byte("bplist00")
	var offs []byte
	for _, o := range objs {
		offs = append(offs, byte(len(b)))
		b = append(b, o...)
	}
	table := len(b)
	b = append(b, offs...)
	tr := make([]byte, 32)
	tr[6], tr[7] = 1, 1
	tr[15] = byte(len(objs))
	tr[23] = byte(len(objs) - 1)
	tr[31] = byte(table)
	return append(b, tr...)
}

func TestParsePlistHostileGraphs(t *testing.T) {
	for name, c := range map[string]struct {
		b    []byte
		want error
	}{
		// {"k": array 1}, array 1 holding itself.
		"cycle":       {bplist([]byte{0x51, 'k'}, []byte{0xa1, 1}, []byte{0xd1, 0, 1}), ErrPlistGraph},
		"bad ref":     {bplist([]byte{0x51, 'k'}, []byte{0xd1, 0, 9}), ErrPlistGraph},
		"array top":   {bplist([]byte{0xa0}), ErrPlistShape},
		"long count":  {bplist([]byte{0xaf, 0x10, 0xff}), ErrPlistGraph},
		"not a plist": {[]byte("hello"), nil},
	} {
		_, err := ParsePlist(c.b)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	// Shared subtrees are fine while the tree they stand for is small.
	m, err := ParsePlist(bplist([]byte{0x51, 'k'}, []byte{0x51, 'v'}, []byte{0xa2, 1, 1}, []byte{0xd1, 0, 2}))
	if err != nil || !cmp.Equal(PlistStrings(m, "k"), []string{"v", "v"}) {
		t.Errorf("shared: %v %v", m, err)
	}
}
