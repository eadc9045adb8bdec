package report

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
)

// SARIF 2.1.0, written with encoding/json so the output is exactly what
// the tests pin down.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool             sarifTool         `json:"tool"`
	Language         string            `json:"language"`
	NewlineSequences []string          `json:"newlineSequences"`
	Artifacts        []sarifArtifact   `json:"artifacts"`
	Results          []sarifResult     `json:"results"`
	Properties       map[string]string `json:"properties"`
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
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifArtifact struct {
	Location sarifArtifactLocation `json:"location"`
	Hashes   map[string]string     `json:"hashes,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
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

func sarifLevel(sev string) string {
	switch sev {
	case audit.SeverityHigh:
		return "error"
	case audit.SeverityMedium:
		return "warning"
	}
	return "note"
}

func (sarifEncoder) Encode(w io.Writer, r *audit.Result, opts AuditOptions) error {
	lang := "en-US"
	if opts.Lang == "zh" {
		lang = "zh-CN"
	}
	driver := sarifDriver{Name: "sdkaudit", Version: opts.ToolVersion, Language: lang, Rules: []sarifRule{}}
	index := map[string]int{}
	for i, c := range audit.Checks {
		index[c.ID] = i
		doc := strings.Join(strings.Fields(c.Doc), " ")
		driver.Rules = append(driver.Rules, sarifRule{
			ID: c.ID, Name: c.Kind,
			ShortDescription:     sarifText{Text: c.Title},
			FullDescription:      sarifText{Text: doc},
			Help:                 sarifText{Text: doc},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(c.DefaultSeverity)},
			Properties:           map[string]any{"tags": []string{"privacy", c.Kind}, "title_zh": c.TitleZH},
		})
	}
	uri := strings.ReplaceAll(r.App.File, "\\", "/")
	run := sarifRun{
		Tool:             sarifTool{Driver: driver},
		Language:         lang,
		NewlineSequences: []string{"\r\n", "\n"},
		Artifacts:        []sarifArtifact{{Location: sarifArtifactLocation{URI: uri}, Hashes: map[string]string{"sha-256": r.App.SHA256}}},
		Results:          []sarifResult{},
		Properties:       map[string]string{"rules_version": r.RulesVersion, "package": r.App.Package},
	}
	for _, f := range r.Findings {
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifactLocation{URI: uri}}}
		switch {
		case f.Subject.SDK != nil:
			loc.LogicalLocations = []sarifLogical{{Name: f.Subject.SDK.Name, FullyQualifiedName: "sdk:" + f.Subject.Key(), Kind: "module"}}
		case f.Subject.Permission != "":
			loc.LogicalLocations = []sarifLogical{{Name: f.Subject.Permission, FullyQualifiedName: "manifest:uses-permission:" + f.Subject.Permission, Kind: "resource"}}
		case f.Subject.ThirdParty != "":
			loc.LogicalLocations = []sarifLogical{{Name: f.Subject.ThirdParty, FullyQualifiedName: "policy:" + f.Subject.ThirdParty, Kind: "resource"}}
		}
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message:             sarifText{Text: tr(opts.Lang, f.Message, f.MessageZH)},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{"sdkaudit/v1": f.Fingerprint},
			Properties: map[string]any{
				"severity": f.Severity, "kind": f.Kind, "subject": f.Subject.Key(),
				"appEvidence": f.AppEvidence, "policyEvidence": f.PolicyEvidence, "fix": tr(opts.Lang, f.Fix, f.FixZH),
			},
		}
		if len(f.AttributedTo) > 0 {
			res.Properties["attributedTo"] = f.AttributedTo
		}
		if f.Suppressed {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: f.SuppressedBy}}
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{Schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
