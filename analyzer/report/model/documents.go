package model

import (
	"strings"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"github.com/sdkaudit/sdkaudit/analyzer/dataaccess"
	"github.com/sdkaudit/sdkaudit/analyzer/detect"
	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/policy"
)

// Schema versions of the documents. A version changes when a key changes
// meaning or disappears; a new key does not change it. Every change to a
// schema file is recorded in docs/json-schema-changes.md with the file's
// hash, and a test holds the three together.
const (
	// ScanSchemaVersion versions `scan --format json|jsonl`
	// (docs/scan-report.schema.json).
	ScanSchemaVersion = "1.0"
	// AuditSchemaVersion versions `audit --format json|jsonl`
	// (docs/audit-report.schema.json). 2.0: the document is {apps: [...]}
	// whatever the number of apps (1.0 gave one app's document alone).
	AuditSchemaVersion = "2.0"
	// DiffSchemaVersion versions `diff --format json`
	// (docs/diff-report.schema.json): the new build's audit document with
	// its changes.
	DiffSchemaVersion = "1.0"
)

// Tool names the program that wrote a document.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// NewTool is sdkaudit at a version.
func NewTool(version string) Tool { return Tool{Name: "sdkaudit", Version: version} }

// ScanDocument is `sdkaudit scan --format json`: every app of the run.
type ScanDocument struct {
	SchemaVersion string    `json:"schema_version"`
	Tool          Tool      `json:"tool"`
	RulesVersion  string    `json:"rules_version"`
	Apps          []ScanApp `json:"apps"`
	// ChannelGroups appear when the batch holds channel builds.
	ChannelGroups []ChannelGroup `json:"channel_groups,omitempty"`
}

// ScanLine is one line of `sdkaudit scan --format jsonl`: an app with the
// document's versions, so each line stands alone.
type ScanLine struct {
	SchemaVersion string `json:"schema_version"`
	Tool          Tool   `json:"tool"`
	RulesVersion  string `json:"rules_version"`
	ScanApp
}

// ScanApp is one scanned file: file and status first, and a file that
// failed entirely has the same three keys (file, status "error", errors)
// as a scanned one.
type ScanApp struct {
	File   string `json:"file"`
	Status string `json:"status"`
	*Inventory
	SDKs []SDK `json:"sdks,omitempty"`
	// Traces are SDKs seen only through evidence that does not show them.
	Traces     []SDK       `json:"traces,omitempty"`
	DataAccess *DataAccess `json:"data_access,omitempty"`
	Errors     []Problem   `json:"errors"`
}

// ScanInput is what a scan found for one file; Inventory is nil when the
// file could not be read at all, and Err says why.
type ScanInput struct {
	File       string
	Inventory  *inventory.Inventory
	SDKs       []detect.Detection
	Traces     []detect.Detection
	DataAccess *dataaccess.Result
	Err        error
	// Classes keeps every class descriptor (--classes).
	Classes bool
}

// NewScanApp converts one file's scan.
func NewScanApp(in ScanInput) ScanApp {
	a := ScanApp{File: in.File}
	if in.Inventory == nil {
		msg := ""
		if in.Err != nil {
			msg = in.Err.Error()
		}
		a.Status = "error"
		a.Errors = []Problem{{Stage: stageOf(msg), Message: msg}}
		return a
	}
	inv := fromInventory(*in.Inventory)
	if !in.Classes {
		inv.Dex.Classes = nil
	}
	a.Inventory = &inv
	a.SDKs = each(in.SDKs, fromSDK)
	if a.SDKs == nil {
		a.SDKs = []SDK{}
	}
	a.Traces = each(in.Traces, fromSDK)
	a.DataAccess = ptr(in.DataAccess, fromDataAccess)
	a.Status = inv.Status
	a.Errors = inv.Errors
	return a
}

// stageOf extracts the stage prefix ("container", "manifest", ...) from an
// error message of the form "file: stage: ...".
func stageOf(msg string) string {
	for _, s := range []string{"container", "manifest", "dex", "inventory", "resources"} {
		if strings.Contains(msg, ": "+s+":") || strings.HasPrefix(msg, s+":") {
			return s
		}
	}
	return "input"
}

// ChannelGroupsOf converts a batch's channel groups.
func ChannelGroupsOf(gs []audit.ChannelGroup) []ChannelGroup { return each(gs, fromChannelGroup) }

// AuditDocument is one app's audit (docs/audit-report.schema.json,
// $defs/app), and with Changes set the diff document.
type AuditDocument struct {
	SchemaVersion string        `json:"schema_version"`
	Tool          Tool          `json:"tool"`
	RulesVersion  string        `json:"rules_version"`
	App           AppSummary    `json:"app"`
	Policy        PolicySummary `json:"policy"`
	// Summary counts the unsuppressed findings per severity, and the
	// suppressed ones.
	Summary    map[string]int `json:"summary"`
	Findings   []Finding      `json:"findings"`
	SDKs       []AuditSDK     `json:"sdks"`
	Changes    *Changes       `json:"changes,omitempty"`
	DataAccess *DataAccess    `json:"data_access,omitempty"`
	Incomplete []string       `json:"incomplete"`
	Warnings   []string       `json:"warnings"`
	// Inventory is the app's inventory, without the class list.
	Inventory *Inventory `json:"inventory"`
}

// AuditBatch is `sdkaudit audit --format json`: one audit document per
// app, whatever their number, and the channel groups.
type AuditBatch struct {
	SchemaVersion string          `json:"schema_version"`
	Tool          Tool            `json:"tool"`
	RulesVersion  string          `json:"rules_version"`
	Apps          []AuditDocument `json:"apps"`
	ChannelGroups []ChannelGroup  `json:"channel_groups"`
}

// AppSummary names the audited app.
type AppSummary struct {
	File        string `json:"file"`
	SHA256      string `json:"sha256"`
	Package     string `json:"package"`
	VersionCode string `json:"version_code"`
	VersionName string `json:"version_name"`
	Status      string `json:"status"`
}

// PolicySummary says what the policy documents declared.
type PolicySummary struct {
	Sources        []string `json:"sources"`
	Permissions    int      `json:"permissions"`
	DataCategories int      `json:"data_categories"`
	SDKs           []string `json:"sdks"`
	Vendors        []string `json:"vendors"`
	Unresolved     []string `json:"unresolved_third_parties"`
	VersionScope   string   `json:"version_scope,omitempty"`
}

// NewAppSummary names an inventory's app.
func NewAppSummary(inv *inventory.Inventory) AppSummary {
	a := AppSummary{File: inv.File, SHA256: inv.SHA256, Status: inv.Status}
	if inv.Manifest != nil {
		a.Package = inv.Package
		if inv.VersionCode != nil {
			a.VersionCode = inv.VersionCode.Value
		}
		if inv.VersionName != nil {
			a.VersionName = inv.VersionName.Value
		}
	}
	return a
}

// NewPolicySummary summarises a declaration; nil gives empty lists.
func NewPolicySummary(d *policy.Declaration) PolicySummary {
	p := PolicySummary{Sources: []string{}, SDKs: []string{}, Vendors: []string{}, Unresolved: []string{}}
	if d == nil {
		return p
	}
	for _, s := range d.Sources {
		p.Sources = append(p.Sources, s.File)
	}
	p.Permissions, p.DataCategories, p.VersionScope = len(d.Permissions), len(d.DataCategories), d.VersionScope
	for _, s := range d.SDKs {
		p.SDKs = append(p.SDKs, s.ID)
	}
	for _, v := range d.Vendors {
		p.Vendors = append(p.Vendors, v.ID)
	}
	for _, u := range d.Unresolved {
		p.Unresolved = append(p.Unresolved, u.Name)
	}
	return p
}

// NewAuditDocument converts one app's audit; the audit of a diff (Changes
// set) is the diff document and carries its version, in JSON and on a
// jsonl line alike.
func NewAuditDocument(r *audit.Result, toolVersion string) AuditDocument {
	sum := map[string]int{"suppressed": 0}
	for _, s := range audit.Severities {
		sum[string(s)] = 0
	}
	for k, v := range r.Counts() {
		sum[string(k)] = v
	}
	for _, f := range r.Findings {
		if f.Suppressed {
			sum["suppressed"]++
		}
	}
	inv := fromInventory(*r.App)
	inv.Dex.Classes = nil
	version := AuditSchemaVersion
	if r.Changes != nil {
		version = DiffSchemaVersion
	}
	return AuditDocument{
		SchemaVersion: version, Tool: NewTool(toolVersion), RulesVersion: r.RulesVersion,
		App: NewAppSummary(r.App), Policy: NewPolicySummary(r.Declaration), Summary: sum,
		Findings: each(r.Findings, fromFinding), SDKs: each(r.SDKs, fromAuditSDK), Changes: ptr(r.Changes, fromChanges),
		DataAccess: ptr(r.DataAccess, fromDataAccess), Incomplete: r.Incomplete, Warnings: r.Warnings, Inventory: &inv,
	}
}
