package callgraph

import (
	"archive/zip"
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/dex"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
)

// FuzzAnalyze builds the call summary of arbitrary DEX bytes and runs the
// analysis with every defined class as an entry of every kind: hierarchy
// cycles, self-referencing hand-offs and lying indexes must not panic, and
// every answer is one of the four values with a path only when reached.
func FuzzAnalyze(f *testing.F) {
	zr, err := zip.OpenReader(filepath.Join("..", "..", "fixtures", "apk", "startup.apk"))
	if err == nil {
		for _, e := range zr.File {
			if e.Name == "classes.dex" {
				if r, err := e.Open(); err == nil {
					b, _ := io.ReadAll(r)
					r.Close()
					f.Add(b)
				}
			}
		}
		zr.Close()
	}
	q := &dex.RefQuery{Strings: map[string][]int32{"android_id": {0}}}
	f.Fuzz(func(t *testing.T, b []byte) {
		df, err := dex.Parse(b, dex.Limits{})
		if err != nil {
			return
		}
		calls := dex.NewCalls(dex.CallLimits{})
		_, _, _ = df.ScanRefsCalls(context.Background(), q, calls, "classes.dex")
		classes, _, err := df.ClassList()
		if err != nil || len(classes) == 0 {
			return
		}
		m := &manifest.Manifest{Application: manifest.Application{Name: inventory.DottedClass(classes[0])}}
		for i, c := range classes {
			name := inventory.DottedClass(c)
			m.Components = append(m.Components,
				manifest.Component{Type: "provider", Name: name, MetaData: []manifest.MetaData{{Name: inventory.DottedClass(classes[(i+1)%len(classes)]), Value: &manifest.Value{Value: startupValue}}}},
				manifest.Component{Type: "receiver", Name: name, IntentFilters: []manifest.IntentFilter{{Actions: bootActions}}},
				manifest.Component{Type: "service", Name: name},
				manifest.Component{Type: "activity", Name: name})
		}
		inv := &inventory.Inventory{Manifest: m, Calls: calls, Dex: inventory.Dex{Files: []inventory.DexFile{{Name: "classes.dex"}}}}
		r := Analyze(inv, Options{MaxSteps: 200_000})
		for _, c := range classes {
			for _, meth := range []string{"run()V", "onCreate()V", "<init>()V", "<clinit>()V"} {
				s := r.Lookup(inventory.DottedClass(c), meth)
				switch s.Reach {
				case Startup, Reachable:
					if len(s.Path) == 0 {
						t.Fatalf("%s.%s: %s without a path", c, meth, s.Reach)
					}
				case Unknown, Unreachable:
					if len(s.Path) != 0 {
						t.Fatalf("%s.%s: %s with a path", c, meth, s.Reach)
					}
				default:
					t.Fatalf("%s.%s: reach %q", c, meth, s.Reach)
				}
			}
		}
	})
}
