package audit

import (
	"slices"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
	"github.com/sdkaudit/sdkaudit/rules"
)

// Kind names what a finding is about in words ("undeclared-sdk"); each
// check has one, and waivers, reports and SARIF tags use it beside the
// rule id.
type Kind string

// Severity is how bad a finding is.
type Severity string

// Severities, most severe first. SeverityNone is a threshold only: a
// result never fails on it.
const (
	SeverityHigh   Severity = "high"
	SeverityMedium Severity = "medium"
	SeverityLow    Severity = "low"
	SeverityInfo   Severity = "info"
	SeverityNone   Severity = "none"
)

// Severities lists the severities a finding can have, most severe first.
var Severities = []Severity{SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

// Rank orders severities; higher is more severe, 0 for none or unknown.
func (s Severity) Rank() int {
	switch s {
	case SeverityHigh:
		return 4
	case SeverityMedium:
		return 3
	case SeverityLow:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Lower is one level less severe (info stays info).
func (s Severity) Lower() Severity {
	switch s {
	case SeverityHigh:
		return SeverityMedium
	case SeverityMedium:
		return SeverityLow
	}
	return SeverityInfo
}

// ParseThreshold reads a --fail-on value: a severity or "none".
func ParseThreshold(s string) (Severity, bool) {
	switch t := Severity(s); t {
	case SeverityHigh, SeverityMedium, SeverityLow, SeverityNone:
		return t, true
	}
	return "", false
}

// Basis says what a data finding rests on.
type Basis string

// Bases of data findings.
const (
	// BasisObserved: the app's code reads the data.
	BasisObserved Basis = "observed"
	// BasisTypical: the SDK's rule says such SDKs collect it.
	BasisTypical Basis = "typical"
)

// DiffRule says when a finding counts in `sdkaudit diff`, which reports
// what auditing the new build gives and auditing the old one does not.
type DiffRule uint8

const (
	// DiffWhenNew: the finding counts when the old build's audit did not
	// give its rule and subject.
	DiffWhenNew DiffRule = iota
	// DiffWhenNewOrAdded: also when the old build's audit gave it too,
	// but an SDK it is attributed to, or one of the check's DiffKeys, is
	// among what the new build adds: a finding whose subject is not the
	// SDK (a privacy-manifest data type, tracking) stands for the SDK the
	// new build brings in.
	DiffWhenNewOrAdded
)

// Check is one documented comparison: everything `sdkaudit explain`,
// docs/findings.md, the SARIF rules and `sdkaudit diff` know about a
// finding kind comes from this value. ID is stable and never reused
// (RetiredIDs lists the ones given up).
type Check struct {
	ID              string
	Kind            Kind
	Title           string
	TitleZH         string
	DefaultSeverity Severity
	// Doc explains what the check looks for and why it matters.
	Doc string
	// Fix is the remedy in general; each finding carries its own.
	Fix string
	// Diff says when a finding of this check counts in diff; DiffKeys are
	// the permissions (or iOS usage-description keys) whose addition
	// revives one under DiffWhenNewOrAdded.
	Diff     DiffRule
	DiffKeys []string
	// Run returns the check's findings; Rule, Kind and, when left empty,
	// Severity are filled in from the Check.
	Run func(in *Input, f *Facts) []Finding
}

// Help is the check's documentation as `sdkaudit explain` prints it and
// SARIF carries it: Doc, then the fix.
func (c *Check) Help() string {
	if c.Fix == "" {
		return c.Doc
	}
	return c.Doc + " Fix: " + c.Fix
}

// CountsInDiff reports whether f, a finding of this check that auditing
// the old build gave too, still counts because of what the new build adds
// (added holds the added SDK ids and permission names).
func (c *Check) CountsInDiff(f Finding, added map[string]bool) bool {
	if c.Diff != DiffWhenNewOrAdded {
		return false
	}
	for _, k := range c.DiffKeys {
		if added[k] {
			return true
		}
	}
	return slices.ContainsFunc(f.AttributedTo, func(who string) bool { return added[who] })
}

// DiffText says in words when a finding of the check counts in diff.
func (c *Check) DiffText() string {
	s := "counts when auditing the old build did not give the same rule and subject"
	if c.Diff == DiffWhenNewOrAdded {
		s += ", or when the new build adds an SDK the finding is attributed to"
		if len(c.DiffKeys) > 0 {
			s += " or adds " + strings.Join(c.DiffKeys, ", ")
		}
	}
	return s
}

// RetiredID is a rule id that was published once and must never name
// another check: waivers and baselines refer to ids.
type RetiredID struct {
	ID  string
	Was Kind
	Why string
}

// CheckByID finds a check by rule id or kind.
func CheckByID(id string) (*Check, bool) {
	for i := range Checks {
		if strings.EqualFold(Checks[i].ID, id) || string(Checks[i].Kind) == id {
			return &Checks[i], true
		}
	}
	return nil, false
}

// Input is what every check reads.
type Input struct {
	App *inventory.Inventory
	// SDKs are the detected SDKs. Why detection cannot vouch for the
	// whole app is in App.Errors (stage "detect"), as a scan reports it.
	SDKs []detect.Detection
	// Incomplete are reasons the analysis is incomplete that App.Errors
	// does not hold; the pipeline leaves it empty.
	Incomplete []string
	// Access is the code-level data-access evidence; nil when the code
	// was not scanned, and then checks fall back to the rules' typical
	// data.
	Access      *dataaccess.Result
	Declaration *policy.Declaration
	Rules       *rules.DB
}

// Facts are what the policy declares and the app holds, indexed once per
// audit and shared by the checks.
type Facts struct {
	in       *Input
	declared map[string]string // sdk id -> how it is covered
	vendorOK map[string]bool   // vendors the policy names at all
	operator map[string]bool   // vendors the policy defines as itself
	perms    map[string]bool
	data     map[string]bool
	detected map[string]bool
}

// NewFacts indexes an input for the checks.
func NewFacts(in *Input) *Facts {
	st := &Facts{in: in, declared: map[string]string{}, vendorOK: map[string]bool{}, operator: map[string]bool{}, perms: map[string]bool{}, data: map[string]bool{}, detected: map[string]bool{}}
	for _, s := range in.Declaration.SDKs {
		st.declared[s.ID] = s.How
	}
	for _, v := range in.Declaration.Vendors {
		st.vendorOK[v.ID] = true
	}
	for _, s := range in.Declaration.SDKs {
		st.vendorOK[s.Vendor] = true
	}
	for _, v := range in.Declaration.Operators {
		st.operator[v.ID] = true
	}
	for _, p := range in.Declaration.Permissions {
		st.perms[p.Name] = true
	}
	for _, d := range in.Declaration.DataCategories {
		st.data[d.ID] = true
	}
	for _, d := range in.SDKs {
		st.detected[d.ID] = true
	}
	return st
}

// Detected reports whether the app holds the SDK.
func (st *Facts) Detected(id string) bool { return st.detected[id] }

// Operator reports whether the policy defines the vendor as its own
// operator: the vendor's SDKs in the app are first-party.
func (st *Facts) Operator(vendor string) bool { return st.operator[vendor] }

// VendorNamed reports whether the policy names the vendor at all.
func (st *Facts) VendorNamed(vendor string) bool { return st.vendorOK[vendor] }

// PermissionDeclared reports whether the policy names the permission
// itself.
func (st *Facts) PermissionDeclared(name string) bool { return st.perms[name] }

// DataDeclared reports whether the policy names the data category itself
// (DataDisclosed also counts permissions that reach it).
func (st *Facts) DataDeclared(id string) bool { return st.data[id] }

// GroupDeclared reports whether the policy declares another permission of
// the same runtime group: policies say 位置权限 for fine and coarse
// location alike, 存储权限 for reading and writing.
func (st *Facts) GroupDeclared(p *rules.Permission) bool {
	if p.Group == "" {
		return false
	}
	for name := range st.perms {
		// Same group and the same data: READ_CONTACTS discloses
		// WRITE_CONTACTS's contacts, not GET_ACCOUNTS's device accounts,
		// though Android once put all three in one group.
		if q, ok := st.in.Rules.Permission(name); ok && q.Group == p.Group && sharesData(p, q) {
			return true
		}
	}
	return false
}

// Coverage says how the policy covers an SDK: its own declaration, or a
// declared ancestor (a bundle such as 友盟+ covering its modules, a push
// SDK covering its vendor-channel adapters); "" when it does not.
func (st *Facts) Coverage(id string) string {
	seen := map[string]bool{}
	for cur := id; cur != "" && !seen[cur]; {
		seen[cur] = true
		if how, ok := st.declared[cur]; ok {
			if cur == id {
				return how
			}
			return "parent"
		}
		s, ok := st.in.Rules.SDK(cur)
		if !ok {
			break
		}
		cur = s.Parent
	}
	// A declared module names its bundle too: 微信支付 discloses the WeChat
	// OpenSDK that delivers it.
	for declared := range st.declared {
		for cur, seen := declared, map[string]bool{}; cur != "" && !seen[cur]; {
			seen[cur] = true
			s, ok := st.in.Rules.SDK(cur)
			if !ok {
				break
			}
			if s.Parent == id {
				return "child"
			}
			cur = s.Parent
		}
	}
	return ""
}

// Observed returns the data categories code owned by the SDK or one of its
// modules reads, with the call sites.
func (st *Facts) Observed(id string) map[string][]dataaccess.Site {
	out := map[string][]dataaccess.Site{}
	if st.in.Access == nil {
		return out
	}
	for _, o := range st.in.Access.Owners {
		if !st.within(o.ID, id) {
			continue
		}
		for _, c := range o.Categories {
			out[c.ID] = append(out[c.ID], c.CallSites...)
		}
	}
	return out
}

// within reports whether SDK id is ancestor or one of its descendants.
func (st *Facts) within(id, ancestor string) bool {
	seen := map[string]bool{}
	for cur := id; cur != "" && !seen[cur]; {
		if cur == ancestor {
			return true
		}
		seen[cur] = true
		s, ok := st.in.Rules.SDK(cur)
		if !ok {
			return false
		}
		cur = s.Parent
	}
	return false
}

// DataDisclosed reports whether the policy discloses a data category,
// itself or through a declared permission that gives access to it. A
// permission of the same runtime group counts too: 位置权限 discloses
// approximate location as much as precise location.
func (st *Facts) DataDisclosed(cat string) bool {
	if st.data[cat] {
		return true
	}
	groups := map[string]bool{}
	for name := range st.perms {
		p, ok := st.in.Rules.Permission(name)
		if !ok {
			continue
		}
		if slices.Contains(p.Data, cat) {
			return true
		}
		if p.Group != "" {
			groups[p.Group] = true
		}
	}
	for _, q := range st.in.Rules.Permissions {
		if q.Group != "" && groups[q.Group] && slices.Contains(q.Data, cat) {
			return true
		}
	}
	return false
}

// ChildDetected reports whether the app holds a module of the SDK: a
// declared bundle counts as present when one of its modules is.
func (st *Facts) ChildDetected(id string) bool {
	for d := range st.detected {
		for cur, seen := d, map[string]bool{}; cur != "" && !seen[cur]; {
			seen[cur] = true
			s, ok := st.in.Rules.SDK(cur)
			if !ok {
				break
			}
			if s.Parent == id {
				return true
			}
			cur = s.Parent
		}
	}
	return false
}

// UsageDisclosed reports whether the policy discloses an iOS usage key:
// one of its Android permissions (or another of the same group and data),
// or one of its data categories.
func (st *Facts) UsageDisclosed(u *rules.UsageKey) bool {
	for _, p := range u.Permissions {
		if st.perms[p] {
			return true
		}
		if r, ok := st.in.Rules.Permission(p); ok && st.GroupDeclared(r) {
			return true
		}
	}
	return slices.ContainsFunc(u.Data, st.DataDisclosed)
}
