package model

import "github.com/sdkaudit/sdkaudit/analyzer/policy"

// PolicySchemaVersion versions `policy extract --format json`
// (docs/policy-extract.schema.json).
const PolicySchemaVersion = "1.0"

// PolicyDocument is `sdkaudit policy extract --format json`: what the
// policy documents disclose, every item with the evidence it came from.
// Lists are sorted by id or name, as the extractor leaves them.
type PolicyDocument struct {
	SchemaVersion  string             `json:"schema_version"`
	Tool           Tool               `json:"tool"`
	RulesVersion   string             `json:"rules_version"`
	Sources        []PolicySource     `json:"sources"`
	VersionScope   string             `json:"version_scope,omitempty"`
	Permissions    []PolicyPermission `json:"permissions"`
	DataCategories []PolicyData       `json:"data_categories"`
	SDKs           []PolicySDK        `json:"sdks"`
	Vendors        []PolicyVendor     `json:"vendors"`
	// Operators are the vendors the policy defines as itself; added in
	// 1.0 without a version change (keys may be added).
	Operators  []PolicyVendor     `json:"operators,omitempty"`
	Unresolved []PolicyThirdParty `json:"unresolved_third_parties"`
	Denials    []PolicyDenial     `json:"denials"`
	Warnings   []string           `json:"warnings"`
}

// PolicySource is one document read.
type PolicySource struct {
	File     string `json:"file"`
	Format   string `json:"format"`
	Encoding string `json:"encoding"`
	Blocks   int    `json:"blocks"`
}

// PolicyEvidence is where an item was found.
type PolicyEvidence struct {
	File string `json:"file"`
	Line int    `json:"line"`
	// Text is the sentence or table row, cut to a readable length.
	Text string `json:"text"`
	// Matched is the words that triggered the item.
	Matched string `json:"matched"`
	// Rule names the reading that made the item count
	// (docs/policy-declaration.md).
	Rule string `json:"rule,omitempty"`
}

// PolicyPermission is an Android permission the policy discloses.
type PolicyPermission struct {
	Name     string           `json:"name"`
	Evidence []PolicyEvidence `json:"evidence"`
}

// PolicyData is a data category the policy discloses.
type PolicyData struct {
	ID       string           `json:"id"`
	Evidence []PolicyEvidence `json:"evidence"`
}

// PolicySDK is a third-party SDK the policy discloses, resolved to a rule
// id; How says how (name, vendor, table, declaration, parent).
type PolicySDK struct {
	ID          string           `json:"id"`
	Vendor      string           `json:"vendor"`
	How         string           `json:"how"`
	Purpose     string           `json:"purpose,omitempty"`
	Data        []string         `json:"data,omitempty"`
	Permissions []string         `json:"permissions,omitempty"`
	PerSDKData  bool             `json:"per_sdk_data,omitempty"`
	Evidence    []PolicyEvidence `json:"evidence"`
}

// PolicyVendor is a vendor the policy names, with the SDK ids the mention
// was narrowed to.
type PolicyVendor struct {
	ID       string           `json:"id"`
	SDKs     []string         `json:"sdks"`
	Evidence []PolicyEvidence `json:"evidence"`
}

// PolicyThirdParty is a named recipient no rule resolves.
type PolicyThirdParty struct {
	Name     string           `json:"name"`
	Evidence []PolicyEvidence `json:"evidence"`
}

// PolicyDenial is something the policy says it does not do; Kind is
// permission, data or sdk.
type PolicyDenial struct {
	Kind     string           `json:"kind"`
	ID       string           `json:"id"`
	Evidence []PolicyEvidence `json:"evidence"`
}

// NewPolicyDocument converts an extracted declaration.
func NewPolicyDocument(d *policy.Declaration, rulesVersion, toolVersion string) PolicyDocument {
	return PolicyDocument{
		SchemaVersion:  PolicySchemaVersion,
		Tool:           NewTool(toolVersion),
		RulesVersion:   rulesVersion,
		Sources:        each(d.Sources, fromPolicySource),
		VersionScope:   d.VersionScope,
		Permissions:    each(d.Permissions, fromPolicyPermission),
		DataCategories: each(d.DataCategories, fromPolicyData),
		SDKs:           each(d.SDKs, fromPolicySDK),
		Vendors:        each(d.Vendors, fromPolicyVendor),
		Operators:      each(d.Operators, fromPolicyVendor),
		Unresolved:     each(d.Unresolved, fromPolicyThirdParty),
		Denials:        each(d.Denials, fromPolicyDenial),
		Warnings:       d.Warnings,
	}
}

func fromPolicySource(in policy.Source) PolicySource {
	return PolicySource{File: in.File, Format: in.Format, Encoding: in.Encoding, Blocks: in.Blocks}
}

func fromPolicyEvidence(in policy.Evidence) PolicyEvidence {
	return PolicyEvidence{File: in.File, Line: in.Line, Text: in.Text, Matched: in.Matched, Rule: in.Rule}
}

func fromPolicyPermission(in policy.DeclaredPermission) PolicyPermission {
	return PolicyPermission{Name: in.Name, Evidence: each(in.Evidence, fromPolicyEvidence)}
}

func fromPolicyData(in policy.DeclaredData) PolicyData {
	return PolicyData{ID: in.ID, Evidence: each(in.Evidence, fromPolicyEvidence)}
}

func fromPolicySDK(in policy.DeclaredSDK) PolicySDK {
	return PolicySDK{
		ID: in.ID, Vendor: in.Vendor, How: in.How, Purpose: in.Purpose,
		Data: in.Data, Permissions: in.Permissions, PerSDKData: in.PerSDKData,
		Evidence: each(in.Evidence, fromPolicyEvidence),
	}
}

func fromPolicyVendor(in policy.DeclaredVendor) PolicyVendor {
	return PolicyVendor{ID: in.ID, SDKs: in.SDKs, Evidence: each(in.Evidence, fromPolicyEvidence)}
}

func fromPolicyThirdParty(in policy.ThirdParty) PolicyThirdParty {
	return PolicyThirdParty{Name: in.Name, Evidence: each(in.Evidence, fromPolicyEvidence)}
}

func fromPolicyDenial(in policy.Denial) PolicyDenial {
	return PolicyDenial{Kind: in.Kind, ID: in.ID, Evidence: each(in.Evidence, fromPolicyEvidence)}
}
