package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// realLabels is one hand-labelled published policy
// (fixtures/policies/real/README.md describes the format).
type realLabels struct {
	ID     string `yaml:"id"`
	Lang   string `yaml:"lang"`
	File   string `yaml:"file"`
	SHA256 string `yaml:"sha256"`
	Source struct {
		Repo    string `yaml:"repo"`
		Path    string `yaml:"path"`
		Commit  string `yaml:"commit"`
		Licence string `yaml:"licence"`
	} `yaml:"source"`
	SDKs            []labelItem `yaml:"sdks"`
	SDKTraps        []labelItem `yaml:"sdk_traps"`
	Permissions     []labelItem `yaml:"permissions"`
	PermissionTraps []labelItem `yaml:"permission_traps"`
	DataCategories  []labelItem `yaml:"data_categories"`
	DataTraps       []labelItem `yaml:"data_traps"`
}

// labelItem is one label; rule ids go in ID, permissions in Name.
type labelItem struct {
	ID    string `yaml:"id"`
	Name  string `yaml:"name"`
	Quote string `yaml:"quote"`
	Why   string `yaml:"why"`
}

func (l labelItem) key() string {
	if l.ID != "" {
		return l.ID
	}
	return l.Name
}

func keys(items []labelItem) []string {
	var out []string
	for _, it := range items {
		if k := it.key(); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// fieldScore is one field's tallies over the corpus.
type fieldScore struct {
	score
	traps, trapHits int
	missing, extra  []string // "policy: id"
	trapped         []string
}

func (f *fieldScore) add(doc string, want, traps, got []string) {
	s, missing, extra := compare(want, got)
	f.tp += s.tp
	f.fp += s.fp
	f.fn += s.fn
	for _, m := range missing {
		f.missing = append(f.missing, doc+": "+m)
	}
	for _, e := range extra {
		f.extra = append(f.extra, doc+": "+e)
	}
	g := map[string]bool{}
	for _, x := range got {
		g[x] = true
	}
	seen := map[string]bool{}
	for _, t := range traps {
		if seen[t] || slicesHas(want, t) {
			continue
		}
		seen[t] = true
		f.traps++
		if g[t] {
			f.trapHits++
			f.trapped = append(f.trapped, doc+": "+t)
		}
	}
}

func slicesHas(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func (f *fieldScore) row(name string) string {
	p, r := 1.0, 1.0
	if f.tp+f.fp > 0 {
		p = float64(f.tp) / float64(f.tp+f.fp)
	}
	if f.tp+f.fn > 0 {
		r = float64(f.tp) / float64(f.tp+f.fn)
	}
	trap := "-"
	if f.traps > 0 {
		trap = fmt.Sprintf("%d/%d (%.1f %%)", f.trapHits, f.traps, 100*float64(f.trapHits)/float64(f.traps))
	}
	return fmt.Sprintf("| %-16s | %5.1f %% | %5.1f %% | %4d | %4d | %4d | %-16s |", name, 100*p, 100*r, f.tp, f.fp, f.fn, trap)
}

// TestRealPolicies scores the reader on published policies labelled by
// hand (fixtures/policies/real). The texts are not in the repository; the
// test skips, saying how many are missing, unless SDKAUDIT_EVAL_REQUIRE is
// set (make eval-policy sets it), when a missing or changed text fails.
func TestRealPolicies(t *testing.T) {
	dir := filepath.Join("..", "..", "fixtures", "policies", "real")
	files, _ := filepath.Glob(filepath.Join(dir, "*.labels.yaml"))
	if len(files) == 0 {
		t.Fatal("no labels under fixtures/policies/real")
	}
	require := os.Getenv("SDKAUDIT_EVAL_REQUIRE") != ""
	lx := lexicon(t)
	var sdk, perm, data fieldScore
	// Held-out policies (zh-2NN, en-1NN) were labelled after the reader's
	// rules were written and are never used to tune them: their figures
	// are reported apart, as the estimate for policies nobody has seen.
	var hSDK, hPerm, hData fieldScore
	// Fresh held-out policies (zh-3NN, en-3NN) were labelled on 2026-12-07
	// before the reader was ever run on them; reported in a table of their own.
	var fSDK, fPerm, fData fieldScore
	// Third held-out policies (zh-4NN, en-4NN) were labelled on 2026-12-07,
	// again before the reader was run on them; a table of their own.
	var tSDK, tPerm, tData fieldScore
	// Fourth held-out policies (zh-5NN, en-5NN) were labelled on 2026-12-07
	// from repositories not used before, before any run; a table of their own.
	var qSDK, qPerm, qData fieldScore
	// Fifth held-out policies (zh-6NN, en-6NN) were labelled on 2026-12-07
	// from sources not used before, before any run; a table of their own.
	var vSDK, vPerm, vData fieldScore
	// Sixth held-out policies (zh-7NN, en-7NN) were labelled on 2026-12-07
	// from sources not used before, before any run; a table of their own.
	var xSDK, xPerm, xData fieldScore
	var missingTexts []string
	perLang := map[string]*[3]fieldScore{}
	var lines []string
	for _, lf := range files {
		raw, err := os.ReadFile(lf)
		if err != nil {
			t.Fatal(err)
		}
		var l realLabels
		if err := yaml.Unmarshal(raw, &l); err != nil {
			t.Fatalf("%s: %v", lf, err)
		}
		if l.ID == "" || l.File == "" || l.Source.Repo == "" || l.Source.Commit == "" {
			t.Errorf("%s: id, file, source.repo and source.commit are required", lf)
			continue
		}
		text := filepath.Join(dir, "local", l.File)
		body, err := os.ReadFile(text)
		if err != nil {
			missingTexts = append(missingTexts, l.File)
			continue
		}
		sum := sha256.Sum256(body)
		if l.SHA256 != "" && hex.EncodeToString(sum[:]) != strings.ToLower(l.SHA256) {
			t.Errorf("%s: local/%s is not the text that was labelled (sha256 differs)", lf, l.File)
			continue
		}
		d, err := lx.Load([]string{text}, Limits{})
		if err != nil {
			t.Errorf("%s: %v", l.ID, err)
			continue
		}
		perms, dataIDs, sdks, _, _, _ := ids(d)
		dataIDs = slices.DeleteFunc(dataIDs, func(id string) bool { return newerCategories[id] })
		var full []string
		for _, p := range perms {
			full = append(full, fullPermission(p, d))
		}
		lang := perLang[l.Lang]
		if lang == nil {
			lang = &[3]fieldScore{}
			perLang[l.Lang] = lang
		}
		fs := [3][]*fieldScore{{&sdk, &lang[0]}, {&perm, &lang[1]}, {&data, &lang[2]}}
		if heldOut(l.ID) {
			fs = [3][]*fieldScore{{&hSDK}, {&hPerm}, {&hData}}
		}
		if freshHeldOut(l.ID) {
			fs = [3][]*fieldScore{{&fSDK}, {&fPerm}, {&fData}}
		}
		if thirdHeldOut(l.ID) {
			fs = [3][]*fieldScore{{&tSDK}, {&tPerm}, {&tData}}
		}
		if fourthHeldOut(l.ID) {
			fs = [3][]*fieldScore{{&qSDK}, {&qPerm}, {&qData}}
		}
		if fifthHeldOut(l.ID) {
			fs = [3][]*fieldScore{{&vSDK}, {&vPerm}, {&vData}}
		}
		if sixthHeldOut(l.ID) {
			fs = [3][]*fieldScore{{&xSDK}, {&xPerm}, {&xData}}
		}
		for _, f := range fs[0] {
			f.add(l.ID, keys(l.SDKs), keys(l.SDKTraps), sdks)
		}
		for _, f := range fs[1] {
			f.add(l.ID, keys(l.Permissions), keys(l.PermissionTraps), full)
		}
		for _, f := range fs[2] {
			f.add(l.ID, keys(l.DataCategories), keys(l.DataTraps), dataIDs)
		}
		var one fieldScore
		one.add(l.ID, keys(l.SDKs), keys(l.SDKTraps), sdks)
		var onep fieldScore
		onep.add(l.ID, keys(l.Permissions), keys(l.PermissionTraps), full)
		lines = append(lines, fmt.Sprintf("%-28s sdk tp %2d fp %2d fn %2d traps %d/%d | perm tp %2d fp %2d fn %2d traps %d/%d",
			l.ID, one.tp, one.fp, one.fn, one.trapHits, one.traps, onep.tp, onep.fp, onep.fn, onep.trapHits, onep.traps))
	}
	if len(missingTexts) > 0 {
		msg := fmt.Sprintf("%d of %d labelled policy texts are not in fixtures/policies/real/local (restore them from the provenance in each label file): %s",
			len(missingTexts), len(files), strings.Join(missingTexts, ", "))
		if require {
			t.Fatal(msg)
		}
		if len(missingTexts) == len(files) {
			t.Skip(msg)
		}
		t.Log(msg)
	}
	out := []string{
		"| field            | precision | recall | tp | fp | fn | wrongly declared traps |",
		"|------------------|-----------|--------|----|----|----|------------------------|",
		sdk.row("SDKs"), perm.row("permissions"), data.row("data categories"),
	}
	langs := make([]string, 0, len(perLang))
	for k := range perLang {
		langs = append(langs, k)
	}
	sort.Strings(langs)
	for _, k := range langs {
		f := perLang[k]
		out = append(out, f[0].row("SDKs ("+k+")"), f[1].row("permissions ("+k+")"), f[2].row("data ("+k+")"))
	}
	if hSDK.tp+hSDK.fn+hPerm.tp+hPerm.fn > 0 {
		out = append(out, "", "held out (labelled after the first reader rules; its errors were studied in the second round):",
			"| field            | precision | recall | tp | fp | fn | wrongly declared traps |",
			"|------------------|-----------|--------|----|----|----|------------------------|",
			hSDK.row("SDKs"), hPerm.row("permissions"), hData.row("data categories"))
	}
	if fSDK.tp+fSDK.fn+fPerm.tp+fPerm.fn > 0 {
		out = append(out, "", "fresh held out (labelled before any run; first score in docs/accuracy.md, errors studied afterwards):",
			"| field            | precision | recall | tp | fp | fn | wrongly declared traps |",
			"|------------------|-----------|--------|----|----|----|------------------------|",
			fSDK.row("SDKs"), fPerm.row("permissions"), fData.row("data categories"))
	}
	if tSDK.tp+tSDK.fn+tPerm.tp+tPerm.fn > 0 {
		out = append(out, "", "third held out (labelled 2026-12-07 before any run):",
			"| field            | precision | recall | tp | fp | fn | wrongly declared traps |",
			"|------------------|-----------|--------|----|----|----|------------------------|",
			tSDK.row("SDKs"), tPerm.row("permissions"), tData.row("data categories"))
	}
	if qSDK.tp+qSDK.fn+qPerm.tp+qPerm.fn > 0 {
		out = append(out, "", "fourth held out (labelled 2026-12-07 before any run):",
			"| field            | precision | recall | tp | fp | fn | wrongly declared traps |",
			"|------------------|-----------|--------|----|----|----|------------------------|",
			qSDK.row("SDKs"), qPerm.row("permissions"), qData.row("data categories"))
	}
	if vSDK.tp+vSDK.fn+vPerm.tp+vPerm.fn > 0 {
		out = append(out, "", "fifth held out (labelled 2026-12-07 before any run):",
			"| field            | precision | recall | tp | fp | fn | wrongly declared traps |",
			"|------------------|-----------|--------|----|----|----|------------------------|",
			vSDK.row("SDKs"), vPerm.row("permissions"), vData.row("data categories"))
	}
	if xSDK.tp+xSDK.fn+xPerm.tp+xPerm.fn > 0 {
		out = append(out, "", "sixth held out (labelled 2026-12-07 before any run):",
			"| field            | precision | recall | tp | fp | fn | wrongly declared traps |",
			"|------------------|-----------|--------|----|----|----|------------------------|",
			xSDK.row("SDKs"), xPerm.row("permissions"), xData.row("data categories"))
	}
	// Every set together: the figure docs/accuracy.md compares with the
	// issue's targets.
	sum := func(fs ...*fieldScore) fieldScore {
		var t fieldScore
		for _, f := range fs {
			t.tp, t.fp, t.fn = t.tp+f.tp, t.fp+f.fp, t.fn+f.fn
			t.traps, t.trapHits = t.traps+f.traps, t.trapHits+f.trapHits
		}
		return t
	}
	allSDK, allPerm, allData := sum(&sdk, &hSDK, &fSDK, &tSDK, &qSDK, &vSDK, &xSDK), sum(&perm, &hPerm, &fPerm, &tPerm, &qPerm, &vPerm, &xPerm), sum(&data, &hData, &fData, &tData, &qData, &vData, &xData)
	out = append(out, "", "all sets together:",
		"| field            | precision | recall | tp | fp | fn | wrongly declared traps |",
		"|------------------|-----------|--------|----|----|----|------------------------|",
		allSDK.row("SDKs"), allPerm.row("permissions"), allData.row("data categories"))
	t.Logf("real policies: %d scored\n%s\n\nper policy:\n%s", len(files)-len(missingTexts), strings.Join(out, "\n"), strings.Join(lines, "\n"))
	for _, f := range []struct {
		name string
		s    *fieldScore
	}{{"sdk", &sdk}, {"permission", &perm}, {"data", &data}, {"held-out sdk", &hSDK}, {"held-out permission", &hPerm}, {"held-out data", &hData}, {"fresh held-out sdk", &fSDK}, {"fresh held-out permission", &fPerm}, {"fresh held-out data", &fData}, {"third held-out sdk", &tSDK}, {"third held-out permission", &tPerm}, {"third held-out data", &tData}, {"fourth held-out sdk", &qSDK}, {"fourth held-out permission", &qPerm}, {"fourth held-out data", &qData}, {"fifth held-out sdk", &vSDK}, {"fifth held-out permission", &vPerm}, {"fifth held-out data", &vData}, {"sixth held-out sdk", &xSDK}, {"sixth held-out permission", &xPerm}, {"sixth held-out data", &xData}} {
		for _, m := range f.s.missing {
			t.Logf("%s missed: %s", f.name, m)
		}
		for _, m := range f.s.extra {
			t.Logf("%s false: %s", f.name, m)
		}
		for _, m := range f.s.trapped {
			t.Logf("%s trap taken: %s", f.name, m)
		}
	}
}

// fullPermission turns the short name ids() returns back into the full
// name the declaration holds.
func fullPermission(short string, d *Declaration) string {
	for _, p := range d.Permissions {
		if p.Name == short || strings.HasSuffix(p.Name, "."+short) {
			return p.Name
		}
	}
	return short
}

// heldOut reports whether a label file belongs to the held-out set.
// newerCategories are data categories added to the rules after the labels
// were written (idfa and idfv came with the iOS path): no label could name
// them, so the reader's declarations of them are scored neither way.
var newerCategories = map[string]bool{"idfa": true, "idfv": true}

func heldOut(id string) bool {
	return strings.HasPrefix(id, "zh-2") || strings.HasPrefix(id, "en-1")
}

// freshHeldOut reports whether a label file belongs to the second held-out
// set, labelled before the reader was run on it.
func freshHeldOut(id string) bool {
	return strings.HasPrefix(id, "zh-3") || strings.HasPrefix(id, "en-3")
}

// thirdHeldOut reports whether a label file belongs to the third held-out
// set, labelled before the reader was run on it.
func thirdHeldOut(id string) bool {
	return strings.HasPrefix(id, "zh-4") || strings.HasPrefix(id, "en-4")
}

// fourthHeldOut reports whether a label file belongs to the fourth held-out
// set, labelled before the reader was run on it.
func fourthHeldOut(id string) bool {
	return strings.HasPrefix(id, "zh-5") || strings.HasPrefix(id, "en-5")
}

// fifthHeldOut reports whether a label file belongs to the fifth held-out
// set, labelled before the reader was run on it.
func fifthHeldOut(id string) bool {
	return strings.HasPrefix(id, "zh-6") || strings.HasPrefix(id, "en-6")
}

// sixthHeldOut reports whether a label file belongs to the sixth held-out
// set, labelled before the reader was run on it.
func sixthHeldOut(id string) bool {
	return strings.HasPrefix(id, "zh-7") || strings.HasPrefix(id, "en-7")
}
