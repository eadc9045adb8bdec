package dataaccess

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
	"github.com/sdkaudit/sdkaudit/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

func embedded(t testing.TB) *rules.DB {
	t.Helper()
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func scanFixture(t testing.TB, ix *Index, name string, opts Options) *Result {
	t.Helper()
	inv, err := inventory.ScanFile(context.Background(), filepath.Join("..", "..", "fixtures", "apk", name), inventory.Options{Code: ix.Query()})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != inventory.StatusComplete {
		t.Fatalf("%s: %s: %+v", name, inv.Status, inv.Errors)
	}
	return ix.Analyze(inv, opts)
}

// answerKey is fixtures/src/dataaccess/expected-access.yaml, written by hand
// from the smali sources.
type answerKey struct {
	Sites []struct {
		Class  string   `yaml:"class"`
		Method string   `yaml:"method"`
		Ref    string   `yaml:"ref"`
		Kind   string   `yaml:"kind"`
		Owner  string   `yaml:"owner"`
		Data   []string `yaml:"data"`
	} `yaml:"sites"`
	Decoys []struct {
		Class  string `yaml:"class"`
		Method string `yaml:"method"`
		Ref    string `yaml:"ref"`
		Why    string `yaml:"why"`
	} `yaml:"decoys"`
}

func loadKey(t testing.TB) answerKey {
	b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "src", "dataaccess", "expected-access.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k answerKey
	if err := yaml.UnmarshalWithOptions(b, &k, yaml.DisallowUnknownField()); err != nil {
		t.Fatal(err)
	}
	return k
}

// observation is one (owner, category, class, method, reference) the scan
// reports or the key expects.
type observation struct{ Owner, Data, Class, Method, Ref string }

// refMatches reports whether a rule's reference covers the key's: equal,
// or the key's literal string under a prefix rule.
func refMatches(rule *rules.API, ref string) bool {
	if p, ok := strings.CutSuffix(rule.Ref, "*"); ok && rule.Kind == rules.APIString {
		return strings.HasPrefix(ref, p)
	}
	return rule.Ref == ref
}

// TestFixtureAnswerKey checks dataaccess.apk against its hand-written key:
// every listed call site attributed to the right owner and category,
// nothing else reported (no invented category, no decoy).
func TestFixtureAnswerKey(t *testing.T) {
	db := embedded(t)
	ix := NewIndex(db)
	res := scanFixture(t, ix, "dataaccess.apk", Options{MaxSites: 1000})
	key := loadKey(t)

	var got []observation
	for _, o := range res.Owners {
		for _, c := range o.Categories {
			if len(c.CallSites) != c.SitesTotal {
				t.Fatalf("%s/%s: %d of %d sites listed", o.ID, c.ID, len(c.CallSites), c.SitesTotal)
			}
			for _, s := range c.CallSites {
				got = append(got, observation{o.ID, c.ID, s.Class, methodName(s.Method), s.API})
			}
		}
	}
	// Resolve the key's references to rule ids through the rules, so the
	// key stays independent of rule ids.
	var want []observation
	for _, s := range key.Sites {
		var ids []string
		for i := range db.APIs {
			a := &db.APIs[i]
			if a.Kind == s.Kind && refMatches(a, s.Ref) {
				ids = append(ids, a.ID)
			}
		}
		if len(ids) == 0 {
			t.Errorf("no API rule covers the key's %s %s", s.Kind, s.Ref)
			continue
		}
		for _, id := range ids {
			for _, d := range s.Data {
				want = append(want, observation{s.Owner, d, s.Class, s.Method, id})
			}
		}
	}
	less := func(a, b observation) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) }
	slices.SortFunc(got, less)
	slices.SortFunc(want, less)
	got, want = slices.Compact(got), slices.Compact(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("data access (-key +scan):\n%s", diff)
	}
	for _, d := range key.Decoys {
		for _, g := range got {
			if g.Class == d.Class && g.Method == d.Method {
				t.Errorf("decoy %s.%s reported as %+v (%s)", d.Class, d.Method, g, d.Why)
			}
		}
	}
}

func methodName(m string) string {
	if i := strings.IndexByte(m, '('); i >= 0 {
		return m[:i]
	}
	return m
}

// TestFixtureGolden pins the whole result (owners, APIs, restrictions,
// permissions, call-site caps) for dataaccess.apk.
func TestFixtureGolden(t *testing.T) {
	ix := NewIndex(embedded(t))
	res := scanFixture(t, ix, "dataaccess.apk", Options{MaxSites: 2})
	got, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "dataaccess.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("golden mismatch (-want +got):\n%s", diff)
	}
	again, _ := json.MarshalIndent(scanFixture(t, ix, "dataaccess.apk", Options{MaxSites: 2}), "", "  ")
	if !bytes.Equal(again, got[:len(got)-1]) {
		t.Error("two runs differ")
	}
}

// Fixtures without sensitive calls report nothing, and a scan without a
// code query gives no result rather than an empty one.
func TestNoAccessAndNoScan(t *testing.T) {
	ix := NewIndex(embedded(t))
	res := scanFixture(t, ix, "minimal.apk", Options{})
	if res == nil || len(res.Owners) != 0 {
		t.Errorf("minimal.apk: %+v", res)
	}
	inv, err := inventory.ScanFile(context.Background(), filepath.Join("..", "..", "fixtures", "apk", "minimal.apk"), inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := ix.Analyze(inv, Options{}); r != nil {
		t.Errorf("no code scan gave %+v", r)
	}
}

// A with_string rule needs its string in the same method; a method that
// has the string and the call matches once, whatever the order.
func TestWithString(t *testing.T) {
	db := &rules.DB{APIs: []rules.API{
		{ID: "secure-android-id", Kind: rules.APIMethod, Ref: "Landroid/provider/Settings$Secure;->getString", WithString: "android_id", Data: []string{"android-id"}},
		{ID: "sms-uri", Kind: rules.APIString, Ref: "content://sms*", Data: []string{"sms"}},
	}}
	ix := NewIndex(db)
	keys := ix.Query().Keys
	sort.Strings(keys)
	if want := []string{"method:Landroid/provider/Settings$Secure;->getString", "string:android_id", "string:content://sms*"}; !slices.Equal(keys, want) {
		t.Fatalf("keys %v", keys)
	}
	cases := []struct {
		refs []string
		want []int
	}{
		{[]string{"method:Landroid/provider/Settings$Secure;->getString"}, nil},
		{[]string{"string:android_id"}, nil},
		{[]string{"method:Landroid/provider/Settings$Secure;->getString", "string:android_id"}, []int{0}},
		{[]string{"string:android_id", "string:content://sms*", "method:Landroid/provider/Settings$Secure;->getString"}, []int{0, 1}},
	}
	for _, c := range cases {
		if got := ix.matches(c.refs); !slices.Equal(got, c.want) {
			t.Errorf("%v: got %v, want %v", c.refs, got, c.want)
		}
	}
}

// TestCorpus scans every corpus APK with the code query: no failures in the
// code walk, output identical across two runs.
func TestCorpus(t *testing.T) {
	apks := testenv.CorpusAPKs(t)
	if testing.Short() {
		t.Skip("slow")
	}
	ix := NewIndex(embedded(t))
	seen := map[string]int{}
	for _, apk := range apks {
		inv, err := inventory.ScanFile(context.Background(), apk, inventory.Options{Code: ix.Query()})
		if err != nil {
			continue
		}
		for _, p := range inv.Errors {
			if p.Stage == "dex-code" {
				t.Errorf("%s: %s", filepath.Base(apk), p.Message)
			}
		}
		res := ix.Analyze(inv, Options{})
		if res == nil {
			continue
		}
		for _, o := range res.Owners {
			for _, c := range o.Categories {
				seen[c.ID]++
			}
		}
	}
	t.Logf("categories seen across the corpus (apps per owner): %v", seen)
}
