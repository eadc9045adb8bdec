package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// labels are the hand labels written next to each team-written policy.
type labels struct {
	SDKs           []string `yaml:"sdks"`
	VendorsOnly    []string `yaml:"vendors_only"`
	Unresolved     []string `yaml:"unresolved"`
	Permissions    []string `yaml:"permissions"`
	NotPermissions []string `yaml:"not_permissions"`
	DataCategories []string `yaml:"data_categories"`
	Notes          string   `yaml:"notes"`
}

type score struct{ tp, fp, fn int }

func (s score) String() string {
	p, r := 1.0, 1.0
	if s.tp+s.fp > 0 {
		p = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.tp+s.fn > 0 {
		r = float64(s.tp) / float64(s.tp+s.fn)
	}
	return fmt.Sprintf("precision %.2f recall %.2f (tp %d, fp %d, fn %d)", p, r, s.tp, s.fp, s.fn)
}

func compare(want, got []string) (score, []string, []string) {
	w, g := map[string]bool{}, map[string]bool{}
	for _, x := range want {
		w[x] = true
	}
	for _, x := range got {
		g[x] = true
	}
	var s score
	var missing, extra []string
	for x := range w {
		if g[x] {
			s.tp++
		} else {
			s.fn++
			missing = append(missing, x)
		}
	}
	for x := range g {
		if !w[x] {
			s.fp++
			extra = append(extra, x)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return s, missing, extra
}

// TestLabelledPolicies scores the reader on the team-written policies in
// testdata/policies against their hand labels. It fails below the floor
// and logs every miss, so the figures can be tracked as the reader grows.
func TestLabelledPolicies(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "policies", "*.labels.yaml"))
	if len(files) == 0 {
		t.Fatal("no labelled policies in testdata/policies")
	}
	lx := lexicon(t)
	var sdkAll, permAll score
	for _, lf := range files {
		doc := strings.TrimSuffix(lf, ".labels.yaml")
		raw, err := os.ReadFile(lf)
		if err != nil {
			t.Fatal(err)
		}
		var l labels
		if err := yaml.Unmarshal(raw, &l); err != nil {
			t.Fatalf("%s: %v", lf, err)
		}
		d, err := lx.Load([]string{doc}, Limits{})
		if err != nil {
			t.Errorf("%s: %v", doc, err)
			continue
		}
		var sdks, perms []string
		for _, s := range d.SDKs {
			sdks = append(sdks, s.ID)
		}
		for _, p := range d.Permissions {
			perms = append(perms, p.Name)
		}
		ss, sm, se := compare(l.SDKs, sdks)
		ps, pm, pe := compare(l.Permissions, perms)
		for _, not := range l.NotPermissions {
			for _, p := range perms {
				if p == not {
					t.Errorf("%s: %s declared, but the labels say the policy denies or never mentions it", filepath.Base(doc), not)
				}
			}
		}
		t.Logf("%s: SDKs %v missing %v extra %v", filepath.Base(doc), ss, sm, se)
		t.Logf("%s: permissions %v missing %v extra %v", filepath.Base(doc), ps, pm, pe)
		sdkAll.tp, sdkAll.fp, sdkAll.fn = sdkAll.tp+ss.tp, sdkAll.fp+ss.fp, sdkAll.fn+ss.fn
		permAll.tp, permAll.fp, permAll.fn = permAll.tp+ps.tp, permAll.fp+ps.fp, permAll.fn+ps.fn
	}
	t.Logf("all policies: SDKs %v; permissions %v", sdkAll, permAll)
	fmt.Printf("policy reader: SDKs %v; permissions %v\n", sdkAll, permAll)
	check := func(what string, s score, floor float64) {
		p := float64(s.tp) / float64(max(1, s.tp+s.fp))
		r := float64(s.tp) / float64(max(1, s.tp+s.fn))
		if p < floor || r < floor {
			t.Errorf("%s below the floor of %.2f: %v", what, floor, s)
		}
	}
	check("SDK extraction", sdkAll, 0.8)
	check("permission extraction", permAll, 0.75)
}
