package audit

import (
	"fmt"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/rules"
)

// Waiver accepts a finding for a reason until a date.
type Waiver struct {
	// Rule is a rule id (SA1001) or kind (undeclared-sdk).
	Rule string `yaml:"rule"`
	// Subject is the finding's subject key: an SDK id, a permission name,
	// a third party's name, or sdk-id/data-category.
	Subject string `yaml:"subject"`
	Reason  string `yaml:"reason"`
	// Expires is YYYY-MM-DD; after that day the waiver no longer applies.
	Expires string `yaml:"expires,omitempty"`
}

type waiverFile struct {
	Waivers []Waiver `yaml:"waivers"`
}

// LoadWaivers reads a waiver file. Unknown keys, a missing reason, an
// unknown rule or a bad date are errors naming the file and line.
func LoadWaivers(path string) ([]Waiver, error) {
	data, err := readWaivers(path)
	if err != nil {
		return nil, fmt.Errorf("audit: waivers: %w", err)
	}
	if err := rules.CheckYAML(path, data); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	var wf waiverFile
	if err := yaml.UnmarshalWithOptions(data, &wf, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("audit: %w", rules.YAMLError(path, err))
	}
	var errs []error
	for i, w := range wf.Waivers {
		where := fmt.Sprintf("audit: %s: waiver %d", path, i+1)
		if _, ok := CheckByID(w.Rule); !ok {
			errs = append(errs, fmt.Errorf("%s: unknown rule %q", where, w.Rule))
		}
		if strings.TrimSpace(w.Subject) == "" {
			errs = append(errs, fmt.Errorf("%s: subject is required", where))
		}
		if strings.TrimSpace(w.Reason) == "" {
			errs = append(errs, fmt.Errorf("%s: reason is required", where))
		}
		if w.Expires != "" {
			if _, err := time.Parse("2006-01-02", w.Expires); err != nil {
				errs = append(errs, fmt.Errorf("%s: expires %q is not YYYY-MM-DD", where, w.Expires))
			}
		}
	}
	if len(errs) > 0 {
		return nil, rules.Summarize(errs)
	}
	return wf.Waivers, nil
}

// readWaivers reads a regular file of at most the bytes a YAML file may
// have, counted while reading: a named pipe or a device is refused.
func readWaivers(path string) ([]byte, error) {
	return safefile.ReadFile(path, rules.MaxYAMLBytes)
}

// ApplyWaivers marks matching findings suppressed. Expired waivers do not
// apply and are reported; so are waivers that match nothing.
func (r *Result) ApplyWaivers(ws []Waiver, now time.Time) {
	today := now.UTC().Format("2006-01-02")
	for _, w := range ws {
		if w.Expires != "" && w.Expires < today {
			r.Warnings = append(r.Warnings, fmt.Sprintf("waiver for %s %s expired on %s and no longer applies (%s)", w.Rule, w.Subject, w.Expires, w.Reason))
			continue
		}
		c, _ := CheckByID(w.Rule)
		used := false
		for i := range r.Findings {
			f := &r.Findings[i]
			if c != nil && f.Rule == c.ID && f.Subject.Key() == w.Subject {
				f.Suppressed = true
				f.SuppressedBy = w.Reason
				used = true
			}
		}
		if !used {
			r.Warnings = append(r.Warnings, fmt.Sprintf("waiver for %s %s matches no finding", w.Rule, w.Subject))
		}
	}
}
