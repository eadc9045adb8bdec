package dex

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testdata/statics.dex is assembled by smali from testdata/statics/*.smali:
//
//	smali assemble --jobs 1 --api 21 -o testdata/statics.dex testdata/statics
func readStatics(t testing.TB) []byte {
	b, err := os.ReadFile("testdata/statics.dex")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStaticStrings(t *testing.T) {
	f, err := Parse(readStatics(t), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.StaticStrings([]string{"VERSION_NAME", "SDK_VERSION", "VERSION", "NULLED", "TYPE", "ABSENT"}, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []StaticString{
		{Class: "Lcom/acme/sdk/BuildConfig;", Field: "VERSION_NAME", Value: "1.2.3"},
		{Class: "Lcom/acme/sdk/SdkVersion;", Field: "SDK_VERSION", Value: "4.5.6.lite"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("StaticStrings (-want +got):\n%s", d)
	}
	if got, _ := f.StaticStrings([]string{"VERSION_NAME", "SDK_VERSION"}, 1); len(got) != 1 {
		t.Errorf("max 1 gave %d values", len(got))
	}
	if got, _ := f.StaticStrings([]string{"NOT_THERE"}, 100); got != nil {
		t.Errorf("absent name gave %v", got)
	}
}

func TestHasString(t *testing.T) {
	f, err := Parse(readStatics(t), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range map[string]bool{"VERSION_NAME": true, "4.5.6.lite": true, "Lcom/acme/sdk/BuildConfig;": true,
		"VERSION_NAM": false, "VERSION_NAMES": false, "": false, "zzzz": false} {
		if got := f.HasString(s); got != want {
			t.Errorf("HasString(%q) = %v", s, got)
		}
	}
}

// Every single-byte corruption of the file either parses with values
// (possibly different) or fails; none panics.
func TestStaticStringsCorrupt(t *testing.T) {
	b := readStatics(t)
	for i := 0x70; i < len(b); i++ {
		for _, v := range []byte{0x00, 0x1c, 0x1d, 0x7f, 0xff} {
			c := append([]byte(nil), b...)
			c[i] = v
			f, err := Parse(c, Limits{})
			if err != nil {
				continue
			}
			f.StaticStrings([]string{"VERSION_NAME", "SDK_VERSION"}, 100)
		}
	}
}

func FuzzStaticStrings(f *testing.F) {
	f.Add(readStatics(f))
	for _, b := range seedFiles() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Parse(b, Limits{})
		if err != nil {
			return
		}
		out, _ := file.StaticStrings([]string{"VERSION_NAME", "SDK_VERSION", "VERSION"}, 64)
		if len(out) > 64 {
			t.Fatalf("%d values, max 64", len(out))
		}
	})
}
