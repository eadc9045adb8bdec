package report

import (
	"cmp"
	"io"
	"net/url"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
)

// SARIF 2.1.0, written with encoding/json so the output is exactly what
// the tests pin down (sarif_test.go validates it against the OASIS schema).
//
// One run: the rules are every check in audit.Checks, the results every
// finding in the Result's order. An APK has no lines to point at, so each
// result's physical location is the APK itself and a logical location
// names what the finding is about: the SDK (kind "module") or the
// permission or third party (kind "resource").

// sarifSchemaURI is the errata01 schema, the one the validators embed.
const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// sarifFingerprintKey names sdkaudit's partial fingerprint; bump the
// version suffix if audit's fingerprint ever changes meaning.
const sarifFingerprintKey = "sdkaudit/v1"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool             sarifTool         `json:"tool"`
	Invocations      []sarifInvocation `json:"invocations,omitempty"`
	Language         string            `json:"language"`
	NewlineSequences []string          `json:"newlineSequences"`
	Artifacts        []sarifArtifact   `json:"artifacts"`
	Results          []sarifResult     `json:"results"`
	// AutomationDetails tells runs of one log apart: code scanning
	// services refuse several runs of one tool without it.
	AutomationDetails *sarifAutomation  `json:"automationDetails,omitempty"`
	Properties        map[string]string `json:"properties"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	Language       string      `json:"language"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

// sarifInvocation carries the Result's warnings (expired or unused
// waivers, a policy nothing was recognised in) as configuration
// notifications; it is written only when there are warnings.
type sarifInvocation struct {
	ExecutionSuccessful            bool                `json:"executionSuccessful"`
	ToolConfigurationNotifications []sarifNotification `json:"toolConfigurationNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifArtifact struct {
	Location sarifArtifactLocation `json:"location"`
	Hashes   map[string]string     `json:"hashes,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifResult struct {
	RuleID string `json:"ruleId"`
	// RuleIndex is omitted for a rule that is not in audit.Checks rather
	// than pointing at the wrong rule.
	RuleIndex           *int               `json:"ruleIndex,omitempty"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]any     `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical  `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

type sarifEncoder struct{}

func (sarifEncoder) Name() string { return "sarif" }

// sarifLevel maps a severity to a SARIF level: high is an error, medium a
// warning, low and info notes.
func sarifLevel(sev audit.Severity) string {
	switch sev {
	case audit.SeverityHigh:
		return "error"
	case audit.SeverityMedium:
		return "warning"
	}
	return "note"
}

// sarifURI turns the APK path as given on the command line into a URI
// reference: slashes for separators, percent-escapes for spaces and other
// characters a URI cannot hold, and a file URI for a Windows drive path
// (which would otherwise read as a URI with scheme "C").
func sarifURI(path string) string {
	p := strings.ReplaceAll(path, "\\", "/")
	if len(p) >= 3 && p[1] == ':' && p[2] == '/' && ('A' <= p[0] && p[0] <= 'Z' || 'a' <= p[0] && p[0] <= 'z') {
		return (&url.URL{Scheme: "file", Path: "/" + p}).String()
	}
	return (&url.URL{Path: p}).String()
}

func (e sarifEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	return e.EncodeBatch(w, []*audit.Result{r}, opts)
}

// EncodeBatch writes one SARIF log with a run per app, the shape code
// scanning services accept for a multi-artifact upload.
func (sarifEncoder) EncodeBatch(w io.Writer, rs []*audit.Result, opts AuditOptions) error {
	log := sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{}}
	for _, r := range rs {
		log.Runs = append(log.Runs, sarifRunOf(r, opts))
	}
	return writeJSON(w, log, true)
}

func sarifRunOf(r *audit.Result, opts AuditOptions) sarifRun {
	lang := "en-US"
	if opts.Lang == "zh" {
		lang = "zh-CN"
	}
	// The rule texts are the English check records whatever the report
	// language; only the result messages follow --lang.
	driver := sarifDriver{Name: "sdkaudit", Version: opts.ToolVersion, Language: "en-US", Rules: []sarifRule{}}
	index := map[string]int{}
	for i, c := range audit.Checks {
		index[c.ID] = i
		doc := strings.Join(strings.Fields(c.Help()), " ")
		driver.Rules = append(driver.Rules, sarifRule{
			ID: c.ID, Name: string(c.Kind),
			ShortDescription:     sarifText{Text: c.Title},
			FullDescription:      sarifText{Text: doc},
			Help:                 sarifText{Text: doc},
			HelpURI:              FindingsDocURI(opts.DocsBase, c.ID, c.Kind),
			DefaultConfiguration: sarifConfig{Level: sarifLevel(c.DefaultSeverity)},
			Properties:           map[string]any{"tags": []string{"privacy", string(c.Kind)}, "title_zh": c.TitleZH, "security-severity": securitySeverity(c.DefaultSeverity)},
		})
	}
	uri := sarifURI(r.App.File)
	run := sarifRun{
		Tool:             sarifTool{Driver: driver},
		Language:         lang,
		NewlineSequences: []string{"\r\n", "\n"},
		Artifacts:        []sarifArtifact{{Location: sarifArtifactLocation{URI: uri}}},
		Results:          []sarifResult{},
		Properties:       map[string]string{"rules_version": r.RulesVersion, "package": r.App.Package},
		// One category per app, "sdkaudit/<package or file>/": stable
		// across builds of the app, distinct between the apps of a batch.
		AutomationDetails: &sarifAutomation{ID: "sdkaudit/" + cmp.Or(r.App.Package, uri) + "/"},
	}
	if r.App.SHA256 != "" {
		run.Artifacts[0].Hashes = map[string]string{"sha-256": r.App.SHA256}
	}
	if len(r.Warnings) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: true}
		for _, warning := range r.Warnings {
			inv.ToolConfigurationNotifications = append(inv.ToolConfigurationNotifications, sarifNotification{Level: "warning", Message: sarifMessage(warning)})
		}
		run.Invocations = []sarifInvocation{inv}
	}
	// Text a viewer shows people (messages, names, evidence, fix,
	// justification) is cleaned and cut; the identifiers tools match on
	// (fullyQualifiedName, subject, fingerprints, package) stay exact, and
	// writeJSON keeps any hostile rune in them escaped.
	for _, f := range r.Findings {
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifactLocation{URI: uri}}}
		switch {
		case f.Subject.SDK != nil:
			name := f.Subject.SDK.Name
			if name == "" {
				name = f.Subject.SDK.ID
			}
			loc.LogicalLocations = []sarifLogical{{Name: Clean(name), FullyQualifiedName: "sdk:" + f.Subject.Key(), Kind: "module"}}
		case f.Subject.Permission != "":
			loc.LogicalLocations = []sarifLogical{{Name: Clean(f.Subject.Permission), FullyQualifiedName: permissionFQN(r, f.Subject.Permission), Kind: "resource"}}
		case f.Subject.ThirdParty != "":
			loc.LogicalLocations = []sarifLogical{{Name: Clean(f.Subject.ThirdParty), FullyQualifiedName: "policy:" + f.Subject.ThirdParty, Kind: "resource"}}
		case f.Subject.Data != "":
			loc.LogicalLocations = []sarifLogical{{Name: Clean(f.Subject.Data), FullyQualifiedName: "data:" + f.Subject.Data, Kind: "resource"}}
		case f.Subject.Component != "":
			loc.LogicalLocations = []sarifLogical{{Name: Clean(f.Subject.Component), FullyQualifiedName: "framework:" + f.Subject.Component, Kind: "module"}}
		}
		res := sarifResult{
			RuleID: f.Rule, Level: sarifLevel(f.Severity),
			Message:   sarifMessage(tr(opts.Lang, f.Message, f.MessageZH)),
			Locations: []sarifLocation{loc},
			Properties: map[string]any{
				"severity": f.Severity, "kind": f.Kind, "subject": f.Subject.Key(),
				"appEvidence": cleanAll(f.AppEvidence), "policyEvidence": cleanAll(f.PolicyEvidence),
				"fix": Clean(tr(opts.Lang, f.Fix, f.FixZH)),
			},
		}
		if f.Fingerprint != "" {
			res.PartialFingerprints = map[string]string{sarifFingerprintKey: f.Fingerprint}
		}
		if i, ok := index[f.Rule]; ok {
			res.RuleIndex = &i
		}
		if len(f.AttributedTo) > 0 {
			res.Properties["attributedTo"] = f.AttributedTo
		}
		if f.Basis != "" {
			res.Properties["basis"] = f.Basis
		}
		if f.Suppressed {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: Clean(f.SuppressedBy)}}
		}
		run.Results = append(run.Results, res)
	}
	return run
}

// FindingsDocURI is the address of a rule's section of docs/findings.md:
// base (the document's address) and the heading's anchor; empty without a
// base.
func FindingsDocURI(base, id string, kind audit.Kind) string {
	if base == "" {
		return ""
	}
	return base + "#" + strings.ToLower(id) + "-" + string(kind)
}

// securitySeverity is the CVSS-like score code scanning services rank
// results by, from a finding's severity.
func securitySeverity(sev audit.Severity) string {
	switch sev {
	case audit.SeverityHigh:
		return "8.0"
	case audit.SeverityMedium:
		return "5.5"
	case audit.SeverityLow:
		return "3.0"
	}
	return "1.0"
}

// permissionFQN names where a permission is asked for: the manifest's
// <uses-permission>, or an iOS app's Info.plist usage-description key.
func permissionFQN(r *audit.Result, name string) string {
	if r.App != nil && r.App.IOS != nil {
		return "info-plist:" + name
	}
	return "manifest:uses-permission:" + name
}
