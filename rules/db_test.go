package rules

import (
	"strings"
	"testing"
)

// SDKByDexClass looks up no more components than the deepest prefix has:
// a hostile class name of many dots costs what a short one does.
func TestSDKByDexClassBoundedByDepth(t *testing.T) {
	db, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := db.SDKByDexClass("com.igexin.sdk.PushManager"); !ok || s.ID != "getui-push" {
		t.Fatalf("getui lookup: %v %v", s, ok)
	}
	long := "com.igexin.sdk." + strings.Repeat("a.", 200000) + "X"
	allocs := testing.AllocsPerRun(3, func() {
		if s, ok := db.SDKByDexClass(long); !ok || s.ID != "getui-push" {
			t.Fatalf("deep class: %v %v", s, ok)
		}
	})
	if allocs > 2 {
		t.Errorf("lookup allocates %v times", allocs)
	}
}
