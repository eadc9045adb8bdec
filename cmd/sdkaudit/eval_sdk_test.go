package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// appLabels is one real app labelled by hand (fixtures/apps/real).
type appLabels struct {
	ID     string `yaml:"id"`
	File   string `yaml:"file"`
	SHA256 string `yaml:"sha256"`
	SDKs   []struct {
		ID string `yaml:"id"`
		// Version is the SDK's version where the labeller could read it
		// from the app (a version file, a constant of the SDK's classes, a
		// native library's name or strings).
		Version string `yaml:"version"`
	} `yaml:"sdks"`
	Traces []struct {
		ID string `yaml:"id"`
	} `yaml:"traces"`
}

// TestRealApps scores SDK detection on real apps labelled by hand from
// their class lists, manifests and native libraries. The APKs come from
// ../shared/corpus (corpus:NAME) or the git-ignored fixtures/apps/real/local
// (local:NAME); a missing one is skipped with its name, unless
// SDKAUDIT_EVAL_REQUIRE is set (make eval-sdk sets it). Only SDKs
// (kind: sdk) are scored: plain libraries are not the tool's claim.
func TestRealApps(t *testing.T) {
	dir := filepath.Join("..", "..", "fixtures", "apps", "real")
	files, _ := filepath.Glob(filepath.Join(dir, "*.labels.yaml"))
	if len(files) == 0 {
		t.Fatal("no labels under fixtures/apps/real")
	}
	require := os.Getenv("SDKAUDIT_EVAL_REQUIRE") != ""
	schema := compileSchema(t)
	var tp, fp, fn, traps, trapHits int
	// Versions, over true positives: how many carry one, and how the
	// labelled ones compare.
	var withVersion, vLabelled, vRight, vWrong, vNone int
	var lines, missing, notes, versions []string
	for _, lf := range files {
		raw, err := os.ReadFile(lf)
		if err != nil {
			t.Fatal(err)
		}
		var l appLabels
		if err := yaml.Unmarshal(raw, &l); err != nil {
			t.Fatalf("%s: %v", lf, err)
		}
		var apk string
		switch {
		case strings.HasPrefix(l.File, "corpus:"):
			apk = filepath.Join("..", "..", "..", "shared", "corpus", "apks", strings.TrimPrefix(l.File, "corpus:"))
		case strings.HasPrefix(l.File, "local:"):
			apk = filepath.Join(dir, "local", strings.TrimPrefix(l.File, "local:"))
		default:
			t.Errorf("%s: file %q is neither corpus: nor local:", lf, l.File)
			continue
		}
		body, err := os.ReadFile(apk)
		if err != nil {
			missing = append(missing, l.File)
			continue
		}
		if sum := sha256.Sum256(body); l.SHA256 != "" && hex.EncodeToString(sum[:]) != l.SHA256 {
			t.Errorf("%s: %s is not the file that was labelled", l.ID, apk)
			continue
		}
		out, _, _ := runCLI(t, "scan", "--format", "json", "--no-code", apk)
		validate(t, schema, out)
		var rep struct {
			Apps []struct {
				SDKs []struct {
					ID            string `json:"id"`
					Kind          string `json:"kind"`
					Version       string `json:"version"`
					VersionSource string `json:"version_source"`
				} `json:"sdks"`
			} `json:"apps"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Apps) != 1 {
			t.Errorf("%s: scan output unreadable: %v", l.ID, err)
			continue
		}
		got := map[string]bool{}
		gotVersion := map[string]string{}
		for _, s := range rep.Apps[0].SDKs {
			if s.Kind == "sdk" {
				got[s.ID] = true
				if s.Version != "" {
					gotVersion[s.ID] = s.Version
					versions = append(versions, fmt.Sprintf("%s: %s %s (%s)", l.ID, s.ID, s.Version, s.VersionSource))
				}
			}
		}
		want := map[string]bool{}
		for _, s := range l.SDKs {
			want[s.ID] = true
			if !got[s.ID] {
				continue
			}
			if gotVersion[s.ID] != "" {
				withVersion++
			}
			if s.Version == "" {
				continue
			}
			vLabelled++
			switch gv := gotVersion[s.ID]; {
			case gv == s.Version:
				vRight++
			case gv == "":
				vNone++
				notes = append(notes, fmt.Sprintf("version not read: %s: %s %s", l.ID, s.ID, s.Version))
			default:
				vWrong++
				notes = append(notes, fmt.Sprintf("version wrong: %s: %s %s, labelled %s", l.ID, s.ID, gv, s.Version))
			}
		}
		var a, b, c, th int
		var extra, miss, trapped []string
		for id := range want {
			if got[id] {
				a++
			} else {
				c++
				miss = append(miss, id)
			}
		}
		for id := range got {
			if !want[id] {
				b++
				extra = append(extra, id)
			}
		}
		for _, tr := range l.Traces {
			if want[tr.ID] {
				continue
			}
			traps++
			if got[tr.ID] {
				th++
				trapped = append(trapped, tr.ID)
			}
		}
		tp, fp, fn, trapHits = tp+a, fp+b, fn+c, trapHits+th
		sort.Strings(extra)
		sort.Strings(miss)
		sort.Strings(trapped)
		lines = append(lines, fmt.Sprintf("%-58s tp %2d fp %2d fn %2d traces taken %d/%d", l.ID, a, b, c, th, len(l.Traces)))
		for _, m := range miss {
			notes = append(notes, fmt.Sprintf("missed: %s: %s", l.ID, m))
		}
		for _, e := range extra {
			notes = append(notes, fmt.Sprintf("false: %s: %s", l.ID, e))
		}
		for _, e := range trapped {
			notes = append(notes, fmt.Sprintf("trace reported: %s: %s", l.ID, e))
		}
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("%d of %d labelled apps are not present (../shared/corpus or fixtures/apps/real/local): %s", len(missing), len(files), strings.Join(missing, ", "))
		if require {
			t.Fatal(msg)
		}
		if len(missing) == len(files) {
			t.Skip(msg)
		}
		t.Log(msg)
	}
	p, r := 1.0, 1.0
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	t.Logf("real apps: %d scored\n| SDKs | precision %.1f %% | recall %.1f %% | tp %d | fp %d | fn %d | traces reported %d/%d |\n"+
		"| versions | %d of %d detected SDKs carry one | labelled %d: right %d, wrong %d, not read %d |\n\nper app:\n%s\n\n%s\n\nversions reported:\n%s",
		len(files)-len(missing), 100*p, 100*r, tp, fp, fn, trapHits, traps,
		withVersion, tp, vLabelled, vRight, vWrong, vNone,
		strings.Join(lines, "\n"), strings.Join(notes, "\n"), strings.Join(versions, "\n"))
}
