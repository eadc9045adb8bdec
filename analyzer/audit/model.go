package audit

import (
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
	"github.com/sdkaudit/sdkaudit/rules"
)

// SDKRef names an SDK in a finding.
type SDKRef struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	NameZH   string `json:"name_zh,omitempty"`
	Vendor   string `json:"vendor"`
	Category string `json:"category,omitempty"`
}

// Subject is what a finding is about: an SDK, a permission, a third party
// or the app itself.
type Subject struct {
	SDK        *SDKRef `json:"sdk,omitempty"`
	Permission string  `json:"permission,omitempty"`
	ThirdParty string  `json:"third_party,omitempty"`
	// Data is the data category of an sdk-data-undeclared or
	// undeclared-data-access finding, or the privacy-manifest data type
	// of a privacy-manifest-data-undeclared one.
	Data string `json:"data,omitempty"`
	// Component is the framework or dylib of an iOS finding about one.
	Component string `json:"component,omitempty"`
}

// Key is the subject's stable text form, used by waivers and sorting.
func (s Subject) Key() string {
	switch {
	case s.SDK != nil && s.Data != "":
		return s.SDK.ID + "/" + s.Data
	case s.SDK != nil:
		return s.SDK.ID
	case s.Permission != "":
		return s.Permission
	case s.ThirdParty != "":
		return s.ThirdParty
	case s.Data != "":
		return "data/" + s.Data
	case s.Component != "":
		return "component/" + s.Component
	}
	return "app"
}

// Finding is one result of a check.
type Finding struct {
	Rule     string   `json:"rule"`
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	Subject  Subject  `json:"subject"`
	// Message and MessageZH say what is wrong, in English and Chinese.
	Message   string `json:"message"`
	MessageZH string `json:"message_zh"`
	// AppEvidence is where the subject was seen in the app; PolicyEvidence
	// what the policy says about it (or that it says nothing).
	AppEvidence    []string `json:"app_evidence"`
	PolicyEvidence []string `json:"policy_evidence"`
	// AttributedTo lists who needs a permission or reads the data: SDK
	// ids and/or "app".
	AttributedTo []string `json:"attributed_to,omitempty"`
	// Basis says what a data finding rests on: "observed" (the app's code
	// reads it) or "typical" (the SDK's rule says such SDKs collect it).
	Basis Basis  `json:"basis,omitempty"`
	Fix   string `json:"fix"`
	FixZH string `json:"fix_zh"`
	// Fingerprint is stable across runs and builds for the same subject.
	Fingerprint string `json:"fingerprint"`
	Suppressed  bool   `json:"suppressed"`
	// SuppressedBy is the waiver's reason when Suppressed.
	SuppressedBy string `json:"suppressed_by,omitempty"`
}

// SDKStatus is one detected SDK with its disclosure status, for the SDK
// inventory section of reports.
type SDKStatus struct {
	detect.Detection
	Declared bool `json:"declared"`
	// DeclaredHow is how the policy covers it: name, vendor, table,
	// declaration, parent, or empty.
	DeclaredHow string `json:"declared_how,omitempty"`
	// VendorNames are the vendor's legal names, for draft policy rows.
	VendorNames []string `json:"vendor_names,omitempty"`
	PolicyURL   string   `json:"policy_url,omitempty"`
	Data        []string `json:"data,omitempty"`
	// DataNames are Data in words, English and Chinese, for draft policy
	// rows.
	DataNames   []string `json:"data_names,omitempty"`
	DataNamesZH []string `json:"data_names_zh,omitempty"`
	// ObservedData are the categories the SDK's own code reads (a subset
	// of Data or beyond it); empty when the code was not scanned.
	ObservedData []string `json:"observed_data,omitempty"`
}

// Result is everything a report renders.
type Result struct {
	App          *inventory.Inventory `json:"-"`
	Declaration  *policy.Declaration  `json:"-"`
	RulesVersion string               `json:"rules_version"`
	Findings     []Finding            `json:"findings"`
	SDKs         []SDKStatus          `json:"sdks"`
	// DataAccess is the code-level evidence the checks used; nil when the
	// code was not scanned.
	DataAccess *dataaccess.Result `json:"data_access,omitempty"`
	// Incomplete lists why the analysis cannot vouch for completeness.
	Incomplete []string `json:"incomplete"`
	// Changes is set by `sdkaudit diff`: what the new build adds and
	// removes; Findings then cover only what it adds.
	Changes *Changes `json:"changes,omitempty"`
	// Warnings are about the inputs: expired or unused waivers, a policy
	// in which nothing was recognised.
	Warnings []string `json:"warnings"`
	// Rules are the rules the app was audited with, for the names and
	// links reports print (nil in results built by hand).
	Rules *rules.DB `json:"-"`
}

// Counts returns the unsuppressed findings per severity.
func (r *Result) Counts() map[Severity]int {
	c := map[Severity]int{}
	for _, f := range r.Findings {
		if !f.Suppressed {
			c[f.Severity]++
		}
	}
	return c
}

// Worst returns the most severe unsuppressed severity, or "".
func (r *Result) Worst() Severity {
	var worst Severity
	for _, f := range r.Findings {
		if !f.Suppressed && f.Severity.Rank() > worst.Rank() {
			worst = f.Severity
		}
	}
	return worst
}
