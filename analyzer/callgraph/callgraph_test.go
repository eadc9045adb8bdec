package callgraph

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
)

func scanStartup(t *testing.T) *inventory.Inventory {
	t.Helper()
	// Any query will do: the call summary is recorded for every method.
	q := &inventory.CodeQuery{Refs: &dex.RefQuery{Strings: map[string][]int32{"android_id": {0}}}, Keys: []string{"s"}, Calls: true}
	inv, err := inventory.ScanFile(context.Background(), filepath.Join("..", "..", "fixtures", "apk", "startup.apk"), inventory.Options{Code: q})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Calls == nil {
		t.Fatal("no call summary")
	}
	return inv
}

const (
	imeiClass  = "com.umeng.commonsdk.statistics.common.DeviceConfig"
	imeiMethod = "getImei(Landroid/content/Context;)Ljava/lang/String;"
)

func TestLookup(t *testing.T) {
	r := Analyze(scanStartup(t), Options{})
	if !r.Stats.Complete || r.Note != "" {
		t.Fatalf("incomplete: %+v %q", r.Stats, r.Note)
	}
	s := r.Lookup(imeiClass, imeiMethod)
	if s.Reach != Startup || len(s.Path) != 4 || s.Path[0] != "com.example.startup.BaseApp.attachBaseContext(Landroid/content/Context;)V" {
		t.Fatalf("%+v", s)
	}
	for _, c := range []struct{ class, method, want string }{
		{"com.example.startup.Legacy", "readCallLog(Landroid/content/Context;)V", Unreachable},
		{"com.example.startup.PhoneCollector", "collect(Landroid/content/Context;)V", Reachable},
		{"com.example.startup.NoSuchClass", "x()V", Unknown},
		{imeiClass, "noSuchMethod()V", Unknown},
	} {
		if got := r.Lookup(c.class, c.method); got.Reach != c.want {
			t.Errorf("%s.%s: %+v, want %s", c.class, c.method, got, c.want)
		}
	}
}

// Past the work budget nothing is claimed: what was not reached is
// unknown, never unreachable.
func TestBudget(t *testing.T) {
	r := Analyze(scanStartup(t), Options{MaxSteps: 5})
	if r.Stats.Complete || r.Note == "" {
		t.Fatalf("complete under a 5-step budget: %+v", r.Stats)
	}
	if s := r.Lookup("com.example.startup.Legacy", "readCallLog(Landroid/content/Context;)V"); s.Reach != Unknown {
		t.Fatalf("dead code under an exhausted budget: %+v", s)
	}
}

// The same app gives the same paths however often it is scanned (ids in
// the summary differ with the order DEX files finish; answers must not).
func TestDeterministic(t *testing.T) {
	first := Analyze(scanStartup(t), Options{}).Lookup(imeiClass, imeiMethod)
	for range 5 {
		got := Analyze(scanStartup(t), Options{}).Lookup(imeiClass, imeiMethod)
		if got.Reach != first.Reach || len(got.Path) != len(first.Path) {
			t.Fatalf("%+v vs %+v", got, first)
		}
		for i := range got.Path {
			if got.Path[i] != first.Path[i] {
				t.Fatalf("%v vs %v", got.Path, first.Path)
			}
		}
	}
}

func TestNoSummary(t *testing.T) {
	if Analyze(&inventory.Inventory{}, Options{}) != nil {
		t.Fatal("a result without a call summary")
	}
	var r *Result
	if s := r.Lookup("a", "b()V"); s.Reach != "" {
		t.Fatalf("%+v", s)
	}
}
