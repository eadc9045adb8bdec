package native

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestList(t *testing.T) {
	abis, other := List([]Entry{
		{Name: "lib/arm64-v8a/libfoo.so", Size: 10},
		{Name: "lib/armeabi-v7a/libfoo.so", Size: 9},
		{Name: "lib/arm64-v8a/libbar.so", Size: 8},
		{Name: "lib/libstray.so", Size: 7},
		{Name: "assets/native/libhidden.so", Size: 6},
		{Name: "lib/x86/libversioned.so.1", Size: 5},
		{Name: "res/raw/readme.txt", Size: 4},
		{Name: "lib/arm64-v8a/", Size: 0},
	})
	wantABIs := []ABI{
		{ABI: "arm64-v8a", Libs: []Lib{{Name: "libbar.so", Path: "lib/arm64-v8a/libbar.so", Size: 8}, {Name: "libfoo.so", Path: "lib/arm64-v8a/libfoo.so", Size: 10}}},
		{ABI: "armeabi-v7a", Libs: []Lib{{Name: "libfoo.so", Path: "lib/armeabi-v7a/libfoo.so", Size: 9}}},
		{ABI: "x86", Libs: []Lib{{Name: "libversioned.so.1", Path: "lib/x86/libversioned.so.1", Size: 5}}},
	}
	wantOther := []Lib{
		{Name: "libhidden.so", Path: "assets/native/libhidden.so", Size: 6},
		{Name: "libstray.so", Path: "lib/libstray.so", Size: 7},
	}
	if diff := cmp.Diff(wantABIs, abis); diff != "" {
		t.Errorf("abis (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantOther, other); diff != "" {
		t.Errorf("elsewhere (-want +got):\n%s", diff)
	}
}
