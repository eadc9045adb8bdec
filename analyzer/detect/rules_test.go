package detect

import (
	"sort"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/native"
	"github.com/sdkaudit/sdkaudit/rules"
)

const testPkg = "org.sdkaudit.test"

// instantiate turns a signature pattern into one concrete name it must
// match.
func instantiate(p string) string {
	p = strings.ReplaceAll(p, "*", "x")
	if strings.HasSuffix(p, ".") {
		p += "Probe"
	}
	return p
}

// inventoryFor builds a minimal inventory that carries every marker of s.
func inventoryFor(s rules.SDK) *inventory.Inventory {
	sig := s.Signatures
	inv := &inventory.Inventory{Manifest: &manifest.Manifest{Package: testPkg}}
	var classes []string
	for _, p := range sig.DexPrefixes {
		// Two real classes: one class under a prefix is only a trace.
		classes = append(classes, "L"+strings.ReplaceAll(p, ".", "/")+"/Probe;", "L"+strings.ReplaceAll(p, ".", "/")+"/Client;")
	}
	for _, a := range sig.Anchors {
		if g, art, ok := strings.Cut(a, ":"); ok {
			inv.VersionFiles = append(inv.VersionFiles, inventory.VersionFile{Path: "META-INF/" + g + "_" + art + ".version", Group: g, Artifact: art, Version: "1.0"})
		} else {
			classes = append(classes, "L"+strings.ReplaceAll(a, ".", "/")+";")
		}
	}
	for _, c := range sig.Components {
		name := c
		if strings.HasPrefix(name, "*") {
			name = testPkg + strings.TrimPrefix(name, "*")
		}
		name = instantiate(name)
		inv.Components = append(inv.Components, manifest.Component{Type: "service", Name: name})
		// A component's class ships with it.
		classes = append(classes, "L"+strings.ReplaceAll(name, ".", "/")+";")
	}
	inv.Dex.Files = []inventory.DexFile{{Name: "classes.dex", ClassList: classes, Strings: sig.DexStrings}}
	for _, m := range sig.MetaData {
		inv.MetaData = append(inv.MetaData, manifest.MetaData{Owner: "application", Name: m})
	}
	var libs []native.Lib
	for _, l := range sig.NativeLibs {
		n := instantiate(l)
		libs = append(libs, native.Lib{Name: n, Path: "lib/arm64-v8a/" + n})
	}
	if len(libs) > 0 {
		inv.NativeLibs = []native.ABI{{ABI: "arm64-v8a", Libs: libs}}
	}
	for _, a := range sig.Assets {
		inv.Assets = append(inv.Assets, "assets/"+instantiate(strings.TrimPrefix(a, "assets/")))
	}
	for _, p := range sig.Permissions {
		name := p
		if strings.HasPrefix(name, "*") {
			name = testPkg + strings.TrimPrefix(name, "*")
		}
		inv.DeclaredPermissions = append(inv.DeclaredPermissions, manifest.Permission{Name: instantiate(name)})
	}
	return inv
}

// related reports whether a and b are the same SDK, one an ancestor of the
// other, or siblings under one parent: family members legitimately share
// markers (a module's classes live under its kit's prefix).
func related(db *rules.DB, a, b string) bool {
	anc := func(id string) map[string]bool {
		out := map[string]bool{}
		for cur := id; cur != "" && !out[cur]; {
			out[cur] = true
			s, ok := db.SDK(cur)
			if !ok {
				break
			}
			cur = s.Parent
		}
		return out
	}
	aa, bb := anc(a), anc(b)
	for k := range aa {
		if bb[k] {
			return true
		}
	}
	return false
}

// Every SDK entry with signatures is detected from its own markers, and
// those markers point at nothing outside its family.
func TestEverySDKRuleDetectsItself(t *testing.T) {
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(db)
	tested := 0
	for _, s := range db.SDKs {
		if s.Signatures.Empty() {
			continue
		}
		tested++
		got := ix.Detect(inventoryFor(s)).SDKs
		var ids, strangers []string
		found := false
		for _, d := range got {
			ids = append(ids, d.ID)
			if d.ID == s.ID {
				found = true
				continue
			}
			if !related(db, d.ID, s.ID) {
				strangers = append(strangers, d.ID)
			}
		}
		if !found {
			t.Errorf("%s (%s): its own markers are not detected; got %v", s.ID, s.Source, ids)
		}
		if len(strangers) > 0 {
			sort.Strings(strangers)
			t.Errorf("%s (%s): its markers also detect unrelated %v", s.ID, s.Source, strangers)
		}
	}
	t.Logf("%d SDK rules with signatures tested", tested)
}
