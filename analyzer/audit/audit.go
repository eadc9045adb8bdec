package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
)

// Run compares the app with the declaration. Findings are sorted by
// severity, kind and subject, so output is stable.
func Run(in *Input) *Result {
	st := NewFacts(in)
	res := &Result{App: in.App, Declaration: in.Declaration, Rules: in.Rules, RulesVersion: in.Rules.VersionString(), Findings: []Finding{}, Warnings: []string{}, Incomplete: append([]string{}, in.Incomplete...)}
	for _, p := range in.App.Errors {
		res.Incomplete = append(res.Incomplete, p.String())
	}
	if res.Incomplete == nil {
		res.Incomplete = []string{}
	}
	res.Warnings = append(res.Warnings, in.Declaration.Warnings...)
	for _, c := range Checks {
		for _, f := range c.Run(in, st) {
			f.Rule, f.Kind = c.ID, c.Kind
			if f.Severity == "" {
				f.Severity = c.DefaultSeverity
			}
			if f.AppEvidence == nil {
				f.AppEvidence = []string{}
			}
			if f.PolicyEvidence == nil {
				f.PolicyEvidence = []string{}
			}
			f.Fingerprint = fingerprint(in.App.Package, f)
			res.Findings = append(res.Findings, f)
		}
	}
	sortFindings(res.Findings)
	res.SDKs = statuses(in, st)
	res.DataAccess = in.Access
	return res
}

// fingerprint identifies a finding across runs and builds: the app's
// package, the rule and the subject, nothing that changes between builds.
func fingerprint(pkg string, f Finding) string {
	sum := sha256.Sum256([]byte(pkg + "\x00" + f.Rule + "\x00" + f.Subject.Key()))
	return hex.EncodeToString(sum[:8])
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return ra > rb
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Subject.Key() < b.Subject.Key()
	})
}

func statuses(in *Input, st *Facts) []SDKStatus {
	out := make([]SDKStatus, 0, len(in.SDKs))
	for _, d := range in.SDKs {
		s := SDKStatus{Detection: d}
		s.DeclaredHow = st.Coverage(d.ID)
		s.Declared = s.DeclaredHow != ""
		for c := range st.Observed(d.ID) {
			s.ObservedData = append(s.ObservedData, c)
		}
		sort.Strings(s.ObservedData)
		if r, ok := in.Rules.SDK(d.ID); ok {
			s.PolicyURL = r.PolicyURL
			// Draft rows list what the code was seen reading as well as
			// what such SDKs typically collect.
			s.Data = slices.Clone(platformData(in.App, r.Data))
			for _, c := range s.ObservedData {
				if !slices.Contains(s.Data, c) {
					s.Data = append(s.Data, c)
				}
			}
			for _, id := range s.Data {
				en, zh := id, id
				if c, ok := in.Rules.DataCategory(id); ok {
					en, zh = firstNonEmpty(c.Name.EN, id), firstNonEmpty(c.Name.ZH, c.Name.EN, id)
				}
				s.DataNames = append(s.DataNames, en)
				s.DataNamesZH = append(s.DataNamesZH, zh)
			}
			if v, ok := in.Rules.Vendor(r.Vendor); ok {
				s.VendorNames = v.LegalNames
			}
		}
		out = append(out, s)
	}
	return out
}

// FailsOn reports whether an unsuppressed finding is at or above the
// threshold (SeverityNone never fails).
func (r *Result) FailsOn(threshold Severity) bool {
	if threshold == SeverityNone {
		return false
	}
	return r.Worst().Rank() >= threshold.Rank() && r.Worst() != ""
}
