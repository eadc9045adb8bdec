package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// formatFixtures are the maimai-like app in every packaging format, built
// from the same sources as fixtures/apk/maimai-like.apk.
func formatFixtures(t *testing.T) map[string]string {
	dir := filepath.Join("..", "..", "fixtures", "apk", "formats")
	out := map[string]string{
		"split-dir":   filepath.Join(dir, "maimai-split"),
		"apks":        filepath.Join(dir, "maimai.apks"),
		"xapk":        filepath.Join(dir, "maimai.xapk"),
		"apkm":        filepath.Join(dir, "maimai.apkm"),
		"zip-of-apks": filepath.Join(dir, "maimai-splits.zip"),
	}
	if aab := filepath.Join(dir, "maimai.aab"); fileExists(aab) {
		out["aab"] = aab
	}
	for _, p := range out {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%v (run make fixtures)", err)
		}
	}
	return out
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// inventoryView is what must not depend on packaging: identity,
// permissions, code, SDKs, data access, native code, components.
type inventoryView struct {
	Package, Version string
	Permissions      []string
	Classes          []string
	SDKs             []string
	NativeLibs       []string
	Components       []string
	MetaData         []string
	DataAccess       []string
}

func viewOf(t *testing.T, stdout string) (string, inventoryView) {
	t.Helper()
	var doc struct {
		Apps []struct {
			Format      string `json:"format"`
			Status      string `json:"status"`
			Package     string `json:"package"`
			VersionCode struct {
				Value string `json:"value"`
			} `json:"version_code"`
			Permissions []struct{ Name string }    `json:"permissions"`
			Dex         struct{ Classes []string } `json:"dex"`
			SDKs        []struct{ ID string }      `json:"sdks"`
			NativeLibs  []struct {
				ABI  string                  `json:"abi"`
				Libs []struct{ Name string } `json:"libs"`
			} `json:"native_libs"`
			Components []struct{ Type, Name string } `json:"components"`
			MetaData   []struct{ Name string }       `json:"meta_data"`
			DataAccess struct {
				Owners []struct {
					ID         string `json:"id"`
					Categories []struct {
						ID string `json:"id"`
					} `json:"categories"`
				} `json:"owners"`
			} `json:"data_access"`
		} `json:"apps"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Apps) != 1 {
		t.Fatalf("bad JSON: %v", err)
	}
	a := doc.Apps[0]
	if a.Status != "complete" {
		t.Errorf("%s: status %s", a.Format, a.Status)
	}
	v := inventoryView{Package: a.Package, Version: a.VersionCode.Value, Classes: a.Dex.Classes}
	for _, p := range a.Permissions {
		v.Permissions = append(v.Permissions, p.Name)
	}
	for _, s := range a.SDKs {
		v.SDKs = append(v.SDKs, s.ID)
	}
	for _, abi := range a.NativeLibs {
		for _, l := range abi.Libs {
			v.NativeLibs = append(v.NativeLibs, abi.ABI+"/"+l.Name)
		}
	}
	for _, c := range a.Components {
		v.Components = append(v.Components, c.Type+" "+c.Name)
	}
	for _, m := range a.MetaData {
		v.MetaData = append(v.MetaData, m.Name)
	}
	for _, o := range a.DataAccess.Owners {
		for _, c := range o.Categories {
			v.DataAccess = append(v.DataAccess, o.ID+"/"+c.ID)
		}
	}
	for _, s := range [][]string{v.Permissions, v.NativeLibs, v.Components, v.MetaData, v.DataAccess} {
		sort.Strings(s)
	}
	return a.Format, v
}

// TestFormatsGiveTheSameInventory: every packaging of maimai-like gives
// the plain APK's inventory, and its own golden JSON.
func TestFormatsGiveTheSameInventory(t *testing.T) {
	plain, stderr, code := runCLI(t, "scan", "--format", "json", "--classes", filepath.Join("..", "..", "fixtures", "apk", "maimai-like.apk"))
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, want := viewOf(t, plain)
	schema := compileSchema(t)
	for format, path := range formatFixtures(t) {
		t.Run(format, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "scan", "--format", "json", "--classes", path)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			validate(t, schema, stdout)
			got, view := viewOf(t, stdout)
			if got != format {
				t.Errorf("detected format %q, want %q", got, format)
			}
			if diff := cmp.Diff(want, view); diff != "" {
				t.Errorf("%s inventory differs from the plain APK's (-apk +%s):\n%s", format, format, diff)
			}
			compareGolden(t, filepath.Join("testdata", "golden", "format-"+format+".json"), stdout)
		})
	}
}

// Format detection is by content: an app set renamed .apk is still read
// as an app set.
func TestFormatByContentNotExtension(t *testing.T) {
	src := formatFixtures(t)["xapk"]
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	renamed := filepath.Join(t.TempDir(), "looks-like.apk")
	if err := os.WriteFile(renamed, b, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runCLI(t, "scan", "--format", "json", renamed)
	if code != ExitOK || !strings.Contains(stdout, `"format": "xapk"`) {
		t.Errorf("exit %d, output lacks format xapk", code)
	}
}
