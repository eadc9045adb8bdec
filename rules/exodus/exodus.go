package exodus

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/rules"
)

// tracker is one entry of the Exodus format; unknown keys are ignored
// because the format grows over time.
type tracker struct {
	ID            json.Number `json:"id"`
	Name          string      `json:"name"`
	CodeSignature string      `json:"code_signature"`
	Website       string      `json:"website"`
	Categories    []string    `json:"categories"`
}

// Result is a converted rule set.
type Result struct {
	SDKs    []rules.SDK
	Vendors []rules.Vendor
	// Converted counts trackers that became rules; Skipped says why the
	// others did not, one short reason each.
	Converted int
	Skipped   []string
}

// MaxInput bounds the JSON accepted; the real list is well under 1 MB,
// and what a larger one converts to would not fit in a rule file.
const MaxInput = 8 << 20

var categoryMap = map[string]string{
	"advertisement":   "ads",
	"analytics":       "analytics",
	"crash reporting": "crash",
	"identification":  "device-id",
	"location":        "map-location",
	"profiling":       "analytics",
}

var prefixRe = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$`)

// Convert parses data and builds rules that do not collide with base.
func Convert(data []byte, base *rules.DB) (*Result, error) {
	if len(data) > MaxInput {
		return nil, fmt.Errorf("exodus: input is %d bytes, limit %d", len(data), MaxInput)
	}
	var doc struct {
		Trackers map[string]tracker `json:"trackers"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("exodus: not an Exodus tracker file: %w", err)
	}
	if len(doc.Trackers) == 0 {
		return nil, errors.New(`exodus: no "trackers" object in the file`)
	}
	claimed := map[string]string{}
	for _, s := range base.SDKs {
		for _, p := range s.Signatures.DexPrefixes {
			claimed[p] = s.ID
		}
	}
	keys := make([]string, 0, len(doc.Trackers))
	for k := range doc.Trackers {
		keys = append(keys, k)
	}
	// Numeric ids in numeric order, so output and tie-breaks are stable.
	sort.Slice(keys, func(i, j int) bool {
		a, errA := strconv.Atoi(keys[i])
		b, errB := strconv.Atoi(keys[j])
		if errA == nil && errB == nil {
			return a < b
		}
		return keys[i] < keys[j]
	})
	res := &Result{}
	vendorIDs := map[string]bool{}
	for _, k := range keys {
		t := doc.Trackers[k]
		id := "exodus-" + slug(k)
		name := strings.TrimSpace(t.Name)
		if name == "" || id == "exodus-" {
			res.Skipped = append(res.Skipped, fmt.Sprintf("tracker %q: no name or id", k))
			continue
		}
		var prefixes, covered []string
		for _, raw := range strings.Split(t.CodeSignature, "|") {
			p, ok := prefix(raw)
			if !ok {
				continue
			}
			if owner, ok := claimed[p]; ok {
				covered = append(covered, owner)
				continue
			}
			claimed[p] = id
			prefixes = append(prefixes, p)
		}
		if len(prefixes) == 0 {
			why := "no usable code signature"
			if len(covered) > 0 {
				why = "covered by built-in rule " + strings.Join(dedupe(covered), ", ")
			}
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s: %s", name, why))
			continue
		}
		vendor := vendorFor(base, name)
		if vendor == "" {
			vendor = "exodus-vendor-" + slug(k)
			if !vendorIDs[vendor] {
				vendorIDs[vendor] = true
				res.Vendors = append(res.Vendors, rules.Vendor{
					ID:    vendor,
					Brand: rules.Text{EN: name + " (vendor)"},
					Note:  "Placeholder vendor for an imported Exodus tracker; the list does not name the company.",
				})
			}
		}
		cat := "other"
		for _, c := range t.Categories {
			if m, ok := categoryMap[strings.ToLower(c)]; ok {
				cat = m
				break
			}
		}
		src := "Exodus-format tracker " + k
		if t.Website != "" {
			src += " (" + t.Website + ")"
		}
		res.SDKs = append(res.SDKs, rules.SDK{
			ID:              id,
			Name:            rules.Text{EN: name + " (imported)"},
			Vendor:          vendor,
			Category:        cat,
			Kind:            rules.KindSDK,
			AllowRootPrefix: true,
			Signatures:      rules.Signatures{DexPrefixes: prefixes},
			Sources:         []string{src},
			Confidence:      rules.ConfidenceLow,
			Note:            "Imported from an Exodus-format tracker list without review; the most specific prefix wins over it.",
		})
		res.Converted++
	}
	return res, nil
}

// prefix turns one code_signature alternative (a regular expression that
// is almost always a literal package prefix) into a dotted prefix; anything
// that is a real pattern is dropped rather than guessed at.
func prefix(raw string) (string, bool) {
	p := strings.TrimSpace(raw)
	p = strings.ReplaceAll(p, `\.`, ".")
	p = strings.TrimPrefix(p, "^")
	p = strings.TrimSuffix(p, ".")
	p = strings.ReplaceAll(p, "/", ".")
	if !prefixRe.MatchString(p) || !strings.Contains(p, ".") {
		return "", false
	}
	return p, true
}

// vendorFor reuses a built-in vendor whose name is the tracker's name.
func vendorFor(base *rules.DB, name string) string {
	if vs := base.VendorsByName(name); len(vs) == 1 {
		return vs[0].ID
	}
	return ""
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func dedupe(in []string) []string {
	sort.Strings(in)
	out := in[:0]
	for i, s := range in {
		if i == 0 || s != in[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// WriteDir writes the rule files (sdks/exodus.yaml, vendors.yaml) into dir,
// creating it. Existing regular files of those names are replaced, each
// atomically; anything else there (a named pipe, a device, a directory)
// is refused, never written through or replaced.
func (r *Result) WriteDir(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, rules.DirSDKs), 0o755); err != nil {
		return fmt.Errorf("exodus: %w", err)
	}
	header := "# Generated by `sdkaudit rules import-exodus`: entries are unreviewed.\n"
	sdks, err := yaml.Marshal(struct {
		SDKs []rules.SDK `yaml:"sdks"`
	}{r.SDKs})
	if err != nil {
		return fmt.Errorf("exodus: %w", err)
	}
	if err := writeRuleFile(filepath.Join(dir, rules.DirSDKs, "exodus.yaml"), append([]byte(header), sdks...)); err != nil {
		return err
	}
	vendors := r.Vendors
	if vendors == nil {
		vendors = []rules.Vendor{}
	}
	vb, err := yaml.Marshal(struct {
		Vendors []rules.Vendor `yaml:"vendors"`
	}{vendors})
	if err != nil {
		return fmt.Errorf("exodus: %w", err)
	}
	return writeRuleFile(filepath.Join(dir, rules.FileVendors), append([]byte(header), vb...))
}

// writeRuleFile writes one converted file, refusing one that the rule
// loader would refuse to read back.
func writeRuleFile(path string, data []byte) error {
	if len(data) > rules.MaxYAMLBytes {
		return fmt.Errorf("exodus: %s would be %d bytes, more than the %d a rule file may have", path, len(data), rules.MaxYAMLBytes)
	}
	if err := safefile.WriteFile(path, data); err != nil {
		return fmt.Errorf("exodus: %w", err)
	}
	return nil
}
