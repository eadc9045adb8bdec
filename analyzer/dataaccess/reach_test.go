package dataaccess

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"
)

// reachKey is fixtures/src/startup/expected-reach.yaml.
type reachKey struct {
	Sites []struct {
		Class  string   `yaml:"class"`
		Method string   `yaml:"method"`
		Owner  string   `yaml:"owner"`
		Reach  string   `yaml:"reach"`
		Path   []string `yaml:"path"`
		Async  []int    `yaml:"async"`
	} `yaml:"sites"`
}

type reachObs struct {
	Owner, Class, Method, Reach string
	Path                        []string
	Async                       []int
}

// startupSites scans startup.apk with reachability and every call site
// listed.
func startupSites(t *testing.T) (*Result, map[[3]string]reachObs) {
	t.Helper()
	ix := NewIndex(embedded(t))
	q := ix.Query()
	q.Calls = true
	res := scanFixture(t, ix, "startup.apk", Options{MaxSites: 1000})
	q.Calls = false
	if res.Reachability == nil {
		t.Fatal("no reachability result")
	}
	got := map[[3]string]reachObs{}
	for _, o := range res.Owners {
		for _, c := range o.Categories {
			if c.SitesTotal != len(c.CallSites) {
				t.Fatalf("%s/%s: %d of %d sites listed", o.ID, c.ID, len(c.CallSites), c.SitesTotal)
			}
			for _, s := range c.CallSites {
				got[[3]string{o.ID, s.Class, s.Method}] = reachObs{o.ID, s.Class, s.Method, s.Reach, s.Path, s.AsyncHops}
			}
		}
	}
	return res, got
}

// TestStartupAnswerKey compares every call site of startup.apk with the
// hand-written key: its reach and, for start-up sites, the exact shortest
// path and its asynchronous hops.
func TestStartupAnswerKey(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "src", "startup", "expected-reach.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var key reachKey
	if err := yaml.UnmarshalWithOptions(b, &key, yaml.DisallowUnknownField()); err != nil {
		t.Fatal(err)
	}
	_, got := startupSites(t)
	want := map[[3]string]reachObs{}
	for _, s := range key.Sites {
		o := reachObs{s.Owner, s.Class, s.Method, s.Reach, s.Path, s.Async}
		want[[3]string{s.Owner, s.Class, s.Method}] = o
	}
	for k, g := range got {
		w, ok := want[k]
		if !ok {
			t.Errorf("site not in the key: %+v", g)
			continue
		}
		if g.Reach != w.Reach {
			t.Errorf("%s %s.%s: reach %s, want %s (path %v)", k[0], k[1], k[2], g.Reach, w.Reach, g.Path)
			continue
		}
		if w.Reach != "startup" {
			continue
		}
		if diff := cmp.Diff(w.Path, g.Path); diff != "" {
			t.Errorf("%s %s.%s: path (-want +got):\n%s", k[0], k[1], k[2], diff)
		}
		if !slices.Equal(w.Async, g.Async) {
			t.Errorf("%s %s.%s: async hops %v, want %v", k[0], k[1], k[2], g.Async, w.Async)
		}
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("key site not reported: %v", k)
		}
	}
}

// TestStartupGolden keeps the whole data-access result of startup.apk,
// reach and paths included, as a golden file (-update rewrites it).
func TestStartupGolden(t *testing.T) {
	res, _ := startupSites(t)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "startup.golden.json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("startup.golden.json differs (-want +got; go test ./analyzer/dataaccess -run TestStartupGolden -update):\n%s", diff)
	}
}
