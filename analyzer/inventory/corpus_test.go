package inventory

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// corpusDir is ../shared/corpus seen from the repository root; CI and
// developers' machines lay shared/ beside the clone. Tests skip without
// it, and fail under CI.
func corpusDir(t testing.TB) string {
	t.Helper()
	return filepath.Dir(testenv.Shared(t, "corpus", "expected"))
}

// answerKey is the part of expected/*.json the test compares.
type answerKey struct {
	File         string   `json:"file"`
	ToolFailures []string `json:"tool_failures"`
	Expected     struct {
		Package             *string  `json:"package"`
		VersionCode         *string  `json:"versionCode"`
		VersionName         *string  `json:"versionName"`
		MinSdk              *string  `json:"minSdk"`
		TargetSdk           *string  `json:"targetSdk"`
		MaxSdk              *string  `json:"maxSdk"`
		MinSdkEffective     *int     `json:"minSdk_effective"`
		TargetSdkEffective  *int     `json:"targetSdk_effective"`
		VersionNameRef      *string  `json:"versionName_raw_reference"`
		MaxSdkRef           *string  `json:"maxSdk_raw_reference"`
		ManifestSource      string   `json:"manifest_source"`
		UsesPermission      []string `json:"uses_permission"`
		UsesPermissionSdk23 []string `json:"uses_permission_sdk_23"`
		Elements            []struct {
			Name          string  `json:"name"`
			MaxSdkVersion *string `json:"maxSdkVersion"`
		} `json:"uses_permission_elements"`
		DexFiles        *int `json:"dex_files"`
		ClassDefsTotal  *int `json:"class_defs_total"`
		ClassesDistinct *int `json:"classes_distinct"`
		Prefixes        []struct {
			Prefix  string `json:"prefix"`
			Classes int    `json:"classes"`
		} `json:"package_prefixes_depth3"`
	} `json:"expected"`
}

// loadAllowList reads testdata/corpus-allow.txt: "<file> <field> <reason>".
func loadAllowList(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "corpus-allow.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	allow := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, " ", 3)
		if len(parts) < 3 || strings.TrimSpace(parts[2]) == "" {
			t.Fatalf("corpus-allow.txt: every line needs file, field and a reason: %q", line)
		}
		allow[parts[0]+" "+parts[1]] = parts[2]
	}
	return allow
}

func strp(v *string) string {
	if v == nil {
		return "<null>"
	}
	return *v
}

func intp(v *int) string {
	if v == nil {
		return "<null>"
	}
	return strconv.Itoa(*v)
}

// prefixesDepth3 groups distinct descriptors the way the answer key does:
// package = descriptor minus the last path component; prefix = its first
// three components.
func prefixesDepth3(classes []string) map[string]int {
	out := map[string]int{}
	for _, c := range classes {
		d := strings.TrimSuffix(strings.TrimPrefix(c, "L"), ";")
		pkg := ""
		if i := strings.LastIndex(d, "/"); i >= 0 {
			pkg = d[:i]
		}
		parts := strings.Split(pkg, "/")
		if pkg == "" {
			parts = nil
		}
		if len(parts) > 3 {
			parts = parts[:3]
		}
		out[strings.Join(parts, ".")]++
	}
	return out
}

func TestCorpusAgainstAnswerKeys(t *testing.T) {
	dir := corpusDir(t)
	allow := loadAllowList(t)
	used := map[string]bool{}
	keys, _ := filepath.Glob(filepath.Join(dir, "expected", "*.json"))
	if len(keys) == 0 {
		testenv.Missing(t, "corpus has no answer keys")
	}
	agree := 0
	var failures []string
	for _, kf := range keys {
		raw, err := os.ReadFile(kf)
		if err != nil {
			t.Fatal(err)
		}
		var key answerKey
		if err := json.Unmarshal(raw, &key); err != nil {
			t.Fatalf("%s: %v", kf, err)
		}
		name := key.File
		inv, err := ScanFile(context.Background(), filepath.Join(dir, "apks", name), Options{})
		var diffs []string
		check := func(field, want, got string) {
			if want == got {
				return
			}
			if _, ok := allow[name+" "+field]; ok {
				used[name+" "+field] = true
				return
			}
			diffs = append(diffs, fmt.Sprintf("%s: want %s, got %s", field, want, got))
		}
		e := key.Expected
		switch {
		case e.ManifestSource == "none":
			if err == nil {
				check("error", "an error (no tool reads this file)", "a successful scan")
			} else if strings.Count(err.Error(), "\n") > 0 || !strings.Contains(err.Error(), name) {
				check("error", "one line naming the file", strconv.Quote(err.Error()))
			}
		case err != nil:
			check("scan", "success", err.Error())
		default:
			m := inv.Manifest
			check("package", strp(e.Package), m.Package)
			check("versionCode", strp(e.VersionCode), valueOrNull(m.VersionCode))
			check("versionName", strp(e.VersionName), valueOrNull(m.VersionName))
			check("minSdk", strp(e.MinSdk), valueOrNull(m.MinSDK.Declared))
			check("targetSdk", strp(e.TargetSdk), valueOrNull(m.TargetSDK.Declared))
			check("maxSdk", strp(e.MaxSdk), valueOrNull(m.MaxSDK.Declared))
			check("minSdk_effective", intp(e.MinSdkEffective), intp(m.MinSDK.Effective))
			check("targetSdk_effective", intp(e.TargetSdkEffective), intp(m.TargetSDK.Effective))
			if e.VersionNameRef != nil {
				check("versionName_raw_reference", *e.VersionNameRef, refOrNull(m.VersionName))
			}
			if e.MaxSdkRef != nil {
				check("maxSdk_raw_reference", *e.MaxSdkRef, refOrNull(m.MaxSDK.Declared))
			}
			var plain, sdk23, elements []string
			for _, p := range m.Permissions {
				if p.SDK23 {
					sdk23 = append(sdk23, p.Name)
					continue
				}
				plain = append(plain, p.Name)
				el := p.Name
				if p.MaxSDKVersion != nil {
					el += "@" + strconv.Itoa(*p.MaxSDKVersion)
				}
				elements = append(elements, el)
			}
			var wantElements []string
			for _, el := range e.Elements {
				s := el.Name
				if el.MaxSdkVersion != nil {
					s += "@" + *el.MaxSdkVersion
				}
				wantElements = append(wantElements, s)
			}
			check("uses_permission", fmt.Sprint(e.UsesPermission), fmt.Sprint(sortedDistinct(plain)))
			check("uses_permission_sdk_23", fmt.Sprint(e.UsesPermissionSdk23), fmt.Sprint(sortedDistinct(sdk23)))
			check("uses_permission_elements", fmt.Sprint(wantElements), fmt.Sprint(elements))
			check("dex_files", intp(e.DexFiles), strconv.Itoa(len(inv.Dex.Files)))
			check("class_defs_total", intp(e.ClassDefsTotal), strconv.Itoa(inv.Dex.ClassesTotal))
			check("classes_distinct", intp(e.ClassesDistinct), strconv.Itoa(inv.Dex.ClassesDistinct))
			want := map[string]int{}
			for _, p := range e.Prefixes {
				want[p.Prefix] = p.Classes
			}
			if got := prefixesDepth3(inv.Dex.Classes); !reflect.DeepEqual(want, got) && !(len(want) == 0 && len(got) == 0) {
				check("package_prefixes_depth3", fmt.Sprintf("%d prefixes", len(want)), fmt.Sprintf("%d prefixes (%s)", len(got), firstMapDiff(want, got)))
			}
		}
		if len(diffs) == 0 {
			agree++
		} else {
			failures = append(failures, name+":\n    "+strings.Join(diffs, "\n    "))
		}
	}
	t.Logf("corpus: %d/%d agree", agree, len(keys))
	fmt.Printf("corpus: %d/%d agree\n", agree, len(keys))
	for _, f := range failures {
		t.Error(f)
	}
	for k, reason := range allow {
		if !used[k] {
			t.Errorf("corpus-allow.txt entry %q (%s) no longer needed: remove it", k, reason)
		}
	}
}

func valueOrNull(v *manifest.Value) string {
	if v == nil {
		return "<null>"
	}
	return v.Value
}

func refOrNull(v *manifest.Value) string {
	if v == nil || v.Reference == "" {
		return "<null>"
	}
	return v.Reference
}

func sortedDistinct(in []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func firstMapDiff(want, got map[string]int) string {
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if want[k] != got[k] {
			return fmt.Sprintf("%q: want %d, got %d", k, want[k], got[k])
		}
	}
	return ""
}
