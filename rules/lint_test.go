package rules

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// The lint tests re-check the embedded data independently of Validate, so
// that a bug in the validator cannot hide a data problem, and add checks
// that are conventions of this data set rather than hard rules for every
// --rules DIR.

func TestLintIDs(t *testing.T) {
	db := mustEmbedded(t)
	retired := make(map[string]bool)
	for _, id := range db.RetiredIDs {
		retired[id] = true
	}
	check := func(kind string, ids []string) {
		seen := make(map[string]bool)
		for _, id := range ids {
			if !kebabRe.MatchString(id) {
				t.Errorf("%s id %q is not kebab-case", kind, id)
			}
			if seen[id] {
				t.Errorf("%s id %q is used twice", kind, id)
			}
			seen[id] = true
			if retired[id] {
				t.Errorf("%s id %q is in %s", kind, id, FileRetiredIDs)
			}
		}
	}
	var sdkIDs, vendorIDs, catIDs, apiIDs []string
	for _, s := range db.SDKs {
		sdkIDs = append(sdkIDs, s.ID)
	}
	for _, v := range db.Vendors {
		vendorIDs = append(vendorIDs, v.ID)
	}
	for _, c := range db.DataCategories {
		catIDs = append(catIDs, c.ID)
	}
	check("sdk", sdkIDs)
	check("vendor", vendorIDs)
	for _, a := range db.APIs {
		apiIDs = append(apiIDs, a.ID)
	}
	check("data category", catIDs)
	check("api", apiIDs)
}

func TestLintReferences(t *testing.T) {
	db := mustEmbedded(t)
	for _, s := range db.SDKs {
		if _, ok := db.Vendor(s.Vendor); !ok {
			t.Errorf("sdk %q: vendor %q does not exist", s.ID, s.Vendor)
		}
		if s.Parent != "" {
			if _, ok := db.SDK(s.Parent); !ok {
				t.Errorf("sdk %q: parent %q does not exist", s.ID, s.Parent)
			}
		}
		for _, a := range s.AdapterFor {
			if _, ok := db.SDK(a); !ok {
				t.Errorf("sdk %q: adapter_for %q does not exist", s.ID, a)
			}
		}
		for _, d := range s.Data {
			if _, ok := db.DataCategory(d); !ok {
				t.Errorf("sdk %q: data category %q does not exist", s.ID, d)
			}
		}
		for _, p := range s.Permissions {
			if _, ok := db.Permission(p); !ok {
				t.Errorf("sdk %q: permission %q is not in %s", s.ID, p, FilePermissions)
			}
		}
		if !slices.Contains(Categories(), s.Category) {
			t.Errorf("sdk %q: category %q is not enumerated", s.ID, s.Category)
		}
	}
	for _, p := range db.Permissions {
		for _, d := range p.Data {
			if _, ok := db.DataCategory(d); !ok {
				t.Errorf("permission %q: data category %q does not exist", p.Name, d)
			}
		}
	}
}

// nfkcClean fails unless s is non-empty, trimmed and NFKC-stable.
func nfkcClean(t *testing.T, where, s string) {
	t.Helper()
	switch {
	case s == "":
		t.Errorf("%s: empty name", where)
	case strings.TrimSpace(s) != s:
		t.Errorf("%s: %q is not trimmed", where, s)
	case norm.NFKC.String(s) != s:
		t.Errorf("%s: %q is not NFKC-stable (NFKC gives %q)", where, s, norm.NFKC.String(s))
	}
}

func TestLintNamesAreNormalised(t *testing.T) {
	db := mustEmbedded(t)
	for _, v := range db.Vendors {
		for _, n := range append(append([]string{}, v.Aliases...), v.LegalNames...) {
			nfkcClean(t, "vendor "+v.ID, n)
		}
		for _, n := range []string{v.Brand.EN, v.Brand.ZH} {
			if n != "" {
				nfkcClean(t, "vendor "+v.ID+" brand", n)
			}
		}
	}
	for _, s := range db.SDKs {
		for _, n := range s.Aliases {
			nfkcClean(t, "sdk "+s.ID+" alias", n)
		}
		for _, n := range []string{s.Name.EN, s.Name.ZH} {
			if n != "" {
				nfkcClean(t, "sdk "+s.ID+" name", n)
			}
		}
	}
	for _, p := range db.Permissions {
		for _, n := range append(append([]string{}, p.Terms.ZH...), p.Terms.EN...) {
			nfkcClean(t, "permission "+p.Name+" term", n)
		}
	}
	for _, c := range db.DataCategories {
		for _, n := range append(append([]string{}, c.Terms.ZH...), c.Terms.EN...) {
			nfkcClean(t, "data category "+c.ID+" term", n)
		}
	}
}

// TestLintNamesResolveUniquely: a policy name must not resolve to two SDKs
// or two vendors, or the policy reader could not tell which one is meant.
func TestLintNamesResolveUniquely(t *testing.T) {
	db := mustEmbedded(t)
	for key, idx := range db.sdkNames {
		if len(idx) > 1 {
			var ids []string
			for _, i := range idx {
				ids = append(ids, db.SDKs[i].ID)
			}
			t.Errorf("SDK name %q resolves to %v", key, ids)
		}
	}
	for key, idx := range db.vendorNames {
		if len(idx) > 1 {
			var ids []string
			for _, i := range idx {
				ids = append(ids, db.Vendors[i].ID)
			}
			t.Errorf("vendor name %q resolves to %v", key, ids)
		}
	}
}

// TestLintDexPrefixes re-implements the prefix rules: no umbrella vendor
// root, no prefix claimed by two SDKs, and no short prefix that another
// (non-descendant) SDK's prefix lives under.
func TestLintDexPrefixes(t *testing.T) {
	db := mustEmbedded(t)
	bareRoots := []string{"com.tencent", "com.huawei", "com.baidu", "com.alibaba", "com.google",
		"com.facebook", "com.bytedance", "com.xiaomi", "com.alipay", "com.taobao", "com.umeng",
		"com.netease", "com.sina", "com.qq", "com.android", "com.amazonaws", "com.microsoft"}
	owner := make(map[string]string)
	for _, s := range db.SDKs {
		for _, p := range s.Signatures.DexPrefixes {
			if slices.Contains(bareRoots, p) && !s.AllowRootPrefix {
				t.Errorf("sdk %q: dex prefix %q is a bare vendor root", s.ID, p)
			}
			if strings.HasSuffix(p, ".") || strings.Contains(p, "/") || strings.Contains(p, "*") {
				t.Errorf("sdk %q: dex prefix %q must be a dotted package without wildcards", s.ID, p)
			}
			if o, dup := owner[p]; dup {
				t.Errorf("dex prefix %q is claimed by both %q and %q", p, o, s.ID)
			}
			owner[p] = s.ID
		}
	}
	isAncestor := func(anc, id string) bool {
		for s, ok := db.SDK(id); ok && s.Parent != ""; s, ok = db.SDK(s.Parent) {
			if s.Parent == anc {
				return true
			}
		}
		return false
	}
	for p, o := range owner {
		if strings.Count(p, ".") > 1 {
			continue
		}
		if s, _ := db.SDK(o); s.AllowRootPrefix {
			continue
		}
		for q, other := range owner {
			if other != o && strings.HasPrefix(q, p+".") && !isAncestor(o, other) {
				t.Errorf("short prefix %q of %q also catches %q of %q", p, o, q, other)
			}
		}
	}
}

func TestLintEveryVendorHasAnSDK(t *testing.T) {
	db := mustEmbedded(t)
	// A group's parent (ByteDance) may ship nothing under its own name:
	// its companies' SDKs are its products.
	parent := map[string]bool{}
	for _, v := range db.Vendors {
		if v.Group != "" {
			parent[v.Group] = true
		}
	}
	for _, v := range db.Vendors {
		if len(db.SDKsByVendor(v.ID)) == 0 && !parent[v.ID] {
			t.Errorf("vendor %q has no SDK entry", v.ID)
		}
	}
}

func TestLintKindsAndTextOnlyEntries(t *testing.T) {
	db := mustEmbedded(t)
	for _, s := range db.SDKs {
		switch s.Kind {
		case KindSDK:
			if len(s.Data) == 0 {
				t.Errorf("sdk %q is kind sdk but lists no data categories", s.ID)
			}
		case KindLibrary:
			if len(s.Data) > 0 {
				t.Errorf("library %q lists data categories; a library handles no personal information (make it kind sdk)", s.ID)
			}
		}
		if s.Signatures.Empty() {
			if s.Confidence == ConfidenceHigh {
				t.Errorf("sdk %q has no signatures but high confidence", s.ID)
			}
			if !strings.Contains(s.Note, "Text-only") {
				t.Errorf("sdk %q has no signatures; its note must say it is a Text-only entry", s.ID)
			}
		}
		if len(s.Sources) == 0 {
			t.Errorf("sdk %q names no source", s.ID)
		}
	}
}

// TestLintAdapters: an adapter is shipped by its parent, names other SDKs,
// and none of its signatures is one of theirs, so that finding it never
// counts as finding them.
func TestLintAdapters(t *testing.T) {
	db := mustEmbedded(t)
	n := 0
	for _, s := range db.SDKs {
		if len(s.AdapterFor) == 0 {
			continue
		}
		n++
		if s.Parent == "" {
			t.Errorf("adapter %q has no parent", s.ID)
		}
		for _, a := range s.AdapterFor {
			target, ok := db.SDK(a)
			if !ok {
				continue
			}
			if a == s.Parent {
				t.Errorf("adapter %q adapts its own parent %q", s.ID, a)
			}
			for _, p := range s.Signatures.DexPrefixes {
				for _, q := range target.Signatures.DexPrefixes {
					if p == q || strings.HasPrefix(p, q+".") {
						t.Errorf("adapter %q prefix %q falls under %q of the adapted %q", s.ID, p, q, a)
					}
				}
			}
			for _, c := range s.Signatures.Components {
				if slices.Contains(target.Signatures.Components, c) {
					t.Errorf("adapter %q shares component %q with %q", s.ID, c, a)
				}
			}
		}
	}
	if n < 5 {
		t.Errorf("only %d adapter entries; want the Getui and JPush vendor-channel adapters", n)
	}
}

// TestValidateCatchesProblems feeds Validate a small broken set and checks
// that each planted problem is reported.
func TestValidateCatchesProblems(t *testing.T) {
	db := &DB{
		Version:    "2026.11.28-1",
		RetiredIDs: []string{"old-sdk"},
		DataCategories: []DataCategory{{
			ID: "imei", Name: Text{EN: "IMEI", ZH: "IMEI"}, Terms: Terms{ZH: []string{"IMEI"}, EN: []string{"IMEI"}},
			Sensitivity: SensitivityDevice, PlayDataSafety: "Device or other IDs", Note: "n",
		}},
		Permissions: []Permission{{
			Name: "android.permission.INTERNET", ProtectionLevel: "normal", AddedAPI: 1,
			Terms: Terms{ZH: []string{"网络"}, EN: []string{"internet"}}, Sensitive: Sensitivity{"no", "no"}, Note: "n",
		}},
		Vendors: []Vendor{
			{ID: "acme", Brand: Text{EN: "Acme"}, LegalNames: []string{"阿克米（北京）有限公司"}, Note: "n"},
			{ID: "other", Brand: Text{EN: "ACME"}, Note: "n"},
		},
		SDKs: []SDK{
			{ID: "Bad_ID", Name: Text{EN: "x"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "high", Note: "n"},
			{ID: "old-sdk", Name: Text{EN: "x"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "high", Note: "n"},
			{ID: "root", Name: Text{EN: "r"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "high", Note: "n",
				Signatures: Signatures{DexPrefixes: []string{"com.acme", "com.tencent"}}},
			{ID: "nested", Name: Text{EN: "n"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "high", Note: "n",
				Signatures: Signatures{DexPrefixes: []string{"com.acme.push", "com.shared"}}},
			{ID: "twin", Name: Text{EN: "t"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "high", Note: "n",
				Signatures: Signatures{DexPrefixes: []string{"com.shared"}}},
			{ID: "child", Name: Text{EN: "c"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "high", Note: "n",
				Parent: "root", Signatures: Signatures{DexPrefixes: []string{"com.acme.child"}}},
			{ID: "broken", Name: Text{EN: "b"}, Vendor: "nobody", Category: "pushes", Kind: "lib", Confidence: "sure", Note: "",
				Parent: "missing", AdapterFor: []string{"gone"}, Data: []string{"imei", "nope"},
				Permissions: []string{"android.permission.NOPE"},
				Signatures:  Signatures{DexPrefixes: []string{"com/acme"}, NativeLibs: []string{"libx"}, DexStrings: []string{"short"}}},
			{ID: "lone-adapter", Name: Text{EN: "l"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "low", Note: "n",
				AdapterFor: []string{"root"}},
			{ID: "loop-a", Name: Text{EN: "a"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "low", Note: "n", Parent: "loop-b"},
			{ID: "loop-b", Name: Text{EN: "b"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "low", Note: "n", Parent: "loop-a"},
			{ID: "dup", Name: Text{EN: " spaced"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "low", Note: "n"},
			{ID: "dup", Name: Text{EN: "d"}, Vendor: "acme", Category: "push", Kind: KindSDK, Confidence: "low", Note: "n"},
		},
	}
	db.finish()
	err := errors.Join(Validate(db)...)
	if err == nil {
		t.Fatal("Validate found nothing")
	}
	for _, want := range []string{
		`sdk "Bad_ID": id "Bad_ID" is not kebab-case`,
		`id "old-sdk" is retired`,
		`dex prefix "com.tencent" is a vendor root`,
		`dex prefix "com.acme" would also catch sdk "nested"`,
		`dex prefix "com.shared" is also claimed by sdk`,
		`vendor "nobody" not found`,
		`category "pushes"`,
		`kind "lib"`,
		`confidence "sure"`,
		`missing note`,
		`parent "missing" not found`,
		`adapter_for "gone" not found`,
		`an adapter needs a parent`,
		`data category "nope" not found`,
		`permission "android.permission.NOPE" not found`,
		`signatures.dex_prefixes entry "com/acme" is malformed`,
		`signatures.native_libs entry "libx" is malformed`,
		`signatures.dex_strings entry "short" is malformed`,
		`parent chain loops back`,
		`duplicate id`,
		`has leading or trailing white space`,
		`is not NFKC-normalised`,
		`is also a name of vendor "acme"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate did not report %q", want)
		}
	}
	if strings.Contains(err.Error(), `would also catch sdk "child"`) {
		t.Error("a child's prefix under its parent's root was reported")
	}
	for _, e := range Validate(db) {
		if !strings.HasPrefix(e.Error(), "rules: ") {
			t.Errorf("error %q lacks the rules: prefix", e)
		}
	}
}
